"""Every passage of a report keeps an id of its own: two projects of one name carried out by
different units (广州市生态环境局 prints 区财政安排经费 once per 分局) each keep their project,
goal and indicator passages instead of the second overwriting the first in the store."""
from __future__ import annotations

from kg.model import Project, Report
from kg.passages import build_passages


def test_projects_of_one_name_under_different_units_keep_their_own_passages():
    report = Report(unit="某某局", year=2026, kind="预算", scope="部门")
    for unit, goal in (("某某局甲分局", "完成甲区巡查120次"), ("某某局乙分局", "完成乙区巡查80次"), (None, "全市统筹")):
        report.projects.append(Project(name="区财政安排经费", unit=unit, goal_annual=goal, pages=[3]))
    passages = build_passages(report)
    assert len({p.id for p in passages}) == len(passages)
    goals = sorted(p.text for p in passages if p.kind == "goal")
    assert len(goals) == 3 and any("甲区巡查120次" in g for g in goals) and any("乙区巡查80次" in g for g in goals)


def test_a_second_passage_of_the_same_kind_and_key_is_numbered_not_dropped():
    report = Report(unit="某某局", year=2026, kind="预算", scope="部门")
    report.projects += [Project(name="综合业务", goal_annual="目标一", pages=[3]),
                        Project(name="综合业务", goal_annual="目标二", pages=[4])]
    passages = [p for p in build_passages(report) if p.kind == "goal"]
    assert len({p.id for p in passages}) == 2 and {p.page for p in passages} == {3, 4}
