"""Benchmark of the retrieval layer: embedding, vector index, BM25 and a hybrid query.

    python bench/embed_bench.py               # 1M passages (needs ~12 GB RAM, several minutes)
    python bench/embed_bench.py --size 100000 # quicker

Measures, single-threaded for queries (faiss.omp_set_num_threads(1), BLAS limited to 1):

* USE (default embedder) throughput on realistic Chinese passages cut from the seed reports,
  and the latency of embedding one short query;
* FaissIndex at ``--size`` vectors (512-d synthetic unit vectors, clustered like real
  embeddings by default, ``--vectors uniform`` for the worst case): build time, memory
  per vector, recall@10 against exact search, p50/p95 latency, filtered latency;
* LexicalIndex (BM25) over ``--size`` synthetic passages made by recombining seed
  sentences: jieba throughput, index build and full-merge time, p50/p95 latency;
* a full hybrid query: embed the query + dense top-k + BM25 top-k + reciprocal-rank fusion.

Passage texts are tokenised per unique seed sentence (a passage's tokens are its
sentences' tokens), so 1M passages do not spend minutes in jieba; the jieba rate measured
on whole passages is reported separately to extrapolate that cost.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import summary  # noqa: E402
from search.hybrid import LEXICAL_WEIGHT, reciprocal_rank_fusion  # noqa: E402

import numpy as np  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
QUERIES = ["哪些项目因为合同纠纷没付款", "驻村帮扶工作人员经费", "晋财社【2019】1号", "三公经费增减变动原因",
           "就业补助资金管理办法", "机关运行经费比上年减少的原因", "劳动保障监察执法", "政府采购预算金额",
           "公益性零工市场", "一般公共预算支出 1384.20 万元"]


def rss_mib() -> float:
    try:
        return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024
    except (OSError, AttributeError):
        return float("nan")


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for part in re.split(r"(?<=[。；;！？])", line.replace("\t", " ")):
                part = " ".join(part.split())
                if 8 <= len(part) <= 200 and re.search(r"[\u4e00-\u9fff]", part):
                    sentences.append(part)
    return list(dict.fromkeys(sentences))


def make_passages(sentences: list[str], count: int, rng: random.Random) -> list[list[int]]:
    """Each passage = 2–4 random seed sentences (indexes into ``sentences``)."""
    n = len(sentences)
    return [[rng.randrange(n) for _ in range(rng.randint(2, 4))] for _ in range(count)]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def timed_runs(fn, queries, runs: int) -> tuple[float, float]:
    """Median over ``runs`` of the p50 and p95 of per-query latency (ms)."""
    p50s, p95s = [], []
    for _ in range(runs):
        samples = []
        for query in queries:
            start = time.perf_counter()
            fn(query)
            samples.append(time.perf_counter() - start)
        p50, p95 = percentiles(samples)
        p50s.append(p50)
        p95s.append(p95)
    return statistics.median(p50s), statistics.median(p95s)


def synthetic_vectors(n: int, dim: int, mode: str, rng: np.random.Generator, block: int = 100_000):
    """Unit vectors, ``uniform`` or ``clustered``: topics (1 per 5,000 vectors) split into
    sub-topics (1 per 50), points scattered around them, so neighbours shade from the same
    sub-topic into the rest of the topic as in real passage embeddings. Queries fall near
    a random sub-topic, further out than its passages."""
    topics = rng.standard_normal((max(1, n // 5000), dim)).astype(np.float32)
    subtopics = topics[rng.integers(0, len(topics), max(1, n // 50))]
    subtopics += 0.8 * rng.standard_normal(subtopics.shape).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, block):
        rows = min(block, n - start)
        x = rng.standard_normal((rows, dim)).astype(np.float32)
        if mode == "clustered":
            x *= 1.2
            x += subtopics[rng.integers(0, len(subtopics), rows)]
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[start:start + rows] = x
    queries = rng.standard_normal((400, dim)).astype(np.float32)
    if mode == "clustered":
        queries = subtopics[rng.integers(0, len(subtopics), 400)] + 1.6 * queries
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return out, queries


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="passages/vectors in the indexes (default 1M)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    parser.add_argument("--vectors", choices=["clustered", "uniform"], default="clustered")
    parser.add_argument("--embed-passages", type=int, default=2000, help="passages for the USE throughput test")
    parser.add_argument("--skip-bm25", action="store_true")
    args = parser.parse_args(argv)

    import faiss
    from threadpoolctl import threadpool_limits

    from embed.lexical import LexicalIndex
    from embed.plugins.faiss_index import FaissIndex
    from embed.plugins.use import UniversalSentenceEncoder

    faiss.omp_set_num_threads(1)
    threadpool_limits(1)
    rows: list[tuple[str, str]] = []
    load_start = os.getloadavg()[0]
    print(f"machine: {summary()}, load average {load_start:.1f}")
    print(f"faiss {faiss.__version__}, numpy {np.__version__}, size {args.size:,}, vectors {args.vectors}, "
          f"runs {args.runs}\n", flush=True)
    rng = random.Random(7)
    sentences = seed_sentences()

    # ---- embedding throughput (USE, one thread) ----
    use = UniversalSentenceEncoder(threads=1)
    use.encode(["预热"])
    texts = ["".join(sentences[i] for i in p) for p in make_passages(sentences, args.embed_passages, rng)]
    rates = []
    for _ in range(args.runs):
        start = time.perf_counter()
        use.encode(texts, batch_size=64)
        rates.append(len(texts) / (time.perf_counter() - start))
    avg_chars = sum(map(len, texts)) / len(texts)
    rows.append(("USE embedding throughput (1 thread)", f"{statistics.median(rates):,.0f} passages/s "
                 f"(avg {avg_chars:.0f} chars)"))
    q50, q95 = timed_runs(lambda q: use.encode([q]), QUERIES * 20, args.runs)
    rows.append(("USE query embedding p50 / p95", f"{q50:.2f} / {q95:.2f} ms"))
    print(rows[-2], rows[-1], flush=True)

    # ---- vector index ----
    nprng = np.random.default_rng(11)
    vectors, queries = synthetic_vectors(args.size, 512, args.vectors, nprng)
    ids = np.arange(args.size, dtype=np.int64)
    gc.collect()
    before = rss_mib()
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # build with all cores, search with one
    start = time.perf_counter()
    index = FaissIndex(512)
    index.add(ids, vectors)
    build_s = time.perf_counter() - start
    faiss.omp_set_num_threads(1)
    gc.collect()
    grown = rss_mib() - before
    folder = Path(tempfile.mkdtemp(prefix="embed-bench-"))
    start = time.perf_counter()
    index.save(folder)
    save_s = time.perf_counter() - start
    disk = sum(p.stat().st_size for p in folder.iterdir())
    shutil.rmtree(folder, ignore_errors=True)
    desc = f"{index.kind}" + (f", nlist {index.nlist}, nprobe {index.nprobe} (tuned)" if index.kind == "ivf" else "")
    rows.append(("vector index kind at this size", desc))
    rows.append(("vector index build (train + add + tune, all cores)", f"{build_s:.1f} s"))
    rows.append(("vector memory per vector (RSS growth / on disk)",
                 f"{grown * 2**20 / args.size:,.0f} B / {disk / args.size:,.0f} B (raw float32: 2,048 B)"))
    rows.append(("vector index save", f"{save_s:.1f} s"))
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    _, truth = faiss.knn(queries[:200], vectors, 10, metric=faiss.METRIC_INNER_PRODUCT)
    faiss.omp_set_num_threads(1)
    found = [[h.id for h in index.search(q, 10)] for q in queries[:200]]
    recall = np.mean([len(set(t.tolist()) & set(f)) / 10 for t, f in zip(truth, found)])
    rows.append(("dense recall@10 vs exact (200 queries)", f"{recall:.3f}"))
    d50, d95 = timed_runs(lambda q: index.search(q, 10), list(queries), args.runs)
    rows.append(("dense top-10 p50 / p95 (1 thread)", f"{d50:.2f} / {d95:.2f} ms"))
    small = nprng.choice(args.size, min(2000, args.size), replace=False).astype(np.int64)
    f50, _ = timed_runs(lambda q: index.search(q, 10, allowed=small), list(queries[:100]), args.runs)
    rows.append((f"dense top-10, filter to {len(small):,} ids (exact subset) p50", f"{f50:.2f} ms"))
    if args.size >= 40_000:
        big = nprng.choice(args.size, args.size // 10, replace=False).astype(np.int64)
        b50, _ = timed_runs(lambda q: index.search(q, 10, allowed=big), list(queries[:100]), args.runs)
        rows.append((f"dense top-10, filter to {len(big):,} ids (over-fetch + filter) p50", f"{b50:.2f} ms"))
    start = time.perf_counter()
    index.remove(ids[:1000])
    index.add(ids[:1000], vectors[:1000])
    rows.append(("replace 1,000 vectors (remove + add)", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    del vectors
    gc.collect()
    for row in rows[-9:]:
        print(row, flush=True)

    # ---- BM25 ----
    lexical = None
    if not args.skip_bm25:
        lexical = LexicalIndex()
        tokenize = lexical.tokenizer.tokenize
        sample = texts[: min(len(texts), 2000)]
        start = time.perf_counter()
        for text in sample:
            tokenize(text)
        elapsed = time.perf_counter() - start
        mb_s = sum(len(t.encode("utf-8")) for t in sample) / elapsed / 1e6
        per_passage = elapsed / len(sample)
        rows.append(("tokenizer (jieba search mode + number/doc-number rules)",
                     f"{len(sample) / elapsed:,.0f} passages/s, {mb_s:.2f} MB/s → "
                     f"{per_passage * args.size / 60:.1f} min for {args.size:,} passages on one core"))
        sentence_tokens = [tokenize(s) for s in sentences]
        plan = make_passages(sentences, args.size, rng)
        start = time.perf_counter()
        for i, parts in enumerate(plan):
            tokens = []
            for s in parts:
                tokens.extend(sentence_tokens[s])
            lexical.add_tokens(f"p{i}", tokens)
        add_s = time.perf_counter() - start
        start = time.perf_counter()
        lexical.rebuild()
        build_s = time.perf_counter() - start
        rows.append(("BM25 add documents (pre-tokenised) + build (one segment)", f"{add_s:.1f} s + {build_s:.1f} s"))
        start = time.perf_counter()
        for i in range(100):
            lexical.add_tokens(f"p{i}", sentence_tokens[i])
        lexical.rebuild()
        rows.append(("BM25 full merge after replacing 100 documents (a commit no longer does this: "
                     "bench/add_bench.py)", f"{time.perf_counter() - start:.1f} s"))
        query_tokens = {q: tokenize(q) for q in QUERIES}
        l50, l95 = timed_runs(lambda q: lexical.search_tokens(query_tokens[q], 10), QUERIES * 10, args.runs)
        rows.append(("BM25 top-10 p50 / p95 (pre-tokenised query)", f"{l50:.2f} / {l95:.2f} ms"))
        t50, _ = timed_runs(lambda q: tokenize(q), QUERIES * 10, args.runs)
        rows.append(("query tokenisation p50", f"{t50:.2f} ms"))
        for row in rows[-5:]:
            print(row, flush=True)

    # ---- hybrid ----
    def hybrid(query: str):
        vector = use.encode([query])[0]
        dense = [f"p{h.id}" for h in index.search(vector, 50)]
        keyword = [doc for doc, _ in lexical.search(query, 50)] if lexical is not None else []
        fused = reciprocal_rank_fusion([dense, keyword], weights=[1.0, LEXICAL_WEIGHT])
        return sorted(fused, key=fused.get, reverse=True)[:10]

    h50, h95 = timed_runs(hybrid, QUERIES * 10, args.runs)
    rows.append(("**hybrid query** (embed + dense top-50 + BM25 top-50 + RRF) p50 / p95",
                 f"**{h50:.2f}** / {h95:.2f} ms (target p50 < 20 ms)"))
    print(rows[-1], flush=True)

    print(f"\n### Retrieval benchmark — {args.size:,} passages, {args.vectors} 512-d vectors\n")
    print(f"Machine: {summary()}; queries single-threaded; medians of {args.runs} runs; "
          f"load average at start / end: {load_start:.1f} / {os.getloadavg()[0]:.1f} "
          f"(other processes on the machine inflate every figure).\n")
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
