"""``doubled``: a character or word written twice by mistake (县县人民政府, 规定规定).

Chinese doubles words on purpose (常常, 人人, 年年, 层层, 研究研究) and two words
meet on a shared character all the time (法规规章, 工作作风, 全县县直), so no
expression can tell a slip from Chinese by itself.  ``pattern`` is a regular
expression whose named group ``w`` is the doubled unit and whose match is the
unit twice (a backreference: ``(?P<w>[\\u4e00-\\u9fff]{2})(?P=w)``); ``allow``
lists the words in which such a doubling is right: a match inside one of them
(as written in the text around it) is not reported.  The fix writes the unit
once.  A doubling in the title after its year (「…工作年度年度报告」) is left to the title's
form (``title_form`` names the whole right title).  Placeholders: ``{found}`` (the doubling),
``{once}`` (the unit).
"""
from __future__ import annotations

import re

from ..rule import Param
from ..regex_store import compiled
from . import _scan

_YEAR = compiled(r"\d{4}\s*年")

PARAMS = {
    "pattern": Param(str, required=True, regex=True),
    "allow": Param(list, default=[]),
}
ARGS = ("found", "once")


def validate(params):
    if "w" not in re.compile(params["pattern"]).groupindex:
        yield "pattern", "pattern 应含命名组 (?P<w>…)，即重复的字或词"
    for w in params["allow"] or []:
        if not isinstance(w, str) or not w:
            yield "allow", "allow 中的每一项应是非空字符串"


def _allowed(text: str, start: int, end: int, allow: list[str]) -> bool:
    """Whether text[start:end] lies inside one of the ``allow`` words as written there."""
    found = text[start:end]
    for word in allow:
        at = word.find(found)
        while at >= 0:
            s = start - at
            if s >= 0 and text.startswith(word, s):
                return True
            at = word.find(found, at + 1)
    return False


def check(rule, report):
    hits = _scan.in_paragraphs(report, rule.params["pattern"])
    allow = [w for w in rule.params["allow"] if w]
    titled = {id(t): i for i, t in enumerate(report.title_lines)}
    for p in report.paragraphs if hits else ():
        for m in hits.get(p.text, ()):
            if _allowed(p.text, m.start(), m.end(), allow):
                continue
            if id(p) in titled:
                before = "".join(t.text for t in report.title_lines[: titled[id(p)]]) + p.text[: m.start()]
                if _YEAR.search(before):
                    continue
            once = m.group("w")
            yield rule.at_text(report, p, m.start(), m.end(), fix=once, found=m.group(0), once=once)
