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

``check`` chooses what is judged.  ``title`` (the default): a document cited by its title
with another number.  ``number``: a number cited without the title that is a registered
document's year and serial under another agency code (国办发〔2021〕30号 for the format's
国办公开办函〔2021〕30号: 国办发〔2021〕30号 is another document), in a sentence that says the
report was compiled under it (``context``: 编制, 年度报告, 格式…); a sentence that also cites
the document's title is the ``title`` check's.  The table (``documents``) is data: one table
kept once in the rule file (a YAML anchor) serves both checks; a document's ``year`` is the year
of its number.

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
    "check": Param(str, default="title", choices=("title", "number")),
    "context": Param(str, regex=True, default=r"编制|年度报告|报告格式"),
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
        if "year" in d and (not isinstance(d["year"], int) or isinstance(d["year"], bool)):
            yield "documents", f"第{i + 1}项 year 应为整数（文号中的年份）"
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


_PARTS = compiled(r"^(?P<agency>[^〔]+)〔(?P<year>\d{2,4})〕(?P<serial>\d+)号$")
_SENTENCE_END = compiled(r"[。；;！？!?]")


def check(rule, report):
    if rule.params["check"] == "number":
        yield from _check_number(rule, report)
        return
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


_CORE = r"[〔（(\[【［]\s*(?P<year>\d{4})\s*[〕）)\]】］]\s*第?\s*(?P<serial>\d{1,4})\s*号"
_AGENCY = compiled(r"[\u4e00-\u9fa5]{1,8}$")
_LEAD_IN = compiled(r"^.*(?:按照|依据|根据|依照|参照|遵照|执行|落实|和|及|与|的|、)")


def _check_number(rule, report):
    """A registered document's year and serial cited under another agency code, as the report's basis."""
    registered = {}
    for d in rule.params["documents"]:
        m = _PARTS.match(identity(d["number"]))
        if m:
            registered[(m.group("year"), m.group("serial"))] = (d, m.group("agency"))
    hits = _scan.in_paragraphs(report, _CORE)
    context = compiled(rule.params["context"])
    for p in report.paragraphs if hits else ():
        text = p.text
        for n in hits.get(text, ()):
            got = registered.get((n.group("year"), n.group("serial")))
            if got is None:
                continue
            d, agency = got
            before = text[max(0, n.start() - 12): n.start()].rstrip()
            if before.endswith(agency):
                continue
            code = _AGENCY.search(before)
            if code is None:
                continue
            code_text = _LEAD_IN.sub("", code.group(0))
            if not code_text:
                continue
            begin = n.start() - len(text[max(0, n.start() - 12): n.start()]) + len(before) - len(code_text)
            start = max((e.end() for e in _SENTENCE_END.finditer(text, 0, begin)), default=0)
            end = _SENTENCE_END.search(text, n.end())
            sentence = text[start: end.start() if end else len(text)]
            if not context.search(sentence) or compiled(d["cited"]).search(sentence):
                continue
            found = text[begin: n.end()]
            yield rule.at_text(report, p, begin, n.end(), fix=d["number"], document=d["name"], found=found,
                               right=d["number"])
