"""Brute-force exact inner-product index in numpy: the reference the FAISS index is tested against."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from kg.atomic_io import atomic_path
from embed.base import Hit, VectorIndex
from embed.index_files import saved_arrays
from embed.vectors import check_ids, check_vectors, top_k, unique_additions

FILE_NAME = "vectors.npz"


class NumpyIndex(VectorIndex):
    """ids array + float32 matrix; every search scans all rows (exact)."""

    def __init__(self, dimension: int):
        self.dimension = int(dimension)
        self._ids = np.zeros(0, dtype=np.int64)
        self._matrix = np.zeros((0, self.dimension), dtype=np.float32)
        self._row: dict[int, int] = {}

    kind = "exact"

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids, vectors = unique_additions(ids, vectors, self.dimension)
        if len(ids) == 0:
            return
        fresh = np.fromiter((i not in self._row for i in ids.tolist()), dtype=bool, count=len(ids))
        for i, vec in zip(ids[~fresh].tolist(), vectors[~fresh]):
            self._matrix[self._row[i]] = vec
        if fresh.any():
            start = len(self._ids)
            self._ids = np.concatenate([self._ids, ids[fresh]])
            self._matrix = np.concatenate([self._matrix, vectors[fresh]])
            self._row.update((i, start + n) for n, i in enumerate(ids[fresh].tolist()))

    def remove(self, ids: np.ndarray) -> None:
        ids = check_ids(ids)
        if len(ids) == 0 or len(self._ids) == 0:
            return
        keep = ~np.isin(self._ids, ids)
        if keep.all():
            return
        self._ids = self._ids[keep]
        self._matrix = self._matrix[keep]
        self._row = {i: n for n, i in enumerate(self._ids.tolist())}

    def search(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[Hit]:
        query = check_vectors(np.asarray(vector).reshape(1, -1), self.dimension, 1)[0]
        if k <= 0 or len(self._ids) == 0:
            return []
        if allowed is None:
            rows = None
            scores = self._matrix @ query
        else:
            allowed = check_ids(allowed)
            rows = np.flatnonzero(np.isin(self._ids, allowed))
            scores = self._matrix[rows] @ query
        order = top_k(scores, k)
        picked = order if rows is None else rows[order]
        return [Hit(int(self._ids[r]), float(s)) for r, s in zip(picked, scores[order])]

    def save(self, folder: Path) -> None:
        folder = Path(folder)
        with atomic_path(folder / FILE_NAME) as tmp:
            with open(tmp, "wb") as handle:
                np.savez(handle, ids=self._ids, matrix=self._matrix,
                         dimension=np.int64(self.dimension))

    @classmethod
    def load(cls, folder: Path) -> "NumpyIndex":
        with saved_arrays(Path(folder) / FILE_NAME, "向量索引文件", "vector index file") as data:
            index = cls(int(data["dimension"]))
            index._ids = data["ids"].astype(np.int64)
            index._matrix = np.ascontiguousarray(data["matrix"], dtype=np.float32)
        index._row = {i: n for n, i in enumerate(index._ids.tolist())}
        return index
