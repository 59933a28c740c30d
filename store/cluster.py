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

At most two files per worker thread are in flight, so the coordinator's memory does not grow
with the batch. Workers must have budgetkg installed (``pip install 'budgetkg[cluster]'``)
and the embedding model available offline; the coordinator checks that once when it connects.
"""
from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Iterator
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


def prepare_remote(name: str, data: bytes, shown: str, model: str | None, limits) -> Prepared:
    """On a worker: ``store.ingest.prepare`` for one file sent as bytes (``name`` keeps its suffix,
    which picks the reader), its report and messages naming ``shown``, the coordinator's path."""
    from store import ingest

    ingest.worker_ready(model, limits)
    with tempfile.TemporaryDirectory(prefix="budgetkg-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return ingest.worker_prepare(path, shown)


def cluster_prepared_files(paths: list[Path], address: str, model: str | None, limits) -> Iterator[Prepared]:
    """``prepare`` for every file on the cluster at ``address``, yielded in file order."""
    if not paths:
        return
    client = connect(address)
    try:
        slots = sum(client.nthreads().values()) or 1
        yield from _in_order(client, paths, 2 * slots, model, limits)
    finally:
        client.close()


def _submit(client, path: Path, model: str | None, limits):
    try:
        data = path.read_bytes()
    except OSError as err:
        return Prepared(path, error=f"{path}: 无法读取 (unreadable: {err})")
    return client.submit(prepare_remote, path.name, data, str(path), model, limits, pure=False,
                         key=f"{TASK_PREFIX}-{_token()}")


def _in_order(client, paths: list[Path], ahead: int, model: str | None, limits) -> Iterator[Prepared]:
    """Futures for at most ``ahead`` files at a time; results in file order, one per file."""
    pending: deque = deque()
    queue = iter(paths)
    for path in queue:
        pending.append((path, _submit(client, path, model, limits)))
        if len(pending) >= ahead:
            break
    while pending:
        path, future = pending.popleft()
        following = next(queue, None)
        if following is not None:
            pending.append((following, _submit(client, following, model, limits)))
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
