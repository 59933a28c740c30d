"""verify finds what disagrees between manifest, graph, passage index and stored extractions;
--repair fixes a deliberately damaged store; reindex re-embeds a store with another model."""
from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from tests.store.conftest import SEEDS, budgetkg, manifest, snapshot, verify_json

FILES = [SEEDS / "000_f26fb4c08ebca23b.txt", SEEDS / "004_b0facb554ae335f5.txt"]
ORPHAN = "https://w3id.org/budgetkg/id/report/0123456789abcdef"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    store = tmp_path_factory.mktemp("pristine") / "store"
    budgetkg("ingest", *FILES, "--store", store, "--model", "hashing:64", check=True)
    return store


@pytest.fixture
def store(pristine, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(pristine, copy)
    return copy


def damage(store) -> str:
    """Delete the committed vector index files, add an orphan report graph, delete one extraction."""
    shutil.rmtree(store / "passages" / "vectors")
    graph = ox.Store(str(store / "graph"))
    graph.add(ox.Quad(ox.NamedNode(ORPHAN), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("孤立报告"), ox.NamedNode(ORPHAN)))
    graph.flush()
    del graph
    iri, entry = next(iter(manifest(store)["reports"].items()))
    (store / entry["file"]).unlink()
    return iri


def test_a_fresh_store_verifies_clean(store):
    code, result = verify_json(store)
    assert code == 0 and result["clean"] and result["stats"]["reports"] == 2


def test_verify_names_each_damage_and_repair_fixes_them_all(store, pristine):
    lost = damage(store)
    code, result = verify_json(store)
    assert code == 1
    found = {(p["check"], p["fix"]) for p in result["problems"]}
    assert ("index", "reindex") in found and ("graph", "drop-graph") in found and ("extraction", "reextract") in found
    assert any(p["report"] == lost for p in result["problems"] if p["check"] == "extraction")
    repaired = budgetkg("verify", "--store", store, "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "存储一致" in repaired.stdout and repaired.stdout.count("已修复") >= 3
    code, result = verify_json(store)
    assert code == 0 and result["clean"], result["problems"]
    assert snapshot(store) == snapshot(pristine)
    hits = budgetkg("search", "驻村帮扶", "--store", store, "--json", check=True)
    assert "驻村帮扶" in hits.stdout


def test_a_report_graph_and_its_passages_are_re_run_from_the_stored_extraction(store):
    iri, entry = next(iter(manifest(store)["reports"].items()))
    graph = ox.Store(str(store / "graph"))
    graph.update(f"DROP GRAPH <{iri}>")
    graph.flush()
    del graph
    code, result = verify_json(store)
    assert code == 1 and {p["fix"] for p in result["problems"]} == {"regraph"}
    assert budgetkg("verify", "--store", store, "--repair").returncode == 0
    assert verify_json(store)[0] == 0


def test_a_missing_extraction_whose_source_is_gone_is_reported_not_invented(store, tmp_path):
    source = tmp_path / "gone.txt"
    source.write_bytes(FILES[0].read_bytes() + b"\n")  # the same report, other bytes: it replaces the stored one
    assert "更新 updated 1" in budgetkg("ingest", source, "--store", store, check=True).stderr
    entry = next(e for e in manifest(store)["reports"].values() if e["path"] == str(source))
    (store / entry["file"]).unlink()
    source.unlink()
    done = budgetkg("verify", "--store", store, "--repair")
    assert done.returncode == 1 and "无法自动修复" in done.stdout


def test_reindex_re_embeds_every_passage_with_another_model(store):
    before = manifest(store)
    done = budgetkg("reindex", "--store", store, "--model", "hashing:128")
    assert done.returncode == 0, done.stderr
    after = manifest(store)
    assert after["settings"]["model"] == "hashing:128" and after["index"] != before.get("index", "passages")
    meta = json.loads((store / after["index"] / "meta.json").read_text(encoding="utf-8"))
    assert (meta["embedder"], meta["dimension"]) == ("hashing-128", 128)
    assert meta["passages"] == sum(e["passages"] for e in after["reports"].values())
    assert not (store / "passages").exists()  # the old generation is gone
    assert verify_json(store)[0] == 0
    assert "驻村帮扶" in budgetkg("search", "驻村帮扶", "--store", store, "--json", check=True).stdout
    refused = budgetkg("ingest", FILES[0], "--store", store, "--model", "hashing:64", "--force")
    assert refused.returncode == 1 and "budgetkg reindex" in refused.stderr
