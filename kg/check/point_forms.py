"""The points of 绩效目标表 and 自评表 as printed (``Report.grids``).

A form spreads a fixed number of points over its indicators: the 分值 (权重) column. Where the
form prints its total — a 总分 row, or the header itself (分值（90）) — the points must add up to
it; where it does not, every form of one report is filled from the same template and shares the
total the others add up to. A 自评表 also scores each indicator (得分), and its 总分 row prints
the sum of the scores.

A form is read from its header row (一级指标 | 二级指标 | … | 分值): the points column is the one
headed 分值/权重 — or, where the template prints them under 备注, that column — counted from the
right where a row is printed with fewer cells. The funding rows of a 自评表 carry the execution
rate's points under their own 分值 header. A form ends where the next one is named: a 项目名称
row, a new form's title, or a new name in the name column of a list of forms. A form whose points
column holds words is not read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg.extract.indicators import level1_name, level2_name
from kg.extract.normalize import squash
from kg.model import Grid, Report

FORM_KINDS = ("performance_target", "department_performance", "self_evaluation")
_POINTS = re.compile(r"^(?:指标)?(?:分值|权重)(?:权重)?(?:[（(](\d+(?:\.\d+)?)分?[)）])?$")
_SCORE = re.compile(r"^得分$")
_REMARK = "备注"
_FORM_NAME = re.compile(r"^(?:项目名称|(?:部门|单位|部门（单位）|单位（部门）)名称)$")
_FORM_HEAD = re.compile(r"^(?:主管部门|项目资金|资金金额|实施单位)")  # a form's head, its 项目名称 row not read
_LIST_FUNDS = re.compile(r"^(?:资金总额|项目金额|金额)(?:[（(]万元[)）])?$")
_FIGURE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_LIST_NAME = re.compile(r"^(?:单位（项目）|项目|单位)名称$")
_TOTAL_ROW = re.compile(r"^(?:总分|合计|总计|金额合计|分值合计)$")
_NAME_HEADER = re.compile(r"^(?:三级指标|指标名称|指标内容)$")
_FUNDING_TOTAL = re.compile(r"合\s*计")
_POINTS_TOTAL = re.compile(r"^(?:总分|分值合计)")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DASHES = ("—", "-", "/", "－", "——")


@dataclass
class Points:
    label: str
    value: Decimal
    printed: str
    page: int | None
    line: int | None


@dataclass
class Form:
    name: str
    title: str
    kind: str | None = None  # the template: what the title calls the form (绩效目标表, 部门整体…, 自评表)
    points: list[Points] = field(default_factory=list)
    scores: list[Points] = field(default_factory=list)
    header_total: Decimal | None = None  # 分值（90）
    totals: list[Points] = field(default_factory=list)  # what the 总分 row prints under 分值 and 得分
    totals_aligned: bool = False  # it prints both, one under each: the first is the points, the second the score
    total_row_blank: Points | None = None  # a 总分 row printing nothing (value 0, where it sits)
    rate: Points | None = None  # the execution rate's points in the funding rows of a 自评表
    rate_score: Points | None = None
    rate_column: bool = False  # the funding rows have a 分值 column
    funds: list[Points] = field(default_factory=list)  # a list of forms: the 资金总额 printed on each of its rows
    unreadable: bool = False
    pages: list[int] = field(default_factory=list)

    @property
    def sum(self) -> Decimal:
        return sum((p.value for p in self.points), Decimal(0))

    @property
    def score_sum(self) -> Decimal:
        return sum((p.value for p in self.scores), Decimal(0))


@dataclass
class _Columns:
    """Where a header puts the points, the scores and the indicator's name, and how wide it is."""

    points: int | None = None
    scores: int | None = None
    width: int = 0
    name: int | None = None  # the 三级指标 column

    def at(self, column: int | None, row: list[str], shift: int = 0) -> str | None:
        if column is None:
            return None
        index = (column if len(row) == self.width else len(row) - (self.width - column)) - shift
        return squash(row[index]) if 0 <= index < len(row) else None

    def shift(self, cells: list[str]) -> int:
        """How many cells a row is printed left of its header (a text export dropping a row's empty
        first cell): where its indicator's name sits, after its level names, against the header's
        三级指标 column."""
        if self.name is None:
            return 0
        first = next((i for i, c in enumerate(cells) if _level1(c) or level2_name(c)), None)
        if first is None:
            return 0
        found = first + 1
        if _level1(cells[first]) and found < len(cells) and level2_name(cells[found]):
            found += 1
        if found >= len(cells) or not cells[found]:
            return 0
        return self.name - found if 0 < self.name - found <= 2 else 0


def _level1(cell: str) -> bool:
    return level1_name(cell) is not None or cell == "成本指标"


def _cells(row: list[str]) -> list[str]:
    return [squash(c) for c in row]


def _header(cells: list[str]) -> tuple[_Columns, Decimal | None] | None:
    """The points and score columns a header row names, and the total it states."""
    points = [(i, _POINTS.match(c)) for i, c in enumerate(cells) if _POINTS.match(c)]
    scores = [i for i, c in enumerate(cells) if _SCORE.match(c)]
    names = [i for i, c in enumerate(cells) if _NAME_HEADER.match(c)]
    name = names[0] if names else None
    if points:
        column, found = points[0]
        stated = Decimal(found.group(1)) if found.group(1) else None
        return _Columns(column, scores[0] if scores else None, len(cells), name), stated
    if "一级指标" in cells and cells and cells[-1] == _REMARK:
        return _Columns(len(cells) - 1, None, len(cells), name), None
    if scores and "一级指标" not in cells:
        return _Columns(None, scores[0], len(cells)), None
    return None


def forms(report: Report) -> list[Form]:
    out: list[Form] = []
    reader = _Reader(out)
    previous: Grid | None = None
    for grid in report.grids:
        continues = previous is not None and grid.kind is None and not grid.title.strip() or \
            previous is not None and grid.kind is None and reader.form is not None and _near(previous, grid)
        opens = grid.kind in FORM_KINDS and grid.title.strip() or \
            any("一级指标" in _cells(row) for row in grid.rows) and reader.form is None
        if opens:
            reader.open(grid)
        elif not continues:
            reader.close()
            previous = None
            continue
        for row, page, line in zip(grid.rows, grid.row_pages, grid.row_lines or [None] * len(grid.rows)):
            reader.row(grid, row, page, line)
        previous = grid
    reader.close()
    return out


def _near(before: Grid, after: Grid) -> bool:
    last = next((p for p in reversed(before.row_pages) if p), None)
    first = next((p for p in after.row_pages if p), None)
    return last is not None and first is not None and 0 <= first - last <= 1


class _Reader:
    def __init__(self, out: list[Form]):
        self.out = out
        self.form: Form | None = None
        self.columns: _Columns | None = None
        self.funding: _Columns | None = None
        self.list_name: int | None = None
        self.list_funds: int | None = None
        self.indicators = False

    def open(self, grid: Grid, name: str = "") -> None:
        kind = grid.kind or (self.form.kind if self.form else None)
        self.close()
        self.form = Form(name or grid.title, grid.title, kind)
        self.columns = self.funding = None
        self.indicators = False

    def close(self) -> None:
        if self.form is not None and (self.form.points or self.form.totals or self.form.total_row_blank or self.form.funds):
            self.out.append(self.form)
        self.form = None
        self.list_name = self.list_funds = None

    def row(self, grid: Grid, row: list[str], page: int | None, line: int | None) -> None:
        cells = _cells(row)
        filled = [c for c in cells if c]
        if not filled or self.form is None:
            return
        if _FORM_NAME.match(filled[0]) and len(filled) <= 3:
            name = filled[1] if len(filled) > 1 else ""
            if self.form.points or self.indicators:
                self.open(grid, name)
            else:
                self.form.name = name or self.form.name
            return
        if _FORM_HEAD.match(filled[0]) and (self.form.points or self.indicators):
            self.open(grid, f"第{page}页的绩效表" if page else "")
        if len(filled) >= 4 and any(_LIST_NAME.match(c) for c in cells):
            self.list_name = next(i for i, c in enumerate(cells) if _LIST_NAME.match(c))
            self.list_funds = next((i for i, c in enumerate(cells) if _LIST_FUNDS.match(c)), None)
            return
        found = _header(cells)
        if found is not None:
            columns, stated = found
            if "一级指标" in cells or "三级指标" in cells:
                self.columns, self.indicators = (columns if columns.points is not None else None), True
                self.form.header_total = stated if stated is not None else self.form.header_total
            else:
                self.funding = columns
            return
        if self.list_name is not None and self.list_name < len(cells) and cells[self.list_name]:
            name = cells[self.list_name]
            if name != self.form.name:
                columns, list_name, list_funds = self.columns, self.list_name, self.list_funds
                self.open(grid, name)
                self.columns, self.list_name, self.list_funds = columns, list_name, list_funds
                self.indicators = columns is not None
            funds = cells[self.list_funds] if self.list_funds is not None and self.list_funds < len(cells) else ""
            if _FIGURE.match(funds):
                self.form.funds.append(Points(name, Decimal(funds.replace(",", "")), funds, page, line))
        columns = self.columns if self.indicators else self.funding
        if columns is None or page is None and line is None:
            return
        self._read(columns, row, filled, page, line)

    def _read(self, columns: _Columns, row: list[str], filled: list[str], page: int | None, line: int | None) -> None:
        form = self.form
        label = filled[0]
        shift = columns.shift(_cells(row)) if self.indicators else 0
        points = columns.at(columns.points, row, shift)
        score = columns.at(columns.scores, row, shift)
        if page and page not in form.pages:
            form.pages.append(page)
        if not self.indicators:
            form.rate_column = form.rate_column or columns.points is not None
            if form.rate is None and form.rate_score is None or _FUNDING_TOTAL.search(label):
                if points and _NUMBER.match(points):
                    form.rate = Points(label, Decimal(points), points, page, line)
                if score and _NUMBER.match(score):
                    form.rate_score = Points(label, Decimal(score), score, page, line)
            return
        if _TOTAL_ROW.match(label):
            if _POINTS_TOTAL.match(label):
                texts = [t for t in (points, score) if t and _NUMBER.match(t)]
                form.totals_aligned = len(texts) == 2
                texts = texts or [c for c in filled[1:] if _NUMBER.match(c)]
                printed = [Points(label, Decimal(t), t, page, line) for t in texts]
                form.totals.extend(printed)
                if not printed and not any(_NUMBER.match(c) for c in filled):
                    form.total_row_blank = Points(label, Decimal(0), "", page, line)
            return
        name = next((c for c in filled[1:] if _CJK.search(c) and not c.endswith("指标") and
                     not re.search(r"指标[（(]?\d", c)), label)
        for text, bucket in ((points, form.points), (score, form.scores)):
            if not text or text in _DASHES:
                continue
            if not _NUMBER.match(text):
                if bucket is form.points and _CJK.search(text):
                    form.unreadable = True
                continue
            value = Decimal(text)
            if bucket is form.points and value > 100:
                form.unreadable = True
                continue
            bucket.append(Points(name, value, text, page, line))
