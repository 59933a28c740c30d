"""Direction words that contradict each other in one statement: a change and its rate, a
reason and the change it explains, a completion rate and 决算较预算增加/减少. None needs the
figures compared."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side
from kg.check.prose import _NUM, _UNIT, _direction, _sentences, _split_numbers, _value
from kg.model import Report

_BOTH = re.compile(rf"(?P<w1>增加|减少|增长|下降|上升|降低|提高)了?(?P<d>{_NUM})?(?P<du>{_UNIT})[，,]?(?:同比)?"
                   rf"(?P<w2>增长|下降|增加|减少|上升|降低|提高|增幅|降幅|减幅|涨幅)(?:了|为|达)?(?P<pct>{_NUM})?\s*%")
_STATED_CHANGE = re.compile(rf"(?P<w>增加|减少|增长|下降|上升|降低)了?(?:{_NUM})(?:{_UNIT}|%)")
_REASON = re.compile(r"(?P<w>增加|减少|增长|下降|上升|降低)的(?:主要)?原因")
_OWN_BASE = re.compile(r"[较比与][^，。；;：:]{0,6}$")  # 决算数较上年增加的原因: a change of its own
_FALL = re.compile(rf"(?P<w>下降|减少|降低|降幅|减幅)了?(?:为|达)?(?P<pct>{_NUM})\s*%")  # a fall of more than the whole
_RATE_THEN_WORD = re.compile(rf"完成(?:年初|全年|调整)?预算(?:数)?的(?P<pct>{_NUM})%[，,](?:决算数?|支出决算数?|执行数)?"
                             r"(?:较|比)(?:年初|全年|调整)?预算数?(?P<w>增加|减少)")


def directions(report: Report) -> Iterator[Finding]:
    """``增加148.16万元，下降0.34%`` (or ``增长%`` with the rate left out) says two directions of one
    change; ``增加0.00万元，增长5.0%`` a rate of no change; ``比上年增加172.82万元…。减少的主要原因``
    explains a change the paragraph did not state; ``完成预算的5.91%，决算数较预算数增加`` a rate
    below 100% with an increase. None needs the figures compared."""
    for paragraph, text in _sentences(report):
        for m in _BOTH.finditer(text):
            change = _value(m.group("d"), m.group("du"))[0] if m.group("d") else None
            pct = Decimal(m.group("pct").replace(",", "")) if m.group("pct") else None
            quote = m.group(0)
            where = [Side("增减额", change, paragraph.page, paragraph.line, quote),
                     Side("增减率", pct, paragraph.page, paragraph.line, quote)]
            if _direction(m.group("w1")) != _direction(m.group("w2")):
                yield Finding("comparison.words", "error" if change and pct else "warning",
                              f"第{paragraph.page}页：同一变动先说{m.group('w1')}{m.group('d') or ''}{m.group('du')}、"
                              f"又说{m.group('w2')}{m.group('pct') or ''}%：“{quote}”", where)
            elif change == 0 and pct:
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：增减额为0，增减率却是{m.group('pct')}%：“{quote}”", where,
                              expected=Decimal(0), observed=pct)
        for m in _REASON.finditer(text):
            if _OWN_BASE.search(text[:m.start()]):
                continue
            stated = {_direction(c.group("w")) for c in _STATED_CHANGE.finditer(text, 0, m.start())}
            if stated and _direction(m.group("w")) not in stated:
                quote = text[max(0, m.start() - 50):m.end()]
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页说明“{m.group(0)}”，前文所述变动却是"
                              f"{'增加' if 1 in stated else '减少'}：“{quote}”",
                              [Side("原因", None, paragraph.page, paragraph.line, quote)])
        for m in _FALL.finditer(text):
            pct = Decimal(m.group("pct").replace(",", ""))
            if pct > 100 and m.group("pct") not in _split_numbers(paragraph.text):
                quote = text[max(0, m.start() - 30):m.end()]
                yield Finding("comparison.words", "error", f"第{paragraph.page}页：{m.group('w')}{pct}%，减少不能超过100%：“{quote}”",
                              [Side("增减率", pct, paragraph.page, paragraph.line, quote)], observed=pct)
        for m in _RATE_THEN_WORD.finditer(text):
            pct, sign = Decimal(m.group("pct").replace(",", "")), _direction(m.group("w"))
            if sign == 1 and pct < 100 or sign == -1 and pct > 100:
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：完成预算的{pct}%，决算却较预算{m.group('w')}：“{m.group(0)}”",
                              [Side("完成率", pct, paragraph.page, paragraph.line, m.group(0))], observed=pct)


_TOTAL_CHANGE = re.compile(rf"(?P<w>增加|减少)了?(?P<d>{_NUM})(?P<du>{_UNIT})[^。；;]{{0,12}}?。?(?:主要是|主要原因是|其中)[:：]?"
                           r"(?P<parts>[^。]*)")
_PART_CHANGE = re.compile(rf"(?P<w>增加|减少)了?(?P<d>{_NUM})(?P<du>{_UNIT})")


def components(report: Report) -> Iterator[Finding]:
    """``收入比2025年减少246,429.22万元，主要是一般公共预算财政拨款增加10,300.15万元，政府性基金
    预算财政拨款减少258,146.77万元，…``: the parts' changes add up to the total's, so a total, or
    one part, whose direction word is turned shows as the one sign that makes the sum agree."""
    for paragraph, text in _sentences(report):
        for m in _TOTAL_CHANGE.finditer(text):
            parts = [(_direction(p.group("w")), *_value(p.group("d"), p.group("du")), p.group(0))
                     for p in _PART_CHANGE.finditer(m.group("parts"))]
            if len(parts) < 2:
                continue
            total, total_error = _value(m.group("d"), m.group("du"))
            sign, tolerance = _direction(m.group("w")), total_error + sum(e for _, _, e, _ in parts)
            signed = sum(s * v for s, v, _, _ in parts)
            if abs(signed - sign * total) <= tolerance:
                continue
            if total and abs(signed + sign * total) <= tolerance:
                wrong = [m.group(0)[:len(m.group("w")) + len(m.group("d")) + len(m.group("du"))]]
            else:
                wrong = [q for s, v, _, q in parts if v and abs(signed - 2 * s * v - sign * total) <= tolerance]
            if len(wrong) != 1:
                continue
            quote = text[max(0, m.start() - 20):m.end()][:160]
            yield Finding("comparison.words", "error",
                          f"第{paragraph.page}页：各项增减相加与总的增减一致只差“{wrong[0]}”的方向：“{quote}”",
                          [Side("增减", None, paragraph.page, paragraph.line, quote)])
