"""Turn a seed report (text) into the blocks of a realistic Word document.

The prose is kept as written; the six part headings use Word's automatic
numbering (the 「一、」 is not in the text) as long as the seed numbers them
one after another, and are typed as written after a gap (a seed whose 五、 was
lost keeps that defect); the three national tables are laid out as in the
national format with merged header cells, keeping the seed's labels (typos
included) and values.
"""
from __future__ import annotations

from pathlib import Path

from docxbuild import (APPLICATION_ROWS, TRIAL_APPLICATION_ROWS, applications_table, build_docx, disclosure_table,
                       review_table)

from gxlint.engine import builtin_rule_dir, load_pack, rule_files
from gxlint.model import Paragraph, Table
from gxlint.readers.text import parse_text
from gxlint.report import build_report

NUMERALS = "一二三四五六七八九十"
_FORMAT = None


def _fmt():
    global _FORMAT
    if _FORMAT is None:
        _FORMAT = load_pack(rule_files([builtin_rule_dir()]))[1]
    return _FORMAT


def _as_written(lt, key: str, fallback: str) -> str:
    row = lt.rows.get(key)
    if row is None or row.label_cell is None:
        return fallback
    return row.label_cell.text.replace("\n", "")


def seed_blocks(text: str, markdown: bool = False) -> list:
    doc = parse_text(text, markdown=markdown)
    rep = build_report(doc, _fmt())
    headings = {id(h.paragraph): h for h in rep.headings}
    blocks: list = []
    expected = 0  # index of the next numeral Word would render
    auto = True
    tables_done = set()
    for b in doc.blocks:
        if isinstance(b, Table):
            tid = next((t for t, lt in rep.tables.items() if b in lt.raw), None)
            if tid and tid not in tables_done:
                tables_done.add(tid)
                blocks.append(_table(tid, rep.tables[tid]))
            continue
        assert isinstance(b, Paragraph)
        if b is rep.title:
            blocks.append(("title", b.text))
            continue
        h = headings.get(id(b))
        if h is not None:
            if auto and h.numeral == NUMERALS[expected]:
                expected += 1
                rest = b.text[b.text.index(h.numeral) + len(h.numeral) :].lstrip("、.． ")
                blocks.append(("heading", 1, rest))
                continue
            auto = False
            blocks.append(("heading", 1, b.text, {"numbered": False}))
            continue
        blocks.append(("para", b.text))
    return blocks


def _table(tid: str, lt):
    spec = lt.spec
    if tid == "applications":
        rows = []
        official = next(r for r in (APPLICATION_ROWS, TRIAL_APPLICATION_ROWS) if len(r) == len(spec.rows))
        for (main, sub, item), rspec in zip(official, spec.rows):
            r = lt.rows.get(rspec.label)
            if r is None:
                continue
            values = [r.cells[c].text if c in r.cells else "" for c in spec.columns]
            written = _as_written(lt, rspec.label, item or sub or main)
            if item:
                item = written
            elif sub:
                sub = written
            else:
                main = written
            rows.append((main, sub, item, values))
        return applications_table(rows)
    if tid == "review":
        r = lt.rows.get(spec.rows[0].label)
        values = [r.cells[c].text if r and c in r.cells else "" for c in spec.columns]
        return review_table(values)
    blocks = []
    for bspec in spec.blocks:
        if bspec.title not in lt.blocks_seen:
            continue
        headers = [h.cell.text for h in lt.hits if h.kind == "column" and _block_of(lt, h) == bspec.title]
        rows = []
        for label in bspec.rows:
            r = lt.rows.get(label)
            if r is None:
                continue
            rows.append((_as_written(lt, label, label), [r.cells[c].text if c in r.cells else "" for c in bspec.columns]))
        blocks.append((bspec.title, headers or list(bspec.columns), rows))
    return disclosure_table(blocks)


def _block_of(lt, hit) -> str:
    """The block (item title) a header hit belongs to: the last title above it."""
    title = ""
    for h in lt.hits:
        if h.kind == "title" and (h.cell.line, h.cell.col) <= (hit.cell.line, hit.cell.col):
            title = h.canonical
    return title


def seed_docx(seed: Path, out: Path, transform=None) -> Path:
    """Write `out` (.docx) built from the seed text (after `transform(text)` if given)."""
    text = seed.read_text(encoding="utf-8")
    if transform is not None:
        text = transform(text)
    build_docx(seed_blocks(text, markdown=seed.suffix == ".md"), out)
    return out
