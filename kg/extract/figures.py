"""Headline figures (``Figure``) from budget tables: the total rows of the recognised tables,
each unit's rows of tables by unit, 三公/采购/statistics tables read from the layout, and the
merge of table and stated figures (the narrative's are in ``stated_figures``).
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.amounts import is_number, parse_number, to_amount
from kg.extract.columns import basis_of
from kg.extract.layout import Table
from kg.extract.names import normalise_unit, own_part
from kg.extract.normalize import squash
from kg.extract.tables import column_paths, header_rows, is_numbering_row
from kg.metrics import BY_KEY
from kg.model import YOY_BASIS, Amount, BudgetTable, Figure, Quantity

_SUMMARY_INCOME = [
    ("income.total", r"^(收入总计|总计)$"),
    ("income.current_year", r"^(本年收入合计|本年收入小计|当年收入小计|收入合计)$"),
    ("income.carryover", r"^(上年结转|上年结转、?结余|上年结余、?结转|上年结转和结余|年初结转和结余|上年财政拨款结转)$"),
    ("income.general_budget", r"^一般公共预算(财政拨款)?(拨款)?(收入)?$"),
    ("income.fund_budget", r"^政府性基金预算(财政拨款)?(拨款)?(收入)?$"),
    ("income.other", r"^(其他收入|其他资金)$"),
    ("income.special_account", r"^财政专户(管理资金|拨款)(收入)?$"),
    ("income.business", r"^事业收入$"),
    ("fiscal.income_total", r"^财政拨款(收入)?$"),
]
_SUMMARY_EXPENDITURE = [
    ("expenditure.total", r"^(支出总计|总计)$"),
    ("expenditure.current_year", r"^(本年支出合计|本年支出小计|当年支出小计|支出合计)$"),
    ("expenditure.closing_balance", r"^(年终结转|年末结转和结余)$"),
    ("expenditure.basic", r"^(基本支出|人员经费和公用经费(支出)?)$"),  # 基本支出 is 人员经费 + 公用经费
    ("expenditure.project", r"^(项目支出|专项业务经费(支出)?)$"),
]
_FISCAL = [
    ("fiscal.income_total", "income", r"^(收入总计|总计)$"),
    ("fiscal.expenditure_total", "expenditure", r"^(支出总计|总计)$"),
    ("general_budget.basic", "expenditure", r"^基本支出$"),  # 财政拨款 spending by use: its 一般公共预算 column
    ("general_budget.project", "expenditure", r"^项目支出$"),
]


def _strip_enum(name: str) -> str:
    return re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])", "", squash(name))


def _figure(key: str, amount: Amount | None, table: BudgetTable | None = None, basis: str | None = None,
            source: str = "table", context: str = "") -> Figure | None:
    if amount is None:
        return None
    label = BY_KEY[key].label if key in BY_KEY else key
    return Figure(key=key, label=label, amount=amount, source=source, basis=basis,
                  context=context or (table.title if table else ""), page=amount.page, line=amount.line)


def figures_from_table(table: BudgetTable) -> list[Figure]:
    out: list[Figure | None] = []
    if table.kind == "income_expenditure_summary":
        last = {side: [line for line in table.lines if line.side == side and line.values][-1:]
                for side in ("income", "expenditure", None)}
        for line in table.lines:
            name = _strip_enum(line.name)
            if name == "合计" and (line in last[line.side] or not any(
                    re.fullmatch(r"(收入|支出)?总计", _strip_enum(other.name)) for other in table.lines
                    if other.side == line.side)):
                name = "总计"  # a side's 合计, last or (with no 总计 row) first, is its grand total
            elif re.fullmatch(r"(收入|支出)合计", name) and line in last[line.side] and any(
                    re.search(r"小计$", _strip_enum(other.name)) for other in table.lines if other.side == line.side):
                name = "总计"  # 当年收入小计 + 上年结转 = 收入合计: here 合计 is the grand total
            rules = _SUMMARY_INCOME if line.side in ("income", None) else _SUMMARY_EXPENDITURE
            for key, pattern in rules:
                if re.match(pattern, name):
                    out.append(_figure(key, line.values.get("total") or next(iter(line.values.values()), None), table))
                    break
        out.extend(_current_year_as_total(table, [f for f in out if f is not None]))
    elif table.kind == "fiscal_summary":
        grand = {line.side for line in table.lines if re.fullmatch(r"(收入|支出)?总计", _strip_enum(line.name))}
        for line in table.lines:
            name = _strip_enum(line.name)
            if line.side == "expenditure" and line.side not in grand and re.fullmatch(r"支出合计|合计", name):
                name = "总计"  # 支出合计 with no 总计 row: the spending side's total (收入合计 beside a
                # text's 一般公共预算财政拨款收入 raised a false narrative finding: income left as it was)
            for key, side, pattern in _FISCAL:
                if line.side in (side, None) and re.match(pattern, name):
                    column = line.values.get("general_budget") if key.startswith("general_budget") else None
                    out.append(_figure(key, column or line.values.get("total") or next(iter(line.values.values()), None),
                                       table))
    elif table.kind == "income_summary":
        total = next((line for line in table.lines if line.is_total), None) or _unit_row(table)
        if total is not None:  # 收入总表 by fund: its 合计 row's 一般公共预算 and 政府性基金 columns
            out.append(_figure("income.general_budget", total.values.get("general_budget"), table))
            out.append(_figure("income.fund_budget", total.values.get("fund_budget"), table))
    elif table.kind in ("expenditure_summary", "general_budget_expenditure"):
        total = next((line for line in table.lines if line.is_total), None) or _unit_row(table)
        if total is not None:
            prefix = "expenditure" if table.kind == "expenditure_summary" else "general_budget"
            if prefix == "general_budget":  # no 合计 column (财政拨款支出 | 基本支出 | 项目支出): its two parts
                out.append(_figure("general_budget.expenditure",
                                   total.values.get("total") or _sum_of(total, "basic", "project"), table))
            out.append(_figure(f"{prefix}.basic", total.values.get("basic") or _basic_from_parts(total), table))
            out.append(_figure(f"{prefix}.project", total.values.get("project"), table))
    elif table.kind == "basic_by_economic":
        total = next((line for line in table.lines if line.is_total), None)
        if total is not None:
            out.append(_figure("basic.personnel", total.values.get("personnel"), table))
            out.append(_figure("basic.public", total.values.get("public_expense"), table))
    elif table.kind == "operating_costs":
        total = next((line for line in table.lines if line.is_total), None)
        if total is not None:
            out.append(_figure("operating_costs", total.values.get("total"), table))
    return [f for f in out if f is not None]


_BY_UNIT_KEYS = {
    "income_summary": {"total": "income.total", "current_year": "income.current_year",
                       "general_budget": "income.general_budget",
                       "fund_budget": "income.fund_budget", "special_account": "income.special_account",
                       "business_income": "income.business", "other_income": "income.other",
                       "carryover": "income.carryover"},
    "expenditure_summary": {"total": "expenditure.total", "basic": "expenditure.basic", "project": "expenditure.project"},
    "general_budget_expenditure": {"total": "general_budget.expenditure", "basic": "general_budget.basic",
                                   "project": "general_budget.project"},
    "basic_by_economic": {"total": "general_budget.basic", "personnel": "basic.personnel", "public_expense": "basic.public"},
}


def unit_figures(table: BudgetTable, report_unit: str) -> list[Figure]:
    """Figures of each 预算单位 in a table by unit (收入总表/支出总表 of a 部门 report, one row per
    unit): ``Figure.subject`` names the unit. The department's own row (its name, printed first)
    is the report's total; the same name again, or under a longer unit code, is its 本级."""
    keys = _BY_UNIT_KEYS.get(table.kind)
    subtotals = [line for line in table.lines if line.unit_code and not line.code] if not table.by_unit else []
    heads = [line for line in table.lines if _heads_block(line) and not line.code] \
        if not (table.by_unit or subtotals) else []
    if not keys or not (table.by_unit or subtotals or heads):
        return []
    part = _ONE_PART.search(table.title or "") if table.kind == "expenditure_summary" else None
    if part:  # 基本支出总表 | 项目支出总表 printed unit by unit: a unit's row is that part of its spending
        keys = {"total": f"expenditure.{'basic' if part.group(1) == '基本' else 'project'}"}
    if table.kind == "basic_by_economic":  # its 合计 is the basic spending, or all of it beside a 项目支出 column
        prefix = "general_budget" if re.search(r"一般公共预算|财政拨款", table.title or "") else "expenditure"
        if any("project" in line.values for line in subtotals or table.lines):
            keys = {**keys, "total": f"{prefix}.{'expenditure' if prefix == 'general_budget' else 'total'}",
                    "project": f"{prefix}.project"}
        else:
            keys = {**keys, "total": f"{prefix}.basic"}
    out: list[Figure] = []
    if heads:  # blocks: each unit's row names its unit (the department's own row is the report's total)
        department = normalise_unit(report_unit)
        for line in heads:
            if line.block_unit != department:
                out.extend(_row_figures(line, line.block_unit, keys, table))
        return out
    own_code: str | None = None
    seen_own = bool(subtotals)  # a table of classes with unit subtotal rows has its 合计: the department's row is its 本级
    total = None
    for line in subtotals or table.lines:
        name = normalise_unit(line.name)
        if line.is_total or not name or _strip_enum(name) in ("合计", "总计"):
            total = total or line
            continue
        subject = line.name.strip()
        if name == normalise_unit(report_unit):
            own = not seen_own and not (own_code and line.unit_code and line.unit_code.startswith(own_code)) and \
                not _part_of(line, total)  # 合计 9,483.72 / 广州市统计局 6,748.28 / …: below a 合计, less is its 本级
            if own:
                seen_own, own_code = True, line.unit_code
                continue
            subject = own_part(name)
        out.extend(_row_figures(line, subject, keys, table))
    return out


def _row_figures(line, subject: str, keys: dict[str, str], table: BudgetTable) -> list[Figure]:
    """The figures one unit's row gives: each column of ``keys`` it fills, as that unit's."""
    values = _subtotal_columns(line.values)
    found = [_figure(key, values.get(column), table) for column, key in keys.items()]
    for figure in found:
        if figure is not None:
            figure.subject = subject
    return [figure for figure in found if figure is not None]


_ONE_PART = re.compile(r"(基本|项目)支出(?:预算)?总表")


def _heads_block(line) -> bool:
    """A unit's own row above its lines in a table printed unit by unit (``unit_blocks``)."""
    if not line.block_unit or line.is_total:
        return False
    name = normalise_unit(line.name)
    return line.block_unit in (name, own_part(name))


def _subtotal_columns(values: dict) -> dict:
    """A column group's 小计 (部门预算/一般公共预算拨款/小计, read as a qualified ``total``) is that
    group's figure when no column of its own holds it."""
    out = dict(values)
    for column, cell in values.items():
        if column.startswith("total:") and column.endswith("小计") and "一般公共预算" in column:
            out.setdefault("general_budget", cell)
    return out


def _part_of(line, total) -> bool:
    """``line`` prints less than the ``total`` row above it in the first column both fill."""
    if total is None:
        return False
    column = next((c for c in total.values if c in line.values and total.values[c] is not None
                   and line.values[c] is not None), None)
    return column is not None and line.values[column].value < total.values[column].value


def _current_year_as_total(table: BudgetTable, found: list[Figure]) -> list[Figure]:
    """Templates without carry-over print no 本年收入合计/本年支出合计 row: there the year's own
    income (expenditure) is the grand total. Not when any carry-over or closing-balance row holds money."""
    keys = {f.key for f in found}
    carried = any(re.match(r"^(上年|年初|年终|年末)", _strip_enum(line.name)) and any(a.value for a in line.values.values())
                  for line in table.lines)
    if carried:
        return []
    out = []
    for side in ("income", "expenditure"):
        total = next((f for f in found if f.key == f"{side}.total"), None)
        if total is not None and f"{side}.current_year" not in keys:
            out.append(_figure(f"{side}.current_year", total.amount, table))
    return out


def _basic_from_parts(line) -> Amount | None:
    """Templates without a 基本支出 column print its two parts (人员经费支出 | 公用经费支出)."""
    return _sum_of(line, "personnel", "public_expense")


def _sum_of(line, first: str, second: str) -> Amount | None:
    a, b = line.values.get(first), line.values.get(second)
    if a is None or b is None:
        return None
    return Amount(a.value + b.value, "", a.unit, a.page, a.line)


def _unit_row(table: BudgetTable):
    """Tables by 预算单位 print no 合计 row: the first row, naming the unit before its class rows, is the total."""
    first = next((line for line in table.lines if line.values), None)
    coded = [line for line in table.lines if line.code]
    if first is not None and first.code is None and coded and table.lines.index(first) < table.lines.index(coded[0]):
        return first
    if first is not None and table.by_unit and _sums_the_rest(table, first):
        return first  # rows of units only: the department's row, printed first, adds up the others
    return None


def _sums_the_rest(table: BudgetTable, first) -> bool:
    total = first.values.get("total")
    rest = [line.values["total"].value for line in table.lines if line is not first and line.values.get("total")]
    if total is None or not rest:
        return False
    return abs(sum(rest) - total.value) <= max(100 * len(rest), abs(total.value) / 1000)  # rows rounded as printed


# -- tables read straight from the layout --------------------------------------------------

_THREE_PUBLIC_ROWS = [
    ("three_public.overseas", r"因公出国"),
    ("three_public.reception", r"公务接待"),
    ("three_public.vehicle_purchase", r"公务用车购置(?![及和])|车辆购置"),
    ("three_public.vehicle_operation", r"公务用车运行"),
    ("three_public.vehicle_total", r"公务用车购置(及|和)运行|公务用车|用车购置(及|和)运行"),
    ("three_public.total", r"^(合计|总计)$"),
]


def is_horizontal_three_public(table: Table) -> bool:
    """True when the 三公 items are column headers (决算 layout) rather than row names."""
    n_header, _ = header_rows(table)
    header_text = "|".join(squash("".join(path)) for path in column_paths(table, n_header))  # column by column
    return "因公出国" in header_text and "公务接待" in header_text


def three_public_figures(table: Table, title: str, unit: str, report_unit: str | None = None) -> list[Figure]:
    """三公 table, vertical (one row per item) or horizontal (预算数 | 决算数 column groups)."""
    n_header, first = header_rows(table)
    paths = column_paths(table, n_header)
    out: list[Figure] = []
    horizontal = is_horizontal_three_public(table)
    with_meetings = any("会议费" in squash("".join(path)) or "培训费" in squash("".join(path)) for path in paths)
    if horizontal:
        r = _this_year_row(table, first, report_unit)

        years = [int(y) for path in paths for y in re.findall(r"(\d{4})年", "".join(path[:-1]))]
        latest = max(years, default=None)  # 2018年 | 2019年 | 增减: the latest year is the report's

        def row_figures(r: int, subject: str | None = None, row_basis: str | None = None) -> list[Figure]:
            row, seen, found = table.rows[r], set(), []
            for c, cell in enumerate(row):
                amount = to_amount(cell, unit, table.row_pages[r], table.row_lines[r])
                if amount is None:
                    continue
                path = [squash(p) for p in paths[c]]
                if path and _FUND_TYPE.match(path[-1]):
                    path = path[:-1]  # 一般公共预算 | 政府性基金预算 … under each item: the item is the column
                leaf = path[-1] if path else ""
                parent = "".join(path[:-1])
                year = re.search(r"(\d{4})年", parent)
                change = bool(re.search(r"增减", parent)) and not re.search(r"本年|当年", parent)
                if change and (re.search(r"率|幅|%|％", parent + leaf) or "%" in cell):
                    continue  # 增减率: a rate, not the change in money
                if not change and (re.search(r"上年", parent) or year and int(year.group(1)) != latest) \
                        and not re.search(r"本年|当年", parent):
                    continue  # the previous year's columns, printed for comparison
                key = _three_public_key(leaf, parent, with_meetings) or next(
                    (k for n in (2, 3) if len(path) >= n  # an item name broken over header rows: 公务接 | 待费
                     for k in [_three_public_key("".join(path[-n:]), "".join(path[:-n]), with_meetings)] if k), None)
                basis = YOY_BASIS if change else row_basis or basis_of(paths[c])  # 增减变化情况: the change
                if key and (key, basis) not in seen:
                    seen.add((key, basis))  # the first fund column of an item: its 一般公共预算 (财政拨款) figure
                    found.append(Figure(key, BY_KEY[key].label, amount, basis=basis, context=title,
                                        page=amount.page, line=amount.line, subject=subject))
            return found

        by_basis = {i: squash(table.rows[i][0]) for i in range(first, len(table.rows))
                    if table.rows[i] and squash(table.rows[i][0]) in ("预算数", "决算数")}
        if len(set(by_basis.values())) == 2:  # one row of 预算数 and one of 决算数 under the items
            for i, label in by_basis.items():
                out.extend(row_figures(i, row_basis=label))
            return out
        owners = _owners(table, first)
        if r is not None:
            out.extend(row_figures(r))  # the department's change is the one its text states, with reasons
        own = normalise_unit(report_unit or "")
        by_year = any(_YEAR_CELL.match(squash(c)) for row in table.rows[first:] for c in row)
        latest_rows = _latest_rows(table)
        done: set[str] = set()
        seen_own = False
        for row_index, printed in owners.items():
            if not printed or row_index == r:
                continue
            name = normalise_unit(printed)
            subject = name
            if name == own:
                if _OWN_PART.search(printed):
                    subject = own_part(name)  # X（本级） beside X: the department's own part, a 预算单位
                elif by_year or not seen_own:
                    seen_own = True
                    continue  # the department's own row
                else:
                    subject = own_part(name)  # its name again (under a longer code): its 本级
            if subject in done:
                continue
            done.add(subject)  # another 预算单位 of a table by unit: its own figures
            block = [i for i, owner in owners.items() if owner == printed]
            other = next((i for i in block if i in latest_rows), None) if by_year else row_index
            if other is not None and other != r and any(is_number(c) for c in table.rows[other]):
                out.extend(row_figures(other, subject))
                change = _change_row(table, block, other) if by_year else None
                if change is not None:  # 增减变化金额 under a unit's year rows: its change, no text states it
                    out.extend(row_figures(change, subject, row_basis=YOY_BASIS))
        return out
    for r in range(first, len(table.rows)):
        row = table.rows[r]
        name = squash(next((c for c in row if c), ""))
        name = re.sub(r"^[①②③④⑤⑥]", "", name)
        value = next((c for c in row[1:] if is_number(c)), None)
        amount = to_amount(value, unit, table.row_pages[r], table.row_lines[r]) if value else None
        if amount is None:
            continue
        for key, pattern in _THREE_PUBLIC_ROWS:
            if re.search(pattern, name):
                out.append(Figure(key, BY_KEY[key].label, amount, context=title, page=amount.page, line=amount.line))
                break
    return out


_UNIT_CODE_CELL = re.compile(r"\d{3,9}")  # 119 | 西安市统计局, 119001 | 西安市统计局: the unit's code before its name
_FUND_TYPE = re.compile(r"^(一般公共预算|政府性基金(预算)?|国有资本经营(预算)?|财政拨款)$")
_YEAR_CELL = re.compile(r"^((?:19|20)\d{2})年?(度)?$")


_OWN_PART = re.compile(r"本级[)）〕]?$")


def _latest_rows(table: Table) -> set[int]:
    """The rows of the table's latest year (2025年 | 2026年 | 增减变化金额 under each 预算单位): a
    unit whose block ends before its row goes on overleaf and has none here."""
    dated = [(int(m.group(1)), r) for r in range(len(table.rows)) for c in table.rows[r]
             if (m := _YEAR_CELL.match(squash(c)))]
    latest = max((y for y, _ in dated), default=None)
    return {r for y, r in dated if y == latest}


def _change_row(table: Table, block: list[int], after: int) -> int | None:
    """The 增减变化金额 row of a unit's year rows, printed after its latest year's row."""
    for r in block:
        lead = squash(next((c for c in table.rows[r] if c.strip()), ""))
        if r > after and lead.startswith("增减") and not re.search(r"率|幅", lead) \
                and not any("%" in c for c in table.rows[r]):
            return r
    return None


def _owners(table: Table, first: int) -> dict[int, str | None]:
    """For a table whose rows are grouped by 预算单位 (a unit's name, then its year rows): each
    row's unit as printed; None where no unit is named."""
    owner: dict[int, str | None] = {}
    current = None
    for r in range(first, len(table.rows)):
        lead = squash(next((c for c in table.rows[r] if c.strip() and not _UNIT_CODE_CELL.fullmatch(squash(c))), ""))
        if lead and not is_number(lead) and not _YEAR_CELL.match(lead) and re.search(r"[\u4e00-\u9fff]{4,}", lead) \
                and not re.match(r"增减|合计|小计", lead):
            current = lead
        owner[r] = current
    return owner


def _this_year_row(table: Table, first: int, report_unit: str | None = None) -> int | None:
    """The data row of a horizontal 三公 table: the latest year's where rows are years (2025年 |
    2026年 | 增减变化金额), else the first row of numbers. Where rows are grouped by 预算单位
    (the unit's name before its year rows), only the report's own unit's rows count."""
    rows = [r for r in range(first, len(table.rows))
            if not is_numbering_row(table.rows[r]) and any(is_number(c) for c in table.rows[r])]
    owner = _owners(table, first)
    dated = [(int(m.group(1)), r) for r in rows for c in table.rows[r] if (m := _YEAR_CELL.match(squash(c)))]
    if dated and report_unit and any(owner[r] for _, r in dated):
        own = normalise_unit(report_unit)
        unnamed = [y for y, r in dated if owner[r] is None]
        if unnamed and unnamed[0] > min(y for y, _ in dated):
            dated = [(y, r) for y, r in dated if owner[r] is not None]  # the end of the unit of the page before
        dated = [(y, r) for y, r in dated if owner[r] is None or normalise_unit(owner[r]) == own]
        if not dated:
            return None  # another unit's rows (a page of the table by 预算单位)
    if dated:
        latest = max(y for y, _ in dated)
        return min(r for y, r in dated if y == latest)
    return rows[0] if rows else None


def _three_public_key(leaf: str, parent: str, with_meetings: bool = False) -> str | None:
    """Figure key of a horizontal 三公 column. Where 会议费/培训费 share the table, its 合计 is not
    the 三公 total: the 小计 under the 三公 heading is."""
    if leaf in ("合计", "总计"):
        return None if with_meetings else "three_public.total"
    if re.fullmatch(r"[“\"]?三公[”\"]?经费(?:合计|总计|小计)?", leaf):
        return "three_public.total"  # “三公”经费合计: the 三公 total, whatever else the table adds
    item = re.search(r"(会议|培训)费(?:合计|小计)?$", leaf)  # 费会议费: a header cell that caught a stray 费
    if with_meetings and item and len(leaf) <= len(item.group(0)) + 1:
        return "meetings" if item.group(1) == "会议" else "training"
    if leaf == "小计" and "用车" in parent.split("三公")[-1]:
        return "three_public.vehicle_total"
    if leaf == "小计" and "三公" in parent:
        return "three_public.total"
    for key, pattern in _THREE_PUBLIC_ROWS[:-1]:
        if re.search(pattern, leaf):
            return key
    return None


_AMOUNT_HEADER = re.compile(r"(总计|合计|金额|预算数|小计)$")


def procurement_total(table: Table, title: str, unit: str) -> list[Figure]:
    """A 政府采购 table's 合计 row: the report's procurement total, read under the column headed
    总计/合计/金额 (a 数量 column may come first), else the row's last amount."""
    n_header, first = header_rows(table)
    column = next((c for row in table.rows[:max(n_header, 1)] for c, cell in enumerate(row)
                   if _AMOUNT_HEADER.search(squash(cell))), None)
    for r in range(first, len(table.rows)):
        row = table.rows[r]
        if not any(squash(c) in ("合计", "总计") for c in row[:6]):
            continue
        cell = row[column] if column is not None and column < len(row) and is_number(row[column]) else \
            next((c for c in reversed(row) if is_number(c)), None)
        amount = to_amount(cell, unit, table.row_pages[r], table.row_lines[r]) if cell else None
        if amount is not None:
            return [Figure("procurement.total", BY_KEY["procurement.total"].label, amount, context=title,
                           page=amount.page, line=amount.line)]
    return []


def statistics_figures(table: Table, title: str, unit: str) -> list[Figure]:
    """决算 部门决算公开相关信息统计表: 政府采购, 机关运行经费, 国有资产占用 (vehicles)."""
    value_col = None
    for row in table.rows[:4]:
        cells = [squash(c) for c in row]
        if "统计数" in cells:
            value_col = cells.index("统计数")
            break
    out: list[Figure] = []
    section = ""
    operating: list[Amount] = []
    for r, row in enumerate(table.rows):
        name = squash(next((c for c in row if c), ""))
        if re.match(r"^[一二三四五六七八九十]+、", name):
            section = name
            continue
        cell = row[value_col] if value_col is not None and value_col < len(row) else ""
        if not is_number(cell):
            numbers = [c for c in row if is_number(c)]
            cell = numbers[-1] if len(numbers) >= 2 else ""
        if not is_number(cell):
            continue
        page, line = table.row_pages[r], table.row_lines[r]
        if "政府采购" in section:
            key = {"合计": "procurement.total", "货物": "procurement.goods", "工程": "procurement.works",
                   "服务": "procurement.services"}.get(name)
            if key:
                amount = to_amount(cell, unit, page, line)
                out.append(Figure(key, BY_KEY[key].label, amount, context=title, page=page, line=line))
        elif "机关运行经费" in section:
            amount = to_amount(cell, unit, page, line)
            if amount is not None:
                operating.append(amount)
        elif "车辆数合计" in name or re.search(r"车辆(数)?合计", name):
            value = parse_number(cell)
            out.append(Figure("assets.vehicles", "车辆数", quantity=Quantity(value, "辆", cell, page, line),
                              context=title, page=page, line=line))
    if operating:
        total = sum((a.value for a in operating), Decimal(0))
        first = operating[0]
        printed = first.printed if len(operating) == 1 else format(total / 10000, "f")
        out.append(Figure("operating_costs", BY_KEY["operating_costs"].label,
                          Amount(total, printed, first.unit, first.page, first.line), context=title,
                          page=first.page, line=first.line))
    return out


def economic_detail_figures(table: Table, title: str, unit: str) -> list[Figure]:
    """决算 基本支出决算明细表: '人员经费合计' / '公用经费合计' cells followed by their amounts."""
    out: list[Figure] = []
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            key = {"人员经费合计": "basic.personnel", "公用经费合计": "basic.public"}.get(squash(cell))
            if not key:
                continue
            value = next((v for v in row[c + 1:] if is_number(v)), None)
            amount = to_amount(value, unit, table.row_pages[r], table.row_lines[r]) if value else None
            if amount is not None:
                out.append(Figure(key, BY_KEY[key].label, amount, context=title, page=amount.page, line=amount.line))
    return out


def merge_figures(figures: list[Figure]) -> list[Figure]:
    """Keep one figure per (key, basis, source, subject): the first seen."""
    seen: set[tuple] = set()
    out: list[Figure] = []
    for figure in figures:
        ident = (figure.key, figure.basis, figure.source, figure.subject)
        if ident in seen:
            continue
        seen.add(ident)
        out.append(figure)
    return out
