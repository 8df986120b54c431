"""Tables without cell boxes whose cells are centred (or their numbers set right), as PDF and
as OFD, give the findings of the seed's .docx (issue 27, item 5).

The PDFs are drawn by tests/pdfbuild.py as in tests/test_pdf_borderless.py (three-line or no
rule at all, tight rows, a header repeated over a page break), with ``align=(text, numbers)``:
every cell centred (the labels, the headers and the numbers), or the labels left and the
numbers centred or set right.  So a label centred on several lines, a header centred over
several columns (「申请人情况」 over seven, 「行政复议」 over five), a value centred in a cell merged
over three columns of numbers (表格一's 「本年处理决定数量」) stand where a left-aligned table
never puts them.  The OFD of the issue is the centred PDF's text runs without its rules
(tests/ofdbuild.py ``rules=False``), read through the same layout.

Then :func:`gxlint.readers.layout.unruled_tables` itself, on hand-made lines: a number centred
under a header merged over two columns, a header centred over three, and a number centred
where nothing tells which columns its cell covers (no cell in a wrong column: left out of the
header's columns, for the report to read as a row it cannot place).
"""
from __future__ import annotations

import pytest
from conftest import SEED_FILES, assert_findings_as_docx, data_rows, squash
from pdfbuild import seed_pdf
from pdfpages import pages
from seeddocx import seed_docx

from gxlint.readers import layout, read

pytestmark = pytest.mark.slow  # PDF and OFD fixtures built with reportlab, each seed read several ways

CENTRED = ("centre", "centre")
# (rules, repeat_header, tight, align)
VARIANTS = [
    ("none", False, False, CENTRED),
    ("three-line", False, False, CENTRED),
    ("none", True, False, CENTRED),
    ("none", False, True, CENTRED),
    ("none", False, False, ("left", "centre")),
    ("none", False, False, ("left", "right")),
    ("none", False, False, ("centre", "right")),
]
IDS = ["centred", "centred-three-line", "centred-repeated-header", "centred-tight", "numbers-centred",
       "numbers-right", "text-centred-numbers-right"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """seed name -> (.docx, {variant: .pdf})."""
    d = tmp_path_factory.mktemp("centred")
    out = {}
    for seed in SEED_FILES:
        pdfs = {v: seed_pdf(seed, d / f"{seed.stem}.{i}.pdf", rules=v[0], repeat_header=v[1], tight=v[2], align=v[3])
                for i, v in enumerate(VARIANTS)}
        out[seed.name] = (seed_docx(seed, d / f"{seed.stem}.docx"), pdfs)
    return out


def _same_rows(got, docx) -> None:
    """Each table is one table, each data row has its label and its numbers in order; the
    paragraphs are the docx's, no table text among them."""
    want = read(str(docx))
    assert [data_rows(t) for t in got.tables()] == [data_rows(t) for t in want.tables()]
    assert [squash(p.text) for p in got.paragraphs()] == [w for w in (squash(p.shown) for p in want.paragraphs()) if w]


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_findings_as_docx(seed, variant, seeds, linter, expected):
    docx, pdfs = seeds[seed.name]
    pdf = pdfs[variant]
    read_pages = pages(pdf)  # really without cell boxes: no vertical rule anywhere
    assert not any(e["orientation"] == "v" for page in read_pages for e in page.edges)
    assert_findings_as_docx(linter, pdf, docx, expected[seed.name], excerpts=False)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_rows_and_paragraphs_as_docx(seed, variant, seeds):
    docx, pdfs = seeds[seed.name]
    _same_rows(read(str(pdfs[variant])), docx)


@pytest.mark.parametrize("rules", [False, True], ids=["no-rules", "three-line"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_ofd_centred_tables_as_docx(seed, rules, seeds, linter, expected, tmp_path):
    """The issue's case: an OFD whose tables have no rule (its text runs only), cells centred;
    and the same tables printed three-line (their rules as PathObjects)."""
    from ofdbuild import ofd_from_pdf

    docx, pdfs = seeds[seed.name]
    variant = VARIANTS[1] if rules else VARIANTS[0]
    ofd = ofd_from_pdf(pdfs[variant], tmp_path / "r.ofd", rules=rules)
    got = assert_findings_as_docx(linter, ofd, docx, expected[seed.name], excerpts=False)
    assert got.error is None
    _same_rows(read(str(ofd)), docx)


def test_centred_cells_are_read_whole(seeds):
    """表格三 centred: its header labels whole in their own cells (「自然人」 over two lines, 「社会公益
    组织」 over three), the labels of its rows whole (「（二）部分公开…」 and 「1. 申请人无正当理由逾期不补正、
    行政机关不再处理其政府信息公开申请」 over two and three lines, wider or narrower than the line
    above), the label centred on several rows (「三、本年度办理结果」) a cell."""
    _, pdfs = seeds[SEED_FILES[0].name]
    table = read(str(pdfs[VARIANTS[0]])).tables()[1]
    texts = [squash(c.text) for row in table.rows for c in row]
    for label in ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                  "总计", "三、本年度办理结果", "（三）不予公开", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
                  "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"):
        assert label in texts, label


# --------------------------------------------------------------------------- the layout itself
def _run(text: str, centre: float, top: float, size: float = 9.0) -> list[dict]:
    """``text`` centred at ``centre`` on one line: its characters, each ``size`` wide."""
    x = centre - len(text) * size / 2
    return [dict(text=ch, x0=x + i * size, x1=x + (i + 1) * size, top=top, bottom=top + size, size=size)
            for i, ch in enumerate(text)]


def _grid(chars) -> list[list[tuple[int, int, str]]]:
    """The table laid out from ``chars``: (column, colspan, text) of each cell, row by row."""
    (table,) = layout.blocks([layout.page(1, 595, chars, [])])
    return [[(c.column, c.colspan, c.text) for c in row] for row in table.rows]


# columns of 60 pt: the labels centred at 130, numbers centred at 300 (新收), 360 (结转), 420 (上年)
def test_layout_number_centred_under_a_header_over_two_columns():
    """A number centred in a cell merged over two columns of numbers (under 「本年」, itself
    centred over 「新收」 and 「结转」) is one cell over those two columns, where the .docx has it;
    the header over them too."""
    chars = _run("项目", 130, 100) + _run("本年", 330, 100) + _run("上年", 420, 100)
    chars += _run("新收", 300, 115) + _run("结转", 360, 115)
    for k, (label, *numbers) in enumerate([("申请", "12", "3", "5"), ("办结", "10", "2", "241")]):
        top = 130 + 15 * k
        chars += _run(label, 130, top) + [c for n, x in zip(numbers, (300, 360, 420)) for c in _run(n, x, top)]
    chars += _run("合计", 130, 160) + _run("22", 330, 160) + _run("246", 420, 160)
    rows = _grid(chars)
    assert [[t for _, _, t in r] for r in rows] == [
        ["项目", "本年", "上年"], ["新收", "结转"], ["申请", "12", "3", "5"], ["办结", "10", "2", "241"],
        ["合计", "22", "246"]]
    new, carried = rows[1]
    year, total = rows[0][1], rows[4][1]
    assert new[1] == carried[1] == 1 and carried[0] == new[0] + 1
    assert year[:2] == total[:2] == (new[0], 2)  # over 新收 and 结转, as the .docx
    assert rows[0][2][0] == rows[2][3][0] == rows[4][2][0]  # 上年 over its numbers


def test_layout_header_centred_over_three_columns():
    """A header centred over three columns of numbers, wider than one of them, covers the three;
    the labels under it, and a row label centred on two lines (the lower one wider), stand whole."""
    chars = _run("项目", 130, 100) + _run("申请人的情况统计表", 360, 100)
    chars += _run("自然人", 300, 115) + _run("法人", 360, 115) + _run("其他", 420, 115)
    chars += _run("本年新收、", 130, 130) + _run("政府信息公开申请", 130, 141.5)
    chars += [c for n, x in zip(("12", "3", "5"), (300, 360, 420)) for c in _run(n, x, 136)]
    chars += _run("上年结转", 130, 160) + [c for n, x in zip(("1", "0", "0"), (300, 360, 420)) for c in _run(n, x, 160)]
    rows = _grid(chars)
    assert [[t for _, _, t in r] for r in rows] == [
        ["项目", "申请人的情况统计表"], ["自然人", "法人", "其他"], ["本年新收、政府信息公开申请", "12", "3", "5"],
        ["上年结转", "1", "0", "0"]]
    head = rows[0][1]
    leaves = rows[1]
    assert head[:2] == (leaves[0][0], 3)
    assert [c[0] for c in leaves] == [c[0] for c in rows[2][1:]] == [c[0] for c in rows[3][1:]]


def test_layout_a_number_that_cannot_be_placed_is_under_no_header():
    """A number centred between two columns in a row that has no other number: its cell may
    be merged over those two columns or over four, nothing tells: it is not put under either
    column's header (the report reads the row as one it cannot place, GX028), and the other
    rows stand as they are."""
    chars = _run("项目", 100, 100)
    xs = (240, 300, 360, 420)
    heads = ("甲", "乙", "丙", "丁")
    chars += [c for h, x in zip(heads, xs) for c in _run(h, x, 100)]
    for k, label in enumerate(("申请", "办结")):
        chars += _run(label, 100, 115 + 15 * k) + [c for x in xs for c in _run(str(k + 1), x, 115 + 15 * k)]
    chars += _run("合计", 100, 145) + _run("3", 330, 145)
    rows = _grid(chars)
    assert [[t for _, _, t in r] for r in rows] == [
        ["项目", *heads], ["申请", "1", "1", "1", "1"], ["办结", "2", "2", "2", "2"], ["合计", "3"]]
    under = {c[0] for c in rows[0][1:]}
    assert rows[1][1][0] in under and rows[3][1][0] not in under

