"""Readers: turn a file into a gxlint.model.Document.  A reader never knows a rule.

:func:`read` checks what a path names before any reader opens it: only a regular
file is read (a directory, FIFO, device or socket is an E013 error, never opened,
so reading never blocks), and a PDF larger than any report (:data:`MAX_PDF`) is refused
(E006).  Each reader bounds its own reads besides.
"""
from __future__ import annotations

import errno
import os
import stat

from ..errors import E_OS, E_TOO_LARGE, E_UNSUPPORTED, InputError
from ..model import Document

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
LEGACY_SUFFIXES = (".doc", ".wps")  # converted with LibreOffice
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
OFD_SUFFIXES = (".ofd",)
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + DOCX_SUFFIXES + LEGACY_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + OFD_SUFFIXES

# A report is a few hundred KB of text: beyond these it is not one (or many pasted together),
# and linting it would take minutes.  E006 "too large for a report".
MAX_PDF = 256 * 2**20  # a PDF on disk (with scanned pages, a few tens of MiB); the other readers
# read at most what they need (text and HTML: a few MiB; .docx: its directory and three parts)
MAX_PARAGRAPHS = 50_000  # paragraphs, table cells or lines of one report (a long one has 3,000)

# A table grid wider than this is no report's (Word allows 63 columns): spans beyond it are cut,
# so that a colspan or w:gridSpan of 10**9 costs nothing in the span bookkeeping.
MAX_COLUMNS = 256


def too_many(path: str, n: int, what: str = "段落") -> InputError:
    """E006 for a report of more than MAX_PARAGRAPHS paragraphs (or lines, cells)."""
    return InputError(E_TOO_LARGE, f"{path}: 文件过大，不像一份年度报告（{what}超过 {MAX_PARAGRAPHS:,} 个，"
                                   f"实有 {n:,} 个），请确认选对了文件")


def check_file(path: str, max_size: int | None = None) -> os.stat_result:
    """The stat of `path` when it is a regular file (of at most `max_size` bytes), else InputError."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(E_OS, f"{path}: 文件不存在") from None
    except OSError as e:  # ELOOP (a symlink loop), ENAMETOOLONG, EACCES on a folder...
        why = "符号链接循环" if e.errno == errno.ELOOP else e.strerror or e
        raise InputError(E_OS, f"{path}: 无法读取（{why}）") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(E_OS, f"{path}: 是目录，不是文件")
    if not stat.S_ISREG(st.st_mode):
        from ..files import kind_of

        raise InputError(E_OS, f"{path}: 是{kind_of(st.st_mode)}，不是普通文件，不会读取")
    if max_size is not None and st.st_size > max_size:
        raise InputError(E_TOO_LARGE, f"{path}: 文件过大（{st.st_size / 2**20:.0f} MiB，上限 {max_size // 2**20} MiB），"
                                      "不像一份年度报告，请确认选对了文件")
    if not os.access(path, os.R_OK):
        raise InputError(E_OS, f"{path}: 没有读取该文件的权限，请检查文件权限")
    return st


def read(path: str, encoding: str | None = None, formats=()) -> Document:
    """Read any supported file; raise InputError (E0xx) when it cannot be read.  `formats`: the
    report formats (FormatSpec objects) whose table labels the text and HTML readers use to find
    a table that reached them without its grid (readers.cells); none: such a table stays lines."""
    low = path.lower()
    if not low.endswith(SUFFIXES):
        if not os.path.exists(path):
            raise InputError(E_OS, f"{path}: 文件不存在")
        raise InputError(
            E_UNSUPPORTED,
            f"{path}: 不支持的文件类型（可检查 .docx、.doc、.wps、.pdf、.ofd、.txt、.md、.html），请另存为 .docx 或纯文本",
        )
    check_file(path, MAX_PDF if low.endswith(PDF_SUFFIXES + OFD_SUFFIXES) else None)
    if low.endswith(DOCX_SUFFIXES):
        from .docx import read_docx  # lxml only when a .docx is read

        return read_docx(path)
    if low.endswith(LEGACY_SUFFIXES):
        from .convert import read_converted  # LibreOffice, when installed

        return read_converted(path)
    if low.endswith(TEXT_SUFFIXES + MARKDOWN_SUFFIXES):
        from .text import read_text

        return read_text(path, encoding=encoding, markdown=low.endswith(MARKDOWN_SUFFIXES), formats=formats)
    if low.endswith(HTML_SUFFIXES):
        from .html import read_html  # lxml only when an HTML page is read

        return read_html(path, encoding=encoding, formats=formats)
    if low.endswith(PDF_SUFFIXES):
        try:
            from .pdf import read_pdf
            import pypdfium2.raw  # noqa: F401 - PDFium only when a PDF is read
        except ImportError as e:  # a dependency, but an environment may lack it
            raise InputError(E_UNSUPPORTED, f"{path}: 读取 PDF 需要 pypdfium2（{e}），请运行 pip install pypdfium2") from None
        return read_pdf(path)
    try:
        from .ofd import read_ofd  # ofdkit only when an OFD is read
    except ImportError as e:
        raise InputError(E_UNSUPPORTED, f"{path}: 读取 OFD 需要 ofdkit（{e}），请运行 pip install ofdkit") from None
    return read_ofd(path)
