"""The endpoint as an attacker meets it, on real servers over loopback: no outbound request
from user SPARQL unless allowed, Host names checked, 414 for over-long URLs (no reset),
400 for text that is not Unicode, the update token from the environment, and a clear
message for a store with nothing ingested."""
from __future__ import annotations

import json
import socket
import urllib.parse
from pathlib import Path

import httpx
import pytest

from tests.hardening.listener import Listener
from tests.web.conftest import TOKEN, start_server, stop_server

ENV_TOKEN = "env-token-9b2e"
SELECT = "SELECT ?s WHERE {{ SERVICE {silent}<{url}> {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def allowing_server(store_copy, listener):
    """Allows SERVICE to one listener URL, answers to budget.example too; token and timeout from the environment."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BUDGETKG_UPDATE_TOKEN", ENV_TOKEN)
        env.setenv("BUDGETKG_QUERY_TIMEOUT", "7")
        srv = start_server(store_copy("allow-store"), "--allow-service", listener.url("/allowed"),
                           "--host-name", "budget.example")
    yield srv
    stop_server(srv)


def refused(response: httpx.Response) -> bool:
    return response.status_code == 400 and response.json()["error"] == "service_not_allowed"


@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_sparql_with_service_makes_no_connection(ro_server, listener, silent):
    before = len(listener.requests)
    query = SELECT.format(silent=silent, url=listener.url("/x"))
    with httpx.Client(base_url=ro_server.url, timeout=30) as http:
        assert refused(http.get("/sparql", params={"query": query}))
        assert refused(http.post("/sparql", data={"query": query}))
        assert refused(http.post("/sparql", content=query.encode(),
                                 headers={"content-type": "application/sparql-query"}))
        assert refused(http.get("/sparql", params={"query": "SELECT * { SERVICE ?where { ?s ?p ?o } }"}))
        assert refused(http.get("/api/search", params={"q": "合同", "sparql": query}))
    assert listener.connections_after() == before


def test_updates_with_service_or_load_make_no_connection(server, listener):
    before = len(listener.requests)
    with httpx.Client(base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        for update in (f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url('/u')}> {{ ?s ?p ?o }} }}",
                       f"LOAD SILENT <{listener.url('/load')}>"):
            assert refused(http.post("/sparql", data={"update": update}))
    assert listener.connections_after() == before


def test_an_allowed_endpoint_is_contacted_and_only_that_one(allowing_server, listener):
    before = len(listener.requests)
    with httpx.Client(base_url=allowing_server.url, timeout=30) as http:
        allowed = http.get("/sparql", params={"query": SELECT.format(silent="", url=listener.url("/allowed"))})
        assert allowed.status_code == 200, allowed.text
        assert listener.connections_after(0.2) == before + 1
        assert listener.requests[-1].startswith(b"POST /allowed")
        other = http.get("/sparql", params={"query": SELECT.format(silent="", url=listener.url("/other"))})
        assert refused(other) and "allow-list" in other.json()["message"]
    assert listener.connections_after() == before + 1


def test_host_header_must_name_this_server(ro_server, allowing_server):
    port = ro_server.url.rsplit(":", 1)[1]
    with httpx.Client(base_url=ro_server.url, timeout=30) as http:
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "LOCALHOST."):
            assert http.get("/api/health", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", f"evil.example:{port}", "budget.example"):
            wrong = http.get("/api/health", headers={"Host": host})
            assert wrong.status_code == 421 and wrong.json()["error"] == "unknown_host", host
        assert http.get("/api/health", headers={"Host": "a:b:c"}).status_code == 400
    assert raw(ro_server, b"GET /api/health HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 400")
    with httpx.Client(base_url=allowing_server.url, timeout=30) as http:
        assert http.get("/api/health", headers={"Host": "budget.example"}).status_code == 200


def raw(server, request: bytes) -> bytes:
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize("length", [40_000, 200_000, 5_000_000])
def test_over_long_urls_get_414_not_a_reset(ro_server, length):
    answer = raw(ro_server, b"GET /api/search?q=" + b"x" * length + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414"), head
    assert json.loads(body)["error"] == "uri_too_long"


def test_text_that_is_not_unicode_is_400(ro_server):
    with httpx.Client(base_url=ro_server.url, timeout=30) as http:
        json_headers = {"content-type": "application/json"}
        for body in (b'{"question": "\\ud800"}', b'{"question": "\xff\xfe"}', b'{"question": "\xed\xa0\x80"}'):
            answer = http.post("/api/ask", content=body, headers=json_headers)
            assert answer.status_code == 400 and answer.json()["message"], body
        assert http.get("/api/ask?q=%ED%A0%80").status_code == 400
        assert http.get("/api/ask?q=%FF").status_code == 400
        for content_type in ("application/sparql-query", "application/sparql-query; charset=unicode_escape"):
            answer = http.post("/sparql", content=b"SELECT * { ?s ?p \"\\ud800\xff\" }",
                               headers={"content-type": content_type})
            assert answer.status_code == 400, content_type


def test_the_update_token_can_come_from_the_environment(allowing_server):
    with httpx.Client(base_url=allowing_server.url, timeout=30) as http:
        health = http.get("/api/health").json()
        assert health["updates_allowed"] is True and health["query_timeout"] == 7
        update = "INSERT DATA { GRAPH <urn:test:env-token> { <urn:a> <urn:b> <urn:c> } }"
        assert http.post("/sparql", data={"update": update},
                         headers={"Authorization": f"Bearer {ENV_TOKEN}"}).status_code == 200
        assert http.post("/sparql", data={"update": update}).status_code == 403
    assert ENV_TOKEN not in " ".join(allowing_server.process.args)


def test_an_empty_store_says_nothing_is_ingested(tmp_path):
    import subprocess
    import sys

    from kg.errors import StoreError
    from search.web.app import create_app
    from tests.web.conftest import ROOT

    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="还没有导入任何报告") as refused_start:
        create_app(tmp_path / "empty")
    assert "另一个" not in str(refused_start.value)
    asked = subprocess.run([sys.executable, str(ROOT / "cli.py"), "ask", "哪些项目执行率低于60%", "--store",
                            str(tmp_path / "empty")], capture_output=True, text=True, timeout=120)
    assert asked.returncode != 0 and "Traceback" not in asked.stderr
    assert "budgetkg ingest" in asked.stderr and "另一个" not in asked.stderr


def test_a_server_that_writes_holds_the_store_lock(server):
    """An ingest into the store of a server started with an update token finds the store locked
    (one writer at a time) instead of writing under the server's writer."""
    import subprocess
    import sys

    seed = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "000_f26fb4c08ebca23b.txt"
    result = subprocess.run([sys.executable, "-m", "cli", "ingest", str(seed), "--store", str(server.store),
                             "--no-wait", "--model", "hashing"], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "另一个 budgetkg 进程" in result.stderr or "locked" in result.stderr, result.stderr
