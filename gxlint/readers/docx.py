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

Writers that edit a .docx at a finding's location (``gxlint.writers``) number
and read paragraphs with this module's own walk: :func:`paragraph_sources` and
:func:`paragraph_spans`.
"""
from __future__ import annotations

import copy
import os
import re
import zipfile

from lxml import etree

from gxlint.errors import (
    E_BAD_XML,
    E_BROKEN_PACKAGE,
    E_EMPTY,
    E_ENCRYPTED,
    E_LEGACY_DOC,
    E_NOT_WORD,
    E_NOT_ZIP,
    E_OLE,
    E_OS,
    E_TOO_LARGE,
    InputError,
)
from gxlint.model import Cell, Document, Paragraph, Table
from gxlint.readers import MAX_COLUMNS, MAX_PARAGRAPHS, too_many

__all__ = ["read_docx", "paragraph_sources", "paragraph_spans", "MAX_TOTAL", "MAX_MEMBER", "MAX_RATIO"]

# --------------------------------------------------------------------------- limits
MAX_TOTAL = 200 * 2**20  # all members, uncompressed
MAX_MEMBER = 100 * 2**20  # any one member
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB
_RATIO_FLOOR = 2**20

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")

# --------------------------------------------------------------------------- names
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STRICT_W_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _w(name: str) -> str:
    return "{%s}%s" % (_W_NS, name)


W_DOCUMENT, W_BODY = _w("document"), _w("body")
W_P, W_R, W_T, W_TBL, W_TR, W_TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
W_PPR, W_RPR, W_TRPR, W_TCPR = _w("pPr"), _w("rPr"), _w("trPr"), _w("tcPr")
W_PSTYLE, W_NUMPR, W_NUMID, W_ILVL, W_OUTLINELVL = (
    _w("pStyle"), _w("numPr"), _w("numId"), _w("ilvl"), _w("outlineLvl"))
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_INS, W_DEL, W_MOVETO, W_MOVEFROM = _w("ins"), _w("del"), _w("moveTo"), _w("moveFrom")
W_HYPERLINK, W_SMARTTAG, W_FLDSIMPLE = _w("hyperlink"), _w("smartTag"), _w("fldSimple")
W_DIR, W_BDO = _w("dir"), _w("bdo")
W_TAB, W_PTAB, W_BR, W_CR, W_NBH = _w("tab"), _w("ptab"), _w("br"), _w("cr"), _w("noBreakHyphen")
W_TYPE = _w("type")
W_RUBY, W_RUBYBASE = _w("ruby"), _w("rubyBase")
W_DRAWING, W_PICT, W_OBJECT, W_TXBX = _w("drawing"), _w("pict"), _w("object"), _w("txbxContent")
W_GRIDBEFORE, W_GRIDSPAN, W_VMERGE = _w("gridBefore"), _w("gridSpan"), _w("vMerge")
W_VAL = _w("val")
W_STYLE, W_STYLEID, W_NAME, W_BASEDON, W_DEFAULT = (
    _w("style"), _w("styleId"), _w("name"), _w("basedOn"), _w("default"))
W_ABSTRACTNUM, W_ABSTRACTNUMID, W_NUM, W_NUMSTYLELINK = (
    _w("abstractNum"), _w("abstractNumId"), _w("num"), _w("numStyleLink"))
W_LVL, W_LVLOVERRIDE, W_STARTOVERRIDE = _w("lvl"), _w("lvlOverride"), _w("startOverride")
W_START, W_NUMFMT, W_LVLTEXT, W_LVLRESTART, W_ISLGL = (
    _w("start"), _w("numFmt"), _w("lvlText"), _w("lvlRestart"), _w("isLgl"))
MC_ALT, MC_CHOICE, MC_FALLBACK = (
    "{%s}AlternateContent" % _MC_NS, "{%s}Choice" % _MC_NS, "{%s}Fallback" % _MC_NS)
M_OMATH, M_OMATHPARA, M_T = "{%s}oMath" % _M_NS, "{%s}oMathPara" % _M_NS, "{%s}t" % _M_NS
CT_DEFAULT, CT_OVERRIDE = "{%s}Default" % _CT_NS, "{%s}Override" % _CT_NS

# inline containers whose runs belong to the accepted view
_TRANSPARENT = frozenset({W_INS, W_MOVETO, W_HYPERLINK, W_SMARTTAG, W_FLDSIMPLE,
                          W_CUSTOMXML, W_DIR, W_BDO, W_SDTCONTENT})
_RUN_CHARS = {W_TAB: "\t", W_PTAB: "\t", W_CR: "\n", W_NBH: "-"}
_BOX_HOSTS = frozenset({W_DRAWING, W_PICT, W_OBJECT, MC_ALT})

# --------------------------------------------------------------------------- content types
CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CT_OTHER_WORD = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml":
        "这是 Word 模板（.dotx）",
    "application/vnd.ms-word.document.macroenabled.main+xml":
        "这是启用宏的 Word 文档（.docm）",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml":
        "这是启用宏的 Word 模板（.dotm）",
}
_CT_OTHER_OFFICE = {
    "spreadsheetml": "这是 Excel 工作簿，不是 Word 文档",
    "ms-excel": "这是 Excel 工作簿，不是 Word 文档",
    "presentationml": "这是 PowerPoint 演示文稿，不是 Word 文档",
    "ms-powerpoint": "这是 PowerPoint 演示文稿，不是 Word 文档",
}

_DOCUMENT_PART = "word/document.xml"
_STYLES_PART = "word/styles.xml"
_NUMBERING_PART = "word/numbering.xml"
_TEMPLATE_KEY = "template"  # in the parts dict: ((CRC, size) of styles.xml, of numbering.xml)
_CT_PART = "[Content_Types].xml"

# python-docx shows these built-in names capitalised (docx.styles.BabelFish)
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header",
             **{f"heading {i}": f"Heading {i}" for i in range(1, 10)}}
_HEADING_NAME = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)
_LVL_PCT = re.compile(r"%([1-9])")


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


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
    paragraphs = sum(1 for _ in _PARAGRAPH.finditer(parts[_DOCUMENT_PART]))
    if paragraphs > MAX_PARAGRAPHS:
        raise too_many(str(path), paragraphs)
    try:
        doc_root = _parse(parts[_DOCUMENT_PART], _DOCUMENT_PART)
        styles, numbering = _styles_and_numbering(parts)
        if doc_root.tag != W_DOCUMENT:
            raise _err(E_BAD_XML, f"{_DOCUMENT_PART} 的根元素不是 w:document，文件结构已损坏，"
                                  "请在 Word 中打开并另存为 .docx 后再检查")
        blocks: list = []
        body = doc_root.find(W_BODY)
        if body is not None:
            _Walker(styles, numbering, marks=_may_delete(parts[_DOCUMENT_PART])).blocks(body, blocks)
    except InputError:
        raise
    except MemoryError:
        raise _err(E_TOO_LARGE, "文件内容过大，内存不足，无法读取") from None
    except Exception as e:  # noqa: BLE001 - never leak a raw exception for a bad file
        raise _err(E_BAD_XML, f"{_DOCUMENT_PART} 的内容结构异常（{type(e).__name__}），"
                              "请在 Word 中打开并另存为 .docx 后再检查") from e
    return Document(path=str(path), format="docx", blocks=blocks)


# Reports of one office share one template: its styles.xml and numbering.xml are parsed once
# per process (keyed by their CRC and size), and each document gets fresh numbering counters.
_TEMPLATE_CACHE: dict = {}
_TEMPLATE_CACHE_SIZE = 16


def _styles_and_numbering(parts: dict):
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


def paragraph_sources(doc_root) -> list:
    """Where the text of every Paragraph and Cell read from ``doc_root`` (a w:document) comes from.

    Returns ``[(block, lines)]`` in reading order.  ``block`` is the Paragraph or
    Cell with the ``line`` and ``text`` that findings refer to (style and list
    number are not computed here).  ``lines`` holds lists of w:p elements: one
    for a paragraph, one per line of a cell's text (joined by "\n"); a list has
    several w:p when paragraph marks are deleted (their texts are concatenated).
    """
    trace: list = []
    body = doc_root.find(W_BODY)
    if body is not None:
        styles = _Styles(None)
        _Walker(styles, _Numbering(None, styles), trace).blocks(body, [])
    return trace


def paragraph_spans(p) -> tuple[str, list]:
    """The accepted-view text of the w:p ``p`` and ``[(element, start, end)]``: the w:r (or
    m:oMath, m:oMathPara) that shows each range of that text, in order."""
    spans: list = []
    return _Para(p, spans).text, spans


# =========================================================================== package
def _os_error(e: OSError) -> InputError:
    if isinstance(e, FileNotFoundError):
        msg = "找不到文件，请检查路径是否正确"
    elif isinstance(e, IsADirectoryError):
        msg = "这是一个目录，不是 .docx 文件，请指定文件路径"
    elif isinstance(e, PermissionError):
        msg = "没有读取该文件的权限，请检查文件权限，或关闭正在占用它的程序后重试"
    else:
        msg = f"无法读取文件（{e.strerror or e}），请检查文件是否可以访问"
    return _err(E_OS, msg)


def _is_lock_file(path) -> bool:
    return os.path.basename(str(path)).startswith("~$")


_LOCK_MSG = "这是 Word 打开文档时生成的临时锁文件（文件名以 ~$ 开头），不是报告本身，请检查原文件"


def _load_parts(path) -> dict:
    """Pre-flight checks, then the raw bytes of the parts the reader needs.

    Returns {part name: bytes or None} for the document, styles and numbering
    parts, after checking the main part's content type.
    """
    try:
        f = open(path, "rb")
    except OSError as e:
        raise _os_error(e) from None
    with f:
        try:
            head = f.read(8)
        except OSError as e:
            raise _os_error(e) from None
        if not head:
            raise _err(E_EMPTY, _LOCK_MSG if _is_lock_file(path)
                       else "文件是空的（0 字节），请确认保存完整后再检查")
        if head == OLE_MAGIC:
            try:
                data = _ole_directory(f)
            except OSError as e:
                raise _os_error(e) from None
            raise _ole_error(data)
        try:
            zf = zipfile.ZipFile(f)
        except Exception:  # noqa: BLE001 - BadZipFile, OSError from a bad seek, ValueError...
            raise _not_zip_error(path, head) from None
        with zf:
            return _read_package(zf)


def _not_zip_error(path, head: bytes) -> InputError:
    if _is_lock_file(path):
        return _err(E_NOT_ZIP, _LOCK_MSG)
    if head.startswith(b"PK"):
        msg = "文件不完整或已损坏（ZIP 结构被截断），请重新下载或在 Word 中重新保存为 .docx"
    elif head.startswith(b"{\\rtf"):
        msg = "这是 RTF 文件，不是 .docx，请在 Word 中另存为 .docx 后再检查"
    elif head.startswith(b"%PDF"):
        msg = "这是 PDF 文件，不是 .docx，请提供 Word 原稿（.docx）"
    elif head.lstrip().startswith((b"<", b"\xef\xbb\xbf<", b"MIME")):
        msg = "这是网页或 XML 文件（可能是另存为网页的 Word 文档），请在 Word 中另存为 .docx 后再检查"
    else:
        msg = "不是有效的 .docx 文件（不是 ZIP 压缩包，或文件已截断），请在 Word 中另存为 .docx 后再检查"
    return _err(E_NOT_ZIP, msg)


_OLE_SNIFF = 2**20  # bytes of an OLE file read when its directory cannot be followed
_OLE_DIR_SECTORS = 64  # directory sectors read at most (a .doc has one or two)


def _ole_directory(f) -> bytes:
    """The directory sectors of an OLE2 compound file, each aligned on 128 bytes as in the
    file: the header names the first directory sector and the FAT sectors that chain it
    (only the 109 FAT sectors the header lists are followed).  At most
    ``_OLE_DIR_SECTORS`` sectors are read, never the file; when the header is damaged, the
    first MiB of the file is returned instead."""
    import struct

    f.seek(0)
    header = f.read(512)
    try:
        shift = struct.unpack_from("<H", header, 30)[0]
        size = 1 << shift
        if shift not in (9, 12):
            raise ValueError
        first_dir = struct.unpack_from("<I", header, 48)[0]
        difat = struct.unpack_from("<109I", header, 76)
        fat_cache: dict[int, tuple] = {}
        out, sector, seen = [], first_dir, set()
        while sector < 0xFFFFFFFA and sector not in seen and len(out) < _OLE_DIR_SECTORS:
            seen.add(sector)
            f.seek((sector + 1) * size)
            out.append(f.read(size).ljust(size, b"\0"))
            per = size // 4
            fat_index = sector // per
            if fat_index >= 109 or difat[fat_index] >= 0xFFFFFFFA:
                break
            if fat_index not in fat_cache:
                f.seek((difat[fat_index] + 1) * size)
                raw = f.read(size).ljust(size, b"\xff")
                fat_cache[fat_index] = struct.unpack(f"<{per}I", raw)
            sector = fat_cache[fat_index][sector % per]
        if out:
            return b"".join(out)
    except (struct.error, ValueError):
        pass
    f.seek(0)
    return f.read(_OLE_SNIFF)


def _ole_stream(data: bytes, name: str) -> bool:
    """True if an OLE2 compound file has a directory entry called ``name``.

    Directory entries are 128 bytes, aligned on 128 bytes (sectors are 512 or
    4096 bytes and the header fills sector -1): a 64-byte UTF-16LE name, then
    its byte length including the terminating NUL.
    """
    needle = name.encode("utf-16-le") + b"\0\0"
    length = len(needle).to_bytes(2, "little")
    i = data.find(needle)
    while i != -1:
        if i % 128 == 0 and data[i + 64:i + 66] == length:
            return True
        i = data.find(needle, i + 1)
    return False


def _ole_error(data: bytes) -> InputError:
    if _ole_stream(data, "EncryptionInfo") or _ole_stream(data, "EncryptedPackage"):
        return _err(E_ENCRYPTED, "文件设有打开密码（已加密），请在 Word 中通过“文件 > 信息 > 保护文档 > "
                                 "用密码进行加密”清除密码并保存后再检查")
    if _ole_stream(data, "WordDocument"):
        return _err(E_LEGACY_DOC, "这是旧版 Word 97-2003 .doc 文件，请在 Word 中另存为 .docx 后再检查")
    if _ole_stream(data, "Workbook") or _ole_stream(data, "Book"):
        return _err(E_OLE, "这是旧版 Excel（.xls）文件，不是 Word 文档，请提供 .docx 文件")
    return _err(E_OLE, "这是 OLE 复合文档（如 WPS .wps 或其他旧版 Office 文件），不是 .docx，"
                       "请在 WPS 或 Word 中另存为 .docx 后再检查")


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f}"


def _read_package(zf: zipfile.ZipFile) -> dict:
    infos = zf.infolist()
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > MAX_MEMBER:
            raise _err(E_TOO_LARGE, f"部件 {i.filename} 解压后有 {_mib(i.file_size)} MiB（上限 "
                                    f"{_mib(MAX_MEMBER)} MiB），疑似压缩炸弹，已拒绝读取")
        if i.file_size > _RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise _err(E_TOO_LARGE, f"部件 {i.filename} 的压缩比异常（约 "
                                    f"{i.file_size // max(i.compress_size, 1)}:1），疑似压缩炸弹，已拒绝读取")
    if total > MAX_TOTAL:
        raise _err(E_TOO_LARGE, f"文件解压后共有 {_mib(total)} MiB（上限 {_mib(MAX_TOTAL)} MiB），"
                                "疑似压缩炸弹，已拒绝读取")
    by_name = {}
    for i in infos:
        by_name.setdefault(i.filename.lstrip("/").lower(), i)

    def read(name: str, required: bool):
        info = by_name.get(name.lower())
        if info is None:
            if required:
                raise _err(E_BROKEN_PACKAGE, f"文件缺少必需的部件 {name}，不是完整的 Word 文档，"
                                             "请在 Word 中打开并另存为 .docx 后再检查")
            return None
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _err(E_BROKEN_PACKAGE, f"部件 {name} 使用了 Word 不支持的压缩方式，"
                                         "请在 Word 中打开并另存为 .docx 后再检查")
        try:
            # read(n) inflates at most n bytes, even when the stream holds more than the
            # (checked) declared size: zf.read() would inflate all of it before truncating.
            with zf.open(info) as member:
                return member.read(info.file_size)
        except Exception:  # noqa: BLE001 - BadZipFile (CRC), zlib.error, EOFError, OSError...
            raise _err(E_BROKEN_PACKAGE, f"部件 {name} 已损坏（校验失败或数据不完整），"
                                         "请重新下载或在 Word 中重新保存为 .docx") from None

    ct = _parse(read(_CT_PART, True), _CT_PART)
    main = _main_part(ct, by_name)
    # The template parts are identified by their CRC and size: when this template was
    # seen before, they are not even inflated (styles.xml is often 300 KB).
    key = tuple((i.CRC, i.file_size) if i is not None else None
                for i in (by_name.get(_STYLES_PART), by_name.get(_NUMBERING_PART)))
    cached = key in _TEMPLATE_CACHE
    return {
        _DOCUMENT_PART: read(main, True),
        _TEMPLATE_KEY: key,
        _STYLES_PART: None if cached else read(_STYLES_PART, False),
        _NUMBERING_PART: None if cached else read(_NUMBERING_PART, False),
    }


def _main_part(ct, by_name: dict) -> str:
    """Name of the main document part; E009 if the package is not a plain .docx."""
    overrides = {}
    defaults = {}
    for el in ct:
        if el.tag == CT_OVERRIDE:
            overrides[(el.get("PartName") or "").lstrip("/").lower()] = (
                (el.get("ContentType") or "").strip().lower())
        elif el.tag == CT_DEFAULT:
            defaults[(el.get("Extension") or "").lower()] = (el.get("ContentType") or "").strip().lower()
    doc_ct = overrides.get(_DOCUMENT_PART)
    if doc_ct is None and _DOCUMENT_PART in by_name:
        doc_ct = defaults.get("xml", "")
    if doc_ct == CT_DOCX:
        return _DOCUMENT_PART
    if doc_ct is None:
        # no word/document.xml: look for the main part elsewhere
        for name, ctype in overrides.items():
            if ctype == CT_DOCX:
                return name
        for name, ctype in overrides.items():
            if ctype in _CT_OTHER_WORD:
                doc_ct = ctype
                break
            for key, msg in _CT_OTHER_OFFICE.items():
                if key in ctype and ctype.endswith("main+xml"):
                    raise _err(E_NOT_WORD, f"{msg}，请提供 .docx 文件")
        if doc_ct is None:
            raise _err(E_BROKEN_PACKAGE, f"文件缺少必需的部件 {_DOCUMENT_PART}，不是完整的 Word 文档，"
                                         "请在 Word 中打开并另存为 .docx 后再检查")
    what = _CT_OTHER_WORD.get(doc_ct, f"主文档的内容类型是“{doc_ct or '未声明'}”，不是普通 Word 文档")
    raise _err(E_NOT_WORD, f"{what}，请在 Word 中“另存为”Word 文档（.docx）后再检查")


def _parse(data: bytes, part: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    if b"<!DOCTYPE" in data:  # before parsing: the parser never sees an entity declaration
        raise _dtd_error(part)
    if _STRICT_W_NS in data:  # ISO 29500 Strict: same vocabulary, other namespace
        data = data.replace(_STRICT_W_NS, _W_NS.encode())
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        detail = " ".join(str(e).split(" (<string>", 1)[0].split())[:120]
        raise _err(E_BAD_XML, f"部件 {part} 的 XML 已损坏（{detail}），"
                              "请在 Word 中打开并另存为 .docx 后再检查") from None
    except Exception as e:  # noqa: BLE001 - ValueError etc. from lxml
        raise _err(E_BAD_XML, f"部件 {part} 的 XML 无法解析（{type(e).__name__}），"
                              "请在 Word 中打开并另存为 .docx 后再检查") from None
    if root is None:
        raise _err(E_BAD_XML, f"部件 {part} 是空的，请在 Word 中打开并另存为 .docx 后再检查")
    if root.getroottree().docinfo.doctype:
        raise _dtd_error(part)
    return root


def _dtd_error(part: str) -> InputError:
    return _err(E_BAD_XML, f"部件 {part} 声明了 DTD（<!DOCTYPE>），Word 文档的部件不含 DTD，"
                           "这可能是实体注入攻击，已拒绝读取；请在 Word 中打开并另存为 .docx 后再检查")


_PARAGRAPH = re.compile(rb"<(?:[\w.-]+:)?p[\s/>]")


_DELETION = re.compile(rb"<(?:[\w.-]+:)?(?:del|moveFrom)[\s/>]")


def _may_delete(data: bytes) -> bool:
    """Whether the XML ``data`` may hold a tracked deletion (w:del, w:moveFrom): a search of the
    bytes, so that a document without one is walked without looking for deleted paragraph marks
    (their run properties are most of a hand-formatted document's markup)."""
    return (b"del" in data or b"moveFrom" in data) and _DELETION.search(data) is not None


_INT_LIMIT = 2**31 - 1  # ST_DecimalNumber is a 32-bit integer: what Word writes fits


def _int(value, default=None):
    """An integer attribute, clamped to what Word writes; `default` when it is no number."""
    if value is None:
        return default
    try:
        n = int(value)
    except (TypeError, ValueError, OverflowError):  # "1e400" is inf, "9" * 5000 beyond int()
        try:
            n = int(float(value))
        except (TypeError, ValueError, OverflowError):
            return default
    return max(-_INT_LIMIT, min(n, _INT_LIMIT))


# =========================================================================== styles
class _Style:
    __slots__ = ("sid", "name", "based_on", "num_id", "ilvl", "outline")

    def __init__(self, sid, name, based_on, num_id, ilvl, outline):
        self.sid, self.name, self.based_on = sid, name, based_on
        self.num_id, self.ilvl, self.outline = num_id, ilvl, outline


def _ppr_numbering(ppr):
    """(numId, ilvl, outlineLvl) from a w:pPr; each None when absent."""
    num_id = ilvl = outline = None
    for c in ppr:
        tag = c.tag
        if tag == W_NUMPR:
            for n in c:
                if n.tag == W_NUMID:
                    num_id = _int(n.get(W_VAL))
                elif n.tag == W_ILVL:
                    ilvl = _int(n.get(W_VAL))
        elif tag == W_OUTLINELVL:
            outline = _int(c.get(W_VAL))
    return num_id, ilvl, outline


class _Styles:
    def __init__(self, root):
        self.paragraph: dict[str, _Style] = {}
        self.numbering: dict[str, _Style] = {}  # numbering styles (w:numStyleLink targets)
        self.default: str | None = None
        self._chain: dict[str, list] = {}
        self._resolved: dict[str, tuple] = {}
        if root is None:
            return
        for st in root.iter(W_STYLE):
            kind = st.get(W_TYPE) or "paragraph"
            if kind not in ("paragraph", "numbering"):
                continue
            sid = st.get(W_STYLEID)
            if sid is None:
                continue
            name = based = None
            num_id = ilvl = outline = None
            for c in st:
                tag = c.tag
                if tag == W_NAME:
                    name = c.get(W_VAL)
                elif tag == W_BASEDON:
                    based = c.get(W_VAL)
                elif tag == W_PPR:
                    num_id, ilvl, outline = _ppr_numbering(c)
            style = _Style(sid, name if name is not None else sid, based, num_id, ilvl, outline)
            if kind == "numbering":
                self.numbering[sid] = style
            else:
                self.paragraph.setdefault(sid, style)
                if self.default is None and st.get(W_DEFAULT) in ("1", "true", "on"):
                    self.default = sid

    def chain(self, sid) -> list:
        """The style and its basedOn ancestors (cycle-safe)."""
        got = self._chain.get(sid)
        if got is None:
            got, seen = [], set()
            cur = self.paragraph.get(sid)
            while cur is not None and cur.sid not in seen and len(got) < 32:
                seen.add(cur.sid)
                got.append(cur)
                cur = self.paragraph.get(cur.based_on) if cur.based_on else None
            self._chain[sid] = got
        return got

    def numbered(self, sid) -> bool:
        """Whether paragraphs of style ``sid`` (None: the default style) are numbered by their style."""
        sid = sid if sid is not None else self.default
        return sid is not None and bool(self.resolve(sid)[2])

    def resolve(self, sid):
        """(display name, heading level, numId, ilvl) of a paragraph style id."""
        got = self._resolved.get(sid)
        if got is not None:
            return got
        chain = self.chain(sid)
        if chain:
            raw = chain[0].name
            name = _UI_NAMES.get(raw, raw)
        else:
            name = sid or ""
        level = None
        for st in chain:
            if st.outline is not None:
                level = st.outline + 1 if 0 <= st.outline <= 8 else None
                break
            m = _HEADING_NAME.match(st.name)
            if m:
                level = int(m.group(1))
                break
        num_id = ilvl = None
        for st in chain:
            if num_id is None and st.num_id is not None:
                num_id = st.num_id
            if ilvl is None and st.ilvl is not None:
                ilvl = st.ilvl
        got = (name, level, num_id, ilvl)
        self._resolved[sid] = got
        return got


# =========================================================================== numbering
class _Lvl:
    __slots__ = ("fmt", "text", "start", "restart", "lgl")

    def __init__(self, el):
        self.fmt, self.text, self.start, self.restart, self.lgl = "decimal", None, 1, None, False
        for c in el:
            tag = c.tag
            if tag == W_NUMFMT:
                self.fmt = c.get(W_VAL) or "decimal"
            elif tag == W_LVLTEXT:
                self.text = c.get(W_VAL)
            elif tag == W_START:
                self.start = _int(c.get(W_VAL), 1)
            elif tag == W_LVLRESTART:
                self.restart = _int(c.get(W_VAL))
            elif tag == W_ISLGL:
                self.lgl = c.get(W_VAL) not in ("0", "false", "off")


class _Numbering:
    """numbering.xml definitions plus the document-order counter simulation."""

    def __init__(self, root, styles: _Styles):
        self.styles = styles
        self.abstract: dict[int, dict[int, _Lvl]] = {}
        self.abstract_pstyle: dict[int, dict[str, int]] = {}
        self.style_link: dict[int, str] = {}
        self.nums: dict[int, tuple] = {}  # numId -> (abstractNumId, {ilvl: (start, _Lvl|None)})
        self._levels: dict[int, tuple | None] = {}
        self._counters: dict[int, list] = {}
        self._used: set[int] = set()
        if root is None:
            return
        for el in root:
            tag = el.tag
            if tag == W_ABSTRACTNUM:
                aid = _int(el.get(W_ABSTRACTNUMID))
                if aid is None:
                    continue
                lvls, pstyles = {}, {}
                for c in el:
                    if c.tag == W_LVL:
                        ilvl = _int(c.get(W_ILVL))
                        if ilvl is not None and 0 <= ilvl <= 8:
                            lvls[ilvl] = _Lvl(c)
                            ps = c.find(W_PSTYLE)
                            if ps is not None and ps.get(W_VAL):
                                pstyles.setdefault(ps.get(W_VAL), ilvl)
                    elif c.tag == W_NUMSTYLELINK and c.get(W_VAL):
                        self.style_link[aid] = c.get(W_VAL)
                self.abstract[aid] = lvls
                self.abstract_pstyle[aid] = pstyles
            elif tag == W_NUM:
                nid = _int(el.get(W_NUMID))
                if nid is None:
                    continue
                aid, overrides = None, {}
                for c in el:
                    if c.tag == W_ABSTRACTNUMID:
                        aid = _int(c.get(W_VAL))
                    elif c.tag == W_LVLOVERRIDE:
                        ilvl = _int(c.get(W_ILVL))
                        if ilvl is None or not 0 <= ilvl <= 8:
                            continue
                        start = lvl = None
                        for o in c:
                            if o.tag == W_STARTOVERRIDE:
                                start = _int(o.get(W_VAL))
                            elif o.tag == W_LVL:
                                lvl = _Lvl(o)
                        overrides[ilvl] = (start, lvl)
                if aid is not None:
                    self.nums[nid] = (aid, overrides)

    def fresh(self) -> "_Numbering":
        """These definitions with the counters of a document not yet walked."""
        other = copy.copy(self)
        other._counters = {}
        other._used = set()
        return other

    def _abstract_id(self, aid: int) -> int:
        """Follow w:numStyleLink to the abstractNum that holds the levels."""
        for _ in range(8):
            link = self.style_link.get(aid)
            if link is None or self.abstract.get(aid):
                return aid
            st = self.styles.numbering.get(link) or self.styles.paragraph.get(link)
            if st is None or st.num_id is None or st.num_id not in self.nums:
                return aid
            aid = self.nums[st.num_id][0]
        return aid

    def levels(self, num_id: int):
        """(counter key, {ilvl: _Lvl}, {ilvl: start override}) of a w:num, or None."""
        if num_id in self._levels:
            return self._levels[num_id]
        got = None
        num = self.nums.get(num_id)
        if num is not None:
            aid = self._abstract_id(num[0])
            lvls = dict(self.abstract.get(aid, {}))
            starts = {}
            for ilvl, (start, lvl) in num[1].items():
                if lvl is not None:
                    lvls[ilvl] = lvl
                if start is not None:
                    starts[ilvl] = start
                elif lvl is not None:
                    starts[ilvl] = lvl.start
            got = (aid, lvls, starts)
        self._levels[num_id] = got
        return got

    def pstyle_level(self, num_id: int, sid) -> int | None:
        got = self.levels(num_id)
        if got is None or sid is None:
            return None
        return self.abstract_pstyle.get(got[0], {}).get(sid)

    def label(self, num_id: int, ilvl: int) -> str:
        """Advance the counters for one numbered paragraph and render its label."""
        got = self.levels(num_id)
        if got is None:
            return ""
        key, lvls, starts = got
        lvl = lvls.get(ilvl)
        if lvl is None:
            return ""
        counters = self._counters.get(key)
        if counters is None:
            counters = self._counters[key] = [None] * 9
        if num_id not in self._used:
            self._used.add(num_id)
            for level in starts:  # a w:num with startOverride restarts those levels
                counters[level] = None

        def start(level):
            s = starts.get(level)
            if s is None:
                lv = lvls.get(level)
                s = lv.start if lv is not None else 1
            return s

        cur = counters[ilvl]
        counters[ilvl] = start(ilvl) if cur is None else cur + 1
        for deeper in range(ilvl + 1, 9):
            lv = lvls.get(deeper)
            restart = lv.restart if lv is not None else None
            if restart is None or ilvl < restart:
                counters[deeper] = None
        if lvl.fmt == "bullet" or not lvl.text:
            return ""

        def sub(m):
            level = int(m.group(1)) - 1
            value = counters[level]
            if value is None:
                value = start(level)
            lv = lvls.get(level)
            fmt = "decimal" if lvl.lgl else (lv.fmt if lv is not None else "decimal")
            return format_number(value, fmt)

        return _LVL_PCT.sub(sub, lvl.text)


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits=_CN_DIGITS, units="十百千", zero="零", short_ten=True) -> str:
    """1→一, 10→十, 11→十一, 20→二十, 101→一百零一 (up to 9999, else decimal)."""
    if not 0 < n < 10000:
        return "〇" if n == 0 and digits is _CN_DIGITS else str(n)
    s = str(n)
    out, zero_pending = [], False
    for i, ch in enumerate(s):
        d = ord(ch) - 48
        pos = len(s) - 1 - i
        if d == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append(zero)
            zero_pending = False
        out.append(digits[d] + (units[pos - 1] if pos else ""))
    text = "".join(out)
    if short_ten and 10 <= n < 20:
        text = text[1:]
    return text


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    if n <= 0 or n > 26 * 10:  # a, …, z, aa, …, zzzzzzzzzz; beyond, the number (a label stays short)
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _enclosed(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """Render counter value ``n`` in Word number format ``fmt`` (w:numFmt/@w:val)."""
    if fmt == "decimal":
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified",):
        return _chinese(n, _CN_LEGAL, "拾佰仟", "零", short_ten=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[ord(c) - 48] for c in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _enclosed(n)
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


# =========================================================================== text
def _collect(el, parts: list, boxes: list, spans: list | None = None) -> None:
    """Accepted-view text of the inline content of ``el`` (a w:p or an inline container).

    Text-box contents met on the way are appended to ``boxes`` (not to the text).
    With ``spans``, every element that shows text (w:r, m:oMath) is appended to it
    with the index in ``parts`` where its text starts.
    """
    for c in el:
        tag = c.tag
        if tag == W_R:
            if spans is not None:
                spans.append((c, len(parts)))
            _run(c, parts, boxes)
        elif tag in _TRANSPARENT:
            _collect(c, parts, boxes, spans)
        elif tag == W_SDT:
            content = c.find(W_SDTCONTENT)
            if content is not None:
                _collect(content, parts, boxes, spans)
        elif tag == MC_ALT:
            branch = _alt_branch(c)
            if branch is not None:
                _collect(branch, parts, boxes, spans)
        elif tag == M_OMATHPARA or tag == M_OMATH:
            if spans is not None:
                spans.append((c, len(parts)))
            parts.extend(t.text or "" for t in c.iter(M_T))
        # w:del, w:moveFrom, w:pPr, bookmarks, comment marks, proofErr...: nothing to read


def _run(r, parts: list, boxes: list) -> None:
    for c in r:
        tag = c.tag
        if tag == W_RPR:
            continue
        if tag == W_T:
            parts.append(c.text or "")
            if len(c):  # unresolved entity references: keep the text around them
                parts.extend(x.tail or "" for x in c)
        elif tag in _RUN_CHARS:
            parts.append(_RUN_CHARS[tag])
        elif tag == W_BR:
            if c.get(W_TYPE) in (None, "textWrapping"):
                parts.append("\n")
        elif tag in _BOX_HOSTS:
            _find_boxes(c, boxes)
        elif tag == W_RUBY:
            base = c.find(W_RUBYBASE)
            if base is not None:
                _collect(base, parts, boxes)


def _alt_branch(alt):
    """The mc:AlternateContent branch to read: the first Choice, else the Fallback."""
    fallback = None
    for c in alt:
        if c.tag == MC_CHOICE:
            return c
        if c.tag == MC_FALLBACK:
            fallback = c
    return fallback


def _find_boxes(el, boxes: list) -> None:
    """w:txbxContent elements under ``el``, each text box once.

    In mc:AlternateContent the Choice (DrawingML) and the Fallback (VML) hold the
    same box: read the first Choice that has one, else the Fallback.  Boxes
    nested inside a box are found when that box is read.
    """
    if el.tag == W_TXBX:
        boxes.append(el)
        return
    if el.tag == MC_ALT:
        for alt in el:
            if alt.tag == MC_CHOICE or alt.tag == MC_FALLBACK:
                found: list = []
                for c in alt:
                    _find_boxes(c, found)
                if found or alt.tag == MC_FALLBACK:
                    boxes.extend(found)
                    return
        return
    for c in el:
        if len(c) or c.tag == W_TXBX:
            _find_boxes(c, boxes)


def _count_paragraphs(el) -> int:
    n = 0
    for c in el:
        if c.tag == MC_FALLBACK:
            continue
        if c.tag == W_P:
            n += 1
        if len(c):
            n += _count_paragraphs(c)
    return n


def _first(parent, tag):
    """The first child of ``parent`` with ``tag`` (a property element such as w:tcPr comes
    first, so this is faster than ``find``, which goes through ElementPath)."""
    for c in parent:
        if c.tag == tag:
            return c
    return None


def _children(parent, tag):
    """Children of ``parent`` with ``tag``, looking through w:sdt and w:customXml."""
    for c in parent:
        t = c.tag
        if t == tag:
            yield c
        elif t == W_SDT:
            content = c.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif t == W_CUSTOMXML:
            yield from _children(c, tag)


# =========================================================================== walk
class _Para:
    """What the walker needs from one w:p.

    With ``spans`` (a list), also where each range of the text comes from: it is
    filled with ``(element, start, end)`` for every w:r or m:oMath, in order.
    ``marks=False`` (the document has no tracked deletion) skips looking for a
    deleted paragraph mark in the properties of the mark.
    """

    __slots__ = ("text", "boxes", "sid", "num_id", "ilvl", "outline", "mark_deleted")

    def __init__(self, p, spans: list | None = None, marks: bool = True):
        parts: list = []
        self.boxes: list = []
        self.sid = self.num_id = self.ilvl = self.outline = None
        self.mark_deleted = False
        for c in p:
            tag = c.tag
            if tag == W_PPR:
                for x in c:
                    xt = x.tag
                    if xt == W_PSTYLE:
                        self.sid = x.get(W_VAL)
                    elif xt == W_NUMPR:
                        for n in x:
                            if n.tag == W_NUMID:
                                self.num_id = _int(n.get(W_VAL))
                            elif n.tag == W_ILVL:
                                self.ilvl = _int(n.get(W_VAL))
                    elif xt == W_OUTLINELVL:
                        self.outline = _int(x.get(W_VAL))
                    elif xt == W_RPR and marks:  # a deleted paragraph mark
                        for y in x:
                            if y.tag == W_DEL or y.tag == W_MOVEFROM:
                                self.mark_deleted = True
            elif tag == W_R:
                if spans is not None:
                    spans.append((c, len(parts)))
                _run(c, parts, self.boxes)
            elif tag in _TRANSPARENT:
                _collect(c, parts, self.boxes, spans)
            elif tag == W_SDT:
                content = c.find(W_SDTCONTENT)
                if content is not None:
                    _collect(content, parts, self.boxes, spans)
            elif tag == MC_ALT or tag == M_OMATHPARA or tag == M_OMATH:
                _collect((c,), parts, self.boxes, spans)  # _collect iterates its argument
        self.text = "".join(parts)
        if spans:  # (element, index in parts) -> (element, start, end) in the text
            ends = [0]
            for x in parts:
                ends.append(ends[-1] + len(x))
            bounds = [k for _, k in spans] + [len(parts)]
            spans[:] = [(el, ends[bounds[i]], ends[bounds[i + 1]]) for i, (el, _) in enumerate(spans)]


class _Walker:
    def __init__(self, styles: _Styles, numbering: _Numbering, trace: list | None = None, marks: bool = True):
        self.styles = styles
        self.numbering = numbering
        self.marks = marks  # False: the document holds no tracked deletion (see _may_delete)
        self.n = 0  # paragraphs read so far
        self.trace = trace  # gets (block, lines of w:p) for paragraph_sources()

    # ---- paragraph properties
    def _props(self, para: _Para):
        """(style name, heading level, number label); advances list counters."""
        styles = self.styles
        sid = para.sid if para.sid is not None else styles.default
        name, level, s_num, s_ilvl = styles.resolve(sid) if sid is not None else ("", None, None, None)
        if para.outline is not None:
            level = para.outline + 1 if 0 <= para.outline <= 8 else None
        num_id, ilvl = para.num_id, para.ilvl
        if num_id is None:
            num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
        label = ""
        if num_id:  # None or 0: not numbered
            if ilvl is None:  # a level linked to the style (w:lvl/w:pStyle), else level 0
                for st in styles.chain(sid):
                    ilvl = self.numbering.pstyle_level(num_id, st.sid)
                    if ilvl is not None:
                        break
                if ilvl is None:
                    ilvl = 0
            if 0 <= ilvl <= 8:
                label = self.numbering.label(num_id, ilvl)
        return name, level, label

    # ---- block containers (body, sdtContent, customXml, text boxes)
    def blocks(self, container, out: list) -> None:
        pending = None  # (text, line, para, box blocks, w:p list) of paragraphs whose mark is deleted
        for el in container:
            tag = el.tag
            if tag == W_P:
                self.n += 1
                line = self.n
                para = _Para(el, marks=self.marks)
                if para.mark_deleted:
                    box_blocks: list = []
                    for box in para.boxes:
                        self.blocks(box, box_blocks)
                    if pending is None:
                        pending = (para.text, line, para, box_blocks, [el])
                    else:
                        pending = (pending[0] + para.text, pending[1], pending[2],
                                   pending[3] + box_blocks, pending[4] + [el])
                    continue
                text = para.text
                earlier_boxes = ()
                els = [el]
                if pending is not None:
                    text = pending[0] + text
                    line = pending[1]
                    earlier_boxes = pending[3]
                    els = pending[4] + els
                    pending = None
                name, level, label = self._props(para)
                block = Paragraph(text=text, line=line, col=1, number=label, style=name,
                                  heading_level=level)
                out.append(block)
                if self.trace is not None:
                    self.trace.append((block, [els]))
                out.extend(earlier_boxes)
                for box in para.boxes:
                    self.blocks(box, out)
                continue
            if pending is not None:
                self._flush(pending, out)
                pending = None
            if tag == W_TBL:
                self.table(el, out)
            elif tag == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    self.blocks(content, out)
            elif tag == W_CUSTOMXML:
                self.blocks(el, out)
            elif tag == MC_ALT:
                branch = _alt_branch(el)
                if branch is not None:
                    self.blocks(branch, out)
        if pending is not None:
            self._flush(pending, out)

    def _flush(self, pending, out: list) -> None:
        text, line, para, box_blocks, els = pending
        name, level, label = self._props(para)
        block = Paragraph(text=text, line=line, col=1, number=label, style=name, heading_level=level)
        out.append(block)
        if self.trace is not None:
            self.trace.append((block, [els]))
        out.extend(box_blocks)

    # ---- tables
    def table(self, tbl, out: list) -> None:
        slot = len(out)
        out.append(None)  # the table goes before its nested tables and text boxes
        extras: list = []
        rows: list = []
        first_line = None
        open_v: dict = {}  # grid column -> origin Cell of a running vertical merge
        for tr in _children(tbl, W_TR):
            grid_before = 0
            deleted = False
            trpr = _first(tr, W_TRPR)
            if trpr is not None:
                for c in trpr:
                    if c.tag == W_GRIDBEFORE:
                        grid_before = min(max(_int(c.get(W_VAL), 0), 0), MAX_COLUMNS)
                    elif c.tag == W_DEL:
                        deleted = True
            if deleted:  # a deleted row is gone in the accepted view
                self.n += _count_paragraphs(tr)
                continue
            r = len(rows)
            row: list = []
            rows.append(row)
            next_open: dict = {}
            col = grid_before
            for tc in _children(tr, W_TC):
                before = self.n
                texts: list = []
                sources: list | None = [] if self.trace is not None else None  # the w:p elements of each text
                tcpr = self.cell(tc, extras, texts, sources)
                span, vmerge = 1, None
                if tcpr is not None:
                    for c in tcpr:
                        if c.tag == W_GRIDSPAN:
                            span = min(max(_int(c.get(W_VAL), 1), 1), max(MAX_COLUMNS - col, 1))
                        elif c.tag == W_VMERGE:
                            vmerge = c.get(W_VAL) or "continue"
                line = before + 1 if self.n > before else max(before, 1)
                if first_line is None and self.n > before:
                    first_line = before + 1
                origin = open_v.get(col) if vmerge == "continue" else None
                if origin is not None:
                    origin.rowspan = r - origin.row + 1
                    next_open[col] = origin
                else:
                    cell = Cell("\n".join(texts), line, 1, r, col, 1, span)  # text, line, col, row, column, spans
                    row.append(cell)
                    if self.trace is not None:
                        self.trace.append((cell, sources))
                    if vmerge is not None:  # restart (or a continue with nothing above)
                        next_open[col] = cell
                col += span
            open_v = next_open
        out[slot] = Table(rows=rows, line=first_line if first_line is not None else max(self.n, 1),
                          grid=True)
        out.extend(extras)

    def cell(self, container, extras: list, texts: list, sources: list | None):
        """Append the accepted-view texts of the paragraphs of a cell (nested tables
        excluded) to ``texts``, and the list of w:p elements of each to ``sources``
        (None: not wanted).  Returns the cell's w:tcPr, met on the way (None if none)."""
        pending = None
        pending_els: list = []
        props = None
        for el in container:
            tag = el.tag
            if tag == W_P:
                self.n += 1
                para = _Para(el, marks=self.marks)
                for box in para.boxes:
                    self.blocks(box, extras)
                if para.mark_deleted:
                    pending = para.text if pending is None else pending + para.text
                    pending_els.append(el)
                    continue
                if para.num_id is not None or self.styles.numbered(para.sid):
                    self._props(para)  # numbered paragraphs in cells count for the list too
                texts.append(para.text if pending is None else pending + para.text)
                if sources is not None:
                    sources.append(pending_els + [el])
                pending = None
                pending_els = []
            elif tag == W_TCPR:
                props = el
            elif tag == W_TBL:
                self.table(el, extras)
            elif tag == W_SDT:
                content = el.find(W_SDTCONTENT)
                if content is not None:
                    self.cell(content, extras, texts, sources)
            elif tag == W_CUSTOMXML:
                self.cell(el, extras, texts, sources)
        if pending is not None:
            texts.append(pending)
            if sources is not None:
                sources.append(pending_els)
        return props
