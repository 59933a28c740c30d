"""The on-disk retrieval store for passages: rows in SQLite, vectors in FAISS, BM25 terms.

Folder layout::

    meta.json            embedder name, dimension, index kind, counts, schema version
    passages.sqlite      passage rows, facet rows, the committed state (WAL mode)
    vectors/             FaissIndex files: a base (b000007-0.faiss + ids) and deltas (d000009-0.npz …)
    lexical/             LexicalIndex segments (s000004-0.npz …)

Changes (``replace_report`` / ``remove_report``) go to an open SQLite transaction and to
the in-memory indexes. ``commit`` has each changed index write only what is not on disk
yet — a vector delta and a keyword segment the size of the change, a whole base or a
merged segment now and then (``embed/plugins/faiss_index.py``, ``embed/lexical.py``) —
each file under a new name, then commits the SQLite transaction that records the
indexes' manifests (which files make each one) and generation numbers — that single
commit is the switch — then rewrites ``meta.json`` and deletes the files no manifest
names. The same commit records the store generation the caller passes (``store.corpus``
keeps it equal to the manifest's), so a check can tell which store state the index holds.
A crash at any step leaves the previous state, whose files the SQLite rows still name,
complete and readable; files a crashed commit left are removed at the next open (those of
older generations) or after the next commit.

Schema 1 stores (a whole FAISS/BM25 copy per commit in ``vectors/gNNNNNN/`` and
``lexical/gNNNNNN/``) open as they are; their first commit writes them in this layout.

Passage int64 ids — the SQLite row id, the FAISS id and the keyword index's document number —
are the passage numbers of ``embed/passage_ids.py`` (sha256 of the IRI), stable across
rebuilds; a collision is detected and refused. A scope is best given to ``dense`` and
``lexical`` as an array of them (``numbers_where``): no IRI of its passages is read.

Every passage has a row and a keyword document; every passage whose kind is not in
``LEXICAL_ONLY_KINDS`` also has a vector, and no other one does. An index written before a
kind went lexical-only still holds vectors of that kind: it opens and searches as it is (dense
search skips them), ``audit`` names them and ``budgetkg reindex`` drops them.

This module opens, changes and commits the index; reading it (counts, audit, dense and keyword
search, passages by IRI or number, facets) is ``embed.passage_queries.PassageQueries``, which
``PassageIndex`` inherits.
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from kg.atomic_io import write_bytes_atomic
from embed.base import Embedder, Passage
from embed.index_files import REPAIR
from embed.index_meta import (DATABASE, META, SCHEMA_VERSION, _check_model, _mismatch_message, _never_committed,
                              _other_model, _read_meta, never_committed, read_meta)
from embed.lexical import LexicalIndex
from embed.passage_ids import passage_id
from embed.passage_queries import LEXICAL_ONLY_KINDS  # noqa: F401  (re-exported: where callers look for it)
from embed.passage_queries import _COLUMNS, PassageQueries, _chunks, takes_vector
from kg import registry
from kg.errors import ModelMismatch, StoreError

EMBED_BATCH = 64
COMPONENTS = ("vectors", "lexical")
_NUMBERED = re.compile(r"^[gbds](\d{6})(?:-\d+)?(?:\.|$)")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, report TEXT NOT NULL, text TEXT NOT NULL,
    page INTEGER, section TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
    entities TEXT NOT NULL, facets TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS passages_report ON passages(report);
CREATE TABLE IF NOT EXISTS facets (passage INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facets_key_value ON facets(key, value);
CREATE INDEX IF NOT EXISTS facets_passage ON facets(passage);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


_HEADING_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[（(]?[一二三四五六七八九十\d]+[)）、.．]?)\s*")


def keyword_text(text: str, section: str | None) -> str:
    """The words the keyword index holds for a passage: its text and the heading it sits under
    (一、部门职责 for a duty list that never says 职责; 三、2026年主要工作目标 for the targets
    listed below it). Only the keyword index: the embedded text stays the passage's own."""
    heading = _HEADING_NUMBER.sub("", (section or "").split(" / ")[-1].strip())
    return f"{heading}\n{text}" if len(heading) >= 2 and heading not in text else text


def _row(passage: Passage) -> tuple:
    return (passage_id(passage.id), passage.id, passage.report, passage.text, passage.page,
            passage.section or "", passage.kind or "paragraph", passage.source or "",
            json.dumps(list(passage.entities), ensure_ascii=False),
            json.dumps({str(k): str(v) for k, v in passage.facets.items()}, ensure_ascii=False, sort_keys=True))


class PassageIndex(PassageQueries):
    """Passages with dense (FAISS) and keyword (BM25) search, stored in one folder."""

    def __init__(self, folder: Path, embedder: Embedder, conn: sqlite3.Connection, vectors, lexical,
                 generations: dict[str, int], build_threshold: int, store_generation: int = 0,
                 manifests: dict[str, dict] | None = None):
        self.folder = folder
        self.embedder = embedder
        self._conn = conn
        self.vectors = vectors
        self.lexical_index: LexicalIndex = lexical
        self._generations = generations
        self._dirty = {"vectors": False, "lexical": False}
        self.build_threshold = build_threshold
        self.store_generation = store_generation
        self._manifests = dict(manifests or {})  # committed manifest per index; absent: schema 1 folder or none
        self._facet_values: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # until the passages change
        # (passages, reports) as this connection sees them, for meta.json: counted once, then kept by
        # replace_report (two scans a commit cost 0.05 s at 270,000 passages); None: count again
        self._counts: tuple[int, int] | None = None

    # ------------------------------------------------------------------ open
    @classmethod
    def open(cls, folder: str | Path, embedder: Embedder, build_threshold: int | None = None,
             ondisk_above: int | None = None) -> "PassageIndex":
        """Open the store in ``folder``, creating it if needed; refuses another model's index.
        ``build_threshold`` / ``ondisk_above``: the vector index's size rules (flat → IVF, in-memory
        → on-disk base); None keeps what the index recorded (a new one: FaissIndex's defaults)."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder} 不是文件夹 (is not a folder): 请给出索引文件夹路径 (give the index folder)")
        meta = _read_meta(folder)
        if meta is not None and _other_model(meta, embedder) and never_committed(folder):
            meta = None  # a writer killed before its first commit left no vector: the index takes this model
        elif meta is not None:
            _check_model(folder, meta, embedder)
        elif folder.is_dir() and (folder / DATABASE).exists() and not _never_committed(folder / DATABASE):
            raise StoreError(f"索引文件夹 {folder} 缺少 {META}，无法确认所用模型 (index folder lacks {META}; "
                             f"{REPAIR})")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(folder / DATABASE, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA synchronous=FULL")
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'state'").fetchone() is None:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
            state = dict(conn.execute("SELECT key, value FROM state").fetchall())
        except sqlite3.DatabaseError as err:
            raise StoreError(f"索引数据库无法打开：{folder / DATABASE}（{err}）(passage database cannot be opened; "
                             f"it may be locked by another process or corrupt — {REPAIR})") from None
        for attempt in (1, 2):
            try:
                return cls._load(folder, embedder, conn, state, (build_threshold, ondisk_above), meta is None)
            except StoreError:
                if attempt == 2:
                    conn.close()
                    raise
                # a writer may have committed and dropped files of the state read: read it again
                state = dict(conn.execute("SELECT key, value FROM state").fetchall())

    @classmethod
    def _load(cls, folder: Path, embedder: Embedder, conn: sqlite3.Connection, state: dict,
              rules: tuple[int | None, int | None], new_meta: bool) -> "PassageIndex":
        generations = {name: int(state.get(f"{name}_generation", 0)) for name in COMPONENTS}
        manifests = {name: json.loads(state[f"{name}_manifest"]) for name in COMPONENTS
                     if f"{name}_manifest" in state}
        faiss_cls = registry.get("index", "faiss")
        if "vectors" in manifests:
            vectors = faiss_cls.restore(folder / "vectors", manifests["vectors"])
        elif generations["vectors"]:
            vectors = faiss_cls.load(_gen_folder(folder, "vectors", generations["vectors"]))
        else:
            vectors = faiss_cls(embedder.dimension)
        build_threshold, ondisk_above = rules
        vectors.configure(build_threshold, ondisk_above)
        try:
            if "lexical" in manifests:
                lexical = LexicalIndex.restore(folder / "lexical", manifests["lexical"])
            elif generations["lexical"]:
                lexical = LexicalIndex.load(_gen_folder(folder, "lexical", generations["lexical"]))
            else:
                lexical = LexicalIndex()
        except ValueError as err:
            raise StoreError(f"关键词索引无法读取：{folder / 'lexical'}（{err}）(keyword index cannot be read; "
                             f"{REPAIR})") from None
        if vectors.dimension != embedder.dimension:
            raise ModelMismatch(_mismatch_message(folder, state.get("embedder", "?"), vectors.dimension, embedder))
        index = cls(folder, embedder, conn, vectors, lexical, generations, vectors.build_threshold,
                    int(state.get("store_generation", 0)), manifests)
        index._remove_unused_files(after_commit=False)
        if new_meta:
            index._write_meta()
        return index

    def close(self) -> None:
        """Close the database; uncommitted changes are discarded."""
        if self._conn is not None:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "PassageIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("索引已关闭 (the passage index is closed): 请重新打开 (open it again)")
        return self._conn

    # ------------------------------------------------------------------ updates
    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    def add_words(self, words: Iterable[str]) -> None:
        """Names (projects, units) the keyword tokenizer must keep whole; call before ingesting."""
        before = len(self.lexical_index.tokenizer.user_words)
        self.lexical_index.add_words(words)
        if len(self.lexical_index.tokenizer.user_words) != before:
            self._dirty["lexical"] = True

    def replace_report(self, report_iri: str, passages: list[Passage], vectors: np.ndarray | None = None,
                       tokens: list[list[str]] | None = None, lists: np.ndarray | None = None,
                       quantizer: str | None = None) -> None:
        """Make ``passages`` the complete set of passages of ``report_iri``.

        Passages gone from the report are removed, changed texts re-embedded, unchanged
        ones left alone: re-ingesting the same report changes nothing. Passages of
        ``LEXICAL_ONLY_KINDS`` get a row and keyword tokens but no vector.

        Made elsewhere beforehand (an ingest worker, while the writer commits): ``vectors``, the
        embeddings by this index's model of the passages that take one (``takes_vector``), row for
        row with them in order, and ``tokens``, the keyword tokens of every passage by a default
        ``ChineseTokenizer``, row for row with ``passages`` (ignored when this index's tokenizer is
        not one: it has user words, or an older index made no bigrams); otherwise both are made here.
        ``lists``: the vectors' inverted lists found by the IVF quantizer whose fingerprint is
        ``quantizer`` (a cluster worker's shard); the vector index uses them if it is still its own.
        """
        self._facet_values.clear()
        embedded = {p.id: i for i, p in enumerate(p for p in passages if takes_vector(p.kind))}
        if vectors is not None and (len(vectors) != len(embedded) or vectors.shape[1:] != (self.embedder.dimension,)):
            raise ValueError(f"{len(vectors)} vectors of shape {vectors.shape[1:]} for {len(embedded)} passages "
                             f"to embed of dimension {self.embedder.dimension}")
        seen: dict[int, str] = {}
        for passage in passages:
            if passage.report != report_iri:
                raise ValueError(f"passage {passage.id} belongs to {passage.report}, not {report_iri}")
            pid = passage_id(passage.id)
            if seen.setdefault(pid, passage.id) != passage.id:
                raise StoreError(f"段落 id 冲突：{passage.id} 与 {seen[pid]} (passage ids collide)")
        old = {row[1]: row for row in self.conn.execute(
            f"SELECT id, {_COLUMNS} FROM passages WHERE report = ?", (report_iri,))}
        new_rows = {p.id: _row(p) for p in passages}
        elsewhere = self._stored_elsewhere([row for iri, row in new_rows.items() if iri not in old])
        gone = [row for iri, row in old.items() if iri not in new_rows]
        changed = [row for iri, row in new_rows.items() if tuple(old.get(iri, ())) != row]
        if not gone and not changed:
            return
        # a passage IRI that moved here from another report is replaced, not duplicated
        stored = {**elsewhere, **{iri: (row[3], row[6]) for iri, row in old.items()}}
        texts = {iri: text for iri, (text, _) in stored.items()}
        embedded_texts = {iri: text for iri, (text, kind) in stored.items() if takes_vector(kind)}
        to_tokenize = [row for row in changed if texts.get(row[1]) != row[3]]
        to_embed = [row for row in changed if takes_vector(row[6]) and embedded_texts.get(row[1]) != row[3]]
        drop_vectors = [row[0] for row in gone] + [row[0] for row in changed if not takes_vector(row[6])]
        made = {p.id: i for i, p in enumerate(passages)}
        shard = {}
        if vectors is not None and lists is not None and quantizer is not None and len(lists) == len(embedded):
            shard = {"lists": np.asarray(lists, dtype=np.int64)[[embedded[row[1]] for row in to_embed]],
                     "quantizer": quantizer}
        if vectors is None:
            vectors = self._embed([row[3] for row in to_embed])
        else:
            vectors = np.ascontiguousarray(vectors[[embedded[row[1]] for row in to_embed]], dtype=np.float32)
            vectors = vectors.reshape(len(to_embed), self.embedder.dimension)
        tokenizer = self.lexical_index.tokenizer
        if tokens is not None and (len(tokens) != len(passages) or tokenizer.user_words or not tokenizer.bigrams):
            tokens = None
        self._begin()
        self._delete_rows([row[0] for row in gone + changed])
        self.conn.executemany(f"INSERT INTO passages (id, {_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", changed)
        self.conn.executemany("INSERT INTO facets (passage, key, value) VALUES (?,?,?)",
                              [(row[0], key, value) for row in changed for key, value in json.loads(row[9]).items()])
        if drop_vectors:
            self.vectors.remove(np.asarray(drop_vectors, dtype=np.int64))
        if to_embed:
            self.vectors.add(np.asarray([row[0] for row in to_embed], dtype=np.int64), vectors, **shard)
        if gone:
            self.lexical_index.remove([row[1] for row in gone])
        for row in to_tokenize:
            if tokens is None:
                self.lexical_index.add(row[1], keyword_text(row[3], row[5]))
            else:
                self.lexical_index.add_tokens(row[1], tokens[made[row[1]]])
        self._dirty["vectors"] = self._dirty["vectors"] or bool(drop_vectors or to_embed)
        self._dirty["lexical"] = self._dirty["lexical"] or bool(gone or to_tokenize)
        self._recount(old, new_rows, gone, changed, elsewhere)

    def _recount(self, old: dict, new_rows: dict, gone: list, changed: list, elsewhere: dict) -> None:
        """Keep ``_counts`` for a report whose rows go from ``old`` to ``new_rows``."""
        if self._counts is None:
            return
        if elsewhere:  # rows leave another report, which may be left with none
            self._counts = None
            return
        passages, reports = self._counts
        passages += len(changed) - len(gone) - sum(1 for row in changed if row[1] in old)
        reports += (1 if new_rows and not old else 0) - (1 if old and not new_rows else 0)
        self._counts = passages, reports

    def _counted(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (len(self), self.conn.execute("SELECT COUNT(DISTINCT report) FROM passages").fetchone()[0])
        return self._counts

    def remove_report(self, report_iri: str) -> None:
        """Remove every passage of ``report_iri`` (nothing happens if it has none)."""
        self.replace_report(report_iri, [])

    def _stored_elsewhere(self, rows: list[tuple]) -> dict[str, tuple[str, str]]:
        """(text, kind) of ``rows`` already stored under another report, by IRI; a stored passage
        with the same id but another IRI is a hash collision and refused."""
        iri_of = {row[0]: row[1] for row in rows}
        out = {}
        for chunk in _chunks(list(iri_of), 500):
            marks = ",".join("?" * len(chunk))
            for pid, iri, text, kind in self.conn.execute(
                    f"SELECT id, iri, text, kind FROM passages WHERE id IN ({marks})", chunk):
                if iri != iri_of[pid]:
                    raise StoreError(f"段落 id 冲突：{iri_of[pid]} 与已有的 {iri} 哈希相同 (passage id collision; "
                                     f"rename one of the passages)")
                out[iri] = (text, kind)
        return out

    def _delete_rows(self, ids: list[int]) -> None:
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM passages WHERE id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM facets WHERE passage IN ({marks})", chunk)

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        # one call: an embedder may share work across a report's passages (USE does)
        return np.ascontiguousarray(self.embedder.encode(texts, batch_size=EMBED_BATCH), dtype=np.float32)

    # ------------------------------------------------------------------ commit
    def commit(self, store_generation: int | None = None) -> None:
        """Persist all changes (and ``store_generation`` when given) in one switch; a crash
        part-way leaves the previous commit readable."""
        if any(self._dirty.values()):  # an index still in schema 1 folders is written in the new layout
            self._dirty.update({name: True for name in COMPONENTS
                                if self._generations[name] and name not in self._manifests})
        pending = {name: gen + 1 for name, gen in self._generations.items() if self._dirty[name]}
        manifests = {}
        # files written here under new names are named by no committed state until the switch; if
        # it fails they stay (the in-memory indexes count them as written) until a commit drops them
        if "vectors" in pending:
            manifests["vectors"] = self.vectors.persist(self.folder / "vectors", pending["vectors"])
        if "lexical" in pending:
            manifests["lexical"] = self.lexical_index.persist(self.folder / "lexical", pending["lexical"])
        self._begin()
        marks = [] if store_generation is None else [("store_generation", str(int(store_generation)))]
        self.conn.executemany("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                              [(f"{name}_generation", str(gen)) for name, gen in pending.items()]
                              + [(f"{name}_manifest", json.dumps(manifest, ensure_ascii=False))
                                 for name, manifest in manifests.items()]
                              + [("embedder", self.embedder.name)] + marks)
        self.conn.execute("COMMIT")
        self._generations.update(pending)
        self._manifests.update(manifests)
        if store_generation is not None:
            self.store_generation = int(store_generation)
        self._dirty = {"vectors": False, "lexical": False}
        self._write_meta()
        self._remove_unused_files(after_commit=True)

    def _write_meta(self) -> None:
        passages, reports = self._counted()
        meta = {"schema": SCHEMA_VERSION, "embedder": self.embedder.name, "dimension": self.embedder.dimension,
                "index_kind": self.kind, "passages": passages, "reports": reports,
                "vectors": len(self.vectors), "lexical_documents": len(self.lexical_index),
                "generations": self._generations, "build_threshold": self.build_threshold}
        write_bytes_atomic(self.folder / META, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))

    def _remove_unused_files(self, after_commit: bool) -> None:
        """Delete what no committed manifest names. On open only files numbered at most the
        committed generation go (a running writer's new files carry a higher number); after
        this process's own commit (it holds the writer lock) everything unused goes."""
        for name in COMPONENTS:
            parent = self.folder / name
            if not parent.is_dir():
                continue
            manifest, current = self._manifests.get(name), self._generations[name]
            component = self.vectors if name == "vectors" else self.lexical_index
            used = component.files(manifest) if manifest else ({f"g{current:06d}"} if current else set())
            for child in parent.iterdir():
                if child.name in used:
                    continue
                number = _NUMBERED.match(child.name)
                if not after_commit and (number is None or int(number.group(1)) > current):
                    continue
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        child.unlink()


def _gen_folder(folder: Path, name: str, generation: int) -> Path:
    return folder / name / f"g{generation:06d}"
