"""Places and units named in a question that the corpus does not hold: the refusals' evidence."""
from __future__ import annotations

import re
import weakref

from kg.graph.entities import Lexicon, normalise


ORGANISATION = re.compile(r"[\u4e00-\u9fff]{0,12}?(?:委员会|局|厅|委|院|中心|办公室|大学|学院|学校|馆|支队|总队|观象台|气象台|研究所|环保所)")


def organisations_named(text: str) -> list[tuple[str, str]]:
    """The organisations ``text`` names after a place (杭州市教育局, 重庆水利电力职业技术学院), each as
    (place + name, place); a group of units (深圳各区社保分局) is none."""
    named = []
    for place, start in places(text):
        match = ORGANISATION.match(text, start + len(place))
        if match and "各" not in match.group(0):
            named.append((place + match.group(0), place))
    return named


def places(text: str) -> list[tuple[str, int]]:
    """Provinces, cities and counties named in ``text`` (with or without 省/市/区/县), longest first."""
    from kg.extract.names import _divisions

    _, by_name = _divisions()
    found, taken = [], set()
    for size in range(6, 1, -1):
        for start in range(0, max(len(text) - size + 1, 0)):
            word = text[start:start + size]
            full = word in by_name and word[-1] in "省市县区"
            bare = size >= 2 and any(word + s in by_name for s in "市省") and word not in ("中国", "国家")
            if (full or bare) and not taken & set(range(start, start + size)):
                found.append((word, start))
                taken |= set(range(start, start + size))
    return found


_KNOWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # lexicon → (reports, the names of their units and places)


def unknown_place(question: str, lexicon: Lexicon) -> str | None:
    """A province/city/county named in the question that no report in the corpus belongs to."""
    from kg.extract.names import _divisions

    _, by_name = _divisions()
    from kg.extract.names import resolve_region

    text = normalise(question)
    cached = _KNOWN.get(lexicon)
    if cached is None or cached[0] != len(lexicon.reports):
        units = {r.unit for r in lexicon.reports.values()}
        regions = [resolve_region(u) for u in units]
        known = " ".join(units) + " " + " ".join(p for r in regions for p in (r.province, r.city, r.county) if p)
        _KNOWN[lexicon] = cached = (len(lexicon.reports), known)
    known = cached[1]
    for size in range(6, 1, -1):
        for start in range(0, max(len(text) - size + 1, 0)):
            word = text[start:start + size]
            if word in by_name and word[-1] in "省市县区旗州" and word not in known:
                return word
    return None
