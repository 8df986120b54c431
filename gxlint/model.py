"""The document model: what a report *is*, whatever file it came from.

Readers (``gxlint.readers``) build a :class:`Document`; nothing here knows about
files, XML or rules.  Every piece of text carries a location a person can follow:

* text and Markdown: ``line`` is the 1-based source line, ``col`` the 1-based
  column (in code points) where the piece's text starts on that line;
* .docx: ``line`` is the 1-based number of the paragraph in document order
  (every ``w:p`` of the body, table cells included, counts once), ``col`` the
  1-based code point in that paragraph's accepted-view text;
* PDF: ``page`` is the 1-based page the piece starts on and ``line`` the 1-based
  text line on that page, counted from the top as the layout (gxlint/readers/layout.py) makes
  them (table text and page numbers included),
  ``col`` the 1-based code point in the piece's text (a paragraph's lines
  joined).  A finding's ``line`` is then that line of the page, and its location
  label starts with 「第N页」.  ``page`` is 0 for every other format (not paged).
"""
from __future__ import annotations

from .record import Record


class Paragraph(Record):
    """One paragraph (docx, PDF) or one non-empty line outside tables (text).

    number: the list number Word renders in front of the text ("一、"), not in ``text``;
    style: the docx style name ("Heading 1"), "" for text; heading_level: the Markdown "#" count
    or docx heading/outline level; page: PDF, the 1-based page of the first line (0: not paged)."""

    __slots__ = _fields = ("text", "line", "col", "number", "style", "heading_level", "page")

    def __init__(self, text: str, line: int, col: int = 1, number: str = "", style: str = "",
                 heading_level: int | None = None, page: int = 0):
        self.text = text
        self.line = line
        self.col = col
        self.number = number
        self.style = style
        self.heading_level = heading_level
        self.page = page

    @property
    def shown(self) -> str:
        """The paragraph as a reader sees it: Word's list number, then the text."""
        return self.number + self.text


class Cell(Record):
    """One origin cell of a table (a merged cell appears once): row, its 0-based row index within
    the table; column, the 0-based grid column of its first grid position; page: PDF, the 1-based
    page of the cell (0: not paged)."""

    __slots__ = _fields = ("text", "line", "col", "row", "column", "rowspan", "colspan", "page")

    def __init__(self, text: str, line: int, col: int, row: int, column: int, rowspan: int = 1, colspan: int = 1,
                 page: int = 0):
        self.text = text
        self.line = line
        self.col = col
        self.row = row
        self.column = column
        self.rowspan = rowspan
        self.colspan = colspan
        self.page = page


class Table(Record):
    """A table as the reader found it: rows of origin cells, in reading order.

    ``grid`` is True when ``Cell.column`` values are real grid positions (docx,
    Markdown pipe tables) and False when the reader only knows the order of the
    cells in a row (tab-separated text whose empty cells are unreliable).
    ``unplaced``: what the reader saw of the table but could not place, as (0-based index of the
    row it stood in, or before which it stood; its text): label fragments of a table that reached
    text without its grid that spell no label; empty when everything was placed.
    """

    __slots__ = _fields = ("rows", "line", "grid", "unplaced")

    def __init__(self, rows: list[list[Cell]], line: int, grid: bool = True, unplaced: list[tuple[int, str]] | None = None):
        self.rows = rows
        self.line = line
        self.grid = grid
        self.unplaced = [] if unplaced is None else unplaced


Block = Paragraph | Table  # (not typing.Union: typing costs a cold start 5 ms)


class Document(Record):
    """A report as read from one file: paragraphs and tables in reading order.  format: "docx",
    "text", "markdown", "pdf"...; encoding: text formats, the encoding the file was decoded with;
    lines: text formats, the source lines (for display columns); review_comments: docx, whether
    the package has a part named like Word's review comments (False: no comment can stand in it;
    None: not known)."""

    _fields = ("path", "format", "blocks", "encoding", "lines", "review_comments")

    def __init__(self, path: str, format: str, blocks: list[Block] | None = None,  # noqa: A002 - the field's name
                 encoding: str | None = None, lines: list[str] | None = None, review_comments: bool | None = None):
        self.path = path
        self.format = format
        self.blocks = [] if blocks is None else blocks
        self.encoding = encoding
        self.lines = lines
        self.review_comments = review_comments

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
