"""A folder of hostile and broken reports next to good ones, for the whole-batch test.

:func:`build_corpus` writes every file of :data:`BROKEN` (each must give exactly
one ``E0xx`` error line) and of :data:`GOOD` (each must give the same findings
as the reference report it names), plus a Word lock file (:data:`LOCK`, skipped
when the folder is linted) and two files that are not reports: a secret holding
:data:`MARKER` and a FIFO (:data:`FIFO`), the targets of the external entities
in ``xxe.docx`` (opening the FIFO would block, so reading it is a hang).
"""
from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

from conftest import SEEDS
from hostile import deflate_bomb, make_cfb, member, write_zip
from seeddocx import seed_docx

SEED = SEEDS / "004_aa4e2e269a40bca7.txt"  # seven findings (tests/seeds/expected.yaml)
MARKER = "GXLINT-XXE-SECRET-5e1f"
SECRET, FIFO, LOCK = "secret.dat", "target.fifo", "~$faulty.docx"

BROKEN = {
    "empty.docx": "E001",
    "empty.txt": "E001",
    "text-renamed.docx": "E005",
    "truncated.docx": "E005",
    "legacy.doc": "E003",
    "kingsoft.wps": "E003",  # WPS 文字's .wps: an OLE file with a WordDocument stream, like .doc
    "encrypted.docx": "E002",
    "template.dotx": "E009",
    "macro.docm": "E009",
    "bomb.docx": "E006",  # declares 1.1 GB
    "bomb-lying-size.docx": "E007",  # declares 4 KB, inflates to 1.1 GB
    "laughs.docx": "E008",
    "xxe.docx": "E008",  # a part that declares a DTD is refused (Word never writes one), its entities unread
    "big5.txt": "E011",
    "junk.txt": "E012",
    "big-20mb.txt": "E006",  # 20 MB of text is no report: refused at once (limit 4 MiB)
}
# file -> the reference report whose findings it must give
GOOD = {
    "faulty.docx": "faulty.docx",
    "faulty.txt": "faulty.txt",
    "comments-corrupt.docx": "faulty.docx",  # a part the reader never reads
    "nested-50.docx": "faulty.docx",
    "gbk.txt": "faulty.txt",
    "utf16.txt": "faulty.txt",
}

DOC, CT = "word/document.xml", "[Content_Types].xml"
CT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_TYPES = {
    "template.dotx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "macro.docm": b"application/vnd.ms-word.document.macroEnabled.main+xml",
}
LAUGHS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          b'<!DOCTYPE lolz [<!ENTITY lol0 "lolololololololololo">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
          + b"]>")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _rezip(members: dict[str, bytes], path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _variant(base: dict[str, bytes], path: Path, parts: dict[str, bytes]) -> None:
    """Write ``base`` with ``parts`` replaced or added."""
    _rezip({**base, **parts}, path)


def _with_doctype(document: bytes, doctype: bytes, entity: bytes) -> bytes:
    """document.xml under ``doctype``, with ``entity`` at the start of the first text run."""
    body = document.split(b"?>", 1)[1]
    return doctype + body.replace(b"<w:t>", b"<w:t>" + entity, 1)


def _nested_table(depth: int) -> bytes:
    xml = b""
    for d in range(depth, 0, -1):
        xml = (b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p>%s<w:p/></w:tc></w:tr></w:tbl>"
               % (d, xml))
    return xml


def build_corpus(folder: Path) -> None:
    """Write the corpus (see the module docstring) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")

    # good reports and their hostile twins
    faulty = seed_docx(SEED, folder / "faulty.docx")
    base = _members(faulty)
    (folder / "faulty.txt").write_text(text, encoding="utf-8")
    (folder / "gbk.txt").write_bytes(text.encode("gbk"))
    (folder / "utf16.txt").write_bytes(text.encode("utf-16"))  # with BOM
    prose = "本机关坚持以公开为常态、不公开为例外，持续推进政务公开工作。\n"
    with open(folder / "big-20mb.txt", "w", encoding="utf-8") as f:
        f.write(text)
        f.write(prose * (20 * 2**20 // len(prose.encode())))
    doc = base[DOC]
    _variant(base, folder / "comments-corrupt.docx", {
        "word/comments.xml": b"<w:comments \xff\xfe broken",
        CT: base[CT].replace(
            b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="application/'
                         b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>')})
    secret, fifo = (folder / SECRET), (folder / FIFO)
    secret.write_text(MARKER, encoding="utf-8")
    os.mkfifo(fifo)
    doctype = (b'<?xml version="1.0"?><!DOCTYPE w:document SYSTEM "%s" [<!ENTITY xxe SYSTEM "%s">'
               b'<!ENTITY fifo SYSTEM "%s"><!ENTITY %% pe SYSTEM "%s"> %%pe;]>'
               % (fifo.as_uri().encode(), secret.as_uri().encode(), fifo.as_uri().encode(),
                  fifo.as_uri().encode()))
    _variant(base, folder / "xxe.docx", {DOC: _with_doctype(doc, doctype, b"&xxe;&fifo;")})
    _variant(base, folder / "nested-50.docx",
             {DOC: doc.replace(b"<w:sectPr", _nested_table(50) + b"<w:p/><w:sectPr", 1)})

    # broken ones
    (folder / "empty.docx").write_bytes(b"")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "text-renamed.docx").write_text(text, encoding="utf-8")
    (folder / "truncated.docx").write_bytes(faulty.read_bytes()[: faulty.stat().st_size // 2])
    (folder / "legacy.doc").write_bytes(make_cfb({"WordDocument": b"\xec\xa5" + b"\0" * 510,
                                                  "1Table": b"\0" * 64}))
    (folder / "kingsoft.wps").write_bytes(make_cfb({"WordDocument": b"\xec\xa5" + b"\0" * 510,
                                                    "1Table": b"\0" * 64, "Data": b"\0" * 64}))
    (folder / "encrypted.docx").write_bytes(make_cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200,
                                                      "EncryptedPackage": random.Random(6).randbytes(5000)}))
    for name, ctype in CT_TYPES.items():
        _variant(base, folder / name, {CT: base[CT].replace(CT_MAIN, ctype)})
    head, tail = doc.split(b"<w:body>", 1)
    payload, crc, size = deflate_bomb(head + b"<w:body>", 1100, tail)
    assert size > 2**30
    ct = member(CT, base[CT])
    write_zip(folder / "bomb.docx", [ct, (DOC, payload, crc, size)])
    write_zip(folder / "bomb-lying-size.docx", [ct, (DOC, payload, crc, 4096)])
    _variant(base, folder / "laughs.docx", {DOC: _with_doctype(doc, LAUGHS, b"&lol9;")})
    (folder / "big5.txt").write_bytes(
        "政府資訊公開工作年度報告。本機關依法辦理政府資訊公開申請，統計期限為全年。\n".encode("big5") * 40)
    (folder / "junk.txt").write_bytes(random.Random(12).randbytes(8192))
    (folder / LOCK).write_bytes(b"\x0cAdministrator" + b"\0" * 149)
