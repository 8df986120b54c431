"""``personal_data``: personal data a report meant for publication must not contain.

``check`` chooses what is looked for in the paragraphs' text:

* ``id_card``: a 居民身份证号码 (GB 11643-1999): 17 digits and the ISO 7064
  MOD 11-2 check character (0-9 or X), with a province code and a birth date
  yyyymmdd that exist, run together or grouped 6-8-4 by spaces or dashes
  (110105 19800101 1238); or the 15 digits of the numbers issued before 1999,
  with a birth date yymmdd (19yy);
* ``mobile``: a mobile number, 11 digits 1[3-9]…, also after +86, 86 or 0086
  and grouped 3-4-4 by spaces or dashes (138-1234-5678);
* ``bank_card``: 16 to 19 digits, run together or in groups of four, with a
  valid Luhn check digit, starting as bank cards do (3 to 6, the ISO/IEC 7812
  banking and financial industries; 95, older domestic cards), and not a
  身份证号.

Paragraphs and every table cell are searched (a contacts table, a list of
applications).  A number counts only standing alone: not inside a longer run of digits or
letters, a URL or an e-mail address, nor right after 「信用代码」 or
「纳税人识别号」.  Landlines (0797-8542306), hotlines (12345), postal codes,
发文字号 and statistics never match.  Numbers under ``allow:`` in .gxlint.yaml
(published on purpose) are skipped; they are compared without spaces and dashes.

No other kind fits: none validates what it finds (check digits, dates), and
none may repeat it.  A finding shows the number masked, in its message
(``{masked}``: 110105********002X; 138****5678; 6222***********0128) and in its
excerpt (the text as written with the hidden characters as 「*」), so no output
of gxlint publishes the number it warns about.
"""
from __future__ import annotations

from datetime import date

from ..labels import nfkc
from ..model import Table
from ..rule import Param
from ..regex_store import compiled
from . import _scan

PARAMS = {"check": Param(str, required=True, choices=("id_card", "mobile", "bank_card"))}
ARGS = ("masked",)

_ALONE_BEFORE, _ALONE_AFTER = r"(?<![\dA-Za-z])", r"(?![\dA-Za-z])"
_X = "XxＸｘ"
# (compiled when a paragraph or cell may hold a number: _MAY_HOLD)
_ID = (
    rf"{_ALONE_BEFORE}(?:\d{{17}}[\d{_X}]|\d{{15}}|\d{{6}}(?P<sep>[ \-－])\d{{8}}(?P=sep)\d{{3}}[\d{_X}])"
    rf"{_ALONE_AFTER}(?!(?P=sep)\d)"
)
_MOBILE = (
    rf"{_ALONE_BEFORE}(?P<prefix>(?:[+＋]|00)?86[ \-－]?)?1[3-9]\d[ \-－]?\d{{4}}[ \-－]?\d{{4}}{_ALONE_AFTER}"
)
_BANK = (
    rf"{_ALONE_BEFORE}\d{{16,19}}{_ALONE_AFTER}"
    rf"|(?<!\d[ \-－]){_ALONE_BEFORE}\d{{4}}(?P<sep>[ \-－])\d{{4}}(?P=sep)\d{{4}}(?P=sep)\d{{4}}(?:(?P=sep)\d{{1,3}})?"
    rf"{_ALONE_AFTER}(?!(?P=sep)\d)"
)
# Every number looked for holds 7 digits in a row or two groups of 4 (138-1234-5678,
# 6222 0212 …): a paragraph without them is skipped at once.
# (\d\d{3} is \d{4}, written so that the regex engine skips to the next digit at once)
_MAY_HOLD = r"\d\d{3}(?:\d{3}|[ \-－]\d{4})"
# where digits are no personal data: URLs, e-mail addresses (the local part starts a run of its
# characters: tried at every digit of a long number it would be quadratic)
_NOT_HERE = r"(?:https?://|ftp://|www\.)[!-~]+|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
_CODE_BEFORE = r"(?:信用代码|纳税人识别号|税号|组织机构代码)\s*[:：]?\s*$"
_PROVINCES = {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55), *range(61, 66), 71, 81, 82, 83}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# characters kept at the start and at the end of a masked number
_KEEP = {"id_card": (6, 4), "mobile": (3, 4), "bank_card": (4, 4)}


def _canon(text: str) -> str:
    """A number as compared: digits in ASCII, X upper-case, spaces and dashes removed."""
    out = []
    for c in nfkc(text):
        if c.isspace() or c in "-‐–—":
            continue
        out.append(str(int(c)) if c.isdecimal() else c.upper())
    return "".join(out)


def _born(y: int, m: int, d: int) -> bool:
    try:
        return date(1900, 1, 1) <= date(y, m, d) <= date.today()
    except ValueError:
        return False


def _is_id_card(s: str) -> bool:
    """Whether canonical `s` (15 or 18 characters) is a 居民身份证号码 that can exist."""
    if not s[:17].isdigit() or int(s[:2]) not in _PROVINCES:
        return False
    if len(s) == 15:
        return s.isdigit() and _born(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    if len(s) != 18 or not _born(int(s[6:10]), int(s[10:12]), int(s[12:14])):
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(s, _WEIGHTS)) % 11] == s[17]


def _luhn(s: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(s)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _id_cards(text):
    for m in compiled(_ID).finditer(text):
        if _is_id_card(_canon(m.group())):
            yield m.start(), m.end(), 0


def _mobiles(text):
    for m in compiled(_MOBILE).finditer(text):
        yield m.start(), m.end(), len(m.group("prefix") or "")


def _bank_cards(text):
    for m in compiled(_BANK).finditer(text):
        s = _canon(m.group())
        if (s[0] in "3456" or s.startswith("95")) and _luhn(s) and not (len(s) == 18 and _is_id_card(s)):
            yield m.start(), m.end(), 0


_FIND = {"id_card": _id_cards, "mobile": _mobiles, "bank_card": _bank_cards}


def _mask(raw: str, skip: int, keep: int, last: int) -> tuple[str, str]:
    """(`raw` with the hidden characters as *, the number compact and masked): of the number's
    characters after the first `skip` (a +86), all but the first `keep` and the last `last` are hidden."""
    positions = [k for k in range(skip, len(raw)) if raw[k].isdecimal() or raw[k] in _X]
    out = list(raw)
    shown = []
    for i, k in enumerate(positions):
        if keep <= i < len(positions) - last:
            out[k] = "*"
        shown.append(out[k] if out[k] == "*" else _canon(out[k]))
    return "".join(out), "".join(shown)


def check(rule, report):
    what = rule.params["check"]
    keep, last = _KEEP[what]
    allowed = {_canon(a) for a in report.allow}

    def found(text: str):
        """(start, end, excerpt, masked) of each number to report in ``text``."""
        if not _scan.search(_MAY_HOLD, text):
            return
        elsewhere = [m.span() for m in _scan.finditer(report, _NOT_HERE, text)]
        for start, end, skip in _FIND[what](text):
            raw = text[start:end]
            if (
                _canon(raw) in allowed
                or _canon(raw[skip:]) in allowed
                or any(a < end and start < b for a, b in elsewhere)
                or compiled(_CODE_BEFORE).search(text, max(0, start - 12), start)
            ):
                continue
            yield (start, end, *_mask(raw, skip, keep, last))

    hold = _scan.in_paragraphs(report, _MAY_HOLD)  # found once for the three rules
    for p in report.paragraphs if hold else ():
        if p.text not in hold:
            continue
        for start, end, excerpt, masked in found(p.text):
            yield rule.at_text(report, p, start, end, mask=excerpt, masked=masked)
    for cell, k, text, location in _cell_lines(report):
        for start, end, excerpt, masked in found(text):
            yield rule.at_cell_line(report, cell, k, start, end, location=location, mask=excerpt, masked=masked)


def _cell_lines(report) -> list:
    """(cell, k, line k of its text, location) for every line of a table cell that may hold a
    number (found once for the three rules of this kind)."""
    got = report.memo.get("personal_data.cells")
    if got is None:
        got = report.memo["personal_data.cells"] = list(_find_cell_lines(report))
    return got


def _find_cell_lines(report):
    national = {id(t): lt.spec.section for lt in report.tables.values() for t in lt.raw}
    may_hold = compiled(_MAY_HOLD).search
    for i, block in enumerate(report.doc.blocks):
        if not isinstance(block, Table):
            continue
        section = national.get(id(block))
        if section:
            where = f"第{section}部分 表格{section}"
        else:
            section = report.section_of(i)
            where = f"第{section}部分 表格" if section else "表格"
        for row in block.rows:
            for cell in row:
                if len(cell.text) < 7 or not may_hold(cell.text):  # (7 digits or 4 + 4 at least)
                    continue
                for k, text in enumerate(cell.text.split("\n")):
                    yield cell, k, text, f"{where} 第{cell.row + 1}行第{cell.column + 1}列"
