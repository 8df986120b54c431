"""``docnum``: 发文字号 written as GB/T 9704-2012 7.2.5 wants: 机关代字〔年份〕序号号.

Finds document numbers such as 「闽财非税函（2021）1号」 and checks one aspect
(``check``): ``brackets`` (the year in 六角括号 〔〕, not （）()[]【】),
``di`` (no 「第」 before the number) or ``leading_zero`` (1, not 01).  The fix
is the whole number written correctly.  Placeholders: ``{found}``, ``{fixed}``.
"""
from __future__ import annotations

import re

from ..rule import Param

PARAMS = {
    "check": Param(str, required=True, choices=("brackets", "di", "leading_zero")),
    "agency": Param(str, regex=True, default=r"[\u4e00-\u9fa5]{1,12}?(?:函|发|字|办|令|文|通|复|电|规|告|综|呈|报|示|批|便|明)"),
}
ARGS = ("found", "fixed")

_OPEN = "〔（([【［"
_CLOSE = "〕）)]】］"


def _regex(agency: str) -> re.Pattern:
    return re.compile(
        rf"(?P<org>{agency})\s*(?P<open>[{re.escape(_OPEN)}])\s*(?P<year>\d{{4}})\s*(?P<close>[{re.escape(_CLOSE)}])"
        r"\s*(?P<di>第)?\s*(?P<num>\d{1,5})\s*号"
    )


def check(rule, report):
    what = rule.params["check"]
    rx = _regex(rule.params["agency"])
    for p in report.paragraphs:
        for m in rx.finditer(p.text):
            bad_brackets = m.group("open") != "〔" or m.group("close") != "〕"
            has_di = bool(m.group("di"))
            zero = m.group("num").startswith("0") and m.group("num") != "0"
            if not {"brackets": bad_brackets, "di": has_di, "leading_zero": zero}[what]:
                continue
            fixed = f"{m.group('org')}〔{m.group('year')}〕{int(m.group('num'))}号"
            yield rule.at_text(report, p, m.start(), m.end(), fix=fixed, found=m.group(0), fixed=fixed)
