"""Builders of unreadable and hostile inputs for the tests."""
from __future__ import annotations

import struct

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
        entries.append(b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 52)
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
