"""Classes of failure left from the fourteenth to sixteenth blind held-out sets, asked here in
other words than any set: projects picked by a word of their names (名称带“老区”, “提前下达2026年……”
项目, 以…开头) — listed, counted or summed; the money of one source summed over the projects that
use it (各项目的上年结转资金合计), and those projects listed before a table's cells are read; a
form covering the listed projects' money (专项资金整体支出绩效目标表) never one more project in a
list, a filter or a rank; the projects of a table of 结转 money (财政拨款结转资金支出表) are carried
over, and a question naming the year's project table (专项业务经费支出表) counts without them;
projects with two sources named together (既有事业收入又有上年结转), not one named apart (除财政拨款外);
上年结余结转 as the report's carry-over; one figure of a 预算 and its 决算 never added; money of a
report whose tables print 元 shown in 元 too; indicators picked by their form's 是否核心 column, in a 部门整体 table too; a 研究院's 研究一所 … among the offices it lists; the body the text says money came from (从哪个部门
划转), not the unit's parent department; chains whose first step ranks 区分局 by their projects'
money, asked as two questions (…是哪个分局？它…), or ranks members 除局本级外; a figure shared out
over the count a sentence plans (公务用车购置费…平均每辆多少钱)."""
from __future__ import annotations

import pytest

from search.ask.engine import Asker

USE_OF_CARRYOVER = {"236中央高校教育教学改革专项", "236-中央高校改善基本办学条件专项-基础设施改造项目（中学）",
                    "236教师工作专项", "236出国留学经费（项目）"}


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


@pytest.mark.parametrize("question, total", [
    ("福州市民政局2026年项目名称中含有“老区”字样的项目，预算加起来是多少？", 1475.0),
    ("福州市民政局2026年以“提前下达2026年”开头的项目资金一共多少？", 796.2),
])
def test_projects_picked_by_a_word_of_their_names_are_summed(asker, question, total):
    answer = asker.ask(question)
    assert answer.intent["type"] == "project_aggregate" and [r["合计预算(万元)"] for r in answer.rows] == [total]


def test_projects_picked_by_a_word_of_their_names_are_listed(asker):
    answer = asker.ask("福州市民政局2026年名字里带“慰问”的项目有哪些？")
    assert {r["项目"] for r in answer.rows} == {"困难群众节日慰问金和价格补贴", "提前下达2026年省级百岁老人慰问经费",
                                               "民政服务对象慰问金"}


def test_one_sources_money_is_summed_over_the_projects_using_it(asker):
    answer = asker.ask("西南大学2023年预算各项目的上年结转资金合计是多少万元？")
    assert answer.intent["type"] == "projects_fund_sum" and [r["合计上年结转(万元)"] for r in answer.rows] == [228.01]
    assert set(answer.rows[0]["项目"].split("、")) == USE_OF_CARRYOVER


def test_projects_using_a_source_are_listed_before_a_tables_cells(asker):
    answer = asker.ask("西南大学2023年部门预算的绩效目标表里，哪些项目动用了上年结转资金？")
    assert answer.intent["type"] == "projects_by_fund" and {r["项目"] for r in answer.rows} == USE_OF_CARRYOVER


def test_a_form_covering_the_listed_projects_is_no_project_of_a_filter_or_rank(asker):
    over = asker.ask("西安市安全生产监督管理局2019年预算中，预算超过200万元的项目有哪些？")
    assert {r["项目"] for r in over.rows} == {
        "安全生产业务费（含聘请专家费用、许可证发放、标准化建设、隐患排查经费、安全发展城市、文化建设经费）",
        "安全生产考核表彰专项经费", "安全生产执法监察业务经费（含“12350”安全生产投诉举报及办公房屋租赁及管理经费）"}
    top = asker.ask("西安市安全生产监督管理局2019年预算金额最高的项目是哪个？")
    assert top.rows[0]["项目"].startswith("安全生产业务费")
    named = asker.ask("西安市安全生产监督管理局2019年安全生产专项资金有多少项绩效指标？")
    assert named.rows, "named, the covering form is still asked about"


def test_projects_of_a_table_of_carried_over_money_are_carried_over(asker):
    carried = asker.ask("西安安监局2019年部门预算里，属于财政拨款结转的项目是哪几个？")
    assert {r["项目"] for r in carried.rows} == {"拨付2017年度省级工业转型升级资金", "省级安全生产专项"}
    listed = asker.ask("西安市安全生产监督管理局2019年专项业务经费支出表中共有几个项目？")
    assert [r["项目数"] for r in listed.rows] == [14]


def test_projects_with_two_sources_named_together(asker):
    both = asker.ask("深圳市气象局2026年哪些项目的资金既有事业收入又有上年结转？")
    assert answer_names(both) == {"精准预报"}
    apart = asker.ask("杭州市气象局2026年有哪些项目在财政拨款之外还用到了单位资金？")
    assert answer_names(apart) == {"气象业务建设", "专业系统维护及科普"}


def answer_names(answer) -> set[str]:
    return {r["项目"] for r in answer.rows}


def test_carry_over_said_with_its_balance_is_the_reports_carry_over(asker):
    answer = asker.ask("西南大学2023年决算里上年结转结余是多少？")
    assert answer.intent.get("report_metric") == "income.carryover" and [r["上年结转(万元)"] for r in answer.rows] == [93660.54]


def test_one_figure_of_a_budget_and_its_final_account_is_never_added(asker):
    answer = asker.ask("西南大学2023年的上年结转一共是多少？")
    assert answer.intent["type"] != "named_total" and \
        sorted(r["上年结转(万元)"] for r in answer.rows) == [93660.54, 93801.7]


def test_money_of_a_report_printed_in_yuan_is_shown_in_yuan_too(asker):
    printed_in_yuan = asker.ask("上海市财务会计综合管理事务中心2026年预算里水费和电费加起来是多少？")
    assert [(r["合计(万元)"], r["合计(元)"]) for r in printed_in_yuan.rows] == [(14.0, 140000.0)]
    printed_in_wan = asker.ask("杭州市气象局2026年预算的支出总计是多少？")
    assert printed_in_wan.rows and not any(c.endswith("(元)") for c in printed_in_wan.columns)


@pytest.mark.parametrize("question, names", [
    ("重庆市水利局2026年水库移民后期扶持项目有哪些核心指标？", {"完工项目验收率", "实施项目数量", "项目覆盖区县数量"}),
    ("重庆市水利局2026年水库移民后期扶持项目里不是核心指标的绩效指标有哪些？",
     {"已建工程项目良性运行比例", "移民对后期扶持政策实施满意度", "年度预算执行率"}),
])
def test_indicators_picked_by_the_forms_core_column(asker, question, names):
    assert {r["指标"] for r in asker.ask(question).rows} == names


def test_research_institutes_offices_named_so_are_offices(asker):
    answer = asker.ask("上海市刑科院一共有多少个内设机构？")
    assert answer.intent["type"] == "offices_in_text" and [r["处室数"] for r in answer.rows] == [5]
    assert "研究一所" in answer.rows[0]["处室"] and "科研管理处" in answer.rows[0]["处室"]


def test_rows_of_a_named_table_picked_by_its_yes_no_column(asker):
    counted = asker.ask("重庆市水利局2026年部门整体绩效目标表中核心指标一共几个？")
    assert [r["行数"] for r in counted.rows] == [5]
    other = asker.ask("重庆市水利局2026年部门整体绩效目标表里，非核心的指标是哪个？")
    assert [r["名称"] for r in other.rows] == ["后扶资金项目覆盖区县数量"]


def test_the_body_money_came_from_is_read_from_the_text(asker):
    answer = asker.ask("佛山轨道交通局2019年决算里，有些项目的钱是从哪个单位划转来的？")
    assert answer.intent["type"] == "source_in_text" and [r["来自"] for r in answer.rows] == ["市交通运输局"]


@pytest.mark.parametrize("question", [
    "广州市生态环境局2026年项目预算合计最高的区分局，其预算最多的项目是多少万元？",
    "广州市生态环境局哪个区分局的项目资金加起来最多？它预算最高的项目是多少万元？",
])
def test_a_chain_through_the_branch_with_the_most_project_money(asker, question):
    answer = asker.ask(question)
    assert answer.intent["type"] == "chain" and answer.intent["units"] == ["广州市生态环境局南沙分局"]
    assert [r["预算(万元)"] for r in answer.rows] == [1124.59]


def test_besides_the_departments_own_level_a_member_is_ranked(asker):
    answer = asker.ask("无锡市教育局2026年预算中，除局本级以外收入总计最高的是哪个单位？")
    assert [r["单位"] for r in answer.rows] == ["无锡学院"]


@pytest.mark.parametrize("question, each", [
    ("长沙市公安局2025年公务用车购置费，按拟新增的公务用车数量算，平均每辆多少钱？", 25.0),
    ("深圳市人力资源和社会保障局2026年的公务用车购置费按计划购车数量平均，每辆车多少万元？", 18.0),
])
def test_a_figure_shared_over_the_count_a_sentence_plans(asker, question, each):
    answer = asker.ask(question)
    assert answer.intent["type"] == "per_each" and [r["每辆(万元)"] for r in answer.rows] == [each]
