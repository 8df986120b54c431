"""Helpers shared by the kinds that search paragraph text."""
from __future__ import annotations

import re

from ..model import Paragraph

_GROUP_REFERENCE = re.compile(r"\\(?:g<[^>]*>|\d)")


def template_problem(pattern: str, template: str) -> str:
    """What is wrong with ``template`` as the replacement of a match of ``pattern`` (a group it
    does not have, a bad escape), as ``re`` would say when the rule runs; "" when nothing is."""
    try:
        re.compile(pattern).sub(template, "")  # re checks the template before it searches
    except (re.error, IndexError) as e:  # an unknown group name: IndexError before Python 3.12
        return f"「{template}」不能用作替换：{e}（可引用的分组：{_groups(pattern)}）"
    return ""


def _groups(pattern: str) -> str:
    compiled = re.compile(pattern)
    names = [f"\\g<{n}>" for n in compiled.groupindex]
    return "、".join(names or [f"\\{i}" for i in range(1, compiled.groups + 1)]) or "无"


def literal_problem(text: str) -> str:
    """A replacement written as it stands must not look like a template (``\\g<name>``, ``\\1``):
    its rule would write the backslash into the report."""
    if _GROUP_REFERENCE.search(text):
        return f"「{text}」按原样写入报告，不能引用分组（\\g<…>、\\1）"
    return ""


def paragraphs(report, scope: str = "body") -> list[Paragraph]:
    """Paragraphs a text rule looks at: `body` (all paragraphs), `title`, `headings`."""
    if scope == "title":
        return list(report.title_lines)
    if scope == "headings":
        return [h.paragraph for h in report.headings]
    return report.paragraphs
