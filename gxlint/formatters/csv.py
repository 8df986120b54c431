"""``--format csv`` and ``--report summary.csv``: one row per finding, for spreadsheets.

However it is written (standard output, ``--output-file``, ``--report``), the CSV is UTF-8 and
starts with a BOM, so that Excel and WPS open the Chinese text correctly (without a BOM they
take it for the system's code page and show it garbled): :func:`write_header` writes the BOM
with the header, and :func:`stream` makes a byte stream (standard output) a UTF-8 text stream
whatever the system's encoding.  A file that could not be read is one row whose severity is
「无法读取」 and whose rule is its E0xx code.

No cell is a formula: a report's text reaches the CSV (a table row labelled
``=HYPERLINK("…","点击查看")``, a file name starting with ``@``), and Excel and WPS would run it.
As OWASP recommends, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a single quote in front (:func:`cell`), so that it is shown as text.
"""
from __future__ import annotations

import csv

from . import CATEGORY_LABELS, SEVERITY_LABELS, error_message, shown

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP, "CSV Injection"


def cell(value):
    """``value`` as a cell that no spreadsheet takes for a formula (a text starting as one gets a
    single quote in front); a number as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


HEADER = ["文件", "行", "列", "严重程度", "规则", "类别", "说明", "位置", "原文", "建议改为"]
BOM = "\ufeff"


def stream(binary):
    """A text stream writing UTF-8 to ``binary`` (e.g. ``sys.stdout.buffer``) as it is written;
    ``detach()`` it when done, so that ``binary`` stays open."""
    import io

    return io.TextIOWrapper(binary, encoding="utf-8", newline="", errors="backslashreplace", write_through=True)


def write_header(out) -> None:
    """The BOM and the header row: what every CSV gxlint writes starts with."""
    out.write(BOM)
    csv.writer(out, lineterminator="\r\n").writerow(HEADER)


def write(results, out, rules=(), header: bool = True) -> None:
    """The rows of ``results`` (after the BOM and the header unless ``header`` is False: a batch
    writes its rows file by file)."""
    if header:
        write_header(out)
    w = csv.writer(out, lineterminator="\r\n")
    for r in results:
        if r.error is not None:
            w.writerow(map(cell, [shown(r.path), "", "", "无法读取", r.error.code, "", error_message(r), "", "", ""]))
            continue
        for f in r.findings:
            w.writerow(map(cell, [shown(r.path), f.line, f.shown_column, SEVERITY_LABELS[f.severity], f.rule,
                                  CATEGORY_LABELS.get(f.category, f.category), f.message,
                                  f.location, f.excerpt, f.fix.replacement if f.fix else ""]))
