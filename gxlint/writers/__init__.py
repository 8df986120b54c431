"""Writers: apply findings to a copy of a report.

* :mod:`gxlint.writers.docx_annotate` — each finding as a Word review comment;
* :mod:`gxlint.writers.docx_fix` — each fix as a tracked change (w:del + w:ins);
* :mod:`gxlint.writers.text_fix` — fixes applied to a .txt/.md, encoding and line endings kept.

A writer never modifies the file it reads; files are written with :func:`write_atomic`.
"""
from __future__ import annotations

import os
import stat
import tempfile

from ..errors import E_OS, GxlintError


def write_atomic(path: str, data) -> None:
    """Write ``data`` (bytes, or a binary file read from its current position) to ``path`` so that readers see the old file or the new one, never a part.

    The bytes go to a temporary file in the same folder, which then replaces
    ``path`` (os.replace).  An existing file keeps its permission bits; a symlink
    is followed (its target is replaced, the link stays).

    What is not a regular file is never replaced: a FIFO or a character device
    (``/dev/null``, ``/dev/stdout``, the pipe of a shell's ``>(…)``) is written
    into, as the shell's ``>`` would (replacing it would break it for everyone --
    ``/dev/null`` itself, as root -- and lose the output); anything else (a block
    device, a socket, a folder) is refused.  Raises GxlintError (E013) when the
    file cannot be written.
    """
    try:
        try:
            st = os.stat(path)  # the kernel follows the links (/dev/stdout -> /proc/self/fd/1 -> a pipe)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_into(path, st, data)
        else:
            _write(os.path.realpath(path), data)
    except OSError as e:
        raise GxlintError(E_OS, f"{path}: 无法写入（{e.strerror or e}），请检查目录是否存在、是否有写权限") from None


def check_target(path: str) -> None:
    """E013 now when :func:`write_atomic` would refuse ``path`` (a block device, a socket...), so
    that a run says so before its work rather than after."""
    try:
        st = os.stat(path)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode) and not _writable_in_place(st.st_mode):
        raise _refused(path, st)


def _writable_in_place(mode: int) -> bool:
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _refused(path: str, st) -> GxlintError:
    from ..files import kind_of

    return GxlintError(E_OS, f"{path}: 是{kind_of(st.st_mode)}，不是普通文件，gxlint 不会替换它，请给出普通文件的路径")


def _write_into(path: str, st, data) -> None:
    """Write ``data`` into the FIFO or character device at ``path`` (E013 for another kind of file)."""
    refused = _refused(path, st)
    if not _writable_in_place(st.st_mode):
        raise refused
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))  # no O_CREAT, no O_TRUNC
    with os.fdopen(fd, "wb") as f:
        if not _writable_in_place(os.fstat(fd).st_mode):  # what was opened, whatever the path named before
            raise refused
        _copy(data, f)


def _copy(data, f) -> None:
    if isinstance(data, bytes):
        f.write(data)
    else:
        import shutil

        shutil.copyfileobj(data, f)


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
            _copy(data, f)
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


class DisjointRanges:
    """Ranges [a, b) of a text chosen first come, first served: a range is taken when it shares no
    character and no start with one taken before it (how the fixes of a report are chosen).
    Ranges that do not overlap are in order of end when in order of start, so a new range need
    only be compared with the one taken before its end (bisection): 40,000 fixes were 800
    million comparisons when each was compared with every fix taken before it.
    ``items``: the payloads of the ranges taken, in order of their start."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.items: list = []

    def add(self, a: int, b: int, item) -> bool:
        from bisect import bisect_left

        i = bisect_left(self.starts, a)
        if i < len(self.starts) and self.starts[i] == a:
            return False
        j = bisect_left(self.starts, b)  # the ranges taken that start before b
        if j and self.ends[j - 1] > a:
            return False
        self.starts.insert(i, a)
        self.ends.insert(i, b)
        self.items.insert(i, item)
        return True
