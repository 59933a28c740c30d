"""budgetkg trace: documents → projects, departments → units → projects, carry-over series."""
from __future__ import annotations

import pytest

from kg.errors import EntityNotFound
from kg.graph.lineage import Lineage, render_text, to_json, write_graphml


@pytest.fixture(scope="module")
def lineage(corpus):
    return Lineage(corpus.graph)


def labels(graph, kind):
    return sorted(a["label"] for _, a in graph.nodes(data=True) if a["kind"] == kind)


def test_document_lists_the_four_employment_subsidy_projects(lineage):
    graph = lineage.trace("晋财社【2019】1号")  # any bracket style
    assert labels(graph, "project") == ["2023年中央财政就业补助奖金年初预算", "2023年省级财政就业补助奖金年初预算",
                                        "2024年中央财政就业补助资金", "2024年省级财政就业补助资金"]
    assert labels(graph, "unit") == ["汾阳市人力资源和社会保障局"]
    funded = {(graph.nodes[a]["label"], graph.nodes[b]["label"], d.get("annual_wan"))
              for a, b, d in graph.edges(data=True) if d["relation"] == "funds"}
    assert ("省级", "2024年中央财政就业补助资金", 548.0) in funded


def test_department_shows_its_units_and_their_projects(lineage):
    graph = lineage.trace("大同市人力资源和社会保障局")
    assert graph.nodes[graph.graph["root"]]["kind"] == "department"
    units = sorted(graph.nodes[a]["label"] for a, b, d in graph.edges(data=True) if d["relation"] == "sub_organization_of")
    assert units == ["大同市企业职工劳动事务服务中心", "大同市劳动保障监察综合行政执法队"]
    text = render_text(graph)
    assert "援疆补助" in text and "原煤炭职工医院遗留人员经费" in text


def test_project_series_reaches_the_other_year(lineage):
    graph = lineage.trace("驻村帮扶工作人员经费")
    years = sorted(a.get("year") for _, a in graph.nodes(data=True) if a["kind"] == "project")
    assert 2023 in years and 2024 in years
    assert any(d["relation"] == "in_series" for _, _, d in graph.edges(data=True))


def test_ambiguous_and_unknown_names(lineage):
    with pytest.raises(EntityNotFound) as info:
        lineage.trace("人社局")
    assert len(info.value.candidates) == 3
    with pytest.raises(EntityNotFound, match="没有找到"):
        lineage.trace("北京市海淀区教育委员会")


def test_outputs(lineage, tmp_path):
    graph = lineage.trace("援疆补助")
    data = to_json(graph)
    assert data["kind"] == "project" and any(n["label"] == "同办发〔2013〕31号" for n in data["nodes"])
    write_graphml(graph, tmp_path / "trace.graphml")
    assert (tmp_path / "trace.graphml").read_text(encoding="utf-8").count("<node ") == graph.number_of_nodes()
    from kg.graph.drawing import draw_png

    draw_png(graph, tmp_path / "trace.png")
    assert (tmp_path / "trace.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
