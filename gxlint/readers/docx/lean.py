"""The lean path: ``word/document.xml`` and ``word/styles.xml`` read with a few compiled regular
expressions over the text of the part, without building an lxml tree, for the plain documents
most reports are.  Whatever it does not recognise is read by the lxml walk (``walk.py``) instead,
and both give the same Document (``tests/test_docx_lean.py`` compares them).

styles.xml (100-350 KB, ~150 styles) is checked and its w:style start tags indexed; the content of
a style is read only when a document, its numbering or a basedOn chain first asks for it (a
report uses a few), by a walk over its tags that is exact on any well-formed content, so that an
odd style no report uses costs nothing and sends nothing to lxml.  The styles object is cached
with its template and reads the same whatever document asks first.

What the lean path reads: paragraphs (``w:pPr`` with ``w:pStyle``, ``w:numPr``, ``w:outlineLvl``;
runs with ``w:t``, ``w:tab``, ``w:ptab``, ``w:br``, ``w:cr``, ``w:noBreakHyphen``; hyperlinks),
tables (rows, cells, nested tables; ``w:gridBefore``, ``w:gridSpan``, ``w:vMerge`` read by a walk over
the tags of the row and cell properties, empty or not, as lxml reads them), and elements
whose content the walk ignores (run properties, section properties, table properties...) when
that content is at most two levels deep.  Anything else sends the document to the lxml walk: a
text box, drawing or picture, a tracked change, a content control, a field instruction, math, alternate
content, ruby, a smart tag, an element the grammar below does not expect where it stands, a
namespace prefix other than ``w`` for WordprocessingML or a declaration below the root element,
a comment, CDATA section, processing instruction or DTD, an encoding other than UTF-8, a carriage
return, a ``>`` not escaped in an attribute value or text (Word escapes it; the tags are then
found by ``<[^>]*>``)...

The regular expressions are exact only on well-formed XML, and a part the lxml parser rejects
must still be reported (E008).  So every part read here is first parsed by libxml2 (the parser
lxml uses, with the reader's options) with no tree built, a parser target that ignores every
event: about 0.4 of the cost of the parse with a tree.  That parse leaves two checks out: its
namespace errors are only logged (read from its error log), and its depth limit is one level
deeper than the tree builder's (the part is parsed wrapped in one more element, and must have one
root element).  The tree builder's limit of 10,000,000 characters of text is met by parts under
that size only.  A part that fails any of this is left to the lxml path, which reports it.

Cost (read_docx per report, every report with its own template, on the generated benchmark
corpus, benchmarks/out; the floor is unzipping and parsing document.xml with lxml).  Callgrind,
instructions per report (10 reports): styled 64.8 M (77.2 M before styles were read on first use
and table cells and run properties were read more cheaply; 82.7 M with lxml only), floor 12.4 M;
as drafted 110.3 M (130.4 M; 134.9 M with lxml only), floor 55.2 M.  CPU time, in-process lint of
300 reports, median of 3 interleaved runs on a shared machine: styled, reading 16.2 ms (20.3 ms
before) of a 26.0 ms lint (30.2 ms), floor 2.9 ms; as drafted, reading 26.0 ms (33.7 ms) of
35.6 ms (44.2 ms), floor about 14 ms.  What reading a styled report costs now (CPU ms):
the ZIP parts 1.4; styles.xml 6.6, of which its well-formedness check 3.8 (libxml2 without a tree:
about half of its parse with one, which the lxml path pays), the other checks of the plain part
0.8, the index of its w:style tags 1.1, numbering.xml (lxml) 0.6; document.xml about 8, of which
its well-formedness check 1.2 (5 ms as drafted) and the scan of the grammar's regular expression
2.2 (CPython's regular expressions scan markup at about 35 ns a character; a match per cell).
The well-formedness checks are what keep E008 exact on this path; they stay.
"""
from __future__ import annotations

from threading import local

from gxlint.model import Cell, Paragraph
from gxlint.regex_store import compiled  # the grammar's expressions built from the stored regex code
from gxlint.readers import MAX_COLUMNS

from .ns import _W_NS, _int
from .walk import _Grid, _Walker

# Parts of this size or more go to the lxml path: none of their text nodes can then reach the
# tree builder's limit (10,000,000), which the parse without a tree does not check.
_MAX_LEAN = 9_000_000

# --------------------------------------------------------------------------- grammar
_ATT = r"(?:\s[^>]*)?"  # the attributes of a tag (no value holds '>': checked before)
_END = r"(?<!/)>"  # the end of a start tag that is no empty-element tag


def _open(name: str) -> str:
    return "<" + name + _ATT + _END


def _close(name: str) -> str:
    return "</" + name + r"\s*>"


_EMPTY = r"<[^>]*/>"  # any empty-element tag
# The content of an element read no further: text, empty elements, and elements that hold only
# text and empty elements (two levels at most; well-formedness pairs each end tag with its start).
_FLAT = r"[^<]*(?:(?:<[^>]*/>|<[^/][^>]*(?<!/)>[^<]*(?:<[^>]*/>[^<]*)*</[^>]*>)[^<]*)*"


def _skip(names: str) -> str:
    """An element named ``w:`` + one of ``names`` whose content is not read (see _FLAT)."""
    return "<w:(?:" + names + ")" + _ATT + _END + _FLAT + "</w:(?:" + names + r")\s*>"


# Run properties of empty elements only, as most are, matched first (the same extent as _skip("rPr"),
# which takes the others): as drafted, a report's markup is mostly run properties, and this form
# is about a third cheaper for the regular expression engine.
_PLAIN_RPR = "<w:rPr>(?:<[^>]*/>)*</w:rPr>"
_RPR = "(?:" + _PLAIN_RPR + "|" + _skip("rPr") + ")"
_T = _open("w:t") + "[^<]*" + _close("w:t")
_RUN = _open("w:r") + "[^<]*(?:(?:" + _RPR + "|" + _T + "|" + _EMPTY + ")[^<]*)*" + _close("w:r")
# an empty element in a paragraph or hyperlink: any but the ones that give text in a run
_EMPTY_P = r"<(?!w:(?:t|tab|ptab|cr|br|noBreakHyphen)[\s/>])[^>]*/>"
_HYPERLINK = _open("w:hyperlink") + "[^<]*(?:(?:" + _RUN + "|" + _EMPTY_P + ")[^<]*)*" + _close("w:hyperlink")
_PPR_SKIP = "(?:" + _PLAIN_RPR + "|" + _skip("rPr|tabs|pBdr|sectPr|pPrChange|framePr") + ")"
_NUMPR = _open("w:numPr") + r"[^<]*(?:<(?!w:(?:pStyle|outlineLvl)[\s/>])[^>]*/>[^<]*)*" + _close("w:numPr")
_EMPTY_PPR = r"<(?!w:(?:numId|ilvl)[\s/>])[^>]*/>"  # numId and ilvl count in w:numPr only
_PPR = _open("w:pPr") + "[^<]*(?:(?:" + _PPR_SKIP + "|" + _NUMPR + "|" + _EMPTY_PPR + ")[^<]*)*" + _close("w:pPr")
_PARA = (_open("w:p") + "[^<]*(" + _PPR + ")?([^<]*(?:(?:" + _RUN + "|" + _HYPERLINK + "|" + _EMPTY_P
         + ")[^<]*)*)" + _close("w:p"))

# Tokens of the block structure, by m.lastindex:
_CELL, _P, _EMPTY_PARA, _TCPR, _TRPR, _NOT_READ, _TAG = 3, 5, 6, 7, 8, 9, 12
_BLOCK = compiled(
    # 3: a cell of one paragraph (1: the content of its w:tcPr, 2: the paragraph's w:pPr, 3: the rest)
    _open("w:tc") + "[^<]*(?:" + _open("w:tcPr") + "(" + _FLAT + ")" + _close("w:tcPr") + "|<w:tcPr" + _ATT
    + "/>)?[^<]*" + _open("w:p") + "[^<]*(" + _PPR + ")?([^<]*(?:(?:" + _RUN + "|" + _HYPERLINK + "|" + _EMPTY_P
    + ")[^<]*)*)" + _close("w:p") + "[^<]*" + _close("w:tc")
    + "|" + _PARA  # 5: a paragraph (4: its w:pPr, 5: the rest)
    + "|(<w:p" + _ATT + "/>)"  # 6: an empty paragraph
    + "|" + _open("w:tcPr") + "(" + _FLAT + ")" + _close("w:tcPr")  # 7: the content of a w:tcPr
    + "|" + _open("w:trPr") + "(" + _FLAT + ")" + _close("w:trPr")  # 8: of a w:trPr
    + "|(" + _skip("sectPr|tblPr|tblGrid|tblPrEx") + ")"  # 9: an element not read
    # 12: any other tag (10: "/" for an end tag, 11: the name, 12: the attributes, ending in "/"
    # for an empty element)
    + r"|<(/?)([^\s/>]+)([^>]*)>")

# what a paragraph shows, in the rest of a w:p after its w:pPr (run properties skipped)
_TEXT = compiled(_RPR + "|" + _open("w:t") + "([^<]*)" + _close("w:t"))
_RUN_TEXT = compiled(_RPR + "|" + _open("w:t") + "([^<]*)" + _close("w:t")
                       + r"|<w:(tab|ptab|cr|noBreakHyphen|br)(\s[^>]*)?/>")
_RUN_CHARS = {"tab": "\t", "ptab": "\t", "cr": "\n", "noBreakHyphen": "-"}
_PPR_PROPS = compiled(_PPR_SKIP + r"|<w:(pStyle|outlineLvl|numId|ilvl)(\s[^>]*)?/>")

# --------------------------------------------------------------------------- text and values
_DECL = compiled(r"""(\ufeff?(?:<\?xml\s+version\s*=\s*(["'])1\.0\2"""
                   r"""(?:\s+encoding\s*=\s*(["'])(?i:utf-8)\3)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\4)?\s*\?>)?)"""
                   r"""[ \t\r\n]*<(w:\w+)(\s[^>]*)?(?<!/)>""")
_NS_DECL = compiled(r"""\s(xmlns(?::[^\s=]*)?)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = compiled(r"&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(\w+));")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_VAL = compiled(r"""\sw:val\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TYPE = compiled(r"""\sw:type\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_STYLE_ATTRS = compiled(r"""\sw:(type|styleId|default)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_STYLE_TAG = compiled(r"<w:style((?:\s[^>]*)?/?)>")
_TAGS = compiled(r"<(/?)([^\s/>]+)([^>]*)>")  # any tag: "/" of an end tag, name, attributes ("/" ending an empty one)
_XML_NS = ("http://www.w3.org/XML/1998/namespace", "http://www.w3.org/2000/xmlns/")


def _ref(m) -> str:
    if m.group(3) is not None:
        return _ENTITIES[m.group(3)]  # a well-formed part without a DTD knows no other entity
    return chr(int(m.group(1), 16) if m.group(1) is not None else int(m.group(2)))


def _unescape(text: str) -> str:
    return _REF.sub(_ref, text) if "&" in text else text


def _value(value: str) -> str:
    """An attribute value as lxml gives it (no DTD: every value is CDATA)."""
    if "\t" in value or "\n" in value:  # attribute-value normalisation
        value = value.replace("\t", " ").replace("\n", " ")
    return _unescape(value)


def _attr(pattern, attrs):
    """The value of an attribute, or None when the tag (``attrs``: what follows its name) has none."""
    if not attrs:
        return None
    m = pattern.search(attrs)
    if m is None:
        return None
    return _value(m.group(1) if m.group(1) is not None else m.group(2))


def _text(rest: str) -> str:
    """The accepted-view text of a paragraph, from the part of the w:p after its w:pPr."""
    if rest.startswith("<w:r><w:t>") and rest.endswith("</w:t></w:r>"):  # one run of plain text
        text = rest[10:-12]
        if "<" not in text:
            return _unescape(text)
    if "<w:tab" in rest or "<w:ptab" in rest or "<w:cr" in rest or "<w:br" in rest or "<w:noBreakHyphen" in rest:
        parts = []
        for text, special, attrs in _RUN_TEXT.findall(rest):
            if not special:
                parts.append(text)
            elif special != "br":
                parts.append(_RUN_CHARS[special])
            elif _attr(_TYPE, attrs) in (None, "textWrapping"):
                parts.append("\n")
        text = "".join(parts)
    else:
        text = "".join(_TEXT.findall(rest))
    return _unescape(text)


def _ppr(ppr):
    """(pStyle, numId, ilvl, outlineLvl) of a paragraph's w:pPr, as the walk reads them."""
    sid = num_id = ilvl = outline = None
    if ppr and ("<w:pStyle" in ppr or "<w:numPr" in ppr or "<w:outlineLvl" in ppr):
        for name, attrs in _PPR_PROPS.findall(ppr):
            if name == "pStyle":
                sid = _attr(_VAL, attrs)
            elif name == "numId":
                num_id = _int(_attr(_VAL, attrs))
            elif name == "ilvl":
                ilvl = _int(_attr(_VAL, attrs))
            elif name == "outlineLvl":
                outline = _int(_attr(_VAL, attrs))
    return sid, num_id, ilvl, outline


# --------------------------------------------------------------------------- checks
class _NoTree:
    """A parser target that ignores every event: libxml2 checks the XML, lxml builds nothing."""

    def close(self):
        return None


# One parser per thread (the editor lints in threads; an lxml parser serves one parse at a time),
# made once: a parser with a target is held in a reference cycle by its context, so each one made
# per part lived, with libxml2's buffers, until the cyclic collector ran (a batch worker, whose
# collector runs seldom, grew by megabytes over thousands of reports).
_PARSERS = local()


def _well_formed(data: bytes, head: int) -> bool:
    """Whether lxml's parser (with the reader's options) accepts ``data``; ``head``: the length of
    its BOM and XML declaration, after which the part is wrapped in one more element."""
    from lxml import etree

    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                   huge_tree=False, target=_NoTree())
    try:
        etree.fromstring(data[:head] + b"<x>" + data[head:] + b"</x>", parser)
    except Exception:  # noqa: BLE001 - XMLSyntaxError and the like: the lxml path reports it
        return False
    return not parser.error_log.filter_from_errors()  # namespace errors are only logged


def _has(data: bytes, needle: bytes, at: int, start: int = 0) -> bool:
    """Whether ``needle`` occurs in ``data`` from ``start``, searched for by its byte at index
    ``at`` ("!" of "<!", "?" of "<?", "T" of "instrText": rare in markup), which C finds fast, then
    compared there (faster than ``needle in data``, whose search stops at every "<" or "t")."""
    byte = needle[at:at + 1]
    i = data.find(byte, start + at)
    for _ in range(32):
        if i < 0:
            return False
        if data.startswith(needle, i - at):
            return True
        i = data.find(byte, i + 1)
    return i >= 0 and data.find(needle, i - at) >= 0


def _plain(data: bytes, root: str, lt: int | None = None):
    """(text, end of the root start tag) of a part the lean path may read: UTF-8, well-formed, with
    a root element ``root`` declaring every namespace the part uses; else None.  ``lt``: the
    number of "<" in ``data`` when the caller counted them."""
    if len(data) >= _MAX_LEAN or _has(data, b"<!", 1):  # a DTD, comment or CDATA section
        return None
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    m = _DECL.match(s)
    if m is None or m.group(5) != root:
        return None
    start, end = m.start(5) - 1, m.end()
    # the same searches in the bytes (faster than in the text), from the same places
    start_b = len(s[:start].encode("utf-8"))
    end_b = start_b + len(s[start:end].encode("utf-8"))
    tag = ("<" + root).encode()
    if (_has(data, b"<?", 1, start_b) or data.find(b"\r", start_b) >= 0 or data.find(b"xmlns", end_b) >= 0
            or data.count(tag) != 1 or not data.rstrip(b" \t\n").endswith(b"</" + tag[1:] + b">")
            or (data.count(b"<") if lt is None else lt) != data.count(b">")):  # else a '>' in an attribute value (or in text)
        return None
    uris = set()
    w = None
    for name, v1, v2 in _NS_DECL.findall(m.group(6) or ""):
        uri = v1 or v2
        prefix = name[6:]
        if (name == "xmlns" or not uri or "&" in uri or prefix in ("xml", "xmlns") or uri in uris
                or uri in _XML_NS or (uri == _W_NS) != (prefix == "w")):
            return None
        uris.add(uri)
        w = uri if prefix == "w" else w
    if w != _W_NS or not _well_formed(data, len(m.group(1).encode("utf-8"))):
        return None
    return s, end


# --------------------------------------------------------------------------- document.xml
class _Fallback(Exception):
    """The part holds something the lean path does not read."""


def read_blocks(data: bytes, make_walker, lt: int | None = None):
    """The blocks of ``word/document.xml`` (``data``), or None when the lxml walk must read it.
    ``make_walker()`` gives the walker with the template's styles and fresh list counters (called
    once the part is known to be well-formed, so that its errors come first, as on the lxml path)."""
    if _has(data, b"instrText", 5):  # a field (the grammar reads no w:instrText): the lxml walk reads it
        return None
    got = _plain(data, "w:document", lt)
    if got is None:
        return None
    s, end = got
    reader = _Reader(_BLOCK.finditer(s, end), make_walker())
    try:
        return reader.document()
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - _Fallback, or anything unforeseen: the lxml walk reads it
        return None


class _Reader:
    __slots__ = ("it", "walker", "shown", "counted")

    def __init__(self, it, walker: _Walker):
        self.it = it
        self.walker = walker
        # w:pPr content (None: none) -> (style name, heading level, label) of a body paragraph, for
        # the paragraphs that advance no list counter (the same result each time)
        self.shown: dict = {}
        # w:pPr content (None: none) -> its (pStyle, numId, ilvl, outlineLvl) when a paragraph of a
        # cell with it is numbered (and so counts for its list), else False
        self.counted: dict = {}

    def props(self, ppr):
        """(style name, heading level, number label) of a body paragraph whose w:pPr holds ``ppr``."""
        got = self.shown.get(ppr)
        if got is None:
            walker = self.walker
            sid, num_id, ilvl, outline = _ppr(ppr)
            got = walker._props(sid, num_id, ilvl, outline)
            if num_id is None and not walker.styles.numbered(sid):  # no counter advanced
                self.shown[ppr] = got
        return got

    def count(self, ppr) -> None:
        """Advance the list counters for a paragraph of a cell whose w:pPr holds ``ppr`` (None:
        none) when it is numbered (cells show no label, but their numbered paragraphs count)."""
        got = self.counted.get(ppr)
        if got is None:
            got = _ppr(ppr)
            if got[1] is None and not self.walker.styles.numbered(got[0]):
                got = False
            self.counted[ppr] = got
        if got:
            self.walker._props(*got)

    def document(self) -> list:
        out: list = []
        body = False
        for m in self.it:
            k = m.lastindex
            if k == _NOT_READ:
                continue
            if k != _TAG:
                raise _Fallback
            end, name, attrs = m.group(10, 11, 12)
            if end:
                if name == "w:document":
                    return out
                raise _Fallback
            if name == "w:body" and not body:
                body = True
                if not attrs.endswith("/"):
                    self.body(out)
            elif not attrs.endswith("/"):  # w:background...
                raise _Fallback
        raise _Fallback

    def body(self, out: list) -> None:
        walker = self.walker
        props, shown = self.props, self.shown
        for m in self.it:
            k = m.lastindex
            if k == _P:
                walker.n += 1
                ppr, rest = m.group(4, 5)
                name, level, label = shown.get(ppr) or props(ppr)
                out.append(Paragraph(_text(rest), walker.n, 1, label, name, level))
            elif k == _EMPTY_PARA:
                walker.n += 1
                name, level, label = props(None)
                out.append(Paragraph(text="", line=walker.n, col=1, number=label, style=name, heading_level=level))
            elif k == _TAG:
                end, name, attrs = m.group(10, 11, 12)
                if end:
                    if name == "w:body":
                        return
                    raise _Fallback
                if attrs.endswith("/"):
                    if name == "w:tbl":
                        raise _Fallback
                elif name == "w:tbl":
                    self.table(out)
                else:
                    raise _Fallback
            elif k != _NOT_READ:
                raise _Fallback
        raise _Fallback

    def table(self, out: list) -> None:
        walker = self.walker
        slot = len(out)
        out.append(None)  # the table goes before its nested tables
        extras: list = []
        grid = _Grid()
        for m in self.it:
            k = m.lastindex
            if k == _TAG:
                end, name, attrs = m.group(10, 11, 12)
                if end:
                    if name == "w:tbl":
                        break
                    raise _Fallback
                if name == "w:tr":
                    if attrs.endswith("/"):
                        raise _Fallback
                    self.row(grid, extras)
                elif not attrs.endswith("/"):
                    raise _Fallback
            elif k != _NOT_READ:
                raise _Fallback
        else:
            raise _Fallback
        out[slot] = grid.table(walker.n)
        out.extend(extras)

    def row(self, grid: _Grid, extras: list) -> None:
        grid.new_row()
        cells_row, r = grid.row, len(grid.rows) - 1
        col = 0
        props = cells = False
        walker = self.walker
        counted = self.counted
        for m in self.it:
            k = m.lastindex
            if k == _CELL:  # a cell of one paragraph, as most are
                cells = True
                tcpr, ppr, rest = m.group(1, 2, 3)
                walker.n += 1
                if counted.get(ppr) is not False:
                    self.count(ppr)
                if tcpr and ("<w:gridSpan" in tcpr or "<w:vMerge" in tcpr):
                    span, vmerge = _span(tcpr, col)
                    grid.cell([_text(rest)], walker.n - 1, walker.n, col, span, vmerge)
                    col += span
                else:  # grid.cell for a cell of one paragraph, one column, no vertical merge
                    if grid.first_line is None:
                        grid.first_line = walker.n
                    cells_row.append(Cell(_text(rest), walker.n, 1, r, col, 1, 1))
                    col += 1
            elif k == _TAG:
                end, name, attrs = m.group(10, 11, 12)
                if end:
                    if name == "w:tr":
                        break
                    raise _Fallback
                if name == "w:tc" and not attrs.endswith("/"):
                    cells = True
                    col = self.cell(grid, col, extras)
                elif name == "w:trPr" and attrs.endswith("/") and not (props or cells):
                    props = True
                elif name in ("w:tc", "w:trPr") or not attrs.endswith("/"):
                    raise _Fallback
            elif k == _TRPR:
                if props or cells:  # the walk reads the first w:trPr, before the cells
                    raise _Fallback
                props = True
                if "<w:gridBefore" in m.group(8):
                    attrs = _children(m.group(8)).get("w:gridBefore")
                    if attrs is not None:
                        col = min(max(_int(_attr(_VAL, attrs), 0), 0), MAX_COLUMNS)
            elif k != _NOT_READ:
                raise _Fallback
        else:
            raise _Fallback
        grid.end_row()

    def cell(self, grid: _Grid, col: int, extras: list) -> int:
        walker = self.walker
        before = walker.n
        texts: list = []
        props = None
        for m in self.it:
            k = m.lastindex
            if k == _P:
                walker.n += 1
                ppr, rest = m.group(4, 5)
                self.count(ppr)
                texts.append(_text(rest))
            elif k == _EMPTY_PARA:
                walker.n += 1
                self.count(None)
                texts.append("")
            elif k == _TCPR:
                if props is not None:
                    raise _Fallback
                props = m.group(7)
            elif k == _TAG:
                end, name, attrs = m.group(10, 11, 12)
                if end:
                    if name == "w:tc":
                        break
                    raise _Fallback
                if not attrs.endswith("/"):
                    if name != "w:tbl":
                        raise _Fallback
                    self.table(extras)
                elif name == "w:tcPr" and props is None:
                    props = ""
                elif name in ("w:tbl", "w:tcPr"):
                    raise _Fallback
            elif k != _NOT_READ:
                raise _Fallback
        else:
            raise _Fallback
        span, vmerge = _span(props, col)
        grid.cell(texts, before, walker.n, col, span, vmerge)
        return col + span


def _children(content: str) -> dict:
    """{name: attributes} of the last child element of each name in an element whose content is
    ``content`` (the children's own content is not read; empty or not, as lxml reads them)."""
    got = {}
    depth = 0
    for end, tag, attrs in _TAGS.findall(content):
        if end:
            depth -= 1
            continue
        if depth == 0:
            got[tag] = attrs
        if not attrs.endswith("/"):
            depth += 1
    return got


def _span(props, col: int):
    """(gridSpan, vMerge) of a cell at grid column ``col`` from the content of its w:tcPr, as the walk
    reads them."""
    span, vmerge = 1, None
    if props and ("<w:gridSpan" in props or "<w:vMerge" in props):
        children = _children(props)
        attrs = children.get("w:gridSpan")
        if attrs is not None:
            span = min(max(_int(_attr(_VAL, attrs), 1), 1), max(MAX_COLUMNS - col, 1))
        attrs = children.get("w:vMerge")
        if attrs is not None:
            vmerge = _attr(_VAL, attrs) or "continue"
    return span, vmerge


# --------------------------------------------------------------------------- styles.xml
def read_styles(data: bytes):
    """The styles of ``word/styles.xml`` (``data``), a :class:`gxlint.readers.docx.styles._Styles`
    whose entries are read when first used, or None when lxml must read the part.

    The part is checked (well-formed, plain) and its w:style start tags indexed; the content of a
    paragraph or numbering style is read (:func:`_style`) only when a document, its numbering or a
    basedOn chain asks for that style, so a report reads the few of the template's ~150 styles it
    uses.  The content is read by a walk over its tags, exact on any well-formed content."""
    got = _plain(data, "w:styles")
    if got is None:
        return None
    s, end = got
    find = s.find
    paragraph: dict = {}
    numbering: dict = {}
    default = None
    pos = find("<w:style", end)
    while pos >= 0:
        m = _STYLE_TAG.match(s, pos)
        pos = find("<w:style", pos + 8)
        if m is None:  # <w:styleX...
            continue
        attrs = m.group(1)
        if attrs.startswith((' w:type="character"', ' w:type="table"')):  # (its only w:type)
            continue
        kind = sid = flag = None
        if attrs:
            for name, v1, v2 in _STYLE_ATTRS.findall(attrs):
                if name == "type":
                    kind = _value(v1 or v2)
                elif name == "styleId":
                    sid = _value(v1 or v2)
                else:
                    flag = _value(v1 or v2)
        kind = kind or "paragraph"
        if sid is None or kind not in ("paragraph", "numbering"):
            continue
        if kind == "numbering" or sid not in paragraph:
            if attrs.endswith("/"):
                content = ""
            else:
                close = find("</w:style>", m.end())
                content = s[m.end():close] if close >= 0 else ""
                if "<w:style" in content:  # a w:style in a w:style: its content up to the end of the part
                    content = s[m.end():]
            if kind == "numbering":
                numbering[sid] = content
            else:
                paragraph[sid] = content
        if kind != "numbering" and default is None and flag in ("1", "true", "on"):
            default = sid
    from .styles import _Styles

    return _Styles.lazy(paragraph, numbering, default, _style)


def _style(sid: str, content: str):
    """The _Style of the w:style ``sid`` from its ``content`` (what follows its start tag), read as
    the lxml path reads the element: its children w:name and w:basedOn (w:val) and w:pPr (numId and
    ilvl of its w:numPr, its w:outlineLvl), the last of each."""
    from .styles import _Style

    name = based = ppr = None
    depth = 0
    in_ppr = in_numpr = False
    for end, tag, attrs in _TAGS.findall(content):
        if end:
            depth -= 1
            if depth < 0:  # the end of the w:style
                break
            if depth == 0:
                in_ppr = False
            elif depth == 1:
                in_numpr = False
            continue
        if depth == 0:
            if tag == "w:name":
                name = _attr(_VAL, attrs)
            elif tag == "w:basedOn":
                based = _attr(_VAL, attrs)
            elif tag == "w:pPr":
                ppr = [None, None, None]
                in_ppr = True
        elif depth == 1:
            if in_ppr:
                if tag == "w:numPr":
                    in_numpr = True
                elif tag == "w:outlineLvl":
                    ppr[2] = _int(_attr(_VAL, attrs))
        elif depth == 2 and in_numpr:
            if tag == "w:numId":
                ppr[0] = _int(_attr(_VAL, attrs))
            elif tag == "w:ilvl":
                ppr[1] = _int(_attr(_VAL, attrs))
        if attrs.endswith("/"):
            if depth == 0:
                in_ppr = False
            elif depth == 1:
                in_numpr = False
        else:
            depth += 1
    num_id, ilvl, outline = ppr if ppr is not None else (None, None, None)
    return _Style(sid, name if name is not None else sid, based, num_id, ilvl, outline)
