"""``budgetkg ingest``: store report files, one line per file and a summary of the batch."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg_cli.store_access import add_no_wait_option, add_store_options, open_corpus, writing
from kg.settings import READ_LIMITS, add_options

INGEST_STATUS = {"added": "新增", "updated": "更新", "unchanged": "未变", "duplicate": "重复", "failed": "失败"}


def cmd_ingest(args) -> int:
    from kg.extract import discover

    paths = [Path(p) for p in args.paths]
    if not discover(paths):
        print(f"没有找到报告文件 (no .pdf/.txt/.md files under {' '.join(args.paths)})", file=sys.stderr)
        return 1
    corpus = open_corpus(args, create=True)
    workers = corpus.settings["workers"]
    counts = dict.fromkeys(INGEST_STATUS, 0)
    try:
        with writing(corpus):
            for result in corpus.ingest(paths, workers=workers, force=args.force):
                counts[result.status] += 1
                if result.status == "failed":
                    print(f"失败 {result.message}", file=sys.stderr)
                elif result.status == "duplicate":
                    print(f"重复 {result.path}：{result.message}")
                else:
                    extra = f"（{result.message}）" if result.message else ""
                    print(f"{INGEST_STATUS[result.status]} {result.title}  三元组 {result.triples}  "
                          f"段落 {result.passages}  ← {result.path}{extra}")
    finally:
        corpus.close()
    summary = "，".join(f"{INGEST_STATUS[k]} {k} {v}" for k, v in counts.items())
    print(f"完成 (done): {summary}；存储 {corpus.folder}", file=sys.stderr)
    return 1 if counts["failed"] else 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="导入报告文件或文件夹（递归）(ingest files or folders, recursively)")
    p.add_argument("paths", nargs="+")
    add_store_options(p)
    add_options(p, ["workers"])
    add_options(p, READ_LIMITS)
    p.add_argument("--force", action="store_true", help="即使未变化也重新处理 (re-process unchanged files)")
    add_no_wait_option(p)
    p.set_defaults(func=cmd_ingest)
