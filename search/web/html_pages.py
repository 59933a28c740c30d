"""The report, unit and document pages as HTML drawn on the server (charts inline SVG from
``charts``; no script needed). Every text from a report is escaped.
"""
from __future__ import annotations

from decimal import Decimal
from html import escape
from urllib.parse import quote, urlencode

from search.web.charts import Bar, bar_chart

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def _money(value) -> str:
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):,.2f}"
    return text


def _page_link(view: dict, page: int | None, highlight: str = "") -> str:
    """A link to the printed page (its image, the text highlighted) — PDF reports only."""
    if not page:
        return ""
    if not view.get("pdf"):
        return f"第{page}页"
    query = urlencode({"report": view["id"], "page": page, **({"highlight": highlight} if highlight else {})})
    return f'<a class="page-link" href="/view?{escape(query)}">第{page}页</a>'


def unit_href(name: str) -> str:
    return "/unit?" + urlencode({"name": name})


def document_href(canonical: str) -> str:
    return "/document?" + urlencode({"id": canonical})


def _layout(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · 预算公开知识图谱</title><link rel="stylesheet" href="/static/app.css"></head>
<body>
<header><h1>预算公开知识图谱</h1><p class="subtitle">{escape(title)}</p>
<nav><a href="/">问答首页</a> · <a href="/docs">接口文档</a></nav></header>
<main>
{body}
</main>
<footer>budgetkg · 所有数据均在本机处理，页面不加载任何外部资源。</footer>
</body></html>"""


def _hint(text: str) -> str:
    return f'<p class="hint">{escape(text)}</p>'


def _card(section_id: str, title: str, inner: str) -> str:
    return f'<section id="{section_id}" class="card"><h2>{escape(title)}</h2>{inner}</section>'


def _table(table_id: str, columns: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>'
                                    for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f'<div class="table-wrap"><table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _bars(view: dict, items: list[dict], highlight_key: str = "label") -> list[Bar]:
    bars = []
    for item in items:
        href = None
        if view.get("pdf") and item.get("page"):
            href = "/view?" + urlencode({"report": view["id"], "page": item["page"],
                                                 "highlight": item.get("printed") or item.get(highlight_key) or ""})
        bars.append(Bar(item["label"], item["wan"], item.get("page"), href))
    return bars


def report_page(view: dict) -> str:
    identity = view["identity"]
    kind = f"{identity.get('scope') or ''}{identity.get('kind') or ''}"
    department = identity.get("department")
    facts = [("单位", f'<a class="unit-link" href="{escape(unit_href(identity["unit"]))}">{escape(identity["unit"])}</a>'
              if identity.get("unit") else "—"),
             ("主管部门", f'<a href="{escape(unit_href(department))}">{escape(department)}</a>' if department else "—"),
             ("地区", escape(identity.get("region") or "—")), ("年度", escape(str(identity.get("year") or "—"))),
             ("类型", escape(kind or "—")), ("汇总/本级", escape(identity.get("summary") or "—")),
             ("页数", escape(str(identity.get("pages") or "—"))), ("源文件", escape(view.get("file") or "—"))]
    pdf = f'<p><a id="report-pdf" href="{escape(view["pdf"])}" download>下载 PDF 原件</a></p>' if view.get("pdf") else \
        '<p class="hint">从文本导入，没有 PDF 原件。</p>'
    identity_html = '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>" + pdf
    figures = _table("figures-table", ["项目", "金额（万元）", "出处"],
                     [[escape(f["label"]), _money(f["wan"]), _page_link(view, f.get("page"), f.get("printed") or "")]
                      for f in view["figures"]], numeric={1})
    charts = [bar_chart("chart-function", "按功能分类（类）的支出", _bars(view, view["by_function"]["rows"])),
              bar_chart("chart-split", "基本支出与项目支出", _bars(view, view["split"])),
              bar_chart("chart-three-public", "“三公”经费构成", _bars(view, view["three_public"])),
              bar_chart("chart-procurement", "政府采购构成", _bars(view, view["procurement"]))]
    if view["years"]:
        bars = [Bar(y["label"], y["wan"], y.get("page"), f"/report/{y['report_id']}") for y in view["years"]]
        charts.append(bar_chart("chart-years", "历年支出总计（本库中同一单位的报告）", bars))
    source = view["by_function"]
    note = f'<p class="hint">功能分类取自“{escape(source["table"])}”（第{source["page"]}页）。点击柱形可查看原报告该页。</p>' \
        if source.get("table") else ""
    charts_html = note + '<div class="charts">' + "".join(f'<div class="chart-box">{c}</div>' for c in charts) + "</div>"
    body = [_card("identity", "报告", identity_html), _card("figures", "主要数据", figures),
            _card("charts", "结构图", charts_html),
            _card("projects", f"项目（{len(view['projects'])} 个）",
                  _projects(view) if view["projects"] else _hint("报告中没有读到项目。")),
            _card("findings", f"一致性检查（{len(view['findings'])} 条）",
                  _findings(view) if view["findings"] else _hint("没有发现不一致。"))]
    return _layout(view["title"] or view["id"], "\n".join(body))


def _projects(view: dict) -> str:
    rows = []
    for p in view["projects"]:
        documents = "、".join(f'<a class="document-link" href="{escape(document_href(d))}">{escape(d)}</a>'
                             for d in p["documents"])
        basis = escape(p["basis"] or "")
        if documents:
            basis = f"{basis}<br>{documents}" if basis else documents
        kpis = "".join(f"<li>{escape(i['level2'] or i['level1'] or '')}·{escape(i['name'])}："
                       f"{escape(i['target'] or '—')}{('（实际 ' + escape(i['actual']) + '）') if i['actual'] else ''}"
                       f"</li>" for i in p["indicators"])
        kpi_html = f'<details><summary>{len(p["indicators"])} 项</summary><ul>{kpis}</ul></details>' if kpis else "—"
        evaluation = p.get("evaluation") or {}
        rate = f"执行率 {evaluation['rate']}%" if evaluation.get("rate") is not None else ""
        score = f"总分 {evaluation['score']} {evaluation.get('grade') or ''}" if evaluation.get("score") is not None else ""
        pages = ", ".join(_page_link(view, page, p["name"]) for page in p["pages"][:3])
        rows.append([escape(f"{p['category'] or ''}{p['name']}") + ("（上年结转）" if p["carryover"] else ""),
                     _money(p["wan"]), basis or "—", kpi_html, escape(" ".join(x for x in (rate, score) if x)) or "—",
                     pages])
    return _table("projects-table", ["项目", "金额（万元）", "立项依据", "绩效指标", "自评", "出处"], rows, numeric={1})


def _findings(view: dict) -> str:
    items = []
    for f in view["findings"]:
        sides = "".join(f"<li><b>{escape(s['what'])}</b>{('：' + _money(s['value'])) if s['value'] is not None else ''}"
                        f"{(' · ' + _page_link(view, s['page'], s['text'][:60])) if s['page'] else ''}"
                        f"{('<blockquote>' + escape(s['text']) + '</blockquote>') if s['text'] else ''}</li>"
                        for s in f["sides"])
        items.append(f'<li class="finding {escape(f["severity"])}"><span class="status {escape(f["severity"])}">'
                     f'{SEVERITY.get(f["severity"], f["severity"])}</span> {escape(f["message"])}<ul>{sides}</ul></li>')
    return f'<ol id="findings-list">{"".join(items)}</ol>'


def unit_page(view: dict) -> str:
    def rows(reports):
        return [[f'<a href="/report/{escape(r["id"])}">{escape(r["title"])}</a>', escape(str(r["year"] or "")),
                 escape(f"{r['scope'] or ''}{r['kind'] or ''}"), _money(r["total"]), str(r["projects"])]
                for r in reports]

    columns = ["报告", "年度", "类型", "支出总计（万元）", "项目数"]
    own = _table("unit-reports", columns, rows(view["reports"]), numeric={3, 4}) if view["reports"] else \
        '<p class="hint">本库中没有该单位自己的报告。</p>'
    body = [_card("unit-own", f"{view['unit']} 的报告", own)]
    chart_rows = [r for r in view["reports"] + view["subunits"] if r["total"] is not None]
    if chart_rows:
        bars = [Bar(f"{r['unit']} {r['year']}年{r['kind'] or ''}", r["total"], None, f"/report/{r['id']}")
                for r in chart_rows]
        body.append(_card("unit-chart", "支出总计", f'<div class="chart-box">{bar_chart("chart-unit", "各报告支出总计", bars)}</div>'))
    if view["subunits"]:
        body.append(_card("unit-subunits", "下属单位的报告（以其为主管部门）",
                          _table("subunit-reports", columns, rows(view["subunits"]), numeric={3, 4})))
    return _layout(f"单位：{view['unit']}", "\n".join(body))


def document_page(view: dict) -> str:
    title = f"{view['document']}{('《' + view['title'] + '》') if view.get('title') else ''}"
    rows = [[escape(p["unit"] or ""), escape(str(p["year"] or "")), escape(p["project"]), _money(p["wan"]),
             "立项依据" if p["as_basis"] else "引用", f'<a href="/report/{escape(p["report_id"])}">{escape(p["report"])}</a>']
            for p in view["projects"]]
    table = _table("document-projects", ["单位", "年度", "项目", "金额（万元）", "关系", "报告"], rows, numeric={3}) \
        if rows else '<p class="hint">本库中没有项目引用该文件。</p>'
    body = [_card("document", f"文件：{title}", f'<p class="meta">{len(rows)} 个项目引用此文件 · '
                  f'<a href="/?q={quote("哪些项目的立项依据是" + view["document"])}">在问答中查看</a></p>' + table)]
    amounts = [p for p in view["projects"] if p["wan"] is not None]
    if amounts:
        bars = [Bar(f"{p['project']}（{p['year']}）", p["wan"], None, f"/report/{p['report_id']}") for p in amounts]
        body.append(_card("document-chart", "各项目金额", f'<div class="chart-box">{bar_chart("chart-document", "引用此文件的项目金额", bars)}</div>'))
    return _layout(f"文件：{view['document']}", "\n".join(body))


def source_page(data: dict) -> str:
    """The printed page behind a piece of evidence (``/view``): the image with the boxes drawn
    over it, the neighbouring pages and the PDF; for a text export the lines around the passage."""
    title = f"{data['report']}" + (f" 第{data['page']}页" if data.get("page") else "")
    report_link = f'<a href="/report/{escape(data["report_id"])}">{escape(data["report"] or "")}</a>'
    if data["kind"] != "pdf":
        context = data["context"]
        marked = set(context["marked"])
        lines = "\n".join(f"<mark>{escape(line)}</mark>" if i in marked else escape(line)
                          for i, line in enumerate(context["lines"]))
        inner = (f'<p class="meta">{report_link} · 从文本导入，无页面图像；原文第 {context["first"]} 行起 · '
                 f'{escape(data.get("file") or "")}</p><div id="source-view"><pre id="source-text">{lines}</pre></div>')
        return _layout(title, _card("source-section", f"原文：{title}", inner))
    found = {"exact": "引文原样找到", "row": f"按“{'、'.join(data.get('words') or [])}”定位到行",
             "none": "本页未找到引文"}.get(data.get("found"), "")
    steps = []
    for label, page in (("上一页", data["page"] - 1), ("下一页", data["page"] + 1)):
        if 1 <= page <= data["pages"]:
            steps.append(f'<a class="page-step" href="/view?{escape(urlencode({"report": data["report_id"], "page": page}))}">{label}</a>')
    boxes = "".join(f'<div class="highlight" style="left:{b["left"] * 100:.3f}%;top:{b["top"] * 100:.3f}%;'
                    f'width:{b["width"] * 100:.3f}%;height:{b["height"] * 100:.3f}%"></div>' for b in data["overlay"])
    inner = (f'<p class="meta">{report_link} · 共 {data["pages"]} 页 · {escape(found)} · '
             f'<a id="source-pdf" href="{escape(data["pdf"])}" download>下载 PDF 原件</a> · {" · ".join(steps)}</p>'
             + (f'<blockquote class="cited">{escape(data["highlight"])}</blockquote>' if data.get("highlight") else "")
             + f'<div id="source-view"><img id="source-image" src="{escape(data["image"])}" '
               f'alt="{escape(title)}" width="{data["width"]}" height="{data["height"]}">{boxes}</div>')
    return _layout(title, _card("source-section", f"原文：{title}", inner))


__all__ = ["source_page", "report_page", "unit_page", "document_page", "unit_href", "document_href"]
