"""What an index folder says about itself: its ``meta.json`` (schema, embedder, dimension, counts)
and whether anything was ever committed to it — read before the index opens, to refuse another
model's vectors with a message that names the command to re-embed, and to let an index a killed
writer never committed take the next model."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from embed.base import Embedder
from embed.index_files import REPAIR, read_json
from kg.errors import ModelMismatch, StoreError

SCHEMA_VERSION = 2
READABLE_SCHEMAS = (1, 2)
META = "meta.json"
DATABASE = "passages.sqlite"


def read_meta(folder: Path) -> dict | None:
    """The index's ``meta.json`` (embedder, dimension, counts), ``None`` when there is none."""
    return _read_meta(Path(folder))


def never_committed(folder: Path) -> bool:
    """No passage and no generation was ever committed to the index in ``folder`` (a writer was
    killed first): there is no model to confirm and nothing to lose."""
    database = Path(folder) / DATABASE
    return not database.exists() or _never_committed(database)


def _never_committed(database: Path) -> bool:
    """An index whose creation was interrupted before its first ``meta.json``: no passage and no
    generation was ever committed, so there is no model to confirm and nothing to lose. A writer
    killed while it created the database leaves a hot rollback journal, which a read-only
    connection cannot roll back: the database is then looked at read-write, which rolls it back."""
    for mode in ("ro", "rw"):
        found = _committed_nothing(database, mode)
        if found is not None:
            return found
    return False


def _committed_nothing(database: Path, mode: str) -> bool | None:
    """``_never_committed`` through a connection of ``mode``; None when it cannot be read so."""
    try:
        conn = sqlite3.connect(f"file:{database}?mode={mode}", uri=True, timeout=10)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "passages" in tables and conn.execute("SELECT 1 FROM passages LIMIT 1").fetchone():
                return False
            if "state" in tables:
                state = dict(conn.execute("SELECT key, value FROM state").fetchall())
                return not any(int(state.get(k, 0) or 0) for k in ("vectors_generation", "lexical_generation"))
            return True
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None


def _read_meta(folder: Path) -> dict | None:
    meta = read_json(folder / META, "索引元数据", "index metadata")
    if meta is None:
        return None
    if meta.get("schema") not in READABLE_SCHEMAS:
        raise StoreError(f"索引格式版本 {meta.get('schema')} 与本程序（{SCHEMA_VERSION}）不符 "
                         f"(index schema version differs from this program's; {REPAIR})")
    return meta


def _other_model(meta: dict, embedder: Embedder) -> bool:
    return meta.get("embedder") != embedder.name or int(meta.get("dimension", -1)) != embedder.dimension


def _check_model(folder: Path, meta: dict, embedder: Embedder) -> None:
    if _other_model(meta, embedder):
        raise ModelMismatch(_mismatch_message(folder, meta.get("embedder", "?"), meta.get("dimension", "?"), embedder))


def _mismatch_message(folder: Path, recorded: str, dimension, embedder: Embedder) -> str:
    store = folder.parent
    return (f"索引 {folder} 是用嵌入模型 {recorded}（{dimension} 维）建立的，但本次给出的是 "
            f"{embedder.name}（{embedder.dimension} 维），两者的向量不可混用。"
            f"请使用 --model {recorded}，或用新模型重新嵌入整个存储：budgetkg reindex --store {store} "
            f"--model {embedder.name} (the index in {folder} was built with model {recorded} ({dimension}-d) but "
            f"{embedder.name} ({embedder.dimension}-d) was given; pass --model {recorded}, or re-embed the store "
            f"with `budgetkg reindex --store {store} --model {embedder.name}`)")

