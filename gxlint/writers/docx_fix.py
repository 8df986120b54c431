"""Apply the findings' fixes to a copy of a .docx as tracked changes.

A fix replaces the finding's range with its replacement.  Only the characters
that differ are changed (a character diff of the two): each deleted stretch is
wrapped in ``w:del``, each new one is a run in ``w:ins``, both by author
gxlint, so a reviewer accepts or rejects every fix in Word or WPS.  Untouched
characters keep their runs and formatting; an inserted run copies the
formatting of the first character it replaces (or of the character before it).

A fix is skipped when its place no longer holds the finding's excerpt, when it
overlaps a fix applied before it, or when its characters are where an edit
would not hold: split over paragraphs, in a text box (Word keeps a second copy
of it), in a field's result (Word recomputes it), inside another tracked change,
or in runs holding more than text (pictures, page breaks, ruby, equations).
"""
from __future__ import annotations

import difflib
import itertools

from ..findings import Finding
from ..readers.docx import (
    W_BR,
    W_CR,
    W_DEL,
    W_FLDSIMPLE,
    W_INS,
    W_MOVETO,
    W_NBH,
    W_PTAB,
    W_R,
    W_RPR,
    W_T,
    W_TAB,
    W_TXBX,
    W_TYPE,
    paragraph_spans,
)
from ._docx import (
    AUTHOR,
    W_ID,
    Locator,
    Package,
    copy_rpr,
    cut,
    first_after,
    last_before,
    new_run,
    next_id,
    now,
    put_after,
    refuse_same_file,
    w,
)

_TEXT_ONLY = frozenset({W_RPR, W_T, W_TAB, W_PTAB, W_CR, W_NBH, w("lastRenderedPageBreak"), w("softHyphen")})
W_FLDCHAR, W_FLDCHARTYPE, W_DELTEXT = w("fldChar"), w("fldCharType"), w("delText")


def fix_docx(src: str, findings: list[Finding], dst: str) -> int:
    """Write ``dst``: a copy of ``src`` with the findings' fixes as tracked changes; return how many."""
    refuse_same_file(src, dst, "--fix -o")
    pkg = Package(src)
    where = Locator(pkg.root)
    chosen: list = []
    for f in findings:
        if f.fix is None:
            continue
        t = where.find(f)
        if t is None or any(u.block is t.block and _overlap((t.a, t.b), (u.a, u.b)) for u, _ in chosen):
            continue
        chosen.append((t, f.fix.replacement))
    ids = itertools.count(next_id(pkg.root))
    date = now()
    applied = 0
    # right to left: an edit never moves the offsets of the fixes before it in its paragraph
    for t, new in sorted(chosen, key=lambda c: c[0].a, reverse=True):
        applied += _apply(pkg.root, t, new, lambda: {W_ID: str(next(ids)), w("author"): AUTHOR, w("date"): date})
    pkg.save(dst)
    return applied


def _overlap(r1: tuple, r2: tuple) -> bool:
    """Ranges that share a character, or start at the same place (the order of edits there is unclear)."""
    (a, b), (c, d) = r1, r2
    return a == c or (a < d and c < b)


def _apply(root, t, new: str, rev) -> int:
    """Apply one fix as tracked changes; 1 if done, 0 if skipped (the text is left as it was)."""
    old = t.block.text[t.a:t.b]
    ops = [op for op in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not ops:
        return 0
    lo, hi = t.a + ops[0][1], t.a + ops[-1][2]
    home = next(((p, s) for p, s, text in t.pieces() if s <= lo and hi <= s + len(text)), None)
    if home is None or any(a.tag == W_TXBX for a in home[0].iterancestors()):
        return 0
    p, base = home
    spots = [(t.a + i1 - base, t.a + i2 - base) for _, i1, i2, _, _ in ops]  # offsets in p
    if not all(cut(p, x) and cut(p, y) for x, y in spots):
        return 0
    fields = _field_runs(root)
    for x, y in spots:
        victims = _victims(p, x, y)
        near = victims or [_neighbour(p, x)]
        if not all(el is None or _editable(el, p, fields) for el in near):
            return 0
    for (_, _, _, j1, j2), (x, y) in zip(reversed(ops), reversed(spots)):
        victims = _victims(p, x, y)
        rpr = copy_rpr(victims[0] if victims else _neighbour(p, x))
        last = None
        for group in _sibling_groups(victims):
            last = group[0].makeelement(W_DEL, rev())
            group[0].addprevious(last)
            for r in group:
                last.append(r)
                for x_t in r.iter(W_T):
                    x_t.tag = W_DELTEXT
        if j2 > j1:
            ins = p.makeelement(W_INS, rev())
            ins.append(new_run(rpr, new[j1:j2]))
            if last is not None:
                last.addnext(ins)
            else:
                put_after(p, x, ins)
    return 1


def _neighbour(p, x: int):
    """The run whose formatting text inserted at ``x`` takes: the one before, else the one after."""
    el = last_before(p, x)
    return el if el is not None else first_after(p, x)


def _victims(p, x: int, y: int) -> list:
    return [el for el, s, e in paragraph_spans(p)[1] if x <= s and e <= y and e > s]


def _sibling_groups(runs: list) -> list:
    groups: list = []
    for r in runs:
        if groups and groups[-1][-1].getnext() is r:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _editable(el, p, fields: set) -> bool:
    """A run of plain text, outside fields and other tracked changes."""
    if el.tag != W_R or el in fields:
        return False
    for c in el:
        if c.tag == W_BR:
            if c.get(W_TYPE) not in (None, "textWrapping"):
                return False
        elif c.tag not in _TEXT_ONLY:
            return False
    a = el.getparent()
    while a is not p:
        if a.tag in (W_INS, W_DEL, W_MOVETO, W_FLDSIMPLE):
            return False
        a = a.getparent()
    return True


def _field_runs(root) -> set:
    """Runs of complex fields, from their w:fldChar begin to end: Word computes their text."""
    out: set = set()
    depth = 0
    for r in root.iter(W_R):
        marks = [c.get(W_FLDCHARTYPE) for c in r if c.tag == W_FLDCHAR]
        if depth or marks:
            out.add(r)
        for m in marks:
            depth = depth + 1 if m == "begin" else max(depth - 1, 0) if m == "end" else depth
    return out
