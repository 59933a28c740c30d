"""The SPARQL process pool on its own: deadlines, result caps, dead workers, negotiation."""
from __future__ import annotations

import time

import pytest

from search.web.graph_host import QueryFailed, QueryPool, QueryTimeout, Snapshots
from search.web.sparql_protocol import ProtocolError, choose_formats, negotiate, parse_request

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


@pytest.fixture()
def pool(web_store):
    from kg.graph.vocab import PREFIXES

    pool = QueryPool(1, Snapshots(str(web_store / "graph"), owned=False))
    pool.prefixes = PREFIXES
    yield pool
    pool.close()


def _query(pool, text: str, **extra) -> dict:
    return {"op": "query", "query": text, "prefixes": pool.prefixes, "results_format": "json",
            "graph_format": "turtle", **extra}


def test_deadline_kills_and_replaces_the_reader(pool):
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        pool.run(_query(pool, HEAVY), time.monotonic() + 1.0)
    assert 0.9 <= time.monotonic() - started < 3
    assert pool.killed == 1
    reply = pool.run(_query(pool, "ASK { ?s a bkg:Project }"), time.monotonic() + 30)
    assert reply["ok"] and reply["body"] == b'{"head":{},"boolean":true}'


def test_result_size_is_capped(pool):
    reply = pool.run(_query(pool, "SELECT * WHERE { ?s ?p ?o }", max_bytes=10_000), time.monotonic() + 30)
    assert reply == {"ok": False, "error": "too_large", "message": "10000"}


def test_a_dead_reader_is_reported_and_replaced(pool):
    worker = pool._idle.get()
    pool._idle.put(worker)
    worker.proc.kill()
    worker.proc.wait()
    with pytest.raises(QueryFailed):
        pool.run(_query(pool, "ASK { ?s ?p ?o }"), time.monotonic() + 30)
    assert pool.run(_query(pool, "ASK { ?s ?p ?o }"), time.monotonic() + 30)["ok"]


def test_syntax_errors_carry_the_parser_position(pool):
    reply = pool.run(_query(pool, "SELECT ?x WHERE {\n  ?x a bkg:Project"), time.monotonic() + 30)
    assert reply["ok"] is False and reply["error"] == "syntax" and "error at 2:" in reply["message"]


def test_negotiation():
    assert negotiate(None, {"a/b": "x", "c/d": "y"}) == "x"
    assert negotiate("*/*", {"a/b": "x", "c/d": "y"}) == "x"
    assert negotiate("c/d, a/b", {"a/b": "x", "c/d": "y"}) == "y"
    assert negotiate("a/b;q=0.2, c/*;q=0.9", {"a/b": "x", "c/d": "y"}) == "y"
    assert negotiate("a/b;q=0", {"a/b": "x"}) is None
    assert negotiate("text/*;q=0.5, text/csv;q=0", {"text/csv": "csv", "text/tab-separated-values": "tsv"}) == "tsv"
    assert choose_formats("text/csv", None) == ("csv", None)
    assert choose_formats("application/json", None) == ("json", "jsonld")
    assert choose_formats(None, None) == ("json", "turtle")
    assert choose_formats("text/csv", "tsv") == ("tsv", None)


def test_protocol_parsing():
    form = "application/x-www-form-urlencoded"
    parsed = parse_request("POST", {}, form, "query=ASK%20%7B%7D&default-graph-uri=urn%3Ag".encode())
    assert parsed.query == "ASK {}" and parsed.default_graphs == ["urn:g"]
    assert parse_request("POST", {}, "application/sparql-update; charset=utf-8", "CLEAR ALL".encode()).update
    for method, params, ctype, body, status in (
            ("GET", {}, None, b"", 400),
            ("GET", {"update": ["CLEAR ALL"]}, None, b"", 405),
            ("POST", {}, form, b"query=ASK%7B%7D&update=CLEAR%20ALL", 400),
            ("POST", {}, "text/plain", b"ASK {}", 415),
            ("POST", {}, "application/sparql-query; charset=no-such-charset", b"ASK {}", 400),
            ("POST", {}, "application/sparql-query", b"\xff\xfe", 400),
            ("PUT", {}, None, b"", 405)):
        with pytest.raises(ProtocolError) as caught:
            parse_request(method, params, ctype, body)
        assert caught.value.status == status
