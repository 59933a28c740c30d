"""Layers point down: budgetkg_cli > search > store > embed > kg (the import-linter contract in
pyproject.toml). kg reads reports and builds graphs, passages and findings and imports nothing
above it; a new top-level package has to take its place in the contract."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_import_layers_hold():
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_package_has_a_layer():
    config = _pyproject()
    packages = {name.rstrip("*") for name in config["tool"]["setuptools"]["packages"]["find"]["include"]}
    layers = set()
    for contract in config["tool"]["importlinter"]["contracts"]:
        layers.update(contract.get("layers", []))
    assert packages - {"ontology"} == layers  # ontology holds data files only
