"""Settings precedence, for every setting of the table: command line > BUDGETKG_<NAME> > the
store's saved settings > default — as ``budgetkg settings --store S`` shows it and as the
commands use it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
from kg.settings import BY_NAME, SETTINGS, resolve_all, size
from tests.hardening.conftest import SEED
from tests.hardening.conftest import run_cli as run

#: per setting: (saved in the store, in the environment, on the command line); None = no such layer
LAYERS = {
    "store": (None, "env-store", "cli-store"),
    "graph-store": ("memory", "sparql", "oxigraph"),
    "endpoint": ("http://store.example/sparql", "http://env.example/sparql", "http://cli.example/sparql"),
    "update-endpoint": ("http://store.example/update", "http://env.example/update", "http://cli.example/update"),
    "endpoint-user": ("store-user", "env-user", "cli-user"),
    "endpoint-password": ("store-secret", "env-secret", "cli-secret"),
    "virtuoso-isql": ("store.example:1111", "env.example:1111", "cli.example:1111"),
    "bulk-load-dir": ("/store/load", "/env/load", "/cli/load"),
    "model": ("hashing:32", "hashing:64", "hashing:128"),
    "workers": ("2", "3", "4"),
    "cluster": (None, "env.example:8786", "tcp://cli.example:8786"),  # never saved: a run's address
    "top-k": ("5", "6", "7"),
    "format": ("csv", "json", "table"),
    "query-timeout": ("5", "6.5", "7"),
    "max-pages": ("100", "200", "300"),
    "max-stream-bytes": ("1M", "2MiB", "3145728"),
    "vector-build-threshold": ("1000", "2000", "3000"),
    "vector-ondisk-above": ("100000", "200000", "300000"),
}


def test_every_setting_has_layers():
    assert set(LAYERS) == set(BY_NAME)


def make_store(folder: Path, saved: dict) -> Path:
    """A real (empty) store whose manifest carries ``saved`` settings."""
    from store.corpus import Corpus

    corpus = Corpus(folder, create=True)
    with corpus.writing():
        pass
    corpus.close()
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["settings"] = {**manifest.get("settings", {}), **saved}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def shown_settings(capsys, *args) -> dict[str, dict]:
    assert cli.main(["settings", "--json", *args]) == 0
    return {row["setting"]: row for row in json.loads(capsys.readouterr().out)}


def expected(name: str, text: str) -> object:
    if name == "endpoint-password":
        return "******"
    return BY_NAME[name].convert(text)


@pytest.fixture()
def clean_env(monkeypatch, tmp_path):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_precedence(name, tmp_path, capsys, clean_env):
    setting = BY_NAME[name]
    saved, env, given = LAYERS[name]
    if name == "store":
        store_args: list[str] = []
        make_store(tmp_path / "env-store", {})
        make_store(tmp_path / "cli-store", {})
    elif saved is None:  # not storable: a value saved in the store anyway is ignored
        store_args = ["--store", str(make_store(tmp_path / "s", {name: given}))]
        stored = shown_settings(capsys, *store_args)[name]
        assert (stored["source"], stored["value"]) == ("default", setting.default)
    else:
        store_args = ["--store", str(make_store(tmp_path / "s", {name: saved}))]
        before = shown_settings(capsys, "--store", str(tmp_path / "bare"))[name]
        assert (before["source"], before["value"]) == ("default", setting.default)
        stored = shown_settings(capsys, *store_args)[name]
        assert (stored["source"], stored["value"]) == ("store", expected(name, saved))
    clean_env.setenv(setting.env, env)
    from_env = shown_settings(capsys, *store_args)[name]
    assert (from_env["source"], from_env["value"]) == ("env", expected(name, env))
    from_cli = shown_settings(capsys, *store_args, setting.option, given)[name]
    assert (from_cli["source"], from_cli["value"]) == ("cli", expected(name, given))


def test_defaults_without_any_store(capsys, clean_env):
    rows = shown_settings(capsys)
    assert all(row["source"] == "default" and row["value"] == BY_NAME[name].default
               for name, row in rows.items() if name != "endpoint-password")


def test_a_bad_value_names_the_setting_and_its_source(clean_env):
    from kg.errors import UsageError

    clean_env.setenv("BUDGETKG_WORKERS", "many")
    with pytest.raises(UsageError, match="BUDGETKG_WORKERS"):
        resolve_all()
    assert size("512M") == 512 * 1024 ** 2 and size("1GiB") == 1024 ** 3


def test_the_environment_model_is_the_one_commands_use(hashing_store):
    assert run("search", "合同", "--store", str(hashing_store)).returncode == 0
    shown = json.loads(run("settings", "--store", str(hashing_store), "--json",
                           env={"BUDGETKG_MODEL": "hashing:64"}).stdout)
    assert {"setting": "model", "value": "hashing:64", "source": "env"}.items() <= \
        next(r for r in shown if r["setting"] == "model").items()
    used = run("search", "合同", "--store", str(hashing_store), env={"BUDGETKG_MODEL": "hashing:64"})
    assert used.returncode != 0 and "hashing-64" in used.stderr and "Traceback" not in used.stderr
    again = run("ingest", str(SEED), "--store", str(hashing_store), "--force", env={"BUDGETKG_MODEL": "hashing:64"})
    assert again.returncode != 0 and "hashing-64" in again.stderr


def test_an_explicit_graph_store_overrides_the_saved_one(tmp_path):
    store = tmp_path / "memory-store"
    assert run("ingest", str(SEED), "--store", str(store), "--model", "hashing",
               "--graph-store", "memory").returncode == 0
    saved = run("sparql", "ASK { ?s ?p ?o }", "--store", str(store))
    assert saved.returncode == 0 and saved.stdout.strip() == "true"
    explicit = run("sparql", "ASK { ?s ?p ?o }", "--store", str(store), "--graph-store", "oxigraph")
    assert explicit.returncode != 0 and "还没有图存储" in explicit.stderr
    from_env = run("sparql", "ASK { ?s ?p ?o }", "--store", str(store), env={"BUDGETKG_GRAPH_STORE": "oxigraph"})
    assert from_env.returncode != 0 and "还没有图存储" in from_env.stderr


def test_workers_default_to_the_usable_cores_at_most_four(monkeypatch, clean_env):
    import os

    from kg.settings import AUTO_WORKERS, worker_count

    assert resolve_all()["workers"] == "auto" and worker_count("3") == 3 and AUTO_WORKERS == 4
    for cores, expected_count in ((1, 1), (2, 2), (4, 4), (64, AUTO_WORKERS)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, n=cores: set(range(n)))
        assert worker_count("auto") == worker_count("AUTO") == expected_count
