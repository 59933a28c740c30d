"""What a table the reader did not turn into a budget table says about its own shape.

A ``Grid`` is kept as printed: cells of text. Here it is read the way an auditor reads an
unfamiliar table, without knowing its template: header rows are the rows without figures; the
rows between two header rows are one *segment* (a procurement list, the funding rows of a
self-evaluation form); a row's label is its first text cell; the money columns are those
holding figures below a header that does not name a count, a rate, a score, a code or a
target; a 合计/总计 row is a total, a 小计 row a subtotal, a row with names and no figure in a
segment of figures a blank row. Tables printed side by side (the same header repeated across
the width: 科目代码 | 科目名称 | 决算数 | 科目代码 | 科目名称 | 决算数) are read panel by panel.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from kg.extract.codes import economic_code
from kg.extract.amounts import EMPTY_MARKS, UNIT_FACTORS, parse_number
from kg.extract.identity import _ORG_END
from kg.extract.normalize import squash
from kg.model import Amount, Grid

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOTAL = re.compile(r"^(?:[\u4e00-\u9fff（）()]{0,8}?(?:合\s*计|总\s*计)|(?:年度|实施期)?资金总额|总额)[:：]?$")
_SUBTOTAL = re.compile(r"小\s*计[:：]?$")
# headers of columns that hold no money: counts, rates, scores, codes, years, targets, phone numbers
_NOT_MONEY = re.compile(r"序号|行次|栏次|编号|编码|代码|科目|年度|年份|数量|单价|[率%％]|分值|得分|分数|权重|指标|电话|人数|"
                        r"面积|台|套|辆|个数|项目数|期限|周期|日期|时间|备注|说明|依据|占比|比例|规格|型号|标准")
_FIGURE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_SENTENCE = re.compile(r"[，。；;,]")
_NOTE = re.compile(r"^(?:注|备注|说明)[0-9０-９]*[:：]")
_HEADER_WORD = re.compile(r"(?:名称|项目|科目|编码|代码|类别|内容|用途|类型|指标)$")
_ORDINAL_ROW = re.compile(r"^(?:栏次|行次|序号|列次)$")
_UNIT_IN_HEADER = re.compile(r"[（(](亿元|万元|千元|元)[)）]")
# a classification or unit code printed before the name: 20508 | 进修及培训, [30309]奖励金, 119001 | 西安市统计局
_CODE_CELL = re.compile(r"^\d{3,9}$")
_CODE_PREFIX = re.compile(r"^[\[［【(（]?(\d{3,9})[\]］】)）]?(?=[\u4e00-\u9fff])")


@dataclass
class Row:
    index: int
    label: str
    page: int | None
    line: int | None = None
    values: dict[int, Amount] = field(default_factory=dict)
    kind: str = "part"  # part | total | subtotal | blank (a data row without figures) | note
    label_column: int = 0
    code: str | None = None
    detailed: bool = False  # text cells beyond the label (a project's goal, an item's category …)
    first_figure: int | None = None  # the column of its first figure as printed
    text_columns: frozenset = frozenset()  # columns printing words, and figures, as printed
    figure_columns: frozenset = frozenset()

    def aligned(self, other: "Row") -> bool:
        """Printed over the same columns: neither prints a figure where the other prints text (the
        rows of a text export shifted by a cell are not compared)."""
        return not (self.figure_columns & other.text_columns or other.figure_columns & self.text_columns)


@dataclass
class Segment:
    """Rows under one header: the money columns and their headers, the rows in order."""

    columns: dict[int, str]
    rows: list[Row]
    blank_total: Row | None = None  # a 合计/资金总额 row printed above the rows with no figure at all

    @property
    def totals(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "total"]

    @property
    def parts(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "part"]


def _is_figure(cell: str) -> bool:
    return bool(_FIGURE.match(cell.strip().replace(" ", "")))


def _label(row: list[str]) -> tuple[int, str] | None:
    for c, cell in enumerate(row):
        text = squash(cell)
        if _CJK.search(text):
            return c, text
    return None


def _header_row(row: list[str]) -> bool:
    cells = [squash(c) for c in row if squash(c)]
    return bool(cells) and not any(_is_figure(c) for c in cells) and (
        len(set(cells)) >= 2 or not _CJK.search(cells[0]))


def _code_column(cells: list[str]) -> bool:
    """Class or unit codes (201, 2080501, 121001), or row numbers 1, 2, 3 …: whole numbers printed
    without grouping."""
    numbers = [squash(c) for c in cells if squash(c)]
    if not numbers or any("." in n or "," in n for n in numbers):
        return False
    ints = [int(n) for n in numbers if n.lstrip("-").isdigit()]
    return len(ints) == len(numbers) and (all(len(n) >= 3 for n in numbers) and len(numbers) >= 2 or
                                          ints == list(range(ints[0], ints[0] + len(ints))))


def panels(rows: list[list[str]]) -> list[tuple[int, int]]:
    """Column ranges of side-by-side copies of one table (its header repeated across the width)."""
    width = max((len(r) for r in rows), default=0)
    for row in rows[:4]:
        cells = [squash(c) for c in row] + [""] * (width - len(row))
        for period in range(2, width // 2 + 1):
            if width % period:
                continue
            copies = [cells[k:k + period] for k in range(0, width, period)]
            if all(sum(1 for c in copy if c) >= 2 for copy in copies) and all(copy == copies[0] for copy in copies):
                return [(k, k + period) for k in range(0, width, period)]
    return [(0, width)]


_READ: ContextVar[dict | None] = ContextVar("grid_segments", default=None)


@contextmanager
def segments_kept() -> Iterator[None]:
    """Within the block each grid is segmented once: the five grid rules of one ``run_checks``
    read the same segments (which none of them changes) instead of each reading the grid again."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def segments(grid: Grid) -> list[Segment]:
    kept = _READ.get()
    if kept is not None and id(grid) in kept and kept[id(grid)][0] is grid:
        return list(kept[id(grid)][1])
    width = max((len(r) for r in grid.rows), default=0)
    rows = [list(r) + [""] * (width - len(r)) for r in grid.rows]
    out: list[Segment] = []
    for start, end in panels(rows):
        out.extend(_segments(grid, [r[start:end] for r in rows]))
    if kept is not None:
        kept[id(grid)] = (grid, out)
        return list(out)
    return out


def _segments(grid: Grid, rows: list[list[str]]) -> list[Segment]:
    width = len(rows[0]) if rows else 0
    out: list[Segment] = []
    header: list[list[str]] = []
    block: list[int] = []
    money: set[int] = set()  # the columns the rows so far print figures in
    blanks: set[int] = set()
    for i, row in enumerate(rows):
        labelled = _label(row)
        figures = [c for c, cell in enumerate(row) if _is_figure(cell)]
        # a row of names (and text in the text columns) with nothing in the figures' columns: a data
        # row left blank, not a header (whose names sit above the figures)
        names_only = labelled is not None and not figures and labelled[0] < min(money, default=0) and \
            all(squash(row[c]) in EMPTY_MARKS for c in money) and not _SENTENCE.search(labelled[1]) and \
            len(labelled[1]) <= 40 and not _HEADER_WORD.search(labelled[1]) and not _NOTE.match(labelled[1])
        if figures or names_only and block:
            block.append(i)
            blanks.update([i] if names_only else [])
            money.update(c for c in figures if labelled and c > labelled[0])
            continue
        if block and header and any(_same(row, h) for h in header):
            continue  # the header printed again where the table runs onto the next page
        if not block or _header_row(row) and any(squash(row[c]) not in EMPTY_MARKS for c in money):
            # a header names the columns of figures; a row of words beside them (a name wrapped onto
            # the next line, a goal) stays in the table
            if block:
                segment = _segment(grid, rows, header, block, blanks)
                out.extend([segment] if segment else [])
                header, block = [], []
            header.append(row)
            money = set()
            continue
        block.append(i)
    if block:
        segment = _segment(grid, rows, header, block, blanks)
        out.extend([segment] if segment else [])
    return out


def _same(a: list[str], b: list[str]) -> bool:
    cells = [squash(c) for c in a]
    return any(cells) and cells == [squash(c) for c in b]


def signature(row: Row) -> tuple:
    """A row's form: where its name sits, whether it prints more text than its name, whether the
    name is a unit's — the rows of one level of a list share it."""
    return row.label_column, row.detailed, bool(_ORG_END.search(re.sub(r"[（(][^（()）]*[)）]$", "", row.label)))


def _unit(grid: Grid, header: list[list[str]]) -> str:
    for row in header:
        for cell in row:
            found = _UNIT_IN_HEADER.search(squash(cell))
            if found:
                return found.group(1)
    return grid.unit or "万元"


def _segment(grid: Grid, rows: list[list[str]], header: list[list[str]], block: list[int],
             blanks: set[int]) -> Segment | None:
    width = len(rows[0]) if rows else 0
    unit = _unit(grid, header)
    names = {c: "".join(squash(h[c]) for h in header if c < len(h)) for c in range(width)}
    labels = {i: _label(rows[i]) for i in block}
    first_label = min((lab[0] for lab in labels.values() if lab), default=None)
    if first_label is None:
        return None
    columns: dict[int, str] = {}
    for c in range(first_label + 1, width):
        cells = [rows[i][c] for i in block]
        if not any(_is_figure(x) for x in cells) or _NOT_MONEY.search(names[c]) or _code_column(cells):
            continue
        if any(squash(x) not in EMPTY_MARKS and not _is_figure(x) and parse_number(x) is None for x in cells):
            continue  # text in the column among the figures: not a money column
        columns[c] = names[c]
    if not columns or not any(columns.values()):
        return None  # figures under no header: scores or targets of a form, not money
    first_money = min(columns)
    out: list[Row] = []
    for i in block:
        lab = labels[i]
        if lab is None or _ORDINAL_ROW.match(lab[1]):
            continue
        cells = rows[i]
        texts = [c for c in range(width) if c not in columns and squash(cells[c]) and not _is_figure(cells[c])]
        label = "".join(squash(cells[c]) for c in range(first_label, first_money) if _CJK.search(cells[c])) or lab[1]
        code_cell = next((squash(cells[c]) for c in range(0, lab[0]) if _CODE_CELL.match(squash(cells[c]))), None)
        prefixed = _CODE_PREFIX.match(lab[1])
        row = Row(i, label, grid.row_pages[i] if i < len(grid.row_pages) else None, label_column=lab[0],
                  code=code_cell or (prefixed.group(1) if prefixed else None) or economic_code(lab[1]),
                  detailed=any(c > lab[0] for c in texts),
                  first_figure=next((c for c in range(lab[0] + 1, width) if _is_figure(cells[c])), None),
                  line=grid.row_lines[i] if i < len(grid.row_lines) else None,
                  text_columns=frozenset(c for c in range(width) if _CJK.search(cells[c])),
                  figure_columns=frozenset(c for c in range(width) if _is_figure(cells[c])))
        for c in columns:
            value = parse_number(cells[c])
            if value is not None:
                row.values[c] = Amount(value * UNIT_FACTORS[unit], squash(cells[c]), unit, row.page, row.line)
        if any(_TOTAL.match(squash(cells[c])) for c in range(lab[0], first_money)):
            row.kind = "total"
        elif _SUBTOTAL.search(label):
            row.kind = "subtotal"
        elif not row.values and not any(_is_figure(c) for c in cells):
            row.kind = "blank" if i in blanks else "note"
        out.append(row)
    return Segment(columns, out, _blank_total(grid, rows, header, first_label, first_money))


def _blank_total(grid: Grid, rows: list[list[str]], header: list[list[str]], first_label: int,
                 first_money: int) -> Row | None:
    """The header row right above the figures when it is a total's row (合计, 资金总额) naming
    nothing in the figures' columns: a total left blank over rows that print theirs."""
    if not header:
        return None
    last = header[-1]
    names = [squash(c) for c in last[first_label:first_money]]
    if not any(_TOTAL.match(n) for n in names) or any(squash(c) for c in last[first_money:]):
        return None
    index = next(i for i, r in enumerate(rows) if r is last)
    return Row(index, next(n for n in names if _TOTAL.match(n)),
               grid.row_pages[index] if index < len(grid.row_pages) else None, kind="blank",
               line=grid.row_lines[index] if index < len(grid.row_lines) else None)
