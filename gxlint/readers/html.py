"""Read an HTML report (a page saved from a government website, or Word's "save as web page").

Decoding: a BOM wins; then the charset the page declares (``<meta charset>``, the
``http-equiv`` content type, or an XML declaration; GBK and GB2312 are read as
GB18030, their superset); a page that declares none, or whose declared charset
fails, is sniffed like a text file (``--encoding``, UTF-8, GB18030).

What the reader produces (see ``gxlint/model.py``), from ``<body>`` only:

* paragraphs: every block element (``p``, ``div``, ``li``, ``h1``-``h6``, ...)
  ends a paragraph, and so does ``<br>`` (inside ``h1``-``h6`` a ``<br>`` is a
  line break, "\\n", as in a Word paragraph); whitespace is collapsed as a
  browser does (a line break between two Chinese characters vanishes); ``pre``
  keeps its lines; ``h1``-``h6`` set ``heading_level``;
* tables: rows of origin cells on the grid ``rowspan``/``colspan`` make; a
  cell's paragraphs joined with "\\n"; a ``caption`` is a paragraph before its
  table;
* page layout is not a table: a table with a table or a heading in a cell, or
  with at most one cell in every row, is read as the content of its cells, in
  order (so the data tables it holds come out in reading order);
* ignored: ``<head>``, scripts, styles, ``nav``/``header``/``footer``/``aside``
  (and the same ARIA landmark roles), forms and their controls, embedded
  objects, elements with ``hidden`` or ``display:none``/``visibility:hidden``;
* ``line``: the 1-based source line where the text starts, ``col`` the
  1-based column there when the text stands literally in the source line
  (not behind an entity), else 1.  ``Document.lines`` holds the source lines.
"""
from __future__ import annotations

import re

from ..errors import E_BINARY, E_EMPTY, E_OS, E_TOO_LARGE, E_UNSUPPORTED, InputError
from ..model import Cell, Document, Paragraph, Table
from . import MAX_COLUMNS, MAX_PARAGRAPHS, too_many
from .text import _BOMS, decode, text_codec

_SKIP = frozenset({
    "head", "title", "script", "style", "noscript", "template", "link", "meta",
    "nav", "header", "footer", "aside",
    "form", "input", "button", "select", "textarea", "label", "fieldset",
    "iframe", "frame", "frameset", "object", "embed", "applet", "video", "audio", "canvas", "svg",
    "map", "dialog",
})
_SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
_BLOCK = frozenset({
    "html", "body", "address", "article", "blockquote", "center", "dd", "details", "dir", "div",
    "dl", "dt", "figcaption", "figure", "hgroup", "hr", "li", "main", "menu", "ol", "p",
    "section", "summary", "ul", "caption", "legend", "tr", "td", "th", "thead", "tbody", "tfoot",
})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

_DECLARED = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)|^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([-\w.:]+)""",
    re.I,
)
_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312", "gb_2312": "gb2312", "csgb2312": "gb2312"}
_MAGIC = (
    (b"%PDF", "这是 PDF 文件，不是网页"),
    (b"PK\x03\x04", "这是 ZIP 压缩包（可能是 .docx），不是网页"),
    (bytes.fromhex("d0cf11e0a1b11ae1"), "这是 Office 97-2003 文件（.doc 等），不是网页"),
)
_MARKUP = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|p|div|table|tr|td|br|span|font|h[1-6]|ul|ol|li|pre|section|article)\b",
    re.I,
)
_WS_RUN = re.compile(r"[ \t\n\r\f]+")
_ENTITY = re.compile(r"&#?\w+;$")
_DIGITS = re.compile(r"(?<!\s)\s*(\d+)")  # (?<!\s): linear even when searched
MAX_HTML = 16 * 2**20  # a report saved with Word's styles and inline images is a few MiB
_MAX_SOURCELINE = 65535  # libxml2 reports later lines as this one
_WINDOW = 60  # source lines searched for a text whose next element is not known


def read_html(path: str, encoding: str | None = None, formats=()) -> Document:
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_HTML + 1)
    except IsADirectoryError:
        raise InputError(E_OS, f"{path}: 是目录，不是文件") from None
    except OSError as e:
        raise InputError(E_OS, f"{path}: 无法读取（{e.strerror}）") from None
    if len(raw) > MAX_HTML:
        raise InputError(E_TOO_LARGE, f"{path}: 网页文件过大（超过 {MAX_HTML // 2**20} MiB），请确认选对了文件")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise InputError(E_BINARY, f"{path}: {what}")
    enc, text = _decode(raw, path, encoding)
    doc = parse_html(text, path, formats)
    doc.encoding = enc
    return doc


def _decode(raw: bytes, path: str, encoding: str | None) -> tuple[str, str]:
    """(encoding, text): BOM, then the declared charset, then decode()'s ladder."""
    declared = None if raw.startswith(tuple(b for b, _ in _BOMS)) else _declared(raw)
    if declared and b"\x00" not in raw[:65536]:
        try:
            return declared, raw.decode(declared)
        except UnicodeDecodeError:
            pass  # a mislabelled page: sniff it like a text file
    return decode(raw, path, encoding)


def _declared(raw: bytes) -> str | None:
    """The codec of the charset the page declares in its first 16 KiB, or None."""
    m = _DECLARED.search(raw[:16384])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii").lower()
    codec = text_codec(_ALIASES.get(name, name))  # rot13, base64, undefined: declares nothing usable
    if codec is None:
        return None
    if codec in ("gb2312", "gbk", "gb18030"):
        return "gb18030"
    if codec.startswith(("utf-16", "utf-32")):  # read as ASCII, so it is not (WHATWG: UTF-8)
        return "utf-8"
    if codec in ("ascii", "latin-1", "iso8859-1"):
        return "cp1252"  # WHATWG; its undefined bytes send a GBK page to the sniffer
    return codec


def parse_html(text: str, path: str = "<html>", formats=()) -> Document:
    """The Document of an HTML page given as text; InputError when it holds no report text.
    `formats`: as for readers.read (a table flattened into paragraphs is found again)."""
    from lxml import etree, html  # only when an HTML file is read

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(E_EMPTY, f"{path}: 文件为空")
    if not _MARKUP.search(text):
        raise InputError(E_UNSUPPORTED, f"{path}: 不是 HTML 网页（没有任何 HTML 标记）；纯文本报告请用 .txt 后缀")
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8")
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.LxmlError as e:
        raise InputError(E_UNSUPPORTED, f"{path}: 无法解析为 HTML 网页（{e}）") from None
    limit = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit is not None:  # libxml2 cut the page (a text of 10 MB, elements nested 256 deep): no report
        what = "嵌套层级过深" if "depth" in limit.message else "有一段文字超过 10 MB"
        raise InputError(E_TOO_LARGE, f"{path}: 网页{what}，超出解析上限，不像一份年度报告，请确认选对了文件")
    body = root.find("body") if root is not None else None
    if body is not None:
        blocks = sum(1 for _ in body.iter(*_BLOCK, "br", *_HEADINGS))
        if blocks > MAX_PARAGRAPHS:
            raise too_many(path, blocks)
    lines = text.split("\n")
    doc = Document(path=path, format="html", lines=lines)
    if body is not None:
        _Walker(lines).flow(body, doc.blocks)
    if formats and doc.blocks:
        from .cells import format_labels, regroup

        doc.blocks = regroup(doc.blocks, format_labels(formats))
    if not doc.blocks:
        raise InputError(E_EMPTY, f"{path}: 网页正文为空（正文可能由脚本加载）：请在浏览器中打开后另存为网页，或把正文存为 .txt")
    return doc


def _skipped(el) -> bool:
    if el.tag in _SKIP or el.get("hidden") is not None or el.get("role") in _SKIP_ROLES:
        return True
    style = el.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


def _wide(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFF60 or 0x20000 <= o


def _collapse(m: re.Match) -> str:
    """A run of HTML whitespace: one space, or nothing for a line break between two CJK characters."""
    s, a, b = m.string, m.start(), m.end()
    if "\n" in m.group() and 0 < a and b < len(s) and _wide(s[a - 1]) and _wide(s[b]):
        return ""
    return " "


def _after_tag(line: str, p: int) -> bool:
    """True when only whitespace and entities stand between a '>' (or the line start) and p."""
    while True:
        q = p
        while q and line[q - 1].isspace():
            q -= 1
        if q and line[q - 1] == ";":
            m = _ENTITY.search(line, max(0, q - 12), q)
            if m:
                p = m.start()
                continue
        return q == 0 or line[q - 1] == ">"


def _agreeing(src: str, p: int, text: str) -> int:
    """How many characters of `text` stand literally at src[p:], when that is all that can:
    up to 8, or up to the end of the line, an entity or a tag; else 0."""
    n, end = 0, min(len(text), 8)
    while n < end and p + n < len(src) and src[p + n] == text[n]:
        n += 1
    return n if n == end or p + n == len(src) or src[p + n] in "&<" else 0


def _span(value: str | None, limit: int) -> int:
    """A rowspan/colspan as a browser reads it: leading digits, 1 when there are none."""
    m = _DIGITS.match(value or "")
    if not m:
        return 1
    digits = m.group(1).lstrip("0") or "0"
    return limit if len(digits) > len(str(limit)) else min(int(digits), limit)  # no int() of 5,000 digits


class _Flow:
    """Inline text gathered into paragraphs; a block boundary ends the current one."""

    def __init__(self, walker: "_Walker", out: list):
        self.walker = walker
        self.out = out
        self.segments: list[list[str]] = [[]]  # lines of the paragraph (several only in headings)
        self.start: tuple[int, int] | None = None
        self.level: int | None = None  # heading level of the paragraph being read
        self.pre = False

    def text(self, s: str, line: int, next_line: int | None) -> None:
        if self.pre and "\n" in s:
            first, *rest = s.split("\n")
            self.text(first, line, next_line)
            for piece in rest:
                self.end()
                self.text(piece, line, next_line)
            return
        if s.strip():
            where = self.walker.locate(s, line, next_line)
            if self.start is None:
                self.start = where
        self.segments[-1].append(s)

    def br(self) -> None:
        if self.level is not None:
            self.segments.append([])
        else:
            self.end()

    def end(self) -> None:
        if self.pre:
            texts = ["".join(seg).strip() for seg in self.segments]
        else:
            texts = [_WS_RUN.sub(_collapse, "".join(seg)).strip() for seg in self.segments]
        text = "\n".join(t for t in texts if t)
        if text and self.start is not None:
            line, col = self.start
            self.out.append(Paragraph(text=text, line=line, col=col, heading_level=self.level))
        self.segments = [[]]
        self.start = None


class _Walker:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.cursor = (0, 0)  # 0-based (line, column) from which the next text is looked for

    def locate(self, s: str, line: int, next_line: int | None) -> tuple[int, int]:
        """1-based (line, col) of the first non-space character of text node `s`.

        The text is looked for between `line` (its element's source line) and
        `next_line` (that of the element after it), never before the text found
        last, right after a tag (entities aside); (line, 1) when it does not
        start with a literal character.
        """
        body = s.lstrip()
        li, ci = self.cursor
        if line - 1 > li:
            li, ci = line - 1, 0
        known = next_line is not None and next_line < _MAX_SOURCELINE
        stop = min(len(self.lines), next_line if known else li + _WINDOW)
        for k in range(li, stop):
            src = self.lines[k]
            p = src.find(body[0], ci if k == li else 0)
            while p >= 0:
                n = _agreeing(src, p, body)
                if n and _after_tag(src, p):
                    self.cursor = (k, p + n)
                    return k + 1, p + 1
                p = src.find(body[0], p + 1)
        return line, 1

    # ---- flow content
    def flow(self, el, out: list) -> None:
        """Append the paragraphs and tables of `el`'s content to `out`."""
        flow = _Flow(self, out)
        self._content(el, flow)
        flow.end()

    def _content(self, el, flow: _Flow) -> None:
        children = [c for c in el if isinstance(c.tag, str)]
        if el.text:
            flow.text(el.text, el.sourceline, children[0].sourceline if children else None)
        for i, c in enumerate(children):
            self._node(c, flow)
            if c.tail:
                flow.text(c.tail, c.sourceline, children[i + 1].sourceline if i + 1 < len(children) else None)

    def _node(self, el, flow: _Flow) -> None:
        tag = el.tag  # lower case: the HTML parser lowers element names
        if _skipped(el):
            return
        if tag == "br":
            flow.br()
        elif tag == "table":
            flow.end()
            self.table(el, flow.out)
        elif tag in _HEADINGS or tag == "pre":
            flow.end()
            if tag == "pre":
                flow.pre = True
            else:
                flow.level = _HEADINGS[tag]
            self._content(el, flow)
            flow.end()
            flow.level, flow.pre = None, False
        elif tag in _BLOCK:
            flow.end()
            self._content(el, flow)
            flow.end()
        else:  # inline: span, a, font, strong, o:p...
            self._content(el, flow)

    # ---- tables
    def table(self, tbl, out: list) -> None:
        for c in tbl:
            if c.tag == "caption" and not _skipped(c):
                self.flow(c, out)
        trs = [tr for tr in _rows(tbl) if not _skipped(tr)]
        rows = [[td for td in tr if td.tag in ("td", "th") and not _skipped(td)] for tr in trs]
        if _is_layout(rows):
            for tr in trs:
                self.flow(tr, out)
            return
        grid: list[list[Cell]] = []
        busy: dict[int, int] = {}  # grid column -> first row not covered by a rowspan from above
        for r, tds in enumerate(rows):
            row: list[Cell] = []
            col = 0
            for td in tds:
                while busy.get(col, 0) > r:
                    col += 1
                if col >= MAX_COLUMNS:  # no report's table is this wide: the rest of the row is dropped
                    break
                colspan = min(max(_span(td.get("colspan"), 1000), 1), MAX_COLUMNS - col)
                rowspan = _span(td.get("rowspan"), 65534) or len(rows) - r  # 0: to the end
                rowspan = min(rowspan, len(rows) - r)
                paras: list = []
                self.flow(td, paras)
                texts = [p.text for p in paras]
                line, cc = (paras[0].line, paras[0].col) if paras else (td.sourceline, 1)
                row.append(Cell(text="\n".join(texts), line=line, col=cc, row=r, column=col,
                                rowspan=rowspan, colspan=colspan))
                for k in range(col, col + colspan):
                    busy[k] = r + rowspan
                col += colspan
            grid.append(row)
        first = next((c.line for row in grid for c in row if c.text), tbl.sourceline)
        out.append(Table(rows=grid, line=first, grid=True))


def _rows(tbl):
    for c in tbl:
        if c.tag == "tr":
            yield c
        elif c.tag in ("thead", "tbody", "tfoot") and not _skipped(c):
            yield from (tr for tr in c if tr.tag == "tr")


def _is_layout(rows: list) -> bool:
    """Page layout, not data: at most one cell a row, or a table or heading inside a cell."""
    if all(len(tds) <= 1 for tds in rows):
        return True
    return any(next(td.iter("table", *_HEADINGS), None) is not None for tds in rows for td in tds)
