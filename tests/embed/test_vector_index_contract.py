"""One contract for every VectorIndex: NumpyIndex (reference), FaissIndex flat and IVF."""
from __future__ import annotations

import numpy as np
import pytest

from embed.plugins.faiss_index import FaissIndex
from embed.plugins.numpy_index import NumpyIndex

DIM = 32


def unit(rows: int, seed: int, dim: int = DIM) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def random_ids(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).choice(2**62, count, replace=False).astype(np.int64)


FACTORIES = {
    "numpy": lambda: NumpyIndex(DIM),
    "faiss-flat": lambda: FaissIndex(DIM),
    "faiss-ivf": lambda: FaissIndex(DIM, build_threshold=200),
}
EXACT = ("numpy", "faiss-flat")


@pytest.fixture(params=list(FACTORIES))
def kind(request):
    return request.param


def build(kind: str, n: int = 1500, seed: int = 0):
    index = FACTORIES[kind]()
    ids, vectors = random_ids(n, seed), unit(n, seed)
    index.add(ids, vectors)
    return index, ids, vectors


def hit_ids(hits) -> list[int]:
    return [h.id for h in hits]


def test_kind_by_size(kind):
    index, _, _ = build(kind)
    expected = {"numpy": "exact", "faiss-flat": "flat", "faiss-ivf": "ivf"}[kind]
    assert index.kind == expected


def test_add_and_search_finds_itself(kind):
    index, ids, vectors = build(kind)
    assert len(index) == len(ids)
    for row in (0, 17, 999):
        hits = index.search(vectors[row], 5)
        assert hits[0].id == ids[row]
        assert hits[0].score == pytest.approx(1.0, abs=1e-5)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_replace_changes_vector_not_count(kind):
    index, ids, vectors = build(kind)
    target = unit(1, 99)
    index.add(ids[:1], target)
    assert len(index) == len(ids)
    assert index.search(target[0], 1)[0].id == ids[0]
    top = index.search(vectors[0], 1)[0]
    assert not (top.id == ids[0] and top.score > 0.999)  # the old vector is gone


def test_remove(kind):
    index, ids, vectors = build(kind)
    index.remove(np.concatenate([ids[:10], [123]]))  # unknown ids are ignored
    assert len(index) == len(ids) - 10
    for row in range(10):
        assert ids[row] not in hit_ids(index.search(vectors[row], 10))
    index.add(ids[:1], vectors[:1])  # removed ids can come back
    assert index.search(vectors[0], 1)[0].id == ids[0]


def test_allowed_restricts_results(kind):
    index, ids, vectors = build(kind)
    allowed_small = ids[100:130]
    hits = index.search(vectors[0], 10, allowed=allowed_small)
    assert len(hits) == 10 and set(hit_ids(hits)) <= set(allowed_small.tolist())
    reference = NumpyIndex(DIM)
    reference.add(ids, vectors)
    assert hit_ids(hits) == hit_ids(reference.search(vectors[0], 10, allowed=allowed_small))
    allowed_large = ids[::2]
    hits = index.search(vectors[1], 10, allowed=allowed_large)
    assert set(hit_ids(hits)) <= set(allowed_large.tolist()) and len(hits) == 10
    assert index.search(vectors[0], 10, allowed=np.array([7, 8], dtype=np.int64)) == []


def test_save_load_roundtrip(kind, tmp_path):
    index, ids, vectors = build(kind)
    index.remove(ids[:5])
    index.save(tmp_path)
    loaded = type(index).load(tmp_path)
    assert len(loaded) == len(index) and loaded.kind == index.kind
    for row in (5, 6, 700):
        assert hit_ids(loaded.search(vectors[row], 10)) == hit_ids(index.search(vectors[row], 10))
    loaded.add(ids[:1], vectors[:1])
    loaded.save(tmp_path)  # saving again over an existing save
    assert len(type(index).load(tmp_path)) == len(index) + 1


def test_agrees_with_numpy_reference(kind):
    index, ids, vectors = build(kind, n=3000, seed=3)
    reference = NumpyIndex(DIM)
    reference.add(ids, vectors)
    queries = unit(200, 7)
    if kind in EXACT:
        for q in queries[:50]:
            assert hit_ids(index.search(q, 10)) == hit_ids(reference.search(q, 10))
    else:
        recall = np.mean([len(set(hit_ids(index.search(q, 10))) & set(hit_ids(reference.search(q, 10)))) / 10
                          for q in queries])
        assert recall >= 0.95, f"recall@10 {recall:.3f}"


def test_rejects_bad_input(kind):
    index = FACTORIES[kind]()
    with pytest.raises(ValueError):
        index.add(np.array([1, 2]), unit(3, 0))
    with pytest.raises(ValueError):
        index.add(np.array([1]), unit(1, 0, dim=DIM + 1))
    with pytest.raises(ValueError):
        index.add(np.array([-1]), unit(1, 0))
    assert index.search(unit(1, 0)[0], 5) == []


def test_faiss_switches_to_ivf_and_back(tmp_path):
    index = FaissIndex(DIM, build_threshold=500)
    ids, vectors = random_ids(400, 1), unit(400, 1)
    index.add(ids, vectors)
    assert index.kind == "flat"
    index.add(random_ids(200, 2), unit(200, 2))
    assert index.kind == "ivf" and 1 <= index.nprobe <= index.nlist
    index.rebuild("flat")
    assert index.kind == "flat" and len(index) == 600
    assert index.search(vectors[3], 1)[0].id == ids[3]


def test_faiss_crash_during_save_keeps_previous(tmp_path, monkeypatch):
    import os

    index = FaissIndex(DIM)
    ids, vectors = random_ids(50, 4), unit(50, 4)
    index.add(ids, vectors)
    index.save(tmp_path)
    index.remove(ids[:25])
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("simulated crash")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        index.save(tmp_path)
    monkeypatch.setattr(os, "replace", real_replace)
    assert len(FaissIndex.load(tmp_path)) == 50


@pytest.mark.parametrize("threshold", [10_000, 200], ids=["flat", "ivf"])
def test_faiss_large_filters_agree_with_reference(threshold):
    """Filters larger than exact_subset_max: over-fetch, then selector, then exact fallback."""
    index = FaissIndex(DIM, build_threshold=threshold, exact_subset_max=50)
    ids, vectors = random_ids(3000, 5), unit(3000, 5)
    index.add(ids, vectors)
    reference = NumpyIndex(DIM)
    reference.add(ids, vectors)
    queries = unit(40, 9)
    overlaps = []
    for q in queries:
        for allowed in (ids[::3], ids[np.argsort(vectors @ q)[:120]]):  # a broad filter; one far from q
            hits, expected = index.search(q, 10, allowed=allowed), reference.search(q, 10, allowed=allowed)
            assert len(hits) == 10 and set(hit_ids(hits)) <= set(allowed.tolist())
            overlaps.append(len(set(hit_ids(hits)) & set(hit_ids(expected))) / 10)
            if index.kind == "flat":
                assert hit_ids(hits) == hit_ids(expected)
    assert np.mean(overlaps) >= 0.95
