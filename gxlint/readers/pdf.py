"""Read a text-layer PDF report into a :class:`gxlint.model.Document`.

`PDFium <https://pdfium.googlesource.com/pdfium/>`_ (the PDF engine of Chromium), through
`pypdfium2 <https://pypi.org/project/pypdfium2/>`_ (Apache-2.0 / BSD-3-Clause, wheels with
PDFium inside for Windows, macOS and Linux), gives each page's characters -- Unicode (from the
fonts' ToUnicode maps, or the CID maps of the standard Chinese character collections), box,
baseline, size and angle -- and its paths, of which the visible straight segments are the rules
of tables.  :mod:`gxlint.readers.layout` (shared with the OFD reader) turns them into paragraphs
and tables (line grouping, paragraph breaks, ruled and unruled tables over page breaks: see
there).  docs/pdf.md says why PDFium, with the measurements against pdfminer.six.

* **Orientation**: a page is read the way most of its characters stand (a page turned by
  ``/Rotate``, or text set sideways on an upright page, is turned upright first); characters
  standing otherwise (a stamp's text, a line set sideways in a margin) are left out.
* **Rules** are the straight horizontal and vertical segments of paths that show: stroked or
  filled in a colour other than white.  WPS Office paints a white rectangle behind every line of
  text it exports; those rectangles are not the rules of a table.
* **Bounds**: before PDFium opens a file, :func:`gxlint.readers.pdflimits.check_streams`
  checks what its streams decode to; the page count is checked before a page is loaded, the
  clock between pages.

Every unreadable input raises :class:`gxlint.errors.InputError`: E014 for a PDF without usable
text (a scan, glyphs without a Unicode mapping, or text that extracts as garbage:
:func:`gxlint.readers.layout.garbled`), E015 for a password, E016 for a broken file, E006 over a
limit.  PDFium is not thread-safe: one PDF is read at a time in a process.
"""
from __future__ import annotations

import ctypes
import math
import re
import threading

from gxlint.errors import E_EMPTY, E_OS, E_PDF_BROKEN, E_PDF_ENCRYPTED, E_PDF_NO_TEXT, E_TOO_LARGE, InputError
from gxlint.model import Document

from . import layout

__all__ = ["read_pdf"]

_LOCK = threading.Lock()
_ASCENT, _DESCENT = 0.88, 0.12  # of the font size, above and below the baseline (a character's box)
_WHITE = 250  # a colour whose red, green and blue are all at least this does not show on paper
_MAX_SEGMENTS = 10_000  # a path with more segments is a drawing, not rules
_MAX_DEPTH = 16  # form XObjects inside form XObjects
_SURROGATE = re.compile("[\ud800-\udfff]")


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


# =========================================================================== public API
def read_pdf(path: str) -> Document:
    """Read the PDF at ``path``; raise :class:`InputError` if it cannot be read."""
    data = _preflight(path)
    import pypdfium2.raw as pdfium

    from . import pdflimits

    try:
        with _LOCK, pdflimits.budget():
            pages = _read(pdfium, data)
    except InputError:
        raise
    except pdflimits.PdfTooLarge as e:
        raise _err(E_TOO_LARGE, str(e)) from None
    except MemoryError:
        raise _err(E_TOO_LARGE, "PDF 内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - nothing may escape as a traceback
        raise _err(E_PDF_BROKEN, f"PDF 文件已损坏，无法读取（{type(e).__name__}），请重新导出 PDF 或提供 .docx") from None
    _check_text(pages)
    return Document(path=str(path), format="pdf", blocks=layout.blocks([p for p, _ in pages]))


def _preflight(path: str) -> bytes:
    """The file's bytes; E013/E001/E016 before PDFium: missing, empty, not a PDF, truncated."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise _err(E_OS, f"无法读取文件（{e.strerror or e}），请检查文件是否存在、可以访问") from None
    if not data:
        raise _err(E_EMPTY, "文件是空的（0 字节），请确认保存完整后再检查")
    if b"%PDF-" not in data[:1024]:
        raise _err(E_PDF_BROKEN, "不是 PDF 文件（没有 PDF 文件头），请检查文件类型，或提供 .docx")
    if b"%%EOF" not in data[-2048:]:
        raise _err(E_PDF_BROKEN, "PDF 文件不完整（缺少文件结尾，可能下载或复制时被截断），请重新下载或导出")
    return data


def _check_text(pages: list[tuple[layout.Page, int]]) -> None:
    chars = sum(p.chars for p, _ in pages)
    unmapped = sum(n for _, n in pages)
    if chars == 0:
        raise _err(E_PDF_NO_TEXT, "PDF 没有文字层（可能是扫描件），无法检查；请提供可复制文字的 PDF，"
                                  "最好是报告的 .docx 原稿")
    if unmapped * 2 > chars:
        raise _err(E_PDF_NO_TEXT, "PDF 的文字无法提取（字体缺少字符映射），请提供可复制文字的 PDF 或 .docx")
    if layout.garbled([p for p, _ in pages]):
        raise _err(E_PDF_NO_TEXT, "PDF 的文字提取出来是乱码（字体没有可用的字符映射，汉字只读出几个反复出现的字），"
                                  "请提供可复制文字的 PDF 或 .docx")


# =========================================================================== the document
def _read(pdfium, data: bytes) -> list[tuple[layout.Page, int]]:
    from . import pdflimits

    pdflimits.check_streams(data)
    doc = _open(pdfium, data)
    try:
        if pdfium.FPDF_GetSecurityHandlerRevision(doc) != -1:
            # encrypted without an open password (only copying or printing restricted): the
            # streams are checked on a copy PDFium writes without the encryption
            plain = _without_encryption(pdfium, doc)
            pdflimits.check_streams(plain)
            pdfium.FPDF_CloseDocument(doc)
            doc = None
            data = plain
            doc = _open(pdfium, data)
        n = pdfium.FPDF_GetPageCount(doc)
        pdflimits.check_pages(n)
        if n <= 0:
            raise _err(E_PDF_BROKEN, "PDF 文件没有页面（文件结构已损坏），请重新导出 PDF 或提供 .docx")
        pages = []
        for i in range(n):
            pdflimits.check_time()
            pages.append(_read_page(pdfium, doc, i))
        return pages
    finally:
        if doc is not None:
            pdfium.FPDF_CloseDocument(doc)


def _open(pdfium, data: bytes):
    """PDFium's document for ``data`` (which must outlive it)."""
    doc = pdfium.FPDF_LoadMemDocument64(data, len(data), None)
    if not doc:
        code = pdfium.FPDF_GetLastError()
        if code == pdfium.FPDF_ERR_PASSWORD:
            raise _err(E_PDF_ENCRYPTED, "PDF 设有打开密码（已加密），请提供未加密的 PDF 或 .docx")
        if code == pdfium.FPDF_ERR_SECURITY:
            raise _err(E_PDF_ENCRYPTED, "PDF 使用了不支持的加密方式，请提供未加密的 PDF 或 .docx")
        raise _err(E_PDF_BROKEN, "PDF 文件已损坏（文件结构无法解析），请重新导出 PDF 或提供 .docx")
    return doc


def _without_encryption(pdfium, doc) -> bytes:
    """The document written again by PDFium without its encryption (streams as they are encoded)."""
    from . import MAX_PDF

    out: list[bytes] = []
    size = [0]

    def write(_self, buf, n):
        size[0] += n
        if size[0] > 2 * MAX_PDF:
            return 0
        out.append(ctypes.string_at(buf, n))
        return 1

    writer = pdfium.FPDF_FILEWRITE()
    writer.version = 1
    writer.WriteBlock = type(writer.WriteBlock)(write)
    if not pdfium.FPDF_SaveAsCopy(doc, ctypes.byref(writer), pdfium.FPDF_REMOVE_SECURITY):
        raise _err(E_PDF_ENCRYPTED, "PDF 已加密，无法读取其内容，请提供未加密的 PDF 或 .docx")
    return b"".join(out)


# =========================================================================== one page
def _read_page(pdfium, doc, index: int) -> tuple[layout.Page, int]:
    """The page's characters and ruled tables laid out; with its count of characters without
    a Unicode mapping."""
    from . import pdflimits

    page = pdfium.FPDF_LoadPage(doc, index)
    if not page:
        raise _err(E_PDF_BROKEN, f"PDF 第 {index + 1} 页已损坏，无法读取，请重新导出 PDF 或提供 .docx")
    try:
        frame = _frame(pdfium, page)
        pdflimits.check_page(index + 1, pdfium.FPDFPage_CountObjects(page), 0)
        text = pdfium.FPDFText_LoadPage(page)
        if not text:
            raise _err(E_PDF_BROKEN, f"PDF 第 {index + 1} 页的文字无法读取，请重新导出 PDF 或提供 .docx")
        try:
            chars, unmapped, turn = characters(pdfium, text, frame, pdfium.FPDFPage_GetRotation(page) % 4, index + 1)
        finally:
            pdfium.FPDFText_ClosePage(text)
        width, height = _size(frame, turn)
        tables = []
        if chars:
            edges = rules(pdfium, page, turn, frame)
            if edges:
                tables = layout.ruled_tables(edges, (0.0, 0.0, width, height))
        return layout.page(index + 1, width, chars, tables), unmapped
    finally:
        pdfium.FPDF_ClosePage(page)


def _frame(pdfium, page) -> tuple[float, float, float, float]:
    """The page's visible box (left, bottom, right, top) in user space."""
    box = pdfium.FS_RECTF()
    if pdfium.FPDF_GetPageBoundingBox(page, box):
        return box.left, box.bottom, box.right, box.top
    return 0.0, 0.0, pdfium.FPDF_GetPageWidthF(page), pdfium.FPDF_GetPageHeightF(page)


def characters(pdfium, text, frame, turn: int, number: int) -> tuple[list[dict], int, int]:
    """The characters of PDFium's text page ``text`` that stand upright on the page turned
    ``turn`` quarters clockwise, as the layout's pieces of text (points from the top left, y
    down; a duplicate drawn on the same spot for a bold effect dropped), without the spaces and
    line breaks PDFium adds between words and lines: runs of characters that follow each other
    touching on one baseline at one size, each with the extents of its characters (``xs``, so
    that the layout can cut a run that a table's rule cuts); with how many characters have no
    Unicode mapping, and the turn.  When most characters stand another way (text set sideways on the
    page), the page is read again turned that way.

    Two calls into PDFium a character (through :func:`_c`): its loose box and its text object (the
    show-text operation that drew it).  The first character of a text object also asks for its
    origin and font size; the others of that object share its font, size, turn and baseline (a
    show-text operation moves along its line only), as long as the baseline runs through their
    box (a vertical font's object moves down the page: each of its characters asks).  The turn
    follows from where the origin lies on the box (on its left side for upright text, its bottom
    side for text turned a quarter anticlockwise...); only a character whose box and origin do
    not tell (a glyph set at a slant) asks for its angle.  The Unicode map is checked on every
    16th character, and on all of them on a page where one lacks it."""
    from . import pdflimits

    n = pdfium.FPDFText_CountChars(text)
    if n <= 0:
        return [], 0, turn
    pdflimits.check_page(number, 0, n)
    buf = (ctypes.c_ushort * (n + 1))()
    pdfium.FPDFText_GetText(text, 0, n, buf)
    units = "".join(map(chr, buf[:n]))
    pairs = _SURROGATE.search(units) is not None  # a character beyond the BMP is two: its UTF-16 surrogates
    loose = _c(pdfium.FPDFText_GetLooseCharBox, _INT, _PTR, _INT, _PTR)
    origin = _c(pdfium.FPDFText_GetCharOrigin, _INT, _PTR, _INT, _PTR, _PTR)
    size_of = _c(pdfium.FPDFText_GetFontSize, _REAL, _PTR, _INT)
    text_object = _c(pdfium.FPDFText_GetTextObject, _PTR, _PTR, _INT)
    page = ctypes.cast(text, _PTR).value
    rect = pdfium.FS_RECTF()
    point = (ctypes.c_double * 2)()
    at_rect, at_x = ctypes.addressof(rect), ctypes.addressof(point)
    at_y = at_x + ctypes.sizeof(ctypes.c_double)
    angle_of = pdfium.FPDFText_GetCharAngle
    generated = pdfium.FPDFText_IsGenerated
    half_pi = math.pi / 2
    f_left, f_bottom, f_right, f_top = frame
    counts = [0, 0, 0, 0]
    chars: list[dict] = []
    texts: list[list[str]] = []  # the characters of each piece of ``chars``
    indices: list[int] = []
    seen: set = set()
    # the run being read: its characters' texts and extents, right end, size and baseline
    run_text: list[str] = []
    run_xs: list = []
    run_x1 = run_size = run_base = 0.0
    drawn = None  # the text object of the character before, with its origin, turn and size
    x = y = size = base = 0.0
    q = line = 0
    keep = False
    for k in range(n):
        ch = units[k]
        if ch <= " " or ch in "\u00a0\u3000\ufffe":
            if ch < " " or ch == "\ufffe" or generated(text, k) == 1:
                continue  # line breaks and the spaces PDFium puts between words and lines
        if pairs and "\udc00" <= ch <= "\udfff":  # the second half of the character before (same box)
            if indices and indices[-1] == k - 1:
                run_text[-1] += ch
            continue  # (its first half was a duplicate, dropped: so is it)
        loose(page, k, at_rect)
        left, right, bottom, top = rect.left, rect.right, rect.bottom, rect.top
        obj = text_object(page, k)
        if obj is None or obj != drawn or not (bottom <= y <= top if q % 2 == 0 else left <= x <= right):
            origin(page, k, at_x, at_y)
            x, y = point[0], point[1]
            if abs(left - x) < 0.01:
                q = 0
            elif abs(bottom - y) < 0.01:
                q = 1
            elif abs(right - x) < 0.01:
                q = 2
            elif abs(top - y) < 0.01:
                q = 3
            else:
                angle = angle_of(text, k)  # clockwise, in radians
                q = -round(angle / half_pi) % 4 if angle >= 0 else 0
            size = size_of(page, k)
            drawn = obj
            keep = q == turn and size > 0
            base = (f_top - y, x - f_left, y - f_bottom, f_right - x)[turn]  # the object's baseline
            line = int(base)
        counts[q] += 1
        if not keep:
            continue
        if turn == 0:
            a, z = left - f_left, right - f_left
        elif turn == 1:
            a, z = bottom - f_bottom, top - f_bottom
        elif turn == 2:
            a, z = f_right - right, f_right - left
        else:
            a, z = f_top - top, f_top - bottom
        key = (ch, int(a), line)
        if key in seen:
            continue
        seen.add(key)
        indices.append(k)
        if size == run_size and abs(base - run_base) < 0.1 and -0.1 * size <= a - run_x1 < 0.25 * size:
            run_text.append(ch)  # touching the character before it on its line: one run
            run_xs.append((a, z))
            if z > run_x1:
                run_x1 = chars[-1]["x1"] = z
            continue
        run_text, run_xs = [ch], [(a, z)]
        run_x1, run_size, run_base = z, size, base
        texts.append(run_text)
        chars.append({"text": ch, "x0": a, "x1": z, "top": base - _ASCENT * size, "bottom": base + _DESCENT * size,
                      "size": size, "xs": run_xs})
    for c, t in zip(chars, texts):
        if len(t) > 1 or pairs:
            c["text"] = "".join(t)
            if pairs:  # each surrogate pair one character (a lone surrogate: U+FFFD)
                c["text"] = c["text"].encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    best = max(range(4), key=lambda t: (counts[t], t == turn))
    if counts[best] > counts[turn]:
        return characters(pdfium, text, frame, best, number)
    error = pdfium.FPDFText_HasUnicodeMapError
    unmapped = 0
    if any(error(text, k) == 1 for k in indices[::16]):
        unmapped = sum(error(text, k) == 1 for k in indices)
    return chars, unmapped, turn


_PROTOTYPES: dict[int, object] = {}
_PTR, _INT, _REAL = ctypes.c_void_p, ctypes.c_int, ctypes.c_double


def _c(fn, restype, *argtypes):
    """PDFium's function ``fn`` as a C prototype that takes (and gives) pointers as plain
    integers: for the functions called for every character or page object.  pypdfium2's typed
    bindings convert each pointer argument on every call (30-50 % of the cost of a call), and a
    report has thousands of characters.  The same function (its address), called the same way."""
    address = ctypes.cast(fn, _PTR).value
    proto = _PROTOTYPES.get(address)
    if proto is None:
        proto = _PROTOTYPES[address] = ctypes.CFUNCTYPE(restype, *argtypes)(address)
    return proto


def _size(frame: tuple[float, float, float, float], turn: int) -> tuple[float, float]:
    left, bottom, right, top = frame
    return (right - left, top - bottom) if turn % 2 == 0 else (top - bottom, right - left)


def _point(x: float, y: float, turn: int, frame: tuple[float, float, float, float]) -> tuple[float, float]:
    """A point of user space on the page turned ``turn`` quarters clockwise, from its top left, y down."""
    left, bottom, right, top = frame
    if turn == 0:
        return x - left, top - y
    if turn == 1:
        return y - bottom, x - left
    if turn == 2:
        return right - x, y - bottom
    return top - y, right - x


# =========================================================================== rules
def rules(pdfium, page, turn: int, frame) -> list[dict]:
    """The visible straight horizontal and vertical segments of the page's paths (inside form
    XObjects too), as the layout's edges on the page turned ``turn`` quarters."""
    out: list[dict] = []
    matrix = pdfium.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()

    def shows(get_colour, obj) -> bool:
        if not get_colour(obj, r, g, b, a):
            return True  # a pattern or a colour space PDFium cannot tell: count it
        return a.value > 0 and min(r.value, g.value, b.value) < _WHITE

    def path(obj, m) -> None:
        if not pdfium.FPDFPath_GetDrawMode(obj, fill, stroke):
            return
        if not ((stroke.value and shows(pdfium.FPDFPageObj_GetStrokeColor, obj))
                or (fill.value and shows(pdfium.FPDFPageObj_GetFillColor, obj))):
            return  # an invisible path: WPS's white box behind a line of text
        n = pdfium.FPDFPath_CountSegments(obj)
        if n <= 0 or n > _MAX_SEGMENTS:
            return
        pts: list[tuple[float, float]] = []
        start = prev = None
        for k in range(n):
            seg = pdfium.FPDFPath_GetPathSegment(obj, k)
            pdfium.FPDFPathSegment_GetPoint(seg, x, y)
            kind = pdfium.FPDFPathSegment_GetType(seg)
            p = _apply(m, x.value, y.value)
            if kind == pdfium.FPDF_SEGMENT_LINETO and prev is not None:
                pts.append((*prev, *p))
            if kind == pdfium.FPDF_SEGMENT_MOVETO:
                start = p
            prev = p
            if pdfium.FPDFPathSegment_GetClose(seg) and start is not None and prev != start:
                pts.append((*prev, *start))
                prev = start
        for x0, y0, x1, y1 in pts:
            e = _edge(_point(x0, y0, turn, frame), _point(x1, y1, turn, frame))
            if e is not None:
                out.append(e)

    # the page's objects are mostly text: their type is asked through plain prototypes (_c), and
    # only a path or a form becomes one of pypdfium2's typed pointers
    kind_of = _c(pdfium.FPDFPageObj_GetType, _INT, _PTR)
    on_page = _c(pdfium.FPDFPage_GetObject, _PTR, _PTR, _INT)
    in_form = _c(pdfium.FPDFFormObj_GetObject, _PTR, _PTR, _INT)
    PATH, FORM = pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM
    typed = pdfium.FPDF_PAGEOBJECT

    def walk(count, get, parent, m, depth) -> None:
        for i in range(count):
            address = get(parent, i)
            kind = kind_of(address) if address else 0
            if kind != PATH and kind != FORM:
                continue
            obj = ctypes.cast(address, typed)
            pdfium.FPDFPageObj_GetMatrix(obj, matrix)
            own = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), m)
            if kind == PATH:
                path(obj, own)
            elif depth < _MAX_DEPTH:
                walk(pdfium.FPDFFormObj_CountObjects(obj), in_form, address, own, depth + 1)

    walk(pdfium.FPDFPage_CountObjects(page), on_page, ctypes.cast(page, _PTR).value, (1, 0, 0, 1, 0, 0), 0)
    return out


def _compose(m, parent):
    """The matrix ``m`` followed by ``parent`` (PDF order: row vector times m times parent)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = parent
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _edge(p: tuple[float, float], q: tuple[float, float]) -> dict | None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 0.5:
        x0, x1 = sorted((x0, x1))
        return {"x0": x0, "x1": x1, "top": y0, "bottom": y0, "orientation": "h"}
    if abs(x1 - x0) <= 0.5:
        y0, y1 = sorted((y0, y1))
        return {"x0": x0, "x1": x0, "top": y0, "bottom": y1, "orientation": "v"}
    return None
