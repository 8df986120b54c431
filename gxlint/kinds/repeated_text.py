"""``repeated_text``: paragraphs copied from last year's report (内容雷同).

Runs only when last year's report is given (``gxlint --previous FILE``, or
``previous:`` in .gxlint.yaml).  Each paragraph of the parts in ``sections``
of at least ``min_chars`` characters is compared with the paragraphs of the
same part last year, after normalising away what a copy changes: years and
other digits, whitespace, emphasis.  A similarity (normalised Levenshtein,
gxlint.distance) of at least ``threshold`` is reported.  No other kind compares
two reports' prose.  Placeholders: ``{section}``, ``{similarity}`` (e.g. 98%).
"""
from __future__ import annotations

from ..labels import nfkc
from ..rule import Param
from ..regex_store import compiled

PARAMS = {
    "sections": Param(list, default=["一", "五"]),
    "threshold": Param((int, float), default=0.9),
    "min_chars": Param(int, default=30),
}
ARGS = ("section", "similarity")
NEEDS = ("previous",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_NOISE = compiled(r"[\s*#]+")
_DIGITS = compiled(r"\d+|[〇零一二三四五六七八九十]{4}(?=年)")


def normal(text: str) -> str:
    """``text`` as two copies of it compare: digits and years as #, no whitespace or emphasis."""
    return _DIGITS.sub("#", _NOISE.sub("", nfkc(text)))


def long_paragraphs(report, sections, min_chars: int):
    """(part number, paragraph, its normal text) for each paragraph of the parts ``sections``
    whose normal text has at least ``min_chars`` characters: what two reports compare."""
    for number in sections:
        for para in report.part_paragraphs(number):
            text = normal(para.text)
            if len(text) >= min_chars:
                yield number, para, text


def check(rule, report):
    prev = report.previous
    if prev is None:
        return
    from ..distance import similarity

    p = rule.params
    last_year: dict[str, list[str]] = {}
    for number, _, text in long_paragraphs(prev, p["sections"], p["min_chars"]):
        last_year.setdefault(number, []).append(text)
    for number, para, text in long_paragraphs(report, p["sections"], p["min_chars"]):
        # normalised Levenshtein similarity is at most the ratio of the lengths: skip what cannot reach it
        near = [old for old in last_year.get(number, ())
                if min(len(old), len(text)) / max(len(old), len(text)) >= p["threshold"]]
        best = max((similarity(text, old) for old in near), default=0)
        if best >= p["threshold"]:
            yield rule.at_paragraph(report, para, section=number, similarity=f"{best:.0%}")
