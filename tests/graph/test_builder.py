"""The graph of a report: deterministic IRIs, provenance on every fact, shared nodes once."""
from __future__ import annotations

from rdflib.namespace import PROV, RDF

from kg.graph import vocab
from kg.graph.builder import build_graph, build_graphs
from kg.graph.vocab import BKG

FACT_CLASSES = (BKG.Project, BKG.BudgetLine, BKG.Figure, BKG.Indicator, BKG.SelfEvaluation, BKG.FundingSource,
                BKG.StatedAmount)


def test_iris_depend_on_content_only(seed_reports):
    report = seed_reports["001_01b4697fa3395aa5"]
    first = build_graph(report)
    again = build_graph(report)
    assert first[0] == again[0] == vocab.report_iri(report)
    assert report.identity_key() == ("大同市人力资源和社会保障局", 2023, "决算", "单位", None)
    assert set(first[1]) == set(again[1])


def test_every_fact_has_a_source_page(seed_reports):
    for report in seed_reports.values():
        iri, graph = build_graph(report)
        for cls in FACT_CLASSES:
            for node in graph.subjects(RDF.type, cls):
                assert graph.value(node, PROV.wasDerivedFrom) is not None, (report.unit, cls, node)


def test_shared_nodes_are_described_outside_the_report_graph(seed_reports):
    _, own, shared = build_graphs(seed_reports["000_f26fb4c08ebca23b"])
    assert all(not vocab.is_shared(s) for s in own.subjects())
    department = vocab.org_iri("大同市人力资源和社会保障局")
    assert department in shared and any(True for _ in shared[department].objects(department, None))


def test_same_document_cited_by_two_reports_is_one_node(seed_reports):
    law = vocab.document_iri("中华人民共和国残疾人保障法")
    for stem in ("000_f26fb4c08ebca23b", "004_b0facb554ae335f5"):  # both cite it as 立项依据
        _, graph = build_graph(seed_reports[stem])
        assert law in set(graph.objects(None, BKG.legalBasis))


def test_project_series_links_years_and_units(seed_reports):
    """驻村帮扶工作人员经费: a 2023 final account of the department and a 2024 budget of its unit."""
    series = set()
    for stem in ("000_f26fb4c08ebca23b", "001_01b4697fa3395aa5"):
        _, graph = build_graph(seed_reports[stem])
        for project in graph.subjects(BKG.inSeries, None):
            if str(graph.value(project, vocab.RDFS.label)) == "驻村帮扶工作人员经费":
                series.add(graph.value(project, BKG.inSeries))
    assert len(series) == 1


def test_series_names_drop_years_and_budget_suffixes():
    assert vocab.series_name("2024年中央财政就业补助资金") == "中央财政就业补助资金"
    assert vocab.series_name("2023年中央财政就业补助资金年初预算") == "中央财政就业补助资金"
