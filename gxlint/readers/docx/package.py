"""The .docx package: ZIP/OLE pre-flight, reading the parts with their size limits, content
types (which part is the main document), the XML parser with its DTD/entity checks, error helpers."""
from __future__ import annotations

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

from .ns import _STRICT_W_NS, _W_NS, CT_DEFAULT, CT_OVERRIDE

# --------------------------------------------------------------------------- limits
MAX_TOTAL = 200 * 2**20  # all members, uncompressed
MAX_MEMBER = 100 * 2**20  # any one member
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB
_RATIO_FLOOR = 2**20

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")

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
_COMMENTS_KEY = "comments"  # in the parts dict: whether a part's name says 「comments」 (Word's review comments)
_CT_PART = "[Content_Types].xml"

# Reports of one office share one template: its styles.xml and numbering.xml are parsed once
# per process (keyed by their CRC and size), and each document gets fresh numbering counters.
_TEMPLATE_CACHE: dict = {}
_TEMPLATE_CACHE_SIZE = 16

def _err(code: str, message: str) -> InputError:
    return InputError(code, message)

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
        _COMMENTS_KEY: any("comments" in name for name in by_name),  # (names lowercased)
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
