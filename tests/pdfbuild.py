"""Write text-layer PDF test fixtures from the block description of ``docxbuild``.

The PDF is laid out as a report printed from Word would be (GB/T 9704-2012 page:
A4, margins 37/35/28/26 mm, 16 pt body text on a 28.95 pt line pitch, first-line
indent of two characters, page numbers 「— 3 —」 in the bottom margin), with
reportlab and its built-in CJK font STSong-Light (a CID font: no font file needed).

* ``("title", text)``: 22 pt, centred, wrapped when too long;
* ``("heading", level, text[, {"numbered": False}])``: level 1 headings are numbered
  「一、」「二、」… and level 2 「（一）」… as Word's automatic numbering renders them
  (a ``numbered: False`` heading is typed as written and does not count);
* ``("para", text)`` (also ``"sdt"`` and ``"textbox"``): docxbuild's inline markup is
  applied (``[+x+]`` kept, ``[-x-]`` dropped, ``**x**`` kept), wrapped the CJK way;
* ``("pagebreak",)``: the next block starts a new page (not a docxbuild block);
* ``("table", rows)``: a ruled table (every cell boxed) whose merged cells
  (``colspan`` / ``vmerge``) become one box each (``rules=`` in :func:`build_pdf` draws
  the tables three-line, or without any rule, cells placed as in the ruled table); a table taller than what is left of
  the page continues on the next one, without its header rows (``repeat_header`` in
  :func:`build_pdf` repeats them, as Word's 「重复标题行」 does); ``align=(text, numbers)`` in
  :func:`build_pdf` sets the cells' text "left", "centre" or "right" in their cells (the
  cells holding a number by the second, the others by the first; left by default).

``scan=True`` in :func:`build_pdf` draws every page as a scan with an OCR text layer: a
page-sized image under the text, and the text itself invisible (text render mode 3), as
scanners' OCR writes it.  ``wps=True`` paints a white rectangle behind every line of text (body
and cells), touching the next line's, as WPS Office's PDF export does; ``header_at_foot=k``
leaves room at the foot of the page for only the first ``k`` rows of each table, so that the
rest (with the rest of its header when ``k`` is less than the header's rows) goes on the next
page, as when a page break falls just under a table's header.

:func:`seed_pdf` writes a seed report as PDF (the blocks seeddocx gives its .docx);
:func:`scanned_pdf` writes pages that are only an image (a scan without OCR),
:func:`encrypted_pdf` a PDF that needs a password, :func:`garbled_pdf` one whose text
reads back as a few characters repeated, :func:`turned_pdf` text not upright as stored,
:func:`beyond_bmp_pdf` characters beyond the BMP.
"""
from __future__ import annotations

import re
from pathlib import Path

from docxbuild import _parse_markup
from pdfbombs import write_pdf
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

__all__ = ["build_pdf", "seed_pdf", "scanned_pdf", "encrypted_pdf", "garbled_pdf", "turned_pdf", "beyond_bmp_pdf"]

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_MARGINS = dict(topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm, rightMargin=26 * mm)
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=16, leading=28.95, firstLineIndent=32,
                       wordWrap="CJK")
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=22, leading=33, firstLineIndent=0,
                        alignment=TA_CENTER, spaceAfter=28.95)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5, wordWrap="CJK")
_NUMERALS = "一二三四五六七八九十"
_ALIGN = {"left": TA_LEFT, "centre": TA_CENTER, "right": TA_RIGHT}

#: Column widths (mm) of the national tables by grid width; other tables share the width.
_WIDTHS = {
    10: [14, 24, 46] + [10.3] * 7,  # 表格三: main, sub, item labels + 7 applicant columns
    15: [156 / 15] * 15,  # 表格四
    4: [66, 30, 30, 30],  # 表格二
}


def _plain(text: str) -> str:
    """docxbuild's inline markup applied: insertions kept, deletions dropped, bold as text."""
    return "".join(seg for kind, seg in _parse_markup(text) if kind != "del")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _WpsParagraph(Paragraph):
    """A paragraph drawn over white rectangles, one behind each of its lines, each as tall as
    the line pitch (so that they touch), as wide as the paragraph: WPS Office's PDF export."""

    def draw(self):
        lines = len(self.blPara.lines) if getattr(self, "blPara", None) is not None else 0
        leading = self.style.leading
        c = self.canv
        c.saveState()
        c.setFillColorRGB(1, 1, 1)
        for i in range(lines):
            c.rect(-1, self.height - (i + 1) * leading, self.width + 2, leading, stroke=0, fill=1)
        c.restoreState()
        super().draw()


class _LeaveRoom(Flowable):
    """Fills what is left of the page but ``room`` points (or nothing, when less is left)."""

    def __init__(self, room: float):
        super().__init__()
        self.room = room

    def wrap(self, avail_width, avail_height):
        self.height = max(avail_height - self.room, 0)
        return avail_width, self.height

    def draw(self):
        pass


_WPS = False  # set by build_pdf(wps=True) while it builds


def _para(text: str, style) -> Paragraph:
    kind = _WpsParagraph if _WPS else Paragraph
    return kind("<br/>".join(_escape(_plain(t)) for t in text.split("\n")), style)


def _cell_style(text: str, align: tuple[str, str]) -> ParagraphStyle:
    """The style of a cell holding ``text``: ``align`` (text, numbers) says where it stands."""
    where = align[1] if re.fullmatch(r"[\d,.%]+", text.strip()) else align[0]
    if where == "left":
        return _CELL
    return ParagraphStyle(f"cell-{where}", parent=_CELL, alignment=_ALIGN[where])


def _table(rows: list, repeat_header: bool, rules: str = "grid", tight: bool = False,
           align: tuple[str, str] = ("left", "left")) -> Table:
    """A docxbuild table (cells with colspan / vmerge) as a reportlab Table: ``rules`` "grid"
    (every cell boxed), "three-line" (rules above and below the header rows and below the
    last row only) or "none" (no rule at all); ``tight``: rows without padding above and
    below their text (a cell's lines and the rows follow each other at one pitch); ``align``:
    where text and numbers stand in their cells (:func:`_cell_style`)."""
    grid: list[list] = []
    spans = []
    open_v: dict[int, list] = {}  # grid column -> [first row, col, colspan, last row] of a vertical merge
    for r, row in enumerate(rows):
        line = []
        col = 0
        for cell in row:
            text, span, vm = (cell, 1, None) if isinstance(cell, str) else (
                cell.get("text", ""), cell.get("colspan", 1), cell.get("vmerge"))
            if vm == "continue" and col in open_v:
                open_v[col][3] = r
                line += [""] * span
            else:
                line += [_para(text, _cell_style(text, align))] + [""] * (span - 1)
                merge = [r, col, span, r]
                if vm == "restart":
                    open_v[col] = merge
                else:
                    open_v.pop(col, None)
                spans.append(merge)
            col += span
        grid.append(line)
    ncols = max(len(line) for line in grid)
    for line in grid:
        line += [""] * (ncols - len(line))
    header = 0  # the rows before the first one holding a number
    while header < len(rows) and not any(
            re.fullmatch(r"\d+", c if isinstance(c, str) else c.get("text", "")) for c in rows[header]):
        header += 1
    style = [("FONT", (0, 0), (-1, -1), FONT, 9), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    if tight:  # no space above and below a cell's text (Word's default cell margins)
        style += [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    if rules == "grid":
        style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
    elif rules == "three-line":
        style += [("LINEABOVE", (0, 0), (-1, 0), 1.0, "black"), ("LINEBELOW", (0, -1), (-1, -1), 1.0, "black")]
        if 0 < header < len(rows):
            style.append(("LINEBELOW", (0, header - 1), (-1, header - 1), 0.5, "black"))
    elif rules != "none":
        raise ValueError(f"unknown rules {rules!r}")
    style += [("SPAN", (c, r0), (c + span - 1, r1)) for r0, c, span, r1 in spans
              if span > 1 or r1 > r0]
    widths = [w * mm for w in _WIDTHS.get(ncols, [156 / ncols] * ncols)]
    return Table(grid, colWidths=widths, style=TableStyle(style), repeatRows=header if repeat_header else 0)


def _page_number(canvas, doc) -> None:
    canvas.setFont(FONT, 14)
    canvas.drawCentredString(A4[0] / 2, 22 * mm, f"— {doc.page} —")


def build_pdf(blocks: list, path, *, repeat_header: bool = False, rules: str = "grid", tight: bool = False,
              align: tuple[str, str] = ("left", "left"), wps: bool = False, header_at_foot: int | None = None,
              scan: bool = False, **doc_args) -> None:
    """Write ``blocks`` (docxbuild's description) as a text-layer PDF at ``path``; ``rules``:
    how the tables are ruled ("grid", "three-line", "none"), ``tight``: their rows without
    padding, ``align``: where the cells' text and numbers stand (see :func:`_table`).

    ``doc_args`` go to reportlab's SimpleDocTemplate (``encrypt=`` for instance)."""
    global _WPS
    from reportlab.pdfgen import textobject

    _WPS = wps
    init = textobject.PDFTextObject.__init__
    if scan:
        def invisible(self, *args, **kwargs):
            init(self, *args, **kwargs)
            self.setTextRenderMode(3)

        textobject.PDFTextObject.__init__ = invisible
    try:
        _build(blocks, path, repeat_header, rules, tight, align, header_at_foot, scan, doc_args)
    finally:
        _WPS = False
        textobject.PDFTextObject.__init__ = init


def _scanned_page(canvas, doc) -> None:
    """A scanned page: a grey page-sized image (under the invisible OCR text), then the number."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    canvas.drawImage(ImageReader(Image.new("RGB", (210, 297), (235, 235, 230))), 0, 0, width=A4[0], height=A4[1])
    _page_number(canvas, doc)


def _build(blocks, path, repeat_header, rules, tight, align, header_at_foot, scan, doc_args) -> None:
    story = []
    numbers = [0, 0]
    for block in blocks:
        kind = block[0]
        if kind == "title":
            story.append(_para(block[1], _TITLE))
        elif kind == "heading":
            level, text = block[1], block[2]
            opts = block[3] if len(block) > 3 else {}
            if opts.get("numbered", True):
                numbers[level - 1] += 1
                if level == 1:
                    numbers[1] = 0
                n = _NUMERALS[numbers[level - 1] - 1]
                text = f"{n}、{text}" if level == 1 else f"（{n}）{text}"
            story.append(_para(text, _BODY))
        elif kind in ("para", "sdt", "textbox"):
            story.append(_para(block[1], _BODY))
        elif kind == "table":
            table = _table(block[1], repeat_header, rules, tight, align)
            if header_at_foot:
                table.wrap(A4[0] - (28 + 26) * mm, A4[1])
                story.append(_LeaveRoom(sum(table._rowHeights[:header_at_foot]) + 2))
            story.append(table)
        elif kind == "pagebreak":
            story.append(PageBreak())
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    doc = SimpleDocTemplate(str(Path(path)), pagesize=A4, **_MARGINS, **doc_args)
    on_page = _scanned_page if scan else _page_number
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)


def scanned_pdf(path, pages: int = 2) -> None:
    """A PDF whose pages are only images (a scan without a text layer)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(img)
    for y in range(60, 560, 24):  # lines of "text" as a scanner sees them
        draw.rectangle((50, y, 370, y + 10), fill="black")
    c = Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()


def garbled_pdf(path, alphabet: str = "上办政", chars: int = 2400) -> None:
    """A report whose text reads back as garbage: ``chars`` characters of body text drawn
    with only the few characters of ``alphabet`` (as LibreOffice without a CJK font exports
    Chinese: 「上上上上上上办办办」), laid out as title and paragraphs."""
    import random

    rnd = random.Random(7)
    text = "".join(rnd.choice(alphabet) * rnd.randint(1, 6) for _ in range(chars))[:chars]
    blocks = [("title", text[:20])] + [("para", text[i:i + 300]) for i in range(20, chars, 300)]
    build_pdf(blocks, path)


def encrypted_pdf(blocks: list, path, password: str = "secret") -> None:
    """``blocks`` as a PDF that needs ``password`` to open."""
    from reportlab.lib import pdfencrypt

    build_pdf(blocks, path, encrypt=pdfencrypt.StandardEncryption(password, canPrint=0))


def seed_pdf(seed: Path, out: Path, **kw) -> Path:
    """Write `out` (.pdf) from a seed report, with the blocks seeddocx gives its .docx."""
    from seeddocx import seed_blocks

    build_pdf(seed_blocks(seed.read_text(encoding="utf-8")), out, **kw)
    return out


def turned_pdf(path, lines: list[str], how: str) -> None:
    """``lines`` of 16 pt text on an A4 page that is not read upright as it is stored: ``how``
    "rotated-page": the page carries /Rotate 90 and its text is set a quarter turn anticlockwise,
    so that it reads upright on screen (a landscape page of a scan or a printer driver);
    "sideways": an upright page whose text is set a quarter turn anticlockwise (read with the
    head turned left)."""
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=A4)
    if how == "rotated-page":
        c.setPageRotation(90)
    elif how != "sideways":
        raise ValueError(how)
    c.setFont(FONT, 16)
    for i, line in enumerate(lines):
        c.saveState()
        c.translate(100 + 30 * i, 80)
        c.rotate(90)
        c.drawString(0, 0, line)
        c.restoreState()
    c.showPage()
    c.save()


def beyond_bmp_pdf(path, shown: bytes, mapping: dict[int, str], bold: bool = False) -> None:
    """One line of Helvetica showing the bytes ``shown``, whose ToUnicode map gives the byte
    codes of ``mapping`` the characters there (beyond the BMP: written as their UTF-16
    surrogates, as the map writes them), written object by object: reportlab has no such font.
    ``bold``: the line drawn again 0.3 pt to the right (a bold effect)."""
    pairs = " ".join(f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in mapping.items())
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(mapping)} beginbfchar {pairs} endbfchar endcmap CMapName currentdict /CMap defineresource pop "
            "end end").encode()
    content = b"BT /F1 24 Tf 72 700 Td (" + shown + b") Tj ET"
    if bold:
        content += b" BT /F1 24 Tf 72.3 700 Td (" + shown + b") Tj ET"
    write_pdf(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                     b" /Resources << /Font << /F1 5 0 R >> >> >>",
                     b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
                     b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
                     b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"])
