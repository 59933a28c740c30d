"""Answers from the tables the reader keeps only as grids: rows of a table no standard table kind
describes (会议费明细表, 培训费明细表, a 政府采购 table by 专项 and 品目, a 机关运行经费 breakdown …).

Every report keeps each table it printed as a ``Grid`` (its cells row by row, in the stored
extraction). A question that names such a table (培训费明细表中…) or one of its column headings
(参训人数, 采购组织形式) and picks rows by a cell it quotes (分散采购, 检察教育培训经费) or by a
number (人数达到200人) is answered from the rows: the rows themselves (哪些培训), their sum
(合计多少人), the largest (最多的是哪项) or the one row's figure. Headings are read from the rows
above the first figure (a heading cell also covers the empty cells to its right); a row's figure is
taken in the column whose heading the question names, else the table's last money column. Group
and total rows (合计, 小计, rows without a name in the name column) are not rows of the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kg.errors import StoreError
from kg.graph.entities import normalise
from search.ask import sparql as q
from search.ask.answer import Answer
from search.ask.differences import ASKS_SHARE
from search.ask.indicators import pairs
from search.ask.numbers import ADDING
from search.ask.parser import Intent

_NUMBER = re.compile(r"^-?\d[\d,]*(?:\.\d+)?$")
_NOT_A_FIGURE = re.compile(r"编码|代码|序号|编号|时间|日期|科目|规格|型号|备注|说明")
_TOTAL_ROW = re.compile(r"^(?:合计|小计|总计|共计|[一二三四五六七八九十]+[、.．])")
_TABLE_WORDS = re.compile(r"明细表|明细(?:里|中|当中)|情况表|预算表|支出表|[^，。？?]{2,16}表(?:中|里|内|上|所列|列出|列了)")
_HEADER_NOISE = re.compile(r"\s|（[^）]*）|\([^)]*\)")
_SUM = re.compile(rf"{ADDING}|总计多少|累计")
_MOST = re.compile(r"最(?:大|多|高)")
_LEAST = re.compile(r"最(?:小|少|低)")
_SUM_ASKED = re.compile(rf"(?:{ADDING}|累计)[^，。？?]{{0,4}}?多少")
_LIST = re.compile(r"哪些|哪几|有哪|列了|列出|分别是")
_CONDITION = re.compile(r"(?P<op>超过|大于|高于|多于|不少于|不低于|达到|≥|>=|低于|少于|不足|不到|小于|为|等于|是)\s*"
                        r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|人次|人|个|次|台|辆|家|项|%)?")
_CONDITION_AFTER = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|人次|人|个|次|台|辆|家|项|%)?"
                              r"(?P<op>(?:及|或)?以上|(?:及|或)?以下|以内)")  # 180人及以上
_OPS = {"超过": ">", "大于": ">", "高于": ">", "多于": ">", "不少于": ">=", "不低于": ">=", "达到": ">=", "≥": ">=",
        ">=": ">=", "低于": "<", "少于": "<", "不足": "<", "不到": "<", "小于": "<", "为": "=", "等于": "=", "是": "="}
_OPS_AFTER = {"以上": ">=", "及以上": ">=", "或以上": ">=", "以下": "<=", "及以下": "<=", "或以下": "<=", "以内": "<="}


@dataclass
class Condition:
    """A bound on a row's figure the question states: 超过200人, 180人及以上."""

    op: str
    number: Decimal
    unit: str | None
    start: int


def asked_condition(text: str) -> Condition | None:
    """The first bound the question states on a row's figure, said before the number or after it."""
    before, after = _CONDITION.search(text), _CONDITION_AFTER.search(text)
    if before and (after is None or before.start() <= after.start()):
        return Condition(_OPS[before.group("op")], Decimal(before.group("number")), before.group("unit"), before.start())
    if after:
        return Condition(_OPS_AFTER[after.group("op")], Decimal(after.group("number")), after.group("unit"), after.start())
    return None


_COUNTS = {"人": "人数", "人次": "人数", "个": "数", "次": "次数", "台": "数量", "辆": "数量", "家": "数", "项": "数"}
_ASKS_WHY = re.compile(r"依据|文件|原因|为什么|为何")
_NOUNS = ("专项", "品目", "物品", "项目", "培训", "会议", "单位", "科目", "服务", "名称")


@dataclass
class GridTable:
    """A grid read for answering: headings per column, its data rows and their pages."""

    title: str
    unit: str  # 元 | 万元: the table's money unit
    headings: list[str]
    rows: list[list[str]]
    pages: list[int | None]

    def figure(self, row: list[str], column: int | None) -> tuple[Decimal, str] | None:
        """The row's figure in ``column`` (the nearest filled cell, for cells printed off their
        column), else its last money figure; with the heading it was read under."""
        cells = [(i, _number(c)) for i, c in enumerate(row)]
        cells = [(i, v) for i, v in cells if v is not None and not _NOT_A_FIGURE.search(self.headings[i])]
        if not cells:
            return None
        if column is None:
            i, value = cells[-1]
        else:
            i, value = min(cells, key=lambda c: (abs(c[0] - column), -c[0]))
            if abs(i - column) > 2:
                return None
        return value, self.headings[i]


def read_grid(grid, unit: str = "元") -> GridTable | None:
    """A stored grid as headings and data rows, its money in ``unit`` unless the grid declares its
    own; None when no row holds a figure or no row heads it."""
    rows = [[(c or "").strip() for c in row] for row in grid.rows]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    first = next((i for i, r in enumerate(rows) if any(_number(c) is not None for c in r)), None)
    if not first:
        return None
    headings = ["".join(row[i] for row in rows[:first]) for i in range(width)]
    pages = list(grid.row_pages) + [None] * len(rows)
    return GridTable(grid.title or "", grid.unit or unit, [_HEADER_NOISE.sub("", h) for h in headings],
                     rows[first:], pages[first:len(rows)])


# tables read as lines, figures, projects or indicators: the graph answers from them, not their cells
_READ_ELSEWHERE = re.compile(r"绩效|自评|目标|项目支出|收入|收支|支出总表|支出表（|功能|经济分类|三公|基本支出|财政拨款|政府性基金|国有资本")


def _not_read_elsewhere(grid) -> bool:
    """A grid whose rows no standard reading holds: detail tables (会议费明细表) and the rows of a
    政府采购 table (its total is a figure, its 专项 and 品目 are not); untitled grids go along, as
    possible continuations of the table before them."""
    title = normalise(grid.title or "")
    return not title or grid.kind == "procurement" or grid.kind is None and not _READ_ELSEWHERE.search(title)


def _joined(grids, unit: str = "元") -> list[GridTable]:
    """The report's grids read (money in ``unit`` where a grid declares none), an untitled grid on
    the page after a table of the same width taken as that table's continuation (its rows are data
    rows: the heading printed once)."""
    tables: list[GridTable] = []
    last = None
    for grid in grids:
        first_page = next((p for p in grid.row_pages if p), None)
        width = max((len(r) for r in grid.rows), default=0)
        if not grid.title and last is not None and first_page and last.pages and \
                first_page - (last.pages[-1] or first_page) in (0, 1):
            rows = [[(c or "").strip() for c in row] for row in grid.rows]
            pages = (list(grid.row_pages) + [None] * len(rows))[:len(rows)]
            if abs(width - len(last.headings)) <= 2:
                last.rows.extend(r + [""] * (len(last.headings) - len(r)) for r in rows)
                last.pages.extend(pages)
            else:  # columns split otherwise: the rows under the table's title, headings unknown
                tables.append(GridTable(last.title, last.unit, [""] * width, [r + [""] * (width - len(r)) for r in rows],
                                        pages))
            continue
        last = read_grid(grid, unit)
        if last is not None:
            tables.append(last)
    return tables


def _number(cell: str) -> Decimal | None:
    text = cell.replace(",", "").replace(" ", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class GridAnswers:
    """``_grid_rows``: the mixin of ``Asker`` for tables kept as grids (needs ``corpus``,
    ``lexicon``, ``_reports_of`` and ``_grids``, the grids read per report)."""

    def _stored_grids(self, report: str) -> tuple[list, str]:
        """The report's stored grids and the unit a grid declaring none counts in, read once."""
        key = f"{report}#stored"
        if key not in self._grids:
            try:
                read = self.corpus.load_report(report)
                self._grids[key] = (read.grids, read.amount_unit)  # a grid declaring no unit counts in the report's
                self._grids[f"{report}#codes"] = _unit_codes(read)
            except StoreError:  # an extraction missing or unreadable: the graph answers instead
                self._grids[key] = ([], "元")
        return self._grids[key]

    def _member_grids(self, intent: Intent) -> tuple[str, str, list[GridTable]] | None:
        """A unit with no report of its own whose department's report of the year asked prints its
        rows in a grid, under its 单位编码 (a 政府采购预算表 by unit: 125004 堵漏器 …) or its name:
        (that report, the codes, the grids cut to those rows)."""
        if len(intent.units) != 1 or intent.projects:
            return None
        unit = intent.units[0]
        parents = {r["department_name"] for r in self.store.query(q.department_query(intent)).rows
                   if r.get("department_name") and r.get("department") != r.get("unit")}
        reports = [iri for iri, r in self.lexicon.reports.items() if r.unit in parents
                   and (not intent.years or r.year in intent.years)
                   and (not intent.report_kind or r.report_kind == intent.report_kind)]
        if len(reports) != 1:
            return None
        report, name = reports[0], normalise(unit.name)
        self._stored_grids(report)
        codes = self._grids.get(f"{report}#codes", {}).get(name, set())
        cut = []
        for table in self._grids_of(report):
            kept = [(row, page) for row, page in zip(table.rows, table.pages)
                    if any(c in codes or normalise(c) == name for c in row if c)]
            if kept:
                cut.append(GridTable(table.title, table.unit, table.headings, [r for r, _ in kept], [p for _, p in kept]))
        return (report, "、".join(sorted(codes)), cut) if cut else None

    def _member_rows(self, intent: Intent, text: str, answer: Answer) -> bool:
        """政府采购预算中，某中心（无自己的报告）采购了哪些物资 / 合计多少: the rows its department's grid
        prints under its code, all of them unless the question names a cell."""
        found = self._member_grids(intent)
        if found is None:
            return False
        report, codes, tables = found
        # 政府采购 asked of a 政府采购 table, or the table's own words
        tables = [t for t in tables if "采购" in text and "采购" in t.title or _names_title(text, t.title)]
        if len(tables) != 1 or not (_LIST.search(text) or _SUM.search(text) or _MOST.search(text) or _LEAST.search(text)):
            return False
        table = tables[0]
        rows = [r for r in table.rows if not any(_TOTAL_ROW.match(c) for c in r if c)]
        cells = {c for c in _named_cells(text, table) if c not in codes}
        if cells:
            rows = [r for r in rows if cells & set(r)] or rows
        headed = [i for i, h in enumerate(table.headings) if len(h) >= 2 and h in text and not _NOT_A_FIGURE.search(h)
                  and any(_number(r[i]) is not None for r in rows)]  # 采购数量超过3的: the 数量 column
        if not _answer(self.lexicon.reports[report], report, text, table, rows, headed[0] if headed else None,
                       _name_column(text, table, rows), answer):
            return False
        unit = intent.units[0].name
        answer.intent["type"] = "member_grid_rows"
        answer.answer = f"{unit}没有自己的报告；其所在部门的表中列在{unit}" + (f"（单位编码{codes}）" if codes else "") + \
            f"名下的行：{answer.answer}"
        return True

    def _grids_of(self, report: str) -> list[GridTable]:
        if report not in self._grids:
            grids, unit = self._stored_grids(report)
            self._grids[report] = _joined([g for g in grids if _not_read_elsewhere(g)], unit)
        return self._grids[report]

    def _every_grid(self, report: str) -> list[GridTable]:
        """Every grid of the report read alone, those a standard reading also holds too (a
        部门整体绩效目标表's 是否核心 column is read nowhere else)."""
        key = f"{report}#every"
        if key not in self._grids:
            grids, unit = self._stored_grids(report)
            self._grids[key] = [t for t in (read_grid(g, unit) for g in grids) if t is not None]
        return self._grids[key]

    def _grid_rows(self, intent: Intent, answer: Answer) -> bool:
        text = normalise(intent.rest or intent.question)
        for unit in intent.units:  # the unit asked about is no cell that picks rows
            for form in sorted(unit.forms, key=len, reverse=True):
                text = text.replace(normalise(form), "")
        quoted_in_table = re.search(r"[“\"「][^”\"」]{2,30}[”\"」]", intent.question) and \
            re.search(r"政府采购|培训费|会议费", text)  # 政府采购预算中“检察教育培训经费”: a cell of that table
        named = _TABLE_WORDS.search(text) or re.search(r"人数|品目|采购方式|组织形式|专项", text) or quoted_in_table
        if not (named or "政府采购" in text and not intent.projects) or _ASKS_WHY.search(text):
            return False
        reports = self._reports_of(intent)
        if not reports and self._member_rows(intent, text, answer):
            return True
        if len(reports) != 1:
            return False
        report = reports[0]
        if not named and not any(_named_cells(text, table) for table in self._grids_of(report) if "采购" in table.title):
            return False  # 政府采购中，审计服务一项…: a 品目 the procurement table prints (a project: its own answer)
        if any(_flagged_rows(self.lexicon.reports[report], report, text, table, answer)
               for table in self._every_grid(report)):
            return True  # 部门整体绩效目标表里，有几个指标被标为核心指标: its 是否核心 column picks the rows
        if any(_ranked_then_read(self.lexicon.reports[report], report, text, table, answer)
               for table in self._every_grid(report)):
            return True  # 自评表中全年预算数最大的那项任务，其执行率是多少: one column ranks, another is read
        best = None
        quoted = [normalise(q) for q in re.findall(r"[“\"]([^”\"]{2,40})[”\"]", intent.question)]
        for table in self._grids_of(report):
            chosen = _choose(text, table, quoted)
            if chosen and (best is None or chosen[0] > best[0]):
                best = chosen
        if best is None:
            return False
        _, table, selected, column, names = best
        return _answer(self.lexicon.reports[report], report, text, table, selected, column, names, answer)


def _unit_codes(report) -> dict[str, set[str]]:
    """The 单位编码 a department's tables by unit print for each unit (125004 西安市安全生产应急救援中心),
    by the unit's name."""
    codes: dict[str, set[str]] = {}
    for table in report.tables:
        for line in table.lines:
            if line.unit_code and not line.code and line.name:
                codes.setdefault(normalise(line.name), set()).add(line.unit_code)
    return codes


def _names_title(text: str, title: str, unit: str = "") -> bool:
    """Whether the question names a table by its title: the title's character pairs, its years
    (and the ``unit`` it may begin with) left out, at least 60% of them in the question."""
    words = normalise(re.sub(r"(?:19|20)\d{2}年度?", "", title))
    held = pairs(words.replace(normalise(unit), "") if unit else words)
    return bool(held) and len(held & pairs(text)) >= 0.6 * len(held)


def _named_cells(text: str, table: GridTable) -> set[str]:
    """The cells of the grid the question names (three characters or more, no figure, no total)."""
    return {c for row in table.rows for c in row
            if len(c) >= 3 and _number(c) is None and not _TOTAL_ROW.match(c) and normalise(c) in text}


def _choose(text: str, table: GridTable, quoted: list[str]):
    """(score, table, selected rows, figure column, name column) when the question is about this
    grid: it names the table or a heading, and picks rows by a quoted cell or asks over all rows."""
    title = normalise(re.sub(r"(?:19|20)\d{2}年度?|^[表附]?[\d一二三四五六七八九十]+[：:、.．]?|公开\d+表[：:]?", "", table.title))
    named_title = len(pairs(title) & pairs(text)) if "表" in text or "明细" in text else 0
    coverage = named_title / max(len(pairs(title)), 1)
    headed = [i for i, h in enumerate(table.headings) if len(h) >= 2 and h in text and not _NOT_A_FIGURE.search(h)]
    headed += [i for i, h in enumerate(table.headings)
               if i not in headed and len(h) >= 3 and h.endswith(("人数", "金额", "形式", "名称")) and h[-2:] in text]
    cells = _named_cells(text, table)
    cells = {c for c in cells if not any(c != d and normalise(c) in normalise(d) for d in cells)}
    if quoted:  # “检察教育培训经费” asked: the rows holding it, or not this table
        cells = {c for c in cells if any(q in normalise(c) or normalise(c) in q for q in quoted)}
        if not cells:
            return None
    if not (cells or headed or named_title >= 3):
        return None
    if not cells and not (_LIST.search(text) or _SUM.search(text) or _MOST.search(text) or _LEAST.search(text)
                          or asked_condition(text)):
        return None  # one figure asked with no row named: not a question about the rows
    if not cells and named_title < 3 and not any(f"按{table.headings[i]}" in text for i in headed):
        return None  # a heading alone (人数) is no table: 编制人数; rows ranked 按采购品目名称 are
    data = [r for r in table.rows if not any(_TOTAL_ROW.match(c) for c in r if c)]
    most = max((len(cells & set(r)) for r in data), default=0)
    selected = [r for r in data if not cells or most and len(cells & set(r)) == most]
    if not selected:
        return None
    asked_figure = [i for i in headed if any(table.figure(r, i) for r in selected)
                    and any(_number(r[i]) is not None for r in table.rows if i < len(r))]
    column = asked_figure[0] if asked_figure else None
    if column is None and _MONEY_ASKED.search(text):  # 哪一场培训花钱最多: the table's money column
        column = next((i for i, h in enumerate(table.headings) if _MONEY_HEADING.search(h) and not _NOT_A_FIGURE.search(h)
                       and any(_number(r[i]) is not None for r in selected if i < len(r))), None)
    condition = asked_condition(text)
    counted = _COUNT_ASKED.search(text)  # 加起来计划多少人参会: the column counting people, not the money
    unit = condition.unit if condition and condition.unit in _COUNTS else \
        counted.group(1) if counted else None
    if column is None and unit:
        word = _COUNTS[unit]
        column = next((i for i, h in enumerate(table.headings) if h.endswith(word) or h == word[-2:]), None)
    names = _name_column(text, table, selected)
    score = 3 * len(cells) + 6 * coverage + 2 * len(headed)
    return score, table, selected, column, names


_FLAG_HEADING = re.compile(r"^是否(?:为|属于)?(?P<what>[\u4e00-\u9fff]{2,8})$")  # 是否核心: a 是/否 column
_NEGATED = re.compile(r"(?:非|不是|不属于|不为|未标为|没有标为|未被标为)$")


def _flagged_rows(label, report: str, text: str, table: GridTable, answer: Answer) -> bool:
    """The rows of a grid the question names (its title) picked by a 是/否 column it names
    (被标为核心指标的 → 是否核心 = 是, 非核心 → 否): listed, or counted when 几个 is asked."""
    if not _names_title(text, table.title):
        return False
    for column, heading in enumerate(table.headings):
        flag = _FLAG_HEADING.match(heading)
        where = text.find(flag.group("what")) if flag else -1
        if where < 0:
            continue
        wanted = "否" if _NEGATED.search(text[:where]) else "是"
        names = next((i for i, h in enumerate(table.headings) if "名称" in h), 0)
        picked = [(row, page) for row, page in zip(table.rows, table.pages)
                  if column < len(row) and row[column].strip() == wanted and row[names]]
        if not picked:
            return False
        answer.intent["type"], answer.sparql = "grid_rows", ""
        evidence = {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": picked[0][1],
                    "text": f"{table.title}：" + "；".join(f"{r[names]} {heading}：{wanted}" for r, _ in picked)}
        said = "、".join(r[names] for r, _ in picked)
        if _COUNT_ASKED.search(text):
            answer.columns = ["单位", "年度", "报告", "表", "行数", "名称"]
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "表": table.title,
                            "行数": len(picked), "名称": said}, report, evidence)
        else:
            answer.columns = ["单位", "年度", "报告", "表", "名称", heading]
            for row, page in picked:
                answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "表": table.title,
                                "名称": row[names], heading: wanted}, report, {**evidence, "page": page})
        answer.answer = f"{label.unit}{label.year}年{label.report_kind}{table.title}中{heading}为“{wanted}”的" \
                        f"有{len(picked)}行：{said}。"
        return True
    return False


_RANKED_BY = re.compile(r"(?P<by>[\u4e00-\u9fff]{2,10}?)(?P<how>最大|最多|最高|最小|最少|最低)")


def _ranked_then_read(label, report: str, text: str, table: GridTable, answer: Answer) -> bool:
    """The row of a grid the question names (its title) that is largest or smallest in one column
    (全年预算数最大的那项任务), and its cell in another column the question names after it (其执行率)."""
    ranked = _RANKED_BY.search(text)
    if ranked is None or not _names_title(text, table.title, label.unit):
        return False
    by_words = ranked.group("by")
    by = next((i for i, h in enumerate(table.headings) if len(h) >= 2 and (by_words.endswith(h) or
                                                                            h.startswith(by_words[-5:]))), None)
    after = text[ranked.end():]
    asked = [i for i, h in enumerate(table.headings) if i != by and len(h) >= 2 and h in after]
    if by is None or not asked:
        return False
    column = max(asked, key=lambda i: len(table.headings[i]))
    valued = [(row, page, _number(row[by])) for row, page in zip(table.rows, table.pages)
              if not any(_TOTAL_ROW.match(c) or len(c) <= 8 and c.endswith(("合计", "总计", "小计")) for c in row if c)]
    valued = [(row, page, value) for row, page, value in valued if value is not None and row[column].strip()]
    if not valued:
        return False
    pick = max if ranked.group("how") in ("最大", "最多", "最高") else min
    row, page, value = pick(valued, key=lambda v: v[2])
    cell = row[column].strip()
    names = _name_column(text, table, [r for r, _, _ in valued])
    name = row[names] if names is not None else ""
    read = _number(cell.rstrip("%％"))
    shown = float(read.normalize()) if read is not None else cell
    heading = table.headings[column] + ("(%)" if cell.endswith(("%", "％")) else "")
    answer.intent["type"], answer.sparql = "grid_ranked", ""
    answer.columns = ["单位", "年度", "报告", "表", "名称", table.headings[by], heading]
    answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "表": table.title, "名称": name,
                    table.headings[by]: float(value.normalize()), heading: shown}, report,
                   {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": page,
                    "text": f"{table.title}：{' '.join(c for c in row if c)}"})
    answer.answer = f"{label.unit}{label.year}年{label.report_kind}{table.title}中{table.headings[by]}{ranked.group('how')}" \
                    f"的是{name}（{row[by]}），其{table.headings[column]}为{cell}。"
    return True


_COUNT_ASKED = re.compile(r"(?:多少|几)(人次|人|个|次|台|辆|家|项)")
_MONEY_ASKED = re.compile(r"花钱|花费|钱最|费用|金额|多少元|万元|经费最|预算最")
_MONEY_HEADING = re.compile(r"金额|费|预算|万元|（元）|\(元\)|资金")


def _name_column(text: str, table: GridTable, rows: list[list[str]]) -> int | None:
    """The column naming each row: the heading the question asks by (哪些专项 → 专项名称), else the
    first text column that tells the rows apart."""
    filled = [i for i, h in enumerate(table.headings)
              if sum(bool(r[i]) and _number(r[i]) is None for r in rows) and not _NOT_A_FIGURE.search(h)]
    for noun in _NOUNS:
        if noun in text:
            matches = [i for i in filled if noun in table.headings[i]]
            if matches:
                return sorted(matches, key=lambda i: ("名称" not in table.headings[i], i))[0]
    varied = [i for i in filled if len({r[i] for r in rows if r[i]}) > 1]
    return (varied or filled or [None])[0]


def _answer(label, report: str, text: str, table: GridTable, rows: list[list[str]], column: int | None,
            names: int | None, answer: Answer) -> bool:
    figured = []
    for row, page in zip(table.rows, table.pages):
        if row in rows and (names is None or row[names]):
            found = table.figure(row, column)
            if found is not None:
                figured.append((row, page, *found))
    condition = asked_condition(text)
    if condition and not _SUM.search(text[:condition.start]):
        limit = condition.number
        test = {">": limit.__lt__, ">=": limit.__le__, "<": limit.__gt__, "<=": limit.__ge__,
                "=": limit.__eq__}[condition.op]
        scale = Decimal(10000) if condition.unit == "万元" and table.unit == "元" else Decimal(1)
        figured = [f for f in figured if test(f[2] / scale)]
    if not figured:
        return False
    heading = figured[0][3] or "金额"
    money = not re.search(r"人|数|次", heading)
    in_wan = money and table.unit == "元"
    shown = (lambda v: float((v / 10000).normalize())) if in_wan else (lambda v: float(v.normalize()))
    unit = "万元" if money else ("人" if "人" in heading else "")
    value_column = f"{heading}({unit})" if unit else heading
    answer.intent["type"] = "grid_rows"
    answer.sparql = ""
    answer.columns = ["单位", "年度", "报告", "表", "名称", value_column]
    if _SUM.search(text) and (not _LIST.search(text) or _SUM_ASKED.search(text)):  # 列出的所有培训…一共多少人
        total = sum(f[2] for f in figured)
        answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "表": table.title,
                        "名称": "、".join(f[0][names] for f in figured if names is not None), value_column: shown(total)},
                       report, {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": figured[0][1],
                                "text": f"{table.title}：{len(figured)}行合计"})
        answer.answer = f"{label.unit}{label.year}年{label.report_kind}{table.title}所列{len(figured)}行合计{shown(total)}{unit}。"
        return True
    if _MOST.search(text) or _LEAST.search(text):  # 金额最大的一项占总额的比重: the largest first, then its share
        pick = max if _MOST.search(text) else min
        best = pick(f[2] for f in figured)
        figured = [f for f in figured if f[2] == best]
    if ASKS_SHARE.search(text) and _share_of_total(label, report, text, table, figured, (shown, unit), answer):
        return True
    for row, page, value, _ in figured:
        name = row[names] if names is not None else ""
        answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "表": table.title,
                        "名称": name, value_column: shown(value)}, report,
                       {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": page,
                        "text": f"{table.title}：{' '.join(c for c in row if c)}"})
    answer.answer = f"{label.unit}{label.year}年{label.report_kind}{table.title}：" + "；".join(
        f"{r['名称']}{r[value_column]}{unit}" for r in answer.rows) + "。"
    return True


def _share_of_total(label, report: str, text: str, table: GridTable, figured: list, shown, answer: Answer) -> bool:
    """审计服务一项占政府采购预算总额的比例: the rows' figure against the table's 合计 row, read in
    the same column; each row named by the cell the question quotes."""
    totals = [(row, page) for row, page in zip(table.rows, table.pages)
              if any(c.startswith(("合计", "总计")) for c in row if c)]
    if not totals:
        return False
    row, _ = totals[0]
    column = table.headings.index(figured[0][3]) if figured[0][3] in table.headings else None
    whole = table.figure(row, column)
    if whole is None or not whole[0]:
        return False
    show, unit = shown
    part = sum(f[2] for f in figured)
    share = float((part / whole[0] * 100).quantize(Decimal("0.01")))
    name = "、".join(next((c for c in f[0] if len(c) >= 2 and _number(c) is None and normalise(c) in text),
                         " ".join(c for c in f[0] if c and _number(c) is None)) for f in figured)
    answer.intent["type"], answer.sparql = "grid_share", ""
    answer.columns = ["单位", "年度", "报告", "表", "名称", f"金额({unit})", f"合计({unit})", "占比(%)"]
    answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "表": table.title, "名称": name,
                    f"金额({unit})": show(part), f"合计({unit})": show(whole[0]), "占比(%)": share}, report,
                   {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": figured[0][1],
                    "text": f"{table.title}：{' '.join(c for c in figured[0][0] if c)}；{' '.join(c for c in row if c)}"})
    answer.answer = f"{label.unit}{label.year}年{label.report_kind}{table.title}中{name}{show(part)}{unit}，" \
                    f"占合计{show(whole[0])}{unit}的{share}%。"
    return True


__all__ = ["GridAnswers", "GridTable", "read_grid"]
