"""The command line: exit codes and messages, never a traceback for a user's mistake."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli") / "store"
    result = run("ingest", str(FIXTURES / "seeds"), "--store", str(folder), "--model", "hashing")
    assert result.returncode == 0, result.stderr
    return folder


def test_extract_json_is_the_document_model():
    result = run("extract", str(FIXTURES / "pdf" / "001_01b4697fa3395aa5.pdf"), "--json")
    data = json.loads(result.stdout)
    assert data["unit"] == "大同市人力资源和社会保障局" and len(data["projects"]) == 14


def test_ask_json_has_exactly_the_promised_keys(store):
    result = run("ask", "哪些项目执行率低于60%", "--store", str(store), "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"question", "mode", "intent", "sparql", "columns", "rows", "answer", "evidence"}
    assert len(data["rows"]) == 4


def test_malformed_sparql_exits_2_with_the_parser_message(store):
    result = run("sparql", "SELECT ?x WHERE { ?x ", "--store", str(store))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "SPARQL" in result.stderr


def test_sparql_formats(store):
    query = "SELECT ?name WHERE { ?u org:subOrganizationOf ?d ; skos:prefLabel ?name } ORDER BY ?name"
    csv_out = run("sparql", query, "--store", str(store), "--format", "csv").stdout.splitlines()
    assert csv_out == ["name", "大同市企业职工劳动事务服务中心", "大同市劳动保障监察综合行政执法队"]
    rows = json.loads(run("sparql", query, "--store", str(store), "--format", "json").stdout)["rows"]
    assert len(rows) == 2


def test_batch_with_a_bad_file_exits_1_and_names_it(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("ingest", str(tmp_path), "--store", str(tmp_path / "store"), "--model", "hashing")
    assert result.returncode == 1 and "empty.txt" in result.stderr and "Traceback" not in result.stderr


def test_empty_question_and_unknown_store_are_usage_messages(tmp_path):
    result = run("ask", "  ", "--store", str(tmp_path / "none"))
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr and result.stderr.strip()


def test_unknown_model_is_refused_before_any_download(tmp_path):
    result = run("ingest", str(FIXTURES / "seeds" / "000_f26fb4c08ebca23b.txt"), "--store", str(tmp_path / "s"),
                 "--model", "no-such-org/no-such-model")
    assert result.returncode != 0 and "Traceback" not in result.stderr and "no-such-model" in result.stderr


def test_trace_export_and_check(store, tmp_path):
    trace = run("trace", "晋财社【2019】1号", "--store", str(store), "--json")
    assert len([n for n in json.loads(trace.stdout)["nodes"] if n["kind"] == "project"]) == 4
    exported = run("export", "--format", "turtle", "--store", str(store), "-o", str(tmp_path / "all.ttl"))
    assert exported.returncode == 0 and (tmp_path / "all.ttl").stat().st_size > 100_000
    check = run("check", str(FIXTURES / "seeds" / "001_01b4697fa3395aa5.txt"), "--json")
    assert any("56.38" in f["message"] for f in json.loads(check.stdout)[0]["findings"])
