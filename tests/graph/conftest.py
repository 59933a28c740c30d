"""A throwaway Virtuoso on loopback for the remote-store tests (a real server, not a mock).

Started once per session when ``virtuoso-t`` is installed (Debian: virtuoso-opensource;
``.ci/run`` installs it and sets BUDGETKG_REQUIRE_VIRTUOSO=1 so CI cannot skip these tests).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _configure(folder: Path, sql_port: int, http_port: int) -> Path:
    section = None
    out = []
    for line in INI.read_text(encoding="utf-8", errors="replace").splitlines():
        header = re.match(r"^\s*\[(\w+)\]", line)
        if header:
            section = header.group(1)
            out.append(line)
            continue
        key = re.match(r"^\s*(\w+)\s*=", line)
        name = key.group(1) if key else None
        if section == "Database" and name in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile",
                                              "xa_persistent_file"):
            line = f"{name} = {folder / ('db.' + name)}"
        elif section == "TempDatabase" and name in ("DatabaseFile", "TransactionFile"):
            line = f"{name} = {folder / ('temp.' + name)}"
        elif section == "Parameters" and name == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "HTTPServer" and name == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "Parameters" and name == "DirsAllowed":
            line = f"DirsAllowed = ., {folder}"
        out.append(line)
    ini = folder / "virtuoso.ini"
    ini.write_text("\n".join(out) + "\n", encoding="utf-8")
    return ini


def _wait(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("virtuoso did not come up")


@dataclass
class VirtuosoServer:
    """A running throwaway Virtuoso: SPARQL endpoint URL, SQL ``HOST:PORT`` (for isql-vt and the
    bulk loader, user dba/dba) and its folder (listed in its DirsAllowed, so files under it load)."""

    url: str
    sql: str
    folder: Path
    process: subprocess.Popen | None = None


def require_virtuoso() -> str:
    """The ``virtuoso-t`` binary; skips (fails under BUDGETKG_REQUIRE_VIRTUOSO=1) when it is not installed."""
    binary = shutil.which("virtuoso-t")
    if binary is None or not INI.exists() or shutil.which("isql-vt") is None:
        if os.environ.get("BUDGETKG_REQUIRE_VIRTUOSO"):
            pytest.fail("virtuoso-t is required here (BUDGETKG_REQUIRE_VIRTUOSO=1) but is not installed")
        pytest.skip("virtuoso-opensource is not installed (apt-get install virtuoso-opensource)")
    return binary


@contextlib.contextmanager
def running_virtuoso(folder: Path) -> Iterator[VirtuosoServer]:
    """Start a Virtuoso on loopback in ``folder`` that accepts SPARQL updates (fresh, or on the
    database a previous one left there); stop it after."""
    binary = require_virtuoso()
    sql_port, http_port = _free_port(), _free_port()
    ini = _configure(folder, sql_port, http_port)
    log = open(folder / "server.log", "wb")
    process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=folder, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait(url, process)
        grant = ('GRANT SPARQL_UPDATE TO "SPARQL"; GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
                 'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";')
        subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grant}"], check=True,
                       capture_output=True, timeout=60)
        yield VirtuosoServer(url, f"127.0.0.1:{sql_port}", folder, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[VirtuosoServer]:
    """A fresh Virtuoso for the session: SPARQL endpoint accepting updates, SQL port, its folder."""
    require_virtuoso()
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_endpoint(virtuoso_server) -> str:
    """URL of a fresh Virtuoso SPARQL endpoint that accepts updates."""
    return virtuoso_server.url
