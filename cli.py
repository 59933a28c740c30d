"""budgetkg command line: a thin layer over the library.

Library errors (``kg.errors.BudgetKGError``) become one-line messages here and nowhere
else; exit status 0 = ok, 1 = some input failed or nothing found, 2 = usage error.
Defaults and choices come from the settings table (``kg.settings``).
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
from pathlib import Path

from kg.errors import BudgetKGError
from kg.filenames import show_in_streams, shown
from kg.graph.federation import add_allow_service_option
from kg.settings import BY_NAME, READ_LIMITS, SETTINGS, STORE_OPTIONS, add_options, given_by, resolve, resolve_all

EXAMPLES = """例 (examples):
  budgetkg ingest examples/ --store .budgetkg
  budgetkg ask "哪些项目执行率低于60%" --store .budgetkg
  budgetkg search "合同纠纷没有付款" --store .budgetkg -k 5
  budgetkg sparql "SELECT ?p WHERE { ?p a bkg:Project } LIMIT 5" --store .budgetkg
  budgetkg trace 晋财社〔2019〕1号 --store .budgetkg
  budgetkg extract report.pdf --json
"""


def _store_options(parser: argparse.ArgumentParser) -> None:
    add_options(parser, STORE_OPTIONS)


def _check_outbound(args, query: str | None) -> None:
    """User SPARQL contacts no other host unless ``--allow-service URL`` names it."""
    if query:
        from kg.graph.federation import allow_list, check_outbound
        from kg.graph.vocab import PREFIXES

        check_outbound(query, allow_list(args.allow_service), PREFIXES)


def _corpus(args, create: bool = False, read_only: bool = False):
    from kg.corpus import Corpus

    given = given_by(args)
    corpus = Corpus(resolve("store", given.get("store")), given=given, create=create, read_only=read_only,
                    lock_wait=not getattr(args, "no_wait", False))
    corpus.on_lock_wait = lambda message: print(message, file=sys.stderr, flush=True)
    return corpus


@contextlib.contextmanager
def _writing(corpus):
    """The store's writer lock for a command, saying what an interrupted earlier write needed."""
    with corpus.writing():
        if corpus.recovered:
            print(corpus.recovered, file=sys.stderr)
        yield corpus


def _no_wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-wait", action="store_true", help="存储正被写入时立即失败而不等待 "
                                                               "(fail at once when another process writes the store)")


def _print_json(data) -> None:
    from kg.model import json_default

    print(json.dumps(data, ensure_ascii=False, indent=1, default=json_default))


def _print_result(result, as_json: bool) -> None:
    """A result with ``to_dict`` and ``to_text`` (verify, validate) as JSON or as text."""
    if as_json:
        _print_json(result.to_dict())
    else:
        print(result.to_text())


def _table(columns: list[str], rows: list[dict], out=None) -> None:
    out = out or sys.stdout
    if not rows:
        return
    cells = [[("" if r.get(c) is None else shown(r.get(c))) for c in columns] for r in rows]

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths = [min(w, 60) for w in widths]

    def fit(text: str, w: int) -> str:
        while width(text) > w:
            text = text[:-2] + "…"
        return text + " " * (w - width(text))

    print(" | ".join(fit(c, w) for c, w in zip(columns, widths)), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for row in cells:
        print(" | ".join(fit(c, w) for c, w in zip(row, widths)), file=out)


# -- commands ---------------------------------------------------------------------------------

def cmd_extract(args) -> int:
    from kg.extract import extract
    from kg.extract.readers.pdf_guard import ReadLimits

    report = extract(Path(args.file), ReadLimits.from_settings(resolve_all(given_by(args))))
    if args.json:
        _print_json(report.to_dict())
        return 0
    print(f"{report.title or report.unit}")
    print(f"  单位 {report.unit}（别名 {'、'.join(report.unit_aliases) or '无'}）  年度 {report.year}  "
          f"类型 {report.scope or ''}{report.kind or ''}  主管部门 {report.department_code or ''} {report.department or ''}")
    region = report.region
    print(f"  地区 {region.province or ''} {region.city or ''} {region.county or ''}  页数 {report.source.pages}（{report.source.page_basis}）")
    print(f"  报表 {len(report.tables)} 张：" + "、".join(f"{t.title}" for t in report.tables))
    print("  主要数据：")
    for figure in report.figures:
        if figure.source != "table" and report.figure(figure.key) is not figure:
            continue
        value = f"{figure.amount.wan}万元" if figure.amount else f"{figure.quantity.value}{figure.quantity.unit}"
        print(f"    {figure.label}{'（' + figure.basis + '）' if figure.basis else ''}：{value}  [第{figure.page}页, {figure.source}]")
    print(f"  项目 {len(report.projects)} 个：")
    for p in report.projects:
        amount = f"{p.annual_total.wan}万元" if p.annual_total else "-"
        evaluation = ""
        if p.self_evaluation and p.self_evaluation.execution_rate is not None:
            e = p.self_evaluation
            evaluation = f" 执行率{e.execution_rate}% 总分{e.total_score} {e.grade or ''}"
        docs = "、".join(d.canonical for d in p.documents)
        print(f"    {p.category or ''}{p.name}  {amount}{' 上年结转' if p.carryover else ''}{evaluation}"
              f"  指标{len(p.indicators)}项{('  依据 ' + docs) if docs else ''}")
    print(f"  引用文件 {len(report.documents)} 个：" + "、".join(d.canonical for d in report.documents))
    for warning in report.warnings:
        print(f"  注意：{warning}")
    return 0


INGEST_STATUS = {"added": "新增", "updated": "更新", "unchanged": "未变", "duplicate": "重复", "failed": "失败"}


def cmd_ingest(args) -> int:
    from kg.extract import discover

    paths = [Path(p) for p in args.paths]
    if not discover(paths):
        print(f"没有找到报告文件 (no .pdf/.txt/.md files under {' '.join(args.paths)})", file=sys.stderr)
        return 1
    corpus = _corpus(args, create=True)
    workers = corpus.settings["workers"]
    counts = dict.fromkeys(INGEST_STATUS, 0)
    try:
        with _writing(corpus):
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


def cmd_ask(args) -> int:
    from search.ask.engine import Asker

    corpus = _corpus(args, read_only=True)
    try:
        answer = Asker(corpus).ask(args.question).to_dict()
    finally:
        corpus.close()
    if args.json:
        _print_json(answer)
        return 0
    print(answer["answer"])
    if answer["rows"]:
        print()
        _table(answer["columns"], answer["rows"])
    if answer["evidence"]:
        print("\n依据 (evidence):")
        for i, item in enumerate(answer["evidence"], start=1):
            if item and item.get("text"):
                print(f"  [{i}] {item['report']} 第{item.get('page') or '?'}页：{item['text'][:160]}")
    if answer["sparql"] and not args.quiet:
        print(f"\n模式 {answer['mode']}；查询 (SPARQL):\n{answer['sparql']}")
    return 0


def cmd_search(args) -> int:
    from kg.graph.entities import Lexicon
    from search.hybrid import HybridSearcher, hit_rows

    _check_outbound(args, args.sparql)
    corpus = _corpus(args, read_only=True)
    try:
        lexicon = Lexicon.from_store(corpus.graph) if args.unit else None
        searcher = HybridSearcher(corpus, lexicon)
        units = lexicon.unit_iris(args.unit) if lexicon else None
        hits = searcher.search(args.text, k=corpus.settings["top-k"], units=units,
                               years=args.year or None, subunits=args.subunits, report_kind=args.kind,
                               sparql=args.sparql, method=args.method)
    finally:
        corpus.close()
    rows = hit_rows(hits)
    if args.json:
        _print_json(rows)
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
    corpus = _corpus(args, read_only=True)
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
        _print_json({"columns": result.columns, "rows": result.rows})
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=result.columns)
        writer.writeheader()
        for row in result.rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        print(buffer.getvalue(), end="")
    else:
        _table(result.columns, result.rows)
        print(f"({len(result.rows)} 行 rows)")
    return 0


def cmd_reports(args) -> int:
    corpus = _corpus(args, read_only=True)
    reports = corpus.reports()
    if args.json:
        _print_json(reports)
        return 0
    rows = [{"报告": v["title"], "文件": v["path"], "三元组": v["triples"], "段落": v["passages"], "IRI": k}
            for k, v in reports.items()]
    _table(["报告", "文件", "三元组", "段落", "IRI"], rows)
    return 0


def cmd_trace(args) -> int:
    from kg.graph.lineage import Lineage, render_text, to_json, write_graphml

    corpus = _corpus(args, read_only=True)
    try:
        graph = Lineage(corpus.graph).trace(args.entity)
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
        _print_json(to_json(graph))
    else:
        print(render_text(graph))
    return 0


def cmd_export(args) -> int:
    from kg.graph import export

    corpus = _corpus(args, read_only=True)
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


def cmd_remove(args) -> int:
    corpus = _corpus(args)
    try:
        with _writing(corpus):
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


def cmd_check(args) -> int:
    from kg.check import SEVERITIES, run_checks
    from kg.check.render import render, summary
    from kg.extract import discover, extract_many
    from kg.extract.readers.pdf_guard import ReadLimits

    severities = tuple(SEVERITIES[: SEVERITIES.index(args.severity) + 1])
    results = []
    failed = 0
    if args.paths:
        limits = ReadLimits.from_settings(resolve_all(given_by(args)))
        for outcome in extract_many(discover([Path(p) for p in args.paths]), limits=limits):
            if outcome.error is not None:
                failed += 1
                print(f"失败 {outcome.error}", file=sys.stderr)
                continue
            report = outcome.report
            results.append((report.label(), str(outcome.path),
                            run_checks(report, severities)))
    else:
        corpus = _corpus(args)
        try:
            with _writing(corpus):
                for iri, entry in corpus.reports().items():
                    findings = corpus.recheck(iri)
                    results.append((entry["title"], entry["path"], [f for f in findings if f.severity in severities]))
        finally:
            corpus.close()
    fmt = "json" if args.json else args.format
    output = render(results, fmt)
    if args.output:
        from kg.atomic_io import write_bytes_atomic

        write_bytes_atomic(Path(args.output), output.encode("utf-8"))
        print(f"已写出 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    if fmt == "text":
        print(summary(results), file=sys.stderr)
    return 1 if failed else 0


def cmd_verify(args) -> int:
    from kg.verify import repair, verify

    corpus = _corpus(args, read_only=not args.repair)
    try:
        result = repair(corpus) if args.repair else verify(corpus)
    finally:
        corpus.close()
    _print_result(result, args.json)
    return 0 if result.clean else 1


def cmd_reindex(args) -> int:
    from kg.verify import reindex

    target, args.model = args.model, None  # the store is opened (and an interrupted write completed) with its own model
    corpus = _corpus(args)
    try:
        with _writing(corpus):
            before = corpus.model
            done = reindex(corpus, target)
    finally:
        corpus.close()
    print(f"已重新嵌入 (re-embedded) {done['passages']} 段落 passages of {done['reports']} 份报告 reports: "
          f"{before} → {done['model']}（{done['dimension']} 维 dimensions）")
    for iri in done["skipped"]:
        print(f"跳过 (skipped) {iri}：抽取结果缺失或损坏，请运行 budgetkg verify --repair (stored extraction "
              f"unreadable)", file=sys.stderr)
    return 1 if done["skipped"] else 0


def cmd_validate(args) -> int:
    from kg.graph.validate import validate

    corpus = _corpus(args, read_only=True)
    try:
        result = validate(corpus.graph, per_report=not args.union, inference=args.inference)
    finally:
        corpus.close()
    _print_result(result, args.json)
    return 0 if result.conforms else 1


def cmd_serve(args) -> int:
    from search.web.app import serve
    from search.web.options import token_from

    given = given_by(args)
    serve(resolve("store", given.get("store")), host=args.host, port=args.port, token=token_from(args),
          allow_services=args.allow_service or (), host_names=args.host_name or (), given=given)
    return 0


def cmd_settings(args) -> int:
    from kg.corpus import Corpus

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
        _print_json(rows)
        return 0
    _table(["setting", "value", "source", "option", "env"], rows)
    print("来源 (source): cli 命令行 > env 环境变量 > store 存储保存的设置 > default 默认值", file=sys.stderr)
    if note:
        print(note, file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetkg", description="预算公开/决算公开 知识图谱与语义检索 "
                                     "(knowledge graph and semantic search over budget disclosures)",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("extract", help="读取一份报告并显示抽取结果 (read one report and show what was extracted)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="输出完整文档模型 JSON (print the document model)")
    add_options(p, READ_LIMITS)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="导入报告文件或文件夹（递归）(ingest files or folders, recursively)")
    p.add_argument("paths", nargs="+")
    _store_options(p)
    add_options(p, ["workers"])
    add_options(p, READ_LIMITS)
    p.add_argument("--force", action="store_true", help="即使未变化也重新处理 (re-process unchanged files)")
    _no_wait_option(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="用中文提问 (ask a question in Chinese)")
    p.add_argument("question")
    _store_options(p)
    p.add_argument("--json", action="store_true", help="输出 JSON (question, mode, intent, sparql, columns, rows, answer, evidence)")
    p.add_argument("--quiet", action="store_true", help="不显示 SPARQL (hide the query)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", help="混合语义检索段落 (hybrid semantic search over passages)")
    p.add_argument("text")
    _store_options(p)
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
    _store_options(p)
    add_allow_service_option(p)
    p.set_defaults(func=cmd_sparql)

    p = sub.add_parser("reports", help="列出已导入的报告 (list ingested reports)")
    _store_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reports)

    p = sub.add_parser("trace", help="追溯资金与政策脉络 (trace lineage of a project, document, unit or department)")
    p.add_argument("entity", help="项目、文件（发文字号）、单位或主管部门名称 (fuzzy)")
    _store_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--graphml", metavar="FILE", help="写出 GraphML (write GraphML)")
    p.add_argument("--png", metavar="FILE", help="画出 PNG 图 (draw a PNG)")
    p.set_defaults(func=cmd_trace)

    from kg.graph.formats import FORMATS

    p = sub.add_parser("export", help="导出 RDF / GraphML / 项目 CSV (export the corpus)")
    p.add_argument("--format", required=True, choices=FORMATS, help="turtle, nt, nquads, trig, jsonld, graphml, csv")
    p.add_argument("-o", "--output", help="输出文件，默认标准输出 (output file; default stdout)")
    _store_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", help="一致性检查：报表合计、跨表、说明与报表 (consistency checks)")
    p.add_argument("paths", nargs="*", help="报告文件或文件夹；省略则检查 --store 中的全部报告并写入图谱")
    _store_options(p)
    add_options(p, READ_LIMITS)
    p.add_argument("--severity", choices=("error", "warning", "info"), default="info",
                   help="显示的最低严重程度 (lowest severity shown)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text", help="输出格式 (output format): text, json, html")
    p.add_argument("--json", action="store_true", help="同 --format json (same as --format json)")
    p.add_argument("-o", "--output", help="输出文件，默认标准输出 (output file; default stdout)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("validate", help="用 SHACL 约束校验知识图谱 (validate the graph against ontology/shapes.ttl)")
    _store_options(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--union", action="store_true", help="一次校验全部图的并集 (validate the union of all graphs at once)")
    p.add_argument("--inference", choices=("none", "rdfs"), default="none", help="推理模式 (inference mode)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("remove", help="从存储中删除一份报告 (remove a report from the store)")
    p.add_argument("report", help="报告 IRI、标题或源文件路径")
    _store_options(p)
    _no_wait_option(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("verify", help="检查清单、图谱、段落索引与抽取结果是否一致 (check that manifest, graph, "
                                      "passage index and stored extractions agree)")
    _store_options(p)
    p.add_argument("--repair", action="store_true", help="修复能修复的问题 (fix what can be fixed: rebuild the index, "
                                                         "drop orphans, re-run reports from their stored extractions)")
    p.add_argument("--json", action="store_true")
    _no_wait_option(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("reindex", help="用另一个嵌入模型重新嵌入全部段落 (re-embed every stored passage with a model)")
    _store_options(p)
    _no_wait_option(p)
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("serve", help="启动网页、JSON 接口与 SPARQL 端点 (serve the page, the JSON API and a SPARQL endpoint)")
    add_options(p, ("store", "query-timeout", "top-k"))
    from search.web.options import add_server_options

    add_server_options(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("settings", help="显示每项设置的值及其来源 (show each setting's value and where it came from)")
    add_options(p, [s.name for s in SETTINGS])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    show_in_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except BudgetKGError as err:
        print(f"错误 (error): {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except KeyboardInterrupt:
        print("已中断 (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
