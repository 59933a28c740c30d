"""Rules within one table: hierarchy sums, row sums, 三公 parts."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, rule, side, tolerance, wan
from kg.extract import codes
from kg.model import Amount, BudgetLine, BudgetTable, Report

FUNCTION_TABLES = ("expenditure_summary", "income_summary", "general_budget_expenditure", "fund_expenditure",
                   "fund_income", "state_capital")
ROW_SUM_EXCLUDED = {"total", "carryover", "opening_balance", "closing_balance", "row_number", "current_year"}


def _zero(unit: str) -> Amount:
    return Amount(Decimal(0), "0", unit)


def _compare(table: BudgetTable, rule_id: str, what: str, total: Amount, parts: list[Amount],
             part_names: list[str], severity: str = "error") -> Finding | None:
    observed = sum((p.value for p in parts), Decimal(0))
    if abs(total.value - observed) <= tolerance(total, parts):
        return None
    return Finding(rule_id, severity,
                   f"{table.title}：{what}为{wan(total.value)}万元，但各项之和为{wan(observed)}万元（相差{wan(total.value - observed)}万元）",
                   [side(f"{table.title} {what}", total), *[side(n, p) for n, p in zip(part_names, parts)]],
                   expected=observed, observed=total.value, entity=table.title)


@rule("table.hierarchy", "功能分类表中 合计=Σ类、类=Σ款、款=Σ项（不把类和其款同时计入）")
def hierarchy(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.kind not in FUNCTION_TABLES or table.empty:
            continue
        coded = [line for line in table.lines if line.code and line.side in (None, "expenditure")]
        total = next((line for line in table.lines if line.is_total and line.side in (None, "expenditure")), None)
        for column in table.columns:
            for parent in coded + ([total] if total else []):
                children = _children(parent, coded)
                if not children or column not in parent.values:
                    continue
                parts = [c.values.get(column) or _zero(parent.values[column].unit) for c in children]
                what = f"{parent.code or ''}{parent.name}（{column}）"
                finding = _compare(table, "table.hierarchy", what, parent.values[column], parts,
                                   [f"{c.code} {c.name}" for c in children])
                if finding:
                    yield finding


def _children(parent: BudgetLine, coded: list[BudgetLine]) -> list[BudgetLine]:
    if parent.is_total:
        return [c for c in coded if len(c.code) == 3]
    size = len(parent.code) + 2
    return [c for c in coded if len(c.code) == size and c.code.startswith(parent.code)]


@rule("table.row_sum", "每行 合计=各资金/支出口径之和（如 合计=基本支出+项目支出）")
def row_sums(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.kind not in FUNCTION_TABLES + ("basic_by_economic",) or table.empty:
            continue
        for line in table.lines:
            total = line.values.get("total")
            parts = {k: v for k, v in line.values.items() if k not in ROW_SUM_EXCLUDED and ":" not in k
                     and not k.startswith("col:")}
            if total is None or not parts:
                continue
            names = list(parts)
            finding = _compare(table, "table.row_sum", f"“{line.name}”行合计", total, list(parts.values()),
                               [f"{line.name} {n}" for n in names])
            if finding:
                yield finding


@rule("table.economic_groups", "经济分类表中 类=Σ其款")
def economic_groups(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.kind != "basic_by_economic" or table.empty:
            continue
        groups: list[tuple[BudgetLine, list[BudgetLine]]] = []
        for line in table.lines:
            code = line.code or codes.economic_code(line.name)
            if line.is_total:
                continue
            if code and len(code) == 3:
                groups.append((line, []))
            elif groups:
                groups[-1][1].append(line)
        for parent, children in groups:
            if not children:
                continue
            for column, amount in parent.values.items():
                parts = [c.values.get(column) or _zero(amount.unit) for c in children]
                finding = _compare(table, "table.economic_groups", f"{parent.name}（{column}）", amount, parts,
                                   [c.name for c in children])
                if finding:
                    yield finding


@rule("table.three_public", "三公经费=因公出国（境）费+公务用车购置及运行费+公务接待费；公务用车=购置+运行")
def three_public(report: Report) -> Iterator[Finding]:
    for basis in {f.basis for f in report.figures if f.key.startswith("three_public") and f.source == "table"}:
        figures = {f.key: f for f in report.figures
                   if f.key.startswith("three_public") and f.source == "table" and f.basis == basis}

        def amount(key: str) -> Amount:
            figure = figures.get(key)
            return figure.amount if figure else _zero("万元")

        checks = [("three_public.total", ["three_public.overseas", "three_public.vehicle_total", "three_public.reception"]),
                  ("three_public.vehicle_total", ["three_public.vehicle_purchase", "three_public.vehicle_operation"])]
        for total_key, part_keys in checks:
            if total_key not in figures:
                continue
            total = figures[total_key].amount
            parts = [amount(k) for k in part_keys]
            observed = sum((p.value for p in parts), Decimal(0))
            if abs(total.value - observed) > tolerance(total, parts):
                label = figures[total_key].label
                yield Finding("table.three_public", "error",
                              f"“三公”经费表{('（' + basis + '）') if basis else ''}：{label}{wan(total.value)}万元 ≠ 分项之和{wan(observed)}万元",
                              [side(label, total), *[side(k, p) for k, p in zip(part_keys, parts)]],
                              expected=observed, observed=total.value)
