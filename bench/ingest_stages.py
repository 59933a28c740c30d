"""CPU seconds of each ingest stage: ``budgetkg ingest`` run in this process with the stage
functions wrapped in a ``time.process_time`` counter (no profiler, so no profiler overhead).

    python bench/ingest_stages.py STORE [FOLDER ...] [--workers 1]

With one worker every stage runs in this process; with more, only the writer's stages
(graph write, passage index, manifest) are counted here. Stages nest: "commit" holds the
graph write and the passage index; "passage index" holds embedding and keyword tokenizing.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "reports"
SEEDS = ROOT / "examples" / "reports"
STAGES = [  # (module, owner or "", function, label)
    ("kg.extract", "", "read", "read (PDF or text)"),
    ("kg.extract.report", "", "build_report", "parse (layout → Report)"),
    ("store.ingest", "", "build_triples", "graph build"),
    ("store.ingest", "", "build_passages", "passages build"),
    ("store.ingest", "", "add_passage_triples", "passage triples"),
    ("kg.check", "", "run_checks", "checks"),
    ("embed.passage_index", "PassageIndex", "_embed", "  embedding (writer)"),
    ("embed.lexical", "LexicalIndex", "add", "  keyword tokenizing (writer)"),
    ("kg.graph.plugins.oxigraph", "OxigraphStore", "write_report_quads", "  graph write"),
    ("embed.passage_index", "PassageIndex", "replace_report", "  passage index"),
    ("embed.passage_index", "PassageIndex", "commit", "  passage index commit"),
    ("store.corpus", "Corpus", "commit_report", "commit (writer)"),
]


def wrap(times: Counter, module: str, owner: str, name: str, label: str) -> None:
    target = importlib.import_module(module)
    if owner:
        target = getattr(target, owner)
    if not hasattr(target, name):
        return
    function = getattr(target, name)

    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            times[label] += time.process_time() - start

    setattr(target, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", help="a new store folder")
    parser.add_argument("folders", nargs="*", default=[str(CORPUS), str(SEEDS)])
    parser.add_argument("--workers", default="1")
    args = parser.parse_args()
    times: Counter = Counter()
    for stage in STAGES:
        wrap(times, *stage)
    import cli

    start, wall = time.process_time(), time.time()
    sys.argv = ["budgetkg", "ingest", *args.folders, "--store", args.store, "--workers", args.workers]
    try:
        cli.main()
    except SystemExit:
        pass
    print(f"this process: {time.process_time() - start:.1f} CPU-s, {time.time() - wall:.1f} s wall", file=sys.stderr)
    for _, _, _, label in STAGES:
        if label in times:
            print(f"  {label:32s} {times[label]:7.2f} CPU-s", file=sys.stderr)


if __name__ == "__main__":
    main()
