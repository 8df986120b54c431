"""Normalising and matching the labels of headings, rows and columns.

Labels are short (4-30 characters), so a ratio threshold is fragile: 本年制发件数
and 本年废止件数 are different real labels only two edits apart.  A label
matches a canonical label when the normalised texts are equal, or else when
the absolute edit distance is within a small budget *and* the best candidate
is unique.  The distance (gxlint.distance: rapidfuzz) is imported only when
an exact match fails, so a clean report never pays for it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .record import Record

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "〝": '"', "〞": '"'})
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．,，]|\(?[一二三四五六七八九十]+\)[、.．]?|\(?\d+\)[、.．]?|\d+[.．、](?!\d)|[①-⑳])+"
)
_SPACE = re.compile(r"\s+")
# Full-width ASCII and the ideographic space, as NFKC maps them.  Chinese text is full of （，：；）,
# which make unicodedata.normalize take its slow path; mapped first, most paragraphs are then
# found normalised by the quick check.  The result is NFKC's: these characters' decompositions
# are exactly the single ASCII characters.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, twice as fast on Chinese text."""
    text = text.translate(_WIDE)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """NFKC, no whitespace, plain quotes: the form labels are compared in."""
    return _SPACE.sub("", nfkc(text)).translate(_QUOTES)


@lru_cache(maxsize=8192)
def strip_enum(text: str) -> str:
    """Normalised label without its leading enumerator (一、 （三） 1. ①)."""
    return _ENUM.sub("", normalize(text))


def enumerator(text: str) -> str:
    """The leading enumerator of a label as written, '' when there is none."""
    n = normalize(text)
    m = _ENUM.match(n)
    return m.group(0) if m else ""


def budget(canonical: str) -> int:
    """Edits allowed for a fuzzy match against `canonical` (absolute, by length)."""
    n = len(canonical)
    return 1 if n <= 6 else 2 if n <= 12 else 3


class Match(Record):
    """A label matched: ``canonical``, the candidate as given (not normalised); ``distance``, 0 for
    an exact match.  Not changed once made (matches are memoised), so hashable."""

    __slots__ = _fields = ("canonical", "distance")

    def __init__(self, canonical: str, distance: int):
        self.canonical = canonical
        self.distance = distance

    def __hash__(self) -> int:
        return hash((self.canonical, self.distance))


def _distance(a: str, b: str) -> int:
    from .distance import distance  # lazy: only when an exact match failed

    return distance(a, b)


_MEMO: dict = {}  # (text, candidates, lenient) -> Match | None: reports of one template repeat their labels
_MEMO_SIZE = 50_000


def match(text: str, candidates: list[str] | tuple[str, ...], *, lenient: bool = False) -> Match | None:
    """Best candidate for `text`, or None.

    Both sides are compared without enumerators.  `lenient` allows one more
    edit per third of the label: for a header that can only be one of a few
    known columns (its block's), where a dropped word (本年处理决定 for
    本年处理决定数量) is still unambiguous.
    """
    key = (text, tuple(candidates), lenient)
    try:
        return _MEMO[key]
    except KeyError:
        pass
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    got = _MEMO[key] = _match(text, key[1], lenient)
    return got


def _match(text: str, candidates: tuple[str, ...], lenient: bool) -> Match | None:
    n = strip_enum(text)
    if not n:
        return None
    normed = [(strip_enum(c), c) for c in candidates]
    for cn, c in normed:
        if cn == n:
            return Match(c, 0)
    scored = sorted(((_distance(n, cn), cn, c) for cn, c in normed if cn), key=lambda t: t[0])
    if not scored:
        return None
    d1, cn1, c1 = scored[0]
    allowed = max(budget(cn1), len(cn1) // 3) if lenient else budget(cn1)
    if d1 > allowed or d1 >= max(len(cn1), len(n)):
        return None
    if len(scored) > 1 and scored[1][0] == d1 and scored[1][1] != cn1:
        return None  # ambiguous
    return Match(c1, d1)


def label_start(text: str) -> int:
    """Offset in `text`'s first line where the label proper starts, after its enumerator (「4. 」)."""
    target = strip_enum(text)
    first_line = text.split("\n", 1)[0]
    for i in range(len(first_line)):
        if normalize(first_line[i:]) == target and not first_line[i].isspace():
            return i
    return 0
