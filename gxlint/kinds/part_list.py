"""``part_list``: the introduction's 「全文由……等六个部分组成」 is true.

Most reports say in their opening paragraph how many parts follow and name
them.  The statement (``statement``, a regular expression, or a list of them, with
named groups ``list`` and, optionally, ``count``) is looked for in the paragraphs
before the first part; the count must be the number of parts in the format
(「五大内容」 counts five), and when the statement names parts (``parts``: numeral →
regular expression telling a part's name in the list), it must name all of them and
nothing else (an item of the list, split at 、 and ，, that tells no part is reported),
each by its whole name: an item that is the beginning of a part's title cut short
(「其他需要报告」 for 其他需要报告的事项) is reported.  A statement may leave the count out
(「全文由总体情况、……、其他需要报告的事项组成」, 「全文包括总体情况、……。」: a list that
ends the sentence), or give it before its list (「全文分为六大组成部分，分为……」); its list is
then checked when it names at least three parts.  Of the expressions, the first that reads a
list or a count in a paragraph is taken.  Only a kind can count the parts and compare the
count with the format.  No statement, no finding.  Placeholders: ``{found}`` (the
statement), ``{count}`` (as written), ``{expected}`` (the format's number of parts),
``{missing}`` (titles of the parts not named) and ``{problem}`` (what is wrong, in words).
"""
from __future__ import annotations

import re

from ..model import Paragraph
from ..report import parse_count
from ..rule import Param
from ..regex_store import compiled
from . import _scan

PARAMS = {
    "statement": Param(
        (str, list), regex=True,
        default=[
            # the lookahead lets the lazy list skip at once the characters no ending starts with
            r"(?:由|包括|包含|分为|涵盖)(?P<list>[^。；;]{0,200}?)(?=[等共\s\d一二三四五六七八九十两几部内方板组构])"
            r"(?:(?:等|共)?\s*(?P<count>[一二三四五六七八九十两\d]+)\s*(?:个|大|项)?\s*(?:部分|内容|方面|板块)"
            r"|等?(?:几个)?(?:部分|方面|内容)?(?:组成|构成))",
            # a list that ends the sentence: 「全文包括总体情况、……、存在的主要问题及改进情况。」
            r"(?:全文|本报告|本年报|年报|报告)[^。；;，,]{0,8}?(?:包括|包含|分为|由)(?P<list>[^。；;]{4,300}?)[。；;]",
        ],
    ),
    "parts": Param(dict, required=True),
}
ARGS = ("found", "count", "expected", "missing", "problem")

_NUMERALS = "一二三四五六七八九十"
# a count before the list: 「六大组成部分，分为」, 「六个部分：」
_LEAD = compiled(r"^\s*(?P<count>[一二三四五六七八九十两\d]+)\s*(?:个|大|项)?\s*(?:组成)?\s*(?:部分|内容|方面|板块)"
                 r"\s*[，,：:]?\s*(?:分别)?(?:分为|为|是|包括)?")


def _statements(params) -> list[str]:
    s = params["statement"]
    return [s] if isinstance(s, str) else [str(x) for x in s]


def validate(params):
    for s in _statements(params):
        if "list" not in re.compile(s).groupindex:
            yield "statement", "statement 需要命名组 list"
    for number, rx in params["parts"].items():
        try:
            re.compile(str(rx))
        except re.error as e:
            yield "parts", f"第{number}部分的正则表达式有误：{e}"


def _read(m, parts) -> tuple[str | None, str, list[str]]:
    """(the count as written, the list, the numerals of the parts it names) of a statement."""
    written = m.groupdict().get("count")
    listed = m.group("list")
    lead = _LEAD.match(listed)
    if lead:
        written = written or lead.group("count")
        listed = listed[lead.end():]
    named = [n for n, part in parts.items() if compiled(str(part)).search(listed)]
    return written, listed, named


def check(rule, report):
    p = rule.params
    if not report.headings:
        return
    first = min(h.position for h in report.headings)
    expected = len(report.fmt.sections)
    titles = {s.number: s.title for s in report.fmt.sections}
    for para in report.doc.blocks[:first]:
        if not isinstance(para, Paragraph):
            continue
        for pattern in _statements(p):
            m = _scan.search(pattern, para.text)
            if m is None:
                continue
            written, listed, named = _read(m, p["parts"])
            if (written is None and len(named) < 3) or (len(named) < 2 and parse_count(written or "") == expected):
                continue  # 「由……组成」 that lists no parts, or a right count and no list: another reading may list them
            yield from _judge(rule, report, para, m, written, listed, named, expected, titles)
            return


def _judge(rule, report, para, m, written, listed, named, expected, titles):
    p = rule.params
    count = parse_count(written) if written else None
    missing = [s.title for s in report.fmt.sections if s.number not in named] if len(named) >= 2 else []
    alien, cut = [], []
    if len(named) >= 2:
        for x in _items(listed):
            told = [n for n, part in p["parts"].items() if compiled(str(part)).search(x)]
            if not told:
                alien.append(x)
            elif len(told) == 1 and _cut_short(x, titles.get(told[0], "")):
                cut.append((x, titles[told[0]]))
    if (written is None or count == expected) and not missing and not alien and not cut:
        return
    want = _NUMERALS[expected - 1] if 0 < expected <= 10 else str(expected)
    problems = [f"称共{written}个部分，格式规定为{want}个部分"] if written is not None and count != expected else []
    problems += [f"「{x}」不是格式规定的部分" for x in alien]
    problems += [f"部分名称「{x}」不完整，应为「{t}」" for x, t in cut]
    problems += [f"未列出「{t}」" for t in missing]
    yield rule.at_text(
        report, para, m.start(), m.end(), location="正文开头", found=m.group(0), count=written or "",
        expected=want, missing="、".join(missing), problem="；".join(problems),
    )


def _cut_short(item: str, title: str) -> bool:
    """Whether ``item`` is ``title`` with its end cut off (其他需要报告 of 其他需要报告的事项): most of
    the title, not a short name of the part (主动公开)."""
    return (bool(title) and len(item) >= max(4, 0.6 * len(title)) and len(title) - len(item) >= 2 and title.startswith(item)
            and title[len(item)] != "、")  # 「…行政复议、行政诉讼情况」 is split at its 、
_SPLIT = compiled(r"[、，,]")


def _items(listed: str) -> list[str]:
    """The names of a statement's list: split at 、 and ，, 「等」 and quotes dropped."""
    out = []
    for x in _SPLIT.split(listed):
        x = x.strip().strip("“”\"'「」《》").strip()
        x = compiled(r"(?:等|共)$").sub("", x).strip()
        if x:
            out.append(x)
    return out
