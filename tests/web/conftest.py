"""Web tests run against real servers on loopback (``python -m search.web`` subprocesses).

* ``web_store``: the seed reports ingested once (default embedder ``use``), then closed;
* ``server``: a copy of it served with an update token (``TOKEN``) — updates go there;
* ``ro_server``: the store itself served read-only with a short query timeout (2 s), for
  the timeout tests; the test process reads the same store read-only for comparisons.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "test-token-4f1c"
QUESTION = "哪些项目执行率低于60%"
LOW_EXECUTION = {"法律顾问费", "农民工联席办公经费", "仲裁委业务费", "网络运维服务费"}
URL = re.compile(r"(http://127\.0\.0\.1:\d+)/")


@dataclass
class Server:
    url: str
    store: Path
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)

    def log_text(self) -> str:
        return "\n".join(self.log[-80:])


def start_server(store: Path, *extra: str, startup_timeout: float = 180.0) -> Server:
    """Start ``python -m search.web`` on a free port; returns once it prints its address."""
    command = [sys.executable, "-m", "search.web", "--store", str(store), "--port", "0", "--log-level", "warning",
               *extra]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
    lines: list[str] = []
    found = threading.Event()
    address: list[str] = []

    def pump():
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            match = URL.search(line)
            if match and not found.is_set():
                address.append(match.group(1))
                found.set()
        found.set()

    threading.Thread(target=pump, daemon=True).start()
    if not found.wait(startup_timeout) or not address:
        process.kill()
        raise RuntimeError("web server did not start:\n" + "\n".join(lines[-60:]))
    server = Server(address[0], store, process, lines)
    _wait_healthy(server)
    return server


def _wait_healthy(server: Server, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("web server exited:\n" + server.log_text())
        try:
            if httpx.get(server.url + "/api/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("web server not healthy:\n" + server.log_text())


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def web_store(ingested_seeds) -> Path:
    """The seed reports ingested once (``tests/conftest.py``), closed, so servers can open it."""
    return ingested_seeds


@pytest.fixture(scope="session")
def store_copy(web_store, tmp_path_factory):
    """Make a private copy of the ingested store (for servers that write, or for the CLI)."""
    def copy(name: str) -> Path:
        target = tmp_path_factory.mktemp(name) / "store"
        shutil.copytree(web_store, target)
        return target

    return copy


@pytest.fixture(scope="session")
def server(store_copy):
    srv = start_server(store_copy("rw-store"), "--update-token", TOKEN, "--query-timeout", "30")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def ro_server(web_store):
    srv = start_server(web_store, "--query-timeout", "2", "--max-request-bytes", "65536")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def local_view(corpus):
    """The test process's own read-only view of ``web_store`` (what the servers should answer)."""
    return corpus


@pytest.fixture()
def http(server):
    import httpx

    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


EXAMPLE_PDFS = ROOT / "examples" / "reports"


@pytest.fixture(scope="session")
def pdf_store(tmp_path_factory) -> Path:
    """The five example reports ingested from their PDFs (absolute paths, so any process finds
    the sources), closed: pages behind the evidence are rendered from these files."""
    from store.corpus import Corpus

    folder = tmp_path_factory.mktemp("pdf-store") / "store"
    corpus = Corpus(folder)
    try:
        results = list(corpus.ingest([EXAMPLE_PDFS.resolve()]))
        assert [r.status for r in results] == ["added"] * 5, [r.message for r in results]
    finally:
        corpus.close()
    return folder


@pytest.fixture(scope="session")
def pdf_server(pdf_store):
    """The PDF store served read-only."""
    srv = start_server(pdf_store, "--query-timeout", "60")
    yield srv
    stop_server(srv)


@pytest.fixture()
def pdf_http(pdf_server):
    import httpx

    with httpx.Client(base_url=pdf_server.url, timeout=60) as client:
        yield client
