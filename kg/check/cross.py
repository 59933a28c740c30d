"""Rules across tables: summary vs detail tables, project tables vs expenditure tables."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, differs, figure, rule, side, tolerance, wan
from kg.model import Amount, BudgetLine, Figure, Report



_ENUMERATED = re.compile(r"^(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]+[)）]|其中)")
_CARRIED = re.compile(r"结转|结余|余额|弥补收支差额|实户资金")


def _carried(lines: list[BudgetLine], side_name: str) -> list[Amount]:
    """A 收支总表 side's carry-over lines (上年结转, 使用非财政拨款结余 … / 结转下年), without their
    numbered sub-lines (1.财政拨款结余、结转)."""
    return [line.values["total"] for line in lines if line.side == side_name and "total" in line.values
            and _CARRIED.search(line.name) and not _ENUMERATED.match(line.name) and not line.is_total]


def _explained(a: Amount, b: Amount, carried: list[Amount]) -> bool:
    """The two totals differ by exactly a carry-over the report prints (一般公共预算支出 includes
    spending of last year's balance; the year's 拨款收入 does not)."""
    gap = abs(a.value - b.value)
    return any(abs(gap - c.value) <= tolerance(c, [a, b]) for c in carried if c.value)


@rule("cross.totals", "收支总表、支出总表、一般公共预算支出表、财政拨款收支总表的合计相互一致")
def totals(report: Report) -> Iterator[Finding]:
    summary = report.table("income_expenditure_summary")
    fiscal = report.table("fiscal_summary")
    carried = [c for t in (summary, fiscal) if t is not None for c in _carried_all(t)]
    pairs = [
        (figure(report, "income.total"), figure(report, "expenditure.total"), "收入总计与支出总计"),
        (figure(report, "general_budget.expenditure"), figure(report, "income.general_budget"),
         "一般公共预算支出与一般公共预算收入") if report.kind == "预算" else (None, None, ""),
        (_grand_total(fiscal, "income"), _grand_total(fiscal, "expenditure"), "财政拨款收入总计与支出总计"),
    ]
    for a, b, what in pairs:
        if a and b and differs(a.amount, b.amount) and not _explained(a.amount, b.amount, carried):
            yield Finding("cross.totals", "error", f"{what}不一致：{wan(a.amount.value)}万元 与 {wan(b.amount.value)}万元",
                          [side(a.label, a.amount, a.context), side(b.label, b.amount, b.context)],
                          expected=a.amount.value, observed=b.amount.value)
    for table in (summary, fiscal):
        if table is not None:
            yield from _balance(table)
            yield from _grand_balance(table)
    detail = report.table("expenditure_summary")
    if summary and detail and report.kind == "预算" and not detail.by_unit:
        coded = [line.code for line in detail.lines if line.code and len(line.code) == 3]
        if len(coded) != len(set(coded)):
            return  # the classes repeat (one block per 预算单位): no single department figure to compare
        classes = {line.code: line for line in detail.lines if line.code and len(line.code) == 3}
        for line in summary.lines:
            if line.side != "expenditure" or not line.code or line.code not in classes:
                continue
            a, b = line.values.get("total"), classes[line.code].values.get("total")
            if a and b and differs(a, b):
                yield Finding("cross.totals", "error",
                              f"收支总表与支出总表的“{classes[line.code].name}”不一致：{wan(a.value)}万元 与 {wan(b.value)}万元",
                              [side(f"{summary.title} {line.name}", a), side(f"{detail.title} {classes[line.code].name}", b)],
                              expected=b.value, observed=a.value, entity=classes[line.code].name)


_GRAND = re.compile(r"^(?:收入|支出)?总计$")


def _line(table, side_name: str, name) -> BudgetLine | None:
    """The first line of one side whose name (numbering dropped) is ``name`` or matches it."""
    return next((l for l in table.lines if l.side == side_name and l.values
                 and (l.name == name if isinstance(name, str) else name.match(_ENUMERATED.sub("", l.name)))), None)


def _printed(line: BudgetLine) -> Amount:
    return line.values.get("total") or next(iter(line.values.values()))


def _grand_total(table, side_name: str) -> Figure | None:
    """The 收入总计 / 支出总计 line of a two-sided table, as the figure it prints."""
    line = _line(table, side_name, _GRAND) if table is not None else None
    if line is None:
        return None
    return Figure(f"fiscal.{side_name}_total", f"{table.title} {line.name}", _printed(line), context=table.title)


def _grand_balance(table) -> Iterator[Finding]:
    """收入总计 = 本年收入合计 + its carry-over lines (and 支出总计 likewise)."""
    for side_name, year_name in (("income", "本年收入合计"), ("expenditure", "本年支出合计")):
        grand = _grand_total(table, side_name)
        year = _line(table, side_name, year_name)
        if grand is None or year is None:
            continue
        carried = _carried(table.lines, side_name)
        year_amount = _printed(year)
        parts = [year_amount, *carried]
        observed = sum((p.value for p in parts), Decimal(0))
        if abs(observed - grand.amount.value) > tolerance(grand.amount, parts):
            yield Finding("cross.totals", "error",
                          f"{table.title}：{grand.label.split()[-1]}为{wan(grand.amount.value)}万元，"
                          f"但{year_name}与结转结余之和为{wan(observed)}万元",
                          [side(grand.label, grand.amount), side(year_name, year_amount),
                           *[side("结转结余", c) for c in carried]],
                          expected=observed, observed=grand.amount.value)


def _carried_all(table) -> list[Amount]:
    return [line.values["total"] for line in table.lines if "total" in line.values and _CARRIED.search(line.name)]


def _balance(summary) -> Iterator[Finding]:
    """本年收入合计 + 上年结转（结余） = 本年支出合计 + 结转下年."""
    income, spending = _line(summary, "income", "本年收入合计"), _line(summary, "expenditure", "本年支出合计")
    if not (income and spending and income.values.get("total") and spending.values.get("total")):
        return
    carried_in, carried_out = _carried(summary.lines, "income"), _carried(summary.lines, "expenditure")
    a = income.values["total"]
    b = spending.values.get("total")
    left = sum((c.value for c in [a, *carried_in]), Decimal(0))
    right = sum((c.value for c in [b, *carried_out]), Decimal(0))
    if abs(left - right) > tolerance(a, [b, *carried_in, *carried_out]):
        yield Finding("cross.totals", "error",
                      f"收支总表不平衡：本年收入合计{wan(a.value)}万元" + "".join(f"+{wan(c.value)}" for c in carried_in)
                      + f" ≠ 本年支出合计{wan(b.value)}万元" + "".join(f"+{wan(c.value)}" for c in carried_out),
                      [side("本年收入合计", a), side("本年支出合计", b),
                       *[side("结转结余", c) for c in carried_in + carried_out]],
                      expected=left, observed=right)


@rule("cross.projects", "项目支出表各项目之和=表内合计=支出总表项目支出")
def projects(report: Report) -> Iterator[Finding]:
    expenditure = figure(report, "expenditure.project")
    current = report.table("project_budget")
    carried = report.table("project_carryover")
    stated_total = Decimal(0)
    stated_parts: list[Amount] = []
    for table, carry in ((current, False), (carried, True)):
        if table is None or table.empty:
            continue
        rows = [p for p in report.projects if p.carryover == carry and p.annual_total is not None
                and any(a.source in ("budget_table", "carryover_table") for a in p.amounts)]
        subtotal = next((line.values.get("total") for line in table.lines
                         if line.values.get("total") is not None and not any(
                             line.name.endswith(p.name) for p in rows)), None)
        amounts = [p.annual_total for p in rows]
        if subtotal is not None and amounts:
            total = sum((a.value for a in amounts), Decimal(0))
            if abs(subtotal.value - total) > tolerance(subtotal, amounts):
                yield Finding("cross.projects", "error",
                              f"{table.title}：合计{wan(subtotal.value)}万元，各项目之和{wan(total)}万元",
                              [side(f"{table.title} 合计", subtotal), *[side(p.name, p.annual_total) for p in rows]],
                              expected=total, observed=subtotal.value, entity=table.title)
            stated_total += subtotal.value
            stated_parts.append(subtotal)
    if expenditure and stated_parts:
        if abs(expenditure.amount.value - stated_total) > tolerance(expenditure.amount, stated_parts):
            yield Finding("cross.projects", "error",
                          f"项目支出表合计{wan(stated_total)}万元与支出总表项目支出{wan(expenditure.amount.value)}万元不一致",
                          [side("项目支出表合计", stated_parts[0]), side(expenditure.label, expenditure.amount)],
                          expected=expenditure.amount.value, observed=stated_total)
    empty_tables = [t for t in (current, carried) if t is not None and t.empty]
    if expenditure and expenditure.amount.value > 0 and empty_tables and not stated_parts and report.projects:
        yield Finding("cross.projects", "warning",
                      f"项目支出预算表为空（本表无数据），但支出总表项目支出为{wan(expenditure.amount.value)}万元，"
                      f"绩效目标表列出{len(report.projects)}个项目",
                      [Side(f"{t.title}：本表无数据", None, t.page, t.line) for t in empty_tables]
                      + [side(expenditure.label, expenditure.amount)],
                      expected=expenditure.amount.value, observed=Decimal(0))
