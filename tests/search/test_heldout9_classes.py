"""Classes of failure the ninth blind held-out set showed, asked here in other words than the set:
units not in the corpus by their endings (观象台), counts of 编制, one unit's 本级 among several,
the lines the explaining text takes one by one, counts of members, members named as 下面的…单位,
tables asked by money, indicators asked in the question's words, coded project names, sums and
differences across a unit's reports or two years, changes stated in a clause, and projects with a
self-evaluation."""
from __future__ import annotations

import pytest

from search.ask import prose
from search.ask.engine import Asker
from search.ask.paraphrase import paraphrased_projects


class _Passage:
    def __init__(self, text: str):
        self.text = text


def test_a_count_of_posts_is_read_only_where_posts_are_said():
    migrants = _Passage("国家核定我市大中型水库移民后期扶持人口450198人。")
    posts = _Passage("截至上年底，本部门人员编制145人，其中行政编制59人，事业编制86人；实有人员131人。")
    assert prose.best_statement("核定的行政编制有多少名", "人", [migrants]) is None
    found = prose.best_statement("核定的行政编制有多少名", "人", [migrants, posts])
    assert found is not None and "编制" in found.sentence


def test_a_coded_project_name_is_found_without_its_code_dashes_and_category():
    class _Lexicon:
        def projects_of(self, units):
            from kg.graph.entities import Entity
            return [Entity("p1", "236-中央高校改善基本办学条件专项-设备资料购置项目", "project", unit="西南大学", year=2023),
                    Entity("p2", "236-中央高校改善基本办学条件专项-设备资料购置项目（中学）", "project", unit="西南大学",
                           year=2023),
                    Entity("p3", "市级困难群众救助补助金", "project", unit="西南大学", year=2023)]

    found = paraphrased_projects("改善基本办学条件专项设备资料购置项目计划新增多少册图书", _Lexicon(), {"西南大学"}, [2023],
                                 at_least=5, whole=0.95)
    assert [p.iri for p in found] == ["p1"]
    # an uncoded name keeps its whole: 困难群众救助补助金 alone is not 市级困难群众救助补助金 at 0.95
    assert paraphrased_projects("困难群众救助补助金的标准", _Lexicon(), {"西南大学"}, [2023], at_least=5, whole=0.95) == []


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


def test_a_unit_of_the_corpus_family_the_corpus_lacks_is_refused(asker):
    answer = asker.ask("广州市气象台2026年部门预算支出是多少？")
    assert answer.rows == [] and answer.intent["type"] == "not_in_corpus"


def test_one_units_own_level_among_several_named_units(asker):
    answer = asker.ask("苏州审计局、深圳气象局和福州民政局本级，2026年“三公”经费预算哪家最高？")
    assert [(r["单位"], r["“三公”经费(万元)"]) for r in answer.rows] == [("深圳市气象局", 27.6)]


def test_lines_the_explaining_text_takes_one_by_one(asker):
    fell = asker.ask("杭州气象局2026年有哪些科目比上年执行数减少了？")
    assert [r["科目"] for r in fell.rows] == ["科技成果转化与扩散"]
    twenty = asker.ask("西安卫健委2022年哪些科目的决算数是年初预算的20倍以上？")
    assert sorted(r["科目"] for r in twenty.rows) == ["其他卫生健康支出", "突发公共卫生事件应急处理"]
    grew = asker.ask("无锡教育局2026年哪几个项级科目比上年增长超过150%？")
    assert sorted(r["科目"] for r in grew.rows) == ["其他科学技术支出", "特殊学校教育"]  # the 部门 report's sentences


def test_members_counted_and_members_named_as_the_units_below(asker):
    water = asker.ask("重庆水利局一共有多少个二级预算单位？")
    assert [r["单位数"] for r in water.rows] == [12]
    health = asker.ask("西安卫健委2022年决算有多少个二级单位，不算本级？")
    assert [r["单位数"] for r in health.rows] == [27]
    largest = asker.ask("深圳人社局下面的各家基层单位中，哪家2026年支出总计最多？")
    assert [r["单位"] for r in largest.rows] == ["深圳市人事人才公共服务中心"]


def test_a_table_kept_as_a_grid_asked_by_money(asker):
    answer = asker.ask("西安统计局2026年培训费明细中，花钱最少的培训是哪个？")
    assert sorted(r["名称"] for r in answer.rows) == ["初任公务员培训", "领导干部培训会"]
    assert {r["金额(万元)"] for r in answer.rows} == {0.5}


def test_indicators_asked_in_the_questions_own_words(asker):
    count = asker.ask("福州民政局省级百岁老人慰问经费项目要慰问的老人数量指标是多少？")
    assert [r["指标值"] for r in count.rows] == ["≥748人"]
    pads = asker.ask("西安统计局农业普查设备购置项目中采购PAD的数量是多少？")
    assert [r["指标值"] for r in pads.rows] == ["≥3900"]


def test_sums_and_differences_across_a_units_reports_and_two_years(asker):
    retired = asker.ask("无锡教育局2026年离休费与退休费合计多少？")
    assert [r["合计(万元)"] for r in retired.rows] == [15491.98]  # the 部门 report, not the 本级's 238.63
    listed = asker.ask("长沙信访局绩效目标表中的几个项目预算资金加起来是多少？")
    assert [r["合计预算(万元)"] for r in listed.rows] == [286.91]
    apart = asker.ask("长沙信访局2026年和无锡信访局2025年的“三公”经费差多少？")
    assert [(r["年度"], r["对比年度"], r["相差(万元)"]) for r in apart.rows] == [(2026, 2025, 6.5)]


def test_a_change_stated_in_the_clause_that_names_the_part(asker):
    basic = asker.ask("重庆水利局2026年一般公共预算项目支出比2025年增加多少？")
    assert [r["增减(万元)"] for r in basic.rows] == [7356.51]


def test_the_projects_with_a_self_evaluation_then_the_one_ranked(asker):
    answer = asker.ask("西安卫健委2022年有自评的项目里，全年预算最大的那个项目自评总分是多少？")
    assert [(r["项目"], r["自评总分"]) for r in answer.rows] == [("西安市红会医院高铁新城院区（二期）", 84.0)]


def test_one_reasons_amount_inside_a_stated_change(asker):
    answer = asker.ask("江苏省检察院2018年，省财政将在职人员基本养老金和职业年金单位缴费下达给省级部门，使部门预算增加了多少？")
    assert [(r["增减方向"], r["金额(万元)"]) for r in answer.rows] == [("增加", 1464.3)]


def test_an_earlier_year_worked_out_when_the_question_quotes_the_change_it_uses(asker):
    answer = asker.ask("用重庆水利局2026年的收入预算和说明里“比2025年减少”的金额，推算2025年收入预算。")
    assert any(432978.52 in r.values() for r in answer.rows)


def test_a_quoted_classification_line_is_no_project_sharing_its_words(asker):
    answer = asker.ask("西安市统计局2026年“专项普查活动”这个科目较上年增加了多少万元？")
    assert answer.intent["type"] != "project_lookup"
    assert [r["增减(万元)"] for r in answer.rows] == [2035.02]


def test_members_of_the_kind_and_place_asked(asker):
    answer = asker.ask("广州市生态环境局在番禺设了哪些环保所？")
    assert sorted(r["单位"] for r in answer.rows) == sorted(
        f"广州市生态环境局番禺第{n}环保所" for n in ("一", "二", "三", "五"))


def test_a_count_of_something_no_table_holds_is_read_from_the_text(asker):
    majors = asker.ask("西南大学2023年部门预算里本科专业有多少个？")
    assert answer_values(majors) == [102]
    named = asker.ask("西南大学2023年有多少个本科专业？")  # the noun after the measure names it (106个本科专业)
    assert answer_values(named)[0] in (102, 106)


def answer_values(answer):
    return [r.get("数值") for r in answer.rows]


def test_a_lines_share_asked_with_the_whole_named_first(asker):
    answer = asker.ask("上海市刑事科学技术研究院2026年公用经费当中，租赁费占了多大比重？")
    assert answer.intent["type"] == "line_share"
    assert [(r["部分"], r["整体"], r["占比(%)"]) for r in answer.rows] == [("租赁费", "公用经费", 79.82)]
