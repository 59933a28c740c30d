"""What the corpus contains, as names a question or a trace can mention.

Built from the graph with a few SPARQL queries: units (with aliases and short forms),
projects (labels and printed names), policy documents (numbers and titles), reports
(unit, year, kind). Matching is on a normalised form: no blanks, no quotes, canonical
brackets, full-width digits folded, Shanxi category prefixes ignored.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from kg.errors import EntityNotFound
from kg.extract.names import ABBREVIATIONS, normalise_unit
from kg.extract.normalize import ascii_digits, canon_brackets, squash
from kg.graph.store import GraphStore

_QUOTES = str.maketrans({"“": "", "”": "", "\"": "", "'": "", "‘": "", "’": "", "《": "", "》": "",
                         "「": "", "」": "", "『": "", "』": ""})
_CATEGORY = re.compile(r"^(QT|XM|J|Z)(?=[\u4e00-\u9fff0-9])")


_ALL_BRACKETS = str.maketrans({"（": "〔", "）": "〕", "(": "〔", ")": "〕"})


def normalise(text: str) -> str:
    """The comparison form of question text and names: one bracket style, no quotes or blanks."""
    text = ascii_digits(squash(text)).translate(_QUOTES)
    return canon_brackets(text).translate(_ALL_BRACKETS)


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
    implementer: str | None = None  # for projects: the 实施单位 when the report names one
    scope: str | None = None  # for reports: 部门 or 单位
    amount_unit: str | None = None  # for reports: the unit their tables print money in (元 or 万元)


@dataclass
class Mention:
    entity: Entity
    form: str
    start: int
    end: int


ALL_LINE_NAMES = "SELECT DISTINCT ?line_name WHERE { ?obs bkg:lineName ?line_name }"  # every line is a table's


class Lexicon:
    def __init__(self) -> None:
        self.units: dict[str, Entity] = {}
        self.projects: dict[str, Entity] = {}
        self.documents: dict[str, Entity] = {}
        self.reports: dict[str, Entity] = {}
        # the printed names of every line of the reports' tables (one scan of the graph: 4 s at 10,000
        # reports, too slow for each asker to repeat); None: not listed (a lexicon made by hand)
        self.line_names: frozenset[str] | None = None
        self._form_index: dict[str, tuple] = {}  # kind → (entities then, form → [(position, entity)], longest)

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
        lex._weak_unit_forms()
        for row in store.query("""
            SELECT DISTINCT ?r ?unitName ?year ?kind ?scope ?money WHERE {
              ?r a bkg:Report ; bkg:organization ?u . ?u skos:prefLabel ?unitName .
              OPTIONAL { ?r bkg:fiscalYear ?year } OPTIONAL { ?r bkg:reportKind ?kind }
              OPTIONAL { ?r bkg:reportScope ?scope } OPTIONAL { ?r bkg:amountUnit ?money } }""").rows:
            lex.reports[row["r"]] = Entity(row["r"], row["unitName"], "report", unit=row["unitName"],
                                           year=row.get("year"), report_kind=row.get("kind"), scope=row.get("scope"),
                                           amount_unit=row.get("money"))
        for row in store.query("""
            SELECT DISTINCT ?p ?name ?printed ?r ?implementer WHERE {
              ?p a bkg:Project ; rdfs:label ?name ; bkg:inReport ?r . OPTIONAL { ?p bkg:printedName ?printed }
              OPTIONAL { ?p bkg:implementingUnit/skos:prefLabel ?implementer } }""").rows:
            report = lex.reports.get(row["r"])
            entity = lex.projects.setdefault(row["p"], Entity(
                row["p"], row["name"], "project", unit=report.unit if report else None,
                year=report.year if report else None, report=row["r"],
                report_kind=report.report_kind if report else None, implementer=row.get("implementer")))
            entity.forms |= _project_forms(row["name"])
            if row.get("printed"):
                entity.forms |= _project_forms(row["printed"])
        for row in store.query("""
            SELECT DISTINCT ?d ?label ?title WHERE {
              ?d a bkg:PolicyDocument ; rdfs:label ?label . OPTIONAL { ?d dcterms:title ?title } }""").rows:
            entity = lex.documents.setdefault(row["d"], Entity(row["d"], row["label"], "document"))
            entity.forms.add(normalise(row["label"]))
            if row.get("title"):
                entity.forms.add(normalise(row["title"]))
        lex.line_names = frozenset(row["line_name"] for row in store.query(ALL_LINE_NAMES).rows)
        return lex

    _FIELDS = ("iri", "name", "kind", "unit", "year", "report", "report_kind", "implementer", "scope", "amount_unit")
    _POOLS = {"unit": "units", "report": "reports", "project": "projects", "document": "documents"}

    def to_rows(self) -> dict[str, list]:
        """Every entity as a row of plain values (its fields, then its forms sorted), by kind, in
        the lexicon's order, and the line names sorted: what ``from_rows`` makes the same lexicon from."""
        rows: dict[str, list] = {kind: [[getattr(e, f) for f in self._FIELDS] + [sorted(e.forms)]
                                        for e in getattr(self, pool).values()] for kind, pool in self._POOLS.items()}
        if self.line_names is not None:
            rows["lines"] = sorted(self.line_names)
        return rows

    @classmethod
    def from_rows(cls, rows: dict[str, list]) -> "Lexicon":
        """The lexicon ``to_rows`` wrote (no query, no form computed again)."""
        lex = cls()
        for kind, pool in cls._POOLS.items():
            entities = getattr(lex, pool)
            for row in rows[kind]:
                entity = Entity(**dict(zip(cls._FIELDS, row[:-1])), forms=set(row[-1]))
                entities[entity.iri] = entity
        if "lines" in rows:
            lex.line_names = frozenset(rows["lines"])
        return lex

    def _weak_unit_forms(self) -> None:
        """Short forms without the region (执法队, 服务中心, 人社局); shared ones stay ambiguous."""
        for entity in self.units.values():
            for part in name_parts(entity.name):
                entity.forms |= _short_unit_forms(part)
        self._form_index.pop("unit", None)

    def partial_projects(self, text: str, scope_units: set[str] | None = None, most: int = 3) -> list[Entity]:
        """Projects named by a fragment (第一书记 → the two 第一书记 projects), longest fragment first.

        Only fragments of four or more Chinese characters that name one to ``most`` projects count."""
        text = normalise(text)
        pool = self.projects_of(scope_units, implementers=False) if scope_units else None
        for size in range(min(len(text), 12), 3, -1):
            for start in range(0, len(text) - size + 1):
                fragment = text[start:start + size]
                if not re.fullmatch(r"[\u4e00-\u9fff]+", fragment):
                    continue
                candidates = pool if pool is not None else self._projects_holding(fragment)
                found = [p for p in candidates if any(fragment in form for form in p.forms)]
                if 1 <= len({p.name for p in found}) <= most:
                    return found
        return []

    def projects_named_with(self, word: str, scope_units: set[str] | None = None) -> list[Entity]:
        """Every project (in the reports of ``scope_units`` when given) one of whose names holds
        ``word`` (名称带“老区”的项目, “提前下达2026年……”项目), in the lexicon's order; unlike
        ``partial_projects``, a word of two characters counts and digits may be part of it."""
        word = normalise(word)
        if len(word) < 2:
            return []
        pool = self.projects_of(scope_units, implementers=False) if scope_units else self._projects_holding(word)
        return [p for p in pool if any(word in form for form in p.forms)]

    # -- indexes made once per set of entities: a question's cost follows the question, not the corpus
    def _cached(self, name: str, pool: dict, build):
        """``build()``, made once and again when ``pool`` gained or lost entities."""
        key = (id(pool), len(pool))
        cached = self._form_index.get(name)
        if cached is None or cached[0] != key:
            cached = self._form_index[name] = (key, build())
        return cached[1]

    def projects_of(self, units, implementers: bool = True) -> list[Entity]:
        """The projects of the units named in ``units`` — in their reports, or (``implementers``)
        carried out by them (实施单位) — in the lexicon's order."""
        def build():
            by_unit: dict[str | None, list[int]] = {}
            by_implementer: dict[str | None, list[int]] = {}
            for position, entity in enumerate(self.projects.values()):
                by_unit.setdefault(entity.unit, []).append(position)
                by_implementer.setdefault(entity.implementer, []).append(position)
            return list(self.projects.values()), by_unit, by_implementer

        entities, by_unit, by_implementer = self._cached("projects_of", self.projects, build)
        positions: set[int] = set()
        for name in units:
            positions.update(by_unit.get(name, ()))
            if implementers:
                positions.update(by_implementer.get(name, ()))
        return [entities[i] for i in sorted(positions)]

    def projects_named(self, name: str) -> list[Entity]:
        """The projects whose name is ``name``, in the lexicon's order."""
        def build():
            named: dict[str, list[Entity]] = {}
            for entity in self.projects.values():
                named.setdefault(entity.name, []).append(entity)
            return named

        return list(self._cached("projects_named", self.projects, build).get(name, ()))

    def _projects_holding(self, fragment: str) -> list[Entity]:
        """The projects with a form that may hold ``fragment`` (two characters or more): those
        whose forms hold its rarest pair of adjacent characters, in the lexicon's order."""
        def build():
            pairs: dict[str, array] = {}
            for position, entity in enumerate(self.projects.values()):
                for pair in {form[i:i + 2] for form in entity.forms for i in range(len(form) - 1)}:
                    pairs.setdefault(pair, array("l")).append(position)
            return list(self.projects.values()), pairs

        entities, pairs = self._cached("project_pairs", self.projects, build)
        postings = [pairs.get(fragment[i:i + 2], ()) for i in range(len(fragment) - 1)]
        return [entities[i] for i in min(postings, key=len)] if postings else list(entities)

    def units_by_name(self) -> dict[str, Entity]:
        """Units by name (of two with one name, the later)."""
        return self._cached("units_by_name", self.units, lambda: {e.name: e for e in self.units.values()})

    def named_after(self, name: str) -> list[tuple[Entity, str]]:
        """Units whose name extends ``name`` (…管理局福田分局 of …管理局), each with the rest of its
        name, compared normalised (names normalised once per set of units)."""
        own = normalise(name)
        ordered = self._cached("units_normalised", self.units, self._normalised_units)
        found = []
        for at in range(bisect_left(ordered, (own,)), len(ordered)):  # names starting with ``own`` sort together
            full, position, entity = ordered[at]
            if not full.startswith(own):
                break
            if full != own:
                found.append((position, entity, full[len(own):]))
        return [(entity, rest) for _, entity, rest in sorted(found, key=lambda item: item[0])]

    def _normalised_units(self) -> list[tuple[str, int, Entity]]:
        """(normalised name, position in ``units_by_name``, unit), sorted by name for prefix search."""
        return sorted(((normalise(e.name), i, e) for i, e in enumerate(self.units_by_name().values())),
                      key=lambda item: item[:2])

    def years(self) -> set[int]:
        return set(self._cached("years", self.reports, lambda: {r.year for r in self.reports.values() if r.year}))

    def publishers(self) -> frozenset[str]:
        """Names of the units that published reports (not the 预算单位 named inside them)."""
        return self._cached("publishers", self.reports, lambda: frozenset(r.unit for r in self.reports.values()))

    def unit_names(self) -> list[str]:
        """Names of the units that published reports, sorted."""
        return list(self._cached("unit_names", self.reports, lambda: tuple(sorted(self.publishers()))))

    def unit_iris(self, name: str) -> list[str]:
        """IRIs of the units ``name`` refers to (full name or short form)."""
        mentions = self.find(name, "unit")
        if not mentions:
            known = self.unit_names()
            raise EntityNotFound(f"语料库中没有单位“{name}”；现有单位：{'、'.join(known)}", known)
        return [m.entity.iri for m in mentions]

    def find(self, question: str, kind: str) -> list[Mention]:
        """Mentions of entities of ``kind`` in the normalised question, longest first, not overlapping.

        Projects are also looked for with 的 taken out of the question (吕梁山护工培训基地的租赁费)."""
        found = self._find(normalise(question), kind)
        if kind == "project" and not found and "的" in question:
            text = normalise(question)
            keep = [i for i, ch in enumerate(text) if ch != "的"]
            squeezed = "".join(text[i] for i in keep)
            for mention in self._find(squeezed, kind):
                start, end = keep[mention.start], keep[mention.end - 1] + 1
                found.append(Mention(mention.entity, mention.form, start, end))
        return found

    def find_abbreviated(self, question: str) -> list[Mention]:
        """A unit named by an abbreviation people coin from its name: 安监局 (安全生产监督管理局),
        医保局, 人社局, 卫健委, 刑科院, 社保基金管理局, 省检察院 (江苏省人民检察院). The characters
        of the short form appear in order in the name after its place, with the same kind of body
        at the end (局, 委, 院 …) and the same first character or a tail of the name; a place
        before it (西安市, 西安, 省) must be the unit's. Only a form that names one unit counts; each
        abbreviation of a list (江苏省检察院2019年、上海刑科院2026年) is found, longest span first."""
        text = normalise(question)
        found: list[Mention] = []
        for match in _ABBREVIATED.finditer(text):
            best: Mention | None = None
            for start in range(match.start(), match.end() - 2):
                span = text[start:match.end()]
                placed = start == 0 or not re.match(r"[\u4e00-\u9fff]", text[start - 1])
                hits = base_units([e for e in self._abbreviation_candidates(span)
                                   if any(_abbreviates(span, part, placed) for part in name_parts(e.name))])
                if len(hits) == 1 and (best is None or len(span) > best.end - best.start):
                    best = Mention(hits[0], span, start, match.end())
            if best and all(best.entity.iri != m.entity.iri for m in found):
                found.append(best)
        return sorted(found, key=lambda m: m.start - m.end)

    def _forms(self, kind: str) -> tuple[dict[str, list[tuple[int, Entity]]], int]:
        """Every form of the entities of ``kind`` (two characters or more) → (position, entity),
        and the longest form's length: made once, again when entities were added or removed."""
        pool = {"unit": self.units, "project": self.projects, "document": self.documents}[kind]
        cached = self._form_index.get(kind)
        if cached is not None and cached[0] == (id(pool), len(pool)):
            return cached[1], cached[2]
        index: dict[str, list[tuple[int, Entity]]] = {}
        for position, entity in enumerate(pool.values()):
            for form in entity.forms:
                if len(form) >= 2:
                    index.setdefault(form, []).append((position, entity))
        longest = max(map(len, index), default=0)
        self._form_index[kind] = ((id(pool), len(pool)), index, longest)
        return index, longest

    def _abbreviation_candidates(self, span: str) -> list[Entity]:
        """The units ``span`` may abbreviate, in order: those whose name ends with the same kind of
        body (局, 委, 院 …) and holds the last character of the span's head (what ``_abbreviates``
        asks of every unit it accepts), from an index made once per set of units."""
        ours = _body(span)
        if not ours or not ours[0]:
            return []
        key = (id(self.units), len(self.units))
        cached = self._form_index.get("abbreviated")
        if cached is None or cached[0] != key:
            index: dict[tuple[str, str], dict[str, Entity]] = {}  # by IRI: comparing entities was quadratic
            for entity in self.units.values():
                for part in name_parts(entity.name):
                    theirs = _body(_without_place(part)[2])
                    for char in set(theirs[0]) if theirs else ():
                        index.setdefault((theirs[1], char), {}).setdefault(entity.iri, entity)
            cached = self._form_index["abbreviated"] = (key, index)
        return list(cached[1].get((ours[1], ours[0][-1]), {}).values())

    def _find(self, text: str, kind: str) -> list[Mention]:
        # each substring of the text looked up among the forms: the cost follows the text, not the corpus
        index, longest = self._forms(kind)
        found: list[tuple[int, int, int, Mention]] = []
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + longest) + 1):
                for position, entity in index.get(text[start:end], ()):
                    found.append((start - end, start, position, Mention(entity, text[start:end], start, end)))
        found.sort(key=lambda item: item[:3])
        found = [item[3] for item in found]
        chosen: list[Mention] = []
        for mention in found:
            if any(c.entity.iri == mention.entity.iri for c in chosen):
                continue
            overlapping = [c for c in chosen if not (mention.end <= c.start or mention.start >= c.end)]
            if overlapping and not all((c.start, c.end) == (mention.start, mention.end) for c in overlapping):
                continue  # inside a longer name already found
            chosen.append(mention)  # same span as another entity: an ambiguous name
        return chosen


_BODY = {"委员会": "委", "办公室": "办", "局": "局", "厅": "厅", "委": "委", "院": "院", "中心": "中心", "办": "办",
         "支队": "支队", "总队": "总队"}
_ABBREVIATED = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:委员会|办公室|支队|总队|中心|局|厅|委|院|办)")


def _body(name: str) -> tuple[str, str] | None:
    for long in sorted(_BODY, key=len, reverse=True):
        if name.endswith(long):
            return name[: -len(long)], _BODY[long]
    return None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _abbreviates(span: str, name: str, bounded: bool) -> bool:
    """Whether ``span`` is a coined short form of unit ``name``; inside a run of other characters
    (``…基金管理局``) only with the unit's place in front."""
    _, region, rest = _without_place(name)
    places = [p for p in (region.province, region.city, region.county) if p]
    places += [p[:-1] for p in places if len(p) >= 3]
    short = span
    for place in sorted(places, key=len, reverse=True) + ["省", "市"]:
        if short.startswith(place):
            if place in ("省", "市") and not (region.province if place == "省" else region.city) or \
                    place == "省" and region.city:
                return False
            short = short[len(place):]
            bounded = True
            break
    if not bounded:
        return False
    ours, theirs = _body(short), _body(rest)
    if not ours or not theirs or ours[1] != theirs[1] or len(ours[0]) < 1 or short == rest:
        return False
    head, body = ours[0], theirs[0]
    if not head or not body or len(head) >= len(body):
        return False
    return _subsequence(head, body) and (head[0] == body[0] or body.endswith(head))


_DOC_SUFFIX = re.compile(r"[\u4e00-\u9fff]{1,8}〔(?:19|20)\d{2}〕\d+号$")


def _project_forms(name: str) -> set[str]:
    """A project's name and the shorter spellings people use (without the leading year, a trailing 文号
    or 年初预算)."""
    form = name_form(name)
    forms = {form}
    without_year = re.sub(r"^(?:19|20)\d{2}年", "", form)
    if without_year != form and len(without_year) >= 6:
        forms.add(without_year)
    stripped = _DOC_SUFFIX.sub("", form)
    if len(stripped) >= 4:
        forms.add(stripped)
    for suffix in ("年初预算",):
        if stripped.endswith(suffix) and len(stripped) - len(suffix) >= 6:
            forms.add(stripped[: -len(suffix)])
    unnoted = _TRAILING_NOTE.sub("", stripped)  # 警务辅助人员经费（含市府机关大院30名）: the name without its note
    if unnoted != stripped and len(unnoted) >= 4:
        forms.add(unnoted)
    placed = _LEADING_PLACE.match(form)  # 重庆市水利专项资金 said 重庆水利专项资金
    if placed and placed.group(0) in _region_names():
        forms.add(placed.group("bare") + form[placed.end():])
    return forms


_LEADING_PLACE = re.compile(r"(?P<bare>[\u4e00-\u9fff]{2,3})[市省](?=[\u4e00-\u9fff]{4})")


@lru_cache(maxsize=1)
def _region_names() -> frozenset[str]:
    from kg.extract.names import _divisions

    return frozenset(_divisions()[1])


_TRAILING_NOTE = re.compile(r"[〔(（](?:含|包含|包括|不含)[^〔〕()（）]{1,30}[〕)）]$")  # a note of what it covers


_QUALIFIED = re.compile(r"^(?P<base>.+?)[（(](?:本级|机关|汇总)[）)]$")


def base_name(name: str) -> str:
    """A unit's name without a trailing （本级）/（机关）/（汇总）."""
    match = _QUALIFIED.match(name)
    return match.group("base") if match else name


def base_units(entities: list[Entity], qualified: bool = False) -> list[Entity]:
    """Units that differ only by a qualifier (无锡市教育局 and 无锡市教育局（本级）) count as one, the
    department; when ``qualified`` (the question says 本级) both stay, and the report scope decides."""
    names = {e.name for e in entities}
    return [e for e in entities if qualified or base_name(e.name) == e.name or base_name(e.name) not in names]


@lru_cache(maxsize=4096)
def _without_place(name: str):
    """(full name, its region, the name after its province/city/county); cached, since every
    abbreviation check of every question asks it for every unit."""
    from kg.extract.names import resolve_region

    full = normalise_unit(name)
    region = resolve_region(full)
    rest = full
    for part in (region.province, region.city, region.county):
        if part and rest.startswith(part):
            rest = rest[len(part):]
    return full, region, rest


def _short_unit_forms(name: str) -> set[str]:
    """'大同市劳动保障监察综合行政执法队' → {'劳动保障监察综合行政执法队', '执法队', …}."""
    import jieba

    from kg.jieba_dict import load_default_dictionary

    load_default_dictionary()
    full, region, rest = _without_place(name)
    forms = set()
    if rest != full and len(rest) >= 3:
        variants = [rest] + [short_place + rest for short_place in _bare_places(region)]
        for variant in variants:
            forms.add(normalise(variant))
            for short, long in ABBREVIATIONS.items():
                if variant.endswith(long):
                    forms.add(normalise(variant[: -len(long)] + short))
        for short_place in _bare_places(region):  # 长沙公安, 深圳人社: a bureau named by its place and trade
            for variant in {short_place + rest} | {short_place + rest[: -len(long)] + short
                                                   for short, long in ABBREVIATIONS.items() if rest.endswith(long)}:
                if variant.endswith("局") and not variant.endswith("分局") and len(variant) - len(short_place) >= 3:
                    forms.add(normalise(variant[:-1]))
    words = jieba.lcut(rest)
    if len(words) >= 2:
        tail = "".join(words[-2:])
        if 3 <= len(tail) < len(rest):
            forms.add(normalise(tail))
    return forms


def _bare_places(region) -> list[str]:
    """'汾阳市' → '汾阳', '通城县' → '通城', and for a unit of a province-level city or a province
    itself '重庆市' → '重庆', '江苏省' → '江苏': how people name places in speech."""
    for place in (region.county, region.city, region.province):
        if place and len(place) >= 3 and place[-1] in "市县区省":
            return [place[:-1]]
    return []


_ALIASED = re.compile(r"(.{3,}?)[（(]([\u4e00-\u9fff]{3,}[^）)]*)[）)]")


def name_parts(name: str) -> list[str]:
    """A unit printed with its other name in brackets (上海市财务会计综合管理事务中心（上海市财政科学
    研究所）) is known by each name alone: both, else the name itself."""
    named = _ALIASED.fullmatch(name.strip())
    return [named.group(1), named.group(2)] if named else [name]


def _unit_forms(name: str) -> set[str]:
    """A unit's name, its normalised full form and its common short forms."""
    forms = {normalise(name), normalise(normalise_unit(name))}
    forms |= {normalise(part) for part in name_parts(name)}  # 上海市财务会计综合管理事务中心（上海市财政科学研究所）
    full = normalise_unit(name)
    for short, long in ABBREVIATIONS.items():
        if full.endswith(long):
            forms.add(normalise(full[: -len(long)] + short))
    return {f for f in forms if f}
