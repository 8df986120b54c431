"""What a PDF fixture holds, page by page, as PDFium reads it (pypdfium2, the reader's engine):
the characters (upright, in points from the top left) and the visible rules, with
``gxlint.readers.pdf``'s own extraction, and the page's images and text lines counted
independently of the layout, so that a test can say what a fixture is (a scan: images and no
character; a table without cell boxes: no vertical rule) before it checks what the reader makes
of it."""
from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from gxlint.readers import pdf as reader

__all__ = ["Page", "pages", "text_lines"]


@dataclass
class Page:
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    images: int = 0


def pages(path) -> list[Page]:
    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            frame = reader._frame(raw, page.raw)
            text = page.get_textpage()
            chars, _, turn = reader.characters(raw, text.raw, frame, page.get_rotation() // 90, i + 1)
            width, height = reader._size(frame, turn)
            images = sum(1 for obj in page.get_objects(max_depth=4) if obj.type == raw.FPDF_PAGEOBJ_IMAGE)
            out.append(Page(width, height, chars, reader.rules(raw, page.raw, turn, frame), images))
    finally:
        doc.close()
    return out


def text_lines(chars: list[dict]) -> list[str]:
    """The page's text lines from the top: characters whose tops follow each other within 3 pt
    are one line (the cells of a table row too), left to right."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["top"]):
        if lines and c["top"] - lines[-1][-1]["top"] <= 3:
            lines[-1].append(c)
        else:
            lines.append([c])
    return ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for line in lines]
