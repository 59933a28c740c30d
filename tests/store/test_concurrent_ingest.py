"""Two ingests of the examples into one store at once lose nothing: every report listed,
every passage found by keywords, every one that takes a vector by meaning too, verify clean."""
from __future__ import annotations

import time

import numpy as np

from embed.factory import create_embedder
from embed.passage_index import PassageIndex, takes_vector
from store.corpus import Corpus
from tests.store.conftest import EXAMPLES, MODEL, budgetkg, reports, snapshot, start_budgetkg, verify_json


def assert_every_passage_searchable(store) -> None:
    corpus = Corpus(store, read_only=True, create=False)
    index = PassageIndex.open(corpus.index_folder, create_embedder(corpus.model))
    try:
        iris = sorted(index.ids_where())
        passages = index.get(iris)
        assert len(passages) == sum(e["passages"] for e in corpus.reports().values()) > 0
        embedded = [p for p in passages if takes_vector(p.kind)]
        assert 0 < len(embedded) < len(passages)
        texts = {p.id: p.text for p in passages}
        for passage, vector in zip(embedded, index.embedder.encode([p.text for p in embedded])):
            dense = index.dense(np.asarray(vector), k=10)
            assert any(iri == passage.id or texts.get(iri) == passage.text for iri, _ in dense), passage.id
        for passage in passages:
            lexical = index.lexical(passage.text, k=20)
            assert any(iri == passage.id or texts.get(iri) == passage.text for iri, _ in lexical), passage.id
    finally:
        index.close()
        corpus.close()


def test_two_concurrent_ingests_keep_every_report_and_passage(tmp_path, clean_examples):
    store = tmp_path / "store"
    first = start_budgetkg("ingest", EXAMPLES, "--store", store, "--model", MODEL)
    time.sleep(0.5)
    second = start_budgetkg("ingest", EXAMPLES, "--store", store, "--model", MODEL)
    outputs = [process.communicate(timeout=600) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], [err for _, err in outputs]
    assert "等待中" in outputs[1][1] or "等待中" in outputs[0][1]  # one of them waited for the other
    listed = reports(store)
    assert len(listed) == 5
    assert snapshot(store) == snapshot(clean_examples.store)
    code, result = verify_json(store)
    assert code == 0 and result["clean"], result["problems"]
    assert_every_passage_searchable(store)
    found = budgetkg("search", "仲裁委业务费 执行率", "--store", store, "--json", "-k", "3", check=True)
    assert "仲裁委业务费" in found.stdout
