"""Graph store benchmark: rdflib memory vs the embedded Oxigraph store on a synthetic corpus.

    python bench/graph_bench.py                          # 100k and 1M quads: memory, oxigraph, oxrdflib
    python bench/graph_bench.py --triples 1000000 --runs 20
    python bench/graph_bench.py --quick                  # 60k quads, 5 runs, memory + oxigraph
    python bench/graph_bench.py --stores oxigraph --variants   # every query formulation
    python bench/graph_bench.py --stores oxigraph,oxigraph-direct --no-queries   # loading only

The corpus is the five seed reports (``tests/fixtures/seeds``) extracted once and cloned
until the store holds ``--triples`` quads: each clone gets a unit under a synthetic
department (so ``org:subOrganizationOf`` trees exist) in a real GB/T 2260 region, a fiscal
year in 2019–2026 (every unit reports for a run of consecutive years), project names with
the year rewritten and some qualified, amounts scaled per unit and year (with a yearly
trend) and per project, execution rates redrawn, and 40% of the numbered documents
renumbered. The first department is 大同市人力资源和社会保障局 with 大同市劳动保障监察综合行政执法队
reporting 2019–2026, so the files in docs/queries run unchanged. Everything derives from
``--seed``: two runs build the same corpus. Each report takes the real ingest path of
``store.corpus.Corpus``: ``build_graphs`` plus passage triples, ``replace`` of the report graph,
``merge_all`` of the shared nodes' graphs.

Each store is measured in a fresh subprocess (clean RSS numbers): load time (clone, build and
store write apart), resident memory growth, store folder size (right after loading, write-ahead
log included, and after reopening), and per query the median (p50) and p95 of ``--runs``
timed runs after one warm-up (a query is repeated until ``--runs`` or ``--max-seconds``, at
least ``--min-runs`` times; one whose warm-up exceeds ``--slow-cutoff`` is timed once).
Every query runs in its docs/queries form ("main") and in the rewrite found fastest on
Oxigraph ("fast: …"); ``--variants`` adds the other rewrites tried. Stores:

* ``memory`` — ``kg.graph.plugins.memory.MemoryStore`` (rdflib Dataset, union default graph);
* ``oxigraph`` — ``kg.graph.plugins.oxigraph.OxigraphStore`` on disk (pyoxigraph direct);
* ``oxigraph-direct`` — the same store, but ``replace`` writes a new graph straight into its
  named graph (no staging graph + ``MOVE``), to price the staging path;
* ``oxrdflib`` — rdflib's Dataset API over Oxigraph (``store="Oxigraph"``) on disk, loading
  through ``Store.addN`` and querying through ``Dataset.query``.

Query results are compared across stores (row count and a digest of the sorted, normalised
rows); a mismatch is flagged ≠ in the table. Nothing here asserts a timing.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STORES = ("memory", "oxigraph", "oxigraph-direct", "oxrdflib")


from bench.graph_corpus import Corpus, extract_seeds, report_graphs  # noqa: E402
from bench.graph_queries import DEPARTMENT, DOC_NUMBER, YOY_METRIC, YOY_UNIT, queries  # noqa: E402
from bench.machine import cpu_model, memory_gib, usable_cores  # noqa: E402


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for package in ("rdflib", "pyoxigraph", "oxrdflib"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = "absent"
    return out


def memory_text() -> str:
    gib = memory_gib()
    return f"{gib:.1f} GiB" if gib else "?"


def rss_bytes(field: str = "VmRSS") -> int:
    """Resident set size (or ``VmHWM``, the peak) of this process, from /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- stores -----------------------------------------------------------------------------------------------
class OxrdflibStore:
    """rdflib's Dataset over Oxigraph (oxrdflib), on disk, with the plugin's query interface."""

    name = "oxrdflib"

    def __init__(self, location: str):
        from rdflib import Dataset

        self.dataset = Dataset(store="Oxigraph", default_union=True)
        self.dataset.open(location)

    def replace(self, graph_iri: str, graph) -> None:
        from rdflib import URIRef

        target = self.dataset.graph(URIRef(graph_iri))
        target.remove((None, None, None))
        target.addN([(s, p, o, target) for s, p, o in graph])

    def merge_all(self, graphs: dict) -> None:
        from rdflib import URIRef

        quads = []
        for graph_iri, graph in graphs.items():
            target = self.dataset.graph(URIRef(str(graph_iri)))
            quads.extend((s, p, o, target) for s, p, o in graph)
        self.dataset.store.addN(quads)

    def query(self, sparql: str):
        from kg.graph.store import QueryResult, with_prefixes
        from kg.graph.store import python_value as from_rdflib

        result = self.dataset.query(with_prefixes(sparql))
        columns = [str(v) for v in result.vars]
        rows = [{c: from_rdflib(row[i]) for i, c in enumerate(columns)} for row in result]
        return QueryResult("select", columns=columns, rows=rows)

    def __len__(self) -> int:
        return len(self.dataset.store._inner)

    def flush(self) -> None:
        self.dataset.store._inner.flush()

    def optimize(self) -> None:
        self.dataset.store._inner.optimize()

    def close(self) -> None:
        self.flush()


def open_bench_store(kind: str, folder: Path | None):
    if kind == "memory":
        from kg.graph.plugins.memory import MemoryStore

        return MemoryStore()
    if kind == "oxrdflib":
        return OxrdflibStore(str(folder))
    from kg.graph.plugins.oxigraph import OxigraphStore

    store = OxigraphStore(str(folder))
    if kind == "oxigraph-direct":
        import pyoxigraph as ox

        from kg.graph.plugins.oxigraph import to_ox

        staged = store.replace

        def replace(graph_iri: str, graph) -> None:
            target = ox.NamedNode(graph_iri)
            if store.store.contains_named_graph(target):
                staged(graph_iri, graph)  # an existing graph still needs the atomic swap
                return
            blank_nodes: dict = {}
            store.store.extend([ox.Quad(to_ox(s, blank_nodes), to_ox(p, blank_nodes), to_ox(o, blank_nodes), target)
                                for s, p, o in graph])

        store.replace = replace
    return store


# -- worker: one store, in its own process ------------------------------------------------------------------
def normalise(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    return "" if value is None else str(value)


def digest_rows(rows: list[dict]) -> str:
    lines = sorted("\x1f".join(f"{k}={normalise(v)}" for k, v in sorted(row.items())) for row in rows)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]


def fill(template: str, targets: dict[str, str]) -> str:
    out = template
    for key, value in targets.items():
        out = out.replace("{" + key + "}", value)
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


class deadline:
    """Raise TimeoutError in the main thread after ``seconds`` (interrupts Python code such as
    rdflib's query engine; a query running inside Oxigraph's Rust code finishes first)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds

    def __enter__(self):
        if self.seconds:
            import signal

            def expire(signum, frame):
                raise TimeoutError

            self.previous = signal.signal(signal.SIGALRM, expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.seconds:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


def query_targets() -> dict[str, str]:
    from kg.graph import vocab

    return {"department_iri": f"<{vocab.org_iri(DEPARTMENT)}>", "unit_iri": f"<{vocab.org_iri(YOY_UNIT)}>",
            "doc_iri": f"<{vocab.document_iri(DOC_NUMBER)}>", "metric_iri": f"<{vocab.metric_concept(YOY_METRIC)}>"}


def time_queries(store, args) -> dict[str, dict]:
    """Warm-up run (its rows are the result checked), then up to ``--runs`` timed runs per form."""
    targets = query_targets()
    results: dict[str, dict] = {}
    for name, forms in queries(args.variants).items():
        if args.only_fast and any(f.startswith("fast") for f in forms):
            forms = {f: text for f, text in forms.items() if f.startswith("fast")}
        for form, template in forms.items():
            key = f"{name} | {form}"
            text = fill(template, targets)
            maintenance = name.startswith("maintenance")
            t = time.perf_counter()
            try:
                with deadline(args.gc_timeout if maintenance else None):
                    result = store.query(text)
            except TimeoutError:
                results[key] = {"timeout_s": args.gc_timeout}
                print(f"  [{args.store}] {key}: over {args.gc_timeout:.0f} s, stopped", file=sys.stderr, flush=True)
                continue
            first = time.perf_counter() - t
            times = []
            runs = 0 if first > args.slow_cutoff else args.runs  # a query slower than that is timed once
            budget_end = time.perf_counter() + args.max_seconds
            for i in range(runs):
                t = time.perf_counter()
                store.query(text)
                times.append(time.perf_counter() - t)
                if time.perf_counter() > budget_end and len(times) >= args.min_runs:
                    break
            times = times or [first]
            results[key] = {
                "first_ms": first * 1000, "times_ms": [x * 1000 for x in times],
                "p50_ms": statistics.median(times) * 1000, "p95_ms": percentile(times, 95) * 1000,
                "rows": len(result.rows), "digest": digest_rows(result.rows),
                "sample": [{k: normalise(v) for k, v in row.items()} for row in result.rows[:3]],
            }
            print(f"  [{args.store}] {key}: p50 {results[key]['p50_ms']:.2f} ms, {len(result.rows)} rows",
                  file=sys.stderr, flush=True)
    return results


def load_worker(args) -> dict:
    """Build the corpus into one store; the memory store is also queried here (it dies with the process)."""
    seeds = extract_seeds()
    corpus = Corpus(seeds, seed=args.seed)
    folder = None
    if args.store != "memory":
        folder = Path(args.folder)
        shutil.rmtree(folder, ignore_errors=True)
    gc.collect()
    rss_before = rss_bytes()
    store = open_bench_store(args.store, folder)

    clone_s = build_s = write_s = 0.0
    written = reports = own_quads = 0
    shared_seen: set[int] = set()  # hashes of (graph, s, p, o) of shared-node triples: the store keeps each once
    source = corpus.reports()
    while own_quads + len(shared_seen) < args.triples:
        t0 = time.perf_counter()
        report = next(source)
        t1 = time.perf_counter()
        iri, graph, shared = report_graphs(report, not args.no_passages)
        t2 = time.perf_counter()
        store.replace(str(iri), graph)
        store.merge_all(shared)
        t3 = time.perf_counter()
        clone_s += t1 - t0
        build_s += t2 - t1
        write_s += t3 - t2
        own_quads += len(graph)
        written += len(graph)
        for node, part in shared.items():
            written += len(part)
            shared_seen.update(hash((node, t)) for t in part)
        reports += 1
        del graph, shared, report
    flush_s = 0.0
    if folder:
        t = time.perf_counter()
        (store.store.flush() if hasattr(store, "store") else store.flush())
        flush_s = time.perf_counter() - t
    gc.collect()
    rss_after = rss_bytes()
    stored = len(store)
    disk = folder_size(folder) if folder else None
    department, units = corpus.departments[0]
    assert (department, units[1].name) == (DEPARTMENT, YOY_UNIT), (department, units[1].name)

    results = time_queries(store, args) if folder is None and not args.no_queries else {}
    store.close()
    del store
    gc.collect()
    disk_reopened = optimize_s = disk_optimized = None
    if folder:  # reopening replays and drops the write-ahead log: the size a later session sees
        import pyoxigraph as ox

        reopened = ox.Store(str(folder))
        reopened.flush()
        disk_reopened = folder_size(folder)
        if args.optimize:
            t = time.perf_counter()
            reopened.optimize()
            optimize_s = time.perf_counter() - t
            disk_optimized = folder_size(folder)
        del reopened
    return {"store": args.store, "target": args.triples, "quads": own_quads + len(shared_seen), "written": written,
            "shared_quads": len(shared_seen), "stored": stored, "reports": reports,
            "departments": len(corpus.departments), "clone_s": clone_s, "build_s": build_s, "write_s": write_s,
            "flush_s": flush_s, "rss_before": rss_before, "rss_after": rss_after, "rss_peak": rss_bytes("VmHWM"),
            "disk": disk, "disk_reopened": disk_reopened, "optimize_s": optimize_s, "disk_optimized": disk_optimized,
            "queries": results, "targets": {"department": DEPARTMENT, "unit": YOY_UNIT}}


def serve_worker(args) -> dict:
    """Open an on-disk store the load process wrote, as a later session would, and query it."""
    import pyoxigraph  # noqa: F401  (imported before the baseline, like the plugin module)

    gc.collect()
    rss_before = rss_bytes()
    t = time.perf_counter()
    store = open_bench_store("oxrdflib" if args.store == "oxrdflib" else "oxigraph", Path(args.folder))
    open_s = time.perf_counter() - t
    rss_open = rss_bytes()
    results = time_queries(store, args)
    gc.collect()
    out = {"open_s": open_s, "rss_serve_before": rss_before, "rss_serve_open": rss_open, "rss_serve_after": rss_bytes(),
           "rss_serve_peak": rss_bytes("VmHWM"), "queries": results}
    store.close()
    return out


# -- driver ---------------------------------------------------------------------------------------------------
def ms(value: float) -> str:
    if value >= 10000:
        return f"{value / 1000:,.0f} s"
    return f"{value:,.1f} ms" if value >= 1 else f"{value:.2f} ms"


def mib(n: int | None) -> str:
    return "—" if n is None else f"{n / 2**20:,.0f} MiB"


def run_store(args, store: str, triples: int, workdir: Path) -> dict | None:
    folder = workdir / f"store-{store}-{triples}"
    common = ["--triples", str(triples), "--runs", str(args.runs), "--min-runs", str(args.min_runs),
              "--max-seconds", str(args.max_seconds), "--slow-cutoff", str(args.slow_cutoff), "--seed", str(args.seed),
              "--gc-timeout", str(args.gc_timeout), "--folder", str(folder)]
    for flag in ("variants", "no_passages", "optimize", "no_queries", "only_fast"):
        if getattr(args, flag) and not (flag == "variants" and store == "memory" and not args.variants_on_memory):
            common.append("--" + flag.replace("_", "-"))

    def child(mode: str) -> dict | None:
        result_file = workdir / f"result-{mode}-{store}-{triples}.json"
        command = [sys.executable, str(Path(__file__).resolve()), f"--{mode}", store, "--result", str(result_file)]
        done = subprocess.run(command + common, cwd=ROOT)
        if done.returncode != 0 or not result_file.exists():
            print(f"  {store} {mode} failed (exit {done.returncode})", file=sys.stderr)
            return None
        return json.loads(result_file.read_text(encoding="utf-8"))

    print(f"[{triples:,} quads] {store} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    result = child("worker")
    if result is not None and store != "memory" and not args.no_queries:
        served = child("serve")
        if served is not None:
            result.update(served)
    if store != "memory" and not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    if result is not None:
        print(f"  {store} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return result


def table(results: list[dict]) -> str:
    stores = [r["store"] for r in results]
    lines = ["| | " + " | ".join(stores) + " |", "|---|" + "---|" * len(stores)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("quads in store (reports)", [f"{r['stored']:,} ({r['reports']})" for r in results])
    row("quads written (shared-node quads kept)", [f"{r['written']:,} ({r['shared_quads']:,})" for r in results])
    row("clone + build graph (same for all)", [f"{r['clone_s']:.1f} s + {r['build_s']:.1f} s" for r in results])
    row("store write (`replace` + `merge_all`)", [f"{r['write_s']:.1f} s ({r['quads'] / max(r['write_s'], 1e-9) / 1000:,.0f}k quads/s)"
                                  for r in results])
    row("RSS growth while loading (peak RSS)", [f"{mib(r['rss_after'] - r['rss_before'])} ({mib(r['rss_peak'])})"
                                                 for r in results])
    if any("rss_serve_open" in r for r in results):
        row("fresh process: open time; RSS growth open / after queries", [
            f"{r['open_s'] * 1000:,.0f} ms; {mib(r['rss_serve_open'] - r['rss_serve_before'])} / "
            f"{mib(r['rss_serve_after'] - r['rss_serve_before'])}" if "rss_serve_open" in r else "— (queried in the loading process)"
            for r in results])
    row("store folder on disk: after load / reopened", [
        "—" if r["disk"] is None else f"{mib(r['disk'])} / {mib(r.get('disk_reopened'))}"
        + (f" → {mib(r['disk_optimized'])} optimized ({r['optimize_s']:.1f} s)" if r.get("disk_optimized") else "")
        for r in results])
    names = [k for k in results[0]["queries"]]
    for r in results[1:]:
        names += [k for k in r["queries"] if k not in names]
    reference: dict[str, tuple[int, str]] = {}
    for key in names:
        cells = []
        for r in results:
            q = r["queries"].get(key)
            if q is None:
                cells.append("—")
                continue
            if "timeout_s" in q:
                cells.append(f"> {q['timeout_s']:.0f} s (stopped)")
                continue
            mark = ""
            ref = reference.setdefault(key, (q["rows"], q["digest"]))
            if (q["rows"], q["digest"]) != ref:
                mark = " ≠"
            cells.append(f"{ms(q['p50_ms'])} / {ms(q['p95_ms'])} ({q['rows']} rows{mark}, n={len(q['times_ms'])})")
        row(key.replace(" | main", ""), cells)
    lines.append("")
    lines.append("Query cells: p50 / p95 over n timed runs after one warm-up; rows = result rows; "
                 "≠ = result differs from the first store's. On-disk stores are queried by a fresh process "
                 "that opens the folder the loading process wrote; the memory store by the loading process.")
    return "\n".join(lines)


def speedups(results: list[dict]) -> str:
    """Each form timed on both: rdflib memory p50 against Oxigraph p50, and the two targets."""
    by = {r["store"]: r for r in results}
    if "memory" not in by or "oxigraph" not in by:
        return ""
    lines = ["| query | form | memory p50 | oxigraph p50 | speed-up | p50 < 100 ms | ≥ 10× |",
             "|---|---|---|---|---|---|---|"]
    for key, q in by["oxigraph"]["queries"].items():
        m = by["memory"]["queries"].get(key)
        if not m or "p50_ms" not in q or "p50_ms" not in m:
            continue
        name, form = key.split(" | ", 1)
        ratio = m["p50_ms"] / max(q["p50_ms"], 1e-9)
        lines.append(f"| {name} | {form} | {ms(m['p50_ms'])} | {ms(q['p50_ms'])} | "
                     f"{f'{ratio:,.0f}' if ratio >= 10 else f'{ratio:.1f}'}× | "
                     f"{'yes' if q['p50_ms'] < 100 else 'NO'} | {'yes' if ratio >= 10 else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="100000,1000000",
                        help="corpus sizes in quads, comma-separated (default 100000,1000000)")
    parser.add_argument("--stores", default=None,
                        help=f"comma-separated, from {', '.join(STORES)} (default memory,oxigraph,oxrdflib)")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument("--min-runs", type=int, default=3,
                        help="runs made even when a query overruns --max-seconds (default 3)")
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="stop repeating a query after this long once --min-runs are done (default 120)")
    parser.add_argument("--slow-cutoff", type=float, default=30.0,
                        help="a query whose warm-up run takes longer is timed once, not repeated (default 30 s)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the synthetic corpus")
    parser.add_argument("--variants", action="store_true", help="also time the alternative query formulations")
    parser.add_argument("--variants-on-memory", action="store_true", help="time the variants on rdflib memory too (slow)")
    parser.add_argument("--no-queries", action="store_true", help="measure loading only")
    parser.add_argument("--only-fast", action="store_true",
                        help="skip the docs/queries form of a query that has a fast rewrite (q1's takes minutes at 1M)")
    parser.add_argument("--gc-timeout", type=float, default=120.0,
                        help="give up the shared-graph garbage-collection query after this long (default 120 s)")
    parser.add_argument("--no-passages", action="store_true", help="leave out the passage triples the corpus adds")
    parser.add_argument("--optimize", action="store_true", help="also time Store.optimize() and the folder size after")
    parser.add_argument("--quick", action="store_true", help="small run: 60k quads, 5 runs, memory + oxigraph")
    parser.add_argument("--workdir", default=None, help="folder for the on-disk stores (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the on-disk stores")
    parser.add_argument("--json", default=None, help="also write all results to this JSON file")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--serve", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--result", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker or args.serve:
        args.store = args.worker or args.serve
        args.triples = int(args.triples)
        out = load_worker(args) if args.worker else serve_worker(args)
        Path(args.result).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0

    if args.quick:
        args.triples, args.runs, args.min_runs = "60000", 5, 5
        args.stores = args.stores or "memory,oxigraph"
    stores = [s.strip() for s in (args.stores or "memory,oxigraph,oxrdflib").split(",") if s.strip()]
    unknown = [s for s in stores if s not in STORES]
    if unknown:
        parser.error(f"unknown store(s) {unknown}; choose from {', '.join(STORES)}")
    args.min_runs = min(args.min_runs, args.runs)
    sizes = [int(float(s)) for s in args.triples.split(",") if s.strip()]
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="graph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    info = versions()
    header = (f"Machine: {cpu_model()}, {usable_cores()} usable cores, {memory_text()} RAM; "
              f"{platform.system()} {platform.release()}\n"
              f"Versions: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n"
              f"Corpus: 5 seed reports cloned (seed {args.seed}), passages {'off' if args.no_passages else 'on'}; "
              f"{args.runs} timed runs per query after one warm-up")
    print(header, flush=True)
    everything = {"machine": {"cpu": cpu_model(), "cores": usable_cores(), "memory": memory_text()},
                  "versions": info, "sizes": {}}
    for size in sizes:
        results = [r for r in (run_store(args, s, size, workdir) for s in stores) if r]
        if not results:
            continue
        everything["sizes"][str(size)] = results
        targets = results[0]["targets"]
        print(f"\n### {size:,} quads target — department “{targets['department']}”, YoY unit “{targets['unit']}”, "
              f"document {DOC_NUMBER}\n")
        print(table(results))
        extra = speedups(results)
        if extra:
            print("\n" + extra)
        print(flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(everything, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.workdir and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
