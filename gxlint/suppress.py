"""Suppressions: accepting one finding on purpose, where the report lives.

* Markdown and HTML: ``<!-- gxlint-disable GX605 -->`` … ``<!-- gxlint-enable -->`` (the
  lines between; without ids, every rule) and ``<!-- gxlint-disable-next-line GX017 -->``
  (the next line with text: blank lines and lines of HTML tags only are passed over).
* Plain text (and Markdown): a line ``gxlint: disable=GX017`` (until ``gxlint: enable`` or the
  end of the file) or ``gxlint: disable-next-line=GX017``.
* Word: a review comment whose text starts with ``gxlint: ignore GX017`` (any author)
  suppresses that rule's findings on the text the comment is anchored to
  (:mod:`gxlint.docx_comments`); a comment on a point (no range) covers its paragraph.

Directives are found in the source lines of the file (``Document.lines``, kept by the text and
HTML readers), so the readers know nothing of them; a paragraph that is only a directive is
taken out of the document before the rules run.  Rule ids are read without regard to case and
may be separated by spaces, commas or 、.

A directive (or one id of it) that suppresses nothing is itself reported by the rule of kind
``unused_suppression`` (GX090, info, like Ruff's RUF100), but only for rules that ran fully
on the file: a rule not selected, or one that needs last year's report or the other reports
of a batch, cannot tell.  ``--no-suppressions`` keeps every finding (and reports no stale
directive).

Time is linear in the lines, directives and findings (issue 31: 10,000 directives took 34 s when
each finding was compared with each directive): the directives are found in one pass over the
lines (the next line with text is known for every line from one backward pass; an ``enable``
closes the open ranges of its ids through an index by id), and :func:`apply` sweeps the findings
in order of their start with the directives open there indexed by the ids they name, so a
finding looks only at the ids its rule answers to (see :class:`_Sweep`).
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right

from .model import Document, Paragraph
from .record import Record

_SEP = r"[\s,，、]+"
_CODES = re.compile(r"(?:[\s,，、=]*)((?:[A-Za-z]{2}\d{1,3}(?:" + _SEP + r"|$))*)")
_HTML = re.compile(r"<!--\s*gxlint-(disable-next-line|disable|enable)\b\s*(.*?)\s*-->", re.I)
_TEXT = re.compile(r"^\s*gxlint\s*[:：]\s*(disable-next-line|disable|enable)\b\s*(?:[=\s]\s*(.*?))?\s*$", re.I)
_ANY = re.compile("gxlint", re.I)
_TAGS = re.compile(r"<[^<>]*>")  # a line of HTML markup only (<p>, </div>) holds no text: not "the next line"
_WORD = re.compile(r"^\s*gxlint\s*[:：]\s*ignore\b", re.I)
INFINITY = 1 << 30


def parse_codes(text: str) -> tuple[str, ...]:
    """The rule ids at the start of ``text`` (upper-cased), up to the first word that is not one."""
    out = []
    for token in re.split(_SEP, text.strip()):
        if re.fullmatch(r"[A-Za-z]{2}\d{1,3}", token):
            out.append(token.upper())
        elif token:
            break
    return tuple(out)


class Suppression(Record):
    """Findings of ``codes`` (empty: every rule) whose start lies in [start, end) are suppressed.

    ``start``/``end`` are (line, column) pairs as findings count them; ``line``/``col``: where the
    directive itself is (reported there when it is stale); ``text``: the directive as written;
    ``used``: the codes (or "" for all) that suppressed something."""

    _fields = ("codes", "start", "end", "line", "col", "text", "used")

    def __init__(self, codes: tuple[str, ...], start: tuple[int, int], end: tuple[int, int], line: int, col: int,
                 text: str, used: set | None = None):
        self.codes = codes
        self.start = start
        self.end = end
        self.line = line
        self.col = col
        self.text = text
        self.used = set() if used is None else used

    def covers(self, f) -> bool:
        if self.codes and not any(_names(c, f.rule) for c in self.codes):
            return False
        lo, hi = _span(f)
        return lo < self.end and self.start < hi


def _names(code: str, rule: str) -> bool:
    """Whether the id ``code`` of a directive names ``rule`` (itself, or a prefix of it: GX5, GX50)."""
    return rule == code or (len(code) < 5 and rule.startswith(code))


def _keys(rule: str) -> list[str]:
    """The ids a directive may name ``rule`` by (:func:`_names`), and "" (every rule)."""
    return ["", rule, *(rule[:k] for k in range(1, min(len(rule), 5)))]


def _span(f) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (line, column) range [lo, hi) of finding ``f``; an empty range is its first character."""
    lo, hi = (f.line, f.column), (max(f.end_line, f.line), f.end_column)
    if hi <= lo:
        hi = (lo[0], lo[1] + 1)
    return lo, hi


def text_directives(lines: list[str]) -> tuple[list[Suppression], set[int]]:
    """Suppressions written in the source ``lines`` of a text, Markdown or HTML report, and the
    1-based numbers of the lines that hold nothing but a directive."""
    if not _ANY.search("\n".join(lines)):
        return [], set()
    found: list[tuple[int, int, str, str, str]] = []  # line, col, what, codes, text
    only: set[int] = set()
    for i, ln in enumerate(lines, 1):
        if not _ANY.search(ln):
            continue
        m = _TEXT.match(ln)
        if m:
            found.append((i, ln.index(ln.strip()[:1]) + 1, m.group(1).lower(), m.group(2) or "", ln.strip()))
            only.add(i)
            continue
        here = [(i, m.start() + 1, m.group(1).lower(), m.group(2), m.group(0)) for m in _HTML.finditer(ln)]
        if here:
            found += here
            if not _HTML.sub("", ln).strip():
                only.add(i)
    if any(what == "disable-next-line" for _, _, what, _, _ in found):
        # next_text[j]: the first line after line j with text (not a directive, not markup only)
        next_text = [None] * (len(lines) + 2)
        for j in range(len(lines), 0, -1):
            after = j + 1
            has_text = after <= len(lines) and after not in only and _TAGS.sub("", lines[after - 1]).strip()
            next_text[j] = after if has_text else next_text[after]
    out: list[Suppression] = []
    open_all: set[int] = set()  # open disable ranges of every rule (their indices in out)
    open_by: dict[str, set[int]] = {}  # id -> the open disable ranges naming it
    for line, col, what, raw, text in found:
        codes = parse_codes(raw)
        if what == "disable-next-line":
            nxt = next_text[line]
            if nxt is not None:
                out.append(Suppression(codes, (nxt, 0), (nxt + 1, 0), line, col, text))
        elif what == "disable":
            for c in codes or ():
                open_by.setdefault(c, set()).add(len(out))
            if not codes:
                open_all.add(len(out))
            out.append(Suppression(codes, (line + 1, 0), (INFINITY, 0), line, col, text))
        else:  # enable: ends the open ranges of these codes, and those of every rule (all when none given)
            ended = set(open_all)
            for c in codes or list(open_by):
                ended |= open_by.pop(c, set())
            open_all.clear()
            for k in ended:
                out[k].end = (line, 0)
                for c in out[k].codes:
                    if c in open_by:
                        open_by[c].discard(k)
    return out, only


def word_codes(comment_text: str) -> tuple[str, ...] | None:
    """The rule ids of a Word comment ``gxlint: ignore GX017 …``; None when it is no directive."""
    m = _WORD.match(comment_text)
    if not m:
        return None
    return parse_codes(comment_text[m.end():])


def prepare(doc: Document) -> tuple[Document, list[Suppression]]:
    """The document without its directive-only paragraphs, and the suppressions it holds."""
    if doc.format == "docx":
        if doc.review_comments is False:  # (the reader saw every part's name: the package is not opened again)
            return doc, []
        from .docx_comments import suppressions

        return doc, suppressions(doc.path)
    if not doc.lines:
        return doc, []
    sups, only = text_directives(doc.lines)
    if only:
        kept = [b for b in doc.blocks if not (isinstance(b, Paragraph) and b.line in only)]
        if len(kept) != len(doc.blocks):
            doc = doc.replace(blocks=kept)
    return doc, sups


def apply(findings: list, sups: list[Suppression], judged, known, stale_rule=None, report=None) -> list:
    """``findings`` less the suppressed ones, plus a ``stale_rule`` finding for each directive
    (or id of one) that suppressed nothing; ``judged(code)`` says whether the rules of ``code``
    all ran fully on this file, ``known(code)`` whether some rule of the pack has it."""
    if not sups:
        return findings
    sweep = _Sweep(sups)
    hit = [False] * len(findings)
    for i in sorted(range(len(findings)), key=lambda k: _span(findings[k])[0]):
        hit[i] = sweep.suppresses(findings[i])
    kept = [f for f, h in zip(findings, hit) if not h]
    if stale_rule is None or report is None:
        return kept
    for s in sups:
        if s.codes:
            unused = [c for c in s.codes if c not in s.used and (judged(c) or not known(c))]
        else:
            unused = [] if s.used else ["全部规则"]
        if unused:
            what = "、".join(c if known(c) or c == "全部规则" else f"{c}（没有这条规则）" for c in unused)
            kept.append(stale_finding(stale_rule, report, s, what))
    return kept


class _Sweep:
    """Which directives cover each finding, the findings asked in order of their start.

    A directive whose range starts at or before a finding's start covers it when it has not
    ended there: those are kept "open", indexed by the ids they name ("" for every rule), and
    closed (a heap by their end) as the findings move past them.  Under each id, the open
    directives that have not yet suppressed a finding of that id are kept apart from those that
    have: a finding marks the first kind used and then looks only at whether any is open, so
    each (directive, id) is marked once however many findings it covers.  A directive that
    starts inside a finding's range (a finding over several lines) is found by bisection.
    Time: O((findings × ids of a rule + directives) × log) plus the directives starting
    inside the findings' ranges."""

    def __init__(self, sups: list[Suppression]):
        self.order = sorted(sups, key=lambda s: s.start)
        self.starts = [s.start for s in self.order]
        self.next = 0  # self.order[:next] have been opened
        self.ends: list = []  # heap of (end, index in order) of the open directives
        self.fresh: dict[str, set] = {}  # id -> indices of open directives not yet used for it
        self.spent: dict[str, set] = {}  # id -> indices of open directives used for it

    def suppresses(self, f) -> bool:
        lo, hi = _span(f)
        while self.next < len(self.order) and self.order[self.next].start <= lo:
            s = self.order[self.next]
            heapq.heappush(self.ends, (s.end, self.next))
            for c in s.codes or ("",):
                self.fresh.setdefault(c, set()).add(self.next)
            self.next += 1
        while self.ends and self.ends[0][0] <= lo:  # ended before this finding and every later one
            _, k = heapq.heappop(self.ends)
            for c in self.order[k].codes or ("",):
                self.fresh.get(c, set()).discard(k)
                self.spent.get(c, set()).discard(k)
        hit = False
        for c in _keys(f.rule):
            fresh = self.fresh.get(c)
            if fresh:
                for k in fresh:
                    _mark(self.order[k], f.rule)
                self.spent.setdefault(c, set()).update(fresh)
                fresh.clear()
                hit = True
            elif self.spent.get(c):
                hit = True
        # directives that start inside the finding's range, after its start
        for k in range(bisect_right(self.starts, lo), bisect_left(self.starts, hi)):
            s = self.order[k]
            if s.covers(f):
                _mark(s, f.rule)
                hit = True
        return hit


def _mark(s: Suppression, rule: str) -> None:
    """Directive ``s`` suppressed a finding of ``rule``."""
    s.used.update([c for c in s.codes if rule.startswith(c)] if s.codes else [""])


def stale_finding(rule, report, s: Suppression, codes: str):
    """The finding of ``rule`` (kind unused_suppression) on the directive ``s``."""
    if report.doc.format == "docx":  # the directive is a comment's text, not the document's: a point
        return rule._finding(report, s.line, s.col, s.line, s.col, "", f"批注「{s.text}」", None,
                             {"codes": codes, "directive": s.text})
    return rule._finding(report, s.line, s.col, s.line, s.col + len(s.text), s.text, "", None,
                         {"codes": codes, "directive": s.text})
