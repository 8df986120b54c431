"""``year_over_year``: an identity between this year's national tables and last year's.

Runs only when last year's report is given (``gxlint --previous FILE``, or
``previous:`` in .gxlint.yaml); without it the rule is silently not run.  The
identity is written over labels as in the ``equation`` kind, with ``-`` as
well as ``+``, and ``上年:`` before a term read from last year's report::

    table: applications
    each: column
    equation: 上年结转政府信息公开申请数量 = 上年:结转下年度继续办理

``each: column``: terms are row labels, checked in every column (or
``columns``); ``each: row``: terms are column keys, checked in every row (or
``rows``).  The first term on the left is this year's cell the finding is
placed on.  The ``equation`` kind sees one report; this one sees two.
Placeholders: ``{where}``, ``{lhs}``, ``{rhs}``, ``{left}``, ``{right}``, ``{table}``.
"""
from __future__ import annotations

from ..rule import Param
from ._numbers import show
from ..regex_store import compiled

PARAMS = {
    "table": Param(str, required=True),
    "each": Param(str, required=True, choices=("column", "row")),
    "equation": Param(str, required=True),
    "columns": Param(list, default=[]),
    "rows": Param(list, default=[]),
}
ARGS = ("where", "lhs", "rhs", "left", "right", "table")
NEEDS = ("previous", "tables", "figures")  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_PREVIOUS = "上年:"


def parse(equation: str) -> tuple[list, list]:
    """Both sides as lists of (sign, from_last_year, label)."""
    if equation.count("=") != 1:
        raise ValueError("等式应恰好含一个 =")
    sides = []
    for side in equation.split("="):
        parts = compiled(r"\s+([+-])\s+").split(" " + side.strip())
        terms, sign = [], 1
        for i, part in enumerate(parts):
            if i % 2:
                sign = 1 if part == "+" else -1
                continue
            label = part.strip()
            if not label:
                raise ValueError("等式的某一边有空项")
            prev = label.startswith(_PREVIOUS)
            terms.append((sign, prev, label[len(_PREVIOUS):].strip() if prev else label))
        sides.append(terms)
    return sides[0], sides[1]


def validate(params):
    try:
        left, right = parse(params["equation"])
    except ValueError as e:
        yield "equation", f"等式「{params['equation']}」有误：{e}"
        return
    if left[0][1] or left[0][0] < 0:
        yield "equation", "等式左边第一项应是本年报告的单个标签（发现问题时标在这一格上）"
    if not any(prev for _, prev, _ in left + right):
        yield "equation", f"等式中没有上年报告的项（在标签前写「{_PREVIOUS}」）"



def check(rule, report):
    p = rule.params
    prev = report.previous
    if prev is None:
        return
    lt, plt = report.tables.get(p["table"]), prev.tables.get(p["table"])
    if lt is None or plt is None:
        return
    left, right = parse(p["equation"])
    if p["each"] == "column":
        places = [(left[0][2], col, f"「{col}」列") for col in p["columns"] or lt.spec.columns]
    else:
        places = [(row, left[0][2], f"「{row}」行") for row in p["rows"] or list(lt.rows)]
    for anchor_row, anchor_col, where in places:
        def value(term, anchor_row=anchor_row, anchor_col=anchor_col):
            sign, from_prev, label = term
            row, col = (label, anchor_col) if p["each"] == "column" else (anchor_row, label)
            v = (plt if from_prev else lt).value(row, col)
            return None if v is None else sign * v
        lv, rv = [value(t) for t in left], [value(t) for t in right]
        row = lt.rows.get(anchor_row)
        if any(v is None for v in lv + rv) or row is None or anchor_col not in row.cells:
            continue
        if abs(sum(lv) - sum(rv)) < 1e-9:
            continue

        def side(terms, vals):
            out = ""
            for i, ((sign, from_prev, label), v) in enumerate(zip(terms, vals)):
                name = f"上年「{label}」" if from_prev else label
                out += ("" if i == 0 and sign > 0 else " - " if sign < 0 else " + ") + f"{name}({show(abs(v))})"
            return out

        yield rule.at_cell(
            report, lt, row, anchor_col, row.cells[anchor_col], where=where, lhs=show(sum(lv)), rhs=show(sum(rv)),
            left=side(left, lv), right=side(right, rv), table=lt.spec.name,
        )
