"""``enumeration``: an enumeration in the prose that repeats or skips (一是…二是…二是, 一是…三是).

Reports list what they did as 「一是……二是……三是……」, in one paragraph or one paragraph
an item.  ``marker`` is a regular expression with a named group ``n`` (the numeral) that
finds an item's marker at the start of a clause; a marker with ``n`` one opens a run and each
next one must be one more: a numeral written again (二是 twice) or one passed over (一是 then
三是) is reported, with the numeral expected.  A run ends at a heading (a paragraph that opens
with （一）, 1. …) and at a new part; a marker with no run open (二是 after a heading) is not
judged (the run may have opened before the text at hand).  After a finding the run goes on
from what was expected, so one slip makes one finding.  Placeholders: ``{found}`` (the
marker), ``{previous}`` (the marker before it), ``{expected}``.
"""
from __future__ import annotations

import re

from ..report import parse_count
from ..rule import Param
from ..regex_store import compiled
from . import _scan

PARAMS = {
    "marker": Param(str, required=True, regex=True),
    "suffix": Param(str, default="是"),
}
ARGS = ("found", "previous", "expected")

_NUMERALS = "一二三四五六七八九十"
_HEADING = compiled(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}\s*、|\d{1,2}\s*[.．、])")


def validate(params):
    if "n" not in re.compile(params["marker"]).groupindex:
        yield "marker", "marker 应含命名组 (?P<n>…)，即序号"


def _numeral(n: int) -> str:
    return _NUMERALS[n - 1] if 1 <= n <= 10 else str(n)


def check(rule, report):
    hits = _scan.in_paragraphs(report, rule.params["marker"])
    if not hits:
        return
    suffix = rule.params["suffix"]
    heads = {id(h.paragraph) for h in report.headings}
    last, previous = 0, ""
    for p in report.paragraphs:
        if id(p) in heads or _HEADING.match(p.text):
            last, previous = 0, ""
        for m in hits.get(p.text, ()):
            v = parse_count(m.group("n"))
            if v is None:
                continue
            if v == 1:
                last, previous = 1, m.group(0)
                continue
            if last == 0:
                continue  # no run open here
            if v != last + 1:
                expected = _numeral(last + 1) + suffix
                yield rule.at_text(report, p, m.start("n"), m.end(), fix=expected, found=m.group(0).strip(),
                                   previous=previous.strip(), expected=expected)
                last, previous = last + 1, m.group(0)
                continue
            last, previous = v, m.group(0)
