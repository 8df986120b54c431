"""Limits on what one PDF may make the PDF engine do, checked before the engine is given the file.

PDFium (the engine of :mod:`gxlint.readers.pdf`) trusts the file: a 1 MB stream that inflates
to 1 GiB is inflated whole in memory (and, past the memory there is, the process aborts), and a
file may declare any number of pages.  So, before PDFium opens a file, :func:`check_streams`
walks its bytes once and decodes every stream PDFium could decode while reading text -- content
streams, fonts, character maps, object and cross-reference streams; not images, which are only
decoded to draw them -- through the same filters, without keeping what they give:

* a stream decodes to at most :data:`MAX_STREAM` bytes (one of drawing operators -- a page's or a
  form's content, anything that is not a font, a colour profile, an image or the file's own
  structure -- to at most :data:`MAX_CONTENT`), and all the streams of a file to at most
  :data:`MAX_INFLATED` (Flate, LZW and RunLength are the filters that can multiply; the ASCII ones
  only shrink or grow by a quarter);
* a file holds at most :data:`MAX_OBJECTS` streams, and its cross-reference section declares at
  most as many objects (``/Size``).

Then the reader asks PDFium for the page count (read from the page tree, no page loaded) and
refuses more than :data:`MAX_PAGES`, and a page of more than :data:`MAX_PAGE_OBJECTS` objects or
:data:`MAX_CHARS` characters; :func:`budget` carries the per-file time limit
(:data:`MAX_SECONDS`), checked between streams here and between pages by the reader.  Exceeding
any of them raises :class:`PdfTooLarge`, which the reader turns into E006.

An encrypted file's streams cannot be decoded before they are decrypted: the reader has PDFium
write the file again without its encryption (the streams stay encoded) and checks that copy.
"""
from __future__ import annotations

import re
import threading
import time
import zlib
from base64 import a85decode
from binascii import Error as BinasciiError
from contextlib import contextmanager

MAX_STREAM = 64 * 2**20  # one stream, decoded (a CJK font embedded whole is 10 to 20 MB)
MAX_CONTENT = 8 * 2**20  # one stream of drawing operators, decoded (a dense page's is a few hundred KB):
# PDFium keeps about 300 bytes for each object drawn, so 64 MiB of "0 0 m 1 1 l S" would take 1.3 GB
MAX_CHARS = 50_000  # characters on one page (a dense page of a report has about 2,500)
MAX_PAGE_OBJECTS = 100_000  # text runs, paths and images on one page (a page of a table has a few thousand)
MAX_INFLATED = 256 * 2**20  # all the streams of one file, decoded
MAX_PAGES = 1000  # a report has 5 to 40 pages
MAX_OBJECTS = 1_000_000  # streams in a file, and objects its cross-reference section declares
MAX_SECONDS = 120.0  # wall-clock time for one file (a report takes a few hundredths of a second)

_state = threading.local()  # .deadline (time.monotonic())

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(?!\s+\d+\s+R)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
# streams that hold no drawing operators: fonts (/Length1-3, /Subtype /Type1C...), colour profiles
# (/N), the file's structure (/Type /XRef, /ObjStm), metadata and attachments
_NOT_CONTENT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?!Form\b)|/N\s|/Type\s*/(?:XRef|ObjStm|Metadata|EmbeddedFile)\b")
_SIZE = re.compile(rb"/Size\s+(\d+)")
_ABBREVIATIONS = {b"Fl": b"FlateDecode", b"LZW": b"LZWDecode", b"RL": b"RunLengthDecode",
                  b"AHx": b"ASCIIHexDecode", b"A85": b"ASCII85Decode"}


class PdfTooLarge(Exception):
    """A limit of this module was exceeded; the message says which (Chinese, for the user)."""


@contextmanager
def budget():
    """The time limit of one file, for the PDF read in this thread inside the ``with``."""
    _state.deadline = time.monotonic() + MAX_SECONDS
    try:
        yield
    finally:
        _state.deadline = None


def check_time() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise PdfTooLarge(f"PDF 过于复杂，{MAX_SECONDS:.0f} 秒内未能读完，不像一份年度报告")


def check_pages(n: int) -> None:
    if n > MAX_PAGES:
        raise PdfTooLarge(f"PDF 声明有 {n} 页（上限 {MAX_PAGES} 页），不像一份年度报告，请确认选对了文件")


def check_page(number: int, objects: int, chars: int) -> None:
    if objects > MAX_PAGE_OBJECTS:
        raise PdfTooLarge(f"PDF 第 {number} 页有 {objects:,} 个绘制对象（上限 {MAX_PAGE_OBJECTS:,}），不像一份年度报告")
    if chars > MAX_CHARS:
        raise PdfTooLarge(f"PDF 第 {number} 页有 {chars:,} 个字符（上限 {MAX_CHARS:,}），不像一份年度报告")


def check_streams(data: bytes) -> int:
    """Raise :class:`PdfTooLarge` when a stream of the PDF ``data`` decodes to more than the
    limits allow, or the file holds or declares too many objects; else the bytes all its streams
    decode to (images not counted)."""
    for m in _SIZE.finditer(data, max(len(data) - 4096, 0)):  # the trailer's (or the xref stream's) /Size
        if int(m.group(1)) > MAX_OBJECTS:
            raise PdfTooLarge(f"PDF 声明有 {int(m.group(1)):,} 个对象（上限 {MAX_OBJECTS:,}），不像一份年度报告")
    total = streams = 0
    pos = 0
    while (m := _STREAM.search(data, pos)) is not None:
        streams += 1
        if streams > MAX_OBJECTS:
            raise PdfTooLarge(f"PDF 中的数据流超过 {MAX_OBJECTS:,} 个，不像一份年度报告")
        if streams % 256 == 0:
            check_time()
        start = m.end()
        head = _dictionary(data, m.start())
        end = -1
        length = _LENGTH.search(head)
        if length is not None:
            end = start + int(length.group(1))
            if not data[end:end + 40].lstrip(b"\r\n \t").startswith(b"endstream"):
                end = -1  # a wrong /Length: PDFium looks for endstream too
        if end < 0:
            end = data.find(b"endstream", start)
            if end < 0:
                end = len(data)
        pos = end
        if _IMAGE.search(head) is not None:
            continue  # decoded only to draw it
        limit = MAX_STREAM if _NOT_CONTENT.search(head) else MAX_CONTENT
        total += _decoded_size(data[start:end], _filters(head), limit)
        if total > MAX_INFLATED:
            raise PdfTooLarge(f"PDF 中的数据流解压后共超过 {MAX_INFLATED // 2**20} MiB（疑似压缩炸弹），已拒绝读取")
    return total


def _dictionary(data: bytes, at: int) -> bytes:
    r"""The stream dictionary before ``stream`` at ``at``: from its object's ``N G obj`` (at most
    4 KB back; an xref stream's dictionary may be long, a content stream's is short).  The last
    match of ``rb"\d+\s+\d+\s+obj\b"`` there, found from the end (``obj`` by ``rfind``, then the digits and
    spaces before it): a report has hundreds of streams, and a regular-expression search of the
    4 KB before each cost more than inflating them."""
    lo = max(at - 4096, 0)
    end = at
    while (i := data.rfind(b"obj", lo, end)) >= 0:
        end = i + 2
        if i + 3 < at and (data[i + 3] in _WORD):
            continue  # obj\b: "object", "objs"...
        j = i
        for wanted in (_SPACE, _DIGIT, _SPACE, _DIGIT):
            k = j
            while j > lo and data[j - 1] in wanted:
                j -= 1
            if j == k:
                break
        else:
            return data[i + 3:at]
    return data[lo:at]


_SPACE, _DIGIT = frozenset(b" \t\n\r\x0b\x0c"), frozenset(b"0123456789")
_WORD = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def _filters(head: bytes) -> list[bytes]:
    m = _FILTER.search(head)
    if m is None:
        return []
    return [_ABBREVIATIONS.get(n, n) for n in _NAME.findall(m.group(1))]


def _too_large(limit: int) -> PdfTooLarge:
    if limit < MAX_STREAM:
        return PdfTooLarge(f"PDF 页面的绘制内容解压后超过 {limit // 2**20} MiB（疑似压缩炸弹或恶意构造），已拒绝读取")
    return PdfTooLarge(f"PDF 中的数据流解压后超过 {limit // 2**20} MiB（疑似压缩炸弹），已拒绝读取")


def _decoded_size(raw: bytes, filters: list[bytes], limit: int = MAX_STREAM) -> int:
    """How many bytes ``raw`` decodes to through ``filters`` (as far as they can be decoded
    here: a filter that is not one of the five above, or data that does not decode, ends the
    chain, and the size reached so far counts).  The last filter of the chain is only counted."""
    data, size = raw, len(raw)
    for i, f in enumerate(filters):
        last = i == len(filters) - 1
        try:
            if f == b"FlateDecode":
                data, size = _inflate(data, not last, limit)
            elif f == b"LZWDecode":
                data, size = _lzw(data, not last, limit)
            elif f == b"RunLengthDecode":
                data, size = _run_length(data, limit)
            elif f == b"ASCII85Decode":
                text = data.strip()
                text = text[2:] if text.startswith(b"<~") else text
                data = a85decode(text.split(b"~>")[0], adobe=False, ignorechars=b" \t\n\r\x0b\x0c")
                size = len(data)
            elif f == b"ASCIIHexDecode":
                hexits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0])
                data = bytes.fromhex((hexits + b"0" * (len(hexits) % 2)).decode())
                size = len(data)
            else:
                break  # an image filter, or one PDFium does not know either
        except (ValueError, BinasciiError, zlib.error):
            break
        if size > limit:
            raise _too_large(limit)
    if size > limit:  # not encoded at all
        raise _too_large(limit)
    return size


def _inflate(data: bytes, keep: bool, limit: int) -> tuple[bytes, int]:
    """Inflate ``data`` (zlib, or raw deflate when the header is broken, as PDFium tries) by
    chunks, counting; the bytes themselves only when ``keep``."""
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        d = zlib.decompressobj(wbits)
        out: list[bytes] = []
        size = 0
        try:
            chunk = d.decompress(data, 2**20)
            while True:
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                if keep:
                    out.append(chunk)
                if not d.unconsumed_tail:
                    break
                chunk = d.decompress(d.unconsumed_tail, 2**20)
        except zlib.error:
            if size or wbits < 0:
                return b"".join(out), size
            continue
        return b"".join(out), size
    return b"", 0


def _lzw(data: bytes, keep: bool, limit: int) -> tuple[bytes, int]:
    """Decode LZW (PDF's variant: 9 to 12 bits, early change), counting."""
    table = [bytes([i]) for i in range(256)] + [b"", b""]
    out = bytearray()
    size = 0
    bits, buf, nbits, prev = 9, 0, 0, b""
    for byte in data:
        buf = (buf << 8) | byte
        nbits += 8
        while nbits >= bits:
            nbits -= bits
            code = (buf >> nbits) & ((1 << bits) - 1)
            buf &= (1 << nbits) - 1
            if code == 256:
                table, bits, prev = table[:258], 9, b""
                continue
            if code == 257:
                return bytes(out), size
            if code < len(table):
                entry = table[code]
                if prev:
                    table.append(prev + entry[:1])
            elif prev:
                entry = prev + prev[:1]
                table.append(entry)
            else:
                return bytes(out), size
            size += len(entry)
            if size > limit:
                raise _too_large(limit)
            if keep:
                out += entry
            prev = entry
            if len(table) + 1 >= 1 << bits and bits < 12:
                bits += 1
    return bytes(out), size


def _run_length(data: bytes, limit: int) -> tuple[bytes, int]:
    out = bytearray()
    i = 0
    while i < len(data):
        n = data[i]
        if n == 128:
            break
        if n < 128:
            out += data[i + 1:i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1:i + 2] * (257 - n)
            i += 2
        if len(out) > limit:
            raise _too_large(limit)
    return bytes(out), len(out)
