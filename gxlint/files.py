"""Reading the small files a run names besides its reports (a baseline, a list of addresses) by
the readers' rule: only a regular file is read, and with a bound.

:func:`read_small` looks at the path before opening it (a FIFO, a device or a socket is refused
unopened), opens it without blocking (``O_NONBLOCK``: a FIFO put there in between has no writer
to wait for) and checks again what it opened, then reads at most ``limit`` bytes.  So ``--baseline
/dev/zero`` or a FIFO as ``--urls`` is one E013 line at once, never a hang or gigabytes.
"""
from __future__ import annotations

import errno
import os
import stat

from .errors import E_OS, GxlintError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular one is, in Chinese (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def read_small(path: str, limit: int, what: str, too_large: str = E_OS) -> bytes:
    """The bytes of the regular file at ``path`` (``what`` names it in messages: 「基线文件」); a
    GxlintError E013 when it is missing, unreadable or not a regular file, ``too_large`` (a code)
    when it holds more than ``limit`` bytes."""
    def refuse(why: str, code: str = E_OS):
        return GxlintError(code, f"{what} {path} {why}")

    def check(st) -> None:
        kind = kind_of(st.st_mode)
        if kind is not None:
            raise refuse(f"是{kind}，不是普通文件，不会读取")
        if st.st_size > limit:
            raise refuse(f"过大（{st.st_size / 2**20:.1f} MiB，上限 {limit / 2**20:g} MiB）", too_large)

    try:
        check(os.stat(path))
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise refuse("不存在") from None
    except OSError as e:
        raise refuse(f"无法读取（{'符号链接循环' if e.errno == errno.ELOOP else e.strerror or e}）") from None
    try:
        check(os.fstat(fd))  # what was opened, whatever the path named a moment before
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise refuse(f"过大（超过 {limit / 2**20:g} MiB）", too_large)
        return b"".join(chunks)
    except OSError as e:
        raise refuse(f"无法读取（{e.strerror or e}）") from None
    finally:
        os.close(fd)
