"""FaissIndex's on-disk IVF base (FAISS's OnDiskInvertedLists, one memory-mapped .ivfdata):
searches answer exactly what the in-memory IVF index over the same vectors answers (ids and
scores, fixed nprobe), through deltas, tombstones and merges; a failed merge leaves the
previous state; vectors assigned to lists elsewhere (a worker's shard) are added as given."""
from __future__ import annotations

import faiss
import numpy as np
import pytest

import embed.plugins.faiss_index as faiss_module
import embed.plugins.faiss_ondisk as ondisk_module
from embed.plugins.faiss_index import FaissIndex
from embed.plugins.faiss_ondisk import Quantizer
from kg.errors import StoreError
from tests.embed.test_vector_index_contract import DIM, random_ids, unit

NPROBE = 4  # of nlist 126 at 4,000 vectors: an approximate search, where list placement matters


def answers(index: FaissIndex, queries: np.ndarray, allowed=None) -> list:
    return [[(h.id, h.score) for h in index.search(q, 10, allowed)] for q in queries]


def twins(count: int = 4000) -> tuple[FaissIndex, FaissIndex]:
    """The same vectors in an in-memory IVF index and in one that persists on disk."""
    memory = FaissIndex(DIM, build_threshold=500, nprobe=NPROBE)
    disk = FaissIndex(DIM, build_threshold=500, nprobe=NPROBE, ondisk_above=1)
    ids, vectors = random_ids(count, 1), unit(count, 1)
    for index in (memory, disk):
        index.add(ids, vectors)
    assert memory.kind == disk.kind == "ivf" and memory.nlist == disk.nlist > 8 * NPROBE
    return memory, disk


def same_answers(a: FaissIndex, b: FaissIndex) -> None:
    queries = unit(60, 9)
    assert np.array_equal(a.ids(), b.ids()) and len(a) == len(b)
    assert answers(a, queries) == answers(b, queries)
    subset = a.ids()[::9]  # a filter over the exact-subset size: the filtered IVF search
    assert answers(a, queries, subset) == answers(b, queries, subset)
    assert answers(a, queries, a.ids()[::300]) == answers(b, queries, a.ids()[::300])


def test_a_merged_on_disk_base_answers_as_the_in_memory_index(tmp_path):
    memory, disk = twins()
    manifest = disk.persist(tmp_path, 1)
    assert manifest["ondisk"] and manifest["base"] == ["b000001-0.faiss", "b000001-0.ids.npy", "b000001-0.ivfdata"]
    assert (tmp_path / "b000001-0.ivfdata").stat().st_size >= len(disk) * (4 * DIM + 8)
    assert (tmp_path / "b000001-0.faiss").stat().st_size < 4 * DIM * len(disk) / 20  # the header only
    restored = FaissIndex.restore(tmp_path, manifest)
    lists = faiss.downcast_InvertedLists(restored._disk.index.invlists)
    assert isinstance(lists, faiss.OnDiskInvertedLists) and lists.read_only
    assert restored.ondisk and restored._index.ntotal == 0  # nothing of the base was read into memory
    same_answers(memory, restored)
    same_answers(memory, disk)  # the writer switched to the on-disk base too


def test_deltas_tombstones_and_a_second_merge_keep_the_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(faiss_module, "MERGE_MIN_ROWS", 500)
    memory, disk = twins()
    disk.persist(tmp_path, 1)
    ids = memory.ids()
    for index in (memory, disk):
        index.remove(ids[:50])  # base vectors: tombstones
        index.add(ids[50:70], unit(20, 2))  # base vectors replaced
        index.add(random_ids(40, 3), unit(40, 3))
        index.remove(random_ids(40, 3)[:5])  # added since the base
    manifest = disk.persist(tmp_path, 2)
    assert manifest["deltas"] == ["d000002-0.npz"] and manifest["base"][0] == "b000001-0.faiss"
    restored = FaissIndex.restore(tmp_path, manifest)
    same_answers(memory, restored)
    for index in (memory, restored):
        index.add(random_ids(600, 4), unit(600, 4))  # past MERGE_MIN_ROWS: the next persist merges
        index.remove(ids[100:130])
    merged = restored.persist(tmp_path, 3)
    assert merged["base"][0] == "b000003-0.faiss" and merged["deltas"] == [] and merged["ondisk"]
    again = FaissIndex.restore(tmp_path, merged)
    assert not again._disk.removed and len(again._disk) == len(memory)
    same_answers(memory, again)
    assert 4000 - 50 + 35 + 600 - 30 == len(again)


def test_a_failed_merge_leaves_the_previous_state(tmp_path, monkeypatch):
    memory, disk = twins()
    first = disk.persist(tmp_path, 1)
    for index in (memory, disk):
        index.add(random_ids(30_000, 5), unit(30_000, 5))  # changes past the merge limit
    real = ondisk_module.fsync_file

    def crash(path):
        if str(path).endswith(".ivfdata"):
            raise OSError("disk full")
        return real(path)

    monkeypatch.setattr(ondisk_module, "fsync_file", crash)
    with pytest.raises(OSError):
        disk.persist(tmp_path, 2)
    previous = FaissIndex.restore(tmp_path, first)  # the committed state is whole
    assert len(previous) == 4000
    monkeypatch.setattr(ondisk_module, "fsync_file", real)
    retried = disk.persist(tmp_path, 2)  # nothing in memory changed: the persist can be retried
    same_answers(memory, FaissIndex.restore(tmp_path, retried))


def test_a_shard_assigned_elsewhere_is_added_without_searching_the_quantizer(monkeypatch):
    memory, disk = twins()
    quantizer = disk.quantizer()
    assert quantizer == memory.quantizer() and quantizer.fingerprint.startswith(f"{disk.nlist}x{DIM}-")
    shipped = Quantizer.of(quantizer.centroids.copy())  # what a worker receives
    ids, vectors = random_ids(200, 6), unit(200, 6)
    lists = shipped.assign(vectors)
    calls = []
    for cls in {faiss.IndexFlatIP, type(disk._index.quantizer), type(memory._index.quantizer)}:
        monkeypatch.setattr(cls, "assign", lambda self, *a, real=cls.assign, **k: calls.append(1) or real(self, *a, **k))
    disk.add(ids, vectors, lists=lists, quantizer=shipped.fingerprint)
    assert calls == []
    memory.add(ids, vectors)  # assigned here
    assert calls == [1]
    same_answers(memory, disk)
    other = random_ids(5, 8)
    disk.add(other, unit(5, 8), lists=np.zeros(5, dtype=np.int64), quantizer="0x0-stale")  # not this quantizer
    memory.add(other, unit(5, 8))
    assert calls == [1, 1, 1]  # both assigned here
    same_answers(memory, disk)


def test_bad_list_numbers_are_refused(tmp_path):
    _, disk = twins()
    fingerprint = disk.quantizer().fingerprint
    with pytest.raises(StoreError, match="inverted list numbers out of range"):
        disk.add(random_ids(3, 9), unit(3, 9), lists=np.array([0, 1, disk.nlist]), quantizer=fingerprint)


def test_a_retrain_over_an_on_disk_base_reads_it_back(tmp_path):
    memory, disk = twins(2000)
    disk.persist(tmp_path, 1)
    extra_ids, extra = random_ids(7000, 10), unit(7000, 10)
    for index in (memory, disk):
        index.add(extra_ids, extra)  # past 4x the trained size: retrained from every vector
    assert disk.trained_size == memory.trained_size == 9000 and not disk.ondisk
    same_answers(memory, disk)
    manifest = disk.persist(tmp_path, 2)
    assert manifest["ondisk"]
    same_answers(memory, FaissIndex.restore(tmp_path, manifest))


KILLED_MID_MERGE = """
import os, signal, sys
import numpy as np
sys.path.insert(0, {root!r})
import embed.plugins.faiss_ondisk as ondisk
from embed.plugins.faiss_index import FaissIndex
from tests.embed.test_vector_index_contract import random_ids, unit
index = FaissIndex.load({folder!r})
index.add(random_ids(30_000, 5), unit(30_000, 5))  # past the merge limit: the next save merges
real = ondisk.fsync_file
def kill(path):
    real(path)
    if str(path).endswith(".ivfdata"):  # the new lists written, the header and manifest not yet
        os.kill(os.getpid(), signal.SIGKILL)
ondisk.fsync_file = kill
index.save({folder!r})
"""


def test_a_writer_killed_mid_merge_leaves_the_previous_state(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    memory, disk = twins()
    disk.save(tmp_path)
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([sys.executable, "-c", KILLED_MID_MERGE.format(root=root, folder=str(tmp_path))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -9, done.stderr
    assert len(list(tmp_path.glob("*.ivfdata"))) == 2  # the killed merge's lists, named by no manifest
    after = FaissIndex.load(tmp_path)
    same_answers(memory, after)
    after.add(random_ids(10, 11), unit(10, 11))
    after.save(tmp_path)  # the next save drops what the killed one left
    assert len(list(tmp_path.glob("*.ivfdata"))) == 1
