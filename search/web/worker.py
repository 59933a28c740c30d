"""A child process that runs SPARQL against the embedded store (pyoxigraph).

pyoxigraph cannot cancel a running query, so every user-supplied query or update runs in
one of these processes; the server kills the process when the deadline passes. The child
imports nothing but pyoxigraph and the standard library, so it starts in a few tens of
milliseconds.

Started as ``python -m search.web.worker FD ROLE``: FD is the child's end of a socket
pair; ROLE is ``reader`` (opens stores read-only, one path at a time, reopened when a
request names another path) or ``writer`` (holds the store read-write; updates and
checkpoints). Messages are pickled dicts (``multiprocessing.connection.Connection``);
every request gets exactly one reply ``{"ok": True, ...}`` or ``{"ok": False, "error":
code, "message": text}`` with code ``syntax`` | ``not_acceptable`` | ``too_large`` |
``not_select`` | ``store`` | ``internal``.
"""
from __future__ import annotations

import gc
import io
import os
import signal
import sys
from multiprocessing.connection import Connection

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "jsonld", "nt", "rdfxml")


class TooLarge(Exception):
    pass


class CappedBuffer(io.RawIOBase):
    """A write-only buffer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:
        if len(self.data) + len(chunk) > self.limit:
            raise TooLarge()
        self.data += chunk
        return len(chunk)


def _die_with_parent() -> None:
    """Linux: get SIGKILL when the server process dies, even in the middle of a query."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    try:  # under memory pressure the kernel kills a runaway query, not the server
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _error(code: str, message: str) -> dict:
    return {"ok": False, "error": code, "message": message}


class Worker:
    def __init__(self, role: str):
        import pyoxigraph

        self.ox = pyoxigraph
        self.role = role
        self.store = None
        self.path: str | None = None

    # -- store handles -----------------------------------------------------------------------
    def _open(self, path: str, read_only: bool) -> None:
        if self.path == path and self.store is not None:
            return
        self.store = None
        gc.collect()
        self.store = self.ox.Store.read_only(path) if read_only else self.ox.Store(path)
        self.path = path

    # -- requests ------------------------------------------------------------------------------
    def handle(self, msg: dict) -> dict:
        op = msg.get("op")
        try:
            if op == "ping":
                return {"ok": True, "pid": os.getpid()}
            if op == "open":
                self._open(msg["path"], read_only=self.role != "writer")
                return {"ok": True}
            if op == "query":
                self._open(msg["path"], read_only=self.role != "writer")
                return self._query(msg)
            if op == "first_column":
                self._open(msg["path"], read_only=self.role != "writer")
                return self._first_column(msg)
            if op == "update" and self.role == "writer":
                return self._update(msg)
            if op == "backup" and self.role == "writer":
                self.store.flush()
                self.store.backup(msg["target"])
                return {"ok": True}
            return _error("internal", f"unknown operation {op!r} for a {self.role}")
        except SyntaxError as err:
            return _error("syntax", str(err))
        except TooLarge:
            return _error("too_large", str(msg.get("max_bytes")))
        except (OSError, RuntimeError) as err:
            return _error("store", f"{type(err).__name__}: {err}")
        except MemoryError:
            return _error("too_large", "memory")
        except Exception as err:  # noqa: BLE001 - report, never crash the loop
            return _error("internal", f"{type(err).__name__}: {err}")

    def _evaluate(self, msg: dict):
        ox = self.ox
        options = {"prefixes": msg.get("prefixes") or None}
        default_graph = msg.get("default_graph") or []
        named_graphs = msg.get("named_graphs") or []
        if default_graph:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self.store.query(msg["query"], **options)

    def _query(self, msg: dict) -> dict:
        ox = self.ox
        result = self._evaluate(msg)
        buffer = CappedBuffer(int(msg.get("max_bytes") or 64 * 1024 * 1024))
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            kind = "select" if isinstance(result, ox.QuerySolutions) else "ask"
            name = msg.get("results_format")
            if name not in RESULT_FORMATS:
                return _error("not_acceptable", kind)
            fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[name]
            result.serialize(buffer, format=fmt)
        else:
            kind = "graph"
            name = msg.get("graph_format")
            if name not in GRAPH_FORMATS:
                return _error("not_acceptable", kind)
            fmt = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
                   "rdfxml": ox.RdfFormat.RDF_XML}[name]
            prefixes = msg.get("prefixes") if name in ("turtle", "rdfxml") else None
            ox.serialize(result, buffer, format=fmt, prefixes=prefixes or None)
        return {"ok": True, "kind": kind, "format": name, "body": bytes(buffer.data)}

    def _first_column(self, msg: dict) -> dict:
        ox = self.ox
        result = self._evaluate(msg)
        if not isinstance(result, ox.QuerySolutions) or not result.variables:
            return _error("not_select", "")
        first = result.variables[0]
        limit = int(msg.get("max_rows") or 100_000)
        values = []
        for solution in result:
            term = solution[first]
            if term is None:
                continue
            values.append(term.value)
            if len(values) > limit:
                return _error("too_large", f"{limit} rows")
        return {"ok": True, "values": values}

    def _update(self, msg: dict) -> dict:
        self.store.update(msg["update"], prefixes=msg.get("prefixes") or None)
        self.store.flush()
        return {"ok": True}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    fd, role = int(argv[0]), argv[1]
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    conn = Connection(fd)
    try:
        worker = Worker(role)
    except Exception as err:  # noqa: BLE001
        conn.send(_error("internal", f"worker start failed: {err}"))
        return 1
    conn.send({"ok": True, "ready": True, "pid": os.getpid()})
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return 0
        if msg.get("op") == "exit":
            return 0
        reply = worker.handle(msg)
        try:
            conn.send(reply)
        except (OSError, ValueError) as err:  # e.g. pickling failed: say so instead of hanging
            try:
                conn.send(_error("internal", f"reply failed: {err}"))
            except OSError:
                return 1


if __name__ == "__main__":
    sys.exit(main())
