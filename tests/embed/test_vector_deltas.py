"""FaissIndex persistence by base + deltas: a commit writes the change, a restore answers as
the index in memory did, a base is written again past the threshold, format-1 folders load."""
from __future__ import annotations

import json

import faiss
import numpy as np
import pytest

import embed.plugins.faiss_index as faiss_module
from embed.plugins.faiss_index import FaissIndex
from tests.embed.test_vector_index_contract import DIM, random_ids, unit


def answers(index: FaissIndex, queries: np.ndarray, allowed=None) -> list:
    return [[(h.id, h.score) for h in index.search(q, 10, allowed)] for q in queries]


@pytest.mark.parametrize("threshold", [10_000, 200], ids=["flat", "ivf"])
def test_restore_replays_deltas_into_the_same_index(tmp_path, threshold):
    index = FaissIndex(DIM, build_threshold=threshold)
    ids, vectors = random_ids(1500, 1), unit(1500, 1)
    index.add(ids, vectors)
    first = index.persist(tmp_path, 1)
    assert first["base"] == ["b000001-0.faiss", "b000001-0.ids.npy"] and first["deltas"] == []
    base_time = (tmp_path / first["base"][0]).stat().st_mtime_ns
    index.remove(ids[:40])
    index.add(ids[40:60], unit(20, 2))  # replaced
    index.add(random_ids(30, 3), unit(30, 3))
    second = index.persist(tmp_path, 2)
    index.remove(ids[100:105])
    third = index.persist(tmp_path, 3)
    assert third["base"] == first["base"] and third["deltas"] == ["d000002-0.npz", "d000003-0.npz"]
    assert (tmp_path / first["base"][0]).stat().st_mtime_ns == base_time
    assert (tmp_path / "d000002-0.npz").stat().st_size < (tmp_path / first["base"][0]).stat().st_size / 10
    restored = FaissIndex.restore(tmp_path, third)
    queries = unit(40, 9)
    assert restored.kind == index.kind and len(restored) == len(index) == 1500 - 40 + 30 - 5
    assert np.array_equal(restored.ids(), index.ids())
    assert answers(restored, queries) == answers(index, queries)
    assert answers(restored, queries, ids[::7]) == answers(index, queries, ids[::7])
    assert FaissIndex.restore(tmp_path, second).ids().tolist() == sorted(set(ids[40:].tolist())
                                                                         | set(random_ids(30, 3).tolist()))


def test_a_base_is_written_again_when_the_deltas_grow(tmp_path, monkeypatch):
    monkeypatch.setattr(faiss_module, "MERGE_MIN_ROWS", 50)
    index = FaissIndex(DIM, build_threshold=200)
    index.add(random_ids(400, 1), unit(400, 1))
    index.persist(tmp_path, 1)
    index.add(random_ids(30, 2), unit(30, 2))
    assert index.persist(tmp_path, 2)["deltas"] == ["d000002-0.npz"]
    index.add(random_ids(30, 3), unit(30, 3))
    manifest = index.persist(tmp_path, 3)
    assert manifest["base"][0] == "b000003-0.faiss" and manifest["deltas"] == []
    assert len(FaissIndex.restore(tmp_path, manifest)) == 460


def test_a_retrain_writes_a_base(tmp_path):
    index = FaissIndex(DIM, build_threshold=100)
    index.add(random_ids(50, 1), unit(50, 1))
    index.persist(tmp_path, 1)
    index.add(random_ids(100, 2), unit(100, 2))  # past the threshold: IVF is trained
    manifest = index.persist(tmp_path, 2)
    assert manifest["kind"] == "ivf" and manifest["base"][0] == "b000002-0.faiss" and manifest["deltas"] == []


def test_a_format_1_folder_loads_and_its_next_save_writes_a_base(tmp_path):
    index = FaissIndex(DIM, build_threshold=200)
    ids, vectors = random_ids(600, 4), unit(600, 4)
    index.add(ids, vectors)
    faiss.write_index(index._index, str(tmp_path / "vectors.g3.faiss"))
    np.save(tmp_path / "vectors.g3.ids.npy", index.ids())
    manifest = {"format": 1, "generation": 3, "kind": index.kind, "dimension": DIM, "count": 600,
                "index_file": "vectors.g3.faiss", "ids_file": "vectors.g3.ids.npy", "build_threshold": 200,
                "target_recall": index.target_recall, "exact_subset_max": index.exact_subset_max,
                "nprobe": index.nprobe, "fixed_nprobe": None, "trained_size": index.trained_size, "seed": index.seed}
    (tmp_path / "vectors.json").write_text(json.dumps(manifest))
    old = FaissIndex.load(tmp_path)
    queries = unit(20, 5)
    assert answers(old, queries) == answers(index, queries)
    old.remove(ids[:3])
    old.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b000004-0.faiss", "b000004-0.ids.npy", "vectors.json"]
    assert len(FaissIndex.load(tmp_path)) == 597
