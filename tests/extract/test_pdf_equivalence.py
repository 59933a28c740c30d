"""A report read from its PDF is the same report as read from its text export.

Everything must be equal except where things are (pages, text-export line numbers) and
the source file description: ``strip_locations`` removes those keys before comparing.
"""
from __future__ import annotations

import pytest

from kg.extract import extract
from tests.conftest import FIXTURES, SEEDS

LOCATION_KEYS = frozenset({"page", "page_end", "line", "pages", "source", "row_pages", "row_lines"})


def strip_locations(value, keys=LOCATION_KEYS):
    """``value`` (a ``to_dict()`` tree) without the location keys, recursively."""
    if isinstance(value, dict):
        return {k: strip_locations(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [strip_locations(v, keys) for v in value]
    return value


def differences(a, b, path: str = ""):
    """(path, a, b) for every place two JSON-like trees differ."""
    if type(a) is not type(b):
        yield path, a, b
    elif isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}/{key}", a.get(key, "<missing>"), b.get(key, "<missing>")
            else:
                yield from differences(a[key], b[key], f"{path}/{key}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{path} (length)", len(a), len(b)
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield path, a, b


def test_strip_locations():
    tree = {"page": 3, "name": "x", "lines": [{"line": 4, "value": 1, "source": {"path": "p"}}], "pages": [1]}
    assert strip_locations(tree) == {"name": "x", "lines": [{"value": 1}]}


@pytest.fixture(scope="module")
def pdf_reports():
    """The five seed PDFs extracted once, by stem."""
    return {path.stem: extract(FIXTURES / "pdf" / f"{path.stem}.pdf") for path in SEEDS}


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_pdf_and_text_export_give_the_same_report(stem, seed_reports, pdf_reports):
    from_text = strip_locations(seed_reports[stem].to_dict())
    from_pdf = strip_locations(pdf_reports[stem].to_dict())
    found = list(differences(from_text, from_pdf))
    assert not found, "\n".join(f"{p}: text={a!r} pdf={b!r}" for p, a, b in found[:20])


@pytest.mark.parametrize("stem", [p.stem for p in SEEDS])
def test_pdf_report_pages_are_physical(stem, pdf_reports):
    report = pdf_reports[stem].to_dict()
    assert report["source"]["format"] == "pdf" and report["source"]["page_basis"] == "physical"
    pages = report["source"]["pages"]
    found = []

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("page"), int):
                found.append(value["page"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(report)
    assert found and all(1 <= p <= pages for p in found)
