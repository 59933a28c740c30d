"""Shared fixtures: the seed reports, their extractions, and one ingested corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def seed_reports():
    """The five seed reports extracted from their text exports, by file stem."""
    from kg.extract import extract

    return {path.stem: extract(path) for path in SEEDS}


@pytest.fixture(scope="session")
def ingested_seeds(tmp_path_factory) -> Path:
    """The seeds ingested once into a fresh store with the default (real, offline) embedder,
    then closed, so tests and servers can all open it read-only."""
    from store.corpus import Corpus

    folder = tmp_path_factory.mktemp("seed-store") / "store"
    corpus = Corpus(folder)
    try:
        results = list(corpus.ingest([FIXTURES / "seeds"]))
        assert [r.status for r in results] == ["added"] * len(SEEDS), [r.message for r in results]
    finally:
        corpus.close()
    return folder


@pytest.fixture(scope="session")
def corpus(ingested_seeds):
    """The seed store, opened read-only."""
    from store.corpus import Corpus

    corpus = Corpus(ingested_seeds, read_only=True, create=False)
    yield corpus
    corpus.close()


@pytest.fixture(scope="session")
def corpus_reports(tmp_path_factory):
    """The 25 real reports of the development corpus (tests/fixtures/corpus, neutral names)
    ingested once with the default embedder, opened read-only."""
    import csv

    from store.corpus import Corpus

    rows = list(csv.DictReader((FIXTURES / "corpus" / "EXPECTED.tsv").open(encoding="utf-8"), delimiter="\t"))
    files = [FIXTURES / "corpus" / row["neutral file"] for row in rows if not row["bad"]]
    folder = tmp_path_factory.mktemp("corpus-store") / "store"
    writer = Corpus(folder)
    try:
        results = list(writer.ingest(files))
        assert [r.status for r in results] == ["added"] * len(files), [r.message for r in results]
    finally:
        writer.close()
    corpus = Corpus(folder, read_only=True, create=False)
    yield corpus
    corpus.close()
