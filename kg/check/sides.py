"""Each side of a two-sided table (收支总表, 财政拨款收支总表) adds up to its 本年合计.

Income lines 一、二、三… and expenditure lines 一、…（or the classes 201, 202 …）are the side's
top-level items; the side's 本年收入合计 / 本年支出合计 is their sum, and an item with numbered
parts (1.一般公共预算拨款, 2.政府性基金…) is the sum of its parts. Some templates list one side
twice over (by function class, then by 基本/项目 or economic group): the items are then read as
consecutive groups, each adding up to the total. A side whose items cannot be told apart this
way is left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, rule, side, tolerance, wan
from kg.extract.normalize import squash
from kg.model import Amount, BudgetLine, BudgetTable, Report

_TOP = re.compile(r"^[一二三四五六七八九十]+、")
_PART = re.compile(r"^(?:\d{1,2}[.．、]|[（(]\d{1,2}[)）])")
_SIDE_TOTAL = re.compile(r"^(?:本年|当年)?(?:收入|支出)?合计$")
_GRAND_TOTAL = re.compile(r"^(?:收入|支出)?总计$")


def _value(line: BudgetLine) -> Amount | None:
    return next(iter(line.values.values()), None) if line.values else None


def _value_columns(line: BudgetLine) -> dict:
    return {k: v for k, v in line.values.items() if k not in ("code", "name", "row_number")}


def _items(lines: list[BudgetLine]) -> tuple[BudgetLine | None, list[tuple[BudgetLine, list[BudgetLine]]]]:
    """The side's 本年合计 and its top-level items (with their numbered parts) printed above it."""
    total = next((line for line in lines if _SIDE_TOTAL.match(squash(line.name))), None) or \
        next((line for line in lines if _GRAND_TOTAL.match(squash(line.name))), None)  # a side with no 合计 above its 总计
    if total is None:
        return None, []
    above = lines[:lines.index(total)]
    enumerated = any(_TOP.match(squash(line.name)) for line in above)
    items: list[tuple[BudgetLine, list[BudgetLine]]] = []
    for line in above:
        name = squash(line.name)
        top = _TOP.match(name) if enumerated else (line.code and len(line.code) == 3)
        if top:
            items.append((line, []))
        elif items and _PART.match(name):
            items[-1][1].append(line)
    return total, items


def _groups_add_up(total: Amount, items: list[Amount]) -> bool:
    """The items are one or more consecutive groups each summing to the total."""
    if abs(sum((a.value for a in items), Decimal(0)) - total.value) <= tolerance(total, items):
        return True
    running: list[Amount] = []
    groups = 0
    for amount in items:
        running.append(amount)
        if abs(sum((a.value for a in running), Decimal(0)) - total.value) <= tolerance(total, running):
            groups += 1
            running = []
    return groups >= 1 and not any(a.value for a in running)


def _checks(table: BudgetTable) -> Iterator[tuple[bool | str, Finding | None]]:
    """(True/False: a sum of the first column held or not; "column": another column's sum;
    "blank": an item printed without amount over parts that print money) with its finding."""
    for side_name in ("income", "expenditure"):
        total, items = _items([line for line in table.lines if line.side == side_name])
        if total is None or _value(total) is None or len(items) < 2:
            continue
        amounts = [_value(line) or Amount(Decimal(0), "0", _value(total).unit) for line, _ in items]
        ok = _groups_add_up(_value(total), amounts)
        observed = sum((a.value for a in amounts), Decimal(0))
        yield ok, None if ok else Finding(
            "table.sides", "error",
            f"{table.title}：{total.name}为{wan(_value(total).value)}万元，但{'收入' if side_name == 'income' else '支出'}"
            f"各项之和为{wan(observed)}万元",
            [side(f"{table.title} {total.name}", _value(total)),
             *[side(line.name, _value(line)) for line, _ in items if _value(line) is not None]],
            expected=observed, observed=_value(total).value, entity=table.title)
        for column in list(_value_columns(total))[1:]:  # the side's other columns (人员 | 公用 | 项目 …), each summed alike
            printed = total.values[column]
            column_amounts = [line.values.get(column) or Amount(Decimal(0), "0", printed.unit) for line, _ in items]
            ok = _groups_add_up(printed, column_amounts)
            yield "column", None if ok else Finding(
                "table.sides", "error",
                f"{table.title}：{total.name}（{column}）为{wan(printed.value)}万元，但各项之和为"
                f"{wan(sum((a.value for a in column_amounts), Decimal(0)))}万元",
                [side(f"{table.title} {total.name}（{column}）", printed),
                 *[side(f"{line.name}（{column}）", line.values[column]) for line, _ in items if column in line.values]],
                expected=sum((a.value for a in column_amounts), Decimal(0)), observed=printed.value, entity=table.title)
        for item, parts in items:
            valued = [p for p in parts if _value(p) is not None]
            if valued and _value(item) is None and any(_value(p).value for p in valued):
                yield "blank", Finding(  # a blank item is wrong on its face, whatever the sums say
                    "table.sides", "error",
                    f"{table.title}：{item.name}一行没有金额，其分项{valued[0].name}却为{wan(_value(valued[0]).value)}万元",
                    [side(item.name, None), side(valued[0].name, _value(valued[0]))],
                    observed=Decimal(0), expected=_value(valued[0]).value, entity=table.title)
            if not valued or _value(item) is None:
                continue
            part_sum = sum((_value(p).value for p in valued), Decimal(0))
            ok = abs(part_sum - _value(item).value) <= tolerance(_value(item), [_value(p) for p in valued])
            yield ok, None if ok else Finding(
                "table.sides", "error",
                f"{table.title}：{item.name}为{wan(_value(item).value)}万元，但其分项之和为{wan(part_sum)}万元",
                [side(item.name, _value(item)), *[side(p.name, _value(p)) for p in valued]],
                expected=part_sum, observed=_value(item).value, entity=table.title)


@rule("table.sides", "收支总表、财政拨款收支总表每一方：本年合计=各项之和，各项=其分项之和")
def sides(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.empty or not any(line.side for line in table.lines):
            continue
        found = list(_checks(table))
        counted = [ok for ok, _ in found if isinstance(ok, bool)]  # the sums of the first column tell the shape
        held = sum(counted)
        yield from (f for ok, f in found if ok == "blank")
        if counted and (not held or held * 2 < len(counted)):
            yield Finding("table.sides", "info", f"{table.title}：收支两方的分项与合计多数不符，未检查（表格形式未能可靠识别）",
                          [side(table.title, None)], entity=table.title)
            continue
        yield from (f for ok, f in found if ok != "blank" and f is not None)
