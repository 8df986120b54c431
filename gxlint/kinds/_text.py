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


def in_sections(report, wanted: set[str]) -> list[Paragraph]:
    """The paragraphs of the parts ``wanted`` (引言: before the first part), headings and title excluded."""
    skip = {id(h.paragraph) for h in report.headings} | {id(t) for t in report.title_lines}
    out = []
    current = "引言"
    marks = {h.position: h.section.number for h in report.headings}
    for i, b in enumerate(report.doc.blocks):
        current = marks.get(i, current)
        if isinstance(b, Paragraph) and id(b) not in skip and current in wanted:
            out.append(b)
    return out


# --------------------------------------------------------------------------- a paragraph's lines joined

# A line that a PDF or a web page broke off a sentence ends with no closing punctuation; a
# heading, a title line and a short line (a label, a sub-heading without its 。) are no such
# piece, and neither is a line that opens with a heading number.
_CLOSED = "。！？!?；;：:」』”）)】"
_NUMBERED = r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[.．、](?!\d))"
_BROKEN_MIN = 20  # characters of a line broken by the width of a page


class Joined:
    """Paragraphs that are one paragraph broken over lines, joined: ``text`` and, for each
    piece, (paragraph, where its text starts in ``text``)."""

    __slots__ = ("text", "pieces")

    def __init__(self, text: str, pieces: list):
        self.text = text
        self.pieces = pieces

    def locate(self, start: int, end: int):
        """(paragraph, start, end) of characters [start, end) of ``text``: in the piece where they
        start, the end clipped to that piece; and whether it was clipped."""
        para, at = self.pieces[0]
        for p, offset in self.pieces:
            if offset <= start:
                para, at = p, offset
        s, e = start - at, end - at
        return para, s, min(e, len(para.text)), e > len(para.text)


def joined(report) -> list[Joined]:
    """The report's paragraphs with the lines of a paragraph broken by a PDF or a web page joined
    (each other paragraph alone), once per report."""
    out = report.memo.get("text.joined")
    if out is not None:
        return out
    from ._scan import search

    apart = {id(h.paragraph) for h in report.headings} | {id(t) for t in report.title_lines}
    out = []
    current = None
    for p in report.paragraphs:
        text = p.text
        stripped = text.rstrip()
        if (current is not None and id(p) not in apart and stripped.strip()
                and search(_NUMBERED, text) is None):
            current.pieces.append((p, len(current.text)))
            current.text += text
        else:
            current = Joined(text, [(p, 0)])
            out.append(current)
        open_end = (id(p) not in apart and len(stripped.strip()) >= _BROKEN_MIN and stripped[-1:] not in _CLOSED)
        if not open_end:
            current = None
    report.memo["text.joined"] = out
    return out


def at_joined(rule, report, block: Joined, start: int, end: int, /, fix: str | None = None, **args):
    """A finding on characters [start, end) of a joined paragraph (in the line where they start;
    a fix only when they lie in that line)."""
    para, s, e, clipped = block.locate(start, end)
    return rule.at_text(report, para, s, e, fix=None if clipped else fix, **args)
