"""Numbers, comparisons and ranges as people write them in questions.

``60%``, ``百分之六十``, ``六成``, ``0.6``, ``50万元``, ``50万``, ``500000元``, ``一百万``,
``低于/不足/未达到``, ``在50%到80%之间`` …
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kg.extract.normalize import ascii_digits

ADDING = "合计|加起来|合起来|加在一起|相加|之和|总和|一共|共计|总共|加总"
"""The words that ask for a sum (``A和B加起来``, ``两项合计``, ``品目金额加总``): one list for every
reading of a sum; each adds the words only its own questions use that way (``总额``, ``累计``)."""

ASKS_YUAN = re.compile(r"多少元|几元|(?<!万)元[？?]?$")
"""A figure asked in 元 (多出多少元): answered in 元 beside 万元."""

FALLING = "减少|下降|降低|压减|少了"
"""The words that say a figure fell against another (比上年减少了): the direction a change is asked in."""

_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMBER = rf"[{_DIGITS}十百千万亿点]+"
_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_to_decimal(text: str) -> Decimal | None:
    """'六十' → 60, '一百二十' → 120, '一百万' → 1000000, '三点五' → 3.5."""
    if not text or any(c not in _CN_VALUES and c not in "十百千万亿点" for c in text):
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        base = chinese_to_decimal(whole) if whole else Decimal(0)
        digits = "".join(str(_CN_VALUES.get(c, "")) for c in frac)
        return None if base is None or not digits else base + Decimal("0." + digits)
    total, section, number = Decimal(0), Decimal(0), Decimal(0)
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in text:
        if ch in _CN_VALUES:
            number = Decimal(_CN_VALUES[ch])
        elif ch in units:
            section += (number or 1) * units[ch]
            number = Decimal(0)
        elif ch == "万":
            total += (section + number) * 10000
            section = number = Decimal(0)
        elif ch == "亿":
            total = (total + section + number) * 100000000
            section = number = Decimal(0)
    return total + section + number


@dataclass
class Quantity:
    value: Decimal
    unit: str | None  # "%", "元", "分", None
    span: tuple[int, int]


_NUMBER = re.compile(
    rf"(?P<pct>百分之(?P<pctn>{_CN_NUMBER}|\d+(?:\.\d+)?))"
    rf"|(?P<cheng>(?P<chengn>[{_DIGITS}]|\d)成(?P<half>半)?)"
    rf"|(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>%|％|万元|亿元|元|万|亿|分|个|人|辆|平方米)?"
    rf"|(?P<cn>{_CN_NUMBER})\s*(?P<cnunit>万元|亿元|元|万|亿|分|个|%)"
)


def quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` with its unit, money normalised to 元, percents to percent."""
    out: list[Quantity] = []
    for m in _NUMBER.finditer(ascii_digits(text)):
        if m.group("pct"):
            raw = m.group("pctn")
            value = chinese_to_decimal(raw) if not raw[0].isdigit() else Decimal(raw)
            if value is not None:
                out.append(Quantity(value, "%", m.span()))
        elif m.group("cheng"):
            raw = m.group("chengn")
            value = Decimal(raw) if raw.isdigit() else chinese_to_decimal(raw)
            if value is not None:
                out.append(Quantity(value * 10 + (5 if m.group("half") else 0), "%", m.span()))
        elif m.group("num"):
            value = Decimal(m.group("num").replace(",", ""))
            unit = m.group("unit")
            out.append(_with_unit(value, unit, m.span()))
        elif m.group("cn"):
            value = chinese_to_decimal(m.group("cn"))
            if value is not None:
                out.append(_with_unit(value, m.group("cnunit"), m.span()))
    return out


def _with_unit(value: Decimal, unit: str | None, span: tuple[int, int]) -> Quantity:
    if unit in ("%", "％"):
        return Quantity(value, "%", span)
    if unit in ("万元", "万"):
        return Quantity(value * 10000, "元", span)
    if unit in ("亿元", "亿"):
        return Quantity(value * 100000000, "元", span)
    return Quantity(value, unit, span)


# comparator words → (operator); checked longest first
COMPARATORS = [
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("大于等于", ">="), ("大于或等于", ">="),
    ("以上", ">="), ("及以上", ">="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="), ("至多", "<="),
    ("小于等于", "<="), ("小于或等于", "<="), ("及以下", "<="), ("以下", "<="), ("低于", "<"), ("小于", "<"),
    ("不足", "<"), ("未达到", "<"), ("没有拿到", "<"), ("没拿到", "<"), ("未拿到", "<"), ("没有达到满分", "<"), ("未达", "<"), ("没达到", "<"), ("没有达到", "<"), ("不到", "<"), ("少于", "<"),
    ("高于", ">"), ("超过", ">"), ("大于", ">"), ("多于", ">"), ("超出", ">"), ("等于", "="), ("达到", ">="),
    ("<=", "<="), (">=", ">="), ("≤", "<="), ("≥", ">="), ("<", "<"), (">", ">"), ("=", "="),
]
_COMPARATOR_WORDS = sorted(COMPARATORS, key=lambda c: -len(c[0]))
_BETWEEN = re.compile(r"(?:在|介于)?(?P<a>[^在介于到至和与之间]{1,12}?)(?:到|至|和|与|~|-|—)(?P<b>[^之间]{1,12}?)之间")


@dataclass
class Comparison:
    operator: str  # "<", "<=", ">", ">=", "=", "between"
    value: Quantity
    upper: Quantity | None = None
    span: tuple[int, int] = (0, 0)

    def admits(self, value, scale: int = 1) -> bool:
        """Whether ``value`` meets the comparison, its bounds multiplied by ``scale`` (10000 when a
        bare number in the question counts 万元 against figures held in 元)."""
        low = self.value.value * scale
        if self.operator == "between":
            return self.upper is not None and low <= value <= self.upper.value * scale
        return {"<": value < low, "<=": value <= low, ">": value > low, ">=": value >= low,
                "=": value == low}.get(self.operator, False)

    def admits_yuan(self, value) -> bool:
        """``admits`` for an amount in 元, a bare number in the question counting 万元 (超过3000的单位)."""
        return self.admits(value, 10000 if self.value.unit is None else 1)


def comparison(text: str) -> Comparison | None:
    """The first comparison in ``text``: '执行率低于60%' → < 60 %; '在50%到80%之间' → between."""
    text = ascii_digits(text)
    between = _BETWEEN.search(text)
    if between:
        low, high = quantities(between.group("a")), quantities(between.group("b"))
        if low and high:
            a, b = low[-1], high[0]
            if a.unit is None and b.unit:
                a = Quantity(a.value * (10000 if b.unit == "元" and between.group("b").find("万") >= 0 else 1), b.unit, a.span)
            return Comparison("between", a, b, between.span())
    found = quantities(text)
    full = re.search(r"满分(\d+)?", text)
    if full and not any(text.find(w) >= 0 for w, _ in _COMPARATOR_WORDS):  # 得了满分100分: the score equals the full marks
        marks = [q for q in found if q.span[0] == full.end(1)] if full.group(1) else []
        return Comparison("=", marks[0] if marks else Quantity(Decimal(100), "分", full.span()), span=full.span())
    equal = re.search(r"(?:为|是|等于|达到了)\s*(?=\d)", text)
    if equal:
        after = [q for q in found if q.span[0] == equal.end()]
        if after and not any(text.find(w) >= 0 for w, _ in _COMPARATOR_WORDS if len(w) > 1 and w not in ("达到",)):
            return Comparison("=", after[0], span=(equal.start(), after[0].span[1]))
    for word, operator in _COMPARATOR_WORDS:
        start = text.find(word)
        if start < 0:
            continue
        after = [q for q in found if q.span[0] >= start + len(word) and q.span[0] - (start + len(word)) <= 6]
        before = [q for q in found if q.span[1] <= start and start - q.span[1] <= 2]
        if word in ("以上", "及以上", "以下", "及以下") and before:
            return Comparison(operator, before[-1], span=(before[-1].span[0], start + len(word)))
        if after:
            return Comparison(operator, after[0], span=(start, after[0].span[1]))
    return None
