"""One difference for two named things compared: ``A比B多多少``, ``A与B相差多少``, ``差额``.

The lookups answer each named unit, project or line with a row of its own; a question that asks
how far apart two of them are gets one row instead, holding the difference, the two figures and,
in its text, which is which. The thing the question names first is the minuend (``A比B多`` →
A − B); a difference that comes out below zero is stated as its size and direction.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask.answer import Answer
from search.ask.sums import money_column

ASKS_DIFFERENCE = re.compile(r"比[^，。？?]{1,40}?(?:多|少|高|低|超|增加|减少)出?了?(?:多少|几)|相差|差额|差距|差多少|差了多少")
_COMPARABLE = ("report_lookup", "project_lookup", "line_lookup")


def _position(text: str, row: dict) -> int:
    """Where the question first names the row's project or line, else its unit."""
    for key in ("项目", "科目", "单位"):
        name = normalise(str(row.get(key) or ""))
        if name and name in text:
            return text.find(name)
    return len(text)


def collapse_difference(question: str, answer: Answer) -> bool:
    """Replace two rows by their difference when the question asks how far apart they are."""
    text = normalise(question)
    if len(answer.rows) != 2 or answer.intent.get("type") not in _COMPARABLE or not ASKS_DIFFERENCE.search(text):
        return False
    column = money_column(answer)
    if column is None:
        return False
    first, second = sorted(range(2), key=lambda i: _position(text, answer.rows[i]))
    a, b = answer.rows[first], answer.rows[second]
    if _position(text, a) == _position(text, b):
        return False  # the question does not tell the two apart
    difference = Decimal(str(a[column])) - Decimal(str(b[column]))
    way = "多" if difference >= 0 else "少"
    size = float(abs(difference).normalize())
    label_a, label_b = _label(a), _label(b)
    row = {"比较": f"{label_a} − {label_b}", "差额(万元)": size, "方向": way,
           column: a[column], f"对比{column}": b[column], "单位": a.get("单位"), "年度": a.get("年度")}
    evidence, entity = answer.evidence[first], answer.entities[first]
    answer.intent["type"] = "named_difference"
    answer.columns = list(row)
    answer.rows, answer.evidence, answer.entities = [], [], []
    answer.add_row(row, entity, evidence)
    answer.answer = f"{label_a}{a[column]}万元，{label_b}{b[column]}万元，前者比后者{way}{size}万元。"
    return True


def _label(row: dict) -> str:
    name = row.get("项目") or row.get("科目") or row.get("单位") or ""
    unit = row.get("单位")
    return f"{unit}{name}" if unit and unit != name and not row.get("项目") else name


_SIDES = re.compile(r"([^，,。？?]{2,40}?)比([^，,。？?]{2,40}?)(?:多|少|高|低|超)出?了?(?:多少|几)")
_NOT_A_THING = re.compile(r"^(?:上年|去年|上一年|年初|预算|(?:19|20)\d{2}年)")


def compared_metrics(question: str, metric_of) -> tuple | None:
    """``人员经费比公用经费多多少`` / ``公务用车购置费预算比公务用车运行维护费预算多多少``: the two report
    metrics compared, left one first; None when a side names no metric (上年, 年初预算) or both the same."""
    match = _SIDES.search(normalise(question))
    if not match or _NOT_A_THING.match(match.group(2)):
        return None
    left, right = metric_of(match.group(1)), metric_of(match.group(2))
    if not left or not right or left[0].key == right[0].key:
        return None
    return left[0], right[0]
