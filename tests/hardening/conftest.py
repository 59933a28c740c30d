"""Shared by the hardening tests: the CLI in a subprocess (with no BUDGETKG_* variable unless
given) and one small store ingested with the hashing embedder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SEED = FIXTURES / "seeds" / "000_f26fb4c08ebca23b.txt"


def run_cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETKG_")}
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**clean, **(env or {})})


@pytest.fixture(scope="session")
def hashing_store(tmp_path_factory) -> Path:
    """One seed report ingested with ``--model hashing`` (saved in the store's settings)."""
    folder = tmp_path_factory.mktemp("hashing") / "store"
    result = run_cli("ingest", SEED, "--store", folder, "--model", "hashing")
    assert result.returncode == 0, result.stderr
    return folder
