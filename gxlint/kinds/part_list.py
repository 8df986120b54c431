"""``part_list``: the introduction's 「全文由……等六个部分组成」 is true.

Most reports say in their opening paragraph how many parts follow and name
them.  The statement (``statement``, a regular expression with named groups
``list`` and ``count``) is looked for in the paragraphs before the first part;
the count must be the number of parts in the format (「五大内容」 counts five),
and when the statement names parts (``parts``: numeral → regular expression
telling a part's name in the list), it must name all of them and nothing else
(an item of the list, split at 、 and ，, that tells no part is reported).  A
statement may leave the count out (group ``count`` unmatched: 「全文由总体情况、
……、其他需要报告的事项组成」); its list is then checked when it names at least
three parts.  Only a kind can count the parts and compare the count with the
format.  No statement, no finding.  Placeholders:
``{found}`` (the statement), ``{count}`` (as written), ``{expected}`` (the
format's number of parts), ``{missing}`` (titles of the parts not named) and
``{problem}`` (what is wrong, in words).
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
        str, regex=True,
        default=(
            # the lookahead lets the lazy list skip at once the characters no ending starts with
            r"(?:由|包括|包含|分为|涵盖)(?P<list>[^。；;]{0,200}?)(?=[等共\s\d一二三四五六七八九十两几部内方板组构])"
            r"(?:(?:等|共)?\s*(?P<count>[一二三四五六七八九十两\d]+)\s*(?:个|大|项)?\s*(?:部分|内容|方面|板块)"
            r"|等?(?:几个)?(?:部分|方面|内容)?(?:组成|构成))"
        ),
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
    expected = len(report.fmt.sections)
    for para in report.doc.blocks[:first]:
        m = _scan.search(p["statement"], para.text) if isinstance(para, Paragraph) else None
        if m is None:
            continue
        written = m.group("count")
        count = parse_count(written) if written else None
        named = [n for n, part in p["parts"].items() if compiled(str(part)).search(m.group("list"))]
        if written is None and len(named) < 3:
            continue  # 「由……组成」 that lists no parts
        missing = [s.title for s in report.fmt.sections if s.number not in named] if len(named) >= 2 else []
        alien = [x for x in _items(m.group("list")) if not any(compiled(str(part)).search(x) for part in p["parts"].values())]
        if len(named) < 2:
            alien = []
        if (written is None or count == expected) and not missing and not alien:
            return
        want = _NUMERALS[expected - 1] if 0 < expected <= 10 else str(expected)
        problems = [f"称共{written}个部分，格式规定为{want}个部分"] if written is not None and count != expected else []
        problems += [f"「{x}」不是格式规定的部分" for x in alien]
        problems += [f"未列出「{t}」" for t in missing]
        yield rule.at_text(
            report, para, m.start(), m.end(), location="正文开头", found=m.group(0), count=written or "",
            expected=want, missing="、".join(missing), problem="；".join(problems),
        )
        return


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
