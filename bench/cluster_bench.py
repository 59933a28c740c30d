"""Cluster ingest (issue 14, item 5): a Dask LocalCluster + Virtuoso bulk loading against local ingest.

    python bench/cluster_bench.py [FOLDER ...] [--model use] [--workers 2] [--variants NAME ...]
                                  [--no-warm-up] [--out FILE]

Starts a throwaway Virtuoso on loopback (``tests/graph/conftest.running_virtuoso``) and a
Dask ``LocalCluster`` of ``--workers`` single-threaded worker processes, then runs the real
command once per variant, each into a new store, after one untimed warm-up:

* ``local-1``            ``budgetkg ingest FOLDERS --workers 1`` (Oxigraph)
* ``local-N``            ``--workers N`` (Oxigraph)
* ``local-N-sparql``     ``--workers N --graph-store sparql`` (Virtuoso over SPARQL INSERT DATA)
* ``local-N-virtuoso``   ``--workers N --graph-store virtuoso`` (Virtuoso, bulk loader)
* ``cluster-virtuoso``   ``--cluster ADDRESS --graph-store virtuoso``

Then the graph write alone: every report's graphs (report, findings, shared) written through
``GraphStore.write_report`` by Oxigraph, by SPARQL updates and by the bulk loader — triples
per second. Without folders: ``tests/fixtures/corpus`` and ``examples/reports``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import summary  # noqa: E402


def _run(args: list[str]) -> tuple[float, str]:
    """Seconds the command took and its batch line (added / failed …)."""
    import subprocess

    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    seconds = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"budgetkg {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr[-2000:]}")
    batch = next((line for line in (done.stdout + done.stderr).splitlines() if line.startswith("完成")), "")
    reasons = sorted({line.split("：", 1)[-1][:160] for line in done.stderr.splitlines() if "失败原因" in line})
    return seconds, batch.split("；存储")[0] + "".join(f"\n    failed: {r}" for r in reasons)


def _graph_writes(folders: list[Path], virtuoso, scratch: Path) -> list[str]:
    from kg.check.graph import findings_graph
    from kg.errors import BudgetKGError
    from kg.extract import discover
    from kg.graph import vocab
    from kg.graph.store import open_store
    from store.ingest import prepare

    built = [p.built for p in (prepare(f) for f in discover(folders)) if p.built is not None]
    stores = {"oxigraph": open_store("oxigraph", str(scratch / "oxigraph")),
              "sparql (INSERT DATA)": open_store("sparql", virtuoso.url),
              "virtuoso bulk loader": open_store("virtuoso", virtuoso.url, isql=virtuoso.sql,
                                                 load_dir=str(virtuoso.folder / "load"))}
    triples = sum(len(b.graph) + sum(len(g) for g in b.shared.values()) for b in built)
    lines = []
    for name, store in stores.items():
        started, failed = time.monotonic(), []
        for item in built:
            iri = str(vocab.report_iri(item.report))
            findings = findings_graph(iri, item.findings) if item.findings else None
            try:
                store.write_report(iri, item.graph, item.shared, str(vocab.findings_graph_iri(iri)), findings)
            except BudgetKGError as err:
                failed.append(f"{item.report.label()}: {str(err)[:160]}")
        seconds = time.monotonic() - started
        lines.append(f"graph write, {name}: {len(built)} reports, {triples} triples in {seconds:.1f} s = "
                     f"{triples / seconds:,.0f} triples/s, {1000 * seconds / len(built):.0f} ms per report; "
                     f"{len(failed)} failed" + "".join(f"\n    {f}" for f in failed))
        store.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--model", default="use")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--variants", nargs="*", help="only these variants (names above)")
    parser.add_argument("--no-warm-up", action="store_true")
    args = parser.parse_args()
    folders = args.folders or [ROOT / "tests" / "fixtures" / "corpus", ROOT / "examples" / "reports"]
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    from distributed import LocalCluster

    from kg.extract import discover
    from tests.graph.conftest import running_virtuoso

    files = discover(folders)
    lines = [summary(), f"{len(files)} files under {', '.join(map(str, folders))}; model {args.model}"]
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as tmp, \
            running_virtuoso(Path(tmp)) as virtuoso, \
            LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address="127.0.0.1:0") as cluster:
        n = args.workers
        endpoint = ["--endpoint", virtuoso.url]
        bulk = [*endpoint, "--virtuoso-isql", virtuoso.sql, "--bulk-load-dir", str(Path(tmp) / "load")]
        variants = {
            "local-1": ["--workers", "1"],
            f"local-{n}": ["--workers", str(n)],
            f"local-{n}-sparql": ["--workers", str(n), "--graph-store", "sparql", *endpoint],
            f"local-{n}-virtuoso": ["--workers", str(n), "--graph-store", "virtuoso", *bulk],
            "cluster-virtuoso": ["--cluster", cluster.scheduler_address, "--graph-store", "virtuoso", *bulk],
        }
        if not args.no_warm_up:
            _run(["ingest", *folders, "--store", Path(tmp) / "warm-up", "--model", args.model, "--workers", str(n)])
        for name, options in variants.items():
            if args.variants and name not in args.variants:
                continue
            seconds, batch = _run(["ingest", *folders, "--store", Path(tmp) / name, "--model", args.model, *options])
            lines.append(f"{name}: {seconds:.1f} s = {3600 * len(files) / seconds:,.0f} reports/h; {batch}")
            print(lines[-1], flush=True)
        lines += _graph_writes(folders, virtuoso, Path(tmp))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
