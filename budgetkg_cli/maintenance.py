"""Keeping a store: ``validate``, ``remove``, ``verify``, ``reindex`` and ``settings``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg_cli.output import print_json, print_result, table
from budgetkg_cli.store_access import add_no_wait_option, add_store_options, open_corpus, writing
from kg.errors import BudgetKGError
from kg.settings import SETTINGS, add_options, given_by, resolve, resolve_all


def cmd_remove(args) -> int:
    corpus = open_corpus(args)
    try:
        with writing(corpus):
            matches = [iri for iri, entry in corpus.reports().items()
                       if args.report in (iri, entry["title"], entry["path"]) or args.report in entry["title"]]
            if len(matches) != 1:
                listed = "；".join(e["title"] for e in corpus.reports().values())
                raise BudgetKGError(f"{'没有' if not matches else '有多个'}报告匹配“{args.report}”；现有：{listed}")
            corpus.remove(matches[0])
    finally:
        corpus.close()
    print(f"已删除 (removed) {args.report}")
    return 0


def cmd_verify(args) -> int:
    from store.verify import repair, verify

    corpus = open_corpus(args, read_only=not args.repair)
    try:
        result = repair(corpus) if args.repair else verify(corpus)
    finally:
        corpus.close()
    print_result(result, args.json)
    return 0 if result.clean else 1


def cmd_reindex(args) -> int:
    from store.verify import reindex

    target, args.model = args.model, None  # the store is opened (and an interrupted write completed) with its own model
    corpus = open_corpus(args)
    try:
        with writing(corpus):
            before = corpus.model
            done = reindex(corpus, target)
    finally:
        corpus.close()
    print(f"已重建 (reindexed) {done['passages']} 段落 passages of {done['reports']} 份报告 reports, "
          f"其中嵌入 (embedded) {done['embedded']}: "
          f"{before} → {done['model']}（{done['dimension']} 维 dimensions）")
    for iri in done["skipped"]:
        print(f"跳过 (skipped) {iri}：抽取结果缺失或损坏，请运行 budgetkg verify --repair (stored extraction "
              f"unreadable)", file=sys.stderr)
    return 1 if done["skipped"] else 0


def cmd_validate(args) -> int:
    from kg.graph.validate import validate

    corpus = open_corpus(args, read_only=True)
    try:
        result = validate(corpus.graph, per_report=not args.union, inference=args.inference)
    finally:
        corpus.close()
    print_result(result, args.json)
    return 0 if result.conforms else 1


def cmd_settings(args) -> int:
    from store.corpus import Corpus

    given = given_by(args)
    folder = Path(resolve("store", given.get("store"))).expanduser()
    note = None
    if (folder / "manifest.json").exists():
        corpus = Corpus(folder, given=given, read_only=True, create=False)
        settings = corpus.settings
        corpus.close()
    else:
        settings = resolve_all(given)
        note = f"存储 {folder} 不存在，未读取其保存的设置 (no store at {folder}: its saved settings were not read)"
    rows = []
    for setting in SETTINGS:
        value = settings[setting.name]
        if setting.name == "endpoint-password" and value:
            value = "******"
        rows.append({"setting": setting.name, "value": value, "source": settings.source(setting.name),
                     "option": setting.option, "env": setting.env})
    if args.json:
        print_json(rows)
        return 0
    table(["setting", "value", "source", "option", "env"], rows)
    print("来源 (source): cli 命令行 > env 环境变量 > store 存储保存的设置 > default 默认值", file=sys.stderr)
    if note:
        print(note, file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="用 SHACL 约束校验知识图谱 (validate the graph against ontology/shapes.ttl)")
    add_store_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--union", action="store_true", help="一次校验全部图的并集 (validate the union of all graphs at once)")
    p.add_argument("--inference", choices=("none", "rdfs"), default="none", help="推理模式 (inference mode)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("remove", help="从存储中删除一份报告 (remove a report from the store)")
    p.add_argument("report", help="报告 IRI、标题或源文件路径")
    add_store_options(p)
    add_no_wait_option(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("verify", help="检查清单、图谱、段落索引与抽取结果是否一致 (check that manifest, graph, "
                                      "passage index and stored extractions agree)")
    add_store_options(p)
    p.add_argument("--repair", action="store_true", help="修复能修复的问题 (fix what can be fixed: rebuild the index, "
                                                         "drop orphans, re-run reports from their stored extractions)")
    p.add_argument("--json", action="store_true")
    add_no_wait_option(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("reindex", help="用另一个嵌入模型重新嵌入全部段落 (re-embed every stored passage with a model)")
    add_store_options(p)
    add_no_wait_option(p)
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("settings", help="显示每项设置的值及其来源 (show each setting's value and where it came from)")
    add_options(p, [s.name for s in SETTINGS])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_settings)
