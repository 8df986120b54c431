"""``stated_rate``: a rate stated in the text equals the rate of the counts stated beside it.

``statement`` is a regular expression with named groups ``part``, ``whole``
(the counts; ``{number}`` matches Arabic or Chinese numerals) and ``rate`` (the
percentage as written), e.g. 「共受理申请13件，办结12件，办结率100%」.  The
rate holds when it is part/whole rounded, or truncated, to the decimals it is
written with (``truncate: false``: rounded only, as for a share, 「占比5%」 of 20 in 349
being 5.7%, which rounds to 6%).  The ``rate`` kind only bounds a rate; this one recomputes it.
Placeholders: ``{rate}``, ``{computed}``, ``{part}``, ``{whole}``.
"""
from __future__ import annotations

import re

from ..report import COUNT, parse_count
from ..rule import Param

PARAMS = {"statement": Param(str, required=True), "truncate": Param(bool, default=True)}
ARGS = ("rate", "computed", "part", "whole")


def validate(params):
    try:
        rx = re.compile(params["statement"].replace("{number}", COUNT))
    except re.error as e:
        yield "statement", f"正则表达式有误：{e}"
        return
    missing = {"part", "whole", "rate"} - set(rx.groupindex)
    if missing:
        yield "statement", f"statement 应含命名组 {'、'.join(f'(?P<{g}>…)' for g in sorted(missing))}"


def check(rule, report):
    rx = re.compile(rule.params["statement"].replace("{number}", COUNT))
    for p in report.paragraphs:
        for m in rx.finditer(p.text):
            part, whole = parse_count(m.group("part")), parse_count(m.group("whole"))
            if part is None or not whole:
                continue
            written = m.group("rate")
            rate, unit = float(written), 10.0 ** -len(written.partition(".")[2])
            computed = part / whole * 100
            if abs(computed - rate) <= unit / 2 + 1e-9 or (rule.params["truncate"] and rate <= computed < rate + unit):
                continue
            decimals = max(1, len(written.partition(".")[2]))
            yield rule.at_text(
                report, p, m.start("rate"), m.end(), rate=f"{written}%",
                computed=f"{computed:.{decimals}f}%", part=part, whole=whole,
            )
