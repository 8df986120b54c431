"""Tests for gxlint.readers.pdf: text-layer PDFs built with reportlab (tests/pdfbuild.py).

The seed reports become PDFs laid out as printed from Word (indented paragraphs
wrapping over lines and pages, page numbers, ruled national tables with merged
header cells, a table going on over a page break); the reader must give the same
paragraphs, the same table grids and the same findings as the .docx of the seed.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import SEED_FILES, assert_findings_as_docx, cells, squash
from pdfbuild import FONT, beyond_bmp_pdf, build_pdf, encrypted_pdf, scanned_pdf, seed_pdf
from pdfpages import pages, text_lines
from seeddocx import seed_docx

from gxlint.errors import InputError
from gxlint.readers import read

pytestmark = pytest.mark.slow  # PDF fixtures built with reportlab, each seed read as PDF

SMALL = [
    ("title", "XX市司法局2024年政府信息公开工作年度报告"),
    ("heading", 1, "总体情况"),
    ("para", "本年度共收到政府信息公开申请12件，均已按期答复。"),
]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    """seed name -> (.docx, .pdf, .pdf with the header rows repeated after a page break)."""
    out = {}
    d = tmp_path_factory.mktemp("pdf")
    for seed in SEED_FILES:
        out[seed.name] = (seed_docx(seed, d / f"{seed.stem}.docx"), seed_pdf(seed, d / f"{seed.stem}.pdf"),
                          seed_pdf(seed, d / f"{seed.stem}.rep.pdf", repeat_header=True))
    return out


def run_cli(*args):
    p = subprocess.run([sys.executable, "-m", "gxlint", *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


# --------------------------------------------------------------------------- the seeds
@pytest.mark.parametrize("variant", [1, 2], ids=["plain", "repeated-header"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_pdf_findings_as_docx(seed, variant, seeds, linter, expected):
    docx, pdf = seeds[seed.name][0], seeds[seed.name][variant]
    assert_findings_as_docx(linter, pdf, docx, expected[seed.name])


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_paragraphs_as_docx(seed, seeds):
    """Lines join into the docx's paragraphs; no table text, no page number among them."""
    docx, pdf, _ = seeds[seed.name]
    want = [squash(p.shown) for p in read(str(docx)).paragraphs()]
    doc = read(str(pdf))
    assert doc.format == "pdf"
    assert [squash(p.text) for p in doc.paragraphs()] == [w for w in want if w]


@pytest.mark.parametrize("variant", [1, 2], ids=["plain", "repeated-header"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_tables_as_docx(seed, variant, seeds):
    """The ruled tables, merged cells included, map onto the docx reader's grid; one
    table even where it goes on over a page break."""
    docx, pdf = seeds[seed.name][0], seeds[seed.name][variant]
    want = [cells(t) for t in read(str(docx)).tables()]
    assert [cells(t) for t in read(str(pdf)).tables()] == want


@pytest.mark.parametrize("variant", [1, 2], ids=["plain", "repeated-header"])
def test_the_layout_does_break_tables(variant, seeds):
    """test_tables_as_docx proves the joining: tables do go over page breaks here."""
    broken = 0
    for files in seeds.values():
        pages = [{c.page for row in t.rows for c in row} for t in read(str(files[variant])).tables()]
        broken += any(len(p) == 2 for p in pages)
    assert broken >= 3


def test_headings_stand_alone(seeds):
    doc = read(str(seeds[SEED_FILES[2].name][1]))
    heads = [p.text for p in doc.paragraphs() if re.match("[一二三四五六]、", p.text)]
    assert heads == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                     "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                     "六、其他需要报告的事项"]


# --------------------------------------------------------------------------- locations
def test_page_and_line(seeds):
    """page/line: the text line of that page (tops within 3 pt: one line) where a paragraph
    or a cell starts."""
    path = seeds[SEED_FILES[4].name][1]
    doc = read(str(path))
    lines = [[squash(ln) for ln in text_lines(page.chars)] for page in pages(path)]
    paragraphs = doc.paragraphs()
    for p in paragraphs:
        assert lines[p.page - 1][p.line - 1].startswith(squash(p.text)[:8]), (p.page, p.line, p.text)
    filled = [c for t in doc.tables() for row in t.rows for c in row if c.text]
    for c in filled:
        assert squash(c.text)[0] in lines[c.page - 1][c.line - 1], (c.page, c.line, c.text)
    assert len(paragraphs) > 20 and len(filled) > 200


def test_location_names_the_page(seeds):
    path = seeds[SEED_FILES[4].name][1]
    rc, out, _ = run_cli(path, "--select", "GX302,GX210")
    assert rc == 1
    lines = out.strip().split("\n")
    assert len(lines) == 3
    for line in lines:
        assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: error: GX\d{{3}} .+ \[第\d+页 .+\]$", line), line
    gx302 = [ln for ln in lines if " GX302 " in ln]
    assert "[第6页 第三部分 表格三 第17行「2. 没有现成信息需要另行制作」 总计列]" in gx302[0]
    doc = read(str(path))
    cell = next(c for t in doc.tables() for row in t.rows for c in row if c.row == 16 and c.column == 9)
    assert cell.text == "1" and cell.page == 6
    assert gx302[0].startswith(f"{path}:{cell.line}:1: ")
    assert "[第1页 正文开头]" in next(ln for ln in lines if " GX210 " in ln)


# --------------------------------------------------------------------------- page breaks
def test_continuation_joins_merged_cell_and_drops_repeated_header(tmp_path):
    path = tmp_path / "split.pdf"
    build_pdf([*SMALL,
               ("table", [["项目", "数量"], [{"text": "甲组", "vmerge": "restart"}, "1"],
                          [{"text": "", "vmerge": "continue"}, "2"]]),
               ("pagebreak",),
               ("table", [["项目", "数量"], ["", "3"], ["乙组", "4"]]),
               ("pagebreak",),
               ("table", [["丙组", "5"]])], path)
    (table,) = read(str(path)).tables()
    assert cells(table) == [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 3, 1, "甲组"), (1, 1, 1, 1, "1"),
                            (2, 1, 1, 1, "2"), (3, 1, 1, 1, "3"), (4, 0, 1, 1, "乙组"), (4, 1, 1, 1, "4"),
                            (5, 0, 1, 1, "丙组"), (5, 1, 1, 1, "5")]
    assert [c.page for row in table.rows for c in row] == [1] * 5 + [2] * 3 + [3] * 2


def test_text_between_tables_keeps_them_apart(tmp_path):
    path = tmp_path / "two.pdf"
    build_pdf([*SMALL, ("table", [["项目", "数量"], ["甲", "1"]]), ("pagebreak",),
               ("para", "续表如下。"), ("table", [["项目", "数量"], ["乙", "2"]])], path)
    doc = read(str(path))
    assert [cells(t) for t in doc.tables()] == [
        [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 1, 1, "甲"), (1, 1, 1, 1, "1")],
        [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "数量"), (1, 0, 1, 1, "乙"), (1, 1, 1, 1, "2")]]
    assert [p.text for p in doc.paragraphs()][-1] == "续表如下。"


def test_wrapped_title_is_one_paragraph(tmp_path):
    path = tmp_path / "small.pdf"
    build_pdf(SMALL, path)
    assert [p.text for p in read(str(path)).paragraphs()] == [
        "XX市司法局2024年政府信息公开工作年度报告", "一、总体情况", "本年度共收到政府信息公开申请12件，均已按期答复。"]


# --------------------------------------------------------------------------- bad PDFs
def test_characters_beyond_the_bmp_are_one_character_each(tmp_path):
    """PDFium gives a character beyond the BMP (CJK Extension B, an emoji) as two, its UTF-16
    surrogates, on one box: the reader makes them one character again, between others."""
    mapping = {ord("A"): "\U00020000", ord("B"): "\U0001F600", ord("y"): "年", ord("C"): "𪚥"}
    for bold in (False, True):  # drawn twice: each character read once, halves and all
        path = tmp_path / f"ext-b.{bold}.pdf"
        beyond_bmp_pdf(path, b"AxBxAByC", mapping, bold=bold)
        (paragraph,) = read(str(path)).paragraphs()
        assert paragraph.text == "\U00020000x\U0001F600x\U00020000\U0001F600年𪚥"


def test_text_drawn_over_itself_sizes_and_raised_text_in_a_line(tmp_path):
    """A title drawn three times a little apart (a bold effect) is read once; a line whose show-text
    operations change size and baseline (a smaller number, a raised note) keeps every character,
    and each piece keeps its own size and baseline (the reader asks PDFium for them when a
    show-text operation starts); the raised note at the line's top leaves no piece of the line
    to a line of its own."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "drawn.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(FONT, 16)
    for dx in (0, 0.3, 0.6):
        c.drawString(72 + dx, 700, "一、总体情况")
    t = c.beginText(72, 650)
    t.setFont(FONT, 12)
    t.textOut("本年度收到申请")
    t.setFont(FONT, 9)
    t.textOut("12")
    t.setFont(FONT, 12)
    t.textOut("件")
    t.setRise(4)
    t.textOut("注")
    t.setRise(0)
    t.textOut("完毕。")
    c.drawText(t)
    c.showPage()
    c.save()
    (page,) = pages(path)
    got = [(c["text"], c["size"], c["bottom"]) for c in page.chars]
    line = A4[1] - 650  # the baseline of the second line, from the top
    assert got == [("一、总体情况", 16.0, pytest.approx(A4[1] - 700 + 0.12 * 16, abs=0.01)),
                   ("本年度收到申请", 12.0, pytest.approx(line + 0.12 * 12, abs=0.01)),
                   ("12", 9.0, pytest.approx(line + 0.12 * 9, abs=0.01)),
                   ("件", 12.0, pytest.approx(line + 0.12 * 12, abs=0.01)),
                   ("注", 12.0, pytest.approx(line - 4 + 0.12 * 12, abs=0.01)),
                   ("完毕。", 12.0, pytest.approx(line + 0.12 * 12, abs=0.01))]
    assert [p.text for p in read(str(path)).paragraphs()] == ["一、总体情况", "本年度收到申请12件注完毕。"]


def test_a_vertical_font_gives_each_character_its_own_place(tmp_path):
    """Text in a vertical CJK font (Identity-V: one show-text operation going down the page):
    every character at its own height, not at the first one's (the reader asks PDFium for the
    origin of a character whose box the operation's baseline does not cross)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    vertical = UnicodeCIDFont(FONT, isVertical=True)
    vertical.name = vertical.fontName = f"{FONT}-vertical"  # not in place of the fixtures' font
    pdfmetrics.registerFont(vertical)
    path = tmp_path / "vertical.pdf"
    c = Canvas(str(path), pagesize=A4)
    c.setFont(vertical.fontName, 16)
    c.drawString(300, 700, "竖排文字测试")
    c.showPage()
    c.save()
    (page,) = pages(path)
    assert "".join(c["text"] for c in page.chars) == "竖排文字测试"
    tops = [c["top"] for c in page.chars]
    assert all(b - a > 10 for a, b in zip(tops, tops[1:])), tops


def _one_error(path, code):
    rc, out, err = run_cli(path)
    assert rc == 2, (out, err)
    assert out.count("\n") == 1 and out.startswith(f"{path}: error: {code} "), out
    assert "Traceback" not in err
    return out


def test_scan_without_text_layer_is_e014(tmp_path):
    path = tmp_path / "scan.pdf"
    scanned_pdf(path)
    assert all(page.images and not page.chars for page in pages(path))  # really a scan: images, no characters
    assert "没有文字层" in _one_error(path, "E014")


def test_password_is_e015(tmp_path):
    path = tmp_path / "secret.pdf"
    encrypted_pdf(SMALL, path)
    assert "密码" in _one_error(path, "E015")


def test_truncated_is_e016(tmp_path):
    whole = tmp_path / "whole.pdf"
    build_pdf(SMALL, whole)
    data = whole.read_bytes()
    for n, cut in enumerate((len(data) // 2, len(data) - 10)):
        path = tmp_path / f"cut{n}.pdf"
        path.write_bytes(data[:cut])
        assert "不完整" in _one_error(path, "E016")


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n",  # a header and an end, nothing readable
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    b"PK\x03\x04 a zip archive named .pdf",
], ids=["garbage", "no-pages", "not-pdf"])
def test_corrupt_is_e016_never_a_traceback(tmp_path, data):
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E016"


def test_empty_file_is_e001(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(InputError) as e:
        read(str(path))
    assert e.value.code == "E001"


def test_pdfium_only_for_pdf():
    code = ("import sys; from gxlint.engine import Linter; "
            f"Linter().lint_path({str(SEED_FILES[0])!r}); print('pypdfium2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
