"""Totals the prose states with their parts, checked within the sentence.

``政府采购支出预算总额225.52万元，其中：拟采购货物支出0万元、拟采购工程支出0万元、拟采购服务支出
725.52万元`` lists parts that exceed their total. A list after 其中 or (主要)包括 need not be complete (``支出
100万元，其中基本支出60万元``), so only parts adding up to more than the total are wrong; a part's
own 其中 (a list within the list), amounts inside brackets and amounts of a change (比上年增加…)
are not parts.

``年初结转和结余58,830.98万元，收入决算509,220.66万元，支出决算568,051.63万元，年末结转和结余
0万元`` states a balance: what was carried in plus what came in less what was spent is what is
carried out.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, wan
from kg.check.prose import _NUM, _UNIT, _sentences, _value
from kg.extract.normalize import squash
from kg.model import Report

_TOTAL = re.compile(rf"(?P<label>[\u4e00-\u9fff“”\"]{{2,24}}?)(?:为|是|共计|合计|总计|总额|达到)?(?P<num>{_NUM})(?P<unit>{_UNIT})"
                    rf"(?:[（(][^）)]*?(?P<aside>{_NUM})(?P<aside_unit>{_UNIT})[)）])?[。，,；;]?(?:其中|(?:主要)?包括)[：:，,]?")
_ITEM_SPLIT = re.compile(r"[、，；;]|,(?!\d{3})")  # 2,828.24 is one number
_PART = re.compile(rf"^(?P<label>[^\d，。；;、：:（()）]{{1,30}}?)(?:为|是)?(?P<num>{_NUM})(?P<unit>{_UNIT})(?:[（(][^）)]*[)）])?$")
_NOT_PART = re.compile(r"比|较|与上年|增加|减少|增长|下降|占|其中|平均|人均|每")


# 本年收入 + 上年结转 is the whole of a 收入总计 (本年预算安排 + 上年结转 of a 支出总计): such a list is
# complete, and falling short of its total is wrong too
# the template's own identities: 公务用车购置及运行费 = 购置费 + 运行费; 三公 = 出国 + 接待 + 公务用车
_WHOLE = [(re.compile(r"公务用车购置(?:费)?(?:及|和)运行(?:维护)?费"),
           (re.compile(r"公务用车购置"), re.compile(r"公务用车运行"))),
          (re.compile(r"三公”?经费"),
           (re.compile(r"因公出国"), re.compile(r"公务接待"), re.compile(r"公务用车")))]
_THIS_YEAR = re.compile(r"^(?:本年|当年)(?:收入|预算安排|拨款收入|预算收入|支出)$")
_CARRIED_IN = re.compile(r"^上年结转(?:收入|资金)?$")


def _parts(listed: str) -> list[tuple[str, Decimal, Decimal]] | None:
    """The parts of a list (label, value, rounding), or ``None`` where an item is not a plain
    'label amount' (a list within the list, a share, a change)."""
    parts = []
    for item in _ITEM_SPLIT.split(listed):
        item = item.strip()
        if not item or not re.search(rf"(?:{_NUM})(?:{_UNIT})", item):
            continue  # no amount (a count: 其他运转类项目6个)
        if _NOT_PART.search(item):
            return parts if parts and re.match(r"^(?:比|较|与)", item) else None  # a change of the total ends the list
        m = _PART.match(item)
        if m is None:
            return None
        parts.append((m.group("label"), *_value(m.group("num"), m.group("unit"))))
    return parts


def _whole(sentence: str, labels: list[str]) -> bool:
    """The parts are all of the total by the template's own identity (公务用车购置及运行费: 购置费 and
    运行费, each named once)."""
    for total, parts in _WHOLE:
        if total.search(sentence) and len(labels) == len(parts) and \
                all(sum(1 for label in labels if part.search(label)) == 1 for part in parts):
            return True
    return False


def _bound(text: str, m: re.Match) -> tuple[Decimal, Decimal]:
    """The most the parts may add up to. The amount before 其中, or its aside (``180.96万元（预算内安排
    63.6万元）。其中``), or — where that amount is itself the last item of an earlier list (``…国有资本
    经营预算拨款0万元。其中：当年拨款收入…``) — the total heading the paragraph."""
    candidates = [_value(m.group("num"), m.group("unit"))]
    if m.group("aside"):
        candidates.append(_value(m.group("aside"), m.group("aside_unit")))
    start = max(text.rfind(mark, 0, m.start("num")) for mark in "。；;") + 1
    if re.search(rf"(?:{_NUM})(?:{_UNIT})", text[start:m.start("num")]) or text.rfind("其中", 0, m.start()) != -1:
        candidates += [_value(a.group(1), a.group(2)) for a in re.finditer(rf"({_NUM})({_UNIT})", text[:m.start("num")])]
    return max(candidates)


def _headed(report: Report):
    for section in report.sections:
        for paragraph in section.paragraphs:
            yield section.heading, paragraph, squash(paragraph.text)


def listed_parts(report: Report) -> Iterator[Finding]:
    for heading, paragraph, text in _headed(report):
        for m in _TOTAL.finditer(text):
            if re.search(r"[）)]$", text[:m.start("num")]) or "其中" in m.group("label"):
                continue
            end = min([i for i in (text.find(mark, m.end()) for mark in "。") if i != -1], default=len(text))
            parts = _parts(text[m.end():end])
            if not parts or len(parts) < 2:
                continue
            total, total_error = _bound(text, m)
            observed = sum((p[1] for p in parts), Decimal(0))
            error = total_error + sum((p[2] for p in parts), Decimal(0))
            if any(abs(sum((p[1] for p in parts[:n]), Decimal(0)) - total) <= error and
                   abs(sum((p[1] for p in parts[n:]), Decimal(0)) - total) <= error for n in range(1, len(parts))):
                continue  # the list adds up to the total twice over (收支总预算…，其中 income…；spending…)
            start = max(text.rfind(mark, 0, m.start("num")) for mark in "。；;") + 1
            sentence = (heading if start == 0 else "") + text[start:m.start("num")]  # the heading names what opens it
            complete = len(parts) == 2 and _THIS_YEAR.match(parts[0][0]) and _CARRIED_IN.match(parts[1][0]) or \
                _whole(sentence, [p[0] for p in parts])
            if observed - total > error or complete and total - observed > error:
                quote = text[m.start():end][:160]
                yield Finding("narrative.parts", "error",
                              f"第{paragraph.page}页：{m.group('label')}{m.group('num')}{m.group('unit')}，其中所列各项合计"
                              f"{wan(observed)}万元，{'超过总数' if observed > total else '与总数不符'}：“{quote}”",
                              [Side(f"说明：{m.group('label')}", total, paragraph.page, paragraph.line, quote),
                               *[Side(f"说明：{label}", value, paragraph.page, paragraph.line, quote) for label, value, _ in parts]],
                              expected=total, observed=observed)


_BALANCE = re.compile(rf"年初结转和结余(?:为)?(?P<a>{_NUM})(?P<au>{_UNIT})[，,](?:本年)?收入(?:决算)?(?:为)?(?P<b>{_NUM})(?P<bu>{_UNIT})[，,]"
                      rf"(?:本年)?支出(?:决算)?(?:为)?(?P<c>{_NUM})(?P<cu>{_UNIT})[，,]年末结转和结余(?:为)?(?P<d>{_NUM})(?P<du>{_UNIT})")


def balances(report: Report) -> Iterator[Finding]:
    for paragraph, text in _sentences(report):
        for m in _BALANCE.finditer(text):
            (a, ae), (b, be), (c, ce), (d, de) = (_value(m.group(g), m.group(g + "u")) for g in "abcd")
            if abs(a + b - c - d) > ae + be + ce + de:
                yield Finding("narrative.parts", "error",
                              f"第{paragraph.page}页：年初结转和结余{wan(a)}万元+收入{wan(b)}万元-支出{wan(c)}万元="
                              f"{wan(a + b - c)}万元，文中年末结转和结余为{wan(d)}万元：“{m.group(0)}”",
                              [Side("年初结转和结余", a, paragraph.page, paragraph.line, m.group(0)),
                               Side("年末结转和结余", d, paragraph.page, paragraph.line, m.group(0))],
                              expected=a + b - c, observed=d)
