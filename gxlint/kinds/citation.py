"""``citation``: documents the reports cite carry their true number.

``documents`` is a table of the documents, each with ``name`` (for the
message), ``cited`` (a regular expression for its title as cited) and
``number`` (its true number)::

    documents:
      - name: 《政府信息公开信息处理费管理办法》
        cited: 信息处理费管理办法
        number: 国办函〔2020〕109号

A document may also have ``leave``: a regular expression for numbers that
another rule reports (the superseded trial format 〔2019〕60号 is GX015's, a
misquoted agency code GX220's); a cited number it finds is not judged here,
so one mistake makes one finding.

The number is the one in the first parenthesis after the title that ends in
号 (「…管理办法〉的通知》（国办函〔2020〕109号）」).  It is compared by identity:
brackets, 「第」, leading zeros and Chinese numerals do not count (the
``docnum`` kind reports those), so 国务院令第七十一号 differs from 国务院令第711号
and 国办函（2020）109号 does not differ from 国办函〔2020〕109号.  The fix is the true
number.  ``docnum`` checks how a number is written, never which document it
names; hence this kind.  Placeholders: ``{document}``, ``{found}``, ``{right}``.
"""
from __future__ import annotations

import re

from ..labels import nfkc
from ..report import COUNT, parse_count
from ..rule import Param
from ..regex_store import compiled
from . import _scan

PARAMS = {
    "documents": Param(list, required=True),
    "number": Param(
        str, regex=True,
        default=r"(?:[\u4e00-\u9fa5]{1,14}?\s*[〔（(\[【［]\s*\d{2,4}\s*[〕）)\]】］]|[\u4e00-\u9fa5]{1,10}令)\s*第?\s*" + COUNT + r"\s*号",
    ),
}
ARGS = ("document", "found", "right")

_BRACKETS = str.maketrans({"（": "〔", "(": "〔", "[": "〔", "【": "〔", "［": "〔", "）": "〕", ")": "〕", "]": "〕", "】": "〕", "］": "〕"})
_DIGITS = compiled(COUNT)


def validate(params):
    for i, d in enumerate(params["documents"]):
        if not isinstance(d, dict) or not all(isinstance(d.get(k), str) for k in ("name", "cited", "number")):
            yield "documents", f"第{i + 1}项应有 name、cited、number（字符串）"
            continue
        if not isinstance(d.get("leave", ""), str):
            yield "documents", f"第{i + 1}项 leave 应为字符串（正则表达式）"
            continue
        for key in ("cited", "leave"):
            try:
                re.compile(d.get(key, ""))
            except re.error as e:
                yield "documents", f"第{i + 1}项 {key} 的正则表达式有误：{e}"


def identity(number: str) -> str:
    """A document number without what does not change which document it names."""
    t = compiled(r"\s+|第").sub("", nfkc(number)).translate(_BRACKETS)
    return _DIGITS.sub(lambda m: str(parse_count(m.group(0))), t)


def check(rule, report):
    docs = [
        (d, _scan.in_paragraphs(report, d["cited"] + r"[^。；《]{0,24}?[（(](?P<inner>[^。；《》、]{1,40}?号)\s*[）)]"),
         compiled(d["leave"]) if d.get("leave") else None)
        for d in rule.params["documents"]
    ]
    docs = [(d, hits, leave) for d, hits, leave in docs if hits]  # the documents the report cites
    if not docs:
        return
    form = compiled(rule.params["number"])
    for p in report.paragraphs:
        for d, hits, leave in docs:
            for m in hits.get(p.text, ()):
                found = list(form.finditer(m.group("inner")))
                if not found:
                    continue
                num = found[-1]
                if identity(num.group(0)) == identity(d["number"]) or (leave and leave.search(num.group(0))):
                    continue
                start = m.start("inner") + num.start()
                yield rule.at_text(
                    report, p, start, start + len(num.group(0)), fix=d["number"],
                    document=d["name"], found=num.group(0), right=d["number"],
                )
