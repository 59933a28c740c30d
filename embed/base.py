"""Interfaces of the embedding layer: passages, embedders and vector indexes.

``Passage`` is the unit of retrieval: a readable Chinese text with provenance (report,
page, section path) and the IRIs of the graph entities it mentions, so a hit can be
traced to the graph and to the page. Embedders turn texts into L2-normalised float32
vectors; indexes keep vectors under stable int64 ids and search by inner product.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class Passage:
    """A retrievable text with provenance.

    ``id`` is the passage IRI (deterministic from the report and the passage's place in
    it); ``entities`` are IRIs of units, projects, documents, indicators it mentions.
    ``facets`` carry filterable attributes (unit, department, year, kind, region …).
    """

    id: str
    text: str
    report: str  # report IRI
    source: str = ""  # report title or file name shown to users
    page: int | None = None
    section: str = ""  # heading path joined with " / "
    kind: str = "paragraph"  # paragraph | project | basis | indicator | self_evaluation | deviation | figure
    entities: list[str] = field(default_factory=list)
    facets: dict[str, str] = field(default_factory=dict)


class Embedder(ABC):
    """Texts → L2-normalised float32 vectors of ``dimension`` columns."""

    #: identifies the model in index metadata (model name or local path)
    name: str = ""
    dimension: int = 0

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Return an array of shape (len(texts), dimension), rows of unit length."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of texts, not a single string")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode(texts, batch_size)

    @abstractmethod
    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """``encode`` for a non-empty list of texts."""


@dataclass
class Hit:
    id: int
    score: float


class VectorIndex(ABC):
    """Vectors under int64 ids; exact or approximate inner-product search."""

    dimension: int

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add (or replace) vectors under ``ids``."""

    @abstractmethod
    def remove(self, ids: np.ndarray) -> None:
        """Drop the vectors under ``ids`` (unknown ids are ignored)."""

    @abstractmethod
    def search(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        """Top ``k`` ids by inner product, restricted to ``allowed`` ids when given."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def save(self, folder: Path) -> None:
        """Write atomically into ``folder`` (a crash leaves the previous version intact)."""

    @classmethod
    @abstractmethod
    def load(cls, folder: Path) -> "VectorIndex": ...
