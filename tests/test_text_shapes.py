"""Every way a table reaches text (issue 25): a report saved as text by Word, WPS or LibreOffice,
or copied out of a PDF, reads as the .docx it came from.

The inputs are real: examples/clean.docx and the seeds as .docx (tests/seeddocx.py: Word tables
with merged header cells, Word-numbered headings), saved as text the way each program writes it
(tests/textshapes.py: Word's tab rows; a cell a line with no blank line between rows, as WPS and
LibreOffice write it; LibreOffice's own ``--convert-to txt``), and exported to PDF by LibreOffice,
whose text is taken as ``pdftotext -layout``, plain ``pdftotext`` and a PDFium viewer's copy give
it.  clean gives no finding; each seed gives exactly its findings (tests/seeds/expected.yaml),
except what its text cannot carry (below, with the reason).
"""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import systools
import textshapes
from conftest import SEED_FILES
from seeddocx import seed_docx

from gxlint.model import Table
from gxlint.readers.text import parse_text

CLEAN = Path(__file__).resolve().parent.parent / "examples" / "clean.docx"
NAMES = [p.stem for p in SEED_FILES] + ["clean"]
# Rules about a table's contents: none of them may judge a table the reader could not read.
TABLE_RULES = {"GX011", "GX012", "GX013", "GX014", "GX301", "GX302", "GX303", "GX304", "GX404", "GX501"}


def serious(findings) -> Counter:
    return Counter(f.rule for f in findings if f.severity in ("error", "warning"))


def want(name: str, expected) -> Counter:
    return Counter(w["rule"] for w in expected[f"{name}.txt"]) if name != "clean" else Counter()


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("docx")
    out = {seed.stem: seed_docx(seed, d / f"{seed.stem}.docx") for seed in SEED_FILES}
    out["clean"] = Path(shutil.copy(CLEAN, d / "clean.docx"))
    return out


def _lint(linter, tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    got = linter.lint_path(str(path))
    assert got.error is None
    return got.findings


# --------------------------------------------------------------------------- saved as text

SAVED = {
    "word": textshapes.word_text,  # a row a line, cells parted by tabs
    "wps": textshapes.cell_lines,  # a cell a line, no blank line between rows
    "cells-covered-empty": lambda p: textshapes.cell_lines(p, covered=""),  # a covered cell an empty line
}


@pytest.mark.parametrize("shape", SAVED)
@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_saved_as_text_reads_as_the_docx(name, shape, docs, linter, expected, tmp_path):
    findings = _lint(linter, tmp_path, name, SAVED[shape](docs[name]))
    assert serious(findings) == want(name, expected), [(f.rule, f.line, f.message) for f in findings]
    if name == "clean":
        assert findings == []
    for w in expected.get(f"{name}.txt", []):
        if "excerpt" in w:
            assert any(f.rule == w["rule"] and w["excerpt"] in f.excerpt for f in findings), w


@pytest.fixture(scope="module")
def libreoffice(docs, tmp_path_factory) -> dict[str, str]:
    """name -> the .docx saved as text by LibreOffice (``soffice --convert-to txt:Text``)."""
    if reason := systools.office_missing():
        pytest.skip(reason)
    d = tmp_path_factory.mktemp("lo-txt")
    try:
        systools.soffice(["--convert-to", "txt:Text", "--outdir", str(d), *map(str, docs.values())], d / "profile")
    except subprocess.TimeoutExpired:
        pytest.fail("soffice did not convert the six .docx files within 300 s")
    return {name: (d / f"{name}.txt").read_text(encoding="utf-8-sig") for name in docs}


@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_libreoffice_text_reads_as_the_docx(name, libreoffice, linter, expected, tmp_path):
    text = libreoffice[name]
    assert "\t" not in text and "第二十条第（一）项\n信息内容\n" in text  # a cell a line, no blank line between rows
    findings = _lint(linter, tmp_path, name, text)
    assert serious(findings) == want(name, expected), [(f.rule, f.line, f.message) for f in findings]
    if name == "clean":
        assert findings == []  # issue 25: three times 「table missing」 before


def test_libreoffice_text_tables_are_the_docx_tables(libreoffice, docs):
    """Row by row, the cells LibreOffice's text holds are those of the .docx's tables (without
    the cells a merge covers), in order."""
    from gxlint.engine import Linter
    from gxlint.readers import read

    text_tables = [t for t in parse_text(libreoffice["clean"], formats=Linter().formats).blocks if isinstance(t, Table)]
    docx_tables = read(str(docs["clean"])).tables()
    assert len(text_tables) == len(docx_tables) == 3
    for got, want_t in zip(text_tables, docx_tables):
        want_cells = [c.text.replace("\n", "") for r in want_t.rows for c in r if c.text.strip()]
        assert [c.text.replace("\n", "") for r in got.rows for c in r] == want_cells
    applications = text_tables[1]
    total = next(r for r in applications.rows if r[0].text == "（七）总计")
    assert [c.text for c in total] == ["（七）总计", "14", "0", "2", "0", "0", "0", "16"]


# --------------------------------------------------------------------------- copied out of a PDF

@pytest.fixture(scope="module")
def pdfs(docs, tmp_path_factory) -> dict[str, Path]:
    systools.require_office_cjk_pdf()
    d = tmp_path_factory.mktemp("lo-pdf")
    try:
        systools.soffice(["--convert-to", "pdf", "--outdir", str(d), *map(str, docs.values())], d / "profile")
    except subprocess.TimeoutExpired:
        pytest.fail("soffice did not convert the six .docx files within 300 s")
    return {name: d / f"{name}.pdf" for name in docs}


def _pdf_text(pdf: Path, how: str) -> str:
    if how == "pdfium":
        return textshapes.pdfium_text(pdf)
    if reason := textshapes.pdftotext_missing():
        pytest.skip(reason)
    return textshapes.pdftotext(pdf, layout=how == "pdftotext-layout")


# What a seed's PDF text cannot carry: the seed 000's statistics period wraps at the line end
# between 「1 月 1」 and 「日」 (PDF text keeps a line a paragraph: the date is judged cut).
WRAPPED = {"000_6c964df6ff835ea4": Counter({"GX109": 1})}


@pytest.mark.parametrize("how", ["pdftotext-layout", "pdfium"])
@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_pdf_text_reads_as_the_docx(name, how, pdfs, linter, expected, tmp_path):
    """Labels broken over lines (even around their row's numbers), header cells stacked a
    character a line, titles as lines above the figures: read by the format's labels."""
    findings = _lint(linter, tmp_path, name, _pdf_text(pdfs[name], how))
    assert serious(findings) == want(name, expected) + WRAPPED.get(name, Counter()), [
        (f.rule, f.line, f.message) for f in findings if f.severity != "info"]


@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_pdf_text_listed_column_by_column_is_said_once(name, pdfs, linter, expected, tmp_path):
    """Plain pdftotext lists a table's cells column by column: labels and numbers come apart.
    Such a table is never guessed at: one GX028 a table, and no finding on its contents."""
    findings = _lint(linter, tmp_path, name, _pdf_text(pdfs[name], "pdftotext"))
    got = serious(findings)
    assert 1 <= got["GX028"] <= 3
    assert not set(got) & (TABLE_RULES | {"GX010"}), [(f.rule, f.message) for f in findings]
    rest = got - Counter({"GX028": got["GX028"]})
    assert rest <= want(name, expected) + WRAPPED.get(name, Counter()), [(f.rule, f.message) for f in findings]
