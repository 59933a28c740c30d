"""A deterministic, dependency-free embedder for unit tests.

Character n-grams (1–3) of the text are hashed into ``dimension`` buckets with a
signed hash (crc32, stable across processes and Python versions), then the vector is
L2-normalised. Texts sharing many n-grams get a high inner product, which is enough to
exercise indexes and the retrieval pipeline without loading a model.
"""
from __future__ import annotations

import zlib

import numpy as np

from embed.base import Embedder
from kg.errors import UsageError


class HashingEmbedder(Embedder):
    """Feature-hashing embedder: fast, deterministic, meaning-blind."""

    fork_safe = True

    def __init__(self, dimension: int = 256, ngrams: tuple[int, ...] = (1, 2, 3)):
        if not isinstance(dimension, int) or dimension < 8:
            raise UsageError(f"hashing 嵌入维度必须是不小于 8 的整数，收到 {dimension!r} "
                             f"(hashing dimension must be an integer >= 8, e.g. hashing:256)")
        self.dimension = dimension
        self.name = f"hashing-{dimension}"
        self._ngrams = tuple(ngrams)

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        text = " ".join(text.split())
        buckets: list[int] = []
        for n in self._ngrams:
            for start in range(len(text) - n + 1):
                buckets.append(zlib.crc32(text[start:start + n].encode("utf-8")))
        if not buckets:
            vec[0] = 1.0  # empty text: a fixed unit vector
            return vec
        codes = np.asarray(buckets, dtype=np.uint64)
        signs = np.where((codes >> np.uint64(31)) & np.uint64(1), -1.0, 1.0).astype(np.float32)
        np.add.at(vec, (codes % np.uint64(self.dimension)).astype(np.int64), signs)
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return vec / norm

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._vector(text)
        return out
