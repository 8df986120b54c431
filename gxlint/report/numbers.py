"""Numbers as a report writes them: a table cell's number, a count in Arabic or Chinese numerals."""
from __future__ import annotations

from functools import lru_cache

from ..labels import nfkc
from ..regex_store import compiled

_NUMBER = compiled(r"^[+-]?\d+(?:\.\d+)?$")
# Digits of the whole part of a number read from a report: any count a report holds has fewer,
# and longer runs would overflow a float (400 digits) or int() itself (4,300).
MAX_DIGITS = 15
# 〇, and what is written for it by mistake (GX110): 零, the circle ○, the letter O, the digit 0
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
COUNT = r"(?:\d+|[〇零一二两三四五六七八九十百千万]+)"  # a whole number as parse_count reads it
# Distinct cell texts and numerals remembered by parse_number and parse_count: cells repeat
# ("0", "1"...) and every table rule asks; a report has a few hundred distinct ones.
_MEMO = 4096

# Cell texts up to this many characters are remembered (labels, numbers, 「/」); a longer one (prose
# in a table) is read each time: it seldom repeats, and a batch must not keep thousands of them.
_MEMO_TEXT = 64


def parse_number(text: str) -> int | float | None:
    """The number in a table cell, or None when the cell holds no number."""
    return _remembered_number(text) if len(text) <= _MEMO_TEXT else _number(text)


def _number(text: str) -> int | float | None:
    t = nfkc(text).strip().replace(",", "")
    if not _NUMBER.match(t) or len(t.partition(".")[0].lstrip("+-")) > MAX_DIGITS:
        return None  # no report counts beyond 10**15: such a cell is no number (a serial, a bank account)
    return float(t) if "." in t else int(t)


# reading a table asks of each of its cells several times (its shape, its label and value cells,
# the positions of numbers), and every table rule asks again
_remembered_number = lru_cache(maxsize=_MEMO)(_number)


@lru_cache(maxsize=_MEMO)  # the same numerals (一, 2, 十三) are read over and over
def parse_count(text: str) -> int | None:
    """A whole number written in Arabic (13) or Chinese numerals (十三, 一百零三, 二〇二五), else None."""
    t = nfkc(text).strip()
    if t.isdigit():
        return int(t) if len(t) <= MAX_DIGITS else None
    if not t or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in t):
        return None
    if not any(ch in _CN_UNITS for ch in t):  # 二〇二五: digit by digit
        return int("".join(str(_CN_DIGITS[ch]) for ch in t))
    total = section = 0
    digit = None
    for ch in t:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif _CN_UNITS[ch] == 10000:
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + section + (digit or 0)
