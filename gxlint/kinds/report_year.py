"""``report_year``: a year the text gives as the report's own year is the title's year.

``statement`` is a regular expression with a named group ``year``, written so
that it only matches where the year *is* the report year (「本年度（2023年）」,
「现将2023年政府信息公开工作年度报告公布如下」).  ``scope`` is ``body`` (every
paragraph) or ``intro`` (the paragraphs between the title and the first part,
where a report names itself; elsewhere the same words may cite last year's
report).  ``sections`` narrows it to some parts (numerals 一 … 六, and 引言 for
the paragraphs before the first part): a year stated as this year's in the
statistics parts, where part 五's plans for next year must not count.
``statement`` may be a list of such expressions.  The ``period`` kind checks
the statistics period only; this one any other statement of the year.
The report year is ``Report.year``: the title's, a statistics period's, or the one the
introduction names.  Placeholders: ``{found}``, ``{stated}``, ``{year}``.
"""
from __future__ import annotations

import re

from ..model import Paragraph
from ..rule import Param
from . import _scan
from ._text import in_sections

PARAMS = {
    "statement": Param((str, list), required=True, regex=True),
    "scope": Param(str, default="body", choices=("body", "intro")),
    "sections": Param(list, default=[]),
}
ARGS = ("found", "stated", "year")
NEEDS = ("year",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def _statements(params) -> list[str]:
    s = params["statement"]
    return [s] if isinstance(s, str) else [str(x) for x in s]


def validate(params):
    for s in _statements(params):
        if "year" not in re.compile(s).groupindex:
            yield "statement", "statement 应含命名组 (?P<year>…)"
    for n in params["sections"] or []:
        if str(n) not in ("引言", "一", "二", "三", "四", "五", "六"):
            yield "sections", f"sections 中的「{n}」应为「一」至「六」或「引言」"


def _intro(report) -> list[Paragraph]:
    first = report.headings[0].position if report.headings else len(report.doc.blocks)
    blocks = report.doc.blocks[:first]
    start = next((i + 1 for i, b in enumerate(blocks) if report.title_lines and b is report.title_lines[-1]), 0)
    return [b for b in blocks[start:] if isinstance(b, Paragraph)]


def check(rule, report):
    year = report.year
    if year is None:
        return
    found = [hits for s in _statements(rule.params) if (hits := _scan.in_paragraphs(report, s))]
    if not found:
        return
    if rule.params["scope"] == "intro":
        paras = _intro(report)
    elif rule.params["sections"]:
        paras = in_sections(report, {str(n) for n in rule.params["sections"]})
    else:
        paras = [p for p in report.paragraphs if not any(p is t for t in report.title_lines)]
    for p in paras:
        for hits in found:
            for m in hits.get(p.text, ()):
                if int(m.group("year")) != year:
                    yield rule.at_text(
                        report, p, m.start("year"), m.end("year"),
                        found=m.group(0), stated=m.group("year"), year=year,
                    )
