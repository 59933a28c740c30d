"""Tables the reader did not turn into budget tables (procurement lists by unit, project lists,
self-evaluation funding rows) are checked by their shape: a 合计 row against its rows, a total
column against its parts, a row left blank that the 合计 still counts. Built on small
constructed tables in the shapes the corpus prints."""
from __future__ import annotations

import copy

from kg.check import run_checks
from kg.model import Grid, Report


def report_with(*grids: Grid) -> Report:
    return Report(unit="某某局", year=2026, kind="预算", scope="部门", grids=list(grids))


def fired(report: Report, rule: str):
    return run_checks(report, severities=("error", "warning"), rules=[rule])


def procurement() -> Grid:
    """单位名称 | 项目名称 | 合计 | 财政拨款 | 其他资金, its 合计 row first."""
    rows = [["单位名称", "项目名称", "合计", "财政拨款", "其他资金"],
            ["合计", "", "300.00", "250.00", "50.00"],
            ["某某局", "办公设备", "100.00", "80.00", "20.00"],
            ["某某局", "打印机", "80.00", "70.00", "10.00"],
            ["某某中心", "印刷服务", "120.00", "100.00", "20.00"]]
    return Grid("政府采购预算表", rows, [7, 7, 7, 8, 8], "万元", "procurement")


def two_level() -> Grid:
    """A list by unit: each unit's row adds up its projects below it (no 小计 label)."""
    rows = [["单位（项目）名称", "金额"],
            ["合计", "180.00"],
            ["某某局（本级）", "100.00"],
            ["信息化运维", "60.00"],
            ["办公楼维修", "40.00"],
            ["某某中心", "50.00"],
            ["业务培训", "50.00"],
            ["某某研究所", "30.00"],
            ["课题研究", "20.00"],
            ["设备维护", "10.00"]]
    return Grid("项目支出表", rows, [9] * 10, "万元", None)


def self_evaluation_funds() -> Grid:
    rows = [["项目名称", "某某项目", "", "", ""],
            ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "执行率"],
            ["年度资金总额", "10.00", "12.00", "11.00", "91.67%"],
            ["其中：财政拨款", "8.00", "10.00", "9.00", "—"],
            ["其他资金", "2.00", "2.00", "2.00", "—"],
            ["年度总体目标", "完成某某任务，保障运转。", "", "", ""]]
    return Grid("项目支出绩效自评表", rows, [12] * 6, "万元", "self_evaluation")


def test_clean_tables_raise_nothing():
    report = report_with(procurement(), two_level(), self_evaluation_funds())
    assert run_checks(report, severities=("error", "warning")) == []


def test_a_part_cell_breaking_its_row_and_column_is_found_on_both():
    grid = procurement()
    grid.rows[4][3] = "90.00"
    report = report_with(grid)
    (column,) = fired(report, "grid.column_sum")
    assert "财政拨款" in column.message and "250.00" in column.message and column.pages == [7, 8]
    (row,) = fired(report, "grid.row_sum")
    assert "某某中心" in row.message and row.pages == [8]


def test_a_changed_total_is_found():
    grid = procurement()
    grid.rows[1][4] = "70.00"
    (found,) = fired(report_with(grid), "grid.column_sum")
    assert "其他资金" in found.message and found.observed and found.expected


def test_a_blank_row_the_total_still_counts():
    grid = procurement()
    grid.rows[3][2:] = ["", "", ""]
    (found,) = fired(report_with(grid), "grid.blank_row")
    assert "某某局打印机" in found.message and "多80万元" in found.message
    assert fired(report_with(grid), "grid.column_sum") == []  # one finding for one slip


def test_a_two_level_list_is_read_by_its_groups():
    grid = two_level()
    grid.rows[3][1] = "70.00"  # 信息化运维: 某某局本级 100 ≠ 70 + 40
    found = fired(report_with(grid), "grid.group_sum")
    assert len(found) == 1 and "某某局（本级）" in found[0].message and "110" in found[0].message
    blank = two_level()
    blank.rows[5][1] = ""  # the unit's own row left blank over its project
    (found,) = fired(report_with(blank), "grid.group_sum")
    assert "某某中心" in found.message and "业务培训" in found.message


def test_groups_by_code():
    rows = [["单位编码", "单位名称", "合计", "基本支出", "项目支出"],
            ["119", "某某局", "30.00", "20.00", "10.00"],
            ["119001", "某某局本级", "20.00", "15.00", "5.00"],
            ["119002", "某某中心", "10.00", "5.00", "5.00"],
            ["120", "某某委", "8.00", "8.00", ""],
            ["120001", "某某委本级", "8.00", "8.00", ""]]
    grid = Grid("三公经费表", rows, [4] * 6)
    assert run_checks(report_with(grid), severities=("error", "warning")) == []
    grid.rows[3][4] = "9.00"
    found = fired(report_with(grid), "grid.group_sum")
    assert len(found) == 1 and "某某局" in found[0].message and "项目支出" in found[0].message


def test_self_evaluation_funding_rows_add_up():
    grid = self_evaluation_funds()
    grid.rows[3][2] = "11.00"
    (found,) = fired(report_with(grid), "grid.column_sum")
    assert "全年预算数" in found.message
    blank = copy.deepcopy(self_evaluation_funds())
    blank.rows[4][1:4] = ["", "", ""]
    assert fired(report_with(blank), "grid.blank_row")


def test_a_shape_that_never_adds_up_stays_silent():
    rows = [["单位名称", "一月", "二月", "三月"],
            ["合计", "1.00", "2.00", "3.00"],
            ["某某局", "5.00", "6.00", "7.00"],
            ["某某中心", "8.00", "9.00", "10.00"]]
    assert run_checks(report_with(Grid("某某统计表", rows, [3] * 4)), severities=("error", "warning")) == []


def test_economic_classes_by_name_group_their_items():
    rows = [["支出项目类别", "总计", "财政拨款"],
            ["工资福利支出", "20.00", "20.00"],
            ["基本工资", "15.00", "15.00"],
            ["津贴补贴", "5.00", "5.00"],
            ["商品和服务支出", "10.00", "10.00"],
            ["办公费", "4.00", "4.00"],
            ["印刷费", "6.00", "6.00"]]
    grid = Grid("基本支出总表", rows, [5] * 7)
    assert run_checks(report_with(grid), severities=("error", "warning")) == []
    grid.rows[2][1:] = ["", ""]  # 基本工资 left blank: 工资福利支出 20 ≠ 5
    found = fired(report_with(grid), "grid.group_sum")
    assert found and "工资福利支出" in found[0].message


def test_a_wrapped_line_stays_in_its_table():
    grid = procurement()
    grid.rows.insert(3, ["", "含打印机、复印机，分批采购", "", "", ""])  # a note wrapped onto a line of its own
    grid.row_pages.insert(3, 7)
    grid.rows[5][3] = "90.00"
    (found,) = fired(report_with(grid), "grid.column_sum")
    assert "财政拨款" in found.message


def test_budget_tables_the_class_rules_cannot_sum_are_kept_as_printed():
    from kg.extract.report import _unsummed
    from kg.model import BudgetLine, BudgetTable

    by_class = BudgetTable("basic_by_economic", "基本支出表", lines=[BudgetLine("工资福利支出", "301"),
                                                                  BudgetLine("基本工资", "30101")])
    repeated = BudgetTable("basic_by_economic", "基本支出表", lines=[
        BudgetLine("某某局（本级）"), BudgetLine("工资福利支出", "301"), BudgetLine("某某中心"), BudgetLine("工资福利支出", "301")])
    uncoded = BudgetTable("basic_by_economic", "基本支出表", lines=[BudgetLine("[301]工资福利支出")])
    two_sided = BudgetTable("income_expenditure_summary", "收支总表", lines=[BudgetLine("一、财政拨款", side="income")])
    assert [_unsummed(t) for t in (by_class, repeated, uncoded, two_sided)] == [False, True, True, False]


def single_group(head: str, total: str) -> Grid:
    """One unit over its units, each over its projects (uncoded), under a 合计 row."""
    rows = [["单位编码", "单位（项目）名称", "项目金额"],
            ["", "合计", total],
            ["119", "某某局", head],
            ["119001", "某某局（本级）", "250.00"],
            ["", "信息化运维", "150.00"],
            ["", "办公楼维修", "100.00"],
            ["119002", "某某中心", "50.00"],
            ["", "业务培训", "50.00"]]
    return Grid("专项业务经费支出表", rows, [36] * len(rows), "万元", None)


def test_one_coded_group_is_trusted_where_the_total_is_its_sum():
    assert fired(report_with(single_group("300.00", "300.00")), "grid.group_sum") == []
    found = fired(report_with(single_group("320.00", "320.00")), "grid.group_sum")
    assert len(found) == 1 and "320" in found[0].message and "300" in found[0].message
    assert fired(report_with(single_group("320.00", "300.00")), "grid.group_sum") == []


def target_form_funds(total: str, parts: tuple[str, str]) -> Grid:
    rows = [["项目名称", "某某项目", "", "", ""],
            ["主管部门", "某某局", "", "实施单位", "某某局"],
            ["专项资金情况（万元）", "资金总额", "", total, ""],
            ["", "财政拨款", "", parts[0], ""],
            ["", "其他资金", "", parts[1], ""],
            ["年度目标", "完成某某任务。", "", "", ""]]
    return Grid("某某项目绩效目标表", rows, [31] * len(rows), "万元", "performance_target")


def test_a_total_left_blank_over_rows_that_print_amounts():
    assert fired(report_with(target_form_funds("100.00", ("100.00", "0.00"))), "grid.blank_total") == []
    assert fired(report_with(target_form_funds("", ("", ""))), "grid.blank_total") == []
    found = fired(report_with(target_form_funds("", ("100.00", "0.00"))), "grid.blank_total")
    assert len(found) == 1 and "资金总额" in found[0].message and "100万元" in found[0].message
