"""Compare an extracted ``Report`` with hand-verified ground truth, field by field.

The ground-truth format is described in ``tests/fixtures/groundtruth/SCHEMA.md``. Both
sides are flattened into facts ``(field path, normalised value)``; recall is the share
of ground-truth facts extracted with the right value, precision the share of extracted
facts (on the fields the ground truth covers) that are right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kg.extract.normalize import canon_brackets, squash
from kg.model import Amount, Indicator, Project, Report

FIGURE_KEYS = {
    "income.total", "income.current_year", "income.carryover", "income.general_budget", "income.fund_budget",
    "income.other", "expenditure.total", "expenditure.current_year", "expenditure.basic", "expenditure.project",
    "general_budget.expenditure", "general_budget.basic", "general_budget.project", "basic.personnel",
    "basic.public", "three_public.total", "three_public.overseas", "three_public.reception",
    "three_public.vehicle_total", "three_public.vehicle_purchase", "three_public.vehicle_operation",
    "operating_costs", "procurement.total", "procurement.goods", "procurement.works", "procurement.services",
    "projects.total",
}
TABLE_KEYS = ("expenditure_summary", "income_summary", "general_budget_expenditure")
LINE_COLUMNS = ("total", "basic", "project", "general_budget", "carryover", "other_income")
FUND_LEVELS = ("中央", "省级", "市县", "单位自筹", "其他")


def text_key(value) -> str:
    text = canon_brackets(squash(str(value))).replace("（", "(").replace("）", ")")
    text = text.replace("〔", "(").replace("〕", ")").replace("：", ":")
    return text.translate(_INNER_TITLE_MARKS)  # a title inside 《》 printed with < > or 〈 〉


_INNER_TITLE_MARKS = str.maketrans({"<": "〈", ">": "〉", "＜": "〈", "＞": "〉"})


def number_key(value) -> str | None:
    if value is None:
        return None
    try:
        return format(Decimal(str(value).replace(",", "")).normalize(), "f")
    except InvalidOperation:
        return text_key(value)


def name_key(value) -> str:
    return re.sub(r"^(QT|XM|J|Z)(?=[\u4e00-\u9fff0-9“\"])", "", text_key(value))


def level2_key(value) -> str:
    return re.sub(r"(指标|指)$", "", text_key(value or ""))


def _wan(amount: Amount | None) -> str | None:
    return number_key(amount.value / 10000) if amount is not None else None


def _yuan(amount: Amount | None) -> str | None:
    return number_key(amount.value) if amount is not None else None


@dataclass
class Comparison:
    name: str
    expected: dict[str, str] = field(default_factory=dict)
    extracted: dict[str, str] = field(default_factory=dict)

    @property
    def correct(self) -> list[str]:
        return [k for k, v in self.expected.items() if self.extracted.get(k) == v]

    @property
    def recall(self) -> float:
        return len(self.correct) / len(self.expected) if self.expected else 1.0

    @property
    def precision(self) -> float:
        """Right values among extracted facts the ground truth speaks about: its own fields,
        plus extra figures, documents, table rows and projects it does not list."""
        extra = {k for k, _ in self.extras()}
        scored = [k for k in self.extracted if k in self.expected or k in extra]
        if not scored:
            return 1.0
        return sum(1 for k in scored if self.expected.get(k) == self.extracted[k]) / len(scored)

    def misses(self) -> list[tuple[str, str, str | None]]:
        return [(k, v, self.extracted.get(k)) for k, v in self.expected.items() if self.extracted.get(k) != v]

    def extras(self) -> list[tuple[str, str]]:
        """Extracted facts the ground truth has no entry for, on entities it fully lists."""
        out = []
        for key, value in self.extracted.items():
            if key in self.expected or value == "":
                continue
            kind = key.split("|")[0].split(":")[0]
            if kind in ("figure", "document", "line", "identity") or key.endswith("|exists") or \
                    key.startswith("indicator:"):
                out.append((key, value))
        return out


def _put(facts: dict[str, str], key: str, value) -> None:
    if value is None or value == "":
        return
    facts[key] = value


def _ground_facts(truth: dict) -> dict[str, str]:
    facts: dict[str, str] = {}
    report = truth.get("report", {})
    for key in ("unit", "department", "department_code", "kind", "scope"):
        _put(facts, f"report|{key}", text_key(report[key]) if report.get(key) else None)
    _put(facts, "report|year", str(report.get("year")) if report.get("year") else None)
    for key, value in (report.get("region") or {}).items():
        _put(facts, f"region|{key}", text_key(value) if value else None)
    for key, value in truth.get("figures", {}).items():
        if key in FIGURE_KEYS:
            _put(facts, f"figure|{key}", number_key(value))
    for key, value in truth.get("quantities", {}).items():
        _put(facts, f"quantity|{key}", number_key(value))
    for table, rows in truth.get("budget_lines", {}).items():
        for row in rows:
            ident = row.get("code") or text_key(row.get("name", ""))
            for column in LINE_COLUMNS:
                _put(facts, f"line:{table}|{ident}|{column}", number_key(row.get(column)))
    for project in truth.get("projects", []):
        _project_facts(facts, project)
    for doc in truth.get("documents", []):
        facts[f"document|{text_key(doc)}"] = "yes"
    return facts


def _project_facts(facts: dict[str, str], p: dict) -> None:
    base = f"project:{name_key(p['name'])}"
    if p.get("category"):
        base += f":{p['category']}"
    facts[f"{base}|exists"] = "yes"
    _put(facts, f"{base}|category", p.get("category"))
    _put(facts, f"{base}|carryover", str(bool(p.get("carryover"))).lower())
    for key in ("table_total_wan", "list_total_wan", "list_annual_wan", "performance_annual_wan"):
        _put(facts, f"{base}|{key}", number_key(p.get(key)))
    for key in ("performance_annual_yuan", "performance_period_yuan"):
        _put(facts, f"{base}|{key}", number_key(p.get(key)))
    for scope in ("annual", "period"):
        for level, value in (p.get(f"fund_sources_{scope}_yuan") or {}).items():
            _put(facts, f"{base}|fund_{scope}_{level}", number_key(value))
    for key in ("department_code", "department", "unit", "attribute", "period", "basis"):
        _put(facts, f"{base}|{key}", text_key(p[key]) if p.get(key) else None)
    if "documents" in p:
        facts[f"{base}|documents"] = "|".join(sorted(text_key(d) for d in p["documents"]))
    if p.get("overview_startswith"):
        facts[f"{base}|overview_startswith"] = text_key(p["overview_startswith"])[:10]
    for scope, count in (p.get("indicator_count") or {}).items():
        facts[f"{base}|indicators_{scope}"] = str(count)
    evaluation = p.get("self_evaluation") or {}
    for key in ("declared_budget_wan", "initial_budget_wan", "full_year_budget_wan", "executed_wan", "balance_wan",
                "execution_rate", "rate_score", "total_score"):
        _put(facts, f"{base}|se_{key}", number_key(evaluation.get(key)))
    _put(facts, f"{base}|se_grade", evaluation.get("grade"))
    for indicator in p.get("indicators") or []:
        ident = f"indicator:{name_key(p['name'])}{p.get('category') or ''}:{indicator.get('scope')}:{text_key(indicator.get('name', ''))}"
        if f"{ident}|seen" in facts:
            continue  # repeated names: the first row is compared
        facts[f"{ident}|seen"] = "yes"
        _put(facts, f"{ident}|target", text_key(indicator["target"]) if indicator.get("target") else None)
        _put(facts, f"{ident}|comparator", indicator.get("comparator"))
        _put(facts, f"{ident}|number", number_key(indicator.get("number")))
        _put(facts, f"{ident}|level2", level2_key(indicator.get("level2")) if indicator.get("level2") else None)
        _put(facts, f"{ident}|actual", text_key(indicator["actual"]) if indicator.get("actual") else None)
        _put(facts, f"{ident}|weight", number_key(indicator.get("weight")))
        _put(facts, f"{ident}|score", number_key(indicator.get("score")))


def _extracted_facts(report: Report) -> dict[str, str]:
    facts: dict[str, str] = {}
    for key in ("unit", "department", "department_code", "kind", "scope"):
        value = getattr(report, key)
        _put(facts, f"report|{key}", text_key(value) if value else None)
    _put(facts, "report|year", str(report.year) if report.year else None)
    for key in ("province", "city", "county"):
        value = getattr(report.region, key)
        _put(facts, f"region|{key}", text_key(value) if value else None)
    for key in FIGURE_KEYS:
        figure = report.figure(key, basis="决算数") if report.kind == "决算" and key.startswith("three_public") else None
        figure = figure or report.figure(key)
        if figure is not None and figure.amount is not None:
            facts[f"figure|{key}"] = _wan(figure.amount)
    for figure in report.figures:
        if figure.quantity is not None:
            facts.setdefault(f"quantity|{figure.key}", number_key(figure.quantity.value))
    for table in report.tables:
        if table.kind not in TABLE_KEYS:
            continue
        for line in table.lines:
            ident = line.code or text_key(line.name)
            for column in LINE_COLUMNS:
                amount = line.values.get(column)
                if column == "general_budget" and amount is None:
                    amount = line.values.get("fiscal_appropriation")  # 决算 财政拨款收入 column
                if amount is not None:
                    facts.setdefault(f"line:{table.kind}|{ident}|{column}", _wan(amount))
    for project in report.projects:
        _extracted_project(facts, project)
    for doc in report.documents:
        facts[f"document|{text_key(doc.canonical)}"] = "yes"
    return facts


def _first(project: Project, sources: tuple[str, ...], keys: tuple[str, ...]) -> Amount | None:
    for item in project.amounts:
        if item.source in sources and item.key in keys:
            return item.amount
    return None


def _extracted_project(facts: dict[str, str], p: Project) -> None:
    base = f"project:{name_key(p.name)}"
    if p.category:
        base += f":{p.category}"
    facts[f"{base}|exists"] = "yes"
    _put(facts, f"{base}|category", p.category)
    facts[f"{base}|carryover"] = str(p.carryover).lower()
    _put(facts, f"{base}|table_total_wan", _wan(_first(p, ("budget_table", "carryover_table"), ("total",))))
    _put(facts, f"{base}|list_total_wan", _wan(_first(p, ("project_list",), ("total",))))
    _put(facts, f"{base}|list_annual_wan", _wan(_first(p, ("project_list",), ("annual",))))
    performance_annual = _first(p, ("performance_table",), ("annual_total",))
    if performance_annual is not None and performance_annual.unit == "万元":
        _put(facts, f"{base}|performance_annual_wan", _wan(performance_annual))
    _put(facts, f"{base}|performance_annual_yuan", _yuan(performance_annual))
    _put(facts, f"{base}|performance_period_yuan", _yuan(_first(p, ("performance_table",), ("period_total",))))
    for source in p.fund_sources:
        facts.setdefault(f"{base}|fund_{source.scope}_{source.level}", _yuan(source.amount))
    for key in ("department_code", "department", "unit", "attribute", "period", "basis"):
        value = getattr(p, key)
        _put(facts, f"{base}|{key}", text_key(value) if value else None)
    facts[f"{base}|documents"] = "|".join(sorted(text_key(d.canonical) for d in p.documents))
    if p.overview:
        facts[f"{base}|overview_startswith"] = text_key(p.overview)[:10]
    if p.indicators:
        for scope in ("annual", "period"):
            facts[f"{base}|indicators_{scope}"] = str(sum(1 for i in p.indicators if i.scope == scope))
    e = p.self_evaluation
    if e is not None:
        for key, value in (("declared_budget_wan", _wan(e.declared_budget)), ("initial_budget_wan", _wan(e.initial_budget)),
                           ("full_year_budget_wan", _wan(e.full_year_budget)), ("executed_wan", _wan(e.executed)),
                           ("balance_wan", _wan(e.balance)), ("execution_rate", number_key(e.execution_rate)),
                           ("rate_score", number_key(e.rate_score)), ("total_score", number_key(e.total_score))):
            _put(facts, f"{base}|se_{key}", value)
        _put(facts, f"{base}|se_grade", e.grade)
    for indicator in p.indicators:
        _extracted_indicator(facts, p, indicator)


def _extracted_indicator(facts: dict[str, str], p: Project, i: Indicator) -> None:
    ident = f"indicator:{name_key(p.name)}{p.category or ''}:{i.scope}:{text_key(i.name)}"
    if f"{ident}|seen" in facts:
        return  # repeated names: the first row is compared
    facts[f"{ident}|seen"] = "yes"
    if i.target is not None:
        _put(facts, f"{ident}|target", text_key(i.target.text))
        _put(facts, f"{ident}|comparator", i.target.comparator)
        _put(facts, f"{ident}|number", number_key(i.target.number))
    _put(facts, f"{ident}|level2", level2_key(i.level2) if i.level2 else None)
    if i.actual is not None:
        _put(facts, f"{ident}|actual", text_key(i.actual.text))
    _put(facts, f"{ident}|weight", number_key(i.weight))
    _put(facts, f"{ident}|score", number_key(i.score))


def compare(report: Report, truth: dict, name: str = "") -> Comparison:
    """Flatten both sides and line them up; see ``Comparison`` for the figures."""
    expected = _ground_facts(truth)
    extracted = _extracted_facts(report)
    # indicators and projects the ground truth does not list in detail are not scored
    curated = {k.split("|")[0] for k in expected if k.startswith("indicator:")}
    projects_with_indicators = {k.split(":")[1] for k in curated}
    extracted = {k: v for k, v in extracted.items()
                 if not k.startswith("indicator:") or k.split("|")[0] in curated
                 or k.split(":")[1] in projects_with_indicators}
    return Comparison(name or truth.get("source", ""), expected, extracted)


# -- corpus ground truth (tests/fixtures/groundtruth/corpus/SCHEMA.md) ------------------------------

CORPUS_GROUPS = ("identity", "figure", "project", "basis", "kpi", "document")
CORPUS_FIGURE_KEYS = FIGURE_KEYS - {"projects.total"}  # the corpus schema does not ask for it


def _unit_qualified(name: str, unit: str | None, names: list[str]) -> str:
    """Projects of different 预算单位 sharing a name (four 综合工作经费) are told apart by unit."""
    return f"{name}@{text_key(unit)}" if unit and names.count(name) > 1 else name


def _corpus_truth(truth: dict) -> dict[str, str]:
    facts: dict[str, str] = {}
    report = truth.get("report", {})
    for key in ("unit", "kind", "scope", "summary", "parent"):
        _put(facts, f"identity|{key}", text_key(report[key]) if report.get(key) else None)
    _put(facts, "identity|year", str(report.get("year")) if report.get("year") else None)
    for key, value in (report.get("region") or {}).items():
        _put(facts, f"identity|region.{key}", text_key(value) if value else None)
    for key, value in truth.get("figures", {}).items():
        if key in CORPUS_FIGURE_KEYS:
            _put(facts, f"figure|{key}", number_key(value["value"] if isinstance(value, dict) else value))
    names = [name_key(p["name"]) for p in truth.get("projects", [])]
    for p in truth.get("projects", []):
        base = _unit_qualified(name_key(p["name"]), p.get("unit"), names)
        facts[f"project|{base}|exists"] = "yes"
        _put(facts, f"project|{base}|amount", number_key(p.get("amount_wan")))
        _put(facts, f"project|{base}|executed", number_key(p.get("executed_wan")))
        _put(facts, f"project|{base}|rate", number_key(p.get("execution_rate")))
        _put(facts, f"project|{base}|grade", p.get("grade"))
        _put(facts, f"basis|{base}|basis", text_key(p["basis"]) if p.get("basis") else None)
        if p.get("basis") or p.get("documents"):
            facts[f"basis|{base}|documents"] = "|".join(sorted(text_key(d) for d in p.get("documents") or []))
        if p.get("indicator_count") is not None:
            facts[f"kpi|{base}|count"] = str(p["indicator_count"])
    for doc in truth.get("documents", []):
        facts[f"document|{text_key(doc)}"] = "yes"
    return facts


def _corpus_extracted(report: Report, truth_names: set[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for key in ("unit", "kind", "scope", "summary"):
        value = getattr(report, key, None)
        _put(facts, f"identity|{key}", text_key(value) if value else None)
    parent = report.department if report.department and report.department != report.unit else None
    _put(facts, "identity|parent", text_key(parent) if parent else None)
    _put(facts, "identity|year", str(report.year) if report.year else None)
    for key in ("province", "city", "county"):
        value = getattr(report.region, key)
        _put(facts, f"identity|region.{key}", text_key(value) if value else None)
    for key in CORPUS_FIGURE_KEYS:
        figure = report.figure(key, basis="决算数") if report.kind == "决算" else None
        figure = figure or report.figure(key)
        if figure is not None and figure.amount is not None:
            facts[f"figure|{key}"] = _wan(figure.amount)
    for p in report.projects:
        qualified = f"{name_key(p.name)}@{text_key(p.unit)}" if p.unit else None
        base = qualified if qualified in truth_names else \
            _match_name(name_key(p.name), [name_key(n) for n in p.printed_names], truth_names)
        if f"project|{base}|exists" in facts:
            continue
        if p.parent and base not in truth_names:
            continue  # an item of a 一级项目's list: scored where the truth lists such items as projects
        facts[f"project|{base}|exists"] = "yes"
        amount = p.annual_total or _first(p, ("budget_table", "performance_table", "project_list", "text"),
                                           ("total", "annual_total", "annual", "budget"))
        _put(facts, f"project|{base}|amount", _wan(amount))
        e = p.self_evaluation
        if e is not None:
            _put(facts, f"project|{base}|executed", _wan(e.executed))
            _put(facts, f"project|{base}|rate", number_key(e.execution_rate))
            _put(facts, f"project|{base}|grade", e.grade)
        _put(facts, f"basis|{base}|basis", text_key(p.basis) if p.basis else None)
        facts[f"basis|{base}|documents"] = "|".join(sorted(text_key(d.canonical) for d in [*p.documents, *p.references]))
        if p.indicators:
            annual = [i for i in p.indicators if i.scope == "annual"]
            facts[f"kpi|{base}|count"] = str(len(annual or p.indicators))
    for doc in report.documents:
        facts[f"document|{text_key(doc.canonical)}"] = "yes"
    return facts


def _match_name(name: str, printed: list[str], truth_names: set[str]) -> str:
    """The ground-truth spelling of an extracted project name: equal, a printed variant, or one
    containing the other (names are often cut or prefixed with a year)."""
    for candidate in [name, *printed]:
        if candidate in truth_names:
            return candidate
    for candidate in [name, *printed]:
        close = [t for t in truth_names if len(t) >= 4 and len(candidate) >= 4 and (t in candidate or candidate in t)]
        if len(close) == 1:
            return close[0]
    return name


def compare_corpus(report: Report, truth: dict, name: str = "") -> Comparison:
    """Corpus ground truth vs the extraction: identity, figures, projects, 立项依据, KPI counts, documents."""
    expected = _corpus_truth(truth)
    names = {k.split("|")[1] for k in expected if k.startswith("project|") and k.endswith("|exists")}
    extracted = _corpus_extracted(report, names)
    # fields of projects the truth lists are scored; basis/kpi of projects it does not list are extras
    extracted = {k: v for k, v in extracted.items() if not k.startswith(("basis|", "kpi|")) or
                 k.split("|")[1] in names}
    return Comparison(name or truth.get("source", ""), expected, extracted)
