"""Scanning paragraph text once: a literal prefilter per pattern and a memo of matches per report.

Most of a lint's rules search every paragraph with a regular expression, and most
paragraphs hold nothing any one of them looks for.  Two things spare that work:

* **A literal prefilter.**  ``literals(pattern)`` reads the pattern's syntax tree (the
  standard library's own parser) for the text any match needs: clauses of strings, of
  each of which the paragraph must contain one (「号」 and one of 「〔（([【［」 for a
  发文字号; 「年」 for a date).  ``str.__contains__`` answers that far faster than the
  regex engine, which tries its pattern at every character.  A clause comes only from
  what every match must contain: literal characters and runs, small character classes,
  the branches of an alternation when each branch gives one, repeats of at least one,
  and the inside of a positive lookaround (its text lies in the paragraph too).  Anything
  else (``\\d``, a negated class, a repeat of zero or more) gives no clause, and a
  pattern the analysis does not fully understand (case-insensitive, an unknown node)
  gets no prefilter at all: it is always run.
* **A memo.**  ``in_paragraphs(report, pattern)`` keeps the matches of a pattern in the
  report's paragraphs for the report's lifetime, so rules sharing a pattern (the four
  发文字号 checks, the three personal-data checks) run it once per paragraph, and a rule
  whose pattern matches nowhere (most rules, in most reports) is done at once.

Patterns are given as strings and compiled on first use (``gxlint.regex_store.compiled``: from
the code stored by an earlier process), so a pattern no paragraph can match is never compiled;
the prefilter's literals of each pattern are stored beside its code.
"""
from __future__ import annotations

import functools
import re

try:  # Python 3.11+
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

from ..regex_store import compiled, remembered

_MAX_CLASS = 32  # a character class of more characters gives no clause (a \u4e00-\u9fff range)
_MAX_CLAUSES = 3  # the most selective clauses are tested; more would cost more than they spare
_MAX_STRINGS = 12  # a clause of more strings (a list of typos) costs more to test than the regex's own scan

Clauses = tuple  # tuple[tuple[str, ...], ...]: every clause must have one of its strings in the text


class _Unsure(Exception):
    """The pattern holds something the analysis does not read: no prefilter."""


def _op(name: str):
    return getattr(_c, name, None)


_LITERAL, _NOT_LITERAL, _IN, _ANY, _BRANCH, _SUBPATTERN = (
    _op("LITERAL"), _op("NOT_LITERAL"), _op("IN"), _op("ANY"), _op("BRANCH"), _op("SUBPATTERN"))
_REPEATS = {x for x in (_op("MAX_REPEAT"), _op("MIN_REPEAT"), _op("POSSESSIVE_REPEAT")) if x is not None}
_ATOMIC = _op("ATOMIC_GROUP")
_ASSERT, _ASSERT_NOT, _AT, _GROUPREF, _GROUPREF_EXISTS = (
    _op("ASSERT"), _op("ASSERT_NOT"), _op("AT"), _op("GROUPREF"), _op("GROUPREF_EXISTS"))
_RANGE, _NEGATE, _CATEGORY = _op("RANGE"), _op("NEGATE"), _op("CATEGORY")
_IGNORECASE = _c.SRE_FLAG_IGNORECASE
_NO_CLAUSE = {x for x in (_ASSERT_NOT, _AT, _ANY, _NOT_LITERAL, _GROUPREF, _GROUPREF_EXISTS) if x is not None}


def _class(items) -> frozenset[str] | None:
    """The characters of a character class, or None (negated, a category such as \\d, or too many)."""
    chars: set[str] = set()
    for op, av in items:
        if op is _LITERAL:
            chars.add(chr(av))
        elif op is _RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
        if len(chars) > _MAX_CLASS:
            return None
    return frozenset(chars) or None


def _rank(clause: frozenset[str]):
    """Most selective first: longer strings, then fewer of them."""
    return (-min(len(s) for s in clause), len(clause), sorted(clause))


def _clauses(seq) -> list[frozenset[str]]:
    """Clauses every match of the node sequence `seq` needs (see the module doc)."""
    out: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in seq:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append(frozenset(["".join(run)]))
            run = []
        if op is _IN:
            chars = _class(av)
            if chars:
                out.append(chars)
        elif op is _SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            if add_flags & _IGNORECASE:
                raise _Unsure
            out += _clauses(sub)
        elif op is _ATOMIC and _ATOMIC is not None:
            out += _clauses(av)
        elif op in _REPEATS:
            low, _high, sub = av
            if low >= 1:
                out += _clauses(sub)
        elif op is _BRANCH:
            best = []
            for branch in av[1]:
                mine = _clauses(branch)
                if not mine:
                    break  # a branch that needs nothing: the alternation needs nothing
                best.append(min(mine, key=_rank))
            else:
                out.append(frozenset().union(*best))
        elif op is _ASSERT:
            _direction, sub = av
            out += _clauses(sub)  # what a positive lookaround sees stands in the text as well
        elif op in _NO_CLAUSE:
            pass
        else:
            raise _Unsure
    if run:
        out.append(frozenset(["".join(run)]))
    return out


@functools.lru_cache(maxsize=None)
def literals(pattern: str) -> Clauses:
    """Clauses of strings, of each of which a text must contain one for `pattern` to match in it
    (searched from its start to its end); () when nothing can be told (no prefilter)."""
    return remembered("literals", pattern, _literals)


def _literals(pattern: str) -> Clauses:
    try:
        tree = _p.parse(pattern, 0)
        if tree.state.flags & _IGNORECASE:
            return ()
        found = _clauses(tree)
    except (_Unsure, re.error, AttributeError, TypeError, ValueError, RecursionError):
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
        found = memo[pattern] = {}
        may = _tester(pattern)
        if may is not None and not may(_whole(report)):
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

        found = memo[pattern] = {}
        may = _tester(pattern)
        if may is not None and not may(_whole(report)):
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
    return found
