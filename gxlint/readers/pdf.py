"""Read a text-layer PDF report into a :class:`gxlint.model.Document`.

pdfplumber (on pdfminer.six) gives the characters with their boxes and finds the
ruled tables; everything else is geometry, done here:

* characters are grouped into text lines (one height, within half a character),
  on each page; lines are numbered from the top of the page, table text
  included, as pdfplumber's ``extract_text_lines`` counts them
  (``Paragraph.line`` / ``Cell.line``, with ``page``);
* lines outside tables join into paragraphs.  A line ends its paragraph when
  the next line is indented (first-line indent, centred text), when it stops
  short of the right margin with room left for the next line's first word (so
  short headings like 「一、总体情况」 stand alone, while a line that wrapped
  before a long URL does not), when it ends in 。：；！？ one character or more
  short of the margin, or at a change of font size or a paragraph gap.  A
  paragraph goes on over a page break by the same rules.  Page numbers
  (「— 3 —」「第3页」) at the top or bottom of a page are dropped;
* ruled tables (pdfplumber's table finder, lines strategy) become
  :class:`Table` blocks: cells map onto the grid of all the cell edges, so a
  merged cell is one :class:`Cell` with its rowspan/colspan, as in the docx
  reader; a cell's wrapped lines are joined.  Text inside a table is never
  also a paragraph.  A table that ends one page and goes on at the top of the
  next (same width, nothing in between) is one table: a repeated header is
  dropped, and an empty cell that continues a merged cell cut by the page
  break extends it.  A row cut by the page break (Word and LibreOffice let a
  row break across pages: 「结果维」 at the foot of one page, 「持」 at the top of
  the next) is one row, each cell's texts joined: the table ends at the foot
  of the page (within 20 pt of the lowest text of the document), a text goes
  on from a cell into the cell of the same width below it at least once, and
  no such pair holds a number (a number is never cut: a number under a filled
  cell starts a new row).  A box of one cell is not a table (its text is read
  as paragraphs).

Every unreadable input raises :class:`gxlint.errors.InputError`: E014 for a PDF
without usable text (a scan), E015 for a password, E016 for a broken file.
"""
from __future__ import annotations

import logging
import os
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from gxlint.errors import E_EMPTY, E_OS, E_PDF_BROKEN, E_PDF_ENCRYPTED, E_PDF_NO_TEXT, E_TOO_LARGE, InputError
from gxlint.model import Cell, Document, Paragraph, Table

__all__ = ["read_pdf"]

_TOL = 2.0  # points: edges closer than this are one grid line
_FOOT = 20.0  # points: a table ending this close to the lowest text of the document ends at the foot of its page
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_ENDING = re.compile(r"[。：；！？:;!?][”’」』）)]*$")
_PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[-—–－_\s]*$")
_LATIN = re.compile(r"[A-Za-z]")
_ASCII_WORD = re.compile(r"[\x21-\x7e]+")
_NO_LINE_START = "，。、；：？！）》」』”’,.;:?!)]}%"
_NO_LINE_END = "（《「『“‘([{<"


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


# =========================================================================== public API
def read_pdf(path: str) -> Document:
    """Read the PDF at ``path``; raise :class:`InputError` if it cannot be read."""
    _preflight(path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    from . import pdflimits

    pdflimits.install()  # bounded inflation and width arrays, before pdfminer sees the file
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # no warnings on stderr
    try:
        with pdflimits.budget(), pdfplumber.open(path) as pdf:
            if len(pdf.pages) > pdflimits.MAX_PAGES:
                raise _err(E_TOO_LARGE, f"PDF 有 {len(pdf.pages)} 页（上限 {pdflimits.MAX_PAGES} 页），"
                                        "不像一份年度报告，请确认选对了文件")
            pages = []
            for n, p in enumerate(pdf.pages, 1):
                pdflimits.check_time()
                pages.append(_read_page(p, n))
                p.close()  # the page's layout objects are not kept: what is kept is in _Page
        if not pages:
            raise _err(E_PDF_BROKEN, "PDF 文件没有页面（文件结构已损坏），请重新导出 PDF 或提供 .docx")
    except InputError:
        raise
    except RecursionError:
        raise _err(E_PDF_BROKEN, "PDF 文件结构嵌套过深（文件已损坏或是恶意构造），无法读取，请重新导出 PDF 或提供 .docx") from None
    except MemoryError:
        raise _err(E_TOO_LARGE, "PDF 内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds; none may escape
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, pdflimits.PdfTooLarge):
            raise _err(E_TOO_LARGE, str(cause)) from None
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _err(E_PDF_ENCRYPTED, "PDF 设有打开密码（已加密），请提供未加密的 PDF 或 .docx") from None
        raise _err(E_PDF_BROKEN, f"PDF 文件已损坏，无法读取（{type(cause).__name__}），"
                                 "请重新导出 PDF 或提供 .docx") from None
    _check_text(pages)
    return Document(path=str(path), format="pdf", blocks=_blocks(pages))


def _preflight(path: str) -> None:
    """E013/E001/E016 before pdfminer: missing, empty, not a PDF, truncated."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
            size = f.seek(0, os.SEEK_END)
            f.seek(max(size - 2048, 0))
            tail = f.read()
    except OSError as e:
        raise _err(E_OS, f"无法读取文件（{e.strerror or e}），请检查文件是否存在、可以访问") from None
    if not head:
        raise _err(E_EMPTY, "文件是空的（0 字节），请确认保存完整后再检查")
    if b"%PDF-" not in head:
        raise _err(E_PDF_BROKEN, "不是 PDF 文件（没有 PDF 文件头），请检查文件类型，或提供 .docx")
    if b"%%EOF" not in tail:
        raise _err(E_PDF_BROKEN, "PDF 文件不完整（缺少文件结尾，可能下载或复制时被截断），请重新下载或导出")


def _check_text(pages: list[_Page]) -> None:
    chars = sum(p.chars for p in pages)
    unmapped = sum(p.unmapped for p in pages)
    if chars == 0:
        raise _err(E_PDF_NO_TEXT, "PDF 没有文字层（可能是扫描件），请提供可复制文字的 PDF 或 .docx")
    if unmapped * 2 > chars:
        raise _err(E_PDF_NO_TEXT, "PDF 的文字无法提取（字体缺少字符映射），请提供可复制文字的 PDF 或 .docx")


# =========================================================================== one page
@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int = 0
    number: int = 0  # line on the page, from the top


@dataclass
class _RawCell:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    page: int
    line: int


@dataclass
class _RawTable:
    x0: float
    top: float
    x1: float
    bottom: float
    cells: list[_RawCell]
    page: int  # the page it ends on


@dataclass
class _Page:
    number: int
    width: float
    items: list = field(default_factory=list)  # _Line and _RawTable, top to bottom
    chars: int = 0  # characters of the text layer (not spaces)
    unmapped: int = 0  # characters without a Unicode mapping ("(cid:123)")


def _read_page(page, number: int) -> _Page:
    page = page.dedupe_chars()
    chars = [c for c in page.chars if c.get("upright", True) and c["text"]]
    out = _Page(number, page.width)
    out.chars = sum(1 for c in chars if not c["text"].isspace())
    out.unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if not out.chars:
        return out
    tables = [t for t in page.find_tables() if len(t.cells) > 1]
    free: list = []
    in_cell: dict[tuple[int, int], list] = {}
    for c in chars:
        # a closing mark (、。，) may hang over the cell border (hanging punctuation): take its left edge
        cx = c["x0"] + 1 if c["text"] in _NO_LINE_START else (c["x0"] + c["x1"]) / 2
        cy = (c["top"] + c["bottom"]) / 2
        for ti, t in enumerate(tables):
            x0, top, x1, bottom = t.bbox
            if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                for ci, (cx0, ctop, cx1, cbottom) in enumerate(t.cells):
                    if cx0 <= cx <= cx1 and ctop <= cy <= cbottom:
                        in_cell.setdefault((ti, ci), []).append(c)
                        break
                break
        else:
            free.append(c)
    lines = _lines(free)
    cell_lines = {k: _lines(v) for k, v in in_cell.items()}
    _number([*lines, *(ln for v in cell_lines.values() for ln in v)], number)
    numbered = sorted({(ln.top, ln.number) for ln in lines} | {(ln.top, ln.number) for v in cell_lines.values()
                                                                 for ln in v})
    lines = _drop_page_numbers(lines)
    items: list = list(lines)
    for ti, t in enumerate(tables):
        cells = []
        for ci, (x0, top, x1, bottom) in enumerate(t.cells):
            cls = cell_lines.get((ti, ci), [])
            line = cls[0].number if cls else _line_at(numbered, top)
            cells.append(_RawCell(x0, top, x1, bottom, _join([ln.text for ln in cls]), number, line))
        items.append(_RawTable(*t.bbox, cells=cells, page=number))
    items.sort(key=lambda it: it.top)
    out.items = items
    return out


def _lines(chars: list) -> list[_Line]:
    """Characters grouped into lines (tops within half a character), left to right."""
    out: list[_Line] = []
    group: list = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if group and c["top"] - group[0]["top"] > group[0]["size"] * 0.5:
            out.append(_line(group))
            group = []
        group.append(c)
    if group:
        out.append(_line(group))
    return [ln for ln in out if ln.text]


def _line(chars: list) -> _Line:
    chars.sort(key=lambda c: c["x0"])
    parts: list[str] = []
    prev = None
    for c in chars:
        if prev is not None and c["x0"] - prev["x1"] > 0.5 * c["size"] and parts[-1] != " " and c["text"] != " ":
            parts.append(" ")
        parts.append(c["text"])
        prev = c
    ink = [c for c in chars if not c["text"].isspace()]
    sizes = Counter(round(c["size"], 1) for c in ink)
    return _Line(
        text=re.sub(r"\s+", " ", "".join(parts)).strip(),
        x0=min((c["x0"] for c in ink), default=chars[0]["x0"]),
        x1=max((c["x1"] for c in ink), default=chars[-1]["x1"]),
        top=min(c["top"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=sizes.most_common(1)[0][0] if sizes else chars[0]["size"],
    )


def _number(lines: list[_Line], page: int) -> None:
    """Number the lines of a page from the top, as pdfplumber's ``extract_text_lines`` counts
    them: lines whose tops follow each other within 3 pt share a number (cells of a table row)."""
    n, prev = 0, None
    for ln in sorted(lines, key=lambda ln: ln.top):
        if prev is None or ln.top - prev > 3:
            n += 1
        prev = ln.top
        ln.number = n
        ln.page = page


def _line_at(numbered: list[tuple[float, int]], top: float) -> int:
    """Number of the first line at or below ``top`` (an empty cell), else the last line."""
    i = bisect_left(numbered, (top - 1, 0))
    if i < len(numbered):
        return numbered[i][1]
    return numbered[-1][1] if numbered else 1


def _drop_page_numbers(lines: list[_Line]) -> list[_Line]:
    lines = sorted(lines, key=lambda ln: ln.top)
    if lines and _PAGE_NUMBER.match(lines[-1].text):
        lines.pop()
    if lines and _PAGE_NUMBER.match(lines[0].text):
        lines.pop(0)
    return lines


def _join(texts: list[str]) -> str:
    """Wrapped lines as one text: no space in between, except between two Latin words."""
    out = ""
    for t in texts:
        if out and _LATIN.match(out[-1]) and _LATIN.match(t[0]):
            out += " "
        out += t
    return out


# =========================================================================== the document
@dataclass
class _Geometry:
    """The body text's layout, from all the lines outside tables."""

    left: float
    right: float
    size: float  # body font size
    pitch: float  # body line pitch (top to top)


def _geometry(pages: list[_Page]) -> _Geometry:
    lines = [it for p in pages for it in p.items if isinstance(it, _Line)]
    sizes: Counter = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    size = sizes.most_common(1)[0][0]  # the size most of the text has
    body = [ln for ln in lines if ln.size == size]
    starts = Counter(round(ln.x0) for ln in body)
    left = min([x for x, n in starts.items() if n > 1] or starts)  # where continuation lines start
    ends = sorted(round(ln.x1) for ln in body)
    right, n = Counter(ends[len(ends) // 2:]).most_common(1)[0]  # where full lines end
    if n < 3:  # too few lines to tell: assume margins of equal width
        right = next(p.width for p in pages if p.items) - left
    pitches = Counter(
        round(b.top - a.top) for p in pages for a, b in zip(p.items, p.items[1:])
        if isinstance(a, _Line) and isinstance(b, _Line) and a.size == b.size == size and b.top > a.top)
    pitch = pitches.most_common(1)[0][0] if pitches else size * 1.5
    return _Geometry(left, right, size, pitch)


def _first_word_width(ln: _Line) -> float:
    """Width the first word of ``ln`` needs at the end of the line above (estimated): a Latin
    word or one character, with the brackets before it and the punctuation after it (which
    cannot start a line), and a Latin word or number right after that punctuation
    (「（<http://…>）」, 「度》，2024」 stay together)."""
    text = ln.text
    per_char = (ln.x1 - ln.x0) / max(len(text), 1)
    n = len(text) - len(text.lstrip(_NO_LINE_END))  # an opening bracket goes with what follows
    m = _ASCII_WORD.match(text, n)
    n = m.end() if m else n + 1
    if n < len(text) and text[n] in _NO_LINE_START:
        while n < len(text) and text[n] in _NO_LINE_START:
            n += 1
        m = _ASCII_WORD.match(text, n)
        n = m.end() if m else n
    return n * per_char


def _centred(ln: _Line, g: _Geometry, first: bool) -> bool:
    """Centred text (the ``first`` line may be full): larger than the body, or not a first-line indent."""
    left, right = ln.x0 - g.left, g.right - ln.x1
    if abs(left - right) >= ln.size:
        return False
    if ln.size > g.size + 1:
        return True
    if first:
        return not 0.8 * g.size < left <= 2.5 * g.size
    return left > 2.5 * g.size


def _breaks(a: _Line, b: _Line, g: _Geometry, same_page: bool) -> bool:
    """True when line ``b`` starts a new paragraph after line ``a``."""
    if abs(a.size - b.size) > 1:
        return True
    if _centred(a, g, True) and _centred(b, g, False) and not _ENDING.search(a.text):
        return False  # a centred title wrapped over two lines
    if b.x0 - g.left > 0.8 * b.size:  # indented (or centred)
        return True
    if same_page and b.top - a.top > 1.5 * g.pitch + 2:
        return True
    room = g.right - a.x1 - _first_word_width(b)  # room left after the next line's first word
    return room > (0.25 if _ENDING.search(a.text) else 1.5) * a.size


def _blocks(pages: list[_Page]) -> list:
    items = [it for p in pages for it in p.items]
    g = _geometry(pages) if any(isinstance(it, _Line) for it in items) else None
    blocks: list = []
    para: list[_Line] = []
    table: _RawTable | None = None
    foot = max((it.bottom for it in items), default=0.0)  # the foot of the pages' text area

    def flush_para():
        if para:
            blocks.append(Paragraph(text=_join([ln.text for ln in para]), line=para[0].number, col=1,
                                    page=para[0].page))
            para.clear()

    def flush_table():
        nonlocal table
        if table is not None:
            blocks.append(_table(table))
            table = None

    part_bottom = 0.0  # where the table's part on its last page ends
    for it in items:
        if isinstance(it, _RawTable):
            flush_para()
            if table is not None and _continues(table, it):
                table = _append(table, it, cut=part_bottom >= foot - _FOOT)
            else:
                flush_table()
                table = it
            part_bottom = it.bottom
            continue
        flush_table()
        if para and _breaks(para[-1], it, g, para[-1].page == it.page):
            flush_para()
        para.append(it)
    flush_para()
    flush_table()
    return blocks


# =========================================================================== tables
def _continues(first: _RawTable, nxt: _RawTable) -> bool:
    """``nxt`` (first on its page) goes on with ``first`` (last on the page before): same width."""
    return nxt.page == first.page + 1 and abs(first.x0 - nxt.x0) <= _TOL and abs(first.x1 - nxt.x1) <= _TOL


def _rows(cells: list[_RawCell]) -> list[list[_RawCell]]:
    rows: dict[float, list[_RawCell]] = {}
    for c in cells:
        key = next((k for k in rows if abs(k - c.top) <= _TOL), c.top)
        rows.setdefault(key, []).append(c)
    return [sorted(rows[k], key=lambda c: c.x0) for k in sorted(rows)]


def _same_row(a: list[_RawCell], b: list[_RawCell]) -> bool:
    return len(a) == len(b) and all(
        x.text == y.text and abs(x.x0 - y.x0) <= _TOL and abs(x.x1 - y.x1) <= _TOL for x, y in zip(a, b))


def _above(cells: list[_RawCell], c: _RawCell) -> _RawCell | None:
    """The cell of ``cells`` with the left and right edges of ``c``."""
    return next((a for a in cells if abs(a.x0 - c.x0) <= _TOL and abs(a.x1 - c.x1) <= _TOL), None)


def _cut_row(above: list[_RawCell], row: list[_RawCell]) -> bool:
    """``row`` (the first on its page) goes on with the cells ``above`` (the last on the page
    before): a row cut by the page break.  Only the cells of ``row`` under a cell of the same
    width count (a cell under a wider one starts the next row of a two-row header)."""
    pairs = [(a.text, c.text) for c in row if (a := _above(above, c)) is not None and a.text and c.text]
    return bool(pairs) and not any(_NUMBER.fullmatch(t) for pair in pairs for t in pair)


def _append(first: _RawTable, nxt: _RawTable, cut: bool) -> _RawTable:
    """``first`` with the rows of its continuation ``nxt`` below it (in first's coordinates);
    ``cut``: ``first`` ends at the foot of its page, so its last row may go on in ``nxt``."""
    head, rows = _rows(first.cells), _rows(nxt.cells)
    k = 0
    while k < len(head) and k < len(rows) - 1 and _same_row(head[k], rows[k]):
        k += 1  # the header rows, repeated on the new page
    cells = [c for r in rows[k:] for c in r]
    if not cells:
        return first
    shift = first.bottom - min(c.top for c in cells)
    bottom_cells = [c for c in first.cells if abs(c.bottom - first.bottom) <= _TOL]
    cut = cut and _cut_row(bottom_cells, rows[k])
    out = list(first.cells)
    top = min(c.top for c in cells)
    for c in cells:
        moved = _RawCell(c.x0, c.top + shift, c.x1, c.bottom + shift, c.text, c.page, c.line)
        above = _above(bottom_cells, c)
        if (cut or not c.text) and abs(c.top - top) <= _TOL and above is not None:
            above.text = _join([t for t in (above.text, c.text) if t])  # a cell cut by the page break
            above.bottom = moved.bottom
            continue
        out.append(moved)
    return _RawTable(first.x0, first.top, first.x1, max(c.bottom for c in out), out, nxt.page)


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    i = bisect_left(edges, v - _TOL)
    return min(i, len(edges) - 1)


def _table(raw: _RawTable) -> Table:
    xs = _edges([v for c in raw.cells for v in (c.x0, c.x1)])
    ys = _edges([v for c in raw.cells for v in (c.top, c.bottom)])
    rows: list[list[Cell]] = [[] for _ in range(len(ys) - 1)]
    for c in sorted(raw.cells, key=lambda c: (c.top, c.x0)):
        r, col = _index(ys, c.top), _index(xs, c.x0)
        rowspan = max(_index(ys, c.bottom) - r, 1)
        colspan = max(_index(xs, c.x1) - col, 1)
        rows[r].append(Cell(text=c.text, line=c.line, col=1, row=r, column=col, rowspan=rowspan,
                            colspan=colspan, page=c.page))
    first = min((c for row in rows for c in row), key=lambda c: (c.page, c.line))
    return Table(rows=rows, line=first.line, grid=True)
