"""Query latency and store size at 30, 1,000 and 10,000 reports (issue 14, item 3).

    python bench/scale_bench.py [--sizes 1000 10000] [--work /tmp/scale] [--runs 3] [--out FILE]
    python bench/scale_bench.py --measure STORE     # one size, in its own process (JSON out)
    python bench/scale_bench.py --sizes 10000 --reuse --grow-only   # grow WORK/store-grown, measure later

The real reports are ``../shared/corpus/reports`` beside the checkout unless ``--corpus`` names them.

1. The real corpus — ``../shared/corpus/reports`` and ``examples/reports``, 30 files — is read
   once in this process (``store.ingest.worker_prepare``: extraction, graphs, passages, USE
   vectors, keyword tokens; cached in ``WORK/prepared.pkl``) and committed through the real
   writer (``Corpus.commit_report``) into ``WORK/store``: the 30-report store is a real one.
2. It is grown to each size by **synthetic replicas** (``bench/scale_store.py`` says exactly
   what is rewritten): each replica is a real report under a distinct identity — a synthetic
   place replacing its unit's place in every name and text, new report / unit / project /
   passage IRIs — whose passage **vectors are reused from the original** (not embeddings of
   the replica's text). Replicas are written by bulk paths (Oxigraph bulk load of N-Quads,
   ``PassageIndex.replace_report`` with a commit per 250 reports, manifest and extraction
   files written directly), not by ``Corpus.commit_report``.
3. Each size is measured in a fresh process (``--measure``) on the store opened read-only as
   ``budgetkg`` opens it: store size on disk per report; open time (graph + passage index +
   the asker's lexicon read from ``lexicon.json``, and the first query, which loads the USE
   model; the first open after a change lists the lexicon from the graph, timed apart); latency of
   ``Asker.ask`` over the questions of ``tests/fixtures/questions/corpus_heldout4_*.jsonl``,
   of ``HybridSearcher.search`` (k=10) over ``tests/fixtures/retrieval/corpus_queries4_*.jsonl``
   and of the example SPARQL queries of ``docs/queries/*.rq``. Each item is timed ``--runs``
   times and its median kept; p50 / p95 are over the items. Answers are compared across sizes
   (the questions are all about the real reports, which every size holds).
"""
from __future__ import annotations

import argparse
import json
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import summary  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "reports"
SEEDS = ROOT / "examples" / "reports"
QUESTIONS = sorted((ROOT / "tests" / "fixtures" / "questions").glob("corpus_heldout4_*.jsonl"))
QUERIES = sorted((ROOT / "tests" / "fixtures" / "retrieval").glob("corpus_queries4_*.jsonl"))
SPARQL = sorted((ROOT / "docs" / "queries").glob("*.rq"))
TARGETS = {"ask": 100.0, "search": 50.0, "sparql": 200.0}  # p50, ms


def folder_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _lines(files: list[Path]) -> list[str]:
    return [json.loads(line)["q"] for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(call, items: list, runs: int) -> tuple[list[float], list]:
    """Median milliseconds per item over ``runs`` and the first result of each."""
    times, results = [], []
    for item in items:
        runs_ms, first = [], None
        for run in range(runs):
            started = time.perf_counter()
            result = call(item)
            runs_ms.append((time.perf_counter() - started) * 1000)
            if run == 0:
                first = result
        times.append(statistics.median(runs_ms))
        results.append(first)
    return times, results


# -- one size, in its own process ------------------------------------------------------------------
def measure(folder: Path, runs: int, ask_runs: int) -> dict:
    from search.ask.engine import Asker
    from search.hybrid import HybridSearcher
    from store.corpus import Corpus
    from store.lexicon_file import FILE, corpus_lexicon

    out: dict = {"reports": 0}
    started = time.perf_counter()
    corpus = Corpus(folder, read_only=True, create=False)
    _ = corpus.graph, corpus.passages
    out["open_store"] = time.perf_counter() - started
    kept = folder / FILE
    if not kept.exists() or json.loads(kept.read_bytes()).get("generation") != corpus.generation:
        t0 = time.perf_counter()  # the first open after a change lists the graph and keeps the lexicon
        corpus_lexicon(corpus)
        out["lexicon_from_graph"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lexicon = corpus_lexicon(corpus)  # every later open reads it
    out["open"] = out["open_store"] + time.perf_counter() - t0
    asker = Asker(corpus, lexicon=lexicon)
    searcher = HybridSearcher(corpus, lexicon)
    t0 = time.perf_counter()
    searcher.search("合同 付款", k=3)  # loads the USE model
    out["first_query"] = time.perf_counter() - t0
    out["reports"] = len(corpus.manifest["reports"])
    out["passages"] = len(corpus.passages)
    out["quads"] = len(corpus.graph)
    out["mib"] = {name: folder_mib(folder / name) for name in ("graph", corpus.index_folder.name, "reports")}
    out["mib"]["total"] = folder_mib(folder)

    questions, queries = _lines(QUESTIONS), _lines(QUERIES)

    def ask(question):
        try:
            answer = asker.ask(question)
            return answer.answer
        except Exception as err:  # noqa: BLE001 — a failure is an answer here, counted the same at every size
            return f"error: {err}"

    out["ask_ms"], answers = timed(ask, questions, ask_runs)
    out["answers"] = answers
    out["search_ms"], hits = timed(lambda q: [h.passage.id for h in searcher.search(q, k=10)], queries, runs)
    out["hits"] = hits
    texts = [path.read_text(encoding="utf-8") for path in SPARQL]
    out["sparql_ms"], rows = timed(lambda q: len(corpus.graph.query(q).rows), texts, runs)
    out["sparql_rows"] = dict(zip([p.name for p in SPARQL], rows))
    out["sparql_each_ms"] = dict(zip([p.name for p in SPARQL], out["sparql_ms"]))
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    corpus.close()
    return out


# -- building ----------------------------------------------------------------------------------------
def prepared(work: Path, corpus: Path, log) -> list:
    cache = work / "prepared.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from store import ingest

    ingest.worker_start(None, None)
    paths = sorted(corpus.glob("*.pdf")) + sorted(SEEDS.glob("*.pdf"))
    started = time.perf_counter()
    items = [ingest.worker_prepare(path) for path in paths]
    log(f"read, built, embedded and tokenised {len(items)} real reports in {time.perf_counter() - started:.0f} s")
    cache.write_bytes(pickle.dumps(items))
    return items


def real_store(work: Path, items: list, log) -> Path:
    from store.corpus import Corpus

    folder = work / "store"
    if (folder / "manifest.json").exists():
        return folder
    started = time.perf_counter()
    corpus = Corpus(folder)
    with corpus.writing():
        for item in items:
            if item.built is not None:
                corpus.commit_report(item.built.report, str(item.path), item.built)
    corpus.close()
    log(f"committed {len(items)} real reports through Corpus.commit_report in {time.perf_counter() - started:.0f} s")
    return folder


def templates(folder: Path, items: list) -> list:
    from bench.scale_store import make_template
    from kg.graph import vocab
    from store.corpus import Corpus

    corpus = Corpus(folder, read_only=True, create=False)
    entries = corpus.reports()
    out = [make_template(corpus, item.built, entries[str(vocab.report_iri(item.built.report))])
           for item in items if item.built is not None]
    corpus.close()
    return out


def run_measure(folder: Path, runs: int, ask_runs: int, log) -> dict:
    result = subprocess.run([sys.executable, __file__, "--measure", str(folder), "--runs", str(runs),
                             "--ask-runs", str(ask_runs)], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        log(result.stderr[-3000:])
        raise SystemExit(f"measuring {folder} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def row(size: int, m: dict) -> str:
    def pair(key):
        values = m[f"{key}_ms"]
        return f"{percentile(values, 0.5):.0f} / {percentile(values, 0.95):.0f}"

    built = f"; lexicon from the graph {m['lexicon_from_graph']:.1f}" if m.get("lexicon_from_graph") else ""
    return (f"| {size:,} | {m['passages']:,} | {m['quads']:,} | {m['mib']['total'] / m['reports']:.2f} "
            f"| {m['open']:.1f} ({m['first_query']:.1f}{built}) | {pair('ask')} | {pair('search')} | {pair('sparql')} "
            f"| {m['peak_rss_mib']:,.0f} |")


def measured(args, folder: Path, size: int, log) -> dict:
    """The figures of ``folder`` (``size`` reports): from ``WORK/result-SIZE.json`` with ``--reuse``."""
    saved = args.work / f"result-{size}.json"
    if args.reuse and saved.exists():
        log(f"{size:,} reports: figures of an earlier run ({saved})")
        return json.loads(saved.read_text(encoding="utf-8"))
    result = run_measure(folder, args.runs, args.ask_runs, log)
    saved.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    log(f"measured {size:,} reports")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/budgetkg-scale"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ask-runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--measure", type=Path)
    parser.add_argument("--reuse", action="store_true", help="measure stores already grown in WORK/store-N")
    parser.add_argument("--keep", action="store_true", help="keep a copy of each smaller store in WORK/store-N")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the real reports (default {CORPUS})")
    parser.add_argument("--grow-only", action="store_true",
                        help="grow the store to the largest size and measure nothing (measure later with --reuse)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.runs, args.ask_runs), ensure_ascii=False))
        return
    lines: list[str] = []

    def log(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    log(f"machine: {summary()}")
    args.work.mkdir(parents=True, exist_ok=True)
    items = prepared(args.work, args.corpus, log)
    base = real_store(args.work, items, log)
    results = {} if args.grow_only else {len(items): measured(args, base, len(items), log)}
    from bench.scale_store import grow, place_names

    tpl = templates(base, items)
    avoid = "".join(p.text for t in tpl for p in t.passages) + "".join(t.unit for t in tpl)
    places = [""] * len(tpl) + place_names(max(args.sizes) - len(tpl), avoid)
    folder = args.work / "store-grown"
    if not args.reuse:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(base, folder)
    for size in sorted(args.sizes):
        held = len(json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["reports"])
        if held < size:
            started = time.perf_counter()
            times = grow(folder, tpl, held, size, places, args.batch, log)
            log(f"grew to {size:,} reports in {time.perf_counter() - started:.0f} s "
                + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))
        if args.grow_only:
            continue
        kept = args.work / f"store-{size}"
        results[size] = measured(args, kept if args.reuse and kept.exists() else folder, size, log)
        if args.keep and size != max(args.sizes):
            shutil.rmtree(args.work / f"store-{size}", ignore_errors=True)
            shutil.copytree(folder, args.work / f"store-{size}")  # kept for profiling while the next size grows
    if results:
        report(results, len(tpl), log)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report(results: dict, real: int, log) -> None:
    log()
    log(f"### Query latency by store size ({real} real reports, the rest synthetic replicas)")
    log()
    log("| reports | passages | quads | store MiB / report | open s (first query s; first open after a change) "
        "| ask p50 / p95 ms "
        "| search p50 / p95 ms | SPARQL p50 / p95 ms | peak RSS MiB |")
    log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for size, m in sorted(results.items()):
        log(row(size, m))
    log()
    log(f"targets at 10,000 reports: ask p50 ≤ {TARGETS['ask']:.0f} ms, search p50 ≤ {TARGETS['search']:.0f} ms, "
        f"SPARQL p50 ≤ {TARGETS['sparql']:.0f} ms")
    smallest = results[min(results)]
    for size, m in sorted(results.items()):
        same = sum(a == b for a, b in zip(smallest["answers"], m["answers"]))
        hits = sum(a == b for a, b in zip(smallest["hits"], m["hits"]))
        parts = ", ".join(f"{k} {v:.0f}/{m['mib'][k]:.0f}" for k, v in
                          ((k, m["mib"][k] / m["reports"] * 1024) for k in m["mib"] if k != "total"))
        log(f"{size:,} reports: answers identical to the {min(results)}-report store {same}/{len(m['answers'])}, "
            f"search top-10 identical {hits}/{len(m['hits'])}; KiB per report / MiB in all: {parts}")
        log("  SPARQL ms (rows): " + ", ".join(f"{name} {ms:.0f} ({m['sparql_rows'][name]})"
                                                for name, ms in m["sparql_each_ms"].items()))


if __name__ == "__main__":
    main()
