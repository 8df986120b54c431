"""The report format (parts and tables) as declared in ``format:`` of a rule file."""
from __future__ import annotations

import re
from functools import cached_property

from .record import Record


class SectionSpec(Record):
    """A part of the report: number 一 … 六; words: what a heading worded otherwise must still say
    to be this part (each regex must occur): with its numeral and close wording,
    「五、存在问题及改进情况」 is part 五 (report.headings.find_headings)."""

    _fields = ("number", "title", "patterns", "order", "words")

    def __init__(self, number: str, title: str, patterns: list[re.Pattern], order: int,
                 words: list[re.Pattern] | None = None):
        self.number = number
        self.title = title
        self.patterns = patterns
        self.order = order
        self.words = [] if words is None else words


class RowSpec(Record):
    """A row of a national table."""

    _fields = ("label", "group", "aliases", "unlabelled")

    def __init__(self, label: str, group: str = "", aliases: list[str] | None = None, unlabelled: bool = False):
        self.label = label
        self.group = group
        self.aliases = [] if aliases is None else aliases
        self.unlabelled = unlabelled


class BlockSpec(Record):
    """A block of the 主动公开 table: item title, its columns and rows; money: the columns that hold
    money (万元: decimals allowed): all of them (True), none (False) or those named; signed: the
    columns that may be negative (the trial format's 本年增/减)."""

    _fields = ("title", "columns", "rows", "money", "signed")

    def __init__(self, title: str, columns: list[str], rows: list[str], money: bool | list[str] = False,
                 signed: list[str] | None = None):
        self.title = title
        self.columns = columns
        self.rows = rows
        self.money = money
        self.signed = [] if signed is None else signed

    def is_money(self, column: str) -> bool:
        """Whether `column` of this block holds money."""
        return self.money if isinstance(self.money, bool) else column in self.money


class TableSpec(Record):
    """A national table: columns, its column keys in order; leaves, the leaf label of each column
    key; groups, the group name of each column key ("" if none); header: the 「信息内容」 header cell
    of block tables."""

    _fields = ("id", "name", "section", "columns", "leaves", "groups", "rows", "header_groups", "row_groups",
               "blocks", "header")

    def __init__(self, id: str, name: str, section: str, columns: list[str] | None = None,  # noqa: A002 - the field's name
                 leaves: list[str] | None = None, groups: list[str] | None = None, rows: list[RowSpec] | None = None,
                 header_groups: list[str] | None = None, row_groups: list[str] | None = None,
                 blocks: list[BlockSpec] | None = None, header: str = ""):
        self.id = id
        self.name = name
        self.section = section
        self.columns = [] if columns is None else columns
        self.leaves = [] if leaves is None else leaves
        self.groups = [] if groups is None else groups
        self.rows = [] if rows is None else rows
        self.header_groups = [] if header_groups is None else header_groups
        self.row_groups = [] if row_groups is None else row_groups
        self.blocks = [] if blocks is None else blocks
        self.header = header

    @property
    def group_names(self) -> list[str]:
        return list(dict.fromkeys(g for g in self.groups if g))

    @cached_property
    def known_labels(self) -> frozenset[str]:
        """Every label of this table, normalised: what a raw table is recognised by."""
        from .labels import strip_enum

        labels = self.row_labels() + self.leaves + self.group_names + self.header_groups + self.row_groups
        for b in self.blocks:
            labels += [b.title, *b.columns]
        return frozenset(strip_enum(x) for x in labels)

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Alias -> row label."""
        return {a: r.label for r in self.rows for a in r.aliases}

    def row_labels(self) -> list[str]:
        if self.blocks:
            return [r for b in self.blocks for r in b.rows]
        return [r.label for r in self.rows if not r.unlabelled]


class FormatSpec(Record):
    """A version of the report format: its parts and national tables, and the report years it is
    for (``since`` … ``until``, both included; None: open)."""

    _fields = ("name", "sections", "tables", "since", "until")

    def __init__(self, name: str, sections: list[SectionSpec], tables: list[TableSpec], since: int | None = None,
                 until: int | None = None):
        self.name = name
        self.sections = sections
        self.tables = tables
        self.since = since
        self.until = until

    def covers(self, year: int) -> bool:
        """Whether this version is the format of the reports of `year`."""
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)

    def table(self, table_id: str) -> TableSpec | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def section(self, number: str) -> SectionSpec | None:
        return next((s for s in self.sections if s.number == number), None)


def build_formats(data: dict | list, local: str | None = None) -> list[FormatSpec]:
    """The versions of the format, newest first, from the (already validated) ``formats:`` list
    (or one ``format:`` mapping, a version for every year).  ``local``: the rule file it comes from
    when that is not the national pack's (its patterns are then gxlint.regex_store.limited)."""
    versions = [build_format(v, local) for v in (data if isinstance(data, list) else [data])]
    return sorted(versions, key=lambda f: -(f.since or 0))


def for_year(formats: list[FormatSpec], year: int | None) -> FormatSpec:
    """The version of `formats` (newest first) for the reports of `year`: the newest when the year
    is not known or is after them all, the oldest when it is before them all."""
    if year is not None:
        for f in formats:
            if f.covers(year):
                return f
        if all(f.since is not None and year < f.since for f in formats):
            return formats[-1]
    return formats[0]


def build_format(data: dict, local: str | None = None) -> FormatSpec:
    """Build a FormatSpec from one (already validated) version of the format (``local`` as for
    :func:`build_formats`)."""
    if local:
        from .regex_store import limited

        def pattern(p):
            return limited(p, local)
    else:
        pattern = re.compile
    sections = [
        SectionSpec(
            number=str(s["number"]),
            title=str(s["title"]),
            patterns=[pattern(p) for p in s.get("match", [re.escape(s["title"])])],
            order=i,
            words=[pattern(str(w)) for w in s.get("words", [])],
        )
        for i, s in enumerate(data.get("sections", []))
    ]
    tables = []
    for t in data.get("tables", []):
        spec = TableSpec(
            id=str(t["id"]),
            name=str(t.get("name", t["id"])),
            section=str(t.get("section", "")),
            header_groups=[str(x) for x in t.get("header_groups", [])],
            row_groups=[str(x) for x in t.get("row_groups", [])],
            header=str(t.get("header", "")),
        )
        if "blocks" in t:
            spec.blocks = [
                BlockSpec(
                    title=str(b["title"]),
                    columns=[str(c) for c in b["columns"]],
                    rows=[str(r) for r in b["rows"]],
                    money=[str(c) for c in b["money"]] if isinstance(b.get("money"), list) else bool(b.get("money", False)),
                    signed=[str(c) for c in b.get("signed", [])],
                )
                for b in t["blocks"]
            ]
        if "column_groups" in t:
            for g in t["column_groups"]:
                for c in g["columns"]:
                    spec.columns.append(f"{g['name']}/{c}")
                    spec.leaves.append(str(c))
                    spec.groups.append(str(g["name"]))
        for c in t.get("columns", []):
            spec.columns.append(str(c))
            spec.leaves.append(str(c))
            spec.groups.append("")
        for r in t.get("rows", []):
            if isinstance(r, str):
                r = {"label": r}
            spec.rows.append(
                RowSpec(
                    label=str(r["label"]),
                    group=str(r.get("group", "")),
                    aliases=[str(a) for a in r.get("aliases", [])],
                    unlabelled=bool(r.get("unlabelled", False)),
                )
            )
        tables.append(spec)
    since, until = data.get("since"), data.get("until")
    return FormatSpec(name=str(data.get("name", "")), sections=sections, tables=tables,
                      since=None if since is None else int(since), until=None if until is None else int(until))
