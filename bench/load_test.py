"""Bounded load test of the web server on loopback.

Starts ``python -m search.web`` on a store (the seed reports are ingested into a temporary
store when ``--store`` is not given), then runs N concurrent clients for a fixed time,
each sending a random mix of ``/api/ask``, ``/api/search`` and ``/sparql`` requests (JSON,
CSV and Turtle results). Prints the machine, requests, errors, throughput and p50/p95/p99
latency per endpoint; exits 1 when any request failed.

    python bench/load_test.py                      # 50 clients, 30 s
    python bench/load_test.py --clients 20 --duration 10 --store .budgetkg
    python bench/load_test.py --url http://127.0.0.1:8000   # an already running server
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402

QUESTIONS = [
    "哪些项目执行率低于60%",
    "汾阳市人社局2024年政府采购预算总额",
    "哪些项目的立项依据是晋财社【2019】1号",
    "大同市人力资源和社会保障局下属有哪些单位",
    "哪个项目因为合同问题没付款",
]
SEARCHES = [
    {"q": "合同问题没付款", "k": 5},
    {"q": "政府采购", "unit": "汾阳市人社局", "year": 2024, "k": 5},
    {"q": "就业补助资金", "k": 10},
    {"q": "执行率偏低的原因", "k": 5, "kind": "决算"},
]
SPARQL = [
    ("SELECT ?name ?rate WHERE { ?p a bkg:Project ; rdfs:label ?name ; bkg:hasSelfEvaluation ?se . "
     "?se bkg:executionRate ?rate FILTER(?rate < 60) } ORDER BY ?rate", "application/sparql-results+json"),
    ("SELECT ?unit ?name WHERE { ?unit org:subOrganizationOf ?d ; skos:prefLabel ?name }", "text/csv"),
    ('ASK { ?p rdfs:label "法律顾问费"@zh }', "application/sparql-results+json"),
    ("SELECT ?p ?n WHERE { ?p a bkg:Project ; rdfs:label ?n } LIMIT 50", "text/tab-separated-values"),
    ('CONSTRUCT { ?p rdfs:label ?n } WHERE { ?p a bkg:Project ; rdfs:label ?n FILTER(CONTAINS(?n, "就业")) }',
     "text/turtle"),
]
MIX = {"ask": 0.4, "search": 0.3, "sparql": 0.3}


def machine() -> dict:
    import pyoxigraph

    return {**describe(), "pyoxigraph": pyoxigraph.__version__}


def ingest_seeds(folder: Path) -> None:
    from store.corpus import Corpus

    corpus = Corpus(folder)
    try:
        results = list(corpus.ingest([SEEDS]))
        failed = [r.message for r in results if r.status == "failed"]
        if failed:
            raise SystemExit(f"ingest failed: {failed}")
    finally:
        corpus.close()


def start_server(store: Path, args) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "search.web", "--store", str(store), "--port", "0", "--no-access-log",
               "--log-level", "warning", "--query-timeout", str(args.query_timeout)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.api_concurrency:
        command += ["--api-concurrency", str(args.api_concurrency)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               encoding="utf-8", errors="replace", env=dict(os.environ, PYTHONUNBUFFERED="1"))
    found: list[str] = []
    ready = threading.Event()
    log: list[str] = []

    def pump():
        for line in process.stdout:
            log.append(line.rstrip())
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(300) or not found:
        process.kill()
        raise SystemExit("server did not start:\n" + "\n".join(log[-40:]))
    return process, found[0]


async def run_load(url: str, clients: int, duration: float, seed: int) -> list[tuple[str, float, bool, str]]:
    import httpx

    results: list[tuple[str, float, bool, str]] = []
    stop_at = time.monotonic() + duration

    async def client(number: int, http: httpx.AsyncClient):
        rng = random.Random(seed * 1000 + number)
        kinds, weights = list(MIX), list(MIX.values())
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            started = time.monotonic()
            problem = ""
            try:
                if kind == "ask":
                    response = await http.get("/api/ask", params={"q": rng.choice(QUESTIONS)})
                    ok = response.status_code == 200 and bool(response.json().get("answer"))
                elif kind == "search":
                    response = await http.get("/api/search", params=rng.choice(SEARCHES))
                    ok = response.status_code == 200 and isinstance(response.json(), list)
                else:
                    query, accept = rng.choice(SPARQL)
                    if rng.random() < 0.5:
                        response = await http.get("/sparql", params={"query": query}, headers={"Accept": accept})
                    else:
                        response = await http.post("/sparql", content=query.encode("utf-8"),
                                                   headers={"Accept": accept,
                                                            "Content-Type": "application/sparql-query"})
                    ok = response.status_code == 200 and len(response.content) > 0
                if not ok:
                    problem = f"HTTP {response.status_code}: {response.text[:200]}"
            except (httpx.HTTPError, ValueError) as err:
                ok, problem = False, f"{type(err).__name__}: {err}"
            results.append((kind, time.monotonic() - started, ok, problem))

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    return results


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def summarise(results, duration: float) -> list[dict]:
    rows = []
    for kind in list(MIX) + ["all"]:
        picked = [r for r in results if kind == "all" or r[0] == kind]
        latencies = [r[1] * 1000 for r in picked]
        rows.append({"endpoint": {"ask": "/api/ask", "search": "/api/search", "sparql": "/sparql",
                                  "all": "all"}[kind],
                     "requests": len(picked), "errors": sum(not r[2] for r in picked),
                     "throughput": len(picked) / duration, "p50_ms": percentile(latencies, 50),
                     "p95_ms": percentile(latencies, 95), "p99_ms": percentile(latencies, 99),
                     "max_ms": max(latencies) if latencies else float("nan")})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--store", help="store folder (default: the seed reports ingested into a temp folder)")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--workers", type=int, help="SPARQL query processes of the started server")
    parser.add_argument("--api-concurrency", type=int, help="the started server's --api-concurrency")
    parser.add_argument("--query-timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)

    info = machine()
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, {info['os']}, "
          f"Python {info['python']}, pyoxigraph {info['pyoxigraph']}")
    process = None
    temp = None
    try:
        url = args.url
        if not url:
            store = Path(args.store) if args.store else None
            if store is None:
                temp = tempfile.TemporaryDirectory(prefix="budgetkg-load-")
                store = Path(temp.name) / "store"
                started = time.monotonic()
                ingest_seeds(store)
                print(f"ingested the seed reports in {time.monotonic() - started:.1f} s")
            started = time.monotonic()
            process, url = start_server(store, args)
            print(f"server {url} ready in {time.monotonic() - started:.1f} s (pid {process.pid})")
        if args.warmup > 0:
            asyncio.run(run_load(url, args.clients, args.warmup, args.seed + 1))
        print(f"load: {args.clients} concurrent clients for {args.duration:g} s; mix "
              + ", ".join(f"{k} {v:.0%}" for k, v in MIX.items()))
        began = time.monotonic()
        results = asyncio.run(run_load(url, args.clients, args.duration, args.seed))
        elapsed = time.monotonic() - began
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if temp is not None:
            temp.cleanup()
    rows = summarise(results, elapsed)
    header = f"{'endpoint':<12} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} " \
             f"{'p99 ms':>8} {'max ms':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['endpoint']:<12} {row['requests']:>8} {row['errors']:>6} {row['throughput']:>7.1f} "
              f"{row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f} {row['p99_ms']:>8.0f} {row['max_ms']:>8.0f}")
    failures = [r[3] for r in results if not r[2]]
    for problem in sorted(set(failures))[:10]:
        print(f"error: {problem}")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "clients": args.clients, "duration": elapsed,
                                               "rows": rows}, indent=1), encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
