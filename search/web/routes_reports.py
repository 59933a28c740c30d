"""A page per report, per unit and per 立项依据 document: ``/report/{id}``, ``/unit?name=``,
``/document?id=`` (HTML with server-drawn SVG charts) and their JSON, ``/api/report/{id}``,
``/api/unit``, ``/api/document``."""
from __future__ import annotations

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse

from kg.errors import EntityNotFound
from search.web.guards import Text
from search.web.html_pages import document_page, report_page, unit_page
from search.web.page_image import find_report
from search.web.report_view import document_view, report_view, unit_view
from search.web.responses import JSON
from search.web.service import Service


def _html(text: str) -> HTMLResponse:
    return HTMLResponse(text, headers={"Cache-Control": "no-cache"})


def add_report_routes(app: FastAPI, service: Service) -> None:
    def report_data(wanted: str) -> dict:
        iri, _ = find_report(service.reports, wanted)
        return report_view(service.corpus, service.reports, iri)

    def unit(name: str) -> dict:
        view = unit_view(service.corpus, service.reports, name)
        if not view["reports"] and not view["subunits"]:
            units = sorted({e.get("unit") for e in service.reports.values() if e.get("unit")})
            matches = [u for u in units if name and name in u]
            if len(matches) == 1:
                return unit_view(service.corpus, service.reports, matches[0])
            raise EntityNotFound(f"本库中没有单位“{name}”的报告 (no reports of this unit)", candidates=matches or units)
        return view

    def document(canonical: str) -> dict:
        return document_view(service.corpus, service.reports, canonical)

    async def run(fn, *args):
        return await service.in_thread(lambda: fn(*args), service.deadline())

    @app.get("/report/{report}", include_in_schema=False)
    async def report_html(report: str):
        return _html(report_page(await run(report_data, report)))

    @app.get("/api/report/{report}", summary="一份报告的页面数据 (a report: identity, figures, charts, projects, findings)")
    async def report_json(report: str):
        return JSON(await run(report_data, report))

    @app.get("/unit", include_in_schema=False)
    async def unit_html(name: Text = Query(..., description="单位名称")):
        return _html(unit_page(await run(unit, name)))

    @app.get("/api/unit", summary="单位的各年报告及下属单位 (a unit's reports across years, and its units')")
    async def unit_json(name: Text = Query(..., description="单位名称")):
        return JSON(await run(unit, name))

    @app.get("/document", include_in_schema=False)
    async def document_html(id: Text = Query(..., description="发文字号，如 晋财社〔2019〕1号")):
        return _html(document_page(await run(document, id)))

    @app.get("/api/document", summary="引用一份文件的全部项目 (every project citing a document)")
    async def document_json(id: Text = Query(..., description="发文字号")):
        return JSON(await run(document, id))


__all__ = ["add_report_routes"]
