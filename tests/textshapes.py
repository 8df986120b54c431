"""A report's text as the programs that save or copy it write it, from a real .docx or PDF.

* ``word_text``: Word's 「纯文本」 (.txt) save: a paragraph a line; a table row a line, its cells
  parted by tabs (a cell covered by a vertical merge is an empty cell; a cell's paragraphs are
  joined by a space, as Word writes a cell's paragraph marks inside a row);
* ``cell_lines``: a cell a line (WPS's text save, and text copied cell by cell): no blank line
  between rows, a cell's paragraphs on lines of their own, a covered cell left out, or written as
  an empty line (``covered=""``, as LibreOffice writes it);
* ``libreoffice_text``: ``soffice --convert-to txt:Text`` itself;
* ``pdf_texts``: the text of a PDF as ``pdftotext -layout`` and plain ``pdftotext`` (poppler-utils)
  and a PDF viewer built on PDFium (``pypdfium2``, which pdfplumber brings) give it.

The .docx is read with python-docx's public API and the XML of its tables (``w:vMerge``), never
by gxlint's own reader, so what a test compares is not gxlint's reading with itself.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph


def _blocks(doc):
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield DocxParagraph(child, doc)
        elif child.tag == qn("w:tbl"):
            yield DocxTable(child, doc)


def _rows(table: DocxTable):
    """Each row as a list of (cell paragraphs, covered): a cell that continues a vertical merge is
    covered; a cell spanning columns appears once."""
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            pr = tc.tcPr
            vmerge = pr.find(qn("w:vMerge")) if pr is not None else None
            covered = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
            paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
            row.append(([x for x in paras if x.strip()], covered))
        yield row


def _paragraph_lines(doc_path: Path) -> list:
    """(kind, payload) per block: ("p", text, with the number Word shows before a first-level
    heading written out: 「一、」…) or ("t", rows)."""
    doc = Document(str(doc_path))
    try:
        h1 = doc.styles["Heading 1"].style_id
    except KeyError:
        h1 = None
    styled = h1 is not None and _style_numbered(doc, h1)
    out, n = [], 0
    numerals = "一二三四五六七八九十"
    for b in _blocks(doc):
        if isinstance(b, DocxTable):
            out.append(("t", list(_rows(b))))
            continue
        number, ppr = "", b._p.pPr
        if ppr is not None:
            style = ppr.find(qn("w:pStyle"))
            direct = ppr.find(qn("w:numPr"))
            num_id = direct.find(qn("w:numId")) if direct is not None else None
            removed = num_id is not None and num_id.get(qn("w:val")) == "0"
            if not removed and ((style is not None and style.get(qn("w:val")) == h1 and styled) or num_id is not None):
                number = numerals[n] + "、" if n < len(numerals) else ""
                n += 1
        out.append(("p", number + b.text))
    return out


def _style_numbered(doc, style_id: str) -> bool:
    for s in doc.styles.element.iter(qn("w:style")):
        if s.get(qn("w:styleId")) == style_id:
            ppr = s.find(qn("w:pPr"))
            return ppr is not None and ppr.find(qn("w:numPr")) is not None
    return False


def word_text(doc_path: Path) -> str:
    lines = []
    for kind, payload in _paragraph_lines(doc_path):
        if kind == "p":
            lines.append(payload)
            continue
        for row in payload:
            lines.append("\t".join("" if covered else " ".join(paras) for paras, covered in row))
    return "\n".join(lines) + "\n"


def cell_lines(doc_path: Path, covered: str | None = None) -> str:
    lines = []
    for kind, payload in _paragraph_lines(doc_path):
        if kind == "p":
            lines.append(payload)
            continue
        for row in payload:
            for paras, is_covered in row:
                if is_covered:
                    if covered is not None:
                        lines.append(covered)
                    continue
                lines += paras or [""]
    return "\n".join(lines) + "\n"


def libreoffice_text(doc_path: Path, out_dir: Path) -> str:
    """The .docx saved as text by LibreOffice (soffice must be present: systools.office_missing)."""
    import systools

    p = systools.soffice(["--convert-to", "txt:Text", "--outdir", str(out_dir), str(doc_path)], out_dir / "profile")
    out = out_dir / (doc_path.stem + ".txt")
    assert out.is_file(), p.stderr
    return out.read_text(encoding="utf-8-sig")


def pdftotext_missing() -> str | None:
    return None if shutil.which("pdftotext") else "pdftotext is not on PATH: apt-get install poppler-utils"


def pdftotext(pdf: Path, layout: bool) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8", str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True).stdout


def pdfium_text(pdf: Path) -> str:
    """The text a PDF viewer built on PDFium copies out of every page (select all, copy)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in doc:
            tp = page.get_textpage()
            pages.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            tp.close()
            page.close()
        return "\n".join(pages)
    finally:
        doc.close()


def html_flattened(page: Path, how: str = "cells") -> str:
    """The HTML page with each data table flattened into paragraphs, as sites whose editor lost a
    table publish it: ``cells``, a ``<p>`` a cell; ``rows``, a ``<p>`` a row, its cells parted by
    a space (read with lxml, not gxlint's reader)."""
    from lxml import etree, html

    raw = page.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    root = html.document_fromstring(text)
    for table in list(root.iter("table")):
        if table.getparent() is None or any(a.tag == "table" for a in table.iterancestors()):
            continue
        paras = []
        for tr in table.iter("tr"):
            texts = [" ".join(td.text_content().split()) for td in tr if td.tag in ("td", "th")]
            texts = [t for t in texts if t]
            if how == "cells":
                paras += texts
            elif texts:
                paras.append(" ".join(texts))
        div = etree.Element("div")
        for t in paras:
            p = etree.SubElement(div, "p")
            p.text = t
        table.getparent().replace(table, div)
    head = root.find("head")
    if head is not None:
        for m in head.findall("meta"):
            if m.get("charset") or "charset" in (m.get("content") or "").lower():
                head.remove(m)
        meta = etree.Element("meta", charset="utf-8")
        head.insert(0, meta)
    return html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def html_grid_text(page: Path, sep: str = " | ") -> str:
    """The report of a web page as text whose tables keep their grid: a row a line, every grid
    position a cell, parted by `sep`, a position a merged cell covers left empty (as a table
    copied into a spreadsheet and saved as text, or converted to Markdown without outer pipes);
    the paragraphs of the article a line each (read with lxml, not gxlint's reader)."""
    from lxml import html

    root = html.document_fromstring(page.read_bytes().decode("utf-8"))
    body = root.find("body")
    skip = {"script", "style", "nav", "header", "footer", "aside", "form"}
    lines: list[str] = []

    def walk(el):
        for child in el:
            if not isinstance(child.tag, str) or child.tag in skip or "display: none" in (child.get("style") or ""):
                continue
            if child.tag == "table":
                lines.extend(_grid_lines(child, sep))
            elif child.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li"):
                text = " ".join(child.text_content().split())
                if text:
                    lines.append(text)
            else:
                walk(child)

    walk(body)
    return "\n".join(lines) + "\n"


def _grid_lines(table, sep: str) -> list[str]:
    grid: dict[tuple[int, int], str] = {}
    busy: dict[int, int] = {}
    rows = [tr for tr in table.iter("tr")]
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in (x for x in tr if x.tag in ("td", "th")):
            while busy.get(c, 0) > r:
                c += 1
            cs, rs = int(td.get("colspan", 1)), int(td.get("rowspan", 1))
            text = "".join(" ".join(p.text_content().split()) for p in (td.findall(".//p") or [td]))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = text if (dr, dc) == (0, 0) else ""
            for dc in range(cs):
                busy[c + dc] = r + rs
            c += cs
            width = max(width, c)
    return [sep.join(grid.get((r, c), "") for c in range(width)).rstrip() for r in range(len(rows))]
