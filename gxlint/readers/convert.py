"""Read a Word 97-2003 ``.doc`` or a WPS ``.wps`` by converting it to .docx with LibreOffice.

The binary formats are not parsed here: when LibreOffice (``soffice``) is on PATH,
a copy of the file is converted in a private temporary folder, with its own
profile (``-env:UserInstallation``: parallel runs share no lock, the user's
profile is never touched) whose settings forbid macros, headless, stdin closed,
in its own process group, under a timeout (``GXLINT_OFFICE_TIMEOUT`` seconds,
default 120).  On a timeout the whole process group is killed, and after every
run what is left of the group is killed too: no LibreOffice process stays
behind.  The .docx is read by the docx reader (locations are its paragraph
numbers) and the folder deleted; the input file is never written.

Checked before LibreOffice runs, from the OLE2 directory and the Word FIB:
a password (E002), a Microsoft Works file named .wps (E019, Works is not WPS
Office), an Excel or other OLE file (E004), a Word stream without a valid
header (E003, damaged).  A .doc that is really a .docx
(a ZIP) is read as one.  Without LibreOffice: E003, naming what to install.
A conversion that fails or times out: E030.
"""
from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from gxlint.errors import (
    E_EMPTY,
    E_ENCRYPTED,
    E_LEGACY_DOC,
    E_OFFICE_FAILED,
    E_OLE,
    E_OS,
    E_WORKS,
    InputError,
)
from gxlint.model import Document

__all__ = ["read_converted", "office"]

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
TIMEOUT = 120.0
INSTALL = "安装 LibreOffice（如 apt-get install libreoffice-writer-nogui，或从 libreoffice.org 下载）"
_NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def _err(code: str, message: str) -> InputError:
    return InputError(code, message)


def office() -> str | None:
    """LibreOffice's ``soffice`` (``GXLINT_SOFFICE`` overrides the one on PATH), or None."""
    exe = os.environ.get("GXLINT_SOFFICE")
    if exe:
        return exe if os.path.isfile(exe) and os.access(exe, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_converted(path: str) -> Document:
    """Read the .doc / .wps at ``path``; raise :class:`InputError` if it cannot be read."""
    kind = "WPS 文字文件（.wps）" if path.lower().endswith(".wps") else "旧版 Word 97-2003 文件（.doc）"
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise _err(E_OS, f"无法读取文件（{e.strerror or e}），请检查文件是否存在、可以访问") from None
    if not data:
        raise _err(E_EMPTY, "文件是空的（0 字节），请确认保存完整后再检查")
    if data.startswith(b"PK"):  # a .docx under an old name
        from .docx import read_docx

        return read_docx(path)
    if data.startswith(OLE_MAGIC):
        _check_ole(data, kind)
    elif not data.lstrip().startswith(b"{\\rtf"):  # Word saves RTF as .doc too; LibreOffice reads it
        if path.lower().endswith(".wps"):
            raise _err(E_WORKS, "这是 Microsoft Works 文字处理文件（.wps），不是 WPS Office 文档，"
                                "请在 Works、Word 或 WPS 中另存为 .docx 后再检查")
        raise _err(E_OLE, f"不是 Word 文档（既不是{kind}，也不是 RTF），请提供 .docx 文件")
    exe = office()
    if exe is None:
        raise _err(E_LEGACY_DOC, f"这是{kind}：{INSTALL}后 gxlint 可直接检查；"
                                 "或在 Word / WPS 中另存为 .docx 后再检查")
    return _convert_and_read(exe, path, data)


# =========================================================================== pre-flight
def _dir_entries(data: bytes) -> dict[str, tuple[int, int]]:
    """The OLE2 directory: stream name -> (start sector, size).  Empty if unreadable."""
    try:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if not 7 <= shift <= 16:
            return {}
        ssize = 1 << shift
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        fat = _fat(data, ssize)
        out: dict[str, tuple[int, int]] = {}
        sector, seen = first_dir, set()
        while sector < 0xFFFFFFFA and sector not in seen and len(seen) < 4096:
            seen.add(sector)
            base = (sector + 1) * ssize
            for off in range(base, min(base + ssize, len(data) - 127), 128):
                n = struct.unpack_from("<H", data, off + 64)[0]
                if 2 <= n <= 64 and data[off + 66] in (1, 2, 5):
                    name = data[off:off + n - 2].decode("utf-16-le", "replace")
                    start, size = struct.unpack_from("<IQ", data, off + 116)
                    out.setdefault(name, (start, size))
            sector = fat[sector] if sector < len(fat) else 0xFFFFFFFE
        return out
    except (struct.error, IndexError):
        return {}


def _fat(data: bytes, ssize: int) -> list[int]:
    n = struct.unpack_from("<I", data, 0x2C)[0]
    difat = [s for s in struct.unpack_from("<109I", data, 0x4C)[:min(n, 109)] if s < 0xFFFFFFFA]
    fat: list[int] = []
    for s in difat:
        base = (s + 1) * ssize
        fat.extend(struct.unpack_from(f"<{ssize // 4}I", data, base))
    return fat


def _check_ole(data: bytes, kind: str) -> None:
    entries = _dir_entries(data)
    if "EncryptionInfo" in entries or "EncryptedPackage" in entries:
        raise _err(E_ENCRYPTED, f"{kind}设有打开密码（已加密），请清除密码并另存为 .docx 后再检查")
    word = entries.get("WordDocument")
    if word is None:
        if "CONTENTS" in entries or "MatOST" in entries:
            raise _err(E_WORKS, "这是 Microsoft Works 文字处理文件（.wps），不是 WPS Office 文档，"
                                "请在 Works、Word 或 WPS 中另存为 .docx 后再检查")
        if "Workbook" in entries or "Book" in entries:
            raise _err(E_OLE, "这是旧版 Excel（.xls）文件，不是 Word 文档，请提供 .docx 文件")
        raise _err(E_OLE, "这是 OLE 复合文档，但不是 Word 或 WPS 文字文档，请提供 .docx 文件")
    # the FIB at the start of the WordDocument stream: wIdent 0xA5EC (Word 97+; 0xA5DC Word 6/95),
    # nFib >= 101, then (at byte 10) the flags: bit 0x0100 fEncrypted.  A real WordDocument stream is never in the mini stream.
    ssize = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    start, size = word
    off = (start + 1) * ssize
    fib = struct.unpack_from("<HHHHHH", data, off) if size >= 4096 and off + 12 <= len(data) else None
    if fib is None or fib[0] not in (0xA5EC, 0xA5DC) or fib[1] < 101:
        raise _err(E_LEGACY_DOC, f"这是{kind}，但文件结构已损坏（Word 文件头无效），无法读取；"
                                 "请在 Word / WPS 中打开并另存为 .docx 后再检查")
    if fib[5] & 0x0100:
        raise _err(E_ENCRYPTED, f"{kind}设有打开密码（已加密），请清除密码并另存为 .docx 后再检查")


# =========================================================================== conversion
def _timeout() -> float:
    try:
        return max(float(os.environ.get("GXLINT_OFFICE_TIMEOUT", TIMEOUT)), 1.0)
    except ValueError:
        return TIMEOUT


def _convert_and_read(exe: str, path: str, data: bytes) -> Document:
    from .docx import read_docx

    with tempfile.TemporaryDirectory(prefix="gxlint-office-") as tmp:
        work = Path(tmp)
        src = work / ("in" + (".wps" if path.lower().endswith(".wps") else ".doc"))
        src.write_bytes(data)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_NO_MACROS, encoding="utf-8")
        out = work / "out"
        out.mkdir()
        args = [exe, "--headless", "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
                f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "docx:MS Word 2007 XML",
                "--outdir", str(out), str(src)]
        env = {**os.environ, "HOME": tmp}  # nothing of LibreOffice's goes to the user's home
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=tmp, env=env, start_new_session=True)
        except OSError as e:
            raise _err(E_OFFICE_FAILED, f"无法启动 LibreOffice（{e.strerror or e}），请检查安装，"
                                        "或在 Word / WPS 中另存为 .docx 后再检查") from None
        try:
            _, err = proc.communicate(timeout=_timeout())
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            proc.communicate()
            raise _err(E_OFFICE_FAILED, f"LibreOffice 转换超时（{_timeout():g} 秒），已终止；"
                                        "请在 Word / WPS 中另存为 .docx 后再检查") from None
        finally:
            _kill_group(proc)
        docx = out / "in.docx"
        if not docx.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            raise _err(E_OFFICE_FAILED, f"LibreOffice 无法转换此文件（退出码 {proc.returncode}"
                                        + (f"：{detail[-1][:80]}" if detail else "") + "），"
                                        "文件可能已损坏；请在 Word / WPS 中另存为 .docx 后再检查")
        doc = read_docx(str(docx))
    doc.path = str(path)
    return doc


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill what is left of LibreOffice's process group (soffice starts soffice.bin under it)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
