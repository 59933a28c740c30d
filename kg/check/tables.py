"""Rules within one table: hierarchy sums, row sums, 三公 parts."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, rule, side, tolerance, wan
from kg.check.shape import amounts_of, coherent, holds, relations
from kg.extract import codes
from kg.extract.normalize import squash
from kg.model import Amount, BudgetLine, BudgetTable, Report



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


@rule("table.hierarchy", "按科目编码分级的表中 合计=Σ类、类=Σ款、款=Σ项（功能分类与经济分类；不把类和其款同时计入）")
def hierarchy(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.empty or sum(1 for line in table.lines if line.code and line.code.isdigit()) < 2:
            continue  # classes coded by function (201 …) or economy (301 …) nest by code prefix
        for lines in _by_unit(table):
            found = list(_hierarchy(table, lines))
            if found and not coherent(_parents_hold(found)) and not _small(found):
                yield _unreadable("table.hierarchy", table, "多数类、款、项与其下级之和不符")
                break
            yield from (f for _, f in found if f is not None)


def _small(found: list[tuple[int, Finding | None]]) -> bool:
    """A table with one or two parents (合计 = Σ类 of an economic table; 合计 and its one 类) cannot
    show a trend of misreading: what does not add up there is reported."""
    return len({parent for parent, _ in found}) <= 2


def _by_unit(table: BudgetTable) -> list[list[BudgetLine]]:
    """The table's lines, one group per 预算单位 when the table repeats the classes by unit (each
    unit's block, ``BudgetLine.block_unit``)."""
    groups: dict[str | None, list[BudgetLine]] = {}
    for line in table.lines:
        groups.setdefault(line.block_unit or line.unit_code, []).append(line)
    return list(groups.values())


def _parents_hold(found: list[tuple[int, Finding | None]]) -> list[bool]:
    """Per parent line: whether its sums hold in every column compared."""
    held: dict[int, bool] = {}
    for parent, finding in found:
        held[parent] = held.get(parent, True) and finding is None
    return list(held.values())


def _hierarchy(table: BudgetTable, lines: list[BudgetLine]) -> Iterator[tuple[int, Finding | None]]:
    """One entry per parent and column compared: a finding, or None where the sum holds."""
    coded = [line for line in lines if line.code and line.side in (None, "expenditure")]
    total = next((line for line in lines if line.is_total and line.side in (None, "expenditure")), None)
    # the 合计 row printed again where the table runs onto a new page is the same total
    repeated = [line for line in lines if total and line is not total and line.is_total and not line.side
                and not total.side and line.name == total.name]
    parents = [p for p in coded + ([total] if total else []) + repeated if not _uncoded_within(p, lines)]
    for parent in parents:
        children = _children(parent, coded) or (_named_items(parent, lines)[:1] if _classes_only(lines) else [])
        if children and not parent.values and not parent.is_total and any(
                a.value for c in children for a in c.values.values()):
            yield id(parent), _blank_parent(table, parent, children)
    for column in table.columns:
        for parent in parents:
            children = _children(parent, coded)
            if not children or column not in parent.values:
                continue
            parts = [c.values.get(column) or _zero(parent.values[column].unit) for c in children]
            what = f"{parent.code or ''}{parent.name}（{column}）"
            yield id(parent), _compare(table, "table.hierarchy", what, parent.values[column], parts,
                           [f"{c.code} {c.name}" for c in children])


def _blank_parent(table: BudgetTable, parent: BudgetLine, children: list[BudgetLine]) -> Finding:
    """A 类 or 款 printed without any amount while its items print money (the row left blank)."""
    child = next(c for c in children if any(a.value for a in c.values.values()))
    amount = next(a for a in child.values.values() if a.value)
    return Finding("table.hierarchy", "error",
                   f"{table.title}：{parent.code}{parent.name}一行没有金额，其下级{child.code or ''} {child.name}却为"
                   f"{wan(amount.value)}万元",
                   [Side(f"{table.title} {parent.code}{parent.name}", None, table.page, table.line),
                    side(f"{child.code or ''} {child.name}", amount)],
                   observed=Decimal(0), expected=amount.value, entity=table.title)


def _uncoded_within(parent: BudgetLine, lines: list[BudgetLine]) -> bool:
    """A line printed among the parent's items without a code the reader could take (a wrapped
    name, an item the name→code list lacks): the coded children are not all of its parts."""
    if parent.is_total:
        span = [line for line in lines if line is not parent]
        if _classes_only(lines):  # only the 类 carry codes: the uncoded lines after one are its 款 and 项
            first = next(i for i, line in enumerate(span) if line.code)
            span = span[:first]
    elif _classes_only(lines):
        return False  # a 类's items are printed by name alone: they are not summed, so none is missing
    else:
        start = lines.index(parent) + 1
        span = []
        for line in lines[start:]:
            if line.code and len(line.code) <= len(parent.code) or line.is_total:
                break
            span.append(line)
    return any(not line.code and not line.is_total and any(a.value for a in line.values.values()) for line in span)


def _classes_only(lines: list[BudgetLine]) -> bool:
    """Only 类 lines carry codes (206, 208 …); their 款 and 项 are printed by name alone."""
    codes = [line.code for line in lines if line.code and line.code.isdigit()]
    return bool(codes) and all(len(code) == 3 for code in codes)


def _named_items(parent: BudgetLine, lines: list[BudgetLine]) -> list[BudgetLine]:
    """In a table whose 类 alone carry codes, the uncoded lines printed under the 类."""
    items = []
    for line in lines[lines.index(parent) + 1:]:
        if line.code or line.is_total or line.side or re.search(r"合计|总计|小计|结转|结余", line.name):
            break
        items.append(line)
    return items


def _children(parent: BudgetLine, coded: list[BudgetLine]) -> list[BudgetLine]:
    """The lines whose nearest printed ancestor is ``parent``: its 款 or 项, and an item printed
    without its own parent (301 / 30101 / 3010201 津贴补贴 with no 30102 row) counts under 301."""
    if parent.is_total:
        return [c for c in coded if len(c.code) == 3]
    printed = {c.code for c in coded}
    return [c for c in coded if len(c.code) > len(parent.code) and c.code.startswith(parent.code)
            and _nearest_printed(c.code, printed) == parent.code]


def _nearest_printed(code: str, printed: set[str]) -> str | None:
    return next((code[:n] for n in range(len(code) - 2, 2, -2) if code[:n] in printed), None)


NOT_AMOUNTS = ("code", "name", "row_number")


def _sum_columns(column: str) -> bool:
    return column in ("total", "basic") or column.startswith("total:")


@rule("table.row_sum", "每行 合计=各资金/支出口径之和（列关系从本表多数行读出，如 合计=基本支出+项目支出）")
def row_sums(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        if table.empty or not table.lines:
            continue
        if any(line.side for line in table.lines):  # a 收支总表: each side's rows add across that side's columns
            groups = [[line for line in table.lines if line.side == name] for name in ("income", "expenditure")]
        else:
            groups = [table.lines]
        for lines in groups:
            yield from _row_sums(table, lines)


def _row_sums(table: BudgetTable, lines: list[BudgetLine]) -> Iterator[Finding]:
    columns = list(dict.fromkeys(k for line in lines for k in line.values if k not in NOT_AMOUNTS and not k.startswith("name")))
    targets = [c for c in columns if _sum_columns(c)]
    if not targets or len(columns) < 2:
        return
    found = relations(lines, columns, targets)
    if not found:
        if not any(line.side for line in lines) and any(sum(1 for line in lines if line.values.get(t)) > 2 for t in targets):
            yield _unreadable("table.row_sum", table, "各列之间没有在多数行成立的合计关系")
        return
    for line in lines:
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
        if found and not coherent(_parents_hold(found)):
            yield _unreadable("table.economic_groups", table, "多数经济分类类级与其款之和不符")
            continue
        yield from (f for _, f in found if f is not None)


_UNIT_NAME = re.compile(r"(?:局|中心|院|站|所|馆|队|学校|委员会|办公室)(?:（本级）|\(本级\))?$")


def _economic_groups(table: BudgetTable) -> Iterator[tuple[int, Finding | None]]:
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
                             or not code and _UNIT_NAME.search(squash(line.name))):
            open_group = False  # another code family, or an uncoded row (a 预算单位 of a table by unit) among coded items
        elif open_group and not (code and len(code) > 5 and any(
                (c.code or codes.economic_code(c.name)) == code[:5] for c in groups[-1][1])):
            groups[-1][1].append(line)  # 3010201 counts only where its 30102 is not printed
    for parent, children in groups:
        if not children:
            continue
        for column, amount in parent.values.items():
            if column in NOT_AMOUNTS or column.startswith("col:") and not column[4:]:
                continue
            parts = [c.values.get(column) or _zero(amount.unit) for c in children]
            yield id(parent), _compare(table, "table.economic_groups", f"{parent.name}（{column}）", amount, parts,
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


@rule("table.column_sum", "无科目编码的表（按单位、按项目列示）：合计行=其余各行之和（逐列，列关系从多数列读出）")
def column_sums(report: Report) -> Iterator[Finding]:
    for table in report.tables:
        totals = [line for line in table.lines if line.is_total]
        rows = [line for line in table.lines if not line.is_total]
        if table.empty or len(totals) != 1 or not rows or any(line.side or line.code for line in table.lines):
            continue  # coded tables are summed by class (table.hierarchy); 收支总表 by side (table.sides)
        total = totals[0]
        checks: list[tuple[str, Finding | None]] = []
        for column, amount in total.values.items():
            if column in NOT_AMOUNTS or column.startswith("col:") and not column[4:]:
                continue
            parts = [line.values[column] for line in rows if column in line.values]
            if not parts:
                continue
            checks.append((column, _compare(table, "table.column_sum", f"合计行（{column}）", amount, parts,
                                            [line.name for line in rows if column in line.values])))
        held = sum(1 for _, f in checks if f is None)
        if checks and (held < 2 or held * 2 < len(checks)):
            continue  # the rows are not the parts of the total (a department row beside its units …)
        yield from (f for _, f in checks if f is not None)
