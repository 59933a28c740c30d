"""Totals the prose states with their parts, balances, changes whose subject is ambiguous, and
the template's equipment thresholds. Real text shapes (quoted from corpus reports); each rule
fires on the slip and stays silent on the printed text."""
from __future__ import annotations

from tests.check.prose_helpers import messages
from tests.check.prose_helpers import report as prose_report


def report(*paragraphs: str, year: int = 2026, kind: str = "预算"):
    return prose_report(*paragraphs, year=year, kind=kind, first_page=7)


PROCUREMENT = "2025年度政府采购支出预算总额225.52万元，其中：拟采购货物支出0万元、拟采购工程支出0万元、拟采购服务支出225.52万元。"


def test_parts_listed_after_qizhong_do_not_exceed_their_total():
    assert messages(report(PROCUREMENT), "narrative.parts") == []
    found = messages(report(PROCUREMENT.replace("服务支出225.52", "服务支出725.52")), "narrative.parts")
    assert len(found) == 1 and "第7页" in found[0] and "725.52" in found[0]
    goals = "纳入2026年部门整体支出绩效目标的金额为1535.36万元，其中，基本支出1517.95万元，项目支出417.41万元，具体绩效目标见附表。"
    assert len(messages(report(goals), "narrative.parts")) == 1


def test_lists_that_are_not_the_totals_parts():
    printed = [
        # a partial list is not wrong
        "支出预算7,072万元，其中：财政拨款支出预算6,672万元，比2025年预算减少4万元。",
        # the 其中 after a list's last item belongs to the list's total
        "财政拨款收支总预算452.76万元。其中：一般公共预算拨款452.76万元，政府性基金预算拨款0万元，国有资本经营预算拨款0万元。"
        "其中：当年拨款收入452.76万元，上年结转收入0万元。",
        # a list within the list
        "支出100万元，其中：基本支出80万元，其中人员经费60万元；项目支出20万元。",
        # an aside between the total and its parts
        "机关运行经费预算180.96万元（预算内安排63.6万元）。其中：办公费2.92万元、劳务费105万元、工会经费14.31万元。",
    ]
    assert messages(report(*printed), "narrative.parts") == []


BALANCE = ("2022年度政府性基金预算财政拨款年初结转和结余58,830.98万元，收入决算509,220.66万元，支出决算568,051.63万元，"
           "年末结转和结余0万元。")


def test_a_stated_balance_carries_over():
    assert messages(report(BALANCE, kind="决算", year=2022), "narrative.parts") == []
    found = messages(report(BALANCE.replace("509,220.66", "529,220.66"), kind="决算", year=2022), "narrative.parts")
    assert len(found) == 1 and "年末结转和结余" in found[0]


TOTAL_CHANGE = ("2024年度预算收入总计1,596.64万元，其中：本年收入1,100.24万元，上年结转496.40万元，比上年减少338.52万元，"
                "下降17.49%，主要原因是中央就业补助资金减少。")


def test_a_change_and_its_rate_fix_one_of_the_figures_before_them():
    assert messages(report(TOTAL_CHANGE, year=2024), "comparison.change") == []
    found = messages(report(TOTAL_CHANGE.replace("338.52", "368.52"), year=2024), "comparison.change")
    assert len(found) == 1 and "368.52" in found[0]


ASSETS = "截至2025年12月31日，本部门共有车辆0辆；单价100万元（含）以上设备（不含车辆）6台（套）。"


def test_equipment_thresholds_of_the_template():
    fine = (ASSETS, "单价50万元以上通用设备0台（套），单价100万元以上专用设备0台（套）。", "单价20万元以上设备3台。")
    assert messages(report(*fine), "template.threshold") == []
    found = messages(report(ASSETS.replace("单价100万元", "单价1400万元")), "template.threshold")
    assert len(found) == 1 and "1400万元" in found[0] and "第7页" in found[0]


def test_a_total_made_of_this_years_income_and_the_carry_over():
    printed = "2026年度预算收入总计483.69万元，其中：本年收入483.69万元，上年结转0万元，比上年减少0.06万元，下降0.01%。"
    assert messages(report(printed), "narrative.parts") == []
    found = messages(report(printed.replace("本年收入483.69", "本年收入183.69")), "narrative.parts")
    assert len(found) == 1 and "与总数不符" in found[0]


def test_a_share_of_the_total_its_list_header_states():
    header, item = "省检察院本年收入预算合计24,169.74万元，其中：", "一般公共预算收入24,169.74万元，占100%。"
    assert messages(report(header, item, year=2019), "comparison.change") == []
    found = messages(report(header, item.replace("24,169.74", "64,169.74"), year=2019), "comparison.change")
    assert len(found) == 1 and "100%" in found[0]
    assert messages(report("说明如下。", item.replace("24,169.74", "64,169.74"), year=2019), "comparison.change") == []


def test_the_vehicle_costs_are_the_whole_of_their_purchase_and_running_costs():
    from kg.model import Section

    def headed(amount: str):
        rep = report(f"2026年预算安排{amount}万元，其中：公务用车运行费0.00万元，与上年持平；公务用车购置费0.00万元，与上年持平。")
        rep.sections[0] = Section(["六、“三公”经费支出情况", "（三）公务用车购置及运行费"], rep.sections[0].paragraphs, 7)
        return rep

    assert messages(headed("0.00"), "narrative.parts") == []
    found = messages(headed("0.20"), "narrative.parts")
    assert len(found) == 1 and "0.20" in found[0]
    # a 三公 total listing only the vehicle costs is a partial list: falling short is no slip
    partial = "“三公”经费预算5.00万元，其中：公务用车运行费0.00万元；公务用车购置费0.00万元。"
    assert messages(report(partial), "narrative.parts") == []
