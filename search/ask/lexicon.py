"""What the corpus contains, as names a question can mention.

Built from the graph with a few SPARQL queries: units (with aliases and short forms),
projects (labels and printed names), policy documents (numbers and titles), reports
(unit, year, kind). Matching is on a normalised form: no blanks, no quotes, canonical
brackets, full-width digits folded, Shanxi category prefixes ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.names import ABBREVIATIONS, normalise_unit
from kg.extract.normalize import canon_brackets, squash
from kg.graph.store import GraphStore
from search.ask.numbers import ascii_digits

_QUOTES = str.maketrans({"“": "", "”": "", "\"": "", "'": "", "‘": "", "’": "", "《": "", "》": "",
                         "「": "", "」": "", "『": "", "』": ""})
_CATEGORY = re.compile(r"^(QT|XM|J|Z)(?=[\u4e00-\u9fff0-9])")


def normalise(text: str) -> str:
    """The comparison form of question text and names."""
    text = ascii_digits(squash(text)).translate(_QUOTES)
    text = canon_brackets(text).replace("（", "(").replace("）", ")")
    return text


def name_form(name: str) -> str:
    return _CATEGORY.sub("", normalise(name))


@dataclass
class Entity:
    iri: str
    name: str
    kind: str  # unit | project | document | report
    forms: set[str] = field(default_factory=set)
    unit: str | None = None  # for projects: unit name; for reports: unit name
    year: int | None = None
    report: str | None = None
    report_kind: str | None = None


@dataclass
class Mention:
    entity: Entity
    form: str
    start: int
    end: int


class Lexicon:
    def __init__(self) -> None:
        self.units: dict[str, Entity] = {}
        self.projects: dict[str, Entity] = {}
        self.documents: dict[str, Entity] = {}
        self.reports: dict[str, Entity] = {}

    @classmethod
    def from_store(cls, store: GraphStore) -> "Lexicon":
        lex = cls()
        for row in store.query("""
            SELECT DISTINCT ?u ?name ?alias WHERE {
              ?u a bkg:Unit ; skos:prefLabel ?name . OPTIONAL { ?u skos:altLabel ?alias } }""").rows:
            entity = lex.units.setdefault(row["u"], Entity(row["u"], row["name"], "unit"))
            entity.forms |= _unit_forms(row["name"])
            if row.get("alias"):
                entity.forms |= _unit_forms(row["alias"])
        for row in store.query("""
            SELECT DISTINCT ?r ?unitName ?year ?kind WHERE {
              ?r a bkg:Report ; bkg:organization ?u . ?u skos:prefLabel ?unitName .
              OPTIONAL { ?r bkg:fiscalYear ?year } OPTIONAL { ?r bkg:reportKind ?kind } }""").rows:
            lex.reports[row["r"]] = Entity(row["r"], row["unitName"], "report", unit=row["unitName"],
                                           year=row.get("year"), report_kind=row.get("kind"))
        for row in store.query("""
            SELECT DISTINCT ?p ?name ?printed ?r WHERE {
              ?p a bkg:Project ; rdfs:label ?name ; bkg:inReport ?r . OPTIONAL { ?p bkg:printedName ?printed } }""").rows:
            report = lex.reports.get(row["r"])
            entity = lex.projects.setdefault(row["p"], Entity(
                row["p"], row["name"], "project", unit=report.unit if report else None,
                year=report.year if report else None, report=row["r"],
                report_kind=report.report_kind if report else None))
            entity.forms.add(name_form(row["name"]))
            if row.get("printed"):
                entity.forms.add(name_form(row["printed"]))
        for row in store.query("""
            SELECT DISTINCT ?d ?label ?title WHERE {
              ?d a bkg:PolicyDocument ; rdfs:label ?label . OPTIONAL { ?d dcterms:title ?title } }""").rows:
            entity = lex.documents.setdefault(row["d"], Entity(row["d"], row["label"], "document"))
            entity.forms.add(normalise(row["label"]))
            if row.get("title"):
                entity.forms.add(normalise(row["title"]))
        return lex

    def years(self) -> set[int]:
        return {r.year for r in self.reports.values() if r.year}

    def find(self, question: str, kind: str) -> list[Mention]:
        """Mentions of entities of ``kind`` in the normalised question, longest first, not overlapping."""
        text = normalise(question)
        pool = {"unit": self.units, "project": self.projects, "document": self.documents}[kind]
        found: list[Mention] = []
        for entity in pool.values():
            for form in entity.forms:
                if len(form) < 2:
                    continue
                start = text.find(form)
                while start >= 0:
                    found.append(Mention(entity, form, start, start + len(form)))
                    start = text.find(form, start + 1)
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        chosen: list[Mention] = []
        for mention in found:
            if any(c.entity.iri == mention.entity.iri for c in chosen):
                continue
            overlapping = [c for c in chosen if not (mention.end <= c.start or mention.start >= c.end)]
            if overlapping and not all((c.start, c.end) == (mention.start, mention.end) for c in overlapping):
                continue  # inside a longer name already found
            chosen.append(mention)  # same span as another entity: an ambiguous name
        return chosen


def _unit_forms(name: str) -> set[str]:
    """A unit's name, its normalised full form and its common short forms."""
    forms = {normalise(name), normalise(normalise_unit(name))}
    full = normalise_unit(name)
    for short, long in ABBREVIATIONS.items():
        if full.endswith(long):
            forms.add(normalise(full[: -len(long)] + short))
    return {f for f in forms if f}
