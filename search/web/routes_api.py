"""The page and the JSON API: ``/``, ``/docs``, ``/static``, ``/api/{health,ask,search,trace,reports}``.

Each answer is the JSON of the matching CLI command (``--json``); asking, searching and
tracing run in the service's bounded thread pool under the query deadline.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from search.web.guards import Text
from search.web.responses import JSON
from search.web.service import Service

STATIC = Path(__file__).parent / "static"


class AskBody(BaseModel):
    question: Text = Field(..., description="中文问题，例如 哪些项目执行率低于60%")


def add_api_routes(app: FastAPI, service: Service) -> None:
    # -- pages -------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return FileResponse(STATIC / "docs.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # -- API ---------------------------------------------------------------------------------
    @app.get("/api/health", summary="服务状态 (server status)")
    async def health():
        view = service.view
        return JSON({"status": "ok", "store": str(service.folder), "reports": len(service.reports),
                     "graphs": len(view.graph_names), "updates_allowed": service.writer is not None,
                     "query_timeout": service.query_timeout, "query_workers": service.workers,
                     "killed_queries": service.pool.killed, "max_request_bytes": service.max_request_bytes})

    def ask(question: str) -> dict:
        from search.web.routes_pages import with_images

        view = service.view  # held for the whole request (an update may publish a new one meanwhile)
        return with_images(view.asker.ask(question).to_dict(), service.reports)

    @app.get("/api/ask", summary="用中文提问 (ask a question)",
             description="返回与 `budgetkg ask --json` 相同的 JSON：question, mode, intent, sparql, columns, rows, "
                         "answer, evidence[{report, page, text}]；每条证据另有 image（该页图像地址，引文高亮；"
                         "文本导入的报告为 null）、page_view（/api/page 地址）与 report_id")
    async def ask_get(q: Text = Query(..., description="问题，例如 哪些项目执行率低于60%")):
        return JSON(await service.in_thread(lambda: ask(q), service.deadline()))

    @app.post("/api/ask", summary="用中文提问（JSON 正文）(ask, JSON body)")
    async def ask_post(body: AskBody):
        return JSON(await service.in_thread(lambda: ask(body.question), service.deadline()))

    @app.get("/api/search", summary="混合语义检索段落 (hybrid passage search)",
             description="返回与 `budgetkg search --json` 相同的行：rank, score, report, page, section, kind, text, "
                         "passage, entities")
    async def search(q: Text = Query(..., description="检索词"), k: int = Query(None, ge=1, le=200),
                     unit: Text | None = Query(None, description="限定单位（含简称）"),
                     year: list[int] | None = Query(None, description="限定年度，可重复"),
                     subunits: bool = Query(False, description="包括下属单位"),
                     kind: str | None = Query(None, pattern="^(预算|决算)$"),
                     sparql: Text | None = Query(None, description="返回实体的 SELECT；检索限定于这些实体"),
                     method: str = Query("hybrid", pattern="^(hybrid|dense|lexical)$")):
        limit = service.deadline()

        def run() -> list[dict]:
            from search.hybrid import HybridSearcher, hit_rows

            view = service.view
            units = view.lexicon.unit_iris(unit) if unit else None
            entities = None
            if sparql:
                entities = service.first_column(sparql, limit)
                if not entities:
                    return []
            hits = HybridSearcher(view, view.lexicon).search(q, k=k or service.settings["top-k"], units=units, years=year or None,
                                               subunits=subunits, report_kind=kind, entities=entities,
                                               method=method)
            return hit_rows(hits)

        return JSON(await service.in_thread(run, limit))

    @app.get("/api/trace", summary="追溯资金与政策脉络 (lineage of a project, unit, department or document)",
             description="返回 `budgetkg trace --json` 的图：root, kind, name, nodes[{id, label, kind, …}], "
                         "edges[{source, target, relation, label, …}]。名称未知或有歧义时 404，附 candidates。")
    async def trace(entity: Text = Query(..., description="项目、单位、主管部门名称或发文字号（模糊匹配）")):
        def run() -> dict:
            from kg.graph.lineage import to_json

            view = service.view
            return to_json(view.lineage().trace(entity))

        return JSON(await service.in_thread(run, service.deadline()))

    @app.get("/api/reports", summary="已导入的报告及状态 (ingested reports and their status)")
    async def reports():
        from store.report_status import report_rows

        return JSON(report_rows(service.reports, service.view.graph_names))


__all__ = ["add_api_routes", "AskBody", "STATIC"]
