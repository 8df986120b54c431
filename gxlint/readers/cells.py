"""Tables that reached text without their grid, found again among a document's paragraphs.

A report saved as text by Word, WPS or LibreOffice, copied out of a PDF, or published as a web
page whose table was flattened, has its national tables as lines of text with nothing that marks
a row or a cell: one cell a line (LibreOffice's 「文本」 export: no blank line between rows, a covered
cell of a merge an empty line), or a row's numbers on one line after its label
(「（一）予以公开 14 0 0 0 0 0 14」, text copied out of a PDF), a label broken over lines, even around
the numbers of its row (「一、本年新收政府信息公」 / 「14 0 2 0 0 0 16」 / 「开申请数量」), header cells
scattered over lines or run together (「结果维持结果纠正其他结果尚未审结总计」).

The format's labels say where rows begin.  :class:`FormatLabels` holds them, taken from the
format specs as data (which label is a block's title, the 信息内容 header, a column, a group of
rows, a row); nothing here knows a rule.  :func:`regroup` finds the runs of short paragraphs that
hold a table (a paragraph with a label of the format to start; lines of labels, label fragments
and numbers; no sentence) and replaces each by a :class:`~gxlint.model.Table` of rows of cells
(``grid`` False: the order of a row's cells is known, not their grid columns):

* label fragments are joined while they spell the start of a label of the format (a fragment may
  come back after the numbers of its row, or after other labels, when the label's cell is taller
  than a line); a fragment that is several labels run together is split into them;
* a block title is a row of its own; 信息内容 opens a header row; a group of rows opens a row that
  its row label continues; a row label opens a row; numbers close it.  A label that names a column
  and a row alike (总计, 其他) is a column before a table's first number and a row after;
* what cannot be placed is never guessed: a row whose label is a fragment that spells no label
  keeps its numbers without a label (the table's reader reports such a row once, and does no
  arithmetic on it); header fragments that spell no label are named in ``Table.unplaced``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..labels import enumerator, match, normalize, strip_enum
from ..model import Cell, Paragraph, Table

# A paragraph longer than this, or one that ends a sentence, is prose: never a line of a table.
MAX_CELL_LINE = 80
# A table is at least this many labels of the format (as report.tables takes a raw table for a
# national table: a paragraph that names one or two of them is no table).
MIN_LABELS = 3
# How many labels begun before a fragment are tried for it to continue, the last begun first.
PENDING = 32
# A fragment that is several labels run together is split into at most this many.
MAX_RUN_TOGETHER = 16
# Lines of a document read as tables at most: a report's tables are a few hundred lines even with
# a label broken a character a line; a text of tens of thousands of such lines is no report (and
# reading them all would take seconds).
MAX_TABLE_LINES = 4000
# A fragment shorter than this is never taken for a misspelt label (「总持」 is no 「总计」).
FUZZY_MIN = 5
# A piece of a line longer than this that is no label (nor begins one) is prose: it ends a table.
LONG_PIECE = 16
# A part's title without its numeral (「存在的主要问题及改进情况」) is this short at most.
MAX_PART_TITLE = 30
# Spaces between two pieces of one line that can still be one label (「(二) 部分公开」).
SAME_LINE_GAP = 2
# Paragraphs after a table's last number that may still finish its labels.
TRAILING = 3

_NUMBER = re.compile(r"^[+-]?\d{1,15}(?:\.\d+)?$")
_PLACEHOLDER = re.compile(r"^[/\\\-－—–―_]+$")
_SENTENCE = re.compile(r"[。；;！？]")
_PART_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
_WS = re.compile(r"\S+")
_WORD = re.compile(r"\w")

TITLE, HEADER, COLUMN, GROUP, ROW = "title", "header", "column", "group", "row"
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


@lru_cache(maxsize=8192)  # a run's fragments are joined and compared over and over
def _key(text: str) -> str:
    """A label as compared here: normalised, no enumerator, no quotes (text extracted from a PDF
    may put a quote a character off: 「危及三“安全一稳定”」)."""
    return strip_enum(text).translate(_QUOTES)


class FormatLabels:
    """The labels of the formats' tables, normalised (``_key``), by role (title, header,
    column, group, row) and by table; ``width``: the most value columns a row of the table has."""

    def __init__(self, formats):
        roles: dict[str, set[str]] = {}
        tables: dict[str, set[str]] = {}
        canon: dict[str, str] = {}

        def add(label: str, role: str, table: str) -> None:
            key = _key(label)
            if key:
                roles.setdefault(key, set()).add(role)
                tables.setdefault(key, set()).add(table)
                canon.setdefault(key, label)

        for fmt in formats:
            for spec in fmt.tables:
                t = spec.id
                if spec.header:
                    add(spec.header, HEADER, t)
                for b in spec.blocks:
                    add(b.title, TITLE, t)
                    for c in b.columns:
                        add(c, COLUMN, t)
                    for r in b.rows:
                        add(r, ROW, t)
                for c in [*spec.leaves, *spec.group_names, *spec.header_groups]:
                    add(c, COLUMN, t)
                for g in spec.row_groups:
                    add(g, GROUP, t)
                for r in spec.rows:
                    if not r.unlabelled:
                        for label in (r.label, *r.aliases):
                            add(label, ROW, t)
        parts = {pat.pattern for fmt in formats for sec in fmt.sections for pat in sec.patterns}
        local = next((pat.source for fmt in formats for sec in fmt.sections for pat in sec.patterns
                      if hasattr(pat, "source")), None)  # a province's format: its patterns limited
        union = "|".join(f"(?:{p})" for p in sorted(parts))
        if local:
            from ..regex_store import limited

            self.parts = limited(union, local) if parts else None
        else:
            self.parts = re.compile(union) if parts else None
        self.width: dict[str, int] = {}  # table id -> the most numbers a row of it holds
        self.unlabelled: set[str] = set()  # tables with a row of numbers and no label (表格四)
        for fmt in formats:
            for spec in fmt.tables:
                w = max((len(b.columns) for b in spec.blocks), default=len(spec.columns))
                self.width[spec.id] = max(self.width.get(spec.id, 0), w)
                if any(r.unlabelled for r in spec.rows):
                    self.unlabelled.add(spec.id)
        self.roles = {k: frozenset(v) for k, v in roles.items()}
        self.canon = canon
        self.tables = {k: frozenset(v) for k, v in tables.items()}
        self.sorted = sorted(self.roles)
        self.longest = max(map(len, self.sorted), default=0)
        self.names = tuple(self.sorted)

    def part_heading(self, line: str) -> bool:
        """True when `line` is a part's heading (「三、收到和处理政府信息公开申请情况」, or the same
        words without the numeral)."""
        key = _key(line)
        return len(key) <= MAX_PART_TITLE and not self.known(key) and self.parts is not None \
            and self.parts.search(key) is not None

    def starts_table(self, text: str) -> bool:
        """True when `text` is a label of the format that opens a table or a block of it on a row of
        its own (a block's title, a group of columns)."""
        return bool(self.roles.get(_key(text), frozenset()) & {TITLE, COLUMN})

    def known(self, norm: str) -> bool:
        return norm in self.roles

    def prefix(self, norm: str) -> bool:
        """True when `norm` begins a label (or is one)."""
        i = bisect_left(self.sorted, norm)
        return i < len(self.sorted) and self.sorted[i].startswith(norm)

    def longer(self, norm: str) -> bool:
        """True when `norm` begins a label longer than itself."""
        i = bisect_left(self.sorted, norm)
        while i < len(self.sorted) and self.sorted[i].startswith(norm):
            if len(self.sorted[i]) > len(norm):
                return True
            i += 1
        return False

    def split(self, norm: str) -> list[str] | None:
        """`norm` as labels run together (longest first at each place), or None."""
        if not self.prefix(norm[:2]):  # (most text begins no label: told at once)
            return None
        out, i = [], 0
        while i < len(norm) and len(out) < MAX_RUN_TOGETHER:
            for j in range(min(len(norm), i + self.longest), i, -1):
                if norm[i:j] in self.roles:
                    out.append(norm[i:j])
                    i = j
                    break
            else:
                return None
        return out if i == len(norm) and len(out) > 1 else None


_LABELS: dict = {}


def format_labels(formats) -> FormatLabels | None:
    """The FormatLabels of `formats` (FormatSpec objects), built once per set of formats."""
    formats = tuple(formats)
    if not formats:
        return None
    key = tuple(id(f) for f in formats)
    got = _LABELS.get(key)
    if got is None or got[0] != formats:
        if len(_LABELS) > 16:
            _LABELS.clear()
        got = _LABELS[key] = (formats, FormatLabels(formats))
    return got[1]


# --------------------------------------------------------------------------- tokens


class _Piece:
    """A piece of a paragraph between whitespace, or a whole paragraph: text, where it stands,
    whether it is a number (or a dash standing for one), whether it is a whole cell (a line of a
    run of one cell a line), and the index of its paragraph in the run."""

    __slots__ = ("text", "line", "col", "number", "alone", "page", "para")

    def __init__(self, text: str, line: int, col: int, number: bool, page: int, para: int):
        self.text = text
        self.line = line
        self.col = col
        self.number = number
        self.alone = False
        self.page = page
        self.para = para


def _is_value(text: str) -> bool:
    return _NUMBER.match(text) is not None or _PLACEHOLDER.match(text) is not None


def _pieces(p: Paragraph, k: int) -> list[_Piece]:
    """The pieces of paragraph `p` (the k-th of its run) between whitespace."""
    out = []
    for m in _WS.finditer(p.text):
        t = m.group()
        before = p.text[: m.start()]
        nl = before.count("\n")
        line = p.line + nl
        col = (p.col + m.start()) if not nl else m.start() - before.rfind("\n")
        if _WORD.search(t):  # (punctuation alone, a 「|」 left in a web page's cell: no cell)
            out.append(_Piece(t, line, col, _is_value(t), p.page, k))
    return out


def _whole(p: Paragraph, k: int) -> list[_Piece]:
    """Paragraph `p` (the k-th of its run) as one piece: a whole cell."""
    x = _Piece(p.text, p.line, p.col, _is_value(p.text.strip()), p.page, k)
    x.alone = True
    return [x]


def _cell_like(p: Paragraph) -> bool:
    """A paragraph that can be a line of a table: short, no sentence, no Markdown heading."""
    t = p.text
    return p.heading_level is None and len(t) <= MAX_CELL_LINE and not _SENTENCE.search(t)


# --------------------------------------------------------------------------- labels


class _Label:
    """Label pieces joined: the pieces, their text as compared (``_key``), whether it is a whole
    cell."""

    __slots__ = ("pieces", "raw", "norm", "alone", "dist", "near", "growing")

    def __init__(self, piece: _Piece, norm: str, labels: FormatLabels):
        self.pieces = [piece]
        self.raw = piece.text  # the pieces' text run together
        self.norm = norm
        self.alone = piece.alone
        self.growing = labels.prefix(norm) and (not labels.known(norm) or labels.longer(norm))
        self.dist = None  # edits from the label of the format it was joined towards (misspelt), if any
        self.near = ""  # that label

    def add(self, piece: _Piece, norm: str, labels: FormatLabels) -> None:
        """Continue the label with `piece` (`norm`: the label's text as compared then)."""
        self.pieces.append(piece)
        self.raw += piece.text
        self.norm = norm
        self.alone = False
        self.growing = labels.prefix(norm) and (not labels.known(norm) or labels.longer(norm))

    @property
    def text(self) -> str:
        out, last = "", None
        for p in self.pieces:
            if last is not None:
                out += "\n" if p.line != last else ""
            out += p.text
            last = p.line
        return out


def _assemble(pieces: list[_Piece], labels: FormatLabels) -> list:
    """Items in the order they begin: _Label (fragments joined) and _Piece (numbers)."""
    items: list = []
    pending: list[_Label] = []  # labels that a later fragment may still continue, last begun last
    for p in pieces:
        if p.number:
            items.append(p)
            continue
        norm = _key(p.text)
        if not norm and not _WORD.search(p.text):
            continue  # punctuation only (a 「|」 left of a web page's table): no cell
        # continue a label begun before: the nearest, right above (a cell's text goes down its
        # column; text laid out as on the page keeps the columns) or just left on the same line;
        # else the last begun
        best, best_at = None, None
        # (a piece with an enumerator of its own and words after it, 「四、结转下年度继续办理」,
        # begins a label: never the end of another, whatever the two enumerators make together)
        window = pending[-PENDING:] if not (norm and enumerator(p.text)) else ()
        for i, lab in enumerate(window):
            if not lab.growing:
                continue
            joined = _key(lab.raw + p.text)
            if labels.prefix(joined):
                last = lab.pieces[-1]
                if last.line == p.line:  # on the same line: only just right of it (a wide gap parts cells)
                    gap = p.col - last.col - len(last.text)
                    if not 0 <= gap <= SAME_LINE_GAP:
                        continue
                    at = (gap, -i)
                else:
                    at = (abs(last.col - p.col), -i)
                if best_at is None or at < best_at:
                    best, best_at = (lab, joined), at
        if best is not None:
            lab, joined = best
            lab.add(p, joined, labels)
            continue
        if norm and not labels.prefix(norm):
            parts = labels.split(norm)
            if parts is not None:  # labels run together: one label each, at its place in the piece
                off = 0
                for part in parts:
                    q = _Piece(part, p.line, p.col + _offset(p.text, norm, off), False, p.page, p.para)
                    q.alone = True
                    items.append(_Label(q, part, labels))
                    off += len(part)
                continue
            # a fragment that spells no label's start: the end of a misspelt one begun before?
            fixed = None
            for lab in reversed(pending[-PENDING:]):
                if labels.known(lab.norm) and not lab.growing:
                    continue
                whole = lab.raw + p.text
                if len(_key(whole)) < FUZZY_MIN:
                    continue
                m = match(whole, labels.names)
                if m is not None and m.distance and (lab.dist is None or m.distance < lab.dist):
                    fixed = lab
                    break
            if fixed is not None:  # (only while each fragment brings it closer to the label)
                fixed.add(p, _key(fixed.raw + p.text), labels)
                fixed.dist = m.distance
                fixed.near = m.canonical
                continue
        lab = _Label(p, norm, labels)
        items.append(lab)
        pending.append(lab)
        if len(pending) > 4 * PENDING:
            del pending[: 2 * PENDING]
    return items


def _offset(raw: str, norm: str, k: int) -> int:
    """Offset in `raw` of the k-th character of its normalised form `norm` (same length when the
    piece has no enumerator; else the enumerator's length is added)."""
    return max(0, len(raw) - len(norm)) + k


# --------------------------------------------------------------------------- rows


def _role(lab: _Label, labels: FormatLabels, header_phase: bool) -> str:
    roles = labels.roles.get(lab.norm) or labels.roles.get(lab.near)
    if not roles:
        return ""
    if TITLE in roles:
        return TITLE
    if HEADER in roles:
        return HEADER
    if COLUMN in roles and (header_phase or ROW not in roles):
        return COLUMN
    if GROUP in roles:  # (a group in one version, a row in another: 其他处理; a row when numbers follow it)
        return GROUP
    return ROW


def _rows(items: list, labels: FormatLabels) -> list[tuple[list, list[str]]]:
    """Rows of items (labels and numbers), each with the fragments dropped from it (``_settle``),
    from the items in order."""
    rows: list[tuple[list, list[str]]] = []
    cur: list = []
    kinds: list[str] = []  # role of each item of cur ("num" for a number, "" unknown)
    header_phase = True

    def close():
        nonlocal cur, kinds
        if cur:
            rows.append(_settle(cur, kinds, labels))
        cur, kinds = [], []

    for it in items:
        if isinstance(it, _Piece):
            if kinds and "num" not in kinds and not any(k in (ROW, GROUP) for k in kinds):
                if kinds[-1] == "" and cur[-1].alone and any(k in (COLUMN, HEADER) for k in kinds):
                    last = cur.pop()  # a label the format does not have after a header: the row's
                    kinds.pop()
                    close()
                    cur, kinds = [last], [""]
                elif any(k in (COLUMN, HEADER) for k in kinds) and not any(k == "" and x.alone for x, k in zip(cur, kinds)):
                    close()  # the numbers below a header (its labels, its fragments): a row of their own (表格四's)
            cur.append(it)
            kinds.append("num")
            header_phase = False
            continue
        role = _role(it, labels, header_phase)
        has_num = "num" in kinds
        if role == TITLE:
            close()
            cur, kinds = [it], [TITLE]
            close()
            header_phase = True
        elif role == HEADER:
            close()
            cur, kinds = [it], [HEADER]
            header_phase = True
        elif role == COLUMN:
            if has_num or any(k in (ROW, GROUP) for k in kinds):
                close()
            cur.append(it)
            kinds.append(COLUMN)
        elif role == GROUP:  # (after a row label, before its numbers: the group's label broken around it)
            if has_num or any(k in (COLUMN, HEADER) for k in kinds):
                close()
            cur.append(it)
            kinds.append(GROUP)
        elif role == ROW:
            if has_num or ROW in kinds or any(k in (COLUMN, HEADER) for k in kinds):
                close()
            cur.append(it)
            kinds.append(ROW)
        else:  # spells no label: a label the format does not have (a row, a column), or a fragment
            if has_num:
                close()
            cur.append(it)
            kinds.append("")
    close()
    return rows


def _settle(cur: list, kinds: list[str], labels: FormatLabels) -> tuple[list, list[str]]:
    """A row's items less the label fragments that cannot be placed, and those fragments (of a row
    of labels only: a row of numbers keeps its numbers, without a label when its label was such a
    fragment, and its table's reader says that row once).  A label the format does not have
    (``kinds`` "") is kept when it is a whole cell (``_whole_cells``); else it is a fragment of a
    label broken apart."""
    has_num = "num" in kinds
    out, dropped = [], []
    for it, k in zip(cur, kinds):
        if k == "" and not it.alone:
            if not has_num:
                dropped.append(it.text.replace("\n", ""))
            continue
        out.append(it)
    return out, dropped


# --------------------------------------------------------------------------- runs


def regroup(blocks: list, labels: FormatLabels | None) -> list:
    """`blocks` with each run of paragraphs that holds a table of the format replaced by that table."""
    if labels is None or not blocks:
        return blocks
    out: list = []
    i, n = 0, len(blocks)
    budget = MAX_TABLE_LINES
    while i < n:
        b = blocks[i]
        if budget <= 0:  # more lines of tables than any report has: the rest stays lines
            out += blocks[i:]
            break
        if not isinstance(b, Paragraph) or not _cell_like(b) or not _anchor(b, labels):
            out.append(b)
            i += 1
            continue
        j = i + 1
        while j < n and j - i < budget and isinstance(blocks[j], Paragraph) and _cell_like(blocks[j]) \
                and not _ends_run(blocks[j], labels):
            j += 1
        budget -= j - i
        got = _tables(blocks[i:j], labels)
        if got is None:  # (no run starting later within it has more numbers or labels)
            out += blocks[i:j]
            i = j
            continue
        tables, used = got
        out += tables
        i += used
    return out


def _anchor(p: Paragraph, labels: FormatLabels) -> bool:
    """A paragraph a table can start with: one of its pieces is a label of the format, or the
    paragraph is labels run together."""
    if _PART_HEADING.match(p.text) and not labels.known(_key(p.text)) and not labels.prefix(_key(p.text)):
        return False
    for m in _WS.finditer(p.text):
        norm = _key(m.group())
        if norm and (labels.known(norm) or labels.split(norm)):
            return True
    return False


def _ends_run(p: Paragraph, labels: FormatLabels) -> bool:
    """A paragraph that ends a run of table lines: a part's heading (「三、收到和处理政府信息公开申请
    情况」, or its words without the numeral), or a line with a long piece of text that is no label
    (a line of prose wrapped without its full stop)."""
    t = p.text
    if t[-1:].isdigit():  # (a line that ends with a number is a row: never a heading, never prose)
        return False
    whole = _key(t)
    if labels.known(whole) or labels.prefix(whole):
        return False
    if (_PART_HEADING.match(t) or len(whole) <= MAX_PART_TITLE) and labels.parts is not None \
            and labels.parts.search(whole) is not None:
        return True
    for m in _WS.finditer(t):
        piece = m.group()
        norm = _key(piece)
        if len(norm) > LONG_PIECE and not _is_value(piece) and not labels.prefix(norm) \
                and labels.split(norm) is None and match(piece, labels.names) is None:
            return True
    return False


def _tables(paras: list[Paragraph], labels: FormatLabels) -> tuple[list, int] | None:
    """The tables in `paras` (a run of short paragraphs starting with a label) and how many of the
    paragraphs they took, or None when the run holds no table (too few labels, no number).  The
    run ends with its last number, and the paragraphs after it that only finish labels begun
    before (「开申请数量」 below the numbers of 「一、本年新收政府信息公」)."""
    lines = [_pieces(p, k) for k, p in enumerate(paras)]
    last = max((k for k, ps in enumerate(lines) if any(x.number for x in ps)), default=-1)
    if last < 0:
        return None
    if all(len(ps) == 1 or not any(x.number for x in ps) for ps in lines):
        lines = [_whole(p, k) for k, p in enumerate(paras)]  # one cell a line: each line a whole cell
    end = last + 1
    tail = min(len(lines), last + 1 + TRAILING)
    if tail > end:
        items = _assemble([x for ps in lines[:tail] for x in ps], labels)
        firsts = {id(it.pieces[0] if isinstance(it, _Label) else it) for it in items}
        while end < tail and lines[end] and not any(id(x) in firsts for x in lines[end]):
            end += 1
    items = _assemble([x for ps in lines[:end] for x in ps], labels)
    whole = _whole_cells(items, lines, labels)
    for it in items:
        if isinstance(it, _Label) and not it.alone:
            it.alone = id(it) in whole
    rows = _rows(items, labels)
    known = sum(1 for r, _ in rows for it in r if isinstance(it, _Label) and labels.known(it.norm))
    if known < MIN_LABELS:
        return None
    return _split_tables(rows, labels), end


def _whole_cells(items: list, lines: list[list[_Piece]], labels: FormatLabels) -> set[int]:
    """ids of the labels that are whole cells though the format does not have them (not fragments
    of a label broken apart): one close to a label of the format (misspelt); a piece of four
    characters or more joined to none that begins no label (a label of another format:
    「本年新制作数量」);
    the label of a line of numbers (all of that line's text but its numbers); a piece of a line of
    labels at least half of whose pieces are labels of the format, whole (a row of cells parted by
    spaces: 「信息内容 本年发件 本年废止件数」), not a line of fragments (「结 结 其 尚 总」)."""
    by_line: dict[int, list] = {}
    out = set()
    for it in items:
        if not isinstance(it, _Label) or labels.known(it.norm):
            continue
        if len(it.norm) >= FUZZY_MIN and match(it.text, labels.names) is not None:
            out.add(id(it))  # close to a label of the format: a misspelt one
        elif len(it.pieces) == 1 and len(it.norm) >= FUZZY_MIN - 1 and not labels.prefix(it.norm):
            out.add(id(it))  # a piece of its own that begins no label: a label the format does not have
    for it in items:
        if isinstance(it, _Label) and all(x.para == it.pieces[0].para for x in it.pieces):
            by_line.setdefault(it.pieces[0].para, []).append(it)
    for k, labs in by_line.items():
        ps = lines[k]
        own = [x for x in ps if not x.number]
        if any(x.number for x in ps):
            if len(labs) == 1 and len(labs[0].pieces) == len(own):
                out.add(id(labs[0]))
        elif len(own) >= 2:
            whole = sum(1 for lab in labs if len(lab.pieces) == 1 and labels.known(lab.norm))
            if 2 * whole >= len(own):
                out.update(id(lab) for lab in labs if len(lab.pieces) == 1)
    return out


def _split_tables(rows: list[tuple[list, list[str]]], labels: FormatLabels) -> list[Table]:
    """One Table per national table: a new one where a row's labels belong to no table the rows
    before belong to.  ``Table.unplaced``: the fragments dropped, with the row they stood in."""
    groups: list[list] = []
    current: frozenset | None = None
    for r in rows:
        ids = None
        for it in r[0]:
            if isinstance(it, _Label):
                t = labels.tables.get(it.norm)
                if t:
                    ids = t if ids is None else (ids & t) or ids
        if groups and (ids is None or current is None or ids & current):
            groups[-1].append(r)
            if ids is not None:
                current = (current & ids) or ids if current is not None else ids
        else:
            groups.append([r])
            current = ids
    out = []
    for g in groups:
        table_rows: list[list[Cell]] = []
        unplaced: list[tuple[int, str]] = []
        g, lost = _confident(g, labels)
        if lost:
            unplaced.append((len(g), lost))
        for items, dropped in g:
            unplaced += [(len(table_rows), f"文字「{d}」") for d in dropped]
            if not items:
                continue
            r_i = len(table_rows)
            cells = []
            for c_i, it in enumerate(items):
                x = it.pieces[0] if isinstance(it, _Label) else it
                text = _text(it, labels) if isinstance(it, _Label) else it.text
                cells.append(Cell(text=text, line=x.line, col=x.col, row=r_i, column=c_i, page=x.page))
            table_rows.append(cells)
        if table_rows:
            out.append(Table(rows=table_rows, line=table_rows[0][0].line, grid=False, unplaced=unplaced))
    return out


def _confident(g: list, labels: FormatLabels) -> tuple[list, str]:
    """The rows of one table, and "" when they are read with confidence; else its rows of header
    labels only, and what could not be placed.  Not read with confidence: a row with more numbers
    than any row of the table has, or numbers without a label (where the table has no such row)
    below a row label without numbers: the labels and the numbers came apart (text that lists a
    table's cells column by column, as pdftotext without -layout does)."""
    votes: dict[str, int] = {}  # the table the rows are: the one most of their labels belong to
    for items, _ in g:
        for it in items:
            if isinstance(it, _Label):
                for t in labels.tables.get(it.norm) or labels.tables.get(it.near) or ():
                    votes[t] = votes.get(t, 0) + 1
    if not votes:
        return g, ""
    most = max(votes.values())
    ids = {t for t, v in votes.items() if v == most}
    width = max(labels.width.get(t, 0) for t in ids)
    bare_ok = bool(ids & labels.unlabelled)
    too_many = False
    row_without = bare = labelled = 0
    bare_counts = []
    for items, _ in g:
        nums = sum(1 for it in items if isinstance(it, _Piece))
        names = [it for it in items if isinstance(it, _Label)]
        too_many |= nums > width > 0
        rowish = any(ROW in labels.roles.get(it.norm, ()) and COLUMN not in labels.roles[it.norm] for it in names)
        if rowish and not nums:
            row_without += 1
        elif nums and names:
            labelled += 1
        elif nums:
            bare += 1
            bare_counts.append(nums)
    if bare_ok:  # 表格四's one row of numbers, cut up
        apart = bare > 1 or (bare == 1 and bare_counts[0] != width)
    else:  # rows of labels without numbers, then rows of numbers without labels: more of them than rows of both
        apart = row_without >= 2 and bare >= 2 and bare >= labelled
    if not too_many and not apart:
        return g, ""
    head: list = []  # the header's labels (the table is recognised by them): a title a row, the rest one row
    for items, _ in g:
        for it in items:
            roles = labels.roles.get(it.norm, frozenset()) if isinstance(it, _Label) else frozenset()
            if roles & {TITLE, HEADER, COLUMN} and not roles & {ROW, GROUP}:
                if TITLE in roles or not head or TITLE in labels.roles[head[-1][0][0].norm]:
                    head.append(([], []))
                head[-1][0].append(it)
    if not head:
        head = [([it for items, _ in g for it in items if isinstance(it, _Label) and labels.known(it.norm)], [])]
    rows = [it for items, _ in g for it in items if isinstance(it, _Label)
            and ROW in labels.roles.get(it.norm, frozenset()) and COLUMN not in labels.roles[it.norm]]
    nums = sum(1 for items, _ in g for it in items if isinstance(it, _Piece))
    what = f"「{strip_enum(rows[0].text)}」等{len(rows)}行的{nums}个数字" if rows else f"{nums}个数字"
    return head, what


def _text(lab: _Label, labels: FormatLabels) -> str:
    """A label's text: its pieces, a line apart where they stood on lines apart; a label joined
    from fragments that spells a label of the format but for a quote out of place (a PDF's text
    order) as the format writes it, after its enumerator."""
    text = lab.text
    if len(lab.pieces) > 1 and lab.norm in labels.canon:
        canonical = labels.canon[lab.norm]
        if strip_enum(text) != strip_enum(canonical):
            flat = normalize(text)
            return flat[: len(flat) - len(strip_enum(text))] + canonical
    return text
