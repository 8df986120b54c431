"""``equation``: an arithmetic identity between cells of a national table.

The identity is written over labels, e.g. for every column of 表格三::

    equation: 总计 + 结转下年度继续办理 = 本年新收政府信息公开申请数量 + 上年结转政府信息公开申请数量
    each: column

``each`` says what the terms are and where the identity is checked:

* ``column``: terms are row labels, checked in every column (or in ``columns``);
* ``row``: terms are column labels, checked in every row (or in ``rows``);
* ``group``: terms are column labels inside each column group (行政复议, 未经复议直接起诉, 复议后起诉), in every row.

A term ``sum(G)`` adds every row whose ``group`` is G in the format; when the table has a row of
numbers whose label could not be read (GX028), that row may be one of them, so no sum is made.  A
term whose cell is absent or not a number makes the identity not assessable there (other rules
report missing rows and cells).  The finding is placed on the
cell of the first term on the left.  Placeholders: ``{where}`` (「自然人」列),
``{anchor}``, ``{lhs}``, ``{rhs}``, ``{left}``, ``{right}`` (the sides written
out with their values) and ``{table}``.
"""
from __future__ import annotations

import functools

from ..rule import Param
from ._numbers import show, split_terms
from ..regex_store import compiled

PARAMS = {
    "table": Param(str, required=True),
    "each": Param(str, required=True, choices=("column", "row", "group")),
    "equation": Param(str, required=True),
    "columns": Param(list, default=[]),
    "rows": Param(list, default=[]),
}
ARGS = ("where", "anchor", "lhs", "rhs", "left", "right", "table")
NEEDS = ("tables", "figures")  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_SUM = compiled(r"^sum\((.+)\)$")


def parse(equation: str) -> tuple[list[str], list[str]]:
    if equation.count("=") != 1:
        raise ValueError("等式应恰好含一个 =")
    left, right = equation.split("=")
    return split_terms(left), split_terms(right)


def validate(params):
    try:
        left, _ = parse(params["equation"])
    except ValueError as e:
        yield "equation", f"等式「{params['equation']}」有误：{e}"
        return
    if _SUM.match(left[0]):
        yield "equation", "等式左边第一项应是单个标签（发现问题时标在这一格上）"



@functools.lru_cache(maxsize=None)  # every report asks, for each rule of this kind
def _parsed(equation: str) -> tuple[list[str], list[str], tuple[str | None, ...]]:
    """(left terms, right terms, the group G of each ``sum(G)`` term of left + right, else None)."""
    left, right = parse(equation)
    groups = tuple(m.group(1) if (m := _SUM.match(t)) else None for t in left + right)
    return left, right, groups


def check(rule, report):
    p = rule.params
    lt = report.tables.get(p["table"])
    if lt is None:
        return
    spec = lt.spec
    left, right, groups = _parsed(p["equation"])
    terms = left + right
    n_left = len(left)
    if p["each"] == "column":
        # the rows each sum(G) term adds, the same in every column
        # (a row of numbers whose label could not be read may be any row of the group: then no sum)
        summed = {g: None if lt.unplaced else [lt.rows[r.label] for r in spec.rows if r.group == g and r.label in lt.rows]
                  for g in groups if g is not None}
        term_rows = [None if g is not None else lt.rows.get(t) for t, g in zip(terms, groups)]
        anchor_row = lt.rows.get(left[0])
        for col in p["columns"] or spec.columns:
            vals = []
            for g, row in zip(groups, term_rows):
                if g is not None:
                    vs = None if summed[g] is None else [r.values.get(col) for r in summed[g]]
                    vals.append(None if not vs or None in vs else sum(vs))
                else:
                    vals.append(None if row is None else row.values.get(col))
            if _differ(vals, n_left, anchor_row, col):
                yield _finding(rule, report, lt, left, right, vals, anchor_row, col, f"「{col}」列")
    else:
        group_names = spec.group_names if p["each"] == "group" else [""]
        rows = [lt.rows[r] for r in (p["rows"] or list(lt.rows)) if r in lt.rows]
        for g in group_names:
            keys = [f"{g}/{t}" if g else t for t in terms]
            for row in rows:
                values = row.values
                vals = [values.get(k) for k in keys]
                if not _differ(vals, n_left, row, keys[0]):
                    continue
                label = row.label_cell.text.replace("\n", "") if row.label_cell else ""
                where = f"「{g}」" if g else f"「{label}」行"
                if g and label:
                    where = f"「{label}」行「{g}」"
                yield _finding(rule, report, lt, left, right, vals, row, keys[0], where)


def _differ(vals, n_left: int, anchor_row, anchor_col) -> bool:
    """Whether the identity is assessable (every term a number, the anchor cell there) and fails."""
    if None in vals or anchor_row is None or anchor_col not in anchor_row.cells:  # (None == a number never)
        return False
    return not abs(sum(vals[:n_left]) - sum(vals[n_left:])) < 1e-9


def _finding(rule, report, lt, left, right, vals, anchor_row, anchor_col, where):
    lv, rv = vals[:len(left)], vals[len(left):]
    lhs, rhs = sum(lv), sum(rv)
    def side(terms, vals):
        return " + ".join(f"{t.replace('sum(', '').replace(')', '')}({show(v)})" for t, v in zip(terms, vals))
    return rule.at_cell(
        report, lt, anchor_row, anchor_col, anchor_row.cells[anchor_col],
        where=where, anchor=left[0], lhs=show(lhs), rhs=show(rhs),
        left=side(left, lv), right=side(right, rv), table=lt.spec.name,
    )
