"""Rules within one table: hierarchy sums, row sums, 三公 parts."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, rule, side, tolerance, wan
from kg.check.shape import amounts_of, coherent, holds, relations
from kg.extract import codes
from kg.model import Amount, BudgetLine, BudgetTable, Report

FUNCTION_TABLES = ("expenditure_summary", "income_summary", "general_budget_expenditure", "fund_expenditure",
                   "fund_income", "state_capital")


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


def _unreadable(rule_id: str, table: BudgetTable, what: str) -> Finding:
    return Finding(rule_id, "info", f"{table.title}：{what}，未检查（表格形式未能可靠识别）",
                   [Side(table.title, None, table.page, table.line)], entity=table.title)


@rule("table.hierarchy", "功能分类表中 合计=Σ类、类=Σ款、款=Σ项（不把类和其款同时计入）")
def hierarchy(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.kind not in FUNCTION_TABLES or table.empty:
            continue
        for lines in _by_unit(table):
            found = list(_hierarchy(table, lines))
            if found and not coherent([f is None for f in found]):
                yield _unreadable("table.hierarchy", table, "多数类、款、项与其下级之和不符")
                break
            yield from (f for f in found if f is not None)


def _by_unit(table: BudgetTable) -> list[list[BudgetLine]]:
    """The table's lines, one group per 预算单位 when the table repeats the classes by unit."""
    groups: dict[str | None, list[BudgetLine]] = {}
    for line in table.lines:
        groups.setdefault(line.unit_code, []).append(line)
    return list(groups.values())


def _hierarchy(table: BudgetTable, lines: list[BudgetLine]) -> Iterator[Finding | None]:
    """One entry per parent and column compared: a finding, or None where the sum holds."""
    coded = [line for line in lines if line.code and line.side in (None, "expenditure")]
    total = next((line for line in lines if line.is_total and line.side in (None, "expenditure")), None)
    for column in table.columns:
        for parent in coded + ([total] if total else []):
            children = _children(parent, coded)
            if not children or column not in parent.values:
                continue
            parts = [c.values.get(column) or _zero(parent.values[column].unit) for c in children]
            what = f"{parent.code or ''}{parent.name}（{column}）"
            yield _compare(table, "table.hierarchy", what, parent.values[column], parts,
                           [f"{c.code} {c.name}" for c in children])


def _children(parent: BudgetLine, coded: list[BudgetLine]) -> list[BudgetLine]:
    if parent.is_total:
        return [c for c in coded if len(c.code) == 3]
    size = len(parent.code) + 2
    return [c for c in coded if len(c.code) == size and c.code.startswith(parent.code)]


NOT_AMOUNTS = ("code", "name", "row_number")


def _sum_columns(column: str) -> bool:
    return column in ("total", "basic") or column.startswith("total:")


@rule("table.row_sum", "每行 合计=各资金/支出口径之和（列关系从本表多数行读出，如 合计=基本支出+项目支出）")
def row_sums(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.empty or not table.lines or any(line.side for line in table.lines):
            continue  # a 收支总表 pairs income and expenditure lines: no row adds across its columns
        columns = list(dict.fromkeys(k for line in table.lines for k in line.values
                                     if k not in NOT_AMOUNTS and not k.startswith("name")))
        targets = [c for c in columns if _sum_columns(c)]
        if not targets or len(columns) < 2:
            continue
        found = relations(table.lines, columns, targets)
        if not found:
            if any(sum(1 for line in table.lines if line.values.get(t)) > 2 for t in targets):
                yield _unreadable("table.row_sum", table, "各列之间没有在多数行成立的合计关系")
            continue
        for line in table.lines:
            broken = next((r for r in found if not holds(line, r.target, r.parts)), None)
            if broken is None:
                continue
            parts = amounts_of(line, broken.parts)
            finding = _compare(table, "table.row_sum", f"“{line.name}”行{broken.target}", line.values[broken.target],
                               [a for _, a in parts], [f"{line.name} {n}" for n, _ in parts])
            if finding:
                yield finding


@rule("table.economic_groups", "经济分类表中 类=Σ其款")
def economic_groups(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.kind != "basic_by_economic" or table.empty:
            continue
        found = list(_economic_groups(table))
        if found and not coherent([f is None for f in found]):
            yield _unreadable("table.economic_groups", table, "多数经济分类类级与其款之和不符")
            continue
        yield from (f for f in found if f is not None)


def _economic_groups(table: BudgetTable) -> Iterator[Finding | None]:
    groups: list[tuple[BudgetLine, list[BudgetLine]]] = []
    open_group = False
    for line in table.lines:
        code = line.code or codes.economic_code(line.name)
        if line.is_total:
            continue
        if code and len(code) == 3:
            groups.append((line, []))
            open_group = True
        elif open_group and (code and not code.startswith(groups[-1][0].code or codes.economic_code(groups[-1][0].name) or "")
                             or not code and groups[-1][1] and all(c.code for c in groups[-1][1])):
            open_group = False  # another code family, or an uncoded row (a 预算单位 of a table by unit) among coded items
        elif open_group:
            groups[-1][1].append(line)
    for parent, children in groups:
        if not children:
            continue
        for column, amount in parent.values.items():
            if column in NOT_AMOUNTS or column.startswith("col:") and not column[4:]:
                continue
            parts = [c.values.get(column) or _zero(amount.unit) for c in children]
            yield _compare(table, "table.economic_groups", f"{parent.name}（{column}）", amount, parts,
                           [c.name for c in children])


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
            if total_key not in figures or not any(k in figures for k in part_keys):
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
