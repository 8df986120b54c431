"""``superior_level``: a level of government above the issuer that it does not have.

A county's report names the levels above it as they are: 「省、市」 under a city, 「省、州」 in an
autonomous prefecture (自治州).  A county under a city that writes 「贯彻落实省、州关于……的要求」
or 「州委、州政府」 has copied another county's text.  ``mention`` is a regular expression for the
level named (its match is shown); ``within`` maps each 自治州 (its short name as reports write
it: 恩施州, 黔南州) to the county-level bodies in it (their names as reports write them, 来凤,
长顺, 理县): the rule holds only when the issuer (``Report.issuer``: the title before its year,
or the line above it, or the office above the signature) names a county-level body (``body``, a
regular expression) and none of those names, the issuer has no 州 of its own in its name, and
the report names no 自治州 anywhere (a report that says where it is is not second-guessed).  A
list missing a county (a new one, a renamed one) makes the rule miss, never accuse.  One
finding per report, on the first mention.  Placeholders: ``{found}``, ``{issuer}``.
"""
from __future__ import annotations

from ..rule import Param
from . import _scan
from ._text import at_joined, joined
from ..regex_store import compiled

PARAMS = {
    "mention": Param(str, required=True, regex=True),
    "within": Param(dict, required=True),
    "body": Param(str, required=True, regex=True),
}
ARGS = ("found", "issuer")
NEEDS = ("issuer",)


def validate(params):
    for name, bodies in params["within"].items():
        if not isinstance(bodies, list) or not all(isinstance(b, str) and b for b in bodies):
            yield "within", f"within 中「{name}」的值应是县级机关名称的列表"


def check(rule, report):
    p = rule.params
    if not _scan.in_paragraphs(report, p["mention"]):
        return
    issuer = report.issuer()
    if not issuer or "州" in issuer or not compiled(p["body"]).search(issuer):
        return
    within = p["within"]
    if any(b in issuer for bodies in within.values() for b in bodies):
        return
    blocks = joined(report)  # the title's lines among them
    if any("自治州" in b.text or any(name in b.text for name in within) for b in blocks):
        return
    for block in blocks:
        for m in _scan.finditer(report, p["mention"], block.text):
            yield at_joined(rule, report, block, m.start(), m.end(), found=m.group(0), issuer=issuer)
            return
