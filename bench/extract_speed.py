"""PDF extraction speed in pages per second, side by side with a pdfplumber baseline.

    python bench/extract_speed.py [FOLDER_OR_PDF ...] [--workers N] [--runs 5]

Without arguments it reads the seed PDF fixtures (tests/fixtures/pdf/*.pdf, not bad/). Rows:

* ``read`` — ``kg.extract.read`` (the PDF reader alone: text lines and tables);
* ``extract`` — ``kg.extract.extract_many`` (read + understand), 1 process and N workers;
* ``baseline`` — pdfplumber ``extract_text`` + ``extract_tables`` on every page, 1 process
  and N worker processes (one file per task, like ``extract_many``).

Each figure is the median of ``--runs`` timed runs (after one untimed warm-up run), as
wall-clock time and as CPU time (this process plus its worker processes; on a machine
shared with other work, CPU time is the steadier measure of cost per page). Files that
fail (not a report, encrypted, ...) still count: their time was spent.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_model, usable_cores  # noqa: E402
from kg.extract import discover, extract_many, read  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()


def baseline_file(path: Path) -> int:
    """pdfplumber text + tables on every page of one file; returns the pages done."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
            return len(pdf.pages)
    except Exception:  # an unreadable file costs what it cost
        return 0


def run_read(paths: list[Path], workers: int) -> None:
    for path in paths:
        try:
            read(path)
        except Exception:
            pass


def run_extract(paths: list[Path], workers: int) -> None:
    for _ in extract_many(paths, workers=workers):
        pass


def run_baseline(paths: list[Path], workers: int) -> None:
    if workers <= 1:
        for path in paths:
            baseline_file(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(baseline_file, paths))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def median_seconds(fn, paths: list[Path], workers: int, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``runs`` runs after a warm-up run."""
    fn(paths, workers)  # warm-up: imports, font caches, disk cache
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        fn(paths, workers)
        wall.append(time.perf_counter() - start)
        cpu.append(cpu_seconds() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="PDF files or folders (default: the PDF fixtures)")
    parser.add_argument("--workers", type=int, default=usable_cores(), help="worker processes (default: all cores)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure; the median is printed")
    parser.add_argument("--no-baseline", action="store_true", help="skip pdfplumber (it is slow on big folders)")
    args = parser.parse_args()

    sources = args.paths or [FIXTURES]
    if args.paths:
        paths = [p for p in discover(args.paths) if p.suffix.lower() == ".pdf"]
    else:  # the seed PDFs, not the broken files under bad/
        paths = sorted(FIXTURES.glob("*.pdf"))
    if not paths:
        print("no PDF files found", file=sys.stderr)
        return 1
    pages = sum(page_count(p) for p in paths)
    print(f"machine: {cpu_model()}, {usable_cores()} usable cores ({os.cpu_count()} logical), "
          f"Python {platform.python_version()}")
    print(f"input: {len(paths)} PDF files, {pages} pages ({', '.join(str(s) for s in sources)}); "
          f"median of {args.runs} runs\n")

    rows: list[tuple[str, int, float, float]] = []
    plans = [("read (PdfReader)", run_read, 1), ("extract", run_extract, 1)]
    if args.workers > 1:
        plans.append(("extract", run_extract, args.workers))
    if not args.no_baseline:
        plans.append(("baseline: pdfplumber text + tables", run_baseline, 1))
        if args.workers > 1:
            plans.append(("baseline: pdfplumber text + tables", run_baseline, args.workers))
    for name, fn, workers in plans:
        seconds, cpu = median_seconds(fn, paths, workers, args.runs)
        rows.append((name, workers, seconds, cpu))
        print(f"  {name}, {workers} process(es): {seconds:.2f} s wall, {cpu:.2f} s CPU", file=sys.stderr)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at the end: {load:.1f} (on a busy machine trust the CPU-time columns)\n")
    base = {w: s for n, w, s, _ in rows if n.startswith("baseline")}
    base_cpu = {w: c for n, w, _, c in rows if n.startswith("baseline")}
    print("| what | processes | wall s | pages/s | × baseline | CPU s | pages per CPU-s | × baseline (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, workers, seconds, cpu in rows:
        ours = not name.startswith("baseline")
        ratio = f"{base[workers] / seconds:.1f}" if ours and workers in base else ""
        ratio_cpu = f"{base_cpu[workers] / cpu:.1f}" if ours and workers in base_cpu and cpu > 0 else ""
        per_cpu = f"{pages / cpu:.1f}" if cpu > 0 else ""
        print(f"| {name} | {workers} | {seconds:.2f} | {pages / seconds:.1f} | {ratio} | {cpu:.2f} | {per_cpu} "
              f"| {ratio_cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
