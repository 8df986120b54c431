"""``superseded``: a report of the rule's years (``since:``) still follows a superseded format.

From the reports of 2021 on, the format of 国办公开办函〔2021〕30号 applies; its
trial predecessor (国办公开办函〔2019〕60号) had other table labels.  What
gives the old format away depends on the report's year, which ``pattern``
does not know, hence a kind.  Two ways to look (one per rule):

* ``forbid``: a regular expression in the text (the old format cited as the
  basis); every occurrence is flagged, with ``fix`` as its replacement;
* ``labels``: labels only the old format has (本年新制作数量, 本年增/减 …),
  compared with whole table cells and lines after normalisation; one finding
  per report, on the first, naming all that were found.

A report whose title gives no year is not judged.  Placeholders: ``{year}``
(the report's), ``{found}`` (the text, or the labels joined by 、).
"""
from __future__ import annotations

from ..labels import strip_enum
from ..model import Paragraph
from ..rule import Param
from . import _scan
from ._text import literal_problem

PARAMS = {
    "forbid": Param(str, regex=True),
    "fix": Param(str),
    "labels": Param(list, default=[]),
}
ARGS = ("year", "found")
NEEDS = ("year",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def validate(params):
    if bool(params.get("forbid")) == bool(params.get("labels")):
        yield "kind", "superseded 规则需要 forbid 或 labels 之一（且只能有一个）"
    if params.get("fix") is not None and (why := literal_problem(params["fix"])):
        yield "fix", f"fix {why}"


def check(rule, report):
    p = rule.params
    if report.year is None:  # (the rule's since: says from which year; the engine keeps it to those)
        return
    if p.get("forbid"):
        hits = _scan.in_paragraphs(report, p["forbid"])
        for para in report.paragraphs if hits else ():
            for m in hits.get(para.text, ()):
                yield rule.at_text(report, para, m.start(), m.end(), fix=p.get("fix"), year=report.year, found=m.group(0))
        return
    wanted = {strip_enum(label): label for label in p["labels"]}
    found: dict[str, object] = {}  # label -> first paragraph or cell where it stands
    for block in report.doc.blocks:
        pieces = [block] if isinstance(block, Paragraph) else [c for row in block.rows for c in row]
        for piece in pieces:
            label = wanted.get(strip_enum(piece.text))
            if label is not None and label not in found:
                found[label] = piece
    if found:
        first = next(iter(found.values()))
        yield rule.at_text(
            report, first, 0, len(first.text.split("\n", 1)[0]),
            location=_where(report, first), year=report.year, found="、".join(found),
        )


def _where(report, piece) -> str:
    """「第二部分」 (or 「第二部分 表格」 for a cell, 「正文开头」 before the first part)."""
    for i, block in enumerate(report.doc.blocks):
        if block is piece or (not isinstance(block, Paragraph) and any(piece is c for row in block.rows for c in row)):
            part = report.section_of(i)
            where = f"第{part}部分" if part else "正文开头"
            return where + (" 表格" if block is not piece else "")
    return ""
