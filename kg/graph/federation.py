"""Which hosts a user's SPARQL may make us contact: none, unless allowed by name.

A ``SERVICE <url>`` pattern makes the query engine (Oxigraph, rdflib) send the pattern to
``url`` and ``LOAD <url>`` fetches ``url``: run for a stranger, either is a request
forgery from the server's address. ``check_outbound`` finds every such target in a
query or update before it runs and refuses the ones not in the allow-list
(``--allow-service URL``, compared exactly after resolving prefixes and ``BASE``). A
target that is a variable, or that cannot be resolved, is refused too.

The query is tokenised the way SPARQL's grammar does (strings, IRIs, comments, prefixed
names with their escapes), so ``SERVICE`` inside a literal or a comment is not a pattern
and one hidden behind a ``#`` or a quote is still found. rdflib replaces ``\\u`` escapes
before parsing and Oxigraph does not, so both readings are checked.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from kg.errors import ServiceNotAllowed, UsageError

_PN_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"(?:%[0-9A-Fa-f]{{2}}|{_PN_ESCAPE})"
_CH = r"[\w\-\u00b7\u0300-\u036f\u203f-\u2040]"  # PN_CHARS
_PN_PREFIX = rf"[^\W\d_](?:(?:{_CH}|\.)*{_CH})?"
_PN_LOCAL = rf"(?:[^\W\d]|[:0-9]|{_PLX})(?:(?:{_CH}|[.:]|{_PLX})*(?:{_CH}|:|{_PLX}))?"
_STRINGS = (r'"""(?:"{0,2}(?:[^"\\]|\\.))*"""', r"'''(?:'{0,2}(?:[^'\\]|\\.))*'''",
            r'"(?:[^"\\\n\r]|\\.)*"', r"'(?:[^'\\\n\r]|\\.)*'")
_TOKEN = re.compile("|".join([
    "(?P<string>" + "|".join(_STRINGS) + ")",
    r'(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
    r"(?P<comment>#[^\n\r]*)",
    r"(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)",
    r"(?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",
    rf"(?P<bnode>_:(?:[^\W\d]|[0-9])(?:(?:{_CH}|\.)*{_CH})?)",
    rf"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
    r"(?P<number>\d+\.\d*[eE][+-]?\d+|\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)",
    r"(?P<word>[A-Za-z_]\w*)",
    r"(?P<space>\s+)",
    r"(?P<other>.)",
]), re.S)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SKIPPED = ("space", "comment")


@dataclass(frozen=True)
class Target:
    keyword: str  # "SERVICE" | "LOAD"
    iri: str | None  # None: a variable or something that does not resolve
    written: str


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        if match.lastgroup not in _SKIPPED:
            yield match.lastgroup, match.group()


def _unescaped(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()

    return _UNICODE_ESCAPE.sub(replace, text)


def _pname_iri(word: str, prefixes: Mapping[str, str]) -> str | None:
    prefix, colon, local = word.partition(":")
    if not colon or prefix not in prefixes:
        return None
    return prefixes[prefix] + re.sub(_PN_ESCAPE, lambda m: m.group()[1:], local)


def targets(text: str, prefixes: Mapping[str, str] | None = None) -> list[Target]:
    """Every SERVICE and LOAD target of ``text`` (a query or an update), as written and resolved."""
    found: dict[tuple, Target] = {}
    for reading in dict.fromkeys((text, _unescaped(text))):
        for target in _scan(reading, dict(prefixes or {})):
            found.setdefault((target.keyword, target.iri, target.written), target)
    return list(found.values())


def _scan(text: str, prefixes: dict[str, str]) -> Iterator[Target]:
    tokens = list(_tokens(text))
    base: str | None = None

    def iri_of(kind: str, value: str) -> str | None:
        if kind == "iri":
            iri = value[1:-1]
            return urljoin(base, iri) if base and not urlsplit(iri).scheme else (iri if urlsplit(iri).scheme else None)
        if kind == "pname":
            return _pname_iri(value, prefixes)
        return None

    for i, (kind, value) in enumerate(tokens):
        if kind != "word":
            continue
        keyword = value.upper()
        if keyword == "BASE" and i + 1 < len(tokens) and tokens[i + 1][0] == "iri":
            base = iri_of(*tokens[i + 1]) or base
        elif keyword == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1][0] == "pname" \
                and tokens[i + 1][1].endswith(":") and tokens[i + 2][0] == "iri":
            resolved = iri_of(*tokens[i + 2])
            if resolved is not None:
                prefixes[tokens[i + 1][1][:-1]] = resolved
        elif keyword in ("SERVICE", "LOAD"):
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "SILENT":
                j += 1
            written = tokens[j][1] if j < len(tokens) else ""
            yield Target(keyword, iri_of(*tokens[j]) if j < len(tokens) else None, written)


def check_outbound(text: str, allowed: Iterable[str] = (), prefixes: Mapping[str, str] | None = None,
                   how_to_allow: str = "--allow-service URL") -> None:
    """Refuse (``ServiceNotAllowed``) a query or update that would contact a host not in ``allowed``."""
    allowed = set(allowed)
    for target in targets(text, prefixes):
        if target.iri is not None and target.iri in allowed:
            continue
        kw = target.keyword
        if target.iri is None:
            raise ServiceNotAllowed(f"不允许 {kw} {target.written or '?'}：目标必须是固定的端点地址 ({kw} needs a fixed "
                                    f"endpoint IRI)")
        if allowed:
            raise ServiceNotAllowed(f"不允许 {kw} <{target.iri}>：不在允许列表中 ({kw} <{target.iri}> is not in the "
                                    f"allow-list: {', '.join(sorted(allowed))})")
        raise ServiceNotAllowed(f"不允许 {kw} <{target.iri}>：联邦查询默认关闭，可用 {how_to_allow} 放行 ({kw} to "
                                f"<{target.iri}> refused: federated queries are off unless allowed with {how_to_allow})")


def allow_list(urls: Iterable[str] | None) -> tuple[str, ...]:
    """The ``--allow-service`` values, checked: absolute http(s) URLs."""
    checked = []
    for url in urls or ():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--allow-service 需要完整的 http(s) 地址，收到 {url!r} "
                             f"(--allow-service needs an absolute http(s) URL)")
        checked.append(url)
    return tuple(checked)


def add_allow_service_option(parser) -> None:
    """``--allow-service URL`` (repeatable) on an argparse parser: the CLI's and the server's."""
    parser.add_argument("--allow-service", action="append", metavar="URL",
                        help="允许用户 SPARQL 的 SERVICE/LOAD 访问此端点（可重复）；默认一律拒绝 (allow SERVICE/LOAD "
                             "to this endpoint, repeatable; refused by default)")


__all__ = ["check_outbound", "targets", "allow_list", "add_allow_service_option", "Target"]
