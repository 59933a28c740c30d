"""One writer at a time: a second writer waits (or, with --no-wait, fails); readers never wait;
a killed writer, or the orphaned children of one, never leaves the store locked."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest

from store.corpus import store_writer_lock
from kg.errors import StoreLocked
from tests.store.conftest import MODEL, SEEDS, budgetkg, cli_env, manifest, start_budgetkg

SEED = SEEDS / "000_f26fb4c08ebca23b.txt"
WAITING = "存储正被另一个 budgetkg 进程写入，等待中… (store locked by pid {pid}, waiting)"


def read_line(stream, timeout: float) -> str:
    ready, _, _ = select.select([stream], [], [], timeout)
    return stream.readline() if ready else ""


def test_a_second_writer_waits_with_one_line_then_writes(tmp_path):
    store = tmp_path / "store"
    lock = store_writer_lock(store)
    try:
        writer = start_budgetkg("ingest", SEED, "--store", store, "--model", MODEL)
        line = read_line(writer.stderr, 60)
        assert line.strip() == WAITING.format(pid=os.getpid())
        time.sleep(0.5)
        assert writer.poll() is None and not (store / "manifest.json").exists()
    finally:
        lock.release()
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert "新增 added 1" in err and len(manifest(store)["reports"]) == 1


def test_no_wait_fails_at_once_with_a_clear_line_and_writes_nothing(tmp_path):
    store = tmp_path / "store"
    with store_writer_lock(store):
        started = time.monotonic()
        done = budgetkg("ingest", SEED, "--store", store, "--model", MODEL, "--no-wait")
        assert time.monotonic() - started < 60
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"pid {os.getpid()}" in lines[0] and "--no-wait" in lines[0]
    assert not (store / "manifest.json").exists()


def test_every_writing_command_takes_the_lock(tmp_path):
    store = tmp_path / "store"
    budgetkg("ingest", SEED, "--store", store, "--model", MODEL, check=True)
    with store_writer_lock(store):
        for command in (["remove", "执法队"], ["verify", "--repair"], ["reindex", "--model", "hashing:64"]):
            done = budgetkg(*command, "--store", store, "--no-wait")
            assert done.returncode != 0 and "--no-wait" in done.stderr, command
    assert len(manifest(store)["reports"]) == 1


def test_readers_do_not_wait_for_a_writer(tmp_path):
    store = tmp_path / "store"
    budgetkg("ingest", SEED, "--store", store, "--model", MODEL, check=True)
    with store_writer_lock(store):
        started = time.monotonic()
        listed = budgetkg("reports", "--store", store, "--json", timeout=60)
        checked = budgetkg("verify", "--store", store, timeout=60)
        assert time.monotonic() - started < 60
    assert listed.returncode == 0 and "执法队" in listed.stdout
    assert checked.returncode == 1 and f"pid {os.getpid()}" in checked.stdout  # says a write is under way


def test_a_killed_writer_leaves_no_lock(tmp_path):
    store = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from store.corpus import store_writer_lock\n"
        f"store_writer_lock({str(store)!r}); print('held', flush=True); time.sleep(120)")],
        stdout=subprocess.PIPE, text=True, env=cli_env())
    try:
        assert read_line(holder.stdout, 60).strip() == "held"
        with pytest.raises(StoreLocked):
            store_writer_lock(store, wait=False)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
    store_writer_lock(store, wait=False).release()


def test_children_forked_by_a_killed_writer_do_not_keep_the_lock(tmp_path):
    store = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import os, sys, time; from store.corpus import store_writer_lock\n"
        f"store_writer_lock({str(store)!r})\n"
        "child = os.fork()\n"  # the child prints its pid: by then its at-fork handlers have run
        "if child == 0:\n    print(os.getpid(), flush=True)\n    time.sleep(120)\n    os._exit(0)\n"
        "time.sleep(120)")], stdout=subprocess.PIPE, text=True, env=cli_env())
    child = int(read_line(holder.stdout, 60))
    try:
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
        os.kill(child, 0)  # the forked child outlives its parent …
        store_writer_lock(store, wait=False).release()  # … without holding the store
    finally:
        os.kill(child, signal.SIGKILL)
