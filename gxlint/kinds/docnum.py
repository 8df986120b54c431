"""``docnum``: 发文字号 written as GB/T 9704-2012 7.2.5 wants: 机关代字〔年份〕序号号.

Finds document numbers such as 「闽财非税函（2021）1号」 and checks one aspect
(``check``): ``brackets`` (the year in 六角括号 〔〕, not （）()[]【】, and the
closing one not lost: 〔202130号), ``di`` (no 「第」 or 「字第」 before the
number), ``leading_zero`` (1, not 01), ``year`` (the year in full: 〔2021〕,
not 〔21〕; a two-digit year below 50 is read as 20xx, else 19xx) or ``hao``
(the closing 「号」 not lost: 国办公开办函〔2021〕30; only with the year in
〔〕, and not before a list or range of numbers, 〔2021〕30、31号).  The fix is
the whole number written correctly.  Placeholders: ``{found}``, ``{fixed}``.
"""
from __future__ import annotations

import re

from ..rule import Param
from ..regex_store import compiled
from . import _scan

PARAMS = {
    "check": Param(str, required=True, choices=("brackets", "di", "leading_zero", "year", "hao")),
    "agency": Param(str, regex=True, default=r"[\u4e00-\u9fa5]{1,12}?(?:函|发|字|办|令|文|通|复|电|规|告|综|呈|报|示|批|便|明|秘)"),
}
ARGS = ("found", "fixed")

_OPEN = "〔（([【［"
_CLOSE = "〕）)]】］"


# The year in brackets and the number: rare, so found first; the issuing body's
# code (机关代字) is then matched backwards from there.  Trying the code at every
# Chinese character of every paragraph was most of a lint's time.
_TAIL = (
    rf"(?P<open>[{re.escape(_OPEN)}])\s*"
    rf"(?:(?P<year>\d{{4}})\s*(?P<close>[{re.escape(_CLOSE)}])?|(?P<yy>\d{{2}})\s*(?P<close2>[{re.escape(_CLOSE)}]))"
    r"\s*(?P<di>字?\s*第)?\s*(?P<num>\d{1,5})\s*号"
)
# 〔year〕number with its 号 lost (a range or list of numbers, 〔2021〕30、31号, is no loss)
_NO_HAO = r"〔\s*(?P<year>\d{4})\s*〕\s*(?P<num>\d{1,5})(?![\d号]|\s+号|\s*[、，,和及至到\-—~～]\s*\d)"
# words that end up in front of a 机关代字 when a number stands in running text (依据某府发〔2021〕3号)
_LEAD = compiled(r"^(?:依据|根据|按照|依照|参照|对照|执行|落实|贯彻|印发|转发|通过)")
_LOOKBACK = 40  # characters before the bracket where the 机关代字 (≤13 characters, spaces) can start


def check(rule, report):
    what = rule.params["check"]
    org_rx = rf"(?:{rule.params['agency']})\s*$"  # compiled when a number is found
    if what == "hao":
        yield from _lost_hao(rule, report, org_rx)
        return
    hits = _scan.in_paragraphs(report, _TAIL)  # once for the four checks
    for p in report.paragraphs if hits else ():
        text = p.text
        for m in hits.get(text, ()):
            window_start = max(0, m.start() - _LOOKBACK)
            org = compiled(org_rx).search(text, window_start, m.start())
            if org is None:
                continue
            yy = m.group("yy")
            year = m.group("year") or ("20" if int(yy) < 50 else "19") + yy
            bad_brackets = m.group("open") != "〔" or (m.group("close") or m.group("close2")) != "〕"
            has_di = bool(m.group("di"))
            zero = m.group("num").startswith("0") and m.group("num") != "0"
            if not {"brackets": bad_brackets, "di": has_di, "leading_zero": zero, "year": bool(yy)}[what]:
                continue
            start = _code_start(text, org, m.start())
            code = text[start:m.start()].rstrip()
            fixed = f"{code}〔{year}〕{int(m.group('num'))}号"
            yield rule.at_text(report, p, start, m.end(), fix=fixed, found=text[start:m.end()], fixed=fixed)


def _code_start(text: str, org, bracket: int) -> int:
    """Where the 机关代字 found by ``org`` starts, a leading 依据/根据… left out."""
    start = org.start()
    lead = _LEAD.match(text, start, bracket)
    if lead and lead.end() < bracket - 1:  # a code of one character and its suffix stays
        start = lead.end()
    return start


def _lost_hao(rule, report, org_rx):
    hits = _scan.in_paragraphs(report, _NO_HAO)
    for p in report.paragraphs if hits else ():
        text = p.text
        for m in hits.get(text, ()):
            org = compiled(org_rx).search(text, max(0, m.start() - _LOOKBACK), m.start())
            if org is None:
                continue
            start = _code_start(text, org, m.start())
            fixed = f"{text[start:m.start()].rstrip()}〔{m.group('year')}〕{int(m.group('num'))}号"
            yield rule.at_text(report, p, start, m.end(), fix=fixed, found=text[start:m.end()], fixed=fixed)
