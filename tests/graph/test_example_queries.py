"""Every example query in docs/queries runs on the seeds and returns the right rows."""
from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from kg.graph.builder import build_graphs
from kg.graph.store import open_store

QUERIES = Path(__file__).resolve().parents[2] / "docs" / "queries"


def load(store, reports) -> None:
    for report in reports:
        iri, graph, shared = build_graphs(report)
        store.replace(str(iri), graph)
        store.merge_all(shared)


@pytest.fixture(scope="module")
def store(seed_reports, tmp_path_factory):
    store = open_store("oxigraph", str(tmp_path_factory.mktemp("graph")))
    load(store, seed_reports.values())
    yield store
    store.close()


def run(store, name: str) -> list[dict]:
    return store.query((QUERIES / name).read_text(encoding="utf-8")).rows


def test_every_query_file_is_covered():
    tested = {"projects_execution_below_60.rq", "projects_citing_document.rq", "units_under_department.rq",
              "amounts_by_function_class.rq", "unit_year_over_year.rq"}
    assert {p.name for p in QUERIES.glob("*.rq")} == tested


def test_projects_below_60_percent(store):
    rows = run(store, "projects_execution_below_60.rq")
    assert [r["project_name"] for r in rows] == ["法律顾问费", "网络运维服务费", "农民工联席办公经费", "仲裁委业务费"]
    assert rows[-1]["rate"] == Decimal("56.28") and rows[-1]["executed"] == Decimal("39400")


def test_projects_citing_a_document(store):
    rows = run(store, "projects_citing_document.rq")
    assert sorted(r["project_name"] for r in rows) == [
        "2023年中央财政就业补助奖金年初预算", "2023年省级财政就业补助奖金年初预算",
        "2024年中央财政就业补助资金", "2024年省级财政就业补助资金"]
    assert {r["unit_name"] for r in rows} == {"汾阳市人力资源和社会保障局"}


def test_units_under_a_department(store):
    rows = run(store, "units_under_department.rq")
    assert [(r["unit_name"], r["projects"]) for r in rows] == [
        ("大同市企业职工劳动事务服务中心", 6), ("大同市劳动保障监察综合行政执法队", 4)]


def test_amounts_by_function_class_count_each_line_once(store):
    rows = {r["code"]: r for r in run(store, "amounts_by_function_class.rq")}
    assert rows["208"]["total_wan"] == Decimal("3819.75")  # 390.44 + 1589.17 + 1363.35 + 476.79
    assert rows["212"]["reports"] == 1


def test_year_over_year_change(seed_reports, tmp_path):
    """A second year of the same unit (a copy of its 2024 budget with other totals) shows the change."""
    store = open_store("memory")
    first = seed_reports["000_f26fb4c08ebca23b"]
    second = copy.deepcopy(first)
    second.year = 2025
    for figure in second.figures:
        if figure.key == "expenditure.total" and figure.amount is not None:
            figure.amount.value += Decimal("325100")  # +32.51万元
    load(store, [first, second])
    rows = run(store, "unit_year_over_year.rq")
    assert [r["year"] for r in rows] == [2024, 2025]
    assert rows[1]["change_wan"] == Decimal("32.51")
