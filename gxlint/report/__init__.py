"""A Document read against the report format: title, parts, labelled tables.

This is where a file's paragraphs and raw tables become *a report*: which paragraph is the title,
which paragraphs open the six parts, and which raw tables are the national tables, with every
value cell addressed by its row and column labels.  Rules only ever look at a Report.

* ``model``: what a report is (Report, Heading, LabelledTable, Row, LabelHit, Slot);
* ``numbers``: a table cell's number, a count in Arabic or Chinese numerals;
* ``headings``: the title, the report year, the parts' headings, the signature, the issuer;
* ``tables``: the national tables, their values and the positions wanting a number;
* ``display``: display columns of a finding (a CJK character is two columns wide);
* ``build``: ``build_report(document, format)``.
"""
from .build import build_report
from .display import display_width
from .model import Heading, LabelHit, LabelledTable, Report, Row, Slot
from .numbers import COUNT, MAX_DIGITS, parse_count, parse_number

__all__ = ["COUNT", "MAX_DIGITS", "Heading", "LabelHit", "LabelledTable", "Report", "Row", "Slot", "build_report",
           "display_width", "parse_count", "parse_number"]
