"""``--workers 2``: reading, building, embedding and tokenizing in worker processes, one writer
committing — the store it leaves is the store one worker leaves, quad for quad and vector for
vector, and a second ingest of the same files changes nothing."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from store.corpus import Corpus
from tests.store.conftest import MODEL, SEEDS


def _ingest(folder, workers: int) -> tuple[dict, list, set]:
    corpus = Corpus(folder, model=MODEL)
    try:
        results = [(r.path.name, r.status, r.pages) for r in corpus.ingest([SEEDS], workers=workers)]
        again = {r.status for r in corpus.ingest([SEEDS], workers=workers)}
        quads = {tuple(map(str, (row["g"], row["s"], row["p"], row["o"]))) for row in corpus.graph.query(
            "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows}
        index = corpus.passages
        ids = np.sort(index.vectors.ids())
        probe = [iri for iri, _ in index.dense("就业补助资金项目执行率", k=20)]
        state = {"manifest": {iri: {k: v for k, v in entry.items() if k != "file"}
                              for iri, entry in corpus.manifest["reports"].items()},
                 "generation": corpus.generation, "quads": quads, "vector_ids": ids.tolist(),
                 "lexical": sorted(index.lexical_index.ids()), "dense": probe,
                 "keyword": [iri for iri, _ in index.lexical("晋财社〔2019〕1号 就业", k=20)],
                 "audit": index.audit(),
                 "extractions": {f.name: f.read_bytes() for f in (Path(folder) / "reports").glob("*.json")}}
    finally:
        corpus.close()
    return state, results, again


@pytest.fixture(scope="module")
def one_and_two(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel")
    return _ingest(root / "one", 1), _ingest(root / "two", 2)


def test_two_workers_store_what_one_worker_stores(one_and_two):
    (one, results_one, _), (two, results_two, _) = one_and_two
    assert results_two == results_one and {status for _, status, _ in results_one} == {"added"}
    assert two["manifest"] == one["manifest"] and two["generation"] == one["generation"]
    assert two["quads"] == one["quads"] and len(one["quads"]) > 1000
    assert two["vector_ids"] == one["vector_ids"] and two["lexical"] == one["lexical"]
    assert two["dense"] == one["dense"] and two["keyword"] == one["keyword"] and one["keyword"]
    assert one["audit"] == two["audit"] == []
    assert two["extractions"] == one["extractions"] and len(one["extractions"]) == len(results_one)


def test_a_second_parallel_ingest_changes_nothing(one_and_two):
    _, (_, _, again) = one_and_two
    assert again == {"unchanged"}


def test_forked_workers_keep_the_model_the_writer_preloaded(monkeypatch):
    from store import ingest

    monkeypatch.setattr(ingest, "_WORKER", {})
    ingest.worker_preload(MODEL)
    embedder, tokenizer = ingest._WORKER["embedder"], ingest._WORKER["tokenizer"]
    ingest.worker_preload(MODEL)  # once only
    assert ingest._WORKER["embedder"] is embedder
    try:
        ingest.worker_start(MODEL, None)  # what a forked worker's initializer does
        assert ingest._WORKER["embedder"] is embedder and ingest._WORKER["tokenizer"] is tokenizer
        ingest.worker_start("hashing:64", None)  # another model than the one inherited: its own
        assert ingest._WORKER["embedder"] is not embedder and ingest._WORKER["embedder"].dimension == 64
    finally:
        if ingest._WORKER.get("threads") is not None:
            ingest._WORKER["threads"].restore_original_limits()


def test_a_model_that_does_not_survive_a_fork_is_not_preloaded(monkeypatch):
    from embed.plugins.sentence_transformers import SentenceTransformerEmbedder
    from store import ingest

    monkeypatch.setattr(ingest, "_WORKER", {})
    assert not SentenceTransformerEmbedder.fork_safe  # torch: each worker loads its own
    ingest.worker_preload("/no/such/local/model")
    assert "embedder" not in ingest._WORKER and "preloaded" not in ingest._WORKER


def _collector_state() -> tuple:
    import gc

    return gc.get_threshold()[0], gc.get_freeze_count()


def test_pool_workers_collect_less_and_the_writer_keeps_its_settings():
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from store import ingest

    before = gc.get_threshold()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                             initializer=ingest.pool_worker_start, initargs=("hashing:64", None)) as pool:
        threshold, frozen = pool.submit(_collector_state).result()
    assert threshold == ingest.WORKER_GC_THRESHOLD != before[0]
    assert frozen > 10_000  # the modules it was forked with are out of the collector's walks
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
