"""The default store: pyoxigraph on disk (embedded, no server)."""
from __future__ import annotations

import uuid
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import QueryError, StoreError
from kg.graph.nquads import HasBlankNode, ReportQuads
from kg.graph.store import IRI, GraphStore, QueryResult, ReportGraphs, literal_value, syntax_message, with_prefixes


def to_ox(term, blank_nodes: dict | None = None):
    """rdflib term → Oxigraph term; blank nodes are fresh per ``blank_nodes`` map, else kept by label."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        if blank_nodes is None:
            return ox.BlankNode(str(term))
        return blank_nodes.setdefault(term, ox.BlankNode())
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def from_ox(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return IRI("_:" + term.value)
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value if term.datatype else None)
    return str(term)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term):
    """Oxigraph term → rdflib term; xsd:string literals become plain literals, as rdflib writes them."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value if term.datatype else None
    return Literal(term.value, datatype=None if datatype in (None, _XSD_STRING) else URIRef(datatype))


def query_error(err: Exception, sparql: str) -> QueryError:
    if isinstance(err, SyntaxError):
        return QueryError(syntax_message(err, sparql))
    return QueryError(f"SPARQL 查询有误 (query error): {err}")


BULK_BATCH = 500_000
"""Quads ``bulk_load`` adds in one step: Oxigraph's loader cuts its input into batches of a million
parsed quads, each ingested on its own; half of that keeps a report (≈ 10⁴ quads) well inside one."""


class OxigraphStore(GraphStore):
    name = "oxigraph"
    loads_nquads = True

    def __init__(self, location: str | None = None, read_only: bool = False):
        self.location = location
        self.read_only = read_only and location is not None
        try:
            if location is None:
                self.store = ox.Store()
            elif read_only and not (Path(location) / "CURRENT").exists():
                raise StoreError(f"还没有图存储 {location}：尚未导入任何报告；请先运行 budgetkg ingest 报告文件夹 --store "
                                 f"{Path(location).parent} (no graph yet: no reports ingested; run budgetkg ingest "
                                 f"FOLDER --store {Path(location).parent})")
            else:
                Path(location).mkdir(parents=True, exist_ok=True)
                self.store = ox.Store.read_only(str(location)) if read_only else ox.Store(str(location))
                if not read_only:
                    self._remove_unloaded_files()
        except OSError as err:
            held = "lock" in str(err).lower()
            raise StoreError(f"无法打开图存储 {location} (cannot open the graph store: {err})"
                             + ("；是否有另一个 budgetkg 进程正在使用它？(is another budgetkg process using it?)"
                                if held else "")) from None

    def _remove_unloaded_files(self) -> None:
        """Table files a ``bulk_load`` wrote but never added (its writer was killed first): the
        database does not know them, and only the one writer (this one) makes them."""
        for leftover in Path(self.location).glob("bulk-*.sst"):
            leftover.unlink(missing_ok=True)

    def replace(self, graph_iri: str, graph: Graph) -> None:
        """A new graph is one transaction (``extend``); an existing one is built aside and moved over it,
        so readers see the old or the new version. (Staging writes every quad three times: only where needed.)"""
        target = ox.NamedNode(graph_iri)
        blank_nodes: dict = {}
        if not self.store.contains_named_graph(target):
            self.store.extend(ox.Quad(to_ox(s, blank_nodes), to_ox(p, blank_nodes), to_ox(o, blank_nodes), target)
                              for s, p, o in graph)
            return
        staging = ox.NamedNode(f"{graph_iri}#staging-{uuid.uuid4().hex}")
        self.store.extend(ox.Quad(to_ox(s, blank_nodes), to_ox(p, blank_nodes), to_ox(o, blank_nodes), staging)
                          for s, p, o in graph)
        self.store.update(f"MOVE SILENT GRAPH <{staging.value}> TO GRAPH <{graph_iri}>")

    def write_report(self, graph_iri: str, graph, shared: dict, findings_iri: str, findings) -> None:
        self.write_reports([ReportGraphs(graph_iri, findings_iri, findings, graph=graph, shared=shared)])

    def write_report_quads(self, graph_iri: str, quads: ReportQuads, findings_iri: str, findings) -> None:
        self.write_reports([ReportGraphs(graph_iri, findings_iri, findings, quads=quads)])

    def write_reports(self, reports: list[ReportGraphs]) -> None:
        """New reports (neither their graph nor their findings graph exists yet) are written at once:
        report graphs, shared-node graphs and findings graphs, so a reader sees all of them or none.
        A report replaced is written graph by graph, each replaced graph built aside and moved over
        the old one (``replace``).

        At once means ``bulk_load`` while the reports fit one of the bulk loader's batches (more
        are cut into several loads): it sorts the quads into new table files and adds them to the
        database in one step (RocksDB ingests the files of every index together or none, crash
        included), which costs a third of the CPU of a transactional ``load`` and does not grow the
        write-ahead log that a reader opening the store replays (600 reports: 226 against 444
        CPU-s, reopening 0.04 against 68 s). Each load's files then cost a background compaction
        that rewrites what the store holds (30 reports loaded one by one at ingest pace: 8.1
        CPU-s of compaction; in loads of 8: 1.0). An in-memory store takes one ``load`` transaction."""
        batch: list[bytes] = []
        lines = 0
        for report in reports:
            data = self._new_report_data(report)
            if data is None:
                graph, shared = report.triples()
                GraphStore.write_report(self, report.iri, graph, shared, report.findings_iri, report.findings)
                continue
            count = data.count(b"\n")
            if batch and lines + count >= BULK_BATCH:
                self._load(b"".join(batch), lines)
                batch, lines = [], 0
            batch.append(data)
            lines += count
        if batch:
            self._load(b"".join(batch), lines)

    def _new_report_data(self, report: ReportGraphs) -> bytes | None:
        """A new report's graphs as N-Quads; None for a report already stored (or terms only
        Oxigraph's own conversion takes)."""
        if not self._new_report(report.iri, report.findings_iri):
            return None
        try:
            quads = report.quads or ReportQuads.of([(report.iri, report.graph), *(report.shared or {}).items()])
            findings = report.findings
            return quads.data + (ReportQuads.of([(report.findings_iri, findings)]).data if findings is not None else b"")
        except (HasBlankNode, UnicodeEncodeError):
            return None

    def _load(self, data: bytes, lines: int) -> None:
        try:
            if self.location is not None and lines < BULK_BATCH:
                self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            else:
                self.store.load(data, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as err:
            raise StoreError(f"图数据无法写入 (the report's triples could not be written): {err}") from None

    def _new_report(self, graph_iri: str, findings_iri: str) -> bool:
        return not self.store.contains_named_graph(ox.NamedNode(graph_iri)) and \
            not self.store.contains_named_graph(ox.NamedNode(findings_iri))

    def merge(self, graph_iri: str, graph: Graph) -> None:
        target = ox.NamedNode(graph_iri)
        blank_nodes: dict = {}
        self.store.extend(ox.Quad(to_ox(s, blank_nodes), to_ox(p, blank_nodes), to_ox(o, blank_nodes), target)
                          for s, p, o in graph)

    def merge_all(self, graphs: dict) -> None:
        blank_nodes: dict = {}
        self.store.extend(ox.Quad(to_ox(s, blank_nodes), to_ox(p, blank_nodes), to_ox(o, blank_nodes),
                                  ox.NamedNode(str(graph_iri)))
                          for graph_iri, graph in graphs.items() for s, p, o in graph)

    def remove(self, graph_iri: str) -> None:
        self.store.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self.store.query(with_prefixes(sparql), use_default_graph_as_union=True)
        except (SyntaxError, OSError, ValueError) as err:
            raise query_error(err, sparql) from None
        if isinstance(result, bool):
            return QueryResult("ask", boolean=result)
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            rows = [{c: from_ox(solution[c]) for c in columns} for solution in result]
            return QueryResult("select", columns=columns, rows=rows)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        graph = Graph()
        for triple in result:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult("graph", graph=graph)

    def update(self, sparql: str) -> None:
        try:
            self.store.update(with_prefixes(sparql))
        except SyntaxError as err:
            raise query_error(err, sparql) from None

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, fmt: str = "nquads") -> bytes:
        if fmt in ("nquads", "trig"):
            mime = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]
            return self.store.dump(format=mime)
        return super().dump(fmt)

    def close(self) -> None:
        """Flush and let go of the database; a second call does nothing."""
        store = self.__dict__.pop("store", None)
        if store is None or self.read_only:
            return
        try:
            store.flush()
        except OSError as err:
            folder = Path(self.location).parent
            raise StoreError(f"图存储无法写入磁盘：{err}；存储文件夹是否在写入时被删除或移动？请运行 budgetkg verify --repair "
                             f"--store {folder} (the graph store could not be flushed: was the store folder deleted or "
                             f"moved during the write? run budgetkg verify --repair --store {folder})") from None
