"""A plain set of triples: what the graph builder fills and every graph store writes.

An rdflib ``Graph`` indexes each added triple three ways and fires events; building a
report's graph spent most of its time there (733,984 additions on the 30-report corpus),
only for the store to iterate the triples once. ``Triples`` keeps them in a dict (a set
that keeps insertion order, with rdflib terms compared and hashed as rdflib does), and
becomes an rdflib ``Graph`` on demand for the code that queries one (validation, tests).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Graph

from kg.graph import vocab


class Triples:
    """An insertion-ordered set of (subject, predicate, object) rdflib terms."""

    __slots__ = ("_triples",)

    def __init__(self, triples: Iterable[tuple] = ()):
        self._triples: dict[tuple, None] = dict.fromkeys(triples)

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples

    def graph(self) -> Graph:
        """The same triples in an rdflib ``Graph``, with the project's prefixes bound."""
        graph = Graph()
        for prefix, iri in vocab.PREFIXES.items():
            graph.bind(prefix, iri)
        for triple in self._triples:
            graph.add(triple)
        return graph


__all__ = ["Triples"]
