"""Building a :class:`Report` from a :class:`Document`: title and parts, then tables."""
from __future__ import annotations

from ..model import Document, Paragraph
from ..template import FormatSpec
from .headings import find_headings, find_title
from .model import Report
from .tables import find_tables


def build_report(doc: Document, fmt: FormatSpec) -> Report:
    rep = Report(doc=doc, fmt=fmt, lines=doc.lines)
    find_headings(rep)
    find_title(rep)
    find_tables(rep)
    if doc.lines is None:
        for b in doc.blocks:
            if isinstance(b, Paragraph):
                rep.cell_texts[(b.page, b.line)] = b.text
            else:
                for row in b.rows:
                    for c in row:
                        rep.cell_texts.setdefault((c.page, c.line), c.text.split("\n", 1)[0])
    return rep

