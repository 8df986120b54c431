"""Apply the findings' fixes to a .txt or .md report, keeping its bytes otherwise as they were.

The file is decoded as the text reader decodes it (so lines and columns mean
what they meant to the linter) and encoded back the same way: same encoding,
same byte-order mark, same line endings (a replacement's line breaks follow
the file's: CRLF stays CRLF).  A fix is skipped when its range no longer holds
the finding's excerpt, when it overlaps a fix applied before it, or when the
encoding cannot hold its replacement.
"""
from __future__ import annotations

import codecs
import difflib
import re

from ..errors import E_OS, InputError
from ..findings import Finding
from ..readers.text import decode
from . import DisjointRanges

# codecs that decode a byte-order mark away: the mark to write back, and the codec for the rest
_BOM_CODECS = {
    "utf-8-sig": ((codecs.BOM_UTF8, "utf-8"),),
    "utf-16": ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")),
    "utf-32": ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")),
}


def fix_text(path: str, findings: list[Finding], encoding: str | None = None) -> tuple[bytes, int]:
    """The bytes of ``path`` with the findings' fixes applied, and how many were applied.

    ``encoding`` is the one given to the linter (``--encoding``), if any.
    """
    raw, text, bom, codec = _load(path, encoding)
    starts = _line_starts(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    chosen = DisjointRanges()
    for f in findings:
        if f.fix is None:
            continue
        a, b = _offset(text, starts, f.line, f.column), _offset(text, starts, f.end_line, f.end_column)
        if a is None or b is None or a > b or not f.holds(text[a:b].replace("\r\n", "\n")):
            continue
        new = f.fix.replacement.replace("\r\n", "\n").replace("\n", newline)
        try:
            new.encode(codec)
        except UnicodeEncodeError:
            continue
        chosen.add(a, b, new)
    if not chosen.items:
        return raw, 0
    pieces, at = [], 0
    for a, b, new in zip(chosen.starts, chosen.ends, chosen.items):
        pieces += [text[at:a], new]
        at = b
    pieces.append(text[at:])
    return bom + "".join(pieces).encode(codec), len(chosen.items)


def unified_diff(path: str, new_data: bytes, encoding: str | None = None, findings: list[Finding] = ()) -> str:
    """A unified diff (``a/path`` → ``b/path``) from the file at ``path`` to ``new_data``
    (as returned by :func:`fix_text`); "" when they are the same.  What the masked ``findings``
    hide (personal data) is shown masked wherever it stands in the diff, as every other output
    shows it."""
    _, old, bom, codec = _load(path, encoding)
    new = new_data[len(bom):].decode(codec)
    starts = _line_starts(old)
    masks = {}
    for f in findings:
        a, b = _offset(old, starts, f.line, f.column), _offset(old, starts, f.end_line, f.end_column)
        if f.masked and a is not None and b is not None and b - a == len(f.excerpt):
            masks[old[a:b]] = f.excerpt
    old, new = _hide(old, masks), _hide(new, masks)
    out = []
    for line in difflib.unified_diff(_lines(old), _lines(new), f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _hide(text: str, masks: dict[str, str]) -> str:
    """``text`` with every occurrence of a key of ``masks`` replaced by its value (the longest
    first where they start at one place), in one pass: only the places holding a first character
    of some key are tried, each with the few lengths the keys have (replacing each of 40,000
    numbers in turn was 40,000 passes over the text)."""
    if not masks:
        return text
    lengths = sorted({len(k) for k in masks}, reverse=True)
    first = re.compile("[" + "".join(re.escape(c) for c in sorted({k[0] for k in masks})) + "]")
    out, at = [], 0
    m = first.search(text)
    while m is not None:
        i = m.start()
        raw = next((text[i:i + n] for n in lengths if text[i:i + n] in masks), None)
        if raw is None:
            m = first.search(text, i + 1)
            continue
        out += [text[at:i], masks[raw]]
        at = i + len(raw)
        m = first.search(text, at)
    out.append(text[at:])
    return "".join(out)


def _load(path: str, encoding: str | None) -> tuple[bytes, str, bytes, str]:
    """(raw bytes, text as the reader decodes it, byte-order mark, codec to encode text back)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError(E_OS, f"{path}: 无法读取（{e.strerror or e}）") from None
    enc, text = decode(raw, path, encoding)
    name = codecs.lookup(enc).name
    for bom, codec in _BOM_CODECS.get(name, ()):
        if raw.startswith(bom):
            return raw, text, bom, codec
    if name in ("utf-16", "utf-32"):  # no mark: Python read it little-endian
        return raw, text, b"", name + "-le"
    return raw, text, b"", enc


def _line_starts(text: str) -> list[int]:
    """Offset in ``text`` where each line starts."""
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def _offset(text: str, starts: list, line: int, col: int) -> int | None:
    """Offset of (line, col) in ``text``: 1-based, columns in code points, a line without its CR."""
    if not 1 <= line <= len(starts):
        return None
    start = starts[line - 1]
    end = starts[line] - 1 if line < len(starts) else len(text)
    if text[start:end].endswith("\r"):
        end -= 1
    return start + col - 1 if 1 <= col <= end - start + 1 else None


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [x + "\n" for x in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
