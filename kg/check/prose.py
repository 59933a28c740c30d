"""Figures as the prose states them: numbers with their units and printed precision, the
direction words of a change, and the rates the printed figures allow. Shared by the rules that
read comparisons, changes and shares in the text."""
from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.amounts import UNIT_FACTORS
from kg.extract.normalize import squash
from kg.model import Report

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"万元|亿元|元"
_UP, _DOWN, _SAME = ("增加", "增长", "上升", "提高", "多", "增幅", "涨幅"), ("减少", "下降", "降低", "减", "少", "降幅", "减幅"), \
    ("持平", "相同", "一致", "相等")


def _value(number: str, unit: str) -> tuple[Decimal, Decimal]:
    """The value in 元 and half a unit of its last printed digit."""
    digits = number.replace(",", "")
    places = len(digits.split(".")[1]) if "." in digits else 0
    factor = UNIT_FACTORS[unit]
    return Decimal(digits) * factor, factor / (Decimal(10) ** places) / 2


def _sentences(report: Report):
    for section in report.sections:
        for paragraph in section.paragraphs:
            yield paragraph, squash(paragraph.text)


_AMOUNT = re.compile(rf"(?:{_NUM})(?:{_UNIT})")


def _split_numbers(raw: str) -> set[str]:
    """Numbers printed with a gap inside (``81 6 %``: the reader lost a decimal point), as squashed."""
    return {re.sub(r"\s+", "", n) for n in re.findall(r"\d+(?:\s+\d+)+(?=\s*[%％])", raw)}


def _rate_name(word: str) -> str:
    return word if word.endswith("幅") else word + "率"  # 增幅, 下降率


def _direction(word: str | None) -> int | None:
    if word is None:
        return None
    return 1 if word in _UP else -1 if word in _DOWN else 0 if word in _SAME else None


def _rate_range(change: Decimal, change_error: Decimal, base: Decimal, base_error: Decimal) -> tuple[Decimal, Decimal] | None:
    """The smallest and largest percentage change/base the printed figures allow."""
    if base - base_error <= 0:
        return None
    low = max(change - change_error, Decimal(0)) / (base + base_error) * 100
    high = (change + change_error) / (base - base_error) * 100
    return low, high


def _fits(part: Decimal, part_error: Decimal, pct: Decimal, pct_error: Decimal, total: Decimal, total_error: Decimal) -> bool:
    span = _rate_range(part, part_error, total, total_error)
    return span is not None and span[0] - pct_error <= pct <= span[1] + pct_error
