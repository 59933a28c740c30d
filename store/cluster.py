"""Ingest past one machine: the per-report work fanned out on a Dask distributed cluster.

The coordinator — the ``budgetkg ingest --cluster ADDRESS`` process — holds the store's
writer lock, hashes every file (unchanged files and duplicates cost nothing more, as in a
local ingest) and sends the bytes of each new file to the cluster, so workers need no shared
file system. A worker reads, builds, embeds and tokenizes it (``store.ingest.prepare``; the
model and jieba are loaded once per worker process) and sends back the report, its triples,
passages, findings, vectors and keyword tokens. The coordinator commits them in file order
through ``Corpus.commit_report`` — the same journal and lock as a local ingest — so:

- a worker that dies loses only the work it had in flight: the scheduler gives those tasks
  to another worker (Dask's ``allowed-failures``), and a task that still fails becomes that
  file's one ``failed`` line; nothing of it was written, and the next ingest retries it;
- the store is written by one process only, whatever the cluster does; a coordinator that
  dies leaves what the journal completes at the next write, as a local ingest does.

Passages are sharded the way FAISS documents for large collections: once the store's vector
index is IVF, its one trained quantizer is scattered to every worker (once, and again only
after a retrain), each worker assigns its report's vectors to inverted lists against it and
returns the lists with the vectors, and the coordinator adds them as given — it no longer
searches the quantizer — and merges them into the on-disk base (``embed/plugins/faiss_ondisk.py``).
Lists found against a quantizer the index has since replaced are not used (found again here).

At most two files per worker thread are in flight, so the coordinator's memory does not grow
with the batch. Workers must have budgetkg installed (``pip install 'budgetkg[cluster]'``)
and the embedding model available offline; the coordinator checks that once when it connects.
"""
from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.errors import StoreError, UsageError
from store.ingest import Prepared

CONNECT_SECONDS = 30.0
TASK_PREFIX = "budgetkg-prepare"


def _require_distributed():
    try:
        import distributed
    except ImportError:
        raise UsageError("--cluster 需要 Dask distributed：pip install 'budgetkg[cluster]'（每台 worker 机器也要装）"
                         "(cluster ingest needs dask.distributed: pip install 'budgetkg[cluster]' here and on "
                         "every worker), 或去掉 --cluster 在本机导入 (or drop --cluster to ingest here)") from None
    return distributed


def connect(address: str, timeout: float = CONNECT_SECONDS):
    """A ``distributed.Client`` on the scheduler at ``address`` with at least one worker that
    can import budgetkg; StoreError saying what to start when it cannot be had."""
    distributed = _require_distributed()
    fix = (f"请在调度器主机运行 `dask scheduler`，在各机器运行 `dask worker {address}`，或去掉 --cluster 在本机导入 "
           f"(start `dask scheduler` there and `dask worker {address}` on each machine, or drop --cluster)")
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise StoreError(f"无法连接 Dask 调度器 {address}（{err}）(cannot reach the Dask scheduler); {fix}") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise StoreError(f"Dask 调度器 {address} 上没有 worker (no worker joined the scheduler in "
                         f"{timeout:.0f} s); {fix}") from None
    try:
        client.run(worker_probe)
    except Exception as err:  # whatever a worker raises: a missing package, an old version
        client.close()
        raise StoreError(f"Dask worker 无法运行 budgetkg（{type(err).__name__}: {err}）(a worker cannot run "
                         f"budgetkg: pip install 'budgetkg[cluster]' on every worker machine)") from None
    return client


def worker_probe() -> str:
    """Run on every worker when the coordinator connects: imports what ``prepare`` needs."""
    import store.ingest  # noqa: F401  (the reading and building stages, and their imports)

    return "ok"


def prepare_remote(name: str, data: bytes, shown: str, model: str | None, limits, quantizer=None) -> Prepared:
    """On a worker: ``store.ingest.prepare`` for one file sent as bytes (``name`` keeps its suffix,
    which picks the reader), its report and messages naming ``shown``, the coordinator's path;
    its vectors assigned to ``quantizer``'s inverted lists when given (the store's, scattered)."""
    from store import ingest

    ingest.worker_ready(model, limits)
    with tempfile.TemporaryDirectory(prefix="budgetkg-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return ingest.worker_prepare(path, shown, quantizer)


def cluster_prepared_files(paths: list[Path], address: str, model: str | None, limits,
                           quantizer: Callable[[], object] | None = None) -> Iterator[Prepared]:
    """``prepare`` for every file on the cluster at ``address``, yielded in file order; ``quantizer``
    gives the store's IVF quantizer as it is when a file is sent (None while the index is flat)."""
    if not paths:
        return
    client = connect(address)
    try:
        slots = sum(client.nthreads().values()) or 1
        submit = _Submitter(client, model, limits, quantizer)
        yield from _in_order(submit, paths, 2 * slots)
    finally:
        client.close()


class _Submitter:
    """Sends one file's task; the store's quantizer goes to every worker once (``scatter`` with
    ``broadcast``) and again only when it changed, and each task refers to it."""

    def __init__(self, client, model: str | None, limits, quantizer: Callable[[], object] | None):
        self.client, self.model, self.limits, self.quantizer = client, model, limits, quantizer
        self.shipped = None  # (fingerprint, future) of the quantizer on the workers

    def _quantizer(self):
        current = self.quantizer() if self.quantizer is not None else None
        if current is None:
            return None
        if self.shipped is None or self.shipped[0] != current.fingerprint:
            self.shipped = (current.fingerprint, self.client.scatter(current, broadcast=True, hash=False))
        return self.shipped[1]

    def __call__(self, path: Path):
        try:
            data = path.read_bytes()
        except OSError as err:
            return Prepared(path, error=f"{path}: 无法读取 (unreadable: {err})")
        return self.client.submit(prepare_remote, path.name, data, str(path), self.model, self.limits,
                                  self._quantizer(), pure=False, key=f"{TASK_PREFIX}-{_token()}")


def _in_order(submit: _Submitter, paths: list[Path], ahead: int) -> Iterator[Prepared]:
    """Futures for at most ``ahead`` files at a time; results in file order, one per file."""
    pending: deque = deque()
    queue = iter(paths)
    for path in queue:
        pending.append((path, submit(path)))
        if len(pending) >= ahead:
            break
    while pending:
        path, future = pending.popleft()
        following = next(queue, None)
        if following is not None:
            pending.append((following, submit(following)))
        if isinstance(future, Prepared):
            yield future
            continue
        try:
            yield future.result()
        except Exception as err:  # a worker lost too often (KilledWorker), the scheduler gone, a bug
            yield Prepared(path, error=f"{path}: 集群任务失败，未写入任何内容，重新导入即可重试 (cluster task "
                                       f"failed, nothing was written; ingest again to retry): "
                                       f"{type(err).__name__}: {_first_line(err)}")
        finally:
            future.release()


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else ""


def _token() -> str:
    import uuid

    return uuid.uuid4().hex


__all__ = ["cluster_prepared_files", "connect", "prepare_remote", "worker_probe"]
