"""The on-disk IVF base of ``FaissIndex`` and the quantizer its shards are built against.

FAISS documents one way to hold an IVF index larger than RAM (``faiss/contrib/ondisk.py``):
train the quantizer once, add vectors to shards against it, and merge the shards' inverted
lists into ``OnDiskInvertedLists`` — every list in one ``.ivfdata`` file, memory-mapped, so
a search reads only the lists it probes and opening the index reads none of them.

Here the shards are the index's own pieces: the lists of the previous on-disk base (read
through its mapping) and the in-memory lists of everything added since. ``write_base``
merges them (``merge_from_multiple``) into a new ``.ivfdata`` under a new name, drops the
ids removed since, and writes the small ``.faiss`` header (quantizer, list sizes and
offsets) and the ids — each file fsynced before the caller's manifest names it, so a crash
leaves the previous base, which nothing here ever writes to, whole.

``DiskBase`` is such a base opened read-only: searches, reconstructs (through a direct map
built on first use), and removals as tombstones (searches skip them through an
``IDSelector``; the next ``write_base`` drops them for good).

``Quantizer`` is the trained coarse quantizer a store's IVF index assigns vectors with: its
centroids and a fingerprint. The ingest coordinator ships it to cluster workers once; a
worker assigns its report's vectors to inverted lists (``Quantizer.assign``) and returns
the lists with the vectors — a shard — so the coordinator adds them without searching the
quantizer, provided the fingerprint is still its index's.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from embed.index_files import REPAIR
from kg.atomic_io import atomic_path, fsync_dir, fsync_file
from kg.errors import StoreError

READ_FLAGS = faiss.IO_FLAG_ONDISK_SAME_DIR | faiss.IO_FLAG_READ_ONLY


@contextlib.contextmanager
def _quiet():
    """FAISS prints ``resizing …`` / ``updating ondisk filename …`` on stdout (C printf); the
    command's own output goes there, so the C-level stdout points at /dev/null meanwhile."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (an embedded interpreter): nothing to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def centroids_of(index) -> np.ndarray:
    """The (nlist, d) float32 centroids of an IVF index's flat quantizer."""
    quantizer = index.quantizer
    return np.ascontiguousarray(quantizer.reconstruct_n(0, quantizer.ntotal), dtype=np.float32)


def empty_ivf(centroids: np.ndarray):
    """An empty trained ``IndexIVFFlat`` (inner product) over ``centroids``."""
    centroids = np.ascontiguousarray(centroids, dtype=np.float32)
    nlist, dimension = centroids.shape
    quantizer = faiss.IndexFlatIP(dimension)
    quantizer.add(centroids)
    index = faiss.IndexIVFFlat(quantizer, dimension, nlist, faiss.METRIC_INNER_PRODUCT)
    index.is_trained = True
    index.own_fields = True
    quantizer.this.disown()
    return index


@dataclass(frozen=True)
class Quantizer:
    """A trained coarse quantizer: its centroids and their fingerprint (sha256 of the bytes)."""

    fingerprint: str
    centroids: np.ndarray = field(repr=False, compare=False)

    @classmethod
    def of(cls, centroids: np.ndarray) -> "Quantizer":
        centroids = np.ascontiguousarray(centroids, dtype=np.float32)
        digest = hashlib.sha256(centroids.tobytes()).hexdigest()[:32]
        return cls(f"{centroids.shape[0]}x{centroids.shape[1]}-{digest}", centroids)

    def assign(self, vectors: np.ndarray) -> np.ndarray:
        """The inverted list of each vector (its nearest centroid by inner product), int64."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(vectors) == 0:
            return np.zeros(0, dtype=np.int64)
        return _flat(self).assign(vectors, 1).ravel().astype(np.int64)


_FLATS: dict[str, object] = {}


def _flat(quantizer: Quantizer):
    """The flat index of a quantizer, kept per fingerprint (a worker assigns many reports)."""
    flat = _FLATS.get(quantizer.fingerprint)
    if flat is None:
        flat = faiss.IndexFlatIP(quantizer.centroids.shape[1])
        flat.add(quantizer.centroids)
        _FLATS.clear()
        _FLATS[quantizer.fingerprint] = flat
    return flat


def base_names(stem: str) -> list[str]:
    """The three files of an on-disk base: header, ids, inverted lists."""
    return [f"{stem}.faiss", f"{stem}.ids.npy", f"{stem}.ivfdata"]


def write_base(folder: Path, stem: str, centroids: np.ndarray, sources: list, removed: np.ndarray,
               ids: np.ndarray, readd: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> list[str]:
    """Merge the inverted lists ``sources`` (``InvertedLists`` over ``centroids``) minus the ids
    ``removed`` into a new on-disk base named by ``stem``; ``ids``: the ids it then holds,
    sorted. ``readd``: (ids, vectors, lists) of entries of ``sources`` whose ids are also
    removed — an old vector replaced by a new one under the same id: removing drops both
    copies, so the new one is added again. Every file is complete and fsynced on return; the
    names, for the manifest."""
    folder = Path(folder)
    header, ids_name, data_name = base_names(stem)
    data = folder / data_name
    data.unlink(missing_ok=True)  # left by an earlier attempt of this persist
    index = empty_ivf(centroids)
    try:
        with _quiet():  # merging and removing resize the file, which FAISS announces
            lists = faiss.OnDiskInvertedLists(index.nlist, index.code_size, str(data))
            pointers = faiss.InvertedListsPtrVector()
            for source in sources:
                pointers.push_back(source)
            total = lists.merge_from_multiple(pointers.data(), pointers.size(), False)
            index.replace_invlists(lists, True)
            lists.this.disown()
            index.ntotal = total
            dropped = index.remove_ids(faiss.IDSelectorBatch(np.ascontiguousarray(removed, dtype=np.int64))) \
                if len(removed) else 0
            again = 0 if readd is None else len(readd[0])
            if again:
                back_ids, vectors, numbers = (np.ascontiguousarray(a) for a in readd)
                index.add_core(again, faiss.swig_ptr(vectors), faiss.swig_ptr(back_ids), faiss.swig_ptr(numbers))
        if dropped != len(removed) + again:
            raise StoreError(f"向量索引不一致：合并时应删除 {len(removed) + again} 个向量，实际 {dropped} 个 "
                             f"(vector index is inconsistent while merging; {REPAIR})")
        if index.ntotal != len(ids):
            raise StoreError(f"向量索引不一致：合并得到 {index.ntotal} 个向量，应为 {len(ids)} 个 "
                             f"(vector index is inconsistent while merging; {REPAIR})")
        faiss.downcast_InvertedLists(index.invlists).filename = data_name  # found next to the header
        with atomic_path(folder / header) as tmp:
            faiss.write_index(index, str(tmp))
    finally:
        del index  # unmaps the lists: every write is in the page cache, for the fsync below
    fsync_file(data)
    with atomic_path(folder / ids_name) as tmp:
        with open(tmp, "wb") as handle:
            np.save(handle, np.ascontiguousarray(ids, dtype=np.int64), allow_pickle=False)
    fsync_dir(folder)
    return [header, ids_name, data_name]


def search_preassigned(index, query: np.ndarray, k: int, coarse: np.ndarray, coarse_scores: np.ndarray,
                       params) -> tuple[np.ndarray, np.ndarray]:
    """``IndexIVF.search_preassigned`` with search parameters (its Python wrapper takes none): the
    top ``k`` of ``query`` (one row) in the lists ``coarse``; ``params.nprobe`` must be their number."""
    query = np.ascontiguousarray(query, dtype=np.float32)
    coarse = np.ascontiguousarray(coarse, dtype=np.int64)
    coarse_scores = np.ascontiguousarray(coarse_scores, dtype=np.float32)
    scores = np.empty((len(query), k), dtype=np.float32)
    found = np.empty((len(query), k), dtype=np.int64)
    index.search_preassigned_c(len(query), faiss.swig_ptr(query), k, faiss.swig_ptr(coarse),
                               faiss.swig_ptr(coarse_scores), faiss.swig_ptr(scores), faiss.swig_ptr(found),
                               False, params)
    return scores, found


class DiskBase:
    """An on-disk base opened read-only: its lists stay in the file until a search probes them."""

    def __init__(self, index, ids: np.ndarray):
        self.index = index
        self.ids = ids  # sorted
        self.removed: set[int] = set()
        self._skip = None  # IDSelector of the removed ids, rebuilt after a removal
        self._mapped = False

    @classmethod
    def open(cls, folder: Path, names: list[str]) -> "DiskBase":
        folder = Path(folder)
        header, ids_name, data_name = names
        try:
            if not (folder / data_name).is_file():
                raise OSError(f"{folder / data_name} is missing")
            with _quiet():
                index = faiss.read_index(str(folder / header), READ_FLAGS)
            ids = np.load(folder / ids_name, allow_pickle=False)
        except (OSError, RuntimeError, ValueError) as err:
            raise StoreError(f"磁盘向量索引文件已损坏或缺失：{folder}（{err}）(on-disk vector index files are "
                             f"corrupt or missing; {REPAIR})") from None
        # no prefetch threads: FAISS starts 32 per search for the lists it will read (2.5 ms of
        # 2.8 ms for one query at 20k vectors, measured); the page cache and readahead serve instead
        faiss.downcast_InvertedLists(index.invlists).prefetch_nthread = 0
        if index.ntotal != len(ids):
            raise StoreError(f"磁盘向量索引不一致：{len(ids)} 个 id 对应 {index.ntotal} 个向量 "
                             f"(on-disk vector index is inconsistent; {REPAIR})")
        return cls(index, np.ascontiguousarray(ids, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ids) - len(self.removed)

    def holds(self, ids: np.ndarray) -> np.ndarray:
        """Which of ``ids`` this base holds and were not removed."""
        if len(self.ids) == 0 or len(ids) == 0:
            return np.zeros(len(ids), dtype=bool)
        where = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        inside = self.ids[where] == ids
        if self.removed:
            inside &= np.fromiter((i not in self.removed for i in ids.tolist()), dtype=bool, count=len(ids))
        return inside

    def remove(self, ids: np.ndarray) -> None:
        self.removed.update(ids.tolist())
        self._skip = None

    def removed_ids(self) -> np.ndarray:
        return np.sort(np.fromiter(self.removed, dtype=np.int64, count=len(self.removed)))

    def selector(self, selector):
        """``selector`` (or all ids when None) without the removed ids; None when nothing is excluded."""
        if not self.removed:
            return selector
        if self._skip is None:
            batch = faiss.IDSelectorBatch(self.removed_ids())
            self._skip = (batch, faiss.IDSelectorNot(batch))
        if selector is None:
            return self._skip[1]
        both = faiss.IDSelectorAnd(selector, self._skip[1])
        both.referenced = (selector, self._skip)  # the SWIG objects must outlive the search
        return both

    def search(self, query: np.ndarray, k: int, selector, coarse: np.ndarray,
               coarse_scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` in the lists ``coarse`` (the quantizer's answer for ``query``), skipping removed ids."""
        selector = self.selector(selector)
        nprobe = coarse.shape[1]
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe) if selector is not None \
            else faiss.SearchParametersIVF(nprobe=nprobe)
        return search_preassigned(self.index, query, k, coarse, coarse_scores, params)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        if not self._mapped:  # reads the ids of every list (not the vectors) once
            self.index.set_direct_map_type(faiss.DirectMap.Hashtable)
            self._mapped = True
        return np.ascontiguousarray(self.index.reconstruct_batch(ids), dtype=np.float32)

    @property
    def lists(self):
        return self.index.invlists
