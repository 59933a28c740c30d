"""A table continued on the next page, printed over a different grid than its first page.

The PDF reader joins continuations whose column borders match; report building joins the
rest when the caption says it is the same table. Between them sit continuations whose
columns are the same in meaning but not in place: the 类 | 款 | 项 sub-columns left out, or
a Word export's finer grid (codes, names and amounts in other grid columns; on a list with no
codes, such as a 政府采购 list by 品目, the first page's spacer columns that no row fills).
``align`` widens such a continuation to its first part's columns, by each column's role.
"""
from __future__ import annotations

import re

from kg.extract.amounts import is_number
from kg.extract.layout import Table
from kg.extract.normalize import squash

_CODE = re.compile(r"\d{3,7}")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def align(before: Table, table: Table) -> Table:
    """``table`` laid out on ``before``'s columns when it is a headerless continuation of it
    (its first row a coded line); unchanged otherwise."""
    if not table.rows:
        return table
    if not _CODE.fullmatch(squash(table.rows[0][0] if table.rows[0] else "")):
        return _by_filled_columns(before, table)
    aligned = _by_roles(before, table)
    if aligned is table and table.width < before.width:
        return _without_code_columns(before, table)
    return aligned


_TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计)$")


def _by_filled_columns(before: Table, table: Table) -> Table:
    """A narrower continuation with no codes laid out on the columns its first part fills: the
    first part's body (from its first row with a figure, its 合计 row aside, whose figure may sit
    astride two columns) fills exactly as many columns as the continuation has, in the same order,
    with figures where the continuation has figures. Unchanged otherwise."""
    if table.width >= before.width:
        return table
    start = next((i for i, row in enumerate(before.rows) if any(is_number(c) for c in row)), None)
    if start is None:
        return table
    body = [row for row in before.rows[start:] if not any(_TOTAL_LABEL.match(squash(c)) for c in row if c.strip())]
    filled = [c for c in range(before.width) if any(c < len(row) and row[c].strip() for row in body)]
    if len(filled) != table.width or len(body) < 2:
        return table

    def figures(rows, column):
        cells = [row[column] for row in rows if column < len(row) and row[column].strip()]
        return bool(cells) and all(is_number(c) for c in cells)

    if any(figures(body, theirs) != figures(table.rows, ours) for ours, theirs in enumerate(filled)):
        return table
    rows = []
    for row in table.rows:
        out = [""] * before.width
        for ours, cell in enumerate(row):
            out[filled[ours]] = cell
        rows.append(out)
    return Table(rows, list(table.row_pages), list(table.row_lines))


def _without_code_columns(before: Table, table: Table) -> Table:
    """The first page prints 类 | 款 | 项 under 科目编码, left empty on every coded row there;
    the continuation leaves them out: widen it by those empty columns."""
    missing = before.width - table.width
    coded = [row for row in before.rows if row and _CODE.fullmatch(squash(row[0]))]
    if not coded or any(any(squash(c) for c in row[1:1 + missing]) for row in coded):
        return table
    rows = [row[:1] + [""] * missing + row[1:] for row in table.rows]
    return Table(rows, table.row_pages, table.row_lines).pad()


def _roles(table: Table) -> tuple[int | None, int | None, list[int]] | None:
    """(code column, name column, amount columns) read from the coded rows."""
    coded = [row for row in table.rows if any(_CODE.fullmatch(squash(c)) for c in row[:2])]
    if len(coded) < 2:
        return None
    width = table.width
    codes = [sum(1 for row in coded if c < len(row) and _CODE.fullmatch(squash(row[c]))) for c in range(width)]
    names = [sum(1 for row in coded if c < len(row) and _CJK.search(row[c]) and not is_number(row[c]))
             for c in range(width)]
    code = max(range(width), key=codes.__getitem__)
    name = max(range(width), key=names.__getitem__)
    amounts = [c for c in range(width) if c not in (code, name) and
               any(c < len(row) and is_number(row[c]) and not _CODE.fullmatch(squash(row[c])) for row in table.rows)]
    if not codes[code] or not names[name] or not amounts or code == name:
        return None
    return code, name, amounts


def _by_roles(before: Table, table: Table) -> Table:
    """Codes, names and amounts of the continuation moved under the columns of the first part
    holding the same (amount columns in order, as many on both)."""
    theirs, ours = _roles(before), _roles(table)
    if theirs is None or ours is None or len(theirs[2]) != len(ours[2]):
        return table
    target = {ours[0]: theirs[0], ours[1]: theirs[1], **dict(zip(ours[2], theirs[2]))}
    if target == {c: c for c in target} and table.width == before.width:
        return table
    rows = []
    for row in table.rows:
        kept = [c for c in range(len(row)) if row[c].strip() and c not in target]
        if kept:
            return table  # text in a column with no counterpart: not the same table's layout
        out = [""] * before.width
        for c, cell in enumerate(row):
            if cell.strip():
                out[target[c]] = cell
        rows.append(out)
    return Table(rows, list(table.row_pages), list(table.row_lines))
