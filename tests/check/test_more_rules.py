"""Rules added for slips the whole-paragraph reading hid or no rule read: a 类 row left blank, a
dated form title, a 决算数 of a year not yet ended, a share of a named total, a change larger
than the figure it raised, a change and rate fitting none of the figures before them, and a
line the prose names with its code. Real text shapes; each fires on the slip and not on the
printed text."""
from __future__ import annotations

from decimal import Decimal

from kg.model import Amount, BudgetLine, BudgetTable, Report
from tests.check.prose_helpers import messages
from tests.check.prose_helpers import report as prose_report


def report(*paragraphs: str, year: int = 2026, kind: str = "预算"):
    return prose_report(*paragraphs, year=year, kind=kind, first_page=9)


def wan(printed: str) -> Amount:
    return Amount(Decimal(printed.replace(",", "")) * 10000, printed, "万元")


def coded_table(blank_class: bool) -> BudgetTable:
    rows = [("", "合计", "1,668.14", True), ("208", "社会保障和就业支出", None if blank_class else "76.23", False),
            ("20805", "行政事业单位离退休", "76.23", False), ("2080505", "机关事业单位基本养老保险缴费支出", "53.45", False),
            ("2080506", "机关事业单位职业年金缴费支出", "22.78", False), ("214", "交通运输支出", "1,591.91", False),
            ("21401", "公路水路运输", "1,591.91", False), ("2140101", "行政运行", "1,591.91", False),
            ("", "合计", "1,668.14", True)]  # the total row printed again where the table runs onto a new page
    lines = [BudgetLine(name, code or None, is_total=total, values={"total": wan(value)} if value else {})
             for code, name, value, total in rows]
    return BudgetTable("income_summary", "收入决算表", columns=["total"], lines=lines, page=8)


def test_a_class_row_left_blank():
    clean = Report(unit="某局", year=2019, kind="决算", scope="部门")
    clean.tables = [coded_table(blank_class=False)]
    assert messages(clean, "table.hierarchy") == []
    slip = Report(unit="某局", year=2019, kind="决算", scope="部门")
    slip.tables = [coded_table(blank_class=True)]
    found = messages(slip, "table.hierarchy")
    assert any("208社会保障和就业支出一行没有金额" in m for m in found)
    assert any("合计（total）为1668.14万元" in m for m in found)  # the repeated 合计 row no longer hides the sum


def test_dated_form_titles_and_final_accounts_of_a_later_year():
    rep = report("2023年度部门决算公开。", "2023年度部门决算情况说明", year=2023, kind="决算")
    rep.tables = [BudgetTable("self_evaluation", f"Z劳动能力鉴定费项目支出绩效自评表 ({year}年度)", page=21)
                  for year in (2023, 2023)]
    assert messages(rep, "date.heading_year") == []
    rep.tables[1].title = "Z劳动能力鉴定费项目支出绩效自评表 (2024年度)"
    assert any("2024年" in m for m in messages(rep, "date.heading_year"))
    fine = report("2019年无发生该项支出决算数，也无2018年决算数。", year=2019, kind="决算")
    assert messages(fine, "date.statement_year") == []
    slip = report("2020年无发生该项支出决算数，也无2018年决算数。", year=2019, kind="决算")
    assert any("2020年" in m for m in messages(slip, "date.statement_year"))


SHARES = "学校2023年度各项支出总计457,676.75万元，其中基本支出359,781.59万元，占支出总额78.61%；项目支出97,895.16万元，占支出总额21.39%。"


def test_a_share_of_the_total_the_paragraph_names():
    assert messages(report(SHARES, year=2023, kind="决算"), "comparison.change") == []
    found = messages(report(SHARES.replace("457,676.75", "477,676.75"), year=2023, kind="决算"), "comparison.change")
    assert any("78.61%" in m for m in found)


RUNNING = "2026年，福州市民政局(本级)一般公共预算拨款安排的机关运行经费支出109.35万元，比上年增加15.51万元，增长16.53%。"


def test_a_rise_larger_than_the_figure_it_raised():
    assert messages(report(RUNNING), "comparison.change") == []
    found = messages(report(RUNNING.replace("增加15.51", "增加135.51")), "comparison.change")
    assert any("上年数将为负" in m for m in found)


PAIRS = ("2023年度财政拨款收入总计1,990.89万元，支出总计1,990.89万元。与上年相比，财政拨款收入总计增加737.23万元，增长58.81%；"
         "财政拨款支出总计增加737.23万元，增长58.81%。")


def test_changes_listed_with_their_rates_after_the_figures():
    assert messages(report(PAIRS, year=2023, kind="决算"), "comparison.change") == []
    found = messages(report(PAIRS.replace("支出总计增加737.23", "支出总计增加777.23"), year=2023, kind="决算"), "comparison.change")
    assert len(found) == 1 and "777.23" in found[0]


def test_a_line_named_with_its_code():
    rep = report("（五）2080506-机关事业单位职业年金缴费支出50.97万元。主要用于在职人员职业年金支出。")
    rep.tables = [BudgetTable("expenditure_summary", "一般公共预算支出表", columns=["total"], page=20, lines=[
        BudgetLine("机关事业单位职业年金缴费支出", "2080506", values={"total": wan("50.97")})])]
    assert messages(rep, "narrative.lines") == []
    rep.sections[0].paragraphs[0].text = rep.sections[0].paragraphs[0].text.replace("50.97", "70.97")
    found = messages(rep, "narrative.lines")
    assert len(found) == 1 and "机关事业单位职业年金缴费支出" in found[0]
