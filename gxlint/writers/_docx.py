"""What the .docx writers share: the package, where a finding is, and cutting runs.

Locations are resolved with the reader's own walk (``paragraph_sources`` and
``paragraph_spans`` in :mod:`gxlint.readers.docx`), so a finding's paragraph
number and columns mean here exactly what they meant when it was found.
"""
from __future__ import annotations

import copy
import datetime
import io
import os
import posixpath
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections import defaultdict

from lxml import etree

from ..errors import E_BAD_XML, E_BROKEN_PACKAGE, E_NOT_WORD, E_USAGE, GxlintError, InputError
from ..model import Cell
from ..readers.docx import (
    _CT_PART,
    _STRICT_W_NS,
    _W_NS,
    W_P,
    W_R,
    W_RPR,
    W_T,
    _load_parts,
    _main_part,
    _parse,
    _run,
    paragraph_sources,
    paragraph_spans,
)
from . import write_atomic

AUTHOR = "gxlint"
W_ID = "{%s}id" % _W_NS
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def w(name: str) -> str:
    return "{%s}%s" % (_W_NS, name)


def xml_safe(s: str) -> str:
    """``s`` without the characters XML 1.0 cannot hold."""
    return _XML_BAD.sub("", s)


def now() -> str:
    """A w:date value: UTC, whole seconds."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def refuse_same_file(src: str, dst: str, option: str) -> None:
    """E022 when ``dst`` is ``src`` itself; the message names ``option``, the one that chose ``dst``."""
    if os.path.exists(src) and os.path.exists(dst) and os.path.samefile(src, dst):
        raise GxlintError(E_USAGE, f"{dst}：输出文件不能是输入文件本身，请为 {option} 另指定一个文件")


# =========================================================================== package
class Package:
    """A .docx held in memory for editing: every member's bytes, the main part parsed.

    Opening runs the reader's pre-flight checks, so a file the reader refuses is
    refused here with the same E0xx error.
    """

    def __init__(self, src: str):
        _load_parts(src)
        self.data: dict[str, bytes] = {}
        self.infos: list[zipfile.ZipInfo] = []
        by_lower: dict[str, zipfile.ZipInfo] = {}
        with zipfile.ZipFile(src) as zf:
            for info in zf.infolist():
                if info.filename in self.data:
                    continue
                try:
                    with zf.open(info) as member:
                        self.data[info.filename] = member.read(info.file_size)
                except Exception:  # noqa: BLE001 - CRC, zlib, unsupported compression...
                    raise InputError(E_BROKEN_PACKAGE, f"部件 {info.filename} 已损坏（校验失败或数据不完整），"
                                                       "请在 Word 中重新保存为 .docx") from None
                self.infos.append(info)
                by_lower.setdefault(info.filename.lstrip("/").lower(), info)
        self._names = {k: v.filename for k, v in by_lower.items()}
        ct = _parse(self.data[self._names[_CT_PART.lower()]], _CT_PART)
        self.main = self._names[_main_part(ct, by_lower)]
        if _STRICT_W_NS in self.data[self.main]:
            raise InputError(E_NOT_WORD, "这是“Strict Open XML”格式的文档，gxlint 只能改写普通 .docx，"
                                         "请在 Word 中另存为“Word 文档（.docx）”后再试")
        self.root = self.parse(self.main)

    def parse(self, part: str):
        """Parse a part for editing: nothing dropped, no entities, no network."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        try:
            return etree.fromstring(self.data[part], parser)
        except etree.XMLSyntaxError:
            raise InputError(E_BAD_XML, f"部件 {part} 的 XML 已损坏，请在 Word 中打开并另存为 .docx 后再试") from None

    def name(self, part: str) -> str | None:
        """The member name of ``part`` (matched without case, as Word does), or None."""
        return self._names.get(part.lstrip("/").lower())

    def put(self, part: str, root) -> None:
        """Store the XML tree ``root`` as ``part`` (a new member if it did not exist)."""
        name = self.name(part)
        if name is None:
            name = part.lstrip("/")
            self._names[name.lower()] = name
            info = zipfile.ZipInfo(name, datetime.datetime.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            self.infos.append(info)
        self.data[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def save(self, dst: str) -> None:
        self.put(self.main, self.root)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as out:
            for info in self.infos:
                zi = zipfile.ZipInfo(info.filename, info.date_time)
                zi.compress_type = zipfile.ZIP_STORED if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                out.writestr(zi, self.data[info.filename])
        write_atomic(dst, buf.getvalue())

    def rels_part(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def related(self, part: str, rel_type: str) -> str | None:
        """The part that ``part`` relates to with ``rel_type``, if it exists in the package."""
        name = self.name(self.rels_part(part))
        if name is None:
            return None
        for rel in _parse(self.data[name], name):
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                path = target[1:] if target.startswith("/") else posixpath.normpath(
                    posixpath.join(posixpath.dirname(part), target))
                if self.name(path) is not None:
                    return self.name(path)
        return None

    def add_part(self, owner: str, part: str, content_type: str, rel_type: str, root) -> None:
        """Add ``part`` with its content-type override and a relationship from ``owner``."""
        self.put(part, root)
        ct_name = self.name(_CT_PART)
        ct = self.parse(ct_name)
        ns = etree.QName(ct).namespace
        ct.append(ct.makeelement("{%s}Override" % ns, {"PartName": "/" + part, "ContentType": content_type}))
        self.put(ct_name, ct)
        rels_name = self.rels_part(owner)
        rels = (self.parse(self.name(rels_name)) if self.name(rels_name)
                else etree.Element("{%s}Relationships" % REL_NS, nsmap={None: REL_NS}))
        ids = {r.get("Id") for r in rels}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        target = posixpath.relpath(part, posixpath.dirname(owner) or ".")
        rels.append(rels.makeelement("{%s}Relationship" % REL_NS,
                                     {"Id": f"rId{n}", "Type": rel_type, "Target": target}))
        self.put(rels_name, rels)


def next_id(*roots) -> int:
    """One more than the largest numeric w:id in these parts."""
    highest = -1
    for root in roots:
        for el in root.iter():
            v = el.get(W_ID) if isinstance(el.tag, str) else None
            if v is not None and v.lstrip("-").isdigit():
                highest = max(highest, int(v))
    return highest + 1


# =========================================================================== where a finding is
class Target:
    """A finding's range [a, b) in the text of one Paragraph or Cell, and its w:p elements."""

    def __init__(self, block, lines: list, a: int, b: int, cache: dict | None = None):
        self.block, self.lines, self.a, self.b = block, lines, a, b
        self._cache = {} if cache is None else cache  # id(block) -> its pieces, shared by the Targets of a Locator

    def pieces(self) -> list:
        """[(w:p, where its text starts in the block's text, the length of its text)] in order, as
        the paragraphs were when first asked (the writers change text from a paragraph's end
        backwards, or not at all: what stands before a change keeps its place)."""
        out = self._cache.get(id(self.block))
        if out is None:
            out, pos = [], 0
            for i, line in enumerate(self.lines):
                if i:
                    pos += 1  # the "\n" between a cell's paragraphs
                for p in line:
                    n = len(paragraph_spans(p)[0])
                    out.append((p, pos, n))
                    pos += n
            self._cache[id(self.block)] = out
        return out

    def start(self, pos: int):
        """(w:p, offset in it) of the character at ``pos`` (the last paragraph's end if none)."""
        pieces = self.pieces()
        i = bisect_right(pieces, pos, key=lambda x: x[1] + x[2])  # the first paragraph ending after pos
        if i < len(pieces):
            p, s, _ = pieces[i]
            return p, max(pos - s, 0)
        p, s, n = pieces[-1]
        return p, n

    def end(self, pos: int):
        """(w:p, offset in it) of the place just after the character before ``pos``; a range
        that ends with a cell's line break ends at the start of the next paragraph."""
        pieces = self.pieces()
        p, s, n = pieces[bisect_right(pieces, pos, key=lambda x: x[1]) - 1]
        return p, min(pos - s, n)


class Locator:
    """Finds the Paragraph or Cell a finding is on, as the reader numbered them; keeps what it
    read of each block and paragraph (:meth:`spans`), so that many findings in one paragraph or
    cell cost a lookup each, not a reading of it each."""

    def __init__(self, root):
        self.sources = paragraph_sources(root)
        self.by_line = defaultdict(list)
        self._pieces: dict = {}  # id(block) -> Target.pieces()
        self._starts: dict = {}  # id(cell) -> where each line of its text starts
        self._spans: dict = {}  # w:p -> its Spans
        for block, lines in self.sources:
            if lines:  # a cell's text has a line per paragraph, numbered from the cell's own
                span = block.text.count("\n") + 1 if isinstance(block, Cell) else 1
                for k in range(span):
                    self.by_line[block.line + k].append((block, lines))

    def find(self, f) -> Target | None:
        """The finding's range, only if the text there is still the finding's excerpt.

        Paragraphs and cells share a number only when a cell is empty (it takes
        the number of the paragraph before it): the one whose whole text is the
        excerpt wins.
        """
        found = []
        for block, lines in self.by_line.get(f.line, ()):
            a = self._offset(block, f.line, f.column)
            b = self._offset(block, f.end_line, f.end_column)
            if a is not None and b is not None and a <= b and f.holds(block.text[a:b]):
                found.append(Target(block, lines, a, b, self._pieces))
        found.sort(key=lambda t: not f.holds(t.block.text))
        return found[0] if found else None

    def first_paragraph(self) -> Target | None:
        """The first paragraph with text (the title, as a rule), whole."""
        for block, lines in self.sources:
            if not isinstance(block, Cell) and block.text.strip():
                return Target(block, lines, 0, len(block.text), self._pieces)
        return None

    def spans(self, p) -> "Spans":
        """The Spans of the w:p ``p``, read when first asked."""
        sp = self._spans.get(p)
        if sp is None:
            sp = self._spans[p] = Spans(p)
        return sp

    def _offset(self, block, line: int, col: int) -> int | None:
        """Offset in ``block.text`` of (line, col); a cell's text has lines, numbered from the
        cell's own line (as Rule.at_cell numbers them)."""
        if isinstance(block, Cell):
            starts = self._starts.get(id(block))
            if starts is None:
                starts = self._starts[id(block)] = [0]
                for x in block.text.split("\n"):
                    starts.append(starts[-1] + len(x) + 1)
            k = line - block.line
            if not 0 <= k < len(starts) - 1 or not 1 <= col <= starts[k + 1] - starts[k]:
                return None
            return starts[k] + col - 1
        if line != block.line or not 1 <= col <= len(block.text) + 1:
            return None
        return col - 1


# =========================================================================== runs
def _length(child) -> int:
    """Characters a child of a w:r shows, as the reader counts them."""
    parts: list = []
    _run((child,), parts, [])
    return sum(len(x) for x in parts)


def split_run(r, k: int) -> bool:
    """Split the w:r ``r`` after its first ``k`` characters (0 < k < its length).

    Both pieces keep the run's properties.  False when character ``k`` is inside
    something that cannot be cut (ruby text, a w:t holding entity references).
    """
    pos = 0
    kids = [c for c in r if c.tag != W_RPR]
    for i, c in enumerate(kids):
        n = _length(c)
        if pos + n <= k:
            pos += n
            continue
        rest = kids[i:]
        if pos < k:
            if c.tag != W_T or len(c):
                return False
            tail = c.makeelement(W_T, {XML_SPACE: "preserve"})
            tail.text = c.text[k - pos:]
            c.text = c.text[:k - pos]
            c.set(XML_SPACE, "preserve")
            rest = [tail] + kids[i + 1:]
        new = r.makeelement(r.tag, r.attrib)
        rpr = r.find(W_RPR)
        if rpr is not None:
            new.append(copy.deepcopy(rpr))
        new.extend(rest)  # moves the children
        r.addnext(new)
        return True
    return True


def copy_rpr(r):
    """A copy of the w:rPr of run ``r`` (None when it has none)."""
    rpr = r.find(W_RPR) if r is not None else None
    return copy.deepcopy(rpr) if rpr is not None else None


class Spans:
    """The elements showing the text of one w:p (w:r, m:oMath; those showing none left out), each
    as [element, start, end] in order, as :func:`paragraph_spans` gives them, read once and kept
    exact as runs are cut (:meth:`cut` records the two pieces), so that each lookup is a
    bisection.  A writer that changes the text calls :meth:`forget` with the first changed
    offset: the elements from there on are dropped, those before keep their places, and a lookup
    past them reads the paragraph again.  (The comments' marks show no text: they change nothing.)"""

    def __init__(self, p):
        self.p = p
        self._read()

    def _read(self) -> None:
        self.items = [[el, s, e] for el, s, e in paragraph_spans(self.p)[1] if e > s]
        self.complete = True  # False once forget() dropped the elements after some place

    def forget(self, pos: int) -> None:
        """The text changed from offset ``pos`` on."""
        del self.items[bisect_left(self.items, pos, key=lambda x: x[1]):]
        self.complete = False

    def _before(self, pos: int) -> int:
        """The index of the last element starting before ``pos`` (-1: none)."""
        return bisect_left(self.items, pos, key=lambda x: x[1]) - 1

    def cut(self, pos: int) -> bool:
        """Make a run boundary at offset ``pos``; False if that is impossible."""
        i = self._before(pos)
        if i < 0 or not pos < self.items[i][2]:
            return True
        el, s, e = self.items[i]
        if el.tag != W_R or not split_run(el, pos - s):
            return False
        self.items[i][2] = pos
        self.items.insert(i + 1, [el.getnext(), pos, e])
        self.was_cut(el, el.getnext())
        return True

    def was_cut(self, first, second) -> None:
        """Run ``first`` was cut; ``second`` holds its rest (for subclasses that keep more)."""

    def within(self, x: int, y: int) -> list:
        """The elements whose text lies within [x, y)."""
        out = []
        for i in range(bisect_left(self.items, x, key=lambda v: v[1]), len(self.items)):
            el, s, e = self.items[i]
            if s >= y:
                break
            if e <= y:
                out.append(el)
        return out

    def first_after(self, pos: int):
        """The first element showing text at or after ``pos`` (one covering ``pos`` counts)."""
        i = bisect_right(self.items, pos, key=lambda x: x[2])
        if i == len(self.items) and not self.complete:
            self._read()
            i = bisect_right(self.items, pos, key=lambda x: x[2])
        return self.items[i][0] if i < len(self.items) else None

    def last_before(self, pos: int):
        """The last element showing text before ``pos`` (one covering ``pos`` counts)."""
        i = self._before(pos)
        return self.items[i][0] if i >= 0 else None

    def put_before(self, pos: int, node) -> None:
        """Insert ``node`` just before the character at ``pos`` (or as close as runs allow)."""
        el = self.first_after(pos)
        if el is not None:
            el.addprevious(node)
            return
        el = self.last_before(pos)
        if el is not None:
            el.addnext(node)
        else:
            self.p.append(node)

    def put_after(self, pos: int, node) -> None:
        """Insert ``node`` just after the character before ``pos``."""
        el = self.last_before(pos)
        if el is not None:
            el.addnext(node)
            return
        el = self.first_after(pos)
        if el is not None:
            el.addprevious(node)
        else:
            self.p.append(node)


def top(p, el):
    """The child of ``p`` that holds ``el`` (``el`` itself when it is a child)."""
    while el.getparent() is not p:
        el = el.getparent()
    return el


def new_run(rpr, text: str):
    """A w:r with these properties showing ``text`` (tabs and line breaks as w:tab and w:br)."""
    r = etree.Element(W_R)
    if rpr is not None:
        r.append(rpr)
    for piece in re.split(r"(\t|\n)", xml_safe(text)):
        if piece == "\t":
            r.append(r.makeelement(w("tab"), {}))
        elif piece == "\n":
            r.append(r.makeelement(w("br"), {}))
        elif piece:
            t = r.makeelement(W_T, {XML_SPACE: "preserve"})
            t.text = piece
            r.append(t)
    return r


def body_paragraph(root):
    """The first w:p of the body; one is added at its start if it has none."""
    body = root.find(w("body"))
    p = next(body.iter(W_P), None) if body is not None else None
    if p is None:
        if body is None:
            body = etree.SubElement(root, w("body"))
        p = body.makeelement(W_P, {})
        body.insert(0, p)
    return p
