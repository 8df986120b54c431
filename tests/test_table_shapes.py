"""Tables read once per shape (gxlint.report.tables._read_table): a national table whose cells stand where
those of a table read before stand, with the same labels, is copied from that reading with its own
numbers.  What a copy gives must be what reading the table afresh gives: rows, values, labels
found, misspellings, unread rows and the value slots, on the seeds as text and as .docx, with the
numbers changed (the same cells 0) and with every number 0 (other zeros: a surplus beyond the
columns is then judged again).
"""
from __future__ import annotations


import pytest
from conftest import SEED_FILES
from seeddocx import seed_docx

import gxlint.report as R
from gxlint.report import tables as T
from gxlint.model import Document, Table
from gxlint.readers import read


def _dump(rep) -> dict:
    """Everything a table's reading gives, with cells named by their place (table, row, cell)."""
    out = {}
    for tid, lt in rep.tables.items():
        pos = {id(c): (t, i, j) for t, raw in enumerate(lt.raw) for i, r in enumerate(raw.rows) for j, c in enumerate(r)}

        def row(r):
            return (r.key, pos.get(id(r.label_cell)), r.number, [(k, pos[id(c)]) for k, c in r.cells.items()],
                    list(r.values.items()), [pos[id(c)] for c in r.extra], r.block, r.unread)

        out[tid] = {
            "rows": [(k, row(r)) for k, r in lt.rows.items()],
            "hits": [(h.kind, h.canonical, pos[id(h.cell)], h.distance) for h in lt.hits],
            "header_labels": list(lt.header_labels.items()),
            "unknown": [row(r) for r in lt.unknown_rows],
            "unread": [row(r) for r in lt.unread_rows],
            "items": sorted((p, lt.item_offsets[cid]) for cid, p in pos.items() if cid in lt.item_offsets),
            "blocks": list(lt.blocks_seen),
            "slots": [(row(s.row), s.column, None if s.cell is None else pos[id(s.cell)], s.money) for s in lt.slots],
            "line": lt.line,
        }
    return out


def _renumbered(doc: Document, number) -> Document:
    """`doc` with each number of its tables' cells replaced by number(value)."""
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table):
            rows = []
            for r in b.rows:
                cells = []
                for c in r:
                    v = R.parse_number(c.text)
                    cells.append(c if v is None else c.replace(text=str(number(v))))
                rows.append(cells)
            b = Table(rows=rows, line=b.line, grid=b.grid)
        blocks.append(b)
    return doc.replace(blocks=blocks)


def _fresh(doc, fmt) -> dict:
    T._READ.clear()
    rep = R.build_report(doc, fmt)
    assert rep.tables, "the seed's tables are read"
    return _dump(rep)


@pytest.fixture(params=["text", "docx"])
def seed_docs(request, tmp_path):
    out = []
    for seed in SEED_FILES:
        path = seed if request.param == "text" else seed_docx(seed, tmp_path / f"{seed.stem}.docx")
        out.append(read(str(path)))
    return out


@pytest.mark.parametrize("number", [lambda v: v + 1 if v else v, lambda v: 0], ids=["changed", "zeros"])
def test_a_table_of_a_shape_read_before_is_read_as_afresh(linter, seed_docs, number):
    for doc in seed_docs:
        twin = _renumbered(doc, number)
        expected, itself = _fresh(twin, linter.format), _fresh(doc, linter.format)
        T._READ.clear()
        R.build_report(doc, linter.format)  # read, and its shape kept
        assert _dump(R.build_report(doc, linter.format)) == itself
        assert _dump(R.build_report(twin, linter.format)) == expected


def test_the_same_numbers_are_copied_not_read(linter, seed_docs, monkeypatch):
    """A table of a shape read before is not read again (its labels are not matched anew)."""
    for doc in seed_docs:
        twin = _renumbered(doc, lambda v: v + 1 if v else v)
        expected = _fresh(twin, linter.format)
        T._READ.clear()
        R.build_report(doc, linter.format)
        with monkeypatch.context() as m:
            for name in ("_read_grid_table", "_read_block_table", "_group_hits"):
                m.setattr(T, name, lambda lt: pytest.fail("a table of a shape read before was read again"))
            assert _dump(R.build_report(twin, linter.format)) == expected


def _with_surplus(doc: Document, text: str) -> Document:
    """`doc` with one more cell, holding `text`, at the end of the first row of numbers of each table."""
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table):
            rows, done = [], False
            for r in b.rows:
                if not done and sum(R.parse_number(c.text) is not None for c in r) >= 2:
                    last = r[-1]
                    r = [*r, last.replace(text=text, col=last.col + 10, column=last.column + last.colspan,
                                                 colspan=1, rowspan=1)]
                    done = True
                rows.append(r)
            b = Table(rows=rows, line=b.line, grid=b.grid)
        blocks.append(b)
    return doc.replace(blocks=blocks)


def test_a_surplus_number_is_judged_by_its_own_value(linter, seed_docs):
    """A 0 beyond the columns is tolerated, a 5 makes the row unread: a table whose surplus is 5 is
    not copied from one of the same shape whose surplus was 0."""
    for doc in seed_docs:
        zero, five = _with_surplus(doc, "0"), _with_surplus(doc, "5")
        expected = _fresh(five, linter.format)
        assert expected != _fresh(zero, linter.format)  # (the case at hand: the value matters)
        T._READ.clear()
        R.build_report(zero, linter.format)
        assert _dump(R.build_report(five, linter.format)) == expected
