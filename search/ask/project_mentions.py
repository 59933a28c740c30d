"""Which of the lexicon's projects a question names: the projects of the named units and years, the
one a question says another sits in, and projects named by quoted words — a part found only in other
units' reports, or a long name printed after a code or a prefix. Used by ``parser.parse``."""
from __future__ import annotations

import re

from kg.graph.entities import Entity, Lexicon, normalise
from search.ask.intent import Intent

_ANY_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{4,40})[”\"」』]")


def narrow_projects(projects: list[Entity], intent: Intent) -> list[Entity]:
    """Keep the projects of the named units/years when the question names them."""
    if intent.units:
        names = {u.name for u in intent.units}
        narrowed = [p for p in projects if p.unit in names]
        projects = narrowed or projects
    if intent.years:
        narrowed = [p for p in projects if p.year in intent.years]
        projects = narrowed or projects
    return projects


def inside_named(text: str, projects: list[Entity]) -> list[Entity]:
    """教育费附加项目中，世界技能大赛培育专项安排了多少: of two named projects, the one the other is
    said to sit in is where the asked one is, not a project asked about."""
    if len(projects) < 2:
        return projects
    at = {p.iri: text.find(normalise(p.name)) for p in projects}
    kept = []
    for project in projects:
        start = at[project.iri]
        end = start + len(normalise(project.name))
        holds = start >= 0 and re.match(r"(?:项目)?(?:中|里|下|当中|之中|下面)[，,]?", text[end:]) and \
            any(at[other.iri] >= end for other in projects if other.iri != project.iri)
        if not holds:
            kept.append(project)
    return kept or projects


def of_named_units(question: str, lexicon: Lexicon, units: set[str]) -> list[Entity]:
    """A project name found only in other units' reports (改造项目) while the question names a unit:
    the unit's projects named by the question's quoted words (基础设施改造项目（中学）), the one
    whose name holds all of them first."""
    quoted = _ANY_QUOTED.search(question)
    if not quoted:
        return []
    words = normalise(quoted.group(1))
    found = lexicon.partial_projects(words, units, most=5)
    return [p for p in found if any(words in form for form in p.forms)] or found


def quoted_in_full(question: str, lexicon: Lexicon, units: set[str]) -> list[Entity]:
    """A long quoted name (eight characters or more) that a named unit's project names hold whole,
    printed after a code or a prefix (“改善基本办学条件专项-设备资料购置项目（中学）” in
    236-中央高校改善…): those projects, at most five; none for short quoted words (“提前下达”)."""
    quoted = _ANY_QUOTED.search(question)
    if not quoted or len(normalise(quoted.group(1))) < 8:
        return []
    bare = unseparated(normalise(quoted.group(1)))
    return [p for p in lexicon.projects_of(units)
            if any(bare in unseparated(form) for form in p.forms)][:5]


def unseparated(name: str) -> str:
    """A name without blanks and the dashes between its parts (236-中央高校…-设备… → 236中央高校…设备…)."""
    return re.sub(r"[\s\-—－_]", "", name)
