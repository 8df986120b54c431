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


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_libreoffice_text_reads_as_the_docx(name, libreoffice, linter, expected, tmp_path):
    text = libreoffice[name]
    assert "\t" not in text and "第二十条第（一）项\n信息内容\n" in text  # a cell a line, no blank line between rows
    findings = _lint(linter, tmp_path, name, text)
    assert serious(findings) == want(name, expected), [(f.rule, f.line, f.message) for f in findings]
    if name == "clean":
        assert findings == []  # issue 25: three times 「table missing」 before


@pytest.mark.slow
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


# Prose wrapped at the page width is judged with a paragraph's lines joined (kinds/_text.joined):
# seed 000's statistics period cut between 「1 月 1」 and 「日」 is no GX109, 002's (and clean's)
# 「请与上犹县人民」 / 「政府办公室联系」 keeps its verb (no GX508).
WRAPPED: dict = {}


@pytest.mark.slow
@pytest.mark.parametrize("how", ["pdftotext-layout", "pdfium"])
@pytest.mark.parametrize("name", NAMES, ids=lambda n: n[:3])
def test_pdf_text_reads_as_the_docx(name, how, pdfs, linter, expected, tmp_path):
    """Labels broken over lines (even around their row's numbers), header cells stacked a
    character a line, titles as lines above the figures: read by the format's labels."""
    findings = _lint(linter, tmp_path, name, _pdf_text(pdfs[name], how))
    assert serious(findings) == want(name, expected) + WRAPPED.get(name, Counter()), [
        (f.rule, f.line, f.message) for f in findings if f.severity != "info"]


@pytest.mark.slow
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


# --------------------------------------------------------------------------- flattened on a web page

CORPUS = Path(__file__).resolve().parent / "corpus" / "openings"
WITH_TABLES = sorted(p for p in CORPUS.glob("*.html") if b"<table" in p.read_bytes())


@pytest.mark.parametrize("how", ["cells", "rows"])
@pytest.mark.parametrize("page", WITH_TABLES, ids=lambda p: p.name[:2])
def test_table_flattened_on_a_web_page_reads_as_the_table(page, how, linter, tmp_path):
    """A published page (tests/corpus) whose tables are flattened into paragraphs, a cell a
    paragraph or a row a paragraph: the same findings as the page with its tables (the trial
    format's labels, misspelt headers and blank cells included)."""
    flat = tmp_path / page.name
    flat.write_text(textshapes.html_flattened(page, how), encoding="utf-8")
    assert "<table" not in flat.read_text(encoding="utf-8")
    want_rules = Counter(f.rule for f in linter.lint_path(str(page)).findings)
    got = linter.lint_path(str(flat))
    assert got.error is None
    assert Counter(f.rule for f in got.findings) == want_rules, [(f.rule, f.message) for f in got.findings]


# --------------------------------------------------------------------------- a web page's grid as text

@pytest.mark.parametrize("sep", [" | ", "\t"], ids=["pipes", "tabs"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_grid_with_empty_merged_places_reads_as_the_seed(seed, sep, linter, expected, tmp_path):
    """The seed as a web page (real merged header cells), its tables as text keeping the grid: a
    merged cell's other places empty (「 |  |  | 自然人 | 法人或其他组织 |  |  |  |  | 总计」),
    rows that start or end with a pipe, no blank line around a table."""
    from htmlbuild import seed_html

    page = seed_html(seed, tmp_path / f"{seed.stem}.html")
    text = textshapes.html_grid_text(page, sep)
    assert f"{sep}{sep.strip() and sep}" in text or sep == "\t"  # empty places are there
    findings = _lint(linter, tmp_path, seed.stem, text)
    assert serious(findings) == want(seed.stem, expected), [(f.rule, f.line, f.message) for f in findings]


# --------------------------------------------------------------------------- read by what it contains

def _as_markdown(text: str) -> str:
    """The seed in Markdown: 「#」 before the title, 「##」 before each part's heading, each table a
    pipe table (a row of the table as the text reader finds it a Markdown row)."""
    from gxlint.engine import Linter
    from gxlint.report import build_report

    formats = Linter().formats
    rep = build_report(parse_text(text, formats=formats), formats)
    lines = text.split("\n")
    for h in rep.headings:
        lines[h.paragraph.line - 1] = "## " + lines[h.paragraph.line - 1].strip()
    if rep.title is not None:
        lines[rep.title.line - 1] = "# " + lines[rep.title.line - 1].strip()
    for t in reversed([b for b in parse_text(text).blocks if isinstance(b, Table)]):
        end = max(c.line + c.text.count("\n") for r in t.rows for c in r)
        width = max(len(r) for r in t.rows)
        rows = ["| " + " | ".join([c.text.replace("\n", "") for c in r] + [""] * (width - len(r))) + " |" for r in t.rows]
        lines[t.line - 1:end] = ["", rows[0], "|" + "---|" * width, *rows[1:], ""]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", [p for p in SEED_FILES if p.name[:3] in ("002", "004")], ids=lambda p: p.name[:3])
def test_markdown_in_a_txt_and_plain_text_in_a_md(seed, linter, expected, tmp_path):
    text = seed.read_text(encoding="utf-8")
    md = _as_markdown(text)
    assert ("\n# " in md or md.startswith("# ")) and "\n## " in md and "|---|" in md
    for name, body in ((f"{seed.stem}.txt", md), (f"{seed.stem}.md", text)):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        got = linter.lint_path(str(path)).findings
        assert serious(got) == want(seed.stem, expected), (name, [(f.rule, f.message) for f in got])
    doc = parse_text(md)
    assert doc.format == "markdown" and len(doc.tables()) >= 3 and all(t.grid for t in doc.tables())
    assert any(p.heading_level == 1 for p in doc.paragraphs()) and sum(p.heading_level == 2 for p in doc.paragraphs()) >= 5


# --------------------------------------------------------------------------- read, or said once

def _spaced(docx: Path) -> str:
    """A report as text copied out of a PDF often is: a row a line, its cells parted by a space."""
    return "\n".join(" ".join(c for c in ln.split("\t") if c) for ln in textshapes.word_text(docx).split("\n"))


def test_header_cells_run_together(docs, linter, expected, tmp_path):
    """表格四's header cells run together (「结果维持结果纠正其他结果尚未审结总计」), the numbers on
    one line: read, and seed 004's 行政复议 total is still caught (GX304)."""
    name = "004_aa4e2e269a40bca7"
    text = _spaced(docs[name])
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("行政复议 行政诉讼"))
    block = ["行政复议 行政诉讼", "结果维持结果纠正其他结果尚未审结总计 未经复议直接起诉 复议后起诉",
             "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"]
    numbers = next(i for i in range(k, len(lines)) if lines[i][:1].isdigit())
    text = "\n".join(lines[:k] + block + lines[numbers:])
    findings = _lint(linter, tmp_path, name, text)
    assert serious(findings) == want(name, expected), [(f.rule, f.message) for f in findings]
    review = [t for t in parse_text(text, formats=linter.formats).tables() if t.rows[0][0].text == "行政复议"][0]
    assert [c.text for c in review.rows[0]][2:7] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [c.text for c in review.rows[1]] == ["1"] + ["0"] * 14


@pytest.mark.parametrize("name", ["002_9e678f4fbfe67a94", "004_aa4e2e269a40bca7"], ids=["002", "004"])
def test_a_row_label_that_spells_no_label_is_said_once(name, docs, linter, expected, tmp_path):
    """A row label whose fragments spell no label of the format (「4.保」 / 「护 0 0 …」, the rest
    clipped by its cell): its numbers are placed under no row; one GX028 names the row, no row is
    missing (GX011), no fragment is a heading (GX001, GX020) or a doubled word (GX504)."""
    lines = _spaced(docs[name]).split("\n")
    k = next(i for i, ln in enumerate(lines) if "保护第三方" in ln and ln.split()[-1].isdigit())
    parts = lines[k].split(" ")
    numbers = parts[next(i for i, x in enumerate(parts) if x.isdigit()):]
    lines[k:k + 1] = ["4.保", "护 " + " ".join(numbers)]  # the rest of the label clipped by its cell
    findings = _lint(linter, tmp_path, name, "\n".join(lines))
    got = serious(findings)
    assert got["GX028"] == 1 and "行标签为空" in next(f.message for f in findings if f.rule == "GX028")
    assert not {"GX001", "GX011", "GX012", "GX013", "GX020", "GX504"} & set(got), [(f.rule, f.message) for f in findings]
    mislabelled = Counter({"GX501": 1}) if name.startswith("004") else Counter()  # 「保护第三方法权益」 is gone
    assert got - Counter({"GX028": 1}) == want(name, expected) - mislabelled, [(f.rule, f.message) for f in findings]


def test_pattern_rules_read_a_wrapped_paragraph_joined(linter):
    """A sentence a PDF wrapped at the page width is judged whole by rules of kind ``pattern``:
    the verb on the next line counts, and a mistake that runs over the line's end is still found."""
    from gxlint.readers.text import parse_text

    head = "# 某县2024年政府信息公开工作年度报告\n\n"
    ok = head + "本报告电子版可在某县人民政府网站下载。如对本报告有任何疑问，请与某县人民\n政府办公室联系（电话：0797-8542306）。\n"
    bad = head + "本报告电子版可在某县人民政府网站下载。如对本报告有任何疑问，请与某县人民\n政府办公室（地址：某县某路1号，电话：0797-8542306）。\n"
    found = lambda text: [f for f in linter.lint_document(parse_text(text, "x.txt"), fragment=True) if f.rule == "GX508"]  # noqa: E731
    assert found(ok) == []
    got = found(bad)
    assert len(got) == 1 and got[0].line == 3 and got[0].excerpt.startswith("如对本报告有任何疑问，请与某县人民")
