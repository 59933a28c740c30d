"""Persistent BM25 keyword index over jieba tokens (scores built with bm25s).

Documents are kept as token-id arrays under string ids. bm25s has no incremental add,
so changes (add / replace / remove) only mark the index stale; the BM25 matrix is
rebuilt from the stored tokens once, at the next search or save. Search sums the
query terms' posting lists with ``np.bincount`` (the bm25s matrix is column-sparse by
term) and can be restricted to an ``allowed`` set of ids.

The index is one ``.npz`` file written atomically, holding tokens, vocabulary, ids,
the user vocabulary and the BM25 matrix, so loading needs no rebuild.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from kg.atomic_io import atomic_path
from embed.index_files import saved_arrays
from embed.vectors import top_k
from embed.zh_tokens import ChineseTokenizer

FILE_NAME = "lexical.npz"
FORMAT_VERSION = 1
# BM25 parameters of new indexes (an index keeps those it was built with, and its tokenizer's
# bigram setting; older files without one were built without bigrams). Chosen on the first blind
# retrieval set (111 meaning queries over the corpus): a weak length normalisation (b 0.4, was
# 0.75) stops long explaining paragraphs losing to short table rows; with k1 1.2 (was 1.5) BM25
# Recall@5 0.811 → 0.847, MRR 0.691 → 0.746 (words and bigrams).
K1 = 1.2
B = 0.4


def _join(strings: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def _split(blob: np.ndarray, count: int) -> list[str]:
    if count == 0:
        return []
    return blob.tobytes().decode("utf-8").split("\n")


class LexicalIndex:
    """BM25 over Chinese tokens; ids are strings (passage IRIs)."""

    def __init__(self, user_words: Iterable[str] = (), k1: float = K1, b: float = B, bigrams: bool = True):
        self.k1, self.b = float(k1), float(b)
        self.tokenizer = ChineseTokenizer(user_words, bigrams=bigrams)
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        # documents: base arrays (flat tokens + offsets) plus pending additions
        self._doc_ids: list[str | None] = []
        self._position: dict[str, int] = {}
        self._tokens = np.zeros(0, dtype=np.int32)
        self._offsets = np.zeros(1, dtype=np.int64)
        self._pending: list[np.ndarray] = []
        self._scores: dict[str, np.ndarray] | None = None  # bm25 CSC by term: data, indices, indptr
        self._stale = False

    # ------------------------------------------------------------------ vocabulary
    def add_words(self, words: Iterable[str]) -> None:
        """Keep these names whole when tokenising (affects documents added afterwards)."""
        self.tokenizer.add_words(words)

    def _token_ids(self, tokens: list[str], grow: bool) -> np.ndarray:
        if grow:
            ids = []
            for token in tokens:
                tid = self._vocab.get(token)
                if tid is None:
                    tid = self._vocab[token] = len(self._terms)
                    self._terms.append(token)
                ids.append(tid)
            return np.asarray(ids, dtype=np.int32)
        return np.asarray([self._vocab[t] for t in tokens if t in self._vocab], dtype=np.int32)

    # ------------------------------------------------------------------ updates
    def __len__(self) -> int:
        return len(self._position)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._position

    def ids(self) -> list[str]:
        """Ids of the documents in the index."""
        return list(self._position)

    def add(self, doc_id: str, text: str) -> None:
        """Add a document, replacing any document with the same id."""
        self.add_tokens(doc_id, self.tokenizer.tokenize(text))

    def add_many(self, docs: Iterable[tuple[str, str]]) -> None:
        for doc_id, text in docs:
            self.add(doc_id, text)

    def add_tokens(self, doc_id: str, tokens: list[str]) -> None:
        """Add a pre-tokenised document (tokens from ``self.tokenizer``)."""
        if not isinstance(doc_id, str) or not doc_id or "\n" in doc_id:
            raise ValueError(f"document id must be a non-empty one-line string, got {doc_id!r}")
        self.remove([doc_id])
        self._position[doc_id] = len(self._doc_ids)
        self._doc_ids.append(doc_id)
        self._pending.append(self._token_ids(tokens, grow=True))
        self._stale = True

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Drop documents; unknown ids are ignored."""
        for doc_id in doc_ids:
            position = self._position.pop(doc_id, None)
            if position is not None:
                self._doc_ids[position] = None
                self._stale = True

    # ------------------------------------------------------------------ build
    def _compact(self) -> None:
        """Fold pending documents into the flat arrays and drop removed ones."""
        base_count = len(self._offsets) - 1
        keep_base = np.fromiter((self._doc_ids[i] is not None for i in range(base_count)),
                                dtype=bool, count=base_count)
        base_lengths = np.diff(self._offsets)
        token_mask = np.repeat(keep_base, base_lengths)
        parts = [self._tokens[token_mask]]
        lengths = [base_lengths[keep_base]]
        alive_pending = [self._doc_ids[base_count + j] is not None for j in range(len(self._pending))]
        parts.extend(p for p, alive in zip(self._pending, alive_pending) if alive)
        lengths.append(np.asarray([len(p) for p, alive in zip(self._pending, alive_pending) if alive],
                                  dtype=np.int64))
        self._tokens = np.concatenate(parts).astype(np.int32, copy=False)
        self._offsets = np.concatenate([[0], np.cumsum(np.concatenate(lengths))]).astype(np.int64)
        self._doc_ids = [d for d in self._doc_ids if d is not None]
        self._position = {d: i for i, d in enumerate(self._doc_ids)}
        self._pending = []

    def rebuild(self) -> None:
        """Recompute the BM25 matrix from the stored tokens (bm25s)."""
        import bm25s

        self._compact()
        n = len(self._doc_ids)
        if n == 0:
            self._scores = None
            self._stale = False
            return
        used = np.unique(self._tokens)  # drop terms only removed documents had
        remap = np.full(len(self._terms), -1, dtype=np.int32)
        remap[used] = np.arange(len(used), dtype=np.int32)
        self._tokens = remap[self._tokens]
        self._terms = [self._terms[i] for i in used.tolist()]
        self._vocab = {t: i for i, t in enumerate(self._terms)}
        bounds = self._offsets.tolist()
        flat = self._tokens.tolist()
        corpus = [flat[bounds[i]:bounds[i + 1]] for i in range(n)]
        model = bm25s.BM25(k1=self.k1, b=self.b, method="lucene")
        scores = model.build_index_from_ids(unique_token_ids=list(range(len(self._terms))),
                                            corpus_token_ids=corpus, show_progress=False)
        indptr = np.asarray(scores["indptr"], dtype=np.int64)
        self._scores = {"data": np.asarray(scores["data"], dtype=np.float32),
                        "indices": np.asarray(scores["indices"], dtype=np.int32), "indptr": indptr}
        self._stale = False

    # ------------------------------------------------------------------ search
    def search(self, query: str, k: int = 10, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Top ``k`` (id, BM25 score) with score > 0, restricted to ``allowed`` ids when given."""
        return self.search_tokens(self.tokenizer.tokenize(query), k, allowed)

    def search_tokens(self, tokens: list[str], k: int = 10,
                      allowed: set[str] | None = None) -> list[tuple[str, float]]:
        if self._stale:
            self.rebuild()
        if self._scores is None or k <= 0:
            return []
        term_ids = self._token_ids(tokens, grow=False)
        if len(term_ids) == 0:
            return []
        data, indices, indptr = self._scores["data"], self._scores["indices"], self._scores["indptr"]
        starts, ends = indptr[term_ids], indptr[term_ids + 1]
        if (ends - starts).sum() == 0:
            return []
        docs = np.concatenate([indices[s:e] for s, e in zip(starts, ends)])
        weights = np.concatenate([data[s:e] for s, e in zip(starts, ends)])
        n = len(self._doc_ids)
        if allowed is not None:
            rows = np.fromiter((self._position[d] for d in allowed if d in self._position), dtype=np.int64)
            if len(rows) == 0:
                return []
            scores = np.bincount(docs, weights=weights, minlength=n)[rows]
        elif len(docs) * 8 < n:  # few postings: aggregate only the touched documents
            rows, inverse = np.unique(docs, return_inverse=True)
            scores = np.bincount(inverse, weights=weights)
        else:
            rows = None
            scores = np.bincount(docs, weights=weights, minlength=n)
        order = top_k(scores, k)
        order = order[scores[order] > 0]
        picked = order if rows is None else rows[order]
        return [(self._doc_ids[p], float(s)) for p, s in zip(picked.tolist(), scores[order].tolist())]

    # ------------------------------------------------------------------ persistence
    def save(self, folder: Path) -> None:
        if self._stale:
            self.rebuild()
        folder = Path(folder)
        header = {"format": FORMAT_VERSION, "k1": self.k1, "b": self.b, "documents": len(self._doc_ids),
                  "terms": len(self._terms), "user_words": self.tokenizer.user_words,
                  "bigrams": self.tokenizer.bigrams}
        arrays = {"header": _join([json.dumps(header, ensure_ascii=False)]),
                  "doc_ids": _join(self._doc_ids), "terms": _join(self._terms),
                  "tokens": self._tokens, "offsets": self._offsets}
        if self._scores is not None:
            arrays.update({f"bm25_{key}": value for key, value in self._scores.items()})
        with atomic_path(folder / FILE_NAME) as tmp:
            with open(tmp, "wb") as handle:
                np.savez(handle, **arrays)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        with saved_arrays(Path(folder) / FILE_NAME, "关键词索引", "keyword index") as data:
            header = json.loads(data["header"].tobytes().decode("utf-8"))
            if header.get("format") != FORMAT_VERSION:
                raise ValueError(f"format {header.get('format')}, expected {FORMAT_VERSION}")
            index = cls(header["user_words"], header["k1"], header["b"], bigrams=header.get("bigrams", False))
            index._doc_ids = _split(data["doc_ids"], header["documents"])
            index._terms = _split(data["terms"], header["terms"])
            index._tokens = data["tokens"].astype(np.int32)
            index._offsets = data["offsets"].astype(np.int64)
            if "bm25_data" in data.files:
                index._scores = {key: data[f"bm25_{key}"] for key in ("data", "indices", "indptr")}
        index._vocab = {t: i for i, t in enumerate(index._terms)}
        index._position = {d: i for i, d in enumerate(index._doc_ids)}
        return index
