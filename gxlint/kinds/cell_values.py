"""``cell_values``: counts in the national tables are whole, non-negative numbers.

``check`` is ``negative`` or ``fractional``.  Columns of money (万元, marked
``money: true`` in the format) may hold decimals.  Placeholders: ``{value}``,
``{table}``.
"""
from __future__ import annotations

from ..rule import Param

PARAMS = {"check": Param(str, required=True, choices=("negative", "fractional"))}
ARGS = ("value", "table")
NEEDS = ("tables",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def check(rule, report):
    what = rule.params["check"]
    for lt in report.tables.values():
        money = {b.title for b in lt.spec.blocks if b.money}
        for row in [*lt.rows.values(), *lt.unknown_rows]:
            for col, value in row.values.items():
                bad = value < 0 if what == "negative" else (isinstance(value, float) and row.block not in money)
                if bad:
                    yield rule.at_cell(report, lt, row, col, row.cells[col], value=row.cells[col].text, table=lt.spec.name)
