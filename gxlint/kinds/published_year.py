"""``published_year``: a document said to be published in the report year that cannot be yet.

A report for year N states what was published during N.  Some documents are dated by the
year they are about and appear only at a set time: a 决算 (final accounts) of year N is drawn
up and published in N+1, a 预算 (budget) of N+1 at the earliest at the start of N+1.  So a
2021 report that published 「2021年度决算报告」 or 「2023年度预算」 has a year wrong (most often
last year's sentence with one year changed).  ``statement`` is a regular expression with
named groups ``year`` and ``what`` (the document: 预算, 决算); ``latest`` maps each ``what`` to
the latest year that can have been published, as an offset from the report year (决算: -1,
预算: 1).  Only a statement in a sentence that says it was published (``context``, somewhere
before it in the sentence: 公开了, 发布) counts, and not one that says it will be (``unless``
in the sentence: 将, 拟, 计划); ``sections`` narrows it to some parts (as ``report_year``'s).
The report year is the title's, else the statistics period's or the one the introduction
names.  Placeholders: ``{found}``, ``{stated}``, ``{year}``, ``{what}``, ``{latest}`` (the
latest year that can have been published).
"""
from __future__ import annotations

import re

from ..rule import Param
from ..regex_store import compiled
from . import _scan
from ._text import at_joined, in_sections, joined

PARAMS = {
    "statement": Param(str, required=True, regex=True),
    "latest": Param(dict, required=True),
    "context": Param(str, regex=True, default=""),
    "unless": Param(str, regex=True, default=""),
    "sections": Param(list, default=[]),
}
ARGS = ("found", "stated", "year", "what", "latest")

_SENTENCE_END = compiled(r"[。；;！？!?]")


def validate(params):
    missing = {"year", "what"} - set(re.compile(params["statement"]).groupindex)
    if missing:
        yield "statement", f"statement 应含命名组 {'、'.join(sorted(missing))}"
    for what, offset in params["latest"].items():
        if not isinstance(offset, int) or isinstance(offset, bool):
            yield "latest", f"latest 中「{what}」的值应是整数（相对报告年度的年数）"


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = 0
    for e in _SENTENCE_END.finditer(text, 0, at):
        start = e.end()
    end = _SENTENCE_END.search(text, at)
    return start, end.start() if end else len(text)


def check(rule, report):
    p = rule.params
    if not _scan.in_paragraphs(report, p["statement"]):
        return  # (a statement broken over two lines is not looked for)
    year = report.year
    if year is None:
        return
    context = compiled(p["context"]) if p["context"] else None
    unless = compiled(p["unless"]) if p["unless"] else None
    wanted = {id(x) for x in in_sections(report, {str(n) for n in p["sections"]})} if p["sections"] else None
    for block in joined(report):
        if wanted is not None and id(block.pieces[0][0]) not in wanted:
            continue
        text = block.text
        for m in _scan.finditer(report, p["statement"], text):
            offset = p["latest"].get(m.group("what"))
            if offset is None or int(m.group("year")) <= year + offset:
                continue
            start, end = _sentence(text, m.start())
            if context is not None and not context.search(text, start, m.start()):
                continue
            if unless is not None and unless.search(text, start, end):
                continue
            yield at_joined(rule, report, block, m.start(), m.end(), found=m.group(0), stated=m.group("year"),
                            year=year, what=m.group("what"), latest=year + offset)
