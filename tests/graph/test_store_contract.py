"""One contract, every graph store: rdflib memory, embedded Oxigraph, a real SPARQL endpoint, and the same
Virtuoso filled through its bulk loader."""
from __future__ import annotations

import os
import tempfile
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.errors import QueryError, StoreError
from kg.graph.store import IRI, open_store
from kg.graph.vocab import BKG

G1 = "https://w3id.org/budgetkg/id/report/test-one"
G2 = "https://w3id.org/budgetkg/id/report/test-two"
P = URIRef("https://w3id.org/budgetkg/id/project/test")


def sample(rate: str, label: str = "仲裁委业务费") -> Graph:
    graph = Graph()
    graph.add((P, RDFS.label, Literal(label, lang="zh")))
    graph.add((P, BKG.executionRate, Literal(rate, datatype=XSD.decimal)))
    graph.add((P, BKG.fiscalYear, Literal(2023)))
    return graph


@pytest.fixture(params=["memory", "oxigraph", "sparql", "virtuoso"])
def store(request, tmp_path):
    if request.param in ("sparql", "virtuoso"):
        server = request.getfixturevalue("virtuoso_server")
        options = {"isql": server.sql, "load_dir": str(server.folder / "load")} if request.param == "virtuoso" else {}
        store = open_store(request.param, server.url, **options)  # virtuoso: written through its bulk loader
        for graph in (G1, G2):
            store.remove(graph)
    elif request.param == "oxigraph":
        store = open_store("oxigraph", str(tmp_path / "graph"))
    else:
        store = open_store("memory")
    yield store
    if request.param in ("sparql", "virtuoso"):
        for graph in (G1, G2):
            store.remove(graph)
    store.close()


def rates(store) -> list:
    rows = store.query("SELECT ?r WHERE { ?p bkg:executionRate ?r } ORDER BY ?r").rows
    return [r["r"] for r in rows]


def test_replace_is_idempotent_and_swaps_content(store):
    store.replace(G1, sample("56.28"))
    store.replace(G1, sample("56.28"))
    assert rates(store) == [Decimal("56.28")]
    store.replace(G1, sample("60.00"))
    assert rates(store) == [Decimal("60.00")]
    assert G1 in store.graphs()


def test_default_graph_is_the_union_of_reports(store):
    store.replace(G1, sample("10"))
    store.replace(G2, sample("20"))
    assert rates(store) == [Decimal("10"), Decimal("20")]
    store.remove(G1)
    assert rates(store) == [Decimal("20")]
    assert G1 not in store.graphs()


def test_values_come_back_typed_with_chinese_intact(store):
    store.replace(G1, sample("56.28"))
    row = store.query("SELECT ?p ?label ?year WHERE { ?p rdfs:label ?label ; bkg:fiscalYear ?year }").rows[0]
    assert isinstance(row["p"], IRI) and row["p"] == str(P)
    assert row["label"] == "仲裁委业务费" and row["year"] == 2023


def test_ask_and_construct(store):
    store.replace(G1, sample("1"))
    assert store.query("ASK { ?p bkg:executionRate ?r }").boolean is True
    graph = store.query("CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p rdfs:label ?l }").graph
    assert len(graph) == 1


def test_a_report_written_whole_then_rewritten_from_worker_quads(store):
    """``write_report`` (the writer building the graphs) and ``write_report_quads`` (an ingest
    worker's N-Quads) store the same graphs, for a new report and for one replaced."""
    from kg.graph.nquads import ReportQuads

    unit = URIRef("https://w3id.org/budgetkg/id/org/test")
    shared = {str(unit): [(unit, RDFS.label, Literal('单位 "甲"\\乙', lang="zh"))]}
    findings = Graph()
    findings.add((URIRef(G1 + "/finding/1"), RDFS.label, Literal("行合计≠各列之和\n第2页")))
    store.write_report(G1, sample("56.28"), shared, G1 + "/findings", findings)
    assert rates(store) == [Decimal("56.28")]
    assert {G1, str(unit), G1 + "/findings"} <= set(store.graphs())
    store.write_report_quads(G1, ReportQuads.of([(G1, sample("60.00")), *shared.items()]), G1 + "/findings", None)
    assert rates(store) == [Decimal("60.00")]
    assert G1 + "/findings" not in store.graphs()
    label = store.query("SELECT ?l WHERE { ?u rdfs:label ?l }").rows
    assert [row["l"] for row in label if "单位" in str(row["l"])] == ['单位 "甲"\\乙']


def test_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError) as info:
        store.query("SELECT ?x WHERE {\n  ?x a bkg:Project .\n  ?x rdfs:label }")
    if store.name not in ("sparql", "virtuoso"):  # the position in the user's own query, not counting the predeclared prefixes
        assert "line 3" in str(info.value)


def test_unreachable_endpoint_is_one_clear_error():
    store = open_store("sparql", "http://127.0.0.1:9/sparql")
    with pytest.raises(StoreError, match="无法连接"):
        store.query("ASK {}")


def test_bulk_load_errors_are_one_clear_message(virtuoso_server):
    """The bulk loader's own verdict reaches the user: a folder the server may not read (not in its
    DirsAllowed; Virtuoso also lets it read the system temporary folder, so this one is in /var/tmp),
    a wrong SQL port."""
    with tempfile.TemporaryDirectory(dir="/var/tmp") as folder:
        outside = open_store("virtuoso", virtuoso_server.url, isql=virtuoso_server.sql, load_dir=folder)
        with pytest.raises(StoreError, match="access control") as caught:
            outside.replace(G1, sample("1"))
        assert "批量导入失败" in str(caught.value) and not os.listdir(folder)  # no file left behind
    wrong = open_store("virtuoso", virtuoso_server.url, isql="127.0.0.1:9", load_dir=str(virtuoso_server.folder))
    with pytest.raises(StoreError, match="--virtuoso-isql"):
        wrong.replace(G1, sample("1"))


def test_a_bulk_loaded_graph_survives_a_virtuoso_crash(tmp_path):
    """The loader runs with the transaction log on: a graph loaded just before Virtuoso is
    SIGKILLed (no checkpoint since it started) is there when it is started again on its files."""
    from tests.graph.conftest import running_virtuoso

    with running_virtuoso(tmp_path) as server:
        store = open_store("virtuoso", server.url, isql=server.sql, load_dir=str(tmp_path / "load"))
        store.replace(G1, sample("56.28"))
        server.process.kill()
        server.process.wait()
    with running_virtuoso(tmp_path) as server:
        store = open_store("virtuoso", server.url, isql=server.sql, load_dir=str(tmp_path / "load"))
        assert rates(store) == [Decimal("56.28")] and G1 in store.graphs()
