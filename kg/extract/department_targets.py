"""部门整体支出绩效目标表: the performance targets of a unit's whole spending.

Beside the 项目支出绩效目标表, many provinces print one target form for the department (or each
of its units) as a whole — its money (基本支出 and 项目支出), its 整体绩效目标 and its indicators.
It is no project: each is read into a ``Project`` marked ``covers_department`` and named
「单位」部门整体支出, so its indicators are found like a project's while project lists and counts
leave it out. Three printed shapes are read:

- a table of units (长沙): 单位编码 | 单位名称 | 资金总额 … | 整体绩效目标 | 一级指标 | 二级指标 | 三级指标 |
  指标值 …, each unit's row continued over pages that repeat the header;
- a form (西安): 部门（单位）名称 | X, 年度主要任务 with 金额合计, 年度总体目标, 一级指标 … rows;
- a form without a name (重庆 表十): 当年整体绩效目标 over its text, then 指标名称 | 指标性质 | 指标值 … rows,
  the unit named in the caption above (单位名称：X) or the report's own.
"""
from __future__ import annotations

import re

from kg.extract import forms
from kg.extract.amounts import parse_number, to_amount
from kg.extract.identity import looks_like_unit
from kg.extract.layout import Table
from kg.extract.names import normalise_unit
from kg.extract.normalize import squash
from kg.extract.project_tables import department_targets as targets_of_units, is_table_of_units
from kg.model import WHOLE_DEPARTMENT, Project, ProjectAmount

WHOLE_SPENDING = re.compile(r"(?:部门|单位)整体(?:支出)?绩效")
"""A title of the whole spending's form (部门整体支出绩效目标表, …绩效自评表), whatever kind it is filed under."""
_NAME_LABEL = re.compile(r"^(?:部门|单位)?[（(]?(?:部门|单位)[)）]?名称[:：]?$")
_CAPTION_UNIT = re.compile(r"(?:部门|单位)(?:[（(]单位[)）])?名称[:：]\s*(?P<unit>\S+)")
_TOTAL_LABEL = re.compile(r"^(?:金额合计|资金总额|合计)[:：]?$")
_GOAL_LABEL = re.compile(r"^(?:当年|年度)?(?:整体|总体)(?:绩效)?目标$")


def read(table: Table, money_unit: str, report_unit: str, previous: Project | None,
         caption: str = "") -> tuple[list[Project], forms.FormResult | None] | None:
    """The department targets a 部门整体支出绩效目标表 table starts (continuing ``previous``, the
    report's last one, where its rows go on), and the form result whose indicators may go on
    overleaf; None when the table has neither shape."""
    if forms.is_self_evaluation(table):  # 部门整体支出绩效自评表: the year's target, evaluated
        result = forms.parse_self_evaluation(table, money_unit, _unit_named(table, caption) or report_unit)
        return ([mark(result.project, report_unit)], None) if result.project is not None else None
    if is_table_of_units(table):  # rows continuing ``previous`` go to it, the new units are returned
        units = targets_of_units(table, money_unit, report_unit, previous)
        printed = squash(previous.unit or "") if previous is not None else None
        if printed and table.page and any(squash(c) == printed for row in table.rows for c in row):
            previous.pages = sorted(set(previous.pages) | {table.page})  # its rows go on over this page
        return [mark(p, report_unit) for p in units], None
    named = _unit_named(table, caption)
    result = forms.parse_target_form(table, money_unit, named or report_unit)
    if result.project is None or not (result.project.indicators or result.open_layout or named):
        return None  # neither indicators nor a 部门（单位）名称 whose indicators follow overleaf
    project = result.project
    project.printed_names = [named or report_unit]
    if project.annual_total is None:
        project.annual_total = _total(table, money_unit)
        if project.annual_total is not None:
            project.amounts.append(ProjectAmount("performance_table", "annual_total", project.annual_total))
    project.goal_annual = project.goal_annual or _goal_below_label(table)
    return [mark(project, report_unit)], result


def continues_evaluation(first: Table, table: Table) -> bool:
    """A table printed on the same page as a 部门整体支出绩效自评表's funds, or the next, with no funds
    of its own: its 年度总体目标完成情况 and indicator rows, split off where the columns change."""
    if first.page is None or table.page not in (first.page, first.page + 1) or forms.is_self_evaluation(table):
        return False
    head = "".join(squash(c) for row in table.rows[:3] for c in row)
    return "目标" in head and ("完成" in head or "一级指标" in head)


def reread_evaluation(target: Project, whole: Table, money_unit: str) -> None:
    """The target's evaluation read again from its form joined with what followed it."""
    result = forms.parse_self_evaluation(whole, money_unit, target.name)
    if result.project is None:
        return
    target.self_evaluation = result.project.self_evaluation
    target.indicators = result.project.indicators
    target.amounts = [a for a in target.amounts if a.source != "self_evaluation"] + result.project.amounts
    target.pages = sorted(set(target.pages) | set(result.project.pages))


def mark(project: Project, report_unit: str) -> Project:
    """The target named and marked as its unit's whole spending."""
    printed = normalise_unit(project.printed_names[0]) if project.printed_names else ""
    unit = printed if printed and looks_like_unit(printed) else normalise_unit(report_unit)
    if not project.name.endswith(WHOLE_DEPARTMENT):
        project.name = f"{unit}{WHOLE_DEPARTMENT}"
        project.printed_names = [project.name]  # the unit's name is no name of the target
    project.unit = project.unit or unit
    project.pages = sorted(set(project.pages) | {i.page for i in project.indicators if i.page})  # its rows go on
    project.category = None
    project.covers_department = True
    return project


def _unit_named(table: Table, caption: str) -> str | None:
    """The unit a form names after its 部门（单位）名称 label, or the caption line above it (单位名称：X)."""
    for row in table.rows[:2]:
        cells = [squash(c) for c in row if c and squash(c)]
        for i, cell in enumerate(cells[:-1]):
            if _NAME_LABEL.match(cell):
                return cells[i + 1]
    match = _CAPTION_UNIT.search(squash(caption))
    return match.group("unit") if match else None


def _total(table: Table, money_unit: str):
    """The form's 金额合计 (its 年度主要任务 added up): the first figure after the label."""
    for r, row in enumerate(table.rows):
        cells = [c for c in row if c and squash(c)]
        if cells and _TOTAL_LABEL.match(squash(cells[0])):
            value = next((c for c in cells[1:] if parse_number(c) is not None), None)
            if value is not None:
                return to_amount(value, money_unit, table.row_pages[r], table.row_lines[r])
    return None


def _goal_below_label(table: Table) -> str | None:
    """当年整体绩效目标 printed alone on its row, its text the one cell of the next (重庆 表十)."""
    for r, row in enumerate(table.rows[:-1]):
        cells = [c for c in row if c and squash(c)]
        below = [c for c in table.rows[r + 1] if c and squash(c)]
        if len(cells) == 1 and _GOAL_LABEL.match(squash(cells[0])) and len(below) == 1:
            return below[0].strip()
    return None
