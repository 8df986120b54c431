"""What the page shows of a result, as plain data (JSON for the page's script, which inserts every
string with ``textContent``): the report's title, issuer and year; its findings grouped by part,
each with the words in their sentence or table cell (:func:`context`), personal data masked as
the findings mask it; the audit's 无法判断 list; and, for a batch, the summary that ``--report``
writes (:func:`summary`)."""
from __future__ import annotations

import re
from collections import Counter

from ..formatters import CATEGORY_LABELS, SEVERITY_LABELS, error_message, shown
from ..model import Paragraph

PART = re.compile(r"第([一二三四五六七八九十]+)部分")
NUMERALS = "一二三四五六七八九十"
CONTEXT = 160  # characters of a long sentence or cell kept on either side of the words
ORDER = {"error": 0, "warning": 1, "info": 2}


class Texts:
    """The text of each line of a document as the findings count it: a text report's source
    lines; a paragraph's text (.docx, PDF: by page and line); each line of a table cell (a cell
    of several paragraphs has a line each, numbered from the cell's own)."""

    def __init__(self, doc):
        self.lines = doc.lines
        self.at_line: dict[tuple[int, int], str] = {}
        if self.lines is not None:
            return
        for b in doc.blocks:
            if isinstance(b, Paragraph):
                self.at_line[(b.page, b.line)] = b.text
                continue
            for row in b.rows:
                for c in row:
                    for k, text in enumerate(c.text.split("\n")):
                        self.at_line.setdefault((c.page, c.line + k), text)

    def at(self, page: int, line: int) -> str | None:
        if self.lines is not None:
            return self.lines[line - 1] if 1 <= line <= len(self.lines) else None
        return self.at_line.get((page, line))


def _span(text: str, f) -> tuple[int, int] | None:
    """Where ``f``'s words are in ``text`` (the text of its line): at its columns when they hold
    its excerpt, else where the excerpt first stands; None when they are not there."""
    a = f.column - 1
    b = f.end_column - 1 if f.end_line == f.line else len(text)
    if 0 <= a <= b <= len(text) and f.holds(text[a:b]):
        return a, b
    if f.excerpt and not f.masked and (k := text.find(f.excerpt)) >= 0:
        return k, k + len(f.excerpt)
    return None


def context(texts: Texts | None, f, findings) -> dict | None:
    """The sentence or table cell of finding ``f``: {"before", "marked", "after"}, the words it is
    about marked, each character that a masked finding of ``findings`` on the same line hides
    (personal data) shown as it shows it (「*」); None when the line is not found."""
    text = texts.at(f.page, f.line) if texts is not None else None
    if text is None:
        return None
    span = _span(text, f)
    if span is None:
        return None
    chars = list(text)
    for m in findings:
        if m.masked and (m.page, m.line) == (f.page, f.line) and (s := _span(text, m)) and s[1] - s[0] == len(m.excerpt):
            for i, ch in enumerate(m.excerpt):
                if ch == "*":
                    chars[s[0] + i] = "*"
    a, b = span
    before, after = "".join(chars[:a]), "".join(chars[b:])
    if len(before) > CONTEXT:
        before = "…" + before[-CONTEXT:]
    if len(after) > CONTEXT:
        after = after[:CONTEXT] + "…"
    return {"before": before, "marked": "".join(chars[a:b]), "after": after}


def part_of(location: str, sections: dict[str, str]) -> tuple[int, str]:
    """(order, label) of the part a finding's location names: the title and the opening first,
    then the format's parts in order (「第三部分 收到和处理政府信息公开申请情况」), then the rest."""
    m = PART.search(location)
    if m:
        number = m.group(1)
        title = sections.get(number, "")
        order = NUMERALS.index(number[-1]) + 1 if len(number) == 1 else 10 + len(number)
        return 10 + order, f"第{number}部分" + (f" {title}" if title else "")
    head = location.split(" ", 1)[0] if location else ""
    if head.startswith("标题"):
        return 0, "标题"
    if head.startswith("正文开头"):
        return 1, "正文开头"
    return 50, "其他" if head != "全文" else "全文"


def finding_view(f, texts, findings, sections) -> dict:
    return {
        "rule": f.rule, "severity": f.severity, "severity_label": SEVERITY_LABELS[f.severity],
        "category": f.category, "category_label": CATEGORY_LABELS.get(f.category, f.category),
        "message": f.message, "line": f.line, "column": f.shown_column, "page": f.page,
        "location": f.location, "excerpt": f.excerpt,
        "fix": f.fix.as_dict() if f.fix is not None else None,
        "context": context(texts, f, findings),
        "part": part_of(f.location, sections)[1],
    }


def report_view(index: int, name: str, r, texts, info: dict, sections: dict, renamed=lambda s: s) -> dict:
    """The page's view of result ``r`` (the ``index``-th of its job, shown as ``name``); ``info``:
    the report's title, issuer and year; ``renamed``: a message with the server's file names
    replaced by the names shown."""
    view = {"index": index, "name": shown(name), "error": None, "title": info.get("title", ""),
            "issuer": info.get("issuer", ""), "year": info.get("year"), "counts": {s: 0 for s in SEVERITY_LABELS},
            "groups": [], "audit": [], "downloads": {}}
    if r.error is not None:
        view["error"] = {"code": r.error.code, "message": renamed(error_message(r))}
        return view
    groups: dict[tuple[int, str], list] = {}
    for f in r.findings:
        view["counts"][f.severity] += 1
        item = finding_view(f, texts, r.findings, sections)
        item["message"] = renamed(item["message"])
        groups.setdefault(part_of(f.location, sections), []).append(item)
    view["groups"] = [{"label": label, "findings": items} for (_, label), items in sorted(groups.items())]
    from ..audit import NOT_ASSESSABLE

    view["audit"] = [{"rule": a.rule, "title": a.title or a.name, "reason": a.reason}
                     for a in r.audit or () if a.status == NOT_ASSESSABLE]
    return view


def report_info(report) -> dict:
    """The title, issuer and year of a report as read (empty when it says none)."""
    if report is None:
        return {}
    return {"title": report.title_text, "issuer": report.issuer(), "year": report.year}


def summary(views: list[dict], titles: dict[str, str]) -> dict:
    """The summary of a batch, as ``--report summary.html`` gives it: totals, findings by category,
    the reports worst first (with their counts by category), the most frequent rules."""
    cats, rules, files = Counter(), Counter(), Counter()
    rows = []
    for v in views:
        c = Counter(f["category"] for g in v["groups"] for f in g["findings"])
        cats.update(c)
        ids = [f["rule"] for g in v["groups"] for f in g["findings"]]
        rules.update(ids)
        files.update(set(ids))
        n = v["counts"]
        rows.append({"index": v["index"], "name": v["name"], "title": v["title"],
                     "error": f"{v['error']['code']} {v['error']['message']}" if v["error"] else None,
                     "errors": n["error"], "warnings": n["warning"], "infos": n["info"], "categories": dict(c)})
    rows.sort(key=lambda r: (r["error"] is None, -r["errors"], -r["warnings"], -r["infos"], r["name"]))
    columns = [c for c in CATEGORY_LABELS if cats.get(c)] + sorted(c for c in cats if c not in CATEGORY_LABELS)
    return {
        "reports": len(views),
        "clean": sum(1 for r in rows if r["error"] is None and not (r["errors"] or r["warnings"] or r["infos"])),
        "broken": sum(1 for r in rows if r["error"] is not None),
        "counts": {s: sum(r[k] for r in rows) for s, k in (("error", "errors"), ("warning", "warnings"), ("info", "infos"))},
        "categories": [{"category": c, "label": CATEGORY_LABELS.get(c, c), "count": cats[c]} for c in columns],
        "rows": rows,
        "rules": [{"rule": r, "title": titles.get(r, ""), "count": n, "files": files[r]}
                  for r, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0]))[:15]],
    }
