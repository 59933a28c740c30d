"""Report → RDF triples.

What a report states about its own facts (the report, its pages, tables, budget lines,
figures, projects, indicators, self-evaluations, passages) goes into the report's named
graph, which a re-ingest replaces as a whole. Descriptions of nodes that several reports
share — units and departments, regions, classification concepts, metrics, policy
documents, project series — go into one named graph per shared node, merged set-wise,
so every triple exists once and the union default graph never counts a label twice.
Every fact node carries ``prov:wasDerivedFrom`` the page it was read from.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, XSD

from kg.extract import codes
from kg.extract.names import short_forms
from kg.filenames import shown
from kg.graph import vocab
from kg.graph.entities import base_name
from kg.graph.triples import Triples
from kg.graph.vocab import BKG, ID
from kg.metrics import BY_KEY
from kg.model import Amount, Indicator, PolicyReference, Project, Report, SelfEvaluation, Target


def _decimal(value: Decimal | None) -> Literal | None:
    return None if value is None else Literal(format(value, "f"), datatype=XSD.decimal)


class GraphBuilder:
    """Builds the triples of one report; ``build()`` returns (graph IRI, its ``Triples``,
    the shared nodes' ``Triples`` by node)."""

    def __init__(self, report: Report):
        self.report = report
        self.g = Triples()
        self.iri = vocab.report_iri(report)
        self.shared: dict[URIRef, Triples] = {}
        self.unit = vocab.org_iri(report.unit)
        self.department = vocab.org_iri(report.department) if report.department else None
        self._project_names = Counter(p.name for p in report.projects)
        self._project_kinds = Counter((p.name, p.category) for p in report.projects)

    # -- helpers ---------------------------------------------------------------------------
    def add(self, s, p, o) -> None:
        """Add a triple to the report graph, or to the shared graph of ``s`` when ``s`` is a shared node."""
        if o is None or o == "":
            return
        if not isinstance(o, (URIRef, BNode, Literal)):
            o = Literal(o)
        if isinstance(s, URIRef) and vocab.is_shared(s):
            graph = self.shared.get(s)
            if graph is None:
                graph = self.shared[s] = Triples()
            graph.add((s, p, o))
        else:
            self.g.add((s, p, o))

    def page(self, page: int | None) -> URIRef:
        for triple in vocab.page_triples(self.iri, page):
            self.g.add(triple)
        return vocab.page_iri(self.iri, page)

    def derived(self, node: URIRef, page: int | None) -> None:
        self.g.add((node, PROV.wasDerivedFrom, self.page(page)))

    def amount(self, node: URIRef, prop: URIRef, amount: Amount | None) -> None:
        if amount is None:
            return
        self.g.add((node, prop, _decimal(amount.value)))

    # -- build -------------------------------------------------------------------------------
    def build(self) -> tuple[URIRef, Triples, dict[URIRef, Triples]]:
        self._report()
        self._organisations()
        for index, table in enumerate(self.report.tables):
            self._table(index, table)
        for figure in self.report.figures:
            self._figure(figure)
        for figure in self.report.unit_figures:
            self._figure(figure)
        for member in self.report.member_units:
            self._subunit(member)
        for project in self.report.projects:
            self._project(project)
        for ref in self.report.documents:
            self._document(ref)
        return self.iri, self.g, self.shared

    def _report(self) -> None:
        r, rep = self.iri, self.report
        self.add(r, RDF.type, BKG.Report)
        self.add(r, RDFS.label, Literal(rep.label(), lang="zh"))
        self.add(r, DCTERMS.title, rep.title or rep.label())
        self.add(r, BKG.organization, self.unit)
        if rep.year:
            self.add(r, BKG.fiscalYear, Literal(rep.year))
        self.add(r, BKG.reportKind, rep.kind)
        self.add(r, BKG.reportScope, rep.scope)
        if rep.kind in vocab.PHASES:
            self.add(r, BKG.budgetPhase, vocab.PHASES[rep.kind])
        self.add(r, BKG.amountUnit, rep.amount_unit)
        if rep.source:
            self.add(r, BKG.sourceFile, shown(rep.source.path))
            self.add(r, BKG.sha256, rep.source.sha256)
            self.add(r, BKG.pageBasis, rep.source.page_basis)
            if rep.source.pages:
                self.add(r, BKG.pageCount, Literal(rep.source.pages))

    def _organisations(self) -> None:
        rep = self.report
        self._org(self.unit, rep.unit, rep.unit_code,
                  rep.unit_aliases)
        if self.department is not None and self.department != self.unit:
            self._org(self.department, rep.department, rep.department_code, short_forms(rep.department))
            self.add(self.unit, ORG.subOrganizationOf, self.department)
        elif self.department is not None and rep.department_code:
            self.add(self.unit, BKG.orgCode, rep.department_code)
        region = self._region()
        if region is not None:
            self.add(self.unit, BKG.region, region)

    def _subunit(self, name: str) -> URIRef:
        """A 预算单位 of the report's department, named in a table by unit."""
        node = vocab.org_iri(name)
        if node != self.unit:
            self._org(node, name, None, short_forms(name))
            self.add(node, ORG.subOrganizationOf, self.unit)
        return node

    def _org(self, node: URIRef, name: str, code: str | None, aliases: list[str]) -> None:
        self.add(node, RDF.type, BKG.Unit)
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, SKOS.prefLabel, Literal(name, lang="zh"))
        self.add(node, RDFS.label, Literal(name, lang="zh"))
        for alias in aliases:
            if alias != name:
                self.add(node, SKOS.altLabel, Literal(alias, lang="zh"))
        if code:
            self.add(node, BKG.orgCode, code)

    def _region(self) -> URIRef | None:
        region = self.report.region
        chain = [("province", region.province), ("city", region.city), ("county", region.county)]
        names: list[str] = []
        node = parent = None
        for level, name in chain:
            if not name:
                continue
            names.append(name)
            node = vocab.region_iri(*names)
            self.add(node, RDF.type, BKG.Region)
            self.add(node, SKOS.inScheme, BKG.RegionScheme)
            self.add(node, SKOS.prefLabel, Literal(name, lang="zh"))
            self.add(node, RDFS.label, Literal(name, lang="zh"))
            self.add(node, BKG.regionLevel, level)
            if parent is not None:
                self.add(node, SKOS.broader, parent)
            parent = node
        return node

    # -- tables ------------------------------------------------------------------------------
    def _table(self, index: int, table) -> None:
        dataset = URIRef(f"{self.iri}/table/{index}")
        self.add(dataset, RDF.type, QB.DataSet)
        self.add(dataset, QB.structure, BKG.budgetLineStructure)
        self.add(dataset, RDFS.label, table.title)
        self.add(dataset, BKG.tableKind, table.kind)
        self.add(dataset, DCTERMS.isPartOf, self.iri)
        self.derived(dataset, table.page)
        economic = table.kind == "basic_by_economic"
        for row, line in enumerate(table.lines):
            concept = self._classification(line, economic)
            for column, amount in line.values.items():
                obs = vocab.observation_iri(dataset, row, column)
                self.add(obs, RDF.type, BKG.BudgetLine)
                self.add(obs, RDF.type, QB.Observation)
                self.add(obs, QB.dataSet, dataset)
                self.add(obs, BKG.organization, self.unit)
                if self.report.year:
                    self.add(obs, BKG.fiscalYear, Literal(self.report.year))
                if self.report.kind in vocab.PHASES:
                    self.add(obs, BKG.budgetPhase, vocab.PHASES[self.report.kind])
                self.add(obs, BKG.tableKind, table.kind)
                self.add(obs, BKG.fundType, column)
                self.add(obs, BKG.lineName, line.name)
                self.add(obs, BKG.side, line.side)
                if line.is_total:
                    self.add(obs, BKG.isTotal, Literal(True))
                if concept is not None:
                    self.add(obs, BKG.economicClassification if economic else BKG.functionalClassification, concept)
                if line.block_unit:
                    self.add(obs, BKG.spendingUnit, self._subunit(line.block_unit))
                self.amount(obs, BKG.amount, amount)
                self.add(obs, BKG.printedAmount, f"{amount.printed}{amount.unit}")
                self.add(obs, vocab.OBEU_ATTR.currency, vocab.CURRENCY_CNY)
                self.derived(obs, amount.page)

    def _classification(self, line, economic: bool) -> URIRef | None:
        if line.is_total:
            return None
        if economic:
            code = line.code or codes.economic_code(line.name)
            concept = vocab.economic_concept(code) if code else vocab.economic_name_concept(line.name)
            scheme = BKG.EconomicClassificationScheme
        else:
            code = line.code
            if not code:
                return None
            concept = vocab.function_concept(code)
            scheme = BKG.FunctionalClassificationScheme
        self.add(concept, RDF.type, SKOS.Concept)
        self.add(concept, SKOS.inScheme, scheme)
        self.add(concept, SKOS.prefLabel, Literal(codes.strip_enumerator(line.name), lang="zh"))
        if code:
            self.add(concept, SKOS.notation, code)
            self.add(concept, BKG.level, codes.level(code))
            broader = codes.parent(code)
            if broader:
                make = vocab.economic_concept if economic else vocab.function_concept
                self.add(concept, SKOS.broader, make(broader))
                self.add(make(broader), SKOS.inScheme, scheme)
                self.add(make(broader), SKOS.notation, broader)
                self.add(make(broader), RDF.type, SKOS.Concept)
        return concept

    def _figure(self, figure) -> None:
        ident = (figure.key, figure.basis, figure.source) + ((figure.subject,) if figure.subject else ())
        node = URIRef(f"{self.iri}/figure/{vocab.digest(*ident)}")
        metric = vocab.metric_concept(figure.key)
        self.add(node, RDF.type, BKG.Figure)
        self.add(node, RDF.type, QB.Observation)
        self.add(node, QB.dataSet, URIRef(f"{self.iri}/figures"))
        self.add(URIRef(f"{self.iri}/figures"), RDF.type, QB.DataSet)
        self.add(URIRef(f"{self.iri}/figures"), QB.structure, BKG.figureStructure)
        self.add(node, BKG.organization, self._subunit(figure.subject) if figure.subject else self.unit)
        self.add(node, BKG.inReport, self.iri)
        if self.report.year:
            self.add(node, BKG.fiscalYear, Literal(self.report.year))
        if self.report.kind in vocab.PHASES:
            self.add(node, BKG.budgetPhase, vocab.PHASES[self.report.kind])
        self.add(node, BKG.metric, metric)
        self.add(metric, RDF.type, BKG.Metric)
        self.add(metric, SKOS.inScheme, BKG.MetricScheme)
        self.add(metric, SKOS.notation, figure.key)
        info = BY_KEY.get(figure.key)
        self.add(metric, SKOS.prefLabel, Literal(info.label if info else figure.label, lang="zh"))
        if info:
            self.add(metric, SKOS.prefLabel, Literal(info.english, lang="en"))
        self.add(node, RDFS.label, figure.label)
        self.add(node, BKG.basis, figure.basis)
        self.add(node, BKG.statedIn, figure.source)
        if figure.amount is not None:
            self.amount(node, BKG.amount, figure.amount)
            self.add(node, BKG.printedAmount, f"{figure.amount.printed}{figure.amount.unit}")
            self.add(node, vocab.OBEU_ATTR.currency, vocab.CURRENCY_CNY)
        if figure.quantity is not None:
            self.add(node, BKG.quantity, _decimal(figure.quantity.value))
            self.add(node, BKG.quantityUnit, figure.quantity.unit)
        self.add(node, RDFS.comment, figure.context)
        self.derived(node, figure.page)

    # -- projects ----------------------------------------------------------------------------
    def project_iri(self, project: Project) -> URIRef:
        shared = self._project_names[project.name] > 1
        if not shared:
            return vocab.project_iri(self.iri, project.name)
        by_category = self._project_kinds[(project.name, project.category)] == 1
        # one name in several 预算单位 (区财政安排项目 of ten 分局): the unit tells them apart
        return vocab.project_iri(self.iri, project.name,
                                 project.category if by_category else f"{project.category or ''}|{project.unit or ''}")

    def _project(self, project: Project) -> None:
        node = self.project_iri(project)
        self.add(node, RDF.type, BKG.Project)
        self.add(node, RDFS.label, Literal(project.name, lang="zh"))
        for printed in project.printed_names:
            self.add(node, BKG.printedName, printed)
        self.add(node, BKG.category, project.category)
        self.add(node, BKG.inReport, self.iri)
        if self.report.year:
            self.add(node, BKG.fiscalYear, Literal(self.report.year))
        if self.report.kind in vocab.PHASES:
            self.add(node, BKG.budgetPhase, vocab.PHASES[self.report.kind])
        unit = vocab.org_iri(project.unit) if project.unit else self.unit
        self.add(node, BKG.implementingUnit, unit)
        if unit != self.unit:
            self._org(unit, project.unit, None, short_forms(project.unit))
        department = vocab.org_iri(project.department) if project.department else self.department
        if department is not None:
            self.add(node, BKG.department, department)
        self.add(node, BKG.isCarryover, Literal(project.carryover))
        if project.covers_projects:
            self.add(node, BKG.coversProjects, Literal(True))
        if project.covers_department:
            self.add(node, BKG.coversDepartment, Literal(True))
        self.amount(node, BKG.annualAmount, project.annual_total)
        self.amount(node, BKG.periodAmount, project.period_total)
        self.add(node, BKG.projectAttribute, project.attribute)
        self.add(node, BKG.projectTerm, project.period)
        self.add(node, BKG.projectType, project.project_type)
        self.add(node, BKG.basisText, project.basis)
        self.add(node, BKG.overview, project.overview)
        self.add(node, BKG.purpose, project.purpose)
        self.add(node, BKG.goalAnnual, project.goal_annual)
        self.add(node, BKG.goalPeriod, project.goal_period)
        parent = project.parent and next((p for p in self.report.projects if p.name == project.parent and
                                          _same_unit(p.unit, project.unit) and p is not project), None)
        if parent:
            self.add(node, BKG.parentProject, self.project_iri(parent))
        series = vocab.series_iri(self.report.department or self.report.unit, project.name)
        self.add(node, BKG.inSeries, series)
        self.add(series, RDF.type, BKG.ProjectSeries)
        self.add(series, RDFS.label, Literal(vocab.series_name(project.name), lang="zh"))
        self.derived(node, project.pages[0] if project.pages else None)
        for page in project.pages[1:]:
            self.derived(node, page)
        for ref in project.documents:
            self.add(node, BKG.legalBasis, self._document(ref))
        for ref in project.references:
            self.add(node, BKG.citesDocument, self._document(ref))
        cited = {ref.canonical: ref for ref in [*project.documents, *project.references]}
        for i, source in enumerate(project.fund_sources):
            fund = URIRef(f"{node}/fund/{i}")
            self.add(node, BKG.hasFundingSource, fund)
            self.add(fund, RDF.type, BKG.FundingSource)
            self.add(fund, BKG.fundingLevel, vocab.FUNDING_LEVELS.get(source.level, BKG["level-other"]))
            self.add(fund, RDFS.label, source.level)
            self.add(fund, BKG.scope, source.scope)
            if source.document in cited:
                self.add(fund, BKG.fundingDocument, self._document(cited[source.document]))
            self.amount(fund, BKG.amount, source.amount)
            self.derived(fund, source.amount.page)
        for i, stated in enumerate(project.amounts):
            item = URIRef(f"{node}/amount/{i}")
            self.add(node, BKG.hasStatedAmount, item)
            self.add(item, RDF.type, BKG.StatedAmount)
            self.add(item, BKG.amountSource, stated.source)
            self.add(item, BKG.amountKind, stated.key)
            self.amount(item, BKG.amount, stated.amount)
            self.add(item, BKG.printedAmount, f"{stated.amount.printed}{stated.amount.unit}")
            self.derived(item, stated.amount.page)
        for i, indicator in enumerate(project.indicators):
            self._indicator(node, i, indicator)
        if project.self_evaluation is not None:
            self._self_evaluation(node, project.self_evaluation)

    def _indicator(self, project: URIRef, index: int, indicator: Indicator) -> None:
        node = URIRef(f"{project}/indicator/{index}")
        self.add(project, BKG.hasIndicator, node)
        self.add(node, RDF.type, BKG.Indicator)
        self.add(node, RDFS.label, Literal(indicator.name, lang="zh"))
        self.add(node, BKG.level1, indicator.level1)
        self.add(node, BKG.level2, indicator.level2)
        self.add(node, BKG.indicatorScope, indicator.scope)
        self._target(node, indicator.target, BKG.targetText, BKG.targetValue)
        self._target(node, indicator.actual, BKG.actualText, BKG.actualValue)
        self.add(node, BKG.weight, _decimal(indicator.weight))
        self.add(node, BKG.score, _decimal(indicator.score))
        self.add(node, BKG.deviationReason, indicator.deviation)
        if indicator.core is not None:
            self.add(node, BKG.isCoreIndicator, Literal(indicator.core))
        self.derived(node, indicator.page)

    def _target(self, node: URIRef, target: Target | None, text_prop: URIRef, value_prop: URIRef) -> None:
        if target is None:
            return
        self.add(node, text_prop, target.text)
        if value_prop == BKG.targetValue:
            self.add(node, BKG.comparator, target.comparator)
            self.add(node, BKG.targetUnit, target.unit)
        self.add(node, value_prop, _decimal(target.number))

    def _self_evaluation(self, project: URIRef, e: SelfEvaluation) -> None:
        node = URIRef(f"{project}/self-evaluation")
        self.add(project, BKG.hasSelfEvaluation, node)
        self.add(node, RDF.type, BKG.SelfEvaluation)
        for prop, amount in ((BKG.declaredBudget, e.declared_budget), (BKG.initialBudget, e.initial_budget),
                             (BKG.fullYearBudget, e.full_year_budget), (BKG.executedAmount, e.executed),
                             (BKG.balance, e.balance)):
            self.amount(node, prop, amount)
        self.add(node, BKG.executionRate, _decimal(e.execution_rate))
        self.add(node, BKG.rateScore, _decimal(e.rate_score))
        self.add(node, BKG.totalScore, _decimal(e.total_score))
        self.add(node, BKG.grade, e.grade)
        self.add(node, BKG.deviationReason, e.deviation)
        self.add(node, BKG.annualGoal, e.annual_goal)
        self.add(node, BKG.actualResult, e.actual_result)
        for key, text in e.analysis.items():
            self.add(node, BKG.analysis, Literal(f"{key}：{text}", lang="zh"))
        self.derived(node, e.page)

    def _document(self, ref: PolicyReference) -> URIRef:
        node = vocab.document_iri(ref.canonical)
        self.add(node, RDF.type, BKG.PolicyDocument)
        self.add(node, RDFS.label, Literal(ref.canonical, lang="zh"))
        if ref.kind == "number":
            self.add(node, BKG.documentNumber, ref.canonical)
            self.add(node, BKG.issuerPrefix, ref.issuer)
            if ref.year:
                self.add(node, BKG.documentYear, Literal(ref.year))
            self.add(node, BKG.serialNumber, ref.number)
        self.add(node, DCTERMS.title, ref.title)
        self.add(node, BKG.printedReference, ref.printed)
        self.add(self.iri, DCTERMS.references, node)
        return node


def build_triples(report: Report) -> tuple[URIRef, Triples, dict[URIRef, Triples]]:
    """The report's graph IRI, its own triples, and the shared nodes' triples by node: what
    the ingest writes (no rdflib ``Graph`` is built)."""
    return GraphBuilder(report).build()


def build_graphs(report: Report) -> tuple[URIRef, Graph, dict[URIRef, Graph]]:
    """``build_triples`` as rdflib graphs, for code that queries them."""
    iri, own, shared = build_triples(report)
    return iri, own.graph(), {node: triples.graph() for node, triples in shared.items()}


def build_graph(report: Report) -> tuple[URIRef, Graph]:
    """Everything one report says, in a single graph (for validation and export)."""
    iri, graph, shared = build_graphs(report)
    for part in shared.values():
        graph += part
    return iri, graph


__all__ = ["build_graph", "build_graphs", "build_triples", "GraphBuilder", "ID"]


def _same_unit(a: str | None, b: str | None) -> bool:
    """Two units a report names for one project (X and X（本级）, or one left unnamed)."""
    return not a or not b or base_name(a) == base_name(b)
