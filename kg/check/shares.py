"""Shares (``占…%``) against the amounts of their paragraph: a part of a total printed there, or
of the total the other shares of its list agree on."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, wan
from kg.check.prose import _NUM, _UNIT, _fits, _value
from kg.extract.normalize import squash
from kg.model import Report

_SHARE = re.compile(rf"(?P<a>{_NUM})(?P<au>{_UNIT})[，,]?占(?P<label>比|[^\d，。；;,%]{{0,12}}?)(?:的)?(?:比重|比例)?(?:为)?"
                    rf"(?P<pct>{_NUM})\s*%")


def _implied_total(part: Decimal, part_error: Decimal, pct: Decimal, pct_error: Decimal) -> tuple[Decimal, Decimal] | None:
    """The totals of which ``part`` is ``pct``%, within the printed precision of both."""
    if pct - pct_error <= 0 or part <= 0:
        return None
    return (part - part_error) / (pct + pct_error) * 100, (part + part_error) / (pct - pct_error) * 100


def _consensus(others: list) -> tuple[Decimal, Decimal] | None:
    """The totals every other share of the list allows, when at least two allow a common one."""
    spans = [span for o in others if (span := _implied_total(*o[1:]))]
    if len(spans) < 2 or max(lo for lo, _ in spans) > min(hi for _, hi in spans):
        return None
    return max(lo for lo, _ in spans), min(hi for _, hi in spans)


_GRAND = re.compile(r"总额|总计|合计")


def _named_totals(text: str, parts: set[int]) -> list[tuple[Decimal, Decimal]]:
    """The amounts of the paragraph printed as a 总计/总额/合计 (``各项支出总计457,676.75万元``,
    ``政府采购支出总额13.40万元``): the total a share of the 支出总额 is of."""
    return [_value(t.group(1), t.group(2)) for t in re.finditer(rf"(?:总额|总计|合计)(?:为|是|达)?({_NUM})({_UNIT})", text)
            if t.start(1) not in parts]


_HEADER = re.compile(rf"(?P<num>{_NUM})(?P<unit>{_UNIT})[^\d。]{{0,6}}[。，,]?其中[：:]?$")


def _with_headers(report: Report):
    """Each paragraph with the total its list header states, where the paragraph before it
    ends ``…总计24,169.74万元。其中：`` and each item follows as a paragraph of its own."""
    for section in report.sections:
        header = None
        for paragraph in section.paragraphs:
            text = squash(paragraph.text)
            yield paragraph, text, header
            found = _HEADER.search(text)
            if found:
                header = _value(found.group("num"), found.group("unit"))
            elif re.match(r"^(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．])", text) is None:
                header = None  # a paragraph that is not an item of the list ends it


def shares(report: Report) -> Iterator[Finding]:
    """``收入452.76万元，其中：基本支出393.71万元，占46.96%；项目支出59.05万元，占13.04%`` (393.71 is
    86.96%). A share is checked against the amounts of its paragraph: it is reported when no
    amount printed there gives it, while one gives another share of the same kind, or, with no
    total printed, when the other shares of the list agree on a total that it does not allow. A
    nil amount with a share above nil, or a share above 100%, needs no total."""
    for paragraph, text, header in _with_headers(report):
        items = [(m, *_value(m.group("a"), m.group("au")), Decimal(m.group("pct").replace(",", "")),
                  2 * _value(m.group("pct"), "元")[1]) for m in _SHARE.finditer(text)]
        parts = {m.start("a") for m, *_ in items}  # a part is not the total of its list
        totals = [_value(t.group(1), t.group(2)) for t in re.finditer(rf"({_NUM})({_UNIT})", text) if t.start() not in parts]
        listed = not totals and header is not None  # one item of a list its header paragraph totals
        totals = totals or ([header] if header else [])
        for m, part, part_error, pct, pct_error in items:
            quote = m.group(0)
            where = [Side("金额", part, paragraph.page, paragraph.line, quote), Side("占比", pct, paragraph.page, paragraph.line, quote)]
            if part == 0 and pct != 0 or pct > 100:
                yield Finding("comparison.change", "error", f"第{paragraph.page}页：金额{m.group('a')}{m.group('au')}，"
                              f"占比却是{pct}%：“{quote}”", where, observed=pct)
                continue
            if part == 0 or any(_fits(part, part_error, pct, pct_error, *t) for t in totals):
                continue
            others = [o for o in items if o[0] is not m and o[1] and o[0].group("label") == m.group("label")]
            base = next((t[0] for t in totals if any(_fits(*o[1:], *t) for o in others)), None)
            own = _implied_total(part, part_error, pct, pct_error)
            agreed = _consensus(others) if base is None else None
            if agreed and own and (own[1] < agreed[0] or own[0] > agreed[1]):
                base = (agreed[0] + agreed[1]) / 2
            if base is None and listed:
                base = header[0]
            if base is None and _GRAND.search(m.group("label")):
                named = {value for value, _ in _named_totals(text, parts)}
                base = named.pop() if len(named) == 1 else None
            if base is None:
                continue
            implied = (part / base * 100).quantize(Decimal("0.01"))
            yield Finding("comparison.change", "error",
                          f"第{paragraph.page}页：{m.group('a')}{m.group('au')}占{wan(base)}万元的{implied}%，"
                          f"文中写{pct}%：“{quote}”", where, expected=implied, observed=pct)
