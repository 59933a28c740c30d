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
``{"error": code, "message": text}`` with the status each error carries (``errors``);
tracebacks go to the server log only. Routes: ``routes_api`` (the page and ``/api``),
``routes_pages`` (the printed page behind evidence), ``routes_reports`` (report, unit and
document pages), ``routes_sparql`` (``/sparql``).

Every request first passes ``guards``: the Host header must be a served name, the URL
at most 32 KiB, the body at most ``max_request_bytes``, the text valid Unicode.
"""
from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from kg.errors import UsageError
from search.web.errors import add_error_handlers
from search.web.guards import MAX_HEAD_BYTES, BodyLimit, GuardedH11Protocol, RequestGuard, served_names
from search.web.routes_api import add_api_routes
from search.web.routes_pages import add_page_routes
from search.web.routes_reports import add_report_routes
from search.web.routes_sparql import add_sparql_route
from search.web.service import DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESULT_BYTES, Service



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

    add_error_handlers(app, service.query_timeout)
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
