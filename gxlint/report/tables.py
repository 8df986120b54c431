"""The national tables of a report: which raw tables hold them, and each value cell under its
row and column labels (matched by text, tolerating small typos, never by grid position alone).

A row whose numbers cannot be put under the format's columns with confidence is *unread*
(``Row.unread``, ``LabelledTable.unread_rows``): none of its numbers is a value, so no rule does
arithmetic on a misread.

One walk over a table's rows reads it: it finds the headers and, for each row of the format, its
label, its block and its cells, puts the row's numbers under their columns, and keeps the row
(``_DataRow``); the value slots, the positions where the format wants a number and finds none
(``LabelledTable.slots``, what GX404–GX406 judge), are derived from those rows afterwards."""
from __future__ import annotations

from collections import Counter

from ..labels import match, normalize, strip_enum
from ..model import Cell, Table
from ..regex_store import compiled
from ..template import FormatSpec, TableSpec
from .model import LabelHit, LabelledTable, Report, Row, Slot
from .numbers import parse_number

# A raw table is taken for a national table when at least this many of its label cells are labels
# of that table (a prose table that names one or two of them, 「行政许可」, is no national table).
CLASSIFY_MIN_LABELS = 3
# GX028 quotes the label fragments of a table that lost its grid (``_unplaced``) up to this many
# characters, then 「…」: enough to recognise the table, not all its labels in one message.
UNPLACED_QUOTE = 40


def _split_row(row: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(label cells, value cells) of a raw row."""
    labels, values = [], []
    for c in row:
        (values if parse_number(c.text) is not None else labels).append(c)
    return labels, values


class _DataRow:
    """A row of a raw table that holds a row of the format, as the walk found it: row, the Row
    read from it; raw, the raw table; right, its cells right of its label (``_right_of``): where
    its value slots are looked for; columns, the format's columns for it; by_grid, grid column ->
    column of the header above it (None: not known); money, whether its block counts money
    (``BlockSpec.money``: a set of columns, or True/False for the whole block)."""

    __slots__ = ("row", "raw", "right", "columns", "by_grid", "money")

    def __init__(self, row: Row, raw: Table, right: list[Cell], columns: list[str], by_grid: dict[int, str] | None,
                 money):
        self.row = row
        self.raw = raw
        self.right = right
        self.columns = columns
        self.by_grid = by_grid
        self.money = money


def _classify(table: Table, fmt: FormatSpec) -> TableSpec | None:
    """The national table a raw table holds, judged by how many labels match."""
    best, best_score = None, 0
    frags = [strip_enum(c.text) for row in table.rows for c in row if parse_number(c.text) is None]
    frags = [f for f in frags if f]
    for spec in fmt.tables:
        names = spec.known_labels
        score = sum(1 for f in frags if f in names)
        if score > best_score:
            best, best_score = spec, score
    return best if best_score >= CLASSIFY_MIN_LABELS else None


def find_tables(rep: Report) -> None:
    assigned: dict[str, list[Table]] = {}
    for t in rep.doc.tables():
        spec = _classify(t, rep.fmt)
        if spec is not None:
            assigned.setdefault(spec.id, []).append(t)
    for spec in rep.fmt.tables:
        raws = assigned.get(spec.id)
        if raws:
            rep.tables[spec.id] = _read_table(spec, raws)


# Tables read before, by shape: reports drafted from one template have tables alike in all but
# their numbers, and reading one (matching every label, placing every number) is most of the
# cost of building a report.  Key: the spec and, cell by cell, its position, span and text, a
# number standing as None (what reading does with a number does not depend on its value, only
# on there being one; where it also depends on which numbers are 0, a surplus beyond the
# columns, the zeros are compared too).  Value: (spec, the table as read, zeros or None).
_READ: dict = {}
# Shapes kept (then all are forgotten at once): a template's reports need three, one a national
# table; 32 hold the templates of a batch drawn from a few offices, at a few hundred KB.
_READ_SIZE = 32


def _read_table(spec: TableSpec, raws: list[Table]) -> LabelledTable:
    """The national table `spec` in `raws`: read, or copied from a table of the same shape."""
    shape, zeros, count = [], [], 0
    for raw in raws:
        rows = []
        for r in raw.rows:
            nums = [parse_number(c.text) for c in r]
            rows.append(tuple([(c.row, c.column, c.rowspan, c.colspan, c.text if v is None else None)
                               for c, v in zip(r, nums)]))
            zeros += [not v for v in nums if v is not None]
            count += len(r)
        shape.append((raw.grid, tuple(rows), tuple(raw.unplaced)))
    key = (id(spec), tuple(shape))
    zeros = tuple(zeros)
    got = _READ.get(key)
    if got is not None and got[0] is spec and (got[2] is None or got[2] == zeros):
        return _copy_table(got[1], raws)
    lt = LabelledTable(spec=spec, raw=raws, line=raws[0].line)
    lt.slots = _slots(_read_block_table(lt) if spec.blocks else _read_grid_table(lt))
    _group_hits(lt)
    _unplaced(lt)
    if len({id(c) for raw in raws for r in raw.rows for c in r}) == count:  # (each cell once: copies map them)
        if len(_READ) >= _READ_SIZE:
            _READ.clear()
        _READ[key] = (spec, lt, zeros if lt.memo.get("zeros read") else None)
    return lt


def _unplaced(lt: LabelledTable) -> None:
    """What the reader saw of a raw table but could not place (``Table.unplaced``: label fragments
    of a table that reached text without its grid) is one unread row without a label per raw
    table: GX028 names it, and no row or column is judged missing there."""
    for raw in lt.raw:
        if raw.unplaced:
            text = "、".join(t for _, t in raw.unplaced)
            text = text if len(text) <= UNPLACED_QUOTE else text[:UNPLACED_QUOTE] + "…"
            lt.unread_rows.append(Row(key="", label_cell=None, number=raw.unplaced[0][0] + 1,
                                      unread=f"{text}无法归入行列"))


def _copy_table(t: LabelledTable, raws: list[Table]) -> LabelledTable:
    """What reading `raws` gives, from `t`, a table of the same shape as read: the same rows,
    labels and hits on the cells at the same places of `raws`, the values of `raws`' numbers."""
    cell_of = {id(o): n for old, new in zip(t.raw, raws) for ro, rn in zip(old.rows, new.rows) for o, n in zip(ro, rn)}
    rows: dict[int, Row] = {}

    def row(r: Row) -> Row:
        got = rows.get(id(r))
        if got is None:
            cells = {k: cell_of[id(c)] for k, c in r.cells.items()}
            got = rows[id(r)] = Row(
                key=r.key, label_cell=None if r.label_cell is None else cell_of[id(r.label_cell)], number=r.number,
                cells=cells, values={k: parse_number(cells[k].text) for k in r.values},
                extra=[cell_of[id(c)] for c in r.extra], block=r.block, unread=r.unread,
            )
        return got

    lt = LabelledTable(
        spec=t.spec, raw=raws, line=raws[0].line,
        rows={k: row(r) for k, r in t.rows.items()},
        hits=[LabelHit(h.kind, h.canonical, cell_of[id(h.cell)], h.distance) for h in t.hits],
        header_labels=Counter(t.header_labels),
        unknown_rows=[row(r) for r in t.unknown_rows],
        unread_rows=[row(r) for r in t.unread_rows],
        item_offsets={id(cell_of[k]): v for k, v in t.item_offsets.items()},
        blocks_seen=list(t.blocks_seen),
        # (where a number is wanted and none stands depends on the shape alone)
        slots=[Slot(row(x.row), x.column, None if x.cell is None else cell_of[id(x.cell)], x.money) for x in t.slots],
    )
    return lt


def _match_row(lt: LabelledTable, labels: list[Cell], candidates: list[str]) -> tuple[str, Cell, int] | None:
    """Row label among the label cells of a row (the most specific, i.e. last, first)."""
    alias_of = lt.spec.aliases
    pool = candidates + list(alias_of)
    for cell in reversed(labels):
        m = match(cell.text, pool)
        if m is None and (tail := _flattened_tail(cell.text)):
            m = match(tail, pool)  # 「（三）不予公开 1.属于国家秘密」: group and item in one cell
            if m is not None:
                lt.item_offsets[id(cell)] = len(cell.text.split("\n", 1)[0].rstrip()) - len(tail)
        if m is not None:
            key = alias_of.get(m.canonical, m.canonical)
            return key, cell, m.distance if m.canonical not in alias_of else 0
    return None


# an enumerator inside a label, after some text: where a flattened label's item starts; a group's
# is 「（一）」 to 「（九十九）」 (at most three numerals), an item's 「1.」 to 「99.」 (no table has more)
_INNER_ENUM = compiled(r"(?<=\S)\s*(?=(?:[（(][一二三四五六七八九十]{1,3}[)）]|(?<![\d.])\d{1,2}[.．、](?!\d)))")


def _flattened_tail(text: str) -> str:
    """The item of a label that holds its group too (「三、本年度办理结果（一）予以公开」 →
    「（一）予以公开」), or "" when the label holds one item only."""
    parts = _INNER_ENUM.split(text.split("\n", 1)[0].strip())
    return parts[-1] if len(parts) > 1 else ""


def _is_group_label(lt: LabelledTable, cell: Cell) -> bool:
    pool = lt.memo.get("group pool")
    if pool is None:
        pool = lt.memo["group pool"] = tuple(lt.spec.row_groups + lt.spec.header_groups + lt.spec.group_names)
    return match(cell.text, pool) is not None


def _add_row(lt: LabelledTable, row: Row, hit: tuple[str, Cell, int] | None) -> None:
    if row.unread:
        lt.unread_rows.append(row)
    if hit is not None:
        key, cell, dist = hit
        lt.hits.append(LabelHit("row", key, cell, dist))
        if key not in lt.rows:
            lt.rows[key] = row
        return
    lt.unknown_rows.append(row)


def _positions(r: list[Cell], label: Cell | None) -> list[Cell]:
    """The cells of a row that stand where numbers go: its numbers, and the blanks and dashes
    right of its label (of a row without one: anywhere).  A 「/」 holds a column's place."""
    return [
        c for c in r
        if parse_number(c.text) is not None or (_placeholder(c) and (label is None or c.column > label.column))
    ]


def _assign_values(lt: LabelledTable, row: Row, r: list[Cell], columns: list[str],
                   by_grid: dict[int, str] | None) -> None:
    """Put the positions (``_positions``) of the raw row `r` under their columns: by header grid
    position when known (a blank outside the header's columns is no position), else in order when
    there are as many as columns (surplus zeros tolerated).  Only a number gets a value.
    Positions that cannot be put under columns with confidence (too few: which one is missing?;
    a surplus that is not zero) give the row no value at all, and ``row.unread`` says why."""
    cells = _positions(r, row.label_cell)
    nums = [parse_number(c.text) for c in cells]
    if by_grid and row.label_cell is not None and any(v is not None for v in nums) and _ragged(r, by_grid):
        row.unread = "单元格少于表格的列"
        return
    if by_grid:
        placed = [(c, by_grid.get(c.column), v) for c, v in zip(cells, nums) if v is not None or c.column in by_grid]
        keys = [k for _, k, _ in placed]
        if all(keys) and len(set(keys)) == len(keys):
            for c, k, v in placed:
                row.cells[k] = c
                if v is not None:
                    row.values[k] = v
            return
    n = len(columns)
    row.extra = [c for c, v in zip(cells[n:], nums[n:]) if v is not None]
    if row.extra:
        lt.memo["zeros read"] = True  # which numbers are 0 told this reading (see _read_table)
    surplus = any(v for v in nums[n:] if v is not None)
    short = len(cells) < n and any(v is not None for v in nums)
    if columns and (short or surplus):  # (a row of nothing but blanks is no misread: GX404's)
        row.unread = f"有{len(cells)}个数，格式为{n}列"
        return
    for c, k, v in zip(cells, columns, nums):
        row.cells[k] = c
        if v is not None:
            row.values[k] = v


def _ragged(r: list[Cell], by_grid: dict[int, str]) -> bool:
    """A row of a grid table that stops short of the header's columns (a Word row that lost a
    cell): its numbers stand under columns by position, but which one was lost cannot be told.
    Its last cell counts whatever it holds: a row whose last column says 「1/2」 lost no cell."""
    return max(c.column + c.colspan for c in r) <= max(by_grid)


def _read_block_table(lt: LabelledTable) -> list[_DataRow]:
    """Read a table of blocks (公开情况: an item title, a 信息内容 header, rows): its values, and its
    rows of the format for the value slots.  A block and its header hold over into the next raw
    table (a table over a page break)."""
    spec = lt.spec
    titles = [b.title for b in spec.blocks]
    block = None
    by_grid: dict[int, str] | None = None
    data: list[_DataRow] = []
    for raw in lt.raw:
        for r in raw.rows:
            labels, values = _split_row(r)
            if not values:
                if not labels:
                    continue
                m = match(labels[0].text, titles)
                if m is not None:
                    block = spec.blocks[titles.index(m.canonical)]
                    lt.blocks_seen.append(block.title)
                    lt.hits.append(LabelHit("title", m.canonical, labels[0], m.distance))
                    by_grid = None
                    continue
                if block is not None and match(labels[0].text, [spec.header]) is not None:
                    by_grid = {} if raw.grid else None
                    for cell in labels[1:]:
                        hm = match(cell.text, block.columns, lenient=True)
                        if hm is None:
                            continue
                        lt.hits.append(LabelHit("column", hm.canonical, cell, hm.distance))
                        lt.header_labels[(block.title, hm.canonical)] += 1
                        if by_grid is not None:
                            for g in range(cell.column, cell.column + cell.colspan):
                                by_grid[g] = hm.canonical
                    continue
            hit = _match_row(lt, labels, block.rows if block else spec.row_labels())
            if hit is None and (block is None or not values):
                continue  # no row of the format, and no number: a note, not a row
            row = Row(key=hit[0] if hit else "", label_cell=hit[1] if hit else (labels[0] if labels else None),
                      number=r[0].row + 1, block=block.title if block else "")
            cols = block.columns if block else []
            _assign_values(lt, row, r, cols, by_grid)
            _add_row(lt, row, hit)
            if hit is not None:  # (a row of unknown label has no slot: which columns would it have?)
                b = block or next(b for b in spec.blocks if hit[0] in b.rows)
                data.append(_DataRow(row, raw, _right_of(lt, r, hit[1]), b.columns, by_grid, b.money))
    return data


def _header_leaves(raw: Table, header_rows: list[list[Cell]]) -> dict[int, tuple[Cell, Cell | None]]:
    """Grid column -> (leaf header cell, the group cell above it) for a grid table."""
    if not header_rows:
        return {}
    cover: dict[tuple[int, int], Cell] = {}
    first, last = header_rows[0][0].row if header_rows[0] else 0, 0
    for row in header_rows:
        for c in row:
            for rr in range(c.row, c.row + c.rowspan):
                for cc in range(c.column, c.column + c.colspan):
                    cover[(rr, cc)] = c
            last = max(last, c.row)
    out = {}
    cols = {cc for (_, cc) in cover}
    for cc in cols:
        leaf = cover.get((last, cc))
        if leaf is None:
            continue
        group = None
        for rr in range(leaf.row - 1, first - 1, -1):
            g = cover.get((rr, cc))
            if g is not None and g is not leaf:
                group = g
                break
        out[cc] = (leaf, group)
    return out


def _read_grid_table(lt: LabelledTable) -> list[_DataRow]:
    """Read a table of rows × columns (申请情况, 复议诉讼: headers first, then data rows): its
    values, and its rows of the format for the value slots (those of the unlabelled row: the
    one row taken as it, see below)."""
    spec = lt.spec
    leaf_names = list(dict.fromkeys(spec.leaves))
    header_pool = leaf_names + spec.group_names + spec.header_groups
    row_candidates = spec.row_labels()
    unlabelled = next((r.label for r in spec.rows if r.unlabelled), None)
    data: list[_DataRow] = []
    loose: list[_DataRow] = []  # the rows read as the unlabelled row
    for raw in lt.raw:
        header_rows: list[list[Cell]] = []
        by_grid: dict[int, str] | None = None
        seen_data = False
        for r in raw.rows:
            labels, values = _split_row(r)
            hit = _match_row(lt, labels, row_candidates) if row_candidates else None
            if not values and not _valueless_row(lt, r, hit, unlabelled):
                if not seen_data:
                    header_rows.append(r)
                    for cell in labels:
                        hm = match(cell.text, header_pool)
                        if hm is not None and hm.canonical in leaf_names:
                            lt.hits.append(LabelHit("column", hm.canonical, cell, hm.distance))
                            lt.header_labels[hm.canonical] += 1
                continue
            if not seen_data:
                seen_data = True
                if raw.grid:
                    by_grid = _grid_columns(spec, raw, header_rows)
            if hit is None and unlabelled and all(_is_group_label(lt, c) or _placeholder(c) for c in labels):
                row = Row(key=unlabelled, label_cell=None, number=r[0].row + 1)
                _assign_values(lt, row, r, spec.columns, by_grid)
                if row.unread:
                    lt.unread_rows.append(row)
                taken = lt.rows.get(unlabelled)
                if taken is None or (row.values and not taken.values):  # not a blank row above the numbers
                    lt.rows[unlabelled] = row
                loose.append(_DataRow(row, raw, _right_of(lt, r, None), spec.columns, by_grid, False))
                data.append(loose[-1])
                continue
            label_cell = hit[1] if hit else next((c for c in reversed(labels) if not _is_group_label(lt, c)), None)
            row = Row(key=hit[0] if hit else "", label_cell=label_cell, number=r[0].row + 1)
            _assign_values(lt, row, r, spec.columns, by_grid)
            if hit is None and label_cell is None:
                if row.values or row.unread:  # numbers, and nothing to say which row they are
                    row.unread = "行标签为空"
                    row.values.clear()
                    lt.unread_rows.append(row)
                continue
            _add_row(lt, row, hit)
            if hit is not None:  # (a row of unknown label has no slot: which row would it be?)
                data.append(_DataRow(row, raw, _right_of(lt, r, hit[1]), spec.columns, by_grid, False))
    # of the rows read as the unlabelled row, the one taken (not a blank row above the numbers),
    # if any of its cells stands under a column
    taken = lt.rows.get(unlabelled) if unlabelled else None
    dropped = {id(d) for d in loose if d.row is not taken or not taken.cells}
    data = [d for d in data if id(d) not in dropped]
    for raw in lt.raw:
        _slot_columns([d for d in data if d.raw is raw], spec.columns)
    return data


def _slot_columns(data: list[_DataRow], columns: list[str]) -> None:
    """The grid columns of the value slots of the data rows of one raw table (a grid table): the
    grid columns of the numbers and dashes of all its rows when there are as many as the format
    has columns, else those of the header labels (``_grid_columns``), else none."""
    if not data or not data[0].raw.grid:
        return
    used = sorted({c.column for d in data for c in d.right if parse_number(c.text) is not None or _placeholder(c)})
    by_grid = dict(zip(used, columns)) if len(used) == len(columns) else data[0].by_grid
    for d in data:
        d.by_grid = by_grid


def _valueless_row(lt: LabelledTable, r: list[Cell], hit: tuple[str, Cell, int] | None, unlabelled: str | None) -> bool:
    """A row of no number that is a data row all the same: a row label and, where the numbers go,
    blanks, dashes or text (「总计 | / | / …」) but no column label (a header: 「… | 其他」 names a
    column); or, in a table whose row has no label, nothing but blanks and dashes."""
    if hit is not None:
        pool = lt.memo.get("header pool")
        if pool is None:
            pool = lt.memo["header pool"] = tuple(lt.spec.leaves + lt.spec.group_names + lt.spec.header_groups)
        return not any(c is not hit[1] and not _placeholder(c) and match(c.text, pool) is not None for c in r)
    return unlabelled is not None and bool(r) and all(_placeholder(c) for c in r)


def _grid_columns(spec: TableSpec, raw: Table, header_rows: list[list[Cell]]) -> dict[int, str] | None:
    """Grid column -> column key, from the header cells above each column."""
    leaves = _header_leaves(raw, header_rows)
    out: dict[int, str] = {}
    group_names = spec.group_names
    leaf_of = dict(zip(spec.columns, spec.leaves))
    for cc, (leaf, group) in leaves.items():
        cands = spec.columns
        gname = ""
        if group is not None and group_names:
            gm = match(group.text, group_names)
            gname = gm.canonical if gm else ""
            if not gname:  # 「行政诉讼（复议后起诉）」: the one group name the cell holds
                inside = [g for g in group_names if normalize(g) in normalize(group.text)]
                gname = inside[0] if len(inside) == 1 else ""
        if gname:
            cands = [k for k, g in zip(spec.columns, spec.groups) if g == gname]
        lm = match(leaf.text, [leaf_of[k] for k in cands], lenient=True)
        if lm is None:
            continue
        key = next(k for k in cands if leaf_of[k] == lm.canonical)
        out[cc] = key
    return out or None


# --------------------------------------------------------------------------- group labels


def _group_hits(lt: LabelledTable) -> None:
    """Hits for the labels that name a group of rows or columns (申请人情况, 法人或其他组织,
    不予公开 …) and for the 信息内容 header, so that a misspelt one is reported like any other
    label.  A fragment of a label torn apart in extraction (「本年度办理结」 + 「果」) is no misspelling."""
    spec = lt.spec
    column_groups = spec.group_names + spec.header_groups
    row_groups = spec.row_groups + ([spec.header] if spec.header else [])
    if not column_groups + row_groups:
        return
    seen = {id(h.cell) for h in lt.hits}
    pool = tuple(column_groups + row_groups)
    for raw in lt.raw:
        for r in raw.rows:
            for c in r:
                if id(c) in seen or parse_number(c.text) is not None:
                    continue
                m = match(c.text, pool)
                if m is None:
                    continue
                written, canonical = strip_enum(c.text), strip_enum(m.canonical)
                if m.distance and (canonical.startswith(written) or canonical.endswith(written)):
                    continue  # a torn fragment
                lt.hits.append(LabelHit("column" if m.canonical in column_groups else "row", m.canonical, c, m.distance))

def _slots(data: list[_DataRow]) -> list[Slot]:
    """Every position of the rows `data` (of a table, as read) where the format wants a number but
    the cell holds something else.

    A row's positions are its cells right of its label when there are as many as the format has
    columns; else, in a grid table, the grid columns of the header labels (block tables) or of the
    numbers and dashes of all the rows (``_slot_columns``); a row with nothing right of its label
    whose positions are not known is one position.  An unread row has none: GX028 names it once,
    and no blank is judged there.
    """
    out: list[Slot] = []
    for d in data:
        row, right, columns, by_grid, money = d.row, d.right, d.columns, d.by_grid, d.money
        if row.unread:
            continue
        if len(right) == len(columns):
            pairs = list(zip(columns, right))
        elif d.raw.grid and by_grid:
            pairs, keys = [], set()
            for g, key in sorted(by_grid.items()):
                if key not in keys:
                    keys.add(key)
                    pairs.append((key, next((c for c in right if c.column <= g < c.column + c.colspan), None)))
        else:  # positions not known: the cells as they come, or the label alone (a text row of blanks)
            pairs = [("", c) for c in right] or [("", None)]
        out += [Slot(row, key, c, money if isinstance(money, bool) else key in money)
                for key, c in pairs if c is None or parse_number(c.text) is None]
    return out


def _right_of(lt: LabelledTable, r: list[Cell], label: Cell | None) -> list[Cell]:
    """The cells of a row right of its label cell (of a row without one: all but group labels)."""
    if label is None:
        return [c for c in r if parse_number(c.text) is not None or not _is_group_label(lt, c)]
    return [c for c in r if c is not label and c.column > label.column]


def _placeholder(cell: Cell) -> bool:
    """A cell that stands where a number should: empty, or dashes and slashes only."""
    return not normalize(cell.text).strip("/\\-－—–―_")
