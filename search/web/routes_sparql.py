"""``/sparql``: the SPARQL 1.1 Protocol endpoint (query by GET/POST, update by POST with the token).

User SPARQL runs in the service's killable reader processes (``graph_host``); a query or
update that names another host in ``SERVICE``/``LOAD`` is refused (400) unless the server
was started with ``--allow-service`` for it.
"""
from __future__ import annotations

import asyncio
import hmac
import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response

from search.web.responses import JSON, error
from search.web.service import Service
from search.web.sparql_protocol import MEDIA_TYPES, choose_formats, parse_request

log = logging.getLogger("budgetkg.web")

SPARQL_DOC = {
    "parameters": [
        {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "SPARQL 查询（GET）；项目前缀已预声明 (project prefixes predeclared)"},
        {"name": "default-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "named-graph-uri", "in": "query", "required": False,
         "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
         "description": "json, xml, csv, tsv, turtle, jsonld, nt, rdfxml (overrides Accept)"},
    ],
    "requestBody": {"required": False, "content": {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"}}}},
        "application/sparql-query": {"schema": {"type": "string"}},
        "application/sparql-update": {"schema": {"type": "string"}},
    }},
    "responses": {
        "200": {"description": "SELECT/ASK: application/sparql-results+json (default), text/csv, "
                               "text/tab-separated-values, application/sparql-results+xml; CONSTRUCT/DESCRIBE: "
                               "text/turtle (default), application/ld+json, application/n-triples, "
                               "application/rdf+xml"},
        "400": {"description": "malformed query (the parser's message)"},
        "403": {"description": "update without a valid Authorization: Bearer token"},
        "406": {"description": "no acceptable result format"},
        "413": {"description": "request body too large"},
        "503": {"description": "query timed out"},
    },
}



def add_sparql_route(app: FastAPI, service: Service) -> None:
    # -- SPARQL protocol ---------------------------------------------------------------------
    @app.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 Protocol 端点 (endpoint)",
                   openapi_extra=SPARQL_DOC, response_class=Response)
    async def sparql(request: Request):
        body = await request.body() if request.method == "POST" else b""
        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        parsed = parse_request(request.method, params, request.headers.get("content-type"), body)
        limit = service.deadline()
        loop = asyncio.get_running_loop()
        if parsed.update is not None:
            if service.update_token is None:
                return error(403, "forbidden", "此服务器只读：启动时给出 --update-token 才允许更新 "
                                               "(read-only server: start it with --update-token to allow updates)")
            given = request.headers.get("authorization", "")
            scheme, _, token = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                     service.update_token.encode()):
                return error(403, "forbidden", "更新需要有效的令牌：Authorization: Bearer TOKEN "
                                               "(updates need a valid Authorization: Bearer token)",
                             headers={"WWW-Authenticate": 'Bearer realm="budgetkg"'})
            # the writer process is killed at the deadline, so this wait is bounded
            await loop.run_in_executor(service.sparql_executor, service.update, parsed.update, limit)
            return JSON({"status": "ok", "message": "已更新 (update applied)"})
        results_format, graph_format = choose_formats(request.headers.get("accept"), parsed.format)
        if results_format is None and graph_format is None:
            return error(406, "not_acceptable", _not_acceptable())
        reply = await loop.run_in_executor(service.sparql_executor, service.query, parsed.query, results_format,
                                           graph_format, parsed.default_graphs, parsed.named_graphs, limit)
        if not reply.get("ok"):
            code = reply.get("error")
            if code == "syntax":
                return error(400, "malformed_query", f"SPARQL 查询有误 (query error): {reply['message']}")
            if code == "not_acceptable":
                return error(406, "not_acceptable", _not_acceptable(reply.get("message")))
            if code == "too_large":
                return error(400, "result_too_large",
                             f"结果超过 {service.max_result_bytes // (1024 * 1024)} MB，请加 LIMIT (result larger "
                             f"than {service.max_result_bytes} bytes: add a LIMIT)")
            if code == "store":
                return error(503, "store_unavailable", f"图存储错误 (graph store error): {reply.get('message')}")
            log.error("query failed: %s", reply.get("message"))
            return error(500, "query_failed", f"查询失败 (query failed): {reply.get('message')}")
        return Response(reply["body"], media_type=MEDIA_TYPES[reply["format"]],
                        headers={"Vary": "Accept", "Cache-Control": "no-store"})

    return app


def _not_acceptable(kind: str | None = None) -> str:
    select = "application/sparql-results+json, text/csv, text/tab-separated-values, application/sparql-results+xml"
    graph = "text/turtle, application/ld+json, application/n-triples, application/rdf+xml"
    offered = {"select": select, "ask": select, "graph": graph}.get(kind or "", f"{select}; {graph}")
    return f"没有可接受的结果格式；可用：{offered} (no acceptable format; available: {offered})"



__all__ = ["add_sparql_route", "SPARQL_DOC"]
