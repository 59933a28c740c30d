"""What a request must pass before any route sees it.

* ``RequestGuard`` (ASGI): the ``Host`` header must name this server — loopback names,
  the address it listens on and ``--host-name`` values — so a page on another site that
  rebinds its DNS name to 127.0.0.1 cannot read the API (421, 400 without a Host); a URL
  over ``max_url_bytes`` is 414; a query string whose percent-escapes are not UTF-8 is 400.
* ``BodyLimit`` (ASGI): 413 for a body over the limit, declared or streamed.
* ``GuardedH11Protocol`` (uvicorn): a request line too long for the HTTP parser's buffer
  gets a 414 (headers: 431) instead of a bare 400, and the rest of the request is read
  and dropped before the connection closes, so the client reads the answer instead of a
  connection reset.
* ``Text``: a string parameter or JSON field that must be valid Unicode (a JSON ``\\ud800``
  escape decodes to a lone surrogate, which nothing downstream can encode): 400.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Annotated
from urllib.parse import unquote_to_bytes

from pydantic import AfterValidator
from uvicorn.protocols.http.h11_impl import H11Protocol

from search.web.responses import error

MAX_URL_BYTES = 32 * 1024
MAX_HEAD_BYTES = 64 * 1024  # request line and headers, as the HTTP parser buffers them
LINGER_BYTES = 64 * 1024 * 1024
LINGER_SECONDS = 10.0
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
_PORT = re.compile(r":\d{1,5}")


def _valid_text(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("含有无效的 Unicode 字符（孤立代理项）(not valid Unicode text: a lone surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(_valid_text)]


def host_name(header: str) -> str | None:
    """The name in a ``Host`` header (lower case, no port, no brackets); None when malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if rest and not _PORT.fullmatch(rest):
        return None
    return name.rstrip(".") or None


def served_names(bind_host: str | None = None, extra: Iterable[str] = ()) -> frozenset[str]:
    """Loopback names, the address the server listens on (unless a wildcard) and ``extra``."""
    names = set(LOOPBACK_NAMES)
    if bind_host and bind_host not in WILDCARDS:
        names.add(bind_host.strip("[]").lower())
    names.update(name.strip().strip("[]").lower().rstrip(".") for name in extra if name.strip())
    return frozenset(names)


class RequestGuard:
    def __init__(self, app, host_names: Iterable[str], max_url_bytes: int = MAX_URL_BYTES):
        self.app = app
        self.names = frozenset(host_names)
        self.max_url_bytes = max_url_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        query = scope.get("query_string") or b""
        length = len(scope.get("raw_path") or scope.get("path", "").encode()) + len(query)
        if length > self.max_url_bytes:
            return await too_long(self.max_url_bytes)(scope, receive, send)
        hosts = [value.decode("latin-1") for key, value in scope.get("headers", []) if key == b"host"]
        if len(hosts) != 1 or host_name(hosts[0]) is None:
            return await error(400, "bad_host", "缺少或无效的 Host 请求头 (missing or invalid Host header)")(
                scope, receive, send)
        name = host_name(hosts[0])
        if name not in self.names:
            served = ", ".join(sorted(self.names))
            return await error(421, "unknown_host", f"此服务器不以 {name} 为名（可用：{served}）；需要时用 --host-name "
                                                    f"{name} 启动 (this server is not {name}; it answers to {served}; "
                                                    f"start it with --host-name {name} to add it)")(
                scope, receive, send)
        try:
            unquote_to_bytes(query.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return await error(400, "bad_encoding", "查询参数不是有效的 UTF-8 (query parameters are not valid "
                                                    "UTF-8 after percent-decoding)")(scope, receive, send)
        await self.app(scope, receive, send)


def too_long(limit: int):
    return error(414, "uri_too_long", f"请求地址超过 {limit} 字节；长查询请用 POST (URL longer than {limit} bytes: "
                                      f"send long queries with POST)", headers={"Connection": "close"})


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

    def _too_large(self):
        return error(413, "request_too_large", f"请求正文超过 {self.max_bytes} 字节 (request body larger than "
                                                f"{self.max_bytes} bytes)", headers={"Connection": "close"})


class _TooLarge(Exception):
    pass


class GuardedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a proper answer to a head too large to parse."""

    max_url_bytes = MAX_URL_BYTES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._draining: int | None = None

    def data_received(self, data: bytes) -> None:
        if self._draining is None:
            return super().data_received(data)
        self._draining += len(data)
        if self._draining > LINGER_BYTES:
            self.transport.close()

    def eof_received(self) -> None:
        if self._draining is None:
            return super().eof_received()
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        pending, _ = self.conn.trailing_data
        line = pending.find(b"\n")
        if line < 0 and len(pending) > self.max_url_bytes or line > self.max_url_bytes:
            status, reason, code, text = 414, b"URI Too Long", "uri_too_long", (
                f"请求地址超过 {self.max_url_bytes} 字节；长查询请用 POST (URL longer than {self.max_url_bytes} bytes: "
                f"send long queries with POST)")
        elif len(pending) > MAX_HEAD_BYTES:
            status, reason, code, text = 431, b"Request Header Fields Too Large", "headers_too_large", (
                f"请求头超过 {MAX_HEAD_BYTES} 字节 (request headers larger than {MAX_HEAD_BYTES} bytes)")
        else:
            status, reason, code, text = 400, b"Bad Request", "bad_request", "无效的 HTTP 请求 (invalid HTTP request)"
        body = json.dumps({"error": code, "message": text}, ensure_ascii=False).encode("utf-8")
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                             b"connection: close\r\n\r\n%s" % (status, reason, len(body), body))
        self._draining = 0
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


__all__ = ["RequestGuard", "BodyLimit", "GuardedH11Protocol", "Text", "served_names", "host_name",
           "MAX_URL_BYTES", "MAX_HEAD_BYTES"]
