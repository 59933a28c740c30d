"""A project's money from one source, named in the question's words."""
from __future__ import annotations

from search.ask.funds import amounts, asked_fund


def test_the_source_is_named_by_the_questions_words():
    assert asked_fund("项目里一般公共预算安排了多少钱").label == "一般公共预算"
    assert asked_fund("项目的资金里财政拨款以外的其他资金有多少").label == "其他资金"
    assert asked_fund("项目的财政拨款是多少").label == "财政拨款"
    assert asked_fund("项目的事业单位经营收入是多少").label == "事业单位经营收入"
    assert asked_fund("项目的预算是多少") is None


def test_a_funding_source_wins_over_a_table_cell_and_a_cell_printed_twice_differently_is_not_trusted():
    rows = [
        {"project": "p1", "source": "其他", "source_amount": 300000},
        {"project": "p1", "source": "财政拨款", "source_amount": 1500000},
        {"project": "p2", "column": "general_budget", "cell": 12570000, "title": "项目支出总表", "page": 30},
        {"project": "p2", "column": "total", "cell": 13570000, "title": "项目支出总表", "page": 30},
        {"project": "p3", "column": "general_budget", "cell": 100, "title": "表", "page": 1},
        {"project": "p3", "column": "general_budget", "cell": 200, "title": "表", "page": 2},
    ]
    assert amounts(asked_fund("其他资金有多少"), rows) == {"p1": (300000, "资金来源", None)}
    assert amounts(asked_fund("一般公共预算拨款是多少"), rows) == {"p2": (12570000, "项目支出总表", 30)}
