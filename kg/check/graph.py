"""Findings as RDF: one ``bkg:Finding`` per finding, in the report's findings graph
(``<report>/findings``), so a re-check replaces them and SPARQL and ``ask`` can use them."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg.check.base import Finding
from kg.graph import vocab
from kg.graph.vocab import BKG


def findings_graph(report_iri: str, findings: list[Finding]) -> Graph:
    graph = Graph()
    report = URIRef(report_iri)
    for index, finding in enumerate(findings):
        node = URIRef(f"{report_iri}/finding/{vocab.digest(finding.rule, finding.message, index)}")
        graph.add((node, RDF.type, BKG.Finding))
        graph.add((node, BKG.inReport, report))
        graph.add((report, BKG.hasFinding, node))
        graph.add((node, BKG.rule, Literal(finding.rule)))
        graph.add((node, BKG.severity, Literal(finding.severity)))
        graph.add((node, BKG.message, Literal(finding.message, lang="zh")))
        if finding.expected is not None:
            graph.add((node, BKG.expected, Literal(format(finding.expected, "f"), datatype=XSD.decimal)))
        if finding.observed is not None:
            graph.add((node, BKG.observed, Literal(format(finding.observed, "f"), datatype=XSD.decimal)))
        for page in finding.pages or [None]:
            graph.add((node, PROV.wasDerivedFrom, vocab.page_iri(report, page)))
            for triple in vocab.page_triples(report, page):
                graph.add(triple)
    return graph
