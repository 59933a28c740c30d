"""Reading rules for the family of regional templates, each on a constructed layout.

Every rule here was written for a shape seen in real reports of some region (cover labels,
titles broken over lines, side-by-side column groups, project tables, 项目经费情况说明
sections, flat indicator columns …); these tests pin the shape, not one file.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.check import run_checks
from kg.errors import NotABudgetReport
from kg.extract.layout import RawDocument, Table, TextLine, is_sentence_row
from kg.extract.report import build_report
from kg.extract.tables import unstack_column_groups
from kg.model import YOY_BASIS, Amount, Project, ProjectAmount, SourceFile


def doc(*blocks) -> RawDocument:
    out = []
    for page, block in blocks:
        if isinstance(block, str):
            out.append(TextLine(block, page))
        else:
            out.append(Table([list(r) for r in block], [page] * len(block), [None] * len(block)))
    return RawDocument(SourceFile("constructed.pdf", "0" * 64, "pdf", pages=9), out)


SUMMARY = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"],
           ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "100.00"],
           ["收入总计", "100.00", "支出总计", "100.00"]]


def test_a_title_broken_over_lines_and_spaced_years_give_the_identity():
    report = build_report(doc((1, "2026 年度"), (1, "无锡市教育局（本级）"), (1, "单位预算公开"), (2, "目录"),
                              (3, "收支总表"), (3, "单位：万元"), (3, SUMMARY)))
    assert (report.unit, report.summary, report.year, report.kind, report.scope) == \
        ("无锡市教育局", "本级", 2026, "预算", "单位")
    assert report.identity["unit"].rule == "cover.title" and report.identity["unit"].page == 1


def test_cover_labels_name_the_unit_and_a_money_unit_is_not_part_of_it():
    report = build_report(doc((1, "上海市2026年市级单位预算"), (1, "预算单位：上海市某某研究院单位：元"),
                              (1, "预算主管部门：上海市公安局"),
                              (3, "收支总表"), (3, "单位：万元"), (3, SUMMARY)))
    assert (report.unit, report.year, report.scope, report.department) == ("上海市某某研究院", 2026, "单位", "上海市公安局")
    assert report.identity["unit"].rule == "cover.label"


def test_a_heading_is_never_the_unit():
    report = build_report(doc((1, "第三部分 2026年部门预算情况说明"), (1, "第一部分 苏州市某局概况"),
                              (3, "收支总表"), (3, "单位：万元"), (3, SUMMARY)))
    assert report.unit == "苏州市某局" and report.year == 2026 and report.scope == "部门"


def test_side_by_side_economic_groups_are_one_hierarchy_without_false_findings():
    table = [["科目编码", "科目名称", "金额", "科目编码", "科目名称", "金额"],
             ["301", "工资福利支出", "80.00", "302", "商品和服务支出", "20.00"],
             ["30101", "基本工资", "50.00", "30201", "办公费", "12.00"],
             ["30102", "津贴补贴", "30.00", "30202", "印刷费", "8.00"],
             ["合计", "", "100.00", "", "", ""]]
    stacked = unstack_column_groups(Table(table, [1] * 5, [None] * 5))
    assert [r[0] for r in stacked.rows] == ["科目编码", "301", "30101", "30102", "合计", "302", "30201", "30202"]
    report = build_report(doc((1, "某局2026年部门预算"), (2, "一般公共预算基本支出表"), (2, "单位：万元"), (2, table)))
    lines = {line.code: line.values["total"].value for line in report.tables[0].lines if line.code}
    assert lines["302"] == Decimal("200000.00") and lines["30202"] == Decimal("80000.00")
    errors = [f for f in run_checks(report) if f.severity == "error"]
    assert not errors, [f.message for f in errors]


def test_a_two_sided_summary_is_not_taken_for_column_groups():
    stacked = unstack_column_groups(Table([list(r) for r in SUMMARY], [1] * 4, [None] * 4))
    assert stacked.rows[0] == SUMMARY[0]


def test_a_one_row_grid_of_sentence_pieces_is_text():
    assert is_sentence_row(["2026", "年本", "单位", "项目支出预算", "417.", "41", "万元"])
    assert not is_sentence_row(["合计", "70,716,064", "24,148,064", "46,568,000"])


def test_a_project_table_with_unit_rows_goals_and_indicators():
    table = [["项目名称（资金使用单位）", "总计：", "财政拨款", "其他资金", "绩效目标", "绩效指标"],
             ["合计：", "350.00", "300.00", "50.00", "", ""],
             ["广州市某局", "350.00", "300.00", "50.00", "", ""],
             ["监测经费", "238.00", "238.00", "", "完成监测任务", "产出指标，数量指标，监测点位；指标值：≥27个"],
             ["信息化运维项目", "112.00", "62.00", "50.00", "保障系统运行", "效益指标，可用率≥99%"]]
    report = build_report(doc((1, "广州市某局2026年项目支出绩效目标表"), (1, "部门名称：广州市某局单位：万元"), (1, table)))
    assert (report.unit, report.year, report.kind, report.scope) == ("广州市某局", 2026, "预算", "部门")
    names = {p.name: p for p in report.projects}
    assert set(names) == {"监测经费", "信息化运维项目"}
    assert names["监测经费"].annual_total.value == Decimal("2380000.00") and names["监测经费"].unit == "广州市某局"
    assert names["信息化运维项目"].goal_annual == "保障系统运行"


def test_project_rows_followed_by_their_indicator_rows():
    table = [["单位编码", "单位（项目）名称", "资金总额", "绩效目标", "绩效指标", "", "", ""],
             ["", "", "", "", "一级指标", "二级指标", "三级指标", "指标值"],
             ["126001", "长沙市某局", "40.00", "", "", "", "", ""],
             ["126001", "业务工作经费专项", "40.00", "保障业务", "成本指标", "经济成本指标", "总成本", "40"],
             ["", "", "", "", "产出指标", "数量指标", "办理件数", "≥100件"],
             ["", "", "", "", "", "时效指标", "办结及时率", "≥95%"],
             ["", "", "", "", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"]]
    report = build_report(doc((1, "长沙市某局2026年部门预算公开"), (5, "项目支出绩效目标表"), (5, "单位：万元"),
                              (5, table)))
    (project,) = report.projects
    assert project.name == "业务工作经费专项" and project.annual_total.value == Decimal("400000.00")
    assert [(i.level1, i.level2, i.name) for i in project.indicators] == [
        ("成本指标", "经济成本指标", "总成本"), ("产出指标", "数量指标", "办理件数"),
        ("产出指标", "时效指标", "办结及时率"), ("满意度指标", "服务对象满意度指标", "群众满意度")]


def test_flat_indicator_columns_of_a_target_form():
    form = [["项目名称", "水库移民后期扶持", "", "主管部门", "重庆市某局", ""],
            ["当年预算", "12,700.00", "", "", "", ""],
            ["当年绩效目标", "覆盖区县30个以上", "", "", "", ""],
            ["绩效指标", "指标名称", "指标性质", "指标值", "计量单位", "指标权重(%)", "是否核心"],
            ["", "完工项目验收率", "≥", "90", "%", "20", "是"],
            ["", "实施项目数量", "≥", "86", "个", "20", "否"]]
    report = build_report(doc((1, "重庆市某局2026年部门预算"), (2, "市级重点专项资金绩效目标表"), (2, "单位：万元"),
                              (2, form)))
    (project,) = report.projects
    assert project.annual_total.value == Decimal("127000000.00") and project.goal_annual == "覆盖区县30个以上"
    assert [(i.name, i.target.comparator, i.target.number, i.weight) for i in project.indicators] == [
        ("完工项目验收率", "≥", Decimal("90"), Decimal("20")), ("实施项目数量", "≥", Decimal("86"), Decimal("20"))]
    assert [i.core for i in project.indicators] == [True, False]  # 是否核心: 是 / 否


def test_shanghai_project_sections_give_projects_with_their_basis():
    report = build_report(doc(
        (1, "上海市普陀区某局2024年度部门预算"), (2, "收支总表"), (2, "单位：万元"), (2, SUMMARY),
        (9, "一、网格化管理项目经费情况说明"), (9, "（一）项目概述"), (9, "开展城市网格化巡查。"),
        (9, "（二）立项依据"), (9, "根据《上海市城市网格化管理办法》（沪府令〔2013〕2号）设立。"),
        (9, "（三）实施主体"), (9, "上海市普陀区网格化综合管理中心。"),
        (9, "（四）实施周期"), (9, "2024年1月至12月。"),
        (9, "（五）年度预算安排"), (9, "2024年预算安排126.50万元。"),
        (10, "二、其他需要说明的事项"), (10, "无。")))
    (project,) = report.projects
    assert project.name == "网格化管理" and project.annual_total.value == Decimal("1265000.00")
    assert project.unit == "上海市普陀区网格化综合管理中心" and project.period == "2024年1月至12月。"
    assert [d.canonical for d in project.documents] == ["沪府令〔2013〕2号"] or \
        "沪府令〔2013〕2号" in {d.canonical for d in report.documents}


def test_enumerated_project_items_in_prose():
    report = build_report(doc((1, "深圳市某局2026年部门预算"), (2, "收支总表"), (2, "单位：万元"), (2, SUMMARY),
                              (3, "第三部分 部门预算支出具体情况"),
                              (3, "1.精准预报1,357.00万元，主要包括：（1）气象预报799.00万元，用于预报业务运行；"
                                  "（2）科研项目经费100.00万元，用于开展科研。（3）增人增资140.61万元，用于人员。")))
    assert {p.name: p.annual_total.value for p in report.projects} == {
        "气象预报": Decimal("7990000.00"), "科研项目经费": Decimal("1000000.00")}


@pytest.mark.parametrize("lines, says", [
    (["厦门市商务局文件", "厦商务规〔2024〕2号", "厦门市企业内设加油点管理暂行办法"], "政策文件"),
    (["长沙市财政项目支出绩效评价报告", "评价项目名称：某专项资金"], "绩效评价报告"),
    (["济南市某局政府信息公开申请表"], "申请表"),
])
def test_files_that_are_not_reports_say_what_they_are(lines, says):
    with pytest.raises(NotABudgetReport) as err:
        build_report(doc(*[(1, line) for line in lines], (1, "2026年预算安排100万元。")))
    assert says in str(err.value)


def test_a_transfer_notice_in_a_project_title_funds_the_project_at_its_issuers_level():
    from kg.graph.builder import build_graph
    from kg.graph.vocab import BKG

    table = [["项目名称", "金额", "绩效目标"],
             ["粤财工【2024】156号提前下达省商务厅2025年省级财政专项资金（珠海市口岸建设）", "300.00", "口岸建设"],
             ["口岸运行经费", "50.00", "保障运行"]]
    report = build_report(doc((1, "珠海市某局2025年部门预算"), (2, "项目支出绩效目标表"), (2, "单位：万元"), (2, table)))
    funded = report.projects[0]
    assert [(s.level, s.document, s.amount.value) for s in funded.fund_sources] == \
        [("省级", "粤财工〔2024〕156号", Decimal("3000000.00"))]
    assert not report.projects[1].fund_sources
    _, graph = build_graph(report)
    documents = {str(o) for o in graph.objects(None, BKG.fundingDocument)}
    assert len(documents) == 1


def test_rows_grouping_projects_are_not_projects():
    table = [["单位编码", "单位（项目）名称", "项目金额", "项目简介"],
             ["合计", "", "300.00", ""], ["119001", "西安市某局", "300.00", ""],
             ["", "通用项目", "200.00", ""], ["", "大型活动", "75.00", ""], ["", "业务培训", "75.00", ""],
             ["", "资料印刷", "125.00", ""], ["", "专用项目", "100.00", ""], ["", "设备购置", "60.00", ""],
             ["", "数据采集", "40.00", ""], ["", "档案整理", "40.00", ""]]
    report = build_report(doc((1, "西安市某局2026年部门预算"), (2, "专项业务经费支出表"), (2, "单位：万元"), (2, table)))
    assert [p.name for p in report.projects] == ["业务培训", "资料印刷", "设备购置", "数据采集", "档案整理"]


def test_a_group_of_one_bracketed_row_under_a_category_and_the_coded_unit_rows():
    """Only the coded rows of 单位编码 | 单位（项目）名称 are units (not 购买服务（审计、评价）, whose
    bracket made it look like one); a group of one row that is no category name is a group when
    the category above adds up only with it, and two projects of equal amounts stay projects."""
    table = [["单位编码", "单位（项目）名称", "项目金额", "项目简介"],
             ["119001", "西安市某局", "230.00", ""],
             ["", "通用项目", "130.00", ""], ["", "购买服务（审计、评价）", "30.00", ""], ["", "内审服务", "30.00", ""],
             ["", "委托咨询业务", "100.00", ""], ["", "法律咨询服务", "40.00", ""], ["", "统计调查监测", "60.00", ""],
             ["", "1%人口普查（2026）", "50.00", ""], ["", "农业普查", "50.00", ""],
             ["119002", "西安市某调查中心", "20.00", ""], ["", "社情民意调查", "20.00", ""]]
    report = build_report(doc((1, "西安市某局2026年部门预算"), (2, "专项业务经费支出表"), (2, "单位：万元"), (2, table)))
    assert [(p.name, p.unit) for p in report.projects] == [
        ("内审服务", "西安市某局"), ("法律咨询服务", "西安市某局"), ("统计调查监测", "西安市某局"),
        ("1%人口普查（2026）", "西安市某局"), ("农业普查", "西安市某局"), ("社情民意调查", "西安市某调查中心")]


def test_a_form_whose_goal_and_indicators_start_on_the_next_page():
    head = [["项目名称", "236中央高校管理改革等绩效拨款", "", "", ""],
            ["主管部门及代码", "教育部105", "实施单位", "西南大学本级", ""],
            ["项目资金（万元）", "年度资金总额：", "1111.98", "", ""]]
    rest = [["年度总体目标", "发放研究生各类助学金", "", "", ""],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "奖助学生人次", "2000人次"],
            ["", "满意度指标", "服务对象满意度指标", "获得资助研究生满意度", "90%"]]
    report = build_report(doc((1, "西南大学2023年度部门预算"), (17, "项目支出绩效目标表"), (17, head), (18, rest)))
    (project,) = report.projects
    assert project.department == "教育部"  # a central ministry keeps its name; its code 105 is split off
    assert project.annual_total.value == Decimal("11119800.00")
    assert [i.name for i in project.indicators] == ["奖助学生人次", "获得资助研究生满意度"]


def test_a_form_whose_funds_start_on_the_next_page():
    """The page ends right after the form's name and department: its funds, goal and
    indicators are the first table of the next page."""
    head = [["项目名称", "236高层次人才计划专项经费", "", ""], ["主管部门及代码", "教育部105", "实施单位", "西南大学本级"]]
    rest = [["项目资金（万元）", "年度资金总额：", "60.00", "执行率分值（10）"],
            ["", "其中：财政拨款", "60.00", ""],
            ["年度总体目标", "目标1：长江学者按照合同履行聘期任务，落实《长江学者奖励计划实施办法》", "", ""],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "发放奖金人次", "4人次"],
            ["", "满意度指标", "服务对象满意度指标", "受益教师满意度", "95%"]]
    report = build_report(doc((1, "西南大学2023年度部门预算"), (29, "项目支出绩效目标表"), (29, head), (30, rest)))
    (project,) = report.projects
    assert project.annual_total.value == Decimal("600000.00") and project.pages == [29, 30]
    assert project.goal_annual.startswith("目标1")  # 年度总体目标 is the year's goal
    assert "长江学者奖励计划实施办法" in [d.title for d in project.documents + project.references]
    assert [i.name for i in project.indicators] == ["发放奖金人次", "受益教师满意度"]


def _figure(report, key):
    return next((f.amount.value for f in report.figures if f.key == key and f.source == "table"), None)


def test_a_caption_printed_inside_the_frame_gives_the_tables_money_unit():
    table = [["财政拨款收支总表"], ["编制单位：某某中心", "", "单位：元"],
             ["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"],
             ["一、一般公共预算", "21,143,300", "一、一般公共服务支出", "21,143,300"],
             ["收入总计", "21,143,300", "支出总计", "21,143,300"]]
    report = build_report(doc((1, "2026年某某中心单位预算"), (3, [r + [""] * (4 - len(r)) for r in table])))
    assert _figure(report, "fiscal.income_total") == Decimal("21143300")  # 元, not 万元


def test_a_summary_without_carry_over_rows_states_the_years_income_as_its_total():
    report = build_report(doc((1, "2026年某某中心单位预算"), (3, "收支总表"), (3, "单位：万元"), (3, SUMMARY)))
    assert _figure(report, "income.current_year") == _figure(report, "income.total") == Decimal("1000000")
    with_carryover = SUMMARY[:3] + [["上年结转", "20.00", "", ""], ["收入总计", "120.00", "支出总计", "120.00"]]
    report = build_report(doc((1, "2026年某某中心单位预算"), (3, "收支总表"), (3, "单位：万元"), (3, with_carryover)))
    assert _figure(report, "income.current_year") is None


def test_a_three_group_summary_with_names_broken_over_rows():
    """收入 | 支出 by 功能分类 | by 支出用途, names wrapped over rows, 当年小计 + 结转 = 合计."""
    table = [["收入", "", "支出", "", "", ""],
             ["", "", "功能分类", "", "支出用途", ""],
             ["项目名称", "金额", "功能科目名称", "金额", "项目名称", "金额"],
             ["一、财政拨款", "150.00", "一、公共安全支出", "150.00", "一、基本支出", "100.00"],
             ["1.一般公共预", "", "", "", "二、项目支出", "50.00"],
             ["", "150.00", "", "", "", ""],
             ["算", "", "", "", "", ""],
             ["二、其他资金", "10.00", "二、住房保障支出", "10.00", "三、单位预留机动经", ""],
             ["", "", "", "", "费", "10.00"],
             ["当年收入小计", "160.00", "当年支出小计", "", "", "160.00"],
             ["上年结转资金", "", "结转下年资金", "", "", ""],
             ["收入合计", "160.00", "支出合计", "", "", "160.00"]]
    report = build_report(doc((1, "2019年度某检察院部门预算"), (3, "收支预算总表"), (3, "部门：某检察院 单位：万元"),
                              (3, table)))
    assert _figure(report, "income.general_budget") == Decimal("1500000")
    assert _figure(report, "income.other") == Decimal("100000")
    assert _figure(report, "income.current_year") == _figure(report, "income.total") == Decimal("1600000")
    assert _figure(report, "expenditure.current_year") == _figure(report, "expenditure.total") == Decimal("1600000")
    summary = next(t for t in report.tables if t.kind == "income_expenditure_summary")
    uses = {line.name: line.values["total"].value for line in summary.lines
            if line.side == "expenditure" and line.values and "支出用途" not in line.name}
    assert uses["一、基本支出"] == Decimal("1000000") and uses["三、单位预留机动经费"] == Decimal("100000")


def test_projects_named_in_a_procurement_table_when_the_report_lists_none_else():
    table = [["采购品目大类", "专项名称", "经济科目", "采购品目名称", "采购组织形式", "总计"],
             ["合计", "", "", "", "", "188.50"],
             ["货物", "", "", "", "", "5.50"],
             ["某市审计局", "", "", "", "", "5.50"],
             ["", "定额", "办公费", "复印纸", "集中采购", "1.30"],
             ["", "设备购置", "办公设备购置", "便携式计算机", "集中采购", "4.20"],
             ["服务", "", "", "", "", "183.00"],
             ["", "区域重点项目协审经费", "委托业务费", "审计服务", "分散采购", "170.00"],
             ["", "", "委托业务费", "其他服务", "分散采购", "13.00"]]
    report = build_report(doc((1, "2026年某市审计局部门预算"), (3, "政府采购支出表"), (3, "单位：万元"), (3, table)))
    amounts = {p.name: sum(a.amount.value for a in p.amounts if a.key == "procurement") for p in report.projects}
    assert amounts == {"设备购置": Decimal("42000"), "区域重点项目协审经费": Decimal("1830000")}  # 定额 is no project
    listed = build_report(doc((1, "2026年某市审计局部门预算"), (2, "项目支出表"), (2, "单位：万元"),
                              (2, [["项目名称", "金额", "绩效目标"], ["区域重点项目协审经费", "300.00", "完成协审"]]),
                              (3, "政府采购支出表"), (3, "单位：万元"), (3, table)))
    assert [p.name for p in listed.projects] == ["区域重点项目协审经费"]  # the report's own list wins
    assert "procurement" in {a.key for a in listed.projects[0].amounts}


def test_indicators_written_out_in_one_cell_of_a_project_table():
    """Guangzhou prints each project's indicators as one text: n、一级－…指标，二级－…，名称；…年度指标值：…"""
    table = [["项目名称（资金使用单位）", "总计：", "绩效目标", "绩效指标"],
             ["监测船运行维护费", "120.00", "保障1艘监测船的正常使用",
              "1、1－产出指标，11－数量指标，监测船年度航次（次）；实施周期指标值：≥40次，年度指标值：≥40次；"],
             ["", "", "", "2、3－满意度指标，31－服务对象满意度指标，服务对象满意度；实施周期指标值：100%，年度指标值：100%；"]]
    report = build_report(doc((1, "2026年某市生态环境局部门预算"), (3, "项目支出绩效目标表"), (3, "单位：万元"), (3, table)))
    [project] = report.projects
    assert [(i.level1, i.name, i.target.text) for i in project.indicators] == [
        ("产出指标", "监测船年度航次（次）", "≥40次"), ("满意度指标", "服务对象满意度", "100%")]


def test_a_three_public_table_by_unit_and_year_gives_the_departments_and_each_units_figures():
    """Shenzhen: 预算单位 | 年度 | 总计 | 因公出国(境)费 | 公务接待费 | 公务用车… with 2025/2026/增减 rows per unit,
    continued over pages; the department's 2026 row is the report's, the others are their units'."""
    header = [["预算单位", "年度", "总计", "因公出国(境)费", "公务接待费", "公务用车购置及运行维护费"]]
    rows = [["某市人社局", "2025年", "179.23", "1.40", "24.23", "153.60"],
            ["", "2026年", "299.23", "120.20", "24.23", "154.80"],
            ["", "增减变化金额", "120.00", "118.80", "0.00", "1.20"],
            ["某市劳动人事争议仲裁院", "2025年", "20.00", "0.00", "2.00", "18.00"],
            ["", "2026年", "22.02", "0.00", "2.02", "20.00"]]
    report = build_report(doc((1, "2026年某市人社局部门预算"), (3, "财政拨款“三公”经费支出表"), (3, "单位：万元"),
                              (3, header + rows)))
    totals = {f.key: f.amount.value for f in report.figures if f.key.startswith("three_public") and f.source == "table"}
    assert totals["three_public.total"] == Decimal("2992300") and totals["three_public.overseas"] == Decimal("1202000")
    units = {(f.subject, f.key): f.amount.value for f in report.unit_figures}
    assert units[("某市劳动人事争议仲裁院", "three_public.total")] == Decimal("220200")


def test_a_self_evaluation_without_a_balance_column_aligns_its_rate():
    """年初预算 | 全年预算 | 全年执行 | 分值 | 执行率 | 得分, the rate printed with %: no 结余 is read
    from the 分值, and the rate is the 100.00% printed after it."""
    form = [["项目名称", "病媒生物防制", "", "", "", "", ""],
            ["主管部门", "某市卫生健康委员会", "", "", "实施单位", "某市卫生健康委员会", ""],
            ["", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
            ["项目资金（万元）年度资金总额", "240", "229.19", "229.19", "10", "100.00%", "10.00"],
            ["其中：当年财政拨款", "240", "229.19", "229.19", "—", "", "—"],
            ["年度总体目标", "预期目标（年初设定）", "", "", "实际完成情况", "", ""]]
    report = build_report(doc((1, "某市卫生健康委员会2022年度部门决算"), (2, "项目支出绩效自评表"), (2, form)))
    evaluation = next(p.self_evaluation for p in report.projects if p.self_evaluation)
    assert evaluation.full_year_budget.wan == Decimal("229.19") and evaluation.executed.wan == Decimal("229.19")
    assert evaluation.execution_rate == Decimal("100.00") and evaluation.balance is None
    assert [f for f in run_checks(report, severities=("error",)) if f.rule == "project.self_evaluation"] == []


def test_prose_of_one_member_unit_is_that_units():
    """部门预算 that describe each 预算单位 under its own heading: their 项目支出 are not the department's."""
    report = build_report(doc(
        (1, "2026年某市人力资源和社会保障局部门预算"),
        (3, "收支总表"), (3, "单位：万元"), (3, SUMMARY),
        (5, "第三部分 部门预算支出具体情况"),
        (5, "一、某市人力资源和社会保障局（本级）"),
        (5, "某市人力资源和社会保障局（本级）预算60.00万元，包括在职人员经费40.00万元、项目支出20.00万元。"),
        (6, "二、某市劳动人事争议仲裁院"),
        (6, "（一）项目支出15.00万元，具体包括：")))
    own = [f for f in report.figures if f.key == "expenditure.project" and f.source == "text"]
    units = {(f.subject, f.amount.wan) for f in report.unit_figures if f.key == "expenditure.project"}
    assert own == []
    assert units == {("某市人力资源和社会保障局（本级）", Decimal("20.00")), ("某市劳动人事争议仲裁院", Decimal("15.00"))}


def test_three_public_purchase_printed_as_a_qualified_column():
    table = [["部门名称", "三公经费预（决）算数（财政拨款）", "", "", "", "", ""],
             ["", "小计", "公务接待费", "因公出国（境）费", "公务用车购置及运行费", "其中：公务用车购置", "其中：公务用车运行费"],
             ["合计", "458.50", "28.50", "30.00", "400.00", "150.00", "250.00"]]
    report = build_report(doc((1, "某市公安局2025年部门预算"), (4, "2025年一般公共预算“三公”经费支出情况表"),
                              (4, "单位：万元"), (4, table)))
    figures = {f.key: f.amount.wan for f in report.figures if f.key.startswith("three_public")}
    assert figures["three_public.vehicle_purchase"] == Decimal("150.00")
    assert figures["three_public.vehicle_operation"] == Decimal("250.00")


def test_decision_tables_captioned_with_the_compiling_department():
    """决算 tables captioned 公开0N表 / 编制部门：… / 金额单位：万元 are read (the 编制部门 line ended
    the caption before, so none of the nine tables had a title); a horizontal 三公 table with a
    预算数 row and a 决算数 row gives both."""
    summary = [["项目", "", "本年支出", "", ""], ["科目代码", "科目名称", "小计", "基本支出", "项目支出"],
               ["", "合计", "300.00", "100.00", "200.00"], ["201", "一般公共服务支出", "300.00", "100.00", "200.00"]]
    three = [["项目", "小计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
             ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
             ["预算数", "593.46", "", "591.60", "136.48", "455.12", "1.86"],
             ["决算数", "587.55", "", "587.44", "136.48", "450.96", "0.11"]]
    report = build_report(doc((1, "某市卫生健康委员会2022年度部门决算"),
                              (5, "一般公共预算财政拨款支出决算表"), (5, "公开05表"),
                              (5, "编制部门：某市卫生健康委员会（汇总）"), (5, "金额单位：万元"), (5, summary),
                              (7, "财政拨款“三公”经费支出决算表"), (7, "公开09表"),
                              (7, "编制部门：某市卫生健康委员会（汇总）"), (7, "金额单位：万元"), (7, three)))
    assert report.table("general_budget_expenditure") is not None
    reception = {f.basis: f.amount.wan for f in report.figures if f.key == "three_public.reception"}
    assert reception == {"预算数": Decimal("1.86"), "决算数": Decimal("0.11")}


def test_basic_spending_by_economic_class_with_staff_and_office_columns():
    """Hunan/Chongqing print 基本支出情况表 with 人员类 | 公用经费 columns: the totals are the
    report's 人员经费 and 公用经费."""
    table = [["经济科目编码", "经济科目名称", "总计", "人员类", "公用经费"],
             ["", "合计", "28,398.17", "26,353.16", "2,045.01"],
             ["301", "工资福利支出", "24,454.16", "24,454.16", ""],
             ["302", "商品和服务支出", "3,944.01", "1,899.00", "2,045.01"]]
    report = build_report(doc((1, "长沙市某局2025年部门预算"), (19, "2025年一般公共预算基本支出情况表"),
                              (19, "单位:万元"), (19, table)))
    figures = {f.key: f.amount.wan for f in report.figures if f.key.startswith("basic.")}
    assert figures == {"basic.personnel": Decimal("26353.16"), "basic.public": Decimal("2045.01")}


def test_procurement_total_and_three_public_by_year_groups():
    """A 政府采购预算表 whose 合计 row prints a 数量 before the amount, and a 三公 table printing
    2018年 | 2019年 | 增减变化情况 groups: the amount column and the report year's group are read."""
    procurement = [["单位编码", "采购项目", "数量", "元预算金额", "说明"],
                   ["", "合计", "86", "192.13", ""],
                   ["125001", "事故应急救援车", "1", "59.80", ""]]
    head = ["小计", "因公出国（", "公公务接待费", "务用车购置及运行维护"]
    three = [["单位编码", "单位名称", "2018年", "", "", "", "2019年", "", "", "", "增减变化情况", "", "", ""],
             ["", "", *head, *head, *head],
             ["", "合计", "24.08", "", "2.86", "21.22", "28.38", "", "4.38", "24.00", "4.30", "", "1.52", "2.78"]]
    report = build_report(doc((1, "西安市某局2019年部门预算"),
                              (30, "2019年部门综合预算政府采购预算表"), (30, "单位：万元"), (30, procurement),
                              (32, "2019年一般公共预算拨款“三公”经费支出预算表"), (32, "单位：万元"), (32, three)))
    figures = {f.key: f.amount.wan for f in report.figures if f.basis != YOY_BASIS}
    assert figures["procurement.total"] == Decimal("192.13")
    assert (figures["three_public.reception"], figures["three_public.vehicle_total"]) == (Decimal("4.38"), Decimal("24.00"))
    changes = {f.key: f.amount.wan for f in report.figures if f.basis == YOY_BASIS}  # the 增减变化情况 group
    assert (changes["three_public.reception"], changes["three_public.vehicle_total"]) == (Decimal("1.52"), Decimal("2.78"))


def test_self_evaluation_indicators_under_points_and_yearly_target_headers():
    """年度指标值 is the target column; 产出指标（50分） is a 一级指标 printed with its points, not an
    indicator of its own."""
    from kg.extract import indicators as kpi

    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    assert kpi.header_layout(header) == [["name", "target", "actual", "weight", "score", "deviation"]]
    assert kpi.level1_name("产出指标（50分）") == "产出指标" and kpi.level1_name("单位职工人数") is None


def test_points_column_printed_with_the_points_of_all_its_rows():
    """分值（90） and 指标权重（%） head the weight column: the header prints what the rows add up to."""
    from kg.extract import indicators as kpi

    for points in ("分值（90）", "分值(100分)", "指标权重（%）", "权重", "分值权重（90分）"):
        assert kpi.header_layout(["一级指标", "二级指标", "三级指标", "指标值", points]) == [["name", "target", "weight"]]
    assert kpi.header_layout(["一级指标", "二级指标", "三级指标", "指标值", "分值说明"]) == [["name", "target"]]


def test_a_summary_with_four_column_groups_and_spending_by_staff_office_and_special_funds():
    """Shaanxi's 收支总表: 收入 | 支出 by 功能分类 | by 部门预算经济分类 | by 政府预算经济分类, each
    group headed ``…科目（按大类）| 预算数``; 基本支出 is printed as 人员经费和公用经费支出, 项目支出
    as 专项业务经费支出. Each group's amounts stay with its own names."""
    table = [["收入", "", "支出", "", "", "", "", ""],
             ["项目", "预算数", "支出功能分类科目（按大类）", "预算数", "部门预算支出经济分类科目（按大类）", "预算数",
              "政府预算支出经济分类科目（按大类）", "预算数"],
             ["1、财政拨款", "150.00", "1、一般公共服务支出", "140.00", "1、人员经费和公用经费支出", "90.00",
              "1、机关工资福利支出", "80.00"],
             ["(1)一般公共预算拨款", "150.00", "2、外交支出", "", "(1)工资福利支出", "80.00", "2、机关商品和服务支出", "70.00"],
             ["", "", "3、教育支出", "10.00", "2、专项业务经费支出", "60.00", "", ""],
             ["本年收入合计", "150.00", "本年支出合计", "150.00", "本年支出合计", "150.00", "本年支出合计", "150.00"],
             ["收入总计", "150.00", "支出总计", "150.00", "支出总计", "150.00", "支出总计", "150.00"]]
    report = build_report(doc((1, "2019年部门综合预算"), (1, "某市某局"), (3, "部门综合预算收支总表"), (3, "单位：万元"),
                              (3, table)))
    assert _figure(report, "expenditure.basic") == Decimal("900000")
    assert _figure(report, "expenditure.project") == Decimal("600000")
    summary = next(t for t in report.tables if t.kind == "income_expenditure_summary")
    by_name = {line.name: line.values.get("total") for line in summary.lines if line.side == "expenditure"}
    assert by_name["2、外交支出"] is None and by_name["3、教育支出"].value == Decimal("100000")
    assert by_name["(1)工资福利支出"].value == Decimal("800000")


def test_codes_and_amounts_printed_beside_their_header_columns():
    """A Word export laid over a finer grid than its columns (Jiangsu 2018): class codes one grid
    column left of 功能科目代码, amounts alternating between two grid columns under one 金额. The
    codes are codes, not amounts, and every amount is the 金额 column's."""
    table = [["", "功能科目代码", "", "功能科目名称", "", "金额"],
             ["", "合计", "", "", "", "219.40"],
             ["204", "", "", "公共安全支出", "164.44", ""],
             ["20404", "", "", "检察", "164.44", ""],
             ["2040401", "", "", "行政运行", "", "108.83"],
             ["2040402", "", "", "一般行政管理事务", "55.61", ""],
             ["208", "", "", "社会保障和就业支出", "", "54.96"]]
    report = build_report(doc((1, "2018年度某检察院部门预算"), (3, "一般公共预算支出预算表"), (3, "单位：万元"),
                              (3, table)))
    spending = next(t for t in report.tables if t.kind == "general_budget_expenditure")
    lines = {line.code: line.values for line in spending.lines if line.code}
    assert set(lines) == {"204", "20404", "2040401", "2040402", "208"}
    assert all(set(values) == {"total"} for values in lines.values())
    assert lines["2040401"]["total"].value == Decimal("1088300") and lines["208"]["total"].value == Decimal("549600")


def test_a_continuation_printed_over_another_grid_joins_its_table_by_column_roles():
    """The next page of the same table drawn over a coarser grid (code | name | amount, with the
    amounts again in two alternating columns): its rows join the first part, amounts included."""
    first = [["", "功能科目代码", "", "功能科目名称", "", "", "金额"],
             ["", "合计", "", "", "", "", "300.00"],
             ["204", "", "", "公共安全支出", "", "200.00", ""],
             ["2040401", "", "", "行政运行", "", "", "200.00"]]
    rest = [["221", "住房保障支出", "", "", "", ""], ["", "", "", "100.00", "", ""],
            ["2210201", "住房公积金", "100.00", "", "", ""]]
    report = build_report(doc((1, "2018年度某检察院部门预算"), (3, "一般公共预算支出预算表"), (3, "单位：万元"),
                              (3, first), (4, rest)))
    spending = next(t for t in report.tables if t.kind == "general_budget_expenditure")
    lines = {line.code: line.values["total"].value for line in spending.lines if line.code and line.values}
    assert lines == {"204": Decimal("2000000"), "2040401": Decimal("2000000"), "221": Decimal("1000000"),
                     "2210201": Decimal("1000000")}
    assert not [f for f in run_checks(report) if f.rule == "table.hierarchy" and f.severity != "info"]


def test_an_uncoded_list_continued_without_its_spacer_columns_joins_its_first_page():
    """A 政府采购 list by 品目 whose first page prints spacer columns no row fills (and its 合计
    astride two of them); the next page, untitled, prints only the filled ones: one grid, every
    row under its own column, so a question over 采购组织形式 sees both pages."""
    first = [["", "采购品目", "", "采购物品名称", "", "组织形式", "", "金额", ""],
             ["", "合计", "", "", "", "", "", "", "60.00"],
             ["一、货物", "", "", "", "", "", "", "20.00", ""],
             ["", "", "", "打印机", "", "部门集中采购", "", "20.00", ""]]
    rest = [["二、服务", "", "", "40.00"], ["", "物业管理服务", "部门集中采购", "30.00"],
            ["", "会议服务", "分散自行组织", "10.00"]]
    report = build_report(doc((1, "2019年度某检察院部门预算"), (3, "政府采购支出预算表"), (3, "单位：万元"),
                              (3, first), (4, rest)))
    grid = next(g for g in report.grids if g.title == "政府采购支出预算表")
    assert len(report.grids) == 1
    rows = {row[3]: (row[5], row[7]) for row in grid.rows[1:] if row[3]}
    assert rows == {"打印机": ("部门集中采购", "20.00"), "物业管理服务": ("部门集中采购", "30.00"),
                    "会议服务": ("分散自行组织", "10.00")}
    assert grid.row_pages[-1] == 4


def test_a_narrower_untitled_table_whose_columns_do_not_match_stays_apart():
    """The next page's table fills other columns than the first one (text where it has figures):
    not a continuation, kept as its own grid."""
    first = [["", "采购品目", "", "组织形式", "", "金额"],
             ["", "合计", "", "", "", "20.00"],
             ["一、货物", "", "", "部门集中采购", "", "20.00"],
             ["", "打印机", "", "部门集中采购", "", "20.00"]]
    rest = [["说明", "10.00", "备注"], ["其他", "5.00", "无"]]
    report = build_report(doc((1, "2019年度某检察院部门预算"), (3, "政府采购支出预算表"), (3, "单位：万元"),
                              (3, first), (4, rest)))
    grid = next(g for g in report.grids if g.title == "政府采购支出预算表")
    assert all(page == 3 for page in grid.row_pages)


def test_a_fiscal_summary_spending_by_use_gives_the_fiscal_basic_and_project_split():
    """财政拨款收支总表 whose 支出 side is by use (一、基本支出 | 二、项目支出): the split of
    财政拨款 spending, read from its 一般公共预算 column when it prints one."""
    table = [["收入", "", "支出", "", "", ""],
             ["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"],
             ["一、一般公共预算", "150.00", "一、基本支出", "100.00", "100.00", ""],
             ["二、政府性基金预算", "5.00", "二、项目支出", "55.00", "50.00", "5.00"],
             ["收入合计", "155.00", "支出合计", "155.00", "150.00", "5.00"]]
    report = build_report(doc((1, "2018年度某检察院部门预算"), (3, "财政拨款收支预算总表"), (3, "单位：万元"),
                              (3, table)))
    assert _figure(report, "general_budget.basic") == Decimal("1000000")
    assert _figure(report, "general_budget.project") == Decimal("500000")
    # 支出合计 and no 总计 row: the spending side's 合计 is its total
    assert _figure(report, "fiscal.expenditure_total") == Decimal("1550000")


def test_project_items_stated_in_prose_whatever_words_their_names_hold():
    """'（6）气象防灾减灾服务 253.08 万元，用于…': a name holding 减, 调 or 人员 is a project all the
    same; a change against last year or a budget line is not."""
    from kg.extract.projects import projects_from_narrative

    text = ("2.精细服务1,365.35万元，主要包括：（6）气象防灾减灾服务253.08万元，用于保障市气象监测预警指挥中心业务运行；"
            "（8）深圳市气象灾害防御水平调查评估25.00万元，用于开展龙华区区域风险试点服务；"
            "（10）编外人员项目44.18万元，用于保障突发中心员额劳务费和体检费的开支。"
            "（11）人员经费减少12.00万元，用于…；（12）公用经费30.00万元，用于日常运转")
    names = [p.name for p in projects_from_narrative(text, 8, None)]
    assert names == ["气象防灾减灾服务", "深圳市气象灾害防御水平调查评估", "编外人员项目"]


def test_a_prose_project_item_keeps_the_document_it_is_budgeted_by():
    """'预算准备金83.00万元,主要根据《…管理办法》有关要求，用于…': the item is a project and the
    clause between its amount and 用于 is its basis."""
    from kg.extract.projects import projects_from_narrative

    text = "4.预算准备金83.00万元,主要根据《深圳市财政局关于印发<深圳市本级部门预算准备金管理办法>的通知》有关要求，用于年度预算执行中临时增加工作所需开支。"
    [project] = projects_from_narrative(text, 12, None)
    assert (project.name, project.annual_total.printed) == ("预算准备金", "83.00")
    assert project.basis.startswith("根据《深圳市财政局关于印发") and project.purpose.startswith("用于年度预算执行")
    assert [d.canonical for d in project.documents] == ["深圳市财政局关于印发〈深圳市本级部门预算准备金管理办法〉的通知"]


def test_a_prose_item_joins_the_project_whose_form_was_read_first():
    """The narrative names a project whose 绩效目标表 came earlier: one project with both sources,
    while a second 绩效目标表 of the same name stays a project of its own."""
    from kg.extract.projects import ProjectRegistry, projects_from_narrative

    registry = ProjectRegistry()
    form = Project(name="预算准备金", pages=[16])
    form.amounts.append(ProjectAmount("performance_table", "annual_total", Amount(Decimal("830000"), "83.00", "万元", 16)))
    registry.add_form(form)
    [item] = projects_from_narrative("1.预算准备金83.00万元，主要根据《预算准备金管理办法》有关要求，用于临时开支。", 12, None)
    assert registry.add_form(item) is form
    assert form.pages == [12, 16] and form.basis.startswith("根据《预算准备金管理办法》")
    second = Project(name="预算准备金", pages=[30])
    second.amounts.append(ProjectAmount("performance_table", "annual_total", Amount(Decimal("3000000"), "300.00", "万元", 30)))
    assert registry.add_form(second) is second and len(registry.projects) == 2


def test_a_three_public_table_whose_header_is_spread_over_a_finer_grid():
    """Jiangsu 2018: each item's header cell broken over several grid rows ('公务接 | 待费'),
    '“三公”经费' alone on its grid row; one row of figures under them."""
    table = [["", "合计", "", "", "", "", "", ""],
             ["", "", "“三公”经费", "", "", "", "", ""],
             ["", "", "", "", "公务用车购置及运行维护费", "", "", "会议"],
             ["", "", "小计", "因公出国", "小计", "公务用车", "公务接", "费"],
             ["", "", "", "（境）费", "", "运行维护", "待费", ""],
             ["", "", "", "", "", "费", "", ""],
             ["", "1,384.74", "484.30", "100.00", "267.80", "267.80", "116.50", "200.44"]]
    report = build_report(doc((1, "2018年度某检察院部门预算"), (3, "一般公共预算“三公”经费、会议费、培训费支出预算表"),
                              (3, "单位：万元"), (3, table)))
    assert _figure(report, "three_public.total") == Decimal("4843000")
    assert _figure(report, "three_public.overseas") == Decimal("1000000")
    assert _figure(report, "three_public.vehicle_operation") == Decimal("2678000")
    assert _figure(report, "three_public.reception") == Decimal("1165000")


def _self_evaluation_form(name: str, row: list[str]) -> list[list[str]]:
    return [["项目名称", name, "", "", "", "", ""],
            ["主管部门", "某市卫生健康委员会", "", "", "实施单位", "某市儿童医院", ""],
            ["", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"],
            row,
            ["年度总体目标", "预期目标（年初设定）", "", "", "实际完成情况", "", ""]]


def test_a_self_evaluation_whose_rate_is_misprinted_keeps_its_amounts_and_the_printed_rate():
    """'390 | 390 | 390 | (分值 empty) | 1000% | 10': no rate agrees with 执行/预算, yet the amounts
    are there to read — and the misprinted rate is kept as printed, for the checks to find."""
    form = _self_evaluation_form("临床检验设备", ["项目资金（万元）年度资金总额", "390", "390", "390", "", "1000%", "10"])
    report = build_report(doc((1, "某市卫生健康委员会2022年度部门决算"), (2, "项目支出绩效自评表"), (2, form)))
    evaluation = next(p.self_evaluation for p in report.projects if p.self_evaluation)
    assert evaluation.full_year_budget.wan == evaluation.executed.wan == Decimal("390")
    assert evaluation.execution_rate == Decimal("1000")


def test_two_self_evaluations_of_similar_names_are_two_projects():
    forms = [_self_evaluation_form(name, ["项目资金（万元）年度资金总额", amount, amount, amount, "10", "100%", "10"])
             for name, amount in (("2022年事业单位离休人员和保健对象医疗费", "300"),
                                  ("2022年行政单位离休人员和保健对象医疗费", "1991"))]
    report = build_report(doc((1, "某市卫生健康委员会2022年度部门决算"), (2, "项目支出绩效自评表"), (2, forms[0]),
                              (3, "项目支出绩效自评表"), (3, forms[1])))
    assert [p.name for p in report.projects] == ["2022年事业单位离休人员和保健对象医疗费", "2022年行政单位离休人员和保健对象医疗费"]


def test_indicators_written_out_in_one_cell_whatever_their_punctuation():
    """Guangzhou's one-cell indicators as printed: a period value holding commas and a full stop,
    an entry ended by 。 instead of ；, a name holding ；, and 》 printed for the colon."""
    from kg.extract.indicators import parse_written

    cell = ("1.1－产出指标，12－质量指标，专职环保员队伍管理规范化；实施周期指标值：考察是否符合规范，合规得满分，不合规不得分。"
            "年度指标值：是；2、2－效益指标，23－生态效益，地块土壤环境质量达到管控要求。实施周期指标值：符合《导则》要求。"
            "年度指标值：符合《导则》要求。3、1－产出指标，12－质量指标，系统维护；数据整合、对接；实施周期指标值：正常，"
            "年度指标值：正常；4、1－产出指标，13－时效指标，合同进度执行率；实施周期指标值》90%，年度指标值》90%;")
    found = [(i.level1, i.name, i.target.text) for i in parse_written(cell)]
    assert found == [("产出指标", "专职环保员队伍管理规范化", "是"), ("效益指标", "地块土壤环境质量达到管控要求", "符合《导则》要求。"),
                     ("产出指标", "系统维护；数据整合、对接", "正常"), ("产出指标", "合同进度执行率", "》90%")]


def test_a_level_one_name_printed_with_its_points_is_not_an_indicator():
    """'产出指标50' / '满意度指标10' (points printed after the name, no brackets) head a group."""
    from kg.extract.indicators import header_layout, parse_indicator_rows

    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [["产出指标50", "数量指标", "购置设备数量", "1套", "1套", "15", "15"],
            ["", "质量指标", "设备质量", "达到国家标准", "达到国家标准", "15", "15"],
            ["满意度指标10", "服务对象满意度指标", "服务对象满意度", "≥95%", "≥95%", "10", "10"]]
    found = parse_indicator_rows(rows, header_layout(header), ["annual"], [1] * 3, [None] * 3)
    assert [(i.level1, i.name) for i in found] == [("产出指标", "购置设备数量"), ("产出指标", "设备质量"),
                                                   ("满意度指标", "服务对象满意度")]


def test_a_project_table_by_unit_keeps_the_departments_own_part_as_its_unit():
    """二级预算单位名称 | 一级项目名称 | 预算数 | 绩效目标 (Shenzhen): the department's own part
    'X（本级）' is one 预算单位 beside the others; one name under two units is two projects."""
    table = [["二级预算单位名称", "一级项目名称", "预算数（万元）", "绩效目标"],
             ["某市人力资源和社会保障局（本级）", "技工教育管理", "335.48", "完成技工教育管理工作"],
             ["某市技师学院", "技工教育管理", "12,406.53", "培养技能人才"]]
    report = build_report(doc((1, "某市人力资源和社会保障局2026年部门预算"), (4, "重点项目绩效目标表"), (4, table)))
    assert [(p.name, p.unit) for p in report.projects] == [("技工教育管理", "某市人力资源和社会保障局（本级）"),
                                                           ("技工教育管理", "某市技师学院")]


def test_a_self_evaluation_goal_under_a_combined_goal_and_result_header():
    """'年度总体目标完成情况 | 预期目标（年初设定） | 实际完成情况': the row under it holds the goal
    and the result, and the laws the goal cites are the project's."""
    form = _self_evaluation_form("无偿献血者用血返还报销项目",
                                 ["项目资金（万元）年度资金总额", "350", "350", "322.15", "10", "92.04%", "9.20"])
    form[-1][0] = "年度总体目标完成情况"
    form.append(["", "该项目落实《中华人民共和国献血法》等法律法规，对献血者用血费用进行报销。", "", "",
                 "西安市临床用血100%来自献血者自愿无偿捐献", "", ""])
    report = build_report(doc((1, "某市卫生健康委员会2022年度部门决算"), (2, "项目支出绩效自评表"), (2, form)))
    (project,) = report.projects
    assert project.self_evaluation.annual_goal.startswith("该项目落实")
    assert project.self_evaluation.actual_result.startswith("西安市临床用血")
    assert "中华人民共和国献血法" in [d.canonical for d in project.references]


def test_same_named_projects_under_consecutive_unit_rows_are_two_projects():
    """Guangzhou's 绩效目标表: a unit's subtotal row, then its projects; the next unit has a
    project of the same name — another project, not the first one continued."""
    table = [["单位（项目）名称", "资金总额", "绩效目标", "绩效指标"],
             ["某市生态环境局番禺第三环保所", "10.00", "", ""],
             ["其他运行经费", "10.00", "保障运行", "1.1－产出指标，11－数量指标，保障人数；实施周期指标值：6人，年度指标值：6人；"],
             ["某市生态环境局番禺第五环保所", "12.00", "", ""],
             ["其他运行经费", "12.00", "保障运行", "1.1－产出指标，11－数量指标，保障人数；实施周期指标值：7人，年度指标值：7人；"]]
    report = build_report(doc((1, "某市生态环境局2026年部门预算"), (4, "项目支出绩效目标表"), (4, table)))
    assert [(p.name, p.unit, len(p.indicators)) for p in report.projects] == [
        ("其他运行经费", "某市生态环境局番禺第三环保所", 1), ("其他运行经费", "某市生态环境局番禺第五环保所", 1)]


def test_a_self_evaluation_names_its_implementing_unit():
    """'主管部门 | 某市卫生健康委员会 | 实施单位 | 某市儿童医院': the project is the hospital's, so two
    forms of one name under two hospitals stay two projects."""
    forms = [_self_evaluation_form("公共卫生事业发展资金", ["项目资金（万元）年度资金总额", "400", "400", "400", "10", "100%", "10"]),
             _self_evaluation_form("公共卫生事业发展资金", ["项目资金（万元）年度资金总额", "700", "700", "700", "10", "100%", "10"])]
    forms[1][1][5] = "某市第一医院"
    report = build_report(doc((1, "某市卫生健康委员会2022年度部门决算"), (2, "项目支出绩效自评表"), (2, forms[0]),
                              (3, "项目支出绩效自评表"), (3, forms[1])))
    assert [(p.name, p.unit) for p in report.projects] == [("公共卫生事业发展资金", "某市儿童医院"),
                                                           ("公共卫生事业发展资金", "某市第一医院")]


def test_an_implementer_named_after_a_placeless_unit_gets_no_place():
    from kg.extract.project_completion import qualify
    from kg.model import Region, Report

    university = Report(unit="西南大学", year=2023, kind="预算", scope="部门", region=Region(province="重庆市", city="重庆市"))
    assert qualify("西南大学附属小学", university) == "西南大学附属小学"
    bureau = Report(unit="广州市统计局", year=2026, kind="预算", scope="部门", region=Region(province="广东省", city="广州市"))
    assert qualify("统计普查中心", bureau) == "广州市统计普查中心"  # a short name still takes the report's place


def _covering_report(form_money: str, listed: tuple[str, ...]):
    from kg.extract.project_completion import finish_projects
    from kg.model import Figure, Report

    def project(name, source, money):
        amount = Amount(Decimal(money), money, "元")
        return Project(name, [name], amounts=[ProjectAmount(source, "annual_total", amount)], annual_total=amount)

    report = Report("某市安全生产监督管理局", 2019, "预算", "部门")
    total = sum(Decimal(m) for m in listed)
    report.figures = [Figure("expenditure.project", "项目支出", Amount(total, str(total), "元"))]
    report.projects = [project(f"项目{i}", "project_list", m) for i, m in enumerate(listed)] + \
        [project("安全生产专项资金", "performance_table", form_money)]
    finish_projects(report)
    return {p.name: p.covers_projects for p in report.projects}


def test_a_form_whose_money_is_the_whole_project_spending_covers_the_listed_projects():
    """专项资金整体支出绩效目标表: a form no list names, for the 项目支出 of every listed project."""
    covering = _covering_report("3000", ("1000", "1500", "500"))
    assert covering == {"项目0": False, "项目1": False, "项目2": False, "安全生产专项资金": True}


@pytest.mark.parametrize("form_money, listed", [
    ("2500", ("1000", "1500", "500")),  # its own money, not the whole: a project
    ("1000", ("1000",)),                # one listed project: nothing to cover
])
def test_a_form_of_its_own_money_stays_a_project(form_money, listed):
    assert _covering_report(form_money, listed)["安全生产专项资金"] is False


@pytest.mark.parametrize("declared, unit", [("单位：元", "元"), ("单位：万元", "万元")])
def test_the_report_counts_money_in_the_unit_its_tables_print(declared, unit):
    report = build_report(doc((1, "2026 年度"), (1, "无锡市教育局（本级）"), (1, "单位预算公开"), (2, "目录"),
                              (3, "收支总表"), (3, declared), (3, SUMMARY)))
    assert report.amount_unit == unit
