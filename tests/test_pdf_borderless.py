"""PDF tables without cell boxes: the national tables printed three-line (rules above and
below the header and at the bottom only) or with no rule at all, read by column positions
(gxlint.readers.layout.unruled_tables), give the findings of the seed's .docx.

The PDFs are drawn by tests/pdfbuild.py with ``rules="three-line"`` or ``"none"``: the
same cells as the ruled tables (merged header cells, labels centred on several rows such as
「三、本年度办理结果」, tables going on over a page break, with or without their header
repeated), only the rules differ; ``tight=True`` sets the rows without padding, so that a
cell's wrapped lines and the next row's follow at one pitch (only a line that is full wraps).  Prose, numbers included, never becomes a table.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import SEED_FILES, assert_findings_as_docx, data_rows, squash
from pdfbuild import build_pdf, seed_pdf
from pdfpages import pages
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from seeddocx import seed_docx

from gxlint.readers import layout, read
from gxlint.report import parse_number

pytestmark = pytest.mark.slow  # PDF fixtures built with reportlab, each seed read as PDF

VARIANTS = [("three-line", False, False), ("none", False, False), ("none", True, False), ("none", False, True)]
IDS = ["three-line", "no-rules", "no-rules-repeated-header", "no-rules-tight"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """seed name -> (.docx, {variant: .pdf})."""
    d = tmp_path_factory.mktemp("borderless")
    out = {}
    for seed in SEED_FILES:
        pdfs = {(rules, rep, tight): seed_pdf(seed, d / f"{seed.stem}.{rules}.{int(rep)}{int(tight)}.pdf", rules=rules,
                                              repeat_header=rep, tight=tight)
                for rules, rep, tight in VARIANTS}
        out[seed.name] = (seed_docx(seed, d / f"{seed.stem}.docx"), pdfs)
    return out


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_findings_as_docx(seed, variant, seeds, linter, expected):
    docx, pdfs = seeds[seed.name]
    pdf = pdfs[variant]
    read = pages(pdf)  # really without cell boxes: no vertical rule anywhere
    assert not any(e["orientation"] == "v" for page in read for e in page.edges)
    assert any(page.edges for page in read) == (variant[0] == "three-line")
    assert_findings_as_docx(linter, pdf, docx, expected[seed.name], excerpts=False)


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_rows_and_paragraphs_as_docx(seed, variant, seeds):
    """Each table is one table (over page breaks too), each data row has its label and its
    numbers in order; the paragraphs are the docx's, no table text among them."""
    docx, pdfs = seeds[seed.name]
    want = read(str(docx))
    got = read(str(pdfs[variant]))
    assert [data_rows(t) for t in got.tables()] == [data_rows(t) for t in want.tables()]
    assert [squash(p.text) for p in got.paragraphs()] == [w for w in (squash(p.shown) for p in want.paragraphs()) if w]


def test_the_tables_do_break_over_pages(seeds):
    """test_rows_and_paragraphs_as_docx proves the joining: the tables do go over page breaks."""
    broken = 0
    for _, pdfs in seeds.values():
        for pdf in pdfs.values():
            broken += any(len({c.page for row in t.rows for c in row}) == 2 for t in read(str(pdf)).tables())
    assert broken >= 3 * len(VARIANTS)


def test_merged_labels_and_header(seeds):
    """The header's labels are cells of their own (wrapped lines joined), above the data; a
    label centred on several rows sits beside one of them or in a row of its own."""
    docx, pdfs = seeds[SEED_FILES[4].name]
    table = read(str(pdfs[("none", False, False)])).tables()[1]
    texts = [squash(c.text) for row in table.rows for c in row]
    for label in ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                  "总计", "三、本年度办理结果", "（三）不予公开"):
        assert label in texts, label
    first_data = next(i for i, row in enumerate(table.rows) if any(parse_number(c.text) is not None for c in row))
    header = [squash(c.text) for row in table.rows[:first_data] for c in row]
    assert "商业企业" in header and "自然人" in header
    assert not any(parse_number(c.text) is not None for row in table.rows[:first_data] for c in row)


# --------------------------------------------------------------------------- prose is no table
PROSE = [
    ("title", "XX市司法局2024年政府信息公开工作年度报告"),
    ("heading", 1, "总体情况"),
    ("para", "2024年，本机关共收到政府信息公开申请 37 件，上年结转 1 件，办结 35 件，结转下年度 3 件；"
             "主动公开政府信息 1,286 条，其中规范性文件 8 件、政策解读 12 篇，答复率 100%。"),
    ("para", "全年召开新闻发布会 6 场，发布信息 215 条，回应关切 43 次，培训 2 次，参训 120 人次。"),
    ("para", "全年办理复议 2 件\n维持 1 件\n纠正 1 件\n诉讼 0 件"),
    ("para", "附：统计口径 2024\n申请 37\n办结 35\n结转 3"),
]


def test_prose_with_numbers_is_no_table(tmp_path, monkeypatch):
    """Paragraphs dense with numbers, justified (spaces widened), and short lines ending in a
    number: paragraphs, never a table."""
    import pdfbuild

    monkeypatch.setattr(pdfbuild, "_BODY", ParagraphStyle("j", parent=pdfbuild._BODY, alignment=TA_JUSTIFY))
    path = tmp_path / "prose.pdf"
    build_pdf(PROSE, path)
    doc = read(str(path))
    assert doc.tables() == []
    text = squash("".join(p.text for p in doc.paragraphs()))
    for _, *rest in PROSE[2:]:
        assert squash(rest[0]) in text


def test_layout_lines_of_label_and_number_are_a_table():
    """layout.unruled_tables itself: three rows of a label and two numbers, in columns."""
    def run(text, x, top, size=9.0):
        return [dict(text=ch, x0=x + i * size, x1=x + (i + 1) * size, top=top, bottom=top + size, size=size)
                for i, ch in enumerate(text)]

    chars = run("项目", 80, 100) + run("本年", 300, 100) + run("上年", 400, 100)
    for k, (label, a, b) in enumerate([("申请", "12", "3"), ("办结", "10", "241"), ("结转", "2", "0")]):
        top = 115 + 15 * k
        chars += run(label, 80, top) + run(a, 300, top) + run(b, 400, top)
    ((bbox, cells),) = layout.unruled_tables(chars)
    blocks = layout.blocks([layout.page(1, 595, chars, [])])
    (table,) = blocks
    assert [[c.text for c in row] for row in table.rows] == [
        ["项目", "本年", "上年"], ["申请", "12", "3"], ["办结", "10", "241"], ["结转", "2", "0"]]
    assert len(cells) == 12
    assert not layout.unruled_tables(run("共收到申请12件，办结10件。", 80, 100) + run("结转2件。", 80, 115))


def test_layout_justified_prose_ending_in_numbers_is_no_table():
    """Justified lines (words set apart by wide gaps) that end in a number at the right
    margin, one below the other: prose, however column-like their last numbers are."""
    words = ["the", "office", "received", "requests", "and", "answered"]
    chars, top = [], 100.0
    for number in ("12", "35", "241", "3"):
        x = 80.0
        for w in words:
            chars += [dict(text=ch, x0=x + i * 6, x1=x + (i + 1) * 6, top=top, bottom=top + 12, size=12)
                      for i, ch in enumerate(w)]
            x += len(w) * 6 + 14  # a widened space: more than a third of the size
        x = 500 - len(number) * 6
        chars += [dict(text=ch, x0=x + i * 6, x1=x + (i + 1) * 6, top=top, bottom=top + 12, size=12)
                  for i, ch in enumerate(number)]
        top += 16
    assert layout.unruled_tables(chars) == []
    assert [type(b).__name__ for b in layout.blocks([layout.page(1, 595, chars, [])])] == ["Paragraph"]


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_ofd_three_line_tables_as_docx(seed, seeds, linter, tmp_path):
    """The OFD reader shares the layout: the three-line seed as OFD (its text runs and its
    rules) gives the .docx findings too."""
    from ofdbuild import ofd_from_pdf

    docx, pdfs = seeds[seed.name]
    ofd = ofd_from_pdf(pdfs[("three-line", False, False)], tmp_path / "r.ofd")
    got = linter.lint_path(str(ofd))
    assert got.error is None
    want = linter.lint_path(str(docx)).findings
    assert Counter(f.rule for f in got.findings) == Counter(f.rule for f in want), [
        (f.rule, f.location, f.excerpt) for f in got.findings]


@pytest.mark.parametrize("align", [("left", "left"), ("centre", "centre")], ids=["left", "centred"])
def test_a_blank_position_is_never_guessed(tmp_path, linter, align):
    """A number left out of a rule-less row: under the header's column it stands blank
    (GX404, as in the .docx); at the row's end, which column lost it cannot be told: GX028
    for that row, and no arithmetic on it.  Cells set flush left or centred alike."""
    from docxbuild import build_docx
    from seeddocx import seed_blocks

    blocks = seed_blocks(SEED_FILES[4].read_text(encoding="utf-8"))
    rows = [b for b in blocks if b[0] == "table"][1][1]

    def blank(r, k):
        if isinstance(rows[r][k], str):
            rows[r][k] = ""
        else:
            rows[r][k]["text"] = ""

    blank(10, -7)  # 「4. 保护第三方法权益」: its 自然人
    blank(12, -1)  # 「6. 属于四类过程性信息」: its 总计
    build_docx(blocks, tmp_path / "gap.docx")
    build_pdf(blocks, tmp_path / "gap.pdf", rules="none", align=align)
    want = linter.lint_path(str(tmp_path / "gap.docx")).findings
    got = linter.lint_path(str(tmp_path / "gap.pdf")).findings
    def blanks(findings):  # the row's label and the column (row numbers differ: the grids differ)
        return [re.sub(r"第\d+[页行]", "", f.location).split() for f in findings if f.rule == "GX404"]

    assert blanks(got) == [b for b in blanks(want) if "自然人列" in b]
    assert any("「4.保护第三方法权益」" in squash(" ".join(b)) for b in blanks(got))
    (unread,) = [f for f in got if f.rule == "GX028"]
    assert "属于四类过程性信息" in unread.message
    assert Counter(f.rule for f in got if f.rule.startswith("GX3")) == Counter(
        f.rule for f in want if f.rule.startswith("GX3"))
