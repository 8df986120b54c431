"""The document model: what a report *is*, whatever file it came from.

Readers (``gxlint.readers``) build a :class:`Document`; nothing here knows about
files, XML or rules.  Every piece of text carries a location a person can follow:

* text and Markdown: ``line`` is the 1-based source line, ``col`` the 1-based
  column (in code points) where the piece's text starts on that line;
* .docx: ``line`` is the 1-based number of the paragraph in document order
  (every ``w:p`` of the body, table cells included, counts once), ``col`` the
  1-based code point in that paragraph's accepted-view text;
* PDF: ``page`` is the 1-based page the piece starts on and ``line`` the 1-based
  text line on that page, counted from the top as pdfplumber's
  ``extract_text_lines`` counts them (table text and page numbers included),
  ``col`` the 1-based code point in the piece's text (a paragraph's lines
  joined).  A finding's ``line`` is then that line of the page, and its location
  label starts with 「第N页」.  ``page`` is 0 for every other format (not paged).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(slots=True)
class Paragraph:
    """One paragraph (docx, PDF) or one non-empty line outside tables (text)."""

    text: str
    line: int
    col: int = 1
    number: str = ""  # list number Word renders in front of the text ("一、"), not in `text`
    style: str = ""  # docx style name ("Heading 1"), "" for text
    heading_level: int | None = None  # Markdown "#" count or docx heading/outline level
    page: int = 0  # PDF: 1-based page of the first line; 0: not paged

    @property
    def shown(self) -> str:
        """The paragraph as a reader sees it: Word's list number, then the text."""
        return self.number + self.text


@dataclass(slots=True)
class Cell:
    """One origin cell of a table (a merged cell appears once)."""

    text: str
    line: int
    col: int
    row: int  # 0-based row index within the table
    column: int  # 0-based grid column of the cell's first grid position
    rowspan: int = 1
    colspan: int = 1
    page: int = 0  # PDF: 1-based page of the cell; 0: not paged


@dataclass(slots=True)
class Table:
    """A table as the reader found it: rows of origin cells, in reading order.

    ``grid`` is True when ``Cell.column`` values are real grid positions (docx,
    Markdown pipe tables) and False when the reader only knows the order of the
    cells in a row (tab-separated text whose empty cells are unreliable).
    """

    rows: list[list[Cell]]
    line: int
    grid: bool = True


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """A report as read from one file: paragraphs and tables in reading order."""

    path: str
    format: str  # "docx" | "text" | "markdown" | "pdf"
    blocks: list[Block] = field(default_factory=list)
    encoding: str | None = None  # text formats: the encoding the file was decoded with
    lines: list[str] | None = None  # text formats: the source lines (for display columns)

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
