"""numbering.xml: list levels, the document-order counter simulation and :func:`format_number`
(decimal, Chinese, Roman, letter and enclosed labels)."""
from __future__ import annotations

import copy
import re

from .ns import (
    W_ABSTRACTNUM,
    W_ABSTRACTNUMID,
    W_ILVL,
    W_ISLGL,
    W_LVL,
    W_LVLOVERRIDE,
    W_LVLRESTART,
    W_LVLTEXT,
    W_NUM,
    W_NUMFMT,
    W_NUMID,
    W_NUMSTYLELINK,
    W_PSTYLE,
    W_START,
    W_STARTOVERRIDE,
    W_VAL,
    _int,
)
from .styles import _Styles

_LVL_PCT = re.compile(r"%([1-9])")

# =========================================================================== numbering
class _Lvl:
    __slots__ = ("fmt", "text", "start", "restart", "lgl")

    def __init__(self, el):
        self.fmt, self.text, self.start, self.restart, self.lgl = "decimal", None, 1, None, False
        for c in el:
            tag = c.tag
            if tag == W_NUMFMT:
                self.fmt = c.get(W_VAL) or "decimal"
            elif tag == W_LVLTEXT:
                self.text = c.get(W_VAL)
            elif tag == W_START:
                self.start = _int(c.get(W_VAL), 1)
            elif tag == W_LVLRESTART:
                self.restart = _int(c.get(W_VAL))
            elif tag == W_ISLGL:
                self.lgl = c.get(W_VAL) not in ("0", "false", "off")


class _Numbering:
    """numbering.xml definitions plus the document-order counter simulation."""

    def __init__(self, root, styles: _Styles):
        self.styles = styles
        self.abstract: dict[int, dict[int, _Lvl]] = {}
        self.abstract_pstyle: dict[int, dict[str, int]] = {}
        self.style_link: dict[int, str] = {}
        self.nums: dict[int, tuple] = {}  # numId -> (abstractNumId, {ilvl: (start, _Lvl|None)})
        self._levels: dict[int, tuple | None] = {}
        self._counters: dict[int, list] = {}
        self._used: set[int] = set()
        if root is None:
            return
        for el in root:
            tag = el.tag
            if tag == W_ABSTRACTNUM:
                aid = _int(el.get(W_ABSTRACTNUMID))
                if aid is None:
                    continue
                lvls, pstyles = {}, {}
                for c in el:
                    if c.tag == W_LVL:
                        ilvl = _int(c.get(W_ILVL))
                        if ilvl is not None and 0 <= ilvl <= 8:
                            lvls[ilvl] = _Lvl(c)
                            ps = c.find(W_PSTYLE)
                            if ps is not None and ps.get(W_VAL):
                                pstyles.setdefault(ps.get(W_VAL), ilvl)
                    elif c.tag == W_NUMSTYLELINK and c.get(W_VAL):
                        self.style_link[aid] = c.get(W_VAL)
                self.abstract[aid] = lvls
                self.abstract_pstyle[aid] = pstyles
            elif tag == W_NUM:
                nid = _int(el.get(W_NUMID))
                if nid is None:
                    continue
                aid, overrides = None, {}
                for c in el:
                    if c.tag == W_ABSTRACTNUMID:
                        aid = _int(c.get(W_VAL))
                    elif c.tag == W_LVLOVERRIDE:
                        ilvl = _int(c.get(W_ILVL))
                        if ilvl is None or not 0 <= ilvl <= 8:
                            continue
                        start = lvl = None
                        for o in c:
                            if o.tag == W_STARTOVERRIDE:
                                start = _int(o.get(W_VAL))
                            elif o.tag == W_LVL:
                                lvl = _Lvl(o)
                        overrides[ilvl] = (start, lvl)
                if aid is not None:
                    self.nums[nid] = (aid, overrides)

    def fresh(self) -> "_Numbering":
        """These definitions with the counters of a document not yet walked."""
        other = copy.copy(self)
        other._counters = {}
        other._used = set()
        return other

    def _abstract_id(self, aid: int) -> int:
        """Follow w:numStyleLink to the abstractNum that holds the levels."""
        for _ in range(8):
            link = self.style_link.get(aid)
            if link is None or self.abstract.get(aid):
                return aid
            st = self.styles.numbering.get(link) or self.styles.paragraph.get(link)
            if st is None or st.num_id is None or st.num_id not in self.nums:
                return aid
            aid = self.nums[st.num_id][0]
        return aid

    def levels(self, num_id: int):
        """(counter key, {ilvl: _Lvl}, {ilvl: start override}) of a w:num, or None."""
        if num_id in self._levels:
            return self._levels[num_id]
        got = None
        num = self.nums.get(num_id)
        if num is not None:
            aid = self._abstract_id(num[0])
            lvls = dict(self.abstract.get(aid, {}))
            starts = {}
            for ilvl, (start, lvl) in num[1].items():
                if lvl is not None:
                    lvls[ilvl] = lvl
                if start is not None:
                    starts[ilvl] = start
                elif lvl is not None:
                    starts[ilvl] = lvl.start
            got = (aid, lvls, starts)
        self._levels[num_id] = got
        return got

    def pstyle_level(self, num_id: int, sid) -> int | None:
        got = self.levels(num_id)
        if got is None or sid is None:
            return None
        return self.abstract_pstyle.get(got[0], {}).get(sid)

    def label(self, num_id: int, ilvl: int) -> str:
        """Advance the counters for one numbered paragraph and render its label."""
        got = self.levels(num_id)
        if got is None:
            return ""
        key, lvls, starts = got
        lvl = lvls.get(ilvl)
        if lvl is None:
            return ""
        counters = self._counters.get(key)
        if counters is None:
            counters = self._counters[key] = [None] * 9
        if num_id not in self._used:
            self._used.add(num_id)
            for level in starts:  # a w:num with startOverride restarts those levels
                counters[level] = None

        def start(level):
            s = starts.get(level)
            if s is None:
                lv = lvls.get(level)
                s = lv.start if lv is not None else 1
            return s

        cur = counters[ilvl]
        counters[ilvl] = start(ilvl) if cur is None else cur + 1
        for deeper in range(ilvl + 1, 9):
            lv = lvls.get(deeper)
            restart = lv.restart if lv is not None else None
            if restart is None or ilvl < restart:
                counters[deeper] = None
        if lvl.fmt == "bullet" or not lvl.text:
            return ""

        def sub(m):
            level = int(m.group(1)) - 1
            value = counters[level]
            if value is None:
                value = start(level)
            lv = lvls.get(level)
            fmt = "decimal" if lvl.lgl else (lv.fmt if lv is not None else "decimal")
            return format_number(value, fmt)

        return _LVL_PCT.sub(sub, lvl.text)


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits=_CN_DIGITS, units="十百千", zero="零", short_ten=True) -> str:
    """1→一, 10→十, 11→十一, 20→二十, 101→一百零一 (up to 9999, else decimal)."""
    if not 0 < n < 10000:
        return "〇" if n == 0 and digits is _CN_DIGITS else str(n)
    s = str(n)
    out, zero_pending = [], False
    for i, ch in enumerate(s):
        d = ord(ch) - 48
        pos = len(s) - 1 - i
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(zero)
            zero_pending = False
        out.append(digits[d] + (units[pos - 1] if pos else ""))
    text = "".join(out)
    if short_ten and 10 <= n < 20:
        text = text[1:]
    return text


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    if n <= 0 or n > 26 * 10:  # a, …, z, aa, …, zzzzzzzzzz; beyond, the number (a label stays short)
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _enclosed(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """Render counter value ``n`` in Word number format ``fmt`` (w:numFmt/@w:val)."""
    if fmt == "decimal":
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified",):
        return _chinese(n, _CN_LEGAL, "拾佰仟", "零", short_ten=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[ord(c) - 48] for c in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n)
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)
