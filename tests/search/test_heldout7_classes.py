"""Classes of failure the sixth blind held-out set left and the seventh showed: the budget units a
department's 预算单位构成 sentence lists (纳入本部门…编制范围的预算单位共计3家，具体包括：…; 只有本级，
没有其他二级预算单位)."""
from __future__ import annotations

import pytest

from search.ask import lineage
from search.ask.engine import Asker


class _Passage:
    def __init__(self, text: str):
        self.text = text


def test_the_budget_units_a_composition_sentence_lists():
    stated = _Passage("2.从预算单位构成看，纳入本部门2025年部门汇总预算编制范围的预算单位共计2家，"
                      "具体包括：某市信访局（本级），某市人民来访接待中心。")
    assert lineage.budget_units_in_text([stated])[0] == ["某市信访局（本级）", "某市人民来访接待中心"]
    only_own = _Passage("某市公安局部门只有本级，没有其他二级预算单位，因此，纳入2025年部门预算编制范围的只有某市公安局本级。")
    assert lineage.budget_units_in_text([only_own])[0] == ["某市公安局本级"]
    cut = _Passage("纳入本部门2026年部门汇总预算编制范围的预算单位共计42家，具体包括：某市教育局（本级），某市少年宫")
    assert lineage.budget_units_in_text([cut]) is None  # a list cut short is not the whole list


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


def test_a_departments_budget_units_as_its_text_states_them(asker):
    own = asker.ask("长沙市公安局2025年部门预算包含哪些预算单位？")
    assert [r["单位"] for r in own.rows] == ["长沙市公安局本级"]  # not the 支队 its 机构设置 lists
    listed = asker.ask("纳入江苏省人民检察院2019年部门汇总预算编制范围的预算单位有哪些？")
    assert len(listed.rows) == 3 and any("南京铁路运输检察院" in r["单位"] for r in listed.rows)


def test_a_members_share_of_its_department_whichever_is_named_first(asker):
    own = asker.ask("杭州市气象局2026年部门收入预算中，局本级占了百分之几？")
    assert [r["占比(%)"] for r in own.rows] == [85.27]
    member = asker.ask("无锡市教育局2026年部门预算中，无锡学院的收入占全部门收入合计的百分比是多少？")
    assert [r["占比(%)"] for r in member.rows] == [15.02]
    printed_bare = asker.ask("广州市统计局（本级）2026年收入预算占全部门收入预算的百分之几？")
    assert [r["占比(%)"] for r in printed_bare.rows] == [71.16]  # its row prints the department's bare name


def test_members_without_the_departments_own_budget_when_asked_so(asker):
    members = asker.ask("福州市医疗保障局2026年部门预算包含哪几个下属单位？")
    assert len(members.rows) == 3 and not any("本级" in r["单位"] for r in members.rows)
    second_level = asker.ask("西安市统计局2026年部门预算包括哪几个二级预算单位")
    assert len(second_level.rows) == 3  # its 二级预算单位 list names 西安市统计局本级 too
    none = asker.ask("长沙市公安局2025年部门预算除本级外包含几个二级预算单位？")
    assert [r["单位数"] for r in none.rows] == [0]


def test_lines_summed_and_ranked_within_a_group(asker):
    summed = asker.ask("2018年江苏省人民检察院一般公共预算安排的会议费和培训费合计是多少万元？")
    assert [r["合计(万元)"] for r in summed.rows] == [900.44]  # 培训费 of the 三公/会议/培训 table, not the basic line
    share = asker.ask("苏州市审计局2026年机关运行经费里金额最大的经济科目占机关运行经费总额的百分比是多少？")
    assert [(r["科目"], r["占比(%)"]) for r in share.rows] == [("其他商品和服务支出", 20.94)]
    excepted = asker.ask("上海市财务会计综合管理事务中心2026年一般公共预算基本支出的商品和服务支出里，"
                         "除“其他商品和服务支出”外金额最大的是哪一项？")
    assert [r["科目"] for r in excepted.rows] == ["委托业务费"]


def test_an_earlier_years_budget_is_refused_with_what_the_later_budget_states(asker):
    """The year's own report is missing, so no row; the answer says what the next year's budget
    states of it (较2025年减少22.24万元 → 330.24) — worked out as a row only when asked to (推算)."""
    earlier = asker.ask("重庆水利局2025年的“三公”经费预算是多少万元？")
    assert earlier.intent["type"] == "not_in_corpus_stated_previous" and not earlier.rows
    assert "语料库中没有" in earlier.answer and "330.24万元" in earlier.answer
    worked_out = asker.ask("请按重庆市水利局2026年预算说明推算，2025年的“三公”经费预算是多少万元？")
    assert [r["金额(万元)"] for r in worked_out.rows] == [330.24]
    assert not asker.ask("深圳市气象局2025年度部门决算的财政拨款支出合计是多少？").rows  # a 决算 is no budget
    meeting = asker.ask("西安市统计局2025年部门预算安排的会议费是多少？")
    assert not meeting.rows and "2025年为" not in meeting.answer  # not worked out from the 机关运行经费's change


def test_projects_named_without_their_note_and_as_a_share_or_an_item(asker):
    share = asker.ask("长沙市公安局2025年警务辅助人员经费占全部项目支出预算的比重是多少？")
    assert [r["占比(%)"] for r in share.rows] == [38.45]
    item = asker.ask("深圳市气象局2026年预算最大的一级项目中，金额最高的子项是多少万元？")
    assert item.intent["type"] == "chain" and [r["预算(万元)"] for r in item.rows] == [560.7]
    implementer = asker.ask("深圳人社系统2026年预算中，市“鹏城优才一站式”服务平台项目是由哪个单位承担的？")
    assert [r["实施单位"] for r in implementer.rows] == ["深圳市人事人才公共服务中心"]


def test_one_kind_of_vehicle_from_the_text_not_the_total(asker):
    kind = asker.ask("江苏省检察院2019年部门预算披露的执法执勤用车有多少辆？")
    assert kind.intent["type"] == "prose_figure" and "40辆" in kind.answer


def test_members_ranked_without_the_departments_own_budget_when_asked_so(asker):
    ranked = asker.ask("2019年西安市安监局下属单位中一般公共预算拨款最多的那个单位是哪个？")
    assert [r["单位"] for r in ranked.rows] == ["西安市安全生产执法监察支队"]  # not its 本级
    chained = asker.ask("无锡市教育局2026年部门预算中，除本级外收入最多的预算单位，其一般公共预算拨款收入是多少万元？")
    assert chained.intent["type"] == "chain" and [r["所指"] for r in chained.rows] == ["无锡学院"]
    assert [r["一般公共预算财政拨款收入(万元)"] for r in chained.rows] == [70377.19]
    with_own = asker.ask("2026年无锡市教育局部门预算的所属预算单位中，收入预算超过3亿元的有哪些？")
    assert any("本级" in r["单位"] for r in with_own.rows)  # 所属预算单位 counts the 本级 among them


def test_changes_between_two_reports_and_the_change_column_of_a_three_public_table(asker):
    final = asker.ask("西南大学2023年财政拨款收入的决算数比当年部门预算数多了多少万元？")
    assert [r["决算比预算增减(万元)"] for r in final.rows] == [12139.0]  # 多了多少 with no 比上年 word
    line = asker.ask("江苏检察院的津贴补贴（30102）预算，2019年比2018年增加了多少万元？")
    assert line.intent["type"] == "line_across_years" and [r["增减(万元)"] for r in line.rows] == [1290.53]
    column = asker.ask("西安市安全生产监督管理局2019年会议费预算比2018年增加了多少万元？")
    assert 14.74 in [r.get("增减额(万元)") for r in column.rows]  # the table's 增减变化情况 column


def test_projects_asked_within_the_project_spending(asker):
    funded = asker.ask("杭州市气象局2026年项目支出中，哪些项目使用了单位资金（非财政拨款）？")
    assert sorted(r["项目"] for r in funded.rows) == ["专业系统维护及科普", "气象业务建设"]
    over = asker.ask("长沙市信访局2026年项目支出绩效目标表列出的项目里，资金总额超过100万元的是哪几个？")
    assert sorted(r["项目"] for r in over.rows) == ["人民来访接待中心业务专项", "信访业务工作专项"]


def test_a_ranked_line_then_its_change_against_a_named_year(asker):
    line = asker.ask("江苏省人民检察院2019年财政拨款支出中金额最大的项级功能科目，比上年增加了多少万元？")
    assert line.intent["type"] == "chain" and [r["增减额(万元)"] for r in line.rows] == [1385.26]
    named = asker.ask("西南大学2023年度决算中财政拨款支出最多的项级科目，比2022年度决算增长了百分之几？")
    assert [r["增减率(%)"] for r in named.rows] == [0.29]  # 2022 is what it is compared with, not the year asked
    assert all(r.get("单位") == "西南大学" for r in named.rows)


def test_second_level_units_the_text_lists_beyond_the_tables():
    stated = _Passage("下属4个二级预算单位，分别是甲中心、乙总站（市水质监测中心）、丙信息中心和丁服务中心。")
    assert lineage.budget_units_in_text([stated])[0] == ["甲中心", "乙总站（市水质监测中心）", "丙信息中心", "丁服务中心"]
