"""Rules across tables: summary vs detail tables, project tables vs expenditure tables."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, differs, figure, rule, side, tolerance, wan
from kg.model import Amount, Report



@rule("cross.totals", "收支总表、支出总表、一般公共预算支出表、财政拨款收支总表的合计相互一致")
def totals(report: Report) -> Iterator[Finding]:
    pairs = [
        ("income.total", "expenditure.total", "收入总计与支出总计"),
        ("general_budget.expenditure", "income.general_budget", "一般公共预算支出与一般公共预算收入") if report.kind == "预算" else None,
        ("fiscal.income_total", "fiscal.expenditure_total", "财政拨款收入总计与支出总计"),
    ]
    for pair in filter(None, pairs):
        first, second, what = pair
        a, b = figure(report, first), figure(report, second)
        if a and b and differs(a.amount, b.amount):
            yield Finding("cross.totals", "error", f"{what}不一致：{wan(a.amount.value)}万元 与 {wan(b.amount.value)}万元",
                          [side(a.label, a.amount, a.context), side(b.label, b.amount, b.context)],
                          expected=a.amount.value, observed=b.amount.value)
    summary = report.table("income_expenditure_summary")
    if summary is not None and report.kind == "预算":
        income = next((l for l in summary.lines if l.side == "income" and l.name == "本年收入合计"), None)
        spending = next((l for l in summary.lines if l.side == "expenditure" and l.name == "本年支出合计"), None)
        if income and spending and income.values.get("total"):
            a = income.values["total"]
            b = spending.values.get("current_year") or spending.values.get("total")  # 当年预算安排 excludes 上年结转
            if b is not None and differs(a, b):
                yield Finding("cross.totals", "error", f"本年收入合计{wan(a.value)}万元与本年支出（当年预算安排）{wan(b.value)}万元不一致",
                              [side("本年收入合计", a), side("本年支出合计", b)], expected=a.value, observed=b.value)
    detail = report.table("expenditure_summary")
    if summary and detail and report.kind == "预算":
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
