"""部门整体支出绩效目标表 in its three printed shapes: a table of units continued over pages, a
form naming 部门（单位）名称 whose indicators start overleaf, and a form naming no unit. Each is
read as its unit's whole-spending target — indicators found like a project's, no project itself."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kg.extract import extract
from kg.extract.report import build_report

from tests.extract.test_family_rules import SUMMARY, doc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

COVER = [(1, "2026年"), (1, "长沙市某某局部门预算"), (2, "收支总表"), (2, "单位：万元"), (2, SUMMARY)]

UNITS_HEADER = [
    ["单位编码", "单位名称", "年度预算申请", "", "", "", "整体绩效目标", "部门整体支出年度绩效目标", "", "", "", "", "", ""],
    ["", "", "资金总额", "按收入性质分", "按支出性质分", "", "", "", "", "", "", "", "", ""],
    ["", "", "", "一般公共预算", "基本支出", "项目支出", "", "一级指标", "二级指标", "三级指标", "指标值类型", "指标值",
     "计量单位", "指标解释"],
]


def _unit_row(*indicator):
    return ["126001", "长沙市某某局", "1,935.36", "1,935.36", "1,517.95", "417.41", "1.做好来访接待。", *indicator]


def test_a_table_of_units_over_two_pages_is_one_whole_spending_target():
    first = UNITS_HEADER + [
        _unit_row("产出指标", "数量指标", "接待走访群众数量", "≥", "3000", "人次", "接谈群众人次"),
        ["", "", "", "", "", "", "", "", "质量指标", "督办件审核化解率", "≥", "80", "%", "化解件数/督办件数"],
        ["", "", "", "", "", "", "", "", "", "审批程序规范性", "定性", "合规", "", "按办法审批"],
    ]
    second = UNITS_HEADER + [
        _unit_row("满意度指标", "服务对象满意度指标", "群众参评满意率", "≥", "90", "%", "满意件数/参评件数"),
    ]
    report = build_report(doc(*COVER, (30, "2026年部门整体支出绩效目标表"), (30, "单位：万元"), (30, first),
                              (31, "2026年部门整体支出绩效目标表"), (31, "单位：万元"), (31, second)))
    [target] = report.projects
    assert (target.name, target.unit, target.covers_department) == ("长沙市某某局部门整体支出", "长沙市某某局", True)
    assert target.annual_total.value == Decimal("19353600.00")
    targets = {i.name: i.target.text for i in target.indicators}
    assert targets == {"接待走访群众数量": "≥3000人次", "督办件审核化解率": "≥80%", "审批程序规范性": "合规",
                       "群众参评满意率": "≥90%"}
    assert target.goal_annual.startswith("1.做好来访接待")


def test_a_form_naming_its_unit_with_indicators_overleaf():
    head = [["部门（单位）名称", "", "西安市某某局", "", ""],
            ["年度主要任务", "任务名称", "主要内容", "预算金额（万元）", ""],
            ["", "", "", "总额", "财政拨款"],
            ["", "1.机关运行", "保障人员经费", "2,022.39", "2,022.39"],
            ["", "金额合计", "", "3,643.37", "3,643.37"],
            ["年度总体目标", "目标1：保障机关运行。", "", "", ""]]
    overleaf = [["一级指标", "二级指标", "指标内容", "指标值"],
                ["产出指标", "数量指标", "开展安全生产日常监督检查", "≥80%"],
                ["", "时效指标", "案件办理时限", "≤2月"]]
    report = build_report(doc(*COVER, (33, "2019年部门整体支出绩效目标表"), (33, head), (34, overleaf)))
    [target] = [p for p in report.projects if p.covers_department]
    assert (target.name, target.unit) == ("西安市某某局部门整体支出", "西安市某某局")
    assert target.annual_total.value == Decimal("36433700.00")
    assert {i.name: i.target.text for i in target.indicators} == {"开展安全生产日常监督检查": "≥80%", "案件办理时限": "≤2月"}


def test_a_form_naming_no_unit_takes_the_caption_and_its_goal_below_the_label():
    form = [["当年整体绩效目标", "", "", "", "", "", ""],
            ["完善全市水网建设布局，续建大中型水库27个。", "", "", "", "", "", ""],
            ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"],
            ["", "续建大中型水库", "≥", "27", "座", "20", "是"],
            ["", "断面监测检查对象数量", "≥", "684", "个数", "10", "否"]]
    report = build_report(doc(*COVER, (30, "表十"), (30, "2026 年部门整体绩效目标表"), (30, "单位名称：重庆市某某局"), (30, form)))
    [target] = [p for p in report.projects if p.covers_department]
    assert target.name == "重庆市某某局部门整体支出"
    assert target.goal_annual.startswith("完善全市水网建设布局")
    assert [(i.name, i.target.text, i.weight) for i in target.indicators] == \
        [("续建大中型水库", "≥27座", Decimal("20")), ("断面监测检查对象数量", "≥684个数", Decimal("10"))]


def test_real_reports_keep_their_projects_and_gain_the_department_target():
    report = extract(FIXTURES / "doc01.pdf")  # a 长沙 department: the table of units over three pages
    [target] = [p for p in report.projects if p.covers_department]
    assert target.name == "长沙市信访局部门整体支出" and target.pages == [30, 31, 32]
    assert {"国家局督办件审核化解率": "≥80%", "信访事项按期答复率": "≥95%"}.items() <= \
        {i.name: i.target.text for i in target.indicators}.items()
    assert len(target.indicators) == 25
    assert "信访业务工作专项" in {p.name for p in report.projects if not p.covers_department}


def test_a_whole_spending_self_evaluation_split_where_its_columns_change():
    funds = [["部门（单位）名称", "", "", "西安市某某委员会", "", "", "", "", "", "", "", "", ""],
             ["年度主要任务完成情况", "任务名称", "主要内容", "完成情况", "全年预算数（万元）", "", "", "全年执行数（万元）",
              "", "", "分值", "执行率", "得分"],
             ["", "", "", "", "总额", "财政拨款", "其他资金", "总额", "财政拨款", "其他资金", "", "", ""],
             ["", "公共卫生", "提供公共卫生服务", "任务完成", "300", "200", "100", "240", "200", "40", "5", "80.00%", "4"],
             ["", "金额合计", "", "", "1,000.00", "800.00", "200.00", "900.00", "800.00", "100.00", "10", "90.00%", "9"]]
    rest = [["年度总体目标完成情况", "预期目标（年初设定）", "", "目标实际完成情况", "", "", "", ""],
            ["", "目标1：提升服务能力", "", "目标1：已提升", "", "", "", ""],
            ["年度绩效指标完成情况", "一级指标", "二级指标", "指标内容", "年度指标值", "实际完成值", "分值", "得分"],
            ["", "产出指标", "数量指标", "指标1：门诊诊疗人次", "≥800万人次", "2484万人次", "2", "2"],
            ["总分", "", "", "", "", "", "100", "99.5"]]
    report = build_report(doc(*COVER, (30, "西安市某某委员会部门整体支出绩效自评表"), (30, funds), (30, rest)))
    [target] = [p for p in report.projects if p.covers_department]
    evaluation = target.self_evaluation
    assert target.name == "西安市某某委员会部门整体支出"
    assert (evaluation.full_year_budget.value, evaluation.executed.value, evaluation.execution_rate, evaluation.total_score) \
        == (Decimal("10000000.00"), Decimal("9000000.00"), Decimal("90.00"), Decimal("99.5"))
    assert evaluation.annual_goal == "目标1：提升服务能力" and evaluation.deviation is None
    assert [(i.name, i.target.text, i.actual.text) for i in target.indicators] == [("门诊诊疗人次", "≥800万人次", "2484万人次")]


def test_a_real_whole_spending_self_evaluation():
    report = extract(FIXTURES / "doc33.pdf")  # a 西安 决算: funds, then goals and indicators split off below
    [target] = [p for p in report.projects if p.covers_department]
    assert (target.self_evaluation.execution_rate, target.self_evaluation.total_score) == (Decimal("83.16"), Decimal("99.5"))
    assert len(target.indicators) == 20
