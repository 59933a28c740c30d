"""The printed page behind the evidence: ``/api/page`` (where the cited text is, as JSON),
``/api/page.png`` (the page image with the highlight), ``/view`` (a page showing it, with the
neighbouring pages and the PDF), ``/api/source`` (the PDF itself).

``with_images(answer, reports)`` gives each evidence item of an answer its ``image`` URL
(PDF reports) or ``context`` URL (text exports: the passage in its surrounding lines).
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Query
from fastapi.responses import FileResponse, Response

from kg.errors import UsageError
from search.web.guards import Text
from search.web.page_image import DEFAULT_SCALE, PageImages, find_report, is_pdf, report_id, source_file, \
    text_context
from search.web.responses import JSON
from search.web.service import Service


def page_url(kind: str, iri: str, page: int | None, highlight: str | None) -> str:
    """``/api/page.png?…`` (kind ``image``), ``/view?…`` (``view``, the page to read it on) or
    ``/api/page?…`` (``page``, its JSON) for one piece of evidence."""
    query = {"report": report_id(iri)}
    if page:
        query["page"] = int(page)
    if highlight:
        query["highlight"] = highlight
    return {"image": "/api/page.png?", "view": "/view?"}.get(kind, "/api/page?") + urlencode(query)


def with_images(answer: dict, reports: dict[str, dict]) -> dict:
    """Each evidence item gains ``image`` (the page image URL with the highlight; None for a text
    export or no page), ``page_view`` (the JSON of that view) and ``report_id``."""
    by_title = {entry.get("title"): iri for iri, entry in reports.items()}
    for item in answer.get("evidence") or []:
        if not item:
            continue
        iri = by_title.get(item.get("report"))
        item["image"] = None
        item["page_view"] = None
        item["report_id"] = report_id(iri) if iri else None
        if not iri or not item.get("text"):
            continue
        pdf = is_pdf(reports[iri])
        if pdf and item.get("page"):
            item["image"] = page_url("image", iri, item["page"], item["text"])
        if pdf and item.get("page") or not pdf:
            item["page_view"] = page_url("page", iri, item.get("page"), item["text"])
    return answer


def add_page_routes(app: FastAPI, service: Service) -> None:
    images = PageImages(service.folder, service.reports)

    def page_data(report: str, page: int | None, highlight: str) -> dict:
        iri, entry = find_report(service.reports, report)
        base = {"report": entry.get("title"), "report_iri": iri, "report_id": report_id(iri),
                "file": entry.get("path"), "page": page, "highlight": highlight,
                "view": page_url("view", iri, page, highlight)}
        if not is_pdf(entry):
            return {**base, "kind": "text", "pdf": None, "context": text_context(entry, highlight)}
        if page is None:
            raise UsageError("PDF 报告需要 page 参数 (a PDF report needs page)")
        _, _, image = images.page(iri, page, highlight)
        return {**base, "kind": "pdf", "pdf": f"/api/source?report={report_id(iri)}",
                "image": page_url("image", iri, page, highlight), "width": image.width, "height": image.height,
                "pages": image.page_count, "found": image.located.how, "words": image.located.words,
                "boxes": [b.to_dict() for b in image.located.boxes], "overlay": image.overlay}

    @app.get("/view", include_in_schema=False)
    async def view_html(report: Text = Query(...), page: int | None = Query(None, ge=1, le=100_000),
                        highlight: Text = Query("", max_length=2000)):
        from fastapi.responses import HTMLResponse

        from search.web.html_pages import source_page

        data = await service.in_thread(lambda: page_data(report, page, highlight), service.deadline())
        return HTMLResponse(source_page(data), headers={"Cache-Control": "no-cache"})

    @app.get("/api/page", summary="证据所在页面：高亮位置 (the page behind a piece of evidence)",
             description="PDF 报告：页面图像地址、尺寸、高亮框（PDF 坐标与图像比例）；文本导入的报告：引文前后的原文行。")
    async def page_view(report: Text = Query(..., description="报告 IRI、编号或名称"),
                        page: int | None = Query(None, ge=1, le=100_000), highlight: Text = Query("", max_length=2000)):
        return JSON(await service.in_thread(lambda: page_data(report, page, highlight), service.deadline()))

    @app.get("/api/page.png", summary="证据所在页面的图像，引文高亮 (the page image, cited text highlighted)")
    async def page_png(report: Text = Query(...), page: int = Query(..., ge=1, le=100_000),
                       highlight: Text = Query("", max_length=2000)):
        png = await service.in_thread(lambda: images.cached_png(report, page, highlight, DEFAULT_SCALE),
                                      service.deadline())
        return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})

    @app.get("/api/source", summary="下载报告的 PDF 原件 (download the report's PDF)")
    async def source(report: Text = Query(...)):
        iri, entry = find_report(service.reports, report)
        if not is_pdf(entry):
            raise UsageError(f"{entry.get('title')} 是从文本导入的，没有 PDF (ingested from a text export: no PDF)")
        path = source_file(entry)
        return FileResponse(path, media_type="application/pdf", filename=f"{entry.get('title') or report_id(iri)}.pdf")


__all__ = ["add_page_routes", "page_url", "with_images"]
