"""`gxlint --fix`, `--diff`, `--fix -o` and `--annotate` from the command line (the writers are
tested in test_writers.py): the input is untouched unless --fix is asked for a text file."""
import hashlib
import shutil
import subprocess
import sys
import zipfile

from conftest import SEEDS
from seeddocx import seed_docx

SEED004 = SEEDS / "004_aa4e2e269a40bca7.txt"
REMAINING = ["GX302", "GX302", "GX304"]  # 004 after its four fixable findings are fixed


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in p.stderr
    return p


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rules_of(stdout):
    return sorted(ln.split(": ")[2].split()[0] for ln in stdout.splitlines() if ": error: " in ln or ": warning: " in ln)


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path):
    r = tmp_path / "r.md"
    shutil.copy(SEED004, r)
    before = digest(r)
    p = run(r, "--diff")
    assert p.returncode == 1
    assert "-\t\t4. 保护第三方法权益" in p.stdout and "+\t\t4. 保护第三方合法权益" in p.stdout
    assert "+根据《中华人民共和国政府信息公开条例》（国务院令第711号）" in p.stdout
    assert digest(r) == before


def test_diff_exit_status_is_the_findings(tmp_path):
    """--diff prints what it prints (a diff, or a hint for a .docx), and the exit status and the
    summary are those of the findings, as without --diff: a .docx draft with 7 errors exits 1,
    a text report whose findings are all warnings exits 0 even with a diff, --exit-zero gives 0."""
    docx = seed_docx(SEED004, tmp_path / "draft.docx")
    p = run(docx, "--diff")
    assert p.returncode == 1 and p.stdout == "", p.stderr
    assert "--diff 只适用于 .txt/.md" in p.stderr and "发现 7 个问题（错误 7，" in p.stderr
    assert run(docx, "--diff", "--exit-zero").returncode == 0
    warn = tmp_path / "w.md"
    warn.write_text("# 某县2024年政府信息公开工作年度报告\n本年度按计划布署各项工作。\n", encoding="utf-8")  # GX502: a warning, fixable
    p = run(warn, "--diff", "--select", "GX502")
    assert p.returncode == 0 and "+本年度按计划部署各项工作。" in p.stdout, p.stdout + p.stderr
    assert run(warn, "--diff", "--select", "GX502", "--fail-on", "warning").returncode == 1
    clean = tmp_path / "clean.md"
    shutil.copy(next(SEEDS.glob("002_*.txt")), clean)
    p = run(clean, "--diff")
    assert p.returncode == 0 and p.stdout == "" and "未发现问题" in p.stderr


def test_a_copy_onto_its_input_is_refused_naming_the_option_used(tmp_path):
    """--annotate onto the draft itself says to give --annotate another file (not to use -o);
    --fix -o onto the draft names --fix -o.  The draft is untouched."""
    src = seed_docx(SEED004, tmp_path / "draft.docx")
    before = digest(src)
    p = run(src, "--annotate", src)
    assert p.returncode == 2 and "请为 --annotate 另指定一个文件" in p.stderr and " -o " not in p.stderr, p.stderr
    p = run(src, "--fix", "-o", src)
    assert p.returncode == 2 and "请为 --fix -o 另指定一个文件" in p.stderr, p.stderr
    assert digest(src) == before


def test_fix_rewrites_a_text_report_in_place_keeping_gb18030_and_crlf(tmp_path):
    r = tmp_path / "r.txt"
    r.write_bytes(SEED004.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gb18030"))
    p = run(r, "--fix")
    assert "已修复 4 处" in p.stderr
    assert rules_of(p.stdout) == REMAINING and p.returncode == 1
    text = r.read_bytes().decode("gb18030")
    assert "保护第三方合法权益" in text and "国务院令第711号" in text
    assert text.count("\r\n") == SEED004.read_text(encoding="utf-8").count("\n") and "\n" not in text.replace("\r\n", "")
    assert rules_of(run(r).stdout) == REMAINING  # nothing left to fix: the same findings


def test_fix_o_writes_a_docx_with_tracked_changes_and_keeps_the_input(tmp_path):
    src = seed_docx(SEED004, tmp_path / "draft.docx")
    before = digest(src)
    out = tmp_path / "fixed.docx"
    p = run(src, "--fix", "-o", out)
    assert digest(src) == before
    assert rules_of(p.stdout) == REMAINING and p.stdout.startswith(f"{out}:")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.count('w:author="gxlint"') >= 4 and "<w:ins " in xml and "<w:del " in xml


def test_fix_without_o_never_touches_a_docx(tmp_path):
    src = seed_docx(SEED004, tmp_path / "draft.docx")
    before = digest(src)
    p = run(src, "--fix")
    assert digest(src) == before and "请用 --fix -o" in p.stderr
    assert len(rules_of(p.stdout)) == 7


def test_annotate_writes_one_comment_per_finding(tmp_path):
    src = seed_docx(SEED004, tmp_path / "draft.docx")
    before = digest(src)
    out = tmp_path / "reviewed.docx"
    p = run(src, "--annotate", out)
    assert p.returncode == 1 and "7 条批注" in p.stderr
    assert digest(src) == before
    comments = zipfile.ZipFile(out).read("word/comments.xml").decode("utf-8")
    assert comments.count("<w:comment ") == 7 and comments.count('w:author="gxlint"') == 7


def test_usage_errors(tmp_path):
    r = tmp_path / "r.txt"
    shutil.copy(SEED004, r)
    for args, words in [((r, "-o", tmp_path / "x.txt"), "只能与 --fix"),
                        ((r, "--annotate", tmp_path / "x.docx"), "只能用于 .docx"),
                        ((tmp_path, "-o", tmp_path / "x.txt", "--fix"), "一次只处理一个"),
                        ((tmp_path, "--annotate", tmp_path / "x.docx"), "应给出目录"),
                        ((r, r, "--annotate", r), "应给出目录")]:
        p = run(*args)
        assert p.returncode == 2 and p.stderr.startswith("gxlint：错误：E022 ") and words in p.stderr


def test_annotate_a_folder_into_another(tmp_path):
    """A reviewer's batch: each .docx draft with findings comes back annotated, at its own relative path."""
    reports = tmp_path / "reports"
    (reports / "乡镇").mkdir(parents=True)
    faulty = seed_docx(SEED004, reports / "乡镇" / "a.docx")
    clean = seed_docx(next(SEEDS.glob("002_*.txt")), reports / "b.docx")
    text = reports / "c.txt"
    shutil.copy(SEED004, text)
    before = {p: digest(p) for p in (faulty, clean, text)}
    out = tmp_path / "back"
    p = run(reports, "--annotate", out)
    assert p.returncode == 1, p.stderr
    assert "写入 1 份报告的批注副本，共 7 条批注" in p.stderr and "1 份 .docx 没有问题" in p.stderr
    assert "1 份非 .docx 报告不能写入批注" in p.stderr
    assert sorted(x.relative_to(out).as_posix() for x in out.rglob("*") if x.is_file()) == ["乡镇/a.docx"]
    comments = zipfile.ZipFile(out / "乡镇" / "a.docx").read("word/comments.xml").decode("utf-8")
    assert comments.count("<w:comment ") == 7
    assert {p: digest(p) for p in before} == before  # inputs untouched
    # into the folder being linted: refused before anything is written
    p = run(reports, "--annotate", reports)
    assert p.returncode == 2 and "E022" in p.stderr and "不能覆盖报告本身" in p.stderr
    assert {p: digest(p) for p in before} == before
    # two named files with one name: refused, nothing written
    other = tmp_path / "x" / "a.docx"
    other.parent.mkdir()
    shutil.copy(faulty, other)
    p = run(faulty, other, "--annotate", tmp_path / "twice")
    assert p.returncode == 2 and "都会写到" in p.stderr and not (tmp_path / "twice").exists()
