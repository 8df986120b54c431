"""Positioned text into paragraphs and tables: the layout shared by the PDF and OFD readers.

A fixed-layout reader (PDF, OFD) only extracts what is placed on each page --
pieces of text (a glyph, or a run of glyphs) with their boxes, and the ruled
tables' cells -- and calls :func:`page` for each page, then :func:`blocks` for
the document.  Coordinates are in points, from the top left of the page (y down);
a piece of text is a mapping with ``text``, ``x0``, ``x1``, ``top``, ``bottom``
and ``size`` (and, for a run of characters, ``xs``: each character's x0 and x1).

* pieces are grouped into text lines (one height, within half a character),
  on each page; lines are numbered from the top of the page, table text
  included (tops within 3 pt: one line)
  (``Paragraph.line`` / ``Cell.line``, with ``page``);
* lines outside tables join into paragraphs.  A line ends its paragraph when
  the next line is indented (first-line indent, centred text), when it stops
  short of the right margin with room left for the next line's first word (so
  short headings like 「一、总体情况」 stand alone, while a line that wrapped
  before a long URL does not), when it ends in 。：；！？ one character or more
  short of the margin, or at a change of font size or a paragraph gap.  A
  paragraph goes on over a page break by the same rules.  Page numbers
  (「— 3 —」「第3页」) at the top or bottom of a page are dropped;
* ruled tables (:func:`ruled_tables` finds them from the rules' edges, with
  the method of pdfplumber's "lines" strategy) become :class:`Table` blocks: cells map onto the
  grid of all the cell edges, so a merged cell is one :class:`Cell` with its
  rowspan/colspan, as in the docx reader; a cell's wrapped lines are joined.
  Text inside a table is never also a paragraph.  A table that ends one page
  and goes on at the top of the next (same width, nothing in between) is one
  table: a repeated header is dropped, and an empty cell that continues a
  merged cell cut by the page break extends it.  A row cut by the page break
  (Word and LibreOffice let a row break across pages: 「结果维」 at the foot of
  one page, 「持」 at the top of the next) is one row, each cell's texts joined:
  the table ends at the foot of the page (within 20 pt of the lowest text of
  the document), a text goes on from a cell into the cell of the same width
  below it at least once, and no such pair holds a number (a number is never
  cut: a number under a filled cell starts a new row).  A box of one cell is
  not a table (its text is read as paragraphs).
* tables without cell boxes (three-line tables, or no rules at all) are found
  among the text outside the ruled tables by :func:`unruled_tables`, from their
  rows of numbers (columns where the numbers line up, rows where they stand; cells
  set flush left, centred or to the right; see there), in the form of the ruled
  tables' cells; they go over a page break the same way (their column edges moved
  onto the first part's, a header repeated on the new page dropped), never cutting
  a row.  A page whose table does not tell how its numbers stand in their cells (a
  table of zeros) is laid out again the way the document's other tables tell.
* :func:`garbled` tells text extracted as garbage (a font without a usable
  character map: thousands of CJK characters, a few distinct ones).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from gxlint.model import Cell, Paragraph, Table

__all__ = ["Page", "page", "blocks", "ruled_tables", "unruled_tables", "garbled", "BBox"]

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
_TOL = 2.0  # points: edges closer than this are one grid line
_FOOT = 20.0  # points: a table ending this close to the lowest text of the document ends at the foot of its page
_NUMBER = re.compile(r"[-+]?\d[\d,.]*%?")
_ENDING = re.compile(r"[。：；！？:;!?][”’」』）)]*$")
_PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+(?:\s*/\s*\d+)?)[-—–－_\s]*$")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"[\x21-\x7e]+")
_SPACES = re.compile(r"\s+")
_SPACE = re.compile(r"\s")
_X0 = itemgetter("x0")
_TOP_X0 = itemgetter("top", "x0")
_NO_LINE_START = "，。、；：？！）》」』”’,.;:?!)]}%"
_NO_LINE_END = "（《「『“‘([{<"


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
    chars: list = field(default_factory=list, repr=False)  # its pieces of text


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
    ruled: bool = True  # False: found by :func:`unruled_tables` (column positions, no cell boxes)
    single: bool = False  # a box of one cell at the foot of the page: a table's first row, if one goes on below
    size: float = 0.0  # its text's size (tables without cell boxes)


@dataclass
class Page:
    number: int
    width: float
    items: list = field(default_factory=list)  # _Line and _RawTable, top to bottom
    chars: int = 0  # characters (not spaces)
    cjk: Counter = field(default_factory=Counter)  # its CJK characters (see :func:`garbled`)
    source: tuple = ((), ())  # what :func:`page` was given (pieces of text, ruled tables): laid out again by :func:`blocks`
    # how its tables without cell boxes set their numbers in their cells ("left", "right", "centre"):
    told: Counter = field(default_factory=Counter)  # as they tell (their values, their headers)
    fitted: Counter = field(default_factory=Counter)  # else as their texts fit best (:func:`_fitted`)
    untold: set = field(default_factory=set)  # the ways taken where a table does not tell (None: not known)
    hint: str | None = None  # the way taken where a table does not tell (the document's, :func:`_told`)


def ruled_tables(edges: Sequence[Mapping], bbox: BBox) -> list[tuple[BBox, list[BBox]]]:
    """The ruled tables drawn by ``edges`` (mappings with ``x0``, ``x1``, ``top``, ``bottom`` and
    ``orientation`` 'h' or 'v', in points from the top left) on a page of ``bbox``.  Each table is
    (bbox, cell bboxes), top to bottom; a lone box is one too (:func:`page` reads its text as a
    paragraph, unless it ends the page and a table goes on at the top of the next).

    The rules are those a reader sees: edges within 3 pt of one line snap onto it (their mean),
    pieces of one line less than 3 pt apart join, and lines shorter than 3 pt are dropped.  A cell
    is the smallest rectangle whose four corners are crossings of rules (within 3 pt) joined by
    rules; cells sharing a corner are one table (the method of pdfplumber's "lines" strategy)."""
    x_min, top_min, x_max, bottom_max = bbox
    h: list[tuple[float, float, float]] = []  # (y, x0, x1)
    v: list[tuple[float, float, float]] = []  # (x, top, bottom)
    for e in edges:
        x0, x1, top, bottom = e["x0"], e["x1"], e["top"], e["bottom"]
        if x1 < x_min - _SNAP or x0 > x_max + _SNAP or bottom < top_min - _SNAP or top > bottom_max + _SNAP:
            continue
        if e["orientation"] == "h":
            if x1 - x0 >= 1:
                h.append((top, x0, x1))
        elif bottom - top >= 1:
            v.append((x0, top, bottom))
    h, v = _merge_rules(h), _merge_rules(v)
    if not h or not v or len(h) * len(v) > _MAX_CROSSINGS:
        return []
    # crossings: (x, y) -> (the vertical rules, the horizontal rules through it)
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    hs = sorted(range(len(h)), key=lambda i: h[i][0])
    ys = [h[i][0] for i in hs]
    for vi, (x, top, bottom) in enumerate(v):
        for k in range(bisect_left(ys, top - _SNAP), len(ys)):
            hi = hs[k]
            y, x0, x1 = h[hi]
            if y > bottom + _SNAP:
                break
            if x0 - _SNAP <= x <= x1 + _SNAP:
                p = points.get((x, y))
                if p is None:
                    if len(points) >= _MAX_CROSSINGS:
                        return []
                    p = points[(x, y)] = (set(), set())
                p[0].add(vi)
                p[1].add(hi)
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in sorted(points):
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells: list[BBox] = []
    for (x, y), (pv, ph) in sorted(points.items()):
        cell = None
        for yb in by_x[x]:
            if yb <= y or not pv & points[(x, yb)][0]:
                continue
            for xr in by_y[y]:
                if xr <= x or not ph & points[(xr, y)][1]:
                    continue
                corner = points.get((xr, yb))
                if corner is not None and corner[0] & points[(xr, y)][0] and corner[1] & points[(x, yb)][1]:
                    cell = (x, y, xr, yb)
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return _group_cells(cells)


_SNAP = 3.0  # points: rules this close are one; crossings within this count
_MAX_CROSSINGS = 200_000  # a page with more crossings of rules than this has no table of a report


def _merge_rules(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """(position, start, end) rules of one direction: positions within :data:`_SNAP` of each
    other (a chain of them) moved to their mean, then pieces of one line joined when less than
    :data:`_SNAP` apart; rules shorter than 3 pt dropped."""
    rules.sort()
    snapped: list[tuple[float, float, float]] = []
    group: list[tuple[float, float, float]] = []
    for r in rules:
        if group and r[0] - group[-1][0] > _SNAP:
            mean = sum(g[0] for g in group) / len(group)
            snapped += [(mean, a, b) for _, a, b in group]
            group = []
        group.append(r)
    if group:
        mean = sum(g[0] for g in group) / len(group)
        snapped += [(mean, a, b) for _, a, b in group]
    snapped.sort()
    out: list[list[float]] = []
    for pos, a, b in snapped:
        if out and out[-1][0] == pos and a <= out[-1][2] + _SNAP:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out if b - a >= 3]


def _group_cells(cells: list[BBox]) -> list[tuple[BBox, list[BBox]]]:
    """Cells sharing a corner are one table (a box alone too: :func:`page` decides what it is)."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    corner_of: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = corner_of.setdefault(corner, i)
            if j != i:
                parent[root(i)] = root(j)
    groups: dict[int, list[BBox]] = {}
    for i, c in enumerate(cells):
        groups.setdefault(root(i), []).append(c)
    tables = list(groups.values())
    tables.sort(key=lambda g: min((c[1], c[0]) for c in g))
    return [((min(c[0] for c in g), min(c[1] for c in g), max(c[2] for c in g), max(c[3] for c in g)), g)
            for g in tables]


def page(number: int, width: float, chars: Sequence[Mapping], tables: Sequence[tuple[BBox, Sequence[BBox]]],
         hint: str | None = None) -> Page:
    """One page: its pieces of text ``chars`` (upright, non-empty) and its ruled ``tables``
    (from :func:`ruled_tables`), as lines and tables from the top down; ``hint``: how the
    numbers of a table without cell boxes stand in their cells when its own do not tell (see
    :func:`unruled_tables`)."""
    out = Page(number, width, source=(chars, tables), hint=hint)
    text = "".join([c["text"] for c in chars])
    out.chars = len(text) - len(_SPACE.findall(text))
    out.cjk = Counter(_CJK.findall(text))
    if not out.chars:
        return out
    foot_box = _box_at_foot(chars, tables)
    tables = [t for t in tables if len(t[1]) > 1 or t is foot_box]
    free, in_cell = _assign(chars, tables, 0)
    free = _runs(free)
    in_cell = {k: _runs(v) for k, v in in_cell.items()}
    unruled = _unruled_tables(free, hint, out)
    free, more = _assign(free, unruled, len(tables), cut=False)
    in_cell.update(more)
    ruled = len(tables)
    tables = [*tables, *unruled]
    lines = _lines(free)
    cell_lines = {k: _lines(v) for k, v in in_cell.items()}
    _number([*lines, *(ln for v in cell_lines.values() for ln in v)], number)
    numbered = sorted({(ln.top, ln.number) for ln in lines} | {(ln.top, ln.number) for v in cell_lines.values()
                                                                 for ln in v})
    lines = _drop_page_numbers(lines)
    items: list = list(lines)
    for ti, (tbox, tcells) in enumerate(tables):
        cells = []
        for ci, (x0, top, x1, bottom) in enumerate(tcells):
            cls = cell_lines.get((ti, ci), [])
            line = cls[0].number if cls else _line_at(numbered, top)
            cells.append(_RawCell(x0, top, x1, bottom, _join([ln.text for ln in cls]), number, line))
        items.append(_RawTable(*tbox, cells=cells, page=number, ruled=ti < ruled, single=len(cells) == 1,
                               size=_text_size(cell_lines, ti, len(cells))))
    items.sort(key=lambda it: it.top)
    out.items = items
    return out

def _box_at_foot(chars, tables):
    """The box of one cell that is the last thing on the page (but its page number), if any:
    the first row of a table that a page break cut there, when a table goes on at the top of
    the next page (:func:`blocks` decides)."""
    singles = [t for t in tables if len(t[1]) == 1]
    if not singles:
        return None
    box = max(singles, key=lambda t: t[0][3])
    if any(t[0][1] > box[0][1] for t in tables if t is not box):
        return None
    below = [c for c in chars if (c["top"] + c["bottom"]) / 2 > box[0][3]]
    if below and not all(_PAGE_NUMBER.match(ln.text) for ln in _lines(_runs(below))):
        return None
    return box


def _text_size(cell_lines: dict, ti: int, n: int) -> float:
    sizes = [ln.size for ci in range(n) for ln in cell_lines.get((ti, ci), ())]
    return _mode(sizes) if sizes else 0.0


def garbled(pages: list[Page]) -> bool:
    """The text extracted is garbage: many CJK characters, but only a few distinct ones (a font
    whose Unicode map is degenerate -- LibreOffice without a CJK font exports Chinese that reads
    back as 「上上上上办办办」).  Real text of 200 characters uses scores of distinct ones, and a
    report of thousands, hundreds: at most 20 (or one in a hundred) is never real text."""
    cjk: Counter = Counter()
    for p in pages:
        cjk.update(p.cjk)
    total = sum(cjk.values())
    return total >= 200 and len(cjk) <= max(20, total // 100)


def _assign(chars, tables, first: int, cut: bool = True) -> tuple[list, dict[tuple[int, int], list]]:
    """(the pieces outside ``tables``, (table index + ``first``, cell index) -> its pieces).  A
    piece goes where its middle is (a closing mark that may hang over the cell border, 、。，:
    where it starts); with ``cut`` (ruled tables), a run of characters whose first and last
    characters are not in the same place (a run that a rule cuts) is cut into its characters
    (``xs``: their extents).  The columns of a table without rules are told from the gaps
    between its runs, so no run is cut there."""
    free: list = []
    in_cell: dict[tuple[int, int], list] = {}
    if not tables:
        return list(chars), in_cell
    # each table's cells by bands of _BAND points (a cell in every band it reaches), so that a
    # character is compared with the few cells of its band, not with every cell of the table
    bands = []
    for tbox, tcells in tables:
        band: dict[int, list] = {}
        for ci, (cx0, ctop, cx1, cbottom) in enumerate(tcells):
            for k in range(int(ctop // _BAND), int(cbottom // _BAND) + 1):
                band.setdefault(k, []).append((ci, cx0, ctop, cx1, cbottom))
        bands.append(band)
    boxes = [t[0] for t in tables]

    def place(cx: float, cy: float):
        """(table, cell) at the point; None outside the tables; () inside a table, in no cell."""
        for ti, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1:
                for ci, cx0, ctop, cx1, cbottom in bands[ti].get(int(cy // _BAND), ()):
                    if cx0 <= cx <= cx1 and ctop <= cy <= cbottom:
                        return ti + first, ci
                return ()
        return None

    def middle(text: str, x0: float, x1: float) -> float:
        return x0 + 1 if text in _NO_LINE_START else (x0 + x1) / 2

    def put(c, where) -> None:
        if where is None:
            free.append(c)
        elif where:
            in_cell.setdefault(where, []).append(c)

    above, below = min(b[1] for b in boxes) - 1, max(b[3] for b in boxes) + 1
    for c in chars:
        cy = (c["top"] + c["bottom"]) / 2
        if cy < above or cy > below:
            free.append(c)  # above or below every table (most lines of a page)
            continue
        text, xs = c["text"], c.get("xs")
        if not cut or xs is None or len(xs) < 2 or len(xs) != len(text):
            put(c, place(middle(text, c["x0"], c["x1"]), cy))
            continue
        where = place(middle(text[0], *xs[0]), cy)
        if place(middle(text[-1], *xs[-1]), cy) == where:
            put(c, where)
            continue
        for ch, (x0, x1) in zip(text, xs):  # cut by a rule: character by character
            put(dict(c, text=ch, x0=x0, x1=x1, xs=[(x0, x1)]), place(middle(ch, x0, x1), cy))
    return free, in_cell


_BAND = 8.0


def _runs(chars: list) -> list:
    """Pieces of text that follow each other (in the order given: the file's) on one baseline,
    at one size, touching, joined into one piece: the layout's work then goes by runs of text,
    not characters.  A gap of a quarter of a character or more is kept (spaces, cells and
    columns are told from gaps of 0.4 character and more)."""
    out: list = []
    last = None
    for c in chars:
        if (last is not None and c["size"] == last["size"] and abs(c["top"] - last["top"]) < 0.1
                and -0.1 * c["size"] <= c["x0"] - last["x1"] < 0.25 * c["size"]):
            last["text"] += c["text"]
            last["x1"] = max(last["x1"], c["x1"])
            last["xs"] = None  # laid out from here on as one piece
            continue
        last = dict(c)
        out.append(last)
    return out


def _lines(chars: list) -> list[_Line]:
    """Characters grouped into lines (:func:`_line_groups`), left to right."""
    return [ln for ln in map(_line, _line_groups(chars)) if ln.text]


def _line_groups(chars: list) -> list[list]:
    """The pieces of text of each line, from the top down: a piece whose top is within half a
    character of the line's reference piece -- the last one of the line's largest size so far,
    so that a raised note (a superscript) at the line's top does not leave a smaller piece
    lower in the line, a number at a smaller size, to a line of its own."""
    groups: list[list] = []
    ref = None
    for c in sorted(chars, key=_TOP_X0):
        if ref is None or c["top"] - ref["top"] > ref["size"] * 0.5:
            groups.append([])
            ref = None
        if ref is None or c["size"] >= ref["size"]:
            ref = c
        groups[-1].append(c)
    return groups


def _line(chars: list) -> _Line:
    if len(chars) == 1:  # a cell's one piece, a short line: most lines of a table
        c = chars[0]
        text = c["text"]
        return _Line(chars=chars, text=_SPACES.sub(" ", text).strip() if _SPACE.search(text) else text,
                     x0=c["x0"], x1=c["x1"], top=c["top"], bottom=c["bottom"],
                     size=round(c["size"], 1) if not text.isspace() else c["size"])
    chars.sort(key=_X0)
    parts: list[str] = []
    prev = None
    for c in chars:
        if prev is not None and c["x0"] - prev["x1"] > 0.5 * c["size"] and parts[-1] != " " and c["text"] != " ":
            parts.append(" ")
        parts.append(c["text"])
        prev = c
    ink = [c for c in chars if not c["text"].isspace()]
    return _Line(chars=chars,
        text=_SPACES.sub(" ", "".join(parts)).strip(),
        x0=min((c["x0"] for c in ink), default=chars[0]["x0"]),
        x1=max((c["x1"] for c in ink), default=chars[-1]["x1"]),
        top=min(c["top"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=_mode([round(c["size"], 1) for c in ink]) if ink else chars[0]["size"],
    )


def _mode(values: list):
    """The most frequent of ``values``, the first of them on a tie (as ``Counter.most_common``)."""
    if len(values) == 1:
        return values[0]
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__)


def _number(lines: list[_Line], page: int) -> None:
    """Number the lines of a page from the top: lines whose tops follow each other within 3 pt
    share a number (cells of a table row)."""
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


# =========================================================================== unruled tables
_VALUE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?|[/／\\\-－—–―_]+")
_DIGIT = re.compile(r"\d")
_SPLIT = 0.4  # a gap wider than this many characters (of the text's size) parts two pieces of a line
_LEAD = 1.5  # a gap taller than this many characters between two lines: not the same table
_WRAP = 0.6  # a gap at most this many characters tall: wrapped lines of one cell


@dataclass
class _Chunk:
    """A piece of a text line standing apart from its neighbours (a cell's text on that line)."""

    chars: list
    x0: float
    x1: float  # where its text ends, closing marks that may hang over the cell border left out
    top: float
    bottom: float
    size: float
    text: str
    right: float = 0.0  # where its last glyph ends, closing marks included (a centred line is centred with them)
    cols: tuple[int, int] = (0, 0)  # first and last column

    @property
    def centre(self) -> float:
        return (self.x0 + self.right) / 2

    def apart(self, other: _Chunk) -> float:
        """How far apart the middles of two pieces are: a piece ending in closing marks has its
        middle somewhere between that of its text without them and with them (a centred line
        is centred with their advance, which the glyph's box or a reader's estimate of the last
        character's width does not give exactly)."""
        lo, hi = (self.x0 + self.x1) / 2, self.centre
        olo, ohi = (other.x0 + other.x1) / 2, other.centre
        return max(0.0, lo - ohi, olo - hi)

    @property
    def value(self) -> bool:
        return bool(_VALUE.fullmatch(self.text))

    @property
    def number(self) -> bool:
        return self.value and bool(_DIGIT.search(self.text))


@dataclass
class _TLine:
    chunks: list[_Chunk]
    top: float
    bottom: float
    size: float

    @cached_property
    def values(self) -> list[_Chunk]:
        """The values (numbers and dashes) ending the line, when it is a row of a table: one
        number at least, after a gap, and nothing but values after the first number (looked
        up again and again while the table is laid out: found once)."""
        first = next((i for i, c in enumerate(self.chunks) if c.number), None)
        if first is None or not all(c.value for c in self.chunks[first:]):
            return []
        if len(self.chunks) < 2 or first > 3:  # more than three pieces before: words of a justified line
            return []
        return self.chunks[first:]


def _chunk(chars: list) -> _Chunk:
    ink = [c for c in chars if not c["text"].isspace()] or chars
    # closing marks (、。，) may hang over the cell border (hanging punctuation): where they start
    x1 = max(max(c["x0"] + 1, c["x1"] - _hanging(c["text"]) * c["size"]) for c in ink)
    return _Chunk(chars=chars, x0=min(c["x0"] for c in ink), x1=x1,
                  top=min(c["top"] for c in ink), bottom=max(c["bottom"] for c in ink),
                  size=_mode([round(c["size"], 1) for c in ink]), text=_SPACES.sub(" ", "".join([c["text"] for c in chars])).strip(),
                  right=max(c["x1"] for c in ink))


def _hanging(text: str) -> int:
    """How many closing marks end ``text`` (a glyph, or a run of glyphs)."""
    return len(text) - len(text.rstrip(_NO_LINE_START))


def _text_lines(chars: list) -> list[_TLine]:
    """Characters grouped into lines (:func:`_line_groups`), each line cut into chunks at gaps."""
    out = []
    for g in _line_groups(chars):
        g.sort(key=lambda c: c["x0"])
        chunks, cur = [], [g[0]]
        for c in g[1:]:
            if c["x0"] - cur[-1]["x1"] > _SPLIT * max(c["size"], cur[-1]["size"]):
                chunks.append(cur)
                cur = []
            cur.append(c)
        chunks.append(cur)
        chunks = [ch for ch in (_chunk(x) for x in chunks) if ch.text]
        if chunks:
            out.append(_TLine(chunks, min(c.top for c in chunks), max(c.bottom for c in chunks),
                              _mode([c.size for c in chunks])))
    return out


def unruled_tables(chars: Sequence[Mapping], hint: str | None = None) -> list[tuple[BBox, list[BBox]]]:
    """The tables drawn without cell boxes (three-line tables, or no rule at all) among the
    ``chars`` of a page (those outside its ruled tables), in the form of :func:`ruled_tables`.

    A table is found from its rows of numbers: a line whose last pieces (standing apart) are
    numbers (or dashes), after a label or not, is a data row; data rows one below the other,
    with nothing between them but lines of the same size close together, are one table, with
    the lines of that size just above them (the header) and just below (a label's last line).
    It must hold two data rows with three numbers, two of them in one column, or a row of four
    numbers: prose is never a table (a number inside a sentence is followed by text; a
    justified line has more than three pieces).

    Columns: the numbers of a column overlap from row to row (left-, right- or centre-aligned);
    its columns are those holding a number of the rows with the most numbers (a number between
    two of them, centred in a cell merged over both, spans them when its row fills the columns
    on either side, else it stands in a column of its own, under no header: which columns its
    cell covers is not guessed).  How the numbers stand in their cells tells where the
    columns' cells begin and end: their values, where they differ in width, else the headers
    over them; a table whose numbers are all of one width and whose headers do not tell takes
    ``hint`` (the way of the document's other tables, :func:`blocks`), else the way its texts
    fit best.  Left of the numbers, the labels' columns start where labels start, or, centred,
    have their middles at a few places (:func:`_label_columns`).  A text is in the columns it
    reaches into (a header centred over three columns, wider than one, covers them).

    Rows: each data row is one row, with the label text beside its numbers (wrapped lines, a
    label centred on several lines, the lines of a centred label, wider or narrower than the
    one above); any other text (headers, titles of blocks, a merged label centred between rows)
    is a cell of its own lines, its wrapped lines joined (flush left, a line wraps when the next
    one's first word would not fit before the next column; centred, when it would not fit in its
    columns, and nothing else stands under it there).  A number alone in its row under a header
    alone on its line is, with that header, a cell over all the columns of numbers (a block of
    one number a row, 表格一's 「本年处理决定数量」, however each stands in its cell).  Cells hold
    text only (an empty position has no cell).
    """
    return _unruled_tables(chars, hint, Page(0, 0.0))


def _unruled_tables(chars: Sequence[Mapping], hint: str | None, page: Page) -> list:
    """:func:`unruled_tables`, counting in ``page`` how the tables set their numbers (``told``,
    ``fitted``, ``untold``)."""
    lines = _text_lines(list(chars))
    data = [i for i, ln in enumerate(lines) if ln.values]
    runs: list[list[int]] = []
    for i in data:
        if runs and all(_close(lines[k - 1], lines[k], lines[runs[-1][-1]].size) for k in range(runs[-1][-1] + 1, i + 1)):
            runs[-1].append(i)
        else:
            runs.append([i])
    found = []
    for run in runs:
        values = [c for i in run for c in lines[i].values]
        numbers = [c for c in values if c.number]
        if not ((len(run) >= 2 and len(numbers) >= 3 and _aligned(numbers))
                or max(sum(c.number for c in lines[i].values) for i in run) >= 4):
            continue
        size = lines[run[0]].size
        a, b = run[0], run[-1]
        while a > 0 and _close(lines[a - 1], lines[a], size):
            a -= 1
        while b + 1 < len(lines) and _close(lines[b], lines[b + 1], size):
            b += 1
        found.append((lines[a:b + 1], {id(lines[i]) for i in run}, size))
    tables = []
    for f in found:
        table, told, align = _unruled(*f, hint)
        if table is not None:
            tables.append(table)
            if told is not None:
                page.told[told] += 1
            else:
                page.untold.add(align)
                if align is not None and hint is None:
                    page.fitted[align] += 1
    return tables


def _label_columns(labels: list[_Chunk], row_labels: list[_Chunk]) -> tuple[list[float], list[float] | None]:
    """Where the label columns start (left to right), and where their texts end when they are
    centred in their cells (else None).

    Labels set flush left start at a few places, one a column.  Labels centred in their cells
    start at as many places as they have lengths, but have few centres: the labels beside the
    rows of numbers (``row_labels``), grouped by centre, are taken as centred when they make
    fewer groups than by their starts (when they make as many -- a part of a table whose rows
    have one label each, all centred alike --, all the labels tell, headers included).  Then
    the columns are the groups that do not overlap each other and hold the most labels (a label
    over several columns -- 「一、本年新收政府信息公开申请数量」 over the three label columns --
    overlaps the columns it spans, and there are fewer of them)."""
    def groups(chunks, key) -> list[list[_Chunk]]:
        out: list[list[_Chunk]] = []
        for c in sorted(chunks, key=key):
            if out and key(c) - key(out[-1][-1]) <= 3:
                out[-1].append(c)
            else:
                out.append([c])
        return out

    def start(c):
        return c.x0

    def centre(c):
        return c.centre

    by_start = groups(labels, start)
    by_centre = groups(row_labels, centre)
    centres, starts = len(by_centre), len(groups(row_labels, start))
    if centres == starts:
        centres, starts = len(groups(labels, centre)), len(by_start)
    if not row_labels or centres >= starts:
        return [g[0].x0 for g in by_start], None
    spans = sorted((max(c.x1 for c in g), min(c.x0 for c in g), len(g)) for g in by_centre)
    # the heaviest set of groups whose extents do not overlap (weighted interval scheduling)
    best: list[tuple[int, list]] = [(0, [])]
    for i, (x1, x0, n) in enumerate(spans):
        k = max((j + 1 for j in range(i) if spans[j][0] <= x0), default=0)
        take = (best[k][0] + n, [*best[k][1], (x0, x1)])
        best.append(max(best[-1], take, key=lambda t: t[0]))
    columns = sorted(best[-1][1])
    return [x0 for x0, _ in columns], [x1 for _, x1 in columns]


def _aligned(numbers: list[_Chunk]) -> bool:
    """Two numbers of different rows in one column (their extents overlap)."""
    return any(a.x0 < b.x1 and b.x0 < a.x1 and abs(a.top - b.top) > 1 for i, a in enumerate(numbers)
               for b in numbers[i + 1:])


def _cols(chunks: list[_Chunk]) -> tuple[int, int]:
    return min(c.cols[0] for c in chunks), max(c.cols[1] for c in chunks)


def _close(a: _TLine, b: _TLine, size: float) -> bool:
    """Line ``b`` goes on from ``a`` in a table of text ``size``: same size, no paragraph gap."""
    return abs(b.size - size) <= 0.6 and abs(a.size - size) <= 0.6 and b.top - a.bottom <= _LEAD * size


_REACH = 0.4  # characters: a text reaches into a column when it overlaps it by more than this


def _overlapping(values: list[_Chunk]) -> list[list[_Chunk]]:
    """The values in columns: values whose extents overlap, row after row (left-, right- or
    centre-aligned alike), left to right."""
    out: list[list[_Chunk]] = []
    end = -math.inf
    for c in sorted(values, key=lambda c: c.x0):
        if out and c.x0 < end:
            out[-1].append(c)
            end = max(end, c.x1)
        else:
            out.append([c])
            end = c.x1
    return out


def _contents(columns: list[list[_Chunk]], texts: list[_Chunk]) -> list[list[_Chunk]]:
    """Each column of numbers with the texts over it alone (overlapping its values and no other
    column's): its values and its header's lines."""
    extents = [(min(v.x0 for v in col), max(v.x1 for v in col)) for col in columns]
    out: list[list[_Chunk]] = [list(col) for col in columns]
    for c in texts:
        hit = [j for j, (a, b) in enumerate(extents) if c.x0 < b and c.x1 > a]
        if len(hit) == 1:
            out[hit[0]].append(c)
    return out


def _shared(groups: list[list[_Chunk]], size: float, least: int = 1) -> str | None:
    """How the pieces of each group (a column's values, with its header's lines or not) stand
    in their cells, "left", "right" or "centre": the edge or the middle they share where they
    differ in width; that of most groups telling it, if at least ``least`` do."""
    def share(chunks: list[_Chunk]) -> str | None:
        if max(c.right - c.x0 for c in chunks) - min(c.right - c.x0 for c in chunks) < 0.3 * size:
            return None
        spread = {name: max(map(at, chunks)) - min(map(at, chunks)) for name, at in (
            ("left", lambda c: c.x0), ("right", lambda c: c.right), ("centre", lambda c: c.centre))}
        best = min(spread, key=spread.get)
        return best if spread[best] <= 0.15 * size else None

    votes = Counter(a for a in map(share, groups) if a is not None)
    if not votes:
        return None
    best, n = votes.most_common(1)[0]
    return best if n >= least and 2 * n > sum(votes.values()) else None


def _alignment(columns: list[list[_Chunk]], contents: list[list[_Chunk]], size: float) -> str | None:
    """How the numbers stand in their cells, as the table tells: as its values tell
    (:func:`_shared`); where all the values of each column have one width, as the headers' lines
    over one column each tell with its values (:func:`_contents`) -- two columns at least, as
    one header may happen to stand centred over a column's values.  None when nothing tells."""
    return _shared(columns, size) or _shared(contents, size, 2)


def _fitted(columns: list[list[_Chunk]], contents: list[list[_Chunk]], texts: list[_Chunk],
            label_right: float) -> str | None:
    """The way ("left", "right", "centre") whose columns (:func:`_number_bounds`) hold the most
    texts right of the labels each within one column, if one does: where nothing else tells."""
    if len(columns) < 2:
        return None
    over = [c for c in texts if c.x0 > label_right]
    fits = {}
    for way in ("left", "right", "centre"):
        bounds = _number_bounds(columns, contents, way, label_right)
        fits[way] = sum(any(bounds[k] - 0.5 <= c.x0 and c.x1 <= bounds[k + 1] + 0.5 for k in range(len(columns)))
                        for c in over)
    best = max(fits, key=fits.get)
    return best if sorted(fits.values())[-2] < fits[best] else None


def _number_bounds(columns: list[list[_Chunk]], contents: list[list[_Chunk]], align: str | None,
                   label_right: float) -> list[float]:
    """Where the cells of the columns of numbers begin and end (len(columns) + 1 places, the
    last infinite when not known): between left-aligned columns, where the next one's values
    start; right-aligned, where the last one's end; centred, half way between their middles;
    else half way between what they hold (:func:`_contents`).  The first column and the last are
    as wide as their neighbour (the first after the labels beside the rows, ``label_right``; the
    last not known unless aligned); a column alone begins half way from those labels to what it
    holds (left-aligned: where its values start)."""
    lo = [min(v.x0 for v in col) for col in columns]
    hi = [max(v.x1 for v in col) for col in columns]
    held = [(min(c.x0 for c in col), max(c.x1 for c in col)) for col in contents]
    if align == "centre":
        at = [sorted(v.centre for v in col)[len(col) // 2] for col in columns]
    else:  # the place each column's values share
        at = {"left": lo, "right": hi}.get(align or "", [(a + b) / 2 for a, b in held])
    m = len(columns)
    inner = []
    for j in range(1, m):
        if align == "centre":
            inner.append((at[j - 1] + at[j]) / 2)
        elif align == "left":
            inner.append(lo[j])
        elif align == "right":
            inner.append(hi[j - 1])
        elif held[j - 1][1] < held[j][0]:
            inner.append((held[j - 1][1] + held[j][0]) / 2)
        else:
            inner.append((hi[j - 1] + lo[j]) / 2)
    if m > 1:
        first, last = inner[0] - (at[1] - at[0]), max(inner[-1] + (at[-1] - at[-2]), hi[-1])
        if align is None:  # (what the last column holds differs from page to page)
            last = math.inf
    else:
        first, last = held[0][0], math.inf
        if align == "left":
            first = lo[0]
        elif label_right > -math.inf:
            first = (label_right + held[0][0]) / 2
    return [min(max(first, label_right), lo[0]), *inner, last]


def _slots(x0: float, x1: float, bounds: list[float], first: int, last: int, reach: float) -> tuple[int, int]:
    """The columns ``first``..``last`` (column k between ``bounds[k]`` and ``bounds[k + 1]``)
    that the extent ``x0``..``x1`` reaches into by more than ``reach``; the one holding its
    middle when it reaches into none."""
    a = min(max(first, bisect_right(bounds, x0 + reach) - 1), last)
    b = min(max(first, bisect_right(bounds, x1 - reach) - 1), last)
    if b < a:
        a = b = min(max(first, bisect_right(bounds, (x0 + x1) / 2) - 1), last)
    return a, b


def _merged(rows: list[_TLine], size: float, texts: list[_Chunk], label_right: float,
            hint: str | None) -> list[list[_Chunk]]:
    """The columns of numbers (:func:`_overlapping`), each value's ``cols`` set (numbered from 0
    here): the columns are those holding a value of a row with the most values.

    A value in none of them (one centred in a cell merged over two columns stands between
    them) reaches into the columns its cell spans: they are its cell's when its row has values
    in the columns on either side (or the span ends the table), or when it reaches into one
    column its row leaves empty.  Else nothing tells over how many columns its cell is merged
    (two, or four around the same middle): it stays in a column of its own, under no header,
    for the report to read its row as one it cannot place."""
    most = max(len(ln.values) for ln in rows)
    full = {id(v) for ln in rows if len(ln.values) == most for v in ln.values}
    groups = _overlapping([v for ln in rows for v in ln.values])
    columns = [g for g in groups if any(id(v) in full for v in g)]
    loose = {id(v): v for g in groups if not any(id(v) in full for v in g) for v in g}
    for j, col in enumerate(columns):
        for v in col:
            v.cols = (j, j)
    if not loose:
        return columns
    contents = _contents(columns, texts)
    align = _alignment(columns, contents, size) or hint or _fitted(columns, contents, texts, label_right)
    bounds = _number_bounds(columns, contents, align, label_right)
    last = len(columns) - 1
    spans: dict[int, tuple[int, int]] = {}
    for ln in rows:
        taken = {v.cols[0] for v in ln.values if id(v) not in loose}
        for v in ln.values:
            if id(v) in loose:
                a, b = _slots(v.x0, v.x1, bounds, 0, last, 0.0)
                if not taken & set(range(a, b + 1)) and (
                        a == b or (a == 0 or a - 1 in taken) and (b == last or b + 1 in taken)):
                    spans[id(v)] = (a, b)
    out = sorted([*columns, *_overlapping([v for k, v in loose.items() if k not in spans])],
                 key=lambda g: min(v.x0 for v in g))
    place = {id(g): j for j, g in enumerate(out)}
    for j, g in enumerate(out):
        for v in g:
            v.cols = (j, j)
    moved = [place[id(g)] for g in columns]  # a column's new number, after the columns of their own
    for k, (a, b) in spans.items():
        loose[k].cols = (moved[a], moved[b])
    return out


def _unruled(lines: list[_TLine], data_ids: set[int], size: float,
             hint: str | None) -> tuple[tuple[BBox, list[BBox]] | None, str | None, str | None]:
    """The table of ``lines`` (its data rows ``data_ids``); how its numbers stand in their
    cells as it tells (:func:`_alignment`), and the way taken (where it does not tell:
    ``hint``, else :func:`_fitted`, else None)."""
    rows = [ln for ln in lines if id(ln) in data_ids]
    values = [c for ln in rows for c in ln.values]
    value_ids = {id(c) for c in values}
    texts = [c for ln in lines for c in ln.chunks if id(c) not in value_ids]
    label_edge = min(c.x0 for c in values)
    boxes = [(min(v.top for v in ln.values), max(v.bottom for v in ln.values), {id(c) for c in ln.chunks})
             for ln in rows]

    def beside_rows(c: _Chunk) -> bool:
        return any(id(c) in ids or min(c.bottom, vb) - max(c.top, vt) > 0.5 for vt, vb, ids in boxes)

    label_right = max((c.x1 for c in texts if c.x1 <= label_edge + 1 and beside_rows(c)), default=-math.inf)
    columns = _merged(rows, size, texts, label_right, hint)  # number columns, each value's columns among them
    m = len(columns)
    contents = _contents(columns, texts)
    told = _alignment(columns, contents, size)
    align = told or hint or _fitted(columns, contents, texts, label_right)
    number_bounds = _number_bounds(columns, contents, align, label_right)
    reach = _REACH * size
    labels, over = [], []  # texts left of the numbers' columns, and the others
    for c in texts:
        left = c.x1 <= min(label_edge + 1, number_bounds[0] + reach) and c.x0 + reach < number_bounds[0]
        (labels if left else over).append(c)
    row_labels = [c for c in labels if beside_rows(c)]
    starts, ends = _label_columns(labels, row_labels)  # label columns: where their labels start and end
    nl = len(starts)
    # where each column's cells begin (bounds[k]) and how far short of the next column a line of
    # text must stop (pads[k]: the cells' padding, where the next column begins with its text)
    bounds, pads = [-math.inf], [0.0]
    for k in range(1, nl):
        bounds.append(starts[k] if ends is None else (ends[k - 1] + starts[k]) / 2)
        pads.append(0.5 * size if ends is None else 0.0)
    # (between left-aligned columns, the bound is where the next one's text starts: its padding
    # and the last one's; else where the last one's text may end, or half way)
    pad = 0.5 * size if align == "left" else 0.25 * size
    if nl:
        bounds.append(number_bounds[0])
        pads.append(pad)
    bounds += number_bounds[1:-1]
    pads += [pad] * (m - 1)
    if number_bounds[-1] < math.inf:
        bounds.append(number_bounds[-1])
        pads.append(pad)
    else:
        bounds.append(max(c.x1 for ln in lines for c in ln.chunks) + size)
        pads.append(0.5 * size)
    for c in labels:
        c.cols = _slots(c.x0, c.x1, bounds, 0, nl - 1, reach)
    for c in values:
        c.cols = (nl + c.cols[0], nl + c.cols[1])
    for c in over:
        first, last = _slots(c.x0, c.x1, bounds, nl, nl + m - 1, reach)
        if nl and c.x0 + reach < bounds[nl] and c.x0 < label_right:
            first = _slots(c.x0, c.x1, bounds, 0, nl - 1, reach)[0]  # from the labels' columns on (a title across)
        c.cols = (first, last)
    # text chunks into blocks: wrapped lines close together, in one column (range), the upper
    # one full; never the labels of two rows (the rightmost label beside each row's numbers;
    # a merged label centred on several rows, left of them, may stand beside two)
    beside: dict[int, int] = {}
    for c in texts:
        for r, ln in enumerate(rows):
            if id(c) in {id(x) for x in ln.chunks} or (
                    min(c.bottom, max(v.bottom for v in ln.values)) - max(c.top, min(v.top for v in ln.values)) > 0.5):
                beside[id(c)] = r
                break
    own: dict[int, bool] = {}  # the label beside a row's numbers in the rightmost column: the row's own label
    for r in set(beside.values()):
        mine = [c for c in texts if beside.get(id(c)) == r and c.cols[0] < nl]
        if mine:
            last = max(c.cols[0] for c in mine)
            own.update((id(c), True) for c in mine if c.cols[0] == last)
    line_of = {id(c): ln for ln in lines for c in ln.chunks}

    def word(c: _Chunk) -> float:
        """The width of the first word of ``c``: a Latin word, or one character."""
        m = _ASCII_WORD.match(c.text)
        return (len(m.group()) if m else 1) * (c.x1 - c.x0) / max(len(c.text), 1)

    def full(p: _Chunk, c: _Chunk) -> bool:
        """``p`` is full: the first word of ``c`` would not have fitted after it, before the
        next column (its cells' padding left)."""
        k = p.cols[1] + 1
        return p.x1 + word(c) > bounds[k] - pads[k]

    def centred(p: _Chunk, c: _Chunk) -> bool:
        """``c`` is the next line of a centred cell whose line ``p`` is (as wide, narrower, or a
        character wider): ``p`` is full (with the first word of ``c``, wider than its columns
        less a character of padding), and ``c`` is the only text of its line in those columns.
        A line wider than the columns it reaches into is in a cell wider than they tell: it
        cannot be known full."""
        if abs(p.x0 - c.x0) <= 3 or p.apart(c) > 0.3 * size or c.right - c.x0 > p.right - p.x0 + size:
            return False
        left, right = bounds[p.cols[0]], bounds[p.cols[1] + 1]  # (the first column: as wide as twice to its right)
        width = right - left if left > -math.inf else 2 * (right - (p.x0 + (p.x1 + p.right) / 2) / 2)
        if p.x1 - p.x0 > width or p.right - p.x0 + word(c) <= width - size:
            return False
        line = line_of[id(c)].chunks
        return not any(o is not c and o.cols[0] <= p.cols[1] and o.cols[1] >= p.cols[0] for o in line)

    def wraps(p: _Chunk, c: _Chunk) -> bool:
        """``c`` goes on from ``p``, in the same cell: set flush left (a label's lines may reach
        into fewer of the label columns), or centred."""
        if abs(p.x0 - c.x0) <= 3:
            return (c.cols == p.cols or c.cols[0] < nl) and full(p, c)
        return centred(p, c)

    blocks: list[list[_Chunk]] = []
    for c in sorted(texts, key=lambda c: c.top):
        prev = next((bl for bl in reversed(blocks) if _cols(bl)[0] == c.cols[0] or centred(bl[-1], c)), None)
        if prev is not None and -0.2 * size <= c.top - prev[-1].bottom <= _WRAP * size and wraps(prev[-1], c) and (
                not own.get(id(c)) or all(beside.get(id(x), beside[id(c)]) == beside[id(c)] for x in prev if own.get(id(x)))):
            prev.append(c)
        else:
            blocks.append([c])
    # each data row with the blocks beside its numbers
    members: list[list[list[_Chunk]]] = [[[v] for v in ln.values] for ln in rows]
    loose: list[list[_Chunk]] = []
    for bl in blocks:
        top, bottom = bl[0].top, max(c.bottom for c in bl)
        hits = []
        for r, ln in enumerate(rows):
            v = ln.values
            if min(bottom, max(c.bottom for c in v)) - max(top, min(c.top for c in v)) > 0.5:
                hits.append(r)
        # beside one row's numbers: that row's; beside several (a label merged over them): its own cell
        (members[hits[0]] if len(hits) == 1 else loose).append(bl)
    ncols = nl + m
    placed: list[tuple[tuple[int, int], float, float]] = []  # (columns, top, bottom) of each cell
    heads = [h for h in loose if _cols(h)[0] >= nl]  # the headers over the numbers
    spans: dict[int, tuple[int, int]] = {}  # header blocks found over all the columns of numbers
    for mem, ln in zip(members, rows):
        # a value under a header over several columns, the others empty in its row: it spans
        # them (the nearest header above it starting in its column, or centred on it); a value
        # alone in its row under a header alone on its line: both are cells over all the
        # columns of numbers (a block of rows of one number: 表格一's 「本年处理决定数量」),
        # however each stands in its cell
        for v in ln.values:
            above = [h for h in heads if h[-1].bottom <= v.top and _cols(h)[0] <= v.cols[0] <= _cols(h)[1] and (
                _cols(h)[0] == v.cols[0] or h[0].apart(v) <= 0.5 * size)]
            if above:
                a, b = _cols(max(above, key=lambda h: h[-1].bottom))
                if not any(o is not v and a <= o.cols[1] and o.cols[0] <= b for o in ln.values):
                    v.cols = (min(a, v.cols[0]), max(b, v.cols[1]))
            over_v = [h for h in heads if h[-1].bottom <= v.top]
            if len(ln.values) == 1 and over_v:
                h = max(over_v, key=lambda h: h[-1].bottom)
                if not any(o is not h and o[0].top < h[-1].bottom and h[0].top < o[-1].bottom for o in heads):
                    v.cols = spans[id(h)] = (nl, nl + m - 1)
        top = min(c.top for bl in mem for c in bl)
        bottom = max(c.bottom for bl in mem for c in bl)
        by_cols: dict[int, list] = {}  # blocks of a row starting in one column: one cell
        for bl in mem:
            by_cols.setdefault(_cols(bl)[0], []).extend(bl)
        placed += [(_cols(bl), top, bottom) for bl in by_cols.values()]
    # the other blocks (headers, titles, labels between rows): blocks whose lines overlap are one
    # row (a header's labels centred on one, two or three lines), starting at the highest
    loose.sort(key=lambda bl: bl[0].top)
    group_top, group_bottom = -math.inf, -math.inf
    for bl in loose:
        bottom = max(c.bottom for c in bl)
        if bl[0].top >= group_bottom - 1:
            group_top = bl[0].top
        group_bottom = max(group_bottom, bottom)
        placed.append((spans.get(id(bl), _cols(bl)), group_top, bottom))
    lo = [math.inf] * ncols
    hi = [-math.inf] * ncols
    for c in [*values, *texts]:
        lo[c.cols[0]] = min(lo[c.cols[0]], c.x0)
        hi[c.cols[1]] = max(hi[c.cols[1]], c.x1)
    edges = [lo[0] - 1]
    for k in range(1, ncols):
        left = lo[k] if lo[k] < math.inf else max(hi[k], edges[-1])  # (a column whose one value spans others)
        right = hi[k - 1] if hi[k - 1] > -math.inf else edges[-1]
        edges.append((right + left) / 2 if right < left else left - 0.1)
    edges.append(max(hi[-1], lo[-1]) + 1)
    if number_bounds[-1] < math.inf:  # the last column's cells end where its column does (alike on every page)
        edges[-1] = max(edges[-1], number_bounds[-1])
    cells = [(edges[c0], t - 0.5, edges[c1 + 1], b + 0.5) for (c0, c1), t, b in placed]
    if len(cells) < 2:
        return None, told, align
    bbox = (edges[0], min(c[1] for c in cells), edges[-1], max(c[3] for c in cells))
    return (bbox, cells), told, align


# =========================================================================== the document
@dataclass
class _Geometry:
    """The body text's layout, from all the lines outside tables."""

    left: float
    right: float
    size: float  # body font size
    pitch: float  # body line pitch (top to top)


def _geometry(pages: list[Page]) -> _Geometry:
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


def _centred(ln: _Line, g: _Geometry) -> bool:
    """Centred text: as far from both margins, and larger than the body or further in than a first-line indent."""
    left, right = ln.x0 - g.left, g.right - ln.x1
    if abs(left - right) >= ln.size:
        return False
    return ln.size > g.size + 1 or left > 2.5 * g.size


def _breaks(a: _Line, b: _Line, g: _Geometry, same_page: bool) -> bool:
    """True when line ``b`` starts a new paragraph after line ``a``."""
    if abs(a.size - b.size) > 1:
        return True
    if _centred(b, g) and abs((a.x0 - g.left) - (g.right - a.x1)) < a.size and not _ENDING.search(a.text):
        return False  # a centred title wrapped over two lines (its first line may look indented, or be full)
    if b.x0 - g.left > 0.8 * b.size:  # indented (or centred)
        return True
    if same_page and b.top - a.top > 1.5 * g.pitch + 2:
        return True
    room = g.right - a.x1 - _first_word_width(b)  # room left after the next line's first word
    return room > (0.25 if _ENDING.search(a.text) else 1.5) * a.size


def blocks(pages: list[Page]) -> list:
    """The document's paragraphs and tables, in order, from its pages."""
    pages = _told(pages)
    g = _geometry(pages) if any(isinstance(it, _Line) for p in pages for it in p.items) else None
    if g is not None:
        pages = _headers_at_foot(pages, g)
    items = [it for p in pages for it in p.items]
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
    for i, it in enumerate(items):
        if isinstance(it, _RawTable) and it.single:
            nxt = items[i + 1] if i + 1 < len(items) else None
            if not (isinstance(nxt, _RawTable) and _continues(it, nxt)):  # a box on its own: its text
                flush_table()
                flush_para()
                cell = it.cells[0]
                if cell.text:
                    blocks.append(Paragraph(text=cell.text, line=cell.line, col=1, page=cell.page))
                continue
        if isinstance(it, _RawTable):
            flush_para()
            if table is not None and _continues(table, it):
                table = _append(table, it, cut=it.ruled and part_bottom >= foot - _FOOT)
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


def _told(pages: list[Page]) -> list[Page]:
    """The pages with a table without cell boxes whose numbers do not tell how they stand in
    their cells (all of one width: a table of zeros, its headers no help), laid out again the
    way most of the document's other such tables tell (:func:`unruled_tables`) -- where none
    tells, the way most of them fit (:func:`_fitted`); the others as they are."""
    told = sum((p.told for p in pages), Counter()) or sum((p.fitted for p in pages), Counter())
    if not told:
        return pages
    hint = told.most_common(1)[0][0]
    return [page(p.number, p.width, *p.source, hint=hint) if p.untold - {hint} else p for p in pages]


def _headers_at_foot(pages: list[Page], g: _Geometry) -> list[Page]:
    """Pages whose table without cell boxes, first on the page, had its header's lines at the
    foot of the page before (a page break under the header): those lines are laid out again
    with the table, just above it (:func:`unruled_tables` finds a table from its rows of numbers,
    so a header alone is never one).  The lines must be the last on their page, few, close
    together, at the table's text size and not the body's."""
    out = list(pages)
    for k in range(1, len(out)):
        p, q = out[k - 1], out[k]
        if not q.items or not p.items or not isinstance(q.items[0], _RawTable) or q.items[0].ruled:
            continue
        table = q.items[0]
        tail: list[_Line] = []
        for it in reversed(p.items):
            if not isinstance(it, _Line) or abs(it.size - table.size) > 0.6 or abs(it.size - g.size) <= 1:
                break
            if tail and tail[-1].top - it.bottom > _LEAD * it.size:
                break
            tail.append(it)
        if not tail or len(tail) > 8 or len(tail) == len(p.items):
            continue
        shift = table.top - 0.3 * table.size - max(ln.bottom for ln in tail)
        moved = [dict(c, top=c["top"] + shift, bottom=c["bottom"] + shift) for ln in tail for c in ln.chars]
        chars, tables = q.source
        again = page(q.number, q.width, [*chars, *moved], tables, q.hint)
        first = again.items[0] if again.items else None
        if isinstance(first, _RawTable) and not first.ruled and first.top < table.top and not any(
                isinstance(it, _Line) and it.top < table.top for it in again.items):
            again.chars, again.cjk = q.chars, q.cjk  # the moved characters stay counted on their page
            out[k - 1] = Page(p.number, p.width, items=p.items[:len(p.items) - len(tail)], chars=p.chars, cjk=p.cjk,
                              source=p.source)
            out[k] = again
    return out


# =========================================================================== tables
def _continues(first: _RawTable, nxt: _RawTable) -> bool:
    """``nxt`` (first on its page) goes on with ``first`` (last on the page before): same width
    (tables without cell boxes: found the same way, and most of their widths in common)."""
    if nxt.page != first.page + 1:
        return False
    if first.ruled or nxt.ruled:
        return first.ruled == nxt.ruled and abs(first.x0 - nxt.x0) <= _TOL and abs(first.x1 - nxt.x1) <= _TOL
    common = min(first.x1, nxt.x1) - max(first.x0, nxt.x0)
    return common >= 0.8 * min(first.x1 - first.x0, nxt.x1 - nxt.x0)


def _snap(first: _RawTable, nxt: _RawTable) -> None:
    """The column edges of ``nxt`` (a table without cell boxes) moved onto those of ``first``
    it goes on with (found apart, from other rows, they differ by a few points)."""
    xs = _edges([v for c in first.cells for v in (c.x0, c.x1)])
    for c in nxt.cells:
        for name in ("x0", "x1"):
            v = getattr(c, name)
            near = min(xs, key=lambda x: abs(x - v))
            if abs(near - v) <= 12:
                setattr(c, name, near)


def _rows(cells: list[_RawCell]) -> list[list[_RawCell]]:
    rows: dict[float, list[_RawCell]] = {}
    for c in cells:
        row = rows.get(c.top)  # the row's tops are more than _TOL apart: one is this cell's, or none
        if row is None:
            key = next((k for k in rows if abs(k - c.top) <= _TOL), c.top)
            row = rows.setdefault(key, [])
        row.append(c)
    return [sorted(rows[k], key=lambda c: c.x0) for k in sorted(rows)]


def _same_row(a: list[_RawCell], b: list[_RawCell], ruled: bool) -> bool:
    """Row ``b`` repeats row ``a``: the same texts in the same cells (tables without cell boxes:
    the same texts, their columns found apart from other rows -- a page of merged cells only
    tells fewer columns -- may differ)."""
    return len(a) == len(b) and all(
        x.text == y.text and (not ruled or abs(x.x0 - y.x0) <= _TOL and abs(x.x1 - y.x1) <= _TOL) for x, y in zip(a, b))


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
    if not nxt.ruled:
        _snap(first, nxt)
    head, rows = _rows(first.cells), _rows(nxt.cells)
    k = 0
    while k < len(head) and k < len(rows) - 1 and _same_row(head[k], rows[k], nxt.ruled):
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
    return _RawTable(first.x0, first.top, first.x1, max(c.bottom for c in out), out, nxt.page, first.ruled)


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
    ys = _edges([c.top for c in raw.cells])  # a row where a cell starts (cells without boxes leave gaps)
    ys.append(max(c.bottom for c in raw.cells) + 2 * _TOL)
    rows: list[list[Cell]] = [[] for _ in range(len(ys) - 1)]
    for c in sorted(raw.cells, key=lambda c: (c.top, c.x0)):
        r, col = _index(ys, c.top), _index(xs, c.x0)
        rowspan = max(_index(ys, c.bottom) - r, 1)
        colspan = max(_index(xs, c.x1) - col, 1)
        rows[r].append(Cell(text=c.text, line=c.line, col=1, row=r, column=col, rowspan=rowspan,
                            colspan=colspan, page=c.page))
    first = min((c for row in rows for c in row), key=lambda c: (c.page, c.line))
    return Table(rows=rows, line=first.line, grid=True)
