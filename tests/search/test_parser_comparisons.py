"""How the parser reads comparisons of two named units, shares of a procurement kind, scores asked
as 得了多少分 and 本级 questions that exclude the subordinate units, on a constructed lexicon."""
from __future__ import annotations

from kg.graph.entities import Entity, normalise
from search.ask.parser import parse
from tests.search.lexicons import units_lexicon


_lexicon = units_lexicon


def test_two_units_compared_by_a_difference_are_kept_in_order_and_a_bare_income_is_the_total():
    intent = parse("甲市信访局的收入比甲市来访接待中心多多少？", _lexicon("甲市信访局", "甲市来访接待中心"))
    assert [u.name for u in intent.versus] == ["甲市信访局", "甲市来访接待中心"]
    assert intent.report_metric.key == "income.total"
    assert parse("甲市来访接待中心与甲市信访局相差多少", _lexicon("甲市信访局", "甲市来访接待中心")).versus[0].name == "甲市来访接待中心"


def test_two_units_without_a_difference_are_no_comparison():
    assert parse("甲市信访局和甲市来访接待中心的收入总计", _lexicon("甲市信访局", "甲市来访接待中心")).versus == []


def test_a_share_of_one_procurement_kind_in_the_procurement_total():
    intent = parse("2026年部门政府采购预算中服务类采购占总额的百分之几？", _lexicon())
    assert (intent.report_metric.key, intent.ratio_of.key) == ("procurement.services", "procurement.total")


def test_a_score_asked_as_how_many_points():
    assert parse("开办经费项目的绩效自评得了多少分？", _lexicon()).project_metric.key == "total_score"


def test_excluding_the_subordinate_units_is_not_asking_for_them():
    lexicon = _lexicon("甲市人社局")
    assert parse("甲市人社局2026年项目支出是多少？不含下属单位。", lexicon).subunits is False
    assert parse("甲市人社局下属单位2026年项目支出是多少？", lexicon).subunits is True


def test_figures_added_one_by_one_are_listed():
    intent = parse("2026年“三公”经费、会议费和培训费三项加起来是多少？", _lexicon())
    assert intent.summed == ["三公经费", "会议费", "培训费"]  # the year names the report, not the item
    assert parse("2026年“三公”经费一共多少？", _lexicon()).summed == []


def test_a_project_named_by_part_of_its_name_before_项目_without_a_unit():
    lexicon = _lexicon()
    for i, name in enumerate(("气象设施维护及科普", "气象业务建设")):
        lexicon.projects[f"p{i}"] = Entity(f"p{i}", name, "project", forms={normalise(name)}, unit="甲市气象局")
    assert [p.name for p in parse("甲市气象设施维护项目的预算是多少？", lexicon).projects] == ["气象设施维护及科普"]
    assert parse("哪些气象设施维护项目执行率低于60%？", lexicon).projects == []


def test_which_district_branch_asks_for_units():
    assert parse("哪个区分局的项目资金总计最高？", _lexicon()).asks_units
    assert not parse("哪个项目的资金最高？", _lexicon()).asks_units


def test_one_project_the_graph_lacks_is_not_a_list_of_every_project():
    assert parse("深圳“数字人社”（一期）项目今年安排了多少钱？", _lexicon()).kind != "project_filter"
    assert parse("哪些项目的预算超过100万元？", _lexicon()).kind == "project_filter"
