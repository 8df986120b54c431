"""Word review comments that suppress findings: ``gxlint: ignore GX017`` (see :mod:`gxlint.suppress`).

Read only after the reader has accepted the file (its pre-flight checks passed), and only when
the package has a comments part that mentions gxlint: the comments part is read with the same
size cap and safe parser as the reader's parts, then each directive comment's
``w:commentRangeStart``/``w:commentRangeEnd`` marks are placed in the reader's own numbering
(``paragraph_sources``/``paragraph_spans`` of :mod:`gxlint.readers.docx`), so that a comment's
range is compared with findings in the paragraph numbers and columns they were found at.
A comment without range marks (a point) covers the paragraph of its reference.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from bisect import bisect_left, bisect_right

from .model import Cell
from .suppress import INFINITY, Suppression, word_codes

MAX_PART = 16 * 1024 * 1024  # a comments or document part larger than this is not read for suppressions
_REL_COMMENTS = "/relationships/comments"


def suppressions(path: str) -> list[Suppression]:
    """The suppressions the review comments of the .docx at ``path`` make (none on any trouble:
    the file was already read, so a problem here only means no suppression)."""
    try:
        return _suppressions(path)
    except Exception:  # noqa: BLE001 - a broken comments part suppresses nothing
        return []


def _suppressions(path: str) -> list[Suppression]:
    from .readers.docx import W_T, _CT_PART, _main_part, _parse, _w

    with zipfile.ZipFile(path) as zf:
        infos = {i.filename.lstrip("/").lower(): i for i in zf.infolist()}

        def read(name: str) -> bytes | None:
            info = infos.get(name.lower())
            if info is None or info.file_size > MAX_PART:
                return None
            with zf.open(info) as member:
                return member.read(MAX_PART)

        if not any("comments" in n for n in infos):
            return []
        main = _main_part(_parse(read(_CT_PART), _CT_PART), infos)
        folder, base = posixpath.split(main)
        rels = read(posixpath.join(folder, "_rels", base + ".rels"))
        if rels is None:
            return []
        target = None
        for rel in _parse(rels, "rels"):
            if (rel.get("Type") or "").endswith(_REL_COMMENTS) and rel.get("TargetMode") != "External":
                t = rel.get("Target") or ""
                target = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(folder, t))
        data = read(target) if target else None
        if not data or not re.search(rb"(?i)gxlint", data):
            return []
        directives = {}
        for c in _parse(data, target).iter(_w("comment")):
            text = "\n".join("".join(t.text or "" for t in p.iter(W_T)) for p in c.iter(_w("p")))
            codes = word_codes(text)
            if codes is not None and c.get(_w("id")) is not None:
                directives[c.get(_w("id"))] = (codes, text.strip().split("\n")[0])
        if not directives:
            return []
        document = read(main)
        if document is None:
            return []
        root = _parse(document, main)
    return _place(root, directives)


def _place(root, directives: dict) -> list[Suppression]:
    from .readers.docx import paragraph_sources, paragraph_spans, _w

    order = {el: i for i, el in enumerate(root.iter())}
    where = {}  # w:p -> (line, offset of its text in that line, its text's length, [document order of
    #                     each element showing text], [where the text of each ends])
    for block, lines in paragraph_sources(root):
        for k, ps in enumerate(lines):
            line = block.line + k if isinstance(block, Cell) else block.line
            off = 0
            for p in ps:
                text, spans = paragraph_spans(p)
                where[p] = (line, off, len(text), [order.get(x, INFINITY) for x, _, _ in spans], [e for _, _, e in spans])
                off += len(text)
    paras = sorted(where, key=order.__getitem__)
    para_order = [order[p] for p in paras]
    marks: dict[str, dict] = {}
    for tag, key in (("commentRangeStart", "start"), ("commentRangeEnd", "end"), ("commentReference", "ref")):
        for el in root.iter(_w(tag)):
            cid = el.get(_w("id"))
            if cid in directives:
                marks.setdefault(cid, {})[key] = _position(el, where, order, paras, para_order, key == "start")
    out = []
    for cid, (codes, text) in directives.items():
        m = marks.get(cid, {})
        start, end = m.get("start"), m.get("end")
        if start is None or end is None or end <= start:
            point = start or end or m.get("ref")
            if point is None:
                continue  # a comment anchored nowhere (a reply Word keeps only in commentsExtended)
            start, end = (point[0], 0), (point[0] + 1, 0)  # the paragraph (or cell line) of the point
        else:
            start, end = (start[0], start[1] + 1), (end[0], end[1] + 1)  # offsets -> 1-based columns
        out.append(Suppression(codes, start, end, start[0], max(start[1], 1), text))
    return out


def _position(el, where: dict, order: dict, paras: list, para_order: list, is_start: bool):
    """(line, 0-based offset in that line's text) of the mark ``el``: each mark costs a bisection
    (10,000 directive comments in one paragraph are not 10,000 walks of it)."""
    i = order[el]
    p = next((a for a in el.iterancestors() if a in where), None)
    if p is not None:
        line, off, _, span_order, span_end = where[p]
        k = bisect_left(span_order, i)  # the elements showing text before the mark (in document order)
        return line, off + (span_end[k - 1] if k else 0)  # (the ends only grow along the paragraph)
    # between paragraphs: the start of the next one, or the end of the one before
    if is_start:
        k = bisect_right(para_order, i)
        return (where[paras[k]][0], where[paras[k]][1]) if k < len(paras) else None
    k = bisect_left(para_order, i)
    return (where[paras[k - 1]][0], where[paras[k - 1]][1] + where[paras[k - 1]][2]) if k else None
