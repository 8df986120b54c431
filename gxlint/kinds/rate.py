"""``rate``: a rate (…率) stated in the text cannot exceed ``max`` percent.

Placeholders: ``{name}`` (e.g. 政策性文件解读率), ``{value}`` (e.g. 700%), ``{max}``.
"""
from __future__ import annotations

from ..rule import Param
from . import _scan

PARAMS = {
    "max": Param((int, float), default=100),
    "statement": Param(
        str,
        regex=True,
        default=r"(?P<name>[\u4e00-\u9fa5]{1,12}率)\s*(?:达到了|达到|达|为|是|约为|约|超过|提高到|提升至|提升到)?\s*(?P<value>\d+(?:\.\d+)?)\s*(?:%|％)",
    ),
}
ARGS = ("name", "value", "max")


def check(rule, report):
    hits = _scan.in_paragraphs(report, rule.params["statement"])
    limit = rule.params["max"]
    for p in report.paragraphs if hits else ():
        for m in hits.get(p.text, ()):
            if float(m.group("value")) > limit:
                yield rule.at_text(
                    report, p, m.start("value"), m.end(), name=m.group("name"),
                    value=m.group("value") + "%", max=limit,
                )
