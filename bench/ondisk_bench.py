"""The on-disk IVF base against the in-memory one, on synthetic vectors (issue 14, item 5).

For each size N (default 200,000 and 1,000,000 vectors of 512 dimensions, the USE model's;
random unit vectors, not embeddings of real passages):

1. an IVF ``FaissIndex`` over the N vectors (nlist = 4·√N as the index picks it; the
   centroids are a random sample of the vectors, not k-means — training on 1M vectors takes
   a quarter of an hour on this machine, and neither merging nor opening depends on how the
   centroids were found), persisted as an in-memory base (one FAISS file);
2. the same index persisted as an on-disk base: its inverted lists merged into one
   ``.ivfdata`` (the merge time);
3. 1% of the vectors removed and 1% added, and a base written again: the previous on-disk
   base's lists and the new ones merged (the merge a growing store pays now and then);
4. each base opened in a fresh process: the time to open, the resident memory after opening
   (VmRSS; the process's baseline without an index is given too), then 200 searches at
   nprobe 16 (p50), and whether both answer the same ids and scores for them.

Run: ``python bench/ondisk_bench.py [--sizes 200000 1000000] [--folder /tmp/…]``; it needs
about 3 × 4·N·512 bytes of disk (12 GB at 1M) and twice that of memory in the main process.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DIM = 512
NPROBE = 16
QUERIES = 200


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _unit(rows: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((rows, DIM), dtype=np.float32)
    for start in range(0, rows, 100_000):  # in chunks: no float64 copy of the whole matrix
        block = rng.standard_normal((min(100_000, rows - start), DIM), dtype=np.float32)
        out[start:start + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def _index_class():
    import faiss

    from embed.plugins.faiss_index import FaissIndex
    from embed.plugins.faiss_ondisk import empty_ivf

    class SampledCentroids(FaissIndex):
        """FaissIndex whose IVF centroids are a random sample of the vectors (no k-means)."""

        def _build_ivf(self, ids, vectors):
            n = len(ids)
            nlist = max(1, min(int(4 * math.sqrt(n)), n // 39))
            rows = np.sort(np.random.default_rng(self.seed).choice(n, nlist, replace=False))
            index = empty_ivf(vectors[rows])
            index.set_direct_map_type(faiss.DirectMap.Hashtable)
            index.add_with_ids(vectors, ids)
            self._index, self._kind, self._base, self._disk, self._quantizer = index, "ivf", None, None, None
            self.trained_size = n
            self.nprobe = index.nprobe = self._fixed_nprobe

    return SampledCentroids


def open_and_search(folder: Path) -> dict:
    """In a fresh process: open the index ``folder`` holds, search, report."""
    baseline = _rss_mib()
    from embed.plugins.faiss_index import FaissIndex

    manifest = json.loads((folder / "manifest.json").read_text())
    started = time.perf_counter()
    index = FaissIndex.restore(folder, manifest)
    opened = time.perf_counter() - started
    rss = _rss_mib()
    queries = _unit(QUERIES, 99)
    times, answers = [], []
    for query in queries:
        started = time.perf_counter()
        hits = index.search(query, 10)
        times.append(time.perf_counter() - started)
        answers.append([(h.id, h.score) for h in hits])
    return {"open_s": opened, "rss_mib": rss, "baseline_rss_mib": baseline, "ondisk": index.ondisk,
            "search_p50_ms": 1000 * float(np.median(times)), "answers": answers}


def _persist(index, folder: Path, generation: int) -> tuple[dict, float]:
    folder.mkdir(parents=True, exist_ok=True)
    index._base = None  # a whole base now, whatever the share of changes (what a merge writes)
    started = time.perf_counter()
    manifest = index.persist(folder, generation)
    seconds = time.perf_counter() - started
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest, seconds


def _child(folder: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--open", str(folder)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def run(size: int, work: Path) -> dict:
    cls = _index_class()
    ids = np.arange(1, size + 1, dtype=np.int64) * 7919
    vectors = _unit(size, 1)
    index = cls(DIM, build_threshold=1, nprobe=NPROBE, ondisk_above=10 ** 12)
    started = time.perf_counter()
    index.add(ids, vectors)
    built = time.perf_counter() - started
    memory_dir, disk_dir, merged_dir = work / f"memory-{size}", work / f"ondisk-{size}", work / f"merged-{size}"
    _, memory_write = _persist(index, memory_dir, 1)
    index.configure(ondisk_above=1)
    _, disk_write = _persist(index, disk_dir, 1)
    del vectors
    memory_open, disk_open = _child(memory_dir), _child(disk_dir)
    same = memory_open.pop("answers") == disk_open.pop("answers")
    change = size // 100
    index.remove(ids[:change])
    index.add(np.arange(size + 1, size + change + 1, dtype=np.int64) * 7919, _unit(change, 2))
    _, remerge = _persist(index, merged_dir, 2)
    files = {p.suffix: p.stat().st_size for p in merged_dir.iterdir()}
    return {"vectors": size, "nlist": index.nlist, "assign_and_add_in_memory_s": built,
            "write_in_memory_base_s": memory_write, "merge_to_ondisk_base_s": disk_write,
            "merge_ondisk_base_plus_1pct_changes_s": remerge, "ivfdata_mib": files.get(".ivfdata", 0) / 2 ** 20,
            "header_kib": files.get(".faiss", 0) / 1024, "open_in_memory": memory_open, "open_ondisk": disk_open,
            "same_ids_and_scores": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/budgetkg-ondisk-bench"))
    parser.add_argument("--open", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.open:
        print(json.dumps(open_and_search(args.open)))
        return
    args.folder.mkdir(parents=True, exist_ok=True)
    try:
        for size in args.sizes:
            print(json.dumps(run(size, args.folder), indent=1), flush=True)
            for path in args.folder.glob(f"*-{size}"):
                shutil.rmtree(path, ignore_errors=True)
    finally:
        shutil.rmtree(args.folder, ignore_errors=True)


if __name__ == "__main__":
    main()
