"""A tiny lazy plugin registry keyed by (kind, name).

Plugins are registered by dotted path so heavy libraries (torch, faiss, pyoxigraph) are
imported only when a plugin is chosen:

    register("embedder", "use", "embed.plugins.use:UniversalSentenceEncoder")
    cls = get("embedder", "use")

``names(kind)`` lists the choices, which error messages and ``--help`` show.
"""
from __future__ import annotations

from importlib import import_module

from kg.errors import UsageError

_PLUGINS: dict[tuple[str, str], str] = {}
_LOADED: dict[tuple[str, str], type] = {}


def register(kind: str, name: str, target: str) -> None:
    """Register ``module.path:ClassName`` as plugin ``name`` of ``kind``."""
    _PLUGINS[(kind, name)] = target


def names(kind: str) -> list[str]:
    return sorted(name for k, name in _PLUGINS if k == kind)


def get(kind: str, name: str) -> type:
    key = (kind, name)
    if key in _LOADED:
        return _LOADED[key]
    if key not in _PLUGINS:
        choices = ", ".join(names(kind)) or "(none)"
        raise UsageError(f"未知的 {kind}：{name!r}。可选：{choices} (unknown {kind} {name!r}; choose one of {choices})")
    module_name, _, attr = _PLUGINS[key].partition(":")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name and err.name.split(".")[0] in ("kg", "embed", "search"):
            raise
        raise UsageError(f"{kind} {name!r} 需要的库未安装 (needs a package that is not installed: {err.name}); "
                         f"pip install it or choose one of {', '.join(names(kind))}") from None
    _LOADED[key] = getattr(module, attr)
    return _LOADED[key]


# built-in plugins
register("store", "memory", "kg.graph.plugins.memory:MemoryStore")
register("store", "oxigraph", "kg.graph.plugins.oxigraph:OxigraphStore")
register("store", "sparql", "kg.graph.plugins.sparql:SparqlEndpointStore")
register("store", "virtuoso", "kg.graph.plugins.virtuoso:VirtuosoBulkStore")
register("embedder", "use", "embed.plugins.use:UniversalSentenceEncoder")
register("embedder", "sentence-transformers", "embed.plugins.sentence_transformers:SentenceTransformerEmbedder")
register("embedder", "hashing", "embed.plugins.hashing:HashingEmbedder")
register("index", "numpy", "embed.plugins.numpy_index:NumpyIndex")
register("index", "faiss", "embed.plugins.faiss_index:FaissIndex")
