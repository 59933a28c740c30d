"""One settings table: defaults, validation, ``--help`` text and precedence come from here.

A setting's value is taken from the command line, else from the environment
(``BUDGETKG_<NAME>``), else from the store's saved settings, else the default.
``resolve_all`` is the one function that decides it; every command, the store and the
web server go through it, and ``budgetkg settings`` shows its answer with each source.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Callable

from kg.errors import UsageError

SOURCES = ("cli", "env", "store", "default")


def size(value: object) -> int:
    """A byte count: ``536870912``, ``512M``, ``512MiB``, ``1G`` (binary multiples)."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([kmgt]?)(?:i?b)?\s*", str(value), re.I)
    if not match:
        raise ValueError(value)
    return int(match.group(1)) * 1024 ** " kmgt".index(match.group(2).lower() or " ")


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str
    choices: tuple[str, ...] | Callable[[], list[str]] | None = None
    kind: Callable[[object], object] = str
    storable: bool = True  # may come from the store's saved settings

    @property
    def env(self) -> str:
        return "BUDGETKG_" + self.name.upper().replace("-", "_")

    @property
    def option(self) -> str:
        return "--" + self.name

    def valid_choices(self) -> list[str] | None:
        if self.choices is None:
            return None
        return list(self.choices()) if callable(self.choices) else list(self.choices)

    def convert(self, value: object, origin: str = "") -> object:
        if value is None:
            return None
        where = f"（来自 {origin}）" if origin else ""
        try:
            converted = self.kind(value)
        except (TypeError, ValueError):
            raise UsageError(f"设置 {self.name} 的值 {value!r}{where}无效，应为 {self.kind.__name__} "
                             f"(invalid value for {self.name}: expected {self.kind.__name__})") from None
        choices = self.valid_choices()
        if choices is not None and converted not in choices:
            raise UsageError(f"设置 {self.name} 不支持 {value!r}{where}；可选：{', '.join(choices)} "
                             f"(unknown {self.name} {value!r}; choose one of {', '.join(choices)})")
        return converted


def _store_kinds() -> list[str]:
    from kg.registry import names

    return names("store")


def _positive(kind: type) -> Callable[[object], object]:
    def convert(value: object):
        number = kind(value)
        if number <= 0:
            raise ValueError(value)
        return number

    convert.__name__ = f"positive {kind.__name__}"
    return convert


AUTO_WORKERS = 4
"""The most worker processes ``--workers auto`` starts: the one writer commits what they prepare,
and its commits take about a fifth of the corpus mix's CPU (11.8 of 58 CPU-s with 2 workers), so
past about four workers it, not they, sets the pace — and each worker adds ≈ 0.3 GiB (PSS)."""


def workers(value: object) -> int | str:
    """``auto`` or a positive number of worker processes (``worker_count`` turns ``auto`` into one)."""
    if str(value).strip().lower() == "auto":
        return "auto"
    return _positive(int)(value)


workers.__name__ = "auto or a positive int"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity; every logical CPU where that is unknown)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(value: object) -> int:
    """The worker processes a ``workers`` setting stands for: ``auto`` is ``usable_cores``, at
    most ``AUTO_WORKERS``."""
    value = workers(value)
    if value != "auto":
        return value
    return max(1, min(usable_cores(), AUTO_WORKERS))


def scheduler_address(value: object) -> str:
    """A Dask scheduler address: ``tcp://HOST:PORT`` (also tls://, ws://, wss://, ucx://,
    inproc://); a bare ``HOST:PORT`` means tcp."""
    text = str(value).strip()
    if "://" not in text:
        text = "tcp://" + text
    scheme, _, rest = text.partition("://")
    if scheme == "inproc" and rest:
        return text
    host, _, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls", "ws", "wss", "ucx") or not host or not port.isdigit() or "/" in rest:
        raise ValueError(value)
    return text


scheduler_address.__name__ = "tcp://HOST:PORT — the address `dask scheduler` prints"


def host_port(value: object) -> str:
    """``HOST:PORT`` of a server (Virtuoso's SQL port for its bulk loader)."""
    host, _, port = str(value).strip().rpartition(":")
    if not host or not port.isdigit() or "/" in host:
        raise ValueError(value)
    return f"{host}:{port}"


host_port.__name__ = "HOST:PORT, e.g. 127.0.0.1:1111"


SETTINGS: list[Setting] = [
    Setting("store", ".budgetkg", "存储目录：图、段落索引和抽取结果 (store folder: graph, passage index, extractions)",
            storable=False),
    Setting("graph-store", "oxigraph", "图存储后端 (graph store backend)", _store_kinds),
    Setting("endpoint", None, "SPARQL 1.1 端点地址（graph-store=sparql 时）(endpoint URL when graph-store=sparql)"),
    Setting("update-endpoint", None, "SPARQL Update 地址，默认同 endpoint (update URL, defaults to the endpoint)"),
    Setting("endpoint-user", None, "端点用户名 (endpoint user, HTTP digest/basic auth)"),
    Setting("endpoint-password", None, "端点密码 (endpoint password)"),
    Setting("virtuoso-isql", None, "Virtuoso 的 SQL 端口（graph-store=virtuoso 时经 isql-vt 调用其批量导入）"
                                   "(Virtuoso's SQL HOST:PORT when graph-store=virtuoso: its bulk loader runs "
                                   "through isql-vt)", kind=host_port),
    Setting("bulk-load-dir", None, "Virtuoso 可读的文件夹（列在其 DirsAllowed 中，两边路径相同），批量导入文件写在这里 "
                                   "(a folder Virtuoso may read — listed in its DirsAllowed, same path on both sides "
                                   "— where bulk-load files are written)"),
    Setting("model", "use", "嵌入模型：use（默认，离线）、hashing 或 sentence-transformers 模型名/本地路径 "
                            "(embedding model: use (default, offline), hashing, or a sentence-transformers name/local path)"),
    Setting("vector-build-threshold", 50_000, "段落向量超过此数时，精确（flat）向量索引改建为 IVF 索引 (past this many "
                                              "passage vectors the exact flat vector index is rebuilt as IVF)",
            kind=_positive(int)),
    Setting("vector-ondisk-above", 500_000, "IVF 向量索引达到此向量数时，以 FAISS 磁盘格式写出：倒排表合并进一个内存映射的 "
                                            ".ivfdata 文件，打开存储时不读入向量 (an IVF vector index of at least this "
                                            "many vectors is written in FAISS's on-disk layout: inverted lists merged "
                                            "into one memory-mapped .ivfdata file, not read into memory on open)",
            kind=_positive(int)),
    Setting("workers", "auto", f"抽取进程数；auto 为本机可用核数，最多 {AUTO_WORKERS} 个 (extraction worker processes; "
                               f"auto: the cores this machine lets the command use, at most {AUTO_WORKERS})",
            kind=workers),
    Setting("cluster", None, "在 Dask 集群上读取、建图、嵌入，本进程按文件顺序提交 (read, build and embed on a Dask "
                             "cluster; this process commits in file order)", kind=scheduler_address, storable=False),
    Setting("top-k", 10, "返回结果条数 (number of results)", kind=_positive(int)),
    Setting("format", "table", "输出格式 (output format)", ("table", "json", "csv")),
    Setting("query-timeout", 30.0, "SPARQL 查询超时秒数 (SPARQL query timeout, seconds)", kind=_positive(float)),
    Setting("max-pages", 3000, "每份 PDF 最多页数，超出即拒绝 (refuse a PDF with more pages)", kind=_positive(int)),
    Setting("max-stream-bytes", 512 * 1024 ** 2, "每份 PDF 解压后数据流总字节上限，如 512M (refuse a PDF whose "
                                                 "streams inflate to more bytes, e.g. 512M)", kind=_positive(size)),
]
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Resolved:
    name: str
    value: object
    source: str  # one of SOURCES


class Settings(Mapping):
    """Every setting's effective value (``settings["model"]``) and where it came from."""

    def __init__(self, entries: Mapping[str, Resolved]):
        self._entries = dict(entries)

    def __getitem__(self, name: str) -> object:
        return self._entries[name].value

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def source(self, name: str) -> str:
        return self._entries[name].source

    def entry(self, name: str) -> Resolved:
        return self._entries[name]

    def given(self) -> dict[str, object]:
        """The values that came from the command line (to hand on to another resolution)."""
        return {e.name: e.value for e in self._entries.values() if e.source == "cli"}


def resolve_all(given: Mapping[str, object] | None = None, stored: Mapping[str, object] | None = None,
                environ: Mapping[str, str] | None = None) -> Settings:
    """The effective value of every setting: command line > environment > store > default.

    ``given`` holds the command line's values (``None`` = not given); ``stored`` the
    store's saved settings; ``environ`` defaults to ``os.environ`` (an empty variable
    counts as unset). Every value is validated; a bad one is a ``UsageError`` naming it.
    """
    given = given or {}
    stored = stored or {}
    environ = os.environ if environ is None else environ
    entries = {}
    for setting in SETTINGS:
        name = setting.name
        if given.get(name) is not None:
            entry = Resolved(name, setting.convert(given[name], setting.option), "cli")
        elif environ.get(setting.env):
            entry = Resolved(name, setting.convert(environ[setting.env], setting.env), "env")
        elif setting.storable and stored.get(name) is not None:
            entry = Resolved(name, setting.convert(stored[name], "store"), "store")
        else:
            entry = Resolved(name, setting.default, "default")
        entries[name] = entry
    return Settings(entries)


def resolve(name: str, given: object = None, stored: Mapping[str, object] | None = None) -> object:
    """One setting's effective value (see ``resolve_all``)."""
    return resolve_all({name: given}, stored)[name]


# -- command-line options ------------------------------------------------------------------------

STORE_OPTIONS = ("store", "graph-store", "endpoint", "update-endpoint", "endpoint-user", "endpoint-password",
                 "virtuoso-isql", "bulk-load-dir", "model")
READ_LIMITS = ("max-pages", "max-stream-bytes")
VECTOR_LAYOUT = ("vector-build-threshold", "vector-ondisk-above")  # saved in the store once given


def option_help(name: str) -> str:
    setting = BY_NAME[name]
    choices = setting.valid_choices()
    extra = f"；可选 {', '.join(choices)}" if choices else ""
    return f"{setting.help}{extra} [默认 {setting.default}; 环境变量 {setting.env}]"


def add_options(parser, names: Iterable[str], *flags: str, **kwargs) -> None:
    """``--name`` options for settings of the table on an argparse parser, remembered for
    ``given_by`` (``flags``/``kwargs`` for a single one: ``-k``, choices)."""
    names = tuple(names)
    parser.set_defaults(setting_names=(parser.get_default("setting_names") or ()) + names)
    for name in names:
        parser.add_argument(*flags, BY_NAME[name].option, dest=name.replace("-", "_"), help=option_help(name),
                            **kwargs)


def given_by(args) -> dict[str, object]:
    """The settings given on a parsed command line (``None`` where not given)."""
    return {name: getattr(args, name.replace("-", "_"), None) for name in getattr(args, "setting_names", ())}
