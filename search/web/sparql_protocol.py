"""SPARQL 1.1 Protocol: reading a request and choosing the response format.

https://www.w3.org/TR/sparql11-protocol/ — a query comes as ``GET ?query=``, as ``POST``
``application/x-www-form-urlencoded`` (``query=``) or as ``POST application/sparql-query``
(the body); an update as ``POST`` form ``update=`` or ``application/sparql-update``.
``default-graph-uri`` / ``named-graph-uri`` select the dataset of a query (otherwise the
default graph is the union of all graphs, as everywhere in budgetkg).

Response formats are negotiated from ``Accept`` (q-values honoured, ties broken by the
client's order, then by ours); ``format=`` / ``output=`` (json, xml, csv, tsv, turtle,
jsonld, nt, rdfxml) override it, as many endpoints allow.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from urllib.parse import parse_qs

#: SELECT / ASK results: media type → format name (first = default)
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: CONSTRUCT / DESCRIBE results
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
#: the Content-Type each format is sent with
MEDIA_TYPES = {
    "json": "application/sparql-results+json", "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8", "xml": "application/sparql-results+xml",
    "turtle": "text/turtle; charset=utf-8", "jsonld": "application/ld+json", "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
FORMAT_PARAMETER = {
    "json": ("json", "jsonld"), "srj": ("json", None), "xml": ("xml", "rdfxml"), "srx": ("xml", None),
    "csv": ("csv", None), "tsv": ("tsv", None), "turtle": (None, "turtle"), "ttl": (None, "turtle"),
    "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"), "nt": (None, "nt"), "ntriples": (None, "nt"),
    "n-triples": (None, "nt"), "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
}

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


class ProtocolError(Exception):
    """A request the protocol does not allow: ``status`` and a user message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class SparqlRequest:
    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None  # format= / output= parameter


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _charset(content_type: str | None) -> str:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


def _decode(body: bytes, content_type: str | None) -> str:
    """The body as text in its declared charset; 400 unless that is a real text encoding and the
    result valid Unicode (``unicode_escape`` and its kind could smuggle in lone surrogates)."""
    charset = _charset(content_type)
    try:
        info = codecs.lookup(charset)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True) or "escape" in info.name \
            or info.name in ("utf-7", "punycode", "idna"):
        raise ProtocolError(400, "bad_request", f"不支持的字符集 {charset} (unsupported charset)")
    try:
        text = body.decode(charset)
        text.encode("utf-8")
    except UnicodeError:
        raise ProtocolError(400, "bad_request", f"请求正文不是有效的 {charset} 文本 (body is not valid {charset})") from None
    return text


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise ProtocolError(400, "bad_request", f"参数 {name} 只能出现一次 (give {name} once)")
    return values[0] if values else None


def parse_request(method: str, url_params: dict[str, list[str]], content_type: str | None,
                  body: bytes) -> SparqlRequest:
    """The query or update a protocol request carries (``ProtocolError`` when malformed)."""
    params = {k: list(v) for k, v in url_params.items()}
    request = SparqlRequest()
    if method == "GET":
        if "update" in params:
            raise ProtocolError(405, "method_not_allowed", "更新必须用 POST (SPARQL updates must be sent with POST)")
        request.query = _one(params, "query")
    elif method == "POST":
        media = _media_type(content_type)
        if media == FORM:
            form = parse_qs(_decode(body, content_type), keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            request.query = _one(params, "query")
            request.update = _one(params, "update")
        elif media == QUERY_BODY:
            request.query = _decode(body, content_type)
        elif media == UPDATE_BODY:
            request.update = _decode(body, content_type)
        else:
            raise ProtocolError(415, "unsupported_media_type",
                                f"不支持的 Content-Type {media or '（无）'}；请用 {FORM}、{QUERY_BODY} 或 {UPDATE_BODY} "
                                f"(unsupported Content-Type)")
    else:
        raise ProtocolError(405, "method_not_allowed", "只支持 GET 和 POST (use GET or POST)")
    if request.query is not None and request.update is not None:
        raise ProtocolError(400, "bad_request", "不能同时给出 query 和 update (give either query or update)")
    if request.query is None and request.update is None:
        raise ProtocolError(400, "bad_request", "缺少 query 参数 (missing query: use ?query=SELECT …)")
    if request.update is not None:
        if params.get("using-graph-uri") or params.get("using-named-graph-uri"):
            raise ProtocolError(400, "bad_request", "不支持 using-graph-uri / using-named-graph-uri；请在更新里写 USING "
                                                    "(use USING clauses in the update instead)")
    request.default_graphs = [g for g in params.get("default-graph-uri", []) if g]
    request.named_graphs = [g for g in params.get("named-graph-uri", []) if g]
    # clients such as SPARQLWrapper repeat these (format=csv&output=csv&results=csv): first one wins
    request.format = next(iter(params.get("format") or params.get("output") or []), None) or None
    if request.format is not None and request.format.lower() not in FORMAT_PARAMETER \
            and _media_type(request.format) not in RESULT_TYPES and _media_type(request.format) not in GRAPH_TYPES:
        raise ProtocolError(400, "bad_request", f"未知的 format {request.format!r}；可选 "
                                                f"{', '.join(FORMAT_PARAMETER)} (unknown format)")
    text = request.query if request.query is not None else request.update
    if not text.strip():
        raise ProtocolError(400, "malformed_query", "查询为空 (empty query)")
    return request


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """``Accept`` → [(media range, q, position)], invalid entries skipped."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _match(media_range: str, media: str) -> int:
    """Specificity of ``media_range`` matching ``media``: 2 exact, 1 type/*, 0 */*, -1 none."""
    if media_range == media:
        return 2
    kind, _, sub = media_range.partition("/")
    if sub == "*" and kind == media.partition("/")[0]:
        return 1
    if media_range == "*/*":
        return 0
    return -1


def negotiate(accept: str | None, offers: dict[str, str]) -> str | None:
    """The format name the client prefers among ``offers`` (first offer when Accept is absent)."""
    ranges = parse_accept(accept)
    if not ranges:
        return next(iter(offers.values()))
    best = None
    for preference, (media, name) in enumerate(offers.items()):
        matched = [(spec, q, position) for media_range, q, position in ranges
                   if (spec := _match(media_range, media)) >= 0]
        if not matched:
            continue
        spec, q, position = max(matched, key=lambda m: m[0])  # the most specific range decides q
        if q <= 0:
            continue
        key = (q, spec, -position, -preference)
        if best is None or key > best[0]:
            best = (key, name)
    return best[1] if best else None


def choose_formats(accept: str | None, parameter: str | None) -> tuple[str | None, str | None]:
    """(results format, graph format) for this request; None where nothing acceptable."""
    if parameter:
        key = parameter.lower()
        if key in FORMAT_PARAMETER:
            results, graph = FORMAT_PARAMETER[key]
            return results, graph
        media = _media_type(parameter)
        return RESULT_TYPES.get(media), GRAPH_TYPES.get(media)
    return negotiate(accept, RESULT_TYPES), negotiate(accept, GRAPH_TYPES)


__all__ = ["parse_request", "negotiate", "choose_formats", "ProtocolError", "SparqlRequest", "MEDIA_TYPES",
           "RESULT_TYPES", "GRAPH_TYPES"]
