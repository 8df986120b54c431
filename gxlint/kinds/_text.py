"""Helpers shared by the kinds that search paragraph text."""
from __future__ import annotations

from ..model import Paragraph


def paragraphs(report, scope: str = "body") -> list[Paragraph]:
    """Paragraphs a text rule looks at: `body` (all paragraphs), `title`, `headings`."""
    if scope == "title":
        return list(report.title_lines)
    if scope == "headings":
        return [h.paragraph for h in report.headings]
    return report.paragraphs
