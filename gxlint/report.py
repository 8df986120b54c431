"""A Document read against the report format: title, parts, labelled tables.

This is where a file's paragraphs and raw tables become *a report*: which
paragraph is the title, which paragraphs open the six parts, and which raw
tables are the national tables, with every value cell addressed by its row
and column labels (matched by text, tolerating small typos, never by grid
position alone).  Rules only ever look at a Report.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from functools import cached_property, lru_cache

from .labels import match, nfkc, normalize, strip_enum
from .model import Cell, Document, Paragraph, Table
from .record import Record
from .template import FormatSpec, SectionSpec, TableSpec
from .regex_store import compiled

_NUMBER = compiled(r"^[+-]?\d+(?:\.\d+)?$")
# Digits of the whole part of a number read from a report: any count a report holds has fewer,
# and longer runs would overflow a float (400 digits) or int() itself (4,300).
MAX_DIGITS = 15
_NUMERAL = compiled(r"^\s*([一二三四五六七八九十]+)\s*[、.．，,]\s*")
_TITLE_YEAR = compiled(r"(\d{4})\s*年\s*度?")
_ISSUER_TAIL = compiled(r"关于$")
_DISCLOSURE = compiled(r"信息公开|政务公开")  # what a report's title names
# a repository's documentation files, never reports whatever they quote
_DOC_FILE = compiled(r"(?i)^(?:readme|changelog|changes|history|license|licence|contributing|authors|notice|copying)\b")
# an office's name as signed above the date (上犹县人民政府办公室, 某镇人民政府, 某县财政局): short, no sentence
_ORGAN = compiled(r"^[^，。；：,;:]{2,30}(?:政府|办公室|办公厅|局|委员会|委|办事处|管委会|中心|厅|院|镇|乡|街道|办)$")
# how a report calls its own office: 我镇, 本乡, 本街道, 我局 (most said wins)
_SELF = compiled(r"[我本](镇|乡|街道|县|区|市|局|委|办|厅)(?![长委务级域内外法理事公场])")
# the statistics period of one whole year, where the title gives no year
_PERIOD_YEAR = compiled(r"(?=\d)(\d{4})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起)?\s*(?:至|到|—|-|－|~)+\s*(\d{4})\s*年\s*12\s*月\s*31\s*日")
# lines before a title that are not part of it: a web page's path or source line
_NOT_TITLE = compiled(r"当前位置|首页|>|来源|发布时间|发布日期|浏览|字号|索引号")
# 〇, and what is written for it by mistake (GX110): 零, the circle ○, the letter O, the digit 0
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
COUNT = r"(?:\d+|[〇零一二两三四五六七八九十百千万]+)"  # a whole number as parse_count reads it
# A paragraph that is nothing but a date: the 成文日期 of the signature (落款).
_DATE_ONLY = compiled(
    r"^(?P<y>\d{4}|[〇零○OoＯｏ0０一二三四五六七八九]{4})\s*(?:年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日|[.．\-－/／]\s*(?P<m2>\d{1,2})\s*[.．\-－/／]\s*(?P<d2>\d{1,2}))$"
)


@lru_cache(maxsize=4096)  # cells repeat ("0", "1"...) and every table rule asks
def parse_number(text: str) -> int | float | None:
    """The number in a table cell, or None when the cell holds no number."""
    t = nfkc(text).strip().replace(",", "")
    if not _NUMBER.match(t) or len(t.partition(".")[0].lstrip("+-")) > MAX_DIGITS:
        return None  # no report counts beyond 10**15: such a cell is no number (a serial, a bank account)
    return float(t) if "." in t else int(t)


@lru_cache(maxsize=4096)  # the same numerals (一, 2, 十三) are read over and over
def parse_count(text: str) -> int | None:
    """A whole number written in Arabic (13) or Chinese numerals (十三, 一百零三, 二〇二五), else None."""
    t = nfkc(text).strip()
    if t.isdigit():
        return int(t) if len(t) <= MAX_DIGITS else None
    if not t or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in t):
        return None
    if not any(ch in _CN_UNITS for ch in t):  # 二〇二五: digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in t))
    total = section = 0
    digit = None
    for ch in t:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif _CN_UNITS[ch] == 10000:
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + section + (digit or 0)


def display_width(text: str) -> int:
    """Terminal columns taken by `text` (CJK wide and fullwidth characters count 2; a tab moves to
    the next multiple of 8, as Vim's %v, Emacs and a terminal count it)."""
    w = 0
    for ch in text:
        if ch == "\t":
            w += 8 - w % 8
        elif ord(ch) < 0x1100:
            w += 1
        else:
            w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


class Heading(Record):
    """A paragraph that opens one of the format's parts: numeral, the numeral shown in front of it
    ("" when it has none); position, the index of the paragraph among the document's blocks; exact:
    worded as the format (or a common variant), False: recognised by numeral and words."""

    _fields = ("section", "paragraph", "numeral", "position", "exact")

    def __init__(self, section: SectionSpec, paragraph: Paragraph, numeral: str, position: int, exact: bool = True):
        self.section = section
        self.paragraph = paragraph
        self.numeral = numeral
        self.position = position
        self.exact = exact


class LabelHit(Record):
    """A label cell matched to a canonical label (distance > 0: misspelt); kind: "row", "column"
    or "title"."""

    _fields = ("kind", "canonical", "cell", "distance")

    def __init__(self, kind: str, canonical: str, cell: Cell, distance: int):
        self.kind = kind
        self.canonical = canonical
        self.cell = cell
        self.distance = distance


class Row(Record):
    """A row of a national table: key, its canonical label; number, the 1-based row number in the
    table as written; cells, column key -> value cell; extra, value cells beyond the format's
    columns; block: disclosure table, the block (item title) the row belongs to; unread: why the
    row's numbers could not be put under the format's columns ("": they were)."""

    _fields = ("key", "label_cell", "number", "cells", "values", "extra", "block", "unread")

    def __init__(self, key: str, label_cell: Cell | None, number: int, cells: dict[str, Cell] | None = None,
                 values: dict[str, int | float] | None = None, extra: list[Cell] | None = None, block: str = "",
                 unread: str = ""):
        self.key = key
        self.label_cell = label_cell
        self.number = number
        self.cells = {} if cells is None else cells
        self.values = {} if values is None else values
        self.extra = [] if extra is None else extra
        self.block = block
        self.unread = unread


class LabelledTable(Record):
    """A national table as read: header_labels, canonical column label -> times seen; unread_rows:
    rows whose numbers could not be read with confidence (too few or too many for the columns, no
    label): none of their numbers is a value, so no arithmetic is done on a misread; item_offsets:
    flattened labels (「(三) 不予公开 1. 属于国家秘密」), id(cell) -> offset of the item in its text; memo:
    what reading the table and finding its value slots both derive from a raw row or table (its
    label and value cells, its row label, its grid columns), by (what, id of the row or table): not
    a field (neither compared nor shown)."""

    _fields = ("spec", "raw", "rows", "hits", "header_labels", "unknown_rows", "unread_rows", "item_offsets",
               "blocks_seen", "line")

    def __init__(self, spec: TableSpec, raw: list[Table], rows: dict[str, Row] | None = None,
                 hits: list[LabelHit] | None = None, header_labels: Counter | None = None,
                 unknown_rows: list[Row] | None = None, unread_rows: list[Row] | None = None,
                 item_offsets: dict[int, int] | None = None, blocks_seen: list[str] | None = None, line: int = 0):
        self.spec = spec
        self.raw = raw
        self.rows = {} if rows is None else rows
        self.hits = [] if hits is None else hits
        self.header_labels = Counter() if header_labels is None else header_labels
        self.unknown_rows = [] if unknown_rows is None else unknown_rows
        self.unread_rows = [] if unread_rows is None else unread_rows
        self.item_offsets = {} if item_offsets is None else item_offsets
        self.blocks_seen = [] if blocks_seen is None else blocks_seen
        self.line = line
        self.memo: dict = {}

    def value(self, row: str, column: str) -> int | float | None:
        r = self.rows.get(row)
        return None if r is None else r.values.get(column)

    @cached_property
    def slots(self) -> list[Slot]:
        """Positions where the format wants a number and finds none (``value_slots``), found once."""
        return value_slots(self)

    def where(self, row: Row, column: str | None = None) -> str:
        """Human location: 第三部分 表格三 第23行「重复申请」 总计列."""
        s = self.spec.section
        out = f"第{s}部分 表格{s} 第{row.number}行"
        if row.label_cell is not None:
            out += f"「{row.label_cell.text.replace(chr(10), '')}」"
        if column:
            out += f" {column.replace('/', '·')}列"
        return out


class Report(Record):
    """A document read against the format: title, the line of the title that says 报告; title_lines,
    the title's lines (over two or three lines); year_from, where the report year was read ("title",
    or "period": the statistics period); lines: source lines (text formats), for display columns;
    cell_texts: docx, PDF, (page, line) -> text; previous: last year's report, when one was given
    (year-over-year rules); others: the other reports of a batch, as (path, shared_text.digest),
    for the rules that compare them, None when this report is linted alone; memo: what kinds derive
    once for all their rules, by the kind's own key; allow: numbers published on purpose (allow: in
    .gxlint.yaml), as written there."""

    _fields = ("doc", "fmt", "title", "title_lines", "year", "year_from", "headings", "tables", "lines", "cell_texts",
               "previous", "others", "memo", "allow")

    def __init__(self, doc: Document, fmt: FormatSpec, title: Paragraph | None = None,
                 title_lines: list[Paragraph] | None = None, year: int | None = None, year_from: str = "",
                 headings: list[Heading] | None = None, tables: dict[str, LabelledTable] | None = None,
                 lines: list[str] | None = None, cell_texts: dict[tuple[int, int], str] | None = None,
                 previous: Report | None = None, others: list | None = None, memo: dict | None = None,
                 allow: frozenset[str] = frozenset()):
        self.doc = doc
        self.fmt = fmt
        self.title = title
        self.title_lines = [] if title_lines is None else title_lines
        self.year = year
        self.year_from = year_from
        self.headings = [] if headings is None else headings
        self.tables = {} if tables is None else tables
        self.lines = lines
        self.cell_texts = {} if cell_texts is None else cell_texts
        self.previous = previous
        self.others = others
        self.memo = {} if memo is None else memo
        self.allow = allow

    @cached_property  # the document does not change once its report is built; every text rule asks
    def paragraphs(self) -> list[Paragraph]:
        return self.doc.paragraphs()

    def section_of(self, block_index: int) -> str:
        """Numeral of the part a block stands in ('' before the first part)."""
        current = ""
        for h in self.headings:
            if h.position <= block_index:
                current = h.section.number
        return current

    def part_paragraphs(self, number: str) -> list[Paragraph]:
        """The paragraphs of part `number` (一 … 六), its heading excluded."""
        heads = {id(h.paragraph) for h in self.headings}
        return [
            b for i, b in enumerate(self.doc.blocks)
            if isinstance(b, Paragraph) and id(b) not in heads and self.section_of(i) == number
        ]

    def signature(self) -> tuple[Paragraph, int, int, int] | None:
        """(paragraph, year, month, day) of the signature date: the last paragraph that is only a date."""
        for b in reversed(self.doc.blocks):
            if not isinstance(b, Paragraph):
                continue
            m = _DATE_ONLY.match(b.text.strip().strip("*").strip())
            if m:
                y, mo, d = (parse_count(x) for x in (m.group("y"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2")))
                return b, y, mo, d
        return None

    @cached_property
    def is_report(self) -> bool:
        """False for a file that is plainly not an annual report: a repository's README,
        CHANGELOG, LICENSE…, or a file with no report title (one that names 信息公开 or 政务公开),
        none of the format's parts, no table and no word of 政府信息公开 (meeting notes).  Such a
        file is skipped."""
        if _DOC_FILE.match(os.path.basename(self.doc.path or "")):
            return False  # a repository's README, CHANGELOG, LICENSE… beside the reports
        titled = self.title is not None and _DISCLOSURE.search(self.title_text) is not None
        return (titled or bool(self.headings) or bool(self.doc.tables())
                or any("政府信息公开" in p.text for p in self.paragraphs))

    @property
    def title_text(self) -> str:
        """The whole title, its lines joined (「桃江县松木塘镇人民政府」+「2022年政府信息公开工作年度报告」)."""
        return "".join(p.text.strip() for p in self.title_lines)

    def issuer(self) -> str:
        """The organ the report is from: the title before its year, else the short line above the
        title, else the office named above the signature date, else what the text calls itself
        (我镇, 本乡, 本街道, 我局 → 镇, 乡, 街道, 局); "" when none says."""
        if "issuer" not in self.memo:
            self.memo["issuer"] = self._issuer()
        return self.memo["issuer"]

    def _issuer(self) -> str:
        if self.title is not None:
            text = self.title_text
            m = _TITLE_YEAR.search(text)
            before = _ISSUER_TAIL.sub("", normalize(text[: m.start()] if m else "").strip("#*"))
            if before:
                return before
            i = next(i for i, b in enumerate(self.doc.blocks) if b is self.title_lines[0])
            above = next((b for b in reversed(self.doc.blocks[:i]) if isinstance(b, Paragraph) and b.text.strip()), None)
            if above is not None and len(above.text.strip()) <= 30 and "报告" not in above.text:
                return normalize(above.text).strip("#*")
        sig = self.signature()
        if sig is not None:
            i = next(i for i, b in enumerate(self.doc.blocks) if b is sig[0])
            above = next((b for b in reversed(self.doc.blocks[:i]) if isinstance(b, Paragraph) and b.text.strip()), None)
            if above is not None and _ORGAN.search(normalize(above.text)):
                return normalize(above.text).strip("#*")
        said = Counter(m.group(1) for p in self.paragraphs for m in _SELF.finditer(p.text))
        return said.most_common(1)[0][0] if said else ""

    def display_col(self, line: int, col: int, page: int = 0) -> int:
        """1-based display column of code-point column `col` on `line` (of `page`, if paged)."""
        text = None
        if self.lines is not None:
            if 1 <= line <= len(self.lines):
                text = self.lines[line - 1]
        else:
            text = self.cell_texts.get((page, line))
        if text is None:
            return col
        if col <= 64:  # most findings sit near a line's start: no table needed
            return display_width(text[: col - 1]) + 1
        widths = self.memo.get(("display", page, line))
        if widths is None:  # a line with findings far along it: its widths once (many findings, one pass)
            widths, w = [0], 0
            for ch in text:
                w = display_width(ch) + w if ch != "\t" else w + 8 - w % 8
                widths.append(w)
            self.memo[("display", page, line)] = widths
        return widths[min(col - 1, len(widths) - 1)] + 1


# --------------------------------------------------------------------------- building


def build_report(doc: Document, fmt: FormatSpec) -> Report:
    rep = Report(doc=doc, fmt=fmt, lines=doc.lines)
    _find_headings(rep)
    _find_title(rep)
    _find_tables(rep)
    if doc.lines is None:
        for b in doc.blocks:
            if isinstance(b, Paragraph):
                rep.cell_texts[(b.page, b.line)] = b.text
            else:
                for row in b.rows:
                    for c in row:
                        rep.cell_texts.setdefault((c.page, c.line), c.text.split("\n", 1)[0])
    return rep


def _heading_text(p: Paragraph) -> tuple[str, str]:
    """(numeral, rest) of a paragraph as shown, markdown emphasis removed."""
    shown = p.shown.replace("*", "").strip()
    m = _NUMERAL.match(shown)
    if m:
        return m.group(1), shown[m.end() :]
    return "", shown


def _find_headings(rep: Report) -> None:
    """The paragraphs that open the format's parts.

    First by the format's wording (``match``).  Then, for a part still without a heading, a
    short paragraph worded otherwise that stands between the headings of the parts before and
    after: one that shows the part's numeral is that part (the drafter numbered it so), the
    best of several being the one that says the part's ``words`` and is worded closest to the
    format's title (years and the words any heading may add, 政府信息公开工作, 政务公开, 的,
    aside); one without a numeral must say the ``words`` and be worded almost as the title.
    """
    candidates = []
    for pos, b in enumerate(rep.doc.blocks):
        if not isinstance(b, Paragraph) or len(b.shown) > 40:
            continue
        numeral, rest = _heading_text(b)
        key = normalize(rest).rstrip(":：。.")
        if not key:
            continue
        spec = _worded_as(rep.fmt, key)
        if spec is not None:
            rep.headings.append(Heading(spec, b, numeral, pos))
        else:
            candidates.append((pos, b, numeral, key))
    found = {h.section.number: h.position for h in rep.headings}
    for spec in rep.fmt.sections:
        if spec.number in found:
            continue
        before = max((found[s.number] for s in rep.fmt.sections[: spec.order] if s.number in found), default=-1)
        after = min((found[s.number] for s in rep.fmt.sections[spec.order + 1 :] if s.number in found), default=1 << 30)
        best = None
        for pos, b, numeral, key in candidates:
            if not before < pos < after or (numeral and numeral != spec.number):
                continue
            says = all(w.search(key) for w in spec.words)
            sim = _title_similarity(key, spec.title)
            if not numeral and not (says and sim >= 0.85):
                continue
            score = (bool(numeral), says, sim)
            if best is None or score > best[0]:
                best = (score, Heading(spec, b, numeral, pos, exact=False))
        if best is not None:
            rep.headings.append(best[1])
            found[spec.number] = best[1].position
    rep.headings.sort(key=lambda h: h.position)


# (id of a format, a short paragraph's words) -> (the format, index of the first part whose
# wording they match, or -1): reports repeat their headings and short lines
_WORDED: dict = {}
_WORDED_SIZE = 4096


def _worded_as(fmt: FormatSpec, key: str) -> SectionSpec | None:
    """The first part of `fmt` whose wording (``match``) the words `key` of a paragraph match."""
    got = _WORDED.get((id(fmt), key))
    if got is None or got[0] is not fmt:
        i = next((i for i, spec in enumerate(fmt.sections) if any(p.search(key) for p in spec.patterns)), -1)
        if len(_WORDED) >= _WORDED_SIZE:
            _WORDED.clear()
        got = _WORDED[(id(fmt), key)] = (fmt, i)
    return fmt.sections[got[1]] if got[1] >= 0 else None


_HEADING_FILLER = compiled(r"\d{4}年度?|本?年度|政府信息公开工作|政府信息公开|政务公开工作|政务公开|工作|的|本机关|[、，,]")


def _heading_core(text: str) -> str:
    return _HEADING_FILLER.sub("", normalize(text))


def _title_similarity(key: str, title: str) -> float:
    """Similarity (0..1) of a heading's wording to a part's title, fillers aside."""
    a, b = _heading_core(key), _heading_core(title)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    from .distance import similarity  # lazy, as in labels: only for a heading the format's wording did not match

    return similarity(a, b)


def _find_title(rep: Report) -> None:
    """The title: the first short paragraph that says 报告 before the first part, with the one
    or two short lines above it when the title is spread over lines and the year is not yet in
    it (「上犹县2022年度政府信息」 / 「公开工作报告」).  Without a year in the title, the report
    year is the statistics period's (「自2022年1月1日起至2022年12月31日止」)."""
    first = rep.headings[0].position if rep.headings else len(rep.doc.blocks)
    blocks = rep.doc.blocks[: min(first, 12)]
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph) or len(b.text) > 60 or "报告" not in b.text or _NOT_TITLE.search(b.text):
            continue
        lines = [b]
        for prev in reversed(blocks[:i]):
            if _TITLE_YEAR.search("".join(p.text for p in lines)) or len(lines) == 3:
                break
            if not isinstance(prev, Paragraph):
                break
            t = prev.text.strip()
            if not t:
                continue
            if len(t) > 30 or _NOT_TITLE.search(t) or re.search(r"[。，；：:;,]", t) or _DATE_ONLY.match(t):
                break
            lines.insert(0, prev)
        if not _TITLE_YEAR.search("".join(p.text for p in lines)):
            lines = [b]
        rep.title, rep.title_lines = b, lines
        m = _TITLE_YEAR.search(rep.title_text)
        if m:
            rep.year, rep.year_from = int(m.group(1)), "title"
        break
    if rep.year is None:
        for p in rep.doc.blocks[:first + 40]:
            if isinstance(p, Paragraph) and (m := _PERIOD_YEAR.search(p.text)) and m.group(1) == m.group(2):
                rep.year, rep.year_from = int(m.group(1)), "period"
                break


# --------------------------------------------------------------------------- tables


def _split_row(row: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(label cells, value cells) of a raw row."""
    labels, values = [], []
    for c in row:
        (values if parse_number(c.text) is not None else labels).append(c)
    return labels, values


def _split(lt: LabelledTable, row: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """``_split_row(row)``, once per row of `lt` (reading the table and its slots both ask)."""
    key = ("split", id(row))
    got = lt.memo.get(key)
    if got is None:
        got = lt.memo[key] = _split_row(row)
    return got


def _row_hit(lt: LabelledTable, row: list[Cell], labels: list[Cell], candidates, block: str | None = None):
    """``_match_row(lt, labels, candidates)`` for the label cells of `row`, once per row and
    `block` (the candidates are the block's rows, or all the table's when `block` is None)."""
    key = ("hit", id(row), block)
    try:
        return lt.memo[key]
    except KeyError:
        got = lt.memo[key] = _match_row(lt, labels, candidates)
        return got


def _classify(table: Table, fmt: FormatSpec) -> TableSpec | None:
    """The national table a raw table holds, judged by how many labels match."""
    best, best_score = None, 0
    frags = [strip_enum(c.text) for row in table.rows for c in row if parse_number(c.text) is None]
    frags = [f for f in frags if f]
    for spec in fmt.tables:
        names = spec.known_labels
        score = sum(1 for f in frags if f in names)
        if score > best_score:
            best, best_score = spec, score
    return best if best_score >= 3 else None


def _find_tables(rep: Report) -> None:
    assigned: dict[str, list[Table]] = {}
    for t in rep.doc.tables():
        spec = _classify(t, rep.fmt)
        if spec is not None:
            assigned.setdefault(spec.id, []).append(t)
    for spec in rep.fmt.tables:
        raws = assigned.get(spec.id)
        if raws:
            rep.tables[spec.id] = _read_table(spec, raws)


# Tables read before, by shape: reports drafted from one template have tables alike in all but
# their numbers, and reading one (matching every label, placing every number) is most of the
# cost of building a report.  Key: the spec and, cell by cell, its position, span and text, a
# number standing as None (what reading does with a number does not depend on its value, only
# on there being one; where it also depends on which numbers are 0, a surplus beyond the
# columns, the zeros are compared too).  Value: (spec, the table as read, zeros or None).
_READ: dict = {}
_READ_SIZE = 32


def _read_table(spec: TableSpec, raws: list[Table]) -> LabelledTable:
    """The national table `spec` in `raws`: read, or copied from a table of the same shape."""
    shape, zeros, count = [], [], 0
    for raw in raws:
        rows = []
        for r in raw.rows:
            nums = [parse_number(c.text) for c in r]
            rows.append(tuple([(c.row, c.column, c.rowspan, c.colspan, c.text if v is None else None)
                               for c, v in zip(r, nums)]))
            zeros += [not v for v in nums if v is not None]
            count += len(r)
        shape.append((raw.grid, tuple(rows)))
    key = (id(spec), tuple(shape))
    zeros = tuple(zeros)
    got = _READ.get(key)
    if got is not None and got[0] is spec and (got[2] is None or got[2] == zeros):
        return _copy_table(got[1], raws)
    lt = LabelledTable(spec=spec, raw=raws, line=raws[0].line)
    if spec.blocks:
        _read_block_table(lt)
    else:
        _read_grid_table(lt)
    _group_hits(lt)
    if len({id(c) for raw in raws for r in raw.rows for c in r}) == count:  # (each cell once: copies map them)
        if len(_READ) >= _READ_SIZE:
            _READ.clear()
        _READ[key] = (spec, lt, zeros if lt.memo.get("zeros read") else None)
    return lt


def _copy_table(t: LabelledTable, raws: list[Table]) -> LabelledTable:
    """What reading `raws` gives, from `t`, a table of the same shape as read: the same rows,
    labels and hits on the cells at the same places of `raws`, the values of `raws`' numbers."""
    cell_of = {id(o): n for old, new in zip(t.raw, raws) for ro, rn in zip(old.rows, new.rows) for o, n in zip(ro, rn)}
    rows: dict[int, Row] = {}

    def row(r: Row) -> Row:
        got = rows.get(id(r))
        if got is None:
            cells = {k: cell_of[id(c)] for k, c in r.cells.items()}
            got = rows[id(r)] = Row(
                key=r.key, label_cell=None if r.label_cell is None else cell_of[id(r.label_cell)], number=r.number,
                cells=cells, values={k: parse_number(cells[k].text) for k in r.values},
                extra=[cell_of[id(c)] for c in r.extra], block=r.block, unread=r.unread,
            )
        return got

    lt = LabelledTable(
        spec=t.spec, raw=raws, line=raws[0].line,
        rows={k: row(r) for k, r in t.rows.items()},
        hits=[LabelHit(h.kind, h.canonical, cell_of[id(h.cell)], h.distance) for h in t.hits],
        header_labels=Counter(t.header_labels),
        unknown_rows=[row(r) for r in t.unknown_rows],
        unread_rows=[row(r) for r in t.unread_rows],
        item_offsets={id(cell_of[k]): v for k, v in t.item_offsets.items()},
        blocks_seen=list(t.blocks_seen),
    )
    # the value slots too (where a number is wanted and none stands depends on the shape alone)
    lt.__dict__["slots"] = [Slot(row(x.row), x.column, None if x.cell is None else cell_of[id(x.cell)], x.money)
                            for x in t.slots]
    return lt


def _match_row(lt: LabelledTable, labels: list[Cell], candidates: list[str]) -> tuple[str, Cell, int] | None:
    """Row label among the label cells of a row (the most specific, i.e. last, first)."""
    alias_of = lt.spec.aliases
    pool = candidates + list(alias_of)
    for cell in reversed(labels):
        m = match(cell.text, pool)
        if m is None and (tail := _flattened_tail(cell.text)):
            m = match(tail, pool)  # 「（三）不予公开 1.属于国家秘密」: group and item in one cell
            if m is not None:
                lt.item_offsets[id(cell)] = len(cell.text.split("\n", 1)[0].rstrip()) - len(tail)
        if m is not None:
            key = alias_of.get(m.canonical, m.canonical)
            return key, cell, m.distance if m.canonical not in alias_of else 0
    return None


# an enumerator inside a label, after some text: where a flattened label's item starts
_INNER_ENUM = compiled(r"(?<=\S)\s*(?=(?:[（(][一二三四五六七八九十]{1,3}[)）]|(?<![\d.])\d{1,2}[.．、](?!\d)))")


def _flattened_tail(text: str) -> str:
    """The item of a label that holds its group too (「三、本年度办理结果（一）予以公开」 →
    「（一）予以公开」), or "" when the label holds one item only."""
    parts = _INNER_ENUM.split(text.split("\n", 1)[0].strip())
    return parts[-1] if len(parts) > 1 else ""


def _is_group_label(lt: LabelledTable, cell: Cell) -> bool:
    pool = lt.memo.get("group pool")
    if pool is None:
        pool = lt.memo["group pool"] = tuple(lt.spec.row_groups + lt.spec.header_groups + lt.spec.group_names)
    return match(cell.text, pool) is not None


def _add_row(lt: LabelledTable, row: Row, hit: tuple[str, Cell, int] | None) -> None:
    if row.unread:
        lt.unread_rows.append(row)
    if hit is not None:
        key, cell, dist = hit
        lt.hits.append(LabelHit("row", key, cell, dist))
        if key not in lt.rows:
            lt.rows[key] = row
        return
    lt.unknown_rows.append(row)


def _positions(r: list[Cell], label: Cell | None) -> list[Cell]:
    """The cells of a row that stand where numbers go: its numbers, and the blanks and dashes
    right of its label (of a row without one: anywhere).  A 「/」 holds a column's place."""
    return [
        c for c in r
        if parse_number(c.text) is not None or (_placeholder(c) and (label is None or c.column > label.column))
    ]


def _assign_values(lt: LabelledTable, row: Row, cells: list[Cell], columns: list[str],
                   by_grid: dict[int, str] | None) -> None:
    """Put a row's positions (``_positions``) under their columns: by header grid position when
    known (a blank outside the header's columns is no position), else in order when there are as
    many as columns (surplus zeros tolerated).  Only a number gets a value.  Positions that cannot
    be put under columns with confidence (too few: which one is missing?; a surplus that is not
    zero) give the row no value at all, and ``row.unread`` says why."""
    nums = [parse_number(c.text) for c in cells]
    if by_grid and row.label_cell is not None and _ragged(row.label_cell, cells, nums, by_grid):
        row.unread = "单元格少于表格的列"
        return
    if by_grid:
        placed = [(c, by_grid.get(c.column), v) for c, v in zip(cells, nums) if v is not None or c.column in by_grid]
        keys = [k for _, k, _ in placed]
        if all(keys) and len(set(keys)) == len(keys):
            for c, k, v in placed:
                row.cells[k] = c
                if v is not None:
                    row.values[k] = v
            return
    n = len(columns)
    row.extra = [c for c, v in zip(cells[n:], nums[n:]) if v is not None]
    if row.extra:
        lt.memo["zeros read"] = True  # which numbers are 0 told this reading (see _find_tables)
    surplus = any(v for v in nums[n:] if v is not None)
    short = len(cells) < n and any(v is not None for v in nums)
    if columns and (short or surplus):  # (a row of nothing but blanks is no misread: GX404's)
        row.unread = f"有{len(cells)}个数，格式为{n}列"
        return
    for c, k, v in zip(cells, columns, nums):
        row.cells[k] = c
        if v is not None:
            row.values[k] = v


def _ragged(label: Cell, cells: list[Cell], nums: list, by_grid: dict[int, str]) -> bool:
    """A row of a grid table that stops short of the header's columns (a Word row that lost a
    cell): its numbers stand under columns by position, but which one was lost cannot be told.
    (`nums`: the number in each of `cells`, or None.)"""
    if all(v is None for v in nums):
        return False
    end = max([label.column + label.colspan, *(c.column + c.colspan for c in cells)])
    return end <= max(by_grid)


def _read_block_table(lt: LabelledTable) -> None:
    spec = lt.spec
    titles = [b.title for b in spec.blocks]
    block = None
    by_grid: dict[int, str] | None = None
    for raw in lt.raw:
        for r in raw.rows:
            labels, values = _split(lt, r)
            if not values:
                if not labels:
                    continue
                m = match(labels[0].text, titles)
                if m is not None:
                    block = spec.blocks[titles.index(m.canonical)]
                    lt.blocks_seen.append(block.title)
                    lt.hits.append(LabelHit("title", m.canonical, labels[0], m.distance))
                    by_grid = None
                    continue
                if block is not None and match(labels[0].text, [spec.header]) is not None:
                    by_grid = {} if raw.grid else None
                    for cell in labels[1:]:
                        hm = match(cell.text, block.columns, lenient=True)
                        if hm is None:
                            continue
                        lt.hits.append(LabelHit("column", hm.canonical, cell, hm.distance))
                        lt.header_labels[(block.title, hm.canonical)] += 1
                        if by_grid is not None:
                            for g in range(cell.column, cell.column + cell.colspan):
                                by_grid[g] = hm.canonical
                    continue
            candidates = block.rows if block else spec.row_labels()
            hit = _row_hit(lt, r, labels, candidates, block.title if block else None)
            if hit is None and (block is None or not values):
                continue  # no row of the format, and no number: a note, not a row
            row = Row(key=hit[0] if hit else "", label_cell=hit[1] if hit else (labels[0] if labels else None),
                      number=r[0].row + 1, block=block.title if block else "")
            cols = block.columns if block else []
            _assign_values(lt, row, _positions(r, row.label_cell), cols, by_grid)
            _add_row(lt, row, hit)


def _header_leaves(raw: Table, header_rows: list[list[Cell]]) -> dict[int, tuple[Cell, Cell | None]]:
    """Grid column -> (leaf header cell, the group cell above it) for a grid table."""
    if not header_rows:
        return {}
    cover: dict[tuple[int, int], Cell] = {}
    first, last = header_rows[0][0].row if header_rows[0] else 0, 0
    for row in header_rows:
        for c in row:
            for rr in range(c.row, c.row + c.rowspan):
                for cc in range(c.column, c.column + c.colspan):
                    cover[(rr, cc)] = c
            last = max(last, c.row)
    out = {}
    cols = {cc for (_, cc) in cover}
    for cc in cols:
        leaf = cover.get((last, cc))
        if leaf is None:
            continue
        group = None
        for rr in range(leaf.row - 1, first - 1, -1):
            g = cover.get((rr, cc))
            if g is not None and g is not leaf:
                group = g
                break
        out[cc] = (leaf, group)
    return out


def _read_grid_table(lt: LabelledTable) -> None:
    """A table of rows × columns (申请情况, 复议诉讼): headers first, then data rows."""
    spec = lt.spec
    leaf_names = list(dict.fromkeys(spec.leaves))
    header_pool = leaf_names + spec.group_names + spec.header_groups
    row_candidates = spec.row_labels()
    unlabelled = next((r.label for r in spec.rows if r.unlabelled), None)
    for raw in lt.raw:
        header_rows: list[list[Cell]] = []
        by_grid: dict[int, str] | None = None
        seen_data = False
        for r in raw.rows:
            labels, values = _split(lt, r)
            hit = _row_hit(lt, r, labels, row_candidates) if row_candidates else None
            if not values and not _valueless_row(lt, r, hit, unlabelled):
                if not seen_data:
                    header_rows.append(r)
                    for cell in labels:
                        hm = match(cell.text, header_pool)
                        if hm is not None and hm.canonical in leaf_names:
                            lt.hits.append(LabelHit("column", hm.canonical, cell, hm.distance))
                            lt.header_labels[hm.canonical] += 1
                continue
            if not seen_data:
                seen_data = True
                if raw.grid:
                    by_grid = _grid_columns(spec, raw, header_rows)
            if hit is None and unlabelled and all(_is_group_label(lt, c) or _placeholder(c) for c in labels):
                row = Row(key=unlabelled, label_cell=None, number=r[0].row + 1)
                _assign_values(lt, row, _positions(r, None), spec.columns, by_grid)
                if row.unread:
                    lt.unread_rows.append(row)
                taken = lt.rows.get(unlabelled)
                if taken is None or (row.values and not taken.values):  # not a blank row above the numbers
                    lt.rows[unlabelled] = row
                continue
            label_cell = hit[1] if hit else next((c for c in reversed(labels) if not _is_group_label(lt, c)), None)
            row = Row(key=hit[0] if hit else "", label_cell=label_cell, number=r[0].row + 1)
            _assign_values(lt, row, _positions(r, label_cell), spec.columns, by_grid)
            if hit is None and label_cell is None:
                if row.values or row.unread:  # numbers, and nothing to say which row they are
                    row.unread = "行标签为空"
                    row.values.clear()
                    lt.unread_rows.append(row)
                continue
            _add_row(lt, row, hit)


def _valueless_row(lt: LabelledTable, r: list[Cell], hit: tuple[str, Cell, int] | None, unlabelled: str | None) -> bool:
    """A row of no number that is a data row all the same: a row label and, where the numbers go,
    blanks, dashes or text (「总计 | / | / …」) but no column label (a header: 「… | 其他」 names a
    column); or, in a table whose row has no label, nothing but blanks and dashes."""
    key = ("valueless", id(r))
    got = lt.memo.get(key)
    if got is None:
        if hit is not None:
            pool = lt.memo.get("header pool")
            if pool is None:
                pool = lt.memo["header pool"] = tuple(lt.spec.leaves + lt.spec.group_names + lt.spec.header_groups)
            got = not any(c is not hit[1] and not _placeholder(c) and match(c.text, pool) is not None for c in r)
        else:
            got = unlabelled is not None and bool(r) and all(_placeholder(c) for c in r)
        lt.memo[key] = got
    return got


def _grid_columns(spec: TableSpec, raw: Table, header_rows: list[list[Cell]]) -> dict[int, str] | None:
    """Grid column -> column key, from the header cells above each column."""
    leaves = _header_leaves(raw, header_rows)
    out: dict[int, str] = {}
    group_names = spec.group_names
    leaf_of = dict(zip(spec.columns, spec.leaves))
    for cc, (leaf, group) in leaves.items():
        cands = spec.columns
        gname = ""
        if group is not None and group_names:
            gm = match(group.text, group_names)
            gname = gm.canonical if gm else ""
            if not gname:  # 「行政诉讼（复议后起诉）」: the one group name the cell holds
                inside = [g for g in group_names if normalize(g) in normalize(group.text)]
                gname = inside[0] if len(inside) == 1 else ""
        if gname:
            cands = [k for k, g in zip(spec.columns, spec.groups) if g == gname]
        lm = match(leaf.text, [leaf_of[k] for k in cands], lenient=True)
        if lm is None:
            continue
        key = next(k for k in cands if leaf_of[k] == lm.canonical)
        out[cc] = key
    return out or None


# --------------------------------------------------------------------------- group labels


def _group_hits(lt: LabelledTable) -> None:
    """Hits for the labels that name a group of rows or columns (申请人情况, 法人或其他组织,
    不予公开 …) and for the 信息内容 header, so that a misspelt one is reported like any other
    label.  A fragment of a label torn apart in extraction (「本年度办理结」 + 「果」) is no misspelling."""
    spec = lt.spec
    column_groups = spec.group_names + spec.header_groups
    row_groups = spec.row_groups + ([spec.header] if spec.header else [])
    if not column_groups + row_groups:
        return
    seen = {id(h.cell) for h in lt.hits}
    pool = tuple(column_groups + row_groups)
    for raw in lt.raw:
        for r in raw.rows:
            for c in r:
                if id(c) in seen or parse_number(c.text) is not None:
                    continue
                m = match(c.text, pool)
                if m is None:
                    continue
                written, canonical = strip_enum(c.text), strip_enum(m.canonical)
                if m.distance and (canonical.startswith(written) or canonical.endswith(written)):
                    continue  # a torn fragment
                lt.hits.append(LabelHit("column" if m.canonical in column_groups else "row", m.canonical, c, m.distance))


# --------------------------------------------------------------------------- value slots


class Slot(Record):
    """A position of a national table where the format wants a number and finds none.

    ``cell`` holds what is written there (「/」, 「-」, 「3500元」, 「」), or is None
    when nothing at all is (an empty position of a Markdown table); ``column``
    is "" when the position cannot be told (a text table with cells missing).
    """

    _fields = ("row", "column", "cell", "money")

    def __init__(self, row: Row, column: str, cell: Cell | None, money: bool = False):
        self.row = row
        self.column = column
        self.cell = cell
        self.money = money


def value_slots(lt: LabelledTable) -> list[Slot]:
    """Every position where `lt`'s format wants a number but the cell holds something else.

    Rows are found by their labels, as when reading values (a row of no number
    at all, 「规章 | / | / | /」, is a row too).  A row's positions are the
    cells right of its label when there are as many as the format has columns;
    else, in a grid table, the grid columns of the header labels (block
    tables) or of the numbers and dashes of all the rows; a row with nothing
    right of its label whose positions are not known is one position.
    """
    out: list[Slot] = []
    unread = {(r.key, r.number) for r in lt.unread_rows}  # GX028 names them once; no blank is judged there
    for raw in lt.raw:
        rows = _block_data_rows(lt, raw) if lt.spec.blocks else _grid_data_rows(lt, raw)
        for row, right, columns, colmap, money in rows:
            if (row.key, row.number) in unread:
                continue
            if len(right) == len(columns):
                pairs = list(zip(columns, right))
            elif raw.grid and colmap:
                pairs, keys = [], set()
                for g, key in sorted(colmap.items()):
                    if key not in keys:
                        keys.add(key)
                        pairs.append((key, next((c for c in right if c.column <= g < c.column + c.colspan), None)))
            else:  # positions not known: the cells as they come, or the label alone (a text row of blanks)
                pairs = [("", c) for c in right] or [("", None)]
            out += [Slot(row, key, c, money) for key, c in pairs if c is None or parse_number(c.text) is None]
    return out


def _right_of(lt: LabelledTable, r: list[Cell], label: Cell | None) -> list[Cell]:
    """The cells of a row right of its label cell (of a row without one: all but group labels)."""
    if label is None:
        return [c for c in r if parse_number(c.text) is not None or not _is_group_label(lt, c)]
    return [c for c in r if c is not label and c.column > label.column]


def _block_data_rows(lt: LabelledTable, raw: Table):
    """(row, cells right of its label, columns, grid column -> column, money) of each row of a block table."""
    spec = lt.spec
    titles = [b.title for b in spec.blocks]
    block, colmap = None, {}
    for r in raw.rows:
        labels, values = _split(lt, r)
        if not values and labels:
            m = match(labels[0].text, titles)
            if m is not None:
                block, colmap = spec.blocks[titles.index(m.canonical)], {}
                continue
            if block is not None and match(labels[0].text, [spec.header]) is not None:
                colmap = {}
                for cell in labels[1:]:
                    hm = match(cell.text, block.columns, lenient=True)
                    if hm is not None:
                        colmap[cell.column] = hm.canonical
                continue
        hit = _row_hit(lt, r, labels, block.rows if block else spec.row_labels(), block.title if block else None)
        if hit is None:
            continue
        b = block or next(b for b in spec.blocks if hit[0] in b.rows)
        row = Row(key=hit[0], label_cell=hit[1], number=r[0].row + 1, block=b.title)
        yield row, _right_of(lt, r, hit[1]), b.columns, colmap if block else {}, b.money


def _grid_data_rows(lt: LabelledTable, raw: Table):
    """(row, cells right of its label, columns, grid column -> column, False) of each data row of a grid table."""
    spec = lt.spec
    unlabelled = next((r.label for r in spec.rows if r.unlabelled), None)
    candidates = spec.row_labels()
    taken = lt.rows.get(unlabelled) if unlabelled else None  # the unlabelled row as read
    header_rows, data = [], []
    for r in raw.rows:
        labels, values = _split(lt, r)
        hit = _row_hit(lt, r, labels, candidates) if candidates else None
        if not values and not _valueless_row(lt, r, hit, unlabelled):
            if not data:
                header_rows.append(r)
            continue
        if hit is not None:
            data.append((Row(key=hit[0], label_cell=hit[1], number=r[0].row + 1), _right_of(lt, r, hit[1])))
        elif taken is not None and any(c is x for c in r for x in taken.cells.values()):
            data.append((taken, _right_of(lt, r, None)))
    colmap: dict[int, str] = {}
    if raw.grid:
        used = sorted({c.column for _, right in data for c in right if parse_number(c.text) is not None or _placeholder(c)})
        colmap = dict(zip(used, spec.columns)) if len(used) == len(spec.columns) else _grid_columns(spec, raw, header_rows) or {}
    for row, right in data:
        yield row, right, spec.columns, colmap, False


def _placeholder(cell: Cell) -> bool:
    """A cell that stands where a number should: empty, or dashes and slashes only."""
    return not normalize(cell.text).strip("/\\-－—–―_")
