"""``repeated_figure``: the same figure stated twice in the report with different values.

A report often states a count in 总体情况 and again in a later paragraph (「全年发布信息20条」
in （一）, 「发布信息16条」 in （四）); when one was updated and the other not, they
disagree.  Each entry of ``statements`` is a regular expression with a named group ``n``
(``{number}``: Arabic or Chinese numerals) naming one figure; every match of one entry
in the report must give the same number.  A statement whose clause (the text since the
last ，。；：) matches ``unless`` is about a part of the figure (通过政府网站发布信息…,
其中…) and is not compared.  Figures that have a table cell are ``prose_cells``' (they
are compared with the cell, not with each other).  A statement whose clause names a channel
(``channel``, a regular expression with group ``c``: the name of a column, 「审计信息栏目」) is
compared with the statements of the same figure through the same channel (专栏 and 栏目 are
one: 「通过管委会网站审计信息栏目公开信息20条」 and 「通过审计信息专栏公开政府信息16条」), unless
its clause matches ``channel_unless`` (a period, a part: 1-6月, 其中).  The later statement is
reported.
Placeholders: ``{statement}``, ``{stated}``, ``{first}`` (the earlier statement),
``{value}`` (its number), ``{where}`` (its part).
"""
from __future__ import annotations

import re

from ..report import COUNT, parse_count
from ..rule import Param, _where_paragraph
from ..regex_store import compiled
from . import _scan

PARAMS = {
    "statements": Param(list, required=True),
    "unless": Param(str, regex=True, default=""),
    "channel": Param(str, regex=True, default=""),
    "channel_unless": Param(str, regex=True, default=""),
}
ARGS = ("statement", "stated", "first", "value", "where")

_CLAUSE = compiled(r"[，,。；;：:！？!?]")
_SAME_CHANNEL = compiled(r"专栏|栏目|专题|板块")


def validate(params):
    if params.get("channel"):
        try:
            if "c" not in re.compile(params["channel"]).groupindex:
                yield "channel", "channel 应含命名组 (?P<c>…)，即栏目名称"
        except re.error as e:
            yield "channel", f"正则表达式有误：{e}"
    for i, rx in enumerate(params["statements"]):
        try:
            c = re.compile(str(rx).replace("{number}", COUNT))
        except re.error as e:
            yield "statements", f"第{i + 1}项的正则表达式有误：{e}"
            continue
        if "n" not in c.groupindex:
            yield "statements", f"第{i + 1}项应含命名组 (?P<n>…)，即要核对的数字"


def check(rule, report):
    unless = compiled(rule.params["unless"]) if rule.params["unless"] else None
    channel = compiled(rule.params["channel"]) if rule.params["channel"] else None
    channel_unless = compiled(rule.params["channel_unless"]) if rule.params["channel_unless"] else None
    found = [_scan.in_paragraphs(report, str(s).replace("{number}", COUNT)) for s in rule.params["statements"]]
    if not any(found):
        return
    first: dict[tuple, tuple] = {}
    for p in report.paragraphs:
        if p is report.title:
            continue
        text = p.text
        for i, hits in enumerate(found):
            for m in hits.get(text, ()):
                clause = max(0, m.start() - 60)
                for c in _CLAUSE.finditer(text, max(0, m.start() - 60), m.start()):
                    clause = c.end()
                named = channel.search(text[clause: m.start("n")]) if channel is not None else None
                if named is not None:
                    if channel_unless is not None and channel_unless.search(text, clause, m.start("n")):
                        continue
                    key = (i, _SAME_CHANNEL.sub("栏目", named.group("c") + named.group(0)[named.end("c") - named.start():]))
                elif unless is not None and unless.search(text, clause, m.start("n")):
                    continue
                else:
                    key = (i, "")
                n = parse_count(m.group("n"))
                if n is None:
                    continue
                if key not in first:
                    first[key] = (n, m.group(0), p)
                    continue
                value, statement, para = first[key]
                if n != value:
                    yield rule.at_text(
                        report, p, m.start("n"), m.end("n"), statement=m.group(0), stated=n,
                        first=statement, value=value, where=_where_paragraph(report, para),
                    )
