"""``substitution``: words that are wrong, each with the right word (the fix).

``words`` maps wrong → right.  With ``regex: true`` a key is a regular
expression (e.g. 「截止(?=\\d{4}年)」: 截止 only before a date).  Placeholders:
``{wrong}`` (as found) and ``{right}``.
"""
from __future__ import annotations

import functools
import re

from ..rule import Param
from . import _scan
from ._text import literal_problem, paragraphs

PARAMS = {
    "words": Param(dict, required=True),
    "regex": Param(bool, default=False),
    "scope": Param(str, default="body", choices=("body", "title", "headings")),
}
ARGS = ("wrong", "right")


def validate(params):
    for k, v in params["words"].items():
        if not k:
            yield "words", "错误写法不能为空"
        if not isinstance(v, str):
            yield "words", f"「{k}」的正确写法应是字符串"
        elif why := literal_problem(v):
            yield "words", f"「{k}」的正确写法{why}"
        if params.get("regex"):
            try:
                re.compile(k)
            except re.error as e:
                yield "words", f"「{k}」不是有效的正则表达式：{e}"


def check(rule, report):
    if rule.params["regex"]:
        yield from _check_regex(rule, report)
        return
    words = rule.params["words"]
    hits = _scan.in_paragraphs(report, _alternation(tuple(words)))
    for para in paragraphs(report, rule.params["scope"]) if hits else ():
        for m in hits.get(para.text, ()):
            wrong = m.group(0)
            right = words[wrong]
            yield rule.at_text(report, para, m.start(), m.end(), fix=right, wrong=wrong, right=right)


@functools.lru_cache(maxsize=64)
def _alternation(words: tuple):
    """One regular expression for plain words, longest first, so that a match is the leftmost and,
    of the words starting there, the longest (re skips in C the characters no word starts with)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _check_regex(rule, report):
    words = list(rule.params["words"].items())
    hits = _scan.in_paragraphs(report, "|".join(f"(?P<w{i}>{k})" for i, (k, _) in enumerate(words)))
    for para in paragraphs(report, rule.params["scope"]) if hits else ():
        for m in hits.get(para.text, ()):
            right = words[int(m.lastgroup[1:])][1]
            yield rule.at_text(report, para, m.start(), m.end(), fix=right, wrong=m.group(0), right=right)
