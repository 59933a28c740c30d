"""Parts stated with their total add up to it: the 三公 parts, stated one paragraph each, to the
三公 total (their changes to its change, their figures to its figure); the changes of 基本支出 and
项目支出 given as the reason for the change of the whole 支出, to that change.

``2026年财政拨款“三公”经费预算299.23万元，较2025年年初预算增加120.00万元`` is followed, item by
item, by ``因公出国（境）费用…较2025年年初预算增加118.80万元``, ``公务接待费…增加0.00万元``,
``公务用车购置费…增加6.00万元``, ``公务用车运行维护费…减少4.80万元``: 118.80 + 0 + 6.00 − 4.80 =
120.00. Each part's change, with its direction word, is read wherever the report states it
(``与上年预算数相同`` is no change); the sum is compared only when every part — 因公出国, 公务接待
and 公务用车 (as one figure or as 购置 and 运行) — is stated against the same year as the total.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, wan
from kg.check.prose import _NUM, _UNIT, _direction, _sentences, _value
from kg.check.restated import _base
from kg.model import Report

_STATEMENT = re.compile(
    rf"(?P<cur>{_NUM})(?P<cu>{_UNIT})[，,]?(?:[（(][^）)]{{0,30}}[)）])?[，,]?(?:比|较|与|同)(?P<base>上年度?|上一年|去年|(?:19|20)\d{{2}}年度?|年初预算|预算)"
    rf"(?P<label>[^，。；;\d%（(]{{0,16}}?)[，,]?(?P<word>增加|减少|持平|相同|一致|相等)了?(?:(?P<d>{_NUM})(?P<du>{_UNIT}))?")
_TOPIC = re.compile(r"三公|因公出国|接待|(?:车辆?)?购置(?:及|和)运行|机关运行|车辆?购置|购置费|车辆?运行|运行维护")
_PARTS = {"因公出国": "overseas", "接待": "reception", "购置及运行": "vehicles", "购置和运行": "vehicles",
          "车购置": "purchase", "车辆购置": "purchase", "购置费": "purchase", "车运行": "operation",
          "车辆运行": "operation", "运行维护": "operation", "机关运行": "other"}


def _changes(report: Report) -> list[tuple]:
    """(topic, comparison, signed change, its rounding, paragraph, quote, current figure, its
    rounding) of every 三公 statement."""
    found = []
    for paragraph, text in _sentences(report):
        last = 0
        for m in _STATEMENT.finditer(text):
            topics = _TOPIC.findall(text, last, m.start())
            last = m.end()
            sign = _direction(m.group("word"))
            if not topics or sign is None or sign and not m.group("d"):
                continue
            change, error = _value(m.group("d"), m.group("du")) if sign else (Decimal(0), Decimal(0))
            topic = "total" if topics[-1] == "三公" else _PARTS[re.sub(r"^车辆?(?=购置[及和])", "", topics[-1])]
            base = _base(m.group("base").replace("年度", "年"), m.group("label"), report.year)
            found.append((topic, base, sign * change, error, paragraph, m.group(0), *_value(m.group("cur"), m.group("cu"))))
    return found


def _totals_with_parts(report: Report) -> Iterator[tuple[tuple, list[tuple]]]:
    """Each 三公 total statement with the statements of all its parts against the same year."""
    changes = _changes(report)
    for total in changes:
        if total[0] != "total":
            continue
        parts: dict[str, tuple] = {}
        for item in changes:
            if item[0] not in ("total", "other") and item[1] == total[1]:
                parts.setdefault(item[0], item)
        if "vehicles" not in parts and {"purchase", "operation"} <= parts.keys():
            chosen = [parts["overseas"], parts["reception"], parts["purchase"], parts["operation"]] \
                if {"overseas", "reception"} <= parts.keys() else []
        else:
            chosen = [parts[k] for k in ("overseas", "reception", "vehicles") if k in parts]
            chosen = chosen if len(chosen) == 3 else []
        if chosen:
            yield total, chosen


def _where(chosen: list[tuple]) -> str:
    return "；".join(f"第{c[4].page}页“{c[5]}”" for c in chosen)


def three_public_changes(report: Report) -> Iterator[Finding]:
    """The parts' changes add up to the total's change."""
    for (_, base, total, total_error, paragraph, quote, *_), chosen in _totals_with_parts(report):
        observed = sum((c[2] for c in chosen), Decimal(0))
        if abs(observed - total) <= total_error + sum((c[3] for c in chosen), Decimal(0)):
            continue
        yield Finding("comparison.change", "error",
                      f"第{paragraph.page}页：“三公”经费与{base}相比变动{wan(total)}万元，各分项变动之和为{wan(observed)}万元："
                      f"“{quote}”；" + _where(chosen),
                      [Side("“三公”经费变动", total, paragraph.page, paragraph.line, quote),
                       *[Side("分项变动", c[2], c[4].page, c[4].line, c[5]) for c in chosen]],
                      expected=observed, observed=total)


def three_public_sums(report: Report) -> Iterator[Finding]:
    """The parts' figures, stated one paragraph each, add up to the total's."""
    for (*_, paragraph, quote, current, current_error), chosen in _totals_with_parts(report):
        stated = sum((c[6] for c in chosen), Decimal(0))
        if abs(stated - current) <= current_error + sum((c[7] for c in chosen), Decimal(0)):
            continue
        yield Finding("narrative.parts", "error",
                      f"第{paragraph.page}页：“三公”经费{wan(current)}万元，各分项所述之和为{wan(stated)}万元：“{quote}”；"
                      + _where(chosen),
                      [Side("“三公”经费", current, paragraph.page, paragraph.line, quote),
                       *[Side("分项", c[6], c[4].page, c[4].line, c[5]) for c in chosen]],
                      expected=stated, observed=current)


_SIDE = r"(?P<{0}>基本支出|项目支出)(?:预算)?(?:数)?(?P<{0}w>增加|减少)了?(?P<{0}d>{1})(?P<{0}u>{2})"
_SPENDING_SPLIT = re.compile(
    rf"(?P<subject>[\u4e00-\u9fff]{{0,12}})(?:比|较)(?P<base>上年度?|上一年|去年|(?:19|20)\d{{2}}年度?)[^，。；;\d]{{0,8}}?"
    rf"(?P<word>增加|减少)了?(?P<d>{_NUM})(?P<du>{_UNIT})[，,]?(?:主要(?:是|原因是|为|系)|其中)[：:，,]?"
    + _SIDE.format("a", _NUM, _UNIT) + r"[，,、；;]?" + _SIDE.format("b", _NUM, _UNIT))


def spending_split_changes(report: Report) -> Iterator[Finding]:
    """支出比上年减少X万元，主要是基本支出增加A万元，项目支出减少B万元: 基本支出 and 项目支出 are the
    whole of 支出, so their signed changes add up to X."""
    for paragraph, text in _sentences(report):
        for m in _SPENDING_SPLIT.finditer(text):
            subject = m.group("subject")
            if not subject.endswith(("支出", "支出预算", "支出总额", "支出总计")) or re.search(r"基本|项目|财政拨款|一般公共|基金", subject) \
                    or m.group("a") == m.group("b"):
                continue
            total, error = _value(m.group("d"), m.group("du"))
            total *= _direction(m.group("word"))
            parts = [(_direction(m.group(k + "w")), *_value(m.group(k + "d"), m.group(k + "u"))) for k in "ab"]
            observed = sum((sign * value for sign, value, _ in parts), Decimal(0))
            if abs(observed - total) <= error + sum((e for *_, e in parts), Decimal(0)):
                continue
            yield Finding("comparison.change", "error",
                          f"第{paragraph.page}页：支出变动{wan(total)}万元，而其原因所列{m.group('a')}与{m.group('b')}的变动之和为"
                          f"{wan(observed)}万元：“{m.group(0)}” / a change ≠ the changes of its two parts",
                          [Side("支出变动", total, paragraph.page, paragraph.line, m.group(0)),
                           *[Side(f"{m.group(k)}变动", sign * value, paragraph.page, paragraph.line, m.group(0))
                             for k, (sign, value, _) in zip("ab", parts)]],
                          expected=observed, observed=total)
