"""What an ingest worker sends the writer: the report reduced to who it is, and keyword tokens
packed one string per passage — the store it leaves is the same (``test_parallel_ingest``)."""
from __future__ import annotations

import pickle

from kg.extract import extract_many
from kg.graph import vocab
from store.corpus import _entry
from store.ingest import PackedTokens, build, identity_only
from tests.store.conftest import SEEDS


def test_packed_tokens_give_back_every_list():
    lists = [["预算", "公开", "2024"], [], ["一"], ["a", "", "b"], ["", "x"]]
    packed = PackedTokens.of(lists)
    assert isinstance(packed, PackedTokens) and len(packed) == len(lists)
    assert [packed[i] for i in range(len(lists))] == lists and packed[1:3] == lists[1:3]
    again = pickle.loads(pickle.dumps(packed))
    assert list(again) == lists


def test_tokens_that_cannot_be_packed_cross_as_lists():
    holding = [["预算"], ["a\x1fb", "c"]]
    assert PackedTokens.of(holding) is holding
    one_empty = [["预算"], [""]]
    assert PackedTokens.of(one_empty) is one_empty


def test_the_writer_reads_the_same_identity_and_entry_from_the_reduced_report():
    path = sorted(SEEDS.glob("*.txt"))[1]
    report = next(extract_many([path], workers=1)).report
    built = build(report)
    reduced = identity_only(report)
    assert not reduced.tables and not reduced.projects and not reduced.sections and report.tables
    assert vocab.report_iri(reduced) == vocab.report_iri(report)
    assert reduced.label() == report.label() and reduced.warnings == report.warnings
    assert _entry(reduced, "f.json", str(path), built) == _entry(report, "f.json", str(path), built)
    assert len(pickle.dumps(reduced)) * 20 < len(pickle.dumps(report))
