"""Runs user SPARQL in killable child processes, and serves the graph from snapshots when
updates are allowed.

pyoxigraph has no query cancellation and releases the GIL only partly, so a runaway query
in a server thread would burn a core until it finished. Here every user query (``/sparql``
and ``/api/search?sparql=``) goes to a small pool of reader processes
(``search.web.worker``), each holding its own read-only store handle. A request waits for
a free reader and for its answer until one deadline; past it the reader is SIGKILLed and
replaced (a fresh reader starts in ~0.1 s), and the client gets a timeout error. Readers
also cap the size of a serialised result, so a huge cross join cannot eat the memory.

Which files the readers open:

* read-only server (no update token): the store folder itself, opened read-only by the
  server process (for /api/ask, /api/search, /api/trace) and by every reader. Nobody
  writes, so the read-only handles are safe.
* updates allowed: RocksDB forbids a read-only handle next to a read-write one in another
  process, so one *writer* process holds the store read-write and, after each committed
  update, makes a checkpoint (``Store.backup``: hard links to the immutable table files,
  ~0.1 s). The server and the readers read the newest checkpoint; older checkpoints are
  deleted once no reader and no in-flight request uses them. An update that runs past the
  deadline is killed with its writer; oxigraph updates are transactional, so nothing of it
  is written, and a new writer reopens the store.
"""
from __future__ import annotations

import logging
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

from kg.errors import BudgetKGError, StoreError

log = logging.getLogger("budgetkg.web")

SNAPSHOT_DIR = ".web-snapshots"
_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


class QueryTimeout(BudgetKGError):
    """A query or update ran past the deadline (or waited that long for a free worker)."""

    http_status, http_code = 503, "timeout"


class QueryFailed(BudgetKGError):
    """A worker process died or could not be started."""

    http_status, http_code = 500, "query_failed"


class WorkerDied(Exception):
    pass


class WorkerProcess:
    """One ``search.web.worker`` child and the parent's end of its socket."""

    def __init__(self, role: str):
        self.role = role
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = _PROJECT_ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "search.web.worker", str(child.fileno()), role],
                                         pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=env,
                                         close_fds=True)
        except OSError as err:
            parent.close()
            raise QueryFailed(f"无法启动查询进程 (cannot start a query process): {err}") from None
        finally:
            child.close()
        self.conn = Connection(parent.detach())
        self.ready = False
        self.dead = False
        self.path: str | None = None  # the store the child has open

    def _recv(self, deadline: float) -> dict | None:
        remaining = deadline - time.monotonic()
        try:
            if not self.conn.poll(max(0.0, remaining)):
                return None
            return self.conn.recv()
        except (EOFError, OSError) as err:
            raise WorkerDied(str(err) or "connection closed") from None

    def request(self, msg: dict, deadline: float) -> dict | None:
        """The child's reply, or None when ``deadline`` passed first; WorkerDied if it is gone."""
        if not self.ready:
            hello = self._recv(deadline)
            if hello is None:
                return None
            if not hello.get("ok"):
                raise WorkerDied(hello.get("message", "start failed"))
            self.ready = True
        try:
            self.conn.send(msg)
        except (OSError, ValueError) as err:
            raise WorkerDied(str(err)) from None
        return self._recv(deadline)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("query process %s did not exit after SIGKILL", self.proc.pid)
        try:
            self.conn.close()
        except OSError:
            pass

    def stop(self) -> None:
        try:
            self.conn.send({"op": "exit"})
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self.kill()


class Snapshots:
    """Reference counts of the store folders in use; deletes checkpoints nobody uses."""

    def __init__(self, current: str, owned: bool):
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._owned: set[str] = {current} if owned else set()
        self.current = current

    def acquire(self, path: str) -> None:
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1

    def release(self, path: str | None) -> None:
        if path is None:
            return
        with self._lock:
            self._counts[path] = self._counts.get(path, 1) - 1
            self._collect()

    def publish(self, path: str) -> None:
        """``path`` (a fresh checkpoint) becomes the one served."""
        with self._lock:
            self._owned.add(path)
            self.current = path
            self._collect()

    def _collect(self) -> None:
        for path in list(self._owned):
            if path != self.current and self._counts.get(path, 0) <= 0:
                self._owned.discard(path)
                self._counts.pop(path, None)
                shutil.rmtree(path, ignore_errors=True)

    def remove_all(self) -> None:
        with self._lock:
            for path in self._owned:
                shutil.rmtree(path, ignore_errors=True)
            self._owned.clear()


class QueryPool:
    """``size`` reader processes; ``run`` hands a request to a free one under a deadline."""

    def __init__(self, size: int, snapshots: Snapshots):
        self.size = max(1, int(size))
        self.snapshots = snapshots
        self._idle: queue.Queue[WorkerProcess] = queue.Queue()
        self._closed = False
        self._all: set[WorkerProcess] = set()
        self._lock = threading.Lock()
        for _ in range(self.size):
            self._idle.put(self._spawn())
        self.killed = 0  # readers killed at a deadline (for /api/health)

    def _spawn(self) -> WorkerProcess:
        worker = WorkerProcess("reader")
        with self._lock:
            self._all.add(worker)
        return worker

    def _discard(self, worker: WorkerProcess) -> None:
        worker.kill()
        worker.dead = True
        self.snapshots.release(worker.path)
        with self._lock:
            self._all.discard(worker)

    def _give_back(self, worker: WorkerProcess) -> None:
        """Return a reader to the pool; a killed one is replaced by a fresh process."""
        if getattr(worker, "dead", False):
            if self._closed:
                return
            worker = self._spawn()
        self._idle.put(worker)

    def warm(self, timeout: float = 30.0) -> None:
        """Start every reader and open the served store (so the first queries are fast)."""
        workers = [self._idle.get() for _ in range(self.size)]
        try:
            for worker in workers:
                reply = self._call(worker, {"op": "open"}, time.monotonic() + timeout)
                if not reply.get("ok"):
                    raise StoreError(f"查询进程无法打开图存储 (a query process cannot open the graph store): "
                                     f"{reply.get('message')}")
        finally:
            for worker in workers:
                self._give_back(worker)

    def _call(self, worker: WorkerProcess, msg: dict, deadline: float) -> dict:
        path = self.snapshots.current
        msg = dict(msg, path=path)
        if worker.path != path:
            self.snapshots.acquire(path)
            previous, worker.path = worker.path, path
            self.snapshots.release(previous)
        try:
            reply = worker.request(msg, deadline)
        except WorkerDied as err:
            log.error("query process %s died: %s", worker.proc.pid, err)
            self._discard(worker)
            raise QueryFailed("查询进程意外退出（可能内存不足）(the query process died, perhaps out of memory)") from None
        if reply is None:
            self.killed += 1
            log.warning("query process %s killed at the deadline", worker.proc.pid)
            self._discard(worker)
            raise QueryTimeout("timeout")
        return reply

    def run(self, msg: dict, deadline: float) -> dict:
        if self._closed:
            raise QueryFailed("服务器正在关闭 (the server is shutting down)")
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout("busy") from None
        if deadline - time.monotonic() < 0.05:  # no time left: do not kill a healthy reader for it
            self._give_back(worker)
            raise QueryTimeout("busy")
        try:
            return self._call(worker, msg, deadline)
        finally:
            self._give_back(worker)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()


class Writer:
    """The one process holding the store read-write (only when updates are allowed)."""

    def __init__(self, graph_path: str, start_timeout: float = 60.0):
        self.graph_path = graph_path
        self.start_timeout = start_timeout
        self.lock = threading.Lock()
        self.proc = self._start()

    def _start(self) -> WorkerProcess:
        worker = WorkerProcess("writer")
        try:
            reply = worker.request({"op": "open", "path": self.graph_path}, time.monotonic() + self.start_timeout)
        except WorkerDied as err:
            worker.kill()
            raise StoreError(f"无法以读写方式打开图存储 {self.graph_path} (cannot open the graph store for "
                             f"writing: {err})") from None
        if reply is None or not reply.get("ok"):
            worker.kill()
            detail = "timeout" if reply is None else reply.get("message")
            raise StoreError(f"无法以读写方式打开图存储 {self.graph_path}（{detail}）；是否有另一个 budgetkg 进程正在"
                             f"使用它？(cannot open the graph store for writing: is another budgetkg process using "
                             f"it?)")
        return worker

    def call(self, msg: dict, deadline: float) -> dict:
        """Run ``msg`` in the writer; on timeout the writer is killed and restarted."""
        try:
            reply = self.proc.request(msg, deadline)
        except WorkerDied as err:
            log.error("writer process died: %s", err)
            self.proc.kill()
            self.proc = self._start()
            raise QueryFailed("更新进程意外退出，更新未写入 (the update process died; nothing was written)") from None
        if reply is None:
            log.warning("update killed at the deadline")
            self.proc.kill()
            self.proc = self._start()
            raise QueryTimeout("timeout")
        return reply

    def close(self) -> None:
        self.proc.stop()


def snapshot_root(store_folder: Path) -> Path:
    return Path(store_folder) / SNAPSHOT_DIR


__all__ = ["QueryPool", "Writer", "Snapshots", "QueryTimeout", "QueryFailed", "snapshot_root"]
