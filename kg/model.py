"""The extraction document model: the contract between reading, the graph and embedding.

Every later stage consumes these records and nothing else. Readers turn a file into a
``Report``; the graph builder (``kg.graph``) turns a ``Report`` into RDF; ``embed`` turns
it into passages. The records are plain dataclasses that serialise to JSON
(``Report.to_dict`` / ``Report.from_dict``) so that ``budgetkg extract --json`` shows
exactly what later stages see, and the ground truth under ``tests/fixtures`` is written
in the same shape.

Conventions
-----------
* Money is an ``Amount``: ``value`` is an exact ``Decimal`` in 元 (yuan); ``printed`` and
  ``unit`` keep what the report printed (``"1,735.92"`` in ``"万元"``).
* Every extracted value carries ``page``: the physical page for PDFs (1-based), or for
  text exports the page printed in the report's table of contents for the section the
  value sits in (``SourceFile.page_basis`` says which). ``line`` is the line number in a
  text export, ``None`` for PDFs.
* Names are normalised (whitespace inside Chinese text removed, full-width brackets,
  Shanxi category prefixes ``J``/``Z``/``QT``/``XM`` split off into ``category``); the
  printed forms are kept next to them.
* Percentages (执行率, 占比) are ``Decimal`` percent values: ``56.28`` means 56.28%.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, get_args, get_origin, get_type_hints

SCHEMA_VERSION = 1

REPORT_KINDS = ("预算", "决算")
YOY_BASIS = "比上年增减"  # Figure.basis of a stated change from the previous year
REPORT_SCOPES = ("部门", "单位")
FUND_LEVELS = ("中央", "省级", "市县", "单位自筹", "其他")
GRADES = ("优", "良", "中", "差")


@dataclass
class Amount:
    """A sum of money: exact value in 元 plus the printed form and unit."""

    value: Decimal
    printed: str = ""
    unit: str = "元"
    page: int | None = None
    line: int | None = None

    @property
    def wan(self) -> Decimal:
        """The value in 万元."""
        return self.value / Decimal(10000)


@dataclass
class Quantity:
    """A non-money measured value (vehicles, floor area, people) with its unit."""

    value: Decimal
    unit: str
    printed: str = ""
    page: int | None = None
    line: int | None = None


@dataclass
class Region:
    """Administrative region of the reporting unit, most specific last."""

    province: str | None = None
    city: str | None = None
    county: str | None = None

    @property
    def most_specific(self) -> str | None:
        return self.county or self.city or self.province


@dataclass
class SourceFile:
    """Where a report came from."""

    path: str
    sha256: str
    format: str  # "pdf" | "text" | "markdown"
    pages: int | None = None
    page_basis: str = "physical"  # "physical" (PDF/form feeds) | "toc" (printed TOC) | "none"
    encoding: str | None = None


@dataclass
class BudgetLine:
    """One row of a budget table.

    ``values`` maps a canonical column key (``total``, ``basic``, ``project``,
    ``general_budget``, ``carryover``, …; see ``kg.extract.columns``) to the amount in
    that column. ``level`` is 类/款/项 for function-classification codes (3/5/7 digits)
    and economic codes (3/5 digits). ``side`` separates the income and expenditure
    halves of two-sided summary tables.
    """

    name: str
    code: str | None = None
    level: str | None = None
    side: str | None = None  # "income" | "expenditure" | None
    is_total: bool = False
    values: dict[str, Amount] = field(default_factory=dict)
    economic_group: str | None = None  # 政府预算支出经济科目 name printed beside 部门 economic name
    unit_code: str | None = None  # a table by unit (单位编码 | 单位名称 | …): the row's unit code
    block_unit: str | None = None  # a table printed unit by unit: the 预算单位 whose row or block this is
    page: int | None = None
    line: int | None = None


@dataclass
class BudgetTable:
    """A recognised budget table with its rows.

    ``kind`` is one of ``kg.extract.tables.TABLE_KINDS`` (``expenditure_summary`` for
    预算支出总表/支出决算表, ``fiscal_summary`` for 财政拨款收支总表, …).
    ``columns`` are the canonical keys in order; ``headers`` the printed header paths.
    """

    kind: str
    title: str
    unit: str = "万元"
    number: str | None = None
    columns: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    lines: list[BudgetLine] = field(default_factory=list)
    by_unit: bool = False  # one row per 预算单位 of the department (收入总表 by 单位名称 …)
    empty: bool = False
    page: int | None = None
    page_end: int | None = None
    line: int | None = None


@dataclass
class Grid:
    """A printed table the reader did not turn into a ``BudgetTable`` (a procurement list by unit,
    a project list, a self-evaluation form, a table of any other shape), kept as its cells so the
    consistency checks can compare its totals with its parts. ``title`` and ``unit`` are what the
    caption above it says; ``kind`` what the title classifies it as (``TABLE_KINDS``), if anything.
    """

    title: str
    rows: list[list[str]] = field(default_factory=list)
    row_pages: list[int | None] = field(default_factory=list)
    unit: str | None = None
    kind: str | None = None
    row_lines: list[int | None] = field(default_factory=list)  # in a text export; empty for PDFs


@dataclass
class Figure:
    """A headline figure of the report (收入总计, 三公经费, 机关运行经费, 政府采购, 车辆数 …).

    ``key`` is a dotted metric key from ``kg.metrics`` such as
    ``income.total`` or ``three_public.vehicle_operation``. ``basis`` distinguishes the
    budget and final columns of a 决算 table (``"预算数"``/``"决算数"``) where both are
    printed. ``source`` is ``"table"`` or ``"text"`` (narrative statement).
    """

    key: str
    label: str
    amount: Amount | None = None
    quantity: Quantity | None = None
    source: str = "table"
    subject: str | None = None  # the 预算单位 a row of a table by unit is about; None: the report's unit
    basis: str | None = None
    context: str = ""
    page: int | None = None
    line: int | None = None


@dataclass
class PolicyReference:
    """A policy document cited by a report: a 发文字号 and/or a title in 《》.

    ``canonical`` follows GB/T 9704: ``issuer〔year〕number号`` (``晋财社〔2019〕1号``);
    a title-only reference has ``canonical`` equal to the normalised title.
    """

    printed: str
    canonical: str
    kind: str = "number"  # "number" | "title"
    issuer: str | None = None
    year: int | None = None
    number: str | None = None
    title: str | None = None
    page: int | None = None
    line: int | None = None


@dataclass
class Target:
    """A KPI value as printed, parsed into comparator, number and unit where possible."""

    text: str
    comparator: str | None = None  # "=", "≥", "≤", ">", "<", "≈"
    number: Decimal | None = None
    unit: str | None = None


@dataclass
class Indicator:
    """One 绩效指标 row: three levels of names, target, and self-evaluation figures."""

    level1: str | None
    level2: str | None
    name: str
    target: Target | None = None
    adjusted_target: Target | None = None
    actual: Target | None = None
    weight: Decimal | None = None  # 分值
    score: Decimal | None = None  # 得分
    deviation: str | None = None  # 偏差原因分析及改进措施
    standard: str | None = None  # 绩效标准 / 指标值确定依据
    core: bool | None = None  # 是否核心指标 (是/否), where the form has the column
    scope: str = "annual"  # "annual" (年度) | "period" (实施期 / 长期)
    page: int | None = None
    line: int | None = None


@dataclass
class FundSource:
    """Part of a project's money by government level (中央/省级/市县/单位自筹/其他)."""

    level: str
    amount: Amount
    scope: str = "annual"  # "annual" (年度) | "period" (实施期)
    document: str | None = None  # canonical 发文字号 of the notice that allocates the money (a transfer)


@dataclass
class ProjectAmount:
    """A project amount as stated in one place of the report."""

    source: str  # "budget_table" | "carryover_table" | "performance_table" | "self_evaluation" | "project_list" | "text"
    key: str  # "annual_total" | "period_total" | "total" | "general_budget" | "budget" | "executed" | …
    amount: Amount


@dataclass
class SelfEvaluation:
    """项目支出绩效自评表 figures of a final account (决算)."""

    declared_budget: Amount | None = None  # 年初预算数 · 目标申报数
    initial_budget: Amount | None = None  # 年初预算数 · 预算编制数
    full_year_budget: Amount | None = None  # 全年预算数
    executed: Amount | None = None  # 全年执行数
    balance: Amount | None = None  # 资金结(转)余
    execution_rate: Decimal | None = None  # 执行率, percent
    rate_score: Decimal | None = None  # 得分 of the execution part
    total_score: Decimal | None = None  # 总分
    grade: str | None = None  # 优/良/中/差, or A/B/C/D as an evaluation report prints it
    deviation: str | None = None  # 偏差原因分析及改进措施 of the funding row
    annual_goal: str | None = None
    actual_result: str | None = None
    analysis: dict[str, str] = field(default_factory=dict)  # 项目实施和预算执行情况, 产出情况 …
    page: int | None = None
    line: int | None = None


WHOLE_DEPARTMENT = "部门整体支出"
"""The name's tail of a unit's whole-spending target (``Project.covers_department``)."""


@dataclass
class Project:
    """A budget project (项目) with every place it appears in the report."""

    name: str
    printed_names: list[str] = field(default_factory=list)
    category: str | None = None  # Shanxi prefix J/Z/QT/XM
    unit: str | None = None  # 实施单位 / 预算单位
    unit_code: str | None = None  # 预算单位 code (121001)
    department: str | None = None  # 主管部门
    department_code: str | None = None
    attribute: str | None = None  # 项目属性 (经常性项目（长期开展） …)
    period: str | None = None  # 项目期 (99年, 3年)
    project_type: str | None = None  # 项目类型 (一般公共预算 …) or 常年性项目
    carryover: bool = False  # 上年结转
    annual_total: Amount | None = None
    period_total: Amount | None = None
    amounts: list[ProjectAmount] = field(default_factory=list)
    fund_sources: list[FundSource] = field(default_factory=list)
    basis: str | None = None  # 立项依据 as printed
    documents: list[PolicyReference] = field(default_factory=list)  # cited in its 立项依据
    references: list[PolicyReference] = field(default_factory=list)  # cited elsewhere in its row, title or form
    overview: str | None = None  # 项目概况
    necessity: str | None = None  # 项目设立必要性
    measures: str | None = None  # 保证项目实施的制度、措施
    plan: str | None = None  # 项目实施计划
    purpose: str | None = None  # 项目主要支出方向和用途 (project lists)
    goal_period: str | None = None  # 总体目标 · 实施期目标
    goal_annual: str | None = None  # 总体目标 · 年度目标
    indicators: list[Indicator] = field(default_factory=list)
    self_evaluation: SelfEvaluation | None = None
    parent: str | None = None  # the 一级项目 whose list names it (…主要包括：（1）…)
    # a form for the whole of the report's project money (专项资金整体支出绩效目标表): its goals and
    # indicators are the listed projects' together, its amount their total — not one more project
    covers_projects: bool = False
    # a 部门整体支出绩效目标表: the goals and indicators of a unit's whole spending (基本支出 and 项目支出
    # together), its amount the unit's budget — no project; named 「单位」部门整体支出 (WHOLE_DEPARTMENT)
    covers_department: bool = False
    evaluation_report: str | None = None  # title of its attached 绩效评价报告 (a 决算's 重点评价项目)
    pages: list[int] = field(default_factory=list)
    line: int | None = None


@dataclass
class Paragraph:
    text: str
    page: int | None = None
    line: int | None = None


@dataclass
class Section:
    """A narrative section: its heading path and paragraphs."""

    path: list[str]
    paragraphs: list[Paragraph] = field(default_factory=list)
    page: int | None = None
    line: int | None = None

    @property
    def heading(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass
class IdentityEvidence:
    """Where one identity field of a report was read: the page, the rule and the printed text."""

    value: str
    rule: str  # e.g. "cover.label", "title", "title.split", "heading", "caption", "toc", "form"
    page: int | None = None
    text: str = ""


SUMMARIES = ("汇总", "本级")


@dataclass
class Report:
    """One disclosure report (a unit's or department's budget or final account for a year).

    Identity is ``unit`` (as printed, without a qualifier such as （本级）), ``year``, ``kind``
    (预算/决算), ``scope`` (部门/单位) and, where printed, ``summary`` (汇总/本级); ``identity``
    records for each of these fields (and ``department``/``region``) where it was read.
    """

    unit: str
    year: int | None
    kind: str | None  # 预算 | 决算
    scope: str | None  # 部门 | 单位
    title: str = ""
    summary: str | None = None  # 汇总 | 本级 when printed
    identity: dict[str, IdentityEvidence] = field(default_factory=dict)
    unit_aliases: list[str] = field(default_factory=list)
    department: str | None = None
    department_code: str | None = None
    unit_code: str | None = None
    region: Region = field(default_factory=Region)
    amount_unit: str = "万元"
    source: SourceFile | None = None
    tables: list[BudgetTable] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    unit_figures: list[Figure] = field(default_factory=list)  # of the 预算单位 in tables by unit (``subject``)
    statements: list[Figure] = field(default_factory=list)  # every figure the prose states, each time it states it
    member_units: list[str] = field(default_factory=list)  # the 预算单位 a department's report covers, as listed
    projects: list[Project] = field(default_factory=list)
    documents: list[PolicyReference] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    captions: list[Paragraph] = field(default_factory=list)  # lines printed above tables: titles, 编制单位：, 单位：
    table_texts: list[Section] = field(default_factory=list)  # prose printed in the cells of tables that are no
    # project's (部门整体 goals, reasons, notes), one section per table titled as printed
    grids: list[Grid] = field(default_factory=list)  # tables read as no budget table, as printed (kg.check.grids)
    warnings: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION

    # -- lookups used by later stages -------------------------------------------------
    def label(self) -> str:
        """How users see the report: unit, year, scope and kind (``… 2023年部门决算``)."""
        unit = f"{self.unit}（{self.summary}）" if self.summary else self.unit
        return f"{unit} {self.year or ''}年{self.scope or ''}{self.kind or ''}".strip()

    @property
    def identity_complete(self) -> bool:
        """Unit, year and kind were all read from the document (scope may be unprinted)."""
        return bool(self.unit) and self.year is not None and self.kind is not None

    def identity_key(self) -> tuple:
        """What makes two files the same report: unit, year, kind, scope, summary. A report whose
        identity is incomplete is identified by its content hash instead, so it never merges."""
        if not self.identity_complete:
            return ("sha256", self.source.sha256 if self.source else self.unit)
        return (self.unit, self.year, self.kind, self.scope, self.summary)

    def table(self, kind: str) -> BudgetTable | None:
        return next((t for t in self.tables if t.kind == kind), None)

    def figure(self, key: str, basis: str | None = None) -> Figure | None:
        """The figure of ``key`` (tables before text); changes against last year only when asked by basis."""
        found = [f for f in self.figures if f.key == key and (f.basis == basis if basis else f.basis != YOY_BASIS)]
        tables_first = sorted(found, key=lambda f: f.source != "table")
        return tables_first[0] if tables_first else None

    def project(self, name: str) -> Project | None:
        return next((p for p in self.projects if p.name == name), None)

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        return from_jsonable(cls, data)


def to_jsonable(obj: Any) -> Any:
    """Dataclasses → dicts, Decimal → str (exact), dropping ``None`` and empty containers."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            value = to_jsonable(getattr(obj, f.name))
            if value is None or value == [] or value == {}:
                continue
            out[f.name] = value
        return out
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, list):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    return obj


def json_default(value: Any) -> Any:
    """``json.dumps`` default for what users read (CLI ``--json``, the web API): Decimal → float,
    anything else (paths, IRIs) → str. Stored reports use the exact ``to_jsonable`` instead."""
    return float(value) if isinstance(value, Decimal) else str(value)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]


def from_jsonable(tp: Any, data: Any) -> Any:
    """Inverse of ``to_jsonable`` driven by the dataclass type hints."""
    if data is None:
        return None
    origin = get_origin(tp)
    if origin is list:
        (inner,) = get_args(tp)
        return [from_jsonable(inner, v) for v in data]
    if origin is dict:
        _, inner = get_args(tp)
        return {k: from_jsonable(inner, v) for k, v in data.items()}
    args = [a for a in get_args(tp) if a is not type(None)]
    if args and origin is not None:  # Optional[X] / X | None
        return from_jsonable(args[0], data)
    if tp is Decimal:
        return Decimal(str(data))
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {name: from_jsonable(hints[name], value) for name, value in data.items() if name in hints}
        for f in dataclasses.fields(tp):  # required fields dropped by to_jsonable because empty or None
            if f.name not in kwargs and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                origin = get_origin(hints[f.name])
                kwargs[f.name] = [] if origin is list else {} if origin is dict else None
        return tp(**kwargs)
    return data
