"""A finding: what a rule reports about one place in a report."""
from __future__ import annotations

from .record import Record

SEVERITIES = ("error", "warning", "info")


class Fix(Record):
    """Replace the finding's range [line:column, end_line:end_column) with `replacement`."""

    _fields = ("replacement", "description")

    def __init__(self, replacement: str, description: str = ""):
        self.replacement = replacement
        self.description = description

    def as_dict(self) -> dict:
        return {"replacement": self.replacement, "description": self.description}


class Finding(Record):
    """What a rule reports about one place.  line: 1-based (text: the source line; docx: the
    paragraph's number; PDF: the line of the page); column, end_column: 1-based code points,
    the end exclusive; excerpt: the offending source text as it stands in the file; location: where,
    for a person (第三部分 表格三 第23行「重复申请」 总计列); display_column, display_end_column:
    the 1-based screen columns of column and end_column (a CJK character counts 2, tab stops every
    8); page: PDF, the page (line is then the line of that page), 0: not paged; masked: the excerpt
    hides personal data (each hidden character is 「*」)."""

    _fields = ("rule", "category", "severity", "message", "line", "column", "end_line", "end_column", "excerpt",
               "location", "fix", "display_column", "display_end_column", "page", "masked", "extra")

    def __init__(self, rule: str, category: str, severity: str, message: str, line: int, column: int, end_line: int,
                 end_column: int, excerpt: str, location: str = "", fix: Fix | None = None, display_column: int = 0,
                 display_end_column: int = 0, page: int = 0, masked: bool = False, extra: dict | None = None):
        self.rule = rule
        self.category = category
        self.severity = severity
        self.message = message
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.excerpt = excerpt
        self.location = location
        self.fix = fix
        self.display_column = display_column
        self.display_end_column = display_end_column
        self.page = page
        self.masked = masked
        self.extra = {} if extra is None else extra

    def holds(self, text: str) -> bool:
        """Whether `text`, found at the finding's range, is still what the finding is about
        (a hidden character of a masked excerpt stands for any)."""
        if not self.masked:
            return text == self.excerpt
        return len(text) == len(self.excerpt) and all(a == b or b == "*" for a, b in zip(text, self.excerpt))

    @property
    def shown_column(self) -> int:
        """The column every output format prints: the screen column (a CJK character counts 2, a
        tab moves to the next multiple of 8), as GNU's standards, gcc, Emacs and Vim's ``%v`` count."""
        return self.display_column or self.column

    @property
    def shown_end_column(self) -> int:
        return self.display_end_column or self.end_column

    def sort_key(self) -> tuple:
        return (self.page, self.line, self.column, self.rule)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "line": self.line,
            "column": self.shown_column,
            "end_line": self.end_line,
            "end_column": self.shown_end_column,
            "character": self.column,
            "end_character": self.end_column,
            "excerpt": self.excerpt,
            "location": self.location,
            "fix": self.fix.as_dict() if self.fix else None,
            **({"page": self.page} if self.page else {}),
        }


def hide_masked(findings: list[Finding]) -> None:
    """Hide in every excerpt the characters that a masked finding hides (personal data): a
    finding on a whole paragraph would otherwise show what the masked one keeps out of sight.
    A finding is compared only with the masked ones that may overlap it: those of its own line
    starting less than the longest mask of that line before it (found by bisection); 40,000
    findings and as many masked ones were 1.6 billion comparisons when each met every mask."""
    from bisect import bisect_left

    lines: dict[tuple, list[Finding]] = {}
    for m in findings:
        if m.masked:
            lines.setdefault((m.page, m.line), []).append(m)
    if not lines:
        return
    masks = {}  # (page, line) -> (its masks by column, their columns, the longest mask's length)
    for key, ms in lines.items():
        ms.sort(key=lambda m: m.column)
        masks[key] = (ms, [m.column for m in ms], max(m.end_column - m.column for m in ms))
    for f in findings:
        if f.masked or f.line != f.end_line or len(f.excerpt) != f.end_column - f.column:
            continue
        here = masks.get((f.page, f.line))
        if here is None:
            continue
        ms, columns, longest = here
        chars = None
        for k in range(bisect_left(columns, f.column - longest), bisect_left(columns, f.end_column)):
            m = ms[k]
            lo, hi = max(f.column, m.column), min(f.end_column, m.end_column)
            if lo >= hi:
                continue
            chars = list(f.excerpt) if chars is None else chars
            for c in range(lo, hi):
                chars[c - f.column] = m.excerpt[c - m.column]
        if chars is not None:
            f.excerpt, f.masked = "".join(chars), True
