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
from search.ask.numbers import ADDING, ASKS_YUAN
from search.ask.answer import Answer
from search.ask.sums import money_column

ASKS_DIFFERENCE = re.compile(r"比[^，。？?]{1,40}?(?:多|少|高|低|超|增加|减少)出?了?(?:多少|几)|相差|差额|差距|差多少|差了多少")
_COMPARABLE = ("report_lookup", "project_lookup", "line_lookup")


def _position(text: str, row: dict, other: dict | None = None) -> int:
    """Where the question first names the row's project or line, else its unit — outside the
    longer name of the other row (无锡市教育局 inside 无锡市教育局〔本级〕 is not a mention)."""
    taken = []
    for key in ("项目", "科目", "单位"):
        longer = normalise(str((other or {}).get(key) or ""))
        name = normalise(str(row.get(key) or ""))
        if longer and name and len(longer) > len(name) and name in longer:
            taken += [(m.start(), m.start() + len(longer)) for m in re.finditer(re.escape(longer), text)]
        for said in dict.fromkeys([name, _TOTAL_WORD.sub("", name)] if name else []):  # 财政拨款收入(总计)
            for m in re.finditer(re.escape(said), text):
                if not any(a <= m.start() < b for a, b in taken):
                    return m.start()
    return len(text)


_TOTAL_WORD = re.compile(r"(?<=.{2})(?:总计|合计|总额)$")


def _order(text: str, rows: list[dict]) -> tuple[int, int]:
    """The indexes of the two rows in the order the question names them, or (0, 0) if it does not tell."""
    a, b = _position(text, rows[0], rows[1]), _position(text, rows[1], rows[0])
    return (0, 0) if a == b else (0, 1) if a < b else (1, 0)


def _two_named(question: str, answer: Answer, asks: re.Pattern) -> tuple[str, int, int] | None:
    """The money column and the two rows in the order the question names them, when it asks
    ``asks`` of exactly two rows of named things; None otherwise."""
    text = normalise(question)
    if len(answer.rows) != 2 or answer.intent.get("type") not in _COMPARABLE or not asks.search(text):
        return None
    column = money_column(answer)
    first, second = _order(text, answer.rows)
    if column is None or first == second:
        return None  # no one money column, or the question does not tell the two apart
    return column, first, second


def _replace_rows(answer: Answer, kind: str, row: dict, first: int, text: str) -> None:
    """One row instead of the two, with the evidence of the one named first."""
    evidence, entity = answer.evidence[first], answer.entities[first]
    answer.intent["type"] = kind
    answer.columns = list(row)
    answer.rows, answer.evidence, answer.entities = [], [], []
    answer.add_row(row, entity, evidence)
    answer.answer = text


def collapse_difference(question: str, answer: Answer) -> bool:
    """Replace two rows by their difference when the question asks how far apart they are."""
    found = _two_named(question, answer, ASKS_DIFFERENCE)
    if found is None:
        return False
    column, first, second = found
    a, b = answer.rows[first], answer.rows[second]
    difference = Decimal(str(a[column])) - Decimal(str(b[column]))
    way = "多" if difference >= 0 else "少"
    size = float(abs(difference).normalize())
    label_a, label_b = _label(a), _label(b)
    row = {"比较": f"{label_a} − {label_b}", "差额(万元)": size, "方向": way,
           column: a[column], f"对比{column}": b[column], "单位": a.get("单位"), "年度": a.get("年度")}
    if ASKS_YUAN.search(normalise(question)) and column.endswith("(万元)"):  # 多出多少元
        row["差额(元)"] = float((abs(difference) * 10000).quantize(Decimal("0.01")).normalize())
    _replace_rows(answer, "named_difference", row, first,
                  f"{label_a}{a[column]}万元，{label_b}{b[column]}万元，前者比后者{way}{size}万元。")
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


_ADDED = re.compile(r"([^，,。？?]{2,30}?)(?:和|与|及|加上?)([^，,。？?]{2,30}?)(?:两项|二者|两者|这两项)?"
                    rf"(?:{ADDING})")


def summed_metrics(question: str, metric_of) -> tuple | None:
    """``人员经费和公用经费合起来是多少``: the two report metrics added, in the order named; None when a
    side names no metric or both the same."""
    match = _ADDED.search(normalise(question))
    if not match or "表" in match.group(2) or re.search(r"多少(?:个|项|家)|几(?:个|项|家)", normalise(question)):
        return None  # 项目支出及其他支出预算表一共列了多少个项目: a table's rows counted
    left, right = metric_of(match.group(1)), metric_of(match.group(2))
    if not left or not right or left[0].key == right[0].key:
        return None
    return left[0], right[0]


ASKS_SHARE = re.compile(r"占[^，。？?]{0,40}?(?:比例|比重|百分之几|百分之多少|百分比|多少%|份额|几成)")
_YEAR_AGAINST_YEAR = re.compile(r"((?:19|20)\d{2})年?[^比，。？?]{0,30}比((?:19|20)\d{2})年")


def collapse_share(question: str, answer: Answer) -> bool:
    """``A的收入占B收入的百分之几``: two rows, the one named first is the part of the other."""
    found = _two_named(question, answer, ASKS_SHARE)
    if found is None:
        return False
    column, first, second = found
    part, whole = answer.rows[first], answer.rows[second]
    if "部门" in normalise(question) and part[column] and whole[column] and part[column] > whole[column] and \
            part.get("单位") != whole.get("单位"):
        first, second = second, first  # 部门收入预算中，局本级占了百分之几: the department is the whole
        part, whole = whole, part
    if not whole[column]:
        return False
    share = (Decimal(str(part[column])) / Decimal(str(whole[column])) * 100).quantize(Decimal("0.01"))
    row = {"比较": f"{_label(part)} ÷ {_label(whole)}", "占比(%)": float(share), column: part[column],
           f"对比{column}": whole[column], "单位": part.get("单位"), "年度": part.get("年度")}
    _replace_rows(answer, "named_share", row, first,
                  f"{_label(part)}{part[column]}万元，占{_label(whole)}{whole[column]}万元的{share}%。")
    return True


def the_year_compared(question: str, answer: Answer) -> bool:
    """``2019年…比2018年增加了多少``: the change is the 2019 report's; the 2018 row (its own change
    against 2017) is not asked."""
    match = _YEAR_AGAINST_YEAR.search(normalise(question))
    if not match or len(answer.rows) < 2 or not all("年度" in r for r in answer.rows):
        return False
    year = int(match.group(1))
    if not answer.keep([i for i, r in enumerate(answer.rows) if r.get("年度") == year]):
        return False
    answer.answer = "；".join(part for part in answer.answer.rstrip("。").split("；") if f"{year}年" in part) + "。"
    return True
