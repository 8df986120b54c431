"""Read a Word .docx report into a :class:`gxlint.model.Document`.

Only ``[Content_Types].xml``, ``word/document.xml``, ``word/styles.xml`` and
``word/numbering.xml`` are read, straight from the ZIP archive, with a parser
that neither resolves entities nor loads DTDs nor touches the network.
python-docx is deliberately not used (import cost, eager parsing of every part,
and it misses content controls, tracked insertions and merged-cell structure).

What the reader produces (see ``gxlint/model.py``):

* blocks in document order: body paragraphs and tables, descending into
  block-level content controls (``w:sdt``) and ``w:customXml``; text-box
  content right after its host paragraph; nested tables right after their
  host table;
* the *accepted* view of tracked changes (insertions kept, deletions dropped,
  a deleted paragraph mark joins a paragraph with the next one);
* ``Paragraph.line`` / ``Cell.line``: every paragraph read counts once, in
  document order, table cells and text boxes included (VML fallback copies of
  text boxes are not read, so they do not count);
* ``Paragraph.number``: the list label Word renders in front of the text
  ("一、", "（一）", "1."), simulated from numbering.xml;
* ``Paragraph.style``: the style name as python-docx shows it ("Heading 1",
  "Title", "Normal": the built-in lower-case names "heading 1", "caption",
  "header", "footer" are shown capitalised, other names as in styles.xml).

Every unreadable input raises :class:`gxlint.errors.InputError`.

One reader: the parts are parsed with lxml and walked (``walk``).  A second reader of
document.xml and styles.xml by regular expressions (``lean.py``, after a well-formedness parse
without a tree) was removed: it read a report 4-6 ms faster (styled 7.7 against 11.9 ms, as
drafted 12.9 against 19.0 ms, the floor of parsing document, styles and numbering being 6.1 and
11.4 ms), but had to read exactly what the walk reads forever, and the walk alone meets the
targets (docs/speed.md: a batch of distinct templates at 2.6x the CPU of that floor, target
3.5x; cold ``gxlint --no-cache one.docx`` under 0.2 s CPU, where compiling the other reader's
grammar cost 7-12 ms).

Writers that edit a .docx at a finding's location (``gxlint.writers``) number
and read paragraphs with this module's own walk: :func:`paragraph_sources` and
:func:`paragraph_spans`.

The package's modules: ``ns`` (namespaces, tag names), ``package`` (the ZIP archive, its parts
and limits, the XML parser), ``styles`` (styles.xml), ``numbering`` (numbering.xml, list labels),
``walk`` (text, paragraphs, tables, text boxes); this module holds :func:`read_docx`.
"""
from __future__ import annotations

from gxlint.errors import E_BAD_XML, E_BROKEN_PACKAGE, E_TOO_LARGE, InputError
from gxlint.model import Document
from gxlint.readers import MAX_PARAGRAPHS, too_many

# What read_docx uses, and the names the writers (gxlint.writers, gxlint.docx_comments) and
# the tests import from gxlint.readers.docx, re-exported from the modules that define them.
from .ns import (  # noqa: F401
    _STRICT_W_NS,
    _W_NS,
    W_BODY,
    W_BR,
    W_CR,
    W_DEL,
    W_DOCUMENT,
    W_FLDSIMPLE,
    W_INS,
    W_MOVETO,
    W_NBH,
    W_P,
    W_PTAB,
    W_R,
    W_RPR,
    W_T,
    W_TAB,
    W_TXBX,
    W_TYPE,
    _w,
)
from .numbering import _Numbering, format_number  # noqa: F401
from .package import (  # noqa: F401
    _COMMENTS_KEY,
    _CT_PART,
    _DOCUMENT_PART,
    _NUMBERING_PART,
    _PARAGRAPH,
    _STYLES_PART,
    _TEMPLATE_CACHE,
    _TEMPLATE_CACHE_SIZE,
    _TEMPLATE_KEY,
    MAX_MEMBER,
    MAX_RATIO,
    MAX_TOTAL,
    _err,
    _load_parts,
    _main_part,
    _may_delete,
    _parse,
)
from .styles import _Styles
from .walk import _run, _Walker, paragraph_sources, paragraph_spans  # noqa: F401

__all__ = ["read_docx", "paragraph_sources", "paragraph_spans", "MAX_TOTAL", "MAX_MEMBER", "MAX_RATIO"]


# =========================================================================== public API
def read_docx(path: str) -> Document:
    """Read the .docx at ``path``; raise :class:`InputError` if it cannot be read."""
    try:
        parts = _load_parts(path)
    except InputError:
        raise
    except MemoryError:
        raise _err(E_TOO_LARGE, "文件内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - an unforeseen package defect
        raise _err(E_BROKEN_PACKAGE, f"文件包结构异常（{type(e).__name__}），"
                                     "请在 Word 中打开并另存为 .docx 后再检查") from e
    data = parts[_DOCUMENT_PART]
    if data.count(b"<") > MAX_PARAGRAPHS:  # else there cannot be that many paragraphs
        paragraphs = sum(1 for _ in _PARAGRAPH.finditer(data))
        if paragraphs > MAX_PARAGRAPHS:
            raise too_many(str(path), paragraphs)
    marks = _may_delete(data)
    try:
        doc_root = _parse(data, _DOCUMENT_PART)
        styles, numbering = _styles_and_numbering(parts)
        if doc_root.tag != W_DOCUMENT:
            raise _err(E_BAD_XML, f"{_DOCUMENT_PART} 的根元素不是 w:document，文件结构已损坏，"
                                  "请在 Word 中打开并另存为 .docx 后再检查")
        blocks: list = []
        body = doc_root.find(W_BODY)
        if body is not None:
            _Walker(styles, numbering, marks=marks).blocks(body, blocks)
    except InputError:
        raise
    except MemoryError:
        raise _err(E_TOO_LARGE, "文件内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - never leak a raw exception for a bad file
        raise _err(E_BAD_XML, f"{_DOCUMENT_PART} 的内容结构异常（{type(e).__name__}），"
                              "请在 Word 中打开并另存为 .docx 后再检查") from e
    return Document(path=str(path), format="docx", blocks=blocks, review_comments=parts[_COMMENTS_KEY])

def _styles_and_numbering(parts: dict):
    """The template's styles and numbering definitions (parsed once per template), with fresh
    list counters."""
    key = parts.get(_TEMPLATE_KEY)
    got = _TEMPLATE_CACHE.get(key) if key is not None else None
    if got is None:
        raw_styles, raw_numbering = parts.get(_STYLES_PART), parts.get(_NUMBERING_PART)
        styles = _Styles(_parse(raw_styles, _STYLES_PART) if raw_styles is not None else None)
        numbering = _Numbering(_parse(raw_numbering, _NUMBERING_PART) if raw_numbering is not None else None, styles)
        got = (styles, numbering)
        if key is not None:
            if len(_TEMPLATE_CACHE) >= _TEMPLATE_CACHE_SIZE:
                _TEMPLATE_CACHE.clear()
            _TEMPLATE_CACHE[key] = got
    return got[0], got[1].fresh()
