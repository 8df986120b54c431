"""`gxlint --audit`: every rule's status for a report; silence only ever means "checked and fine"."""
import json
import subprocess
import sys

import pytest

from conftest import SEEDS
from seeddocx import seed_docx

SEED002 = SEEDS / "002_9e678f4fbfe67a94.txt"
SEED004 = SEEDS / "004_aa4e2e269a40bca7.txt"
NO_TABLE3 = "未识别到表格三：收到和处理政府信息公开申请情况"


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in p.stderr
    return p


def without_table3(text: str) -> str:
    """Seed 002 with every row of 表格三 deleted (its heading and prose kept)."""
    out, inside = [], False
    for line in text.split("\n"):
        if line.startswith("三、收到和处理"):
            inside = True
        elif line.startswith("四、"):
            inside = False
        elif inside and "\t" in line:
            continue
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("as_docx", [False, True], ids=["txt", "docx"])
def test_removed_table_makes_the_arithmetic_not_assessable(tmp_path, as_docx):
    text = without_table3(SEED002.read_text(encoding="utf-8"))
    if as_docx:
        path = seed_docx(SEED002, tmp_path / "r.docx", transform=lambda _: text)
    else:
        path = tmp_path / "r.txt"
        path.write_text(text, encoding="utf-8")
    p = run(path, "--audit", "--format", "json")
    (f,) = json.loads(p.stdout)["files"]
    assert [(x["rule"], x["category"]) for x in f["findings"]] == [("GX010", "structure")]
    assert NO_TABLE3 in f["findings"][0]["message"]
    audit = {a["rule"]: a for a in f["audit"]}
    for rule in ("GX301", "GX302", "GX303"):
        assert audit[rule]["status"] == "not assessable" and audit[rule]["reason"] == NO_TABLE3
    assert audit["GX304"]["status"] == "pass"  # 表格四 is there and balances
    assert audit["GX010"] == {"rule": "GX010", "name": "table-missing", "title": "缺少格式规定的统计表",
                              "status": "fail", "reason": "", "findings": 1}
    # the text output says the same, naming each rule in Chinese
    out = run(path, "--audit").stdout
    assert f"{path}: GX301 表格三各列申请数平衡 无法判断：{NO_TABLE3}" in out
    assert f"{path}: GX010 缺少格式规定的统计表 未通过（1 处）" in out
    assert "applications-column-balance" not in out


def test_audit_names_every_rule_by_its_chinese_title():
    from gxlint.engine import Linter

    titles = {r.id: r.doc.get("title") for r in Linter().all_rules}
    out = run(SEED004, "--audit").stdout
    lines = {line.split(" ")[1]: line for line in out.split("\n") if line.startswith(f"{SEED004}: GX")}
    assert set(lines) == set(titles)
    wrong = sorted(rid for rid, line in lines.items() if not titles[rid] or f" {rid} {titles[rid]} " not in line)
    assert not wrong, f"the audit does not show the Chinese title of {', '.join(wrong)}"
    (f,) = json.loads(run(SEED004, "--audit", "--format", "json").stdout)["files"]
    assert {a["rule"]: a["title"] for a in f["audit"]} == titles


def test_audit_of_a_faulty_seed_lists_every_rule_once(tmp_path):
    p = run(SEED004, "--audit", "--format", "json")
    (f,) = json.loads(p.stdout)["files"]
    listed = [a["rule"] for a in f["audit"]]
    assert len(listed) == len(set(listed))
    from gxlint.engine import Linter

    assert listed == [r.id for r in Linter().rules]
    failed = {a["rule"]: a["findings"] for a in f["audit"] if a["status"] == "fail"}
    assert failed == {"GX210": 1, "GX302": 2, "GX304": 1, "GX501": 3}
    not_assessable = {a["rule"] for a in f["audit"] if a["status"] == "not assessable"}
    assert not_assessable == {"GX603", "GX604", "GX605", "GX606"}  # last year's report; other reports
    # with last year's report they are judged
    last = tmp_path / "2023.txt"
    # 003's tables as 长乐区's 2023 report (--previous refuses another office's or year's report)
    last.write_text((SEEDS / "003_aec54f57ed4abe50.txt").read_text(encoding="utf-8")
                    .replace("汾西县人民政府办公室", "福州市长乐区人民政府办公室", 1).replace("2024年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1), encoding="utf-8")
    (f,) = json.loads(run(SEED004, "--audit", "--format", "json", "--previous", last).stdout)["files"]
    assert [a["rule"] for a in f["audit"] if a["status"] == "not assessable"] == ["GX606"]  # linted alone


def test_no_audit_section_unless_asked():
    (f,) = json.loads(run(SEED004, "--format", "json").stdout)["files"]
    assert "audit" not in f


@pytest.mark.slow
def test_audit_title_follows_the_rule_file_through_the_result_cache(tmp_path):
    """A cached result is not reused after a rule's Chinese title changed: the audit shows the new one."""
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = ("rules:\n  - id: GX901\n    name: fj-office-name\n    category: wording\n    severity: warning\n"
            "    message: 「{wrong}」应为「{right}」\n    kind: substitution\n    words: {政务公开股: 政务公开科}\n"
            "    doc: {title: TITLE, description: 本省的政务公开科室统一称政务公开科}\n")
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [rules]\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(SEED002.read_bytes())
    env = {**__import__("os").environ, "GXLINT_CACHE_DIR": str(tmp_path / "cache")}
    for title in ("科室名称", "政务公开科室名称"):
        (rules / "fj.yaml").write_text(rule.replace("TITLE", title), encoding="utf-8")
        p = subprocess.run([sys.executable, "-m", "gxlint", "--audit", "--select", "GX901", "r.txt"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
        assert "r.txt: GX901 " + title + " 通过" in p.stdout, p.stdout + p.stderr
