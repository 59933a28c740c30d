"""A report's graphs as N-Quads bytes: made where the report is built, loaded by the writer.

An ingest worker used to send its triples as pickled rdflib terms, which the single writer
unpickled (re-validating every literal) and converted term by term into Oxigraph's; both
cost the writer more than half as much again as the write itself. ``ReportQuads`` carries
the report graph and the shared-node graphs serialised once, in the worker: the Oxigraph
store loads the bytes in one transaction (``OxigraphStore.write_report_quads``), another
backend gets the triples back (``graphs``).

Blank nodes are not serialised (their labels would be shared between graphs, where the
stores make a fresh node per graph write): a report graph holding one is sent as triples.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class HasBlankNode(ValueError):
    """A triple holds a blank node: the graphs cannot cross as N-Quads."""


def term_text(term, iris: dict) -> str:
    """One term in N-Quads syntax (IRIs cached in ``iris``: a report repeats a few thousand)."""
    if type(term) is URIRef or isinstance(term, URIRef):
        text = iris.get(term)
        if text is None:
            text = iris[term] = f"<{term}>"
        return text
    if isinstance(term, Literal):
        lexical = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{lexical}@{term.language}"
        if term.datatype is not None:
            return f"{lexical}^^{term_text(term.datatype, iris)}"
        return lexical
    if isinstance(term, BNode):
        raise HasBlankNode(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


@dataclass
class ReportQuads:
    """Named graphs as N-Quads (``data``), with the number of triples of each (``sizes``)."""

    data: bytes
    sizes: dict[str, int]

    @classmethod
    def of(cls, graphs: Iterable[tuple[str, Iterable[tuple]]]) -> "ReportQuads":
        """Serialise (graph IRI, triples) pairs; ``HasBlankNode`` when a triple holds one."""
        iris: dict = {}
        lines: list[str] = []
        sizes: dict[str, int] = {}
        for graph_iri, triples in graphs:
            name = f" <{graph_iri}> .\n"
            before = len(lines)
            lines.extend(f"{term_text(s, iris)} {term_text(p, iris)} {term_text(o, iris)}{name}"
                         for s, p, o in triples)
            sizes[str(graph_iri)] = sizes.get(str(graph_iri), 0) + len(lines) - before
        return cls("".join(lines).encode("utf-8"), sizes)

    def triples(self, graph_iri: str) -> int:
        return self.sizes.get(str(graph_iri), 0)

    def graphs(self) -> dict[str, list[tuple]]:
        """The triples of each graph again, as rdflib terms (for a backend that writes triples)."""
        from rdflib import Dataset

        dataset = Dataset()
        dataset.parse(data=self.data, format="nquads")
        out: dict[str, list[tuple]] = {iri: [] for iri in self.sizes}
        for s, p, o, g in dataset.quads((None, None, None, None)):
            out.setdefault(str(g.identifier if hasattr(g, "identifier") else g), []).append((s, p, o))
        return out


__all__ = ["HasBlankNode", "ReportQuads", "term_text"]
