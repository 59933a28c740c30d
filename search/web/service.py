"""The state every request of the web server shares: the store, the served graph, the pools.

``Service`` opens the store read-only (settings through ``kg.settings``, like the CLI),
serves its graph from snapshots when updates are allowed (``graph_host``), runs user
SPARQL in killable child processes and asking/searching in a bounded thread pool. A
query that would contact another host (``SERVICE``, ``LOAD``) is refused unless its
endpoint was allowed with ``--allow-service`` (``kg.graph.federation``).
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from store.corpus import store_writer_lock
from kg.errors import BudgetKGError, QueryError, StoreError, UsageError
from search.web.graph_host import QueryFailed, QueryPool, QueryTimeout, Snapshots, Writer, snapshot_root

log = logging.getLogger("budgetkg.web")

DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024
DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024
WARM_QUESTIONS = ("哪些项目执行率低于60%", "哪个项目因为合同问题没付款")


# -- the served graph ---------------------------------------------------------------------------

class View:
    """What one request reads: a read-only graph handle, the shared passage index, the lexicon.

    After an update the service builds a new view over the new checkpoint; requests still
    holding the old one finish on it (its checkpoint is released when it is collected).
    """

    def __init__(self, path: str, passages, snapshots: Snapshots, load_report):
        from kg.graph.entities import Lexicon
        from kg.graph.plugins.oxigraph import OxigraphStore
        from search.ask.engine import Asker

        self.path = path
        self.graph = OxigraphStore(path, read_only=True)
        self.passages = passages
        self.load_report = load_report  # the stored extractions (grids the graph does not hold), as the CLI reads them
        self.lexicon = Lexicon.from_store(self.graph)
        # the asker reaches the view through a weak proxy: no reference cycle, so an old view
        # (and its checkpoint) is released as soon as the last request using it ends
        self.asker = Asker(weakref.proxy(self), lexicon=self.lexicon)
        self.graph_names = set(self.graph.graphs())
        snapshots.acquire(path)
        weakref.finalize(self, snapshots.release, path)

    def lineage(self):
        from kg.graph.lineage import Lineage

        return Lineage(self.graph, self.lexicon)



class Service:
    """Everything the endpoints share; built once per app.

    ``query_timeout`` ``None``: the store's settings (command line > environment > store >
    default); ``given`` the command line's settings; ``allow_services`` the endpoints user
    SPARQL may name in ``SERVICE``/``LOAD`` (none by default).
    """

    def __init__(self, store: str | Path, update_token: str | None = None, query_timeout: float | None = None,
                 max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES, workers: int | None = None,
                 max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES, api_concurrency: int | None = None,
                 warm: bool = True, allow_services: Iterable[str] = (), given: Mapping[str, object] | None = None):
        from store.corpus import Corpus
        from kg.graph.federation import allow_list
        from kg.graph.vocab import PREFIXES

        if query_timeout is not None and float(query_timeout) <= 0:
            raise UsageError(f"查询超时必须为正数，收到 {query_timeout!r} (query timeout must be positive)")
        if int(max_request_bytes) < 1024:
            raise UsageError("请求大小上限至少 1024 字节 (max request size must be at least 1024 bytes)")
        self.folder = Path(store).expanduser()
        self.update_token = update_token or None
        self.allow_services = allow_list(allow_services)
        self.max_request_bytes = int(max_request_bytes)
        self.max_result_bytes = int(max_result_bytes)
        self.prefixes = dict(PREFIXES)
        cores = os.cpu_count() or 2
        self.workers = int(workers or min(4, max(2, cores)))
        self.api_concurrency = int(api_concurrency or max(2, cores))
        self.corpus = Corpus(self.folder, read_only=True, create=False, given=given)
        self.settings = self.corpus.settings
        self.query_timeout = float(query_timeout if query_timeout is not None else self.settings["query-timeout"])
        if self.corpus.graph_kind != "oxigraph":
            raise StoreError(f"网页服务需要内置图存储 oxigraph，此存储使用 {self.corpus.graph_kind} "
                             f"(the web server needs the embedded oxigraph store; this store uses "
                             f"{self.corpus.graph_kind}: query that endpoint directly)")
        graph_path = self.folder / "graph"
        if not (graph_path / "CURRENT").exists():
            raise StoreError(f"存储 {self.folder} 中还没有导入任何报告 (no reports ingested yet); 请先运行 budgetkg "
                             f"ingest 报告文件夹 --store {self.folder} (ingest reports first)")
        self._closed = False
        self.writer: Writer | None = None
        self.store_lock = None
        self.pool: QueryPool | None = None
        self._generation = 0
        try:
            if self.update_token:
                # the server's writer is a store writer like ingest: StoreLocked while one runs
                self.store_lock = store_writer_lock(self.folder, wait=False)
                root = snapshot_root(self.folder)
                self.writer = Writer(str(graph_path))  # holds the store lock: no other writer meanwhile
                import shutil

                shutil.rmtree(root, ignore_errors=True)  # left by a server that was killed
                root.mkdir(parents=True)
                first = self._snapshot_path()
                reply = self.writer.call({"op": "backup", "target": first}, time.monotonic() + 120)
                if not reply.get("ok"):
                    raise StoreError(f"无法创建图快照 (cannot checkpoint the graph store): {reply.get('message')}")
                self.snapshots = Snapshots(first, owned=True)
            else:
                self.snapshots = Snapshots(str(graph_path), owned=False)
            self.pool = QueryPool(self.workers, self.snapshots)
            self.passages = self.corpus.passages
            self.view = View(self.snapshots.current, self.passages, self.snapshots, self.corpus.load_report)
            self.pool.warm()
            self.reports = self.corpus.reports()
            if warm:
                self._warm_up()
        except BaseException:
            self.close()
            raise
        self.api_executor = ThreadPoolExecutor(max_workers=self.api_concurrency * 2, thread_name_prefix="api")
        self.sparql_executor = ThreadPoolExecutor(max_workers=max(8, self.workers * 4), thread_name_prefix="sparql")
        self.api_slots = asyncio.Semaphore(self.api_concurrency)
        self.update_lock = threading.Lock()

    def _snapshot_path(self) -> str:
        self._generation += 1
        return str(snapshot_root(self.folder) / f"g{self._generation:06d}")

    def _warm_up(self) -> None:
        """Load the embedder, the jieba dictionary and the keyword index before serving.

        Their lazy initialisation is not guarded by locks (two first requests at once would
        load the model twice), so it happens here, in one thread, before the first request.
        """
        from search.hybrid import HybridSearcher

        started = time.monotonic()
        try:
            HybridSearcher(self.view).search("合同 付款", k=3)
            for question in WARM_QUESTIONS:  # a graph answer and a retrieval answer (jieba, embedder)
                self.view.asker.ask(question)
        except BudgetKGError as err:
            log.warning("warm-up question failed: %s", err)
        log.info("warmed up in %.1f s", time.monotonic() - started)

    # -- requests ------------------------------------------------------------------------------
    def deadline(self) -> float:
        return time.monotonic() + self.query_timeout

    async def in_thread(self, fn, deadline: float):
        """Run ``fn`` in the API pool (at most ``api_concurrency`` at once) before ``deadline``.

        A call that misses the deadline keeps its slot until it really ends (threads cannot
        be stopped), so abandoned calls cannot pile up beyond the limit.
        """
        loop = asyncio.get_running_loop()
        try:
            await asyncio.wait_for(self.api_slots.acquire(), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise QueryTimeout("busy") from None
        try:
            future = loop.run_in_executor(self.api_executor, fn)
        except BaseException:
            self.api_slots.release()
            raise
        future.add_done_callback(lambda _: self.api_slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise QueryTimeout("timeout") from None

    def check_outbound(self, text: str) -> None:
        """Refuse user SPARQL that would make this server contact a host not allowed."""
        from kg.graph.federation import check_outbound

        check_outbound(text, self.allow_services, self.prefixes, how_to_allow="budgetkg serve --allow-service URL")

    # -- SPARQL --------------------------------------------------------------------------------
    def query(self, text: str, results_format: str | None, graph_format: str | None,
              default_graphs: list[str], named_graphs: list[str], deadline: float) -> dict:
        self.check_outbound(text)
        return self.pool.run({"op": "query", "query": text, "prefixes": self.prefixes,
                              "default_graph": default_graphs, "named_graphs": named_graphs,
                              "results_format": results_format, "graph_format": graph_format,
                              "max_bytes": self.max_result_bytes}, deadline)

    def first_column(self, text: str, deadline: float, max_rows: int = 10_000) -> list[str]:
        self.check_outbound(text)
        reply = self.pool.run({"op": "first_column", "query": text, "prefixes": self.prefixes,
                               "max_rows": max_rows}, deadline)
        if not reply.get("ok"):
            code = reply.get("error")
            if code == "syntax":
                raise QueryError(f"SPARQL 查询有误 (query error): {reply['message']}")
            if code == "not_select":
                raise UsageError("sparql 参数需要返回实体的 SELECT 查询 (needs a SELECT query whose first column "
                                 "holds entities)")
            if code == "too_large":
                raise UsageError(f"sparql 参数返回的实体超过 {max_rows} 个，请收窄查询 (more than {max_rows} entities: "
                                 f"narrow the query)")
            raise QueryFailed(f"查询失败 (query failed): {reply.get('message')}")
        return reply["values"]

    def update(self, text: str, deadline: float) -> None:
        if self.writer is None:
            raise UsageError("updates are disabled")
        self.check_outbound(text)
        if not self.update_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise QueryTimeout("busy")
        try:
            reply = self.writer.call({"op": "update", "update": text, "prefixes": self.prefixes}, deadline)
            if not reply.get("ok"):
                if reply.get("error") == "syntax":
                    raise QueryError(f"SPARQL 更新有误 (update error): {reply['message']}")
                raise QueryFailed(f"更新失败，未写入 (update failed, nothing written): {reply.get('message')}")
            target = self._snapshot_path()
            reply = self.writer.call({"op": "backup", "target": target}, time.monotonic() + 120)
            if not reply.get("ok"):
                raise QueryFailed(f"更新已写入，但无法创建新快照；重启服务后可见 (the update was written but no new "
                                  f"snapshot could be made; restart the server to see it): {reply.get('message')}")
            view = View(target, self.passages, self.snapshots, self.corpus.load_report)
            self.snapshots.publish(target)
            self.view = view
        finally:
            self.update_lock.release()

    def close(self) -> None:
        if getattr(self, "_closed", True):
            return
        self._closed = True
        for executor in (getattr(self, "api_executor", None), getattr(self, "sparql_executor", None)):
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        if self.pool is not None:
            self.pool.close()
        if self.writer is not None:
            self.writer.close()
            self.view = None
            import gc

            gc.collect()
            self.snapshots.remove_all()
            try:
                snapshot_root(self.folder).rmdir()
            except OSError:
                pass
        passages = getattr(self, "passages", None)
        if passages is not None:
            passages.close()
        if self.store_lock is not None:
            self.store_lock.release()
            self.store_lock = None



__all__ = ["Service", "View", "DEFAULT_MAX_REQUEST_BYTES", "DEFAULT_MAX_RESULT_BYTES"]
