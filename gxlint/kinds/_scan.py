"""Scanning paragraph text once: a literal prefilter per pattern and a memo of matches per report.

Most of a lint's rules search every paragraph with a regular expression, and most
paragraphs hold nothing any one of them looks for.  Two things spare that work:

* **A literal prefilter.**  ``literals(pattern)`` reads the pattern's text (a scan of the
  regular-expression syntax of Python's ``re``, below) for the text any match needs: clauses
  of strings, of each of which the paragraph must contain one (「号」 and one of 「〔（([【［」
  for a 发文字号; 「年」 for a date).  ``str.__contains__`` answers that far faster than the
  regex engine, which tries its pattern at every character, and a pattern no paragraph can
  match is never compiled.  A clause comes only from what every match must contain: literal
  characters and runs, small character classes, the branches of an alternation when each
  branch gives one, repeats of at least one, and the inside of a positive lookaround (its
  text lies in the paragraph too).  Anything else (``\\d``, ``.``, a negated class, a repeat
  of zero or more, a negative lookaround, a back reference) gives no clause, and a pattern
  the scan does not fully understand (case-insensitive or verbose, a conditional group, an
  escape it does not know, a ``{`` that is no repeat) gets no prefilter at all: it is always
  run.  The tests check the prefilter against ``re.search`` on every pattern of the pack and
  on random patterns.
* **A memo.**  ``in_paragraphs(report, pattern)`` keeps the matches of a pattern in the
  report's paragraphs for the report's lifetime, so rules sharing a pattern (the four
  发文字号 checks, the three personal-data checks) run it once per paragraph, and a rule
  whose pattern matches nowhere (most rules, in most reports) is done at once.

Patterns are given as strings and compiled on first use (``gxlint.regex_store.compiled``), so a
pattern no paragraph can match is never compiled.
"""
from __future__ import annotations

import functools
import re

from ..regex_store import compiled

_MAX_CLASS = 32  # a character class of more characters gives no clause (a \u4e00-\u9fff range)
_MAX_CLAUSES = 3  # the most selective clauses are tested; more would cost more than they spare
_MAX_STRINGS = 12  # a clause of more strings (a list of typos) costs more to test than the regex's own scan

Clauses = tuple  # tuple[tuple[str, ...], ...]: every clause must have one of its strings in the text


class _Unsure(Exception):
    """The pattern holds something the scan does not read: no prefilter."""


# escapes of one character (outside and inside a class)
_CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\"}
_CLASSES = frozenset("dDwWsS")  # \d, \w, \s and their complements: many characters
_AT = frozenset("bBAZ")  # zero-width
_REPEAT = re.compile(r"\{(\d*)(,\d*)?\}")
_HEX = {"x": 2, "u": 4, "U": 8}
_FLAGS = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]*))?([:)])")
_PLAIN = re.compile(r"[^\\\[\](){}|.^$*+?]+")  # characters that stand for themselves

# what an atom gives: a character (which may join a run of them), clauses, or nothing
_CHAR, _CLAUSES, _NOTHING, _ZERO = "char", "clauses", "nothing", "zero-width"


class _Scan:
    """A recursive-descent reading of a pattern (the grammar of ``re``'s parser, less what
    raises _Unsure), giving the clauses of each part."""

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0

    def pattern(self) -> list[frozenset[str]]:
        got = self.alternation()
        if self.i != len(self.p):  # an unbalanced ")"
            raise _Unsure
        return got

    def alternation(self) -> list[frozenset[str]]:
        branches = [self.branch()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.branch())
        if len(branches) == 1:
            return branches[0]
        union: set[str] = set()
        for got in branches:
            if not got:
                return []  # a branch that needs nothing: the alternation needs nothing
            union |= got[0] if len(got) == 1 else min(got, key=_rank)
        if len(union) > 4 * _MAX_STRINGS:
            return []  # too many to be worth testing, however few remain below
        # a text holding "占比" holds "占": the shorter string is enough
        kept: list[str] = []
        for s in sorted(union, key=len):
            if not any(t in s for t in kept):
                kept.append(s)
        return [frozenset(kept)]

    def branch(self) -> list[frozenset[str]]:
        p = self.p
        out: list[frozenset[str]] = []
        run: list[str] = []
        n = len(p)
        while self.i < n and p[self.i] not in "|)":
            m = _PLAIN.match(p, self.i)
            if m is not None:  # characters that stand for themselves
                end = m.end()
                if end == n or p[end] not in "*+?{":
                    run.append(m.group())
                    self.i = end
                    continue
                if end - self.i > 1:  # all but the last, which a repeat follows
                    run.append(p[self.i:end - 1])
                    self.i = end - 1
            kind, value = self.atom()
            low = self.repeat() if self.i < n and p[self.i] in "*+?{" else None
            if kind is _CHAR:
                if low is None:
                    run.append(value)
                    continue
                if low >= 1:  # "ab+": "ab" is in every match
                    run.append(value)
                if run:
                    out.append(frozenset(["".join(run)]))
                    run = []
                continue
            if run:
                out.append(frozenset(["".join(run)]))
                run = []
            if kind is _ZERO and low is not None:
                raise _Unsure  # a repeated assertion
            if kind is _CLAUSES and (low is None or low >= 1):
                out += value
        if run:
            out.append(frozenset(["".join(run)]))
        return out

    def repeat(self) -> int | None:
        """The least count of a repeat at the current position (None: no repeat there)."""
        p, i = self.p, self.i
        if i >= len(p):
            return None
        c = p[i]
        if c in "*+?":
            low = 1 if c == "+" else 0
            self.i += 1
        elif c == "{":
            m = _REPEAT.match(p, i)
            if m is None or m.group() == "{}":
                raise _Unsure  # a "{" that is no repeat: a literal, not read here
            low = int(m.group(1) or 0)
            self.i = m.end()
        else:
            return None
        if self.i < len(p) and p[self.i] in "?+":  # lazy or possessive
            self.i += 1
        if self.i < len(p) and p[self.i] in "*+?{":
            raise _Unsure  # a repeat of a repeat: an error for re
        return low

    def atom(self):
        p = self.p
        c = p[self.i]
        self.i += 1
        if c == "\\":
            return self.escape(in_class=False)
        if c == "[":
            return self.char_class()
        if c == "(":
            return self.group()
        if c == ".":
            return _NOTHING, None
        if c in "^$":
            return _ZERO, None
        if c in "*+?{":
            raise _Unsure  # nothing to repeat, or a literal "{"
        return _CHAR, c

    def escape(self, in_class: bool):
        p = self.p
        if self.i >= len(p):
            raise _Unsure
        c = p[self.i]
        self.i += 1
        if c in _CHAR_ESCAPES:
            return _CHAR, _CHAR_ESCAPES[c]
        if c in _CLASSES:
            return _NOTHING, None
        if c == "b" and in_class:
            return _CHAR, "\b"
        if c in _AT and not in_class:
            return _ZERO, None
        if c in _HEX:
            digits = p[self.i:self.i + _HEX[c]]
            if len(digits) != _HEX[c] or not all(d in "0123456789abcdefABCDEF" for d in digits):
                raise _Unsure
            self.i += _HEX[c]
            code = int(digits, 16)
            if code > 0x10FFFF:
                raise _Unsure
            return _CHAR, chr(code)
        if c == "0":
            digits = "0"
            while len(digits) < 3 and self.i < len(p) and p[self.i] in "01234567":
                digits += p[self.i]
                self.i += 1
            return _CHAR, chr(int(digits, 8))
        if c.isascii() and c.isalnum():
            raise _Unsure  # a back reference by number, an octal escape, \N{...}, an unknown escape
        return _CHAR, c  # an escaped punctuation or non-ASCII character stands for itself

    def char_class(self):
        """A class "[...]" (the "[" read): its characters as a clause, or nothing."""
        p = self.p
        chars: set[str] = set()
        many = False
        negated = self.i < len(p) and p[self.i] == "^"
        if negated:
            self.i += 1
        first = True
        while True:
            if self.i >= len(p):
                raise _Unsure
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            low = self.class_char()
            if low is None:
                many = True
                continue
            if self.i + 1 < len(p) and p[self.i] == "-" and p[self.i + 1] != "]":
                self.i += 1
                high = self.class_char()
                if high is None or high < low:
                    raise _Unsure  # an error for re
                if ord(high) - ord(low) >= _MAX_CLASS:
                    many = True
                else:
                    chars.update(chr(x) for x in range(ord(low), ord(high) + 1))
            else:
                chars.add(low)
        if negated or many or not chars or len(chars) > _MAX_CLASS:
            return _NOTHING, None
        return _CLAUSES, [frozenset(chars)]

    def class_char(self) -> str | None:
        """One character of a class (None: \\d, \\w, \\s or a complement)."""
        c = self.p[self.i]
        self.i += 1
        if c != "\\":
            return c
        kind, value = self.escape(in_class=True)
        return value if kind is _CHAR else None

    def group(self):
        """A group "(...)" (the "(" read): the clauses of its content, or nothing."""
        p = self.p
        look = None
        if p.startswith("?", self.i):
            rest = p[self.i + 1:self.i + 3]
            if rest.startswith(":"):
                self.i += 2
            elif rest.startswith("P<"):
                end = p.find(">", self.i)
                if end < 0:
                    raise _Unsure
                self.i = end + 1
            elif rest.startswith("P="):
                end = p.find(")", self.i)
                if end < 0:
                    raise _Unsure
                self.i = end + 1
                return _NOTHING, None  # a back reference: the group's text, maybe empty
            elif rest.startswith("#"):
                end = p.find(")", self.i)
                if end < 0:
                    raise _Unsure
                self.i = end + 1
                return _ZERO, None
            elif rest.startswith(("=", "!")):
                look = rest[0]
                self.i += 2
            elif rest in ("<=", "<!"):
                look = rest[1]
                self.i += 3
            elif rest.startswith(">"):  # atomic group
                self.i += 2
            else:
                m = _FLAGS.match(p, self.i - 1)
                if m is None or set(m.group(1)) & set("iLx") or m.group(2) and "x" in m.group(2):
                    raise _Unsure  # case-insensitive, verbose, a conditional group...
                self.i = m.end()
                if m.group(3) == ")":
                    return _ZERO, None  # flags for the whole pattern (s, m, a, u)
        got = self.alternation()
        if self.i >= len(p) or p[self.i] != ")":
            raise _Unsure
        self.i += 1
        if look == "!":
            return _ZERO, None
        if look == "=":
            return (_ZERO, None) if not got else (_CLAUSES, got)  # its text lies in the text too
        return _CLAUSES, got


def _rank(clause: frozenset[str]):
    """Most selective first: longer strings, then fewer of them."""
    return (-min(len(s) for s in clause), len(clause), sorted(clause))


@functools.lru_cache(maxsize=None)
def literals(pattern: str) -> Clauses:
    """Clauses of strings, of each of which a text must contain one for `pattern` to match in it
    (searched from its start to its end); () when nothing can be told (no prefilter)."""
    try:
        found = _Scan(pattern).pattern()
    except (_Unsure, RecursionError):
        return ()
    unique = sorted({c for c in found if len(c) <= _MAX_STRINGS}, key=_rank)
    return tuple(tuple(sorted(c)) for c in unique[:_MAX_CLAUSES])


def may_match(pattern: str, text: str) -> bool:
    """False only when `pattern` cannot match anywhere in `text` (its literals are not there)."""
    may = _tester(pattern)
    return may is None or may(text)


@functools.lru_cache(maxsize=None)
def _tester(pattern: str):
    """A function text -> bool for the prefilter of `pattern`, or None (no prefilter)."""
    clauses = literals(pattern)
    if not clauses:
        return None
    if len(clauses) == 1 and len(clauses[0]) == 1:
        (s,), = clauses
        return lambda text: s in text

    def may(text: str) -> bool:
        for clause in clauses:
            for s in clause:
                if s in text:
                    break
            else:
                return False
        return True

    return may


def search(pattern: str, text: str) -> re.Match | None:
    """``re.search(pattern, text)``, skipped when the prefilter rules a match out."""
    return compiled(pattern).search(text) if may_match(pattern, text) else None


def in_paragraphs(report, pattern: str) -> dict[str, list[re.Match]]:
    """The matches of `pattern` in the report's paragraphs, by paragraph text (texts with none left
    out), found once per report: the rules sharing a pattern share its matches, and a rule whose
    pattern matches nowhere is done at once.  A paragraph the prefilter rules out is not searched."""
    memo = report.memo.get("scan.paragraphs")
    if memo is None:
        memo = report.memo["scan.paragraphs"] = {}
    found = memo.get(pattern)
    if found is None:
        found = {}  # in the memo once complete: a search stopped midway (regex_store.Overtime) leaves none
        may = _tester(pattern)
        if may is not None and not may(_whole(report)):
            memo[pattern] = found
            return found  # a literal the pattern needs is in no paragraph: none is looked at
        rx = None
        for p in report.paragraphs:
            text = p.text
            if text in found or (may is not None and not may(text)):
                continue
            if rx is None:
                rx = compiled(pattern)
            got = list(rx.finditer(text))
            if got:
                found[text] = got
        memo[pattern] = found
    return found


def _whole(report) -> str:
    """All the paragraphs' text, once per report: a string no paragraph holds is not in it either."""
    text = report.memo.get("scan.whole")
    if text is None:
        text = report.memo["scan.whole"] = "\n".join(p.text for p in report.paragraphs)
    return text


def finditer(report, pattern: str, text: str) -> list[re.Match]:
    """The matches of `pattern` in `text` (as ``re.finditer``), found once per report and text
    (for the texts that are not a paragraph's: the lines of a table cell, a title's lines)."""
    memo = report.memo.get("scan.texts")
    if memo is None:
        memo = report.memo["scan.texts"] = {}
    key = (pattern, text)
    found = memo.get(key)
    if found is None:
        found = memo[key] = list(compiled(pattern).finditer(text)) if may_match(pattern, text) else []
    return found


def in_joined(report, pattern: str) -> dict[str, list[re.Match]]:
    """``in_paragraphs`` over the report's paragraphs with the lines of a paragraph that a PDF or a
    web page broke joined (``_text.joined``), by joined text: a match may run over a line's end,
    and a line's end is not a sentence's.  Where no paragraph is broken, the texts are those of
    the paragraphs themselves."""
    memo = report.memo.get("scan.joined")
    if memo is None:
        memo = report.memo["scan.joined"] = {}
    found = memo.get(pattern)
    if found is None:
        from ._text import joined

        found = {}  # in the memo once complete, as in in_paragraphs
        may = _tester(pattern)
        if may is not None and not may(_whole(report)):
            memo[pattern] = found
            return found
        rx = None
        for block in joined(report):
            text = block.text
            if text in found or (may is not None and not may(text)):
                continue
            if rx is None:
                rx = compiled(pattern)
            got = list(rx.finditer(text))
            if got:
                found[text] = got
        memo[pattern] = found
    return found
