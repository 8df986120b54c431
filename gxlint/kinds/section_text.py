"""``section_text``: what the text of one part of the report must say.

The format notice says what some parts contain: 总体情况 covers 主动公开,
依申请公开, 政府信息管理, 平台建设 and 监督保障; part 五 is not left empty or
「无」; part 六 reports the 信息处理费.  ``pattern`` searches the whole text,
``sections`` sees headings only; this kind reads the paragraphs of part
``section`` (its heading excluded; a part that is missing is ``sections``'
business); without ``section``, the whole report.  With ``issuer`` (a regular
expression), only reports whose issuing body (from the title) matches it are
checked: what the 条例 asks of a people's government only.  One of:

* ``topics``: name → regular expression; every topic must match somewhere in
  the part; one finding (on the heading) names all that do not (``{missing}``);
* ``empty``: a regular expression for a body that says nothing (「无」,
  「暂无」); the part is flagged when its text, whitespace removed, matches it
  in full, or when it has no text at all (``{found}``: the text, or 「空白」).

Placeholders also ``{number}`` and ``{title}`` of the part.
"""
from __future__ import annotations

import re

from ..labels import normalize
from ..rule import Param
from ..regex_store import compiled

PARAMS = {
    "section": Param(str),
    "issuer": Param(str, regex=True),
    "topics": Param(dict, default={}),
    "empty": Param(str, regex=True),
}
ARGS = ("number", "title", "missing", "found")


def validate(params):
    if bool(params.get("topics")) == bool(params.get("empty")):
        yield "kind", "section_text 规则需要 topics 或 empty 之一（且只能有一个）"
    for name, rx in (params.get("topics") or {}).items():
        try:
            re.compile(str(rx))
        except re.error as e:
            yield "topics", f"「{name}」的正则表达式有误：{e}"


def check(rule, report):
    p = rule.params
    if p.get("issuer") and not compiled(p["issuer"]).search(report.issuer()):
        return
    if p.get("section"):
        heading = next((h for h in report.headings if h.section.number == p["section"]), None)
        if heading is None:
            return
        paras = report.part_paragraphs(p["section"])

        def flag(**args):
            return rule.at_paragraph(report, heading.paragraph, location=f"第{p['section']}部分",
                                     number=p["section"], title=heading.section.title, **args)
    else:
        paras = report.paragraphs

        def flag(**args):
            return rule.at_document(report, number="", title="", **args)  # on the title, 「全文」
    text = "\n".join(x.text for x in paras)
    if p.get("empty"):
        body = normalize(text).replace("*", "")
        if not body or compiled(p["empty"]).fullmatch(body):
            yield flag(found=body or "空白")
        return
    missing = [name for name, rx in p["topics"].items() if not compiled(str(rx)).search(text)]
    if missing:
        yield flag(missing="、".join(missing))
