"""Reading a store: ``ask``, ``search``, ``sparql``, ``reports``, ``trace``, ``export`` and ``serve``."""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from budgetkg_cli.output import print_json, table
from budgetkg_cli.store_access import add_store_options, open_corpus
from kg.errors import BudgetKGError
from kg.graph.federation import add_allow_service_option
from kg.settings import BY_NAME, add_options, given_by, resolve


def _check_outbound(args, query: str | None) -> None:
    """User SPARQL contacts no other host unless ``--allow-service URL`` names it."""
    if query:
        from kg.graph.federation import allow_list, check_outbound
        from kg.graph.vocab import PREFIXES

        check_outbound(query, allow_list(args.allow_service), PREFIXES)


def cmd_ask(args) -> int:
    from search.ask.engine import Asker

    corpus = open_corpus(args, read_only=True)
    try:
        answer = Asker(corpus).ask(args.question).to_dict()
    finally:
        corpus.close()
    if args.json:
        print_json(answer)
        return 0
    print(answer["answer"])
    if answer["rows"]:
        print()
        table(answer["columns"], answer["rows"])
    if answer["evidence"]:
        print("\n依据 (evidence):")
        for i, item in enumerate(answer["evidence"], start=1):
            if item and item.get("text"):
                print(f"  [{i}] {item['report']} 第{item.get('page') or '?'}页：{item['text'][:160]}")
    if answer["sparql"] and not args.quiet:
        print(f"\n模式 {answer['mode']}；查询 (SPARQL):\n{answer['sparql']}")
    return 0


def cmd_search(args) -> int:
    from search.hybrid import HybridSearcher, hit_rows
    from store.lexicon_file import corpus_lexicon

    _check_outbound(args, args.sparql)
    corpus = open_corpus(args, read_only=True)
    try:
        lexicon = corpus_lexicon(corpus) if args.unit else None
        searcher = HybridSearcher(corpus, lexicon)
        units = lexicon.unit_iris(args.unit) if lexicon else None
        hits = searcher.search(args.text, k=corpus.settings["top-k"], units=units,
                               years=args.year or None, subunits=args.subunits, report_kind=args.kind,
                               sparql=args.sparql, method=args.method)
    finally:
        corpus.close()
    rows = hit_rows(hits)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("没有结果 (no results)。")
        return 1
    for row in rows:
        print(f"{row['rank']:>2}. [{row['score']}] {row['report']} 第{row['page'] or '?'}页 · {row['section']}")
        print(f"    {row['text'][:200]}")
    return 0


def cmd_sparql(args) -> int:
    if args.file:
        try:
            query = Path(args.file).read_text(encoding="utf-8")
        except OSError as err:
            raise BudgetKGError(f"无法读取查询文件 {args.file}: {err.strerror}") from None
    elif args.query:
        query = args.query
    else:
        raise BudgetKGError("请给出查询或 --file q.rq (give a query or --file)")
    _check_outbound(args, query)
    corpus = open_corpus(args, read_only=True)
    try:
        result = corpus.graph.query(query)
    finally:
        corpus.close()
    fmt = corpus.settings["format"]
    if result.kind == "ask":
        print(json.dumps({"boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower())
        return 0
    if result.kind == "graph":
        print(result.graph.serialize(format="turtle"))
        return 0
    if fmt == "json":
        print_json({"columns": result.columns, "rows": result.rows})
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=result.columns)
        writer.writeheader()
        for row in result.rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        print(buffer.getvalue(), end="")
    else:
        table(result.columns, result.rows)
        print(f"({len(result.rows)} 行 rows)")
    return 0


def cmd_reports(args) -> int:
    from store.report_status import report_rows

    corpus = open_corpus(args, read_only=True)
    try:
        rows = report_rows(corpus.reports(), corpus.graph.graphs())
    finally:
        corpus.close()
    if args.json:
        print_json(rows)  # the rows /api/reports answers with
        return 0
    table(["报告", "文件", "三元组", "段落", "状态", "IRI"],
          [{"报告": r["title"], "文件": r["file"], "三元组": r["triples"], "段落": r["passages"],
            "状态": r["status_text"], "IRI": r["iri"]} for r in rows])
    return 0


def cmd_trace(args) -> int:
    from kg.graph.lineage import Lineage, render_text, to_json, write_graphml
    from store.lexicon_file import corpus_lexicon

    corpus = open_corpus(args, read_only=True)
    try:
        graph = Lineage(corpus.graph, corpus_lexicon(corpus)).trace(args.entity)
    finally:
        corpus.close()
    if args.graphml:
        write_graphml(graph, args.graphml)
        print(f"已写出 GraphML：{args.graphml}", file=sys.stderr)
    if args.png:
        from kg.graph.drawing import draw_png

        draw_png(graph, args.png)
        print(f"已写出图片：{args.png}", file=sys.stderr)
    if args.json:
        print_json(to_json(graph))
    else:
        print(render_text(graph))
    return 0


def cmd_export(args) -> int:
    from kg.graph import export

    corpus = open_corpus(args, read_only=True)
    try:
        if args.format == "csv":
            data = export.projects_csv(corpus.graph).encode("utf-8-sig")
        elif args.format == "graphml":
            data = export.export_graphml(corpus.graph)
        else:
            data = export.export_rdf(corpus.graph, args.format)
    finally:
        corpus.close()
    if args.output:
        from kg.atomic_io import write_bytes_atomic

        write_bytes_atomic(Path(args.output), data)
        print(f"已写出 {args.output}（{len(data)} 字节）", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_serve(args) -> int:
    from search.web.app import serve
    from search.web.options import token_from

    given = given_by(args)
    serve(resolve("store", given.get("store")), host=args.host, port=args.port, token=token_from(args),
          allow_services=args.allow_service or (), host_names=args.host_name or (), given=given)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="用中文提问 (ask a question in Chinese)")
    p.add_argument("question")
    add_store_options(p)
    p.add_argument("--json", action="store_true", help="输出 JSON (question, mode, intent, sparql, columns, rows, answer, evidence)")
    p.add_argument("--quiet", action="store_true", help="不显示 SPARQL (hide the query)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", help="混合语义检索段落 (hybrid semantic search over passages)")
    p.add_argument("text")
    add_store_options(p)
    add_options(p, ["top-k"], "-k")
    p.add_argument("--unit", help="限定单位（含简称，如 大同市人社局）(restrict to a unit)")
    p.add_argument("--subunits", action="store_true", help="包括 --unit 的下属单位 (include its subordinate units)")
    p.add_argument("--year", type=int, action="append", help="限定年度，可重复 (restrict to a year; repeatable)")
    p.add_argument("--kind", choices=("预算", "决算"), help="限定报告类型 (budget or final account)")
    p.add_argument("--sparql", help="一个返回实体的 SELECT 查询，检索限定于这些实体 (SELECT whose first column gives entities)")
    p.add_argument("--method", choices=("hybrid", "dense", "lexical"), default="hybrid", help="检索方法 (retrieval method)")
    add_allow_service_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("sparql", help="运行 SPARQL 查询（已预声明前缀）(run SPARQL; project prefixes predeclared)")
    p.add_argument("query", nargs="?")
    p.add_argument("--file", help="从文件读取查询 (read the query from a file)")
    add_options(p, ["format"], choices=BY_NAME["format"].choices)
    add_store_options(p)
    add_allow_service_option(p)
    p.set_defaults(func=cmd_sparql)

    p = sub.add_parser("reports", help="列出已导入的报告 (list ingested reports)")
    add_store_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reports)

    p = sub.add_parser("trace", help="追溯资金与政策脉络 (trace lineage of a project, document, unit or department)")
    p.add_argument("entity", help="项目、文件（发文字号）、单位或主管部门名称 (fuzzy)")
    add_store_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--graphml", metavar="FILE", help="写出 GraphML (write GraphML)")
    p.add_argument("--png", metavar="FILE", help="画出 PNG 图 (draw a PNG)")
    p.set_defaults(func=cmd_trace)

    from kg.graph.formats import FORMATS

    p = sub.add_parser("export", help="导出 RDF / GraphML / 项目 CSV (export the corpus)")
    p.add_argument("--format", required=True, choices=FORMATS, help="turtle, nt, nquads, trig, jsonld, graphml, csv")
    p.add_argument("-o", "--output", help="输出文件，默认标准输出 (output file; default stdout)")
    add_store_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="启动网页、JSON 接口与 SPARQL 端点 (serve the page, the JSON API and a SPARQL endpoint)")
    add_options(p, ("store", "query-timeout", "top-k"))
    from search.web.options import add_server_options

    add_server_options(p)
    p.set_defaults(func=cmd_serve)
