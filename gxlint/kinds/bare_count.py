"""``bare_count``: a count whose measure word was lost (「公开各类文件21，」, 「政府信息72，其中…」).

Chinese counts things with a measure word: 文件21件, 信息72条.  When one was lost in typing
or copying, the figure stands bare between the thing counted and a comma or full stop.
``statement`` is a regular expression with named groups ``noun`` (the thing counted) and
``n`` (the figure), matched only where the figure is followed by no measure word (a lookahead
in the expression).  The fix adds the measure word: the one of the figures that follow in the
same sentence when they count the parts (「72，其中工作动态58条」: 条), else the one ``units``
gives for the noun (a list of ``[regular expression, measure word]``, the first that matches).
A paragraph broken over lines is read whole.  A figure with no noun before it (a date, a number in a list) is not looked at.
The finding marks the noun, the figure and the punctuation after it (the gap is before it).
Placeholders: ``{found}`` (the noun, figure and punctuation), ``{fixed}`` (with the measure word).
"""
from __future__ import annotations

import re

from ..rule import Param
from ..regex_store import compiled
from . import _scan
from ._text import at_joined, joined

PARAMS = {
    "statement": Param(str, required=True, regex=True),
    "units": Param(list, default=[]),
}
ARGS = ("found", "fixed")

_NEXT = compiled(r"(?<!\d)\d+\s*(?P<unit>[条件个篇项份次])")  # (?<!\d): each run of digits tried once
_END = compiled(r"[。；;！？!?]")
_MARKS = "，,。；;"


def validate(params):
    missing = {"noun", "n"} - set(re.compile(params["statement"]).groupindex)
    if missing:
        yield "statement", f"statement 应含命名组 {'、'.join(sorted(missing))}"
    for i, pair in enumerate(params["units"] or []):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            yield "units", f"units 第{i + 1}项应是 [正则表达式, 量词]"
            continue
        try:
            re.compile(pair[0])
        except re.error as e:
            yield "units", f"units 第{i + 1}项的正则表达式有误：{e}"


def _unit(rule, text: str, m) -> str:
    end = _END.search(text, m.end())
    following = _NEXT.search(text, m.end(), end.start() if end else len(text))
    if following:
        return following.group("unit")
    return next((u for rx, u in rule.params["units"] or [] if compiled(rx).search(m.group("noun"))), "")


def check(rule, report):
    for block in joined(report):
        text = block.text
        for m in _scan.finditer(report, rule.params["statement"], text):
            start, end = m.start("noun"), m.end("n")
            # the mark takes the punctuation after the figure too: the gap is between them
            after = text[end: end + 1] if text[end: end + 1] in _MARKS else ""
            found = text[start: end + len(after)]
            unit = _unit(rule, text, m)
            fixed = text[start:end] + (unit or "（量词）") + after
            yield at_joined(rule, report, block, start, end + len(after), fix=fixed if unit else None, found=found,
                            fixed=fixed)
