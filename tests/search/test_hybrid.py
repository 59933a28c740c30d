"""Hybrid search: page-cited passages, and graph constraints that are never left."""
from __future__ import annotations

import pytest

from kg.graph import vocab
from search.hybrid import HybridSearcher, reciprocal_rank_fusion


@pytest.fixture(scope="module")
def searcher(corpus):
    return HybridSearcher(corpus)


def test_hits_carry_report_page_and_section(searcher):
    hits = searcher.search("合同纠纷没有付款", k=5)
    assert hits and "法律顾问费" in hits[0].passage.text
    assert hits[0].passage.page == 21 and hits[0].passage.source == "大同市人力资源和社会保障局 2023年单位决算"


def test_unit_constraint_is_never_left(searcher, corpus):
    unit = str(vocab.org_iri("汾阳市人力资源和社会保障局"))
    for query in ("合同纠纷没有付款", "驻村帮扶", "政府采购预算", "晋财社〔2019〕1号"):
        hits = searcher.search(query, k=10, units=[unit])
        assert hits and all(h.passage.facets["unit"] == "汾阳市人力资源和社会保障局" for h in hits)


def test_department_with_subordinate_units(searcher):
    department = str(vocab.org_iri("大同市人力资源和社会保障局"))
    allowed = {"大同市人力资源和社会保障局", "大同市劳动保障监察综合行政执法队", "大同市企业职工劳动事务服务中心"}
    hits = searcher.search("残疾人就业保障金", k=20, units=[department], subunits=True)
    assert {h.passage.facets["unit"] for h in hits} <= allowed
    assert len({h.passage.facets["unit"] for h in hits}) == 3


def test_year_and_sparql_constraints(searcher):
    hits = searcher.search("项目支出", k=10, years=[2026])
    assert hits and all(h.passage.facets["year"] == "2026" for h in hits)
    sparql = 'SELECT ?p WHERE { ?p a bkg:Project ; bkg:hasSelfEvaluation/bkg:grade "良" }'
    hits = searcher.search("偏差原因", k=10, sparql=sparql)
    assert hits and all(("法律顾问费" in h.passage.text) or ("网络运维服务费" in h.passage.text) for h in hits)


def test_empty_constraint_gives_no_hits(searcher):
    assert searcher.search("预算", k=5, sparql='SELECT ?p WHERE { ?p a bkg:Project ; rdfs:label "不存在" }') == []


def test_reciprocal_rank_fusion_rewards_agreement():
    scores = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]], k=5, weights=[1.0, 1.5])
    assert max(scores, key=scores.get) == "b" and scores["d"] < scores["a"]


def test_without_spans_cuts_each_place_once():
    from search.hybrid import without_spans

    text = "江苏省人民检察院2018年会议费预算为什么增加"
    # the department and its 本级 are both mentioned at 0..8: the words after the name stay
    assert without_spans(text, [(0, 8), (0, 8)]) == " 2018年会议费预算为什么增加"
    assert without_spans(text, [(0, 8), (3, 8), (12, 15)]) == " 2018 费预算为什么增加"


def test_named_scope_keeps_the_query_words(searcher):
    units, years, rest = searcher.named_scope("大同市人力资源和社会保障局2023年法律顾问费为什么没有付款")
    assert units and years == [2023] and "法律顾问费" in rest


def test_a_named_place_scopes_a_query_naming_no_unit(searcher):
    places, rest = searcher.named_places("汾阳 驻村帮扶的经费")
    assert places == [("county", "汾阳市")] and "汾阳" not in rest and "驻村帮扶" in rest
    assert searcher.named_places("驻村帮扶的经费") == ([], "驻村帮扶的经费")
    hits = searcher.search("汾阳 驻村帮扶的经费", k=10)
    assert hits and all(h.passage.facets.get("county") == "汾阳市" for h in hits)
