"""Budget tables: recognise the kind of a ruled table and read its rows.

Works on the layout ``Table`` (cells as strings) so it serves PDFs and text exports
alike. Handles multi-row headers with spanned cells, two-sided 收支 tables, 行次/栏次
columns, 类/款/项 code columns split over cells (``201 | 13 | 01``) and amounts in 元 or
万元.
"""
from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass

from kg.extract import codes
from kg.extract.amounts import is_number, parse_number, to_amount
from kg.extract.columns import basis_of, column_key
from kg.extract.identity import looks_like_unit
from kg.extract.layout import Table
from kg.extract.names import normalise_unit
from kg.extract.normalize import squash
from kg.model import BudgetLine, BudgetTable

# kind → title patterns (on the squashed title); first match wins
TABLE_KINDS: list[tuple[str, str]] = [
    ("self_evaluation", r"自评表"),
    ("department_performance", r"部门整体(支出)?绩效"),
    ("performance_target", r"绩效目标(申报)?表"),
    ("statistics", r"相关信息统计表"),
    ("three_public", r"三公"),
    ("operating_costs", r"机关运行经费"),
    ("procurement", r"政府采购"),
    ("project_carryover", r"项目支出.*上年结转"),
    ("project_budget", r"项目支出(预算|决算)?(明细)?表"),
    ("basic_by_economic", r"基本支出.*(经济|明细)|基本支出(预算|决算)?(情况)?表|经济分类"),
    ("fiscal_summary", r"财政拨款收(入)?支(出)?(决算|预算)?总(体情况)?表"),
    ("fund_income", r"政府性基金.*收入(预算|决算)?表$"),
    ("fund_expenditure", r"政府性基金"),
    ("state_capital", r"国有资本经营"),
    ("general_budget_expenditure", r"一般公共预算.*支出|财政拨款支出(决算|预算)?表"),
    ("income_expenditure_summary", r"收(入)?支(出)?(决算|预算)?总(体情况)?表|收支预算总表"),
    ("income_summary", r"收入(决算|预算)?(总体情况|总|情况)?表"),
    ("expenditure_summary", r"支出(决算|预算)?(总体情况|总|情况)?表"),
]
_KIND_PATTERNS = [(kind, re.compile(p)) for kind, p in TABLE_KINDS]

_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|[①②③④⑤⑥⑦⑧⑨])")
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\s?\d{2}){0,2})\s+(\S.*)$")
_SIDE = re.compile(r"^(?:本年|财政拨款)?(收入|支出)")
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]+[)）])")
_FINISHED = re.compile(r"(?:支出|收入|资金|经费|拨款|预算|结转|结余|[计金款费])$")
_TOTAL_NAME = re.compile(r"^(合计|总计|部门合计|本年收入合计|本年支出合计|收入总计|支出总计)$")


def classify(title: str) -> str | None:
    text = squash(title)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return None


def is_numbering_row(row: list[str]) -> bool:
    """The '1 2 3 …' or '栏次 … 1 … 2' row printed under headers."""
    cells = [c for c in row if c]
    if not cells:
        return False
    if cells[0] in ("栏次", "**", "*", "甲", "乙"):
        return True
    numbers = [c for c in cells if re.fullmatch(r"\d{1,2}", c)]
    return len(numbers) == len(cells) and len(cells) >= 2 and [int(c) for c in numbers] == sorted(int(c) for c in numbers) \
        and int(numbers[0]) in (0, 1)


def _is_header_cell(cell: str) -> bool:
    text = squash(cell)
    if not text or is_number(text) or codes.normalise_code(text) or _ENUMERATED.match(text):
        return False
    if codes.function_code(text):
        return False
    return len(text) <= 24


_HEADER_DEPTH = 16  # header rows a grid finer than its cells may spread a header over


def header_rows(table: Table) -> tuple[int, int]:
    """(number of header rows, index of the first data row) — numbering rows skipped."""
    count = 0
    for i, row in enumerate(table.rows[:_HEADER_DEPTH]):
        if is_numbering_row(row):
            return count, i + 1
        cells = [c for c in row if c]
        if any(is_number(c) for c in cells):
            return count, i
        if not all(_is_header_cell(c) for c in cells):
            return count, i
        if len(cells) < 2 and i > 0 and not _header_continues(table.rows, i + 1, _first_filled(row)):
            return count, i
        if i >= 6 and not _header_continues(table.rows, i, None):
            return count, i
        count += 1
    return count, count


def _first_filled(row: list[str]) -> int:
    return next((c for c, cell in enumerate(row) if cell.strip()), -1)


def _header_continues(rows: list[list[str]], start: int, column: int | None) -> bool:
    """A header drawn over a finer grid than its cells ('“三公”经费' alone on its grid row, the
    item names below it over several rows): header-like rows go on until a row of figures. A
    lone cell in the figures' label column (or left of it) is an empty data row's name
    ('因公出国（境）费' with no amounts), not a header piece."""
    for row in rows[start:_HEADER_DEPTH]:
        cells = [c for c in row if c]
        if not cells:
            continue
        if any(is_number(c) for c in cells):
            return column is None or column > _first_filled(row)
        if is_numbering_row(row) or not all(_is_header_cell(c) for c in cells):
            return False
    return False


def column_paths(table: Table, n_header: int) -> list[list[str]]:
    """Header path of every column, spanned (empty) cells filled from the left."""
    width = table.width
    filled = [list(r) for r in table.rows[:n_header]]
    for r in range(n_header):
        for c in range(1, width):
            if filled[r][c]:
                continue
            lower = any(table.rows[k][c] for k in range(r + 1, n_header))
            if lower and filled[r][c - 1]:
                filled[r][c] = filled[r][c - 1]
    return [[filled[r][c] for r in range(n_header) if filled[r][c]] for c in range(width)]


@dataclass
class _Half:
    start: int
    stop: int
    side: str | None


def _halves(paths: list[list[str]], table: Table, n_header: int) -> list[_Half]:
    """Two-sided 收支 tables: left half income, right half expenditure; a half printed as two
    column groups (支出 by 功能分类 | by 支出用途, each ``名称 | 金额``) is one half per group."""
    halves = _side_halves(paths, table, n_header)
    out: list[_Half] = []
    for half in halves:
        names = [c for c in range(half.start, half.stop) if paths[c] and column_key(paths[c][-1]) == "name"]
        starts = [c for i, c in enumerate(names) if i == 0 or
                  any(paths[v] and column_key(paths[v][-1]) not in ("name", "code") for v in range(names[i - 1], c))]
        if half.side is None or len(starts) < 2:
            out.append(half)
            continue
        bounds = [half.start] + starts[1:] + [half.stop]
        out.extend(_Half(a, b, half.side) for a, b in zip(bounds, bounds[1:]))
    return out


def _side_halves(paths: list[list[str]], table: Table, n_header: int) -> list[_Half]:
    width = len(paths)
    if n_header:
        top = [(c, squash(cell)) for c, cell in enumerate(table.rows[0]) if cell.strip()]
        if len(top) >= 2 and re.fullmatch(r"(?:本年|财政拨款)?收入", top[0][1]):
            right = next((c for c, cell in top[1:] if re.fullmatch(r"(?:本年|财政拨款)?支出", cell)), None)
            if right is not None:
                return [_Half(0, right, "income"), _Half(right, width, "expenditure")]
    for c in range(1, width):
        top = squash(paths[c][0]) if paths[c] else ""
        prev = squash(paths[c - 1][0]) if paths[c - 1] else ""
        first = squash(paths[0][0]) if paths[0] else ""
        if _SIDE.match(top) and _SIDE.match(top).group(1) == "支出" and _SIDE.match(prev) \
                and _SIDE.match(prev).group(1) == "收入" and _SIDE.match(first):  # the income half starts the table
            return [_Half(0, c, "income"), _Half(c, width, "expenditure")]
    return [_Half(0, width, None)]


def _value_columns(paths: list[list[str]], half: _Half) -> tuple[int | None, int | None, list[int], dict[int, str]]:
    code_col = name_col = None
    split_code: dict[int, str] = {}
    values: list[int] = []
    for c in range(half.start, half.stop):
        leaf = paths[c][-1] if paths[c] else ""
        key = column_key(leaf)
        if key == "code" and code_col is None:
            code_col = c
        elif key in ("code_class", "code_item", "code_subitem"):
            split_code[c] = key
        elif key in ("name", "economic_department", "unit_name") and name_col is None:
            name_col = c
        elif key == "name" and paths[name_col] and column_key(paths[name_col][-1]) == "unit_name":
            name_col = c  # 预算单位 | 科目编码 | 科目名称: the class's name column, the unit's name kept aside
        elif key == "unit_name":
            continue
        elif key in ("row_number", "unit_code"):
            continue
        else:
            values.append(c)
    if name_col is None and code_col is None and values:
        name_col = values.pop(0)
    return code_col, name_col, values, split_code


_RELATIVE_CODE = re.compile(r"\d{2}")  # a 款 printed by its own two digits under its 类
_UNIT_CODE = re.compile(r"\d{6,9}")  # a 预算单位 code; classification codes have 3, 5 or 7 digits


def _row_code_and_name(row: list[str], code_col: int | None, name_col: int | None,
                       split_code: dict[int, str], last_class: list[str]) -> tuple[str | None, str]:
    name = row[name_col] if name_col is not None else ""
    code = None
    if split_code:
        parts = {key: row[c].strip() for c, key in split_code.items()}
        cls, item, sub = parts.get("code_class", ""), parts.get("code_item", ""), parts.get("code_subitem", "")
        if cls:
            last_class[:] = [cls, item]
        elif item or sub:
            cls = last_class[0] if last_class else ""
            item = item or (last_class[1] if len(last_class) > 1 else "")
        code = codes.normalise_code(cls + (item if item else "") + (sub if item and sub else ""))
    elif code_col is not None:
        raw = row[code_col]
        code = codes.normalise_code(raw)
        if code is None:
            match = _CODE_AND_NAME.match(raw)
            if match:
                code, name = codes.normalise_code(match.group(1)), name or match.group(2)
            elif _RELATIVE_CODE.fullmatch(raw.strip()) and last_class and name:
                code = codes.normalise_code(last_class[0] + raw.strip())  # 208 … / 05 行政事业单位离退休: 款 20805
            elif raw and not name:
                name = raw
        if code is not None and len(code) >= 3:
            last_class[:] = [code[:3], ""]
    if code is None and name:
        match = _CODE_AND_NAME.match(name)
        if match:
            code, name = codes.normalise_code(match.group(1)), match.group(2)
    if code is None and not name:  # 合计 printed in the (merged) code columns
        name = next((c for c in row if c.strip() and not is_number(c)), "")
    return code, name.strip()


def unstack_column_groups(table: Table) -> Table:
    """A table printed as side-by-side column groups (经济分类 ``301 … | 302 …``: the header
    ``科目编码 | 科目名称 | 金额`` repeated across the page) becomes one table: the groups'
    rows stacked one after another under a single header, in reading order."""
    n_header, first = header_rows(table)
    if n_header == 0:
        return table
    header = [squash(c) for c in table.rows[n_header - 1]]
    width = len(header)
    for size in range(2, width // 2 + 1):
        if width % size and any(header[width - width % size:]):
            continue
        groups = width // size
        block = header[:size]
        if groups < 2 or not all(block) or any(header[g * size:(g + 1) * size] != block for g in range(groups)):
            continue
        if not any(re.search(r"编码|代码|科目", cell) for cell in block):
            return table  # 项目 | 预算数 | 项目 | 预算数 is a two-sided 收支 table, not column groups
        rows = [row[:size] for row in table.rows[:first]]
        pages = list(table.row_pages[:first])
        lines = list(table.row_lines[:first])
        for g in range(groups):
            for r in range(first, len(table.rows)):
                part = table.rows[r][g * size:(g + 1) * size]
                if any(c.strip() for c in part):
                    rows.append(part)
                    pages.append(table.row_pages[r])
                    lines.append(table.row_lines[r])
        return Table(rows, pages, lines)
    return table


def absorb_headless_columns(table: Table) -> Table:
    """Word exports often lay a table over a finer grid than its columns: class codes printed
    one grid column left of the 科目代码 header, amounts alternating between two grid columns
    under one 金额. A column with no header text whose cells never share a row with those of
    the nearest headed column (passing only empty columns) belongs to that column."""
    n_header, first = header_rows(table)
    width = table.width
    if n_header == 0 or width < 3:
        return table
    rows = [row + [""] * (width - len(row)) for row in table.rows]
    headed = [any(rows[r][c].strip() for r in range(n_header)) for c in range(width)]
    filled = [{r for r in range(first, len(rows)) if rows[r][c].strip()} for c in range(width)]
    owner = list(range(width))
    for c in range(width):
        if headed[c] or not filled[c]:
            continue
        for step in (1, -1):
            n = c + step
            while 0 <= n < width and not headed[n] and not filled[n]:
                n += step
            if 0 <= n < width and headed[n] and owner[n] == n and not filled[c] & filled[n]:
                owner[c] = n
                filled[n] |= filled[c]
                break
    if owner == list(range(width)):
        return table
    merged = []
    for row in rows:
        out = {c: row[c] for c in range(width) if owner[c] == c}
        for c in range(width):
            if owner[c] != c and row[c].strip():
                out[owner[c]] = row[c]
        merged.append([out[c] for c in sorted(out)])
    return Table(merged, list(table.row_pages), list(table.row_lines))


def _leaf_key(path: list[str]) -> str:
    """Column key of a header path; a 小计 under 项目支出 (or 基本支出) is that column."""
    key = column_key(path[-1] if path else "")
    if key == "total" and len(path) >= 2 and column_key(path[-2]) in ("basic", "project", "current_year", "carryover"):
        return column_key(path[-2])  # 小计 under 基本支出 / 本年收入 / 上年结转结余: that column
    return key


def build_budget_table(table: Table, kind: str, title: str, unit: str, number: str | None = None) -> BudgetTable:
    """Read a function/economic-classification or summary table into ``BudgetLine`` rows."""
    table = unstack_column_groups(absorb_headless_columns(table))
    n_header, first_data = header_rows(table)
    paths = column_paths(table, n_header)
    result = BudgetTable(kind=kind, title=title, unit=unit, number=number,
                         page=table.page, page_end=table.row_pages[-1] if table.row_pages else None,
                         line=table.line)
    halves = _halves(paths, table, n_header)
    economic = kind == "basic_by_economic"
    for half in halves:
        code_col, name_col, value_cols, split_code = _value_columns(paths, half)
        unit_code_col = next((c for c in range(half.start, half.stop)
                              if paths[c] and column_key(paths[c][-1]) == "unit_code"), None)
        if name_col is not None and paths[name_col] and column_key(paths[name_col][-1]) == "unit_name" and \
                not (squash(paths[name_col][-1]) == "预算单位" and
                     any(paths[c] and column_key(paths[c][-1]) == "code" for c in range(half.start, half.stop))):
            result.by_unit = True  # (预算单位 | 科目编码 | 科目名称: each unit's row above its class rows)
        keys = {c: _leaf_key(paths[c]) for c in value_cols}
        if "total" not in keys.values():  # 本年收入/小计 is the table's total when no 合计 column precedes it
            subtotal = next((c for c in value_cols if keys[c] == "current_year" and paths[c]
                             and column_key(paths[c][-1]) == "total"), None)
            if subtotal is not None:
                keys[subtotal] = "total"
        economic_group_col = next((c for c in value_cols if keys[c] == "economic_government"), None)
        if economic_group_col is not None:
            value_cols = [c for c in value_cols if c != economic_group_col]
        for c in value_cols:
            path = "/".join(paths[c])
            if path not in result.headers:
                result.headers.append(path)
                result.columns.append(keys[c])
        last_class: list[str] = []
        before = next((h for h in reversed(halves[:halves.index(half)]) if h.side == half.side), None)
        for r in range(first_data, len(table.rows)):
            row = table.rows[r]
            if is_numbering_row(row):
                continue
            local = [cell if half.start <= c < half.stop else "" for c, cell in enumerate(row)]
            code, name = _row_code_and_name(local, code_col, name_col, split_code, last_class)
            if not code and not name and before is not None and any(row[c].strip() for c in value_cols):
                name = next((cell for cell in row[before.start:before.stop] if cell.strip() and not is_number(cell)), "")
                name = name if _TOTAL_NAME.match(squash(name)) or re.search(r"[小合总]计$", squash(name)) else ""
            has_values = any(to_amount(row[c], unit) is not None for c in value_cols)
            broken = result.lines[-1] if result.lines and result.lines[-1].side == half.side and \
                _ENUMERATED.match(squash(result.lines[-1].name)) and not result.lines[-1].code else None
            if broken is not None and not code and len(squash(name)) <= 4 and not _ENUMERATED.match(squash(name)) \
                    and name and not squash(name).endswith("计") and (not has_values or not broken.values and not _FINISHED.search(squash(broken.name))):
                broken.name += name.strip()  # '1.一般公共预' | '算': a name broken over rows
                broken.code = None if economic else codes.function_code(broken.name)
                broken.level = codes.level(broken.code)
                if not has_values:
                    continue
                line = broken
            elif not code and not name:
                previous = result.lines[-1] if result.lines and result.lines[-1].side == half.side else None
                bare = previous is not None and not previous.values and not previous.is_total and \
                    r > first_data and not any(table.rows[r - 1][c].strip() for c in value_cols)
                if broken is not None and not broken.values and has_values:
                    line = broken  # the amount printed on the middle row of a name broken over three
                elif bare and has_values:
                    line = previous  # the amounts printed on their own grid row under the name
                else:
                    continue
            else:
                line = BudgetLine(name=name, code=code, side=half.side,
                                  page=table.row_pages[r], line=table.row_lines[r])
                line.is_total = bool(_TOTAL_NAME.match(squash(name)))
                if line.code is None and not line.is_total:
                    line.code = codes.economic_code(name) if economic else codes.function_code(name)
                line.level = codes.level(line.code)
            if economic_group_col is not None and row[economic_group_col]:
                line.economic_group = row[economic_group_col]
            if result.by_unit:
                line.code, line.level = None, None  # a unit's row, not a classification line
                line.unit_code = (row[unit_code_col].strip() or None) if unit_code_col is not None else None
            elif line.code is None and code_col is not None and _UNIT_CODE.fullmatch(re.sub(r"\s", "", local[code_col])) \
                    and looks_like_unit(normalise_unit(name)):
                line.unit_code = re.sub(r"\s", "", local[code_col])  # 125003 | 某某支队: a unit's subtotal above its classes
            for c in value_cols:
                amount = to_amount(row[c], unit, table.row_pages[r], table.row_lines[r])
                if amount is None:
                    continue
                key = keys[c]
                basis = basis_of(paths[c][:-1]) if kind == "three_public" else None
                if basis == "决算数":
                    key = "final:" + key
                if key in line.values:  # two columns map to one key: keep the first, name the rest
                    key = key + ":" + squash("/".join(paths[c]))
                line.values[key] = amount
            if not result.lines or line is not result.lines[-1]:
                result.lines.append(line)
    result.empty = not any(line.values for line in result.lines)
    return result


def numeric_cells(row: list[str]) -> list[str]:
    return [c for c in row if parse_number(c) is not None]


def classes_add_up(budget: BudgetTable) -> bool:
    """Every economic class (301, 302 …) of a table stacked from column groups holds the sum of its
    items, and no item has an amount its class lacks: the groups were read in line."""
    totals = {line.code: line.values.get("total") for line in budget.lines if line.code and len(line.code) == 3}
    items: dict[str, Decimal] = {}
    for line in budget.lines:
        amount = line.values.get("total")
        if line.code and len(line.code) == 5 and amount is not None:
            items[line.code[:3]] = items.get(line.code[:3], Decimal(0)) + amount.value
    return all(totals.get(code) is not None and abs(totals[code].value - value) <= 100 for code, value in items.items())
