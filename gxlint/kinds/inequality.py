"""``inequality``: an inequality between cells of a national table.

Some figures cannot be equal but still bound each other: a document made this
year is either still in force at the year's end or was repealed, so in every
row of 第二十条第（一）项::

    inequality: 现行有效件数 + 本年废止件数 >= 本年制发件数
    each: row

The ``equation`` kind checks identities only.  ``each`` is ``row`` (terms are
column labels, checked in every row, or in ``rows``) or ``column`` (terms are
row labels, checked in every column, or in ``columns``); the operator is
``>=`` or ``<=``.  A term whose cell is absent or not a number leaves the
inequality unchecked there.  The finding is placed on the cell of the first
term on the right.  Placeholders: ``{where}``, ``{lhs}``, ``{rhs}``, ``{left}``,
``{right}`` (the sides written out with their values), ``{table}``.
"""
from __future__ import annotations

from ..rule import Param
from ._numbers import show, split_terms
from ..regex_store import compiled

PARAMS = {
    "table": Param(str, required=True),
    "each": Param(str, required=True, choices=("row", "column")),
    "inequality": Param(str, required=True),
    "rows": Param(list, default=[]),
    "columns": Param(list, default=[]),
}
ARGS = ("where", "lhs", "rhs", "left", "right", "table")
NEEDS = ("tables", "figures")  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_OP = compiled(r"(?<!\s)\s*(>=|<=|≥|≤)\s*")  # tried at the start of a run of spaces only: linear


def parse(text: str) -> tuple[list[str], str, list[str]]:
    parts = _OP.split(text)
    if len(parts) != 3:
        raise ValueError("应恰好含一个 >= 或 <=")
    left, op, right = parts
    return split_terms(left), {"≥": ">=", "≤": "<="}.get(op, op), split_terms(right)


def validate(params):
    try:
        parse(params["inequality"])
    except ValueError as e:
        yield "inequality", f"不等式「{params['inequality']}」有误：{e}"



def check(rule, report):
    p = rule.params
    lt = report.tables.get(p["table"])
    if lt is None:
        return
    left, op, right = parse(p["inequality"])
    if p["each"] == "row":
        rows = [lt.rows[r] for r in (p["rows"] or list(lt.rows)) if r in lt.rows]
        for row in rows:
            label = row.label_cell.text.replace("\n", "") if row.label_cell else row.key
            yield from _judge(rule, report, lt, row, right[0], left, op, right, row.values.get, f"「{label}」行")
    else:
        for col in p["columns"] or lt.spec.columns:
            anchor = lt.rows.get(right[0])
            yield from _judge(rule, report, lt, anchor, col, left, op, right, lambda t, col=col: lt.value(t, col), f"「{col}」列")


def _judge(rule, report, lt, anchor_row, anchor_col, left, op, right, value_of, where):
    lv = [value_of(t) for t in left]
    rv = [value_of(t) for t in right]
    if any(v is None for v in lv + rv) or anchor_row is None or anchor_col not in anchor_row.cells:
        return
    lhs, rhs = sum(lv), sum(rv)
    if (lhs >= rhs) if op == ">=" else (lhs <= rhs):
        return
    def side(terms, vals):
        return " + ".join(f"{t}({show(v)})" for t, v in zip(terms, vals))
    yield rule.at_cell(
        report, lt, anchor_row, anchor_col, anchor_row.cells[anchor_col],
        where=where, lhs=show(lhs), rhs=show(rhs), left=side(left, lv), right=side(right, rv), table=lt.spec.name,
    )
