"""Classes of failure the sixth blind held-out set left and the seventh showed: the budget units a
department's 预算单位构成 sentence lists (纳入本部门…编制范围的预算单位共计3家，具体包括：…; 只有本级，
没有其他二级预算单位)."""
from __future__ import annotations

import pytest

from search.ask import lineage
from search.ask.engine import Asker


class _Passage:
    def __init__(self, text: str):
        self.text = text


def test_the_budget_units_a_composition_sentence_lists():
    stated = _Passage("2.从预算单位构成看，纳入本部门2025年部门汇总预算编制范围的预算单位共计2家，"
                      "具体包括：某市信访局（本级），某市人民来访接待中心。")
    assert lineage.budget_units_in_text([stated])[0] == ["某市信访局（本级）", "某市人民来访接待中心"]
    only_own = _Passage("某市公安局部门只有本级，没有其他二级预算单位，因此，纳入2025年部门预算编制范围的只有某市公安局本级。")
    assert lineage.budget_units_in_text([only_own])[0] == ["某市公安局本级"]
    cut = _Passage("纳入本部门2026年部门汇总预算编制范围的预算单位共计42家，具体包括：某市教育局（本级），某市少年宫")
    assert lineage.budget_units_in_text([cut]) is None  # a list cut short is not the whole list


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


def test_a_departments_budget_units_as_its_text_states_them(asker):
    own = asker.ask("长沙市公安局2025年部门预算包含哪些预算单位？")
    assert [r["单位"] for r in own.rows] == ["长沙市公安局本级"]  # not the 支队 its 机构设置 lists
    listed = asker.ask("纳入江苏省人民检察院2019年部门汇总预算编制范围的预算单位有哪些？")
    assert len(listed.rows) == 3 and any("南京铁路运输检察院" in r["单位"] for r in listed.rows)
