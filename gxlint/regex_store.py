"""Regular expressions compiled once per process, when first used.

The rules, the kinds and the report builder give their patterns as strings and call
``compiled(pattern)`` where they search: a pattern is compiled (``re.compile``) the first time
it is needed, so that a pattern no report of the run needs is never compiled.  Compiling is the
costliest part of a cold ``gxlint one.docx`` after the interpreter's start (a character range such
as ``[\\u4e00-\\u9fa5]`` costs ``re`` a Python loop over its 20,000 characters), so a module
compiles at import only what every report needs, and a rule's pattern is compiled only when the
literal prefilter of ``gxlint.kinds._scan`` cannot rule a match out (see docs/speed.md).

A rule from outside the national pack (a province's ``rule_dirs``, the linted folder's config)
may hold a pattern that backtracks for ever (``^(.+)+\\d{20}$``): ``re`` cannot be stopped.  The
engine runs such a rule :func:`bounded` by its time left on the report; a pattern compiled there is
one of the ``regex`` package (compatible with ``re``, ``VERSION0``), whose searches take a
``timeout``, and a search past the deadline raises :class:`Overtime`.  ``regex`` is imported only
then: the national pack runs on ``re``.  The patterns of a report format from such a file (its parts'
``match`` and ``words``, which the readers and the report builder search outside any rule) are
:func:`limited`: their searches on one report share :data:`FORMAT_SECONDS` (:class:`budget`).
"""
from __future__ import annotations

import re
import threading
import time

_COMPILED: dict[str, re.Pattern] = {}
_BOUNDED: dict[str, _Bounded] = {}


# The time the searches of a local format's patterns may take on one report, all together
# (gxlint.template: the parts' ``match`` and ``words`` in a province's rule file; each search alone
# outside a :class:`budget`); past it the report is not read (Overtime, E024).
FORMAT_SECONDS = 2.0


class Overtime(Exception):
    """A search of a pattern compiled under :func:`bounded`, or :func:`limited`, ran past its time
    (the message: the rule file of a limited pattern)."""


class _Deadline(threading.local):
    at: float | None = None  # time.monotonic() at which searches stop; None: no bound (this thread's)


_deadline = _Deadline()


def compiled(pattern: str):
    """``re.compile(pattern)``, once per process; under :func:`bounded`, the pattern of the ``regex``
    package whose searches end at the deadline (also once per process)."""
    if _deadline.at is not None:
        return _bounded(pattern)
    rx = _COMPILED.get(pattern)
    if rx is None:
        rx = _COMPILED[pattern] = re.compile(pattern)
    return rx


class bounded:
    """``with bounded(seconds):`` the patterns compiled (:func:`compiled`) in this thread stop
    searching ``seconds`` from now, with :class:`Overtime` (a bound within a bound keeps the
    earlier deadline)."""

    __slots__ = ("at", "before")

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds

    def __enter__(self):
        self.before = _deadline.at
        if self.before is None or self.at < self.before:
            _deadline.at = self.at
        return self

    def __exit__(self, *exc):
        _deadline.at = self.before
        return False


def _left() -> float | None:
    """Seconds to the deadline (None: none); Overtime once it is past."""
    at = _deadline.at
    if at is None:
        return None
    left = at - time.monotonic()
    if left <= 0:
        raise Overtime
    return left


def _bounded(pattern: str) -> _Bounded:
    rx = _BOUNDED.get(pattern)
    if rx is None:
        import regex

        rx = _BOUNDED[pattern] = _Bounded(regex.compile(pattern, regex.VERSION0))
    return rx


class _Bounded:
    """A compiled pattern of the ``regex`` package used as ``re``'s: each search is given the time
    left to the deadline of the thread's :func:`bounded` when it starts (``finditer`` for all its
    matches), and raises Overtime past it.  Outside a bound it searches without a time limit."""

    __slots__ = ("rx", "pattern", "groupindex", "groups", "flags", "source")

    def __init__(self, rx, source: str = ""):
        self.rx = rx
        self.pattern, self.groupindex, self.groups, self.flags = rx.pattern, rx.groupindex, rx.groups, rx.flags
        self.source = source  # the rule file named by Overtime ("" for a rule's: the engine names it)

    def _call(self, method, args, kwargs):
        try:
            return method(*args, timeout=_left(), **kwargs)
        except TimeoutError:
            raise Overtime(self.source) from None

    def search(self, *args, **kwargs):
        return self._call(self.rx.search, args, kwargs)

    def match(self, *args, **kwargs):
        return self._call(self.rx.match, args, kwargs)

    def fullmatch(self, *args, **kwargs):
        return self._call(self.rx.fullmatch, args, kwargs)

    def findall(self, *args, **kwargs):
        return self._call(self.rx.findall, args, kwargs)

    def split(self, *args, **kwargs):
        return self._call(self.rx.split, args, kwargs)

    def sub(self, *args, **kwargs):
        return self._call(self.rx.sub, args, kwargs)

    def subn(self, *args, **kwargs):
        return self._call(self.rx.subn, args, kwargs)

    def finditer(self, *args, **kwargs):
        return _iterate(self._call(self.rx.finditer, args, kwargs), self.source)

    def __repr__(self) -> str:
        return f"bounded({self.pattern!r})"


class _Budget(threading.local):
    left: float | None = None  # seconds the limited patterns may still search (this thread's)


_budget = _Budget()


class budget:
    """``with budget():`` the searches of :func:`limited` patterns in this thread share
    :data:`FORMAT_SECONDS` (the engine opens one per report)."""

    __slots__ = ("before",)

    def __enter__(self):
        self.before = _budget.left
        _budget.left = FORMAT_SECONDS
        return self

    def __exit__(self, *exc):
        _budget.left = self.before
        return False


def limited(pattern: str, source: str) -> _Limited:
    """``pattern`` (of the rule file ``source``) compiled by the ``regex`` package, its searches
    given what is left of the thread's :class:`budget` (:data:`FORMAT_SECONDS` each outside one),
    then Overtime naming ``source``."""
    import regex

    return _Limited(regex.compile(pattern, regex.VERSION0), source)


class _Limited(_Bounded):
    __slots__ = ()

    def _call(self, method, args, kwargs):
        left = _budget.left
        if left is not None and left <= 0:
            raise Overtime(self.source)
        start = time.monotonic()
        try:
            return method(*args, timeout=FORMAT_SECONDS if left is None else left, **kwargs)
        except TimeoutError:
            raise Overtime(self.source) from None
        finally:
            if left is not None:
                _budget.left = left - (time.monotonic() - start)

    def __repr__(self) -> str:
        return f"limited({self.pattern!r})"


def _iterate(matches, source: str):
    try:
        yield from matches
    except TimeoutError:
        raise Overtime(source) from None
