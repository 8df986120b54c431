"""``sections``: the parts of the format are present, in order, and numbered.

``check`` is one of:

* ``missing``: a part of the format has no heading (placeholders ``{number}``, ``{title}``);
* ``order``: a part's heading comes after the heading of a later part (``{number}``, ``{title}``, ``{after}``);
* ``numbering``: a heading lacks its numeral or shows another one
  (``{number}``, ``{title}``, ``{found}``); the fix puts the right numeral in front;
* ``wording``: a heading recognised by its numeral, place and words but worded otherwise than
  the format (``{number}``, ``{title}``, ``{found}``); the fix writes the format's title.

The numeral counts whether it is typed or rendered by Word's automatic numbering.
"""
from __future__ import annotations

from ..rule import Param
from ..regex_store import compiled

_LEAD = compiled(r"^[\s*#]*(?:[一二三四五六七八九十]+\s*[、.．，,]\s*)?")

PARAMS = {"check": Param(str, required=True, choices=("missing", "order", "numbering", "wording"))}
ARGS = ("number", "title", "found", "after")


def check(rule, report):
    what = rule.params["check"]
    found = {}
    for h in report.headings:
        found.setdefault(h.section.number, h)
    if what == "missing":
        if not report.paragraphs:
            return
        for spec in report.fmt.sections:
            if spec.number not in found:
                yield rule.at_document(report, location=f"第{spec.number}部分", number=spec.number, title=spec.title)
    elif what == "order":
        latest = None
        for h in found.values():
            if latest is not None and h.section.order < latest.section.order:
                yield rule.at_paragraph(
                    report, h.paragraph, location=f"第{h.section.number}部分标题",
                    number=h.section.number, title=h.section.title, after=latest.section.number,
                )
            elif latest is None or h.section.order > latest.section.order:
                latest = h
    elif what == "wording":
        for h in found.values():
            if h.exact:
                continue
            p = h.paragraph
            start = _LEAD.match(p.text).end()
            end = len(p.text.rstrip("*： :"))
            if start >= end:
                continue
            yield rule.at_text(
                report, p, start, end, fix=h.section.title, location=f"第{h.section.number}部分标题",
                number=h.section.number, title=h.section.title, found=p.text[start:end],
            )
    else:
        for h in found.values():
            if h.numeral == h.section.number:
                continue
            p = h.paragraph
            if not p.number and not h.numeral:
                # typed heading without a numeral: insert it in front
                stripped = p.text.lstrip("*# ")
                lead = len(p.text) - len(stripped)
                yield rule.at_text(
                    report, p, lead, len(p.text), fix=f"{h.section.number}、{stripped}",
                    location=f"第{h.section.number}部分标题", number=h.section.number,
                    title=h.section.title, found=h.numeral or "无",
                )
                continue
            yield rule.at_paragraph(
                report, p, location=f"第{h.section.number}部分标题",
                number=h.section.number, title=h.section.title, found=h.numeral or "无",
            )
