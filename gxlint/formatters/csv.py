"""``--report summary.csv`` (or ``--format csv``): one row per finding, for spreadsheets.

Written with a BOM (``utf-8-sig``) by ``--report`` so that Excel and WPS open
the Chinese text correctly.  A file that could not be read is one row whose
severity is 「无法读取」 and whose rule is its E0xx code.
"""
from __future__ import annotations

import csv

from . import CATEGORY_LABELS, SEVERITY_LABELS, error_message, shown
HEADER = ["文件", "行", "列", "严重程度", "规则", "类别", "说明", "位置", "原文", "建议改为"]


def write(results, out, rules=(), header: bool = True) -> None:
    """The rows of ``results`` (after the header unless ``header`` is False: a batch writes its
    rows file by file)."""
    w = csv.writer(out, lineterminator="\r\n")
    if header:
        w.writerow(HEADER)
    for r in results:
        if r.error is not None:
            w.writerow([shown(r.path), "", "", "无法读取", r.error.code, "", error_message(r), "", "", ""])
            continue
        for f in r.findings:
            w.writerow([shown(r.path), f.line, f.shown_column, SEVERITY_LABELS[f.severity], f.rule,
                        CATEGORY_LABELS.get(f.category, f.category), f.message,
                        f.location, f.excerpt, f.fix.replacement if f.fix else ""])
