"""Comparison words against the figures they compare, where the text prints both.

``2026年收入预算120万元，比2025年的100万元减少20万元`` says 减少 of two figures that rose;
``年初预算1,560.05万元，支出决算1,511.89万元，决算数大于年初预算数`` says 大于 of a smaller
figure. A change stated with one figure only (``比上年增加20万元，增长5%``) still fixes the
previous figure, so its percentage can be checked. Tolerances follow the printed precision.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, rule, wan
from kg.check.directions import components, directions
from kg.check.part_changes import spending_split_changes, three_public_changes
from kg.check.reasons import reasons
from kg.check.restated import restated_directions, restated_figures
from kg.check.prose import _AMOUNT, _NUM, _UNIT, _direction, _rate_name, _rate_range, _sentences, _split_numbers, _value
from kg.check.shares import shares
from kg.model import Report

_CHANGE = re.compile(
    rf"(?P<cur>{_NUM})(?P<cu>{_UNIT})[，,]?(?:比|较|与|同)(?P<base>上年|上一年|去年|(?:19|20)\d{{2}}年|年初预算|全年预算|预算)"
    rf"(?P<label>[^，。；;\d%]{{0,20}}?)(?:(?:的|为)?(?P<prev>{_NUM})(?P<pu>{_UNIT}))?[^，。；;\d%]{{0,6}}?[，,]?"
    rf"(?P<word>增加|减少|增长|下降|上升|降低|提高|持平|相同|一致|相等)了?(?:(?P<d>{_NUM})(?P<du>{_UNIT}))?"
    rf"(?:[，,](?P<pword>增长|下降|减少|增加|上升|降低|提高|增幅|降幅|减幅|涨幅)(?:了|为)?(?P<pct>{_NUM})\s*%)?")
_COMPLETED = re.compile(
    rf"(?P<blabel>年初预算|全年预算|调整预算|预算)数?(?:为|是)?(?P<b>{_NUM})(?P<bu>{_UNIT})[，,](?:支出)?(?:决算|执行)数?(?:为|是)?"
    rf"(?P<a>{_NUM})(?P<au>{_UNIT})[，,]完成了?(?:年初|全年|调整)?预算(?:数)?的(?P<pct>{_NUM})%")
_VAGUE = re.compile(r"(?:基本|大致|略|大体)$")


def _changes(text: str) -> Iterator[re.Match]:
    """The stated changes whose figure is the subject of the clause. When other amounts come
    before it since the sentence began (or since the last stated change), or it is one item of
    a list (其中：…), which figure the change is about cannot be read."""
    last = 0
    for m in _CHANGE.finditer(text):
        start = max([last] + [text.rfind(mark, 0, m.start()) + 1 for mark in "。；;"])
        before = text[start:m.start()]
        last = m.end()
        if not _AMOUNT.search(before) and not re.search(r"其中|包括|包含|分别", before):
            yield m


def _ambiguous(paragraph, text: str, read: set[int]) -> Iterator[Finding]:
    """``收入总计1,596.64万元，其中：本年收入1,100.24万元，上年结转496.40万元，比上年减少338.52万元，
    下降17.49%``: which figure of the sentence changed cannot be read, but a change and its rate
    fix the current figure, and one of the figures printed before them must be it."""
    for m in _CHANGE.finditer(text):
        if m.start() in read or not m.group("d") or not m.group("pct") or m.group("pct") in _split_numbers(paragraph.text):
            continue
        sign = _direction(m.group("word"))
        if sign not in (1, -1) or _direction(m.group("pword")) != sign:
            continue
        change, change_error = _value(m.group("d"), m.group("du"))
        pct, pct_error = Decimal(m.group("pct").replace(",", "")), 2 * _value(m.group("pct"), "元")[1]
        start = max(text.rfind(mark, 0, m.start()) for mark in "。；;") + 1
        before = [_value(a.group(1), a.group(2)) for a in re.finditer(rf"({_NUM})({_UNIT})", text[start:m.end("cu")])]
        if not change or not pct or any(
                (span := _rate_range(change, change_error + error, amount - sign * change, error + change_error))
                and span[0] - pct_error <= pct <= span[1] + pct_error for amount, error in before):
            continue
        quote = text[start:m.end()][-120:]
        yield Finding("comparison.change", "error",
                      f"第{paragraph.page}页：{m.group('word')}{m.group('d')}{m.group('du')}、{m.group('pword')}{pct}%"
                      f"与句中所列的数字都不相符：“{quote}”",
                      [Side("增减额", change, paragraph.page, paragraph.line, quote),
                       Side("增减率", pct, paragraph.page, paragraph.line, quote)], observed=pct)


_PAIR = re.compile(rf"(?P<word>增加|减少)了?(?P<d>{_NUM})(?P<du>{_UNIT})[，,]?(?P<pword>增长|下降|上升|降低|增幅|降幅|减幅|减少|增加)"
                   rf"(?:了|为)?(?P<pct>{_NUM})\s*%")


def _fitting(pair: re.Match, before: list[tuple[Decimal, Decimal]]) -> bool | None:
    """Whether one of ``before`` is the current figure of the change and rate ``pair`` (None where
    the pair cannot be read: directions that disagree, a change or rate of nothing)."""
    sign = _direction(pair.group("word"))
    change, change_error = _value(pair.group("d"), pair.group("du"))
    pct, pct_error = Decimal(pair.group("pct").replace(",", "")), 2 * _value(pair.group("pct"), "元")[1]
    if sign != _direction(pair.group("pword")) or not change or not pct:
        return None
    return any((span := _rate_range(change, change_error + error, amount - sign * change, error + change_error))
               and span[0] - pct_error <= pct <= span[1] + pct_error for amount, error in before)


def _listed_pairs(paragraph, text: str, read: list[tuple[int, int]]) -> Iterator[Finding]:
    """``与上年相比，财政拨款收入总计增加737.23万元，增长58.81%；财政拨款支出总计增加777.23万元，增长58.81%``:
    changes listed with their rates after the figures they are about. Where the paragraph prints its
    current figures (another pair of it fits one), a pair that fits none is wrong."""
    pairs = [p for p in _PAIR.finditer(text) if not any(a <= p.start() < b for a, b in read)
             and p.group("pct") not in _split_numbers(paragraph.text)]
    amounts = [(a.start(), _value(a.group(1), a.group(2))) for a in re.finditer(rf"({_NUM})({_UNIT})", text)
               if not re.search(r"(?:增加|减少|增长|下降)了?$", text[:a.start()])]
    verdicts = [(p, _fitting(p, [v for start, v in amounts if start < p.start()])) for p in pairs]
    if not any(fits for _, fits in verdicts):
        return
    for pair, fits in verdicts:
        if fits is False:
            quote = text[max(0, pair.start() - 40):pair.end()]
            yield Finding("comparison.change", "error",
                          f"第{paragraph.page}页：{pair.group(0)}与段中此前所列的数字都不相符：“{quote}”",
                          [Side("增减额", _value(pair.group("d"), pair.group("du"))[0], paragraph.page, paragraph.line, quote),
                           Side("增减率", Decimal(pair.group("pct").replace(",", "")), paragraph.page, paragraph.line, quote)])


@rule("comparison.change", "增减额、增减率、完成率、占比与所据的数字相符")
def changes(report: Report) -> Iterator[Finding]:
    yield from shares(report)
    for paragraph, text in _sentences(report):
        yield from _ambiguous(paragraph, text, {m.start() for m in _changes(text)})
        read = [m.span() for m in _CHANGE.finditer(text)] + [m.span() for m in _BARE_CHANGE.finditer(text)]
        yield from _listed_pairs(paragraph, text, read)
    yield from restated_figures(report)
    yield from spending_split_changes(report)
    yield from three_public_changes(report)
    for paragraph, text in _sentences(report):
        yield from _completion(paragraph, text)
        yield from _unanchored(paragraph, text)
        for m in _changes(text):
            if not m.group("d") and not m.group("pct"):
                continue
            cur, cur_error = _value(m.group("cur"), m.group("cu"))
            sign = _direction(m.group("word"))
            quote = m.group(0)
            if m.group("prev"):
                prev, prev_error = _value(m.group("prev"), m.group("pu"))
            elif m.group("d") and sign in (1, -1):
                stated, stated_error = _value(m.group("d"), m.group("du"))
                prev, prev_error = cur - sign * stated, cur_error + stated_error
                if prev < -prev_error:
                    yield Finding("comparison.change", "error",
                                  f"第{paragraph.page}页：本年{m.group('cur')}{m.group('cu')}，却比上年增加"
                                  f"{m.group('d')}{m.group('du')}（上年数将为负）：“{quote}”",
                                  [Side("本年", cur, paragraph.page, paragraph.line, quote),
                                   Side("增减额", stated, paragraph.page, paragraph.line, quote)], expected=cur, observed=stated)
                    continue
            else:
                continue
            if m.group("d") and m.group("prev") and sign in (1, -1) and (cur - prev) * sign >= 0:
                stated, stated_error = _value(m.group("d"), m.group("du"))
                if abs(abs(cur - prev) - stated) > cur_error + prev_error + stated_error:
                    yield Finding("comparison.change", "error",
                                  f"第{paragraph.page}页：{wan(cur)}万元与{wan(prev)}万元相差{wan(abs(cur - prev))}万元，"
                                  f"文中写{m.group('word')}{m.group('d')}{m.group('du')}：“{quote}”",
                                  [Side("本年", cur, paragraph.page, paragraph.line, quote),
                                   Side("比较年度", prev, paragraph.page, paragraph.line, quote),
                                   Side("增减额", stated, paragraph.page, paragraph.line, quote)],
                                  expected=abs(cur - prev), observed=stated)
            if not m.group("pct") or _direction(m.group("pword")) != sign or sign not in (1, -1) or \
                    m.group("pct") in _split_numbers(paragraph.text):
                continue
            if (cur - prev) * sign < 0:
                continue  # the direction itself is wrong: comparison.words says so
            span = _rate_range(abs(cur - prev), cur_error + prev_error, prev, prev_error)
            pct, pct_error = Decimal(m.group("pct").replace(",", "")), 2 * _value(m.group("pct"), "元")[1]  # rounded or cut off
            if not m.group("prev") and abs(prev) <= prev_error and pct not in (0, 100):
                yield Finding("comparison.change", "error",
                              f"第{paragraph.page}页：{m.group('cur')}{m.group('cu')}{m.group('word')}{m.group('d')}{m.group('du')}，"
                              f"比较基数为0，{_rate_name(m.group('pword'))}无从计算，文中写{pct}%：“{quote}”",
                              [Side("本年", cur, paragraph.page, paragraph.line, quote),
                               Side("增减率", pct, paragraph.page, paragraph.line, quote)], expected=Decimal(0), observed=pct)
                continue
            if span and not span[0] - pct_error <= pct <= span[1] + pct_error:
                implied = (abs(cur - prev) / prev * 100).quantize(Decimal("0.01"))
                basis = f"{wan(prev)}万元" if m.group("prev") else f"{wan(prev)}万元（{m.group('cur')}{m.group('cu')}" \
                    f"{'减' if sign == 1 else '加'}{m.group('d')}{m.group('du')}）"
                yield Finding("comparison.change", "error",
                              f"第{paragraph.page}页：本年{m.group('cur')}{m.group('cu')}、比较基数{basis}，"
                              f"{_rate_name(m.group('pword'))}应为{implied}%，文中写{pct}%：“{quote}”",
                              [Side("本年", cur, paragraph.page, paragraph.line, quote),
                               Side("增减率", pct, paragraph.page, paragraph.line, quote)],
                              expected=implied, observed=pct)


_DONE = re.compile(rf"(?P<a>{_NUM})(?P<au>{_UNIT})[，,]?完成了?(?P<blabel>(?:年初|全年|调整)?预算)数?"
                   rf"(?:(?P<b>{_NUM})(?P<bu>{_UNIT}))?的(?P<pct>{_NUM})\s*%")


_BARE_CHANGE = re.compile(rf"(?:^|(?<=[。；;，,：:]))[\u4e00-\u9fff]{{0,2}}(?:比|较|与)(?:上年|去年|上一年|(?:19|20)\d{{2}}年)[^，。；;\d%]{{0,12}}?[，,]?"
                          rf"(?P<word>增加|减少)了?(?P<d>{_NUM})(?P<du>{_UNIT})[，,](?P<pword>增长|下降|上升|降低|增幅|降幅|减幅|减少|增加)"
                          rf"(?:了|为)?(?P<pct>{_NUM})\s*%")


def _unanchored(paragraph, text: str) -> Iterator[Finding]:
    """``…支出23.31万元，主要用于…。与上年相比增加1.26万元，增长26.07%``: the change and its rate
    fix the current figure, which is then one of the amounts printed before them in the paragraph."""
    for m in _BARE_CHANGE.finditer(text):
        sign = _direction(m.group("word"))
        if sign != _direction(m.group("pword")) or m.group("pct") in _split_numbers(paragraph.text) or \
                re.search(rf"(?:{_NUM})(?:{_UNIT})[，,]$", text[:m.start()]):
            continue  # a figure right before: changes() reads it
        change, change_error = _value(m.group("d"), m.group("du"))
        pct, pct_error = Decimal(m.group("pct").replace(",", "")), 2 * _value(m.group("pct"), "元")[1]
        before = [_value(a.group(1), a.group(2)) for a in re.finditer(rf"({_NUM})({_UNIT})", text[:m.start()])]
        if not before or not change or not pct:
            continue
        if any(abs(amount - sign * change) <= error + change_error and pct in (0, 100) or
               (span := _rate_range(change, change_error + error, amount - sign * change, error + change_error))
               and span[0] - pct_error <= pct <= span[1] + pct_error for amount, error in before):
            continue  # one of them is the current figure (a new item's rate printed as 0 or 100%)
        quote = text[max(0, m.start() - 30):m.end()]
        nearest = before[-1][0]
        implied = f"，按{wan(nearest)}万元应为{(change / (nearest - sign * change) * 100).quantize(Decimal('0.01'))}%" \
            if nearest - sign * change > 0 else ""
        yield Finding("comparison.change", "error",
                      f"第{paragraph.page}页：{m.group('word')}{m.group('d')}{m.group('du')}、{m.group('pword')}{pct}%"
                      f"与前文的本年数字都不相符{implied}：“{quote}”",
                      [Side("增减额", change, paragraph.page, paragraph.line, quote),
                       Side("增减率", pct, paragraph.page, paragraph.line, quote)], observed=pct)


def _done(paragraph, text: str) -> Iterator[Finding]:
    """``支出0万元，完成全年预算的4%`` (nothing spent is 0%); ``决算0.16万元，完成预算0万元的6%``
    (a rate of no budget); ``决算90万元，完成预算100万元的95%``."""
    for m in _DONE.finditer(text):
        done, done_error = _value(m.group("a"), m.group("au"))
        pct, pct_error = Decimal(m.group("pct").replace(",", "")), 2 * _value(m.group("pct"), "元")[1]
        where = [Side("决算", done, paragraph.page, paragraph.line, m.group(0)),
                 Side("完成率", pct, paragraph.page, paragraph.line, m.group(0))]
        if done == 0 and pct != 0:
            yield Finding("comparison.change", "error", f"第{paragraph.page}页：支出为0，完成率却是{pct}%：“{m.group(0)}”",
                          where, expected=Decimal(0), observed=pct)
            continue
        if not m.group("b"):
            continue
        budget, budget_error = _value(m.group("b"), m.group("bu"))
        span = _rate_range(done, done_error, budget, budget_error)
        if budget == 0 and pct not in (0, 100) or span and not span[0] - pct_error <= pct <= span[1] + pct_error:
            implied = "无从计算" if budget == 0 else f"应为{(done / budget * 100).quantize(Decimal('0.01'))}%"
            yield Finding("comparison.change", "error",
                          f"第{paragraph.page}页：{m.group('a')}{m.group('au')}占{m.group('blabel')}{m.group('b')}"
                          f"{m.group('bu')}的比率{implied}，文中写{pct}%：“{m.group(0)}”", where, observed=pct)


def _completion(paragraph, text: str) -> Iterator[Finding]:
    yield from _done(paragraph, text)
    for m in _COMPLETED.finditer(text):
        done, done_error = _value(m.group("a"), m.group("au"))
        budget, budget_error = _value(m.group("b"), m.group("bu"))
        span = _rate_range(done, done_error, budget, budget_error)
        pct, pct_error = Decimal(m.group("pct").replace(",", "")), 2 * _value(m.group("pct"), "元")[1]
        if span and not span[0] - pct_error <= pct <= span[1] + pct_error:
            implied = (done / budget * 100).quantize(Decimal("0.01"))
            yield Finding("comparison.change", "error",
                          f"第{paragraph.page}页：决算{m.group('a')}{m.group('au')}是{m.group('blabel')}{m.group('b')}{m.group('bu')}的"
                          f"{implied}%，文中写完成{pct}%：“{m.group(0)}”",
                          [Side("决算", done, paragraph.page, paragraph.line, m.group(0)),
                           Side(m.group("blabel"), budget, paragraph.page, paragraph.line, m.group(0))],
                          expected=implied, observed=pct)


_VERSUS = re.compile(r"(?P<a>[\u4e00-\u9fff]{0,6}?(?:决算|预算|执行)数?)(?P<cmp>大于|小于|等于|高于|低于|超过|少于|多于|持平于?|相等于?)"
                     r"(?P<b>[\u4e00-\u9fff]{0,6}?(?:决算|预算|执行)数?)")
_GREATER, _LESS, _EQUAL = ("大于", "高于", "超过", "多于"), ("小于", "低于", "少于"), ("等于", "持平", "持平于", "相等", "相等于")
_LABELLED = re.compile(rf"(?P<label>[\u4e00-\u9fff]{{1,8}}?)(?:数)?(?:为|是)?(?P<num>{_NUM})(?P<unit>{_UNIT})")


def _core(term: str) -> str:
    for core in ("年初预算", "全年预算", "决算", "执行", "预算"):
        if core in term:
            return core
    return term


def _labelled(window: str, core: str) -> list[tuple[str, str, str]]:
    """The amounts of ``window`` whose label names ``core`` (a 预算 label must not be a 决算's)."""
    found = []
    for m in _LABELLED.finditer(window):
        label = m.group("label")
        if core in label and not (core == "预算" and re.search(r"决算|执行", label)):
            found.append((label, m.group("num"), m.group("unit")))
    return found


@rule("comparison.words", "大于/小于/等于/增加/减少等用语与所比较的两个数字相符，增减额与增减率方向一致")
def words(report: Report) -> Iterator[Finding]:
    yield from directions(report)
    yield from components(report)
    yield from reasons(report)
    yield from restated_directions(report)
    for paragraph, text in _sentences(report):
        for m in _VERSUS.finditer(text):
            start = text.rfind("。", 0, max(0, text.rfind("。", 0, m.start())))
            window = text[start + 1:m.start()]
            a_core, b_core = _core(m.group("a")), _core(m.group("b"))
            if a_core == b_core:
                continue
            a, b = _labelled(window, a_core), _labelled(window, b_core)
            if len(a) != 1 or len(b) != 1:
                continue
            (a_label, a_num, a_unit), (b_label, b_num, b_unit) = a[0], b[0]
            a_value, a_error = _value(a_num, a_unit)
            b_value, b_error = _value(b_num, b_unit)
            gap, error = a_value - b_value, a_error + b_error
            word = m.group("cmp")
            wrong = word in _GREATER and gap <= error or word in _LESS and gap >= -error or \
                word in _EQUAL and abs(gap) > error
            if wrong:
                quote = window[-60:] + m.group(0)
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：{a_label}{a_num}{a_unit}、{b_label}{b_num}{b_unit}，"
                              f"文中却说“{m.group(0)}”",
                              [Side(a_label, a_value, paragraph.page, paragraph.line, quote),
                               Side(b_label, b_value, paragraph.page, paragraph.line, quote)],
                              expected=b_value, observed=a_value)
        for m in _changes(text):
            if not m.group("prev") or _VAGUE.search(text[:m.start("word")]):
                continue
            cur, cur_error = _value(m.group("cur"), m.group("cu"))
            prev, prev_error = _value(m.group("prev"), m.group("pu"))
            sign, gap, error = _direction(m.group("word")), cur - prev, cur_error + prev_error
            wrong = sign == 1 and gap < -error or sign == -1 and gap > error or sign == 0 and abs(gap) > error
            if wrong:
                right = "增加" if gap > error else "减少" if gap < -error else "持平"
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：{wan(cur)}万元比{wan(prev)}万元应为{right}，文中写“{m.group('word')}”："
                              f"“{m.group(0)}”",
                              [Side("本年", cur, paragraph.page, paragraph.line, m.group(0)),
                               Side("比较年度", prev, paragraph.page, paragraph.line, m.group(0))],
                              expected=prev, observed=cur)
