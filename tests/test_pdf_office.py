"""PDFs as offices and their tools make them (issues 25 and 27): each gives the findings of the
report's .docx.

* WPS Office paints a white rectangle behind every line of text it exports (body and cells):
  those rectangles are not the rules of a table;
* a page break just under a table's header, or inside it (the header's first row at the foot
  of one page, the rest of the table on the next), ruled or without rules: one table;
* a scan with an OCR text layer (a page-sized image, the text invisible over it);
* pages read upright whichever way they are stored: /Rotate 90, or text set sideways.

The fixtures are drawn by tests/pdfbuild.py (reportlab); tests/pdfpages.py says what each
holds, so that every test first shows the fixture is what it claims to be.
"""
from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from conftest import SEED_FILES, assert_findings_as_docx, data_rows, squash
from pdfbuild import seed_pdf, turned_pdf
from pdfpages import pages
from seeddocx import seed_docx

from gxlint.readers import layout, read

pytestmark = pytest.mark.slow  # PDF fixtures built per seed and shape, each read as PDF (as test_pdf_reader)


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    d = tmp_path_factory.mktemp("office-docx")
    return {seed.name: seed_docx(seed, d / f"{seed.stem}.docx") for seed in SEED_FILES}


def _white_boxes(path) -> list[list[tuple[float, float, float, float]]]:
    """Per page, the boxes (left, bottom, right, top) of the paths filled white and not stroked."""
    out = []
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            boxes = []
            for obj in page.get_objects(max_depth=4):
                if obj.type != raw.FPDF_PAGEOBJ_PATH:
                    continue
                import ctypes

                fill, stroke = ctypes.c_int(), ctypes.c_int()
                raw.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
                r, g, b, a = (ctypes.c_uint() for _ in range(4))
                raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
                if fill.value and not stroke.value and (r.value, g.value, b.value) == (255, 255, 255):
                    boxes.append(obj.get_bounds())
            out.append(boxes)
    finally:
        doc.close()
    return out


# --------------------------------------------------------------------------- WPS
@pytest.mark.parametrize("rules", ["grid", "none"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_wps_white_rectangles_are_no_table(seed, rules, docx, tmp_path, linter, expected):
    pdf = seed_pdf(seed, tmp_path / "wps.pdf", wps=True, rules=rules)
    boxes = _white_boxes(pdf)
    lines = sum(len(layout._lines(p.chars)) for p in pages(pdf))
    assert sum(map(len, boxes)) >= 0.8 * lines  # really one behind (nearly) every line
    # and they would make tables of the prose if they were taken for rules: they touch
    edges = [e for left, bottom, right, top in boxes[0]
             for e in ({"x0": left, "x1": right, "top": 842 - top, "bottom": 842 - top, "orientation": "h"},
                       {"x0": left, "x1": right, "top": 842 - bottom, "bottom": 842 - bottom, "orientation": "h"},
                       {"x0": left, "x1": left, "top": 842 - top, "bottom": 842 - bottom, "orientation": "v"},
                       {"x0": right, "x1": right, "top": 842 - top, "bottom": 842 - bottom, "orientation": "v"})]
    assert any(len(cells) >= 3 for _, cells in layout.ruled_tables(edges, (0, 0, 595, 842)))
    assert_findings_as_docx(linter, pdf, docx[seed.name], expected[seed.name], excerpts=rules == "grid")
    want = read(str(docx[seed.name]))
    got = read(str(pdf))
    assert [squash(p.text) for p in got.paragraphs()] == [w for p in want.paragraphs() if (w := squash(p.shown))]


# --------------------------------------------------------------------------- page breaks in tables
@pytest.mark.parametrize("rules", ["grid", "none"])
@pytest.mark.parametrize("rows_at_foot", [1, 2], ids=["header-first-row", "header-rows"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_header_at_the_foot_of_a_page(seed, rows_at_foot, rules, docx, tmp_path, linter, expected):
    """Each table starts at the foot of a page with only its first row(s) there, the rest on the
    next page: one table, with the .docx's rows, and the .docx's findings."""
    pdf = seed_pdf(seed, tmp_path / "foot.pdf", header_at_foot=rows_at_foot, rules=rules)
    want = read(str(docx[seed.name])).tables()
    # really cut: a page ends (but its number) with a table's first row, its data on the next page
    ends = [[ln for ln in layout._lines(p.chars) if not layout._PAGE_NUMBER.match(ln.text)][-1] for p in pages(pdf)]
    firsts = [squash(t.rows[rows_at_foot - 1][0].text) for t in want if len(t.rows) > rows_at_foot]
    assert any(f and f in squash(ln.text) for ln in ends for f in firsts), [ln.text for ln in ends]
    got = read(str(pdf)).tables()
    assert [data_rows(t) for t in got] == [data_rows(t) for t in want]
    if rules == "grid":
        assert [t.rows[0][0].text for t in got] == [t.rows[0][0].text for t in want]
    assert_findings_as_docx(linter, pdf, docx[seed.name], expected[seed.name], excerpts=rules == "grid")


# --------------------------------------------------------------------------- scans with a text layer
@pytest.mark.parametrize("seed", SEED_FILES[2:5], ids=lambda p: p.name[:3])
def test_scan_with_ocr_text_layer(seed, docx, tmp_path, linter, expected):
    pdf = seed_pdf(seed, tmp_path / "ocr.pdf", scan=True)
    doc = pdfium.PdfDocument(str(pdf))
    try:  # really a scan with an invisible text layer: an image under text drawn in render mode 3
        for page in doc:
            objs = list(page.get_objects(max_depth=4))
            assert any(o.type == raw.FPDF_PAGEOBJ_IMAGE for o in objs)
            modes = {raw.FPDFTextObj_GetTextRenderMode(o.raw) for o in objs if o.type == raw.FPDF_PAGEOBJ_TEXT}
            assert modes == {raw.FPDF_TEXTRENDERMODE_INVISIBLE}
    finally:
        doc.close()
    assert_findings_as_docx(linter, pdf, docx[seed.name], expected[seed.name])


# --------------------------------------------------------------------------- orientation
LINES = ["一、总体情况", "本年度共收到政府信息公开申请12件，均已按期答复。", "二、主动公开政府信息情况"]


@pytest.mark.parametrize("how", ["rotated-page", "sideways"])
def test_pages_are_read_upright(how, tmp_path):
    path = tmp_path / "turned.pdf"
    turned_pdf(path, LINES, how)
    doc = pdfium.PdfDocument(str(path))
    try:  # really stored turned: /Rotate 90, or upright with the text set a quarter turn
        assert doc[0].get_rotation() == (90 if how == "rotated-page" else 0)
        text = doc[0].get_textpage()
        assert raw.FPDFText_GetCharAngle(text.raw, 0) > 4.0  # three quarters clockwise: a quarter anticlockwise
    finally:
        doc.close()
    assert [p.text for p in read(str(path)).paragraphs()] == LINES


# --------------------------------------------------------------------------- copy-protected
def test_copy_protected_pdf_is_read(docx, tmp_path, linter, expected, monkeypatch):
    """Encrypted without an open password, copying and printing forbidden (as many offices
    publish): read as any PDF, its streams checked on PDFium's copy without the encryption."""
    from reportlab.lib import pdfencrypt

    from gxlint.readers import pdflimits

    seed = SEED_FILES[4]
    pdf = seed_pdf(seed, tmp_path / "protected.pdf",
                   encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0))
    assert b"/Encrypt" in pdf.read_bytes()
    checked = []
    check = pdflimits.check_streams
    monkeypatch.setattr(pdflimits, "check_streams", lambda data: checked.append(b"/Encrypt" in data) or check(data))
    assert_findings_as_docx(linter, pdf, docx[seed.name], expected[seed.name])
    assert checked == [True, False]  # the file, then the copy without the encryption
