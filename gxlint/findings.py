"""A finding: what a rule reports about one place in a report."""
from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")


@dataclass
class Fix:
    """Replace the finding's range [line:column, end_line:end_column) with `replacement`."""

    replacement: str
    description: str = ""

    def as_dict(self) -> dict:
        return {"replacement": self.replacement, "description": self.description}


@dataclass
class Finding:
    rule: str
    category: str
    severity: str
    message: str
    line: int  # 1-based; text: source line; docx: paragraph number; PDF: line of the page
    column: int  # 1-based, code points
    end_line: int
    end_column: int  # exclusive
    excerpt: str  # the offending source text as it stands in the file
    location: str = ""  # human location: 第三部分 表格三 第23行「重复申请」 总计列
    fix: Fix | None = None
    display_column: int = 0  # 1-based screen column of `column` (CJK counts 2, tab stops every 8)
    display_end_column: int = 0  # the same of `end_column`
    page: int = 0  # PDF: the page (line is then the line of that page); 0: not paged
    masked: bool = False  # the excerpt hides personal data: each hidden character is 「*」
    extra: dict = field(default_factory=dict)

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
    finding on a whole paragraph would otherwise show what the masked one keeps out of sight."""
    masks = [m for m in findings if m.masked]
    for f in findings:
        if f.masked or f.line != f.end_line or len(f.excerpt) != f.end_column - f.column:
            continue
        for m in masks:
            lo, hi = max(f.column, m.column), min(f.end_column, m.end_column)
            if (f.page, f.line) != (m.page, m.line) or lo >= hi:
                continue
            chars = list(f.excerpt)
            for c in range(lo, hi):
                chars[c - f.column] = m.excerpt[c - m.column]
            f.excerpt, f.masked = "".join(chars), True
