"""Passage numbers: the stable int63 number of a passage IRI, the first 8 bytes of its sha256
masked to 63 bits.

One number names a passage everywhere below the graph: its SQLite row id, its FAISS vector id
and the number the keyword index keeps per document. A search scope read from SQLite is an
array of these numbers and restricts both indexes as it is — no passage IRI is fetched,
hashed or looked up for the passages a scope holds (at 10,000 reports a year's scope holds
hundreds of thousands of them).
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np


def passage_id(iri: str) -> int:
    """Stable positive int63 number of a passage IRI."""
    return int.from_bytes(hashlib.sha256(iri.encode("utf-8")).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF


def passage_ids(iris: Iterable[str]) -> np.ndarray:
    """The numbers of ``iris`` (int64, in their order)."""
    iris = list(iris)
    return np.fromiter((passage_id(iri) for iri in iris), dtype=np.int64, count=len(iris))
