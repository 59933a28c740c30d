from decimal import Decimal

import pytest

from search.ask.numbers import chinese_to_decimal, comparison


@pytest.mark.parametrize("text,operator,value,unit", [
    ("哪些项目执行率低于60%", "<", "60", "%"),
    ("执行率不足六成的项目", "<", "60", "%"),
    ("执行率低于百分之六十", "<", "60", "%"),
    ("执行率小于0.6", "<", "0.6", None),
    ("预算超过50万元的项目", ">", "500000", "元"),
    ("预算超过50万的项目", ">", "500000", "元"),
    ("预算大于500000元", ">", "500000", "元"),
    ("得分90分以上", ">=", "90", "分"),
    ("执行率不低于百分之八十", ">=", "80", "%"),
    ("预算一百万以上", ">=", "1000000", "元"),
    ("执行率未达到８０％", "<", "80", "%"),
    ("执行率为100%的项目", "=", "100", "%"),
])
def test_comparisons(text, operator, value, unit):
    found = comparison(text)
    assert (found.operator, found.value.value, found.value.unit) == (operator, Decimal(value), unit)


def test_between():
    found = comparison("执行率在50%到80%之间的项目")
    assert found.operator == "between" and (found.value.value, found.upper.value) == (50, 80)


@pytest.mark.parametrize("text,value,scale,admitted", [
    ("增长超过100%的科目", Decimal("100.5"), 1, True),
    ("增长超过100%的科目", Decimal("100"), 1, False),
    ("执行率在50%到80%之间的项目", Decimal("80"), 1, True),
    ("执行率在50%到80%之间的项目", Decimal("49.9"), 1, False),
    ("收入预算超过3亿的部门", Decimal("310000000"), 1, True),
    ("支出超过3000的单位", Decimal("29000000"), 10000, False),  # a bare 3000 counts 万元 against 元
    ("支出超过3000的单位", Decimal("31000000"), 10000, True),
    ("得分为100分的项目", Decimal("100"), 1, True),
])
def test_admits(text, value, scale, admitted):
    assert comparison(text).admits(value, scale) is admitted


@pytest.mark.parametrize("text,value", [("六十", 60), ("一百二十", 120), ("一百万", 1000000), ("三点五", Decimal("3.5")),
                                        ("两千零五", 2005)])
def test_chinese_numerals(text, value):
    assert chinese_to_decimal(text) == Decimal(value)
