"""Any sentence-transformers model that is already on this machine, loaded offline.

``model`` is a local folder, or the name of a model already in the local Hugging Face
cache (``org/name``; a bare ``name`` is also tried as ``sentence-transformers/name``).
Nothing is ever downloaded: the hub is switched to offline mode before the libraries
are imported, and a name that is not on disk is refused with a ``UsageError``.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from embed.base import Embedder
from kg.errors import UsageError


def _force_offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _hub_cache() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    return home / "hub"


def cached_model_names() -> list[str]:
    """Names of the models in the local Hugging Face cache (``org/name``)."""
    cache = _hub_cache()
    if not cache.is_dir():
        return []
    return sorted(entry.name[len("models--"):].replace("--", "/")
                  for entry in cache.iterdir() if entry.name.startswith("models--"))


def _from_cache(name: str) -> Path | None:
    """The snapshot folder of ``name`` in the local cache, or None; never downloads."""
    cache = _hub_cache()
    candidates = [name] if "/" in name else [name, f"sentence-transformers/{name}"]
    for repo_id in candidates:
        repo = cache / ("models--" + repo_id.replace("/", "--"))
        snapshots = repo / "snapshots"
        if not snapshots.is_dir():
            continue
        ref = repo / "refs" / "main"
        pinned = snapshots / ref.read_text().strip() if ref.is_file() else None
        if pinned is not None and pinned.is_dir():
            return pinned
        folders = sorted((p for p in snapshots.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
        if folders:
            return folders[-1]
    return None


def _not_found(model: str) -> UsageError:
    cached = cached_model_names()
    listed = "、".join(cached) if cached else "（无 none）"
    return UsageError(
        f"找不到嵌入模型 {model!r}：它既不是本地文件夹，也不在本机的 Hugging Face 缓存中；本程序不会联网下载模型。"
        f"可选：use（默认，离线）、hashing[:维度]（测试用）、本地模型文件夹路径，或已缓存的模型：{listed}。"
        f" (embedding model {model!r} is neither a local folder nor in the local Hugging Face cache, "
        f"and nothing is downloaded at run time. Choose 'use' (default), 'hashing[:dim]', a local model "
        f"folder, or a cached model; to use a new model, copy its folder onto this machine and pass its path.)")


def resolve_model(model: str) -> Path:
    """Map ``model`` to a local folder holding a sentence-transformers model."""
    if not isinstance(model, str) or not model.strip():
        raise UsageError("嵌入模型名称为空 (empty embedding model name): 请给出模型文件夹或名称 (give a model folder or name)")
    path = Path(model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise UsageError(f"{model!r} 是文件而不是模型文件夹 (is a file, not a model folder): "
                             f"请给出包含 config.json 与权重的文件夹 (pass the folder holding config.json and the weights)")
        if not ((path / "config.json").is_file() or (path / "modules.json").is_file()):
            raise UsageError(f"文件夹 {model!r} 不是 sentence-transformers 模型：缺少 config.json/modules.json "
                             f"(folder is not a sentence-transformers model: no config.json or modules.json)")
        return path.resolve()
    looks_like_path = model.startswith((".", "/", "~")) or os.sep in model.strip("/").replace("/", "", 1)
    found = None if looks_like_path else _from_cache(model)
    if found is None:
        raise _not_found(model)
    return found


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model on CPU with normalised embeddings, offline only."""

    def __init__(self, model: str):
        _force_offline()
        self.path = resolve_model(model)
        self.name = model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise UsageError("使用该模型需要 sentence-transformers 与 torch：pip install sentence-transformers "
                             "(this model needs sentence-transformers and torch installed; "
                             "or use the default model 'use')") from None
        try:
            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        except (OSError, ValueError) as err:
            raise UsageError(f"无法加载模型 {model!r}（{self.path}）：{err} "
                             f"(could not load the model offline; check that the folder is a complete "
                             f"sentence-transformers model)") from None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)
