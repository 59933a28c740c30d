"""Each consistency rule fires on a real or constructed inconsistency and stays silent on a clean case."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from kg.check import RULES, SEVERITIES, run_checks

S000, S001, S002, S003, S004 = ("000_f26fb4c08ebca23b", "001_01b4697fa3395aa5", "002_3b05b2496e039e91",
                                "003_db945d665acd7731", "004_b0facb554ae335f5")


def fired(report, rule_id, severities=("error", "warning")):
    """Findings of one rule; ``info`` (a table shape the rule could not read) only when asked."""
    return [f for f in run_checks(report, severities=severities, rules=[rule_id])]


def line(report, kind, code):
    table = report.table(kind)
    return next(l for l in table.lines if l.code == code)


def test_every_rule_is_tested():
    tested = {"table.hierarchy", "table.row_sum", "table.economic_groups", "table.three_public", "cross.totals",
              "cross.projects", "narrative.figures", "narrative.counts", "narrative.execution_rate", "narrative.lines", "narrative.parts", "table.sides", "table.column_sum",
              "project.self_evaluation", "project.amounts", "project.funding", "document.variants",
              "document.basis_without_document", "date.heading_year", "date.as_of", "date.statement_year",
              "template.placeholder", "template.threshold", "structure.numbering", "comparison.words",
              "comparison.change", "grid.column_sum", "grid.blank_row", "grid.row_sum",
              "grid.group_sum", "narrative.columns", "form.points", "form.blank_total", "form.repeated_amount", "grid.blank_total",
              "narrative.restated"}
    # template.threshold: tests/check/test_prose_lists.py; grid.*: tests/check/test_grids.py;
    # narrative.columns: tests/check/test_stated_columns.py; form.*: tests/check/test_points.py;
    # narrative.restated: tests/check/test_restated_amounts.py
    assert set(RULES) == tested


def test_named_seed_inconsistencies_are_found_with_their_pages(seed_reports):
    messages = {stem: [(f.rule, f.message, f.pages) for f in run_checks(report)] for stem, report in seed_reports.items()}
    assert any("56.38" in m and pages == [21] for _, m, pages in messages[S001])
    assert any("公开项目绩效目标0个" in m and "100%" in m and 19 in pages for _, m, pages in messages[S000])
    assert any("460万元" in m and "354万元" in m and "168万元" in m for _, m, _ in messages[S002])
    assert any("同人社〔2011〕20号" in m and "同劳社〔2011〕20号" in m and pages == [18] for _, m, pages in messages[S004])


def test_rounding_is_not_an_error(seed_reports):
    # 000 prints 住房改革支出 40.73 = 36.62 + 4.12 (40.74) and 001 prints 1,991.06 vs 1,990.89 + 0.16
    assert fired(seed_reports[S000], "table.hierarchy") == []
    assert fired(seed_reports[S001], "table.row_sum") == []


def test_hierarchy_sum(seed_reports):
    report = copy.deepcopy(seed_reports[S003])
    line(report, "expenditure_summary", "2080101").values["total"].value += Decimal("100000")  # +10万元
    found = fired(report, "table.hierarchy")
    assert any("20801" in f.message for f in found)


def test_row_sum(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    line(report, "general_budget_expenditure", "2080150").values["basic"].value += Decimal("50000")
    assert any("事业运行" in f.message for f in fired(report, "table.row_sum"))


def test_economic_groups(seed_reports):
    report = copy.deepcopy(seed_reports[S000])
    assert fired(report, "table.economic_groups") == []
    table = report.table("basic_by_economic")
    next(l for l in table.lines if l.name == "基本工资").values["total"].value += Decimal("10000")
    assert any("工资福利支出" in f.message for f in fired(report, "table.economic_groups"))


def test_three_public_parts(seed_reports):
    report = copy.deepcopy(seed_reports[S003])
    assert fired(report, "table.three_public") == []
    next(f for f in report.figures if f.key == "three_public.total" and f.source == "table").amount.value += 20000
    assert fired(report, "table.three_public")


def test_cross_totals(seed_reports):
    report = copy.deepcopy(seed_reports[S003])
    assert fired(report, "cross.totals") == []
    summary = report.table("income_expenditure_summary")
    row = next(l for l in summary.lines if l.side == "expenditure" and l.code == "213")
    row.values["total"].value += Decimal("30000")
    assert any("农林水支出" in f.message for f in fired(report, "cross.totals"))


def test_cross_projects(seed_reports):
    assert any("本表无数据" in f.message for f in fired(seed_reports[S000], "cross.projects"))
    report = copy.deepcopy(seed_reports[S004])
    assert fired(report, "cross.projects") == []
    report.projects[0].annual_total.value += Decimal("10000")
    assert any("各项目之和" in f.message for f in fired(report, "cross.projects"))


def test_narrative_figures(seed_reports):
    assert any("0万元" in f.message and "452.76" in f.message for f in fired(seed_reports[S000], "narrative.figures"))
    assert fired(seed_reports[S004], "narrative.figures") == []


def test_narrative_counts(seed_reports):
    assert fired(seed_reports[S001], "narrative.counts") == []  # 14 projects, 12 优 + 2 良, 147.41万元: all agree
    report = copy.deepcopy(seed_reports[S001])
    report.projects[0].self_evaluation.grade = "良"
    assert any("“优”" in f.message for f in fired(report, "narrative.counts"))


def test_execution_rate_in_analysis(seed_reports):
    found = fired(seed_reports[S001], "narrative.execution_rate")
    assert [f.entity for f in found] == ["仲裁委业务费"]  # 社保基金 prints 80% for 79.71: rounding, not an error


def test_self_evaluation_arithmetic(seed_reports):
    found = fired(seed_reports[S001], "project.self_evaluation")
    assert [f.entity for f in found] == ["农民工联席办公经费"]  # 8 − 2.73 = 5.27, printed 6.27
    report = copy.deepcopy(seed_reports[S001])
    report.project("法律顾问费").self_evaluation.total_score = Decimal("90")
    assert any(f.entity == "法律顾问费" and "总分" in f.message for f in fired(report, "project.self_evaluation"))


def test_project_amounts_in_yuan_and_wan(seed_reports):
    found = fired(seed_reports[S003], "project.amounts")
    assert [f.entity for f in found] == ["2024年业务工作经费"]  # 17.35万元 vs 173,600元
    assert fired(seed_reports[S004], "project.amounts") == []  # 0.55万元 vs 5,537.7元 is rounding


def test_funding_sources(seed_reports):
    found = fired(seed_reports[S003], "project.funding")
    assert "2024年中央财政就业补助资金" in {f.entity for f in found}
    report = copy.deepcopy(seed_reports[S000])
    assert fired(report, "project.funding") == []
    next(s for s in report.projects[0].fund_sources if s.scope == "annual" and s.level == "市县").amount.value += 1000
    assert any("来源分项之和" in f.message for f in fired(report, "project.funding"))


def test_a_funding_source_left_blank_beside_sources_of_nothing(seed_reports):
    report = copy.deepcopy(seed_reports[S000])
    project = report.projects[0]
    annual = [s for s in project.fund_sources if s.scope == "annual"]
    assert len(annual) >= 2 and fired(report, "project.funding") == []
    for source in annual:
        source.amount.value = Decimal(0)
    assert any("来源分项之和0万元" in f.message for f in fired(report, "project.funding"))
    project.fund_sources = [s for s in project.fund_sources if s.scope != "annual"] + annual[:1]
    assert not any("年度资金总额" in f.message for f in fired(report, "project.funding"))


def test_document_variants(seed_reports):
    assert len(fired(seed_reports[S004], "document.variants")) == 2
    assert fired(seed_reports[S000], "document.variants") == []


def test_basis_without_document(seed_reports):
    found = fired(seed_reports[S003], "document.basis_without_document", SEVERITIES)
    assert "仲裁工作经费" in {f.entity for f in found}
    assert fired(seed_reports[S000], "document.basis_without_document", SEVERITIES) == []


@pytest.mark.parametrize("stem", [S000, S001, S002, S003, S004])
def test_findings_on_the_seeds_are_the_reviewed_list(seed_reports, stem):
    """The README lists every finding on the seeds with whether it is a real inconsistency of the source."""
    expected = {S000: 6, S001: 3, S002: 1, S003: 10, S004: 2}
    assert len(run_checks(seed_reports[stem])) == expected[stem]
