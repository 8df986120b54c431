"""``cell_values``: counts in the national tables are whole, non-negative numbers.

``check`` is ``negative`` or ``fractional``.  Columns of money (万元, marked ``money:`` in the
format) may hold decimals; columns of a change on last year (the trial format's 本年增/减, marked
``signed:``) may be negative.  Placeholders: ``{value}``, ``{table}``.
"""
from __future__ import annotations

from ..rule import Param

PARAMS = {"check": Param(str, required=True, choices=("negative", "fractional"))}
ARGS = ("value", "table")
NEEDS = ("tables", "figures")  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def check(rule, report):
    what = rule.params["check"]
    for lt in report.tables.values():
        blocks = {b.title: b for b in lt.spec.blocks}
        for row in [*lt.rows.values(), *lt.unknown_rows]:
            block = blocks.get(row.block)
            for col, value in row.values.items():
                if what == "negative":
                    bad = value < 0 and not (block is not None and col in block.signed)
                else:
                    bad = isinstance(value, float) and not (block is not None and block.is_money(col))
                if bad:
                    yield rule.at_cell(report, lt, row, col, row.cells[col], value=row.cells[col].text, table=lt.spec.name)
