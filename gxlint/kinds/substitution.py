"""``substitution``: words that are wrong, each with the right word (the fix).

``words`` maps wrong → right.  With ``regex: true`` a key is a regular
expression (e.g. 「截止(?=\\d{4}年)」: 截止 only before a date).  Placeholders:
``{wrong}`` (as found) and ``{right}``.
"""
from __future__ import annotations

import re

from ..rule import Param
from ._text import paragraphs

PARAMS = {
    "words": Param(dict, required=True),
    "regex": Param(bool, default=False),
    "scope": Param(str, default="body", choices=("body", "title", "headings")),
}
ARGS = ("wrong", "right")


def validate(params):
    for k, v in params["words"].items():
        if not isinstance(v, str):
            yield "words", f"「{k}」的正确写法应是字符串"
        if params.get("regex"):
            try:
                re.compile(k)
            except re.error as e:
                yield "words", f"「{k}」不是有效的正则表达式：{e}"


def check(rule, report):
    if rule.params["regex"]:
        yield from _check_regex(rule, report)
        return
    # Plain words: str.find per word (C speed), leftmost-longest like an alternation of the
    # words sorted longest first, without trying every word at every character in Python's re.
    words = rule.params["words"]
    for para in paragraphs(report, rule.params["scope"]):
        text = para.text
        hits = []
        for wrong in words:
            i = text.find(wrong)
            while i != -1:
                hits.append((i, -len(wrong), wrong))
                i = text.find(wrong, i + 1)
        end = 0
        for start, neg_len, wrong in sorted(hits):
            if start < end:
                continue
            end = start - neg_len
            right = words[wrong]
            yield rule.at_text(report, para, start, end, fix=right, wrong=wrong, right=right)


def _check_regex(rule, report):
    words = list(rule.params["words"].items())
    rx = re.compile("|".join(f"(?P<w{i}>{k})" for i, (k, _) in enumerate(words)))
    for para in paragraphs(report, rule.params["scope"]):
        for m in rx.finditer(para.text):
            right = words[int(m.lastgroup[1:])][1]
            yield rule.at_text(report, para, m.start(), m.end(), fix=right, wrong=m.group(0), right=right)
