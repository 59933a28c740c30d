"""Project forms and lists in the shapes Shaanxi 2019 prints them: a carried-over projects table
under caption rows, a 专项资金整体支出绩效目标表 with its name and department swapped, its money unit
inside a label, and indicator rows running over five pages without their header."""
from __future__ import annotations

from decimal import Decimal

from kg.extract.report import build_report
from tests.extract.test_family_rules import SUMMARY, doc

TITLE = (1, "2019年某某局部门预算")
HEAD = [(3, "收支总表"), (3, "单位：万元"), (3, SUMMARY)]


def test_projects_listed_under_caption_rows_with_a_budget_project_name_column():
    table = [["表11", "", "", "", "", ""], ["2019年部门综合预算财政拨款结转资金支出表", "", "", "", "", ""],
             ["", "", "", "", "", "单位：万元"],
             ["预算单位代码", "预算单位名称", "预算项目名称", "金额", "功能分类科目代码", "项目类别"],
             ["125001", "某某局", "拨付2017年度省级工业转型升级资金", "9.00", "2150510", "项目支出"],
             ["125001", "某某局", "省级安全生产专项", "2.61", "2150605", "项目支出"]]
    report = build_report(doc(TITLE, *HEAD, (29, "表11-财拨结转支出表"), (29, table)))
    assert [(p.name, p.annual_total.printed) for p in report.projects] == [
        ("拨付2017年度省级工业转型升级资金", "9.00"), ("省级安全生产专项", "2.61")]


def test_a_form_with_swapped_labels_its_unit_in_a_label_and_indicators_over_many_pages():
    head = [["专项（项目）名称", "", "某某局", ""], ["主管部门", "", "安全生产专项资金", ""],
            ["资金金额1620.98（万元）", "", "实施期资金总额", "1620.98"], ["", "", "其中：财政拨款", "1620.98"],
            ["年度总体目标", "目标1：开展全市范围安全生产大检查。", "", ""]]
    first = [["", "一级指标", "二级指标", "指标内容", "指标值"],
             ["产出指标", "", "数量指标", "指标1：开展安全生产日常监督检查", "≥80%"],
             ["", "", "", "指标2：驻局纪检组活动", "1项"]]
    second = [["质量指标", "指标1：工矿商贸企业事故死亡人数", "有一定幅度下降"], ["", "指标2：问题线索处置率", "≥100%"]]
    third = [["指标3：加强对全市安全生产状况的掌控", "90%"], ["指标4：派驻机构党风廉政建设水平", "有所提高"]]
    fourth = [["", "效益指标", "社会效益指标", "指标1：安全生产产生的效果", "100%"], ["", "", "", "指标2：事故死亡人数下降", "保持稳定"]]
    report = build_report(doc(TITLE, *HEAD, (39, "2019年专项资金整体支出绩效目标表"), (39, head), (40, first),
                              (41, second), (42, third), (43, fourth)))
    [project] = report.projects
    assert (project.name, project.department) == ("安全生产专项资金", "某某局")
    assert project.annual_total.value == Decimal("16209800")  # 万元, as the label says
    assert len(project.indicators) == 8 and project.pages == [39, 40, 41, 42, 43]


def test_a_project_name_cut_at_a_page_break_is_completed_from_the_forms_title():
    from kg.extract.report import _complete_from_title
    from kg.model import Project

    cut = Project(name="2026年医疗服务与保障能力提升补助资", printed_names=["2026年医疗服务与保障能力提升补助资"],
                  pages=[26, 27])
    _complete_from_title(cut, "2026 年医疗服务与保障能力提升补助资金项目绩效目标表")
    assert cut.name == "2026年医疗服务与保障能力提升补助资金" and cut.printed_names == [cut.name]
    whole = Project(name="气象业务建设", printed_names=["气象业务建设"], pages=[5, 6])
    _complete_from_title(whole, "气象业务建设项目绩效目标表")  # 项目 of the title is no part of the name
    assert whole.name == "气象业务建设"
    other = Project(name="综合管理", printed_names=["综合管理"], pages=[5, 6])
    _complete_from_title(other, "综合管理及培训项目绩效目标表")  # longer by more than a cut: another name
    assert other.name == "综合管理"
    one_page = Project(name="综合管理", printed_names=["综合管理"], pages=[5])
    _complete_from_title(one_page, "综合管理费项目绩效目标表")  # a form on one page has its whole name
    assert one_page.name == "综合管理"


def test_an_indicator_named_after_the_funds_is_no_form_label():
    """项目资金总额控制率 in an indicator row made a page of a project table look like a one-project
    form (长沙市公安局 p.32), so the project whose name the page prints was never read."""
    from kg.extract import forms

    assert forms.match_label("项目资金总额控制率") is None
    assert forms.match_label("项目资金（万元）") == "funds"


def test_a_blank_template_form_is_no_project():
    """西安 2026 prints an empty 专项资金总体绩效目标表: labels only, every indicator ``......``. The
    same form filled in, or its first page with the indicators overleaf, is a project."""
    def form(name, money, indicator):
        return [["项目名称", "", name, "", "", "", "", ""],
                ["主管部门", "", "", "", "实施期限", "", "", "执行率分值（10分）"],
                ["资金金额（万元）", "", "实施期资金总额：", "", "年度资金总额：", money, "", ""],
                ["总体目标", "实施期总目标", "", "", "年度总目标", "", "", ""],
                ["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "", "指标值", "分值权重（90分）"],
                ["", "产出指标", "数量指标", indicator[0], "", "", indicator[1], ""]]
    blank = build_report(doc(TITLE, *HEAD, (52, "专项资金总体绩效目标表"), (52, form("", "", ("......", "")))))
    assert not blank.projects
    filled = build_report(doc(TITLE, *HEAD, (52, "专项资金总体绩效目标表"),
                              (52, form("统计调查专项", "30.00", ("开展调查次数", "≥4次")))))
    [project] = filled.projects
    assert (project.name, project.period, project.department) == ("统计调查专项", None, None)
