"""The walk over document.xml: accepted-view text of runs and paragraphs, text boxes, the block
walker (paragraphs, tables and cells, content controls), and :func:`paragraph_sources` /
:func:`paragraph_spans` for the writers."""
from __future__ import annotations

from gxlint.model import Cell, Paragraph, Table
from gxlint.readers import MAX_COLUMNS

from .ns import (
    M_OMATH,
    M_OMATHPARA,
    M_T,
    MC_ALT,
    MC_CHOICE,
    MC_FALLBACK,
    W_BDO,
    W_BODY,
    W_BR,
    W_CR,
    W_CUSTOMXML,
    W_DEL,
    W_DIR,
    W_DRAWING,
    W_FLDSIMPLE,
    W_GRIDBEFORE,
    W_GRIDSPAN,
    W_HYPERLINK,
    W_ILVL,
    W_INS,
    W_MOVEFROM,
    W_MOVETO,
    W_NBH,
    W_NUMID,
    W_NUMPR,
    W_OBJECT,
    W_OUTLINELVL,
    W_P,
    W_PICT,
    W_PPR,
    W_PSTYLE,
    W_PTAB,
    W_R,
    W_RPR,
    W_RUBY,
    W_RUBYBASE,
    W_SDT,
    W_SDTCONTENT,
    W_SMARTTAG,
    W_T,
    W_TAB,
    W_TBL,
    W_TC,
    W_TCPR,
    W_TR,
    W_TRPR,
    W_TXBX,
    W_TYPE,
    W_VAL,
    W_VMERGE,
    _int,
)
from .numbering import _Numbering
from .styles import _Styles

# inline containers whose runs belong to the accepted view
_TRANSPARENT = frozenset({W_INS, W_MOVETO, W_HYPERLINK, W_SMARTTAG, W_FLDSIMPLE,
                          W_CUSTOMXML, W_DIR, W_BDO, W_SDTCONTENT})
_RUN_CHARS = {W_TAB: "\t", W_PTAB: "\t", W_CR: "\n", W_NBH: "-"}
_BOX_HOSTS = frozenset({W_DRAWING, W_PICT, W_OBJECT, MC_ALT})

def paragraph_sources(doc_root) -> list:
    """Where the text of every Paragraph and Cell read from ``doc_root`` (a w:document) comes from.

    Returns ``[(block, lines)]`` in reading order.  ``block`` is the Paragraph or
    Cell with the ``line`` and ``text`` that findings refer to (style and list
    number are not computed here).  ``lines`` holds lists of w:p elements: one
    for a paragraph, one per line of a cell's text (joined by "\n"); a list has
    several w:p when paragraph marks are deleted (their texts are concatenated).
    """
    trace: list = []
    body = doc_root.find(W_BODY)
    if body is not None:
        styles = _Styles(None)
        _Walker(styles, _Numbering(None, styles), trace).blocks(body, [])
    return trace


def paragraph_spans(p) -> tuple[str, list]:
    """The accepted-view text of the w:p ``p`` and ``[(element, start, end)]``: the w:r (or
    m:oMath, m:oMathPara) that shows each range of that text, in order."""
    spans: list = []
    return _Para(p, spans).text, spans

# =========================================================================== text
def _collect(el, parts: list, boxes: list, spans: list | None = None) -> None:
    """Accepted-view text of the inline content of ``el`` (a w:p or an inline container).

    Text-box contents met on the way are appended to ``boxes`` (not to the text).
    With ``spans``, every element that shows text (w:r, m:oMath) is appended to it
    with the index in ``parts`` where its text starts.
    """
    for c in el:
        tag = c.tag
        if tag == W_R:
            if spans is not None:
                spans.append((c, len(parts)))
            _run(c, parts, boxes)
        elif tag in _TRANSPARENT:
            _collect(c, parts, boxes, spans)
        elif tag == W_SDT:
            content = c.find(W_SDTCONTENT)
            if content is not None:
                _collect(content, parts, boxes, spans)
        elif tag == MC_ALT:
            branch = _alt_branch(c)
            if branch is not None:
                _collect(branch, parts, boxes, spans)
        elif tag == M_OMATHPARA or tag == M_OMATH:
            if spans is not None:
                spans.append((c, len(parts)))
            parts.extend(t.text or "" for t in c.iter(M_T))
        # w:del, w:moveFrom, w:pPr, bookmarks, comment marks, proofErr...: nothing to read


def _run(r, parts: list, boxes: list) -> None:
    for c in r:
        tag = c.tag
        if tag == W_RPR:
            continue
        if tag == W_T:
            parts.append(c.text or "")
            if len(c):  # unresolved entity references: keep the text around them
                parts.extend(x.tail or "" for x in c)
        elif tag in _RUN_CHARS:
            parts.append(_RUN_CHARS[tag])
        elif tag == W_BR:
            if c.get(W_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag in _BOX_HOSTS:
            _find_boxes(c, boxes)
        elif tag == W_RUBY:
            base = c.find(W_RUBYBASE)
            if base is not None:
                _collect(base, parts, boxes)


def _alt_branch(alt):
    """The mc:AlternateContent branch to read: the first Choice, else the Fallback."""
    fallback = None
    for c in alt:
        if c.tag == MC_CHOICE:
            return c
        if c.tag == MC_FALLBACK:
            fallback = c
    return fallback


def _find_boxes(el, boxes: list) -> None:
    """w:txbxContent elements under ``el``, each text box once.

    In mc:AlternateContent the Choice (DrawingML) and the Fallback (VML) hold the
    same box: read the first Choice that has one, else the Fallback.  Boxes
    nested inside a box are found when that box is read.
    """
    if el.tag == W_TXBX:
        boxes.append(el)
        return
    if el.tag == MC_ALT:
        for alt in el:
            if alt.tag == MC_CHOICE or alt.tag == MC_FALLBACK:
                found: list = []
                for c in alt:
                    _find_boxes(c, found)
                if found or alt.tag == MC_FALLBACK:
                    boxes.extend(found)
                    return
        return
    for c in el:
        if len(c) or c.tag == W_TXBX:
            _find_boxes(c, boxes)


def _count_paragraphs(el) -> int:
    n = 0
    for c in el:
        if c.tag == MC_FALLBACK:
            continue
        if c.tag == W_P:
            n += 1
        if len(c):
            n += _count_paragraphs(c)
    return n


def _first(parent, tag):
    """The first child of ``parent`` with ``tag`` (a property element such as w:tcPr comes
    first, so this is faster than ``find``, which goes through ElementPath)."""
    for c in parent:
        if c.tag == tag:
            return c
    return None


def _children(parent, tag):
    """Children of ``parent`` with ``tag``, looking through w:sdt and w:customXml."""
    for c in parent:
        t = c.tag
        if t == tag:
            yield c
        elif t == W_SDT:
            content = c.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif t == W_CUSTOMXML:
            yield from _children(c, tag)


# =========================================================================== walk
class _Para:
    """What the walker needs from one w:p.

    With ``spans`` (a list), also where each range of the text comes from: it is
    filled with ``(element, start, end)`` for every w:r or m:oMath, in order.
    ``marks=False`` (the document has no tracked deletion) skips looking for a
    deleted paragraph mark in the properties of the mark.
    """

    __slots__ = ("text", "boxes", "sid", "num_id", "ilvl", "outline", "mark_deleted")

    def __init__(self, p, spans: list | None = None, marks: bool = True):
        parts: list = []
        self.boxes: list = []
        self.sid = self.num_id = self.ilvl = self.outline = None
        self.mark_deleted = False
        for c in p:
            tag = c.tag
            if tag == W_PPR:
                for x in c:
                    xt = x.tag
                    if xt == W_PSTYLE:
                        self.sid = x.get(W_VAL)
                    elif xt == W_NUMPR:
                        for n in x:
                            if n.tag == W_NUMID:
                                self.num_id = _int(n.get(W_VAL))
                            elif n.tag == W_ILVL:
                                self.ilvl = _int(n.get(W_VAL))
                    elif xt == W_OUTLINELVL:
                        self.outline = _int(x.get(W_VAL))
                    elif xt == W_RPR and marks:  # a deleted paragraph mark
                        for y in x:
                            if y.tag == W_DEL or y.tag == W_MOVEFROM:
                                self.mark_deleted = True
            elif tag == W_R:
                if spans is not None:
                    spans.append((c, len(parts)))
                _run(c, parts, self.boxes)
            elif tag in _TRANSPARENT:
                _collect(c, parts, self.boxes, spans)
            elif tag == W_SDT:
                content = c.find(W_SDTCONTENT)
                if content is not None:
                    _collect(content, parts, self.boxes, spans)
            elif tag == MC_ALT or tag == M_OMATHPARA or tag == M_OMATH:
                _collect((c,), parts, self.boxes, spans)  # _collect iterates its argument
        self.text = "".join(parts)
        if spans:  # (element, index in parts) -> (element, start, end) in the text
            ends = [0]
            for x in parts:
                ends.append(ends[-1] + len(x))
            bounds = [k for _, k in spans] + [len(parts)]
            spans[:] = [(el, ends[bounds[i]], ends[bounds[i + 1]]) for i, (el, _) in enumerate(spans)]


class _Grid:
    """The rows of origin cells of one table as its cells are read, in order: where each cell goes
    in the grid (after w:gridBefore, w:gridSpan of the cells before it), vertical merges
    (w:vMerge) joined to their origin cell, and the table's line (that of its first paragraph)."""

    __slots__ = ("rows", "row", "first_line", "open_v", "next_open")

    def __init__(self):
        self.rows: list = []
        self.row: list = []
        self.first_line = None
        self.open_v: dict = {}  # grid column -> origin Cell of a running vertical merge
        self.next_open: dict = {}

    def new_row(self) -> None:
        self.row = []
        self.rows.append(self.row)
        self.next_open = {}

    def end_row(self) -> None:
        self.open_v = self.next_open

    def cell(self, texts: list, before: int, n: int, col: int, span: int, vmerge):
        """Place the cell whose paragraphs are the ones numbered ``before`` + 1 to ``n`` (their
        ``texts``) at grid column ``col``; returns its Cell, or None when it continues the
        vertical merge of the cell above."""
        if self.first_line is None and n > before:
            self.first_line = before + 1
        r = len(self.rows) - 1
        origin = self.open_v.get(col) if vmerge == "continue" else None
        if origin is not None:
            origin.rowspan = r - origin.row + 1
            self.next_open[col] = origin
            return None
        line = before + 1 if n > before else max(before, 1)
        cell = Cell("\n".join(texts), line, 1, r, col, 1, span)  # text, line, col, row, column, spans
        self.row.append(cell)
        if vmerge is not None:  # restart (or a continue with nothing above)
            self.next_open[col] = cell
        return cell

    def table(self, n: int) -> Table:
        """The table read, ``n`` paragraphs having been read when it ends."""
        return Table(rows=self.rows, line=self.first_line if self.first_line is not None else max(n, 1),
                     grid=True)


class _Walker:
    def __init__(self, styles: _Styles, numbering: _Numbering, trace: list | None = None, marks: bool = True):
        self.styles = styles
        self.numbering = numbering
        self.marks = marks  # False: the document holds no tracked deletion (see _may_delete)
        self.n = 0  # paragraphs read so far
        self.trace = trace  # gets (block, lines of w:p) for paragraph_sources()

    # ---- paragraph properties
    def _props(self, sid, num_id, ilvl, outline):
        """(style name, heading level, number label) of a paragraph with these direct properties
        (w:pStyle, w:numPr's numId and ilvl, w:outlineLvl; None when absent); advances list counters."""
        styles = self.styles
        if sid is None:
            sid = styles.default
        name, level, s_num, s_ilvl = styles.resolve(sid) if sid is not None else ("", None, None, None)
        if outline is not None:
            level = outline + 1 if 0 <= outline <= 8 else None
        if num_id is None:
            num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
        label = ""
        if num_id:  # None or 0: not numbered
            if ilvl is None:  # a level linked to the style (w:lvl/w:pStyle), else level 0
                for st in styles.chain(sid):
                    ilvl = self.numbering.pstyle_level(num_id, st.sid)
                    if ilvl is not None:
                        break
                if ilvl is None:
                    ilvl = 0
            if 0 <= ilvl <= 8:
                label = self.numbering.label(num_id, ilvl)
        return name, level, label

    # ---- block containers (body, sdtContent, customXml, text boxes)
    def blocks(self, container, out: list) -> None:
        pending = None  # (text, line, para, box blocks, w:p list) of paragraphs whose mark is deleted
        for el in container:
            tag = el.tag
            if tag == W_P:
                self.n += 1
                line = self.n
                para = _Para(el, marks=self.marks)
                if para.mark_deleted:
                    box_blocks: list = []
                    for box in para.boxes:
                        self.blocks(box, box_blocks)
                    if pending is None:
                        pending = (para.text, line, para, box_blocks, [el])
                    else:
                        pending = (pending[0] + para.text, pending[1], pending[2],
                                   pending[3] + box_blocks, pending[4] + [el])
                    continue
                text = para.text
                earlier_boxes = ()
                els = [el]
                if pending is not None:
                    text = pending[0] + text
                    line = pending[1]
                    earlier_boxes = pending[3]
                    els = pending[4] + els
                    pending = None
                name, level, label = self._props(para.sid, para.num_id, para.ilvl, para.outline)
                block = Paragraph(text=text, line=line, col=1, number=label, style=name,
                                  heading_level=level)
                out.append(block)
                if self.trace is not None:
                    self.trace.append((block, [els]))
                out.extend(earlier_boxes)
                for box in para.boxes:
                    self.blocks(box, out)
                continue
            if pending is not None:
                self._flush(pending, out)
                pending = None
            if tag == W_TBL:
                self.table(el, out)
            elif tag == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    self.blocks(content, out)
            elif tag == W_CUSTOMXML:
                self.blocks(el, out)
            elif tag == MC_ALT:
                branch = _alt_branch(el)
                if branch is not None:
                    self.blocks(branch, out)
        if pending is not None:
            self._flush(pending, out)

    def _flush(self, pending, out: list) -> None:
        text, line, para, box_blocks, els = pending
        name, level, label = self._props(para.sid, para.num_id, para.ilvl, para.outline)
        block = Paragraph(text=text, line=line, col=1, number=label, style=name, heading_level=level)
        out.append(block)
        if self.trace is not None:
            self.trace.append((block, [els]))
        out.extend(box_blocks)

    # ---- tables
    def table(self, tbl, out: list) -> None:
        slot = len(out)
        out.append(None)  # the table goes before its nested tables and text boxes
        extras: list = []
        grid = _Grid()
        for tr in _children(tbl, W_TR):
            grid_before = 0
            deleted = False
            trpr = _first(tr, W_TRPR)
            if trpr is not None:
                for c in trpr:
                    if c.tag == W_GRIDBEFORE:
                        grid_before = min(max(_int(c.get(W_VAL), 0), 0), MAX_COLUMNS)
                    elif c.tag == W_DEL:
                        deleted = True
            if deleted:  # a deleted row is gone in the accepted view
                self.n += _count_paragraphs(tr)
                continue
            grid.new_row()
            col = grid_before
            for tc in _children(tr, W_TC):
                before = self.n
                texts: list = []
                sources: list | None = [] if self.trace is not None else None  # the w:p elements of each text
                tcpr = self.cell(tc, extras, texts, sources)
                span, vmerge = 1, None
                if tcpr is not None:
                    for c in tcpr:
                        if c.tag == W_GRIDSPAN:
                            span = min(max(_int(c.get(W_VAL), 1), 1), max(MAX_COLUMNS - col, 1))
                        elif c.tag == W_VMERGE:
                            vmerge = c.get(W_VAL) or "continue"
                cell = grid.cell(texts, before, self.n, col, span, vmerge)
                if cell is not None and self.trace is not None:
                    self.trace.append((cell, sources))
                col += span
            grid.end_row()
        out[slot] = grid.table(self.n)
        out.extend(extras)

    def cell(self, container, extras: list, texts: list, sources: list | None):
        """Append the accepted-view texts of the paragraphs of a cell (nested tables
        excluded) to ``texts``, and the list of w:p elements of each to ``sources``
        (None: not wanted).  Returns the cell's w:tcPr, met on the way (None if none)."""
        pending = None
        pending_els: list = []
        props = None
        for el in container:
            tag = el.tag
            if tag == W_P:
                self.n += 1
                para = _Para(el, marks=self.marks)
                for box in para.boxes:
                    self.blocks(box, extras)
                if para.mark_deleted:
                    pending = para.text if pending is None else pending + para.text
                    pending_els.append(el)
                    continue
                if para.num_id is not None or self.styles.numbered(para.sid):
                    self._props(para.sid, para.num_id, para.ilvl, para.outline)  # numbered paragraphs in cells count for the list too
                texts.append(para.text if pending is None else pending + para.text)
                if sources is not None:
                    sources.append(pending_els + [el])
                pending = None
                pending_els = []
            elif tag == W_TCPR:
                props = el
            elif tag == W_TBL:
                self.table(el, extras)
            elif tag == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    self.cell(content, extras, texts, sources)
            elif tag == W_CUSTOMXML:
                self.cell(el, extras, texts, sources)
        if pending is not None:
            texts.append(pending)
            if sources is not None:
                sources.append(pending_els)
        return props
