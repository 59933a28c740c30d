"""User SPARQL contacts no other host unless allowed: the lexer that finds SERVICE/LOAD, and
``budgetkg sparql`` / ``budgetkg search --sparql`` against a real loopback listener."""
from __future__ import annotations

import pytest

from kg.errors import ServiceNotAllowed, UsageError
from kg.graph.federation import allow_list, check_outbound, targets
from kg.graph.vocab import PREFIXES
from tests.hardening.conftest import run_cli as run
from tests.hardening.listener import Listener


@pytest.mark.parametrize("query, iri", [
    ("SELECT * { SERVICE <http://h/a> { ?s ?p ?o } }", "http://h/a"),
    ("select * { service silent <http://h/a> { } }", "http://h/a"),
    ("SELECT * { ?s ?p 1.SERVICE <http://h/a> {} }", "http://h/a"),
    ("SELECT * { ?s ?p ?o.SERVICE <http://h/a> {} }", "http://h/a"),
    ("SELECT * { ?s ex:a\\' SERVICE <http://h/a> {} ex:b\\' }", "http://h/a"),
    ('SELECT * { ?s ?p """x " SERVICE""" . SERVICE <http://h/a> {} }', "http://h/a"),
    ("SELECT * { ?s ?p 'it''s' . SERVICE <http://h/a> {} }", "http://h/a"),
    ("SELECT * { FILTER(?a<?b) SERVICE <http://h/a> {} FILTER(?c>?d) }", "http://h/a"),
    ("PREFIX e: <http://h/> SELECT * { SERVICE e:a { } }", "http://h/a"),
    ("PREFIX : <http://h/> SELECT * { SERVICE :a { } }", "http://h/a"),
    ("BASE <http://h/> SELECT * { SERVICE <a> { } }", "http://h/a"),
    ("SELECT * { \\u0053ERVICE <http://h/a> { } }", "http://h/a"),
    ("SELECT * { SERVICE ?endpoint { } }", None),
    ("LOAD SILENT <http://h/a> INTO GRAPH <http://g>", "http://h/a"),
    ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://h/a> { ?s ?p ?o } }", "http://h/a"),
])
def test_every_written_form_of_service_is_found(query, iri):
    assert [t.iri for t in targets(query, PREFIXES)] == [iri]


@pytest.mark.parametrize("query", [
    'SELECT * { ?s ?p "SERVICE <http://h/a> {}" } # SERVICE <http://h/b>',
    "SELECT * { ?s bkg:serviceLevel ?o ; ex:SERVICE ?x . ex:a.SERVICE ex:b-SERVICE _:b.SERVICE }",
    'SELECT * { ?s ?p "x"@SERVICE }',
    "SELECT ?service WHERE { ?service a bkg:Project }",
])
def test_service_in_literals_comments_and_names_is_not_a_pattern(query):
    assert targets(query, PREFIXES) == []


def test_allow_list_is_exact_and_checked():
    check_outbound("SELECT * { SERVICE <http://h/a> {} }", ["http://h/a"])
    with pytest.raises(ServiceNotAllowed, match="allow-list"):
        check_outbound("SELECT * { SERVICE <http://h/a/> {} }", ["http://h/a"])
    with pytest.raises(ServiceNotAllowed, match="fixed endpoint"):
        check_outbound("SELECT * { SERVICE ?x {} }", ["http://h/a"])
    with pytest.raises(ServiceNotAllowed, match="--allow-service"):
        check_outbound("SELECT * { SERVICE <http://h/a> {} }")
    with pytest.raises(UsageError):
        allow_list(["127.0.0.1:9/x"])


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_cli_sparql_makes_no_connection_unless_allowed(hashing_store, listener, silent):
    query = f"SELECT * WHERE {{ SERVICE {silent}<{listener.url()}> {{ ?s ?p ?o }} }}"
    refused = run("sparql", query, "--store", hashing_store)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "SERVICE" in refused.stderr and "--allow-service" in refused.stderr
    assert listener.connections_after() == 0
    allowed = run("sparql", query, "--store", hashing_store, "--allow-service", listener.url())
    assert allowed.returncode == 0, allowed.stderr
    assert listener.connections_after(0.1) == 1 and listener.requests[0].startswith(b"POST /sparql")


def test_cli_search_sparql_makes_no_connection(hashing_store, listener):
    query = f"SELECT ?e WHERE {{ SERVICE <{listener.url()}> {{ ?e ?p ?o }} }}"
    refused = run("search", "合同", "--store", hashing_store, "--sparql", query, "--model", "hashing")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr and "SERVICE" in refused.stderr
    assert listener.connections_after() == 0


def test_memory_store_does_not_download_from_graphs(tmp_path, listener):
    from kg.graph.plugins.memory import MemoryStore

    result = MemoryStore().query(f"SELECT * FROM <{listener.url('/data')}> WHERE {{ ?s ?p ?o }}")
    assert result.rows == [] and listener.connections_after() == 0
