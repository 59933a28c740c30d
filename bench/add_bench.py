"""Cost of adding one report to a large passage store, and hybrid query latency around it.

    python bench/add_bench.py                       # 1M passages (≈ 10 GB RAM, ~10 minutes)
    python bench/add_bench.py --size 100000 --runs 3

1. Builds a ``PassageIndex`` of ``--size`` passages through its own API (``replace_report``
   per synthetic report of 200 passages, then one commit): each passage is 2–4 sentences
   drawn from the seed reports' real text, tokenised per sentence (so 1M passages do not
   spend an hour in jieba); its vector is a **synthetic** clustered 512-d unit vector
   (``bench/embed_bench.py``), not an embedding of its text — said again in the output.
2. Reopens the store (what each ingest or ask process pays once) and measures hybrid
   queries (USE query embedding + dense top-50 + BM25 top-50 + RRF, one thread).
3. Adds real reports one by one — the seed reports, read by ``kg.extract`` and cut by
   ``build_passages`` — each as ingest's writer does: ``replace_report`` with vectors and
   tokens made beforehand, then ``commit``; timed per report (median and max), and apart the
   worker's share (USE embedding + tokenising that report's passages).
4. Measures the hybrid queries again, reopens the store and checks that the reopened
   index answers as the one in memory did.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.embed_bench import (QUERIES, SEEDS, make_passages, rss_mib, seed_sentences,  # noqa: E402
                               synthetic_vectors, timed_runs)
from bench.machine import summary  # noqa: E402

REPORT_SIZE = 200


def folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def hybrid_latency(index, embedder, runs: int) -> tuple[float, float]:
    from search.hybrid import LEXICAL_WEIGHT, reciprocal_rank_fusion

    def hybrid(query: str):
        vector = embedder.encode([query])[0]
        dense = [iri for iri, _ in index.dense(vector, 50)]
        keyword = [iri for iri, _ in index.lexical(query, 50)]
        fused = reciprocal_rank_fusion([dense, keyword], weights=[1.0, LEXICAL_WEIGHT])
        return sorted(fused, key=fused.get, reverse=True)[:10]

    for query in QUERIES:  # warm: vocabularies, caches
        hybrid(query)
    return timed_runs(hybrid, QUERIES * 10, runs)


def synthetic_reports(size: int, rng: random.Random, sentences, sentence_tokens):
    """(report IRI, passages, tokens) of ``size`` synthetic passages in reports of REPORT_SIZE."""
    from kg.passages import Passage

    plan = make_passages(sentences, size, rng)
    for r, start in enumerate(range(0, size, REPORT_SIZE)):
        report = f"urn:bench:report:{r}"
        passages, tokens = [], []
        for i, parts in enumerate(plan[start:start + REPORT_SIZE]):
            passages.append(Passage(id=f"{report}#p{i}", text="".join(sentences[s] for s in parts), report=report,
                                    source=f"合成报告{r}", page=i // 10 + 1, section="合成", kind="paragraph",
                                    entities=[], facets={"unit": f"单位{r % 500}", "year": str(2018 + r % 8)}))
            tokens.append([t for s in parts for t in sentence_tokens[s]])
        yield report, passages, tokens


def real_reports():
    from kg.extract import extract
    from kg.graph import vocab
    from kg.passages import build_passages

    for path in sorted(SEEDS.glob("*.txt")):
        report = extract(path)
        yield path.name, str(vocab.report_iri(report)), build_passages(report)


def build(store: Path, embedder, tokenizer, size: int, rows: list, say) -> None:
    """A committed store of ``size`` synthetic passages (see the module docstring)."""
    from embed.passage_index import PassageIndex

    rng = random.Random(7)
    sentences = seed_sentences()
    sentence_tokens = [tokenizer.tokenize(s) for s in sentences]
    vectors, _ = synthetic_vectors(size, 512, "clustered", np.random.default_rng(11))
    start = time.perf_counter()
    index = PassageIndex.open(store, embedder)
    row = 0
    for report, passages, tokens in synthetic_reports(size, rng, sentences, sentence_tokens):
        index.replace_report(report, passages, vectors[row:row + len(passages)], tokens)
        row += len(passages)
    staged = time.perf_counter() - start
    del vectors
    gc.collect()
    start = time.perf_counter()
    index.commit(store_generation=1)
    first_commit = time.perf_counter() - start
    index.close()
    say(f"built {size:,} passages: staged in {staged:.0f} s, first commit (the whole vector base and keyword "
        f"segment, and every SQLite row, in one go) {first_commit:.1f} s; store {folder_mib(store):,.0f} MiB on disk, RSS {rss_mib():,.0f} MiB")
    rows.append(("store built", f"{size:,} passages; first commit writing everything {first_commit:.1f} s; "
                 f"{folder_mib(store):,.0f} MiB on disk"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="passages in the store before the adds")
    parser.add_argument("--runs", type=int, default=3, help="query repetitions (medians of their p50/p95)")
    parser.add_argument("--folder", type=Path, help="where to build the store (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true",
                        help="use the store a previous run built in --folder (and kept) instead of building it")
    args = parser.parse_args(argv)

    import faiss
    from threadpoolctl import threadpool_limits

    from embed.factory import create_embedder
    from embed.passage_index import PassageIndex, takes_vector
    from embed.zh_tokens import ChineseTokenizer

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    load_start = os.getloadavg()[0]
    say(f"machine: {summary()}; load average at start {load_start:.1f}")
    say(f"faiss {faiss.__version__}, numpy {np.__version__}, store size {args.size:,} passages")
    say("passages: 2–4 real sentences of the seed reports each; vectors: SYNTHETIC clustered 512-d unit vectors "
        "(not embeddings of the text); the added reports: real seed reports, embedded with USE")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="add-bench-"))
    store = folder / "index"
    embedder = create_embedder("use")
    rows: list[tuple[str, str]] = []
    additions = list(real_reports())  # read first: the build takes minutes
    tokenizer = ChineseTokenizer()
    if args.reuse and args.folder and (store / "meta.json").is_file():
        kept = PassageIndex.open(store, embedder)
        if len(kept) != args.size or kept.store_generation != 1:
            raise SystemExit(f"{store} holds {len(kept):,} passages at generation {kept.store_generation}, "
                             f"not a fresh build of {args.size:,}")
        kept.close()
        say(f"reusing the {args.size:,}-passage store built by an earlier run in {store}")
    else:
        shutil.rmtree(store, ignore_errors=True)
        build(store, embedder, tokenizer, args.size, rows, say)

    faiss.omp_set_num_threads(1)
    with threadpool_limits(1):
        gc.collect()
        start = time.perf_counter()
        index = PassageIndex.open(store, embedder)
        opened = time.perf_counter() - start
        start = time.perf_counter()
        index.lexical(QUERIES[0], 50)
        first_query = time.perf_counter() - start
        say(f"open the store: {opened:.1f} s (vectors {index.kind}, nprobe {getattr(index.vectors, 'nprobe', '-')}); "
            f"keyword segments {len(index.lexical_index.segments)}; first keyword query {first_query:.2f} s "
            f"(vocabulary and (length, tf) slots of the base made on first use); RSS {rss_mib():,.0f} MiB")
        rows.append(("open the store (once per process); first keyword query after it",
                     f"{opened:.1f} s; {first_query:.2f} s"))
        before = hybrid_latency(index, embedder, args.runs)
        say(f"hybrid query before the adds: p50 {before[0]:.1f} ms, p95 {before[1]:.1f} ms")
        rows.append(("hybrid query before the adds, p50 / p95", f"{before[0]:.1f} / {before[1]:.1f} ms"))

        adds, worker, counts = [], [], []
        for generation, (name, iri, passages) in enumerate(additions, start=2):
            start = time.perf_counter()
            made = embedder.encode([p.text for p in passages if takes_vector(p.kind)])
            tokens = [tokenizer.tokenize(p.text) for p in passages]
            worker.append(time.perf_counter() - start)
            start = time.perf_counter()
            index.replace_report(iri, passages, made, tokens)
            index.commit(store_generation=generation)
            adds.append(time.perf_counter() - start)
            counts.append(len(passages))
            say(f"add {name}: {len(passages)} passages, replace_report + commit {adds[-1]:.2f} s "
                f"(embedding + tokenising beforehand {worker[-1]:.2f} s); keyword segments "
                f"{len(index.lexical_index.segments)}, vector deltas {len(index.vectors.manifest()['deltas'])}")
        rows.append((f"**add one real report** ({min(counts)}–{max(counts)} passages): replace_report + commit",
                     f"**median {statistics.median(adds):.2f} s**, max {max(adds):.2f} s over {len(adds)} reports "
                     f"(target ≤ 5 s)"))
        rows.append(("same reports: USE embedding + tokenising (ingest's workers, beforehand)",
                     f"median {statistics.median(worker):.2f} s"))
        after = hybrid_latency(index, embedder, args.runs)
        say(f"hybrid query after the adds: p50 {after[0]:.1f} ms, p95 {after[1]:.1f} ms")
        rows.append(("hybrid query after the adds, p50 / p95", f"{after[0]:.1f} / {after[1]:.1f} ms"))
        probes = {q: (index.lexical(q, 50), index.dense(embedder.encode([q])[0], 50)) for q in QUERIES}
        index.close()
        start = time.perf_counter()
        index = PassageIndex.open(store, embedder)
        reopened = time.perf_counter() - start
        same = all((index.lexical(q, 50), index.dense(embedder.encode([q])[0], 50)) == probes[q] for q in QUERIES)
        say(f"reopen after the adds: {reopened:.1f} s; answers identical to the index in memory: {same}")
        rows.append(("reopen after the adds (base + deltas replayed)", f"{reopened:.1f} s; same answers: {same}"))
        index.close()

    load_end = os.getloadavg()[0]
    say(f"\n### Adding a report to a {args.size:,}-passage store\n")
    say(f"Machine: {summary()}; load average at start / end {load_start:.1f} / {load_end:.1f} (the 2 cores are "
        f"shared: other work inflates every figure). Vectors of the stored passages are synthetic; the added "
        f"reports are real and embedded with USE. Queries single-threaded, medians of {args.runs} runs.\n")
    say("| measure | value |\n| --- | --- |")
    for name, value in rows:
        say(f"| {name} | {value} |")
    if args.folder is None:
        shutil.rmtree(folder, ignore_errors=True)
    out = ROOT / "bench" / f"results_add_{args.size // 1000}k.txt"
    if args.size >= 1_000_000:
        out = ROOT / "bench" / "results_add_1m.txt"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
