"""Classes of failure the eighth blind held-out set showed: units as people name them when
several are compared (上海财会中心, 长沙公安, 深圳和杭州两个市气象局, X（本级）), projects asked for by
what they do, a unit's 部门 and 单位 reports of one year, indicators of one type, and numbers the
text states after the question's own words."""
from __future__ import annotations

import pytest

from kg.graph.entities import Entity, _short_unit_forms, name_parts
from search.ask import prose
from search.ask.engine import Asker
from search.ask.paraphrase import described_project
from search.ask.report_rows import department_first
from search.ask.statements import _one_of_its_uses


class _Passage:
    def __init__(self, text: str):
        self.text = text


def test_a_unit_printed_with_its_other_name_is_known_by_each_and_a_bureau_by_place_and_trade():
    assert name_parts("上海市财务会计综合管理事务中心（上海市财政科学研究所）") == [
        "上海市财务会计综合管理事务中心", "上海市财政科学研究所"]
    assert name_parts("西安市统计局") == ["西安市统计局"]
    assert {"长沙公安", "长沙公安局"} <= _short_unit_forms("长沙市公安局")
    assert "深圳人社" in _short_unit_forms("深圳市人力资源和社会保障局")
    assert not any(f.endswith("分") for f in _short_unit_forms("深圳市社会保险基金管理局福田分局"))  # not 福田分


def test_an_item_named_only_among_the_uses_of_another_amount_is_not_its_amount():
    shared = "1.“一般公共服务支出”科目1,744万元，主要用于人员经费、公用经费等基本支出，以及会计考试专项经费、注册会计师考试专项经费"
    assert _one_of_its_uses("会计考试专项经费", shared, "1744")
    single = "已安排专项转移支付资金5612.00万元，主要用于落实创业担保贷款奖补政策"
    assert not _one_of_its_uses("创业担保贷款奖补政策", single, "5612.00")
    named_first = "会计考试专项经费300万元，主要用于考务、阅卷等"
    assert not _one_of_its_uses("会计考试专项经费", named_first, "300")


def test_a_project_described_by_what_it_does_only_when_one_clearly_leads():
    repair = Entity("p1", "维修维护费", "project")
    subsidy = Entity("p2", "困难群众救助补助金", "project")
    texts = {"p1": (repair, ["维修维护费", "年度目标：用于市社会福利院、市儿童福利院、市救助站内部修缮、设备维护、消防整改等。"]),
             "p2": (subsidy, ["困难群众救助补助金", "用于城乡低保、特困人员救助供养。"])}
    assert described_project("哪个项目是用来给社会福利院和救助站做内部修缮和消防整改的？", texts) is repair
    assert described_project("哪个项目是用来买车的？", texts) is None  # no project says so


def test_a_number_after_the_questions_own_words_money_and_short_runs_only_when_asked():
    goal = _Passage("目标9：处理事故45起以上，全年组织各类检查200次，完成罚没任务150万元。")
    assert prose.stated_target("执法监察方面定的罚没任务是多少", [goal]) is None  # six-character runs, no money
    found = prose.stated_target("执法监察方面定的罚没任务是多少", [goal], money=True, shortest=4)
    assert (found.value, found.measure) == ("150", "万元")
    assert prose.asked_measure("计划修缮多大建筑面积") == "平方米"
    assert prose.asked_measure("国家核定的后期扶持人口有多少") == "人"


def test_a_plainly_named_unit_with_a_department_and_a_unit_report_answers_from_the_department():
    class _Intent:
        report_scope, own_level, units, comparison = None, set(), ["某市教育局"], None

    rows = [{"unit_name": "某市教育局", "year": 2026, "kind": "预算", "report_scope": "部门", "value": 2411700},
            {"unit_name": "某市教育局", "year": 2026, "kind": "预算", "report_scope": "单位", "value": 20000},
            {"unit_name": "某市医保局", "year": 2026, "kind": "预算", "report_scope": "单位", "value": 50000}]
    kept, others = department_first(_Intent(), rows)
    assert [r["value"] for r in kept] == [2411700, 50000] and others == ["某市教育局"]
    asked_own = _Intent()
    asked_own.own_level = {"某市教育局"}
    assert department_first(asked_own, rows) == (rows, [])
    corpus_wide = _Intent()
    corpus_wide.units = []  # 2026年“三公”经费不足10万元的单位: both reports are entries
    assert department_first(corpus_wide, rows) == (rows, [])


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


def test_units_as_people_name_them_when_several_are_compared(asker):
    short = asker.ask("上海财会中心2026年财政拨款收入比2025年增加了多少？")
    assert [r["增减(万元)"] for r in short.rows] == [19.0]
    placed = asker.ask("深圳和杭州两个市气象局，2026年“三公”经费预算哪家更高？")
    assert [r["单位"] for r in placed.rows] == ["深圳市气象局"]
    three = asker.ask("江苏省检察院2019年、长沙公安2025年、西安统计局2026年这三家里，“三公”经费预算最高的是谁？")
    assert [r["单位"] for r in three.rows] == ["长沙市公安局"]
    own = asker.ask("上海刑科院、福州医保局和无锡市教育局（本级）这三家，2026年“三公”经费预算哪家最高？")
    assert [r["单位"] for r in own.rows] == ["福州市医疗保障局"]  # the 本级's 2万元, not the department's 241.17


def test_members_named_after_their_department_are_summed_without_it(asker):
    both = asker.ask("西安市统计局下面的社会经济调查中心和普查中心，2026年预算一共多少？")
    assert [r["合计(元)"] for r in both.rows] == [21050169.66]  # printed in 元: the sum in 元 too
    centres = asker.ask("广州统计局下面的统计普查中心和统计监测中心，2026年收入预算合计多少？")
    assert [r["合计(万元)"] for r in centres.rows] == [2735.45]


def test_counts_of_items_and_of_budget_units_are_one_count(asker):
    items = asker.ask("深圳气象局的一级项目“综合管理”一共有多少个子项？")
    assert [r["子项数"] for r in items.rows] == [12]
    units = asker.ask("无锡市教育局2026年部门汇总预算一共包含多少家预算单位？")
    assert [r["单位数"] for r in units.rows] == [42]


def test_projects_asked_by_what_they_do(asker):
    repair = asker.ask("福州民政局哪个项目用于社会福利院、儿童福利院和救助站的内部修缮和消防整改？")
    assert [r["项目"] for r in repair.rows] == ["维修维护费"]
    kit = asker.ask("西安安监局给危化品专业救援队伍购置装备的那个项目预算是多少？")
    assert [r["预算(万元)"] for r in kit.rows] == [43.17]


def test_a_department_and_unit_report_of_one_year_and_a_figure_only_the_text_states(asker):
    plain = asker.ask("无锡教育局2026年“三公”经费预算是多少？")
    assert [r["“三公”经费(万元)"] for r in plain.rows] == [241.17] and "本级" in plain.answer
    stated = asker.ask("西南大学2023年决算的事业收入是多少？")
    # stated in the text, and read from the 收支总表's 事业收入 line as a report figure too
    assert [r.get("金额(万元)", r.get("事业收入(万元)")) for r in stated.rows] == [136385.24]


def test_indicators_of_one_type_a_target_and_an_area(asker):
    quality = asker.ask("西安市统计局社情民意调查项目有哪几项质量指标？")
    assert sorted(r["指标"] for r in quality.rows) == sorted(["调查数据准确率（%）", "访问覆盖率（%）"])
    target = asker.ask("长沙信访局人民来访接待中心业务专项接待来市走访群众数量的目标定了多少？")
    assert [r["指标值"] for r in target.rows] == ["3000"]
    area = asker.ask("西南大学2023年“中央高校改善基本办学条件专项-房屋修缮项目”修缮多大建筑面积？")
    assert [r["指标值"] for r in area.rows] == ["36377.3平方米"]


def test_numbers_the_text_states(asker):
    rate = asker.ask("无锡教育局2026年的工作目标中普通高中学位供给率要提升到多少？")
    assert [r["数值"] for r in rate.rows] == [70]
    people = asker.ask("重庆市水利局2026年预算里，国家核定的大中型水库移民后期扶持人口有多少？")
    assert [r["数值"] for r in people.rows] == [450198]
    teachers = asker.ask("西南大学2023年部门预算的学校介绍里，专任教师有多少人？")
    assert [r["数值"] for r in teachers.rows] == [3233]
    growth = asker.ask("福州医保局2026年收入预算同比增长率是多少？")
    assert [r["增减率(%)"] for r in growth.rows] == [55.4]


def test_a_sum_of_counts_one_sentence_states():
    sentence = prose.Stated("21", "辆", "所属各预算单位共有车辆43辆，其中业务用车4辆，应急保障用车21辆，特种专业技术用车9辆", None, 9)
    total, parts = prose.stated_sum("所属单位的车里，应急保障用车和特种专业技术用车一共有多少辆", sentence)
    assert total == 30 and "特种专业技术用车9辆" in parts
    assert prose.stated_sum("应急保障用车和公务用车一共有多少辆", sentence) is None  # one of them is not stated


def test_sums_of_lines_and_table_rows(asker):
    lines = asker.ask("上海刑科院2026年社会保障和就业、卫生健康、住房保障这三类支出一共多少？")
    assert [r["合计(万元)"] for r in lines.rows] == [98.23]  # 社会保障和就业支出 is one line
    trainings = asker.ask("西安统计局2026年培训费明细表列出的培训，参训人数合计多少人？")
    assert [r["人数(人)"] for r in trainings.rows] == [1225.0]
    vehicles = asker.ask("重庆市水利局所属单位的应急保障用车和特种专业技术用车一共多少辆？")
    assert [r["数值"] for r in vehicles.rows] == [30]


def test_members_filtered_by_their_totals_named_after_a_unit_and_summed_by_difference(asker):
    big = asker.ask("深圳人社局2026年部门预算里哪些下属单位的预算超过5亿元？")
    assert "深圳市人事人才公共服务中心" in [r["单位"] for r in big.rows] and len(big.rows) < 5
    branches = asker.ask("深圳市社会保险基金管理局下设哪些分局？")
    assert len(branches.rows) == 11 and all(r["单位"].endswith("分局") for r in branches.rows)
    members = asker.ask("无锡市教育局2026年“三公”经费预算中，除局本级外下属单位合计多少？")
    assert [r["下属单位合计“三公”经费(万元)"] for r in members.rows] == [239.17]


def test_an_implementer_then_its_figure_and_a_year_only_compared_with(asker):
    implementer = asker.ask("杭州市气象局实施“专业系统维护及科普”项目的单位2026年收入预算是多少？")
    assert [r["收入总计(万元)"] for r in implementer.rows] == [865.62]
    compared = asker.ask("西安市卫健委2022年度收入总计比2021年增加了多少？")
    assert [r["增减(万元)"] for r in compared.rows] == [789183.4]
    missing = asker.ask("西安市卫健委2021年度收入总计是多少？")
    assert not missing.rows  # the 2021 report is not held


def test_a_projects_implementer_keeps_its_own_place(asker):
    implemented = asker.ask("西安卫健委2022年决算中，西安急救中心实施的项目有哪些？")
    names = {r["项目"] for r in implemented.rows}
    assert {"急救车辆更新", "转运队隔离保障经费"} <= names
    assert not any("西安市西安" in (e.name or "") for e in asker.lexicon.units.values())


def test_final_accounts_against_their_budget_and_things_counted_in_the_text(asker):
    actual = asker.ask("佛山轨道交通局2019年“三公”经费实际支出比年初预算超出多少？")
    assert [r["增减额(万元)"] for r in actual.rows] == [0.16]
    apart = asker.ask("西南大学2023年本年支出的预算数和决算数相差多少？")
    assert [r["增减额(万元)"] for r in apart.rows] == [11102.32]
    devices = asker.ask("深圳市气象局（本级）单价100万元以上的设备一共有多少台套？")
    assert [r["数值"] for r in devices.rows] == [36]


def test_a_project_pointed_at_by_its_amount(asker):
    lottery = asker.ask("福州市民政局2026年那75万元彩票公益金用在了哪个项目上？")
    assert [r["项目"] for r in lottery.rows] == ["白内障、血友病患者医疗救助费用"]


def test_a_unit_found_by_what_it_does_then_its_figure(asker):
    exams = asker.ask("深圳人社局系统中计划完成48.60万科次公务员考试的那家单位，2026年支出总计是多少？")
    assert [r["单位"] for r in exams.rows] == ["深圳市考试院"] and [r["支出总计(万元)"] for r in exams.rows] == [15368.5]
