"""``not_report``: a file that is plainly not an annual report is skipped, and said so once.

A folder of reports or a commit also holds notes, minutes and READMEs.  A repository's README,
CHANGELOG, LICENSE… (by its name, whatever it quotes), and a file with no report
title (a short line that says 报告 and 信息公开 or 政务公开 before the first part), none of the
format's parts, no table at all and no word of 政府信息公开 (``Report.is_report``) gets one
finding of this kind, and the engine runs no other rule on it: no 「缺少第一部分」 for a meeting
note.  A file that has any of these is linted as a report, however incomplete.  No placeholders.
"""
from __future__ import annotations

PARAMS: dict = {}
ARGS = ()
NEEDS = ("not_report",)  # what it cannot judge a report without (gxlint.kinds.NEEDS)


def check(rule, report):
    if not report.is_report and report.paragraphs:
        yield rule.at_document(report, location="全文")
