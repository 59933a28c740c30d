"""The lexicon kept in the store folder (store/lexicon_file.py) is the lexicon the graph gives,
read back without a query; it is not used at another generation or while a commit is under way."""
from __future__ import annotations

import json
import shutil

import pytest

from kg.graph.entities import Lexicon
from store.corpus import Corpus
from store.lexicon_file import FILE, corpus_lexicon


def _same(a: Lexicon, b: Lexicon) -> None:
    for pool in ("units", "reports", "projects", "documents"):
        left, right = getattr(a, pool), getattr(b, pool)
        assert list(left) == list(right), pool  # the same entities in the same order
        for iri, entity in left.items():
            assert entity == right[iri], iri
    assert a.line_names == b.line_names


@pytest.fixture()
def store(ingested_seeds, tmp_path):
    folder = tmp_path / "store"
    shutil.copytree(ingested_seeds, folder)
    (folder / FILE).unlink(missing_ok=True)
    corpus = Corpus(folder, read_only=True, create=False)
    yield corpus
    corpus.close()


def test_written_once_and_read_back_as_the_graph_gives_it(store, monkeypatch):
    from_graph = Lexicon.from_store(store.graph)
    first = corpus_lexicon(store)
    _same(first, from_graph)
    saved = json.loads((store.folder / FILE).read_text(encoding="utf-8"))
    assert saved["generation"] == store.generation
    assert from_graph.projects and from_graph.units and from_graph.documents
    assert {"工资福利支出", "其他工资福利支出"} <= from_graph.line_names

    def no_query(graph):
        raise AssertionError("the lexicon was listed from the graph again")

    monkeypatch.setattr(Lexicon, "from_store", staticmethod(no_query))
    again = corpus_lexicon(store)
    _same(again, from_graph)
    assert again.find("哪些项目执行率低于60%", "project") == from_graph.find("哪些项目执行率低于60%", "project")


def test_not_used_at_another_generation_nor_during_a_commit(store, monkeypatch):
    corpus_lexicon(store)
    path = store.folder / FILE
    saved = json.loads(path.read_text(encoding="utf-8"))
    calls = []
    real = Lexicon.from_store

    def counted(graph):
        calls.append(graph)
        return real(graph)

    monkeypatch.setattr(Lexicon, "from_store", staticmethod(counted))
    path.write_text(json.dumps({**saved, "generation": store.generation - 1}), encoding="utf-8")
    corpus_lexicon(store)
    assert len(calls) == 1
    assert json.loads(path.read_text(encoding="utf-8"))["generation"] == store.generation  # written anew
    store.journal_path.write_text("{}", encoding="utf-8")  # a commit under way: the graph may be changing
    try:
        path.write_text(json.dumps({**saved, "generation": store.generation - 1}), encoding="utf-8")
        corpus_lexicon(store)
        corpus_lexicon(store)
        assert len(calls) == 3
        assert json.loads(path.read_text(encoding="utf-8"))["generation"] == store.generation - 1  # not written
    finally:
        store.journal_path.unlink()


def test_indexes_give_what_a_pass_over_every_project_gives(corpus):
    lexicon = corpus_lexicon(corpus)
    everything = list(lexicon.projects.values())
    names = {p.unit for p in everything} | {p.implementer for p in everything if p.implementer}
    for name in names:
        assert lexicon.projects_of({name}) == [p for p in everything if p.unit == name or p.implementer == name]
        assert lexicon.projects_of({name}, implementers=False) == [p for p in everything if p.unit == name]
    for project in everything[:50]:
        assert lexicon.projects_named(project.name) == [p for p in everything if p.name == project.name]
        for form in project.forms:
            for size in (4, 6):
                fragment = form[:size]
                holding = lexicon._projects_holding(fragment)
                assert [p for p in holding if any(fragment in f for f in p.forms)] == \
                    [p for p in everything if any(fragment in f for f in p.forms)]


def test_a_lexicon_written_by_other_form_rules_is_built_again(tmp_path):
    """An upgrade that changes how names' forms are made (kg.graph.entities, kg.extract.names)
    leaves the store's generation as it was: the file's code fingerprint tells it is stale."""
    from store.lexicon_file import CODE, _read

    path = tmp_path / FILE
    path.write_text(json.dumps({"format": 1, "code": CODE, "generation": 3, "rows": {
        "unit": [], "report": [], "project": [], "document": []}}), encoding="utf-8")
    assert _read(path, 3) is not None
    path.write_text(json.dumps({"format": 1, "code": "older-rules", "generation": 3, "rows": {
        "unit": [], "report": [], "project": [], "document": []}}), encoding="utf-8")
    assert _read(path, 3) is None
