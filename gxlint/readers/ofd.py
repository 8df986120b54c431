"""Read an OFD report (GB/T 33190, the national fixed-layout format) into a Document.

`ofdkit <https://pypi.org/project/ofdkit/>`_ (Apache-2.0, pure Python, standard
library only) opens the package and gives each page's text runs in millimetres
from the top left, templates, composite objects and object transforms applied,
with its own guards on ZIP entries and XML (no DTD, size limits).  It gives no
graphics, so the rules of the tables (``PathObject`` lines and thin boxes) are
read here from the page's Content.xml, through ofdkit's package.  Runs and rules
are handed, in points, to :mod:`gxlint.readers.layout`, which the PDF reader
shares: paragraphs and ruled tables as in a PDF.

ofdkit bounds each part, not how often a part is parsed nor how many elements it holds: before
ofdkit parses anything, :class:`_Budget` measures the package's XML parts (read once, their
bytes and their ``<``) and then adds up every parse its pages will cost (25 pages naming one
part parse it 25 times), within :data:`MAX_XML_BYTES` and :data:`MAX_XML_ELEMENTS` in all.

A run's box: from its baseline ``y``, 88 % of its size above and 12 % below (OFD
carries no font metrics a reader can rely on); its width is ofdkit's (DeltaX).

Errors: E001 empty file, E017 not an OFD / broken, E018 encrypted (GM/T 0099
``Encryptions``, or ZIP entries with a password), E014 no text (a scanned OFD),
E006 a part over ofdkit's size limit or more XML than the budget; E014 too for text that reads as garbage (a few
characters repeated: :func:`gxlint.readers.layout.garbled`).
"""
from __future__ import annotations

import math
import os
import re
import zipfile

from gxlint.errors import E_EMPTY, E_OFD_BROKEN, E_OFD_ENCRYPTED, E_OS, E_PDF_NO_TEXT, E_TOO_LARGE, InputError
from gxlint.model import Document

from . import layout

__all__ = ["read_ofd"]

PT = 72 / 25.4  # points per millimetre
_ASCENT = 0.88
_RULE = 1.0  # mm: a filled box thinner than this is a rule
_PATH_ARGS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# What reading one OFD may parse in all, each part counted as often as it is parsed: a report
# of 60 pages is a few MiB and a few hundred thousand elements; an element of ElementTree costs
# about 400 bytes.
MAX_XML_BYTES = 32 * 2**20
MAX_XML_ELEMENTS = 500_000
_PAGE_RES = re.compile(rb"<(?:[\w.-]+:)?PageRes\b[^>]*>\s*([^<]*?)\s*<")  # a page's own resources


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


def read_ofd(path: str) -> Document:
    """Read the OFD at ``path``; raise :class:`InputError` if it cannot be read."""
    _preflight(path)
    import ofdkit
    from ofdkit.package import Package

    try:
        with Package(path) as package:
            budget = _Budget(package)  # before ofdkit parses anything
            with ofdkit.open(path) as doc:
                budget.pages(doc.pages)  # before any page is read
                pages = [_read_page(page, package, n) for n, page in enumerate(doc.pages, 1)]
    except InputError:
        raise
    except ofdkit.OFDLimitError:
        raise _err(E_TOO_LARGE, "OFD 文件的部件过大，无法读取") from None
    except MemoryError:
        raise _err(E_TOO_LARGE, "OFD 内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - ofdkit, zipfile and XML errors; none may escape
        raise _err(E_OFD_BROKEN, f"OFD 文件已损坏，无法读取（{_reason(e)}），请重新导出 OFD 或提供 .docx") from None
    if not pages:
        raise _err(E_OFD_BROKEN, "OFD 文件没有页面，请重新导出 OFD 或提供 .docx")
    if not sum(p.chars for p in pages):
        raise _err(E_PDF_NO_TEXT, "OFD 没有文字（可能是扫描件），请提供带文字的 OFD、PDF 或 .docx")
    if layout.garbled(pages):
        raise _err(E_PDF_NO_TEXT, "OFD 的文字提取出来是乱码（字体没有可用的字符映射，汉字只读出几个反复出现的字），"
                                  "请提供带文字的 OFD、PDF 或 .docx")
    return Document(path=str(path), format="ofd", blocks=layout.blocks(pages))


class _Budget:
    """What reading the package parses, counted across the package before it is parsed.  ofdkit
    bounds a part (64 MiB), not how often it is parsed: 25 pages naming one 60 MiB part, or one
    page resource, parse it 25 times (and each page's content is parsed twice: by ofdkit, and
    here for the rules of its tables).  So the XML parts are first read once, by ofdkit's
    bounded read, and measured -- their bytes, and their ``<`` (at least one per element: a part
    of 9 million nested elements is refused before any XML parser sees it); then, from ofdkit's
    list of pages (no page read yet), every parse the pages will cost is added.  Over
    :data:`MAX_XML_BYTES` or :data:`MAX_XML_ELEMENTS` in all: E006."""

    def __init__(self, package):
        self.package = package
        self.measured: dict[str, tuple[int, int, list[str]]] = {}  # part -> (bytes, elements at most, its PageRes)
        self.bytes = self.elements = 0
        for name in package.names:
            if name.lower().endswith(".xml"):
                size, elements, _ = self.measure(name)
                self.spend(size, elements)

    def measure(self, name: str) -> tuple[int, int, list[str]]:
        """(bytes, elements at most, the PageRes locations it names) of the part ``name``, read once."""
        if name not in self.measured:
            data = self.package.read(name)
            res = [m.decode("utf-8", "replace") for m in _PAGE_RES.findall(data)] if b"PageRes" in data else []
            self.measured[name] = (len(data), data.count(b"<"), res)
        return self.measured[name]

    def spend(self, size: int, elements: int) -> None:
        self.bytes += size
        self.elements += elements
        if self.bytes > MAX_XML_BYTES or self.elements > MAX_XML_ELEMENTS:
            raise _err(E_TOO_LARGE, f"OFD 文件的 XML 内容过多（按解析次数合计超过 {MAX_XML_BYTES // 2**20} MiB "
                                    f"或 {MAX_XML_ELEMENTS:,} 个元素），不像一份年度报告，未读取")

    def pages(self, pages) -> None:
        """Add what reading ``pages`` (ofdkit's Page objects, not loaded) will parse."""
        for page in pages:
            if page.location is None:
                continue
            size, elements, resources = self.measure(page.location)
            self.spend(2 * size, 2 * elements)
            for res in resources:
                name = self.package.resolve(page.location, res)
                if name is not None:
                    self.spend(*self.measure(name)[:2])


def _reason(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:80]


def _preflight(path: str) -> None:
    """E013/E001/E017/E018 before ofdkit: missing, empty, not a ZIP, encrypted."""
    try:
        size = os.path.getsize(path)
    except OSError as e:
        raise _err(E_OS, f"无法读取文件（{e.strerror or e}），请检查文件是否存在、可以访问") from None
    if size == 0:
        raise _err(E_EMPTY, "文件是空的（0 字节），请确认保存完整后再检查")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _err(E_OFD_BROKEN, "不是 OFD 文件（不是 ZIP 包，或文件不完整），请检查文件类型，或重新导出") from None
    names = {i.filename.replace("\\", "/").rsplit("/", 1)[-1].lower() for i in infos}
    if any(i.flag_bits & 1 for i in infos) or "encryptions.xml" in names:
        raise _err(E_OFD_ENCRYPTED, "OFD 文件已加密，请提供未加密的 OFD、PDF 或 .docx")
    if "ofd.xml" not in names:
        raise _err(E_OFD_BROKEN, "不是 OFD 文件（包内没有 OFD.xml），请检查文件类型，或重新导出")


# =========================================================================== one page
def _read_page(page, package, number: int) -> layout.Page:
    bx, by, width, height = page.box
    chars = []
    for run in page.runs:
        if not run.text.strip() or not (bx - 2 <= run.x <= bx + width + 2 and by - 2 <= run.y <= by + height + 2):
            continue
        x, y = run.x - bx, run.y - by
        chars.append({"text": run.text, "x0": x * PT, "x1": (x + run.width) * PT,
                      "top": (y - _ASCENT * run.size) * PT, "bottom": (y + (1 - _ASCENT) * run.size) * PT,
                      "size": run.size * PT})
    tables = []
    if chars and page.location is not None:
        edges = [e for seg in _segments(package.read_xml(page.location)) if (e := _edge(seg, bx, by))]
        if edges:
            tables = layout.ruled_tables(edges, (0, 0, width * PT, height * PT))
    return layout.page(number, width * PT, chars, tables)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _floats(value: str | None, n: int) -> tuple[float, ...] | None:
    try:
        nums = tuple(float(v) for v in (value or "").replace(",", " ").split())
    except ValueError:
        return None
    return nums[:n] if len(nums) >= n and all(math.isfinite(v) for v in nums[:n]) else None


def _segments(root) -> list[tuple[float, float, float, float]]:
    """Straight segments (x0, y0, x1, y1, mm, page space) of the page's PathObjects, as
    drawn: lines, and thin filled boxes as one line along their middle."""
    out: list[tuple[float, float, float, float]] = []

    def walk(el, depth):
        for child in el:
            name = _local(child.tag)
            if name == "PageBlock" and depth < 32:
                walk(child, depth + 1)
            elif name == "PathObject":
                out.extend(_path(child))

    for content in (c for c in root if _local(c.tag) == "Content"):
        for layer in (c for c in content if _local(c.tag) == "Layer"):
            walk(layer, 0)
    return out


def _path(el) -> list[tuple[float, float, float, float]]:
    box = _floats(el.get("Boundary"), 4)
    if box is None:
        return []
    a, b, c, d, e, f = _floats(el.get("CTM"), 6) or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

    def at(x, y):
        return a * x + c * y + e + box[0], b * x + d * y + f + box[1]

    data = next((ch.text for ch in el if _local(ch.tag) == "AbbreviatedData"), None) or ""
    tokens = re.findall(r"[A-Za-z]|" + _NUMBER.pattern, data)
    segs, pos, start, i = [], None, None, 0
    while i < len(tokens):
        op = tokens[i]
        n = _PATH_ARGS.get(op)
        if n is None:
            i += 1
            continue
        try:
            args = [float(t) for t in tokens[i + 1:i + 1 + n]]
        except ValueError:
            break
        if len(args) < n:
            break
        i += 1 + n
        if op in ("S", "M"):
            pos = start = at(*args)
        elif op == "L" and pos is not None:
            nxt = at(*args)
            segs.append((*pos, *nxt))
            pos = nxt
        elif op == "C" and pos is not None and start is not None:
            if pos != start:
                segs.append((*pos, *start))
            pos = start
        elif op in ("Q", "B", "A"):
            pos = at(*args[-2:])  # curves: not rules
    fill = (el.get("Fill") or "").strip().lower() == "true"
    xs = [v for s in segs for v in (s[0], s[2])]
    ys = [v for s in segs for v in (s[1], s[3])]
    if fill and len(segs) >= 3 and xs:  # a filled box: a rule when thin
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if y1 - y0 < _RULE <= x1 - x0:
            return [(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)]
        if x1 - x0 < _RULE <= y1 - y0:
            return [((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)]
    return segs


def _edge(seg, bx: float, by: float) -> dict | None:
    """A horizontal or vertical segment as an edge of :func:`layout.ruled_tables`, in points from the page's corner."""
    x0, y0, x1, y1 = ((v - o) * PT for v, o in zip(seg, (bx, by, bx, by)))
    if abs(y1 - y0) <= 0.5:
        x0, x1 = sorted((x0, x1))
        return {"x0": x0, "x1": x1, "top": y0, "bottom": y0, "width": x1 - x0, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    if abs(x1 - x0) <= 0.5:
        y0, y1 = sorted((y0, y1))
        return {"x0": x0, "x1": x0, "top": y0, "bottom": y1, "width": 0.0, "height": y1 - y0,
                "orientation": "v", "object_type": "line"}
    return None
