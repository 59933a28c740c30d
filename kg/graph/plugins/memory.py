"""rdflib's in-memory store: the reference for tests and small corpora."""
from __future__ import annotations

import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from pyparsing import ParseException

from kg.errors import QueryError
from kg.graph.store import GraphStore, QueryResult, python_value, syntax_message, with_prefixes

# FROM <url> names a graph of the store, as in Oxigraph; rdflib would otherwise download it
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


class MemoryStore(GraphStore):
    name = "memory"

    def __init__(self, location: str | None = None):
        self.dataset = Dataset(default_union=True)

    def replace(self, graph_iri: str, graph: Graph) -> None:
        target = self.dataset.graph(URIRef(graph_iri))
        target.remove((None, None, None))
        for triple in graph:
            target.add(triple)

    def merge(self, graph_iri: str, graph: Graph) -> None:
        target = self.dataset.graph(URIRef(graph_iri))
        for triple in graph:
            target.add(triple)

    def remove(self, graph_iri: str) -> None:
        self.dataset.remove_graph(URIRef(graph_iri))

    def graphs(self) -> list[str]:
        return sorted(str(g.identifier) for g in self.dataset.graphs()
                      if isinstance(g.identifier, URIRef) and len(g) and not str(g.identifier).startswith("urn:x-rdflib"))

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self.dataset.query(with_prefixes(sparql))
        except ParseException as err:
            raise QueryError(syntax_message(err.msg, sparql, err.lineno, err.col)) from None
        except Exception as err:  # rdflib raises assorted errors for bad queries
            raise QueryError(f"SPARQL 查询有误 (query error): {err}") from None
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return QueryResult("graph", graph=result.graph)
        columns = [str(v) for v in result.vars]
        rows = [{c: python_value(row[i]) for i, c in enumerate(columns)} for row in result]
        return QueryResult("select", columns=columns, rows=rows)

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(with_prefixes(sparql))
        except ParseException as err:
            raise QueryError(syntax_message(err.msg, sparql, err.lineno, err.col)) from None

    def __len__(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())
