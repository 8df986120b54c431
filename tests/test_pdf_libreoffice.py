"""The PDF reader on PDFs exported by LibreOffice, as real published reports are.

The five seed reports (as .docx, tests/seeddocx.py) and examples/clean.docx are
turned into PDF by ``soffice`` (one run for all six files); each PDF must give
the findings of its .docx.  LibreOffice lets a table row break across pages
(「结果维」 at the foot of one page, 「持」 at the top of the next), wraps lines
before a long URL, and lays out cells without padding, unlike the reportlab
fixtures of test_pdf_reader.py.
"""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import systools
from conftest import SEED_FILES, cells, squash
from seeddocx import seed_docx

from gxlint.readers import layout, read

pytestmark = pytest.mark.slow  # LibreOffice exports the seeds to PDF

CLEAN = Path(__file__).resolve().parent.parent / "examples" / "clean.docx"
NAMES = [p.stem for p in SEED_FILES] + ["clean"]


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name -> (.docx, the .pdf LibreOffice exported from it)."""
    systools.require_office_cjk_pdf()  # before anything else: without a CJK font the PDFs read as garbage
    d = tmp_path_factory.mktemp("lo")
    docs = [seed_docx(seed, d / f"{seed.stem}.docx") for seed in SEED_FILES]
    docs.append(Path(shutil.copy(CLEAN, d / "clean.docx")))
    try:
        p = systools.soffice(["--convert-to", "pdf", "--outdir", str(d), *map(str, docs)], d / "profile")
    except subprocess.TimeoutExpired:
        pytest.fail("soffice did not convert the six .docx files within 300 s")
    out = {doc.stem: (doc, doc.with_suffix(".pdf")) for doc in docs}
    missing = [pdf.name for _, pdf in out.values() if not pdf.is_file()]
    assert not missing, (missing, p.returncode, p.stdout, p.stderr)
    return out


@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_findings_as_docx(name, converted, linter):
    docx, pdf = converted[name]
    got = linter.lint_path(str(pdf))
    assert got.error is None
    want = linter.lint_path(str(docx)).findings
    assert Counter(f.rule for f in got.findings) == Counter(f.rule for f in want), [
        (f.rule, f.location, f.excerpt) for f in got.findings]


@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_tables_and_paragraphs_as_docx(name, converted):
    """Rows cut by a page break are one row again; wrapped lines join into the docx's paragraphs."""
    docx, pdf = converted[name]
    want, got = read(str(docx)), read(str(pdf))
    assert [cells(t) for t in got.tables()] == [cells(t) for t in want.tables()]
    assert [squash(p.text) for p in got.paragraphs()] == [w for p in want.paragraphs() if (w := squash(p.shown))]


def test_clean_example_has_no_finding(converted, linter):
    """examples/clean.docx exported to PDF by LibreOffice (issue 25): not one finding."""
    got = linter.lint_path(str(converted["clean"][1]))
    assert got.error is None and not got.findings, [(f.rule, f.location, f.excerpt) for f in got.findings]
    assert len(read(str(converted["clean"][1])).tables()) == 3


def test_the_layout_does_cut_rows(converted, monkeypatch):
    """test_tables_and_paragraphs_as_docx proves the joining: LibreOffice does cut rows here."""
    cuts = []
    cut_row = layout._cut_row

    def spy(above, row):
        cuts.append(cut_row(above, row))
        return cuts[-1]

    monkeypatch.setattr(layout, "_cut_row", spy)
    for _, pdf in converted.values():
        read(str(pdf))
    assert sum(cuts) >= 5 and not all(cuts)  # rows cut, and rows kept apart at a page break
