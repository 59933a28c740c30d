"""Table rules learn each table's column relations from its own rows: a row breaking what its
neighbours keep is an error, a shape they cannot read is one ``info`` line, never a stream of
false errors. Built on constructed tables (the layouts seen in regional templates) and on
real corpus reports."""
from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from kg.check import run_checks
from kg.check.shape import relations
from kg.model import Amount, BudgetLine, BudgetTable, Report

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def wan(text: str) -> Amount:
    return Amount(Decimal(text.replace(",", "")) * 10000, text, "万元")


def line(name: str, code: str | None = None, **values: str) -> BudgetLine:
    return BudgetLine(name=name, code=code, values={k: wan(v) for k, v in values.items()})


def report_with(*tables: BudgetTable) -> Report:
    return Report(unit="某某局", year=2026, kind="预算", scope="部门", tables=list(tables))


def findings(report: Report, rule: str, severities=("error", "warning")):
    return run_checks(report, severities=severities, rules=[rule])


def nested_table() -> BudgetTable:
    """合计 | 基本支出 | 人员经费 | 公用经费 | 项目支出: 人员/公用 are printed under 基本支出."""
    rows = [("合计", None, "300.00", "200.00", "150.00", "50.00", "100.00"),
            ("一般公共服务支出", "201", "120.00", "80.00", "60.00", "20.00", "40.00"),
            ("政府办公厅（室）及相关机构事务", "20103", "120.00", "80.00", "60.00", "20.00", "40.00"),
            ("教育支出", "205", "180.00", "120.00", "90.00", "30.00", "60.00"),
            ("普通教育", "20502", "180.00", "120.00", "90.00", "30.00", "60.00")]
    lines = [line(n, c, total=t, basic=b, personnel=p, public_expense=u, project=j) for n, c, t, b, p, u, j in rows]
    lines[0].is_total = True
    return BudgetTable(kind="expenditure_summary", title="支出总表", lines=lines,
                       columns=["total", "basic", "personnel", "public_expense", "project"], page=5)


def test_nested_columns_are_not_summed_twice():
    report = report_with(nested_table())
    assert findings(report, "table.row_sum") == []
    found = relations(report.tables[0].lines, report.tables[0].columns, ["total", "basic"])
    assert {(r.target, r.parts) for r in found} >= {("total", ("basic", "project")),
                                                    ("basic", ("personnel", "public_expense"))}


def test_a_row_breaking_the_relation_its_neighbours_keep_is_an_error():
    table = nested_table()
    table.lines[1].values["project"] = wan("45.00")  # 80 + 45 ≠ 120
    found = findings(report_with(table), "table.row_sum")
    assert len(found) == 1 and "一般公共服务支出" in found[0].message


def test_an_unreadable_shape_is_one_info_line_not_errors():
    lines = [line(f"行{i}", total=f"{100 + i}.00", basic=f"{7 * i}.31", project=f"{3 * i + 1}.17") for i in range(6)]
    table = BudgetTable(kind="expenditure_summary", title="某表", lines=lines, columns=["total", "basic", "project"])
    report = report_with(table)
    assert findings(report, "table.row_sum") == []
    info = findings(report, "table.row_sum", ("info",))
    assert len(info) == 1 and "未检查" in info[0].message


def test_hierarchy_by_unit_and_misread_hierarchies():
    table = nested_table()
    table.lines[4].values["total"] = wan("170.00")  # 普通教育 170 ≠ 教育支出 180
    found = findings(report_with(table), "table.hierarchy")
    assert any("205" in f.message for f in found)
    scrambled = nested_table()
    for i, current in enumerate(scrambled.lines):
        current.values = {k: wan(f"{(i + 2) * (j + 3)}.{i}{j}") for j, k in enumerate(current.values)}
    assert findings(report_with(scrambled), "table.hierarchy") == []
    assert findings(report_with(scrambled), "table.hierarchy", ("info",))


def test_summary_balance_counts_carry_over_lines():
    lines = [BudgetLine("本年收入合计", side="income", values={"total": wan("7,139.97")}),
             BudgetLine("上年结余、结转", side="income", values={"total": wan("60.00")}),
             BudgetLine("1.财政拨款结余、结转", side="income", values={"total": wan("0.00")}),
             BudgetLine("2.非财政拨款结余、结转", side="income", values={"total": wan("60.00")}),
             BudgetLine("本年支出合计", side="expenditure", values={"total": wan("7,199.97")}),
             BudgetLine("结转下年", side="expenditure", values={"total": wan("0.00")})]
    table = BudgetTable(kind="income_expenditure_summary", title="收支总表", lines=lines)
    report = report_with(table)
    assert findings(report, "cross.totals") == []
    lines[1].values["total"] = wan("50.00")
    assert any("不平衡" in f.message for f in findings(report, "cross.totals"))


@pytest.fixture(scope="module")
def southwest_final():
    """A university's 决算: its 财政拨款支出决算表 continues on the next page without the
    类 | 款 | 项 sub-columns of the first page."""
    from kg.extract import extract

    return extract(CORPUS / "doc02.pdf")


def test_a_narrower_continuation_is_joined_and_its_classes_add_up(southwest_final):
    table = next(t for t in southwest_final.tables if "财政拨款支出决算表" in t.title)
    codes = {line.code for line in table.lines if line.code}
    assert {"205", "206", "208", "221"} <= codes
    assert findings(southwest_final, "table.hierarchy") == []
    mutated = copy.deepcopy(southwest_final)
    table = next(t for t in mutated.tables if "财政拨款支出决算表" in t.title)
    next(line for line in table.lines if line.code == "2210201").values["total"].value += 1000000
    assert any("22102" in f.message for f in findings(mutated, "table.hierarchy"))


def _paragraph_report(text: str, *tables: BudgetTable) -> Report:
    from kg.model import Paragraph, Section

    report = report_with(*tables)
    report.sections = [Section(path=["二、支出预算情况说明"], paragraphs=[Paragraph(text, 6, 1)])]
    return report


def test_prose_restating_a_table_line_is_compared_with_it():
    clean = "3.“卫生健康支出”科目120万元，主要用于缴纳在职人员医疗保险等支出；4.“住房保障支出”科目180万元。"
    tables = nested_table()
    tables.lines[1].name, tables.lines[3].name = "卫生健康支出", "住房保障支出"
    assert findings(_paragraph_report(clean, tables), "narrative.lines") == []
    wrong = "3.“卫生健康支出”科目242万元，主要用于缴纳在职人员医疗保险等支出。"
    found = findings(_paragraph_report(wrong, tables), "narrative.lines")
    assert len(found) == 1 and "卫生健康支出" in found[0].message and 6 in found[0].pages


def test_prose_rounding_changes_and_other_scopes_are_not_compared():
    tables = nested_table()
    tables.lines[1].name = "卫生健康支出"
    for text in ("“卫生健康支出”科目120万元。",  # 120.00 printed
                 "卫生健康支出比上年增加242万元。",  # a change, not the line
                 "其中：卫生健康支出占比15%，金额242万元。"):
        assert findings(_paragraph_report(text, tables), "narrative.lines") == []
    basic = BudgetTable(kind="basic_by_economic", title="一般公共预算基本支出表", page=9,
                        lines=[line("公务用车运行维护费", "30231", total="220.00")])
    three_public = "公务用车运行维护费248.50万元，比2025年减少9.60万元。"
    assert findings(_paragraph_report(three_public, basic), "narrative.lines") == []


def _summary(income: list[tuple[str, str]], spending: list[tuple[str, str]]) -> BudgetTable:
    lines = [BudgetLine(n, side="income", values={"total": wan(v)} if v else {}) for n, v in income] + \
            [BudgetLine(n, side="expenditure", values={"total": wan(v)} if v else {}) for n, v in spending]
    return BudgetTable(kind="income_expenditure_summary", title="收支总表", lines=lines, page=3)


INCOME = [("一、财政拨款收入", "100.00"), ("1.一般公共预算拨款", "90.00"), ("2.政府性基金预算拨款", "10.00"),
          ("二、事业收入", "20.00"), ("三、其他收入", ""), ("本年收入合计", "120.00"), ("上年结转", "5.00"),
          ("收入总计", "125.00")]
# the expenditure side listed twice: by function class, then by 基本/项目
SPENDING = [("一、一般公共服务支出", "70.00"), ("二、教育支出", "50.00"), ("三、基本支出", "80.00"),
            ("四、项目支出", "40.00"), ("本年支出合计", "120.00"), ("结转下年", "5.00"), ("支出总计", "125.00")]


def test_each_side_of_a_summary_adds_up_also_when_listed_twice():
    assert findings(report_with(_summary(INCOME, SPENDING)), "table.sides") == []
    wrong = [(n, "30.00" if n == "二、事业收入" else v) for n, v in INCOME]
    found = findings(report_with(_summary(wrong, SPENDING)), "table.sides")
    assert len(found) == 1 and "本年收入合计" in found[0].message
    parts = [(n, "15.00" if n == "2.政府性基金预算拨款" else v) for n, v in INCOME]
    assert any("财政拨款收入" in f.message for f in findings(report_with(_summary(parts, SPENDING)), "table.sides"))


def _narrative_report(*texts: str) -> Report:
    from kg.extract.layout import RawDocument, Table, TextLine
    from kg.extract.report import build_report
    from kg.model import SourceFile

    summary = [["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"],
               ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "100.00"],
               ["收入总计", "100.00", "支出总计", "100.00"]]
    blocks = [TextLine("某市某局2026年部门预算", 1), TextLine("收支总表", 3), TextLine("单位：万元", 3),
              Table(summary, [3] * 4, [None] * 4), TextLine("四、政府采购情况", 8)]
    blocks += [TextLine(text, 8, 100 + i) for i, text in enumerate(texts)]
    return build_report(RawDocument(SourceFile("x.pdf", "0" * 64, "pdf", pages=9), blocks))


def test_a_prose_total_and_its_parts_in_one_paragraph():
    clean = "2026年本部门政府采购预算总额43.9万元，其中，货物类采购预算25.4万元；工程类采购预算0万元；服务类采购预算18.5万元。"
    assert findings(_narrative_report(clean), "narrative.parts") == []
    wrong = clean.replace("18.5万元", "13.5万元")
    found = findings(_narrative_report(wrong), "narrative.parts")
    assert len(found) == 1 and "38.9" in found[0].message and 8 in found[0].pages


def test_the_years_income_and_an_empty_table_line_stated_in_prose():
    clean = "1．本年收入合计100.00万元。本年上级补助收入0万元，占0%。"
    report = _narrative_report(clean)
    report.tables[0].lines.insert(1, BudgetLine("二、上级补助收入", side="income"))
    assert findings(report, "narrative.figures") + findings(report, "narrative.lines") == []
    wrong = _narrative_report("1．本年收入合计120.00万元。本年上级补助收入9万元，占0%。")
    wrong.tables[0].lines.insert(1, BudgetLine("二、上级补助收入", side="income"))
    assert any("本年收入合计" in f.message for f in findings(wrong, "narrative.figures"))
    assert any("上级补助收入" in f.message for f in findings(wrong, "narrative.lines"))


def test_grand_totals_of_a_fiscal_summary_are_its_year_plus_carry_over():
    lines = [BudgetLine("一、一般公共预算拨款", side="income", values={"total": wan("100.00")}),
             BudgetLine("本年收入合计", side="income", values={"total": wan("100.00")}),
             BudgetLine("上年结转", side="income", values={"total": wan("5.00")}),
             BudgetLine("收入总计", side="income", values={"total": wan("105.00")}),
             BudgetLine("一、一般公共服务支出", side="expenditure", values={"total": wan("105.00")}),
             BudgetLine("本年支出合计", side="expenditure", values={"total": wan("105.00")}),
             BudgetLine("支出总计", side="expenditure", values={"total": wan("105.00")})]
    table = BudgetTable(kind="fiscal_summary", title="财政拨款收支总表", lines=lines, page=7)
    assert findings(report_with(table), "cross.totals") == []
    lines[3].values["total"] = wan("705.00")
    messages = [f.message for f in findings(report_with(table), "cross.totals")]
    assert any("收入总计" in m and "支出总计" in m for m in messages)
    assert any("本年收入合计与结转结余之和" in m for m in messages)


def test_a_total_row_is_the_sum_of_the_rows_of_a_table_without_codes():
    rows = [line("合计", total="2249.92", general_budget="2144.92", fund_budget="75.00", carryover="30.00"),
            line("福州市民政局", total="2249.92", general_budget="2144.92", fund_budget="75.00", carryover="30.00")]
    rows[0].is_total = True
    table = BudgetTable(kind="income_summary", title="收入预算总表", lines=rows, page=13)
    assert findings(report_with(table), "table.column_sum") == []
    rows[0].values["total"] = wan("29249.92")
    assert len(findings(report_with(table), "table.column_sum")) == 1
    department = line("某局", total="2249.92", general_budget="2144.92", fund_budget="75.00", carryover="30.00")
    doubled = BudgetTable(kind="income_summary", title="收入预算总表", lines=[rows[0], department, rows[1]], page=13)
    assert findings(report_with(doubled), "table.column_sum") == []  # a department row beside its unit
