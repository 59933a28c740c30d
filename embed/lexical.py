"""Persistent BM25 keyword index over jieba tokens, kept in segments so that an addition costs
what it adds, not what the index holds.

Documents are stored as term frequencies and lengths in immutable segments
(``embed/lexical_segments.py``); BM25 weights are computed at query time from the statistics
of the whole index — N live documents, each query term's document frequency over the live
documents of every segment, their average length — so a search scores exactly as one index
built by bm25s (Lucene variant) over the live documents would: the same float32 weight per
posting, summed in float64 in the same order (``tests/embed/test_lexical_segments.py``
compares the two). Search sums the query terms' postings with ``np.bincount`` and can be
restricted to an ``allowed`` set of ids, or to an array of passage numbers
(``embed/passage_ids.py``; each segment keeps its documents' numbers), which a scope read
from SQLite gives without the IRIs of its passages.

Additions collect in memory (a search first freezes them into a segment); a removal is a
tombstone on its segment. ``persist(folder, generation)`` writes only what is not on disk
yet — one delta segment holding the new documents and the ids deleted from earlier
segments — then merges the newest segments when ``FANOUT`` of them share a size tier
(size-tiered: a bounded number of segments, each document rewritten O(log n) times), and
any segment from one that lost a quarter of its documents onward. It returns a small
manifest (format, BM25 parameters, tokenizer settings, segment file names) for the caller
to commit (``embed/passage_index.py`` commits it in SQLite with the passage rows);
``restore`` replays one. ``save``/``load`` do the same with the manifest in ``lexical.json``.
A version-1 folder (one ``lexical.npz`` with tokens and the bm25s matrix) loads as one
in-memory segment, written anew by the next persist.
"""
from __future__ import annotations

import bisect
import contextlib
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from kg.atomic_io import remove_stale_temporaries, write_bytes_atomic
from embed.index_files import missing, read_json, saved_arrays
from embed.lexical_segments import TF_SLOTS, Segment, split_strings
from embed.vectors import top_k
from embed.zh_tokens import ChineseTokenizer

FILE_NAME = "lexical.npz"  # format 1: the whole index in one file
MANIFEST = "lexical.json"
FORMAT_VERSION = 2
# BM25 parameters of new indexes (an index keeps those it was built with, and its tokenizer's
# bigram setting; older files without one were built without bigrams). Chosen on the first blind
# retrieval set (111 meaning queries over the corpus): a weak length normalisation (b 0.4, was
# 0.75) stops long explaining paragraphs losing to short table rows; with k1 1.2 (was 1.5) BM25
# Recall@5 0.811 → 0.847, MRR 0.691 → 0.746 (words and bigrams).
K1 = 1.2
B = 0.4
FANOUT = 4  # merge when this many of the newest segments share a size tier
TIER_BASE = 2_000  # documents: segments smaller than this are all of the lowest tier
DEAD_FRACTION = 0.25  # a segment that lost this share of its documents is rewritten
# a scope this many times smaller than the query terms' postings is scored by looking its documents
# up in them (binary search), not by reading every posting
SCOPE_LOOKUP = 16
SEGMENT_FILE = re.compile(r"^s(\d{6})-(\d+)\.npz$")


def tier(size: int) -> int:
    return 0 if size < TIER_BASE else int(math.log(size / TIER_BASE, FANOUT)) + 1


class LexicalIndex:
    """BM25 over Chinese tokens; ids are strings (passage IRIs)."""

    def __init__(self, user_words: Iterable[str] = (), k1: float = K1, b: float = B, bigrams: bool = True):
        self.k1, self.b = float(k1), float(b)
        self.tokenizer = ChineseTokenizer(user_words, bigrams=bigrams)
        self._segments: list[Segment] = []
        self._starts: list[int] = []  # global position of each segment's first document
        self._where: dict[str, int] = {}  # live document id → global position
        self._live = 0
        self._live_length = 0
        self._live_rows: np.ndarray | None = None  # global positions of live documents (cache)
        self._by_number: tuple[np.ndarray, np.ndarray] | None = None  # live numbers sorted, their positions
        self._removed: set[str] = set()  # ids deleted from written segments since the last persist
        self.loaded_format = FORMAT_VERSION
        self._reset_pending()

    def _reset_pending(self) -> None:
        self._pending_ids: list[str | None] = []
        self._pending_tokens: list[np.ndarray] = []
        self._pending_where: dict[str, int] = {}
        self._pending_vocab: dict[str, int] = {}
        self._pending_terms: list[str] = []

    # ------------------------------------------------------------------ vocabulary
    def add_words(self, words: Iterable[str]) -> None:
        """Keep these names whole when tokenising (affects documents added afterwards)."""
        self.tokenizer.add_words(words)

    def _pending_token_ids(self, tokens: list[str]) -> np.ndarray:
        vocab, terms = self._pending_vocab, self._pending_terms
        ids = []
        for token in tokens:
            tid = vocab.get(token)
            if tid is None:
                tid = vocab[token] = len(terms)
                terms.append(token)
            ids.append(tid)
        return np.asarray(ids, dtype=np.int32)

    # ------------------------------------------------------------------ updates
    def __len__(self) -> int:
        return self._live + len(self._pending_where)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._where or doc_id in self._pending_where

    def ids(self) -> list[str]:
        """Ids of the documents in the index."""
        return list(self._where) + list(self._pending_where)

    @property
    def segments(self) -> list[Segment]:
        """The segments (oldest first); documents added since the last search are not in one yet."""
        return list(self._segments)

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
        self._pending_where[doc_id] = len(self._pending_ids)
        self._pending_ids.append(doc_id)
        self._pending_tokens.append(self._pending_token_ids(tokens))

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Drop documents; unknown ids are ignored."""
        for doc_id in doc_ids:
            pending = self._pending_where.pop(doc_id, None)
            if pending is not None:
                self._pending_ids[pending] = None
            else:
                self._kill(doc_id, record=True)

    def _kill(self, doc_id: str, record: bool) -> None:
        position = self._where.pop(doc_id, None)
        if position is None:
            return
        s = bisect.bisect_right(self._starts, position) - 1
        segment = self._segments[s]
        self._live -= 1
        self._live_length -= segment.kill(position - self._starts[s])
        self._positions_changed()
        if record and segment.name is not None:
            self._removed.add(doc_id)

    def _freeze(self) -> None:
        """Make the pending documents a segment (searchable with the rest)."""
        alive = [i for i, d in enumerate(self._pending_ids) if d is not None]
        if alive:
            parts = [self._pending_tokens[i] for i in alive]
            offsets = np.zeros(len(parts) + 1, dtype=np.int64)
            np.cumsum([len(p) for p in parts], out=offsets[1:])
            tokens = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
            self._append(Segment.from_token_ids([self._pending_ids[i] for i in alive], tokens, offsets,
                                                self._pending_terms))
        self._reset_pending()

    def _append(self, segment: Segment) -> None:
        """Add a segment after the others: its deletions first, then its documents."""
        for doc_id in segment.removes:
            self._kill(doc_id, record=False)
        start = self._starts[-1] + len(self._segments[-1]) if self._segments else 0
        self._segments.append(segment)
        self._starts.append(start)
        self._where.update(zip(segment.doc_ids, range(start, start + len(segment))))
        self._live += len(segment)
        self._live_length += int(segment.lengths.sum(dtype=np.int64))
        self._positions_changed()

    def _replace_tail(self, first: int, segment: Segment) -> None:
        """Put ``segment`` (the live documents of segments ``first``… in order) in their place."""
        start = self._starts[first] if first < len(self._starts) else (
            self._starts[-1] + len(self._segments[-1]) if self._segments else 0)
        del self._segments[first:], self._starts[first:]
        self._segments.append(segment)
        self._starts.append(start)
        self._where.update(zip(segment.doc_ids, range(start, start + len(segment))))
        self._positions_changed()

    def rebuild(self) -> None:
        """Fold every document into one segment (in memory; the next persist writes it whole)."""
        self._freeze()
        if len(self._segments) > 1 or any(s.dead for s in self._segments):
            self._replace_tail(0, Segment.merge(self._segments))

    def terms(self) -> set[str]:
        """The terms of the live documents."""
        self.rebuild()
        return set(self._segments[0].terms) if self._segments else set()

    # ------------------------------------------------------------------ search
    def search(self, query: str, k: int = 10,
               allowed: set[str] | np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``k`` (id, BM25 score) with score > 0, restricted when given to ``allowed``: a set of
        ids or an array of passage numbers. Equal scores rank in the order documents were added."""
        return self.search_tokens(self.tokenizer.tokenize(query), k, allowed)

    def search_tokens(self, tokens: list[str], k: int = 10,
                      allowed: set[str] | np.ndarray | None = None) -> list[tuple[str, float]]:
        self._freeze()
        n = self._live
        if n == 0 or k <= 0:
            return []
        found: dict[str, list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]] = {}
        for term in dict.fromkeys(tokens):
            lists = [(s, *got) for s, segment in enumerate(self._segments)
                     if (got := segment.postings(term)) is not None]
            if lists:
                found[term] = lists
        if not found:
            return []
        avgdl = self._live_length / n
        idf = {term: np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
               for term, lists in found.items() for df in [sum(len(docs) for _, docs, _, _ in lists)]}
        rows = None
        if isinstance(allowed, np.ndarray):
            rows = self._positions_of(allowed)
        elif allowed is not None:
            rows = np.sort(np.fromiter((self._where[d] for d in allowed if d in self._where), dtype=np.int64))
        if rows is not None and len(rows) == 0:
            return []
        postings = sum(len(docs) for lists in found.values() for _, docs, _, _ in lists)
        if rows is not None and len(rows) * SCOPE_LOOKUP < postings:
            return self._ranked(rows, self._scores_of(rows, tokens, found, idf, avgdl), k)
        top = self._top_by_bounds(tokens, found, idf, avgdl, k, rows, postings)
        if top is not None:
            return top
        doc_parts, weight_parts = [], []
        for term in tokens:  # repeated query terms count again, as in one bm25s index
            for s, docs, tfs, slots in found.get(term, ()):
                weight_parts.append(self._weights(s, docs, tfs, slots, idf[term], avgdl))
                doc_parts.append(docs + self._starts[s] if self._starts[s] else docs)
        docs, weights = np.concatenate(doc_parts), np.concatenate(weight_parts)
        slots = self._starts[-1] + len(self._segments[-1])
        if rows is not None:
            scores = np.bincount(docs, weights=weights, minlength=slots)[rows]
        elif len(docs) * 8 < n:  # few postings: aggregate only the touched documents
            rows, inverse = np.unique(docs, return_inverse=True)
            scores = np.bincount(inverse, weights=weights)
        elif slots == n:
            rows = None
            scores = np.bincount(docs, weights=weights, minlength=n)
        else:  # deleted slots: score the live documents only, as one index without them would
            rows = self._live_positions()
            scores = np.bincount(docs, weights=weights, minlength=slots)[rows]
        return self._ranked(rows, scores, k)

    def _ranked(self, positions: np.ndarray | None, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(id, score) of the ``k`` best positive ``scores``, which are those of ``positions`` (None:
        of every position); ties by position. Only the positive scores are ranked: selecting among
        millions of zeros (a common word's full scoring) took numpy's argpartition 0.7 s, not 35 ms."""
        order = np.flatnonzero(scores > 0)
        order = order[top_k(scores[order], k)]
        picked = order if positions is None else positions[order]
        return [(self._id_at(p), float(v)) for p, v in zip(picked.tolist(), scores[order].tolist())]

    def _scores_of(self, rows: np.ndarray, tokens: list[str], found: dict, idf: dict, avgdl: float) -> np.ndarray:
        """The BM25 scores of the documents at ``rows`` (ascending positions) alone, each looked up in
        the query terms' postings (binary search) instead of reading every posting: for a scope much
        smaller than the postings (a unit's reports at 10,000 reports). Summed term by term in the
        order ``search_tokens`` sums them: the same scores."""
        scores = np.zeros(len(rows), dtype=np.float64)
        bounds = np.searchsorted(rows, self._starts + [self._starts[-1] + len(self._segments[-1])])
        for term in tokens:  # repeated query terms count again
            for s, docs, tfs, slots in found.get(term, ()):
                first, last = bounds[s], bounds[s + 1]  # the rows inside segment s
                if first == last:
                    continue
                local = rows[first:last] - self._starts[s]
                at = np.minimum(np.searchsorted(docs, local), len(docs) - 1)
                hit = np.flatnonzero(docs[at] == local)
                if len(hit):
                    picked = at[hit]
                    scores[first + hit] += self._weights(s, docs[picked], tfs[picked], slots[picked], idf[term], avgdl)
        return scores

    def _weights(self, s: int, docs: np.ndarray, tfs: np.ndarray, slots: np.ndarray, idf: np.float32,
                 avgdl: float) -> np.ndarray:
        """The BM25 weights of postings of segment ``s``: idf · tf / (norm + tf) in float64, stored
        as float32 — bm25s's operations; the tf part comes from a small per-query table by
        (length, tf), computed for large tfs."""
        segment = self._segments[s]
        weight = np.take(segment.tf_table(self.k1, self.b, avgdl), slots)
        large = np.flatnonzero(tfs >= TF_SLOTS - 1)
        if len(large):
            tf = tfs[large].astype(np.float64)
            weight[large] = tf / (segment.norm(self.k1, self.b, avgdl)[docs[large]] + tf)
        weight *= np.float64(idf)
        return weight.astype(np.float32)

    def _top_by_bounds(self, tokens: list[str], found: dict, idf: dict, avgdl: float, k: int,
                       rows: np.ndarray | None, postings: int) -> list[tuple[str, float]] | None:
        """The top ``k`` without scoring every posting of the common terms (MaxScore): a term adds
        less than its idf to a document (tf / (norm + tf) < 1), so once the documents holding the
        rarer terms hold ``k`` whose scores from those terms alone beat every sum the other terms
        could add, no other document can enter the top ``k`` — nor any whose score from the rarer
        terms is short of the k-th by more than the others could add. Only the documents left get
        their full score (looked up in every term's postings), summed term by term in the order
        ``search_tokens`` sums them: same scores, same order, ties by position as there.
        ``rows``: the ascending positions the search is restricted to; ``postings``: how many the
        query terms have. None when the documents left are too many for this to pay (the caller
        scores every posting)."""
        occurrences: dict[str, int] = {}
        for term in tokens:
            if term in found:
                occurrences[term] = occurrences.get(term, 0) + 1
        terms = sorted(occurrences, key=lambda t: -occurrences[t] * float(idf[t]))
        bounds = [occurrences[t] * float(idf[t]) for t in terms]
        width = self._starts[-1] + len(self._segments[-1])  # every position, dead ones too
        inside = None
        if rows is not None:
            inside = np.zeros(width, dtype=bool)
            inside[rows] = True
        docs_parts, weight_parts = [], []
        for j in range(1, len(terms)):
            term = terms[j - 1]
            for s, docs, tfs, slots in found[term]:
                held = docs.astype(np.int64) + self._starts[s]
                weight = self._weights(s, docs, tfs, slots, idf[term], avgdl).astype(np.float64) * occurrences[term]
                if inside is not None:
                    keep = inside[held]
                    held, weight = held[keep], weight[keep]
                docs_parts.append(held)
                weight_parts.append(weight)
            rest = sum(bounds[j:]) * (1 + 1e-6)
            if sum(bounds[:j]) <= rest:
                continue  # no document can yet score more from these terms than the others could add
            held = np.concatenate(docs_parts)
            if len(held) * 8 < width:
                positions, inverse = np.unique(held, return_inverse=True)
                partial = np.bincount(inverse, weights=np.concatenate(weight_parts))  # ≤ the full scores
            else:  # many documents: one pass over every position, no sort
                partial = np.bincount(held, weights=np.concatenate(weight_parts), minlength=width)
                positions = np.flatnonzero(partial)
                partial = partial[positions]
            if len(positions) < k:
                continue
            kth = np.partition(partial, len(partial) - k)[len(partial) - k]
            if rest >= kth:
                continue
            left = partial + rest >= kth  # the others' bound could still lift these to the k-th
            positions = positions[left]
            if len(positions) * SCOPE_LOOKUP >= postings:
                return None
            return self._ranked(positions, self._scores_of(positions, tokens, found, idf, avgdl), k)
        return None

    def holding_all(self, terms: Iterable[str]) -> list[str]:
        """Ids of the live documents whose tokens include every one of ``terms`` (no term: none)."""
        self._freeze()
        postings = []
        for term in dict.fromkeys(terms):
            parts = [got[0].astype(np.int64) + start for segment, start in zip(self._segments, self._starts)
                     if (got := segment.postings(term)) is not None]
            if not parts:
                return []
            postings.append(np.concatenate(parts))
        if not postings:
            return []
        postings.sort(key=len)
        positions = postings[0]
        for other in postings[1:]:
            positions = np.intersect1d(positions, other, assume_unique=True)
        return [self._id_at(p) for p in positions.tolist()]

    def _positions_changed(self) -> None:
        self._live_rows = None
        self._by_number = None

    def _positions_of(self, numbers: np.ndarray) -> np.ndarray:
        """Ascending positions of the live documents whose passage number is one of ``numbers``."""
        if self._by_number is None:
            live = self._live_positions()
            keys = np.concatenate([s.numbers for s in self._segments])[live] if len(live) else live
            order = np.argsort(keys, kind="stable")
            self._by_number = (keys[order], live[order])
        keys, positions = self._by_number
        numbers = np.asarray(numbers, dtype=np.int64)
        if len(keys) == 0 or len(numbers) == 0:
            return np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, numbers), len(keys) - 1)
        return np.unique(positions[at[keys[at] == numbers]])

    def _live_positions(self) -> np.ndarray:
        if self._live_rows is None:
            self._live_rows = np.concatenate([np.zeros(0, dtype=np.int64)] + [np.flatnonzero(s.alive) + start
                                              for s, start in zip(self._segments, self._starts)])
        return self._live_rows

    def _id_at(self, position: int) -> str:
        s = bisect.bisect_right(self._starts, position) - 1
        return self._segments[s].doc_ids[position - self._starts[s]]

    # ------------------------------------------------------------------ persistence
    def persist(self, folder: Path, generation: int) -> dict:
        """Write into ``folder`` what is not on disk yet (files named by ``generation``) and
        return the manifest naming every segment of this state. Nothing in memory changes
        unless every file was written, so a failed persist can be retried."""
        folder = Path(folder)
        self._freeze()
        segments = self._segments
        first = next((i for i, s in enumerate(segments) if s.name is None), len(segments))
        new: Segment | None = None
        if first < len(segments) or self._removed:
            tail = segments[first:]
            removes = [] if first == 0 else sorted(self._removed.union(*(s.removes for s in tail)))
            if len(tail) == 1 and not tail[0].dead:
                new = tail[0]
                new.removes = removes
            else:
                new = Segment.merge(tail, removes)
        kept = segments[:first]
        while True:  # merge the newest segments while a run of them is due
            sizes = [s.live for s in kept] + ([new.live] if new is not None else [])
            start = _merge_start(sizes, [s.dead for s in kept] + ([0] if new is not None else []),
                                 [len(s) for s in kept] + ([len(new)] if new is not None else []))
            if start is None or start >= len(kept):
                break
            run = kept[start:] + ([new] if new is not None else [])
            removes = [] if start == 0 else sorted(set().union(*(s.removes for s in run)))
            new, kept = Segment.merge(run, removes), kept[:start]
        if new is not None:
            folder.mkdir(parents=True, exist_ok=True)
            taken = {s.name for s in self._segments}
            name = next(f"s{int(generation):06d}-{j}.npz" for j in range(len(taken) + 1)
                        if f"s{int(generation):06d}-{j}.npz" not in taken)  # a retried persist keeps its files
            new.write(folder / name)
            self._replace_tail(len(kept), new)
            self._removed.clear()
        self.loaded_format = FORMAT_VERSION
        return self.manifest()

    def manifest(self) -> dict:
        return {"format": FORMAT_VERSION, "k1": self.k1, "b": self.b, "bigrams": self.tokenizer.bigrams,
                "user_words": list(self.tokenizer.user_words), "documents": len(self),
                "segments": [s.name for s in self._segments]}

    @classmethod
    def restore(cls, folder: Path, manifest: dict) -> "LexicalIndex":
        """The index a manifest of ``persist`` describes."""
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {manifest.get('format')}, expected {FORMAT_VERSION}")
        index = cls(manifest["user_words"], manifest["k1"], manifest["b"], bigrams=manifest["bigrams"])
        for name in manifest["segments"]:
            index._append(Segment.read(Path(folder) / name))
        return index

    @staticmethod
    def files(manifest: dict) -> set[str]:
        """The file names a manifest refers to."""
        return set(manifest.get("segments", ()))

    def save(self, folder: Path) -> None:
        """Persist into ``folder`` with the manifest in ``lexical.json``; drops files it no longer uses."""
        folder = Path(folder)
        numbers = [int(m.group(1)) for p in folder.glob("s*.npz") if (m := SEGMENT_FILE.match(p.name))]
        manifest = self.persist(folder, max(numbers, default=0) + 1)
        write_bytes_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
        used = self.files(manifest) | {MANIFEST}
        for path in folder.iterdir():
            if path.is_file() and path.name not in used:
                with contextlib.suppress(OSError):
                    path.unlink()
        remove_stale_temporaries(folder)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        folder = Path(folder)
        manifest = read_json(folder / MANIFEST, "关键词索引清单", "keyword index manifest")
        if manifest is not None:
            return cls.restore(folder, manifest)
        if not (folder / FILE_NAME).is_file():
            raise missing(folder / MANIFEST, "关键词索引", "keyword index")
        return cls._load_format_1(folder)

    @classmethod
    def _load_format_1(cls, folder: Path) -> "LexicalIndex":
        """A version-1 index (tokens + bm25s matrix in one file) as one segment not yet on disk."""
        with saved_arrays(folder / FILE_NAME, "关键词索引", "keyword index") as data:
            header = json.loads(data["header"].tobytes().decode("utf-8"))
            if header.get("format") != 1:
                raise ValueError(f"format {header.get('format')}, expected 1 or {FORMAT_VERSION}")
            index = cls(header["user_words"], header["k1"], header["b"], bigrams=header.get("bigrams", False))
            doc_ids = split_strings(data["doc_ids"], header["documents"])
            terms = split_strings(data["terms"], header["terms"])
            segment = Segment.from_token_ids(doc_ids, data["tokens"].astype(np.int32),
                                             data["offsets"].astype(np.int64), terms)
        if len(doc_ids):
            index._append(segment)
        index.loaded_format = 1
        return index


def _merge_start(sizes: list[int], dead: list[int], slots: list[int]) -> int | None:
    """Where the run of segments to merge starts (it always runs to the newest), or None."""
    if len(sizes) < 2:
        return None
    worn = [i for i in range(len(sizes) - 1) if slots[i] and dead[i] >= DEAD_FRACTION * slots[i]]
    if worn:
        return worn[0]
    level = tier(sizes[-1])
    start = len(sizes) - 1
    while start > 0 and tier(sizes[start - 1]) <= level:
        start -= 1
    return start if len(sizes) - start >= FANOUT else None
