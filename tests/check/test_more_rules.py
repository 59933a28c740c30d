"""Rules added for slips the whole-paragraph reading hid or no rule read: a 类 row left blank, a
dated form title, a 决算数 of a year not yet ended, a share of a named total, a change larger
than the figure it raised, a change and rate fitting none of the figures before them, and a
line the prose names with its code. Real text shapes; each fires on the slip and not on the
printed text."""
from __future__ import annotations

from decimal import Decimal

import pytest

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
    own = "2023年当年财政拨款支出预算与上年全年预算数相比增加2,898.54万元。其中："
    assert messages(report(own, year=2023), "date.statement_year") == []
    assert any("2024年" in m for m in messages(report(own.replace("2023年当年", "2024年当年"), year=2023), "date.statement_year"))


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


def summary_table(project_total: str) -> BudgetTable:
    """A 财务收支预算总表 whose spending side prints 合计 | 人员 | 公用 | 项目 (Shanghai, in 元)."""
    def yuan(printed: str) -> Amount:
        return Amount(Decimal(printed.replace(",", "")), printed, "元")

    rows = [("201", "一、一般公共服务支出", ("17,741,140", "8,285,700", "2,552,940", "6,902,500")),
            ("208", "二、社会保障和就业支出", ("2,056,660", "2,042,500", "14,160", None)),
            ("210", "三、卫生健康支出", ("1,069,600", "1,069,600", None, None)),
            ("221", "四、住房保障支出", ("575,900", "575,900", None, None)),
            (None, "支出总计", ("21,443,300", "11,973,700", "2,567,100", project_total))]
    lines = [BudgetLine("一、财政拨款收入", side="income", values={"total": yuan("21,143,300")}),
             BudgetLine("二、事业收入", side="income", values={"total": yuan("300,000")}),
             BudgetLine("收入总计", side="income", is_total=True, values={"total": yuan("21,443,300")})]
    for code, name, values in rows:
        lines.append(BudgetLine(name, code, side="expenditure", is_total=code is None, values={
            key: yuan(value) for key, value in zip(("total", "personnel", "public_expense", "project"), values) if value}))
    return BudgetTable("income_expenditure_summary", "2026年预算单位财务收支预算总表", unit="元", page=7, lines=lines,
                       columns=["total", "total", "personnel", "public_expense", "project"])


def test_each_side_of_a_summary_adds_across_and_down_its_columns():
    clean = Report(unit="某中心", year=2026, kind="预算", scope="单位")
    clean.tables = [summary_table("6,902,500")]
    assert messages(clean, "table.row_sum") == [] and messages(clean, "table.sides") == []
    slip = Report(unit="某中心", year=2026, kind="预算", scope="单位")
    slip.tables = [summary_table("6,402,500")]
    assert any("支出总计" in m for m in messages(slip, "table.row_sum"))
    assert any("project" in m for m in messages(slip, "table.sides"))


def test_a_list_the_total_includes():
    text = "1.技工教育管理12,406.53万元，主要包括：全日制教学管理8,730.46万元，用于开展学生日常综合管理业务；学生国家助学金项目1,200万元。"
    assert messages(report(text), "narrative.parts") == []
    assert len(messages(report(text.replace("8,730.46", "83,730.46")), "narrative.parts")) == 1


def test_a_threshold_named_where_no_equipment_is_bought():
    fine = "单价100万元以上设备0台（套）、0.00万元，本单位2026年未安排经费用于购置100万元以上设备。"
    assert messages(report(fine), "template.threshold") == []
    assert len(messages(report(fine.replace("购置100万元", "购置900万元")), "template.threshold")) == 1


def test_a_vehicle_figure_stated_with_its_own_parts_counts_once():
    shanghai = ("2026年“三公”经费预算数为4.70万元，与2025年预算持平。其中：", "（一）因公出国（境）费0.00万元，与2025年预算持平。",
                "（二）公务用车购置及运行费3.20万元，与2025年预算持平。其中：公务用车购置费0.00万元，与2025年预算持平；"
                "公务用车运行费3.20万元，与2025年预算持平。", "（三）公务接待费1.50万元，与2025年预算持平。")
    assert messages(report(*shanghai), "narrative.parts") == []
    slip = list(shanghai)
    slip[1] = slip[1].replace("0.00万元", "4.00万元")
    assert len(messages(report(*slip), "narrative.parts")) == 1


def operating_costs(total: str) -> BudgetTable:
    """A 机关运行经费支出预算表: 合计, one 类 and its 款 (Suzhou)."""
    rows = [(None, "合计", total, True), ("302", "商品和服务支出", "395.60", False), ("30201", "办公费", "29.00", False),
            ("30211", "差旅费", "76.45", False), ("30228", "工会经费", "53.00", False), ("30299", "其他商品和服务支出", "237.15", False)]
    return BudgetTable("operating_costs", "一般公共预算机关运行经费支出预算表", columns=["total"], page=21, lines=[
        BudgetLine(name, code, is_total=is_total, values={"total": wan(value)}) for code, name, value, is_total in rows])


def test_a_table_of_one_class_is_summed():
    clean = Report(unit="某局", year=2026, kind="预算", scope="部门")
    clean.tables = [operating_costs("395.60")]
    assert messages(clean, "table.hierarchy") == []
    slip = Report(unit="某局", year=2026, kind="预算", scope="部门")
    slip.tables = [operating_costs("315.60")]
    found = messages(slip, "table.hierarchy")
    assert len(found) == 1 and "合计（total）为315.6万元" in found[0]


def classes_only(health: str | None) -> BudgetTable:
    """A 支出预算总表 whose 类 alone carry codes; 款 and 项 are printed by name (Hangzhou)."""
    rows = [(None, "合计", "5,876.67", True), ("206", "科学技术支出", "28.00", False), (None, "技术研究与开发", "28.00", False),
            ("208", "社会保障和就业支出", "396.67", False), (None, "行政事业单位养老支出", "396.67", False),
            ("210", "卫生健康支出", health, False), (None, "行政事业单位医疗", "80.52", False),
            ("220", "自然资源海洋气象等支出", "5,371.48", False), (None, "气象事务", "5,371.48", False)]
    return BudgetTable("expenditure_summary", "表3：2026年市级部门支出预算总表", columns=["total"], page=17, lines=[
        BudgetLine(name, code, is_total=is_total, values={"total": wan(value)} if value else {}) for code, name, value, is_total in rows])


def test_a_table_whose_classes_alone_carry_codes():
    clean = Report(unit="某局", year=2026, kind="预算", scope="部门")
    clean.tables = [classes_only("80.52")]
    assert messages(clean, "table.hierarchy") == []
    slip = Report(unit="某局", year=2026, kind="预算", scope="部门")
    slip.tables = [classes_only(None)]
    found = messages(slip, "table.hierarchy")
    assert any("210卫生健康支出一行没有金额" in m for m in found) and any("合计（total）为5876.67万元" in m for m in found)


def test_the_total_repeated_on_the_next_page_is_summed_too():
    table = coded_table(blank_class=False)
    table.lines[-1].values["total"] = wan("1,668.41")
    slip = Report(unit="某局", year=2019, kind="决算", scope="部门")
    slip.tables = [table]
    found = messages(slip, "table.hierarchy")
    assert len(found) == 1 and "合计（total）为1668.41万元" in found[0]


@pytest.mark.parametrize("text, name, code, printed, slip, year, kind", [
    ("（五）2080506-机关事业单位职业年金缴费支出50.97万元。主要用于在职人员职业年金支出。", "机关事业单位职业年金缴费支出", "2080506",
     "50.97", "70.97", 2026, "预算"),  # the code before the name
    ("7.机构运行（2060201），2023年度决算数为828.72万元，比2022年度决算数减少1.76%。", "机构运行", "2060201",
     "828.72", "8328.72", 2023, "决算"),  # the code after the name, the amount in the next clause
])
def test_a_line_named_with_its_code(text, name, code, printed, slip, year, kind):
    rep = report(text, year=year, kind=kind)
    rep.tables = [BudgetTable("expenditure_summary", "支出表", columns=["total"], page=20, lines=[
        BudgetLine(name, code, values={"total": wan(printed)})])]
    assert messages(rep, "narrative.lines") == []
    rep.sections[0].paragraphs[0].text = text.replace(printed, slip)
    found = messages(rep, "narrative.lines")
    assert len(found) == 1 and name in found[0]


def test_a_summary_item_left_blank_over_parts_that_print_money():
    table = summary_table("6,902,500")
    table.lines[0:1] = [BudgetLine("一、财政拨款收入", side="income"),
                        BudgetLine("1、一般公共预算", side="income", values={"total": Amount(Decimal(21143300), "21,143,300", "元")})]
    table.lines[4].values.clear()  # 一、一般公共服务支出 blanked along the same printed row
    slip = Report(unit="某中心", year=2026, kind="预算", scope="单位")
    slip.tables = [table]
    found = messages(slip, "table.sides")
    assert any("一、财政拨款收入一行没有金额" in m for m in found)
