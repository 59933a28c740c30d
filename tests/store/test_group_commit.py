"""Group commits: an ingest batch commits several reports as one unit (one journal, one graph
load, one manifest write); a kill completes all of them, a bad report still fails alone, and a
journal written before groups existed is still replayed."""
from __future__ import annotations

import json
import signal
import subprocess
import sys

from kg.extract import extract_many
from kg.graph import vocab
from kg.graph.plugins import oxigraph
from kg.graph.store import ReportGraphs
from store import ingest
from store.corpus import Corpus
from tests.store.conftest import MODEL, SEEDS, budgetkg, cli_env, manifest, verify_json

KILL_IN_GROUP = """
import os, signal, sys
from pathlib import Path
from kg.extract import extract_many
from store.corpus import Corpus
store, files = sys.argv[1], sys.argv[2:]
reports = [outcome.report for outcome in extract_many([Path(f) for f in files], workers=1)]
corpus = Corpus(store, model="hashing")
Corpus.write_manifest_real = Corpus.write_manifest
with corpus.writing():
    Corpus.write_manifest = lambda self: os.kill(os.getpid(), signal.SIGKILL)
    corpus.commit_reports([(report, str(path), None) for report, path in zip(reports, files)])
sys.exit(3)
"""


def seed_files(count: int) -> list:
    return sorted(SEEDS.glob("*.txt"))[:count]


def test_a_kill_inside_a_group_commit_is_completed_for_every_report_of_the_group(tmp_path):
    store, files = tmp_path / "store", seed_files(3)
    done = subprocess.run([sys.executable, "-c", KILL_IN_GROUP, str(store), *map(str, files)],
                          env=cli_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    journal = json.loads((store / "journal.json").read_text(encoding="utf-8"))
    assert len(journal["changes"]) == 3 and not manifest(store)["reports"]
    code, pending = verify_json(store)
    assert code == 1 and [p["check"] for p in pending["problems"]] == ["journal"]
    repaired = budgetkg("verify", "--store", store, "--repair", check=True)
    assert "已完成" in repaired.stdout
    assert set(manifest(store)["reports"]) == {change["report"] for change in journal["changes"]}
    code, result = verify_json(store)
    assert code == 0 and result["clean"], result["problems"]
    again = budgetkg("ingest", *files, "--store", store, "--model", MODEL, check=True)
    assert "未变 unchanged 3" in again.stderr


def test_a_journal_of_one_report_written_before_groups_is_still_replayed(tmp_path):
    store, files = tmp_path / "store", seed_files(1)
    subprocess.run([sys.executable, "-c", KILL_IN_GROUP, str(store), *map(str, files)],
                   env=cli_env(), capture_output=True, text=True, timeout=300)
    journal = json.loads((store / "journal.json").read_text(encoding="utf-8"))
    (change,) = journal.pop("changes")
    (store / "journal.json").write_text(json.dumps({**journal, **change}), encoding="utf-8")
    repaired = budgetkg("verify", "--store", store, "--repair", check=True)
    assert "已完成" in repaired.stdout and change["report"] in manifest(store)["reports"]
    code, result = verify_json(store)
    assert code == 0 and result["clean"], result["problems"]


def test_a_report_that_cannot_be_written_fails_alone_and_its_group_is_stored(tmp_path, monkeypatch):
    files = seed_files(5)
    monkeypatch.setattr(ingest, "GROUP", 5)
    corpus = Corpus(tmp_path / "store", model="hashing")
    real = oxigraph.OxigraphStore.write_reports
    bad = str(vocab.report_iri(next(extract_many(files[2:3], workers=1)).report))

    def write_reports(self, reports):
        if any(report.iri == bad for report in reports):
            raise OSError("disk full")
        real(self, reports)

    monkeypatch.setattr(oxigraph.OxigraphStore, "write_reports", write_reports)
    results = list(corpus.ingest(files))
    stored = corpus.reports()
    corpus.close()
    assert [r.status for r in results] == ["added", "added", "failed", "added", "added"]
    assert "disk full" in results[2].message and str(files[2]) in results[2].message
    assert bad not in stored and len(stored) == 4
    code, result = verify_json(tmp_path / "store")
    assert code == 0 and result["clean"], result["problems"]


def test_new_reports_of_a_group_are_one_bulk_load_unless_they_exceed_a_batch(tmp_path, monkeypatch):
    """Three new reports: one ``bulk_load`` for all; with a batch smaller than two reports, one per
    report. Either way the store holds what writing them one by one holds."""
    from kg.graph.nquads import ReportQuads

    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    base = "https://w3id.org/budgetkg/id/report/"

    def graphs(n: int) -> ReportGraphs:
        iri = f"{base}{n}"
        rows = [(URIRef(iri), RDFS.label, Literal(f"报告{n}")), (URIRef(iri), RDFS.comment, Literal(str(n)))]
        return ReportGraphs(iri, iri + "/findings", None, quads=ReportQuads.of([(iri, rows)]))

    expected = None
    for batch, loads_expected in ((500_000, 1), (3, 3)):
        monkeypatch.setattr(oxigraph, "BULK_BATCH", batch)
        store = oxigraph.OxigraphStore(str(tmp_path / f"graph{batch}"))
        loads = []
        real_load = store._load
        store._load = lambda data, lines: (loads.append(lines), real_load(data, lines))[1]
        store.write_reports([graphs(n) for n in range(3)])
        assert len(loads) == loads_expected and sum(loads) == 6
        held = sorted(map(str, store.store))
        assert expected is None or held == expected
        expected = held
        store.close()
    one_by_one = oxigraph.OxigraphStore(str(tmp_path / "single"))
    for n in range(3):
        one_by_one.write_reports([graphs(n)])
    assert sorted(map(str, one_by_one.store)) == expected and len(expected) == 6
    one_by_one.close()


def test_every_group_is_full_but_the_last_for_any_number_of_workers(tmp_path, monkeypatch):
    """Groups do not shrink towards the end of a batch (each small load costs the graph store a
    compaction): five reports in groups of two are committed as 2, 2, 1, with one worker or two."""
    files = seed_files(5)
    monkeypatch.setattr(ingest, "GROUP", 2)
    for workers in (1, 2):
        corpus = Corpus(tmp_path / f"store{workers}", model="hashing")
        sizes = []
        real = corpus.commit_reports
        monkeypatch.setattr(corpus, "commit_reports", lambda items: (sizes.append(len(items)), real(items))[1])
        results = list(corpus.ingest(files, workers=workers))
        generation = corpus.generation
        corpus.close()
        assert [r.status for r in results] == ["added"] * 5
        assert sizes == [2, 2, 1] and generation == 3, (workers, sizes, generation)
