"""Passages: the readable texts of a report that search and question answering retrieve.

Every passage names its report, page and section and the IRIs of the entities it
mentions, so a hit leads back to the graph and to the page. Structured rows (projects,
KPIs, self-evaluations, budget lines) are rendered as Chinese sentences such as
``大同市人力资源和社会保障局 2023年决算 仲裁委业务费 全年预算7万元 执行3.94万元 执行率56.28%``.

A Report consumer like the graph builder and the checks: it needs no model, so it runs
wherever a report is read (``embed`` embeds the passages, ``store`` commits them), and
``add_passage_triples`` puts the passages into the report's graph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from kg.graph import vocab
from kg.graph.builder import GraphBuilder
from kg.graph.vocab import BKG
from kg.model import REPORT_KINDS, Amount, Indicator, Project, Report


@dataclass
class Passage:
    """A retrievable text with provenance.

    ``id`` is the passage IRI (deterministic from the report and the passage's place in
    it); ``entities`` are IRIs of units, projects, documents, indicators it mentions.
    ``facets`` carry filterable attributes (unit, department, year, kind, region …).
    """

    id: str
    text: str
    report: str  # report IRI
    source: str = ""  # report title or file name shown to users
    page: int | None = None
    section: str = ""  # heading path joined with " / "
    kind: str = "paragraph"  # paragraph | project | basis | indicator | self_evaluation | deviation | figure
    entities: list[str] = field(default_factory=list)
    facets: dict[str, str] = field(default_factory=dict)


MIN_PARAGRAPH = 12  # shorter paragraphs are boilerplate (本年度无此项支出。) that attract every negated query


def wan_text(amount: Amount | Decimal | None) -> str:
    """Money as users read it: '7万元', '3.94万元', '0.55万元'."""
    if amount is None:
        return ""
    value = amount.value if isinstance(amount, Amount) else amount
    number = (value / Decimal(10000)).quantize(Decimal("0.0001")).normalize()
    return f"{format(number, 'f')}万元"


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else f"{format(value.normalize(), 'f')}%"


_ITEM = re.compile(r"^\s*(?:\d{1,2}[.、．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）])")


def _item_headings(sections) -> list[tuple[int, tuple[list[str], list]]]:
    """Numbered short lines read as headings of their own, one after another under one heading, with
    no text (（一）机关内设机构 / 1.办公室 / 2.法律政策研究室 …): (index of the first, (the parent's
    path, the item sections)) for each run of two or more — together they are one list; the last item
    may carry the text printed after the list."""
    runs, run = [], []
    for index, section in enumerate(list(sections) + [None]):
        numbered = section is not None and len(section.path) >= 2 and _ITEM.match(section.heading) and \
            len(section.heading) <= 40
        item = numbered and not section.paragraphs
        if numbered and run and section.path[:-1] == run[-1][1].path[:-1]:
            run.append((index, section))
            if item:
                continue  # the last item may carry the text that follows the list (2.徐州铁路运输检察院 | 从预算…)
        if len(run) >= 2:
            runs.append((run[0][0], (run[0][1].path[:-1], [s for _, s in run])))
        run = [(index, section)] if item else []
    return runs


def _lone_item(section) -> bool:
    """A numbered short line read as a heading whose own text is the list's next item (2.现场勘验、物证
    快速识别技术的研究； / 3.现场疑难物证…): an item of a list, kept as a passage of its own."""
    if len(section.path) < 2 or len(section.heading) > 40 or not section.paragraphs:
        return False
    heading, first = _NUMBERED.match(section.heading.strip()), _NUMBERED.match(section.paragraphs[0].text.strip())
    return bool(heading and first and heading.group(1) and first.group(1)) and \
        int(first.group(1)) == int(heading.group(1)) + 1  # 2. then 3.: one list's items, same style


_NUMBERED = re.compile(r"^(\d{1,2})[.、．](?!\d)")


class PassageBuilder:
    """All passages of one report."""

    def __init__(self, report: Report):
        self.report = report
        self.graph = GraphBuilder(report)
        self.iri = self.graph.iri
        self.unit = self.graph.unit
        self.prefix = f"{report.unit} {report.year or ''}年{report.kind if report.kind in REPORT_KINDS else ''}".strip()
        region = report.region
        self.facets = {k: v for k, v in {
            "unit": report.unit, "department": report.department or report.unit,
            "year": str(report.year or ""), "kind": report.kind or "", "scope": report.scope or "",
            "province": region.province or "", "city": region.city or "", "county": region.county or "",
        }.items() if v}
        self.source = report.label()  # the report's rdfs:label: unit, year, scope and kind
        self.passages: list[Passage] = []
        self._ids: set[str] = set()

    def add(self, kind: str, key: str, text: str, page: int | None, section: str = "",
            entities: list[str] | None = None) -> None:
        text = text.strip()
        if len(text) < (MIN_PARAGRAPH if kind == "paragraph" else 4):
            return
        if kind == "paragraph" and len(text) <= 24 and not re.search(r"[，。；：,;:\d]", text):
            return  # a title or a cover line, not prose
        ident = str(vocab.passage_iri(self.iri, kind, key))
        if ident in self._ids:  # two projects of one name (one per 实施单位): each keeps its passage
            ident = str(vocab.passage_iri(self.iri, kind, f"{key}#{sum(i.startswith(ident) for i in self._ids) + 1}"))
        self._ids.add(ident)
        mentioned = [str(self.unit)] + [e for e in (entities or []) if e != str(self.unit)]
        self.passages.append(Passage(ident, text, str(self.iri), self.source, page, section, kind,
                                     mentioned, dict(self.facets)))

    def build(self) -> list[Passage]:
        self._paragraphs()
        self._table_texts()
        for project in self.report.projects:
            self._project(project)
        self._budget_lines()
        return self.passages

    def _paragraphs(self) -> None:
        names = {p.name: str(self.graph.project_iri(p)) for p in self.report.projects if len(p.name) >= 4}
        documents = {d.printed: str(vocab.document_iri(d.canonical)) for d in self.report.documents}
        for s_index, section in enumerate(self.report.sections):
            path = " / ".join(section.path)
            for p_index, paragraph in enumerate(section.paragraphs):
                mentioned = [iri for name, iri in names.items() if name in paragraph.text]
                mentioned += [iri for printed, iri in documents.items() if printed and printed in paragraph.text]
                self.add("paragraph", f"{s_index}/{p_index}/{paragraph.text[:40]}", paragraph.text, paragraph.page, path,
                         mentioned)

        listed = set()
        for s_index, (parent, items) in _item_headings(self.report.sections):  # 1.办公室 2.法律政策研究室 …
            text = f"{parent[-1]}：{' '.join(i.heading for i in items)}"
            listed.update(id(i) for i in items)
            self.add("paragraph", f"{s_index}/list", text, items[0].page, " / ".join(parent),
                     [iri for name, iri in names.items() if name in text])
        for s_index, section in enumerate(self.report.sections):  # 2.现场勘验…研究； / 3.… read as its text
            if id(section) not in listed and _lone_item(section):
                text = f"{section.path[-2]}：{section.heading}"
                self.add("paragraph", f"{s_index}/item", text, section.page, " / ".join(section.path[:-1]),
                         [iri for name, iri in names.items() if name in text])

    def _table_texts(self) -> None:
        """Prose printed in table cells (部门整体 goals, reasons, notes): passages under the table's title."""
        for t_index, section in enumerate(self.report.table_texts):
            title = section.heading
            for p_index, paragraph in enumerate(section.paragraphs):
                self.add("table_text", f"{t_index}/{p_index}/{paragraph.text[:40]}",
                         f"{self.prefix} {title} {paragraph.text}", paragraph.page, title)

    def _project(self, project: Project) -> None:
        iri = str(self.graph.project_iri(project))
        docs = [str(vocab.document_iri(d.canonical)) for d in project.documents]
        page = project.pages[0] if project.pages else None
        key = f"{project.name}/{project.category or ''}" + (f"/{project.unit}" if project.unit else "")
        head = f"{self.prefix} 项目：{project.name}"
        parts = [head]
        if project.carryover:
            parts.append("（上年结转）")
        amounts = []
        if project.annual_total is not None:
            amounts.append(f"年度资金{wan_text(project.annual_total)}")
        if project.period_total is not None and project.period_total.value != (project.annual_total.value if project.annual_total else None):
            amounts.append(f"实施期资金{wan_text(project.period_total)}")
        funds = [f"{s.level}{wan_text(s.amount)}" for s in project.fund_sources if s.scope == "annual" and s.amount.value]
        if funds:
            amounts.append("资金来源：" + "、".join(funds))
        if amounts:
            parts.append("，".join(amounts) + "。")
        for label, value in (("项目属性", project.attribute), ("项目期", project.period), ("项目类型", project.project_type),
                             ("主管部门", project.department), ("实施单位", project.unit)):
            if value:
                parts.append(f"{label}：{value}。")
        for label, value in (("项目概况", project.overview), ("主要支出方向和用途", project.purpose)):
            if value:
                parts.append(f"{label}：{value}")
        self.add("project", key, " ".join(parts), page, "项目", [iri])
        if project.basis:
            self.add("basis", key, f"{self.prefix} {project.name} 立项依据：{project.basis}", page, "立项依据",
                     [iri] + docs)
        goals = [f"{label}：{value}" for label, value in (("年度目标", project.goal_annual),
                                                          ("实施期目标", project.goal_period),
                                                          ("项目设立必要性", project.necessity)) if value]
        if goals:
            self.add("goal", key, f"{self.prefix} {project.name} " + "；".join(goals), page, "绩效目标", [iri])
        for index, indicator in enumerate(project.indicators):
            self._indicator(project, iri, key, index, indicator)
        evaluation = project.self_evaluation
        if evaluation is not None:
            figures = []
            if evaluation.full_year_budget is not None:
                figures.append(f"全年预算{wan_text(evaluation.full_year_budget)}")
            if evaluation.executed is not None:
                figures.append(f"执行{wan_text(evaluation.executed)}")
            if evaluation.execution_rate is not None:
                figures.append(f"执行率{percent_text(evaluation.execution_rate)}")
            if evaluation.balance is not None:
                figures.append(f"结余{wan_text(evaluation.balance)}")
            if evaluation.total_score is not None:
                figures.append(f"自评总分{format(evaluation.total_score.normalize(), 'f')}")
            if evaluation.grade:
                figures.append(f"等级{evaluation.grade}")
            self.add("self_evaluation", key, f"{self.prefix} {project.name} " + " ".join(figures),
                     evaluation.page or page, "绩效自评", [iri])
            if evaluation.deviation:
                self.add("deviation", key, f"{self.prefix} {project.name} 偏差原因：{evaluation.deviation}",
                         evaluation.page or page, "绩效自评分析", [iri])
            for topic, text in evaluation.analysis.items():
                if text and text.strip("。") not in ("无", "无。", ""):
                    self.add("analysis", f"{key}/{topic}", f"{self.prefix} {project.name} {topic}：{text}",
                             evaluation.page or page, "绩效自评分析", [iri])

    def _indicator(self, project: Project, iri: str, key: str, index: int, indicator: Indicator) -> None:
        scope = {"annual": "年度", "period": "实施期"}.get(indicator.scope, "")
        levels = "/".join(x for x in (indicator.level1, indicator.level2) if x)
        parts = [f"{self.prefix} {project.name} {scope}绩效指标 {levels}：{indicator.name}"]
        if indicator.target is not None:
            parts.append(f"指标值{indicator.target.text}")
        if indicator.actual is not None:
            parts.append(f"实际完成值{indicator.actual.text}")
        if indicator.weight is not None:
            parts.append(f"分值{format(indicator.weight.normalize(), 'f')}")
        if indicator.score is not None:
            parts.append(f"得分{format(indicator.score.normalize(), 'f')}")
        if indicator.deviation:
            parts.append(f"偏差原因：{indicator.deviation}")
        self.add("indicator", f"{key}/{index}", " ".join(parts), indicator.page, "绩效指标", [iri])

    def _budget_lines(self) -> None:
        for t_index, table in enumerate(self.report.tables):
            if table.kind not in ("expenditure_summary", "income_summary", "general_budget_expenditure"):
                continue
            for l_index, line in enumerate(table.lines):
                if not line.values:
                    continue
                values = "，".join(f"{_COLUMN_NAMES.get(k, k)}{wan_text(a)}" for k, a in line.values.items()
                                  if k in _COLUMN_NAMES)
                if not values:
                    continue
                code = f"{line.code} " if line.code else ""
                concept = [str(vocab.function_concept(line.code))] if line.code else []
                self.add("budget_line", f"{t_index}/{l_index}", f"{self.prefix} {table.title} {code}{line.name}：{values}",
                         line.page, table.title, concept)


_COLUMN_NAMES = {"total": "合计", "basic": "基本支出", "project": "项目支出", "general_budget": "一般公共预算",
                 "carryover": "上年结转", "fiscal_appropriation": "财政拨款"}


def build_passages(report: Report) -> list[Passage]:
    """Every passage of a report, with stable IRIs."""
    return PassageBuilder(report).build()


def add_passage_triples(graph, graph_iri: URIRef, report: Report, passages=None) -> None:
    """Passages are graph nodes too: text, kind, section, page, mentioned entities."""
    if passages is None:
        passages = build_passages(report)
    for passage in passages:
        node = URIRef(passage.id)
        graph.add((node, RDF.type, BKG.Passage))
        graph.add((node, BKG.text, Literal(passage.text, lang="zh")))
        graph.add((node, BKG.passageKind, Literal(passage.kind)))
        graph.add((node, BKG.inReport, graph_iri))
        if passage.section:
            graph.add((node, BKG.section, Literal(passage.section)))
        graph.add((node, PROV.wasDerivedFrom, vocab.page_iri(graph_iri, passage.page)))
        for triple in vocab.page_triples(graph_iri, passage.page):
            graph.add(triple)
        for entity in passage.entities:
            graph.add((node, BKG.mentions, URIRef(entity)))
