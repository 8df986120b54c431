"""``stated_rate``: a rate stated in the text equals the rate of the counts stated beside it.

``statement`` is a regular expression with named groups ``part``, ``whole``
(the counts; ``{number}`` matches Arabic or Chinese numerals) and ``rate`` (the
percentage as written), e.g. 「共受理申请13件，办结12件，办结率100%」.  The
rate holds when it is part/whole rounded, or truncated, to the decimals it is
written with (``truncate: false``: rounded only, as for a share, 「占比5%」 of 20 in 349
being 5.7%, which rounds to 6%).  The ``rate`` kind only bounds a rate; this one recomputes it.

Reports compute 办结率 over what was to be handled: the year's new applications plus those
carried over from last year.  ``carry`` (a regular expression with group ``carry``, e.g.
「上年结转2件」) and ``carry_cell`` (``{table, row, column}``: the carry-over in the table) give
that second base; where the text states both, the rate holds when it agrees with either.
A list of parts, each with its share (「349条，主要包括会议公开2条，占比0.5%；政策文件22条，占比6.3%；…」),
goes on with ``next``: a regular expression with groups ``part`` and ``rate`` matched right
after the previous item, again and again, each share over the same whole.  A group ``said``
(the share as written, 「占比5%」) is what a finding marks; else the rate.
A paragraph broken over lines is read whole.  Placeholders: ``{rate}``, ``{computed}``, ``{part}``, ``{whole}``, ``{found}`` (the marked text).
"""
from __future__ import annotations

import re

from ..report import COUNT, parse_count
from ..rule import Param
from ..regex_store import compiled
from . import _scan
from ._text import at_joined, joined

PARAMS = {"statement": Param(str, required=True), "truncate": Param(bool, default=True), "carry": Param(str),
          "carry_cell": Param(dict), "next": Param(str)}
ARGS = ("rate", "computed", "part", "whole", "found")


def validate(params):
    try:
        rx = re.compile(params["statement"].replace("{number}", COUNT))
    except re.error as e:
        yield "statement", f"正则表达式有误：{e}"
        return
    missing = {"part", "whole", "rate"} - set(rx.groupindex)
    if missing:
        yield "statement", f"statement 应含命名组 {'、'.join(f'(?P<{g}>…)' for g in sorted(missing))}"
    if params.get("next"):
        try:
            missing = {"part", "rate"} - set(re.compile(params["next"].replace("{number}", COUNT)).groupindex)
        except re.error as e:
            yield "next", f"正则表达式有误：{e}"
        else:
            if missing:
                yield "next", f"next 应含命名组 {'、'.join(f'(?P<{g}>…)' for g in sorted(missing))}"
    if params.get("carry"):
        try:
            if "carry" not in re.compile(params["carry"].replace("{number}", COUNT)).groupindex:
                yield "carry", "carry 应含命名组 (?P<carry>…)"
        except re.error as e:
            yield "carry", f"正则表达式有误：{e}"
    cell = params.get("carry_cell")
    if cell is not None and not {"table", "row", "column"} <= set(cell):
        yield "carry_cell", "carry_cell 应有 table、row、column"


def _carried(rule, report, block) -> list[int]:
    """Carry-overs from last year that the paragraph states, or else the table's."""
    out = []
    if rule.params.get("carry"):
        rx = rule.params["carry"].replace("{number}", COUNT)
        out += [n for m in _scan.finditer(report, rx, block.text) if (n := parse_count(m.group("carry")))]
    cell = rule.params.get("carry_cell")
    if not out and cell:
        lt = report.tables.get(cell["table"])
        v = lt.value(cell["row"], cell["column"]) if lt is not None else None
        if isinstance(v, int) and v > 0:
            out.append(v)
    return out


def check(rule, report):
    statement = rule.params["statement"].replace("{number}", COUNT)
    following = compiled(rule.params["next"].replace("{number}", COUNT)) if rule.params.get("next") else None
    for block in joined(report):
        for m in _scan.finditer(report, statement, block.text):
            whole = parse_count(m.group("whole"))
            if not whole:
                continue
            item, pos = m, m.end()
            while item is not None:
                finding = _judge(rule, report, block, item, whole)
                if finding is not None:
                    yield finding
                item = following.match(block.text, pos) if following is not None else None
                pos = item.end() if item is not None else pos


def _judge(rule, report, block, m, whole: int):
    """A finding when the share of ``m`` is not its part over ``whole``; None when it is."""
    part = parse_count(m.group("part"))
    if part is None:
        return None
    written = m.group("rate")
    rate, unit = float(written), 10.0 ** -len(written.partition(".")[2])
    computed = part / whole * 100
    if _holds(computed, rate, unit, rule.params["truncate"]):
        return None
    if any(_holds(part / (whole + c) * 100, rate, unit, rule.params["truncate"])
           for c in _carried(rule, report, block)):
        return None  # 办结 over 本年新收 + 上年结转
    decimals = max(1, len(written.partition(".")[2]))
    start = m.start("said") if "said" in m.re.groupindex and m.group("said") else m.start("rate")
    end = m.end("said") if "said" in m.re.groupindex and m.group("said") else m.end()
    return at_joined(
        rule, report, block, start, end, rate=f"{written}%", found=block.text[start:end],
        computed=f"{computed:.{decimals}f}%", part=part, whole=whole,
    )


def _holds(computed: float, rate: float, unit: float, truncate: bool) -> bool:
    """The written rate is the computed one rounded (or, with `truncate`, truncated) to its decimals."""
    return abs(computed - rate) <= unit / 2 + 1e-9 or (truncate and rate <= computed < rate + unit)
