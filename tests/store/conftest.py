"""Helpers for the store tests: the real command line in subprocesses, and store readers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
MODEL = "hashing"


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "cli", *map(str, args)]


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("BUDGETKG_MODEL", None)
    env.pop("BUDGETKG_STORE", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def budgetkg(*args: str, timeout: float = 300, check: bool = False) -> subprocess.CompletedProcess:
    """Run the real ``budgetkg`` command line in a new process."""
    done = subprocess.run(cli_command(*args), capture_output=True, text=True, timeout=timeout, env=cli_env(),
                          cwd=ROOT)
    if check and done.returncode != 0:
        raise AssertionError(f"budgetkg {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
    return done


def start_budgetkg(*args: str) -> subprocess.Popen:
    return subprocess.Popen(cli_command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=cli_env(), cwd=ROOT)


def manifest(store: Path) -> dict:
    return json.loads((store / "manifest.json").read_text(encoding="utf-8"))


def reports(store: Path) -> list[dict]:
    return json.loads(budgetkg("reports", "--store", store, "--json", check=True).stdout)


def verify_json(store: Path, *extra: str) -> tuple[int, dict]:
    done = budgetkg("verify", "--store", store, "--json", *extra)
    return done.returncode, json.loads(done.stdout)


def snapshot(store: Path) -> dict:
    """What a clean ingest must reproduce: each report's title with its passage and triple counts."""
    return {iri: (entry["title"], entry["passages"], entry["triples"]) for iri, entry in manifest(store)["reports"].items()}


@dataclass
class CleanIngest:
    store: Path
    seconds: float


@pytest.fixture(scope="session")
def clean_examples(tmp_path_factory) -> CleanIngest:
    """The example reports ingested once, without interference, with the fast embedder."""
    store = tmp_path_factory.mktemp("clean") / "store"
    started = time.monotonic()
    budgetkg("ingest", EXAMPLES, "--store", store, "--model", MODEL, check=True)
    return CleanIngest(store, time.monotonic() - started)
