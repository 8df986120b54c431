"""The value slots (``LabelledTable.slots``: where the format wants a number and the cell holds
something else, what GX404–GX406 judge) come from the walk that reads the values: a position
that held a number and now holds 「/」, a blank or 「3500元」 is a slot under the column its number
was read under, and nothing else is; a table cut in two by a page break is judged as one.
"""
from __future__ import annotations

import pytest
from conftest import SEED_FILES
from seeddocx import seed_docx

import gxlint.report as R
from gxlint.model import Document, Table
from gxlint.readers import read

PLACEHOLDERS = ("/", "", "－", "—")  # what stands for a number (a dash, a slash, nothing)
TEXTS = ("3500元", "1/2")  # text where a count belongs


def _marked(doc: Document, cells_of: dict[int, object], every: int, offset: int) -> tuple[Document, dict[int, str]]:
    """`doc` with every `every`-th number of its tables replaced by a mark, and id of the number's
    cell -> the mark.  `cells_of`: id(cell) -> the row it was read in; a text mark goes only into
    a row with a label cell (the unlabelled row of 复议诉讼 is found by having nothing but numbers,
    dashes and blanks)."""
    blocks, n, marks = [], 0, {}
    for b in doc.blocks:
        if isinstance(b, Table):
            rows = []
            for r in b.rows:
                cells = []
                for c in r:
                    if R.parse_number(c.text) is not None:
                        if (n + offset) % every == 0:
                            labelled = getattr(cells_of.get(id(c)), "label_cell", None) is not None
                            pool = PLACEHOLDERS + TEXTS if labelled else PLACEHOLDERS
                            marks[id(c)] = pool[(n // every) % len(pool)]
                            c = c.replace(text=marks[id(c)])
                        n += 1
                    cells.append(c)
                rows.append(cells)
            b = Table(rows=rows, line=b.line, grid=b.grid, unplaced=b.unplaced)
        blocks.append(b)
    return doc.replace(blocks=blocks), marks


@pytest.fixture(params=["text", "docx"])
def seed_docs(request, tmp_path):
    out = []
    for seed in SEED_FILES:
        path = seed if request.param == "text" else seed_docx(seed, tmp_path / f"{seed.stem}.docx")
        out.append(read(str(path)))
    return out


@pytest.mark.parametrize("every,offset", [(1, 0), (2, 1), (3, 0), (3, 2), (7, 3)])
def test_a_mark_where_a_number_stood_is_a_slot_under_its_column(linter, seed_docs, every, offset):
    marked_any = 0
    for doc in seed_docs:
        base = R.build_report(doc, linter.format)
        assert base.tables and not any(lt.slots for lt in base.tables.values())  # (the seeds fill every cell)
        cells_of = {id(c): r for lt in base.tables.values() for r in lt.rows.values() for c in r.cells.values()}
        mdoc, marks = _marked(doc, cells_of, every, offset)
        rep = R.build_report(mdoc, linter.format)
        assert rep.tables.keys() == base.tables.keys()
        for tid, lt in base.tables.items():
            got = rep.tables[tid]
            unread = {r.number for r in got.unread_rows}
            # a row loses its reading only where a text mark left a table without grid short of
            # numbers (which column lost its number cannot be told)
            texts = {r.number for r in lt.rows.values() for c in r.cells.values() if marks.get(id(c)) in TEXTS}
            assert unread <= (set() if lt.raw[0].grid else texts), (tid, unread)
            place = {(r, j): c for r, row in enumerate(lt.raw[0].rows) for j, c in enumerate(row)}  # (same places)
            at = {id(c): place[(r, j)] for r, row in enumerate(got.raw[0].rows) for j, c in enumerate(row)}
            slots = {}
            for s in got.slots:
                assert s.row is got.rows[s.row.key]  # the row as read, its other numbers read
                slots.setdefault(s.row.key, []).append((s.column, at[id(s.cell)]))
            for key, r in lt.rows.items():
                if r.number in unread:
                    assert key not in slots  # GX028 names the row; no blank is judged there
                    continue
                want = [(k, c) for k, c in r.cells.items() if id(c) in marks]
                if r.extra:  # a surplus zero beyond the columns, marked too: the columns are not known
                    want = [("", c) for c in [*r.cells.values(), *r.extra] if id(c) in marks]
                    assert sorted(slots.get(key, []), key=_at) in (sorted(want, key=_at), sorted(
                        [(k, c) for k, c in r.cells.items() if id(c) in marks], key=_at)), (tid, key)
                else:
                    assert sorted(slots.get(key, []), key=_at) == sorted(want, key=_at), (tid, key)
                assert got.rows[key].values == {k: v for k, v in r.values.items() if id(r.cells[k]) not in marks}
                marked_any += len(want)
    assert marked_any > 0


def _at(pair) -> tuple:
    return pair[0], pair[1].row, pair[1].column



def _noted(doc: Document, at: float, note: str, cut: bool) -> Document:
    """`doc` with a cell holding `note` right of the last cell of each row from `at` of the rows
    on (a 备注 column beyond the format's) of each table with rows of data well past its header
    (申请情况 and 公开情况, not the one row of 复议诉讼); when `cut`, the table cut in two raw
    tables there (a table over a page break: the second part has no title or header of its own)."""
    blocks = []
    for b in doc.blocks:
        if isinstance(b, Table) and len(b.rows) > 8:
            k = int(len(b.rows) * at)
            rest = [[*r, r[-1].replace(text=note, column=r[-1].column + r[-1].colspan, colspan=1, rowspan=1)]
                    for r in b.rows[k:]]
            if cut:
                blocks += [Table(rows=b.rows[:k], line=b.line, grid=b.grid),
                           Table(rows=rest, line=rest[0][0].line, grid=b.grid)]
            else:
                blocks.append(Table(rows=b.rows[:k] + rest, line=b.line, grid=b.grid))
        else:
            blocks.append(b)
    return doc.replace(blocks=blocks)


def _reading(rep) -> dict:
    """Each table's values, unread rows and slots (cells by text)."""
    return {tid: ({k: r.values for k, r in lt.rows.items()}, [(r.key, r.number, r.unread) for r in lt.unread_rows],
                  [(s.row.key, s.row.number, s.column, s.cell.text if s.cell else None) for s in lt.slots])
            for tid, lt in rep.tables.items()}


@pytest.mark.parametrize("at", [0.4, 0.7])
def test_a_table_over_a_page_break_is_read_as_one(linter, seed_docs, at):
    """The rows after the break are read, and their slots judged, under the block and the header
    above it: a cell beyond the header's columns is no position after the break either."""
    for doc in seed_docs:
        for variant in (doc, _marked(doc, {}, 3, 1)[0]):  # (with no row given: placeholders only)
            whole = _reading(R.build_report(_noted(variant, at, "备注", cut=False), linter.format))
            assert _reading(R.build_report(_noted(variant, at, "备注", cut=True), linter.format)) == whole
