"""``title_form``: the report's title is written in a form the format allows.

The format notice names the report 「[机关][年份]年政府信息公开工作年度报告」; reports
also write 「[机关][年份]年度政府信息公开工作报告」.  ``allowed`` lists regular
expressions, one per accepted form, searched in the title with its whitespace and
Markdown marks removed (the issuer before the year is free).  A title that matches
none is reported: 「…2021年政府信息公开工作报告」 (no 年度), 「…政府信息公开年度报告」
(no 工作), 「…工作告年度报」 (characters out of order), 「…工作情况的报告」.

The title is the paragraph the report model recognised as such; when it found none
(a title whose 报告 was mangled), the first short paragraph before the first part
that names ``subject`` (信息公开: a title that dropped 政府 is still one) is taken.  Either way a paragraph that reads as a sentence
(with 。，《》 or brackets) is not taken for a title.  Placeholders: ``{found}`` (the
title as written), ``{expected}`` (the accepted forms, with the title's issuer and year).
"""
from __future__ import annotations

from ..labels import nfkc
from ..model import Paragraph
from ..rule import Param
from ..regex_store import compiled

PARAMS = {
    "allowed": Param(list, required=True, regex=True),
    "forms": Param(list, required=True),
    "subject": Param(str, regex=True, default="信息公开"),
}
ARGS = ("found", "expected")
NEEDS = ("title",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_SENTENCE = compiled(r"[。，,；;《》（）()“”]")
_YEAR = compiled(r"(?:\d{4}|[〇零○一二三四五六七八九]{4})(?=年)")
_NOISE = compiled(r"[\s#*]+")
_AFTER_YEAR = compiled(r"年度?(.{1,40}?)(?:关于)?(?:政府|政务)?信息公开")  # an issuer: at most 40 characters


def validate(params):
    for f in params["forms"]:
        if not isinstance(f, str) or "{issuer}" not in f or "{year}" not in f:
            yield "forms", "forms 中的每一项应是含 {issuer} 和 {year} 的字符串"


def _title(report, subject) -> Paragraph | None:
    if report.title is not None:
        candidates = [report.title]
    else:
        first = report.headings[0].position if report.headings else len(report.doc.blocks)
        candidates = [b for b in report.doc.blocks[: min(first, 12)] if isinstance(b, Paragraph)]
    for p in candidates:
        text = (report.title_text if p is report.title else p.text).strip()
        if text and len(text) <= 90 and subject.search(text) and not _SENTENCE.search(text):
            return p
    return None


def check(rule, report):
    p = _title(report, compiled(rule.params["subject"]))
    if p is None:
        return
    written = report.title_text if p is report.title else p.text  # a title over two or three lines: all of it
    text = _NOISE.sub("", nfkc(written))
    if any(compiled(rx).search(text) for rx in rule.params["allowed"]):
        return
    y = _YEAR.search(text)
    issuer = report.issuer() or (text[: y.start()] if y else "") or "[机关]"
    if y and y.start() == 0:  # 「2024年汉阳区住房和城市更新局政府信息公开年度报告」: the issuer after the year
        after = _AFTER_YEAR.match(text, y.end())
        issuer = after.group(1) if after else issuer
    year = y.group(0) if y else (str(report.year) if report.year else "[年份]")
    expected = "」或「".join(f.replace("{issuer}", issuer).replace("{year}", year) for f in rule.params["forms"])
    shown = p.text.strip().strip("#*").strip()
    start = p.text.find(shown) if shown else 0
    found = written.strip().strip("#*").strip() if p is report.title else shown
    yield rule.at_text(report, p, max(start, 0), max(start, 0) + len(shown), location="标题", found=found, expected=expected)
