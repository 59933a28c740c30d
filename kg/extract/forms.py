"""Project forms: 项目支出绩效目标表 / 绩效目标申报表 and 项目支出绩效自评表.

Forms are label/value grids whose cells are often shifted, truncated or mislabelled in
real exports, so they are read by labels and value shapes rather than fixed columns:
a label cell (``立项依据``) takes the next non-label cell as its value; a department code
(``121-…``), a project attribute (``经常性项目（长期开展）``) or a term (``99年``) is
recognised by its shape wherever it sits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.extract import indicators as kpi
from kg.extract.amounts import amount_from_text, declared_unit, parse_number, to_amount
from kg.extract.documents import find_references
from kg.extract.identity import looks_like_unit
from kg.extract.layout import Table
from kg.extract.names import split_code
from kg.extract.normalize import CHECKED, UNCHECKED, squash
from kg.model import Amount, FundSource, Project, ProjectAmount, SelfEvaluation

CATEGORY = re.compile(r"^(QT|XM|J|Z)(?=[\u4e00-\u9fff0-9“\"《（(〔【])")

_LABELS: list[tuple[str, str]] = [
    ("name", r"^(项目名称|项目总体|专项[（(]项目[)）]名称|专项(资金)?名称)$"),
    ("code", r"^项目编码$"),
    ("department", r"^主管部门"),
    ("unit", r"^(项目)?实施单位$|^预算单位$|^项目单位"),
    ("attribute", r"^(项目属性|项目性质|行政性|项目类别)$"),
    ("period", r"^(项目期|项目日期|项目周期|实施周期|实施期限)([:：]?\d{1,3}年)?$"),
    ("project_type", r"^项目类型$"),
    ("funds", r"^项目资金(?!.*(?:率|控制|到位|使用|执行))"),  # not an indicator (项目资金总额控制率)
    ("period_total", r"^实施期资金总额"),
    ("annual_total", r"^(年度资金总额|资金总额|当年预算|年度预算)[:：]?$"),
    ("fund:中央", r"^(其中[:：])?中央(财政)?(资金|补助)"),
    ("fund:省级", r"^(其中[:：])?省(级)?(财政)?(资金|补助)"),
    ("fund:市县", r"^(其中[:：])?市[(（]?县[)）]?[(（]?区?[)）]?(财政)?资?|^(其中[:：])?市县区?财政|^(其中[:：])?市[市区]区财政"),
    ("fund:单位自筹", r"^(其中[:：])?单位自筹"),
    ("fund:其他", r"^(其中[:：])?其他资金"),
    ("fund:上年结转", r"^(其中[:：])?上年结转(资金)?$"),
    ("fund:财政拨款", r"^(其中[:：])?财政拨款$"),
    ("overview", r"^(项目概况|项目概述)$"),
    ("basis", r"^立项依据$"),
    ("necessity", r"^项目设立必要性"),
    ("measures", r"^保证项目实施的制度"),
    ("plan", r"^项目实施计划"),
    ("goal_header", r"^(实施期目标|年度目标|年度绩效目标|长期绩效目标)$"),
    ("goal", r"^总体目标$"),
    ("goal_annual", r"^(当年|年度)(整体)?(绩效|总体)目标$"),
    ("signature", r"^(负责人|经办人|联系电话|填报日期|填报人|备注[:：]?$)"),
]
_LABEL_PATTERNS = [(f, re.compile(p)) for f, p in _LABELS]
_DEPARTMENT_VALUE = re.compile(r"^\d{2,12}\s*[-—－]\s*\S+")
_ATTRIBUTE_VALUE = re.compile(r"(经常性|一次性|延续性|持续性|新增性|新增|常年性)项目")
_PERIOD_VALUE = re.compile(r"^\d{1,3}年$")
_PERIOD_TEXT = re.compile(r"[\d一二三四五六七八九十两]\s*年|(?:19|20)\d{2}|长期|持续|常年")
_OPTION = re.compile(rf"\d+、\s*([^\d{CHECKED}{UNCHECKED}■☑☐]+?)\s*([{CHECKED}{UNCHECKED}■☑☐])")


_TRAILING_VALUE = re.compile(r"[:：]?\s*-?[\d,]+(?:\.\d+)?\s*(?:万元|元)?$")


def match_label(cell: str) -> str | None:
    text = squash(cell)
    if not re.match(r"^\d", text):
        text = _TRAILING_VALUE.sub("", text) or text
    for name, pattern in _LABEL_PATTERNS:
        if pattern.search(text):
            return name
    return None


def split_category(printed: str) -> tuple[str | None, str]:
    """'J驻村帮扶工作人员经费' → ('J', '驻村帮扶工作人员经费')."""
    name = squash(printed)
    match = CATEGORY.match(name)
    if match:
        return match.group(1), name[match.end():]
    return None, name


def ticked_option(text: str) -> str | None:
    """'1、持续性项目 □ 2、新增性项目 √' → '新增性项目'."""
    for label, mark in _OPTION.findall(text):
        if mark in (CHECKED, "■", "☑"):
            return label.strip()
    return None


def split_forms(table: Table) -> list[Table]:
    """Several forms can share one table block (blank-line separated): split at name rows."""
    parts: list[Table] = []
    start = 0
    seen_name = False
    for i, row in enumerate(table.rows):
        first = next((c for c in row if c), "")
        label = match_label(first)
        if label == "name" and seen_name:
            parts.append(Table(table.rows[start:i], table.row_pages[start:i], table.row_lines[start:i]))
            start, seen_name = i, False
        if label == "name":
            seen_name = True
    parts.append(Table(table.rows[start:], table.row_pages[start:], table.row_lines[start:]))
    return [p for p in parts if p.rows]


@dataclass
class FormResult:
    project: Project | None
    pending_indicators: bool = False  # a following 年度绩效目标表 belongs to this project
    open_layout: tuple | None = None  # (layout, scopes) when the form ends inside its indicator rows
    notes: list[str] = field(default_factory=list)


def _money(value: str, unit: str, page: int | None, line: int | None) -> Amount | None:
    return amount_from_text(value, page, line) or to_amount(value.replace("：", "").strip(), unit, page, line)


def _after(row: list[str], index: int) -> tuple[int, str] | None:
    for j in range(index + 1, len(row)):
        if row[j] and not match_label(row[j]):
            return j, row[j]
        if row[j] and match_label(row[j]):
            return None
    return None


_INLINE_PERIOD = re.compile(r"^(?:项目期|项目日期|项目周期|实施周期)[:：]?(\d{1,3}年)$")


_PLACEHOLDER = re.compile(r"^[.…·。\s—-]*$")
_GOAL_HEADER = re.compile(r"^(?:实施期|年度|长期)?(?:总体?|绩效)?目标$")


def _blank(project: Project) -> bool:
    """A form printed as a blank template (专项资金总体绩效目标表 whose indicators are all ``......``,
    its goals only their headers, no money). A form whose indicators follow overleaf is not blank."""
    goals = [squash(g) for g in (project.goal_annual, project.goal_period) if g]
    return bool(project.indicators) and not project.amounts and all(_GOAL_HEADER.match(g) for g in goals) and \
        all(_PLACEHOLDER.match(i.name) and not (i.target and not _PLACEHOLDER.match(i.target.text))
            for i in project.indicators)


def _inline_value(cell: str, label: str) -> str | None:
    """A value printed inside its label cell: '实施期资金总额: 300,000', '项目日期 99年'."""
    if label == "period":
        match = _INLINE_PERIOD.match(squash(cell))
        return match.group(1) if match else None
    match = _TRAILING_VALUE.search(squash(cell))
    if match and match.start() > 0:
        return match.group(0).lstrip(":：").strip()
    return None


def parse_target_form(form: Table, default_unit: str = "元", name_hint: str | None = None) -> FormResult:
    """A 项目支出绩效目标表 (Shanxi) or 项目支出绩效目标申报表 (Hubei) → Project. ``name_hint`` is the
    project name printed above the frame (``项目名称`` / the name as a line of its own), used when
    the form itself does not carry it."""
    project = Project(name="")
    unit = default_unit
    fund_seen: dict[str, int] = {}
    goal_order: list[str] = []
    goal_columns: dict[str, int] = {}
    indicator_rows: list[int] = []
    layout: list[list[str]] | None = None
    boundaries: list[int] = []
    scopes: list[str] = []
    level1: str | None = None
    flat: dict[str, int] | None = None
    for r, row in enumerate(form.rows):
        page, line = form.row_pages[r], form.row_lines[r]
        cells = [(i, c) for i, c in enumerate(row) if c]
        if not cells:
            continue
        if flat is None and layout is None and kpi.flat_layout(row):
            flat = kpi.flat_layout(row)
            continue
        if flat is not None:
            project.indicators += kpi.parse_flat_rows([row], flat, [page], [line])
            continue
        if kpi.is_indicator_header(row):
            _flush_indicators(project, form, indicator_rows, layout, scopes, level1, boundaries)
            indicator_rows = []
            layout = kpi.header_layout(row)
            boundaries = kpi.header_boundaries(row)
            scopes = _scopes(row, len(layout))
            level1 = next((kpi.level1_name(c) for _, c in cells if kpi.level1_name(c)), None)
            continue
        if layout is not None:
            if match_label(cells[0][1]) == "signature":
                _flush_indicators(project, form, indicator_rows, layout, scopes, level1, boundaries)
                indicator_rows, layout = [], None
                continue
            indicator_rows.append(r)
            continue
        labels = [match_label(c) for _, c in cells]
        if r == 0 and not project.name and ("name" in labels or not any(labels)):
            # the name after its label, or alone on the first row; not another label's value (教育部105)
            start = labels.index("name") + 1 if "name" in labels else 0
            name_cell = next((c for _, c in cells[start:] if not match_label(c)), None)
            if name_cell:
                project.printed_names.append(squash(name_cell))
                project.line = line
            continue
        for position, (i, cell) in enumerate(cells):
            label = match_label(cell)
            if label is None:
                _shape_value(project, cell)
                continue
            declared = declared_unit(cell)
            if declared:
                unit = declared
            if label in ("signature", "code"):
                break
            if label == "goal_header":
                headers = [(j, c) for j, c in cells if match_label(c) == "goal_header"]
                values = [c for j, c in cells if not match_label(c)]
                if len(headers) == 1 and values:  # '年度目标 | 按闽医保办【2016】29号文要求…': label and value
                    attr = "goal_period" if re.match(r"^(实施期|长期)", squash(cell)) else "goal_annual"
                    setattr(project, attr, values[0].strip())
                    break
                goal_order = [squash(c) for _, c in headers]
                goal_columns = {squash(c): j for j, c in headers}
                break
            inline = _inline_value(cell, label)
            following = _after(row, i)
            value = inline if inline is not None else (following[1] if following else None)
            if label in ("attribute", "project_type") and ticked_option(" ".join(row[i + 1:])):
                value = " ".join(row[i + 1:])
            if label == "goal":
                values = [c for j, c in cells[position + 1:] if not match_label(c)]
                _assign_goals(project, values, [i2 for i2, c in cells[position + 1:] if not match_label(c)],
                              goal_order, goal_columns)
                break
            if value is None:
                continue
            _assign(project, label, value, unit, fund_seen, page, line)
        if project.printed_names:
            continue
    _flush_indicators(project, form, indicator_rows, layout, scopes, level1, boundaries)
    if not project.printed_names and name_hint:
        project.printed_names.append(squash(name_hint))
    if not project.printed_names or _blank(project):
        return FormResult(None)
    _unswap_name_and_department(project)
    project.category, project.name = split_category(project.printed_names[0])
    project.pages = sorted({p for p in form.row_pages if p is not None})
    if project.basis:
        project.documents = find_references(project.basis, project.pages[0] if project.pages else None)
    pending = scopes == ["period"]
    open_layout = (layout, scopes or ["annual"]) if layout is not None else None
    return FormResult(project, pending_indicators=pending, open_layout=open_layout)


def continue_indicators(project: Project, layout: list[list[str]], scopes: list[str], table: Table) -> None:
    """Indicator rows of a form continued on the next page, without its header: read with the
    layout of the form they belong to (cells may shift: the rows are read as token streams)."""
    rows = [r for r, row in enumerate(table.rows) if any(c.strip() for c in row)]
    project.indicators.extend(kpi.parse_indicator_rows(
        [table.rows[r] for r in rows], layout, scopes, [table.row_pages[r] for r in rows],
        [table.row_lines[r] for r in rows]))


def _flush_indicators(project: Project, form: Table, rows: list[int], layout: list[list[str]] | None,
                      scopes: list[str], level1: str | None, boundaries: list[int]) -> None:
    if layout is None or not rows:
        return
    project.indicators.extend(kpi.parse_indicator_rows(
        [form.rows[r] for r in rows], layout, scopes or ["annual"], [form.row_pages[r] for r in rows],
        [form.row_lines[r] for r in rows], level1, boundaries))


def _scopes(header: list[str], groups: int) -> list[str]:
    first = squash(next((c for c in header if c), ""))
    if groups >= 2:
        return ["period", "annual"]
    if first.startswith("长期"):
        return ["period"]  # 长期绩效目标 plays the part of the 实施期 columns
    return ["annual"]


def _unswap_name_and_department(project: Project) -> None:
    """A form printing the unit under 项目名称 and the project under 主管部门 (西安 2019's 专项资金
    整体支出绩效目标表): each value back under its own label."""
    name, department = project.printed_names[0], project.department
    if department and looks_like_unit(name) and not looks_like_unit(department) and \
            re.search(r"(资金|经费|专项|项目|补助|工程)$", department):
        project.printed_names[0], project.department = department, name


def _shape_value(project: Project, cell: str) -> None:
    """Values found without their label (mislabelled rows)."""
    text = squash(cell)
    if _DEPARTMENT_VALUE.match(text) and project.department is None:
        project.department_code, project.department = split_code(text)
    elif _ATTRIBUTE_VALUE.search(text) and project.attribute is None and not ticked_option(cell):
        project.attribute = text if len(text) <= 20 else None
    elif _PERIOD_VALUE.match(text) and project.period is None and project.attribute is not None:
        project.period = text


def _assign(project: Project, label: str, value: str, unit: str, fund_seen: dict[str, int],
            page: int | None, line: int | None) -> None:
    text = value.strip()
    if label == "department":
        code, name = split_code(text)
        project.department_code, project.department = code, name
    elif label == "unit":
        code, name = split_code(text)
        project.unit = name
        if code:
            project.unit_code = code
    elif label == "attribute":
        ticked = ticked_option(value)
        project.attribute = ticked or (squash(text) if _ATTRIBUTE_VALUE.search(text) or len(text) <= 20 else None)
    elif label == "period":
        if _PERIOD_TEXT.search(text):  # not the next header (实施期限 | 执行率分值（10分）)
            project.period = squash(text)
    elif label == "project_type":
        project.project_type = ticked_option(value) or squash(text)
    elif label in ("period_total", "annual_total"):
        amount = _money(text, unit, page, line)
        if amount is not None:
            key = label
            setattr(project, key, amount)
            project.amounts.append(ProjectAmount("performance_table", key, amount))
    elif label.startswith("fund:"):
        level = label.split(":", 1)[1]
        amount = _money(text, unit, page, line)
        if amount is None:
            return
        if level == "财政拨款":
            project.fund_sources.append(FundSource("财政拨款", amount, "annual"))
            return
        seen = fund_seen.get(level, 0)
        fund_seen[level] = seen + 1
        scope = "period" if seen == 0 and project.period_total is not None else "annual"
        project.fund_sources.append(FundSource(level, amount, scope))
    elif label in ("overview", "basis", "necessity", "measures", "plan", "goal_annual"):
        setattr(project, label, text)


def _assign_goals(project: Project, values: list[str], columns: list[int], order: list[str],
                  positions: dict[str, int]) -> None:
    if not values:
        return
    kinds = []
    for name in order or ["实施期目标", "年度目标"]:
        kinds.append("annual" if name.startswith("年度") else "period")
    if len(values) >= 2:
        pairs = zip(kinds, values)
    else:
        annual_col = next((c for n, c in positions.items() if n.startswith("年度")), None)
        period_col = next((c for n, c in positions.items() if not n.startswith("年度")), None)
        if annual_col is not None and period_col is not None:
            closer_annual = abs(columns[0] - annual_col) < abs(columns[0] - period_col)
            pairs = [("annual" if closer_annual else "period", values[0])]
        else:
            pairs = [(kinds[0] if kinds else "annual", values[0])]
    for kind, value in pairs:
        if kind == "annual" and project.goal_annual is None:
            project.goal_annual = value
        elif kind == "period" and project.goal_period is None:
            project.goal_period = value


# -- self-evaluation (决算 自评表) ------------------------------------------------------------

_ANALYSIS_KEYS = [
    ("预算执行情况", r"预算执行情况"),
    ("产出情况", r"^产出情况"),
    ("效益情况", r"^效益情况"),
    ("满意度情况", r"^满意度情况"),
    ("主要经验做法", r"^主要经验做法"),
    ("存在问题", r"存在的(主要)?问题"),
    ("改进措施", r"^下一步改进措施"),
]
_ANALYSIS_PATTERNS = [(k, re.compile(p)) for k, p in _ANALYSIS_KEYS]
GRADES = ("优", "良", "中", "差")


def is_self_evaluation(table: Table) -> bool:
    text = "".join(squash(c) for row in table.rows[:8] for c in row)
    return "全年执行数" in text and ("执行率" in text)


_BALANCE_HEADER = re.compile(r"结[（(]?转?[)）]?余")


def _funding_figures(numbers: list[Decimal], balance_column: bool = True) -> dict[str, Decimal | None]:
    """Align a funding row's numbers by arithmetic: 全年预算 − 执行 = 结余, 执行/预算 = 执行率."""
    if not balance_column:
        return _funding_without_balance(numbers)
    n = len(numbers)
    best = None
    for i in range(0, max(n - 3, 0)):
        full, executed, balance = numbers[i], numbers[i + 1], numbers[i + 2]
        rate = numbers[i + 3] if i + 3 < n else None
        ok_balance = abs(full - executed - balance) <= Decimal("0.02")
        ok_rate = rate is not None and full != 0 and abs(executed / full * 100 - rate) <= Decimal("0.6")
        score = ok_balance + ok_rate
        if score and (best is None or score > best[0] or (score == best[0] and i <= 2)):
            best = (score, i)
    i = best[1] if best else min(2, max(n - 4, 0))
    pick = lambda k: numbers[k] if 0 <= k < n else None  # noqa: E731
    return {"declared": pick(i - 2) if i >= 2 else None, "initial": pick(i - 1) if i >= 1 else None,
            "full": pick(i), "executed": pick(i + 1), "balance": pick(i + 2), "rate": pick(i + 3),
            "rate_score": pick(i + 4)}


def _funding_without_balance(numbers: list[Decimal]) -> dict[str, Decimal | None]:
    """A form printing 年初预算 | 全年预算 | 全年执行 | 分值 | 执行率 | 得分 (no 结余 column): the
    rate is the number after the 执行数, or after the 分值 printed between them; a 部门整体 form
    splits each of 全年预算数 and 全年执行数 into 总额 | 财政拨款 | 其他资金 (the totals three apart)."""
    n = len(numbers)
    for step, i in [(step, i) for step in (1, 3) for i in range(n - 2)]:
        full, executed = numbers[i], numbers[i + step] if i + step < n else None
        for gap in (0, 1):
            k = i + 2 * step + gap
            if executed is not None and k < n and full and abs(executed / full * 100 - numbers[k]) <= Decimal("0.6"):
                pick = lambda j: numbers[j] if 0 <= j < n else None  # noqa: E731
                return {"declared": pick(i - 2) if i >= 2 else None, "initial": pick(i - 1) if i >= 1 else None,
                        "full": full, "executed": executed, "balance": None, "rate": numbers[k],
                        "rate_score": pick(k + 1)}
    if n in (5, 6) and numbers[1] and 0 < numbers[2] <= numbers[1] * Decimal("1.2"):
        # no rate agrees with 执行/预算 (a misprinted 1000%): the columns by position, the rate as printed
        return {"declared": None, "initial": numbers[0], "full": numbers[1], "executed": numbers[2], "balance": None,
                "rate": numbers[n - 2], "rate_score": numbers[n - 1]}
    return {"declared": None, "initial": None, "full": None, "executed": None, "balance": None, "rate": None,
            "rate_score": None}


def parse_self_evaluation(form: Table, unit: str = "万元", name_hint: str | None = None) -> FormResult:
    """A 项目支出绩效自评表 → Project with its ``SelfEvaluation``; ``name_hint`` names a form that
    prints no 项目名称 (a 部门整体支出绩效自评表 under 部门（单位）名称)."""
    project = Project(name="")
    evaluation = SelfEvaluation(page=form.page, line=form.line)
    stage = "head"
    goal_header = False
    indicator_rows: list[int] = []
    layout: list[list[str]] = [["name", "target", "adjusted", "actual", "weight", "score", "deviation"]]
    funding_rows: list[tuple[str, list[str], int]] = []
    funding_header = ""
    for r, row in enumerate(form.rows):
        cells = [c for c in row if c]
        if not cells:
            continue
        joined = "".join(squash(c) for c in cells)
        first = squash(cells[0])
        if stage == "head":
            label = match_label(cells[0])
            if label == "name":
                if len(cells) > 1:
                    project.printed_names.append(squash(cells[1]))
                continue
            if label == "department":
                for c in cells[1:]:
                    text = squash(c)
                    if _DEPARTMENT_VALUE.match(text) and project.department is None:
                        project.department_code, project.department = split_code(text)
                    elif _DEPARTMENT_VALUE.match(text):
                        code, name = split_code(text)
                        project.unit = name
                        project.unit_code = code
                at = next((i for i, c in enumerate(cells) if match_label(c) == "unit"), None)
                if project.unit is None and at is not None and at + 1 < len(cells):  # 主管部门 | X | 实施单位 | Y
                    project.unit_code, project.unit = split_code(cells[at + 1])
                continue
            if "全年预算数" in joined or "全年执行数" in joined:
                stage = "funding"
                declared = declared_unit(joined)
                unit = declared or unit
            if "资金总额" not in joined and stage == "funding":
                funding_header += joined
                continue
        if stage == "funding":
            if "目标" in joined and ("年度" in joined or "项目年度" in joined):
                stage = "goals"
                goal_header = "年度目标" in joined or "实际完成" in joined  # 年度总体目标完成情况 | 预期目标 | 实际完成情况
                continue
            label_cell = next((squash(c) for c in cells if not parse_number(c)), "")
            if not any(len([c for c in row if parse_number(c) is not None]) >= 2 for _, row, _ in funding_rows):
                funding_header += joined
            funding_rows.append((label_cell, row, r))
            continue
        if stage == "goals":
            if kpi.is_indicator_header(row):
                layout = kpi.header_layout(row)
                stage = "indicators"
                continue
            if "年度目标" in joined and "实际完成" in joined:
                goal_header = True
                continue
            if goal_header:
                texts = [c for c in cells if squash(c) not in ("项目年度绩效目标", "项目年度目标")]
                if texts:
                    evaluation.annual_goal = texts[0]
                if len(texts) > 1:
                    evaluation.actual_result = texts[1]
                goal_header = False
            continue
        if stage == "indicators":
            if first.replace(" ", "") in ("总分",) or first.startswith("总分"):
                numbers = [parse_number(c) for c in cells if parse_number(c) is not None]
                if numbers:
                    evaluation.total_score = numbers[-1]
                grade = next((squash(c) for c in cells if squash(c) in GRADES), None)
                evaluation.grade = grade
                stage = "analysis"
                continue
            indicator_rows.append(r)
            continue
        if stage == "analysis":
            if first.startswith("备注"):
                break
            for c_index, c in enumerate(cells):
                key = next((k for k, p in _ANALYSIS_PATTERNS if p.search(squash(c))), None)
                if key and c_index + 1 < len(cells):
                    evaluation.analysis.setdefault(key, cells[-1])
                    break
    _apply_funding(evaluation, funding_rows, unit, form, bool(_BALANCE_HEADER.search(funding_header)))
    project.indicators = kpi.parse_indicator_rows(
        [form.rows[r] for r in indicator_rows], layout, ["annual"],
        [form.row_pages[r] for r in indicator_rows], [form.row_lines[r] for r in indicator_rows])
    if not evaluation.deviation:
        notes = [i.deviation for i in project.indicators if i.deviation]
        evaluation.deviation = "；".join(notes) or None
    if not project.printed_names and name_hint:
        project.printed_names.append(squash(name_hint))
    if not project.printed_names:
        return FormResult(None)
    project.category, project.name = split_category(project.printed_names[0])
    project.self_evaluation = evaluation
    project.pages = sorted({p for p in form.row_pages if p is not None})
    project.line = form.line
    for key, amount in (("full_year_budget", evaluation.full_year_budget), ("executed", evaluation.executed),
                        ("initial_budget", evaluation.initial_budget)):
        if amount is not None:
            project.amounts.append(ProjectAmount("self_evaluation", key, amount))
    return FormResult(project)


def _number_or_rate(cell: str) -> Decimal | None:
    """An amount, or a rate printed with its percent sign (执行率 100.00%)."""
    return parse_number(cell.strip().rstrip("%％")) if cell else None


def _apply_funding(evaluation: SelfEvaluation, rows: list[tuple[str, list[str], int]], unit: str, form: Table,
                   balance_column: bool = True) -> None:
    candidates = []
    for label, row, r in rows:
        numbers = [n for n in (_number_or_rate(c) for c in row) if n is not None]
        texts = [c for c in row if c and _number_or_rate(c) is None and not re.search(r"(资金总额|财政资金|财政资|目标申报数|预算编制数|金额合计)", squash(c))]
        if len(numbers) >= 5:  # 资金总额, or a department's tasks added up (金额合计)
            candidates.append(("资金总额" in label or "金额合计" in label, numbers, texts, r))
    if not candidates:
        return
    candidates.sort(key=lambda c: (not c[0], -len(c[1])))
    _, numbers, texts, r = candidates[0]
    figures = _funding_figures(numbers, balance_column)
    page, line = form.row_pages[r], form.row_lines[r]

    def money(value: Decimal | None) -> Amount | None:
        if value is None:
            return None
        return to_amount(format(value, "f"), unit, page, line)

    evaluation.declared_budget = money(figures["declared"])
    evaluation.initial_budget = money(figures["initial"])
    evaluation.full_year_budget = money(figures["full"])
    evaluation.executed = money(figures["executed"])
    evaluation.balance = money(figures["balance"])
    evaluation.execution_rate = figures["rate"]
    evaluation.rate_score = figures["rate_score"]
    if texts:
        evaluation.deviation = texts[-1]
