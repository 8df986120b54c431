"""Limits of gxlint's own on the work pdfminer does for one PDF, set before it is handed over.

pdfminer trusts the file: a 1 MB stream that inflates to 1 GiB is inflated whole, a font's
width array ``[0 99999999999 500]`` fills a dict of 10**11 entries, and a file of 100,000
pages is read to the end.  :func:`install` (idempotent) replaces, in this process:

* ``zlib`` as pdfminer's stream decoder sees it: a stream inflates to at most
  :data:`MAX_STREAM` bytes, and all the streams of one file (see :func:`budget`) to at
  most :data:`MAX_INFLATED`;
* the width-array readers of pdfminer's fonts: a range covers at most the 65,536
  character ids a CID font can have.

:func:`budget` also carries the per-file time limit (:data:`MAX_SECONDS`), checked by the
reader between pages, on every stream inflated and on every text or path operator drawn.  Exceeding any of them raises
:class:`PdfTooLarge`, which the reader turns into E006.
"""
from __future__ import annotations

import threading
import time
import zlib as _zlib
from contextlib import contextmanager

MAX_STREAM = 64 * 2**20  # one stream, inflated (a page's content is a few hundred KB)
MAX_INFLATED = 256 * 2**20  # all the streams of one file, inflated
MAX_PAGES = 1000  # a report has 5 to 40 pages
MAX_SECONDS = 120.0  # wall-clock time for one file (a report takes about a second)
_MAX_CID = 65536  # character ids of a CID font: 0..65535

_state = threading.local()  # .left (bytes still allowed), .deadline (time.monotonic())


class PdfTooLarge(Exception):
    """A limit of this module was exceeded; the message says which (Chinese, for the user)."""


@contextmanager
def budget():
    """The limits of one file, for the PDF read in this thread inside the ``with``."""
    _state.left, _state.deadline = MAX_INFLATED, time.monotonic() + MAX_SECONDS
    try:
        yield
    finally:
        _state.left = _state.deadline = None


def check_time() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise PdfTooLarge(f"PDF 过于复杂，{MAX_SECONDS:.0f} 秒内未能读完，不像一份年度报告")


def _spend(n: int) -> None:
    if n > MAX_STREAM:
        raise PdfTooLarge(f"PDF 中的数据流解压后超过 {MAX_STREAM // 2**20} MiB（疑似压缩炸弹），已拒绝读取")
    left = getattr(_state, "left", None)
    if left is not None:
        _state.left = left - n
        if _state.left < 0:
            raise PdfTooLarge(f"PDF 中的数据流解压后共超过 {MAX_INFLATED // 2**20} MiB（疑似压缩炸弹），已拒绝读取")
    check_time()


class _Decompressor:
    """zlib.decompressobj() that stops at the limits (pdfminer feeds it a byte at a time to
    recover a stream with a bad checksum)."""

    def __init__(self, *args):
        self._d = _zlib.decompressobj(*args)
        self._out = 0

    def decompress(self, data, max_length=0):
        out = self._d.decompress(data, MAX_STREAM + 1 - self._out)
        self._out += len(out)
        if self._out > MAX_STREAM:
            _spend(self._out)
        _spend(len(out))
        return out

    def flush(self, *args):
        return self._d.flush(*args)

    def __getattr__(self, name):
        return getattr(self._d, name)


class _BoundedZlib:
    """The part of the zlib module pdfminer uses, with inflation bounded."""

    error = _zlib.error
    MAX_WBITS = _zlib.MAX_WBITS

    @staticmethod
    def decompress(data, wbits=_zlib.MAX_WBITS, bufsize=_zlib.DEF_BUF_SIZE):
        d = _zlib.decompressobj(wbits)
        out = d.decompress(data, MAX_STREAM + 1)
        if len(out) > MAX_STREAM or d.unconsumed_tail:
            _spend(MAX_STREAM + 1)
        if not d.eof:  # as zlib.decompress: a truncated stream is an error (pdfminer then recovers)
            raise _zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        _spend(len(out))
        return out

    @staticmethod
    def decompressobj(*args):
        return _Decompressor(*args)

    def __getattr__(self, name):
        return getattr(_zlib, name)


def _resolved(v):
    from pdfminer.pdftypes import resolve1

    return resolve1(v)


def get_widths(seq) -> dict:
    """pdfminer.pdffont.get_widths with each range cut to the 65,536 ids a font can have."""
    widths: dict = {}
    r: list = []
    for v in seq:
        v = _resolved(v)
        if isinstance(v, list):
            if r and isinstance(r[-1], int):
                for i, w in enumerate(v[:_MAX_CID]):
                    widths[r[-1] + i] = w
            r = []
        elif isinstance(v, (int, float)):
            r.append(v)
            if len(r) == 3:
                char1, char2, w = r
                if isinstance(char1, int) and isinstance(char2, int):
                    for i in range(char1, min(char2, char1 + _MAX_CID - 1) + 1):
                        widths[i] = w
                r = []
    return widths


def get_widths2(seq) -> dict:
    """pdfminer.pdffont.get_widths2 (vertical writing), bounded as :func:`get_widths`."""
    widths: dict = {}
    r: list = []
    for v in seq:
        if isinstance(v, list):
            if r and isinstance(r[-1], int):
                triples = [v[i:i + 3] for i in range(0, min(len(v), 3 * _MAX_CID) - 2, 3)]
                for i, (w, vx, vy) in enumerate(triples):
                    widths[r[-1] + i] = (w, (vx, vy))
            r = []
        elif isinstance(v, (int, float)):
            r.append(v)
            if len(r) == 5:
                char1, char2, w, vx, vy = r
                if isinstance(char1, int) and isinstance(char2, int):
                    for i in range(char1, min(char2, char1 + _MAX_CID - 1) + 1):
                        widths[i] = (w, (vx, vy))
                r = []
    return widths


_installed = False


def install() -> None:
    """Put the bounded zlib and width readers in pdfminer's modules (once)."""
    global _installed
    if _installed:
        return
    from pdfminer import converter, pdfdevice, pdffont, pdftypes

    pdftypes.zlib = _BoundedZlib()
    pdffont.get_widths = get_widths
    pdffont.get_widths2 = get_widths2
    # the clock is also looked at on each text or path operator of a page (one page may hold
    # millions of them), not only between pages
    pdfdevice.PDFTextDevice.render_string = _timed(pdfdevice.PDFTextDevice.render_string)
    converter.PDFLayoutAnalyzer.paint_path = _timed(converter.PDFLayoutAnalyzer.paint_path)
    _installed = True


def _timed(method):
    def timed(*args, **kwargs):
        check_time()
        return method(*args, **kwargs)

    timed.__wrapped__ = method
    return timed
