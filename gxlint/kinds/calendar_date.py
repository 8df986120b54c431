"""``calendar_date``: a date written in the text exists in the calendar.

Finds 「2024年2月30日」 (and 「2月30日」 without a year, judged against a leap
year) and reports a month or day that does not exist.  A regular expression
cannot know that February has 28 days in 2023 and 29 in 2024, hence a kind.
Placeholders: ``{found}`` (the date as written).
"""
from __future__ import annotations

import datetime
from ..rule import Param
from . import _scan

PARAMS = {
    "statement": Param(
        str, regex=True,
        default=r"(?=\d)(?<!\d)(?:(?P<y>\d{4})\s*年\s*)?(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]",
    ),
}
ARGS = ("found",)


def check(rule, report):
    hits = _scan.in_paragraphs(report, rule.params["statement"])
    for p in report.paragraphs if hits else ():
        for m in hits.get(p.text, ()):
            year = int(m.group("y")) if m.group("y") else 2000  # no year: allow 29 February
            try:
                datetime.date(year, int(m.group("m")), int(m.group("d")))
            except ValueError:
                yield rule.at_text(report, p, m.start(), m.end(), found=m.group(0))
