"""Identity of real reports from every region, read from the document under neutral file names.

The corpus fixtures (tests/fixtures/corpus/docNN.pdf) carry no hint of their identity in
their names; EXPECTED.tsv holds the identity as printed, written by the people who
collected the corpus (not derived from the parser).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.errors import InputFileError
from kg.extract import extract

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
ROWS = list(csv.DictReader((CORPUS / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"))
REPORTS = [r for r in ROWS if not r["bad"]]
BAD = [r for r in ROWS if r["bad"] and r["bad"] != "duplicate"]


@pytest.fixture(scope="module")
def extracted():
    return {}


def _extract(cache: dict, name: str):
    if name not in cache:
        cache[name] = extract(CORPUS / name)
    return cache[name]


@pytest.mark.slow
@pytest.mark.parametrize("row", REPORTS, ids=[r["neutral file"] for r in REPORTS])
def test_identity_is_read_from_the_document(row, extracted):
    report = _extract(extracted, row["neutral file"])
    assert (report.unit, report.summary or "", report.year, report.kind, report.scope) == \
        (row["unit"], row["summary"], int(row["year"]), row["kind"], row["scope"])
    for key in ("unit", "year", "kind", "scope"):
        assert report.identity[key].rule, key  # every field says how it was found


@pytest.mark.slow
@pytest.mark.parametrize("row", BAD, ids=[r["neutral file"] for r in BAD])
def test_files_that_are_not_reports_are_refused_with_one_line(row):
    with pytest.raises(InputFileError) as err:
        extract(CORPUS / row["neutral file"])
    message = str(err.value)
    assert "\n" not in message
    says = {"html": "网页", "scanned": "扫描", "notbudget": "这是"}[row["bad"]]
    assert says in message, message  # the line says what the file is, not just that it failed
