"""Read a text-layer PDF report into a :class:`gxlint.model.Document`.

pdfplumber (on pdfminer.six) gives the characters with their boxes and the
rules' edges; :mod:`gxlint.readers.layout` (shared with the OFD reader) turns
them into paragraphs and tables (line grouping, paragraph breaks, ruled tables
over page breaks: see there).

Every unreadable input raises :class:`gxlint.errors.InputError`: E014 for a PDF
without usable text (a scan, glyphs without a Unicode mapping, or text that extracts as
garbage: :func:`gxlint.readers.layout.garbled`), E015 for a password, E016 for a broken file.
"""
from __future__ import annotations

import logging
import os

from gxlint.errors import E_EMPTY, E_OS, E_PDF_BROKEN, E_PDF_ENCRYPTED, E_PDF_NO_TEXT, E_TOO_LARGE, InputError
from gxlint.model import Document

from . import layout

__all__ = ["read_pdf"]


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


# =========================================================================== public API
def read_pdf(path: str) -> Document:
    """Read the PDF at ``path``; raise :class:`InputError` if it cannot be read."""
    _preflight(path)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    from . import pdflimits

    pdflimits.install()  # bounded inflation and width arrays, before pdfminer sees the file
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # no warnings on stderr
    try:
        with pdflimits.budget(), pdfplumber.open(path) as pdf:
            if len(pdf.pages) > pdflimits.MAX_PAGES:
                raise _err(E_TOO_LARGE, f"PDF 有 {len(pdf.pages)} 页（上限 {pdflimits.MAX_PAGES} 页），"
                                        "不像一份年度报告，请确认选对了文件")
            pages = []
            for n, p in enumerate(pdf.pages, 1):
                pdflimits.check_time()
                pages.append(_read_page(p, n))
                p.close()  # the page's layout objects are not kept: what is kept is in _Page
        if not pages:
            raise _err(E_PDF_BROKEN, "PDF 文件没有页面（文件结构已损坏），请重新导出 PDF 或提供 .docx")
    except InputError:
        raise
    except RecursionError:
        raise _err(E_PDF_BROKEN, "PDF 文件结构嵌套过深（文件已损坏或是恶意构造），无法读取，请重新导出 PDF 或提供 .docx") from None
    except MemoryError:
        raise _err(E_TOO_LARGE, "PDF 内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds; none may escape
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, pdflimits.PdfTooLarge):
            raise _err(E_TOO_LARGE, str(cause)) from None
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise _err(E_PDF_ENCRYPTED, "PDF 设有打开密码（已加密），请提供未加密的 PDF 或 .docx") from None
        raise _err(E_PDF_BROKEN, f"PDF 文件已损坏，无法读取（{type(cause).__name__}），"
                                 "请重新导出 PDF 或提供 .docx") from None
    _check_text(pages)
    return Document(path=str(path), format="pdf", blocks=layout.blocks([p for p, _ in pages]))


def _preflight(path: str) -> None:
    """E013/E001/E016 before pdfminer: missing, empty, not a PDF, truncated."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
            size = f.seek(0, os.SEEK_END)
            f.seek(max(size - 2048, 0))
            tail = f.read()
    except OSError as e:
        raise _err(E_OS, f"无法读取文件（{e.strerror or e}），请检查文件是否存在、可以访问") from None
    if not head:
        raise _err(E_EMPTY, "文件是空的（0 字节），请确认保存完整后再检查")
    if b"%PDF-" not in head:
        raise _err(E_PDF_BROKEN, "不是 PDF 文件（没有 PDF 文件头），请检查文件类型，或提供 .docx")
    if b"%%EOF" not in tail:
        raise _err(E_PDF_BROKEN, "PDF 文件不完整（缺少文件结尾，可能下载或复制时被截断），请重新下载或导出")


def _check_text(pages: list[tuple[layout.Page, int]]) -> None:
    chars = sum(p.chars for p, _ in pages)
    unmapped = sum(n for _, n in pages)
    if chars == 0:
        raise _err(E_PDF_NO_TEXT, "PDF 没有文字层（可能是扫描件），请提供可复制文字的 PDF 或 .docx")
    if unmapped * 2 > chars:
        raise _err(E_PDF_NO_TEXT, "PDF 的文字无法提取（字体缺少字符映射），请提供可复制文字的 PDF 或 .docx")
    if layout.garbled([p for p, _ in pages]):
        raise _err(E_PDF_NO_TEXT, "PDF 的文字提取出来是乱码（字体没有可用的字符映射，汉字只读出几个反复出现的字），"
                                  "请提供可复制文字的 PDF 或 .docx")


# =========================================================================== one page
def _read_page(page, number: int) -> tuple[layout.Page, int]:
    """The page's characters and ruled tables laid out; with its count of characters without
    a Unicode mapping (「(cid:123)」)."""
    page = page.dedupe_chars()
    chars = [c for c in page.chars if c.get("upright", True) and c["text"]]
    unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if not any(not c["text"].isspace() for c in chars):
        return layout.page(number, page.width, chars, []), unmapped
    tables = layout.ruled_tables(page.edges, page.bbox)
    return layout.page(number, page.width, chars, tables), unmapped
