"""Turn a user's ``--model`` string into an embedder.

    None / "use"          → Universal Sentence Encoder multilingual v3 (default, offline)
    "hashing" / "hashing:128" → deterministic hashing embedder (tests, demos)
    anything else         → a sentence-transformers model: local folder or cached name
"""
from __future__ import annotations

from embed.base import Embedder
from kg import registry
from kg.errors import UsageError

DEFAULT_MODEL = "use"


def create_embedder(spec: str | None) -> Embedder:
    """Build the embedder named by ``spec`` (see the module docstring)."""
    plugin, args = _resolve(spec)
    return plugin(*args)


def embedder_class(spec: str | None) -> type[Embedder]:
    """The class ``create_embedder(spec)`` would build, without building it (no model loads)."""
    return _resolve(spec)[0]


def _resolve(spec: str | None) -> tuple[type[Embedder], tuple]:
    if spec is None:
        spec = DEFAULT_MODEL
    if not isinstance(spec, str):
        raise UsageError(f"模型参数必须是字符串，收到 {type(spec).__name__} (--model must be a string)")
    text = spec.strip()
    if not text:
        raise UsageError("模型名称为空。可选：use（默认）、hashing[:维度]、本地模型文件夹或已缓存的模型名 "
                         "(empty model name; choose use, hashing[:dim], a local model folder or a cached model)")
    lowered = text.lower()
    if lowered in ("use", "use-multilingual-v3"):
        return registry.get("embedder", "use"), ()
    if lowered == "hashing" or lowered.startswith(("hashing:", "hashing-")):
        return registry.get("embedder", "hashing"), (_hashing_dimension(text),)
    return registry.get("embedder", "sentence-transformers"), (text,)


def _hashing_dimension(text: str) -> int:
    """``hashing`` → 256; ``hashing:128`` / ``hashing-128`` (the recorded name) → 128."""
    if text.lower() == "hashing":
        return 256
    value = text[len("hashing") + 1:]
    if not value.isdigit() or int(value) < 8:
        raise UsageError(f"无效的 hashing 维度 {value!r}：请写成 hashing:256 这样的正整数（≥ 8） "
                         f"(invalid hashing dimension {value!r}; write e.g. hashing:256, at least 8)")
    return int(value)
