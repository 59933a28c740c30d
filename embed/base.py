"""Interfaces of the embedding layer: embedders and vector indexes.

``Passage`` (``kg.passages``) is the unit of retrieval: a readable Chinese text with
provenance (report, page, section path) and the IRIs of the graph entities it mentions,
so a hit can be traced to the graph and to the page. Embedders turn texts into L2-normalised float32
vectors; indexes keep vectors under stable int64 ids and search by inner product.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kg.passages import Passage  # noqa: F401  (the unit every index embeds; defined with the passage builder)


class Embedder(ABC):
    """Texts → L2-normalised float32 vectors of ``dimension`` columns."""

    #: identifies the model in index metadata (model name or local path)
    name: str = ""
    dimension: int = 0
    #: whether a process forked after ``encode`` ran may go on encoding: numpy models are; torch's
    #: thread pool does not survive a fork, so a torch model is loaded in each worker instead
    fork_safe: bool = False

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
