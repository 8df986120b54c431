"""--previous is last year's report of the same office, or refused; a folder of several years of
one office's reports pairs each with its predecessor."""
import json
import subprocess
import sys

from conftest import SEEDS

SEED_003 = SEEDS / "003_aec54f57ed4abe50.txt"  # 汾西县人民政府办公室, 2024
SEED_004 = SEEDS / "004_aa4e2e269a40bca7.txt"  # 福州市长乐区人民政府办公室, 2024; 上年结转 1


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", "--no-cache", *map(str, args)], capture_output=True, text=True,
                       cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def as_last_year(text: str, carried: int) -> str:
    """Seed 003 as 长乐区's 2023 report whose 结转下年度继续办理 (自然人) is ``carried`` (004 carries 1 over)."""
    text = text.replace("汾西县人民政府办公室", "福州市长乐区人民政府办公室", 1)
    text = text.replace("2024年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1)
    old = "\t四、结转下年度继续办理\n\t1\n"  # a cell per line: 自然人 first
    assert old in text
    return text.replace(old, f"\t四、结转下年度继续办理\n\t{carried}\n")


def test_previous_of_another_office_or_year_is_refused(tmp_path):
    rc, out, err = run(SEED_004, "--previous", SEED_003)
    assert rc == 2 and "E022" in out + err
    assert "汾西县人民政府办公室" in out + err and "福州市长乐区人民政府办公室" in out + err
    wrong_year = tmp_path / "2022.txt"
    wrong_year.write_text(as_last_year(SEED_003.read_text(encoding="utf-8"), 1).replace(
        "2023年政府信息公开工作年度报告", "2022年政府信息公开工作年度报告", 1), encoding="utf-8")
    rc, out, err = run(SEED_004, "--previous", wrong_year)
    assert rc == 2 and "2022 年度" in out + err and "应为 2023 年度" in out + err
    right = tmp_path / "2023.txt"
    right.write_text(as_last_year(SEED_003.read_text(encoding="utf-8"), 2), encoding="utf-8")
    rc, out, err = run(SEED_004, "--previous", right, "--select", "GX603")
    assert rc == 1 and "GX603" in out and "E022" not in out + err


def test_previous_being_the_report_itself_says_so(tmp_path):
    rc, out, err = run(SEED_004, "--previous", SEED_004)
    assert rc == 2 and "E022" in err and "就是被检查的报告本身" in err


def test_a_folder_of_years_pairs_each_report_with_its_predecessor(tmp_path):
    d = tmp_path / "长乐区"
    d.mkdir()
    (d / "2024.txt").write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "2023.txt").write_text(as_last_year(SEED_003.read_text(encoding="utf-8"), 2), encoding="utf-8")
    (d / "other-office.txt").write_text(SEED_003.read_text(encoding="utf-8"), encoding="utf-8")
    rc, out, err = run(d, "--format", "json", "--audit")
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(out)["files"]}
    gx603 = [f for f in files["2024.txt"]["findings"] if f["rule"] == "GX603"]
    assert len(gx603) == 1 and "2" in gx603[0]["message"]
    status = {a["rule"]: a["status"] for a in files["2024.txt"]["audit"]}
    assert status["GX603"] == "fail" and status["GX605"] != "not assessable"
    # no predecessor in the folder: not judged; 汾西县's 2024 report is not paired with 长乐区's 2023
    for name in ("2023.txt", "other-office.txt"):
        assert not [f for f in files[name]["findings"] if f["rule"] in ("GX603", "GX604", "GX605")]
        assert {a["rule"]: a["status"] for a in files[name]["audit"]}["GX603"] == "not assessable"
    # agreeing figures: nothing
    (d / "2023.txt").write_text(as_last_year(SEED_003.read_text(encoding="utf-8"), 1), encoding="utf-8")
    rc, out, err = run(d, "--format", "json")
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(out)["files"]}
    assert not [f for f in files["2024.txt"]["findings"] if f["rule"] == "GX603"]
