"""The JSON API against a real server: same answers as the library and the CLI, JSON errors."""
from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from tests.web.conftest import LOW_EXECUTION, QUESTION, ROOT

STATIC = ROOT / "search" / "web" / "static"


def _plain(data):
    """What the CLI prints, parsed back (Decimal → float, IRI → str)."""
    from kg.model import json_default

    return json.loads(json.dumps(data, ensure_ascii=False, default=json_default))


def test_ask_equals_asker_output(http, local_view):
    from search.ask.engine import Asker

    response = http.get("/api/ask", params={"q": QUESTION})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    got = response.json()
    expected = _plain(Asker(local_view).ask(QUESTION).to_dict())
    assert _without_page_links(got) == expected
    assert {row["项目"] for row in got["rows"]} == LOW_EXECUTION
    assert len(got["evidence"]) == len(got["rows"]) == 4
    for row, evidence in zip(got["rows"], got["evidence"]):
        assert evidence["report"] and evidence["page"] and row["项目"] in evidence["text"]
    posted = http.post("/api/ask", json={"question": QUESTION})
    assert posted.status_code == 200 and posted.json() == got


def test_ask_equals_cli_json(http, store_copy):
    store = store_copy("cli-store")
    cli = subprocess.run([sys.executable, "-m", "cli", "ask", QUESTION, "--store", str(store), "--json"],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert cli.returncode == 0, cli.stderr
    assert _without_page_links(http.get("/api/ask", params={"q": QUESTION}).json()) == json.loads(cli.stdout)


PAGE_LINKS = ("image", "page_view", "report_id")


def _without_page_links(answer: dict) -> dict:
    """The API's answer is the CLI's plus, on each evidence item, where to see its page
    (``image``: None for reports ingested from text, as these are; ``page_view``; ``report_id``)."""
    import copy

    answer = copy.deepcopy(answer)
    for item in answer["evidence"]:
        assert set(PAGE_LINKS) <= set(item) and item["image"] is None and item["page_view"].startswith("/api/page?")
        for key in PAGE_LINKS:
            del item[key]
    return answer


def test_ask_errors_are_json(http):
    empty = http.get("/api/ask", params={"q": "  "})
    assert empty.status_code == 400
    assert empty.json()["error"] == "bad_request" and "问题为空" in empty.json()["message"]
    missing = http.get("/api/ask")
    assert missing.status_code == 400 and missing.json()["error"] == "bad_request"
    bad_body = http.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad_body.status_code == 400 and "message" in bad_body.json()


def test_search_rows_equal_library(http, local_view):
    from search.hybrid import HybridSearcher, hit_rows

    response = http.get("/api/search", params={"q": "合同问题没付款", "k": 5})
    assert response.status_code == 200
    rows = response.json()
    assert rows == _plain(hit_rows(HybridSearcher(local_view).search("合同问题没付款", k=5)))
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert "合同" in rows[0]["text"]


def test_search_filters(http):
    rows = http.get("/api/search", params={"q": "政府采购", "unit": "汾阳市人社局", "year": 2024, "k": 3}).json()
    assert rows and all("汾阳市" in r["report"] for r in rows)
    unknown = http.get("/api/search", params={"q": "政府采购", "unit": "火星市财政局"})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found" and "汾阳市人力资源和社会保障局" in unknown.json()["candidates"]
    projects = "SELECT ?p WHERE { ?p a bkg:Project ; rdfs:label ?n FILTER(CONTAINS(?n, \"法律顾问\")) }"
    restricted = http.get("/api/search", params={"q": "费用", "sparql": projects, "k": 5}).json()
    assert restricted and all("法律顾问费" in r["text"] for r in restricted)
    broken = http.get("/api/search", params={"q": "费用", "sparql": "SELECT ?p WHERE {"})
    assert broken.status_code == 400 and broken.json()["error"] == "malformed_query"
    bad_k = http.get("/api/search", params={"q": "费用", "k": "many"})
    assert bad_k.status_code == 400 and bad_k.json()["error"] == "bad_request"


def test_trace(http):
    response = http.get("/api/trace", params={"entity": "法律顾问费"})
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "project" and data["name"] == "法律顾问费"
    kinds = {n["kind"] for n in data["nodes"]}
    assert {"project", "report", "unit"} <= kinds
    ids = {n["id"] for n in data["nodes"]}
    assert data["root"] in ids and all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    document = http.get("/api/trace", params={"entity": "晋财社【2019】1号"}).json()
    assert document["kind"] == "document"
    assert sum(n["kind"] == "project" for n in document["nodes"]) == 4


def test_trace_unknown_and_ambiguous(http):
    unknown = http.get("/api/trace", params={"entity": "不存在的东西"})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found" and unknown.json()["candidates"] == []
    ambiguous = http.get("/api/trace", params={"entity": "人力资源和社会保障局"})
    assert ambiguous.status_code == 404
    candidates = ambiguous.json()["candidates"]
    assert "单位 大同市人力资源和社会保障局" in candidates and len(candidates) >= 3


def test_reports(http, web_store):
    response = http.get("/api/reports")
    assert response.status_code == 200
    reports = response.json()
    assert len(reports) == 5
    manifest = json.loads((web_store / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert {r["iri"] for r in reports} == set(manifest)
    for report in reports:
        entry = manifest[report["iri"]]
        assert report["title"] == entry["title"] and report["file"] == entry["path"]
        assert report["triples"] == entry["triples"] > 0 and report["passages"] == entry["passages"] > 0
        assert report["status"] in ("ok", "warnings") and report["status_text"]


def test_openapi_docs_and_page(http):
    schema = http.get("/openapi.json").json()
    assert {"/sparql", "/api/ask", "/api/search", "/api/trace", "/api/reports"} <= set(schema["paths"])
    assert {"get", "post"} <= set(schema["paths"]["/sparql"])
    docs = http.get("/docs")
    assert docs.status_code == 200 and "openapi.json" in docs.text
    page = http.get("/")
    assert page.status_code == 200 and "哪些项目执行率低于60%" in http.get("/static/app.js").text
    assert 'lang="zh-CN"' in page.text


def test_pages_load_nothing_from_the_network():
    import re

    loads = re.compile(r"""(src|href)\s*=\s*["']\s*(https?:)?//|url\(\s*["']?(https?:)?//|@import|fetch\(\s*["']https?:""",
                       re.I)
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not loads.search(text), f"{path.name} loads something from the network"


def test_unknown_path_and_method(http):
    missing = http.get("/api/nothing")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong = http.delete("/api/ask")
    assert wrong.status_code == 405 and wrong.json()["error"] == "method_not_allowed"


def test_internal_error_has_no_traceback(web_store, monkeypatch):
    """An unexpected exception becomes a JSON 500 with an incident id; the traceback stays in the log."""
    from fastapi.testclient import TestClient

    from search.web.app import create_app

    app = create_app(web_store, workers=1, warm=False)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        view = app.state.service.view

        def explode(question):
            raise RuntimeError("secret internal detail")

        monkeypatch.setattr(view.asker, "ask", explode)
        response = client.get("/api/ask", params={"q": QUESTION})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal_error" and body["incident"]
    assert "Traceback" not in response.text and "secret internal detail" not in response.text


def test_health(http):
    health = http.get("/api/health").json()
    assert health["status"] == "ok" and health["reports"] == 5 and health["updates_allowed"] is True


@pytest.mark.parametrize("path", ["/api/ask?q=" + QUESTION, "/api/reports"])
def test_concurrent_requests(server, path):
    """Many simultaneous requests on the shared corpus all succeed with the same answer."""
    import concurrent.futures

    with httpx.Client(base_url=server.url, timeout=120) as client:
        first = client.get(path).json()
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            results = list(pool.map(lambda _: client.get(path), range(24)))
    assert all(r.status_code == 200 for r in results)
    assert all(r.json() == first for r in results)


def test_serve_reports_a_busy_port(web_store):
    import socket

    from kg.errors import UsageError
    from search.web.app import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=f"127.0.0.1:{port}"):
            serve(web_store, port=port)


def test_missing_store_is_a_clear_error(tmp_path):
    from kg.errors import StoreError
    from search.web.app import create_app

    with pytest.raises(StoreError, match="存储目录不存在"):
        create_app(tmp_path / "nothing-here")
