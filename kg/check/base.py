"""Findings and the rule interface of consistency checks.

A rule reads one ``Report`` and yields ``Finding``s: the figures compared, the difference,
and where each side is printed (report, page, what). Tolerances follow the printed
precision: amounts printed to 0.01万元 may differ by rounding, by up to half a unit of
the last digit per summand, and that is not an error.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

from kg.model import Amount, Report

SEVERITIES = ("error", "warning", "info")


@dataclass
class Side:
    """One side of a comparison: what was read, its value and where."""

    what: str
    value: Decimal | None = None
    page: int | None = None
    line: int | None = None
    text: str = ""


@dataclass
class Finding:
    rule: str
    severity: str  # error | warning | info
    message: str  # Chinese, one sentence
    sides: list[Side] = field(default_factory=list)
    expected: Decimal | None = None
    observed: Decimal | None = None
    entity: str | None = None  # project name or table title the finding is about

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.observed is None:
            return None
        return self.observed - self.expected

    @property
    def pages(self) -> list[int]:
        return sorted({s.page for s in self.sides if s.page})


Rule = Callable[[Report], Iterator[Finding]]
RULES: dict[str, tuple[str, Rule]] = {}


def rule(rule_id: str, description: str):
    """Register a rule under ``rule_id`` with a Chinese description."""
    def wrap(function: Rule) -> Rule:
        RULES[rule_id] = (description, function)
        return function
    return wrap


def precision(amount: Amount) -> Decimal:
    """One unit of the last printed digit, in 元 ('452.76' 万元 → 100 元)."""
    return _precision(amount.printed, amount.unit)


@lru_cache(maxsize=4096)
def _precision(printed: str | None, unit: str) -> Decimal:
    """``precision`` of a printed form and unit: the column-relation search of the grid rules
    asks it millions of times for a few thousand distinct values."""
    printed = (printed or "").replace(",", "")
    decimals = len(printed.split(".", 1)[1]) if "." in printed else 0
    from kg.extract.amounts import UNIT_FACTORS

    return UNIT_FACTORS.get(unit, Decimal(1)) / (Decimal(10) ** decimals)


def tolerance(total: Amount, parts: list[Amount]) -> Decimal:
    """How far a printed total may differ from the sum of printed parts by rounding alone.

    Each printed value may be off by half a unit of its last digit. The finest precision
    among the values is taken for all of them: a table printing 2.73 next to 8 means 8.00,
    not a number rounded to whole 万元."""
    unit = min(precision(a) for a in [total, *parts])
    return unit * max(1, (len(parts) + 1)) / 2


def wan(value: Decimal | None) -> str:
    if value is None:
        return "?"
    return format((value / 10000).quantize(Decimal("0.0001")).normalize(), "f")


def side(what: str, amount: Amount | None, text: str = "") -> Side:
    return Side(what, amount.value if amount else None, amount.page if amount else None,
                amount.line if amount else None, text)


def differs(a: Amount, b: Amount) -> bool:
    """Two printed amounts differ by more than rounding."""
    return abs(a.value - b.value) > tolerance(a, [b])


def differs_as_printed(table: Amount, text: Amount) -> bool:
    """A figure quoted in prose differs from the table beyond the rounding of either print:
    prose rounds (7,072万元 for 7,071.6064万元; 6,210.93 for 62,109,297元)."""
    return abs(table.value - text.value) > (precision(table) + precision(text)) / 2


def figure(report: Report, key: str, source: str = "table"):
    """The first figure ``key`` from ``source`` (table or text) that has an amount."""
    return next((f for f in report.figures if f.key == key and f.source == source and f.amount is not None), None)
