"""``report_year``: a year the text gives as the report's own year is the title's year.

``statement`` is a regular expression with a named group ``year``, written so
that it only matches where the year *is* the report year (「本年度（2023年）」,
「现将2023年政府信息公开工作年度报告公布如下」).  ``scope`` is ``body`` (every
paragraph) or ``intro`` (the paragraphs between the title and the first part,
where a report names itself; elsewhere the same words may cite last year's
report).  The ``period`` kind checks the statistics period only; this one any
other statement of the year.  Placeholders: ``{found}``, ``{stated}``, ``{year}``.
"""
from __future__ import annotations

import re

from ..model import Paragraph
from ..rule import Param

PARAMS = {
    "statement": Param(str, required=True, regex=True),
    "scope": Param(str, default="body", choices=("body", "intro")),
}
ARGS = ("found", "stated", "year")


def validate(params):
    if "year" not in re.compile(params["statement"]).groupindex:
        yield "statement", "statement 应含命名组 (?P<year>…)"


def _intro(report) -> list[Paragraph]:
    first = report.headings[0].position if report.headings else len(report.doc.blocks)
    blocks = report.doc.blocks[:first]
    start = next((i + 1 for i, b in enumerate(blocks) if report.title_lines and b is report.title_lines[-1]), 0)
    return [b for b in blocks[start:] if isinstance(b, Paragraph)]


def check(rule, report):
    if report.year is None:
        return
    rx = re.compile(rule.params["statement"])
    paras = _intro(report) if rule.params["scope"] == "intro" else [p for p in report.paragraphs if not any(p is t for t in report.title_lines)]
    for p in paras:
        for m in rx.finditer(p.text):
            if int(m.group("year")) != report.year:
                yield rule.at_text(
                    report, p, m.start("year"), m.end("year"),
                    found=m.group(0), stated=m.group("year"), year=report.year,
                )
