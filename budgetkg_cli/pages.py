"""Seeing the source: ``page`` renders a report's printed page, the cited text highlighted —
the same image the web page shows behind a piece of evidence (``/api/page.png``)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from budgetkg_cli.output import print_json
from budgetkg_cli.store_access import add_store_options, open_corpus
from kg.errors import UsageError


def cmd_page(args) -> int:
    from search.web.page_image import DEFAULT_SCALE, PageImages, find_report, is_pdf, text_context

    corpus = open_corpus(args, read_only=True)
    try:
        reports = corpus.reports()
        folder = corpus.folder
    finally:
        corpus.close()
    iri, entry = find_report(reports, args.report)
    if not is_pdf(entry):
        context = text_context(entry, args.highlight or "")
        if args.json:
            print_json({"report": entry.get("title"), "file": entry.get("path"), "kind": "text", "context": context})
            return 0
        print(f"{entry.get('title')} 是从文本导入的，没有页面图像；引文前后的原文 (text export: the lines around the "
              f"cited text):", file=sys.stderr)
        marked = set(context["marked"])
        for i, line in enumerate(context["lines"]):
            print(f"{'>' if i in marked else ' '} {context['first'] + i:>5}  {line}")
        return 0
    if args.scale is not None and not 0.2 <= args.scale <= 8:
        raise UsageError("--scale 须在 0.2 到 8 之间 (scale must be between 0.2 and 8)")
    if not args.output:
        raise UsageError("请用 -o 指定输出的 PNG 文件 (give the PNG file with -o)")
    _, _, image = PageImages(folder, reports).page(iri, args.page, args.highlight or "", args.scale or DEFAULT_SCALE)
    from kg.atomic_io import write_bytes_atomic

    write_bytes_atomic(Path(args.output), image.png)
    if args.json:
        print_json({"report": entry.get("title"), "file": entry.get("path"), "page": args.page, "kind": "pdf",
                    "output": args.output, "width": image.width, "height": image.height,
                    "found": image.located.how, "boxes": [b.to_dict() for b in image.located.boxes]})
    else:
        found = {"exact": "引文原样找到 (found as printed)", "row": f"按“{'、'.join(image.located.words)}”定位到行 "
                 f"(row located by its name)", "none": "未找到引文 (cited text not found on this page)"}
        print(f"已写出 {args.output}：{entry.get('title')} 第{args.page}页"
              + (f"，{found[image.located.how]}，{len(image.located.boxes)} 处高亮" if args.highlight else ""),
              file=sys.stderr)
    return 0 if image.located.how != "none" or not args.highlight else 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("page", help="画出报告的某一页，引文高亮 (render a report page, cited text highlighted)")
    p.add_argument("report", help="报告名称、IRI、编号或源文件 (report title, IRI, id or source file)")
    p.add_argument("page", type=int, help="页码，从 1 起 (page number, from 1)")
    p.add_argument("--highlight", metavar="TEXT", help="要高亮的引文，例如 ask --json 的 evidence.text "
                                                       "(text to highlight, e.g. an evidence text)")
    p.add_argument("-o", "--output", metavar="F.png", help="输出 PNG 文件 (output PNG)")
    p.add_argument("--scale", type=float, help="放大倍数，默认 1.6 (scale, default 1.6)")
    add_store_options(p)
    p.add_argument("--json", action="store_true", help="输出高亮位置 JSON (print where the highlight is)")
    p.set_defaults(func=cmd_page)
