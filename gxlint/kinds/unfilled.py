"""``unfilled``: a report template not filled in, or a template's placeholder text left in a report.

Offices pass round a template (title, the six part headings with 「（文字描述）」 under each, the
three tables with every number cell empty).  Such a file is not a report with hundreds of
defects: it is a report not yet written.  ``placeholders`` lists the regular expressions of a
template's placeholder text.

* A file whose national tables hold nothing at all where numbers go, and whose text holds a
  placeholder or whose tables are all there is (no prose), is an *unfilled template*: it gets this one finding,
  and the engine runs no other rule on it (``exclusive``).
* A report with placeholders left in gets one finding, on the first, saying how many; the other
  rules judge it as usual.

Placeholders of the message: ``{state}`` (「报告模板尚未填写」 or 「报告中留有模板占位文字」),
``{detail}`` (what was found, in a clause: 「正文有5处占位文字（如「（文字描述）」）、统计表的200个数字格均为空」),
``{placeholders}`` (how many), ``{example}`` (the first, as written), ``{empty}`` (the number
cells left empty in the national tables).
"""
from __future__ import annotations

from ..model import Paragraph
from ..report import parse_number
from ..rule import Param
from . import _scan

PARAMS = {"placeholders": Param(list, required=True, regex=True)}
ARGS = ("state", "detail", "placeholders", "example", "empty")

_UNFILLED, _LEFT_IN = "报告模板尚未填写", "报告中留有模板占位文字"


def _found(rule, report) -> list[tuple[object, object]]:
    """(paragraph or cell, match) of every placeholder, in reading order."""
    out = []
    for pattern in rule.params["placeholders"]:
        for block in report.doc.blocks:
            pieces = [block] if isinstance(block, Paragraph) else [c for row in block.rows for c in row]
            for piece in pieces:
                out += [(piece, m) for m in _scan.finditer(report, pattern, piece.text)]
    return out


def _figures(report) -> bool:
    """Whether the national tables hold any number (read under a column or not)."""
    return any(parse_number(c.text) is not None for lt in report.tables.values() for raw in lt.raw
               for row in raw.rows for c in row)


def _empty(report) -> int:
    """How many number positions of the national tables are empty."""
    return sum(1 for lt in report.tables.values() for s in lt.slots
               if s.cell is None or not s.cell.text.strip())


def _unfilled(rule, report) -> bool:
    if not report.tables or _figures(report) or any(s.cell is not None and s.cell.text.strip()
                                                     for lt in report.tables.values() for s in lt.slots):
        return False  # a number, or something written where one goes: filled in (rightly or not)
    prose = [p for p in report.paragraphs if p.text.strip() and not any(p is h.paragraph for h in report.headings)
             and p is not report.title]
    return not prose or bool(_found(rule, report))


def exclusive(rule, report) -> bool:
    """Whether `report` is an unfilled template: then this rule's finding is all it gets."""
    key = ("unfilled", rule.id)
    if key not in report.memo:
        report.memo[key] = _unfilled(rule, report)
    return report.memo[key]


def check(rule, report):
    found = _found(rule, report)
    if exclusive(rule, report):
        state = _UNFILLED
    elif found:
        state = _LEFT_IN
    else:
        return
    example = found[0][1].group(0) if found else ""
    empty = _empty(report)
    detail = [f"有{len(found)}处占位文字（如「{example}」）"] if found else []
    if state == _UNFILLED:
        detail.append(f"统计表的{empty}个数字格均为空")
    args = dict(state=state, detail="，".join(detail), placeholders=len(found), example=example, empty=empty)
    if not found:
        yield rule.at_document(report, location="全文", **args)
        return
    piece, m = found[0]
    if isinstance(piece, Paragraph):
        yield rule.at_text(report, piece, m.start(), m.end(), **args)
    else:
        yield rule.at_cell_line(report, piece, 0, m.start(), m.end(), location="表格", **args)
