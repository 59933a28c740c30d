"""Namespaces, the SPARQL prefixes predeclared for users, and deterministic IRIs.

IRIs are derived from content, never from file names or load order, so ingesting the
same report twice changes nothing and the same document cited by different reports is
one node:

* organisation — normalised unit name
* report — unit + year + kind + scope
* project — report + normalised name (+ category when two projects share a name)
* project series — department + series name (year and 年初预算/结余 suffixes removed)
* policy document — canonical 发文字号 or normalised title
* region — GB/T 2260 name path; classification concepts — their code
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD, ORG

from kg.extract.normalize import canon_brackets, squash



class KeptNamespace(Namespace):
    """rdflib's ``Namespace`` keeping each term it made as an attribute: ``BKG.amount`` is asked
    for half a million times in building the corpus's graphs, and rdflib makes a new URIRef each time."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


BKG = KeptNamespace("https://w3id.org/budgetkg/ontology#")
ID = Namespace("https://w3id.org/budgetkg/id/")
OBEU_DIM = Namespace("http://data.openbudgets.eu/ontology/dsd/dimension/")
OBEU_MEASURE = Namespace("http://data.openbudgets.eu/ontology/dsd/measure/")
OBEU_ATTR = KeptNamespace("http://data.openbudgets.eu/ontology/dsd/attribute/")
OBEU_PHASE = Namespace("http://data.openbudgets.eu/resource/codelist/budget-phase/")
CURRENCY_CNY = URIRef("http://data.openbudgets.eu/codelist/currency/CNY")

PREFIXES = {
    "bkg": str(BKG), "id": str(ID), "org": str(ORG), "qb": str(QB), "skos": str(SKOS), "prov": str(PROV),
    "dcterms": str(DCTERMS), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL),
    "obeu-dimension": str(OBEU_DIM), "obeu-measure": str(OBEU_MEASURE), "obeu-attribute": str(OBEU_ATTR),
    "obeu-budgetphase": str(OBEU_PHASE),
}

PHASES = {"预算": OBEU_PHASE["approved"], "决算": OBEU_PHASE["executed"]}
FUNDING_LEVELS = {"中央": BKG["level-central"], "省级": BKG["level-provincial"], "市县": BKG["level-local"],
                  "单位自筹": BKG["level-self"], "其他": BKG["level-other"], "财政拨款": BKG["level-fiscal"]}


SHARED_KINDS = ("org/", "region/", "classification/", "metric/", "doc/", "series/")
_SHARED_PREFIXES = tuple(str(ID) + kind for kind in SHARED_KINDS)


def is_shared(iri: str) -> bool:
    """Whether ``iri`` names a node several reports describe (it then has its own named graph)."""
    return str(iri).startswith(_SHARED_PREFIXES)


def digest(*parts: object) -> str:
    """Short stable hash of the parts (16 hex digits)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def org_iri(name: str) -> URIRef:
    return ID[f"org/{digest(squash(name))}"]


def report_iri(report) -> URIRef:
    """A report's IRI from its identity key (unit, year, kind, scope, summary — or its content
    hash when the document does not say who or when): two reports share it only when the
    document says they are the same report."""
    key = report.identity_key()
    if key[0] == "sha256":
        return ID[f"report/sha256-{key[1][:24]}"]
    unit, year, kind, scope, summary = key
    parts = (squash(unit), year, kind, scope) + ((summary,) if summary else ())
    return ID[f"report/{digest(*parts)}"]


def findings_graph_iri(report_iri: str) -> str:
    """The named graph holding a report's consistency findings."""
    return f"{report_iri}/findings"


def observation_iri(dataset: URIRef, row: int, column: str) -> URIRef:
    """One cell of a budget table: row ``row`` (0-based, in printed order), column ``column``."""
    return URIRef(f"{dataset}/obs/{row}/{digest(column)}")


_OBSERVATION = re.compile(r"^(?P<table>.+)/obs/(?P<row>\d+)/[0-9a-f]+$")


def observation_row(iri: str) -> tuple[str, int] | None:
    """(table IRI, row number) of an ``observation_iri``; None for any other IRI."""
    match = _OBSERVATION.match(str(iri))
    return (match.group("table"), int(match.group("row"))) if match else None


def page_iri(report: URIRef, page: int | None) -> URIRef:
    return URIRef(f"{report}/page/{page}") if page else report


def page_triples(report: URIRef, page: int | None) -> list[tuple]:
    """The triples declaring a page node (empty when the page is unknown and the report stands in)."""
    if not page:
        return []
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, RDF

    node = page_iri(report, page)
    return [(node, RDF.type, BKG.Page), (node, BKG.pageNumber, Literal(page)), (node, DCTERMS.isPartOf, report)]


def project_iri(report: URIRef, name: str, category: str | None = None) -> URIRef:
    return URIRef(f"{report}/project/{digest(squash(name), category or '')}")


_SERIES_NOISE = re.compile(r"^(?:19|20)\d{2}年(?:度)?|(?:年初预算|结余|结转|资金结余)$|[〔【\[（(]\s*(?:19|20)\d{2}\s*[〕】\]）)]\s*\d+号|"
                           r"[\u4e00-\u9fff]{1,6}〔(?:19|20)\d{2}〕\d+号$")


def series_name(name: str) -> str:
    """'2024年中央财政就业补助资金' → '中央财政就业补助资金'; used to link a project across years."""
    text = canon_brackets(squash(name))
    previous = None
    while previous != text:
        previous = text
        text = _SERIES_NOISE.sub("", text)
    return text or squash(name)


def series_iri(department: str | None, name: str) -> URIRef:
    return ID[f"series/{digest(squash(department or ''), series_name(name))}"]


def document_iri(canonical: str) -> URIRef:
    return ID[f"doc/{digest(canon_brackets(squash(canonical)))}"]


def region_iri(*names: str | None) -> URIRef:
    return ID[f"region/{digest(*[n for n in names if n])}"]


def function_concept(code: str) -> URIRef:
    return ID[f"classification/function/{code}"]


def economic_concept(code: str) -> URIRef:
    return ID[f"classification/economic/{code}"]


def economic_name_concept(name: str) -> URIRef:
    """An economic item printed by name only and not in the code table."""
    return ID[f"classification/economic/name/{digest(squash(name))}"]


def metric_concept(key: str) -> URIRef:
    return ID[f"metric/{key}"]


def passage_iri(report: URIRef, kind: str, key: str) -> URIRef:
    return URIRef(f"{report}/passage/{kind}/{digest(key)}")
