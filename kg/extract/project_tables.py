"""Projects from tables that list one project per row, in any region's layout.

The national templates print projects in many table shapes: a 项目支出绩效目标表 with one row
per project (项目名称 | 总计 | 财政拨款 … | 绩效目标 | 绩效指标), a 重点项目 table (一级项目名称 |
预算数 | 绩效目标), a 项目支出表 with a unit column (单位名称 | 项目名称 | 金额), or a form-like
table whose project rows are followed by their indicator rows (单位（项目）名称 | 资金总额 |
绩效目标 | 一级指标 | 二级指标 | 三级指标 | 指标值). They are recognised by their header
cells, not by their titles: a column naming projects, a money column, and at least one column
that only project tables have (绩效目标, 绩效指标, 立项依据, 项目简介, a unit column).

Rows naming a unit (资金使用单位 subtotals such as ``广州市统计局 1,075.05``) set the unit of
the project rows below them; 合计 rows are skipped; rows without a name continue the row above.
"""
from __future__ import annotations

import re

from kg.extract import indicators as kpi
from kg.extract.amounts import declared_unit, parse_number, to_amount
from kg.extract.forms import split_category
from kg.extract.identity import looks_like_unit
from kg.extract.layout import Table
from kg.extract.names import normalise_unit, own_part
from kg.extract.normalize import squash
from kg.model import FundSource, Project, ProjectAmount, SelfEvaluation

_ROLES = [
    ("name", re.compile(r"^(?:(?:一级|二级|预算)?项目(?:名称)?(?:[（(].*[)）])?|单位[（(]项目[)）]名称|支出项目类别(?:[（(].*[)）])?|"
                        r"专项(?:资金)?名称|项目名称及内容)$")),
    ("unit", re.compile(r"^(?:(?:二级)?(?:预算)?单位(?:名称)?|资金使用单位|实施单位|项目单位)$")),
    ("code", re.compile(r"^(?:单位|项目)(?:编码|代码)$")),
    ("amount", re.compile(r"^(?:总计|合计|金额|资金总额|预算数|本年预算|年度预算|项目金额|预算金额|本年拨款|"
                          r"(?:当年|本年|年度)?(?:财政拨款)?预算(?:金额|数)?|(?:预算数|金额|资金总额)[（(].*[)）])[:：]?$")),
    ("goal", re.compile(r"^(?:项目)?(?:当年|年度)?(?:整体)?绩效目标$")),
    ("indicators", re.compile(r"^绩效指标$|^一级指标$|^指标名称$")),
    ("basis", re.compile(r"^立项依据$")),
    ("score", re.compile(r"^(?:自评)?(?:分数|得分|评分|总分)$")),
    ("overview", re.compile(r"^(?:项目简介|项目概况|项目概述|主要内容|项目说明|项目内容)$")),
]
_TOTAL = re.compile(r"^(?:合计|总计|小计|本年合计)[:：]?$")
# the source of money a column after the amount prints (财政拨款收入 › 一般公共预算, 其他资金 …): the
# most specific word of the column's header cells wins
_FUND_HEADERS = [("一般公共预算", "一般公共预算"), ("政府性基金", "政府性基金"), ("国有资本经营", "国有资本经营预算"),
                 ("财政专户", "财政专户管理资金"), ("单位资金", "单位资金"), ("其他资金", "其他资金"),
                 ("事业收入", "事业收入"), ("上年结转", "上年结转"), ("财政拨款", "财政拨款")]
_PROJECT_ONLY = {"goal", "indicators", "basis", "overview", "unit", "score"}


def _header(table: Table, units_named: bool = False) -> tuple[dict[str, int], int] | None:
    """Column roles of the header rows and the index of the first data row; None if not a project table.
    ``units_named``: the rows are units (a 部门整体支出绩效目标表), their 单位名称 column names them."""
    roles: dict[str, int] = {}
    header_end = 0
    start = _caption_rows(table)
    for r, row in enumerate(table.rows[:start + 3]):
        matched = False
        for c, cell in enumerate(row):
            text = squash(cell)
            for role, pattern in _ROLES:
                role = "name" if units_named and role == "unit" and "name" not in roles else role
                if text and pattern.match(text) and role not in roles:
                    if role == "amount" and "name" not in roles:
                        break  # money columns come after the project name
                    roles[role] = c
                    matched = True
                    break
        if matched:
            header_end = r + 1
    if "name" not in roles or not ({"amount", "score"} & roles.keys()) or not (_PROJECT_ONLY & roles.keys()):
        return None
    cells = {squash(c) for row in table.rows[:header_end] for c in row}
    if {"收入", "支出"} <= cells:
        return None  # a two-sided summary table, whose 项目 column names budget lines
    bare = squash(table.rows[_roles_row(table, roles["name"])][roles["name"]]) == "项目"
    if bare and "goal" not in roles:
        return None
    return roles, header_end


def _fund_columns(table: Table, roles: dict[str, int]) -> dict[int, str]:
    """Columns right of the amount that split it by source of money, from the header rows above
    the first row with a figure (a merged 财政拨款收入 over 一般公共预算 | 政府性基金 counts once)."""
    if "amount" not in roles:
        return {}
    amount = roles["amount"]
    end = next((r for r, row in enumerate(table.rows) if amount < len(row) and
                (parse_number(row[amount]) is not None or squash(row[amount]) in ("**", "栏次"))), 0)
    stop = min([c for role, c in roles.items() if c > amount] or [max(len(r) for r in table.rows)])
    found: dict[int, str] = {}
    for c in range(amount + 1, stop):
        header = "".join(squash(row[c]) for row in table.rows[:end] if c < len(row))
        level = next((label for word, label in _FUND_HEADERS if word in header), None)
        if level and level not in found.values():
            found[c] = level
    return found if len(found) >= 2 else {}


def _row_funds(row: list[str], columns: dict[int, str], unit: str, page, line) -> list[FundSource]:
    """A project row's money by source; a blank cell beside filled ones is none of that source."""
    sources = []
    for c, level in columns.items():
        text = row[c] if c < len(row) else ""
        amount = to_amount(text if squash(text) else "0", unit, page, line)
        if amount is not None:
            sources.append(FundSource(level, amount, "annual"))
    return sources if any(s.amount.value for s in sources) else []


def _roles_row(table: Table, column: int) -> int:
    start = _caption_rows(table)
    return next(r for r, row in enumerate(table.rows[:start + 3]) if column < len(row) and squash(row[column]))


def _caption_rows(table: Table) -> int:
    """Rows above the header that print the table's number, title or money unit in a cell or two
    (表11 | 2019年部门综合预算财政拨款结转资金支出表 | 单位：万元), at most three."""
    count = 0
    for row in table.rows[:3]:
        if len(row) < 4 or sum(1 for c in row if c.strip()) > 2:
            break
        count += 1
    return count


def _unit_of_row(cell: str) -> str | None:
    """A row's 预算单位 as printed; a department's own part keeps its （本级） (it is one 预算单位
    beside the others, not the department)."""
    text = squash(cell)
    if not text:
        return None
    return own_part(text) if re.search(r"[（(]本级[)）]$", text) else normalise_unit(text)


def is_project_table(table: Table) -> bool:
    return _header(table) is not None


def has_unit_column(table: Table) -> bool:
    """A project table naming each row's unit in a column of its own (单位名称 | 项目名称 | 金额)."""
    found = _header(table)
    return found is not None and "unit" in found[0]


def _indicator_layout(table: Table, header_end: int) -> tuple[int, list[list[str]]] | None:
    for row in table.rows[:header_end + 1]:
        if kpi.is_indicator_header(row):
            start = next(i for i, c in enumerate(row) if squash(c) == "一级指标")
            return start, kpi.header_layout(row[start:])
    return None


def is_table_of_units(table: Table) -> bool:
    """A 部门整体支出绩效目标表 printed as a table of units (see ``department_targets``)."""
    return _header(table, units_named=True) is not None


def department_targets(table: Table, unit: str, report_unit: str,
                       previous: Project | None = None) -> list[Project]:
    """A 部门整体支出绩效目标表 printed as a table of units (单位编码 | 单位名称 | 资金总额 … | 整体绩效目标 |
    一级指标 | 二级指标 | 三级指标 | 指标值 …, 长沙): each unit's row, with its goal and indicators, as the
    unit's whole-spending target (``Project.covers_department``); [] for any other shape."""
    return projects_from_project_table(table, unit, report_unit, previous, units_named=True)


def projects_from_project_table(table: Table, unit: str, report_unit: str,
                                previous: Project | None = None, units_named: bool = False) -> list[Project]:
    """Every project row of a project table; ``unit`` is the money unit of its caption.

    ``previous`` is the last project of the table before it (the same table continued on the
    next page): rows without a name at the top, and a first row repeating its name, continue
    it instead of starting a project. ``units_named``: see ``department_targets``."""
    found = _header(table, units_named)
    if found is None:
        return []
    roles, start = found
    header_text = "".join(squash(c) for row in table.rows[:start] for c in row)
    money_unit = declared_unit(header_text) or ("万元" if "万元" in header_text else unit)
    layout = _indicator_layout(table, start)
    if layout is not None:
        start = max(start, next(i for i, row in enumerate(table.rows) if kpi.is_indicator_header(row)) + 1)
    flat = next((kpi.flat_layout(row) for row in table.rows[:start] if kpi.flat_layout(row)), None)
    fund_columns = _fund_columns(table, roles)
    projects: list[Project] = []
    current_unit: str | None = None
    rows_of: dict[int, list[int]] = {}
    written: dict[int, str] = {}  # the 绩效指标 cell text of each project's rows
    report_key = normalise_unit(report_unit)
    unit_codes = "code" in roles and any(squash(row[roles["code"]]).startswith("单位") for row in table.rows[:start]
                                         if roles["code"] < len(row))
    for r in range(start, len(table.rows)):
        row = table.rows[r]
        cell = lambda role: row[roles[role]] if role in roles and roles[role] < len(row) else ""  # noqa: E731
        name = squash(cell("name"))
        amount_text = cell("amount") if "amount" in roles else ""
        last = projects[-1] if projects else previous
        unit_here = _unit_of_row(cell("unit")) or current_unit
        if last is not None and name == _row_name(last) and \
                (unit_here is None or unit_here == last.unit):
            name = ""  # the project of the page before, its name printed again at the top of the next
        if not name and kpi.is_indicator_header(row):
            continue
        if not name:
            owner = projects[-1] if projects else previous
            if owner is not None:
                _continue_row(owner, cell("goal"), cell("overview"))
                rows_of.setdefault(id(owner), []).append(r)
                written[id(owner)] = written.get(id(owner), "") + cell("indicators")
            continue
        if _TOTAL.match(name) or name in ("**", "栏次") or parse_number(name) is not None or \
                _ROLES[0][1].match(name) or kpi.is_indicator_header(row):
            continue  # totals, numbering, and header rows repeated where a continued page was joined
        has_text = any(squash(cell(k)) for k in ("goal", "basis", "overview")) or \
            (layout is not None and any(squash(c) for c in row[layout[0]:])) or \
            (flat is not None and bool(squash(row[flat["name"]])))
        # 单位编码 | 单位（项目）名称: the unit rows are the coded ones (119002 西安市社会经济调查中心), not every
        # bracketed name (购买服务（审计、绩效、ppp项目评价）, 1%人口普查（2026）)
        unit_row = bool(squash(cell("code"))) if unit_codes else \
            normalise_unit(name) == report_key or looks_like_unit(normalise_unit(name))
        if not has_text and unit_row and "unit" not in roles:
            current_unit = normalise_unit(name)
            continue
        page, line = table.row_pages[r], table.row_lines[r]
        category, clean = split_category(name)
        project = Project(name=clean, printed_names=[name], category=category, pages=[page] if page else [], line=line)
        project.unit = _unit_of_row(cell("unit")) or current_unit
        amount = to_amount(amount_text, money_unit, page, line)
        if amount is not None:
            project.amounts.append(ProjectAmount("performance_table" if "goal" in roles else "project_list",
                                                 "annual_total", amount))
            project.annual_total = amount
            project.fund_sources = _row_funds(row, fund_columns, money_unit, page, line)
        score = parse_number(cell("score"))
        if score is not None:
            project.self_evaluation = SelfEvaluation(total_score=score, page=page)
        project.goal_annual = cell("goal").strip() or None
        project.basis = cell("basis").strip() or None
        project.overview = cell("overview").strip() or None
        projects.append(project)
        rows_of[id(project)] = [r]
        written[id(project)] = cell("indicators")
    projects = _without_group_rows(projects, roles)
    if layout is None and flat is None:  # indicators written out in the 绩效指标 cell (1、2－效益指标，…)
        for project in projects + ([previous] if previous is not None else []):
            if not project.indicators and written.get(id(project)):
                project.indicators = kpi.parse_written(written[id(project)], project.pages[0] if project.pages else None)
    if flat is not None and layout is None:
        for project in projects + ([previous] if previous is not None else []):
            rows = rows_of.get(id(project), [])
            project.indicators += kpi.parse_flat_rows([table.rows[r] for r in rows], flat,
                                                      [table.row_pages[r] for r in rows], [table.row_lines[r] for r in rows])
    if layout is not None:
        column, groups = layout
        for project in projects + ([previous] if previous is not None else []):
            rows = rows_of.get(id(project), [])
            if not rows:
                continue
            project.indicators += kpi.parse_indicator_rows(
                [table.rows[r][column:] for r in rows], groups, ["annual"],
                [table.row_pages[r] for r in rows], [table.row_lines[r] for r in rows])
    return projects


def _row_name(project: Project) -> str:
    """The name a project's row prints, which a continued page prints again: a department target's
    is its unit's (长沙市信访局), not its own (长沙市信访局部门整体支出)."""
    if project.covers_department:
        return squash(project.unit or "")
    return squash(project.printed_names[0] if project.printed_names else project.name)


_CATEGORY = re.compile(r"^[\u4e00-\u9fff]{2,4}(?:项目|活动|业务|购置|经费|支出)$")


def _without_group_rows(projects: list[Project], roles: dict[str, int]) -> list[Project]:
    """Rows that group the projects below them (通用项目 858.06 over 大型活动 75.00 over 统计业务培训
    75.00 …) are not projects: a row without the text projects carry (简介, 绩效目标) whose amount is
    the sum of the rows that follow it, counting a nested group once. A group of a single row
    must be named like a category (大型活动, 专项购置), so two neighbouring projects of equal
    amounts are not taken for a group and its member — unless the group around them adds up
    only with it (通用项目 over 购买服务（审计、绩效、ppp项目评价） 1.5 over 内审服务 1.5)."""
    amounts = [p.annual_total.value if p.annual_total is not None else None for p in projects]
    textless = [not (p.goal_annual or p.overview or p.basis or p.indicators) for p in projects]

    memo: dict[int, int | None] = {}
    ones: set[int] = set()  # groups of one row that only the group around them shows

    def span(i: int) -> int | None:
        if i not in memo:
            memo[i] = _span(i)
        return memo[i]

    def _span(i: int) -> int | None:
        """Index after the last member of group row ``i``; None if it is no group."""
        if not textless[i] or amounts[i] is None:
            return None
        filled = fill(i + 1, amounts[i])
        if filled is None or filled[0] == i + 1:
            return None
        end, members, found = filled
        if members == 1 and not _CATEGORY.match(projects[i].name):
            return None
        ones.update(found)
        return end

    def fill(j: int, need, depth: int = 0) -> tuple[int, int, set[int]] | None:
        """Rows from ``j`` whose amounts make ``need`` (nested groups counted once): the index after
        them, how many there are, and the rows among them taken for groups of one; None if none do.
        A textless row followed by one of the same amount may be either (tried as itself first)."""
        if abs(need) <= 100 and depth:
            return j, 0, set()
        if need < -100 or j >= len(projects) or amounts[j] is None or depth > 300:
            return None
        end = span(j)
        choices = [(end, set())] if end is not None else [(j + 1, set())]
        if end is None and textless[j] and j + 1 < len(projects) and amounts[j + 1] == amounts[j]:
            choices.append((j + 2, {j}))
        for after, found in choices:
            rest = fill(after, need - amounts[j], depth + 1)
            if rest is not None:
                return rest[0], rest[1] + 1, found | rest[2]
        return None

    return [p for i, p in enumerate(projects) if span(i) is None and i not in ones]


def _continue_row(project: Project, goal: str, overview: str) -> None:
    """A row without a name carries the wrapped text of the row above."""
    if goal.strip():
        project.goal_annual = (project.goal_annual or "") + goal.strip()
    if overview.strip():
        project.overview = (project.overview or "") + overview.strip()


# -- 政府采购 tables that name the 专项 each purchase belongs to ------------------------------

_PROCUREMENT_NAME = re.compile(r"^(?:专项名称|专项|项目名称)$")
_PROCUREMENT_AMOUNT = re.compile(r"^(?:总计|合计|金额|采购金额|预算金额|采购预算|小计)(?:[（(].*[)）])?$")
_PROCUREMENT_ITEM = re.compile(r"^(?:采购)?(?:品目|物品|项目)(?:名称)?$|^采购品目$")
_ECONOMIC_HEADING = re.compile(r"^(?:支出)?经济(?:科目|分类)(?:名称)?$")
_NOT_A_PROJECT = re.compile(r"定额|三保|生均|^(?:商品和服务支出|工资福利支出|对个人和家庭的补助|基本支出|公用经费|人员经费|日常公用|其他)|^其他$")


def _snap(table: Table, start: int, header_col: int, want_number: bool) -> int:
    """The data column under a header cell: pdfplumber centres a merged header over its span, so
    the values may sit a column or two beside it; the nearby column holding most such cells wins,
    among those nearer this header than any other (专项名称's values, not 经济科目's beside them)."""
    def score(c: int) -> int:
        cells = [row[c] for row in table.rows[start:] if c < len(row) and squash(row[c])]
        return sum((parse_number(x) is not None) == want_number for x in cells)
    headed = {c for row in table.rows[:start] for c, cell in enumerate(row) if squash(cell)}
    candidates = [c for c in range(header_col - 2, header_col + 3)
                  if 0 <= c < table.width and (c == header_col or c not in headed)
                  and not any(abs(c - other) < abs(c - header_col) for other in headed)]
    return max(candidates, key=lambda c: (score(c), c == header_col, -abs(c - header_col)))


def projects_from_procurement_table(table: Table, unit: str) -> list[Project]:
    """Projects named in the 专项名称 column of a 政府采购 table (Jiangsu and others print the
    purchases of each project under its name): one project per name, with its procurement
    amount (``ProjectAmount('procurement_table', 'procurement')``). A named row without an item
    (品目) is the project's subtotal over the item rows below it; a named row with an item is
    itself a purchase, and item rows without a name add to it. A row with neither, under a
    经济科目 column, is the subtotal of another 经济科目 of the project above (its name cell merged
    over both). Unit rows (``苏州市审计局``)
    set the unit. Basic-expenditure lines printed in the same column (定额, 人员定额, 商品和服务支出(生均),
    三保) are no projects."""
    roles: dict[str, int] = {}
    header_end = 0
    for r, row in enumerate(table.rows[:4]):
        for c, cell in enumerate(row):
            text = squash(cell)
            for role, pattern in (("name", _PROCUREMENT_NAME), ("amount", _PROCUREMENT_AMOUNT), ("item", _PROCUREMENT_ITEM)):
                if text and role not in roles and pattern.match(text) and (role == "name" or "name" in roles):
                    roles[role] = c
                    header_end = r + 1
                    break
    if "name" not in roles or "amount" not in roles:
        return []
    if "item" not in roles:  # 采购物品 | 名称 broken over two header rows: read down the column
        stacked = ["".join(squash(row[c]) for row in table.rows[:header_end] if c < len(row))
                   for c in range(table.width)]
        roles.update({"item": c for c, text in enumerate(stacked) if _PROCUREMENT_ITEM.match(text)})
    economic = next((c for c in range(table.width) if any(
        c < len(row) and _ECONOMIC_HEADING.match(squash(row[c])) for row in table.rows[:header_end])), None)
    header_text = "".join(squash(c) for row in table.rows[:header_end] for c in row)
    money_unit = declared_unit(header_text) or unit
    name_col = _snap(table, header_end, roles["name"], False)
    amount_col = _snap(table, header_end, roles["amount"], True)
    item_col = _snap(table, header_end, roles["item"], False) if "item" in roles else None
    economic_col = _snap(table, header_end, economic, False) if economic is not None and item_col is not None else None
    by_name: dict[str, Project] = {}
    current: Project | None = None
    collecting = False  # item rows below add to ``current``
    current_unit: str | None = None
    for r in range(header_end, len(table.rows)):
        row = table.rows[r]
        cell = lambda c: squash(row[c]) if c is not None and c < len(row) else ""  # noqa: E731
        name = cell(name_col)
        first = squash(next((c for c in row if c.strip()), ""))
        amount = to_amount(row[amount_col], money_unit, table.row_pages[r], table.row_lines[r]) \
            if amount_col < len(row) else None
        has_item = bool(cell(item_col)) if item_col is not None else True
        if not name:
            if _TOTAL.match(first):
                current = None
            elif not has_item and looks_like_unit(normalise_unit(first.split("（")[0])):  # not 维修（护）费
                current_unit, current = normalise_unit(first), None
            elif not has_item and current is not None and not collecting and amount is not None and \
                    cell(economic_col) and first == cell(economic_col):
                _add_procurement(current, amount)  # the project's next 经济科目
            elif not has_item:
                current = None  # a category row (货物/服务/工程)
            elif current is not None and collecting and amount is not None:
                _add_procurement(current, amount)
            continue
        if _TOTAL.match(name) or _NOT_A_PROJECT.search(name) or parse_number(name) is not None:
            current = None
            continue
        category, clean = split_category(name)
        project = by_name.get(clean)
        if project is None:
            project = Project(name=clean, printed_names=[name], category=category, unit=current_unit,
                              pages=[table.row_pages[r]] if table.row_pages[r] else [], line=table.row_lines[r])
            by_name[clean] = project
        elif table.row_pages[r] and table.row_pages[r] not in project.pages:
            project.pages.append(table.row_pages[r])
        if amount is not None:
            _add_procurement(project, amount)
        current, collecting = project, has_item
    return list(by_name.values())


def _add_procurement(project: Project, amount) -> None:
    stated = next((a for a in project.amounts if a.key == "procurement"), None)
    if stated is None:
        project.amounts.append(ProjectAmount("procurement_table", "procurement", amount))
    else:
        total = stated.amount.value + amount.value
        stated.amount = type(amount)(total, _printed(total, amount.unit), amount.unit, stated.amount.page, stated.amount.line)


def _printed(value, unit: str) -> str:
    shown = value / 10000 if unit == "万元" else value
    return f"{shown:,.2f}"
