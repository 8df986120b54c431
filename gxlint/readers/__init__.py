"""Readers: turn a file into a gxlint.model.Document.  A reader never knows a rule."""
from __future__ import annotations

import os

from ..errors import E_OS, E_UNSUPPORTED, InputError
from ..model import Document

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
LEGACY_SUFFIXES = (".doc", ".wps")  # converted with LibreOffice
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
OFD_SUFFIXES = (".ofd",)
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + DOCX_SUFFIXES + LEGACY_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + OFD_SUFFIXES


def read(path: str, encoding: str | None = None) -> Document:
    """Read any supported file; raise InputError (E0xx) when it cannot be read."""
    low = path.lower()
    if not os.path.exists(path):
        raise InputError(E_OS, f"{path}: 文件不存在")
    if low.endswith(DOCX_SUFFIXES):
        from .docx import read_docx  # lxml only when a .docx is read

        return read_docx(path)
    if low.endswith(LEGACY_SUFFIXES):
        from .convert import read_converted  # LibreOffice, when installed

        return read_converted(path)
    if low.endswith(TEXT_SUFFIXES + MARKDOWN_SUFFIXES):
        from .text import read_text

        return read_text(path, encoding=encoding, markdown=low.endswith(MARKDOWN_SUFFIXES))
    if low.endswith(HTML_SUFFIXES):
        from .html import read_html  # lxml only when an HTML page is read

        return read_html(path, encoding=encoding)
    if low.endswith(PDF_SUFFIXES):
        try:
            from .pdf import read_pdf  # pdfplumber only when a PDF is read
        except ImportError as e:  # a dependency, but an environment may lack it
            raise InputError(E_UNSUPPORTED, f"{path}: 读取 PDF 需要 pdfplumber（{e}），请运行 pip install pdfplumber") from None
        return read_pdf(path)
    if low.endswith(OFD_SUFFIXES):
        try:
            from .ofd import read_ofd  # ofdkit only when an OFD is read
        except ImportError as e:
            raise InputError(E_UNSUPPORTED, f"{path}: 读取 OFD 需要 ofdkit（{e}），请运行 pip install ofdkit") from None
        return read_ofd(path)
    raise InputError(
        E_UNSUPPORTED,
        f"{path}: 不支持的文件类型（可检查 .docx、.pdf、.ofd、.txt、.md、.html），请另存为 .docx 或纯文本",
    )
