"""After reading: what a report's projects take from the report as a whole.

Runs once every table, form and section has been read (``build_report``'s last step). The
report's region and parent department are settled from its projects and text; each project's
unit and department printed without their place get the report's (``qualify``); a document
cited anywhere in a project's row, title or form is linked to it and listed once in the
report (``add_document``); a project's annual total falls back to what its form or
self-evaluation prints; transfer notices become its funding source; a form for the whole of
the listed projects' money is told from a project (``_mark_covering_forms``).
"""
from __future__ import annotations

from collections import Counter

from kg.extract.documents import find_references
from kg.extract.funding import add_transfer_funding
from kg.extract.identity import parent_in_text, region_in_text
from kg.extract.names import CENTRAL_BODIES, resolve_region
from kg.model import IdentityEvidence, Report


def add_document(report: Report, ref) -> None:
    if not any(d.canonical == ref.canonical or _same_title(d, ref) for d in report.documents):
        report.documents.append(ref)


def _same_title(a, b) -> bool:
    """One title printed twice, once with a few characters dropped (…稳就业工作的通知 / …稳就业保就业工作的通知)."""
    if a.kind != "title" or b.kind != "title":
        return False
    short, long = sorted((a.canonical, b.canonical), key=len)
    if len(short) < 0.85 * len(long) or len(short) < 12:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)  # short is a subsequence of long


def qualify(name: str | None, report: Report) -> str | None:
    """A department/unit printed without its region ('人力资源和社会保障局') gets the report's."""
    if not name:
        return name
    if report.unit.endswith(name):
        return report.unit
    if CENTRAL_BODIES.search(name) or len(report.unit) >= 4 and name.startswith(report.unit):
        return name  # 西南大学附属小学 of 西南大学: named after the report's unit, which carries no place
    place = report.region.most_specific
    if place and len(place) >= 3 and place[-1] in "省市区县" and name.startswith(place[:-1]):
        return name  # 西安急救中心, 深圳城市职业学院: the place printed bare already, not 西安市西安急救中心
    if resolve_region(name).most_specific is None and report.region.most_specific:
        prefix = report.unit[: report.unit.find(report.region.most_specific) + len(report.region.most_specific)] \
            if report.region.most_specific in report.unit else report.region.most_specific
        return prefix + name
    return name


def finish_projects(report: Report) -> None:
    text = " ".join(p.text for s in report.sections for p in s.paragraphs)
    report.region = resolve_region(report.unit, text)
    if report.region.most_specific is None:
        report.region = region_in_text(text)
        if report.region.most_specific:
            report.identity["region"] = IdentityEvidence(report.region.most_specific, "text")
    departments = Counter((p.department_code, p.department) for p in report.projects if p.department)
    if departments and "parent" not in report.identity:
        (code, name), _ = departments.most_common(1)[0]
        report.department = qualify(name, report)
        report.department_code = code
        report.identity["parent"] = IdentityEvidence(report.department, "form")
    if report.department is None:
        parent = parent_in_text(report.sections, report.unit)
        if parent is not None:
            report.department, page, sentence = parent
            report.identity["parent"] = IdentityEvidence(report.department, "text", page, sentence)
    unit_codes = Counter(p.unit_code for p in report.projects if p.unit_code)
    if unit_codes:
        report.unit_code = unit_codes.most_common(1)[0][0]
    for project in report.projects:
        project.unit = qualify(project.unit, report) or report.unit
        project.department = qualify(project.department, report) or report.department
        project.department_code = project.department_code or report.department_code
        for ref in project.documents:
            add_document(report, ref)
        basis = {d.canonical for d in project.documents}
        evaluation = project.self_evaluation
        judged = (evaluation.annual_goal, evaluation.actual_result, evaluation.deviation) if evaluation else ()
        stated = [text for i in project.indicators for text in (i.name, i.target.text if i.target else None)]
        numbers = {(d.year, d.number) for d in project.documents if d.kind == "number" and d.year}
        for text in (project.overview, project.necessity, project.measures, project.plan, project.goal_period,
                     project.goal_annual, project.purpose, *project.printed_names, *judged, *stated):
            for ref in find_references(text or "", project.pages[0] if project.pages else None):
                if ref.kind == "number" and ref.year and (ref.year, ref.number) in numbers and \
                        ref.canonical not in basis | {d.canonical for d in project.references}:
                    continue  # the project's own 汾财农〔2023〕65号 printed with its issuer cut (财政【2023】65号)
                if ref.kind == "number" and ref.year:
                    numbers.add((ref.year, ref.number))
                add_document(report, ref)
                if ref.canonical not in basis and ref.canonical not in {d.canonical for d in project.references}:
                    project.references.append(ref)  # a document cited anywhere in the project's row, title or form
    for project in report.projects:
        if project.annual_total is None:
            annual = next((a.amount for a in project.amounts if a.key == "annual_total"), None) or \
                (project.self_evaluation.full_year_budget if project.self_evaluation else None) or \
                project.period_total  # a form printing only 实施期资金总额 budgets the year with it
            project.annual_total = annual
        add_transfer_funding(project)
    _mark_covering_forms(report)


_PROJECT_TOTALS = ("expenditure.project", "projects.total", "general_budget.project")


def _mark_covering_forms(report: Report) -> None:
    """A 绩效目标 form no project list or table names, whose money is the report's whole 项目支出
    while the lists name two projects or more (西安 2019's 专项资金整体支出绩效目标表: 1,620.98万元,
    the 专项业务经费 of every listed project), covers those projects: it is no project of its own,
    and counting it would count their money twice."""
    totals = {f.amount.value for f in report.figures if f.key in _PROJECT_TOTALS and f.amount is not None}
    listed = [p for p in report.projects if any(a.source != "performance_table" for a in p.amounts)]
    if not totals or len(listed) < 2:
        return
    for project in report.projects:
        money = project.annual_total or project.period_total
        if project.amounts and all(a.source == "performance_table" for a in project.amounts) and \
                money is not None and money.value in totals and \
                all(p.annual_total is None or p.annual_total.value < money.value for p in listed):
            project.covers_projects = True
