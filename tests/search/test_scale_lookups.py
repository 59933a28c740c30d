"""Look-ups that answer from an index instead of a pass over every passage give what the pass gave:
PassageIndex.mentions (keyword-token pairs, then LIKE over those passages only) and
PassageIndex.facet_values (one index seek per value)."""
from __future__ import annotations

import random
import re


def _like(index, fragment: str) -> bool:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return index.conn.execute("SELECT 1 FROM passages WHERE text LIKE ? ESCAPE '\\' LIMIT 1",
                              (f"%{escaped}%",)).fetchone() is not None


def test_mentions_finds_what_a_scan_of_every_text_finds(corpus):
    index = corpus.passages
    rng = random.Random(7)
    texts = [t for (t,) in index.conn.execute("SELECT text FROM passages ORDER BY id LIMIT 300")]
    fragments = []
    for text in texts:
        for run in re.findall(r"[\u4e00-\u9fff]{3,}", text)[:3]:
            start = rng.randrange(len(run) - 1)
            fragments.append(run[start:start + rng.randint(2, 9)])
    fragments += [f[::-1] for f in fragments[:200]]  # mostly absent
    fragments += ["杭州市教育局", "第一", "〔2019〕", "三公经费", "2026年", "ab", "号"]
    assert len(fragments) > 300
    found = [f for f in fragments if _like(index, f)]
    assert 100 < len(found) < len(fragments)
    assert [f for f in fragments if index.mentions(f)] == found


def test_facet_values_are_the_distinct_pairs(corpus):
    index = corpus.passages
    keys = ("province", "city", "county")
    distinct = index.conn.execute(
        "SELECT DISTINCT key, value FROM facets WHERE key IN ('province', 'city', 'county')").fetchall()
    assert distinct and index.facet_values(keys) == distinct
    assert index.facet_values(["year"]) == sorted(set(index.conn.execute(
        "SELECT key, value FROM facets WHERE key = 'year'").fetchall()))
