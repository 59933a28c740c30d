"""One change — or one figure — stated twice must be stated alike.

The 情况说明 repeats its changes: ``财政拨款收入6,672万元，比2025年预算减少4万元`` under income,
``财政拨款支出预算6,672万元，比2025年预算减少4万元`` under spending and again under the fiscal
appropriation. A figure printed with the same comparison year fixes last year's figure
(6,672 + 4); two statements of it that fix different previous figures cannot both be right.
Likewise a change of a distinctive amount (258,146.77万元) stated once as 减少 and once as 增加
against the same year contradicts itself. Tolerances follow the printed precision.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, differs_as_printed, figure, rule, side, wan
from kg.check.prose import _NUM, _UNIT, _direction, _sentences, _value
from kg.model import YOY_BASIS, Figure, Report

_STATEMENT = re.compile(
    rf"(?P<cur>{_NUM})(?P<cu>{_UNIT})[，,]?(?:比|较|与|同)(?P<base>上年|上一年|去年|(?:19|20)\d{{2}}年度?|年初预算|全年预算|预算)"
    rf"(?P<label>[^，。；;\d%（(]{{0,12}}?)[，,]?(?P<word>增加|减少|增长|下降|上升|降低|持平)了?(?P<d>{_NUM})?(?P<du>{_UNIT})?")
_CHANGE = re.compile(rf"(?P<word>增加|减少)了?(?P<d>{_NUM})(?P<du>{_UNIT})")
_BASE = re.compile(r"(?:比|较|与|同)(?P<base>上年|上一年|去年|(?:19|20)\d{2}年度?)")


def _base(base: str, label: str, year: int | None) -> str:
    """The comparison named alike however it is printed: 上年 = 2025年 in a 2026 report; 2025年预算
    is not 2025年决算."""
    base = base.replace("年度", "年")
    if base in ("上一年", "去年") or year and base == f"{year - 1}年":
        base = "上年"
    kind = re.search(r"年初预算|预算|决算|执行", base + label)
    return base + (kind.group(0) if kind and kind.group(0) not in base else "")


def _significant(number: str) -> int:
    return len(re.sub(r"^0+", "", re.sub(r"[.,]", "", number)).rstrip("0") or "")


def restated_figures(report: Report) -> Iterator[Finding]:
    """Statements of one figure against one year that fix different previous figures."""
    previous: dict[tuple, list] = {}
    for paragraph, text in _sentences(report):
        for m in _STATEMENT.finditer(text):
            sign = _direction(m.group("word"))
            if sign is None or sign and not (m.group("d") and m.group("du")):
                continue  # 增长5%: a rate, not an amount
            if _significant(m.group("cur")) < 3:
                continue  # 0万元, 10万元: many lines print it, each with its own last year
            cur = _value(m.group("cur"), m.group("cu"))[0]
            change, change_error = _value(m.group("d"), m.group("du")) if sign else (Decimal(0), Decimal(0))
            key = (cur, _base(m.group("base"), m.group("label"), report.year))
            previous.setdefault(key, []).append((cur - sign * change, change_error, paragraph, m.group(0)))  # one figure: its rounding is common
    for (cur, base), stated in previous.items():
        first = stated[0]
        other = next((s for s in stated[1:] if abs(s[0] - first[0]) > s[1] + first[1]), None)
        if other is None:
            continue
        yield Finding("comparison.change", "error",
                      f"同一数字{wan(cur)}万元与{base}相比，第{first[2].page}页所述推得{base}为{wan(first[0])}万元，"
                      f"第{other[2].page}页所述推得为{wan(other[0])}万元：“{first[3]}”与“{other[3]}”",
                      [Side(f"第{first[2].page}页", first[0], first[2].page, first[2].line, first[3]),
                       Side(f"第{other[2].page}页", other[0], other[2].page, other[2].line, other[3])],
                      expected=first[0], observed=other[0])


def restated_directions(report: Report) -> Iterator[Finding]:
    """A change of one distinctive amount against one year stated as 增加 and as 减少."""
    changes: dict[tuple, list] = {}
    for paragraph, text in _sentences(report):
        for m in _CHANGE.finditer(text):
            base = None
            for base in _BASE.finditer(text, 0, m.start()):
                pass  # the comparison last named before the change (a list of parts shares its total's)
            if base is not None and _significant(m.group("d")) >= 4:
                change = _value(m.group("d"), m.group("du"))[0]
                key = (change, _base(base.group("base"), "", report.year))
                changes.setdefault(key, []).append((_direction(m.group("word")), paragraph, m.group(0)))
    for (change, base), stated in changes.items():
        if len({sign for sign, *_ in stated}) < 2:
            continue
        up = next(s for s in stated if s[0] == 1)
        down = next(s for s in stated if s[0] == -1)
        yield Finding("comparison.words", "error",
                      f"同一变动{wan(change)}万元（与{base}相比）第{up[1].page}页写增加、第{down[1].page}页写减少："
                      f"“{up[2]}”与“{down[2]}”",
                      [Side("增加", change, up[1].page, up[1].line, up[2]), Side("减少", change, down[1].page, down[1].line, down[2])])


_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff“”]{2,}$")


def _name(statement: Figure) -> str | None:
    """The words printed right before the amount (（二）公用经费645.01万元 → 公用经费)."""
    at = statement.context.find(statement.amount.printed)
    found = _NAME_BEFORE.search(statement.context[:at]) if at >= 0 else None
    return found.group(0) if found else None


_FUND_PART = re.compile(r"^其中[^，。；：:]{0,12}(?:一般公共预算|财政拨款|政府性基金|国有资本经营|财政专户)")


@rule("narrative.restated", "说明中以同一名称两次陈述的同一数字（报表未印此数）须一致")
def restated_amounts(report: Report) -> Iterator[Finding]:
    """A headline figure the tables do not print, stated twice under the same name (（三）上年结转结余
    12.72万元 … 10.上年结转结余12.72万元): the two statements must agree. Where the tables print it,
    ``narrative.figures`` compares each statement with the table."""
    named: dict[tuple, list[Figure]] = {}
    for statement in report.statements:
        if statement.amount is None or statement.subject is not None or statement.basis == YOY_BASIS or \
                figure(report, statement.key) is not None or _FUND_PART.match(statement.context or ""):
            continue  # 其中一般公共预算拨款政府采购…：货物…: the part one fund pays, not the figure again
        name = _name(statement)
        if name:
            named.setdefault((statement.key, statement.basis, name), []).append(statement)
    for (_, _, name), stated in named.items():
        first = stated[0]
        other = next((s for s in stated[1:] if differs_as_printed(first.amount, s.amount)), None)
        if other is None:
            continue
        yield Finding("narrative.restated", "error",
                      f"说明两处所述{name}不一致：第{first.amount.page}页为{wan(first.amount.value)}万元，"
                      f"第{other.amount.page}页为{wan(other.amount.value)}万元 / one figure stated twice, differently",
                      [side(f"说明：{first.context}", first.amount, first.context),
                       side(f"说明：{other.context}", other.amount, other.context)],
                      expected=first.amount.value, observed=other.amount.value)
