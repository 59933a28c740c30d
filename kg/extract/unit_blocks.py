"""Which 预算单位 each line of a department's table belongs to, when the table prints its units.

A department's report prints some tables unit by unit, in one of two shapes:

- **one row per unit** (收入总表 by 单位名称): each row is a unit's figures;
- **blocks**: a unit's row — its name, often under its code (``125001 西安市安全生产监督管理局``) or in a
  ``预算单位`` column — followed by that unit's classification lines, then the next unit's row and its
  lines (支出总表, 基本支出预算表 of 西安, 深圳, 广州 departments). The same code then occurs once per
  unit in one table.

``mark_unit_blocks`` sets ``BudgetLine.block_unit`` on every line of such a table: the unit's own
row and the lines of its block. The department's first row is the department as a whole; its name
again, marked 本级, or under a 合计 it does not reach, is its own part ``X（本级）``, as
``figures.unit_figures`` reads it.
"""
from __future__ import annotations

import re

from kg.extract.identity import looks_like_unit
from kg.extract.names import normalise_unit, own_part
from kg.extract.normalize import squash
from kg.model import BudgetLine, BudgetTable


_TRAILING_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")


def _is_unit_row(line: BudgetLine) -> bool:
    """A line without a code named like an organisation (its last bracket left out: 广州市统计监测中心
    （广州市统计发展中心）), or printed under a unit code."""
    if line.is_total or line.code:
        return False
    if line.unit_code:
        return True
    core = _TRAILING_BRACKETS.sub("", normalise_unit(line.name))
    return not core.endswith("计") and "（" not in core and looks_like_unit(core)


def mark_unit_blocks(table: BudgetTable, report_unit: str | None, unit_report: bool = False) -> None:
    """Set ``block_unit`` on the lines of a table by unit or in blocks by unit (see the module). In a
    单位 report (``unit_report``) the unit's rows, 本级 or not, are the report's unit itself."""
    if table.by_unit:
        rows = [line for line in table.lines if not line.is_total and not line.code and squash(line.name)
                and not squash(line.name).endswith("计")]
    else:
        rows = [line for line in table.lines if _is_unit_row(line)]
    heads = {id(line) for line in rows}
    if not table.by_unit:
        first = next((i for i, line in enumerate(table.lines) if id(line) in heads), len(table.lines))
        if len(rows) < 2 or all(id(line) in heads or line.is_total for line in table.lines[first:]):
            return  # one unit's row above its lines is a heading, not a table by unit
    department = normalise_unit(report_unit) if report_unit else None
    seen_department = False
    current: str | None = None
    total = next((line.values.get("total") for line in table.lines if line.is_total), None)
    for line in table.lines:
        if id(line) in heads:
            name = normalise_unit(line.name)
            if department and name == department:
                own = not unit_report and (seen_department or "本级" in squash(line.name) or _below(line, total))
                current = own_part(name) if own else department
                seen_department = True
            else:
                current = name
        if current is not None and not line.is_total:
            line.block_unit = current


def _below(line: BudgetLine, total) -> bool:
    """The department's row printed under a 合计 it does not reach: its own part (合计 3,643.37 /
    西安市安全生产监督管理局 2,080.32 / the next unit …)."""
    mine = line.values.get("total")
    return total is not None and mine is not None and mine.value < total.value
