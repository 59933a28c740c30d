"""One settings table: defaults, validation and ``--help`` text come from here.

A setting's value is taken from the command line, else from the environment
(``BUDGETKG_<NAME>``), else from the store's ``settings.json``, else the default.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from kg.errors import UsageError


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    choices: tuple[str, ...] | Callable[[], list[str]] | None = None
    kind: type = str

    @property
    def env(self) -> str:
        return "BUDGETKG_" + self.name.upper().replace("-", "_")

    def valid_choices(self) -> list[str] | None:
        if self.choices is None:
            return None
        return list(self.choices()) if callable(self.choices) else list(self.choices)

    def convert(self, value: object) -> object:
        if value is None:
            return None
        try:
            converted = self.kind(value)
        except (TypeError, ValueError):
            raise UsageError(f"设置 {self.name} 的值 {value!r} 无效，应为 {self.kind.__name__} "
                             f"(invalid value for {self.name}: expected {self.kind.__name__})") from None
        choices = self.valid_choices()
        if choices is not None and converted not in choices:
            raise UsageError(f"设置 {self.name} 不支持 {value!r}；可选：{', '.join(choices)} "
                             f"(unknown {self.name} {value!r}; choose one of {', '.join(choices)})")
        return converted


def _store_kinds() -> list[str]:
    from kg.registry import names

    return names("store")


SETTINGS: list[Setting] = [
    Setting("store", ".budgetkg", "存储目录：图、段落索引和抽取结果 (store folder: graph, passage index, extractions)"),
    Setting("graph-store", "oxigraph", "图存储后端 (graph store backend)", _store_kinds),
    Setting("endpoint", None, "SPARQL 1.1 端点地址（graph-store=sparql 时）(endpoint URL when graph-store=sparql)"),
    Setting("update-endpoint", None, "SPARQL Update 地址，默认同 endpoint (update URL, defaults to the endpoint)"),
    Setting("endpoint-user", None, "端点用户名 (endpoint user, HTTP digest/basic auth)"),
    Setting("endpoint-password", None, "端点密码 (endpoint password)"),
    Setting("model", "use", "嵌入模型：use（默认，离线）、hashing 或 sentence-transformers 模型名/本地路径 "
                            "(embedding model: use (default, offline), hashing, or a sentence-transformers name/local path)"),
    Setting("workers", 1, "抽取进程数 (extraction worker processes)", kind=int),
    Setting("top-k", 10, "返回结果条数 (number of results)", kind=int),
    Setting("format", "table", "输出格式 (output format)", ("table", "json", "csv")),
    Setting("query-timeout", 30.0, "SPARQL 查询超时秒数 (SPARQL query timeout, seconds)", kind=float),
]
BY_NAME = {s.name: s for s in SETTINGS}


def resolve(name: str, given: object = None, stored: dict | None = None) -> object:
    """The effective value of a setting (command line > environment > store > default)."""
    setting = BY_NAME[name]
    if given is not None:
        return setting.convert(given)
    if setting.env in os.environ:
        return setting.convert(os.environ[setting.env])
    if stored and name in stored and stored[name] is not None:
        return setting.convert(stored[name])
    return setting.default
