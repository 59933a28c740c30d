"""Export the corpus: RDF (Turtle, N-Triples, N-Quads, TriG, JSON-LD), GraphML of the
entity network, and a CSV of projects with their key figures."""
from __future__ import annotations

import csv
import io

import networkx as nx

from kg.graph.formats import RDF_FORMATS
from kg.graph.store import GraphStore


PROJECTS_QUERY = """SELECT ?project ?name ?category ?unit_name ?department_name ?year ?kind ?carryover ?annual ?period
       ?rate ?budget ?executed ?score ?grade (GROUP_CONCAT(DISTINCT ?doc_label; separator="；") AS ?documents) ?page
WHERE {
  ?project a bkg:Project ; rdfs:label ?name ; bkg:inReport ?report .
  ?report bkg:organization ?unit ; bkg:reportKind ?kind . OPTIONAL { ?report bkg:fiscalYear ?year }
  ?unit skos:prefLabel ?unit_name .
  OPTIONAL { ?project bkg:category ?category } OPTIONAL { ?project bkg:isCarryover ?carryover }
  OPTIONAL { ?project bkg:department ?department . ?department skos:prefLabel ?department_name }
  OPTIONAL { ?project bkg:annualAmount ?annual } OPTIONAL { ?project bkg:periodAmount ?period }
  OPTIONAL { ?project bkg:hasSelfEvaluation ?se .
             OPTIONAL { ?se bkg:executionRate ?rate } OPTIONAL { ?se bkg:fullYearBudget ?budget }
             OPTIONAL { ?se bkg:executedAmount ?executed } OPTIONAL { ?se bkg:totalScore ?score }
             OPTIONAL { ?se bkg:grade ?grade } }
  OPTIONAL { ?project bkg:legalBasis ?doc . ?doc rdfs:label ?doc_label }
  OPTIONAL { ?project prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }
}
GROUP BY ?project ?name ?category ?unit_name ?department_name ?year ?kind ?carryover ?annual ?period ?rate ?budget
         ?executed ?score ?grade ?page
ORDER BY ?unit_name ?year ?name"""

CSV_COLUMNS = [("name", "项目"), ("category", "类别"), ("unit_name", "单位"), ("department_name", "主管部门"),
               ("year", "年度"), ("kind", "报告"), ("carryover", "上年结转"), ("annual", "年度资金(万元)"),
               ("period", "实施期资金(万元)"), ("budget", "全年预算(万元)"), ("executed", "全年执行数(万元)"),
               ("rate", "执行率(%)"), ("score", "自评总分"), ("grade", "等级"), ("documents", "立项依据文件"),
               ("page", "页"), ("project", "IRI")]
MONEY = {"annual", "period", "budget", "executed"}


def export_rdf(store: GraphStore, fmt: str) -> bytes:
    return store.dump(RDF_FORMATS[fmt])


def projects_csv(store: GraphStore) -> str:
    rows = store.query(PROJECTS_QUERY).rows
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in CSV_COLUMNS])
    seen = set()
    for row in rows:
        if row["project"] in seen:
            continue
        seen.add(row["project"])
        values = []
        for key, _ in CSV_COLUMNS:
            value = row.get(key)
            if key in MONEY and value is not None:
                value = format((value / 10000).normalize(), "f")
            values.append("" if value is None else value)
        writer.writerow(values)
    return out.getvalue()


def entity_network(store: GraphStore) -> nx.DiGraph:
    """Units, departments, reports, projects, documents and series, with their relations."""
    graph = nx.DiGraph()
    queries = {
        "sub_organization_of": "SELECT ?a ?b ?la ?lb WHERE { ?a org:subOrganizationOf ?b . ?a skos:prefLabel ?la . ?b skos:prefLabel ?lb }",
        "published_by": "SELECT ?a ?b ?la ?lb WHERE { ?a a bkg:Report ; bkg:organization ?b ; rdfs:label ?la . ?b skos:prefLabel ?lb }",
        "in_report": "SELECT ?a ?b ?la ?lb WHERE { ?a a bkg:Project ; bkg:inReport ?b ; rdfs:label ?la . ?b rdfs:label ?lb }",
        "basis_of": "SELECT ?a ?b ?la ?lb WHERE { ?b bkg:legalBasis ?a . ?a rdfs:label ?la . ?b rdfs:label ?lb }",
        "in_series": "SELECT ?a ?b ?la ?lb WHERE { ?a bkg:inSeries ?b ; rdfs:label ?la . ?b rdfs:label ?lb }",
    }
    for relation, query in queries.items():
        for row in store.query(query).rows:
            graph.add_node(str(row["a"]), label=str(row["la"]))
            graph.add_node(str(row["b"]), label=str(row["lb"]))
            graph.add_edge(str(row["a"]), str(row["b"]), relation=relation)
    return graph


def export_graphml(store: GraphStore) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(entity_network(store), buffer)
    return buffer.getvalue()
