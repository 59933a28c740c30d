"""A page per report, unit and document on the served PDF store: the JSON against the stored
extraction, the HTML's server-drawn SVG charts (one bar per item), and year over year
across a unit's reports (on a stand-in store holding one report under two years)."""
from __future__ import annotations

import copy
import dataclasses
import re
from decimal import Decimal

import pytest

from search.web.charts import Bar, bar_chart

DECISION = "大同市人力资源和社会保障局 2023年单位决算"
DEPARTMENT = "大同市人力资源和社会保障局"


@pytest.fixture(scope="module")
def stored(pdf_store):
    from store.corpus import Corpus

    corpus = Corpus(pdf_store, read_only=True, create=False)
    yield corpus
    corpus.close()


def _iri(stored, title: str) -> str:
    return next(iri for iri, entry in stored.reports().items() if entry["title"] == title)


def _chart(html: str, chart_id: str) -> str:
    match = re.search(rf'<svg[^>]*id="{chart_id}"[^>]*>(.*?)</svg>', html, re.S)
    assert match, f"chart {chart_id} drawn"
    return match.group(1)


def _bars(html: str, chart_id: str) -> list[tuple[str, str]]:
    return re.findall(r'<rect class="bar"[^>]*data-label="([^"]*)" data-value="([^"]*)"', _chart(html, chart_id))


def test_report_json_follows_the_extraction(pdf_http, stored):
    iri = _iri(stored, DECISION)
    view = pdf_http.get(f"/api/report/{iri.rsplit('/', 1)[1]}").json()
    report = stored.load_report(iri)
    assert view["title"] == DECISION and view["identity"]["kind"] == "决算" and view["identity"]["year"] == 2023
    assert view["identity"]["department"] == DEPARTMENT and view["identity"]["pages"] == 25
    table = next(t for t in report.tables if t.kind == "expenditure_summary")
    classes = [line for line in table.lines if line.level == "类"]
    assert [r["label"] for r in view["by_function"]["rows"]] == [line.name for line in classes]
    assert sum(Decimal(str(r["wan"])) for r in view["by_function"]["rows"]) == sum(l.values["total"].wan for l in classes)
    assert [f["label"] for f in view["split"]] == ["基本支出", "项目支出"]
    total = {f["key"]: f for f in view["figures"]}
    assert total["expenditure.basic"]["page"] == report.figure("expenditure.basic").page
    assert [p["name"] for p in view["projects"]] == [p.name for p in report.projects] and len(report.projects) >= 10
    lawyer = next(p for p in view["projects"] if p["name"] == "法律顾问费")
    assert lawyer["evaluation"]["rate"] == 0 and len(lawyer["indicators"]) == 6
    assert any(f["entity"] == "仲裁委业务费" and len(f["sides"]) == 2 for f in view["findings"])  # both sides quoted
    assert view["pdf"] and view["years"] == []  # one year of this unit in the store: no year-over-year chart


def test_report_page_draws_its_charts(pdf_http, stored):
    iri = _iri(stored, DECISION)
    page = pdf_http.get(f"/report/{iri.rsplit('/', 1)[1]}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert [label for label, _ in _bars(html, "chart-function")] == ["社会保障和就业支出", "卫生健康支出", "城乡社区支出",
                                                                     "住房保障支出"]
    assert dict(_bars(html, "chart-split")) == {"基本支出": "1102.05", "项目支出": "889.86"}
    assert len(_bars(html, "chart-three-public")) == 4 and len(_bars(html, "chart-procurement")) == 3
    assert 'id="chart-years"' not in html
    assert "/view?report=" in html and 'id="report-pdf"' in html
    assert "<script" not in html and not re.search(r'(src|href)="https?:', html)  # nothing from another host


def test_unit_page_lists_its_reports_and_units(pdf_http):
    view = pdf_http.get("/api/unit", params={"name": DEPARTMENT}).json()
    assert [r["title"] for r in view["reports"]] == [DECISION]
    assert {r["unit"] for r in view["subunits"]} == {"大同市劳动保障监察综合行政执法队", "大同市企业职工劳动事务服务中心"}
    html = pdf_http.get("/unit", params={"name": DEPARTMENT}).text
    assert len(_bars(html, "chart-unit")) == 3 and "subunit-reports" in html
    missing = pdf_http.get("/api/unit", params={"name": "不存在的局"})
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_document_page_lists_the_projects_citing_it(pdf_http):
    view = pdf_http.get("/api/document", params={"id": "晋财社〔2019〕1号"}).json()
    assert view["title"] == "就业补助资金管理办法"
    names = {p["project"] for p in view["projects"]}
    assert "2024年中央财政就业补助资金" in names and all(p["as_basis"] for p in view["projects"])
    assert all(p["unit"] == "汾阳市人力资源和社会保障局" and p["year"] == 2024 for p in view["projects"])
    html = pdf_http.get("/document", params={"id": "晋财社〔2019〕1号"}).text
    assert len(_bars(html, "chart-document")) == len(view["projects"])


def test_year_over_year_when_the_unit_has_other_years(stored):
    """The same report stored under 2022 and 2023 (a stand-in corpus): the chart has a bar per year."""
    from search.web.html_pages import report_page
    from search.web.report_view import report_view

    iri = _iri(stored, DECISION)
    report = stored.load_report(iri)
    earlier = copy.deepcopy(report)
    earlier.year = 2022
    entry = stored.reports()[iri]
    reports = {iri: entry, "urn:earlier": {**entry, "year": 2022, "title": "前一年", "file": "reports/earlier.json"}}
    earlier.figures = [f for f in earlier.figures if f.key != "expenditure.total"] + [
        dataclasses.replace(report.figure("expenditure.total"), amount=dataclasses.replace(report.figure("expenditure.total").amount,
                                                                              value=Decimal("1000000")))]

    class StandIn:
        folder = "stand-in"

        def load_report(self, wanted):
            return report if wanted == iri else earlier

    view = report_view(StandIn(), reports, iri)
    assert [y["label"] for y in view["years"]] == ["2022年决算", "2023年决算"]
    assert [y["current"] for y in view["years"]] == [False, True]
    assert [y["wan"] for y in view["years"]] == [Decimal("100"), report.figure("expenditure.total").amount.wan]
    assert len(re.findall(r'<rect class="bar"', _chart(report_page(view), "chart-years"))) == 2


def test_bar_chart_escapes_and_scales():
    svg = bar_chart("c", "标题<x>", [Bar("甲&乙", Decimal("10")), Bar("丙", 5), Bar("丁", 0)])
    assert 'data-bars="3"' in svg and "甲&amp;乙" in svg and "<x>" not in svg
    widths = [float(w) for w in re.findall(r'<rect class="bar"[^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0
    assert "没有这些数据" in bar_chart("e", "空", [])
