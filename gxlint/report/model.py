"""What a report *is*, once read against the format: its title, its parts (headings) and its
national tables, every value cell addressed by its row and column labels.  Rules only ever look
at a :class:`Report`; ``build.build_report`` makes one from a ``gxlint.model.Document``."""
from __future__ import annotations

from collections import Counter
from functools import cached_property

from ..model import Cell, Document, Paragraph, Table
from ..record import Record
from ..template import FormatSpec, SectionSpec, TableSpec
from .display import display_col


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
    flattened labels (「(三) 不予公开 1. 属于国家秘密」), id(cell) -> offset of the item in its text;
    slots: the positions where the format wants a number and finds none (a blank, 「/」, 「3500元」),
    found by the same walk as the values (``tables._slots``); memo: what reading the table derives
    once (the label pools it matches cells against, whether a zero told the reading): not a field
    (neither compared nor shown)."""

    _fields = ("spec", "raw", "rows", "hits", "header_labels", "unknown_rows", "unread_rows", "item_offsets",
               "blocks_seen", "line", "slots")

    def __init__(self, spec: TableSpec, raw: list[Table], rows: dict[str, Row] | None = None,
                 hits: list[LabelHit] | None = None, header_labels: Counter | None = None,
                 unknown_rows: list[Row] | None = None, unread_rows: list[Row] | None = None,
                 item_offsets: dict[int, int] | None = None, blocks_seen: list[str] | None = None, line: int = 0,
                 slots: list[Slot] | None = None):
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
        self.slots = [] if slots is None else slots
        self.memo: dict = {}

    @property
    def unplaced(self) -> list[Row]:
        """Rows of numbers whose label could not be read: any row of the format may be one of them."""
        return [r for r in self.unread_rows if r.label_cell is None]

    def value(self, row: str, column: str) -> int | float | None:
        r = self.rows.get(row)
        return None if r is None else r.values.get(column)

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
    (year-over-year rules); others: the other reports of a batch, for the rules that compare them,
    as (path, {kind: that kind's digest}) (``Linter.digest``), and while a rule of a kind needing
    ``others`` runs, as (path, that kind's digest) (the kind's ``digest(report, rules)``, see
    gxlint.kinds); None when this report is linted alone; memo: what kinds derive
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
        """The report's paragraphs, from its title on: what stands above the title is the page's
        (a site path, a publication date, 索引号, 「标题：」), not the report's."""
        paras = self.doc.paragraphs()
        if self.title_lines:
            first = self.title_lines[0]
            return paras[next(i for i, p in enumerate(paras) if p is first):]
        return paras

    def section_of(self, block_index: int) -> str:
        """Numeral of the part a block stands in ('' before the first part)."""
        current = ""
        for h in self.headings:
            if h.position <= block_index:
                current = h.section.number
        return current

    def where_paragraph(self, p) -> str:
        """Where paragraph ``p`` stands, for a person: 标题, 第N部分 or 正文开头 ("" when it is not
        one of the document's blocks).  The blocks are indexed once per report: a finding's
        location is a lookup, not a walk of the blocks before it (40,000 findings were quadratic)."""
        index = self.memo.get("block_index")
        if index is None:
            index = self.memo["block_index"] = {}
            for i, b in enumerate(self.doc.blocks):
                index.setdefault(id(b), i)
        i = index.get(id(p))
        if i is None:
            return ""
        if any(p is t for t in self.title_lines):
            return "标题"
        sec = self.section_of(i)
        return f"第{sec}部分" if sec else "正文开头"

    def part_paragraphs(self, number: str) -> list[Paragraph]:
        """The paragraphs of part `number` (一 … 六), its heading excluded."""
        heads = {id(h.paragraph) for h in self.headings}
        return [
            b for i, b in enumerate(self.doc.blocks)
            if isinstance(b, Paragraph) and id(b) not in heads and self.section_of(i) == number
        ]

    def signature(self) -> tuple[Paragraph, int, int, int] | None:
        """(paragraph, year, month, day) of the signature date: the last paragraph that is only a date."""
        from .headings import signature

        return signature(self)

    @cached_property
    def is_report(self) -> bool:
        """False for a file that is plainly not an annual report (``headings.is_report``): such a
        file is skipped."""
        from .headings import is_report

        return is_report(self)

    @property
    def title_text(self) -> str:
        """The whole title, its lines joined (「桃江县松木塘镇人民政府」+「2022年政府信息公开工作年度报告」)."""
        return "".join(p.text.strip() for p in self.title_lines)

    def issuer(self) -> str:
        """The organ the report is from (``headings.issuer``); "" when none says."""
        if "issuer" not in self.memo:
            from .headings import issuer

            self.memo["issuer"] = issuer(self)
        return self.memo["issuer"]

    def display_col(self, line: int, col: int, page: int = 0) -> int:
        """1-based display column of code-point column `col` on `line` (of `page`, if paged)."""
        text = None
        if self.lines is not None:
            if 1 <= line <= len(self.lines):
                text = self.lines[line - 1]
        else:
            text = self.cell_texts.get((page, line))
        return col if text is None else display_col(text, col, self.memo, ("display", page, line))


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

