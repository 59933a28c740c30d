"""Immutable segments of the keyword index: the term frequencies and lengths of some documents.

A segment holds, for its documents (in the order they were added), each one's token count
and, per term of its own vocabulary, the postings (document, term frequency) sorted by
document — no BM25 weight, since those depend on the whole index's statistics and are
computed at query time. A segment also carries ``removes``: the ids of documents in
*earlier* segments that it deletes (a replaced or removed passage), so that a list of
segments replayed in order is the index. Segments are written once (``.npz``) and never
changed; merging a run of them makes a new one.

Each document also has its passage number (``embed/passage_ids.py``), written with the segment
so that a scope of numbers finds its documents without hashing every IRI at open; a segment
written before numbers were kept computes them from its ids when first asked.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kg.atomic_io import atomic_path
from embed.index_files import saved_arrays
from embed.passage_ids import passage_ids

SEGMENT_FORMAT = 2
TF_SLOTS = 16  # term frequencies 0…14 have a slot in the per-query table; 15 means "compute it"


def join_strings(strings: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def split_strings(blob: np.ndarray, count: int) -> list[str]:
    if count == 0:
        return []
    return blob.tobytes().decode("utf-8").split("\n")


class Segment:
    """Postings of some documents; ``alive`` marks the documents not deleted since (in memory)."""

    __slots__ = ("doc_ids", "lengths", "terms", "indptr", "docs", "tfs", "removes", "name", "alive", "dead",
                 "_vocab", "_norm", "_keys", "_table", "_numbers")

    def __init__(self, doc_ids: list[str], lengths: np.ndarray, terms: list[str], indptr: np.ndarray,
                 docs: np.ndarray, tfs: np.ndarray, removes: Sequence[str] = (), name: str | None = None,
                 numbers: np.ndarray | None = None):
        self.doc_ids = doc_ids
        self.lengths = lengths
        self.terms = terms
        self.indptr = indptr
        self.docs = docs
        self.tfs = tfs
        self.removes = list(removes)
        self.name = name  # file name once written, None while only in memory
        self.alive = np.ones(len(doc_ids), dtype=bool)
        self.dead = 0
        self._vocab: dict[str, int] | None = None
        self._norm: tuple[float, np.ndarray] | None = None
        self._keys: tuple[np.ndarray, np.ndarray] | None = None  # distinct lengths; (length, tf) slot per posting
        self._table: tuple[float, np.ndarray] | None = None
        if numbers is not None and len(numbers) != len(doc_ids):
            raise ValueError(f"{len(numbers)} passage numbers for {len(doc_ids)} documents")
        self._numbers = numbers

    def __len__(self) -> int:
        return len(self.doc_ids)

    @property
    def live(self) -> int:
        return len(self.doc_ids) - self.dead

    @property
    def vocab(self) -> dict[str, int]:
        if self._vocab is None:
            self._vocab = {t: i for i, t in enumerate(self.terms)}
        return self._vocab

    @property
    def numbers(self) -> np.ndarray:
        """The passage number of each document (int64, in document order)."""
        if self._numbers is None:
            self._numbers = passage_ids(self.doc_ids)
        return self._numbers

    def kill(self, position: int) -> int:
        """Mark the document at ``position`` deleted; its length."""
        self.alive[position] = False
        self.dead += 1
        return int(self.lengths[position])

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """Live (local document positions, term frequencies, slots) of ``term``; None when it has none here."""
        tid = self.vocab.get(term)
        if tid is None:
            return None
        start, end = int(self.indptr[tid]), int(self.indptr[tid + 1])
        docs, tfs, slots = self.docs[start:end], self.tfs[start:end], self.slots()[start:end]
        if self.dead:
            keep = self.alive[docs]
            docs, tfs, slots = docs[keep], tfs[keep], slots[keep]
        return (docs, tfs, slots) if len(docs) else None

    def slots(self) -> np.ndarray:
        """Per posting, its (document length, term frequency) slot in ``tf_table`` (made once)."""
        if self._keys is None:
            lengths, code = np.unique(self.lengths, return_inverse=True)
            dtype = np.uint16 if len(lengths) * TF_SLOTS <= 65536 else np.uint32
            slots = np.empty(len(self.docs), dtype=dtype)
            for start in range(0, len(self.docs), 1 << 24):  # in blocks: no temporary of every posting
                part = slice(start, start + (1 << 24))
                slots[part] = code[self.docs[part]] * TF_SLOTS + np.minimum(self.tfs[part], TF_SLOTS - 1)
            self._keys = (lengths, slots)
        return self._keys[1]

    def tf_table(self, k1: float, b: float, avgdl: float) -> np.ndarray:
        """``tf / (k1·(1 − b + b·dl/avgdl) + tf)`` for each distinct length and tf below ``TF_SLOTS − 1``
        (float64, bm25s's operations), cached per avgdl; the last slot of a length is for larger tfs."""
        if self._table is None or self._table[0] != avgdl:
            self.slots()
            norm = k1 * ((1 - b) + b * self._keys[0].astype(np.float64) / avgdl)
            tf = np.arange(TF_SLOTS, dtype=np.float64)
            self._table = (avgdl, (tf[None, :] / (norm[:, None] + tf[None, :])).ravel())
        return self._table[1]

    def norm(self, k1: float, b: float, avgdl: float) -> np.ndarray:
        """``k1·(1 − b + b·dl/avgdl)`` per document (float64, as bm25s computes it), cached per avgdl."""
        if self._norm is None or self._norm[0] != avgdl:
            self._norm = (avgdl, k1 * ((1 - b) + b * self.lengths.astype(np.float64) / avgdl))
        return self._norm[1]

    # ------------------------------------------------------------------ building
    @classmethod
    def from_token_ids(cls, doc_ids: list[str], tokens: np.ndarray, offsets: np.ndarray, terms: list[str],
                       removes: Sequence[str] = ()) -> "Segment":
        """A segment of documents given as flat token ids (into ``terms``) cut at ``offsets``."""
        n = len(doc_ids)
        lengths = np.diff(offsets).astype(np.int32)
        if n == 0 or len(tokens) == 0:
            return cls(doc_ids, lengths, [], np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32),
                       np.zeros(0, dtype=np.uint16), removes)
        doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        keys, tfs = np.unique(tokens.astype(np.int64) * n + doc_of, return_counts=True)  # term-major, then doc
        term_of, docs = np.divmod(keys, n)
        used, term_of = np.unique(term_of, return_inverse=True)  # drop terms no document has
        indptr = np.zeros(len(used) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(used)), out=indptr[1:])
        return cls(doc_ids, lengths, [terms[i] for i in used.tolist()], indptr, docs.astype(np.int32),
                   _counts(tfs), removes)

    @classmethod
    def merge(cls, segments: Sequence["Segment"], removes: Sequence[str] = ()) -> "Segment":
        """One segment holding the live documents of ``segments`` in order (their deletions applied):
        each term's postings from the first segment to the last, documents renumbered. Written a
        segment at a time into the merged arrays — no sort of every posting, whose temporaries
        (several int64 copies of 85M postings at 1.6M passages) outgrew a 14 GB bound."""
        vocab: dict[str, int] = {}
        doc_ids: list[str] = []
        lengths, numbers, parts = [], [], []
        for seg in segments:
            mapping = np.fromiter((vocab.setdefault(t, len(vocab)) for t in seg.terms), dtype=np.int64,
                                  count=len(seg.terms))
            new_position = np.cumsum(seg.alive, dtype=np.int64) - 1 + len(doc_ids)
            keep = seg.alive[seg.docs] if seg.dead else None
            counts = np.diff(seg.indptr) if keep is None else np.bincount(  # live postings per term
                _term_of(seg)[keep], minlength=len(seg.terms)).astype(np.int64)
            parts.append((seg, mapping, new_position, keep, counts))
            doc_ids.extend(d for d, ok in zip(seg.doc_ids, seg.alive.tolist()) if ok)
            lengths.append(seg.lengths[seg.alive])
            numbers.append(seg.numbers[seg.alive])
        terms_all = list(vocab)
        per_term = np.zeros(len(terms_all), dtype=np.int64)
        for _, mapping, _, _, counts in parts:
            per_term[mapping] += counts
        filled = np.cumsum(per_term) - per_term  # the next free place of each merged term
        docs = np.empty(int(per_term.sum()), dtype=np.int32)
        tfs = np.empty(len(docs), dtype=np.uint32)
        for seg, mapping, new_position, keep, counts in parts:
            term_of, seg_docs, seg_tfs = _term_of(seg), seg.docs, seg.tfs
            if keep is not None:
                term_of, seg_docs, seg_tfs = term_of[keep], seg_docs[keep], seg_tfs[keep]
            rank = np.arange(len(term_of), dtype=np.int64) - (np.cumsum(counts) - counts)[term_of]
            target = filled[mapping][term_of] + rank
            docs[target] = new_position[seg_docs]
            tfs[target] = seg_tfs
            filled[mapping] += counts
        used = np.flatnonzero(per_term)
        indptr = np.zeros(len(used) + 1, dtype=np.int64)
        np.cumsum(per_term[used], out=indptr[1:])
        return cls(doc_ids, np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int32),
                   [terms_all[i] for i in used.tolist()], indptr, docs, _counts(tfs), removes,
                   numbers=np.concatenate(numbers) if numbers else np.zeros(0, dtype=np.int64))

    # ------------------------------------------------------------------ files
    def write(self, path: Path) -> None:
        """Write the segment to ``path`` atomically (only fresh segments are written: nothing deleted)."""
        if self.dead:
            raise ValueError("a segment with deleted documents is merged, not written")
        header = {"format": SEGMENT_FORMAT, "documents": len(self.doc_ids), "terms": len(self.terms),
                  "removes": len(self.removes)}
        arrays = {"header": join_strings([json.dumps(header)]), "doc_ids": join_strings(self.doc_ids),
                  "terms": join_strings(self.terms), "removes": join_strings(self.removes),
                  "lengths": self.lengths, "indptr": self.indptr, "docs": self.docs, "tfs": self.tfs,
                  "numbers": self.numbers}
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as handle:
                np.savez(handle, **arrays)
        self.name = path.name

    @classmethod
    def read(cls, path: Path) -> "Segment":
        with saved_arrays(path, "关键词索引段", "keyword index segment") as data:
            header = json.loads(data["header"].tobytes().decode("utf-8"))
            if header.get("format") != SEGMENT_FORMAT:
                raise ValueError(f"segment format {header.get('format')}, expected {SEGMENT_FORMAT}")
            return cls(split_strings(data["doc_ids"], header["documents"]), data["lengths"],
                       split_strings(data["terms"], header["terms"]), data["indptr"], data["docs"], data["tfs"],
                       split_strings(data["removes"], header["removes"]), path.name,
                       data["numbers"] if "numbers" in data.files else None)


def _term_of(segment: Segment) -> np.ndarray:
    """The segment's term (its own numbering) of each posting."""
    return np.repeat(np.arange(len(segment.terms), dtype=np.int64), np.diff(segment.indptr))


def _counts(tfs: np.ndarray) -> np.ndarray:
    """Term frequencies in the narrowest unsigned type that holds them."""
    return tfs.astype(np.uint16 if len(tfs) == 0 or int(tfs.max()) < 65536 else np.uint32)
