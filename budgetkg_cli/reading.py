"""Reading report files without a store: ``extract`` one report, ``check`` files or the store."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg_cli.output import print_json
from budgetkg_cli.store_access import add_store_options, open_corpus, writing
from kg.settings import READ_LIMITS, add_options, given_by, resolve_all


def cmd_extract(args) -> int:
    from kg.extract import extract
    from kg.extract.readers.pdf_guard import ReadLimits

    report = extract(Path(args.file), ReadLimits.from_settings(resolve_all(given_by(args))))
    if args.json:
        print_json(report.to_dict())
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
        corpus = open_corpus(args)
        try:
            with writing(corpus):
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


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="读取一份报告并显示抽取结果 (read one report and show what was extracted)")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="输出完整文档模型 JSON (print the document model)")
    add_options(p, READ_LIMITS)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("check", help="一致性检查：报表合计、跨表、说明与报表 (consistency checks)")
    p.add_argument("paths", nargs="*", help="报告文件或文件夹；省略则检查 --store 中的全部报告并写入图谱")
    add_store_options(p)
    add_options(p, READ_LIMITS)
    p.add_argument("--severity", choices=("error", "warning", "info"), default="info",
                   help="显示的最低严重程度 (lowest severity shown)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text", help="输出格式 (output format): text, json, html")
    p.add_argument("--json", action="store_true", help="同 --format json (same as --format json)")
    p.add_argument("-o", "--output", help="输出文件，默认标准输出 (output file; default stdout)")
    p.set_defaults(func=cmd_check)
