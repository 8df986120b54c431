"""``heading_numbers``: heading numbers as GB/T 9704-2012 7.3.3 has them: 一、 → （一） → 1. → （1）.

``check`` is one of:

* ``sequence``: inside each part, （一）（二）…, 1. 2. … and （1）（2）… follow each
  other without a gap or a repeat, and no level is skipped (a part straight to
  1., （一） straight to （1））.  A list of 1. or （1） may start again at 1 after
  an unnumbered paragraph (a second list under the same heading).  The part
  headings 一、…六、 are the ``sections`` kind's.
* ``punctuation``: 「一.」「（一）、」「1、」「（1）、」; the fix replaces only the
  punctuation (一、 （一） 1. （1）).  No fix when Word's automatic numbering
  draws the number: that is changed in the numbering format, not in the text.

Numbers are read as the reader sees them, Word's automatic numbering included.
No other kind knows the four levels.  Placeholders: ``{found}``, ``{expected}``,
``{problem}``.
"""
from __future__ import annotations

from ..model import Paragraph
from ..report import parse_count
from ..rule import Param
from ..regex_store import compiled

PARAMS = {"check": Param(str, required=True, choices=("sequence", "punctuation"))}
ARGS = ("found", "expected", "problem")

_CN = "一二三四五六七八九十"
_LEVELS = (
    (1, compiled(rf"(?P<num>[{_CN}]{{1,3}})(?P<punct>[、.．，,])")),
    (2, compiled(rf"[（(](?P<num>[{_CN}]{{1,3}})[）)](?P<punct>[、.．，,]?)")),
    (3, compiled(r"(?P<num>\d{1,2})(?P<punct>[.．、，,])(?!\d)")),
    (4, compiled(r"[（(](?P<num>\d{1,2})[）)](?P<punct>[、.．，,]?)")),
)
_RIGHT = {1: ("、",), 2: ("",), 3: (".", "．"), 4: ("",)}
_LEAD = "*# \t\u3000"
_FIRST = frozenset(_CN + "（(")


def _chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _CN[tens - 1]) + "十" if tens else "") + (_CN[ones - 1] if ones else "")


def _form(level: int, n: int) -> str:
    return {1: f"{_chinese(n)}、", 2: f"（{_chinese(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def _numbers(report) -> dict[int, tuple | None]:
    """id(paragraph) -> ``_number(paragraph)`` for every paragraph, once for the rules of this kind."""
    got = report.memo.get("heading_numbers")
    if got is None:
        got = report.memo["heading_numbers"] = {id(p): _number(p) for p in report.paragraphs}
    return got


def _number(p: Paragraph):
    """(level, value, match in `p.shown`) of a numbered paragraph, else None."""
    shown = p.shown
    lead = len(shown) - len(shown.lstrip(_LEAD))
    first = shown[lead:lead + 1]
    if not first or (first not in _FIRST and not first.isdigit()):
        return None  # what every level starts with (a numeral, a bracket, a digit) is not there
    for level, rx in _LEVELS:
        m = rx.match(shown, lead)
        if m:
            return level, parse_count(m.group("num")), m
    return None


def check(rule, report):
    if rule.params["check"] == "punctuation":
        yield from _punctuation(rule, report)
    else:
        yield from _sequence(rule, report)


def _punctuation(rule, report):
    numbers = _numbers(report)
    for p in report.paragraphs:
        got = numbers[id(p)]
        if got is None:
            continue
        level, _, m = got
        punct = m.group("punct")
        if punct in _RIGHT[level]:
            continue
        right = _RIGHT[level][0]
        found, expected = m.group(0), m.group(0)[: m.start("punct") - m.start()] + right
        start = m.start("punct") - len(p.number)
        if start < 0:  # drawn by Word's automatic numbering
            yield rule.at_paragraph(report, p, found=found, expected=expected, problem="标点有误")
            continue
        f = rule.at_text(report, p, start, start + len(punct), fix=right, found=found, expected=expected, problem="标点有误")
        if not right:
            f.fix.description = f"删除「{punct}」"
        yield f


def _sequence(rule, report):
    heads = {id(h.paragraph) for h in report.headings}
    last: dict[int, int] | None = None  # level -> last number under the current parent; None before part 一
    restart_ok: set[int] = set()  # levels that may start again at 1 (an unnumbered paragraph came between)
    current = 1
    numbers = _numbers(report)
    for b in report.doc.blocks:
        if not isinstance(b, Paragraph) or id(b) not in numbers:  # (a page's lines above the title)
            continue
        got = None if id(b) in heads else numbers[id(b)]
        if id(b) in heads or (got and got[0] == 1):
            last, current, restart_ok = {}, 1, set()
            continue
        if last is None:
            continue
        if got is None:
            restart_ok = {3, 4}
            continue
        level, n, m = got
        found = m.group(0)
        if level > current + 1:
            want = current + 1
            yield rule.at_paragraph(report, b, found=found, expected=_form(want, last.get(want, 0) + 1), problem="跳过了一级标题")
        else:
            expected = last.get(level, 0) + 1
            if n != expected and not (n == 1 and level in restart_ok):
                problem = "序号重复" if n < expected else "序号不连续"
                yield rule.at_paragraph(report, b, found=found, expected=_form(level, expected), problem=problem)
        last = {k: v for k, v in last.items() if k < level}
        last[level] = n
        current = level
        restart_ok -= {k for k in restart_ok if k >= level}
