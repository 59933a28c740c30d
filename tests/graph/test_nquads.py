"""Graphs serialised by an ingest worker load as the same quads as the terms converted one by one."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.graph.nquads import HasBlankNode, ReportQuads
from kg.graph.plugins.oxigraph import to_ox

G = "https://w3id.org/budgetkg/id/report/test"
S = URIRef("https://w3id.org/budgetkg/id/report/test/project/一")
TRIPLES = [(S, RDFS.label, Literal('名称 "引号" 与 \\ 反斜杠\n换行\r回车\t制表', lang="zh")),
           (S, RDFS.comment, Literal("plain")),
           (S, RDFS.comment, Literal("typed string", datatype=XSD.string)),
           (S, URIRef("https://w3id.org/budgetkg/ontology#amount"), Literal("1200.50", datatype=XSD.decimal)),
           (S, URIRef("https://w3id.org/budgetkg/ontology#year"), Literal(2024)),
           (S, URIRef("https://w3id.org/budgetkg/ontology#total"), Literal(True)),
           (S, RDFS.seeAlso, URIRef("https://w3id.org/budgetkg/id/doc/晋财社〔2019〕1号"))]


def test_loaded_quads_equal_the_converted_terms():
    quads = ReportQuads.of([(G, TRIPLES), ("https://w3id.org/budgetkg/id/org/x", TRIPLES[:2])])
    assert quads.sizes == {G: len(TRIPLES), "https://w3id.org/budgetkg/id/org/x": 2}
    loaded, converted = ox.Store(), ox.Store()
    loaded.load(quads.data, format=ox.RdfFormat.N_QUADS)
    converted.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g))
                     for g, triples in ((G, TRIPLES), ("https://w3id.org/budgetkg/id/org/x", TRIPLES[:2]))
                     for s, p, o in triples)
    assert set(map(str, loaded)) == set(map(str, converted)) and len(loaded) == len(TRIPLES) + 2


def test_the_triples_come_back_for_a_backend_that_writes_triples():
    graphs = ReportQuads.of([(G, TRIPLES)]).graphs()
    assert list(graphs) == [G] and set(graphs[G]) == set(TRIPLES)


def test_a_blank_node_is_refused():
    with pytest.raises(HasBlankNode):
        ReportQuads.of([(G, [(BNode(), RDFS.label, Literal("x"))])])


@pytest.mark.parametrize("batch", [500_000, 3])
def test_a_new_report_written_to_disk_at_once_or_in_a_transaction_holds_the_same_quads(tmp_path, monkeypatch, batch):
    """A report small enough for one bulk-loader batch is bulk-loaded, a larger one (here: more than
    three quads) is one transaction; either way the store holds the quads a transaction writes, and
    writing the report again over them (the replace path) changes nothing."""
    from kg.graph.plugins import oxigraph

    monkeypatch.setattr(oxigraph, "BULK_BATCH", batch)
    calls = []
    store = oxigraph.OxigraphStore(str(tmp_path / "graph"))
    real = store.store
    store.store = type("Spy", (), {"__getattr__": lambda _, name: (calls.append(name), getattr(real, name))[1]})()
    quads = ReportQuads.of([(G, TRIPLES), ("https://w3id.org/budgetkg/id/org/x", TRIPLES[:2])])
    store.write_report_quads(G, quads, G + "/findings", None)
    assert ("bulk_load" in calls) == (batch > len(TRIPLES) + 2) and ("load" in calls) != ("bulk_load" in calls)
    expected = ox.Store()
    expected.load(quads.data, format=ox.RdfFormat.N_QUADS)
    assert set(map(str, real)) == set(map(str, expected))
    store.write_report_quads(G, quads, G + "/findings", None)
    assert set(map(str, real)) == set(map(str, expected))
    store.store = real
    store.close()
    reader = oxigraph.OxigraphStore(str(tmp_path / "graph"), read_only=True)
    assert len(reader) == len(expected)


def test_closing_a_store_whose_folder_was_deleted_is_one_clear_error(tmp_path):
    """A store folder deleted while budgetkg writes to it: closing says so in one line, naming a
    command that exists, and a second close (the ingest command closes in a finally) is quiet."""
    import shutil

    from kg.errors import StoreError
    from kg.graph.plugins.oxigraph import OxigraphStore

    store = OxigraphStore(str(tmp_path / "store" / "graph"))
    store.store.load(ReportQuads.of([(G, TRIPLES)]).data, format=ox.RdfFormat.N_QUADS)
    shutil.rmtree(tmp_path / "store")
    with pytest.raises(StoreError, match="budgetkg verify --repair --store") as raised:
        store.close()
    assert "\n" not in str(raised.value) and str(tmp_path / "store") in str(raised.value)
    store.close()


def test_table_files_a_killed_bulk_load_left_are_removed_by_the_next_writer(tmp_path):
    """A writer killed inside ``bulk_load`` leaves its sorted table files unadded (seen: 52 files,
    hundreds of MB after 12 kills); the next read-write open deletes them, a reader leaves them."""
    from kg.graph.plugins.oxigraph import OxigraphStore

    folder = tmp_path / "graph"
    store = OxigraphStore(str(folder))
    store.write_report_quads(G, ReportQuads.of([(G, TRIPLES)]), G + "/findings", None)
    store.close()
    leftover = folder / "bulk-1234567890.sst"
    leftover.write_bytes(b"not yet ingested")
    reader = OxigraphStore(str(folder), read_only=True)
    assert leftover.exists() and len(reader) == len(TRIPLES)
    reader.close()
    writer = OxigraphStore(str(folder))
    assert not leftover.exists() and len(writer) == len(TRIPLES)
    writer.close()
