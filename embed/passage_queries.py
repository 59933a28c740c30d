"""Reading a passage index: counts, the consistency audit, dense and keyword search, passages
by IRI or by number, facet values and search scopes.

``PassageQueries`` is the read side of ``embed.passage_index.PassageIndex``, which inherits it:
queries over the ``passages`` and ``facets`` tables of ``passages.sqlite`` (the connection
``conn``) and over the in-memory ``vectors`` and ``lexical_index``. The table layout and the
kinds that take no vector are defined here, below the writer that fills them.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable

import numpy as np

from embed.base import Passage
from embed.passage_ids import passage_ids

_COLUMNS = "iri, report, text, page, section, kind, source, entities, facets"

#: Passage kinds kept in SQLite and the keyword index only: not embedded, never returned by dense
#: search. A ``budget_line`` restates one row of a standard table (科目 code and name, amounts),
#: words and numbers BM25 matches as printed. On the 30-report corpus they are 3,328 of 12,117
#: passages and took 11 of USE's 55 CPU seconds of embedding; without them ingest CPU fell 10–14 %
#: (bench/ingest_bench.py, medians of 3: 1 worker 108 → 95 s, 2 workers 120 → 103 s), the nine
#: question sets and the public set failed the same ids (bench/ask_accuracy.py), and hybrid
#: Recall@5 held or rose on 8 of the 9 retrieval sets, set 2 0.782 → 0.779 by one query
#: (bench/retrieval_eval.py; bench/results_budget_lines_lexical_only.txt).
LEXICAL_ONLY_KINDS = frozenset({"budget_line"})
_LEXICAL_ONLY = tuple(sorted(LEXICAL_ONLY_KINDS))
_TAKES_VECTOR = f"kind NOT IN ({','.join('?' * len(_LEXICAL_ONLY))})"
_CJK_ONLY = re.compile(r"(?:(?![第号])[\u4e00-\u9fff]){2,}")  # not 第 or 号, which a document number's tokens drop
_DISTINCT_VALUES = """WITH RECURSIVE v(value) AS (
  SELECT (SELECT MIN(value) FROM facets WHERE key = ?)
  UNION ALL SELECT (SELECT MIN(value) FROM facets WHERE key = ? AND value > v.value) FROM v WHERE v.value IS NOT NULL)
SELECT value FROM v WHERE value IS NOT NULL"""


def takes_vector(kind: str | None) -> bool:
    """Whether passages of ``kind`` are embedded (not one of ``LEXICAL_ONLY_KINDS``)."""
    return kind not in LEXICAL_ONLY_KINDS


def _passage(row: sqlite3.Row | tuple) -> Passage:
    iri, report, text, page, section, kind, source, entities, facets = row
    return Passage(id=iri, text=text, report=report, source=source, page=page, section=section,
                   kind=kind, entities=json.loads(entities), facets=json.loads(facets))


class PassageQueries:
    """The queries of a passage index (``PassageIndex``): it provides ``conn``, ``vectors``,
    ``lexical_index``, ``embedder``, ``folder`` and the ``_facet_values`` cache."""

    def __len__(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]

    @property
    def kind(self) -> str:
        return getattr(self.vectors, "kind", "flat")

    def reports(self) -> list[str]:
        return [r for (r,) in self.conn.execute("SELECT DISTINCT report FROM passages ORDER BY report")]

    def report_counts(self) -> dict[str, int]:
        """Passages stored per report IRI."""
        return dict(self.conn.execute("SELECT report, COUNT(*) FROM passages GROUP BY report"))

    def audit(self) -> list[str]:
        """Disagreements between the passage rows and the committed vector and keyword indexes
        (each a user message; empty when every row is searchable by keywords and every row of a
        kind that takes a vector has one, and no other vector is held)."""
        rows = dict(self.conn.execute("SELECT id, iri FROM passages"))
        embedded = {pid for (pid,) in self.conn.execute(f"SELECT id FROM passages WHERE {_TAKES_VECTOR}",
                                                        _LEXICAL_ONLY)}
        problems = []
        vector_ids = set(self.vectors.ids().tolist())
        unembedded = (vector_ids - embedded) & set(rows)
        if unembedded:
            kinds = "/".join(_LEXICAL_ONLY)
            problems.append(f"索引中有 {len(unembedded)} 个 {kinds} 段落的向量，这类段落现在只用关键词检索（旧版本建立的索引）；"
                            f"请运行 budgetkg reindex --store {self.folder.parent} (the index holds {len(unembedded)} "
                            f"vectors of {kinds} passages, which are searched by keywords only now: an index built by "
                            f"an older version; run `budgetkg reindex --store {self.folder.parent}`)")
        if vector_ids - unembedded != embedded:
            problems.append(f"向量数 {len(vector_ids - unembedded)} 与应有向量的段落行数 {len(embedded)} 不符，或 id 不一致 "
                            f"(vector count {len(vector_ids - unembedded)} vs {len(embedded)} passage rows that take "
                            f"one, or ids differ: {len(embedded - vector_ids)} rows without a vector, "
                            f"{len(vector_ids - set(rows))} vectors without a row)")
        lexical_ids = set(self.lexical_index.ids())
        iris = set(rows.values())
        if lexical_ids != iris:
            problems.append(f"关键词索引有 {len(lexical_ids)} 篇，段落行 {len(iris)} 条，不一致 "
                            f"(keyword index holds {len(lexical_ids)} documents for {len(iris)} passage rows: "
                            f"{len(iris - lexical_ids)} missing, {len(lexical_ids - iris)} extra)")
        return problems

    def embed_query(self, query: str) -> np.ndarray:
        return self.embedder.encode([query])[0]

    def dense(self, query: str | np.ndarray, k: int = 10,
              allowed: set[str] | np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``k`` (passage IRI, cosine) for a query text or an already embedded query, within
        ``allowed`` passage IRIs or numbers when given; never a passage of ``LEXICAL_ONLY_KINDS``
        (not even where an older index holds its vector)."""
        vector = self.embed_query(query) if isinstance(query, str) else np.asarray(query, dtype=np.float32)
        allowed_ids = None
        if allowed is not None:
            if len(allowed) == 0:
                return []
            allowed_ids = allowed if isinstance(allowed, np.ndarray) else passage_ids(allowed)
        hits = self.vectors.search(vector, k, allowed_ids)
        if not hits:
            return []
        marks = ",".join("?" * len(hits))
        iris = dict(self.conn.execute(f"SELECT id, iri FROM passages WHERE id IN ({marks}) AND {_TAKES_VECTOR}",
                                      [h.id for h in hits] + list(_LEXICAL_ONLY)))
        return [(iris[h.id], h.score) for h in hits if h.id in iris]

    def lexical(self, query: str, k: int = 10,
                allowed: set[str] | np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``k`` (passage IRI, BM25 score) by keywords, within ``allowed`` IRIs or numbers when given."""
        return self.lexical_index.search(query, k, allowed)

    def get(self, iris: Iterable[str]) -> list[Passage]:
        """Passages by IRI, in the order asked; unknown IRIs are skipped."""
        iris = list(iris)
        found: dict[str, Passage] = {}
        for chunk in _chunks(iris, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {_COLUMNS} FROM passages WHERE iri IN ({marks})", chunk):
                found[row[0]] = _passage(row)
        return [found[iri] for iri in iris if iri in found]

    def get_numbered(self, numbers: np.ndarray) -> list[Passage]:
        """Passages by number (``numbers_where``), in the order asked; unknown numbers are skipped."""
        found: dict[int, Passage] = {}
        numbers = [int(n) for n in numbers]
        for chunk in _chunks(numbers, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT id, {_COLUMNS} FROM passages WHERE id IN ({marks})", chunk):
                found[row[0]] = _passage(row[1:])
        return [found[n] for n in numbers if n in found]

    def mentions(self, fragment: str) -> bool:
        """Whether any passage's text contains ``fragment`` as stored. A run of Chinese characters
        is looked for only in the passages whose keyword tokens hold each of its pairs of adjacent
        characters — the tokenizer makes a token of every such pair of the text, which only 第 and
        号 of a document number can leave out — not in every passage's text."""
        escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = "text LIKE ? ESCAPE '\\'"
        if not (_CJK_ONLY.fullmatch(fragment) and getattr(self.lexical_index.tokenizer, "bigrams", False)):
            return self.conn.execute(f"SELECT 1 FROM passages WHERE {like} LIMIT 1", (f"%{escaped}%",)).fetchone() is not None
        candidates = self.lexical_index.holding_all(fragment[i:i + 2] for i in range(len(fragment) - 1))
        for chunk in _chunks(candidates, 500):
            marks = ",".join("?" * len(chunk))
            if self.conn.execute(f"SELECT 1 FROM passages WHERE iri IN ({marks}) AND {like} LIMIT 1",
                                 [*chunk, f"%{escaped}%"]).fetchone() is not None:
                return True
        return False

    def facet_values(self, keys: Iterable[str]) -> list[tuple[str, str]]:
        """The distinct (key, value) pairs of the facets named ``keys``, by key then value: one
        seek in the (key, value) index per value, not a pass over every facet row; kept until
        the passages change."""
        keys = tuple(sorted(set(keys)))
        if keys not in self._facet_values:
            self._facet_values[keys] = [(key, value) for key in keys
                                        for (value,) in self.conn.execute(_DISTINCT_VALUES, (key, key))]
        return list(self._facet_values[keys])

    def ids_where(self, **facets) -> set[str]:
        """Passage IRIs matching every facet; a value may be a list/set (any of).

        ``report`` and ``kind`` match the passage's columns, other keys its facets
        (``unit=…``, ``year=2024`` …). No facets: every passage.
        """
        where, params = _facet_filter(facets)
        if where is None:
            return set()
        return {iri for (iri,) in self.conn.execute(f"SELECT p.iri FROM passages p WHERE {where}", params)}

    def numbers_where(self, **facets) -> np.ndarray:
        """The numbers (sorted int64) of the passages ``ids_where`` names: a search scope that
        reads no IRI (at 10,000 reports a year holds some 400,000 passages)."""
        where, params = _facet_filter(facets)
        if where is None:
            return np.zeros(0, dtype=np.int64)
        cursor = self.conn.cursor()
        cursor.row_factory = lambda _, row: row[0]
        numbers = np.fromiter(cursor.execute(f"SELECT p.id FROM passages p WHERE {where}", params), dtype=np.int64)
        numbers.sort()
        return numbers


def _facet_filter(facets: dict) -> tuple[str | None, list]:
    """The WHERE clause over ``passages p`` for ``ids_where``'s facets; None when a list is empty."""
    clauses, params = [], []
    for key, value in facets.items():
        values = [str(v) for v in value] if isinstance(value, (list, tuple, set, frozenset)) else [str(value)]
        if not values:
            return None, []
        marks = ",".join("?" * len(values))
        if key in ("report", "kind", "source"):
            clauses.append(f"p.{key} IN ({marks})")
        else:
            clauses.append(f"p.id IN (SELECT passage FROM facets WHERE key = ? AND value IN ({marks}))")
            params.append(key)
        params.extend(values)
    return " AND ".join(clauses) or "1", params


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
