"""Lists printed in groups, in tables the reader did not turn into budget tables: a unit's row
over its projects or purchases, a 类 over its 款 (by code: 205 → 20508 → 2050803, 119 → 119001).
The group's row is the sum of the rows under it, column by column.

The groups are read from the table's shape, not from a template: by the codes printed before
the names, or else by the rows' form — the group's rows print a name alone (a unit), the rows
under them print more (a project's goal, a purchase's category) or sit one column further in.
The reading is trusted only where most groups add up: a table where they do not is grouped
some other way, and the rule stays silent.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, rule, tolerance
from kg.check.grid_shape import Row, Segment, segments, signature
from kg.model import Amount, Report


def _by_code(rows: list[Row]) -> list[tuple[Row, list[Row]]]:
    """Each coded row over the rows right after it whose codes extend its own (205 → 20508 → 2050803;
    119 → 119001, past the uncoded rows listed under each child), the next level only; classes
    repeated per unit are grouped where printed."""
    groups = []
    for i, parent in enumerate(rows):
        if not parent.code:
            continue
        longer = []
        for row in rows[i + 1:]:
            if not row.code and longer:
                continue  # an item under the last child (a unit's projects under 119001)
            if not (row.code and row.code != parent.code and row.code.startswith(parent.code)):
                break
            longer.append(row)
        if longer:
            size = min(len(r.code) for r in longer)
            groups.append((parent, [r for r in longer if len(r.code) == size]))
    return groups


def _by_shape(rows: list[Row]) -> list[list[tuple[Row, list[Row]]]]:
    """Groupings by the rows' form, one per level: the rows of one form, each over the rows that
    follow it up to the next row of that form or of a level above it."""
    if len(rows) < 3:
        return []
    out, above = [], set()
    for head in dict.fromkeys(signature(r) for r in rows):
        if sum(1 for r in rows if signature(r) == head) >= 2:
            groups: list[tuple[Row, list[Row]]] = []
            for row in rows:
                if signature(row) == head:
                    groups.append((row, []))
                elif signature(row) in above:
                    groups.append((row, None))  # a row of a level above ends the group
                elif groups and groups[-1][1] is not None:
                    groups[-1][1].append(row)
            out.append([(h, items) for h, items in groups if items])
        above.add(head)
    return out


_MEASURE = re.compile(r"率|[%％]|指标|满意度|数量")


def groups(segment: Segment) -> list[tuple[list[tuple[Row, list[Row]]], bool]]:
    """The candidate groupings of the segment's rows, each with whether it was read by code (else
    by the rows' form, a weaker reading)."""
    rows = [r for r in segment.rows if r.kind in ("part", "blank") and not _MEASURE.search(r.label)]
    candidates = [(found, True) for found in ([_by_code(rows)] if sum(1 for r in rows if r.code) >= 3 else [])
                  if found] + [(found, False) for found in _by_shape(rows)]
    return [([(h, [i for i in items if i.aligned(h)]) for h, items in found], by_code) for found, by_code in candidates]


def _wrapped(segment: Segment, row: Row) -> bool:
    """A few characters ending the name above, wrapped onto a line of their own (无锡市第 | 一中学)."""
    at = segment.rows.index(row)
    above = segment.rows[at - 1] if at else None
    return above is not None and len(row.label) <= 3 and signature(above) != signature(row) and \
        signature(Row(row.index, above.label + row.label, None, label_column=row.label_column,
                      detailed=row.detailed)) == signature(row)


def _zero(like: Amount) -> Amount:
    return Amount(Decimal(0), "0", like.unit, like.page)


def _check(head: Row, items: list[Row]) -> list[tuple[int, Amount, list[Amount]]]:
    """The columns where the group's row is not the sum of its items."""
    failed = []
    for column, amount in head.values.items():
        parts = [r.values.get(column) or _zero(amount) for r in items]
        if not any(column in r.values for r in items):
            continue
        if abs(amount.value - sum((p.value for p in parts), Decimal(0))) > tolerance(amount, parts):
            failed.append((column, amount, parts))
    return failed


def _total_confirms(segment: Segment) -> bool:
    """The segment's 合计 row is the sum of the rows with the shortest codes, in every column it
    prints: the codes give the table's levels, whatever a group below them says."""
    coded = [r for r in segment.rows if r.kind == "part" and r.code]
    if len(segment.totals) != 1 or not coded:
        return False
    size = min(len(r.code) for r in coded)
    top = [r for r in coded if len(r.code) == size]
    total = segment.totals[0]
    checked = 0
    for column, amount in total.values.items():
        parts = [r.values[column] for r in top if column in r.values]
        if not parts:
            continue
        if abs(amount.value - sum((p.value for p in parts), Decimal(0))) > tolerance(amount, parts):
            return False
        checked += 1
    return checked > 0


def _wan(value: Decimal, like: Amount) -> str:
    from kg.extract.amounts import UNIT_FACTORS

    return f"{format((value / UNIT_FACTORS.get(like.unit, Decimal(1))).normalize(), 'f')}{like.unit}"


@rule("grid.group_sum", "非标准格式的表中分组列示的行（单位下的项目、类下的款，按编码或行的格式识别）：组行=其下各行之和")
def group_sums(report: Report) -> Iterator[Finding]:
    for grid in report.grids:
        for segment in segments(grid):
            for found, by_code in groups(segment):
                checked = [(head, items, _check(head, items)) for head, items in found
                           if head.values and any(c in i.values for i in items for c in head.values)]
                held = sum(1 for _, _, failed in checked if not failed)
                blank_heads = [(h, items) for h, items in found if not h.values and any(i.values for i in items)
                               and not _wrapped(segment, h)]
                judged = len(checked) + len(blank_heads)
                if by_code and _total_confirms(segment):
                    held, judged = held + 1, judged + 1
                if held >= 1 and held * 2 >= judged and (by_code or held >= 2 and held * 3 >= judged * 2):
                    yield from _group_findings(grid, segment, checked, blank_heads)
                    break  # most groups add up: this is how the rows are grouped


def _group_findings(grid, segment: Segment, checked, blank_heads) -> Iterator[Finding]:
    title = grid.title or "表"
    for head, items in blank_heads:
        item = next(i for i in items if i.values)
        column, amount = next(iter(item.values.items()))
        name = segment.columns.get(column) or f"第{column + 1}列"
        yield Finding("grid.group_sum", "error",
                      f"{title}（第{head.page}页）：“{head.label}”一行没有金额，其下“{item.label}”（{name}）却为"
                      f"{amount.printed}{amount.unit}（第{item.page}页） / group row left blank",
                      [Side(f"{title} {head.label}", None, head.page, head.line, head.label),
                       Side(f"{title} {item.label}（{name}）", amount.value, item.page, item.line,
                            f"{item.label} {amount.printed}")],
                      expected=amount.value, observed=Decimal(0), entity=title)
    for head, items, failed in checked:
        for column, amount, parts in failed:
            name = segment.columns.get(column) or f"第{column + 1}列"
            observed = sum((p.value for p in parts), Decimal(0))
            pages = sorted({i.page for i in items if i.page})
            yield Finding("grid.group_sum", "error",
                          f"{title}（第{head.page}页）：“{head.label}”（{name}）为{amount.printed}{amount.unit}，"
                          f"但其下各行之和为{_wan(observed, amount)}（第{'、'.join(map(str, pages))}页） / "
                          f"group row ≠ sum of its rows",
                          [Side(f"{title} {head.label}（{name}）", amount.value, head.page, head.line,
                                f"{head.label} {amount.printed}"),
                           *[Side(f"{title} {i.label}（{name}）", i.values[column].value, i.page, i.line,
                                  f"{i.label} {i.values[column].printed}") for i in items if column in i.values]],
                          expected=observed, observed=amount.value, entity=title)
