"""jieba's default dictionary, loaded from jieba's own cache file in one read.

``jieba.Tokenizer.initialize`` unmarshals its cache (``jieba.cache`` in the temporary folder,
the prefix dictionary of about 500,000 words) with ``marshal.load`` on an open file, which reads
the file a few bytes per item: about 1 CPU-s, paid by every process that segments text (each
``budgetkg ingest``, ``ask`` and ``search``), before an ingest's workers fork. ``marshal.loads``
of the same bytes read at once gives the same dictionary in about a quarter of that.

Only the default dictionary with jieba's default cache location is loaded here; anything
else (no cache yet, a custom dictionary or cache file, an unreadable cache) is left to
``initialize``, which also writes the cache the first time.
"""
from __future__ import annotations

import logging
import marshal
import os
import tempfile


def load_default_dictionary(tokenizer=None) -> None:
    """Initialise ``tokenizer`` (default: ``jieba.dt``, the one ``jieba.lcut`` uses) unless it
    already is; quietly."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.dt if tokenizer is None else tokenizer
    if tokenizer.initialized:
        return
    with tokenizer.lock:
        if not (tokenizer.initialized or tokenizer.dictionary != jieba.DEFAULT_DICT or tokenizer.cache_file):
            cache = os.path.join(tokenizer.tmp_dir or tempfile.gettempdir(), "jieba.cache")
            try:
                with open(cache, "rb") as handle:
                    freq, total = marshal.loads(handle.read())
            except (OSError, EOFError, ValueError, TypeError):
                pass
            else:
                if isinstance(freq, dict) and freq:
                    tokenizer.FREQ, tokenizer.total = freq, total
                    tokenizer.initialized = True
    tokenizer.initialize()  # returns at once when loaded above


__all__ = ["load_default_dictionary"]
