"""The record the parser hands the answering handlers: what a question asks, about which
entities, with which conditions (``search.ask.parser`` fills it; ``describe`` is what an answer
shows of it)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kg.graph.entities import Entity
from kg.metrics import Metric
from search.ask.numbers import Comparison
from search.ask.question_metrics import ProjectMetric


@dataclass
class Intent:
    kind: str  # see ``decide``
    question: str
    project_metric: ProjectMetric | None = None
    report_metric: Metric | None = None
    attribute: str | None = None
    comparison: Comparison | None = None
    grade: str | None = None
    carryover: bool | None = None
    evaluated: bool = False  # 做了绩效自评的项目中: only projects with a self-evaluation
    order: str | None = None  # "asc" | "desc"
    limit: int | None = None
    position: int | None = None  # 排第二的项目: the one at that place of the ranking (``limit`` reaches it)
    aggregate: str | None = None
    units: list[Entity] = field(default_factory=list)
    projects: list[Entity] = field(default_factory=list)
    documents: list[Entity] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    report_kind: str | None = None
    subunits: bool = False
    excluded: Decimal | None = None  # 除了执行率100%的项目: a value to leave out
    yoy: bool = False  # 比上年增加/减少多少
    partial_projects: bool = False  # projects named by a fragment: answer over the set
    ambiguous_units: list[str] = field(default_factory=list)  # a short name several units share
    ambiguous_form: str = ""
    parents_named: list[Entity] = field(default_factory=list)  # 西安市统计局下面的A、B: the department of named members
    own_level: set[str] = field(default_factory=set)  # 无锡市教育局（本级）: the unit's own 单位 report
    semantic: str = ""  # condition words left for semantic ranking
    rest: str = ""  # the question without the names of units, projects and documents
    implementers: set[str] = field(default_factory=set)  # named units that publish no report: projects' 实施单位
    report_scope: str | None = None  # 部门 | 单位, from 部门预算/汇总 or 单位预算/本级
    scopes_compared: tuple[str, str] | None = None  # 部门汇总…比本级单位预算多多少: both, in the order named
    asks_units: bool = False  # the answer is a list or ranking of units (哪些单位, 哪个分局)
    value_filter: tuple[str, Decimal] | None = None  # 有/安排了 → (">", 0); 为0/没有 → ("=", 0)
    percent_change: bool = False  # 增长了百分之几
    ratio_of: Metric | None = None  # 基本支出占支出总计的比例: the whole
    missing: list[str] = field(default_factory=list)  # things asked about that the corpus lacks
    summed: list[str] = field(default_factory=list)  # “三公”经费、会议费和培训费加起来: the figures added
    versus: list[Entity] = field(default_factory=list)  # X的收入比Y多多少: the two units compared, X first
    items: bool = False  # 子项/二级项目: the items a 一级项目's list names, not the 一级项目 themselves

    def describe(self) -> dict:
        return {k: v for k, v in {
            "type": self.kind,
            "project_metric": self.project_metric.key if self.project_metric else None,
            "report_metric": self.report_metric.key if self.report_metric else None,
            "attribute": self.attribute,
            "comparison": {"operator": self.comparison.operator, "value": str(self.comparison.value.value),
                           "unit": self.comparison.value.unit,
                           "upper": str(self.comparison.upper.value) if self.comparison.upper else None}
            if self.comparison else None,
            "grade": self.grade, "carryover": self.carryover, "order": self.order, "limit": self.limit,
            "aggregate": self.aggregate, "subunits": self.subunits or None, "year_over_year": self.yoy or None,
            "units": [u.name for u in self.units] or None,
            "projects": sorted({p.name for p in self.projects}) or None,
            "documents": [d.name for d in self.documents] or None,
            "years": self.years or None, "report_kind": self.report_kind, "semantic": self.semantic or None,
        }.items() if v not in (None, [], "")}
