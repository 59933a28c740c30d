"""Errors carry their HTTP status (as they carry exit codes), and the report status rows come
from one function, which ``/api/reports`` serves."""
from __future__ import annotations

import pytest

from kg.errors import BudgetKGError, EntityNotFound, InputFileError, ModelMismatch, QueryError, ServiceNotAllowed, \
    StoreError, StoreLocked, UsageError
from search.web.errors import http_status, library_error
from search.web.graph_host import QueryFailed, QueryTimeout
from store.report_status import report_rows


@pytest.mark.parametrize("err, status, code", [
    (EntityNotFound("x"), 404, "not_found"),
    (ServiceNotAllowed("x"), 400, "service_not_allowed"),  # the most specific ancestor wins over QueryError
    (QueryError("x"), 400, "malformed_query"),
    (UsageError("x"), 400, "bad_request"),
    (StoreLocked("x"), 503, "store_unavailable"),  # a subclass finds its ancestor's status
    (StoreError("x"), 503, "store_unavailable"),
    (ModelMismatch("x"), 500, "model_mismatch"),
    (QueryFailed("x"), 500, "query_failed"),
    (QueryTimeout("timeout"), 503, "timeout"),
    (InputFileError("a.pdf"), 400, "bad_request"),
    (BudgetKGError("x"), 400, "bad_request"),
    (RuntimeError("x"), 500, "internal_error"),
])
def test_each_error_answers_with_its_status(err, status, code):
    assert http_status(err) == (status, code)


def test_busy_and_timeout_answers():
    busy = library_error(QueryTimeout("busy"), 2.0)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "1" and b"\xe7\xb9\x81\xe5\xbf\x99" in busy.body
    late = library_error(QueryTimeout("timeout"), 2.0)
    assert late.status_code == 503 and "Retry-After" not in late.headers and b"2 s" in late.body
    missing = library_error(EntityNotFound("没有", candidates=["甲", "乙"]), 2.0)
    assert missing.status_code == 404 and "甲".encode() in missing.body


def test_report_rows_say_each_status():
    reports = {"urn:a": {"title": "甲 2024年部门预算", "unit": "甲", "year": 2024, "triples": 9, "passages": 3},
               "urn:b": {"title": "乙", "unit": "乙", "year": 2023, "passages_done": False},
               "urn:c": {"title": "丙", "unit": "丙", "year": 2023, "warnings": 2},
               "urn:d": {"title": "丁", "unit": "丁", "year": 2023}}
    rows = {r["iri"]: r for r in report_rows(reports, ["urn:a", "urn:b", "urn:c"])}
    assert [rows[i]["status"] for i in ("urn:a", "urn:b", "urn:c", "urn:d")] == \
        ["ok", "no_passages", "warnings", "graph_missing"]
    assert "2 条警告" in rows["urn:c"]["status_text"] and rows["urn:a"]["triples"] == 9 and rows["urn:a"]["id"] == "urn:a"  # no path: the IRI itself
    assert [r["unit"] for r in report_rows(reports, [])] == ["丁", "丙", "乙", "甲"]


def test_api_reports_are_the_shared_rows(http, local_view):
    assert http.get("/api/reports").json() == report_rows(local_view.reports(), local_view.graph.graphs())


def test_the_command_line_prints_the_rows_the_api_answers_with(http, server):
    """`budgetkg reports --json` and /api/reports: one JSON, from store.report_status."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "cli", "reports", "--store", str(server.store), "--json"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120, check=True)
    assert json.loads(done.stdout) == http.get("/api/reports").json()
