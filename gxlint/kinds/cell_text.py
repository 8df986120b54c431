"""``cell_text``: a cell where the format wants a number holds text instead.

The format wants a number in every value cell (0 when there is nothing to
count), so a reviewer marks 「/」, 「-」 or an empty cell as a defect rather than
reading it as zero, and likewise 「1/2」 where a count belongs or 「3500元」 in
the column of 万元.  ``cell_values`` only sees cells that hold a number; this
kind looks at the others (``LabelledTable.slots`` finds the positions)
and flags those whose text matches ``match`` (an empty position is the empty
string).  ``money`` limits the check: ``any`` (default), ``only`` (the money
column, 第二十条第（八）项) or ``exclude``.  Placeholders: ``{value}`` (as
written, 「空白」 when empty), ``{table}``, ``{row}`` (its label as written) and
``{column}`` (「「本年制发件数」列」, empty when the position cannot be told).
"""
from __future__ import annotations

from ..rule import Param
from ..regex_store import compiled

PARAMS = {
    "match": Param(str, required=True, regex=True),
    "money": Param(str, default="any", choices=("any", "only", "exclude")),
}
ARGS = ("value", "table", "row", "column")
NEEDS = ("tables",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def check(rule, report):
    rx = compiled(rule.params["match"])
    money = rule.params["money"]
    for lt in report.tables.values():
        for slot in lt.slots:
            if (money == "only" and not slot.money) or (money == "exclude" and slot.money):
                continue
            text = slot.cell.text.strip() if slot.cell is not None else ""
            if not rx.search(text):
                continue
            row = slot.row
            label = row.label_cell.text.replace("\n", "") if row.label_cell is not None else row.key
            column = f"「{slot.column.replace('/', '·')}」列" if slot.column else ""
            # an empty position with no cell at all (Markdown) is marked on the row's label
            target = slot.cell if slot.cell is not None else row.label_cell
            if target is not None:
                yield rule.at_cell(
                    report, lt, row, slot.column or None, target,
                    value=text or "空白", table=lt.spec.name, row=label, column=column,
                )
