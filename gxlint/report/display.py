"""Display columns: where a character of a line stands on a terminal or in an editor."""
from __future__ import annotations

import unicodedata

# Columns up to which a line's display width is summed for each finding; past it, the widths of the
# whole line are found once and kept (a line with many findings far along it is one pass).
_DIRECT = 64
TAB = 8  # a tab moves to the next multiple of this many columns (Vim's %v, Emacs, a terminal)
# Below U+1100 (Hangul Jamo, the first block with wide characters) every character is one column
# wide: Latin, digits and punctuation skip the lookup of their East Asian width.
_NARROW_BELOW = 0x1100


def display_width(text: str) -> int:
    """Terminal columns taken by `text` (CJK wide and fullwidth characters count 2; a tab moves to
    the next multiple of ``TAB``, as Vim's %v, Emacs and a terminal count it)."""
    w = 0
    for ch in text:
        if ch == "\t":
            w += TAB - w % TAB
        elif ord(ch) < _NARROW_BELOW:
            w += 1
        else:
            w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def display_col(text: str, col: int, memo: dict, key) -> int:
    """1-based display column of code-point column `col` of `text`; `memo[key]` keeps the line's
    widths when `col` is far along it."""
    if col <= _DIRECT:  # most findings sit near a line's start: no table needed
        return display_width(text[: col - 1]) + 1
    widths = memo.get(key)
    if widths is None:
        widths, w = [0], 0
        for ch in text:
            w = display_width(ch) + w if ch != "\t" else w + TAB - w % TAB
            widths.append(w)
        memo[key] = widths
    return widths[min(col - 1, len(widths) - 1)] + 1
