"""Builders of unreadable and hostile inputs for the tests."""
from __future__ import annotations

import struct
import zlib

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def make_cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal, structurally valid OLE2 compound file (CFB v3) holding `streams`.

    Streams are padded to 4096 bytes so they live in regular sectors (no mini stream).
    At most three streams.
    """
    assert 1 <= len(streams) <= 3
    data = {name: (content + b"\x00" * 4096)[: max(4096, len(content))] for name, content in streams.items()}
    fat = [FATSECT, END]
    starts = {}
    sector = 2
    for name, content in data.items():
        n = (len(content) + 511) // 512
        starts[name] = sector
        fat += [sector + i + 1 for i in range(n - 1)] + [END]
        sector += n
    fat += [FREE] * (128 - len(fat))
    assert len(fat) == 128

    def entry(name, typ, child=NOSTREAM, right=NOSTREAM, start=END, size=0):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), typ, 1)
            + struct.pack("<III", NOSTREAM, right, child)
            + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    names = list(data)
    entries = [entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else NOSTREAM
        entries.append(entry(name, 2, right=right, start=starts[name], size=len(data[name])))
    while len(entries) < 4:
        entries.append(b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 48)
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", 0, *([FREE] * 108))
    )
    assert len(header) == 512
    body = struct.pack("<128I", *fat) + b"".join(entries)
    for name in names:
        content = data[name]
        body += content.ljust(((len(content) + 511) // 512) * 512, b"\x00")
    return header + body


def deflated(data: bytes) -> bytes:
    """Raw deflate (ZIP method 8) of ``data``."""
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(name: str, data: bytes) -> tuple:
    """An honest deflated member for :func:`write_zip`."""
    return name, deflated(data), zlib.crc32(data), len(data)


def deflate_bomb(head: bytes, mib: int, tail: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of ``head`` + ``mib`` MiB of spaces + ``tail``.

    One MiB of spaces is compressed once (after a full flush the compressor
    starts afresh, so every block is the same ~1 KB) and repeated: a 1 GiB
    stream costs a second to build, not the half minute zipfile would take.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b" " * 2**20
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    return start + block * mib + end, zlib.crc32(tail, crc), len(head) + mib * 2**20 + len(tail)


def write_zip(path, members) -> None:
    """Write a ZIP archive by hand from ``(name, deflated payload, crc, size)`` members.

    CRC and uncompressed size are written as given, in the local headers and the
    central directory alike, so a member may lie about them (sizes below 4 GiB).
    """
    out, central = bytearray(), bytearray()
    for name, payload, crc, size in members:
        raw = name.encode()
        head = (crc, len(payload), size, len(raw))
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, *head,
                               0, 0, 0, 0, 0, len(out)) + raw
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, *head, 0) + raw + payload
    n = len(members)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, len(central), len(out), 0)
    with open(path, "wb") as f:
        f.write(out)
