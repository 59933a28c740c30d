"""A figure the 说明 states by a column's printed name (事业单位经营支出0万元, 上缴上级支出…) is the
summary table's 合计 row in that column, 0 where the row leaves it blank; the whole spending it
puts under performance management is one of the report's spending totals."""
from __future__ import annotations

from decimal import Decimal

from kg.check import run_checks
from kg.model import Amount, BudgetLine, BudgetTable, Paragraph, Report, Section


def wan(text: str) -> Amount:
    return Amount(Decimal(text) * 10000, text, "万元", 6)


def report_stating(sentence: str) -> Report:
    total = BudgetLine("合计", is_total=True, values={"total": wan("300.00"), "basic": wan("200.00"),
                                                      "project": wan("80.00"), "col:事业单位经营支出": wan("20.00")})
    table = BudgetTable("expenditure_summary", "支出总表", columns=["total", "basic", "project", "col:事业单位经营支出",
                                                                  "payment_to_superior"],
                        headers=["合计", "基本支出", "项目支出", "事业单位经营支出", "上缴上级支出"], lines=[total], page=6)
    return Report(unit="某某局", year=2026, kind="预算", scope="部门", tables=[table],
                  sections=[Section(["二、支出预算"], [Paragraph(sentence, 3)])])


def fired(report: Report):
    return run_checks(report, severities=("error", "warning"), rules=["narrative.columns"])


def test_a_column_the_prose_restates_agrees():
    assert fired(report_stating("事业单位经营支出20万元，上缴上级支出0万元。")) == []


def test_a_changed_column_figure_is_found_with_both_pages():
    (found,) = fired(report_stating("事业单位经营支出26万元。"))
    assert "事业单位经营支出" in found.message and found.pages == [3, 6]
    (blank,) = fired(report_stating("上缴上级支出6万元。"))  # the 合计 row leaves the column blank: 0
    assert blank.expected == 0


def test_the_whole_spending_under_performance_management_is_a_spending_total():
    from kg.model import Figure

    def stating(amount: str) -> Report:
        report = report_stating(f"2025年度，本部门整体支出纳入绩效目标管理，涉及财政性资金{amount}万元。")
        report.figures = [Figure("expenditure.total", "支出总计", wan("300.00"), source="table", context="支出总计"),
                          Figure("fiscal.expenditure_total", "财政拨款支出总计", wan("280.00"), source="table")]
        return report

    assert run_checks(stating("280.00"), severities=("error",), rules=["narrative.counts"]) == []
    assert run_checks(stating("300"), severities=("error",), rules=["narrative.counts"]) == []
    (found,) = run_checks(stating("250.00"), severities=("error",), rules=["narrative.counts"])
    assert "250" in found.message and "280" in found.message
