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
    words = list(rule.params["words"].items())
    if not rule.params["regex"]:
        words.sort(key=lambda kv: len(kv[0]), reverse=True)  # longest first
    keys = [k if rule.params["regex"] else re.escape(k) for k, _ in words]
    rx = re.compile("|".join(f"(?P<w{i}>{k})" for i, k in enumerate(keys)))
    for para in paragraphs(report, rule.params["scope"]):
        for m in rx.finditer(para.text):
            right = words[int(m.lastgroup[1:])][1]
            yield rule.at_text(report, para, m.start(), m.end(), fix=right, wrong=m.group(0), right=right)
