"""Graph stores: one small interface over an embedded store, rdflib's memory store and
any SPARQL 1.1 endpoint.

Each report lives in its own named graph; queries see the union of all graphs as their
default graph. ``replace`` swaps a report's graph atomically, so re-ingesting is
idempotent and an interrupted ingest leaves the previous version.

Query results are plain Python values: ``IRI`` (a ``str``) for IRIs, ``Decimal``/``int``/
``bool``/``str`` for literals, ``None`` for unbound.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph

from kg.graph.vocab import PREFIXES
from kg.registry import get


class IRI(str):
    """An IRI in a query result (distinguishes resources from string literals)."""

    __slots__ = ()


@dataclass
class QueryResult:
    kind: str  # "select" | "ask" | "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte", "gYear")}
_DECIMAL_TYPES = {XSD + t for t in ("decimal", "double", "float")}


def literal_value(text: str, datatype: str | None):
    """A literal's lexical form → Python value by datatype."""
    try:
        if datatype in _INTEGER_TYPES:
            return int(text)
        if datatype in _DECIMAL_TYPES:
            return Decimal(text)
    except (ValueError, InvalidOperation):
        return text
    if datatype == XSD + "boolean":
        return text in ("true", "1")
    return text


def python_value(term):
    """An rdflib term → the Python value query results use (IRI, Decimal, int, bool, str)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return IRI(str(term))
    if isinstance(term, BNode):
        return IRI("_:" + str(term))
    if isinstance(term, Literal):
        return literal_value(str(term), str(term.datatype) if term.datatype else None)
    return str(term)


_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([\w-]*):", re.I | re.M)


def with_prefixes(query: str) -> str:
    """Prepend the project prefixes the query does not declare itself."""
    declared = {m.group(1) for m in _PREFIX_DECL.finditer(query)}
    missing = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return missing + query


def added_lines(query: str) -> int:
    """How many prefix lines ``with_prefixes`` puts before the user's first line."""
    return with_prefixes(query).count("\n") - query.count("\n")


_POSITION = re.compile(r"(?:error at |line )(\d+)(?::|, column )(\d+)")


def syntax_message(err: Exception, query: str, line: int | None = None, column: int | None = None) -> str:
    """A parser error in the user's own line/column (our prefix lines subtracted), with a short expectation list."""
    text = str(err)
    offset = added_lines(query)
    match = _POSITION.search(text)
    if line is None and match:
        line, column = int(match.group(1)), int(match.group(2))
    head = text.split("expected one of", 1)
    detail = head[0].strip(" :")
    if len(head) > 1:
        options = re.findall(r'"([^"]+)"', head[1])[:12]
        detail = (detail + "; expected one of " + ", ".join(options)) if options else detail
    detail = _POSITION.sub("", detail).strip(" :;")
    where = f"第{line - offset}行第{column}列 (line {line - offset}, column {column})" if line else "位置未知 (position unknown)"
    return f"SPARQL 语法错误，{where}: {detail}"


@dataclass
class ReportGraphs:
    """One report's graphs for ``GraphStore.write_reports``: its graph and the shared-node graphs
    as triples (``graph``, ``shared``: graph IRI → triples) or serialised (``quads``, a
    ``kg.graph.nquads.ReportQuads`` made by an ingest worker), and its findings graph."""

    iri: str
    findings_iri: str
    findings: Graph | None
    quads: object = None
    graph: object = None
    shared: dict | None = None

    def triples(self) -> tuple[list, dict]:
        """The report graph's triples and the shared graphs' (IRI → triples), whichever form came."""
        if self.quads is None:
            return self.graph, self.shared or {}
        graphs = self.quads.graphs()
        return graphs.pop(str(self.iri), []), graphs


class GraphStore(ABC):
    """A quad store holding one named graph per report."""

    #: plugin name ("oxigraph", "memory", "sparql", "virtuoso")
    name = ""
    #: ``write_report_quads`` loads the serialised graphs as they are (ingest workers then send N-Quads)
    loads_nquads = False

    @abstractmethod
    def replace(self, graph_iri: str, graph: Graph) -> None:
        """Atomically make ``graph`` the content of the named graph ``graph_iri``."""

    @abstractmethod
    def merge(self, graph_iri: str, graph: Graph) -> None:
        """Add ``graph``'s triples to the named graph ``graph_iri`` (set union, idempotent)."""

    def merge_all(self, graphs: dict) -> None:
        """``merge`` for many named graphs at once (backends may batch it)."""
        for graph_iri, graph in graphs.items():
            self.merge(str(graph_iri), graph)

    def write_report_quads(self, graph_iri: str, quads, findings_iri: str, findings) -> None:
        """``write_report`` with the report graph and the shared-node graphs serialised
        (``kg.graph.nquads.ReportQuads``, made by an ingest worker when ``loads_nquads``)."""
        graphs = quads.graphs()
        graph = graphs.pop(str(graph_iri), [])
        self.write_report(graph_iri, graph, graphs, findings_iri, findings)

    def write_reports(self, reports: list["ReportGraphs"]) -> None:
        """Several different reports' graphs (``write_report`` or ``write_report_quads`` each); a
        bulk-loading backend loads the new ones as one file."""
        for report in reports:
            if report.quads is not None:
                self.write_report_quads(report.iri, report.quads, report.findings_iri, report.findings)
            else:
                self.write_report(report.iri, report.graph, report.shared, report.findings_iri, report.findings)

    def write_report(self, graph_iri: str, graph, shared: dict, findings_iri: str, findings) -> None:
        """A report's graphs in one call: its graph replaced, the shared-node graphs merged, its
        findings graph replaced (dropped when ``findings`` is None). A bulk-loading backend
        writes them as one file."""
        self.replace(graph_iri, graph)
        self.merge_all(shared)
        if findings is not None:
            self.replace(findings_iri, findings)
        else:
            self.remove(findings_iri)

    @abstractmethod
    def remove(self, graph_iri: str) -> None:
        """Drop a named graph (unknown graphs are ignored)."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """Names of the graphs in the store."""

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL 1.1 query over the union of all graphs; project prefixes predeclared."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update."""

    @abstractmethod
    def __len__(self) -> int:
        """Number of quads."""

    def dump(self, fmt: str = "nquads") -> bytes:
        """Serialise everything (``nquads``/``trig``) or the union (``turtle``/``nt``/``json-ld``)."""
        result = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        graph = result.graph or Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        data = graph.serialize(format=fmt)
        return data.encode("utf-8") if isinstance(data, str) else data

    def close(self) -> None:
        """Release files or connections."""


def open_store(kind: str, location: str | None = None, **options) -> GraphStore:
    """A store plugin by name: ``oxigraph`` (folder), ``memory``, ``sparql`` (endpoint URL)."""
    return get("store", kind)(location, **options)


__all__ = ["GraphStore", "QueryResult", "ReportGraphs", "IRI", "open_store", "with_prefixes", "literal_value", "python_value"]
