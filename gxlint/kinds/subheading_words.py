"""``subheading_words``: a part's own sub-heading with a word dropped (「（四）政府公开平台建设」).

The format names what some parts tell, and reports take those names as sub-headings:
总体情况's （一）主动公开 … （四）政府信息公开平台建设 （五）监督保障.  A sub-heading that is
one of these ``names`` with a few characters missing from its inside (not its start or end) lost
a word: 「政府公开平台建设」 is 政府信息公开平台建设 without 信息.  A shorter name (平台建设,
信息公开平台), a name worded otherwise (政务公开平台建设) and a sub-heading that is a sentence
(加强组织领导……) are left alone.  A sub-heading is a paragraph of one of the ``sections`` that
opens with （一）…（十） and names its subject before 。：or the end (「（一）主动公开情况。2021年…」
too); 情况, 工作 and 方面 at its end are not part of the name.  ``max_gap`` is the most
characters a dropped word has.  The fix writes the whole name.  Placeholders: ``{found}``
(the sub-heading's subject as written), ``{expected}`` (the name).
"""
from __future__ import annotations

from ..rule import Param
from ..regex_store import compiled
from ._text import in_sections

PARAMS = {
    "names": Param(list, required=True),
    "sections": Param(list, default=["一"]),
    "max_gap": Param(int, default=3),
}
ARGS = ("found", "expected")

_HEADING = compiled(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]\s*(?P<name>[^。：:，,；;、\s]{2,20}?)(?:情况|工作|方面)?\s*(?:[。：:]|$)")


def validate(params):
    for n in params["names"]:
        if not isinstance(n, str) or len(n) < 3:
            yield "names", "names 中的每一项应是至少三个字的名称"


def _dropped(written: str, name: str, max_gap: int) -> bool:
    """Whether ``written`` is ``name`` with 1 … max_gap characters taken out of its inside."""
    gap = len(name) - len(written)
    if not 1 <= gap <= max_gap or len(written) < 2:
        return False
    return any(name[:k] == written[:k] and name[k + gap:] == written[k:] for k in range(1, len(written)))


def check(rule, report):
    names = rule.params["names"]
    for p in in_sections(report, {str(n) for n in rule.params["sections"]}):
        m = _HEADING.match(p.text)
        if m is None:
            continue
        written = m.group("name")
        if written in names:
            continue
        for name in names:
            if _dropped(written, name, rule.params["max_gap"]):
                yield rule.at_text(report, p, m.start("name"), m.end("name"), fix=name, found=written, expected=name)
                break
