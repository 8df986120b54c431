"""styles.xml: style names as python-docx shows them, heading levels, style-linked numbering."""
from __future__ import annotations

import re

from .ns import (
    W_BASEDON,
    W_DEFAULT,
    W_ILVL,
    W_NAME,
    W_NUMID,
    W_NUMPR,
    W_OUTLINELVL,
    W_PPR,
    W_STYLE,
    W_STYLEID,
    W_TYPE,
    W_VAL,
    _int,
)

# python-docx shows these built-in names capitalised (docx.styles.BabelFish)
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header",
             **{f"heading {i}": f"Heading {i}" for i in range(1, 10)}}
_HEADING_NAME = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)

# =========================================================================== styles
class _Style:
    __slots__ = ("sid", "name", "based_on", "num_id", "ilvl", "outline")

    def __init__(self, sid, name, based_on, num_id, ilvl, outline):
        self.sid, self.name, self.based_on = sid, name, based_on
        self.num_id, self.ilvl, self.outline = num_id, ilvl, outline


def _ppr_numbering(ppr):
    """(numId, ilvl, outlineLvl) from a w:pPr; each None when absent."""
    num_id = ilvl = outline = None
    for c in ppr:
        tag = c.tag
        if tag == W_NUMPR:
            for n in c:
                if n.tag == W_NUMID:
                    num_id = _int(n.get(W_VAL))
                elif n.tag == W_ILVL:
                    ilvl = _int(n.get(W_VAL))
        elif tag == W_OUTLINELVL:
            outline = _int(c.get(W_VAL))
    return num_id, ilvl, outline


class _Styles:
    def __init__(self, root):
        self.paragraph: dict[str, _Style] = {}
        self.numbering: dict[str, _Style] = {}  # numbering styles (w:numStyleLink targets)
        self.default: str | None = None
        self._chain: dict[str, list] = {}
        self._resolved: dict[str, tuple] = {}
        if root is None:
            return
        for st in root.iter(W_STYLE):
            kind = st.get(W_TYPE) or "paragraph"
            if kind not in ("paragraph", "numbering"):
                continue
            sid = st.get(W_STYLEID)
            if sid is None:
                continue
            name = based = ppr = None
            for c in st:
                tag = c.tag
                if tag == W_NAME:
                    name = c.get(W_VAL)
                elif tag == W_BASEDON:
                    based = c.get(W_VAL)
                elif tag == W_PPR:
                    ppr = _ppr_numbering(c)
            self._add(kind, sid, st.get(W_DEFAULT), name, based, ppr)

    def _add(self, kind, sid, default, name, based, ppr) -> None:
        num_id, ilvl, outline = ppr if ppr is not None else (None, None, None)
        style = _Style(sid, name if name is not None else sid, based, num_id, ilvl, outline)
        if kind == "numbering":
            self.numbering[sid] = style
        else:
            self.paragraph.setdefault(sid, style)
            if self.default is None and default in ("1", "true", "on"):
                self.default = sid

    def chain(self, sid) -> list:
        """The style and its basedOn ancestors (cycle-safe)."""
        got = self._chain.get(sid)
        if got is None:
            got, seen = [], set()
            cur = self.paragraph.get(sid)
            while cur is not None and cur.sid not in seen and len(got) < 32:
                seen.add(cur.sid)
                got.append(cur)
                cur = self.paragraph.get(cur.based_on) if cur.based_on else None
            self._chain[sid] = got
        return got

    def numbered(self, sid) -> bool:
        """Whether paragraphs of style ``sid`` (None: the default style) are numbered by their style."""
        sid = sid if sid is not None else self.default
        return sid is not None and bool(self.resolve(sid)[2])

    def resolve(self, sid):
        """(display name, heading level, numId, ilvl) of a paragraph style id."""
        got = self._resolved.get(sid)
        if got is not None:
            return got
        chain = self.chain(sid)
        if chain:
            raw = chain[0].name
            name = _UI_NAMES.get(raw, raw)
        else:
            name = sid or ""
        level = None
        for st in chain:
            if st.outline is not None:
                level = st.outline + 1 if 0 <= st.outline <= 8 else None
                break
            m = _HEADING_NAME.match(st.name)
            if m:
                level = int(m.group(1))
                break
        num_id = ilvl = None
        for st in chain:
            if num_id is None and st.num_id is not None:
                num_id = st.num_id
            if ilvl is None and st.ilvl is not None:
                ilvl = st.ilvl
        got = (name, level, num_id, ilvl)
        self._resolved[sid] = got
        return got
