"""Crash-consistent commits: a SIGKILL at any instant of an ingest leaves each report wholly
before or wholly after, once the next writer has replayed the journal.

The kills are real: the writer runs in its own process and is SIGKILLed either at a chosen
step (the step's function is replaced by a SIGKILL to itself) or at random moments."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys

import pytest

from store.corpus import Corpus
from store.verify import verify
from tests.store.conftest import (EXAMPLES, MODEL, SEEDS, budgetkg, cli_env, manifest, snapshot, start_budgetkg,
                                  verify_json)

FIRST, SECOND = SEEDS / "004_b0facb554ae335f5.txt", SEEDS / "000_f26fb4c08ebca23b.txt"

KILL_AT = """
import importlib, os, signal, sys
from pathlib import Path
from store.corpus import Corpus
store, first, second, target = sys.argv[1:5]
corpus = Corpus(store, model="hashing")
if first != "-":
    list(corpus.ingest([Path(first)]))
module, owner, name = target.rsplit(".", 2)
owner = getattr(importlib.import_module(module), owner)
setattr(owner, name, lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL))
list(corpus.ingest([Path(second)]))
sys.exit(3)
"""


def kill_during_second_ingest(store, target: str, first=FIRST) -> None:
    done = subprocess.run([sys.executable, "-c", KILL_AT, str(store), str(first or "-"), str(SECOND), target],
                          env=cli_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr


def second_iri(store) -> str:
    return json.loads((store / "journal.json").read_text(encoding="utf-8"))["changes"][0]["report"]


def report_graphs(store) -> set[str]:
    corpus = Corpus(store, read_only=True, create=False)
    try:
        return {g for g in corpus.graph.graphs() if "/report/" in g}
    finally:
        corpus.close()


STEPS = {
    "before the graph write": "kg.graph.plugins.oxigraph.OxigraphStore.write_reports",
    "between the index commit and the manifest write": "store.corpus.Corpus.write_manifest",
    "inside the index commit, after the switch": "embed.passage_index.PassageIndex._write_meta",
    "after the manifest write, before the journal is cleared": "store.corpus.Corpus._clear_journal",
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_kill_at_each_commit_step_is_completed_by_the_next_writer(tmp_path, step):
    store = tmp_path / "store"
    kill_during_second_ingest(store, STEPS[step])
    iri = second_iri(store)
    code, pending = verify_json(store)
    assert code == 1 and [p["check"] for p in pending["problems"]] == ["journal"]
    done = budgetkg("ingest", SECOND, "--store", store, "--model", MODEL, check=True)
    assert "上次中断的写入已完成" in done.stderr and "未变 unchanged 1" in done.stderr
    assert iri in manifest(store)["reports"] and len(manifest(store)["reports"]) == 2
    assert not (store / "journal.json").exists()
    code, result = verify_json(store)
    assert code == 0, result["problems"]


def test_a_kill_whose_new_extraction_is_lost_rolls_back_without_an_orphan(tmp_path):
    store = tmp_path / "store"
    kill_during_second_ingest(store, "store.corpus.Corpus.write_manifest")
    journal = json.loads((store / "journal.json").read_text(encoding="utf-8"))["changes"][0]
    assert journal["report"] in {g for g in report_graphs(store)}  # the orphan of issue 11, before recovery
    (store / journal["entry"]["file"]).unlink()
    done = budgetkg("verify", "--store", store, "--repair", check=True)
    assert "已撤回" in done.stdout
    assert journal["report"] not in manifest(store)["reports"]
    assert not any(g.startswith(journal["report"]) for g in report_graphs(store))
    assert len(manifest(store)["reports"]) == 1
    added = budgetkg("ingest", SECOND, "--store", store, check=True)
    assert "新增 added 1" in added.stderr


def recover_and_verify(store) -> None:
    """Take the lock (which replays any journal), then check that every report is whole."""
    corpus = Corpus(store)
    try:
        with corpus.writing():
            result = verify(corpus)
    finally:
        corpus.close()
    assert result.clean, [p.message for p in result.problems]


def test_recovery_completes_the_index_with_the_model_the_killed_writer_used(tmp_path):
    """A store first opened with the default model, then killed in its first ingest with another
    model between the index commit and the manifest write: the index holds vectors of the second
    model, the saved settings still name the first. Recovery must not open the index with the
    saved model (it raised ModelMismatch in the random-kill test)."""
    store = tmp_path / "store"
    opened = Corpus(store)
    with opened.writing():
        pass
    opened.close()
    assert manifest(store)["settings"]["model"] != MODEL
    kill_during_second_ingest(store, "store.corpus.Corpus.write_manifest", first=None)
    recover_and_verify(store)
    assert manifest(store)["settings"]["model"] == MODEL and len(manifest(store)["reports"]) == 1


def test_an_index_a_killed_writer_opened_but_never_committed_takes_the_next_model(tmp_path):
    """A writer under another model opens the passage index (its meta.json names that model) and
    is killed before anything is committed; the store's saved model is still the default. The
    empty index has no vectors to disagree with: recovery and verify find the store clean, and
    the next ingest under the default model fills it."""
    from embed.factory import create_embedder
    from embed.passage_index import PassageIndex

    store = tmp_path / "store"
    opened = Corpus(store)
    with opened.writing():
        PassageIndex.open(opened.index_folder, create_embedder(MODEL)).close()  # meta.json names MODEL
    opened.close()
    assert manifest(store)["settings"]["model"] != MODEL and not manifest(store)["reports"]
    recover_and_verify(store)
    budgetkg("ingest", SEEDS, "--store", store, check=True)
    code, result = verify_json(store)
    assert code == 0 and result["clean"], result["problems"]


@pytest.mark.slow
def test_twenty_random_kills_during_ingest_always_end_consistent(tmp_path, clean_examples):
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    expected = snapshot(clean_examples.store)
    longest = max(clean_examples.seconds, 2.0)
    kills, rounds = 0, 0
    while kills < 20:
        store = tmp_path / f"round{rounds}"
        rounds += 1
        for _ in range(4):
            writer = start_budgetkg("ingest", EXAMPLES, "--store", store, "--model", MODEL)
            try:
                writer.wait(rng.uniform(0.2, longest))
            except subprocess.TimeoutExpired:
                writer.send_signal(signal.SIGKILL)
                kills += 1
            writer.communicate(timeout=60)
            recover_and_verify(store)
        budgetkg("ingest", EXAMPLES, "--store", store, "--model", MODEL, check=True)
        code, result = verify_json(store)
        assert code == 0 and result["clean"], (seed, result["problems"])
        assert snapshot(store) == expected, seed


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.update(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads the process tree from /proc (Linux)")
def test_a_killed_writer_takes_its_worker_processes_with_it(tmp_path):
    import time

    writer = start_budgetkg("ingest", EXAMPLES, "--store", tmp_path / "store", "--model", MODEL, "--workers", "2")
    deadline, workers = time.monotonic() + 60, set()
    while len(workers) < 2 and writer.poll() is None and time.monotonic() < deadline:
        workers = _children(writer.pid)
        time.sleep(0.02)
    assert len(workers) == 2, "the writer never started its two workers"
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=30)  # the output closes: no worker lives on holding it
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers))
    assert budgetkg("ingest", EXAMPLES, "--store", tmp_path / "store", "--model", MODEL).returncode == 0
    assert verify_json(tmp_path / "store")[0] == 0
