"""``budgetkg ingest``: store report files, one line per file and a summary of the batch."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg_cli.store_access import add_no_wait_option, add_store_options, open_corpus, writing
from kg.errors import UsageError
from kg.settings import READ_LIMITS, VECTOR_LAYOUT, add_options


def cmd_ingest(args) -> int:
    from budgetkg_cli.ingest_display import display_for
    from kg.extract import discover

    paths = [Path(p) for p in args.paths]
    files = discover(paths)
    if not files:
        print(f"没有找到报告文件 (no .pdf/.txt/.md files under {' '.join(args.paths)})", file=sys.stderr)
        return 1
    corpus = open_corpus(args, create=True)
    cluster = corpus.settings["cluster"]
    if cluster and corpus.settings.source("workers") == "cli":
        corpus.close()
        raise UsageError("--cluster 与 --workers 不能同时使用：集群上的进程数由每台机器的 `dask worker --nworkers N` "
                         "决定 (--cluster and --workers exclude each other: the cluster's processes are set by "
                         "`dask worker --nworkers N` on each machine); 去掉其中一个 (drop one of them)")
    display = display_for(len(files))
    corpus.on_stage = display.stage
    try:
        with writing(corpus):
            display.start()
            for result in corpus.ingest(files, workers=corpus.settings["workers"], force=args.force,
                                        cluster=cluster):
                display.add(result)
            display.finishing()
    finally:
        display.stop()
        corpus.close()
    display.summary(corpus.folder)
    return 1 if display.counts["failed"] else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="导入报告文件或文件夹（递归）(ingest files or folders, recursively)")
    p.add_argument("paths", nargs="+")
    add_store_options(p)
    add_options(p, ["workers", "cluster"])
    add_options(p, READ_LIMITS)
    add_options(p, VECTOR_LAYOUT)
    p.add_argument("--force", action="store_true", help="即使未变化也重新处理 (re-process unchanged files)")
    add_no_wait_option(p)
    p.set_defaults(func=cmd_ingest)
