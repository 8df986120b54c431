"""Plain-text and Markdown reader.

Decodes the file (BOM, UTF-8, GB18030, else a clear error) and splits it into
paragraphs (one per non-empty line) and tables, by what the text contains, not by
the file's name: Markdown's ``#`` headings and pipe tables are read in a .txt too.
Reports extracted from PDF or Word arrive with their tables in one of these shapes,
all read here:

* tab-separated rows: one row per line, cells split by tabs (rows may be torn
  over two lines and label cells torn apart: the labels are matched later);
* one cell per line: each cell on a line of its own starting with a tab, rows
  separated by an empty line, a cell's text possibly continued on following
  lines that have no tab;
* Markdown pipe tables (``| a | b |`` with a ``|---|`` separator line);
* rows of cells separated by ``|`` without outer pipes or a separator line (text copied from a
  web page), three lines or more, a short line of one cell (a block title) among them; when every
  cell of such rows is a label and its number (「行政复议：结果维持 3 | 结果纠正 0 | …」, one line
  per block of 表格四), the lines become one table of group, label and number rows;
* no mark of a cell at all (a .docx saved as text by LibreOffice or WPS: a cell a line; text
  copied out of a PDF: a row's numbers on one line, labels broken over lines): found among
  the paragraphs by the format's labels (``formats``; readers.cells).

A part's heading right below a table (Word's text save leaves no blank line) ends the table.
"""
from __future__ import annotations

import codecs
import os
import re

from ..errors import E_BINARY, E_EMPTY, E_ENCODING, E_OS, E_TOO_LARGE, InputError
from ..model import Cell, Document, Paragraph, Table
from . import MAX_PARAGRAPHS, too_many

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _plausible(text: str) -> bool:
    """True when text decoded as GB18030 looks like Chinese prose, not mojibake."""
    common = 0
    for ch in text:
        o = ord(ch)
        if (
            o < 0x80
            or 0x4E00 <= o <= 0x9FFF
            or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF
            or 0x2000 <= o <= 0x206F
            or 0x2460 <= o <= 0x24FF
            or 0x00B7 == o
        ):
            common += 1
    return common >= 0.95 * max(len(text), 1)


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad / max(len(text), 1)


def text_codec(name: str) -> str | None:
    """The codec name of text encoding `name`, or None: unknown, or a codec that is no text
    encoding (rot13, base64, zlib, hex...) or that refuses every input (undefined)."""
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        return None
    return info.name


def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when `head` (with NUL bytes) reads as text in that encoding."""
    head = head[: len(head) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text) and _control_ratio(text) < 0.02:
            return enc
    return None


def decode(raw: bytes, path: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (encoding, text) or raise InputError with a hint about --encoding."""
    if not raw:
        raise InputError(E_EMPTY, f"{path}: 文件为空")
    if encoding:
        codec = text_codec(encoding)
        if codec is None:
            raise InputError(E_ENCODING, f"{path}: 不认识的文本编码「{encoding}」（例如 utf-8、gb18030、utf-16）") from None
        try:
            return encoding, raw.decode(codec)
        except UnicodeDecodeError as e:
            raise InputError(
                E_ENCODING, f"{path}: 按 {encoding} 解码失败（第 {e.start} 字节），请换一个 --encoding"
            ) from None
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return enc, raw.decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(E_ENCODING, f"{path}: 文件以 {enc} BOM 开头，但第 {e.start} 字节无法解码") from None
    if b"\x00" in raw[:65536]:
        utf16 = _utf16_without_bom(raw[:65536])
        if utf16:
            raise InputError(E_ENCODING, f"{path}: 文本似乎是没有 BOM 的 {utf16}，无法可靠识别，"
                                         f"请另存为 UTF-8，或用 --encoding {utf16} 指定编码")
        raise InputError(E_BINARY, f"{path}: 这是二进制文件，不是文本报告（含 NUL 字节）")
    try:
        text = raw.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
            enc = "gb18030"
        except UnicodeDecodeError as e:
            raise InputError(
                E_ENCODING,
                f"{path}: 无法确定文本编码（既不是 UTF-8 也不是 GB18030，第 {e.start} 字节出错），"
                f"请另存为 UTF-8，或用 --encoding 指定编码{_guess_hint(raw)}",
            ) from None
        if not _plausible(text):
            raise InputError(
                E_ENCODING,
                f"{path}: 无法确定文本编码（按 GB18030 解码得到的不像正常文字），"
                f"请另存为 UTF-8，或用 --encoding 指定编码{_guess_hint(raw)}",
            )
    if _control_ratio(text[:65536]) > 0.02:
        raise InputError(E_BINARY, f"{path}: 这是二进制文件，不是文本报告（含大量控制字符）")
    return enc, text


def _guess_hint(raw: bytes) -> str:
    """On the error path only: ask charset-normalizer for a likely encoding, if installed."""
    try:
        from charset_normalizer import from_bytes  # optional, error path only
    except ImportError:
        return ""
    best = from_bytes(raw[:65536]).best()
    return f"（可能是 {best.encoding}，例如 --encoding {best.encoding}）" if best else ""


# A real report is 30-300 KB of text; 4 MiB is ten times the longest seen.  Beyond it the
# file is not a report (or is many pasted together), and linting it would take minutes.
MAX_TEXT = 4 * 2**20


def read_text(path: str, encoding: str | None = None, markdown: bool | None = None, formats=()) -> Document:
    """Read a text or Markdown file; `formats` (FormatSpec objects): the report formats whose
    table labels find the tables that reached the text without their grid (readers.cells)."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_TEXT + 1)
            if len(raw) > MAX_TEXT:
                size = max(os.fstat(f.fileno()).st_size, len(raw)) / 2**20
                raise InputError(E_TOO_LARGE, f"{path}: 文本文件过大（超过 {size:.1f} MiB，上限 {MAX_TEXT // 2**20} MiB），"
                                              "年度报告的正文通常不足 1 MiB，请确认选对了文件")
    except IsADirectoryError:
        raise InputError(E_OS, f"{path}: 是目录，不是文件") from None
    except OSError as e:
        raise InputError(E_OS, f"{path}: 无法读取（{e.strerror}）") from None
    enc, text = decode(raw, path, encoding)
    lines = text.count("\n")
    if lines > MAX_PARAGRAPHS:
        raise too_many(path, lines, "行数")
    doc = parse_text(text, path, markdown=markdown, formats=formats)
    doc.encoding = enc
    return doc


# --------------------------------------------------------------------------- parsing

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEP = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")  # linear: no two \s* adjacent
_MD_HEADING = re.compile(r"^(#{1,6})\s+")


def parse_text(text: str, path: str = "<text>", markdown: bool = False, formats=()) -> Document:
    """The Document of a text, read by what it contains whatever its file is called: Markdown's
    ``#`` headings and pipe tables in a .txt are read as such, and a .md of plain text as plain
    text (``Document.format`` says "markdown" when Markdown was found, or when `markdown` says
    the file is Markdown).  `formats`: as for readers.read."""
    lines = text.split("\n")
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    doc = Document(path=path, format="markdown" if markdown else "text", lines=lines)  # (Markdown found: "markdown")
    blocks = doc.blocks
    labels = None
    if formats:
        from .cells import format_labels

        labels = format_labels(formats)
    heading = labels.part_heading if labels is not None else None
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if "\t" in line and line.strip():
            end = _tab_block_end(lines, i, heading)
            start = i
            if labels is not None and blocks and isinstance(blocks[-1], Paragraph) and blocks[-1].line == i \
                    and labels.starts_table(blocks[-1].text):
                blocks.pop()  # a row of one cell just above (the block title 「第二十条第（一）项」): no tab in it
                start = i - 1
            blocks.append(_tab_table(lines, start, end))
            i = end
            continue
        if "|" in line and _PIPE_ROW.match(line) and i + 1 < n and _PIPE_SEP.match(lines[i + 1]):
            end = i + 2
            while end < n and _PIPE_ROW.match(lines[end]):
                end += 1
            blocks.append(_pipe_table(lines, i, end))
            doc.format = "markdown"
            i = end
            continue
        if "|" in line and (end := _bare_block_end(lines, i, heading)) > i:
            start = i
            if blocks and isinstance(blocks[-1], Paragraph) and blocks[-1].line == i and _CAPTION.match(blocks[-1].text):
                blocks.pop()  # a one-cell first row (a block title spanning the table) just above
                start = i - 1
            blocks.append(_bare_table(lines, start, end))
            i = end
            continue
        stripped = line.strip()
        if stripped:
            start = len(line) - len(line.lstrip())
            level = None
            if line[start] == "#" and (m := _MD_HEADING.match(line[start:])):
                level = len(m.group(1))
                start += m.end()
                doc.format = "markdown"
            body = line[start:].rstrip()
            if body:
                blocks.append(Paragraph(text=body, line=i + 1, col=start + 1, heading_level=level))
        i += 1
    if labels is not None:
        from .cells import regroup

        doc.blocks = regroup(blocks, labels)
    return doc


def _tab_block_end(lines: list[str], i: int, heading=None) -> int:
    """Index one past the last line of the tab-table block starting at line i.

    The block goes on over lines with tabs; over empty lines when the next
    non-empty line has a tab; and over lines without a tab that directly
    follow a block line (a torn row or a cell continued on the next line),
    unless such a line is prose (a sentence, longer than any cell's line) or a
    part's heading (``heading(line)``: a .docx saved as text by Word puts the
    next part's heading right below a table, with no blank line between).
    """
    n = len(lines)
    j = i + 1
    while j < n:
        ln = lines[j]
        if "\t" in ln:
            j += 1
        elif ln == "":
            k = j
            while k < n and lines[k] == "":
                k += 1
            if k < n and "\t" in lines[k]:
                j = k
            else:
                return j
        elif (len(ln) > _CELL_LINE and "。" in ln) or (heading is not None and heading(ln)):
            return j
        else:
            j += 1  # directly follows a block line: continuation
    return j


# A line of a table cell is no longer than this (a line of prose is: with its full stop, it ends a table).
_CELL_LINE = 40


def _first_text_pos(lines: list[str], line_idx: int, col0: int, text: str) -> tuple[int, int]:
    """1-based (line, col) of the first non-space character of a cell starting at (line_idx, col0)."""
    lead = len(text) - len(text.lstrip())
    consumed = text[:lead]
    nl = consumed.count("\n")
    if nl:
        return line_idx + 1 + nl, lead - consumed.rfind("\n")
    return line_idx + 1, col0 + lead + 1


def _bare_block_end(lines: list[str], i: int, heading=None) -> int:
    """One past the last line of a run of bare ``a | b`` rows starting at line i, or i when the run
    is too short to be a table (three rows; a short one-cell line between two rows belongs to it,
    unless it is a part's heading, ``heading(line)``).  A row may start or end with a pipe (a
    merged cell's empty places: 「 |  | 自然人 | 法人或其他组织 |  | 总计」); a row followed by a
    ``|---|`` line begins a Markdown table instead."""
    n, j, rows = len(lines), i, 0
    while j < n:
        ln = lines[j].strip()
        if "|" in ln and not _PIPE_SEP.match(ln) and not _md_table_at(lines, j):
            rows += 1
            j += 1
        elif ln and len(ln) <= 40 and "\t" not in ln and rows and j + 1 < n and "|" in lines[j + 1] \
                and not _md_table_at(lines, j + 1) and not (heading is not None and heading(ln)):
            j += 1
        else:
            break
    return j if rows >= 3 else i


def _md_table_at(lines: list[str], j: int) -> bool:
    """True when a Markdown pipe table (a row, then its ``|---|`` line) begins at line j."""
    return _PIPE_ROW.match(lines[j]) is not None and j + 1 < len(lines) and _PIPE_SEP.match(lines[j + 1]) is not None


# a short line that can be a one-cell row: no sentence punctuation, not a numbered heading (一、 （一）)
_CAPTION = re.compile(r"^(?![一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])[^。；;，,|]{1,30}$")
# a label and its number (「结果维持 3」), after its group (「行政复议：」): the label starts and ends on a
# non-space, so the spaces around it are split one way only (linear on any line)
_LABELLED_NUMBER = re.compile(
    r"^(?:(?P<group>[^|:：]{2,30})[:：])?\s*(?P<label>[^|\d\s](?:[^|\d]{0,18}[^|\d\s])?)\s*(?P<number>-?\d+(?:\.\d+)?)$")


def _bare_table(lines: list[str], start: int, end: int) -> Table:
    pairs = []  # per line: (match of the cell stripped, so no run of spaces for the pattern to try; its offset)
    for ln in lines[start:end]:
        row, offset = [], 0
        for c in ln.split("|"):
            row.append((_LABELLED_NUMBER.match(c.strip()), offset + len(c) - len(c.lstrip())))
            offset += len(c) + 1
        pairs.append(row)
    if all(all(m for m, _ in row) and not any(m.group("group") for m, _ in row[1:]) for row in pairs):
        return _labelled_numbers_table(start, pairs)
    return _tab_table(lines, start, end, sep="|")


def _labelled_numbers_table(start: int, pairs) -> Table:
    """「行政复议：结果维持 3 | 结果纠正 0 | …」, a line a block: a grid of group, label and number rows."""
    groups, labels, numbers, column = [], [], [], 0
    for k, ms in enumerate(pairs):
        idx = start + k
        for j, (m, cell_start) in enumerate(ms):
            if j == 0 and m.group("group"):
                groups.append(Cell(text=m.group("group").strip(), line=idx + 1, col=cell_start + m.start("group") + 1,
                                   row=0, column=column, colspan=len(ms)))
            labels.append(Cell(text=m.group("label").strip(), line=idx + 1, col=cell_start + m.start("label") + 1,
                               row=1, column=column + j))
            numbers.append(Cell(text=m.group("number"), line=idx + 1, col=cell_start + m.start("number") + 1,
                                row=2, column=column + j))
    column += len(ms)
    if not groups:
        for c in labels:
            c.row = 0
        for c in numbers:
            c.row = 1
    return Table(rows=[r for r in (groups, labels, numbers) if r], line=start + 1, grid=True)


def _tab_table(lines: list[str], start: int, end: int, sep: str = "\t") -> Table:
    tab_lines = [ln for ln in lines[start:end] if sep in ln]
    cell_per_line = sep == "\t" and all(ln.startswith("\t") and ln.count("\t") == 1 for ln in tab_lines)
    rows: list[list[Cell]] = []
    if cell_per_line:
        row: list[list] = []  # [text, line_idx, col0]
        for idx in range(start, end):
            ln = lines[idx]
            if ln == "":
                if row:
                    rows.append(_cells(lines, row, len(rows)))
                    row = []
            elif ln.startswith("\t"):
                row.append([ln[1:], idx, 1])
            elif row:
                row[-1][0] += "\n" + ln
            else:
                row.append([ln, idx, 0])
        if row:
            rows.append(_cells(lines, row, len(rows)))
    else:
        for idx in range(start, end):
            ln = lines[idx]
            if not ln.strip():
                continue
            parts, col0, raw_cells = ln.split(sep), 0, []
            for part in parts:
                raw_cells.append([part, idx, col0])
                col0 += len(part) + 1
            rows.append(_cells(lines, raw_cells, len(rows)))
    rows = [r for r in rows if r]
    for r_i, r in enumerate(rows):
        for c in r:
            c.row = r_i
    return Table(rows=rows, line=start + 1, grid=False)


def _cells(lines: list[str], raw_cells: list, row_idx: int) -> list[Cell]:
    out = []
    for pos, (text, line_idx, col0) in enumerate(raw_cells):
        stripped = text.strip()
        if not stripped:
            continue
        line, col = _first_text_pos(lines, line_idx, col0, text)
        out.append(Cell(text=stripped, line=line, col=col, row=row_idx, column=pos))
    return out


def _split_pipes(line: str) -> list[tuple[str, int]]:
    """Cells of a pipe-table line with the 0-based column where each cell starts."""
    s = line.rstrip()
    cells, buf, start, i = [], [], None, 0
    first = s.index("|")
    i = first + 1
    start = i
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] == "|":
            buf.append("|")
            i += 2
            continue
        if ch == "|":
            cells.append(("".join(buf), start))
            buf, start = [], i + 1
        else:
            buf.append(ch)
        i += 1
    if buf and "".join(buf).strip():
        cells.append(("".join(buf), start))
    return cells


def _pipe_table(lines: list[str], start: int, end: int) -> Table:
    rows: list[list[Cell]] = []
    for idx in range(start, end):
        if idx == start + 1:  # the |---| separator
            continue
        row = []
        for pos, (text, col0) in enumerate(_split_pipes(lines[idx])):
            stripped = text.strip()
            if not stripped:
                continue
            lead = len(text) - len(text.lstrip())
            row.append(Cell(text=stripped, line=idx + 1, col=col0 + lead + 1, row=len(rows), column=pos))
        rows.append(row)
    return Table(rows=rows, line=start + 1, grid=True)
