"""How errors become HTTP answers: ``{"error": code, "message": text}`` with a status.

An error carries its HTTP status as it carries its exit code: a class attribute
``http_status`` (and ``http_code``, the JSON ``error``) on the class or an ancestor — the
web server's own errors (``QueryTimeout``, ``QueryFailed``) declare theirs. The library's
error classes (``kg.errors``) are given theirs in ``STATUS``, looked up along the class's
ancestry, so a subclass (``ServiceNotAllowed`` of ``QueryError``) finds the most specific.
Tracebacks go to the server log only.
"""
from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import BudgetKGError, EntityNotFound, ModelMismatch, QueryError, ServiceNotAllowed, StoreError, \
    UsageError
from search.web.graph_host import QueryTimeout
from search.web.responses import JSON, error
from search.web.sparql_protocol import ProtocolError

log = logging.getLogger("budgetkg.web")

# the library's errors and their (status, code); the exit codes stay on the classes in kg.errors
STATUS: dict[type, tuple[int, str]] = {
    BudgetKGError: (400, "bad_request"),
    UsageError: (400, "bad_request"),
    QueryError: (400, "malformed_query"),
    ServiceNotAllowed: (400, "service_not_allowed"),
    EntityNotFound: (404, "not_found"),
    StoreError: (503, "store_unavailable"),
    ModelMismatch: (500, "model_mismatch"),
}
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}
HTTP_TEXT = {400: "请求正文无法解析：需要 UTF-8 编码的 JSON (the body could not be parsed: send UTF-8 JSON)",
             404: "没有这个地址 (no such path)", 405: "不支持此方法 (method not allowed)"}


def http_status(err: BaseException) -> tuple[int, str]:
    """The (status, code) an error answers with: its own ``http_status``, else ``STATUS`` by ancestry."""
    for klass in type(err).__mro__:
        if "http_status" in vars(klass):
            return klass.http_status, getattr(klass, "http_code", HTTP_CODES.get(klass.http_status, "error"))
        if klass in STATUS:
            return STATUS[klass]
    return 500, "internal_error"


def library_error(err: BudgetKGError, query_timeout: float) -> JSON:
    status, code = http_status(err)
    message, headers = str(err), None
    if isinstance(err, QueryTimeout):
        busy = message == "busy"
        message = (f"服务器繁忙，{query_timeout:g} 秒内没有空闲的查询进程 (server busy: no free query process "
                   f"within {query_timeout:g} s)") if busy else \
            (f"查询超过 {query_timeout:g} 秒，已终止；请加 LIMIT 或收窄条件 (query ran past "
             f"{query_timeout:g} s and was stopped)")
        headers = {"Retry-After": "1"} if busy else None
    extra = {"candidates": err.candidates} if isinstance(err, EntityNotFound) else {}
    return error(status, code, message, headers=headers, **extra)


def add_error_handlers(app: FastAPI, query_timeout: float) -> None:
    @app.exception_handler(BudgetKGError)
    async def _library(request: Request, err: BudgetKGError):
        return library_error(err, query_timeout)

    @app.exception_handler(ProtocolError)
    async def _protocol(request: Request, err: ProtocolError):
        return error(err.status, err.code, err.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException):
        return error(err.status_code, HTTP_CODES.get(err.status_code, "http_error"),
                     HTTP_TEXT.get(err.status_code, str(err.detail)), headers=getattr(err, "headers", None))

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


__all__ = ["STATUS", "add_error_handlers", "http_status", "library_error"]
