"""The command line as a user runs it: output shape, exit codes, config, rule files, bad input."""
import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import SEEDS

FAULTY = SEEDS / "004_aa4e2e269a40bca7.txt"
CLEAN = SEEDS / "002_9e678f4fbfe67a94.txt"


def run(*args, cwd=None):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def test_default_output_lines_and_exit_1():
    rc, out, err = run(FAULTY)
    assert rc == 1
    lines = out.strip().split("\n")
    assert len(lines) == 7
    # path:line:col: severity: GX### message [location]
    import re

    for line in lines:
        assert re.match(rf"^{re.escape(str(FAULTY))}:\d+:\d+: error: GX\d{{3}} .+ \[.+\]$", line), line
    assert "发现 7 个问题" in err


def test_display_columns_count_cjk_twice():
    rc, out, _ = run(FAULTY, "--select", "GX210")
    # 「国务院令第七十一号」 starts at code point 21 of line 7; 20 CJK/fullwidth chars before it -> display col 41
    assert f"{FAULTY}:7:41: error: GX210" in out


def test_clean_report_exit_0():
    rc, out, err = run(CLEAN)
    assert rc == 0 and out == ""
    assert "未发现问题" in err


def test_json_shape():
    rc, out, _ = run("--format", "json", FAULTY)
    assert rc == 1
    doc = json.loads(out)
    assert doc["version"] == 2 and len(doc["files"]) == 1
    f = doc["files"][0]
    assert f["path"] == str(FAULTY) and f["error"] is None
    keys = {"rule", "category", "severity", "message", "line", "column", "end_line", "end_column", "character", "end_character",
            "excerpt", "location", "fix"}
    for finding in f["findings"]:
        assert set(finding) == keys
    first = f["findings"][0]
    assert first["rule"] == "GX210" and first["excerpt"] == "国务院令第七十一号"
    assert first["fix"]["replacement"] == "国务院令第711号"
    # screen columns (20 CJK/fullwidth characters before it: 41), as the text output prints;
    # code points for programs
    assert (first["line"], first["column"], first["end_column"]) == (7, 41, 59)
    assert (first["character"], first["end_character"]) == (21, 30)


def test_json_error_shape(tmp_path):
    bad = tmp_path / "empty.docx"
    bad.write_bytes(b"")
    rc, out, _ = run("--format", "json", bad)
    assert rc == 2
    f = json.loads(out)["files"][0]
    assert f["error"]["code"] == "E001" and f["findings"] == []


def test_select_ignore_and_categories():
    rc, out, _ = run(FAULTY, "--select", "arithmetic")
    assert {line.split(": ")[2].split()[0] for line in out.strip().split("\n")} == {"GX302", "GX304"}
    rc, out, _ = run(FAULTY, "--ignore", "arithmetic,wording,GX210")
    assert rc == 0 and out == ""


def test_unknown_selector_is_usage_error():
    rc, out, err = run(FAULTY, "--select", "GX999")
    assert rc == 2 and "E022" in err and "Traceback" not in err


def test_config_found_upward(tmp_path):
    (tmp_path / ".gxlint.yaml").write_text("ignore: [wording]\nseverity:\n  GX302: warning\n  arithmetic: info\n", encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    report = sub / "r.txt"
    report.write_bytes(FAULTY.read_bytes())
    rc, out, _ = run("--format", "json", report)
    findings = json.loads(out)["files"][0]["findings"]
    sev = {(f["rule"], f["severity"]) for f in findings}
    assert ("GX302", "warning") in sev and ("GX304", "info") in sev
    assert not any(f["category"] == "wording" for f in findings)


def test_broken_config_is_one_line_error(tmp_path):
    cfg = tmp_path / ".gxlint.yaml"
    cfg.write_text("select: [GX]\nignroe: [GX501]\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(CLEAN.read_bytes())
    rc, out, err = run(report)
    assert rc == 2
    assert "E020" in err and ".gxlint.yaml:2:1" in err and "ignore" in err
    assert "Traceback" not in err


def test_province_rule_dir(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fj.yaml").write_text(
        "rules:\n"
        "  - id: GX901\n    name: fj-office-name\n    category: wording\n    severity: warning\n"
        "    message: 「{wrong}」应为「{right}」\n    kind: substitution\n    words: {政务公开股: 政务公开科}\n",
        encoding="utf-8",
    )
    (tmp_path / ".gxlint.yaml").write_text("rule_dirs: [rules]\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes((SEEDS / "000_6c964df6ff835ea4.txt").read_bytes())
    rc, out, _ = run("--select", "GX901", report)
    assert "GX901 「政务公开股」应为「政务公开科」" in out


def test_rules_list():
    rc, out, _ = run("rules")
    assert rc == 0
    ids = [line.split()[0] for line in out.strip().split("\n")]
    assert len(ids) == len(set(ids)) >= 20
    assert "GX301" in ids and all(i.startswith("GX") for i in ids)


def test_rules_list_shows_chinese_category_severity_and_title():
    from gxlint.engine import Linter

    rc, out, _ = run("rules")
    lines = {line.split()[0]: line.split() for line in out.strip().split("\n")}
    rules = Linter().all_rules
    assert set(lines) == {r.id for r in rules}
    wrong = sorted(r.id for r in rules if " ".join(lines[r.id][3:]) != r.doc.get("title"))
    assert not wrong, f"gxlint rules does not show the Chinese title of {', '.join(wrong)}"
    assert lines["GX302"][:4] == ["GX302", "表格计算", "错误", "表格三各行总计"]
    assert lines["GX801"][1:3] == ["隐私", "错误"] and lines["GX013"][1:3] == ["结构", "警告"]
    assert "applications-row-total" not in out and "In every row" not in out


def test_rules_explain():
    rc, out, _ = run("rules", "--explain", "GX201")
    assert rc == 0 and "GB/T 9704-2012" in out and "会报告" in out


def test_rules_explain_chinese_first_english_after():
    from gxlint.engine import Linter

    rule = next(r for r in Linter().all_rules if r.id == "GX302")
    rc, out, _ = run("rules", "--explain", "gx302")
    assert rc == 0
    lines = out.split("\n")
    assert lines[0] == "GX302 表格三各行总计"
    assert "类别：表格计算" in lines[1] and "默认严重程度：错误" in lines[1]
    title, desc = out.index("表格三各行总计"), out.index(rule.doc["description"])
    english = out.index("English summary (for developers)")
    assert title < desc < english < out.index(rule.doc["summary"]) < out.index("提示信息") < out.index("依据") \
        < out.index("会报告") < out.index("不会报告")


@pytest.mark.slow
def test_rules_check_wants_chinese_title_and_description(tmp_path):
    body = ("rules:\n  - id: GX901\n    name: fj-office-name\n    category: wording\n    severity: warning\n"
            "    message: 「{wrong}」应为「{right}」\n    kind: substitution\n    words: {政务公开股: 政务公开科}\n")
    local = tmp_path / "fj.yaml"
    local.write_text(body, encoding="utf-8")
    rc, out, _ = run("rules", "check", local)  # a province's own file: a warning, still valid
    assert rc == 0 and f"{local}:2:5: 警告：规则缺少 doc.title" in out and "doc.description" in out
    local.write_text(body + "    doc: {title: fj office, description: 政务公开股应为政务公开科}\n", encoding="utf-8")
    rc, out, _ = run("rules", "check", local)  # given, it must be Chinese
    assert rc == 1 and "doc.title（中文名称）应是中文文字" in out
    local.write_text(body + "    doc: {title: 科室名称, description: 政务公开股应为政务公开科}\n", encoding="utf-8")
    rc, out, _ = run("rules", "check", local)  # without examples to check it by: a warning
    assert rc == 0 and f"{local}:9:5: 警告：规则 GX901 缺少 doc.triggers 示例" in out and "doc.passes" in out
    local.write_text(body + "    doc: {title: 科室名称, description: 政务公开股应为政务公开科, triggers: 联系政务公开股,"
                            " passes: 联系政务公开科}\n", encoding="utf-8")
    rc, out, _ = run("rules", "check", local)
    assert rc == 0 and "警告" not in out
    # the same rule in the built-in pack without them is an error
    from gxlint.rule import load_yaml, validate_rules

    local.write_text(body, encoding="utf-8")
    _, problems = validate_rules(load_yaml(str(local)), str(local), {}, builtin=True)
    assert [m for _, _, m in problems if "doc.title" in m or "doc.description" in m] and len(problems) == 2


def test_rules_check_points_at_mistakes(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rules:\n"
        "  - id: GX9001\n"            # line 2: bad id
        "    category: wordng\n"      # line 3: bad category
        "    severity: fatal\n"       # line 4
        "    message: x {nope}\n"     # line 5: unknown placeholder
        "    kind: substitution\n"
        "    wrods: {a: b}\n",        # line 7: unknown param
        encoding="utf-8",
    )
    rc, out, _ = run("rules", "check", bad)
    assert rc == 1
    assert f"{bad}:2:9:" in out and "GX9001" in out
    assert f"{bad}:3:15:" in out and "wording" in out  # did-you-mean
    assert f"{bad}:4:15:" in out
    assert f"{bad}:5:14:" in out and "nope" in out
    assert f"{bad}:7:5:" in out and "words" in out


def test_rules_check_empty_word(tmp_path):
    """An empty wrong word would match everywhere: the pack is refused."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rules:\n  - id: GX901\n    name: empty-word\n    category: wording\n    severity: warning\n"
        "    message: 「{wrong}」应为「{right}」\n    kind: substitution\n    words: {'': 部署, 布署: 部署}\n",
        encoding="utf-8",
    )
    rc, out, _ = run("rules", "check", bad)
    assert rc == 1 and "错误写法不能为空" in out, out


def test_rules_check_yaml_syntax(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: GX900\n   category: x\n", encoding="utf-8")
    rc, out, _ = run("rules", "check", bad)
    assert rc == 1 and f"{bad}:3:" in out and "YAML" in out


@pytest.mark.slow
def test_rules_check_builtin_pack_is_valid():
    from gxlint.engine import builtin_rule_dir, rule_files

    rc, out, err = run("rules", "check", *rule_files([builtin_rule_dir()]))
    assert rc == 0, out


def test_folder_is_linted_sorted_and_lock_files_skipped(tmp_path):
    (tmp_path / "b.txt").write_bytes(FAULTY.read_bytes())
    (tmp_path / "a.md").write_bytes(CLEAN.read_bytes())
    (tmp_path / "~$draft.docx").write_bytes(b"\x00lock")
    rc, out, _ = run("--format", "json", tmp_path)
    paths = [os.path.basename(f["path"]) for f in json.loads(out)["files"]]
    assert paths == ["a.md", "b.txt"] and rc == 1


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


BAD_INPUTS = {
    "empty.docx": (lambda p: p.write_bytes(b""), "E001"),
    "empty.txt": (lambda p: p.write_bytes(b""), "E001"),
    "notzip.docx": (lambda p: p.write_text("这不是 Word 文件", encoding="utf-8"), "E005"),
    "truncated.docx": (None, "E005"),
    "legacy.doc": (None, "E003"),
    "encrypted.docx": (None, "E002"),
    "badxml.docx": (None, "E008"),
    "binary.txt": (lambda p: p.write_bytes(bytes(range(256)) * 8), "E012"),
    "big5.txt": (lambda p: p.write_bytes("政府資訊公開工作年度報告，統計期限為全年。".encode("big5") * 3), "E011"),
    "report.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n"), "E016"),
    "report.rtf": (lambda p: p.write_bytes(b"{\\rtf1 }"), "E010"),
}


def _make(name, path, tmp_path):
    maker = BAD_INPUTS[name][0]
    if maker is not None:
        maker(path)
        return
    from hostile import make_cfb

    if name == "truncated.docx":
        good = tmp_path / "good.docx"
        from docxbuild import build_docx

        build_docx([("para", "正文")], good)
        path.write_bytes(good.read_bytes()[:500])
    elif name == "legacy.doc":
        path.write_bytes(make_cfb({"WordDocument": b"\x00" * 64}))
    elif name == "encrypted.docx":
        path.write_bytes(make_cfb({"EncryptionInfo": b"\x00" * 64, "EncryptedPackage": b"\x00" * 64}))
    elif name == "badxml.docx":
        _zip(path, {"[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
                    "word/document.xml": "<w:document xmlns:w='x'><w:body><w:p></w:body>"})


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_unreadable_input_one_line_and_exit_2(name, tmp_path):
    path = tmp_path / name
    _make(name, path, tmp_path)
    rc, out, err = run(path)
    assert rc == 2
    assert "Traceback" not in err + out
    lines = out.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith(f"{path}: error: {BAD_INPUTS[name][1]} "), out


def test_bad_file_does_not_stop_the_batch(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(FAULTY.read_bytes())
    rc, out, err = run("--format", "json", tmp_path)
    files = json.loads(out)["files"]
    assert rc == 1  # the batch was checked; an unreadable file fails it like an error finding
    assert files[0]["error"]["code"] == "E001" and len(files[1]["findings"]) == 7
    rc, out, err = run(tmp_path / "a.docx")
    assert rc == 2  # nothing could be checked at all


def test_input_never_modified(tmp_path):
    report = tmp_path / "r.txt"
    report.write_bytes(FAULTY.read_bytes())
    before = report.read_bytes(), os.stat(report).st_mtime_ns
    run(report)
    assert (report.read_bytes(), os.stat(report).st_mtime_ns) == before


# --------------------------------------------------------------------------- standard input
EXAMPLES = SEEDS.parent.parent / "examples"


def feed(data: bytes, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], input=data, capture_output=True,
                          cwd=cwd)


def finding_lines(stdout: bytes, name: str) -> list[str]:
    lines = stdout.decode("utf-8").splitlines()
    assert lines and all(line.startswith(f"{name}:") for line in lines)
    return [line[len(name):] for line in lines]


@pytest.mark.parametrize("example, name", [("faulty.md", None), ("faulty.docx", "reports/draft.docx")])
def test_a_report_on_standard_input(example, name, tmp_path):
    path = EXAMPLES / example
    rc, out, _ = run(path)
    piped = feed(path.read_bytes(), "-", *(("--stdin-filename", name) if name else ()), cwd=tmp_path)
    assert piped.returncode == rc == 1
    assert finding_lines(piped.stdout, name or "-") == finding_lines(out.encode("utf-8"), str(path))


def test_standard_input_follows_the_config_of_its_name(tmp_path):
    (tmp_path / ".gxlint.yaml").write_text('per_file_ignores:\n  "乡镇/*": [GX302]\n', encoding="utf-8")
    data = FAULTY.read_bytes()
    inside = feed(data, "-", "--stdin-filename", "乡镇/a.txt", cwd=tmp_path).stdout.decode("utf-8")
    outside = feed(data, "-", "--stdin-filename", "b.txt", cwd=tmp_path).stdout.decode("utf-8")
    assert "GX302" not in inside and "GX501" in inside and "GX302" in outside


def test_standard_input_errors(tmp_path):
    p = feed(b"", "-", "--stdin-filename", "a.docx", cwd=tmp_path)
    assert p.returncode == 2 and p.stdout.decode("utf-8").startswith("a.docx: error: E001")
    for args, words in [(("-", FAULTY), "不能与其他文件一起"), (("-", "--fix"), "不能用于标准输入"),
                        ((FAULTY, "--stdin-filename", "x.md"), "只能与「-」")]:
        p = feed(b"", *args, cwd=tmp_path)
        err = p.stderr.decode("utf-8")
        assert p.returncode == 2 and err.startswith("gxlint：错误：E022 ") and words in err and "Traceback" not in err


@pytest.mark.parametrize("files", [{"统计表.xlsx": b"PK\x03\x04"}, {"~$报告.docx": b"\x00lock", "~$年报.doc": b"\x00"}, {}],
                         ids=["spreadsheet", "word-lock-files", "empty"])
def test_a_folder_without_a_report_is_an_error_not_a_clean_run(tmp_path, files):
    """A folder holding no report (a spreadsheet, Word's lock files of a report open elsewhere, nothing)
    says no report was found and exits 2 (as Ruff does when it finds no file to check), instead of
    「检查了 0 个文件，未发现问题」 and 0, in every output format."""
    d = tmp_path / "报告"
    d.mkdir()
    for name, data in files.items():
        (d / name).write_bytes(data)
    for fmt in ("text", "json"):
        rc, out, err = run(d, "--format", fmt)
        assert rc == 2 and out == "" and "E023" in err and "没有找到报告文件" in err and str(d) in err, err
        assert "未发现问题" not in err and "Traceback" not in err
    (tmp_path / ".gxlint.yaml").write_text('exclude: ["*"]\n', encoding="utf-8")  # every report excluded
    (d / "年报.md").write_text("# 某县2024年政府信息公开工作年度报告\n", encoding="utf-8")
    rc, out, err = run(d)
    assert rc == 2 and "include/exclude" in err, err
    rc, out, err = run(d / "年报.md")  # a file named on the command line is always linted
    assert rc == 1 and "GX001" in out and "E023" not in err
