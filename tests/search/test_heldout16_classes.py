"""Classes of failure found at the sixteenth blind held-out set's first run, asked here in other
words than any set: who carries out a named project (not one of its indicators); head counts
asked as 编制数…各是多少, never answered with money; a sum of several table lines, two-character
ones too (水费, 奖金); a line's share of a total, read from the table of the total's money; a
figure a department's own report states, over its 本级's; a project's procurement as a share of
项目支出; a project's money over an indicator its words happen to name; a target a project's
paragraph states in five words (制卡成功率≥90.0%); one project's count target (补助多少个项目); a source
of a project's money from its own row among the rows a table prints under its name; the part of
项目支出 the projects with 绩效目标 cover, as a share or as what is left outside them; a column the
tables print by name (其中：教育收费), read on the total row; a member's line from its block in its
department's table by unit (the line under its row, before the next unit's)."""
from __future__ import annotations

import pytest

from search.ask.engine import Asker


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


def test_who_carries_out_a_project_is_no_indicator(asker):
    answer = asker.ask("西安市统计局2026年社情民意调查这个项目由哪家单位承担？")
    assert [r.get("实施单位") for r in answer.rows] == ["西安市社会经济调查中心"]


def test_head_counts_asked_each_are_never_answered_with_money(asker):
    answer = asker.ask("苏州市审计局2026年部门预算中行政编制数和事业编制数分别是多少？")
    assert answer.intent["type"] == "not_stated" and not answer.rows


@pytest.mark.parametrize("question, total", [
    ("苏州市审计局2026年基本支出里，奖金、绩效工资和基本工资三项加起来多少？", 1194.84),
    ("江苏省人民检察院2019年预算的电费和水费一共多少？", 370.79),
])
def test_table_lines_summed(asker, question, total):
    answer = asker.ask(question)
    assert answer.intent["type"] == "line_sum" and [r["合计(万元)"] for r in answer.rows] == [total]


def test_a_lines_share_is_read_from_the_table_of_the_wholes_money(asker):
    answer = asker.ask("西南大学2023年财政拨款支出决算里，高等教育科目占财政拨款支出合计的百分比是多少？")
    assert answer.intent["type"] == "line_share" and [r["占比(%)"] for r in answer.rows] == [78.73]


def test_a_departments_own_report_states_its_figure(asker):
    answer = asker.ask("无锡市教育局2026年纳入绩效目标管理的项目共有几个？")
    assert "252" in answer.answer and "35个" not in answer.answer


def test_a_projects_procurement_as_a_share_of_project_spending(asker):
    answer = asker.ask("苏州市审计局2026年区域重点项目协审经费的政府采购预算占项目支出的百分之几？")
    assert [r["占比(%)"] for r in answer.rows] == [50.07]


def test_a_projects_money_is_not_an_indicator_its_words_name(asker):
    answer = asker.ask("西安市统计局2026年社情民意调查项目的财政拨款有多少？")
    assert answer.intent["type"] == "project_fund" and [r["财政拨款(万元)"] for r in answer.rows] == [26.9]


def test_a_target_the_projects_paragraph_states(asker):
    answer = asker.ask("深圳市人力资源和社会保障数据管理中心2026年人力资源综合管理项目的制卡成功率目标是多少？")
    assert answer.intent["type"] == "stated_target" and [r["数值"] for r in answer.rows] == [90]


def test_one_projects_count_target(asker):
    answer = asker.ask("福州市民政局2026年市级扶持老区建设专项资金打算补助几个项目？")
    assert answer.intent["type"] == "indicator_lookup" and [r["指标值"] for r in answer.rows] == ["≥65个"]


@pytest.mark.parametrize("source, amount", [("事业收入", 4491.32), ("上年结转资金", 674.8)])
def test_a_source_of_a_projects_money_from_its_own_row_among_rows_of_its_name(asker, source, amount):
    """项目支出总表 prints 人力资源综合管理 once per unit: the row whose total is this project's."""
    answer = asker.ask(f"深圳市考试院2026年人力资源综合管理项目里{source}有多少？")
    assert answer.intent["type"] == "project_fund" and [r.get("实施单位") for r in answer.rows] == ["深圳市考试院"]
    assert [v for r in answer.rows for k, v in r.items() if k.endswith("(万元)")] == [amount]


def test_the_share_of_project_spending_the_projects_with_targets_cover(asker):
    answer = asker.ask("上海市刑事科学技术研究院2026年有绩效目标的项目资金占项目支出的比例？")
    assert answer.intent["type"] == "target_coverage" and [r["占比(%)"] for r in answer.rows] == [91.32]


def test_the_project_spending_left_outside_the_projects_with_targets(asker):
    answer = asker.ask("江苏省人民检察院2018年项目支出里有多少钱不在绩效目标管理范围内？")
    assert answer.intent["type"] == "target_coverage" and [r["未覆盖(万元)"] for r in answer.rows] == [487.0]
    assert not asker.ask("江苏省人民检察院2018年项目支出是多少？").intent["type"] == "target_coverage"


def test_a_column_the_tables_print_by_name_read_on_the_total_row(asker):
    answer = asker.ask("西南大学2023年部门预算里，事业收入当中的教育收费是多少？")
    assert answer.intent["type"] == "column_total" and [r["金额(万元)"] for r in answer.rows] == [74162.23]
    share = asker.ask("西南大学2023年决算里教育收费占事业收入的百分比？")
    assert [r["占比(%)"] for r in share.rows] == [54.0]
    listed = asker.ask("西南大学2023年决算的财政拨款支出决算表里哪些科目有基本建设资金支出？")
    assert listed.intent["type"] != "column_total"


def test_a_members_line_from_its_block_in_its_departments_table_by_unit(asker):
    """广州市统计普查中心 prints no report: its 商品和服务支出 is the line under its row in 表11."""
    answer = asker.ask("广州市统计普查中心2026年基本支出中商品和服务支出有多少？")
    assert answer.intent["type"] == "member_line" and [r["金额(万元)"] for r in answer.rows] == [102.93]
    chained = asker.ask("广州市统计局2026年两个下属事业单位里收入预算更多的那一家，工资福利支出是多少？")
    assert [r["金额(万元)"] for r in chained.rows] == [1155.76]
