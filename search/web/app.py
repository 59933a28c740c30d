"""The budgetkg web server: a SPARQL 1.1 Protocol endpoint, a JSON API and a page.

``create_app(store)`` builds the FastAPI app over one store folder; ``serve(store, …)``
runs it with uvicorn. Endpoints:

* ``/sparql`` — SPARQL 1.1 Protocol (query by GET/POST, update by POST with the token);
* ``/api/ask``, ``/api/search``, ``/api/trace``, ``/api/reports``, ``/api/health``;
* ``/`` the page (``static/``), ``/docs`` an offline API page, ``/openapi.json``.

Concurrency: one process serves every request. The passage index and a read-only graph
handle are shared by all requests (both are safe for concurrent reads; the server never
writes passages). Asking, searching and tracing run in a thread pool, at most
``api_concurrency`` at a time, each under ``query_timeout``. User SPARQL runs in child
processes that are killed at the deadline (see ``graph_host``). Errors are JSON
``{"error": code, "message": text}``; tracebacks go to the server log only.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import socket
import sys
import threading
import time
import uuid
import weakref
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import BudgetKGError, EntityNotFound, ModelMismatch, QueryError, StoreError, UsageError
from kg.model import json_default
from search.web.graph_host import QueryFailed, QueryPool, QueryTimeout, Snapshots, Writer, snapshot_root
from search.web.sparql_protocol import MEDIA_TYPES, ProtocolError, choose_formats, parse_request

log = logging.getLogger("budgetkg.web")

STATIC = Path(__file__).parent / "static"
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024
DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024
WARM_QUESTIONS = ("哪些项目执行率低于60%", "哪个项目因为合同问题没付款")


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=json_default).encode("utf-8")


class JSON(JSONResponse):
    """JSON with Chinese kept readable and the CLI's conversions."""

    def render(self, content) -> bytes:
        return dumps(content)


def error(status: int, code: str, message: str, headers: dict | None = None, **extra) -> JSON:
    return JSON({"error": code, "message": message, **extra}, status_code=status, headers=headers)


# -- the served graph ---------------------------------------------------------------------------

class View:
    """What one request reads: a read-only graph handle, the shared passage index, the lexicon.

    After an update the service builds a new view over the new checkpoint; requests still
    holding the old one finish on it (its checkpoint is released when it is collected).
    """

    def __init__(self, path: str, passages, snapshots: Snapshots):
        from kg.graph.entities import Lexicon
        from kg.graph.plugins.oxigraph import OxigraphStore
        from search.ask.engine import Asker

        self.path = path
        self.graph = OxigraphStore(path, read_only=True)
        self.passages = passages
        self.lexicon = Lexicon.from_store(self.graph)
        # the asker reaches the view through a weak proxy: no reference cycle, so an old view
        # (and its checkpoint) is released as soon as the last request using it ends
        self.asker = Asker(weakref.proxy(self), lexicon=self.lexicon)
        self.graph_names = set(self.graph.graphs())
        snapshots.acquire(path)
        weakref.finalize(self, snapshots.release, path)

    def lineage(self):
        from kg.graph.lineage import Lineage

        return Lineage(self.graph, self.lexicon)


class Service:
    """Everything the endpoints share; built once per app."""

    def __init__(self, store: str | Path, update_token: str | None = None, query_timeout: float = 30.0,
                 max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, workers: int | None = None,
                 max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES, api_concurrency: int | None = None,
                 warm: bool = True):
        from kg.corpus import Corpus
        from kg.graph.vocab import PREFIXES

        if query_timeout is None or float(query_timeout) <= 0:
            raise UsageError(f"查询超时必须为正数，收到 {query_timeout!r} (query timeout must be positive)")
        if int(max_request_bytes) < 1024:
            raise UsageError("请求大小上限至少 1024 字节 (max request size must be at least 1024 bytes)")
        self.folder = Path(store).expanduser()
        self.update_token = update_token or None
        self.query_timeout = float(query_timeout)
        self.max_request_bytes = int(max_request_bytes)
        self.max_result_bytes = int(max_result_bytes)
        self.prefixes = dict(PREFIXES)
        cores = os.cpu_count() or 2
        self.workers = int(workers or min(4, max(2, cores)))
        self.api_concurrency = int(api_concurrency or max(2, cores))
        self.corpus = Corpus(self.folder, read_only=True, create=False)
        if self.corpus.graph_kind != "oxigraph":
            raise StoreError(f"网页服务需要内置图存储 oxigraph，此存储使用 {self.corpus.graph_kind} "
                             f"(the web server needs the embedded oxigraph store; this store uses "
                             f"{self.corpus.graph_kind}: query that endpoint directly)")
        graph_path = self.folder / "graph"
        if not graph_path.is_dir():
            raise StoreError(f"存储 {self.folder} 中还没有图 (no graph in the store yet); 请先运行 budgetkg ingest "
                             f"报告文件夹 --store {self.folder} (ingest reports first)")
        self._closed = False
        self.writer: Writer | None = None
        self.pool: QueryPool | None = None
        self._generation = 0
        try:
            if self.update_token:
                root = snapshot_root(self.folder)
                self.writer = Writer(str(graph_path))  # holds the store lock: no other writer meanwhile
                import shutil

                shutil.rmtree(root, ignore_errors=True)  # left by a server that was killed
                root.mkdir(parents=True)
                first = self._snapshot_path()
                reply = self.writer.call({"op": "backup", "target": first}, time.monotonic() + 120)
                if not reply.get("ok"):
                    raise StoreError(f"无法创建图快照 (cannot checkpoint the graph store): {reply.get('message')}")
                self.snapshots = Snapshots(first, owned=True)
            else:
                self.snapshots = Snapshots(str(graph_path), owned=False)
            self.pool = QueryPool(self.workers, self.snapshots)
            self.passages = self.corpus.passages
            self.view = View(self.snapshots.current, self.passages, self.snapshots)
            self.pool.warm()
            self.reports = self.corpus.reports()
            if warm:
                self._warm_up()
        except BaseException:
            self.close()
            raise
        self.api_executor = ThreadPoolExecutor(max_workers=self.api_concurrency * 2, thread_name_prefix="api")
        self.sparql_executor = ThreadPoolExecutor(max_workers=max(8, self.workers * 4), thread_name_prefix="sparql")
        self.api_slots = asyncio.Semaphore(self.api_concurrency)
        self.update_lock = threading.Lock()

    def _snapshot_path(self) -> str:
        self._generation += 1
        return str(snapshot_root(self.folder) / f"g{self._generation:06d}")

    def _warm_up(self) -> None:
        """Load the embedder, the jieba dictionary and the keyword index before serving.

        Their lazy initialisation is not guarded by locks (two first requests at once would
        load the model twice), so it happens here, in one thread, before the first request.
        """
        from search.hybrid import HybridSearcher

        started = time.monotonic()
        try:
            HybridSearcher(self.view).search("合同 付款", k=3)
            for question in WARM_QUESTIONS:  # a graph answer and a retrieval answer (jieba, embedder)
                self.view.asker.ask(question)
        except BudgetKGError as err:
            log.warning("warm-up question failed: %s", err)
        log.info("warmed up in %.1f s", time.monotonic() - started)

    # -- SPARQL --------------------------------------------------------------------------------
    def query(self, text: str, results_format: str | None, graph_format: str | None,
              default_graphs: list[str], named_graphs: list[str], deadline: float) -> dict:
        return self.pool.run({"op": "query", "query": text, "prefixes": self.prefixes,
                              "default_graph": default_graphs, "named_graphs": named_graphs,
                              "results_format": results_format, "graph_format": graph_format,
                              "max_bytes": self.max_result_bytes}, deadline)

    def first_column(self, text: str, deadline: float, max_rows: int = 10_000) -> list[str]:
        reply = self.pool.run({"op": "first_column", "query": text, "prefixes": self.prefixes,
                               "max_rows": max_rows}, deadline)
        if not reply.get("ok"):
            code = reply.get("error")
            if code == "syntax":
                raise QueryError(f"SPARQL 查询有误 (query error): {reply['message']}")
            if code == "not_select":
                raise UsageError("sparql 参数需要返回实体的 SELECT 查询 (needs a SELECT query whose first column "
                                 "holds entities)")
            if code == "too_large":
                raise UsageError(f"sparql 参数返回的实体超过 {max_rows} 个，请收窄查询 (more than {max_rows} entities: "
                                 f"narrow the query)")
            raise QueryFailed(f"查询失败 (query failed): {reply.get('message')}")
        return reply["values"]

    def update(self, text: str, deadline: float) -> None:
        if self.writer is None:
            raise UsageError("updates are disabled")
        if not self.update_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise QueryTimeout("busy")
        try:
            reply = self.writer.call({"op": "update", "update": text, "prefixes": self.prefixes}, deadline)
            if not reply.get("ok"):
                if reply.get("error") == "syntax":
                    raise QueryError(f"SPARQL 更新有误 (update error): {reply['message']}")
                raise QueryFailed(f"更新失败，未写入 (update failed, nothing written): {reply.get('message')}")
            target = self._snapshot_path()
            reply = self.writer.call({"op": "backup", "target": target}, time.monotonic() + 120)
            if not reply.get("ok"):
                raise QueryFailed(f"更新已写入，但无法创建新快照；重启服务后可见 (the update was written but no new "
                                  f"snapshot could be made; restart the server to see it): {reply.get('message')}")
            view = View(target, self.passages, self.snapshots)
            self.snapshots.publish(target)
            self.view = view
        finally:
            self.update_lock.release()

    def close(self) -> None:
        if getattr(self, "_closed", True):
            return
        self._closed = True
        for executor in (getattr(self, "api_executor", None), getattr(self, "sparql_executor", None)):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        if self.pool is not None:
            self.pool.close()
        if self.writer is not None:
            self.writer.close()
            self.view = None
            import gc

            gc.collect()
            self.snapshots.remove_all()
            try:
                snapshot_root(self.folder).rmdir()
            except OSError:
                pass
        passages = getattr(self, "passages", None)
        if passages is not None:
            passages.close()


# -- request size limit --------------------------------------------------------------------------

class BodyLimit:
    """ASGI middleware: 413 for a request body over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = None
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await error(400, "bad_request", "Content-Length 无效 (invalid Content-Length)")(
                        scope, receive, send)
        if declared is not None and declared > self.max_bytes:
            return await self._too_large()(scope, receive, send)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._too_large()(scope, receive, send)

    def _too_large(self) -> JSON:
        return error(413, "request_too_large", f"请求正文超过 {self.max_bytes} 字节 (request body larger than "
                                                f"{self.max_bytes} bytes)", headers={"Connection": "close"})


class _TooLarge(Exception):
    pass


# -- the app --------------------------------------------------------------------------------------

class AskBody(BaseModel):
    question: str = Field(..., description="中文问题，例如 哪些项目执行率低于60%")


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


def create_app(corpus_folder: str | Path, update_token: str | None = None, query_timeout: float = 30.0,
               max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, workers: int | None = None,
               max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES, api_concurrency: int | None = None,
               warm: bool = True) -> FastAPI:
    """The web app over the store ``corpus_folder``.

    ``update_token``: allow SPARQL updates from requests carrying ``Authorization: Bearer
    TOKEN`` (read-only without it). ``query_timeout``: seconds any request may take.
    ``workers``: SPARQL query processes. Raises ``BudgetKGError`` for a missing/unusable store.
    """
    service = Service(corpus_folder, update_token, query_timeout, max_request_bytes, workers, max_result_bytes,
                      api_concurrency, warm)

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
        codes = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}
        text = {404: "没有这个地址 (no such path)", 405: "不支持此方法 (method not allowed)"}
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

    # -- helpers -----------------------------------------------------------------------------
    async def in_thread(fn, deadline: float):
        """Run ``fn`` in the API pool (at most ``api_concurrency`` at once) before ``deadline``.

        A call that misses the deadline keeps its slot until it really ends (threads cannot
        be stopped), so abandoned calls cannot pile up beyond the limit.
        """
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(service.api_slots.acquire(), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise QueryTimeout("busy") from None
        try:
            future = loop.run_in_executor(service.api_executor, fn)
        except BaseException:
            service.api_slots.release()
            raise
        future.add_done_callback(lambda _: service.api_slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise QueryTimeout("timeout") from None

    def deadline() -> float:
        return time.monotonic() + service.query_timeout

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
        view = service.view  # held for the whole request (an update may publish a new one meanwhile)
        return view.asker.ask(question).to_dict()

    @app.get("/api/ask", summary="用中文提问 (ask a question)",
             description="返回与 `budgetkg ask --json` 相同的 JSON：question, mode, intent, sparql, columns, rows, "
                         "answer, evidence[{report, page, text}]")
    async def ask_get(q: str = Query(..., description="问题，例如 哪些项目执行率低于60%")):
        return JSON(await in_thread(lambda: ask(q), deadline()))

    @app.post("/api/ask", summary="用中文提问（JSON 正文）(ask, JSON body)")
    async def ask_post(body: AskBody):
        return JSON(await in_thread(lambda: ask(body.question), deadline()))

    @app.get("/api/search", summary="混合语义检索段落 (hybrid passage search)",
             description="返回与 `budgetkg search --json` 相同的行：rank, score, report, page, section, kind, text, "
                         "passage, entities")
    async def search(q: str = Query(..., description="检索词"), k: int = Query(None, ge=1, le=200),
                     unit: str | None = Query(None, description="限定单位（含简称）"),
                     year: list[int] | None = Query(None, description="限定年度，可重复"),
                     subunits: bool = Query(False, description="包括下属单位"),
                     kind: str | None = Query(None, pattern="^(预算|决算)$"),
                     sparql: str | None = Query(None, description="返回实体的 SELECT；检索限定于这些实体"),
                     method: str = Query("hybrid", pattern="^(hybrid|dense|lexical)$")):
        limit = deadline()

        def run() -> list[dict]:
            from kg.settings import resolve
            from search.hybrid import HybridSearcher, hit_rows

            view = service.view
            units = view.lexicon.unit_iris(unit) if unit else None
            entities = None
            if sparql:
                entities = service.first_column(sparql, limit)
                if not entities:
                    return []
            hits = HybridSearcher(view).search(q, k=k or resolve("top-k"), units=units, years=year or None,
                                               subunits=subunits, report_kind=kind, entities=entities,
                                               method=method)
            return hit_rows(hits)

        return JSON(await in_thread(run, limit))

    @app.get("/api/trace", summary="追溯资金与政策脉络 (lineage of a project, unit, department or document)",
             description="返回 `budgetkg trace --json` 的图：root, kind, name, nodes[{id, label, kind, …}], "
                         "edges[{source, target, relation, label, …}]。名称未知或有歧义时 404，附 candidates。")
    async def trace(entity: str = Query(..., description="项目、单位、主管部门名称或发文字号（模糊匹配）")):
        def run() -> dict:
            from kg.graph.lineage import to_json

            view = service.view
            return to_json(view.lineage().trace(entity))

        return JSON(await in_thread(run, deadline()))

    @app.get("/api/reports", summary="已导入的报告及状态 (ingested reports and their status)")
    async def reports():
        view = service.view
        rows = []
        for iri, entry in service.reports.items():
            in_graph = iri in view.graph_names
            if not in_graph:
                status, text = "graph_missing", "图谱中缺失 (not in the graph)"
            elif not entry.get("passages_done", True):
                status, text = "no_passages", "仅图谱，段落未索引 (graph only, passages not indexed)"
            elif entry.get("warnings"):
                status, text = "warnings", f"已导入，{entry['warnings']} 条警告 (ingested with warnings)"
            else:
                status, text = "ok", "已导入 (ingested)"
            rows.append({"iri": iri, "title": entry.get("title"), "file": entry.get("path"),
                         "unit": entry.get("unit"), "year": entry.get("year"), "kind": entry.get("kind"),
                         "scope": entry.get("scope"), "triples": entry.get("triples", 0),
                         "shared_triples": entry.get("shared_triples", 0), "passages": entry.get("passages", 0),
                         "warnings": entry.get("warnings", 0), "status": status, "status_text": text})
        rows.sort(key=lambda r: (r["unit"] or "", r["year"] or 0, r["kind"] or ""))
        return JSON(rows)

    # -- SPARQL protocol ---------------------------------------------------------------------
    @app.api_route("/sparql", methods=["GET", "POST"], summary="SPARQL 1.1 Protocol 端点 (endpoint)",
                   openapi_extra=SPARQL_DOC, response_class=Response)
    async def sparql(request: Request):
        body = await request.body() if request.method == "POST" else b""
        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        parsed = parse_request(request.method, params, request.headers.get("content-type"), body)
        limit = deadline()
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


def serve(store: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
          query_timeout: float = 30.0, workers: int | None = None,
          max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, log_level: str = "info",
          access_log: bool = True, api_concurrency: int | None = None) -> None:
    """Serve ``store`` until interrupted. Binds before loading so a busy port fails fast."""
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
                         max_request_bytes=max_request_bytes, api_concurrency=api_concurrency)
        sock.listen(2048)
        bound_port = sock.getsockname()[1]
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        mode = "可更新 (updates allowed with the token)" if token else "只读 (read-only)"
        print(f"budgetkg 服务已启动 (serving) http://{shown}:{bound_port}/  {mode}；SPARQL 端点 "
              f"http://{shown}:{bound_port}/sparql；按 Ctrl-C 停止", file=sys.stderr, flush=True)
        config = uvicorn.Config(app, log_level=log_level, access_log=access_log, timeout_graceful_shutdown=5,
                                server_header=False)
        server = uvicorn.Server(config)
        try:
            server.run(sockets=[sock])
        finally:
            app.state.service.close()
    finally:
        sock.close()


__all__ = ["create_app", "serve", "Service"]
