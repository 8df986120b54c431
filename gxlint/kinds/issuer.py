"""``issuer``: counts that a report's issuing body cannot have.

Only some bodies may make some documents: 规章 are made by the people's
governments of provinces, autonomous regions, municipalities, cities with
districts and autonomous prefectures (立法法 第九十三条), so a county, a
district, a township or one of their bureaus reporting 规章 is implausible.
Which body issued the report is read from the title (before its year) or the
line above it (``Report.issuer``); no other kind knows it.  When the issuer
matches one of ``bodies`` (regular expressions), every number in ``rows`` of
``table`` must be 0.  One finding per report, on the first number that is not.
Placeholders: ``{issuer}``, ``{row}``, ``{values}`` (「本年制发件数2、现行有效件数2」),
``{table}``.
"""
from __future__ import annotations

from ..rule import Param
from ._numbers import show
from ..regex_store import compiled

PARAMS = {
    "bodies": Param(list, required=True, regex=True),
    "table": Param(str, required=True),
    "rows": Param(list, required=True),
}
ARGS = ("issuer", "row", "values", "table")
NEEDS = ("issuer", "tables", "figures")  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def check(rule, report):
    p = rule.params
    lt = report.tables.get(p["table"])
    issuer = report.issuer()
    if lt is None or not issuer or not any(compiled(b).search(issuer) for b in p["bodies"]):
        return
    for label in p["rows"]:
        row = lt.rows.get(label)
        if row is None:
            continue
        nonzero = [(col, v) for col, v in row.values.items() if v]
        if nonzero:
            col = nonzero[0][0]
            yield rule.at_cell(
                report, lt, row, col, row.cells[col], issuer=issuer, row=label, table=lt.spec.name,
                values="、".join(f"{c.replace('/', '·')}{show(v)}" for c, v in nonzero),
            )
            return

