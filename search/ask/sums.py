"""One total for a sum of named things: ``A和B加起来``, ``三家…加起来``, ``X的…和…两个项目加起来``,
``各自的…合计``.

The lookups answer each named unit or project with a row of its own; a question that asks for
their sum gets one row instead, holding the total and, in its text, the figures added (the
evidence of the first row stands for all of them, the others are listed in ``构成``).
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask.answer import Answer
from search.ask.numbers import ADDING, ASKS_YUAN

ASKS_SUM = re.compile(rf"{ADDING}|总额是|一起")
_EACH = re.compile(r"分别|各是|各为|各有|每个|每家|哪|排名|最高|最低|最多|最少")
_SUMMABLE = ("report_lookup", "project_lookup", "line_lookup")


def money_column(answer: Answer) -> str | None:
    """The one 万元 column every row fills, or None."""
    for column in answer.columns:
        if column.endswith("(万元)") and answer.rows and \
                all(isinstance(r.get(column), (int, float)) for r in answer.rows):
            return column
    return None


def collapse_sum(question: str, answer: Answer) -> bool:
    """Replace the rows of named things by their total when the question asks it; True if done."""
    text = normalise(question)
    if len(answer.rows) < 2 or answer.intent.get("type") not in _SUMMABLE or not ASKS_SUM.search(text) \
            or _EACH.search(text.replace("各自", "")):
        return False
    column = money_column(answer)
    if column is None or len({r.get("年度") for r in answer.rows}) > 1 and not _names_years(text, answer.rows):
        return False
    named = [(r.get("单位"), r.get("年度"), r.get("项目"), r.get("科目"), r.get("实施单位")) for r in answer.rows]
    if len(set(named)) < len(named):
        return False  # 西南大学2023年上年结转合计: one thing in its 预算 and its 决算, never added
    total = sum((Decimal(str(r[column])) for r in answer.rows), Decimal(0))
    parts = "＋".join(f"{_name(r)}{r[column]}万元" for r in answer.rows)
    units = list(dict.fromkeys(r.get("单位") for r in answer.rows if r.get("单位")))
    years = list(dict.fromkeys(str(r.get("年度")) for r in answer.rows if r.get("年度")))
    row = {"单位": "、".join(units), "年度": "、".join(years), "合计(万元)": float(total.normalize()),
           "构成": parts}
    printed = [_yuan(r.get("原文金额")) for r in answer.rows]  # a report printed in 元: its own figures
    if ASKS_YUAN.search(text) or all(v is not None for v in printed):  # asked in 元, or printed so
        in_yuan = sum(printed) if all(v is not None for v in printed) else total * 10000
        row["合计(元)"] = float(in_yuan.quantize(Decimal("0.01")).normalize())
    evidence, entity = answer.evidence[0], answer.entities[0]
    answer.intent["type"] = "named_total"
    answer.intent["summed_rows"] = len(answer.rows)
    answer.columns = list(row)
    answer.rows, answer.evidence, answer.entities = [], [], []
    answer.add_row(row, entity, evidence)
    answer.answer = f"{parts}，合计{row['合计(万元)']}万元" + \
        (f"（{row['合计(元)']}元）" if "合计(元)" in row else "") + "。"
    return True


def _names_years(text: str, rows: list[dict]) -> bool:
    """Rows of several years are summed only when the question names those years."""
    return all(str(r.get("年度")) in text for r in rows)


def _name(row: dict) -> str:
    name = row.get("项目") or row.get("科目") or row.get("单位") or ""
    where = "，".join(x for x in (row.get("实施单位"), f"{row['年度']}年" if row.get("年度") else "") if x)
    return f"{name}（{where}）" if where else name


def _yuan(printed) -> Decimal | None:
    match = re.fullmatch(r"(-?[\d,]+(?:\.\d+)?)元", str(printed or ""))
    return Decimal(match.group(1).replace(",", "")) if match else None
