"""``pattern``: a regular expression that must not (``forbid``) or must (``require``) occur.

``span`` names the group to mark (default: the whole match); ``fix`` is the
replacement for that span (``\\g<name>`` refers to groups).  Placeholders:
``{match}`` (the marked text) and every named group.  ``when`` (a regular
expression) limits a ``forbid`` rule to reports where it occurs somewhere in
the text: a defect that is one only beside the right form (a date spaced as
「2023 年 1 月 16 日」 where the report writes its other dates without spaces;
a report spaced throughout is its PDF's text layer, not a typing slip).  In the body, the
lines of a paragraph that a PDF or a web page broke are searched joined: a match may run over a
line's end, and a line's end is no sentence's end.
"""
from __future__ import annotations

import re

from ..rule import Param
from . import _scan
from ._text import at_joined, joined, paragraphs, template_problem

PARAMS = {
    "forbid": Param(str, regex=True),
    "require": Param(str, regex=True),
    "span": Param(str, default=""),
    "fix": Param(str),
    "scope": Param(str, default="body", choices=("body", "title", "headings")),
    "when": Param(str, regex=True),
}
ARGS = ("match",)
GROUP_ARGS = ("forbid",)  # the named groups of the forbid pattern are placeholders too


def validate(params):
    if bool(params.get("forbid")) == bool(params.get("require")):
        yield "kind", "pattern 规则需要 forbid 或 require 之一（且只能有一个）"
    if params.get("span") and params.get("forbid") and params["span"] not in re.compile(params["forbid"]).groupindex:
        yield "span", f"span「{params['span']}」不是 forbid 中的命名组"
    if params.get("fix") is not None and params.get("forbid") and (why := template_problem(params["forbid"], params["fix"])):
        yield "fix", f"fix {why}"


def check(rule, report):
    p = rule.params
    paras = paragraphs(report, p["scope"])
    if p.get("require"):
        found = _scan.in_paragraphs(report, p["require"])
        if paras and not any(x.text in found for x in paras):
            yield rule.at_document(report)
        return
    if p.get("when"):
        if not _scan.in_paragraphs(report, p["when"]):
            return
    span = p["span"] or 0
    if p["scope"] == "body":  # a paragraph's lines broken by a PDF or a web page, joined
        hits = _scan.in_joined(report, p["forbid"])
        for block in joined(report) if hits else ():
            for m in hits.get(block.text, ()):
                start, end = m.span(span)
                if start < 0:
                    continue
                fix = m.expand(p["fix"]) if p.get("fix") is not None else None
                groups = {k: (v or "") for k, v in m.groupdict().items()}
                yield at_joined(rule, report, block, start, end, fix=fix, match=m.group(span), **groups)
        return
    hits = _scan.in_paragraphs(report, p["forbid"])
    for para in paras if hits else ():
        for m in hits.get(para.text, ()):
            start, end = m.span(span)
            if start < 0:
                continue
            fix = m.expand(p["fix"]) if p.get("fix") is not None else None
            groups = {k: (v or "") for k, v in m.groupdict().items()}
            yield rule.at_text(report, para, start, end, fix=fix, match=m.group(span), **groups)
