"""Numbers and money as printed in reports → exact ``Decimal`` values in 元."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from kg.model import Amount

UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000), "千元": Decimal(1000),
                "万": Decimal(10000)}

_NUMBER = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-−]?\d+(?:\.\d+)?$|^\.\d+$")
_PAREN_NEG = re.compile(r"^[（(]\s*(\d[\d,]*\.?\d*)\s*[)）]$")
_UNIT_DECL = re.compile(r"(?:金额)?单位[:：]\s*(亿元|万元|千元|元)")
_INLINE_UNIT = re.compile(r"[（(]\s*(亿元|万元|千元|元)\s*[)）]")
#: an amount as prose states it: 7,072万元, 0.3 亿元
PROSE_AMOUNT = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)")
_EMBEDDED = re.compile(r"(?P<num>[-−]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元|万)(?![\u4e00-\u9fff]*[/／])")

EMPTY_MARKS = {"", "-", "—", "——", "–", "/", "／", "无", "*", "…"}


def parse_number(text: str | None) -> Decimal | None:
    """'1,735.92' → Decimal('1735.92'); '(3.5)' → -3.5; dashes and blanks → None."""
    if text is None:
        return None
    text = text.strip().replace(" ", "").replace("−", "-").replace("，", ",")
    if text in EMPTY_MARKS:
        return None
    neg = _PAREN_NEG.match(text)
    if neg:
        text = "-" + neg.group(1)
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def is_number(text: str | None) -> bool:
    return parse_number(text) is not None


def to_amount(text: str | None, unit: str, page: int | None = None, line: int | None = None) -> Amount | None:
    """A printed cell in ``unit`` (万元/元/…) → ``Amount`` in 元, or ``None`` if not a number."""
    value = parse_number(text)
    if value is None:
        return None
    return Amount(value * UNIT_FACTORS[unit], text.strip(), unit, page, line)


def amount_from_text(text: str, page: int | None = None, line: int | None = None) -> Amount | None:
    """'50 万元' / '115,000元' / '41.034万元' → Amount; ``None`` if no money figure."""
    match = _EMBEDDED.search(text or "")
    if not match:
        return None
    unit = "万元" if match.group("unit") == "万" else match.group("unit")
    return to_amount(match.group("num"), unit, page, line)


def declared_unit(text: str) -> str | None:
    """The unit a line declares: '单位：万元', '金额单位：元', '项目资金（元）'."""
    match = _UNIT_DECL.search(text) or _INLINE_UNIT.search(text)
    return match.group(1) if match else None


def wan(value: Decimal) -> Decimal:
    """元 → 万元 (exact)."""
    return value / Decimal(10000)
