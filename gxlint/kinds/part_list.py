"""``part_list``: the introduction's 「全文由……等六个部分组成」 is true.

Most reports say in their opening paragraph how many parts follow and name
them.  The statement (``statement``, a regular expression with named groups
``list`` and ``count``) is looked for in the paragraphs before the first part;
the count must be the number of parts in the format, and when the statement
names parts (``parts``: numeral → regular expression telling a part's name in
the list), it must name all of them.  Only a kind can count the parts and
compare the count with the format.  No statement, no finding.  Placeholders:
``{found}`` (the statement), ``{count}`` (as written), ``{expected}`` (the
format's number of parts), ``{missing}`` (titles of the parts not named) and
``{problem}`` (what is wrong, in words).
"""
from __future__ import annotations

import re

from ..model import Paragraph
from ..report import parse_count
from ..rule import Param

PARAMS = {
    "statement": Param(
        str, regex=True,
        default=r"(?:由|包括|包含|分为|涵盖)(?P<list>[^。；;]{0,200}?)(?:等|共)?\s*(?P<count>[一二三四五六七八九十两\d]+)\s*个?\s*部分",
    ),
    "parts": Param(dict, required=True),
}
ARGS = ("found", "count", "expected", "missing", "problem")

_NUMERALS = "一二三四五六七八九十"


def validate(params):
    missing = {"list", "count"} - set(re.compile(params["statement"]).groupindex)
    if missing:
        yield "statement", f"statement 需要命名组 {'、'.join(sorted(missing))}"
    for number, rx in params["parts"].items():
        try:
            re.compile(str(rx))
        except re.error as e:
            yield "parts", f"第{number}部分的正则表达式有误：{e}"


def check(rule, report):
    p = rule.params
    if not report.headings:
        return
    first = min(h.position for h in report.headings)
    rx = re.compile(p["statement"])
    expected = len(report.fmt.sections)
    for para in report.doc.blocks[:first]:
        m = rx.search(para.text) if isinstance(para, Paragraph) else None
        if m is None:
            continue
        count = parse_count(m.group("count"))
        named = [n for n, part in p["parts"].items() if re.search(str(part), m.group("list"))]
        missing = [s.title for s in report.fmt.sections if s.number not in named] if len(named) >= 2 else []
        if count == expected and not missing:
            return
        want = _NUMERALS[expected - 1] if 0 < expected <= 10 else str(expected)
        problems = [f"称共{m.group('count')}个部分，格式规定为{want}个部分"] if count != expected else []
        problems += [f"未列出「{t}」" for t in missing]
        yield rule.at_text(
            report, para, m.start(), m.end(), location="正文开头", found=m.group(0), count=m.group("count"),
            expected=want, missing="、".join(missing), problem="；".join(problems),
        )
        return
