"""Funding lineage as a networkx graph: ``budgetkg trace``.

* a project → its report, unit and parent department; its money by government level
  (中央 → 省级 → 市县 …); the policy documents it cites; the function classes (项) where
  its report puts project spending (a report-level fact: reports do not print the class of
  each project); the same project in other years and units (its series),
  marking carry-overs (上年结转) from earlier years;
* a policy document → every project and unit citing it, across reports and years;
* a department → its units and their projects; a unit → its department, reports, projects.

Names are resolved fuzzily (aliases, brackets, short forms); an ambiguous name raises
``EntityNotFound`` with the candidates.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import networkx as nx

from kg.errors import EntityNotFound
from kg.graph.entities import Entity, Lexicon, normalise
from kg.graph.store import GraphStore


@dataclass
class Candidate:
    entity: Entity
    score: float

    def describe(self) -> str:
        e = self.entity
        where = f"（{e.unit} {e.year}年{e.report_kind or ''}）" if e.kind == "project" else ""
        kind = {"unit": "单位", "project": "项目", "document": "文件"}[e.kind]
        return f"{kind} {e.name}{where}"


_DOCUMENT_EDGES = {"basis_of": "立项依据", "funds": "资金下达文件", "cited_by": "引用"}


def _amount(value) -> float | None:
    return None if value is None else float(value) / 10000


class Lineage:
    """Traces entities of one graph store."""

    def __init__(self, store: GraphStore, lexicon: Lexicon | None = None):
        self.store = store
        self.lexicon = lexicon or Lexicon.from_store(store)

    # -- resolution ------------------------------------------------------------------------------
    def resolve(self, name: str) -> list[Candidate]:
        """Entities called ``name``: exact forms first, then the closest names."""
        text = normalise(name)
        if not text:
            raise EntityNotFound("请给出要追溯的名称 (give a unit, project or document name)")
        pools = [("document", self.lexicon.documents), ("unit", self.lexicon.units), ("project", self.lexicon.projects)]
        exact = [Candidate(e, 1.0) for _, pool in pools for e in pool.values() if text in e.forms]
        if exact:
            return exact
        scored = []
        for _, pool in pools:
            for entity in pool.values():
                best = max((SequenceMatcher(None, text, form).ratio() for form in entity.forms), default=0.0)
                if any(text in form for form in entity.forms):
                    best = max(best, 0.8)
                if best >= 0.6:
                    scored.append(Candidate(entity, best))
        scored.sort(key=lambda c: -c.score)
        return scored

    def pick(self, name: str) -> Entity:
        candidates = self.resolve(name)
        if not candidates:
            raise EntityNotFound(f"语料库中没有找到“{name}” (not found in the corpus)")
        top = [c for c in candidates if c.score >= candidates[0].score - 1e-9]
        if len({(c.entity.kind, c.entity.name) for c in top}) > 1 or (len(top) > 1 and top[0].entity.kind != "project"):
            listed = "；".join(c.describe() for c in candidates[:10])
            raise EntityNotFound(f"“{name}”对应多个实体，请写得更具体：{listed} (ambiguous name)",
                                 [c.describe() for c in candidates[:10]])
        return top[0].entity

    # -- tracing ---------------------------------------------------------------------------------
    def trace(self, name: str) -> nx.DiGraph:
        """The lineage graph around the entity named ``name`` (all same-named projects when they share a name)."""
        entity = self.pick(name)
        graph = nx.DiGraph(root=entity.iri, root_kind=entity.kind, root_name=entity.name)
        if entity.kind == "project":
            same = self.lexicon.projects_named(entity.name)
            for project in same:
                self._project(graph, project.iri)
        elif entity.kind == "document":
            self._document(graph, entity.iri)
        else:
            self._unit(graph, entity.iri)
        return graph

    def _node(self, graph: nx.DiGraph, iri: str, label: str, kind: str, **attrs) -> None:
        if iri in graph and "kind" in graph.nodes[iri]:
            return
        graph.add_node(iri, label=label, kind=kind, **{k: v for k, v in attrs.items() if v is not None})

    def _unit_chain(self, graph: nx.DiGraph, report: str) -> None:
        if graph.nodes.get(report, {}).get("kind") == "report":
            return  # chained already in this trace
        rows = self.store.query(f"""SELECT DISTINCT ?unit ?unit_name ?year ?kind ?department ?department_name WHERE {{
            <{report}> bkg:organization ?unit ; bkg:reportKind ?kind . OPTIONAL {{ <{report}> bkg:fiscalYear ?year }}
            ?unit skos:prefLabel ?unit_name .
            OPTIONAL {{ ?unit org:subOrganizationOf ?department . ?department skos:prefLabel ?department_name }} }}""").rows
        for row in rows:
            label = f"{row['unit_name']} {row.get('year') or ''}年{row['kind']}"
            self._node(graph, report, label, "report", year=row.get("year"))
            self._node(graph, row["unit"], row["unit_name"], "unit")
            graph.add_edge(report, row["unit"], relation="published_by", label="编制单位")
            if row.get("department"):
                self._node(graph, row["department"], row["department_name"], "department")
                graph.add_edge(row["unit"], row["department"], relation="sub_organization_of", label="主管部门")

    def _project(self, graph: nx.DiGraph, project: str) -> None:
        info = self.store.query(f"""SELECT ?name ?report ?year ?carry ?annual ?page WHERE {{
            <{project}> rdfs:label ?name ; bkg:inReport ?report . OPTIONAL {{ <{project}> bkg:fiscalYear ?year }}
            OPTIONAL {{ <{project}> bkg:isCarryover ?carry }} OPTIONAL {{ <{project}> bkg:annualAmount ?annual }}
            OPTIONAL {{ <{project}> prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }} }} LIMIT 1""").rows
        if not info:
            return
        row = info[0]
        self._node(graph, project, row["name"], "project", year=row.get("year"), carryover=bool(row.get("carry")),
                   annual_wan=_amount(row.get("annual")), page=row.get("page"))
        graph.add_edge(project, row["report"], relation="in_report", label="所属报告")
        self._unit_chain(graph, row["report"])
        for fund in self.store.query(f"""SELECT ?level ?scope ?amount WHERE {{
                <{project}> bkg:hasFundingSource ?f . ?f rdfs:label ?level ; bkg:scope ?scope ; bkg:amount ?amount }}""").rows:
            if not fund["amount"]:
                continue
            level = f"level:{fund['level']}"
            self._node(graph, level, fund["level"], "funding_level")
            key = "annual_wan" if fund["scope"] == "annual" else "period_wan"
            edge = graph.get_edge_data(level, project, default={"relation": "funds", "label": "资金来源"})
            edge[key] = _amount(fund["amount"])
            graph.add_edge(level, project, **edge)
        for doc in self.store.query(f"""SELECT DISTINCT ?doc ?label ?how WHERE {{
                {{ <{project}> bkg:legalBasis ?doc BIND("basis_of" AS ?how) }}
                UNION {{ <{project}> bkg:hasFundingSource/bkg:fundingDocument ?doc BIND("funds" AS ?how) }}
                UNION {{ <{project}> bkg:citesDocument ?doc BIND("cited_by" AS ?how) }}
                ?doc rdfs:label ?label }}""").rows:
            self._node(graph, doc["doc"], doc["label"], "document")
            if not graph.has_edge(doc["doc"], project):
                graph.add_edge(doc["doc"], project, relation=doc["how"], label=_DOCUMENT_EDGES[doc["how"]])
        self._project_classes(graph, row["report"])
        self._series(graph, project, row)

    def _project_classes(self, graph: nx.DiGraph, report: str) -> None:
        """The 项 (7-digit) function classes that carry a report's project spending."""
        if any(d.get("relation") == "project_spending_in" for _, _, d in graph.out_edges(report, data=True)):
            return  # added for another project of this report
        for line in self.store.query(f"""SELECT DISTINCT ?class ?code ?class_name ?amount WHERE {{
                ?table dcterms:isPartOf <{report}> ; bkg:tableKind "expenditure_summary" .
                ?line qb:dataSet ?table ; bkg:fundType "project" ; bkg:amount ?amount ; bkg:functionalClassification ?class .
                ?class skos:notation ?code ; skos:prefLabel ?class_name . FILTER(STRLEN(?code) = 7 && ?amount > 0) }}""").rows:
            self._node(graph, line["class"], f"{line['code']} {line['class_name']}", "function_class")
            graph.add_edge(report, line["class"], relation="project_spending_in",
                           label="项目支出所在功能科目", annual_wan=_amount(line["amount"]))

    def _series(self, graph: nx.DiGraph, project: str, row: dict) -> None:
        members = self.store.query(f"""SELECT DISTINCT ?other ?name ?year ?carry ?report ?series ?series_name WHERE {{
            <{project}> bkg:inSeries ?series . ?series rdfs:label ?series_name .
            ?other bkg:inSeries ?series ; rdfs:label ?name ; bkg:inReport ?report .
            OPTIONAL {{ ?other bkg:fiscalYear ?year }} OPTIONAL {{ ?other bkg:isCarryover ?carry }}
            FILTER(?other != <{project}>) }}""").rows
        for member in members:
            self._node(graph, member["series"], member["series_name"], "series")
            graph.add_edge(project, member["series"], relation="in_series", label="项目系列")
            self._node(graph, member["other"], member["name"], "project", year=member.get("year"),
                       carryover=bool(member.get("carry")))
            graph.add_edge(member["other"], member["series"], relation="in_series", label="项目系列")
            self._unit_chain(graph, member["report"])
            graph.add_edge(member["other"], member["report"], relation="in_report", label="所属报告")
            year, other_year = row.get("year"), member.get("year")
            if year and other_year and other_year < year and row.get("carry"):
                graph.add_edge(member["other"], project, relation="carried_over_to", label="结转至")

    def _document(self, graph: nx.DiGraph, document: str) -> None:
        rows = self.store.query(f"""SELECT DISTINCT ?label ?project WHERE {{
            <{document}> rdfs:label ?label .
            OPTIONAL {{ {{ ?project bkg:legalBasis <{document}> }}
                       UNION {{ ?project bkg:hasFundingSource/bkg:fundingDocument <{document}> }}
                       UNION {{ ?project bkg:citesDocument <{document}> }} }} }}""").rows
        if not rows:
            return
        self._node(graph, document, rows[0]["label"], "document")
        for row in rows:
            if row.get("project"):
                self._project(graph, row["project"])

    def _unit(self, graph: nx.DiGraph, unit: str) -> None:
        rows = self.store.query(f"""SELECT DISTINCT ?name ?sub ?department WHERE {{
            <{unit}> skos:prefLabel ?name .
            OPTIONAL {{ ?sub org:subOrganizationOf <{unit}> }} OPTIONAL {{ <{unit}> org:subOrganizationOf ?department }} }}""").rows
        if not rows:
            return
        kind = "department" if any(r.get("sub") for r in rows) else "unit"
        self._node(graph, unit, rows[0]["name"], kind)
        units = [unit] + sorted({r["sub"] for r in rows if r.get("sub")})
        for member in units:
            for report in self.store.query(f"""SELECT DISTINCT ?report WHERE {{ ?report a bkg:Report ; bkg:organization <{member}> }}""").rows:
                self._unit_chain(graph, report["report"])
                for project in self.store.query(f"""SELECT DISTINCT ?p ?name ?year ?annual WHERE {{
                        ?p bkg:inReport <{report['report']}> ; a bkg:Project ; rdfs:label ?name .
                        OPTIONAL {{ ?p bkg:fiscalYear ?year }} OPTIONAL {{ ?p bkg:annualAmount ?annual }} }}""").rows:
                    self._node(graph, project["p"], project["name"], "project", year=project.get("year"),
                               annual_wan=_amount(project.get("annual")))
                    graph.add_edge(project["p"], report["report"], relation="in_report", label="所属报告")
        for row in rows:
            if row.get("department"):
                self._unit_chain_department(graph, unit, row["department"])

    def _unit_chain_department(self, graph: nx.DiGraph, unit: str, department: str) -> None:
        name = self.store.query(f"SELECT ?n WHERE {{ <{department}> skos:prefLabel ?n }} LIMIT 1").rows
        self._node(graph, department, name[0]["n"] if name else department, "department")
        graph.add_edge(unit, department, relation="sub_organization_of", label="主管部门")


def _render_organisation(graph: nx.DiGraph, root: str) -> str:
    """部门 → 单位 → 报告 → 项目."""
    lines = [f"{graph.nodes[root]['label']}（{'主管部门' if graph.nodes[root]['kind'] == 'department' else '单位'}）"]
    parents = [b for _, b, d in graph.out_edges(root, data=True) if d.get("relation") == "sub_organization_of"]
    if parents:
        lines.append(f"  主管部门：{'、'.join(graph.nodes[p]['label'] for p in parents)}")
    units = [root] + sorted(a for a, _, d in graph.in_edges(root, data=True) if d.get("relation") == "sub_organization_of")
    for unit in units:
        reports = sorted(a for a, _, d in graph.in_edges(unit, data=True) if d.get("relation") == "published_by")
        if unit != root:
            lines.append(f"  单位 {graph.nodes[unit]['label']}")
        indent = "    " if unit != root else "  "
        for report in reports:
            projects = sorted(a for a, _, d in graph.in_edges(report, data=True) if d.get("relation") == "in_report")
            lines.append(f"{indent}报告 {graph.nodes[report]['label']}：项目 {len(projects)} 个")
            for project in projects:
                attrs = graph.nodes[project]
                amount = f"  {attrs['annual_wan']:g}万元" if attrs.get("annual_wan") is not None else ""
                lines.append(f"{indent}  - {attrs['label']}{amount}")
    return "\n".join(lines)


def to_json(graph: nx.DiGraph) -> dict:
    return {"root": graph.graph.get("root"), "kind": graph.graph.get("root_kind"), "name": graph.graph.get("root_name"),
            "nodes": [{"id": n, **attrs} for n, attrs in graph.nodes(data=True)],
            "edges": [{"source": a, "target": b, **attrs} for a, b, attrs in graph.edges(data=True)]}


def render_text(graph: nx.DiGraph) -> str:
    """An indented outline: a tree for departments and units, relations grouped by kind otherwise."""
    root = graph.graph["root"]
    if graph.nodes[root]["kind"] in ("department", "unit"):
        return _render_organisation(graph, root)
    lines = [f"{graph.nodes[root]['label']}（{graph.nodes[root]['kind']}）"]
    order = ["department", "unit", "report", "project", "funding_level", "document", "function_class", "series"]
    by_kind: dict[str, list[str]] = {}
    for node, attrs in graph.nodes(data=True):
        if node != root:
            by_kind.setdefault(attrs["kind"], []).append(node)
    names = {"department": "主管部门", "unit": "单位", "report": "报告", "project": "项目", "funding_level": "资金来源",
             "document": "政策文件", "function_class": "功能科目", "series": "项目系列"}
    for kind in order:
        nodes = by_kind.get(kind, [])
        if not nodes:
            continue
        lines.append(f"  {names[kind]}（{len(nodes)}）")
        for node in sorted(nodes, key=lambda n: (graph.nodes[n].get("year") or 0, graph.nodes[n]["label"])):
            attrs = graph.nodes[node]
            extra = []
            if attrs.get("annual_wan") is not None:
                extra.append(f"{attrs['annual_wan']:g}万元")
            if attrs.get("carryover"):
                extra.append("上年结转")
            relations = [d["label"] for _, _, d in graph.in_edges(node, data=True)] + \
                        [d["label"] for _, _, d in graph.out_edges(node, data=True)]
            funds = [f"{d.get('annual_wan', 0):g}万元" for _, _, d in graph.out_edges(node, data=True)
                     if d.get("relation") == "funds" and d.get("annual_wan")]
            extra += funds
            lines.append(f"    - {attrs['label']}" + (f"  [{'，'.join(extra)}]" if extra else "")
                         + (f"  ← {'、'.join(sorted(set(relations)))}" if relations else ""))
    return "\n".join(lines)


def write_graphml(graph: nx.DiGraph, path: str) -> None:
    clean = nx.DiGraph()
    for node, attrs in graph.nodes(data=True):
        clean.add_node(node, **{k: (v if isinstance(v, (str, int, float, bool)) else str(v)) for k, v in attrs.items()})
    for a, b, attrs in graph.edges(data=True):
        clean.add_edge(a, b, **{k: (v if isinstance(v, (str, int, float, bool)) else str(v)) for k, v in attrs.items()})
    nx.write_graphml(clean, path)
