"""``period``: the statistics period and the report year in the title agree.

Finds statements such as 「统计期限自2024年1月1日起至2024年12月31日止」 and
checks that both years equal the year in the title (and that the period is a
whole calendar year).  Placeholders: ``{year}`` (from the title), ``{found}``
(the period as written).
"""
from __future__ import annotations

from ..rule import Param
from . import _scan

PARAMS = {
    "statement": Param(
        str,
        regex=True,
        default=(
            r"(?P<y1>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|—+|－|-|~|～)\s*"
            r"(?P<y2>\d{4})\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
        ),
    ),
    "context": Param(str, regex=True, default=r"统计|数据"),
}
ARGS = ("year", "found")
NEEDS = ("year",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def check(rule, report):
    year = report.year
    if year is None:
        return
    hits = _scan.in_paragraphs(report, rule.params["statement"])
    for p in report.paragraphs if hits else ():
        for m in hits.get(p.text, ()):
            if not _scan.search(rule.params["context"], p.text[max(0, m.start() - 30) : m.start()]):
                continue
            ys = (int(m.group("y1")), int(m.group("y2")))
            whole_year = (int(m.group("m1")), int(m.group("d1")), int(m.group("m2")), int(m.group("d2"))) == (1, 1, 12, 31)
            if ys != (year, year) or not whole_year:
                yield rule.at_text(report, p, m.start(), m.end(), year=year, found=m.group(0), location="统计期限")
