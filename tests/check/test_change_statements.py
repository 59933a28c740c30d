"""Changes the 情况说明 states in words: the reason given against the change, one change stated
twice, and the 三公 parts' changes against the total's. Texts are the shapes real reports print
(quoted from the corpus); each rule fires on the slip and stays silent on the printed text."""
from __future__ import annotations

import pytest

from tests.check.prose_helpers import messages as _messages
from tests.check.prose_helpers import report as prose_report


def report(*paragraphs: str, year: int = 2026, kind: str = "预算"):
    return prose_report(*paragraphs, year=year, kind=kind, first_page=5)


def messages(rep, rule: str = "comparison.words") -> list[str]:
    return _messages(rep, rule)


# -- the reason against the change ---------------------------------------------------------

PRINTED_REASONS = [
    "2.住房改革支出（款）提租补贴（项）支出117.13万元，与上年相比增加7.38万元，增长6.72%。主要原因是人员变化和用工人员增加带来经费的增长。",
    "3.科学技术支出比上年减少1,985.18万元，主要原因是较上年减少了一个206基建项目和国重实验室拨款减少；",
    "年初预算19779.08万元，支出决算18,750.36万元，完成年初预算的94.8%。决算数小于年初预算数的主要原因是：西安市中心血站设备采购中标金额小于预算金额。",
    "2045.01万元，比上年预算减少29.30万元，下降1.41%。主要是在职民警及普通雇员人数较上年度减少导致机关运行经费的下降。",
    "比上年增加2943.64万元，主要原因是水电职院学生人数增加、机关及直属单位人员增加；",
    "机关运行经费122.98万元，比上年预算增加7.20万元，上升6.22%。主要是人员增加，经费较上年增加。",
    "与上年相比增加2025.97万元，增长55.35%。主要原因是工资性收入增加后，调增了住房补贴、住房公积金计发基数，相应增加了相关支出。",
    "1,596.64万元，比上年减少338.52万元，下降17.49%，主要原因是2024年中央就业补助资金较2023年减少465.4万元，在职人员退休导致工资福利费用较上也有所减少，故预算收入较上年减少；",
    # a reason about the base year runs the other way and is not read
    "452.76万元，比上年减少32.51万元，下降6.70%，主要原因是2025年有搬家费20万元和在职人员绩效工资增加原因形成；",
    # mixed reasons: an increase with a cut elsewhere
    "与上年相比增加134.37万元，增长0.82%。主要原因是人员工资有一定增加，同时检察办案费等项目支出有一定比例压减。",
    "较上年减少39.15万元，下降22.39%，下降的主要原因是：补贴到期的人员增多，享受购房补贴的人员减少",
    # parts of the change with their amounts are components, not the reason's direction
    "收入比2025年减少246429.22万元，主要原因是一般公共预算财政拨款增加10300.15万元，政府性基金预算财政拨款减少258146.77万元。",
]


def test_printed_reasons_agree_with_their_changes():
    assert messages(report(*PRINTED_REASONS)) == []


def test_a_reason_that_only_runs_against_the_change():
    found = messages(report("（1）一般公共预算拨款收入105,814.6万元，与上年相比增加24,193.01万元，增长29.64%。主要原因是项目支出减少。"))
    assert len(found) == 1 and "第5页" in found[0] and "项目支出减少" in found[0]
    found = messages(report("3.科学技术支出比上年增加1,985.18万元，主要原因是较上年减少了一个206基建项目和国重实验室拨款减少；"))
    assert len(found) == 1
    found = messages(report("决算数小于年初预算数的主要原因是：西安市中心血站设备采购中标金额大于预算金额。", kind="决算"))
    assert len(found) == 1


def test_the_effect_the_reason_ends_on():
    found = messages(report("与上年相比增加7.38万元，增长6.72%。主要原因是人员变化和用工人员增加带来经费的下降。"))
    assert len(found) == 1 and "经费的下降" in found[0]
    found = messages(report("与上年相比增加2025.97万元，增长55.35%。主要原因是工资性收入增加后，调增了住房补贴，相应减少了相关支出。"))
    assert len(found) == 1


def test_a_cause_against_its_effect():
    found = messages(report("比上年预算增加7.20万元，上升6.22%。主要是人员减少，经费较上年增加。"))
    assert len(found) == 1 and "人员减少" in found[0]
    found = messages(report("比上年减少338.52万元，下降17.49%，主要原因是在职人员退休导致工资福利费用较上也有所增加，故预算收入较上年减少；"))
    assert len(found) == 1


# -- one change stated twice ---------------------------------------------------------------

SHANGHAI = ("收入预算7,072万元，其中：财政拨款收入6,672万元，比2025年预算减少4万元；事业收入0万元。",
            "支出预算7,072万元，其中：财政拨款支出预算6,672万元，比2025年预算减少4万元。")


def test_one_figure_against_one_year_fixes_one_previous_figure():
    assert messages(report(*SHANGHAI), "comparison.change") == []
    slip = (SHANGHAI[0], SHANGHAI[1].replace("减少4万元", "减少6万元"))
    found = messages(report(*slip), "comparison.change")
    assert len(found) == 1 and "6672万元" in found[0] and "第5页" in found[0] and "第6页" in found[0]
    turned = (SHANGHAI[0], SHANGHAI[1].replace("减少4万元", "增加4万元"))
    assert len(messages(report(*turned), "comparison.change")) == 1


def test_small_figures_repeat_without_being_one_figure():
    # 公务接待费10万元 and 会议费10万元 are two lines with two last years
    assert messages(report("公务接待费预算支出10万元，比上年预算减少3万元。", "会议费预算支出10万元，比上年预算减少7万元。"),
                    "comparison.change") == []


def test_a_distinctive_change_stated_as_a_rise_and_as_a_fall():
    parts = "收入比2025年减少246429.22万元，主要是一般公共预算财政拨款增加10300.15万元，政府性基金预算财政拨款减少258146.77万元。"
    own = "政府性基金预算财政拨款支出40000万元，用于水库工程等项目支出，比2025年减少258146.77万元。"
    assert messages(report(parts, own)) == []
    found = messages(report(parts, own.replace("减少258146.77", "增加258146.77")))
    assert len(found) == 1 and "258146.77" in found[0]


# -- 三公 parts' changes -------------------------------------------------------------------

SHENZHEN = ("2026年财政拨款“三公”经费预算299.23万元，较2025年年初预算增加120.00万元。",
            "1.因公出国（境）费用。2026年预算数120.20万元，较2025年年初预算增加118.80万元，主要是年初预算数为0。",
            "2.公务接待费。2026年预算数24.23万元，较2025年年初预算增加0.00万元，主要是接待上级工作检查指导。",
            "公务用车购置费2026年预算数54.00万元，较2025年年初预算增加6.00万元，主要是2026年计划购置公务用车3辆；",
            "公务用车运行维护费2026年预算数100.80万元，较2025年年初预算减少4.80万元，主要是压减公务用车运行维护费。",
            "2026年机关运行经费预算8,013.52万元，较2025年年初预算减少140.91万元。")


@pytest.mark.parametrize("rule, index, printed, slip, quoted", [
    ("comparison.change", 3, "增加6.00", "减少6.00", ("120万元", "108万元")),  # a part's change turned
    ("narrative.parts", 4, "100.80", "600.80", ("299.23万元", "799.23万元")),  # a part's figure changed
])
def test_three_public_parts_add_up(rule, index, printed, slip, quoted):
    assert messages(report(*SHENZHEN), rule) == []
    turned = list(SHENZHEN)
    turned[index] = turned[index].replace(printed, slip)
    found = messages(report(*turned), rule)
    assert len(found) == 1 and all(q in found[0] for q in quoted)


def test_three_public_parts_not_all_stated_are_not_summed():
    assert messages(report(SHENZHEN[0], SHENZHEN[1], SHENZHEN[4]), "comparison.change") == []


def test_the_change_of_spending_is_the_sum_of_its_basic_and_project_changes():
    printed = "其他支出40000.00万元。支出比2025年减少246429.22万元，主要是基本支出增加5246.63万元，项目支出减少251675.84万元。"
    assert messages(report(printed), "comparison.change") == []
    found = messages(report(printed.replace("减少246429.22", "减少296429.22")), "comparison.change")
    assert len(found) == 1 and "296429.22" in found[0] and "246429.21" in found[0]
    # the change of one part explained by its own parts is no such identity
    one_part = "基本支出比2025年减少300万元，主要是基本支出增加5246.63万元，项目支出减少251675.84万元。"
    assert messages(report(one_part), "comparison.change") == []
