"""The development corpus and the seeds ingested together under neutral file names: every
distinct report is kept with the identity the document prints, byte-identical copies are
named as duplicates, files that are not reports fail with a line saying what they are, and a
second ingest changes nothing."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from store.corpus import Corpus

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROWS = list(csv.DictReader((FIXTURES / "corpus" / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines(),
                           delimiter="\t"))


@pytest.mark.slow
def test_corpus_and_seeds_keep_every_distinct_report(tmp_path):
    paths = [FIXTURES / "corpus", FIXTURES / "seeds"]
    corpus = Corpus(tmp_path / "store", model="hashing")
    try:
        first = list(corpus.ingest(paths, workers=2))
        again = list(corpus.ingest(paths, workers=2))
        stored = corpus.reports()
    finally:
        corpus.close()
    reports = [r for r in ROWS if not r["bad"]]
    seeds = sorted((FIXTURES / "seeds").glob("*.txt"))
    by_status = {status: [r for r in first if r.status == status] for status in ("added", "duplicate", "failed")}
    assert len(by_status["added"]) == len(stored) == len(reports) + len(seeds)
    assert len({r.report for r in first if r.report}) == len(stored)  # no report replaced another

    expected = {(r["unit"], int(r["year"]), r["kind"], r["scope"], r["summary"] or None) for r in reports}
    found = {(e["unit"], e["year"], e["kind"], e["scope"], e.get("summary")) for e in stored.values()}
    assert expected <= found

    duplicates = [r for r in ROWS if r["bad"] == "duplicate"]
    assert len(by_status["duplicate"]) == len(duplicates)
    for result in by_status["duplicate"]:
        original = next(r["neutral file"] for r in reports if r["sha256"] == next(
            d["sha256"] for d in duplicates if d["neutral file"] == result.path.name))
        assert original in result.message and "重复" in result.message

    assert len(by_status["failed"]) == sum(1 for r in ROWS if r["bad"] and r["bad"] != "duplicate")
    assert all("\n" not in r.message and r.message for r in by_status["failed"])

    assert [r.status for r in again if r.status not in ("duplicate", "failed")] == ["unchanged"] * len(stored)
