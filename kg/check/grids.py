"""Rules on tables the reader did not turn into budget tables (``Report.grids``): procurement
lists by unit, project lists, the funding rows of self-evaluation forms, tables of any other
regional shape. They are read by shape alone (``kg.check.grid_shape``): a 合计 row against the
rows it totals, column by column; a total column against the columns that add up to it on the
other rows; a row left blank inside a table whose 合计 still counts it.

As with the budget tables, a reading is trusted only where the table keeps it elsewhere: a 合计
row is compared only when most of its columns add up, a column relation only when (nearly) every
row keeps it. Where nothing holds the table is another shape, and these rules stay silent.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, rule, tolerance, wan
from kg.check.grid_shape import Row, Segment, segments, signature
from kg.check.shape import holds, relations
from kg.model import Amount, BudgetLine, Grid, Report

_TOTAL_HEADER = re.compile(r"合计|总计|小计|总额|合\s*计")


def _where(grid: Grid, page: int | None) -> str:
    return f"{grid.title or '表'}（第{page}页）" if page else (grid.title or "表")


def _sum(amounts: list[Amount]) -> Decimal:
    return sum((a.value for a in amounts), Decimal(0))


def _adds_up(total: Amount, parts: list[Amount]) -> bool:
    return bool(parts) and abs(total.value - _sum(parts)) <= tolerance(total, parts)


def _top_level(rows: list[Row], column: int) -> list[Amount]:
    """The rows of a two-level list read in ``column``: a row followed by rows adding up to it
    (a unit and its items, a project and its parts) counts once, its items not."""
    out: list[Amount] = []
    i = 0
    while i < len(rows):
        head = rows[i].values.get(column)
        if head is not None:
            out.append(head)
        step = 1
        if head is not None and head.value:
            running: list[Amount] = []
            for k in range(i + 1, min(len(rows), i + 60)):
                value = rows[k].values.get(column)
                if value is not None:
                    running.append(value)
                if running and _adds_up(head, running):
                    step = k - i + 1
                    break
        i += step
    return out


def _aligned(row: Row, other: Row) -> bool:
    return not row.values or row.aligned(other)


def _readings(segment: Segment, total: Row, column: int) -> list[list[Amount]]:
    """Ways the rows may make up the total: all of them; those whose name sits in the total's
    column (the upper level of a list whose items are indented); its 小计 rows; the upper level
    of a list whose groups add up. Rows printed off the total's columns are not its parts."""
    aligned = [r for r in segment.parts if _aligned(r, total)]
    level = [r for r in aligned if r.label_column == total.label_column]
    first = [r for r in aligned if aligned and signature(r) == signature(aligned[0])]
    subtotals = [r for r in segment.rows if r.kind == "subtotal" and _aligned(r, total)]
    readings = [[r.values[column] for r in rows if column in r.values] for rows in (aligned, level, first, subtotals)]
    readings.append(_top_level(aligned, column))
    return [r for r in readings if r]


def _column_checks(segment: Segment, total: Row) -> list[tuple[int, Amount, list[Amount] | None]]:
    """Per money column of the total row: (column, total, None where some reading adds up, else
    the flat parts)."""
    checks = []
    for column, amount in total.values.items():
        readings = _readings(segment, total, column)
        if not readings and any(r.kind == "blank" for r in segment.rows):
            readings = [[Amount(Decimal(0), "0", amount.unit)]]  # every row under the total left blank
        if not readings:
            continue
        ok = any(_adds_up(amount, parts) for parts in readings)
        checks.append((column, amount, None if ok else readings[0]))
    return checks


def _blank_inside(segment: Segment) -> Row | None:
    """A row with a name and no figure printed after the first row of figures."""
    data = [i for i, r in enumerate(segment.rows) if r.kind != "blank"]
    if not data:
        return None
    return next((r for i, r in enumerate(segment.rows) if r.kind == "blank" and i > data[0]), None)


def _totalled(segment: Segment) -> list[tuple[Row, Segment]]:
    """Each 合计 row with the rows it totals: all the segment's rows when it prints one; else the
    rows up to each 合计 (or from it, when the segment opens with one)."""
    totals = segment.totals
    if len(totals) <= 1:
        return [(totals[0], segment)] if totals else []
    out, rows = [], segment.rows
    first = rows.index(totals[0]) == 0
    marks = [rows.index(t) for t in totals]
    for k, at in enumerate(marks):
        span = rows[at:marks[k + 1] if k + 1 < len(marks) else len(rows)] if first else \
            rows[(marks[k - 1] + 1 if k else 0):at + 1]
        out.append((totals[k], Segment(segment.columns, span)))
    return out


@rule("grid.column_sum", "非标准格式的表（按单位、按项目列示，自评表资金行等）：合计行=其余各行之和（逐列；多数列成立时才比较）")
def column_sums(report: Report) -> Iterator[Finding]:
    for grid in report.grids:
        for total, segment in (t for whole in segments(grid) for t in _totalled(whole)):
            if not any(r.kind == "part" for r in segment.rows):
                continue
            checks = _column_checks(segment, total)
            failed = [c for c in checks if c[2] is not None]
            held = len(checks) - len(failed)
            if not failed:
                continue
            blank = _blank_inside(segment)
            if blank is not None and all(amount.value > _sum(parts) for _, amount, parts in failed):
                continue  # reported by grid.blank_row
            if held < 1 or held < len(failed):
                continue  # the rows are not the total's parts in most columns: another shape
            for column, amount, parts in failed:
                yield _finding("grid.column_sum", grid, segment, total, column, amount, parts)


@rule("grid.blank_row", "非标准格式的表中间有一行没有金额，而合计行仍比其余各行之和多出（该行的数被删去）")
def blank_rows(report: Report) -> Iterator[Finding]:
    for grid in report.grids:
        for total, segment in (t for whole in segments(grid) for t in _totalled(whole)):
            blank = _blank_inside(segment)
            if blank is None:
                continue
            failed = [c for c in _column_checks(segment, total) if c[2] is not None]
            if not failed or not all(amount.value > _sum(parts) for _, amount, parts in failed):
                continue
            column, amount, parts = failed[0]
            gap = amount.value - _sum(parts)
            name = segment.columns.get(column) or f"第{column + 1}列"
            yield Finding("grid.blank_row", "error",
                          f"{_where(grid, blank.page)}：“{blank.label}”一行没有金额，但合计行（{name}）"
                          f"{amount.printed}{amount.unit}比其余各行之和多{_printed(gap, amount)}（第{total.page}页）"
                          f" / row left blank while the total still counts it",
                          [Side(f"{grid.title} {blank.label}", None, blank.page, blank.line, blank.label),
                           Side(f"{grid.title} {total.label}（{name}）", amount.value, total.page, total.line,
                                f"{total.label} {amount.printed}")],
                          expected=_sum(parts), observed=amount.value, entity=grid.title)


@rule("grid.blank_total", "非标准格式的表：合计（资金总额）行未印金额，而其下各行印有金额（合计被删去）")
def blank_totals(report: Report) -> Iterator[Finding]:
    for grid in report.grids:
        for segment in segments(grid):
            total = segment.blank_total
            parts = [r for r in segment.parts if r.values]
            if total is None or segment.totals or not parts or not any(a.value for r in parts for a in r.values.values()):
                continue
            column = min(c for r in parts for c in r.values)
            amounts = [r.values[column] for r in parts if column in r.values]
            yield Finding("grid.blank_total", "error",
                          f"{_where(grid, total.page)}：“{total.label}”一行没有金额，其下各行合计"
                          f"{_printed(_sum(amounts), amounts[0])}（第{'、'.join(str(p) for p in sorted({r.page for r in parts if r.page}))}页）"
                          f" / total row left blank over rows that print amounts",
                          [Side(f"{grid.title} {total.label}", None, total.page, total.line, total.label),
                           *[Side(f"{grid.title} {r.label}", r.values[column].value, r.page, r.line,
                                  f"{r.label} {r.values[column].printed}") for r in parts if column in r.values]],
                          expected=_sum(amounts), observed=Decimal(0), entity=grid.title)


def _printed(value: Decimal, like: Amount) -> str:
    from kg.extract.amounts import UNIT_FACTORS

    return f"{format((value / UNIT_FACTORS.get(like.unit, Decimal(1))).normalize(), 'f')}{like.unit}"


def _finding(rule_id: str, grid: Grid, segment: Segment, total: Row, column: int, amount: Amount,
             parts: list[Amount]) -> Finding:
    name = segment.columns.get(column) or f"第{column + 1}列"
    observed = _sum(parts)
    rows = [r for r in segment.rows if r.kind == "part" and column in r.values]
    pages = sorted({r.page for r in rows if r.page})
    return Finding(rule_id, "error",
                   f"{_where(grid, total.page)}：{total.label}（{name}）为{amount.printed}{amount.unit}，"
                   f"但各行之和为{_printed(observed, amount)}（第{'、'.join(map(str, pages))}页，"
                   f"相差{_printed(amount.value - observed, amount)}） / total row ≠ sum of rows",
                   [Side(f"{grid.title} {total.label}（{name}）", amount.value, total.page, total.line,
                         f"{total.label} {amount.printed}"),
                    *[Side(f"{grid.title} {r.label}（{name}）", r.values[column].value, r.page, r.line,
                           f"{r.label} {r.values[column].printed}") for r in rows]],
                   expected=observed, observed=amount.value, entity=grid.title)


def _lines(segment: Segment) -> list[BudgetLine]:
    return [BudgetLine(name=r.label, values={str(c): a for c, a in r.values.items()}, page=r.page, line=r.line)
            for r in segment.rows if r.kind != "blank"]


@rule("grid.row_sum", "非标准格式的表：每行 合计列=其分列之和（列关系从本表几乎每一行读出）")
def row_sums(report: Report) -> Iterator[Finding]:
    for grid in report.grids:
        for segment in segments(grid):
            lines = _lines(segment)
            columns = [str(c) for c in segment.columns]
            if len(lines) < 3 or len(columns) < 3:
                continue
            found = [r for r in relations(lines, columns, columns) if len(r.parts) >= 2 and (
                _TOTAL_HEADER.search(segment.columns[int(r.target)]) or r.held >= 3)]
            for line in lines:
                broken = next((r for r in found if not holds(line, r.target, r.parts)), None)
                if broken is None:
                    continue
                total = line.values[broken.target]
                parts = [line.values[p] for p in broken.parts if p in line.values]
                names = [segment.columns[int(p)] or f"第{int(p) + 1}列" for p in broken.parts]
                target = segment.columns[int(broken.target)] or f"第{int(broken.target) + 1}列"
                yield Finding("grid.row_sum", "error",
                              f"{_where(grid, line.page)}：“{line.name}”行{target}为{total.printed}{total.unit}，"
                              f"但{'+'.join(names)}为{_printed(_sum(parts), total)} / row total ≠ sum of its columns",
                              [Side(f"{grid.title} {line.name}（{target}）", total.value, line.page, line.line,
                                    f"{line.name} {total.printed}"),
                               *[Side(f"{grid.title} {line.name}（{segment.columns[int(p)]}）", line.values[p].value,
                                      line.page, line.line, line.values[p].printed) for p in broken.parts if p in line.values]],
                              expected=_sum(parts), observed=total.value, entity=grid.title)
