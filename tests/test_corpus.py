"""The store folder: idempotent ingest, changed reports, bad files in a batch, removal."""
from __future__ import annotations

import shutil

import pytest

from store.corpus import Corpus
from kg.errors import StoreError
from tests.conftest import FIXTURES

SEED = FIXTURES / "seeds" / "000_f26fb4c08ebca23b.txt"


def quad_count(corpus) -> int:
    return len(corpus.graph)


@pytest.fixture
def corpus(tmp_path):
    corpus = Corpus(tmp_path / "store", model="hashing")
    yield corpus
    corpus.close()


def test_ingesting_the_same_file_twice_changes_nothing(corpus):
    first = list(corpus.ingest([SEED]))
    quads, passages = quad_count(corpus), len(corpus.passages)
    second = list(corpus.ingest([SEED]))
    assert [r.status for r in first] == ["added"] and [r.status for r in second] == ["unchanged"]
    assert (quad_count(corpus), len(corpus.passages)) == (quads, passages)
    forced = list(corpus.ingest([SEED], force=True))
    assert forced[0].status == "updated" and (quad_count(corpus), len(corpus.passages)) == (quads, passages)


def test_a_changed_report_leaves_no_stale_passages_or_triples(corpus, tmp_path):
    copy = tmp_path / "report.txt"
    shutil.copy(SEED, copy)
    list(corpus.ingest([copy]))
    old = "开展驻村帮扶与农村基层党建工作，工作队经费用于深入宣传涉农政策"
    assert any(old in p.text for p in corpus.passages.get(sorted(corpus.passages.ids_where())))
    copy.write_text(SEED.read_text(encoding="utf-8").replace(old, "改写后的项目概况：驻村帮扶"), encoding="utf-8")
    result = list(corpus.ingest([copy]))
    assert result[0].status == "updated"
    texts = [p.text for p in corpus.passages.get(sorted(corpus.passages.ids_where()))]
    assert not any(old in t for t in texts) and any("改写后的项目概况" in t for t in texts)
    overviews = corpus.graph.query('SELECT ?o WHERE { ?p bkg:overview ?o FILTER(CONTAINS(?o, "驻村帮扶")) }').rows
    assert [r["o"] for r in overviews if "改写后" in r["o"]] and not [r for r in overviews if old in r["o"]]


def test_one_bad_file_never_stops_a_batch(corpus, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    (folder / "letter.txt").write_text("今天开会，请大家准时参加。\n", encoding="utf-8")
    results = {r.path.name: r for r in corpus.ingest([folder])}
    assert results["good.txt"].status == "added"
    for name in ("empty.txt", "broken.pdf", "letter.txt"):
        assert results[name].status == "failed" and name in results[name].message
    assert len(corpus.reports()) == 1


def test_removing_a_report_drops_its_graph_passages_and_orphaned_shared_nodes(corpus):
    list(corpus.ingest([SEED]))
    (iri,) = corpus.reports()
    corpus.remove(iri)
    assert corpus.reports() == {} and len(corpus.passages) == 0
    assert quad_count(corpus) == 0  # units, concepts and documents nobody refers to any more are gone too


def test_opening_a_missing_store_without_create_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="budgetkg ingest"):
        Corpus(tmp_path / "nothing", create=False)


def test_a_failed_graph_write_leaves_graph_index_and_manifest_as_they_were(corpus, monkeypatch):
    list(corpus.ingest([FIXTURES / "seeds" / "004_b0facb554ae335f5.txt"]))
    before = (quad_count(corpus), len(corpus.passages), dict(corpus.reports()))

    def fail(*args, **kwargs):
        raise OSError("disk full")

    for write in ("replace", "write_reports"):  # a replaced graph; new reports' one load
        monkeypatch.setattr(type(corpus.graph), write, fail)
    results = list(corpus.ingest([SEED]))
    monkeypatch.undo()
    assert results[0].status == "failed" and "disk full" in results[0].message
    assert (quad_count(corpus), len(corpus.passages), dict(corpus.reports())) == before
