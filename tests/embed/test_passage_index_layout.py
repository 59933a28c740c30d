"""The passage index's files: a commit writes files the size of the change; a schema-1 index
(whole copies per generation) opens as it is and is rewritten by its first commit; opening
never deletes files a running writer may be writing."""
from __future__ import annotations

import json
import sqlite3

import faiss
import numpy as np

from embed.passage_index import PassageIndex, keyword_text
from embed.plugins.hashing import HashingEmbedder
from tests.embed.test_lexical_index import write_format_1
from tests.embed.test_passage_index import R1, R2, TEXTS_1, TEXTS_2, passages


def files(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and p.parent.name in ("vectors", "lexical")}


def big(report, count):
    return passages(report, [f"项目{i}号 经费 {i * 1.5:.2f} 万元" for i in range(count)], "大同", "2024")


def test_a_commit_writes_the_change_beside_the_files_it_keeps(tmp_path):
    with PassageIndex.open(tmp_path / "idx", HashingEmbedder(32), build_threshold=100) as index:
        index.replace_report(R1, big(R1, 600))
        index.commit()
        before = files(index.folder)
        assert sorted(before) == ["lexical/s000001-0.npz", "vectors/b000001-0.faiss", "vectors/b000001-0.ids.npy"]
        index.replace_report(R2, passages(R2, TEXTS_2, "汾阳", "2023"))
        index.commit()
        after = files(index.folder)
        assert {k: v for k, v in after.items() if k in before} == before  # kept, untouched
        assert sorted(set(after) - set(before)) == ["lexical/s000002-0.npz", "vectors/d000002-0.npz"]
        assert index.lexical("晋财社〔2019〕1号", 1)[0][0] == f"{R2}#p0"
    with PassageIndex.open(tmp_path / "idx", HashingEmbedder(32)) as reopened:
        assert len(reopened) == 603 and len(reopened.vectors) == 603 and len(reopened.lexical_index) == 603
        assert reopened.dense(TEXTS_2[2], 1)[0][0] == f"{R2}#p2"
        assert reopened.audit() == []


def make_schema_1(folder):
    """Turn a committed index into the schema-1 layout: a whole copy of each index in gNNNNNN folders."""
    embedder = HashingEmbedder(64)
    with PassageIndex.open(folder, embedder) as index:
        vectors = index.vectors
        texts = {iri: keyword_text(text, section)  # what the keyword index held for each passage
                 for iri, text, section in index.conn.execute("SELECT iri, text, section FROM passages ORDER BY rowid")}
    for child in (folder / "vectors").iterdir():
        child.unlink()
    for child in (folder / "lexical").iterdir():
        child.unlink()
    old_vectors, old_lexical = folder / "vectors" / "g000004", folder / "lexical" / "g000004"
    old_vectors.mkdir()
    old_lexical.mkdir()
    faiss.write_index(vectors._index, str(old_vectors / "vectors.g1.faiss"))
    np.save(old_vectors / "vectors.g1.ids.npy", vectors.ids())
    (old_vectors / "vectors.json").write_text(json.dumps({
        "format": 1, "generation": 1, "kind": vectors.kind, "dimension": 64, "count": len(vectors),
        "index_file": "vectors.g1.faiss", "ids_file": "vectors.g1.ids.npy", "build_threshold": 50000,
        "target_recall": 0.95, "exact_subset_max": 4096, "nprobe": 1, "fixed_nprobe": None, "trained_size": 0,
        "seed": 1234}))
    write_format_1(old_lexical, texts, bigrams=True)
    conn = sqlite3.connect(folder / "passages.sqlite")
    with conn:
        conn.execute("DELETE FROM state WHERE key LIKE '%_manifest'")
        conn.execute("UPDATE state SET value = '4' WHERE key IN ('vectors_generation', 'lexical_generation')")
    conn.close()
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "schema": 1}))


def test_a_schema_1_index_opens_and_its_first_commit_rewrites_it(tmp_path):
    folder = tmp_path / "idx"
    with PassageIndex.open(folder, HashingEmbedder(64)) as index:
        index.replace_report(R1, passages(R1, TEXTS_1, "大同", "2024"))
        index.replace_report(R2, passages(R2, TEXTS_2, "汾阳", "2023"))
        index.commit()
        expected = (index.lexical("就业补助资金", 5), index.dense("劳动保障监察执法经费", 3))
    make_schema_1(folder)
    with PassageIndex.open(folder, HashingEmbedder(64)) as old:
        assert (old.lexical("就业补助资金", 5), old.dense("劳动保障监察执法经费", 3)) == expected
        assert old.audit() == []
        old.replace_report(R1, passages(R1, TEXTS_1[:2], "大同", "2024"))
        old.commit()
    assert sorted(files(folder)) == ["lexical/s000005-0.npz", "vectors/b000005-0.faiss", "vectors/b000005-0.ids.npy"]
    assert not (folder / "vectors" / "g000004").exists() and not (folder / "lexical" / "g000004").exists()
    assert json.loads((folder / "meta.json").read_text())["schema"] == 2
    with PassageIndex.open(folder, HashingEmbedder(64)) as new:
        assert len(new) == 5 and new.audit() == [] and new.lexical("就业补助资金", 5)[0][0] == expected[0][0][0]


def test_opening_leaves_files_of_a_later_generation(tmp_path):
    folder = tmp_path / "idx"
    with PassageIndex.open(folder, HashingEmbedder(64)) as index:
        index.replace_report(R1, passages(R1, TEXTS_1, "大同", "2024"))
        index.commit()
    later = folder / "lexical" / "s000002-0.npz"  # as a writer about to commit generation 2 has it
    older = folder / "lexical" / "s000000-3.npz"  # left by a crash before generation 1
    later.write_bytes(b"x")
    older.write_bytes(b"x")
    with PassageIndex.open(folder, HashingEmbedder(64)) as reader:
        assert len(reader) == 3
    assert later.exists() and not older.exists()
    with PassageIndex.open(folder, HashingEmbedder(64)) as writer:
        writer.replace_report(R2, passages(R2, TEXTS_2, "汾阳", "2023"))
        writer.commit()  # its own segment replaces the leftover
        assert writer.lexical_index.manifest()["segments"][-1] == "s000002-0.npz"
    assert len(PassageIndex.open(folder, HashingEmbedder(64)).lexical_index) == 6
