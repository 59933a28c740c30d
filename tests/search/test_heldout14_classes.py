"""Classes of failure found while the fourteenth blind held-out set was written and run, asked here
in other words than any set: a project whose name is its unit's whole name and then a short name of
its own (佛山市轨道交通局开办经费), said by that short name after the unit."""
from __future__ import annotations

import pytest

from search.ask.engine import Asker


@pytest.fixture(scope="module")
def asker(corpus_reports):
    return Asker(corpus_reports)


def test_a_project_named_by_what_follows_its_units_name(asker):
    answer = asker.ask("佛山轨道交通局2019年决算里，开办经费这个项目自评得了几分？")
    assert [r["项目"] for r in answer.rows] == ["佛山市轨道交通局开办经费"]
    assert answer.rows[0]["自评总分"] == 97.87
