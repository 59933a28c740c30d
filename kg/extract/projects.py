"""Projects from 项目支出预算表 rows and project lists, and the per-report project registry.

One project appears in several places of a report — a row of the project expenditure
table, a 绩效目标表, a 自评表, a line of a project list — often spelled differently
(``临时工资`` / ``临时工工资``) and in different units (元 / 万元). ``ProjectRegistry``
merges them: exact names first, then the most similar unmatched name, accepted when the
names are close or the amounts agree.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from kg.extract.amounts import amount_from_text, parse_number, to_amount
from kg.extract.documents import find_references
from kg.extract.forms import split_category
from kg.extract.layout import Table
from kg.extract.names import normalise_unit
from kg.extract.normalize import squash
from kg.model import Amount, BudgetTable, Project, ProjectAmount

_NAMEISH = re.compile(r"[\u4e00-\u9fff]")
_PROJECT_TYPE = re.compile(r"(常年性|一次性|延续性|经常性|新增性|持续性)项目$")


def projects_from_budget_table(table: BudgetTable, unit_name: str, carryover: bool) -> tuple[list[Project], Amount | None]:
    """Project rows of a 项目支出预算表; the unit subtotal row is returned separately."""
    projects: list[Project] = []
    subtotal: Amount | None = None
    unit_key = squash(unit_name)
    for line in table.lines:
        name = squash(line.name)
        if not name or not _NAMEISH.search(name):
            continue
        total = line.values.get("total")
        if line.is_total or normalise_unit(name) == normalise_unit(unit_key) or name == unit_key:
            if subtotal is None and total is not None:
                subtotal = total
            continue
        category, clean = split_category(name)
        project = Project(name=clean, printed_names=[name], category=category, carryover=carryover,
                          pages=[line.page] if line.page else [], line=line.line)
        source = "carryover_table" if carryover else "budget_table"
        for key, amount in line.values.items():
            project.amounts.append(ProjectAmount(source, key, amount))
        if total is not None:
            project.annual_total = total
        projects.append(project)
    return projects, subtotal


def projects_from_list(table: Table, unit: str = "万元") -> list[Project]:
    """A 项目支出情况 list (项目名称 | 项目类型 | 项目总预算 | 项目本年度预算 | 用途)."""
    start = None
    for i, row in enumerate(table.rows):
        cells = {squash(c) for c in row}
        if "项目名称" in cells and ({"项目本年度预算", "项目总预算"} & cells):
            start = i + 1
            break
    if start is None:
        return []
    projects: list[Project] = []
    for r in range(start, len(table.rows)):
        row = table.rows[r]
        tokens = [c for c in row if c and squash(c) not in ("项目支出情况",)]
        if not tokens:
            continue
        if squash(tokens[0]) in ("合计", "总计"):
            break
        texts = [t for t in tokens if parse_number(t) is None]
        numbers = [t for t in tokens if parse_number(t) is not None]
        if not texts or len(numbers) < 1:
            break
        name = squash(texts[0])
        kind = next((squash(t) for t in texts[1:] if _PROJECT_TYPE.search(squash(t))), None)
        purpose = next((t for t in texts[1:] if not _PROJECT_TYPE.search(squash(t))), None)
        page, line = table.row_pages[r], table.row_lines[r]
        category, clean = split_category(name)
        project = Project(name=clean, printed_names=[name], category=category, project_type=kind, purpose=purpose,
                          pages=[page] if page else [], line=line)
        total = to_amount(numbers[0], unit, page, line)
        annual = to_amount(numbers[1], unit, page, line) if len(numbers) > 1 else total
        if total is not None:
            project.amounts.append(ProjectAmount("project_list", "total", total))
        if annual is not None:
            project.amounts.append(ProjectAmount("project_list", "annual", annual))
            project.annual_total = annual
        projects.append(project)
    return projects


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _amount_of(project: Project):
    for source in ("budget_table", "carryover_table", "project_list", "performance_table", "self_evaluation"):
        for item in project.amounts:
            if item.source == source and item.key in ("total", "annual", "annual_total", "full_year_budget"):
                return item.amount.value
    return None


class ProjectRegistry:
    """Collects a report's projects and merges the places each one appears."""

    def __init__(self) -> None:
        self.projects: list[Project] = []
        self.last_from_table = False  # the last table read was a project table (its next page may continue it)
        self.last_row_project: Project | None = None  # the project its last row went to (merged or added)
        self.open_form = None  # (project, layout, scopes): the last form ended inside its indicator rows
        self.open_whole = None  # (target, table): a 部门整体支出绩效自评表 whose goals and indicators may follow
        self.purchases: list[Project] = []
        self.added = 0  # projects added or merged so far: tells a project table from any other

    def add_primary(self, project: Project) -> None:
        """A project row from a table that lists projects (budget table, project list)."""
        self.projects.append(project)
        self.added += 1

    def add_form(self, form: Project) -> Project:
        """A 绩效目标表 / 自评表 project: merged into its table row, or added."""
        self.added += 1
        target = self._match(form)
        if target is None:
            self.projects.append(form)
            return form
        _merge(target, form)
        return target

    def add_purchases(self, projects: list[Project]) -> None:
        """Projects named only in a 政府采购 table's 专项名称 column: kept until the end, when they
        add their procurement amount to the report's listed projects of the same name, or — for
        a report that lists no projects anywhere else — become its projects."""
        self.purchases.extend(projects)

    def settle_purchases(self) -> None:
        listed = bool(self.projects)
        by_name = {p.name: p for p in self.projects}
        for purchase in self.purchases:
            target = by_name.get(purchase.name)
            if target is not None:
                target.amounts.extend(purchase.amounts)
            elif not listed:
                self.projects.append(purchase)
                by_name[purchase.name] = purchase
        self.purchases = []

    def _match(self, form: Project) -> Project | None:
        """The project ``form`` describes: same name (or a close one with the same amount) and
        not another 预算单位's (ten 分局 each with a 区财政安排项目 are ten projects)."""
        candidates = [p for p in self.projects if not (p.unit and form.unit and p.unit != form.unit)]
        exact = [p for p in candidates if p.name == form.name and not _has_form(p)]
        if exact:
            return exact[0]
        exact_any = [p for p in candidates if p.name == form.name]
        if exact_any and (form.self_evaluation is not None or not _has_form(form)):
            return exact_any[0]  # a 自评表, or the narrative's item, of a project whose form came first
        amount = _amount_of(form)
        best, best_score = None, 0.0
        for project in candidates:
            if _has_form(project) and form.self_evaluation is None:
                continue
            if project.self_evaluation is not None and form.self_evaluation is not None:
                continue  # two 自评表 of similar names (事业单位… / 行政单位…) are two projects
            ratio = _similarity(_comparable(project.name), _comparable(form.name))
            other = _amount_of(project)
            same_amount = amount is not None and other is not None and abs(amount - other) <= 100
            score = ratio + (0.3 if same_amount else 0.0)
            if (ratio >= 0.8 or (ratio >= 0.5 and same_amount)) and score > best_score:
                best, best_score = project, score
        return best


def _comparable(name: str) -> str:
    return re.sub(r"[〔【\[（(].*?[〕】\]）)]|\d+号", "", name)


def _has_form(project: Project) -> bool:
    return any(a.source in ("performance_table", "self_evaluation") for a in project.amounts) or bool(project.indicators)


def _merge(target: Project, form: Project) -> None:
    for printed in form.printed_names:
        if printed not in target.printed_names:
            target.printed_names.append(printed)
    target.category = target.category or form.category
    for attr in ("unit", "unit_code", "department", "department_code", "attribute", "period", "project_type",
                 "period_total", "basis", "overview", "necessity", "measures", "plan", "purpose",
                 "goal_period", "goal_annual", "self_evaluation", "parent"):
        if getattr(target, attr) in (None, "") and getattr(form, attr) not in (None, ""):
            setattr(target, attr, getattr(form, attr))
    if target.annual_total is None:
        target.annual_total = form.annual_total
    target.amounts.extend(form.amounts)
    have = {(s.level, s.scope) for s in target.fund_sources}  # a source printed by both tables counts once
    target.fund_sources.extend(s for s in form.fund_sources if (s.level, s.scope) not in have)
    target.documents.extend(d for d in form.documents if d.canonical not in {x.canonical for x in target.documents})
    target.indicators.extend(form.indicators)
    target.pages = sorted(set(target.pages) | set(form.pages))


# -- projects described in the narrative ------------------------------------------------------

_ITEM = re.compile(r"(?:^|[；;。：:，,])\s*(?:[（(]\d{1,2}[)）]|\d{1,2}[.、．])(?P<name>[^，,。；;：:（(]{2,40}?)"
                   r"(?P<amount>\d[\d,]*(?:\.\d+)?)万元[，,]?(?:主要)?"
                   r"(?:(?P<basis>(?:根据|依据|按照)[^。；;]{2,160}?(?:要求|规定|精神)?)[，,])?(?:主要)?用于")
# a 一级项目 with its amount opening the list of its sub-items: '2.人才引进及管理583.33万元，主要包括：'
_FAMILY = re.compile(r"(?:^|[。；;])\s*(?:[（(]?\d{1,2}[)）.、．])?(?P<name>[^，,。；;：:（(]{2,40}?)"
                     r"\d[\d,]*(?:\.\d+)?万元[，,]?(?:主要|具体)?包括[：:]?")
_TOP_ITEM = re.compile(r"。\s*\d{1,2}[.、．]")  # the next top-level item, which ends a list
# an unnumbered sub-item of such a list: '…；市“鹏城优才一站式”服务平台项目300.00万元，用于…'
_LISTED_ITEM = re.compile(r"(?:包括[：:]|[；;])\s*(?P<name>[^，,。；;：:\d]{2,40}?)"
                          r"(?P<amount>\d[\d,]*(?:\.\d+)?)万元[，,]?(?:主要)?用于")
# items named with their amounts only, one after another: '…主要包括创业担保贷款贴息7,000.00万元、小微企业创业担保
# 贷款担保费1,500.00万元；'
_BARE_ITEM = re.compile(r"(?:包括[：:]?|、)\s*(?P<name>[^，,。；;：:、\d]{2,40}?)(?P<amount>\d[\d,]*(?:\.\d+)?)万元(?=[、；;。])")
_NOT_PROJECT = re.compile(r"^[增减](?!灾)|增加|减少|增长|下降|增幅|减幅|调增|调减|调整|压减|压缩|新增|结转|结余|人员经费|人员支出|"
                          r"公用|运转|三公|采购|基本|科目|类|(?<!贷)款|绩效目标")  # 贷款 is a word, not a 款
_EXPLAINED = re.compile(r"^(?P<name>.{2,40}?)(?:项目)?(?:经费|资金)?(?:情况说明|说明)$")
_PARTS = {"overview": r"项目概述|项目概况|项目简介", "basis": r"立项依据|政策依据", "unit": r"实施主体|实施单位",
          "period": r"实施周期|项目周期", "plan": r"实施计划|实施方案|实施进度", "budget": r"年度预算安排|预算安排|资金安排",
          "goal_annual": r"绩效目标"}


def projects_from_narrative(text: str, page: int | None, line: int | None, unit: str | None = None) -> list[Project]:
    """Enumerated project items in prose: '（3）人工智能预报服务能力提升项目200.00万元，用于…', and the
    items a 一级项目's list names, numbered or not ('1.精准预报1,357.00万元，主要包括：（1）气象预报799.00万元，
    用于…'; '…主要包括：人才综合服务项目45.22万元，用于…；…') with that 一级项目 as their ``parent``.
    ``unit`` is the 预算单位 the section is about, when it names one."""
    text = squash(text)
    families = []  # (start, end, name) of each 一级项目's list: to the next top-level item or list
    for m in _FAMILY.finditer(text):
        top = _TOP_ITEM.search(text, m.end())
        families.append((m.end(), top.start() if top else len(text), m.group("name").strip()))
    families = [(start, min([end] + [s for s, _, _ in families if s > start]), name) for start, end, name in families]
    found: dict[int, re.Match] = {}
    for match in _ITEM.finditer(text):
        found[match.start("name")] = match
    for start, end, _ in families:
        for match in _LISTED_ITEM.finditer(text, start - 3, end):
            found.setdefault(match.start("name"), match)
        for match in _BARE_ITEM.finditer(text, start - 3, end):
            found.setdefault(match.start("name"), match)
    out = []
    for start in sorted(found):
        match = found[start]
        name = match.group("name").strip()
        amount = to_amount(match.group("amount"), "万元", page, line)
        if amount is None or re.search(r"(支出|收入|经费合计|合计|总额|预算)$", name) or _NOT_PROJECT.search(name):
            continue  # changes against last year and budget lines are not projects
        project = Project(name=name, printed_names=[name], pages=[page] if page else [], line=line, unit=unit)
        project.parent = next((family for begin, end, family in families if begin <= start < end), None)
        project.amounts.append(ProjectAmount("text", "annual_total", amount))
        project.annual_total = amount
        if match.re is not _BARE_ITEM:  # a bare item states no use of its own
            project.purpose = "用于" + re.split(r"[；;。]", text[match.end():])[0]
        basis = match.groupdict().get("basis")
        if basis:  # 预算准备金83.00万元，主要根据《…管理办法》有关要求，用于…
            project.basis = basis
            project.documents = find_references(basis, page, line)
        out.append(project)
    return out


def section_unit(path: list[str], units) -> str | None:
    """The 预算单位 a section of the 支出说明 is about ('十五、深圳城市职业学院（深圳技师学院）' under a
    department's report), as the tables name it, or None when its heading names no such unit."""
    for heading in reversed(path):
        name = squash(re.sub(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])", "", heading))
        if len(name) < 4 or re.search(r"\d|万元", name):
            continue
        exact = {u for u in units if u and squash(u) == name}
        matches = exact or {u for u in units if u and (normalise_unit(u).endswith(name) or name in normalise_unit(u))}
        if len(matches) == 1:
            return matches.pop()
    return None


def projects_from_sections(sections) -> list[Project]:
    """Shanghai-style sections, one per project: 'XX项目经费情况说明' with sub-headings 一、项目概述
    二、立项依据 三、实施主体 四、实施周期 … 六、年度预算安排 (any order, any numbering)."""
    out: list[Project] = []
    current: Project | None = None
    depth = 0
    for section in sections:
        head = squash(re.sub(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])",
                             "", section.heading))
        part = next((k for k, p in _PARTS.items() if re.search(rf"^(?:{p})", head)), None)
        if current is not None and part and len(section.path) > depth:
            text = "".join(p.text for p in section.paragraphs).strip()
            if part == "budget":
                amount = amount_from_text(text, section.page, section.line)
                if amount is not None:
                    current.amounts.append(ProjectAmount("text", "annual_total", amount))
                    current.annual_total = amount
            elif part == "unit":
                current.unit = normalise_unit(re.split(r"[。，,；;]", text)[0]) or None
            elif text:
                setattr(current, part, text)
            continue
        match = _EXPLAINED.match(head)
        if match and not part and "项目" in head and not re.search(r"(收支|收入|支出|预算|决算|三公|采购|总体|部门|单位)情况说明$",
                                                                   head) and not re.search(r"绩效|重点项目|部分", head):
            name = match.group("name")
            current = Project(name=name, printed_names=[head], pages=[section.page] if section.page else [],
                              line=section.line)
            depth = len(section.path)
            out.append(current)
        elif current is not None and len(section.path) <= depth:
            current = None
    return out
