"""Write findings into a copy of a .docx as Word review comments.

Each finding becomes one comment (author gxlint, initials GX, text
「GX### message [location]」, then a paragraph saying how to accept it: a comment
「gxlint: ignore GX###」 there, see gxlint.suppress) anchored on exactly the offending characters:
runs are split at the range's ends (each piece keeps its formatting), then
``w:commentRangeStart`` / ``w:commentRangeEnd`` and a ``w:commentReference``
run are put around them.  A finding on a table cell anchors on the cell's text;
a finding whose place is no longer found (or that has none) anchors on the
first paragraph with text, the title as a rule.  Comments add no text, so the
copy lints exactly like the original, and the offsets of a paragraph's runs, read once, stay
true as its runs are cut (``Spans``): 2,000 comments in one paragraph took three minutes
when each read the paragraph again.
"""
from __future__ import annotations

import posixpath

from lxml import etree

from ..findings import Finding
from ..readers.docx import _W_NS, W_P, W_R, W_T
from ._docx import (
    AUTHOR,
    W_ID,
    XML_SPACE,
    Locator,
    Package,
    body_paragraph,
    next_id,
    now,
    refuse_same_file,
    top,
    w,
    xml_safe,
)

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
INITIALS = "GX"


def annotate_docx(src: str, findings: list[Finding], dst: str) -> int:
    """Write ``dst``: a copy of ``src`` with one review comment per finding; return how many."""
    refuse_same_file(src, dst, "--annotate")
    pkg = Package(src)
    where = Locator(pkg.root)
    part = pkg.related(pkg.main, COMMENTS_REL)
    comments = pkg.parse(part) if part else etree.Element(w("comments"), nsmap={"w": _W_NS})
    cid = next_id(pkg.root, comments)
    date = now()
    for f in findings:
        _anchor(pkg.root, where, where.find(f) or where.first_paragraph(), str(cid))
        comments.append(_comment(str(cid), date, _text(f), _hint(f)))
        cid += 1
    if part:
        pkg.put(part, comments)
    else:
        pkg.add_part(pkg.main, _free_name(pkg, posixpath.dirname(pkg.main)), COMMENTS_TYPE, COMMENTS_REL, comments)
    pkg.save(dst)
    return len(findings)


def _text(f: Finding) -> str:
    return f"{f.rule} {f.message}" + (f" [{f.location}]" if f.location else "")


def _hint(f: Finding) -> str:
    """The comment's second paragraph: how a reviewer accepts this finding on purpose."""
    return f"如确认无误，可在此处新建一条以「gxlint: ignore {f.rule}」开头的批注，gxlint 将不再报告此处的 {f.rule}。"


def _anchor(root, where: Locator, target, cid: str) -> None:
    """Put comment ``cid``'s range marks and reference around the target's characters (the
    paragraphs' Spans kept by ``where``: many comments in one paragraph read it once)."""
    start = etree.Element(w("commentRangeStart"), {W_ID: cid})
    end = etree.Element(w("commentRangeEnd"), {W_ID: cid})
    if target is None:  # a document without text: the start of the body
        p_end = body_paragraph(root)
        p_end.append(start)
        start.addnext(end)
    elif target.a < target.b:
        p_start, x = target.start(target.a)
        p_end, y = target.end(target.b)
        where.spans(p_start).cut(x)  # when a run cannot be cut there, the anchor takes it whole
        where.spans(p_end).cut(y)
        where.spans(p_start).put_before(x, start)
        where.spans(p_end).put_after(y, end)
    else:  # an empty range: a point
        p_end, x = target.end(target.a)
        where.spans(p_end).cut(x)
        where.spans(p_end).put_after(x, start)
        start.addnext(end)
    ref = etree.Element(W_R)
    rpr = etree.SubElement(ref, w("rPr"))
    etree.SubElement(rpr, w("rStyle"), {w("val"): "CommentReference"})
    etree.SubElement(ref, w("commentReference"), {W_ID: cid})
    top(p_end, end).addnext(ref)


def _comment(cid: str, date: str, text: str, hint: str = ""):
    """A w:comment: ``text`` after the annotation mark, then ``hint`` as a paragraph of its own."""
    c = etree.Element(w("comment"), {W_ID: cid, w("author"): AUTHOR, w("date"): date, w("initials"): INITIALS})
    for i, body in enumerate((text, hint) if hint else (text,)):
        p = etree.SubElement(c, W_P)
        ppr = etree.SubElement(p, w("pPr"))
        etree.SubElement(ppr, w("pStyle"), {w("val"): "CommentText"})
        if i == 0:
            mark = etree.SubElement(p, W_R)
            etree.SubElement(etree.SubElement(mark, w("rPr")), w("rStyle"), {w("val"): "CommentReference"})
            etree.SubElement(mark, w("annotationRef"))
        r = etree.SubElement(p, W_R)
        t = etree.SubElement(r, W_T, {XML_SPACE: "preserve"})
        t.text = xml_safe(body)
    return c


def _free_name(pkg: Package, folder: str) -> str:
    """word/comments.xml, or comments1.xml... if a stray part already has that name."""
    name, n = posixpath.join(folder, "comments.xml"), 0
    while pkg.name(name) is not None:
        n += 1
        name = posixpath.join(folder, f"comments{n}.xml")
    return name
