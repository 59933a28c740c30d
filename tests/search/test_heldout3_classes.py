"""The classes of failure the third blind held-out set showed, on the parser and on constructed
answers: full marks as a score, the metric a total's words follow, lists asked with 哪几个,
completion ratios as execution rates, and two named figures compared or divided."""
from __future__ import annotations

from kg.graph.entities import Entity, Lexicon
from search.ask.answer import Answer
from search.ask.differences import collapse_difference, collapse_share, compared_metrics, the_year_compared
from search.ask.numbers import comparison
from search.ask.parser import parse
from search.ask.question_metrics import report_metric_of
from tests.search.lexicons import units_lexicon


def _lexicon() -> Lexicon:
    return units_lexicon("长沙市信访局", "无锡市信访局")


def test_full_marks_are_a_score_equal_to_them():
    found = comparison("绩效自评得了满分100分的项目有哪些")
    assert (found.operator, found.value.value, found.value.unit) == ("=", 100, "分")
    assert comparison("自评得分为满分的项目").value.value == 100
    assert comparison("得分低于满分90分的项目").operator == "<"  # a comparison word decides


def test_a_total_is_of_the_thing_named_right_before_it():
    assert report_metric_of("2018年度政府采购支出预算总额是多少万元")[0].key == "procurement.total"
    assert report_metric_of("2018年度支出预算总额是多少万元")[0].key == "expenditure.total"


def test_which_ones_is_a_list_and_completion_ratios_are_execution_rates():
    listed = parse("长沙市信访局2026年公开的项目中，资金总额不到50万元的是哪几个？", _lexicon())
    assert listed.aggregate != "count"
    rate = parse("2026年长沙市信访局的项目中，完成预算比例低于50%的有哪些？", _lexicon())
    assert rate.project_metric.key == "execution_rate"


def test_two_report_metrics_compared_and_not_a_year():
    pair = compared_metrics("无锡市信访局2025年财政拨款基本支出中，人员经费比公用经费多多少万元？", report_metric_of)
    assert [m.key for m in pair] == ["basic.personnel", "basic.public"]
    assert compared_metrics("无锡市信访局2025年人员经费比上年多多少万元？", report_metric_of) is None


def _answer(kind: str, rows: list[dict]) -> Answer:
    answer = Answer("q", intent={"type": kind})
    answer.columns = list(rows[0])
    for i, row in enumerate(rows):
        answer.add_row(row, f"e{i}", {"report": "r", "page": i + 1, "text": "t"})
    return answer


def test_the_first_named_minus_the_second_and_a_part_of_the_whole():
    rows = [{"单位": "杭州市气象局", "年度": 2026, "政府采购(万元)": 1113.52},
            {"单位": "深圳市气象局", "年度": 2026, "政府采购(万元)": 2743.31}]
    answer = _answer("report_lookup", rows)
    assert collapse_difference("2026年深圳市气象局的政府采购预算比杭州市气象局多出多少万元？", answer)
    assert [(r["差额(万元)"], r["方向"]) for r in answer.rows] == [(1629.79, "多")]
    whole = _answer("report_lookup", [{"单位": "无锡市教育局", "年度": 2026, "收入总计(万元)": 512434.34},
                                      {"单位": "无锡市教育局（本级）", "年度": 2026, "收入总计(万元)": 131349.6}])
    assert collapse_share("无锡市教育局（本级）的收入预算占整个无锡市教育局部门收入预算的百分之几？", whole)
    assert [r["占比(%)"] for r in whole.rows] == [25.63]  # 教育局 inside 教育局（本级） is no mention of it
    unclear = _answer("report_lookup", rows)
    assert not collapse_difference("两个气象局的政府采购相差多少？", unclear) and len(unclear.rows) == 2


def test_the_year_the_question_compares():
    answer = _answer("report_lookup", [{"单位": "江苏省人民检察院", "年度": 2018, "支出总计(万元)": 21955.35},
                                       {"单位": "江苏省人民检察院", "年度": 2019, "支出总计(万元)": 24169.74}])
    answer.answer = "江苏省人民检察院2018年支出总计21955.35万元；江苏省人民检察院2019年支出总计24169.74万元。"
    assert the_year_compared("江苏省人民检察院2019年部门预算收支总计比2018年增加了多少万元？", answer)
    assert [r["年度"] for r in answer.rows] == [2019] and "2018" not in answer.answer


def test_one_member_the_text_names_after_its_list_words():
    from search.ask.lineage import member_list

    assert member_list("本部门下属单位包括：苏州市经济责任审计中心（非独立编制预算单位）。") == ["苏州市经济责任审计中心"]
    assert member_list("本部门下属单位包括：本级。") == []  # too short to be a unit's name


def test_the_items_of_a_sum_without_their_year_or_metric_words():
    intent = parse("长沙市信访局2026年会议费和培训费预算加起来是多少万元？", _lexicon())
    assert intent.summed == ["会议费", "培训费"]


def test_the_units_of_a_department_named_as_the_units_in_its_budget():
    lexicon = _lexicon()
    intent = parse("纳入长沙市信访局2026年部门预算的单位中，哪些单位收入预算超过3亿元？", lexicon)
    assert intent.subunits and intent.asks_units


def test_the_offices_a_unit_lists_with_brackets_kept_whole():
    from types import SimpleNamespace

    from search.ask.lineage import ASKS_OFFICES, offices_in_text

    text = ("本单位无独立核算下属单位，部门预算为本级预算，本单位下设办公室（机关党委）、业务发展处、科技与数据管理处、"
            "减灾与服务监督处（市人工影响天气办公室、审批综合处）、气象预警预报处（市突发事件预警信息发布中心），共 5 个处室。")
    offices, _, _ = offices_in_text([SimpleNamespace(text=text)])
    assert offices == ["办公室（机关党委）", "业务发展处", "科技与数据管理处", "减灾与服务监督处（市人工影响天气办公室、审批综合处）",
                       "气象预警预报处（市突发事件预警信息发布中心）"]
    assert ASKS_OFFICES.search("深圳市气象局〔本级〕下设哪些处室?") and not ASKS_OFFICES.search("哪些部门的三公经费为0")


def test_which_units_a_budget_includes_is_a_list_of_members_not_a_count_or_figure():
    intent = parse("2018年长沙市信访局部门汇总预算包括哪几家预算单位？", _lexicon())
    assert intent.kind == "subunits"  # 汇总预算 holds 总预算, a total's word: no figure is asked
    from search.ask.prose import asked_measure
    assert asked_measure("包括哪几家预算单位") is None and asked_measure("包括几家预算单位") == "家"


def test_a_departments_system_names_its_member_units():
    intent = parse("长沙市信访局系统2026年安排了公务用车购置费的单位有哪些？", _lexicon())
    assert intent.subunits and intent.asks_units


def test_a_short_form_at_the_end_of_a_longer_name_is_no_mention():
    lexicon = _lexicon()
    for iri, name in (("u3", "无锡城市职业技术学院"), ("u4", "无锡市无锡城市职业技术学院")):
        lexicon.units[iri] = Entity(iri, name, "unit", forms={name, "技术学院"})
    intent = parse("重庆水利电力职业技术学院是哪个部门下属的二级预算单位？", lexicon)
    assert not intent.ambiguous_units and not intent.units
    asked = parse("技术学院2026年的收入是多少？", lexicon)
    assert asked.ambiguous_units  # the short form alone still asks which one
