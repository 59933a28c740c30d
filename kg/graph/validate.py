"""SHACL validation of the budgetkg graph (``ontology/shapes.ttl``).

``validate(source)`` checks an rdflib ``Graph`` or ``Dataset``, or any
:class:`~kg.graph.store.GraphStore` and returns a :class:`ValidationReport`: ``conforms`` (no
result of severity Violation) and one :class:`Violation` per SHACL result, each with the
report and the page it concerns (looked up through ``prov:wasDerivedFrom → bkg:pageNumber``
and ``bkg:inReport`` / ``dcterms:isPartOf`` / ``qb:dataSet``), so a user can open the PDF at
the right place. Those two live in ``kg.graph.validation_report``; this module runs the shapes.

How it runs:

* The working graph is a copy of the data with the whole ontology mixed in. (pyshacl's own
  ``ont_graph`` mixing copies only RDFS/OWL axioms, so it would drop the Data Cube structure
  definitions and the funding-level individuals the shapes refer to.) Literals typed
  ``xsd:string`` are made plain on the way in: RDF 1.1 says they are the same term, rdflib
  does not, and Oxigraph returns them typed.
* Core constraints run in pyshacl with inference ``"none"``: the data states every type the
  shapes target (``bkg:BudgetLine`` and ``qb:Observation``, ``bkg:Unit`` and
  ``org:Organization``), and SHACL follows ``rdfs:subClassOf`` of the mixed-in ontology for
  ``sh:targetClass`` and ``sh:class`` anyway. ``"rdfs"`` is accepted and gives the same results
  on our data, several times slower.
* SHACL-SPARQL constraints (``sh:sparql``) are evaluated set-at-a-time: each SELECT runs once
  with ``$this`` unbound and its solutions are kept for the shape's focus nodes. For
  constraints that bind ``$this`` in a triple pattern (all of ours) this is exactly SHACL's
  pre-binding semantics; pyshacl would run one query per focus node, 50× slower.
* A store is validated one report at a time: the report's graph, its findings graph and the
  graphs of the shared nodes (units, concepts, documents …) it mentions, fetched by
  CONSTRUCT. Memory stays bounded by the largest report, and every result is attributed to
  the report it was found in; a shared node is checked with each report that mentions it.
  ``per_report=False`` validates the union of all graphs instead (one CONSTRUCT), which also
  sees conflicts between reports, e.g. one unit given two different names.

Errors reach users as :class:`~kg.errors.BudgetKGError`, never as pyshacl tracebacks.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, RDF, RDFS, SH, XSD

import ontology
from kg.errors import BudgetKGError, StoreError
from kg.graph import vocab
from kg.graph.store import GraphStore, python_value
from kg.graph.validation_report import SEVERITIES, ValidationReport, Violation, compact
from kg.graph.vocab import BKG, PREFIXES

ONTOLOGY_DIR = Path(ontology.__file__).resolve().parent
ONTOLOGY_PATH = ONTOLOGY_DIR / "budgetkg.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"

INFERENCE_MODES = ("none", "rdfs")
_BATCH = 200          # named graphs per CONSTRUCT
_SHARED_DEPTH = 4     # report → unit → department → region …

# parents of dependent fact nodes, for the page/report of a node that lacks its own provenance
_PARENT_LINKS = (BKG.hasIndicator, BKG.hasSelfEvaluation, BKG.hasFundingSource, BKG.hasStatedAmount)
# how a shared node (unit, document, concept, metric) is reached from a report's facts
_SHARED_LINKS = (PROV.wasDerivedFrom, DCTERMS.references, BKG.organization, BKG.legalBasis, BKG.implementingUnit,
                 BKG.department, BKG.functionalClassification, BKG.economicClassification, BKG.metric, BKG.inSeries)


class ValidationError(BudgetKGError):
    """The shapes or the ontology could not be read, or the validator failed."""


# ------------------------------------------------------------------------------------- shapes
@dataclass(frozen=True)
class _SparqlConstraint:
    shape: URIRef
    query: str
    messages: dict
    severity: str
    path: URIRef | None
    targets: tuple


def _read_turtle(path: Path, what: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as err:
        raise ValidationError(f"无法读取{what} {path} (cannot read the {what}): {err}") from None
    except Exception as err:  # rdflib's parser raises its own error classes
        raise ValidationError(f"{what}语法错误 {path} (syntax error in the {what}): {err}") from None
    return graph


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    """The budgetkg ontology (``ontology/budgetkg.ttl``)."""
    return _read_turtle(ONTOLOGY_PATH, "本体 ontology")


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """The SHACL shapes (``ontology/shapes.ttl``), unchanged."""
    return _read_turtle(SHAPES_PATH, "约束 shapes")


def _messages(graph: Graph, node, predicate=SH.message) -> dict:
    found: dict = {}
    for message in graph.objects(node, predicate):
        lang = message.language if isinstance(message, Literal) and message.language else ""
        found.setdefault(lang, str(message))
    return found


def _prefixes(shapes: Graph, constraint) -> str:
    lines = []
    for ontology_node in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(ontology_node, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def _split_shapes() -> tuple[Graph, tuple[_SparqlConstraint, ...]]:
    """The shapes for pyshacl (without ``sh:sparql``) and the SPARQL constraints run in bulk."""
    shapes = load_shapes()
    core = Graph()
    for triple in shapes:
        core.add(triple)
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    constraints = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        core.remove((shape, SH.sparql, constraint))
        if shapes.value(shape, SH.deactivated) == Literal(True) or \
                shapes.value(constraint, SH.deactivated) == Literal(True):
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        targets = tuple((kind, term) for kind in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
                                                  SH.targetObjectsOf)
                        for term in shapes.objects(shape, kind))
        messages = _messages(shapes, constraint) or _messages(shapes, shape)
        severity = SEVERITIES.get(shapes.value(shape, SH.severity), "Violation")
        constraints.append(_SparqlConstraint(shape, _prefixes(shapes, constraint) + str(select), messages,
                                             severity, shapes.value(shape, SH.path), targets))
    return core, tuple(constraints)


# ------------------------------------------------------------------------------------- graphs
def _plain(term):
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _working_copy(triples, ontology_graph: Graph) -> tuple[Graph, int]:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    count = 0
    add = graph.add
    for s, p, o in triples:
        add((s, p, _plain(o)))
        count += 1
    for triple in ontology_graph:
        add(triple)
    return graph, count


def _instances(graph: Graph, cls) -> set:
    classes = {cls} | set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in graph.subjects(RDF.type, c)}


def _focus_nodes(graph: Graph, targets) -> set:
    nodes: set = set()
    for kind, term in targets:
        if kind == SH.targetClass:
            nodes |= _instances(graph, term)
        elif kind == SH.targetNode:
            nodes.add(term)
        elif kind == SH.targetSubjectsOf:
            nodes |= set(graph.subjects(term, None))
        elif kind == SH.targetObjectsOf:
            nodes |= set(graph.objects(None, term))
    return nodes


_PAGE_IRI = re.compile(r"/report/[^/]+/page/(\d+)$")
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _render(text: str, row: dict) -> str:
    def one(match):
        value = row.get(match.group(1))
        if value is None:
            return match.group(0)
        if isinstance(value, URIRef):
            return compact(str(value))
        return str(value)

    return _PLACEHOLDER.sub(one, text)


def _sparql_engine(graph: Graph):
    """An in-memory Oxigraph copy of the working graph: rdflib's SPARQL engine is 10–50× slower."""
    import pyoxigraph as ox

    from kg.graph.plugins.oxigraph import to_ox

    store = ox.Store()
    # RDFS inference may add generalised triples (literal subjects), which RDF 1.1 stores refuse
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph
                      if not isinstance(s, Literal) and isinstance(p, URIRef))
    return store


def _run_sparql(graph: Graph, engine, constraint: _SparqlConstraint) -> list[tuple]:
    """Results of one SHACL-SPARQL constraint: (focus, path, value, messages, severity, shape, component)."""
    from kg.graph.plugins.oxigraph import to_rdflib

    focus_nodes = _focus_nodes(graph, constraint.targets)
    if not focus_nodes:
        return []
    try:
        solutions = engine.query(constraint.query)
        variables = [v.value for v in solutions.variables]
        rows = [{name: to_rdflib(solution[name]) for name in variables} for solution in solutions]
    except (SyntaxError, ValueError, OSError) as err:  # a broken query in shapes.ttl is our bug
        raise ValidationError(f"约束查询有误 (bad SPARQL constraint in {compact(str(constraint.shape))}): {err}") from None
    out = []
    seen = set()
    for row in rows:
        focus = row.get("this")
        if focus is None or focus not in focus_nodes:
            continue
        path = row.get("path") if isinstance(row.get("path"), URIRef) else constraint.path
        value = row.get("value")
        if value is None and constraint.path is None:
            value = focus
        key = (focus, path, value)
        if key in seen:
            continue
        seen.add(key)
        messages = {lang: _render(text, row) for lang, text in constraint.messages.items()}
        out.append((focus, path, value, messages, constraint.severity, constraint.shape, "SPARQL"))
    return out


def _node_shape(shapes: Graph, shape):
    """The named node shape a (blank) property shape belongs to."""
    seen = 0
    while isinstance(shape, BNode) and seen < 5:
        parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
        if parent is None:
            break
        shape, seen = parent, seen + 1
    return shape


def _pyshacl_results(graph: Graph, inference: str) -> list[tuple]:
    import pyshacl

    core, _ = _split_shapes()
    try:
        _conforms, results, _text = pyshacl.validate(graph, shacl_graph=core, inference=inference, inplace=True,
                                                     allow_warnings=True, allow_infos=True, advanced=False)
    except Exception as err:  # pyshacl reports shape and data problems as assorted exceptions
        raise ValidationError(f"SHACL 校验失败 (validation failed): {err}") from None
    shapes = load_shapes()
    out = []
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        severity = SEVERITIES.get(results.value(result, SH.resultSeverity), "Violation")
        source = results.value(result, SH.sourceShape)
        component = results.value(result, SH.sourceConstraintComponent)
        messages = _messages(results, result, SH.resultMessage)
        shape = _node_shape(shapes, source) if source is not None else None
        name = str(component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent") if component else ""
        out.append((focus, path if isinstance(path, URIRef) else None, value, messages, severity, shape, name))
    return out


# ------------------------------------------------------------------------------------- location
class _Locator:
    """Finds the report and page of a node in the working graph."""

    def __init__(self, graph: Graph, fallback_report: URIRef | None = None):
        self.g = graph
        self.fallback = fallback_report
        self._reports: dict = {}

    def is_report(self, node) -> bool:
        return (node, RDF.type, BKG.Report) in self.g

    def parent(self, node):
        for link in _PARENT_LINKS:
            parent = self.g.value(None, link, node)
            if parent is not None:
                return parent
        return None

    def page(self, node, depth: int = 0) -> int | None:
        g = self.g
        numbers = []
        if (node, RDF.type, BKG.Page) in g:
            numbers += list(g.objects(node, BKG.pageNumber))
        for source in g.objects(node, PROV.wasDerivedFrom):
            numbers += list(g.objects(source, BKG.pageNumber))
        pages = [v for v in (python_value(n) for n in numbers) if isinstance(v, int)]
        if pages:
            return min(pages)
        parent = self.parent(node) if depth < 3 else None
        if parent is not None:
            return self.page(parent, depth + 1)
        # a page node the graph does not describe: its IRI still says which page (vocab.page_iri)
        match = _PAGE_IRI.search(str(node))
        return int(match.group(1)) if match else None

    def reports(self, node, depth: int = 0) -> list:
        if node in self._reports:
            return self._reports[node]
        g = self.g
        found: set = set()
        if self.is_report(node):
            found.add(node)
        else:
            candidates = set(g.objects(node, BKG.inReport)) | set(g.objects(node, DCTERMS.isPartOf))
            for table in g.objects(node, QB.dataSet):
                candidates |= set(g.objects(table, DCTERMS.isPartOf))
            for source in g.objects(node, PROV.wasDerivedFrom):
                candidates |= {source} if self.is_report(source) else set(g.objects(source, DCTERMS.isPartOf))
            found = {c for c in candidates if self.is_report(c)}
            if not found and depth < 3:
                parent = self.parent(node)
                if parent is not None:
                    found = set(self.reports(parent, depth + 1))
            if not found and depth < 2:
                for link in _SHARED_LINKS:
                    for user in g.subjects(link, node):
                        if user != node:
                            found |= set(self.reports(user, depth + 1))
                    if found:
                        break
        if not found and self.fallback is not None:
            found = {self.fallback}
        ordered = sorted(found, key=str)
        self._reports[node] = ordered
        return ordered

    def label(self, report) -> str | None:
        if report is None:
            return None
        label = self.g.value(report, RDFS.label) or self.g.value(report, DCTERMS.title)
        return str(label) if label is not None else None

    def violation(self, focus, path, value, messages, severity, shape, constraint) -> Violation:
        reports = self.reports(focus)
        report = reports[0] if reports else None
        if value == focus:  # node-level results repeat the focus node as their value
            value = None
        zh = messages.get("zh") or messages.get("en") or messages.get("") or constraint
        en = messages.get("en") or messages.get("") or messages.get("zh") or constraint
        return Violation(focus=str(focus), path=str(path) if path is not None else None, message_zh=zh,
                         message_en=en, severity=severity, value=python_value(value),
                         report=str(report) if report is not None else None, report_label=self.label(report),
                         page=self.page(focus), shape=str(shape) if shape is not None else None,
                         constraint=constraint)


# ------------------------------------------------------------------------------------- entry points
def _validate_triples(triples, inference: str, graph_iri: URIRef | None = None) -> tuple[list[Violation], int]:
    graph, count = _working_copy(triples, load_ontology())
    found = _pyshacl_results(graph, inference)
    constraints = _split_shapes()[1]
    if constraints:
        engine = _sparql_engine(graph)
        for constraint in constraints:
            found += _run_sparql(graph, engine, constraint)
    locator = _Locator(graph, graph_iri)
    violations = [locator.violation(*result) for result in found]
    return violations, count


def _order(violations: list[Violation]) -> list[Violation]:
    unique = {(v.focus, v.path, v.constraint, v.shape, str(v.value), v.message_en, v.report): v for v in violations}
    rank = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(unique.values(), key=lambda v: (rank.get(v.severity, 3), v.report_label or v.report or "",
                                                  v.page or 0, v.focus, v.path or "", str(v.value)))


def _construct(store: GraphStore, where: str) -> Graph:
    try:
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    except BudgetKGError:
        raise
    except Exception as err:
        raise StoreError(f"无法读取图存储 (cannot read the graph store): {err}") from None
    return result.graph if result.graph is not None else Graph()


def _graphs_triples(store: GraphStore, names) -> list[Graph]:
    """The triples of the named graphs ``names`` (in batches, one CONSTRUCT each)."""
    names = sorted(set(names))
    parts = []
    for start in range(0, len(names), _BATCH):
        # constant graph names: rdflib evaluates GRAPH ?g by scanning every graph
        union = " UNION ".join(f"{{ GRAPH <{name}> {{ ?s ?p ?o }} }}" for name in names[start:start + _BATCH])
        parts.append(_construct(store, union))
    return parts


def report_views(store: GraphStore):
    """(report IRI or None, graph names) of each validation unit of a store.

    A report's view is its own graph, its findings graph (``<report>/findings``) and, via
    ``view_triples``, the graphs of the shared nodes it refers to. Other project graphs (under
    ``vocab.ID``: say, the findings of a removed report) are validated one by one; graphs of
    shared nodes no report refers to are garbage (``Corpus.collect_garbage``) and skipped, and
    so are graphs outside the project's namespace (a SPARQL server's own system graphs).
    """
    names = set(store.graphs())
    rows = store.query("SELECT DISTINCT ?r WHERE { ?r a bkg:Report }").rows
    reports = sorted(str(row["r"]) for row in rows if str(row["r"]) in names)  # a report's graph is named by its IRI
    covered: set = set()
    for report in reports:
        own = [report] + [n for n in (vocab.findings_graph_iri(report),) if n in names]
        covered |= set(own)
        yield report, own
    for name in sorted(names - covered):
        if name.startswith(str(vocab.ID)) and not vocab.is_shared(name):
            yield None, [name]


def view_triples(store: GraphStore, names) -> Iterator[tuple]:
    """The triples of the named graphs ``names`` and, transitively, of the shared nodes they mention."""
    parts = new = _graphs_triples(store, names)
    fetched: set = set()
    for _ in range(_SHARED_DEPTH):
        wanted = {str(term) for part in new for triple in part for term in (triple[0], triple[2])
                  if isinstance(term, URIRef) and vocab.is_shared(term)} - fetched
        if not wanted:
            break
        fetched |= wanted
        new = _graphs_triples(store, wanted)
        parts = parts + new
    for part in parts:
        yield from part


def validate(source, *, per_report: bool = True, inference: str = "none") -> ValidationReport:
    """Validate ``source`` (an rdflib Graph or Dataset, or a GraphStore) against ``ontology/shapes.ttl``.

    A store is validated one report at a time (its graph, its findings and the shared nodes it
    mentions; see ``report_views``), or, with ``per_report=False``, as the union of all its
    graphs in one go. An rdflib Dataset is validated as the union of its graphs.
    ``inference``: ``"none"`` (default) or ``"rdfs"``.
    """
    if inference not in INFERENCE_MODES:
        raise ValidationError(f"未知的推理模式 {inference!r} (unknown inference mode); 可选 {', '.join(INFERENCE_MODES)}")
    started = time.perf_counter()
    violations: list[Violation] = []
    triples = graphs = 0
    if isinstance(source, GraphStore):
        if per_report:
            for report, names in report_views(source):
                found, count = _validate_triples(view_triples(source, names), inference,
                                                 URIRef(report) if report else None)
                violations += found
                triples += count
                graphs += 1
        else:
            violations, triples = _validate_triples(_construct(source, "?s ?p ?o"), inference)
            graphs = 1
    elif isinstance(source, ConjunctiveGraph):  # an rdflib Dataset is a ConjunctiveGraph
        quads = ((s, p, o) for s, p, o, _ in source.quads((None, None, None, None)))
        violations, triples = _validate_triples(quads, inference)
        graphs = 1
    elif isinstance(source, Graph):
        violations, triples = _validate_triples(source, inference)
        graphs = 1
    else:
        raise ValidationError(f"无法校验 {type(source).__name__} (expected an rdflib Graph or a GraphStore)")
    return ValidationReport(_order(violations), triples, graphs, time.perf_counter() - started, inference)


__all__ = ["validate", "ValidationReport", "Violation", "ValidationError", "compact", "load_shapes",
           "load_ontology", "report_views", "view_triples", "SHAPES_PATH", "ONTOLOGY_PATH"]
