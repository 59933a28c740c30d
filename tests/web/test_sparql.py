"""/sparql as a SPARQL 1.1 Protocol endpoint, driven by an external client (SPARQLWrapper)
and by raw HTTP for negotiation, updates, limits and timeouts."""
from __future__ import annotations

import concurrent.futures
import csv
import io
import time

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.web.conftest import LOW_EXECUTION, TOKEN

LOW = """SELECT ?name ?rate WHERE {
  ?p a bkg:Project ; rdfs:label ?name ; bkg:hasSelfEvaluation ?se . ?se bkg:executionRate ?rate .
  FILTER(?rate < 60) } ORDER BY ?rate"""
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(server, query: str, fmt=JSON) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_select_with_sparqlwrapper(server):
    result = wrapper(server, LOW).queryAndConvert()
    assert result["head"]["vars"] == ["name", "rate"]
    rows = result["results"]["bindings"]
    assert {r["name"]["value"] for r in rows} == LOW_EXECUTION
    assert rows[0]["name"] == {"type": "literal", "value": "法律顾问费", "xml:lang": "zh"}
    assert [float(r["rate"]["value"]) for r in rows] == [0.0, 24.26, 34.12, 56.28]


def test_select_by_post(server):
    client = wrapper(server, LOW)
    client.setMethod(POST)
    assert len(client.queryAndConvert()["results"]["bindings"]) == 4
    raw = httpx.post(server.url + "/sparql", content=LOW.encode("utf-8"),
                     headers={"Content-Type": "application/sparql-query"})
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("application/sparql-results+json")
    assert len(raw.json()["results"]["bindings"]) == 4


def test_ask_with_sparqlwrapper(server):
    assert wrapper(server, 'ASK { ?p rdfs:label "法律顾问费"@zh }').queryAndConvert()["boolean"] is True
    assert wrapper(server, 'ASK { ?p rdfs:label "没有这个项目"@zh }').queryAndConvert()["boolean"] is False


def test_csv_and_tsv_negotiation(server):
    as_csv = httpx.get(server.url + "/sparql", params={"query": LOW}, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert {r["name"] for r in table} == LOW_EXECUTION
    as_tsv = httpx.get(server.url + "/sparql", params={"query": LOW},
                       headers={"Accept": "text/tab-separated-values"})
    assert as_tsv.headers["content-type"].startswith("text/tab-separated-values")
    lines = as_tsv.text.strip().splitlines()
    assert lines[0].split("\t") == ["?name", "?rate"] and '"法律顾问费"@zh' in lines[1]
    # q-values decide; SPARQLWrapper's own CSV/TSV requests work too
    preferred = httpx.get(server.url + "/sparql", params={"query": LOW},
                          headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert preferred.headers["content-type"].startswith("text/csv")
    assert b"\xe6\xb3\x95\xe5\xbe\x8b" in wrapper(server, LOW, CSV).queryAndConvert()
    assert wrapper(server, LOW, TSV).queryAndConvert().decode("utf-8").startswith("?name\t?rate")
    unacceptable = httpx.get(server.url + "/sparql", params={"query": LOW}, headers={"Accept": "image/png"})
    assert unacceptable.status_code == 406 and unacceptable.json()["error"] == "not_acceptable"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")
def test_construct_returns_turtle(server):
    from rdflib import Graph, Literal, URIRef

    query = 'CONSTRUCT { ?p rdfs:label ?n } WHERE { ?p a bkg:Project ; rdfs:label ?n FILTER(?n = "法律顾问费"@zh) }'
    response = httpx.get(server.url + "/sparql", params={"query": query})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) >= 1
    assert (None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("法律顾问费", lang="zh")) in graph
    turtle = wrapper(server, query, TURTLE).queryAndConvert()
    assert len(Graph().parse(data=turtle, format="turtle")) == len(graph)
    jsonld = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)


def test_malformed_query_is_400_with_parser_message(server):
    client = wrapper(server, "SELECT ?x WHERE { ?x a bkg:Project")
    with pytest.raises(QueryBadFormed):
        client.queryAndConvert()
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x a bkg:Project"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "malformed_query" and "error at 1:" in body["message"]
    unknown_prefix = httpx.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x nope:p ?y }"})
    assert unknown_prefix.status_code == 400
    missing = httpx.get(server.url + "/sparql")
    assert missing.status_code == 400 and missing.json()["error"] == "bad_request"
    wrong_type = httpx.post(server.url + "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_update_needs_the_token(server):
    update = 'INSERT DATA { GRAPH <urn:test:web> { <urn:test:s> rdfs:label "网页测试"@zh } }'
    check = 'ASK { <urn:test:s> rdfs:label "网页测试"@zh }'
    url = server.url + "/sparql"
    anonymous = httpx.post(url, data={"update": update})
    assert anonymous.status_code == 403 and anonymous.json()["error"] == "forbidden"
    wrong = httpx.post(url, content=update.encode(), headers={"Content-Type": "application/sparql-update",
                                                              "Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403
    assert wrapper(server, check).queryAndConvert()["boolean"] is False
    client = SPARQLWrapper(url)
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery(update)
    client.query()
    assert wrapper(server, check).queryAndConvert()["boolean"] is True
    # the JSON API sees the update as well (a new lexicon for the new snapshot)
    assert httpx.get(server.url + "/api/health").json()["status"] == "ok"
    removed = httpx.post(url, data={"update": "DROP GRAPH <urn:test:web>"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert removed.status_code == 200
    assert wrapper(server, check).queryAndConvert()["boolean"] is False
    # the API answers from the new snapshot too, and old snapshots are cleaned up
    assert httpx.get(server.url + "/api/trace", params={"entity": "法律顾问费"}).status_code == 200
    snapshots = list((server.store / ".web-snapshots").iterdir())
    assert 1 <= len(snapshots) <= 3, snapshots  # the current one plus any a reader has not left yet
    broken = httpx.post(url, data={"update": "INSERT DATA { <a:b> }"}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert broken.status_code == 400 and broken.json()["error"] == "malformed_query"
    by_get = httpx.get(url, params={"update": update})
    assert by_get.status_code == 405


def test_read_only_server_refuses_updates(ro_server):
    response = httpx.post(ro_server.url + "/sparql", data={"update": "CLEAR ALL"},
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403 and "只读" in response.json()["message"]


def test_oversized_request_is_413(ro_server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_000  # the server's limit is 64 KiB
    declared = httpx.post(ro_server.url + "/sparql", content=big.encode(),
                          headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413 and declared.json()["error"] == "request_too_large"

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(20):
            yield b"#" + b"y" * 8191

    streamed = httpx.post(ro_server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413
    ask = httpx.post(ro_server.url + "/api/ask", json={"question": "x" * 70_000})
    assert ask.status_code == 413
    assert httpx.get(ro_server.url + "/api/health").status_code == 200


def test_slow_query_times_out_while_others_are_served(ro_server):
    """A cross join runs past the 2 s deadline and is killed; meanwhile other requests are answered."""
    url = ro_server.url
    killed_before = httpx.get(url + "/api/health").json()["killed_queries"]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        heavy = pool.submit(httpx.get, url + "/sparql", params={"query": HEAVY}, timeout=60)
        time.sleep(0.3)
        served = []
        while not heavy.done() and time.monotonic() - started < 30:
            t0 = time.monotonic()
            ask = httpx.get(url + "/sparql", params={"query": "ASK { ?s a bkg:Project }"}, timeout=60)
            answer = httpx.get(url + "/api/ask", params={"q": "汾阳市人社局2024年政府采购预算总额"}, timeout=60)
            served.append((ask.status_code, answer.status_code, time.monotonic() - t0, heavy.done()))
            time.sleep(0.1)
        response = heavy.result()
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["error"] == "timeout" and "2" in response.json()["message"]
    assert 1.8 <= elapsed < 10
    during = [s for s in served if not s[3]]
    assert during, "no request was answered while the slow query ran"
    assert all(s[0] == 200 and s[1] == 200 and s[2] < 2.0 for s in during), served
    health = httpx.get(url + "/api/health").json()
    assert health["killed_queries"] == killed_before + 1
    # the killed reader was replaced: queries still work
    assert httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_runaway_queries_cannot_take_every_worker(ro_server):
    """More slow queries than workers: every one is stopped at the deadline, none hangs."""
    url = ro_server.url
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        started = time.monotonic()
        futures = [pool.submit(httpx.get, url + "/sparql", params={"query": HEAVY}, timeout=60) for _ in range(4)]
        codes = [f.result().status_code for f in futures]
        elapsed = time.monotonic() - started
    assert codes == [503] * 4 and elapsed < 10
    assert httpx.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
