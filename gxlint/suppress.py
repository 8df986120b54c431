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
"""
from __future__ import annotations

import re

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
        if self.codes and not any(f.rule == c or (len(c) < 5 and f.rule.startswith(c)) for c in self.codes):
            return False
        lo, hi = (f.line, f.column), (max(f.end_line, f.line), f.end_column)
        if hi <= lo:
            hi = (lo[0], lo[1] + 1)
        return lo < self.end and self.start < hi


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
        rest = ln
        for m in _HTML.finditer(ln):
            found.append((i, m.start() + 1, m.group(1).lower(), m.group(2), m.group(0)))
            rest = rest.replace(m.group(0), "")
        if rest.strip() == "" and any(x[0] == i for x in found):
            only.add(i)
    out: list[Suppression] = []
    open_: list[Suppression] = []
    for line, col, what, raw, text in found:
        codes = parse_codes(raw)
        if what == "disable-next-line":
            nxt = next((j for j in range(line + 1, len(lines) + 1) if _TAGS.sub("", lines[j - 1]).strip() and j not in only),
                       None)
            if nxt is not None:
                out.append(Suppression(codes, (nxt, 0), (nxt + 1, 0), line, col, text))
        elif what == "disable":
            s = Suppression(codes, (line + 1, 0), (INFINITY, 0), line, col, text)
            out.append(s)
            open_.append(s)
        else:  # enable: ends the open ranges of these codes (all when none given)
            for s in list(open_):
                if not codes or set(s.codes) & set(codes) or not s.codes:
                    s.end = (line, 0)
                    open_.remove(s)
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
    kept = []
    for f in findings:
        hit = [s for s in sups if s.covers(f)]
        for s in hit:
            s.used.update([c for c in s.codes if f.rule.startswith(c)] if s.codes else [""])
        if not hit:
            kept.append(f)
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


def stale_finding(rule, report, s: Suppression, codes: str):
    """The finding of ``rule`` (kind unused_suppression) on the directive ``s``."""
    if report.doc.format == "docx":  # the directive is a comment's text, not the document's: a point
        return rule._finding(report, s.line, s.col, s.line, s.col, "", f"批注「{s.text}」", None,
                             {"codes": codes, "directive": s.text})
    return rule._finding(report, s.line, s.col, s.line, s.col + len(s.text), s.text, "", None,
                         {"codes": codes, "directive": s.text})
