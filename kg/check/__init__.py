"""Consistency checks: every report audited against itself.

    from kg.check import run_checks
    findings = run_checks(report)

Rules live in ``tables`` (within a table), ``sides`` (each side of a 收支总表), ``cross`` (across tables), ``narrative`` (text
vs tables; ``statements``: amounts the prose states for a table line by name), ``projects`` (self-evaluation arithmetic, amounts, funding), ``points`` (the points of performance forms) and ``documents``;
the report's own text is read by ``dates`` (years in titles, 截至 dates), ``template``
(placeholders left in), ``structure`` (numbering of headings and lists) and ``comparisons``
(大于/增加/增长% against the figures compared); ``kg.check.graph`` writes findings into the
report's findings graph.
"""
from __future__ import annotations

from kg.check import (comparisons, cross, dates, documents, grid_groups, grids, narrative, points, projects,  # noqa: F401
                      sides, statements, structure, tables, template)  # (registers the rules)
from kg.check.base import RULES, SEVERITIES, Finding, Side
from kg.check.grid_shape import segments_kept
from kg.model import Report


def run_checks(report: Report, severities: tuple[str, ...] = SEVERITIES, rules: list[str] | None = None) -> list[Finding]:
    """Every finding of the selected rules on ``report``, most severe first."""
    found: list[Finding] = []
    with segments_kept():
        for rule_id, (_, function) in RULES.items():
            if rules and rule_id not in rules:
                continue
            for finding in function(report):
                if finding.severity in severities and not any(_same(finding, f) for f in found):
                    found.append(finding)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda f: (order[f.severity], f.rule))


def _same(a: Finding, b: Finding) -> bool:
    """One slip read twice (a table continued over pages, a line listed in two groupings)."""
    return a.rule == b.rule and a.message == b.message and a.pages == b.pages


__all__ = ["run_checks", "Finding", "Side", "RULES", "SEVERITIES"]
