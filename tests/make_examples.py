"""Regenerate examples/ (clean and faulty reports as .docx and .md) from the seeds.

    python tests/make_examples.py

tests/test_examples.py checks that the committed files are what this writes.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docxbuild import build_docx  # noqa: E402
from seeddocx import NUMERALS, seed_blocks  # noqa: E402

EXAMPLES = HERE.parent / "examples"
SOURCES = {"clean": "002_9e678f4fbfe67a94.txt", "faulty": "004_aa4e2e269a40bca7.txt"}


def to_markdown(blocks) -> str:
    out, n = [], 0
    for b in blocks:
        kind = b[0]
        if kind == "title":
            out += [f"# {b[1]}", ""]
        elif kind == "heading":
            numbered = not (len(b) > 3 and b[3].get("numbered") is False)
            if numbered:
                out += [f"## {NUMERALS[n]}、{b[2]}", ""]
                n += 1
            else:
                out += [f"## {b[2]}", ""]
        elif kind == "para":
            out += [b[1], ""]
        elif kind == "table":
            rows = []
            for row in b[1]:
                cells = []
                for c in row:
                    if isinstance(c, dict):
                        text = "" if c.get("vmerge") == "continue" else c.get("text", "")
                        cells += [text.replace("\n", "")] + [""] * (c.get("colspan", 1) - 1)
                    else:
                        cells.append(c.replace("\n", ""))
                rows.append(cells)
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
    return "\n".join(out)


def build(name: str, folder: Path = EXAMPLES) -> list[Path]:
    text = (HERE / "seeds" / SOURCES[name]).read_text(encoding="utf-8")
    blocks = seed_blocks(text)
    folder.mkdir(exist_ok=True)
    md = folder / f"{name}.md"
    md.write_text(to_markdown(blocks), encoding="utf-8")
    docx = folder / f"{name}.docx"
    build_docx(blocks, docx)
    return [md, docx]


if __name__ == "__main__":
    for name in SOURCES:
        for p in build(name):
            print(p)
