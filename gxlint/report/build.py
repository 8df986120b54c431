"""Building a :class:`Report` from a :class:`Document`: title and parts, then tables."""
from __future__ import annotations

from ..model import Document, Paragraph
from ..template import FormatSpec, for_year
from .headings import find_headings, find_title
from .model import Report
from .tables import find_tables


def build_report(doc: Document, formats: FormatSpec | list[FormatSpec]) -> Report:
    """`doc` read as a report, against the version of the format (of `formats`, newest first) for
    its year: the title and parts are found with the newest version, which gives the year; the
    parts again when the year's version words them otherwise; then the tables."""
    if isinstance(formats, FormatSpec):
        formats = [formats]
    rep = Report(doc=doc, fmt=formats[0], lines=doc.lines)
    find_headings(rep)
    find_title(rep)
    fmt = for_year(formats, rep.year)
    if fmt is not rep.fmt:
        rep.fmt = fmt
        if fmt.sections != formats[0].sections:
            rep.headings = []
            find_headings(rep)
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
