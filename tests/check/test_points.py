"""The points of performance forms (绩效目标表, 自评表) add up to the total the form prints, or
to the total the report's other forms share; a 总分 row left blank is named. Built on small
forms in the shapes the corpus prints."""
from __future__ import annotations

from kg.check import run_checks
from kg.model import Grid, Report


def report_with(*grids: Grid) -> Report:
    return Report(unit="某某局", year=2026, kind="预算", scope="部门", grids=list(grids))


def fired(report: Report, rule: str):
    return run_checks(report, severities=("error", "warning"), rules=[rule])


def target_form(name: str, points: list[str], page: int, header: str = "分值（90）") -> Grid:
    """A 绩效目标表 with its points' total in the header."""
    rows = [["项目名称", "", name, "", "", ""],
            ["年度绩效指标", "一级指标", "二级指标", "三级指标", "指标值", header],
            ["", "产出指标", "数量指标", "完成事项数", "10个", points[0]],
            ["", "", "质量指标", "验收合格率", "100%", points[1]],
            ["", "效益指标", "社会效益指标", "服务水平提升", "显著", points[2]],
            ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", points[3]]]
    return Grid(f"{name}绩效目标表", rows, [page] * len(rows), None, "performance_target")


def listed_forms(second: list[str]) -> Grid:
    """Forms listed one under another, points under 备注, no total printed anywhere."""
    header = [["单位编码", "单位（项目）名称", "资金总额", "绩效目标", "绩效指标", "", "", "", "", ""],
              ["", "", "", "", "一级指标", "二级指标", "三级指标", "指标值", "指标值类型", "备注"]]
    rows = list(header)
    for k, (name, points) in enumerate([("甲项目", ["30", "30", "20", "10"]), ("乙项目", second),
                                         ("丙项目", ["40", "20", "20", "10"]),
                                         ("丁项目", ["30", "20", "30", "10"])]):
        rows += [["001", name, "10.00", "完成任务", "产出指标", "数量指标", "完成事项数", "10", "≥", points[0]],
                 ["", "", "", "", "", "质量指标", "合格率", "100", "≥", points[1]],
                 ["", "", "", "", "效益指标", "社会效益指标", "服务水平", "提升", "定性", points[2]],
                 ["", "", "", "", "满意度指标", "服务对象满意度指标", "满意度", "90", "≥", points[3]]]
    return Grid("项目支出绩效目标表", rows, [20] * len(rows), None, "performance_target")


def self_evaluation(name: str, points: list[str], scores: list[str], total: list[str], page: int) -> Grid:
    rows = [["项目名称", "", name, "", "", "", "", ""],
            ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "年度资金总额", "100", "100", "90", "10", "90.00%", "9"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["", "产出指标", "数量指标", "完成事项数", "10个", "10个", points[0], scores[0]],
            ["", "", "质量指标", "验收合格率", "100%", "100%", points[1], scores[1]],
            ["", "效益指标", "社会效益指标", "服务水平提升", "显著", "显著", points[2], scores[2]],
            ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", points[3], scores[3]],
            ["总分", "", "", "", "", "", *total]]
    return Grid(f"{name}绩效自评表", rows, [page] * len(rows), None, "self_evaluation")


def test_forms_whose_points_add_up_raise_nothing():
    report = report_with(target_form("甲项目", ["30", "30", "20", "10"], 5),
                         target_form("乙项目", ["20", "40", "20", "10"], 6), listed_forms(["20", "20", "40", "10"]),
                         self_evaluation("丙项目", ["30", "30", "20", "10"], ["30", "28", "20", "10"], ["100", "97"], 7),
                         self_evaluation("丁项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["100", "99"], 8))
    assert fired(report, "form.points") == []
    assert fired(report, "form.blank_total") == []


def test_points_short_of_the_header_total_are_named():
    report = report_with(target_form("甲项目", ["30", "30", "20", "10"], 5), target_form("乙项目", ["30", "", "20", "10"], 6),
                         target_form("丙项目", ["40", "20", "20", "10"], 7), target_form("丁项目", ["40", "20", "20", "10"], 8))
    found = fired(report, "form.points")
    assert len(found) == 1 and found[0].pages == [6]
    assert "60" in found[0].message and "90" in found[0].message


def test_points_unlike_the_other_forms_are_named_where_no_total_is_printed():
    found = fired(report_with(listed_forms(["20", "25", "40", "10"])), "form.points")
    assert len(found) == 1 and "乙项目" in found[0].message and "95" in found[0].message


def test_a_total_row_that_is_neither_sum_is_named():
    report = report_with(self_evaluation("丙项目", ["30", "30", "20", "10"], ["30", "28", "20", "10"], ["100", "97"], 7),
                         self_evaluation("丁项目", ["30", "35", "20", "10"], ["30", "30", "20", "10"], ["100", "99"], 8),
                         self_evaluation("戊项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["100", "99"], 9),
                         self_evaluation("己项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["100", "99"], 10))
    found = fired(report, "form.points")
    assert len(found) == 1 and found[0].pages == [8] and "105" in found[0].message


def test_a_report_whose_forms_mostly_do_not_add_up_is_read_some_other_way():
    report = report_with(target_form("甲项目", ["30", "30", "20", "5"], 5), target_form("乙项目", ["30", "", "20", "10"], 6),
                         target_form("丙项目", ["40", "20", "20", "10"], 7))
    assert fired(report, "form.points") == []


def test_a_blank_total_row_is_named_where_the_other_forms_print_theirs():
    report = report_with(self_evaluation("丙项目", ["30", "30", "20", "10"], ["30", "28", "20", "10"], ["100", "97"], 7),
                         self_evaluation("丁项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["100", "99"], 8),
                         self_evaluation("己项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["100", "99"], 10),
                         self_evaluation("戊项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["", ""], 9))
    found = fired(report, "form.blank_total")
    assert len(found) == 1 and found[0].pages == [9]
    lone = report_with(self_evaluation("戊项目", ["30", "30", "20", "10"], ["30", "30", "20", "10"], ["", ""], 9))
    assert fired(lone, "form.blank_total") == []


def test_a_form_continued_over_pages_repeats_its_amount_alike():
    grid = listed_forms(["20", "20", "40", "10"])
    continued = [["001", "乙项目", "10.00", "完成任务", "效益指标", "社会效益指标", "服务质量", "提升", "定性", ""]]
    grid.rows[10:10] = continued
    grid.row_pages = [20] * 10 + [21] * (len(grid.rows) - 10)
    assert fired(report_with(grid), "form.repeated_amount") == []
    grid.rows[10][2] = "16.00"
    (found,) = fired(report_with(grid), "form.repeated_amount")
    assert "乙项目" in found.message and "16.00" in found.message and found.pages == [20, 21]
