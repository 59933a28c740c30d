"""Constructed lexicons for parser-level tests: units known by their printed names."""
from __future__ import annotations

from kg.graph.entities import Entity, Lexicon, normalise


def units_lexicon(*names: str) -> Lexicon:
    """A lexicon holding only the units ``names``, each known by its name."""
    lexicon = Lexicon()
    for i, name in enumerate(names, start=1):
        lexicon.units[f"u{i}"] = Entity(f"u{i}", name, "unit", forms={normalise(name)})
    return lexicon
