"""``table_labels``: the national tables carry the format's row and column labels.

``check`` is one of:

* ``missing_table``: a national table of the format was not found (``{table}``, ``{section}``);
* ``misspelt``: a row, column or item label close to, but not exactly, the
  format's (``{found}``, ``{expected}``); the fix is the exact label;
* ``missing_row`` / ``missing_column``: a row or column of the format is absent (``{expected}``, ``{table}``);
* ``unknown_row``: a row of numbers whose label matches no row of the format (``{found}``, ``{table}``);
* ``extra_values``: a row with more numbers than the format has columns, the surplus not zero (``{found}``, ``{table}``);
* ``unread``: rows whose numbers could not be put under the format's columns with confidence
  (fewer numbers than columns, no row label): one finding per table naming them (``{found}``,
  ``{table}``, ``{section}``); those rows get no value, so no arithmetic rule judges a misread.
  A row with a surplus that is not zero is ``extra_values``' finding and gets no value either.

Parameter ``tables`` limits the check to some table ids (default: all).
``leave`` (``missing_column`` only) lists labels another rule reports: a table
that has one as a whole cell is not judged for missing columns (its header is
the superseded trial format's, which GX016 reports once; three missing columns
would say it again).
"""
from __future__ import annotations

from collections import Counter

from ..labels import label_start, strip_enum
from ..report import parse_number
from ..rule import Param

PARAMS = {
    "check": Param(
        str, required=True,
        choices=("missing_table", "misspelt", "missing_row", "missing_column", "unknown_row", "extra_values",
                 "unread"),
    ),
    "tables": Param(list, default=[]),
    "leave": Param(list, default=[]),
}
ARGS = ("table", "section", "found", "expected")


def reason(rule, report) -> str:
    """Why --audit cannot judge the rule: every table it looks at (``tables``, default all) is
    missing.  ``missing_table`` judges their absence itself: never."""
    from ..audit import missing_tables, tables_reason

    if rule.params["check"] == "missing_table":
        return ""
    wanted = list(dict.fromkeys(t for t in rule.params["tables"] or () if isinstance(t, str)))
    wanted = wanted or [t.id for t in report.fmt.tables]
    missing = missing_tables(report, wanted)
    return tables_reason(missing) if missing and len(missing) == len(wanted) else ""


def check(rule, report):
    what = rule.params["check"]
    wanted = set(rule.params["tables"] or [t.id for t in report.fmt.tables])
    if what == "missing_table":
        if not report.paragraphs and not report.doc.tables():
            return
        for spec in report.fmt.tables:
            if spec.id in wanted and spec.id not in report.tables:
                yield rule.at_document(
                    report, location=f"第{spec.section}部分 表格{spec.section}",
                    table=spec.name, section=spec.section,
                )
        return
    for tid, lt in report.tables.items():
        if tid not in wanted:
            continue
        spec = lt.spec
        if what == "misspelt":
            for hit in lt.hits:
                if hit.distance:
                    kind = {"row": "行", "column": "列", "title": "项目"}[hit.kind]
                    first = hit.cell.text.split("\n", 1)[0]
                    span = None
                    item = lt.item_offsets.get(id(hit.cell))  # a flattened label: its item only
                    if item is not None:
                        span = (item + label_start(first[item:]), len(first.rstrip()))
                    elif "\n" not in hit.cell.text:
                        span = (label_start(first), len(first))
                    yield rule.at_cell(
                        report, lt, None, None, hit.cell, fix=hit.canonical, span=span,
                        location=f"第{spec.section}部分 表格{spec.section} {kind}名「{hit.cell.text}」",
                        found=hit.cell.text.replace("\n", ""), expected=hit.canonical, table=spec.name,
                    )
        elif what == "missing_row":
            if any(r.label_cell is None for r in lt.unread_rows):
                continue  # a row of numbers without its label may be the one missing: GX028 says so
            present = set(lt.rows)
            for b in spec.blocks:
                if b.title not in lt.blocks_seen and lt.raw and lt.raw[0].rows and lt.raw[0].rows[0]:
                    yield rule.at_cell(
                        report, lt, None, None, lt.raw[0].rows[0][0],
                        location=f"第{spec.section}部分 表格{spec.section}", expected=b.title, table=spec.name,
                    )
            for label in spec.row_labels():
                block = next((b for b in spec.blocks if label in b.rows), None)
                if label in present or (block is not None and block.title not in lt.blocks_seen):
                    continue
                anchor = lt.raw[0].rows[0][0] if lt.raw and lt.raw[0].rows and lt.raw[0].rows[0] else None
                if anchor is None:
                    continue
                where = f"第{spec.section}部分 表格{spec.section}" + (f" {block.title}" if block else "")
                yield rule.at_cell(report, lt, None, None, anchor, location=where, expected=label, table=spec.name)
        elif what == "missing_column":
            if any(r.label_cell is None for r in lt.unread_rows):
                continue  # a header or row the reader could not place may hold it: GX028 says so
            anchor = lt.raw[0].rows[0][0] if lt.raw and lt.raw[0].rows and lt.raw[0].rows[0] else None
            leave = {strip_enum(label) for label in rule.params["leave"]}
            if anchor is None or (leave and any(strip_enum(c.text) in leave for t in lt.raw for r in t.rows for c in r)):
                continue
            if spec.blocks:
                expected = Counter((b.title, c) for b in spec.blocks if b.title in lt.blocks_seen for c in b.columns)
            else:
                expected = Counter(spec.leaves)
            missing = expected - lt.header_labels
            for key, n in missing.items():
                label = key[1] if isinstance(key, tuple) else key
                where = f"第{spec.section}部分 表格{spec.section}" + (f" {key[0]}" if isinstance(key, tuple) else "")
                yield rule.at_cell(report, lt, None, None, anchor, location=where, expected=label, table=spec.name)
        elif what == "unknown_row":
            for row in lt.unknown_rows:
                if row.label_cell is not None:
                    yield rule.at_cell(
                        report, lt, row, None, row.label_cell,
                        found=row.label_cell.text.replace("\n", ""), table=spec.name,
                    )
        elif what == "unread":
            rows = [r for r in lt.unread_rows if not any(parse_number(c.text) for c in r.extra)]
            if rows:
                first = rows[0]
                cell = first.label_cell or next(iter(first.cells.values()), None)
                named = [f"第{r.number}行" + (f"「{strip_enum(r.label_cell.text)[:12]}」" if r.label_cell else "")
                         + r.unread for r in rows[:3]]
                found = "；".join(named) + (f"等{len(rows)}行" if len(rows) > 3 else "")
                if cell is None:
                    yield rule.at_cell(report, lt, None, None, lt.raw[0].rows[0][0], found=found, table=spec.name,
                                       section=spec.section)
                else:
                    yield rule.at_cell(report, lt, first, None, cell, found=found, table=spec.name, section=spec.section)
        elif what == "extra_values":
            for row in [*lt.rows.values(), *lt.unknown_rows]:
                surplus = [c for c in row.extra if (c.text.strip() not in ("0", "0.0", "0.00"))]
                if surplus:
                    yield rule.at_cell(
                        report, lt, row, None, surplus[0],
                        found="、".join(c.text for c in row.extra), table=spec.name,
                    )
