"""The mutation operators of bench/check_mutations.py on a tiny constructed document."""
from __future__ import annotations

import random
import re

import pytest

from bench.check_mutations import CN_NUMBERS, OPERATORS, apply, mutations, perturb_number
from kg.extract.layout import RawDocument, Table, TextLine
from kg.model import SourceFile

UNIT = "某市统计局"


def document() -> RawDocument:
    lines = [
        TextLine(f"{UNIT}2026年部门预算", page=1, line=1),
        TextLine("一、收入预算情况说明", page=2, line=2),
        TextLine(f"{UNIT}2026年收入预算1,234.56万元，比2025年预算增加20.00万元，增长1.6%。", page=2, line=3),
        TextLine("二、支出预算情况说明", page=3, line=4),
        TextLine("截至2025年底，共有车辆3辆。", page=3, line=5),
    ]
    table = Table([["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                   ["201", "一般公共服务支出", "1,000.00", "600.00", "400.00"],
                   ["205", "教育支出", "234.56", "234.56", "0.00"],
                   ["", "合计", "1,234.56", "834.56", "400.00"]],
                  row_pages=[4, 4, 4, 4], row_lines=[6, 7, 8, 9])
    return RawDocument(SourceFile("constructed.pdf", "0" * 64, "pdf", pages=4), [*lines, table])


def changed_texts(before: RawDocument, after: RawDocument) -> list[tuple[str, str]]:
    pairs = []
    for old, new in zip(before.blocks, after.blocks):
        if isinstance(old, Table):
            pairs += [(a, b) for ra, rb in zip(old.rows, new.rows) for a, b in zip(ra, rb) if a != b]
        elif old.text != new.text:
            pairs.append((old.text, new.text))
    return pairs


@pytest.mark.parametrize("kind", list(OPERATORS))
def test_every_operator_changes_the_document(kind):
    doc = document()
    found = OPERATORS[kind](doc, random.Random(0), UNIT)
    assert found, kind
    for mutation in found:
        mutant = apply(doc, mutation)
        assert changed_texts(doc, mutant), mutation
        assert changed_texts(doc, document()) == []  # the original is left alone


def only_change(kind: str, index: int = 0) -> tuple[str, str]:
    doc = document()
    mutation = OPERATORS[kind](doc, random.Random(0), UNIT)[index]
    return changed_texts(doc, apply(doc, mutation))[0]


def test_narrative_figure_changes_an_amount_in_prose():
    old, new = only_change("narrative_figure")
    assert "1,234.56万元" in old and "1,234.56万元" not in new
    assert re.search(r"[\d,]+\.\d\d万元，比2025年", new)


def test_comparison_word_swaps_direction():
    old, new = only_change("comparison_word")
    assert old.replace("增加", "减少") == new or old.replace("增长", "下降") == new


def test_year_moves_by_one():
    old, new = only_change("year")
    assert old == f"{UNIT}2026年部门预算" and new in {f"{UNIT}2025年部门预算", f"{UNIT}2027年部门预算"}


def test_placeholders():
    old, new = only_change("placeholder")
    assert UNIT in old and UNIT not in new and re.search("XX|××", new)
    old, new = only_change("placeholder_figure")
    assert re.search(r"(?:XX|××)万元", new)


def test_numbering_swaps_numbers_not_text():
    doc = document()
    mutation = OPERATORS["numbering"](doc, random.Random(0), UNIT)[0]
    assert changed_texts(doc, apply(doc, mutation)) == [("一、收入预算情况说明", "二、收入预算情况说明"),
                                                        ("二、支出预算情况说明", "一、支出预算情况说明")]


def test_table_operators():
    doc = document()
    blank = OPERATORS["table_row_blank"](doc, random.Random(0), UNIT)
    assert {m.token for m in blank} == {"一般公共服务支出", "教育支出"}
    assert changed_texts(doc, apply(doc, blank[0])) == [("1,000.00", ""), ("600.00", ""), ("400.00", "")]
    totals = OPERATORS["table_total"](doc, random.Random(0), UNIT)
    assert {m.edits[0].row for m in totals} == {3}
    cells = OPERATORS["table_cell"](doc, random.Random(0), UNIT)
    assert {m.edits[0].row for m in cells} == {1, 2} and all(m.pages == (4,) for m in cells)


def test_percentage_changes_the_percent_figure():
    old, new = only_change("percentage")
    assert "增长1.6%" in old and "增长1.6%" not in new and re.search(r"增长[\d.]+%", new)


def test_perturb_number_keeps_format_and_changes_value():
    rng = random.Random(1)
    for number in ["0.34", "1,234.56", "0", "0.00", "12.5", "-3.2", "100", "70,716,064"]:
        new = perturb_number(number, rng)
        assert new != number and ("," in new) == ("," in number) and ("." in new) == ("." in number)
        assert len(new.partition(".")[2]) == len(number.partition(".")[2])


def test_mutations_are_deterministic_for_a_seed():
    doc = document()
    for kind in OPERATORS:
        first = mutations(doc, kind, 7, "r", 2, UNIT)
        assert first == mutations(doc, kind, 7, "r", 2, UNIT)
    assert any(mutations(doc, k, 7, "r", 2, UNIT) != mutations(doc, k, 8, "r", 2, UNIT) for k in OPERATORS)


def test_chinese_numerals():
    assert [CN_NUMBERS.get(n) for n in ["一", "九", "十", "十一", "二十", "二十三", "九十九"]] == [1, 9, 10, 11, 20, 23, 99]
    assert CN_NUMBERS.get("一一") is None and CN_NUMBERS.get("一十") is None
