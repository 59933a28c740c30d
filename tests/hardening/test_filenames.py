"""File names of any bytes: a batch with a name that is not UTF-8 ingests every good file;
the name is kept losslessly and shown with \\xNN in messages, listings and RDF literals."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kg.filenames import json_bytes, shown
from tests.conftest import FIXTURES
from tests.hardening.conftest import run_cli as run

SEEDS = FIXTURES / "seeds"
BAD_NAME = b"bad\xff\xfe\xe6\xb1\xbe.txt"  # two undecodable bytes, then a valid 汾
SHOWN = "bad\\xff\\xfe汾.txt"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    inbox = folder / "in"
    inbox.mkdir()
    shutil.copy(SEEDS / "000_f26fb4c08ebca23b.txt", inbox / "a.txt")
    shutil.copy(SEEDS / "004_b0facb554ae335f5.txt", os.fsencode(inbox) + b"/" + BAD_NAME)
    shutil.copy(SEEDS / "002_3b05b2496e039e91.txt", inbox / "z.txt")
    with open(os.fsencode(inbox) + b"/empty\xff.txt", "wb"):
        pass
    store = folder / "store"
    result = run("ingest", str(inbox), "--store", str(store), "--model", "hashing")
    return inbox, store, result


def test_one_bad_name_never_stops_the_batch(batch):
    inbox, store, result = batch
    assert "Traceback" not in result.stderr
    assert result.returncode == 1  # the empty file failed …
    assert "empty\\xff.txt" in result.stderr  # … with its name shown escaped
    added = [line for line in result.stdout.splitlines() if line.startswith("新增")]
    assert len(added) == 3 and any(SHOWN in line for line in added)  # … and every good file was ingested


def test_the_name_is_kept_losslessly(batch):
    from store.corpus import Corpus

    inbox, store, _ = batch
    corpus = Corpus(store, read_only=True, create=False)
    try:
        paths = [entry["path"] for entry in corpus.reports().values()]
    finally:
        corpus.close()
    raw = [os.fsencode(p) for p in paths]
    assert os.fsencode(inbox) + b"/" + BAD_NAME in raw
    assert all(Path(p).exists() for p in paths)


def test_listings_and_rdf_literals_show_it_escaped(batch):
    _, store, _ = batch
    listing = run("reports", "--store", str(store))
    assert listing.returncode == 0 and SHOWN in listing.stdout
    literals = run("sparql", "SELECT ?f WHERE { ?r bkg:sourceFile ?f }", "--store", str(store), "--format", "json")
    files = [row["f"] for row in json.loads(literals.stdout)["rows"]]
    assert len(files) == 3 and any(f.endswith(SHOWN) for f in files)


def test_text_forms():
    name = os.fsdecode(BAD_NAME)
    assert shown(name) == SHOWN and shown(BAD_NAME) == SHOWN
    assert json.loads(json_bytes({"path": name}))["path"] == name
    from search.web.responses import dumps

    assert json.loads(dumps({"file": name}))["file"] == SHOWN
