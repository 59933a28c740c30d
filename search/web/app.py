"""The budgetkg web server: a SPARQL 1.1 Protocol endpoint, a JSON API and a page.

``create_app(store)`` builds the FastAPI app over one store folder; ``serve(store, …)``
runs it with uvicorn. Endpoints:

* ``/sparql`` — SPARQL 1.1 Protocol (query by GET/POST, update by POST with the token);
* ``/api/ask``, ``/api/search``, ``/api/trace``, ``/api/reports``, ``/api/health``;
* ``/api/page``, ``/api/page.png``, ``/api/source``: the printed page behind the evidence;
* ``/report/{id}``, ``/unit``, ``/document``: a page per report, unit and document (and their JSON);
* ``/`` the page (``static/``), ``/docs`` an offline API page, ``/openapi.json``.

Concurrency: one process serves every request. The passage index and a read-only graph
handle are shared by all requests (both are safe for concurrent reads; the server never
writes passages). Asking, searching and tracing run in a thread pool, at most
``api_concurrency`` at a time, each under ``query_timeout``. User SPARQL runs in child
processes that are killed at the deadline (see ``graph_host``). Errors are JSON
``{"error": code, "message": text}``; tracebacks go to the server log only.

Every request first passes ``guards``: the Host header must be a served name, the URL
at most 32 KiB, the body at most ``max_request_bytes``, the text valid Unicode.
"""
from __future__ import annotations

import logging
import socket
import sys
import uuid
from collections.abc import Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import BudgetKGError, EntityNotFound, ModelMismatch, QueryError, ServiceNotAllowed, StoreError, \
    UsageError
from search.web.graph_host import QueryFailed, QueryTimeout
from search.web.guards import MAX_HEAD_BYTES, BodyLimit, GuardedH11Protocol, RequestGuard, served_names
from search.web.responses import JSON, error
from search.web.routes_api import add_api_routes
from search.web.routes_pages import add_page_routes
from search.web.routes_reports import add_report_routes
from search.web.routes_sparql import add_sparql_route
from search.web.service import DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESULT_BYTES, Service
from search.web.sparql_protocol import ProtocolError

log = logging.getLogger("budgetkg.web")


def create_app(corpus_folder: str | Path, update_token: str | None = None, query_timeout: float | None = None,
               max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, workers: int | None = None,
               max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES, api_concurrency: int | None = None,
               warm: bool = True, allow_services: Iterable[str] = (), host_names: Iterable[str] | None = None,
               given: Mapping[str, object] | None = None) -> FastAPI:
    """The web app over the store ``corpus_folder``.

    ``update_token``: allow SPARQL updates from requests carrying ``Authorization: Bearer
    TOKEN`` (read-only without it). ``query_timeout``: seconds any request may take (None:
    the store's settings). ``workers``: SPARQL query processes. ``allow_services``: the
    endpoints user SPARQL may reach with SERVICE/LOAD. ``host_names``: the names the Host
    header may carry (default: loopback names). ``given``: settings from the command line.
    Raises ``BudgetKGError`` for a missing/unusable store.
    """
    service = Service(corpus_folder, update_token, query_timeout, max_request_bytes, workers, max_result_bytes,
                      api_concurrency, warm, allow_services=allow_services, given=given)

    @asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            service.close()

    app = FastAPI(title="budgetkg", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="预算公开/决算公开 知识图谱：SPARQL 端点与问答接口 (SPARQL endpoint and question answering "
                              "over Chinese government budget reports)")
    app.state.service = service
    app.add_middleware(BodyLimit, max_bytes=service.max_request_bytes)
    app.add_middleware(RequestGuard, host_names=served_names() if host_names is None else host_names)

    # -- errors ------------------------------------------------------------------------------
    def library_error(err: BudgetKGError) -> JSON:
        message = str(err)
        if isinstance(err, EntityNotFound):
            return error(404, "not_found", message, candidates=err.candidates)
        if isinstance(err, QueryTimeout):
            busy = str(err) == "busy"
            text = (f"服务器繁忙，{service.query_timeout:g} 秒内没有空闲的查询进程 (server busy: no free query process "
                    f"within {service.query_timeout:g} s)") if busy else \
                (f"查询超过 {service.query_timeout:g} 秒，已终止；请加 LIMIT 或收窄条件 (query ran past "
                 f"{service.query_timeout:g} s and was stopped)")
            return error(503, "timeout", text, headers={"Retry-After": "1"} if busy else None)
        if isinstance(err, ServiceNotAllowed):
            return error(400, "service_not_allowed", message)
        if isinstance(err, QueryError):
            return error(400, "malformed_query", message)
        if isinstance(err, UsageError):
            return error(400, "bad_request", message)
        if isinstance(err, QueryFailed):
            return error(500, "query_failed", message)
        if isinstance(err, StoreError):
            return error(503, "store_unavailable", message)
        if isinstance(err, ModelMismatch):
            return error(500, "model_mismatch", message)
        return error(400, "bad_request", message)

    @app.exception_handler(BudgetKGError)
    async def _library(request: Request, err: BudgetKGError):
        return library_error(err)

    @app.exception_handler(ProtocolError)
    async def _protocol(request: Request, err: ProtocolError):
        return error(err.status, err.code, err.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException):
        codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}
        text = {400: "请求正文无法解析：需要 UTF-8 编码的 JSON (the body could not be parsed: send UTF-8 JSON)",
                404: "没有这个地址 (no such path)", 405: "不支持此方法 (method not allowed)"}
        return error(err.status_code, codes.get(err.status_code, "http_error"),
                     text.get(err.status_code, str(err.detail)), headers=getattr(err, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError):
        problems = []
        for item in err.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body"))
            problems.append(f"{where}: {item.get('msg')}")
        return error(400, "bad_request", "参数有误 (invalid parameters): " + "; ".join(problems))

    @app.exception_handler(Exception)
    async def _internal(request: Request, err: Exception):
        incident = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", incident, request.method, request.url.path,
                  exc_info=(type(err), err, err.__traceback__))
        return error(500, "internal_error", f"服务器内部错误，编号 {incident}；详情见服务器日志 "
                                            f"(internal error {incident}; see the server log)", incident=incident)

    add_api_routes(app, service)
    add_page_routes(app, service)
    add_report_routes(app, service)
    add_sparql_route(app, service)
    return app


def serve(store: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          query_timeout: float | None = None, workers: int | None = None,
          max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, log_level: str = "info",
          access_log: bool = True, api_concurrency: int | None = None, allow_services: Iterable[str] = (),
          host_names: Iterable[str] = (), given: Mapping[str, object] | None = None) -> None:
    """Serve ``store`` until interrupted. Binds before loading so a busy port fails fast.

    The Host header may name loopback, ``host`` itself (unless a wildcard) or ``host_names``."""
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and without it
    # keep-alive responses wait ~40 ms for delayed ACKs (Nagle)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, int(port)))
    except OSError as err:
        sock.close()
        raise UsageError(f"无法监听 {host}:{port}（{err.strerror or err}）；换一个 --port 或 --host "
                         f"(cannot listen on {host}:{port}: {err.strerror or err})") from None
    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("faiss").setLevel(logging.WARNING)
    try:
        print(f"正在加载存储 {store} … (loading the store)", file=sys.stderr, flush=True)
        app = create_app(store, update_token=token, query_timeout=query_timeout, workers=workers,
                         max_request_bytes=max_request_bytes, api_concurrency=api_concurrency,
                         allow_services=allow_services, host_names=served_names(host, host_names), given=given)
        sock.listen(2048)
        bound_port = sock.getsockname()[1]
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        mode = "可更新 (updates allowed with the token)" if token else "只读 (read-only)"
        print(f"budgetkg 服务已启动 (serving) http://{shown}:{bound_port}/  {mode}；SPARQL 端点 "
              f"http://{shown}:{bound_port}/sparql；按 Ctrl-C 停止", file=sys.stderr, flush=True)
        config = uvicorn.Config(app, log_level=log_level, access_log=access_log, timeout_graceful_shutdown=5,
                                server_header=False, http=GuardedH11Protocol,
                                h11_max_incomplete_event_size=MAX_HEAD_BYTES)
        server = uvicorn.Server(config)
        try:
            server.run(sockets=[sock])
        finally:
            app.state.service.close()
    finally:
        sock.close()



__all__ = ["create_app", "serve", "Service"]
