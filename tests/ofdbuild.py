"""Write OFD (GB/T 33190) test fixtures: the pages of a PDF fixture as an OFD.

An OFD is a ZIP of XML: ``OFD.xml`` names ``Doc_0/Document.xml``, which lists the
pages ``Doc_0/Pages/Page_N/Content.xml``; a page places text as ``TextObject``
elements (``Boundary`` in millimetres from the top left, ``Size``, and
``TextCode`` with ``X``/``Y`` of the baseline, relative to the Boundary, and
``DeltaX`` the advances) and draws rules as ``PathObject`` elements
(``AbbreviatedData`` 「M x y L x y」).

:func:`ofd_from_pdf` lays out each page of a PDF as an OFD printed from the same
document would be: every run of characters (on one line, no gap wider than a
fifth of a character, spaces included: a word, a cell's line) is one TextObject, and every rule
of the PDF (its table grid) is one PathObject.  So the seed PDFs of
tests/pdfbuild.py (which give the seeds' .docx findings) become seed OFDs:
:func:`seed_ofd`.  :func:`encrypted_ofd` writes one whose parts are encrypted
(GM/T 0099: an ``Encryptions.xml`` entry, unreadable content).
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr


__all__ = ["ofd_from_pdf", "seed_ofd", "encrypted_ofd", "write_ofd"]

MM = 25.4 / 72  # millimetres per point
NS = "http://www.ofdspec.org/2016"
_DESCENT = 0.12  # a character box: baseline at 88 % of its height (as the OFD reader assumes)


def _n(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _runs(chars: list) -> list[list]:
    """Characters grouped into runs: one line, same size, no gap wider than a fifth of a character."""
    runs: list[list] = []
    for c in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        last = runs[-1][-1] if runs else None
        if (last is not None and abs(c["top"] - last["top"]) < 0.5 and abs(c["size"] - last["size"]) < 0.1
                and -0.5 <= c["x0"] - last["x1"] <= 0.2 * c["size"]):
            runs[-1].append(c)
        elif c["text"].strip():  # a run starts with a character, never a space
            runs.append([c])
    return [r[:max(i for i, c in enumerate(r) if c["text"].strip()) + 1] for r in runs]


def _text_object(oid: int, run: list) -> str:
    size = run[0]["size"]
    x0, top = run[0]["x0"], min(c["top"] for c in run)
    x1, bottom = run[-1]["x1"], max(c["bottom"] for c in run)
    baseline = run[0]["bottom"] - _DESCENT * size
    deltas = " ".join(_n((b["x0"] - a["x0"]) * MM) for a, b in zip(run, run[1:]))
    text = "".join(c["text"] for c in run)
    return (f'<ofd:TextObject ID="{oid}" Boundary="{_n(x0 * MM)} {_n(top * MM)} {_n((x1 - x0) * MM)} '
            f'{_n((bottom - top) * MM)}" Font="1" Size="{_n(size * MM)}">'
            f'<ofd:TextCode X="0" Y="{_n((baseline - top) * MM)}"'
            + (f' DeltaX="{deltas}"' if deltas else "") + f">{escape(text)}</ofd:TextCode></ofd:TextObject>")


def _path_object(oid: int, edge: dict) -> str:
    x0, top, x1, bottom = edge["x0"], edge["top"], edge["x1"], edge["bottom"]
    return (f'<ofd:PathObject ID="{oid}" Boundary="{_n(x0 * MM)} {_n(top * MM)} {_n(max(x1 - x0, 0) * MM)} '
            f'{_n(max(bottom - top, 0) * MM)}" LineWidth="0.176"><ofd:AbbreviatedData>'
            f'M 0 0 L {_n((x1 - x0) * MM)} {_n((bottom - top) * MM)}</ofd:AbbreviatedData></ofd:PathObject>')


def write_ofd(pages: list[list[str]], path, *, size=(210.0, 297.0), extra: dict[str, bytes] | None = None,
              document: bytes | None = None) -> Path:
    """Write an OFD at ``path`` whose pages hold the given page objects (XML strings).

    ``extra``: more entries for the ZIP; ``document``: replaces Doc_0/Document.xml."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    ofd = (f'{head}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
           '<ofd:DocID>6c1e1c1b0a2d4f6e8a3b5c7d9e0f1a2b</ofd:DocID><ofd:Creator>gxlint tests</ofd:Creator>'
           '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
    listing = "".join(f'<ofd:Page ID="{1000 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    doc = (f'{head}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>99999</ofd:MaxUnitID>'
           f'<ofd:PageArea><ofd:PhysicalBox>0 0 {_n(size[0])} {_n(size[1])}</ofd:PhysicalBox></ofd:PageArea>'
           '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
           f'<ofd:Pages>{listing}</ofd:Pages></ofd:Document>')
    res = (f'{head}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="1" FontName={quoteattr("宋体")} '
           'FamilyName="SimSun"/></ofd:Fonts></ofd:Res>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd)
        z.writestr("Doc_0/Document.xml", document if document is not None else doc)
        z.writestr("Doc_0/PublicRes.xml", res)
        for i, objects in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f'{head}<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{i + 1}">'
                       + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return Path(path)


def ofd_from_pdf(pdf_path, ofd_path, *, rules: bool = True) -> Path:
    """The pages of the PDF at ``pdf_path`` as an OFD at ``ofd_path`` (text runs and rules)."""
    pages = []
    oid = 10
    from pdfpages import pages as pdf_pages

    read = pdf_pages(pdf_path)
    for page in read:
        objects = []
        for run in _runs(page.chars):
            oid += 1
            objects.append(_text_object(oid, run))
        if rules:
            for edge in page.edges:
                oid += 1
                objects.append(_path_object(oid, edge))
        pages.append(objects)
    size = (read[0].width * MM, read[0].height * MM)
    return write_ofd(pages, ofd_path, size=size)


def seed_ofd(seed: Path, out: Path, work: Path | None = None) -> Path:
    """Write ``out`` (.ofd) from a seed report: its PDF (tests/pdfbuild.py) as an OFD."""
    from pdfbuild import seed_pdf

    pdf = seed_pdf(seed, (work or out.parent) / f"{out.stem}.for-ofd.pdf")
    return ofd_from_pdf(pdf, out)


def encrypted_ofd(path) -> Path:
    """An OFD whose document is encrypted (GM/T 0099): Encryptions.xml, content unreadable."""
    enc = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           f'<ofd:Encryptions xmlns:ofd="{NS}"><ofd:Encryption ID="1"><ofd:Provider Name="sm4"/>'
           '<ofd:EncryptScope>All</ofd:EncryptScope></ofd:Encryption></ofd:Encryptions>')
    return write_ofd([[]], path, extra={"Encryptions.xml": enc}, document=bytes(range(256)) * 8)
