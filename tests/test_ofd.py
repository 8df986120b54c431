"""Tests for gxlint.readers.ofd: OFD reports (GB/T 33190) written by tests/ofdbuild.py.

Each seed report becomes an OFD laid out as its PDF (tests/pdfbuild.py) is: text
runs placed on pages, table rules as PathObjects; the reader must give the
.docx's paragraphs, table grids and findings.  Broken and encrypted OFDs give one
E0xx line.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections import Counter

import pytest
from conftest import SEED_FILES
from ofdbuild import NS, encrypted_ofd, ofd_from_pdf, seed_ofd, write_ofd
from pdfbuild import build_pdf
from seeddocx import seed_docx

from gxlint.errors import InputError
from gxlint.model import Table
from gxlint.readers import read

SMALL = [
    ("title", "XX市司法局2024年政府信息公开工作年度报告"),
    ("heading", 1, "总体情况"),
    ("para", "本年度共收到政府信息公开申请12件，均已按期答复。"),
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cells(table: Table) -> list[tuple]:
    return [(c.row, c.column, c.rowspan, c.colspan, squash(c.text)) for row in table.rows for c in row]


def run_cli(*args):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """seed name -> (.docx, .ofd)."""
    d = tmp_path_factory.mktemp("ofd")
    return {seed.name: (seed_docx(seed, d / f"{seed.stem}.docx"), seed_ofd(seed, d / f"{seed.stem}.ofd"))
            for seed in SEED_FILES}


# --------------------------------------------------------------------------- the seeds
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_ofd_findings_as_docx(seed, seeds, linter, expected):
    docx, ofd = seeds[seed.name]
    got = linter.lint_path(str(ofd))
    assert got.error is None
    want = linter.lint_path(str(docx)).findings
    assert Counter(f.rule for f in got.findings) == Counter(f.rule for f in want), [
        (f.rule, f.location, f.excerpt) for f in got.findings]
    serious = Counter(f.rule for f in got.findings if f.severity in ("error", "warning"))
    assert serious == Counter(w["rule"] for w in expected[seed.name])
    for w in expected[seed.name]:
        if "excerpt" in w:
            assert any(f.rule == w["rule"] and w["excerpt"] in f.excerpt for f in got.findings), w


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_paragraphs_and_tables_as_docx(seed, seeds):
    docx, ofd = seeds[seed.name]
    want, got = read(str(docx)), read(str(ofd))
    assert got.format == "ofd"
    assert [squash(p.text) for p in got.paragraphs()] == [w for p in want.paragraphs() if (w := squash(p.shown))]
    assert [cells(t) for t in got.tables()] == [cells(t) for t in want.tables()]


def test_the_fixture_is_runs_and_rules(seeds):
    """The OFD holds text runs (not a glyph each) and PathObject rules; no PDF inside."""
    with zipfile.ZipFile(seeds[SEED_FILES[4].name][1]) as z:
        names = z.namelist()
        page = z.read("Doc_0/Pages/Page_5/Content.xml").decode()
    assert all(not n.endswith(".pdf") for n in names)
    runs = re.findall(r"<ofd:TextCode[^>]*>([^<]*)<", page)
    assert page.count("<ofd:PathObject") > 50 and max(len(r) for r in runs) > 10


def test_location_names_the_page(seeds):
    path = seeds[SEED_FILES[4].name][1]
    rc, out, _ = run_cli(path, "--select", "GX302,GX210")
    assert rc == 1
    lines = out.strip().split("\n")
    assert len(lines) == 3
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: error: GX\d{{3}} .+ \[第\d+页 .+\]$", line), line
    assert any("[第6页 第三部分 表格三 第17行" in ln for ln in lines)


def test_wrapped_lines_join_and_rules_make_a_table(tmp_path):
    pdf = tmp_path / "small.pdf"
    build_pdf([*SMALL, ("table", [["项目", "数量"], ["申请", "12"]])], pdf)
    doc = read(str(ofd_from_pdf(pdf, tmp_path / "small.ofd")))
    assert [p.text for p in doc.paragraphs()] == [
        "XX市司法局2024年政府信息公开工作年度报告", "一、总体情况", "本年度共收到政府信息公开申请12件，均已按期答复。"]
    assert [cells(t) for t in doc.tables()] == [
        [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 1, 1, "申请"), (1, 1, 1, 1, "12")]]
    # without its rules the same text is no table: the rules are what the reader reads
    bare = read(str(ofd_from_pdf(pdf, tmp_path / "bare.ofd", rules=False)))
    assert not bare.tables()


# --------------------------------------------------------------------------- bad OFDs
def _one_error(path, code):
    rc, out, err = run_cli(path)
    assert rc == 2, (out, err)
    assert out.count("\n") == 1 and out.startswith(f"{path}: error: {code} "), out
    assert "Traceback" not in err
    return out


def test_encrypted_is_e018(tmp_path):
    assert "加密" in _one_error(encrypted_ofd(tmp_path / "secret.ofd"), "E018")


def test_scan_without_text_is_e014(tmp_path):
    path = write_ofd([['<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="9"/>']], tmp_path / "scan.ofd")
    assert "没有文字" in _one_error(path, "E014")


def test_truncated_is_e017(tmp_path):
    pdf = tmp_path / "small.pdf"
    build_pdf(SMALL, pdf)
    data = ofd_from_pdf(pdf, tmp_path / "whole.ofd").read_bytes()
    path = tmp_path / "cut.ofd"
    path.write_bytes(data[:len(data) // 2])
    _one_error(path, "E017")


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b"%PDF-1.7 not an OFD"),
    lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w/>"),
    lambda p: write_ofd([["<ofd:TextObject ID='1' Boundary='0 0 1 1'><ofd:TextCode>x"]], p),
    lambda p: write_ofd([[]], p, document=f'<ofd:Document xmlns:ofd="{NS}"/>'.encode()),
], ids=["not-zip", "no-ofd-xml", "bad-xml", "no-pages"])
def test_corrupt_is_e017_never_a_traceback(tmp_path, make):
    path = tmp_path / "bad.ofd"
    make(path)
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E017", e.value


def test_empty_file_is_e001(tmp_path):
    path = tmp_path / "empty.ofd"
    path.write_bytes(b"")
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E001"


def test_ofdkit_only_for_ofd():
    code = ("import sys; from gxlint.engine import Linter; "
            f"Linter().lint_path({str(SEED_FILES[0])!r}); print('ofdkit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
