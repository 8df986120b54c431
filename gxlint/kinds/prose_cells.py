"""``prose_cells``: a figure the prose states equals its cell in a national table.

Reports repeat the tables in words (「本年度共受理政府信息公开申请13件，办结13件」).
Each entry of ``statements`` is a regular expression with a named group ``n``
(write ``{number}`` for a whole number in Arabic or Chinese numerals: 13, 十三)
and the ``cell`` that number must equal — a table id, row label and column key
of the format, or a list of such cells whose sum it must equal.  ``context``
must occur earlier in the same sentence (``within: paragraph``: in the same
paragraph) for the statement to count::

    statements:
      - pattern: 办结(?P<n>{number})\\s*[件条]
        context: 信息公开|依申请
        cell: {table: applications, row: 总计, column: 总计}

A statement may say its figure in words instead (「未收到政府信息公开申请」: 0; 「申请均已办结」:
nothing carried over): its pattern has no group ``n`` and the entry gives the ``value`` it
means.  ``unless`` (in the same sentence) leaves a statement about something else alone
(「未发生被行政复议纠错的情况」 says nothing of how many cases there were).

No other kind reads a number out of the prose and looks it up in a table.  A
cell that is absent or not a number leaves the statement unchecked (other
rules report missing cells).  Placeholders: ``{statement}`` (the matched
text), ``{stated}``, ``{value}`` (the table's) and ``{cell}`` (where it is).
"""
from __future__ import annotations

import re

from ..report import COUNT, parse_count
from ..rule import Param
from ..regex_store import compiled
from . import _scan

PARAMS = {"statements": Param(list, required=True)}
ARGS = ("statement", "stated", "value", "cell")
NEEDS = ("tables", "figures")  # what it cannot judge a report without (gxlint.kinds.NEEDS)

_SENTENCE_END = compiled(r"[。；;！？!?]")


def _cells(entry) -> list:
    cell = entry.get("cell")
    return cell if isinstance(cell, list) else [cell]


def validate(params):
    for i, entry in enumerate(params["statements"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
            yield "statements", f"第{i + 1}项应有 pattern（正则表达式）和 cell"
            continue
        if entry.get("within", "sentence") not in ("sentence", "paragraph"):
            yield "statements", f"第{i + 1}项的 within 应为 sentence 或 paragraph"
        try:
            rx = re.compile(entry["pattern"].replace("{number}", COUNT))
            re.compile(entry.get("context") or "")
        except re.error as e:
            yield "statements", f"第{i + 1}项的正则表达式有误：{e}"
            continue
        if "n" not in rx.groupindex and not isinstance(entry.get("value"), int):
            yield "statements", f"第{i + 1}项的 pattern 应含命名组 (?P<n>…)，即要核对的数字，或给出它所说的 value（整数）"
        try:
            re.compile(entry.get("unless") or "")
        except re.error as e:
            yield "statements", f"第{i + 1}项 unless 的正则表达式有误：{e}"
        for ref in _cells(entry):
            if not isinstance(ref, dict) or not all(isinstance(ref.get(k), str) for k in ("table", "row", "column")):
                yield "statements", f"第{i + 1}项的 cell 应写作 {{table: …, row: …, column: …}}（或其列表）"


def _describe(report, ref) -> str:
    spec = report.fmt.table(ref["table"])
    table = f"表格{spec.section}" if spec else ref["table"]
    unlabelled = spec is not None and any(r.unlabelled and r.label == ref["row"] for r in spec.rows)
    row = "" if unlabelled else f"「{ref['row']}」行"
    return f"{table}{row}「{ref['column'].replace('/', '·')}」列"


def _table_value(report, refs):
    total = 0
    for ref in refs:
        lt = report.tables.get(ref["table"])
        v = lt.value(ref["row"], ref["column"]) if lt else None
        if v is None:
            return None
        total += v
    return total


def check(rule, report):
    entries = [
        (hits, compiled(e["context"]) if e.get("context") else None, e.get("within", "sentence") == "paragraph", _cells(e),
         e.get("value"), compiled(e["unless"]) if e.get("unless") else None)
        for e in rule.params["statements"]
        if (hits := _scan.in_paragraphs(report, e["pattern"].replace("{number}", COUNT)))
    ]
    for p in report.paragraphs if entries else ():
        for hits, context, whole_paragraph, refs, meant, unless in entries:
            for m in hits.get(p.text, ()):
                if context is not None:
                    starts = [0] if whole_paragraph else [0, *(s.end() for s in _SENTENCE_END.finditer(p.text, 0, m.start()))]
                    if not context.search(p.text, starts[-1], m.start()):
                        continue
                if unless is not None:
                    start = max((s.end() for s in _SENTENCE_END.finditer(p.text, 0, m.start())), default=0)
                    end = _SENTENCE_END.search(p.text, m.end())
                    if unless.search(p.text, start, end.start() if end else len(p.text)):
                        continue
                figure = "n" in m.re.groupindex
                stated = parse_count(m.group("n")) if figure else meant
                value = _table_value(report, refs)
                if stated is None or value is None or stated == value:
                    continue
                yield rule.at_text(
                    report, p, *(m.span("n") if figure else m.span()), statement=m.group(0), stated=stated,
                    value=int(value) if float(value).is_integer() else value,
                    cell=" + ".join(_describe(report, r) for r in refs),
                )
