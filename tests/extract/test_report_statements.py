"""Report-level reading rules on constructed layouts: zeros stated as 'none', the 财政拨款支出表
without a 合计 column, documents cited in tables that are not a project's, one title printed twice."""
from __future__ import annotations

from decimal import Decimal

from kg.extract.report import build_report
from tests.extract.test_family_rules import SUMMARY, doc

TITLE = (1, "2026年某某局部门预算")  # the report of 某某局
HEAD = [(3, "收支总表"), (3, "单位：万元"), (3, SUMMARY)]


def _figures(report, key, source):
    return [f.amount.value for f in report.figures if f.key == key and f.source == source]


def test_a_budget_arrangement_of_nothing_states_a_zero():
    """'（1）2018年无公务用车购置预算安排' is a zero the 三公 table may leave blank; '本单位无机关运行经费'
    says the category does not apply (a 事业单位 has none) and states no figure."""
    report = build_report(doc(TITLE, *HEAD, (5, "二、“三公”经费预算情况说明"),
                              (5, "公务用车购置及运行费预算支出267.8万元。其中：（1）2018年无公务用车购置预算安排。"),
                              (6, "三、机关运行经费"), (6, "本单位无机关运行经费。")))
    assert _figures(report, "three_public.vehicle_purchase", "text") == [Decimal(0)]
    assert _figures(report, "three_public.vehicle_total", "text") == [Decimal("2678000")]
    assert _figures(report, "operating_costs", "text") == []


def test_a_fiscal_expenditure_table_without_a_total_column_totals_its_two_parts():
    table = [["科目编码", "科目名称", "财政拨款支出", "基本支出", "项目支出"],
             ["", "合计", "", "199,019.33", "31,857.05"],
             ["205", "教育支出", "", "170,000.00", "30,000.00"]]
    report = build_report(doc(TITLE, *HEAD, (4, "财政拨款支出预算表"), (4, "单位：万元"), (4, table)))
    assert _figures(report, "general_budget.expenditure", "table") == [Decimal("2308763800")]


def test_documents_cited_in_any_table_and_one_title_printed_twice():
    """A 部门整体 goal cell cites documents like prose does; the same title printed once more with
    characters dropped is one document."""
    goals = [["部门整体支出绩效目标表"], ["年度总体目标", "落实《重庆市提升农村饮水质量专项行动方案（2025—2027年）》，实施专项行动"],
             ["指标", "推进健康建设的质量", "《山西省委办公厅关于进一步做好稳就业保就业工作的通知》要求"]]
    report = build_report(doc(TITLE, *HEAD, (7, "落实《山西省委办公厅关于进一步做好稳就业工作的通知》。"), (8, goals)))
    assert [d.canonical for d in report.documents] == [
        "重庆市提升农村饮水质量专项行动方案（2025—2027年）", "山西省委办公厅关于进一步做好稳就业保就业工作的通知"]


def test_tables_of_units_headed_by_a_bare_budget_unit_column():
    """'预算单位 | 收入总计 | …' with one row per unit: each unit's figures, and the department's row,
    printed first, is the report's total because it adds up the others; '预算单位 | 科目编码 | 科目名称'
    prints each unit above its class rows and stays a classification table."""
    units = [["预算单位", "收入总计", "一般公共预算拨款", "事业收入"],
             ["某某局", "300.00", "250.00", "50.00"],
             ["某某局（本级）", "100.00", "100.00", "0.00"],
             ["某某考试院", "200.00", "150.00", "50.00"]]
    report = build_report(doc(TITLE, (9, "收入总表"), (9, "单位：万元"), (9, units)))
    assert _figures(report, "income.general_budget", "table") == [Decimal("2500000")]
    assert {(f.subject, f.key): f.amount.value for f in report.unit_figures}[("某某考试院", "income.business")] == \
        Decimal("500000")
    mixed = [["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
             ["某某局（本级）", "", "", "300.00", "100.00", "200.00"],
             ["", "205", "教育支出", "300.00", "100.00", "200.00"]]
    report = build_report(doc(TITLE, *HEAD, (10, "支出总表"), (10, "单位：万元"), (10, mixed)))
    assert _figures(report, "expenditure.basic", "table") == [Decimal("1000000")]


def test_a_three_public_table_by_unit_with_a_three_public_total_column():
    table = [["单位名称", "“三公”经费合计", "因公出国(境)费用", "公务用车购置及运行费", "", "", "公务接待费"],
             ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
             ["合计", "24.02", "", "18.00", "", "18.00", "6.02"],
             ["某某局", "13.13", "", "7.20", "", "7.20", "5.93"],
             ["某某服务中心", "10.89", "", "10.80", "", "10.80", "0.09"]]
    report = build_report(doc(TITLE, *HEAD, (21, "表7：2026年一般公共预算“三公”经费预算表"), (21, "单位：万元"), (21, table)))
    assert _figures(report, "three_public.total", "table") == [Decimal("240200")]
    assert [(f.subject, f.amount.value) for f in report.unit_figures if f.key == "three_public.total"] == [
        ("某某服务中心", Decimal("108900"))]


def test_unit_subtotal_rows_inside_a_table_of_classes():
    """'125003 | 某某支队 | 551.11 | 500.06 | 51.05' between class rows: the unit's own figures (its
    code is a 预算单位 code, not a class), the department's row is its 本级, and the rows stay out
    of the class hierarchy."""
    table = [["功能科目编码", "功能科目名称", "合计", "人员经费支出", "公用经费支出"],
             ["", "合计", "300.00", "250.00", "50.00"],
             ["125001", "某某局", "100.00", "90.00", "10.00"],
             ["208", "社会保障和就业支出", "100.00", "90.00", "10.00"],
             ["125003", "某某执法监察支队", "200.00", "160.00", "40.00"],
             ["208", "社会保障和就业支出", "200.00", "160.00", "40.00"]]
    report = build_report(doc(TITLE, *HEAD, (16, "一般公共预算基本支出明细表（按支出功能分类科目）"), (16, "单位：万元"), (16, table)))
    figures = {(f.subject, f.key): f.amount.value for f in report.unit_figures}
    assert figures[("某某执法监察支队", "general_budget.basic")] == Decimal("2000000")
    assert figures[("某某执法监察支队", "basic.personnel")] == Decimal("1600000")
    assert figures[("某某局（本级）", "general_budget.basic")] == Decimal("1000000")
    [budget] = [t for t in report.tables if t.page == 16]
    assert [line.code for line in budget.lines if line.unit_code] == [None, None]


def test_prose_in_the_cells_of_a_table_that_is_no_projects_is_a_passage():
    """A 部门整体绩效目标表's goal is found by meaning like prose: a passage under the table's title
    with its row's label and page; a line name with 、 is not prose."""
    from kg.passages import build_passages

    goals = [["年度总体目标", "完善全市水网建设布局，以市级水网为牵引，构建现代化水网新体系，续建大中型水库27个。"],
             ["二十三、灾害防治及应急管理支出", "12.00"]]
    report = build_report(doc(TITLE, *HEAD, (30, "2026年部门整体绩效目标表"), (30, goals)))
    [section] = report.table_texts
    assert section.heading == "2026年部门整体绩效目标表"
    assert [(p.text[:13], p.page) for p in section.paragraphs] == [("年度总体目标：完善全市水网", 30)]
    [passage] = [p for p in build_passages(report) if p.kind == "table_text"]
    assert passage.page == 30 and "续建大中型水库27个" in passage.text and passage.section == section.heading


def test_a_three_public_table_by_coded_unit_with_the_departments_own_part_again():
    """'119 | 某某统计局' (the department), '119001 | 某某统计局' (its 本级, the same name under a longer
    code), '119003 | 某某普查中心': units found behind their codes, the name printed again is the 本级."""
    table = [["单位编码", "单位名称", "合计", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费"],
             ["合计", "", "8.10", "", "1.50", "6.60"],
             ["119", "某某统计局", "8.10", "", "1.50", "6.60"],
             ["119001", "某某统计局", "7.60", "", "1.00", "6.60"],
             ["119003", "某某普查中心", "0.50", "", "0.50", ""]]
    report = build_report(doc((1, "2026年某某统计局部门预算"), *HEAD, (39, "“三公”经费预算表"), (39, "单位：万元"), (39, table)))
    assert _figures(report, "three_public.total", "table") == [Decimal("81000")]
    totals = {f.subject: f.amount.value for f in report.unit_figures if f.key == "three_public.total"}
    assert totals == {"某某统计局（本级）": Decimal("76000"), "某某普查中心": Decimal("5000")}
