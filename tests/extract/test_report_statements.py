"""Report-level reading rules on constructed layouts: zeros stated as 'none', the 财政拨款支出表
without a 合计 column, documents cited in tables that are not a project's, one title printed twice."""
from __future__ import annotations

from decimal import Decimal

from kg.extract.report import build_report
from tests.extract.test_family_rules import SUMMARY, doc

TITLE = (1, "2026年某某局部门预算")
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
