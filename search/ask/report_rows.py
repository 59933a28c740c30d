"""Rows of report figures: which report speaks for a unit that publishes a 部门 and a 单位 report
of the same year, which of a unit's rows is best sourced, and the rows of the scope asked.

Used by the report-figure handlers (``search.ask.reports``, ``report_comparisons``, ``lines``,
``members``) so each chooses among a unit's reports the same way.
"""
from __future__ import annotations

import re

from kg.graph.entities import base_name, normalise
from search.ask.differences import ASKS_SHARE
from search.ask.parser import Intent


def qualified_first(intent: Intent, rows: list[dict]) -> list[dict]:
    """X（本级） asked: where a report has X（本级）'s own figure, X's (the department's) is not the answer."""
    text = normalise(intent.question)
    if ASKS_SHARE.search(text) and _WHOLE_DEPARTMENT.search(text):  # X（本级）占全部门的百分之几: the
        own = {(r.get("year"), r.get("value")) for r in rows  # department's figure is the whole; the 本级's
               if any(r["unit_name"] == u.name != base_name(u.name) for u in intent.units)}  # own 单位 report
        return [r for r in rows if not (r.get("report_scope") == "单位" and (r.get("year"), r.get("value")) in own)]
    qualified = {u.name: base_name(u.name) for u in intent.units if base_name(u.name) != u.name
                 and not _named_bare(text, base_name(u.name))}
    covered = {(r["report"], qualified[r["unit_name"]]) for r in rows if r["unit_name"] in qualified}
    return [r for r in rows if (r["report"], r["unit_name"]) not in covered]

def department_first(intent: Intent, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """A unit named plainly (无锡教育局2026年“三公”经费) that has a 部门 and a 单位 report of the
    same year: the 部门 report speaks for the unit; the 单位 report's rows are left out and its
    units named, so the answer can say how to ask for them. Filters and corpus-wide questions keep
    both reports as entries."""
    if intent.report_scope or intent.own_level or not intent.units or intent.comparison is not None:
        return rows, []  # 2026年“三公”经费不足10万元的单位: every report is an entry of a corpus-wide filter
    both = set(reported_both_ways(rows))
    kept = [r for r in rows if _report_key(r) not in both or r.get("report_scope") != "单位"]
    return kept, sorted({unit for unit, _, _ in both})


def department_reports(intent: Intent, lexicon, reports) -> list[str]:
    """``department_first`` for report IRIs: of a unit named plainly that has a 部门 and a 单位
    report of the same year and kind, the 部门 report."""
    reports = list(reports)
    if intent.report_scope or intent.own_level:
        return reports
    labels = [lexicon.reports[r] for r in reports if r in lexicon.reports]
    whole = {(r.unit, r.year, r.report_kind) for r in labels if r.scope == "部门"}
    dropped = {r.iri for r in labels if r.scope == "单位" and (r.unit, r.year, r.report_kind) in whole}
    return [r for r in reports if r not in dropped]


def _report_key(row: dict) -> tuple:
    return row["unit_name"], row.get("year"), row.get("kind")


def reported_both_ways(rows: list[dict]) -> dict[tuple, tuple[dict, dict]]:
    """The (unit, year, kind) keys with a row from a 部门 report and one from a 单位 report (the
    whole department and its 本级), each with its best-sourced such rows (``figure_rank``):
    (部门 row, 单位 row)."""
    found: dict[tuple, dict[str, dict]] = {}
    for row in rows:
        scopes = found.setdefault(_report_key(row), {})
        held = scopes.get(row.get("report_scope"))
        if held is None or figure_rank(row) < figure_rank(held):
            scopes[row.get("report_scope")] = row
    return {key: (scopes["部门"], scopes["单位"]) for key, scopes in found.items() if {"部门", "单位"} <= scopes.keys()}


_WHOLE_DEPARTMENT = re.compile(r"(?:全|整个)[^，。？?]{0,12}?部门|部门(?:汇总|合计|总计)|部门(?:收入|支出)(?:预算|决算)?(?:合计|总计|总额)?中|"
                               r"占[^，。？?]{0,4}部门")


def _named_bare(text: str, base: str) -> bool:
    """The department named on its own too (无锡市教育局（本级）…占整个无锡市教育局…): both are asked."""
    name = normalise(base)
    return any(not text.startswith(("〔本级", "本级", "(本级"), at + len(name))
               for at in (m.start() for m in re.finditer(re.escape(name), text)))


def in_scope(rows: list[dict], scope: str | None) -> list[dict]:
    """The rows of 部门 (or 单位) reports when the question says which and the corpus has such rows."""
    if not scope:
        return rows
    kept = [r for r in rows if r.get("report_scope") == scope]
    return kept or rows

def figure_rank(row: dict) -> tuple:
    kind = row.get("kind")
    basis = row.get("basis")
    basis_rank = 0 if basis is None or (kind == "决算" and basis == "决算数") or (kind == "预算" and basis == "预算数") else 1
    return (0 if row.get("stated_in") == "table" else 1, basis_rank)
