"""Writers: apply findings to a copy of a report.

* :mod:`gxlint.writers.docx_annotate` — each finding as a Word review comment;
* :mod:`gxlint.writers.docx_fix` — each fix as a tracked change (w:del + w:ins);
* :mod:`gxlint.writers.text_fix` — fixes applied to a .txt/.md, encoding and line endings kept.

A writer never modifies the file it reads; files are written with :func:`write_atomic`.
"""
from __future__ import annotations

import os
import tempfile

from ..errors import E_OS, GxlintError


def write_atomic(path: str, data) -> None:
    """Write ``data`` (bytes, or a binary file read from its current position) to ``path`` so that readers see the old file or the new one, never a part.

    The bytes go to a temporary file in the same folder, which then replaces
    ``path`` (os.replace).  An existing file keeps its permission bits; a symlink
    is followed (its target is replaced, the link stays).  Raises GxlintError
    (E013) when the file cannot be written.
    """
    try:
        _write(os.path.realpath(path), data)
    except OSError as e:
        raise GxlintError(E_OS, f"{path}: 无法写入（{e.strerror or e}），请检查目录是否存在、是否有写权限") from None


def _write(path: str, data) -> None:
    folder = os.path.dirname(path)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                import shutil

                shutil.copyfileobj(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
