"""Check results as text, JSON or one self-contained HTML page.

A result is ``(report title, file path, findings)``, one per report checked; every
function takes the list of them and returns the whole output as a string, so the CLI
only chooses a format and where to write it.

    from kg.check.render import render
    print(render(results, "html"), end="")
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from kg.check.base import SEVERITIES, Finding, Side, wan

Result = tuple[str, str, Sequence[Finding]]
FORMATS = ("text", "json", "html")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def pages_of(finding: Finding) -> str:
    return "、".join(str(p) for p in finding.pages)


def to_text(results: Sequence[Result]) -> str:
    """One line per report and one per finding (the summary line is ``summary``)."""
    lines = []
    for title, path, findings in results:
        lines.append(f"{title}（{path}）：{len(findings)} 处")
        for f in findings:
            lines.append(f"  [{f.severity}] {f.message}  （第{pages_of(f) or '?'}页；规则 {f.rule}）")
    return "".join(line + "\n" for line in lines)


def summary(results: Sequence[Result]) -> str:
    total = sum(len(findings) for _, _, findings in results)
    return f"共 {total} 处发现 (findings) in {len(results)} 份报告"


def to_data(results: Sequence[Result]) -> list[dict]:
    """The JSON-ready structure: values stay Decimal (``json_default`` turns them into numbers)."""
    return [{"report": title, "file": path, "findings": [
        {"rule": f.rule, "severity": f.severity, "message": f.message, "expected": f.expected,
         "observed": f.observed, "pages": f.pages,
         "sides": [{"what": s.what, "value": s.value, "page": s.page, "text": s.text} for s in f.sides]}
        for f in findings]} for title, path, findings in results]


def to_json(results: Sequence[Result]) -> str:
    from kg.model import json_default

    return json.dumps(to_data(results), ensure_ascii=False, indent=1, default=json_default) + "\n"


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    tally = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        tally[f.severity] = tally.get(f.severity, 0) + 1
    return tally


STYLE = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; color: #222; line-height: 1.5; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table.summary { border-collapse: collapse; width: 100%; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary th { background: #f3f3f3; }
.file { color: #666; font-size: .9em; word-break: break-all; }
.clean { color: #1a7f37; font-weight: bold; }
.finding { border: 1px solid #ddd; border-left-width: 5px; border-radius: 4px; margin: 1em 0; padding: .6em .8em; }
.finding.error { border-left-color: #c62828; } .finding.warning { border-left-color: #ef8f00; }
.finding.info { border-left-color: #1565c0; }
.badge { display: inline-block; border-radius: 3px; padding: 0 .5em; color: #fff; font-size: .85em; }
.badge.error { background: #c62828; } .badge.warning { background: #ef8f00; } .badge.info { background: #1565c0; }
.meta { color: #555; font-size: .9em; margin-left: .5em; }
.message { margin: .4em 0; }
.sides { display: flex; flex-wrap: wrap; gap: .8em; }
.side { flex: 1 1 18em; background: #fafafa; border: 1px solid #e4e4e4; border-radius: 4px; padding: .4em .6em; }
.side dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .1em .6em; }
.side dt { color: #666; } .side dd { margin: 0; }
.side blockquote { margin: .4em 0 0; padding: .2em .6em; border-left: 3px solid #bbb; color: #333;
                   white-space: pre-wrap; font-size: .9em; }
"""


#: Side values carry no unit: amounts are in 元, but counts (4 个), rates (56.28%) and scores come as
#: bare numbers. Below this many 元 (0.1 万元) a value is taken for one of those and shown as read
#: (0 reads the same in every unit).
AMOUNT_FLOOR = Decimal(1000)


def amount_text(value: Decimal | None) -> str:
    """``452.76 万元`` for an amount in 元, the number itself for a small count, rate or score."""
    if value is None:
        return "—"
    if abs(value) < AMOUNT_FLOOR:
        return format(value.normalize(), "f")
    return f"{wan(value)} 万元"


def _side_html(s: Side) -> str:
    value = amount_text(s.value)
    page = f"第{s.page}页" if s.page else "—"
    quote = f'<blockquote title="原文">{escape(s.text)}</blockquote>' if s.text else ""
    return (f'<div class="side"><dl><dt>内容</dt><dd>{escape(s.what)}</dd>'
            f"<dt>数值</dt><dd>{escape(value)}</dd><dt>页码</dt><dd>{escape(page)}</dd></dl>{quote}</div>")


def _finding_html(f: Finding) -> str:
    label = SEVERITY_LABELS.get(f.severity, f.severity)
    meta = [f"规则 {escape(f.rule)}", f"页码 {escape(pages_of(f) or '?')}"]
    if f.entity:
        meta.append(f"对象 {escape(f.entity)}")
    compared = ""
    if f.expected is not None and f.observed is not None:
        compared = (f'<p class="meta">应为 {escape(amount_text(f.expected))}，实为 {escape(amount_text(f.observed))}'
                    "</p>")
    sides = "".join(_side_html(s) for s in f.sides)
    return (f'<article class="finding {escape(f.severity)}"><div>'
            f'<span class="badge {escape(f.severity)}">{escape(label)}</span>'
            f'<span class="meta">{"；".join(meta)}</span></div>'
            f'<p class="message"><b>说明：</b>{escape(f.message)}</p>{compared}'
            + (f'<div class="sides">{sides}</div>' if sides else "") + "</article>")


def to_html(results: Sequence[Result], title: str = "一致性检查结果") -> str:
    """One page: a summary table (reports × severities, linked) and each report's findings."""
    total = dict.fromkeys(SEVERITIES, 0)
    rows, sections = [], []
    for number, (report, path, findings) in enumerate(results, 1):
        anchor = f"report-{number}"
        tally = counts(findings)
        for severity in SEVERITIES:
            total[severity] += tally[severity]
        cells = "".join(f'<td class="n">{tally[s]}</td>' for s in SEVERITIES)
        rows.append(f'<tr><td><a href="#{anchor}">{escape(report)}</a></td>{cells}'
                    f'<td class="n">{len(findings)}</td></tr>')
        body = "".join(_finding_html(f) for f in findings) or '<p class="clean">无问题</p>'
        shown = "，".join(f"{SEVERITY_LABELS[s]} {tally[s]}" for s in SEVERITIES if tally[s])
        sections.append(f'<section id="{anchor}"><h2>报告：{escape(report)}</h2>'
                        f'<p class="file">报表文件：{escape(path)}</p>'
                        f"<p>共 {len(findings)} 处" + (f"（{escape(shown)}）" if shown else "") + f"</p>{body}</section>")
    head = "".join(f"<th>{SEVERITY_LABELS[s]} {s}</th>" for s in SEVERITIES)
    foot = "".join(f'<td class="n">{total[s]}</td>' for s in SEVERITIES)
    return ("<!DOCTYPE html>\n"
            f'<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
            f"<p>{escape(summary(results))}</p>"
            f'<table class="summary"><thead><tr><th>报告</th>{head}<th>合计</th></tr></thead><tbody>'
            + "".join(rows)
            + f'</tbody><tfoot><tr><th>合计</th>{foot}<td class="n">{sum(total.values())}</td></tr></tfoot></table>'
            + "".join(sections) + "</body></html>\n")


RENDERERS = {"text": to_text, "json": to_json, "html": to_html}


def render(results: Sequence[Result], fmt: str = "text") -> str:
    return RENDERERS[fmt](results)
