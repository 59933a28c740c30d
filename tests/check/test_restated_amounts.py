"""A headline figure the tables do not print, stated twice in the 说明 under the same name, is
stated alike (narrative.restated); 人员支出/日常公用支出 are read as 人员经费/公用经费."""
from __future__ import annotations

from kg.check import run_checks
from kg.extract.stated_figures import narrative_figures
from kg.model import BudgetTable, Report


def report_stating(*paragraphs: str, tables: list[BudgetTable] | None = None) -> Report:
    statements = [f for page, text in enumerate(paragraphs, start=6)
                  for f in narrative_figures(text, "二、支出预算情况说明", page, 1)]
    return Report(unit="某某局", year=2026, kind="预算", scope="部门", statements=statements, tables=tables or [])


def fired(report: Report, rule: str):
    return run_checks(report, severities=("error", "warning"), rules=[rule])


def test_a_figure_stated_alike_twice_raises_nothing():
    assert fired(report_stating("（二）公用经费645.01万元，主要包括水电费。", "基本支出包括人员经费2,120.29万元、公用经费645.01万元。"),
                 "narrative.restated") == []


def test_a_figure_stated_twice_differently_is_found_with_both_pages():
    (found,) = fired(report_stating("基本支出包括人员经费2,120.29万元、公用经费645.01万元。", "（二）公用经费695.01万元，主要包括水电费。"),
                     "narrative.restated")
    assert "公用经费" in found.message and found.pages == [6, 7]


def test_staff_and_running_spending_are_read_as_personnel_and_public_costs():
    report = report_stating("人员支出2,506.80万元，主要包括基本工资、津贴补贴。", "日常公用支出838.27万元，主要包括办公费。")
    assert [(f.key, f.amount.printed) for f in report.statements] == [("basic.personnel", "2,506.80"),
                                                                     ("basic.public", "838.27")]
