"""Ingest throughput: reports per hour (per core) and peak memory of ``budgetkg ingest``.

    python bench/ingest_bench.py [FOLDER ...] [--workers 1 2] [--runs 3] [--model use] [--out FILE]
                                 [--baseline SOURCE_TREE]

Without folders it ingests the real corpus (``../shared/corpus/reports``, when present)
and the seed reports (``examples/reports``) — the corpus mix of issue 14. Each run is the
real command, ``budgetkg ingest FOLDERS --store NEW_TEMP_DIR --workers N``, in its own
process, with the default model and graph store unless told otherwise: reading, graph
building, checks, embedding, committing, the passage index written after every report.

Runs of the worker counts are interleaved (1, 2, 1, 2 …) after one untimed warm-up run, so
a change of load on a shared machine falls on both; each figure is the median of ``--runs``.
With ``--baseline`` (e.g. a ``git archive`` of an earlier commit) the baseline's runs are
interleaved with this tree's too, and the ratios of the two are printed: a before/after
measured under the same load. With ``--pin`` each run may use as many cores as it has workers
(``sched_setaffinity``, inherited by every thread and process it starts): unpinned, one worker
also keeps part of a second core busy with Oxigraph's RocksDB compaction threads.
Measured per run:

* wall-clock seconds → reports per hour, and per core (÷ workers, at most the cores);
* CPU seconds of the command and every process it started (``wait4`` rusage) → reports
  per CPU-hour, the steadier figure when others use the machine;
* peak memory of the process tree from /proc: the sum of RSS every 0.2 s (shared pages
  counted in every process, an upper bound) and the sum of PSS every 1 s (shared pages split);
* the writer's own CPU seconds (the ingest process without its workers, /proc, last sample);
* the load others put on the machine meanwhile: busy CPU seconds of the whole machine
  (/proc/stat) minus the command's own, per second of the run ("others, cores").
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.extract_speed import page_count  # noqa: E402  (0 for a file that is not a PDF)
from bench.machine import summary, usable_cores  # noqa: E402
from kg.extract import discover  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "reports"
SEEDS = ROOT / "examples" / "reports"
DONE = re.compile(r"新增 added (\d+)，更新 updated (\d+)，未变 unchanged (\d+)，重复 duplicate (\d+)，失败 failed (\d+)")
OUTCOMES = ("added", "updated", "unchanged", "duplicate", "failed")
EARLIER_DONE = re.compile(r"完成 \(done\): ([^；\n]*)")
"""The summary line of budgetkg before the five-count line (a ``--baseline`` tree from November):
only the outcomes that occurred, e.g. ``完成 (done): added 5``."""


def _outcomes(text: str) -> tuple[int, ...] | None:
    found = DONE.search(text)
    if found is not None:
        return tuple(int(x) for x in found.groups())
    found = EARLIER_DONE.search(text)
    if found is None:
        return None
    counts = dict.fromkeys(OUTCOMES, 0)
    for name, number in re.findall(r"([a-z]+) (\d+)", found.group(1)):
        if name in counts:
            counts[name] = int(number)
    return tuple(counts.values())


@dataclass
class Run:
    workers: int
    wall: float
    cpu: float
    peak_rss: int  # bytes, sum over the process tree
    peak_pss: int
    others: float  # cores busy with other work, on average
    writer_cpu: float  # CPU seconds of the ingest process itself (the writer), without its workers
    counts: tuple[int, ...]


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree(root: int) -> list[int]:
    tree, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(tree.get(pid, []))
    return out


PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
    return total


def _pss(pids: list[int]) -> int:
    """Sum of PSS (smaps_rollup walks the page tables: read it less often than RSS)."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except (OSError, ValueError):
            continue
    return total


class Sampler(threading.Thread):
    """Peak RSS (every ``interval`` s) and PSS (every ``pss_every`` samples) of a process and its
    descendants."""

    def __init__(self, pid: int, interval: float = 0.2, pss_every: int = 5):
        super().__init__(daemon=True)
        self.pid, self.interval, self.pss_every = pid, interval, pss_every
        self.peak_rss = self.peak_pss = 0
        self.own_cpu = 0.0  # the root process's own user + system seconds, last seen
        self.stop = threading.Event()

    def run(self) -> None:
        sample = 0
        while not self.stop.is_set():
            pids = _tree(self.pid)
            self.peak_rss = max(self.peak_rss, _rss(pids))
            try:
                stat = Path(f"/proc/{self.pid}/stat").read_text()
                fields = stat[stat.rindex(")") + 2:].split()
                self.own_cpu = max(self.own_cpu, (int(fields[11]) + int(fields[12])) / TICKS)
            except (OSError, ValueError, IndexError):
                pass
            if sample % self.pss_every == 0:
                self.peak_pss = max(self.peak_pss, _pss(pids))
            sample += 1
            self.stop.wait(self.interval)


def _busy_seconds() -> float:
    """Busy CPU seconds of the whole machine since boot (/proc/stat, all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICKS


def ingest_once(folders: list[Path], workers: int, model: str | None, graph_store: str | None,
                code: Path = ROOT, pin: bool = False, start_from: Path | None = None) -> Run:
    """One timed ``budgetkg ingest``; ``pin``: the command and everything it starts may run on
    ``workers`` cores only (the first ones), background threads included; ``start_from``: a store
    copied in first (not timed), which the ingest then adds to."""
    store = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    if start_from is not None:
        shutil.copytree(start_from, store / "s")
    command = [sys.executable, str(code / "cli.py"), "ingest", *map(str, folders), "--store", str(store / "s"),
               "--workers", str(workers)]
    if model:
        command += ["--model", model]
    if graph_store:
        command += ["--graph-store", graph_store]
    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        busy0, start = _busy_seconds(), time.perf_counter()
        cores = sorted(os.sched_getaffinity(0))[:workers]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                                preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if pin else None)
        sampler = Sampler(proc.pid)
        sampler.start()
        out_bytes: list[bytes] = []
        reader = threading.Thread(target=lambda: out_bytes.append(proc.stdout.read()), daemon=True)
        reader.start()
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        busy = _busy_seconds() - busy0
        sampler.stop.set()
        sampler.join()
        reader.join()
    finally:
        shutil.rmtree(store, ignore_errors=True)
    text = (b"".join(out_bytes) + err).decode("utf-8", "replace")
    counts = _outcomes(text)
    if counts is None:
        raise SystemExit(f"ingest did not finish (exit {proc.returncode}):\n{text[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(workers, wall, cpu, sampler.peak_rss, sampler.peak_pss, max(0.0, (busy - cpu) / wall),
               sampler.own_cpu, counts)


def _mib(n: float) -> str:
    return f"{n / 2 ** 20:.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="report folders (default: ../shared corpus + seeds)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per worker count; medians are printed")
    parser.add_argument("--model", help="embedding model (default: the store default)")
    parser.add_argument("--graph-store", help="graph backend (default: the store default)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the budgetkg source tree to run (default: this one), e.g. a git archive of an "
                             "earlier commit, for before/after figures")
    parser.add_argument("--baseline", type=Path, help="another source tree to run interleaved with --code; "
                                                        "prints both and their ratios")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first run")
    parser.add_argument("--pin", action="store_true",
                        help="run N workers on N cores only (sched_setaffinity), so that 1 worker cannot "
                             "borrow a second core for the graph store's background compaction threads")
    parser.add_argument("--start-from", type=Path,
                        help="a store each run first copies (untimed) and then ingests into, e.g. one grown to "
                             "1,000 reports by bench/scale_bench.py --grow-only: the cost of adding to a large store")
    parser.add_argument("--out", type=Path, help="also append the figures to this file")
    args = parser.parse_args()

    folders = args.folders or [p for p in (CORPUS, SEEDS) if p.is_dir()]
    files = discover(folders)
    if not files:
        print("no report files found", file=sys.stderr)
        return 1
    pages = sum(page_count(p) for p in files if p.suffix.lower() == ".pdf")
    codes = {"this": args.code, **({"baseline": args.baseline} if args.baseline else {})}
    lines = [f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"machine: {summary()}",
             f"input: {len(files)} report files, {pages} PDF pages ({', '.join(str(f) for f in folders)}); "
             f"model {args.model or 'default'}, graph store {args.graph_store or 'default'}; "
             f"median of {args.runs} runs per worker count, interleaved; "
             + ("each run held to as many cores as it has workers (--pin); " if args.pin else "")
             + (f"each run adds to a copy of {args.start_from}; " if args.start_from else "")
             + "; ".join(f"{name} code {tree.resolve()}" for name, tree in codes.items())]
    print("\n".join(lines), flush=True)
    if not args.no_warmup:
        for tree in codes.values():
            ingest_once(folders, args.workers[0], args.model, args.graph_store, tree, args.pin, args.start_from)
    runs: dict[tuple[str, int], list[Run]] = {(name, w): [] for name in codes for w in args.workers}
    for _ in range(args.runs):
        for name, tree in codes.items():
            for workers in args.workers:
                run = ingest_once(folders, workers, args.model, args.graph_store, tree, args.pin, args.start_from)
                runs[name, workers].append(run)
                print(f"  {name} workers {workers}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU ({run.writer_cpu:.1f} s "
                      f"in the writer), peak RSS {_mib(run.peak_rss)} MiB "
                      f"(PSS {_mib(run.peak_pss)}), others {run.others:.2f} cores, load {os.getloadavg()[0]:.2f}, "
                      f"outcomes {run.counts}", file=sys.stderr, flush=True)
    table = ["", "| code | workers | wall s | reports/h | reports/h per core | CPU s | of which writer "
                 "| reports per CPU-h | pages/s | peak RSS MiB (tree) | peak PSS MiB | others, cores | × 1 worker |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    medians: dict[tuple[str, int], tuple[float, float]] = {}
    for name in codes:
        base = None
        for workers in args.workers:
            done = runs[name, workers]
            wall = statistics.median(r.wall for r in done)
            cpu = statistics.median(r.cpu for r in done)
            medians[name, workers] = wall, cpu
            base = base or wall
            per_hour = len(files) / wall * 3600
            cores = min(workers, usable_cores())
            writer = statistics.median(r.writer_cpu for r in done)
            table.append(f"| {name} | {workers} | {wall:.1f} | {per_hour:,.0f} | {per_hour / cores:,.0f} | {cpu:.1f} "
                         f"| {writer:.1f} | {len(files) / cpu * 3600:,.0f} | {pages / wall:.1f} "
                         f"| {_mib(max(r.peak_rss for r in done))} | {_mib(max(r.peak_pss for r in done))} "
                         f"| {statistics.median(r.others for r in done):.2f} | {base / wall:.2f} |")
    if args.baseline:
        table.append("")
        for workers in args.workers:
            (wall, cpu), (base_wall, base_cpu) = medians["this", workers], medians["baseline", workers]
            table.append(f"workers {workers}: this / baseline — wall {wall / base_wall:.3f}, CPU {cpu / base_cpu:.3f}")
    outcomes = {r.counts for done in runs.values() for r in done}
    table.append("")
    table.append(f"outcomes (added, updated, unchanged, duplicate, failed): {', '.join(map(str, sorted(outcomes)))}; "
                 f"load average at the end {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    table.append("peak memory: the largest of the runs; 'others' = busy CPU of the machine minus this command's, "
                 "per second of wall time")
    print("\n".join(table))
    if args.out:
        with args.out.open("a", encoding="utf-8") as out:
            out.write("\n".join(lines + table) + "\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
