"""Amounts the prose states for a line the tables print by the same name.

The 情况说明 restates table lines in sentences: `“卫生健康支出”科目22万元`, `国有资本经营预算拨款收入
0万元`, `劳动关系管理2,149.05万元`. Each such amount is compared with every amount the tables print
on lines of exactly that name (any column, any table: 合计, 财政拨款, 上年 …); it is a finding only
when it matches none of them. Names are compared whole after dropping numbering, quotes and
`科目`/`（类）`, so a sentence about a different thing never borrows a line's figures; sentences
stating a change (比上年增加…) or a part of something else (其中, 占) are not read; nor are
sections describing another 预算单位 of a department.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, differs_as_printed, precision, rule, side, wan
from kg.check.prose import _NUM, _UNIT
from kg.extract.amounts import PROSE_AMOUNT, to_amount
from kg.extract.normalize import squash
from kg.model import Amount, Report

_ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d)|"
                          r"[（(]?(?:2\d{2}|50\d)(?:\d{2}){0,2}[)）]?\s*[-－—:：]?(?=[\u4e00-\u9fff]))")  # 2080506-, （2010501）
_LEAD = re.compile(r"^(?:其中[：:]?|包括|主要是|主要为|主要用于|分别是|分别为|具体是|具体为|即|本年度?|当年|\d{4}年度?)")
_FILLER = re.compile(r"(?:预算数|决算数|预算|决算|安排|共计|合计|总计|总额|金额|资金|为|是|达|共)+$")
_MARKS = re.compile(r"[“”\"‘’'《》]|科目|[（(](?:类|款|项)[)）]")
_CHANGE = re.compile(r"增加|减少|增长|下降|增幅|降幅|上升|降低|持平|相比|比上|较上|比\d{4}|较\d{4}|同比|变动|调增|调减|占")
# tables of one part of spending: a 基本支出 table's 公务用车运行维护费 is not the 三公 figure the prose states
_PARTIAL = {"basic_by_economic"}
# totals and balances are printed by several tables of different scope (部门, 财政拨款, 政府性基金 …):
# prose naming one is compared by narrative.figures, which knows the scope
_SCOPED = re.compile(r"结转|结余|合计|总计|小计")
_GENERIC = {"合计", "小计", "总计", "其他", "其中", "支出", "收入", "预算", "决算", "本年", "上年", "共计"}


def _name(text: str) -> str:
    text = squash(text)
    previous = None
    while previous != text:
        previous = text
        text = _ENUMERATION.sub("", text)
        text = _LEAD.sub("", text)
    return _MARKS.sub("", text)


def _printed_lines(report: Report) -> dict[str, list[Amount]]:
    by_name: dict[str, list[Amount]] = {}
    for table in report.tables:
        if table.kind in _PARTIAL or "基本支出" in squash(table.title):
            continue
        for line in table.lines:
            name = _name(line.name)
            if len(name) >= 3 and name not in _GENERIC and not _SCOPED.search(name):
                by_name.setdefault(name, []).extend(line.values.values() or [Amount(Decimal(0), "0", table.unit)])
    return by_name


def _other_units(report: Report) -> set[str]:
    return {squash(f.subject) for f in report.unit_figures if f.source == "text" and f.subject}


def _truncated(table: Amount, stated: Amount) -> bool:
    """Prose printing whole 万元 often cuts the decimals (57 for 57.59) instead of rounding."""
    return Decimal(0) <= table.value - stated.value < precision(stated)


_CODED = re.compile(rf"(?P<name>[\u4e00-\u9fff]{{2,30}})[（(](?P<code>2\d{{2}}(?:\d{{2}}){{0,2}})[)）][，,]?(?:(?:19|20)\d{{2}}年度?)?"
                    rf"(?:决算数|预算数|支出|预算)?(?:为|是)?(?P<num>{_NUM})(?P<unit>{_UNIT})")


def _coded_lines(report: Report) -> dict[str, tuple[str, list[Amount]]]:
    """The lines of the tables by their classification code: (name, amounts)."""
    by_code: dict[str, tuple[str, list[Amount]]] = {}
    for table in report.tables:
        if table.kind in _PARTIAL or "基本支出" in squash(table.title):
            continue
        for line in table.lines:
            if line.code and line.code.isdigit():
                by_code.setdefault(line.code, (line.name, []))[1].extend(line.values.values())
    return by_code


def _statements(paragraph, printed: dict, coded: dict) -> Iterator[tuple[str, list[Amount], Amount | None, str]]:
    """(name, the table's amounts of that line, the amount stated, the clause) of each line the
    paragraph states by name, or by the code printed after its name (``机构运行（2060201），2023年度
    决算数为828.72万元``)."""
    for clause in re.split(r"[，,；;。：:]", paragraph.text):
        match = PROSE_AMOUNT.search(clause)
        if match is None or _CHANGE.search(clause[:match.start()]):
            continue
        label = _FILLER.sub("", _name(clause[:match.start()]))
        if printed.get(label):
            yield label, printed[label], to_amount(match.group("num"), match.group("unit"), paragraph.page, paragraph.line), clause
    for match in _CODED.finditer(squash(paragraph.text)):
        name, amounts = coded.get(match.group("code"), ("", []))
        if amounts:
            yield name, amounts, to_amount(match.group("num"), match.group("unit"), paragraph.page, paragraph.line), match.group(0)


def _own_paragraphs(report: Report) -> Iterator:
    """The paragraphs of the 说明, without the sections describing another 预算单位 of a department."""
    others = _other_units(report)
    for section in report.sections:
        if not (others and any(unit in squash(heading) for heading in section.path for unit in others)):
            yield from section.paragraphs


@rule("narrative.lines", "说明中按表内行名陈述的金额与报表该行一致（如“卫生健康支出”科目22万元）")
def stated_lines(report: Report) -> Iterator[Finding]:
    printed, coded = _printed_lines(report), _coded_lines(report)
    if not printed:
        return
    for label, amounts, stated, clause in _differing(report, printed, coded):
        table = max(amounts, key=lambda a: a.value)
        yield Finding("narrative.lines", "error",
                      f"说明中“{label}”为{wan(stated.value)}万元，报表该行为"
                      f"{'、'.join(sorted({wan(a.value) for a in amounts}, key=len)[:4])}万元",
                      [side(f"说明：{squash(clause)}", stated, squash(clause)),
                       side(f"报表：{label}", table, label)],
                      expected=table.value, observed=stated.value, entity=label)


# a column named alike under two column groups (一般公共预算 under 本年收入 and under 上年结转) is not
# one figure; totals and the report's headline columns are compared by narrative.figures
_COLUMN_GENERIC = _GENERIC | {"基本支出", "项目支出", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政拨款"}


def _column_totals(report: Report) -> dict[str, list[Amount]]:
    """What a summary table's 合计 row prints under each column, by the column's printed name (the
    last part of its header); a column it leaves blank prints 0."""
    by_name: dict[str, list[Amount]] = {}
    for table in report.tables:
        total = next((line for line in table.lines if line.is_total and not line.side), None)
        if total is None or table.kind in _PARTIAL or table.by_unit:
            continue
        names = [_name(header.split("/")[-1]) for header in table.headers]
        for key, name in zip(table.columns, names):
            if len(name) < 4 or name in _COLUMN_GENERIC or _SCOPED.search(name) or names.count(name) > 1 or \
                    table.columns.count(key) > 1:
                continue
            printed = total.values.get(key)
            zero = Amount(Decimal(0), "0", table.unit, table.page, table.line)
            by_name.setdefault(name, []).append(printed or zero)
    return by_name


def _differing(report: Report, printed: dict, coded: dict):
    """The statements of the report's own paragraphs whose amount differs from every printed one."""
    for paragraph in _own_paragraphs(report):
        for label, amounts, stated, clause in _statements(paragraph, printed, coded):
            if stated is not None and not any(not differs_as_printed(a, stated) or _truncated(a, stated)
                                              for a in amounts):
                yield label, amounts, stated, clause


@rule("narrative.columns", "说明中按报表列名陈述的金额（事业单位经营支出0万元、上缴上级支出…）与该表合计行该列一致")
def stated_columns(report: Report) -> Iterator[Finding]:
    columns = _column_totals(report)
    lines = _printed_lines(report)
    columns = {name: amounts for name, amounts in columns.items() if name not in lines}
    if not columns:
        return
    for label, amounts, stated, clause in _differing(report, columns, {}):
        if any(not differs_as_printed(f.amount, stated) for f in report.figures + report.unit_figures
               if f.source == "table" and f.amount is not None):
            continue  # the figure of another scope the tables print elsewhere
        table = amounts[0]
        yield Finding("narrative.columns", "error",
                      f"说明中“{label}”为{wan(stated.value)}万元，报表合计行该列为{wan(table.value)}万元"
                      f"（第{table.page}页） / stated figure ≠ the table's column total",
                      [side(f"说明：{squash(clause)}", stated, squash(clause)),
                       side(f"报表合计行：{label}", table, label)],
                      expected=table.value, observed=stated.value, entity=label)
