"""What the report, unit and document pages show, as plain data (also served as JSON).

``report_view`` reads one stored extraction: identity, headline figures with their pages,
the chart series (expenditure by function class 类, 基本/项目, 三公 parts, 政府采购 parts,
year over year across the store's reports of the same unit), projects with 立项依据 and
KPIs, and the consistency findings with both sides quoted. ``unit_view`` gathers a unit's
reports (and the 单位 of a 部门); ``document_view`` every project citing a document.
Money is in 万元 (Decimal); pages are the report's (physical for PDFs).
"""
from __future__ import annotations

from decimal import Decimal

from search.web.page_image import is_pdf, report_id

HEADLINES = ("income.total", "expenditure.total", "expenditure.basic", "expenditure.project",
             "general_budget.expenditure", "three_public.total", "operating_costs", "procurement.total",
             "projects.total")
SPLIT = (("expenditure.basic", "基本支出"), ("expenditure.project", "项目支出"))
THREE_PUBLIC = (("three_public.overseas", "因公出国（境）费"), ("three_public.reception", "公务接待费"),
                ("three_public.vehicle_purchase", "公务用车购置费"), ("three_public.vehicle_operation", "公务用车运行维护费"))
PROCUREMENT = (("procurement.goods", "货物"), ("procurement.works", "工程"), ("procurement.services", "服务"))
BY_FUNCTION_TABLES = ("expenditure_summary", "general_budget_expenditure")


def _wan(amount) -> Decimal | None:
    return amount.wan if amount is not None else None


def _figure(report, key: str, label: str | None = None) -> dict | None:
    figure = report.figure(key)
    if figure is None or figure.amount is None:
        return None
    return {"key": key, "label": label or figure.label, "wan": _wan(figure.amount), "page": figure.page,
            "printed": figure.label, "source": figure.source}


def _series(report, keys) -> list[dict]:
    return [item for key, label in keys if (item := _figure(report, key, label)) is not None]


def by_function_class(report) -> dict:
    """Expenditure by function class 类 from the 支出总表 (else the 一般公共预算支出表)."""
    for kind in BY_FUNCTION_TABLES:
        for table in report.tables:
            if table.kind != kind:
                continue
            rows = [{"code": line.code, "label": line.name, "wan": _wan(line.values.get("total")), "page": line.page}
                    for line in table.lines if line.level == "类" and line.values.get("total") is not None]
            if rows:
                return {"table": table.title, "page": table.page, "rows": rows}
    return {"table": None, "page": None, "rows": []}


def _findings(report) -> list[dict]:
    from kg.check import run_checks

    found = []
    for finding in run_checks(report):
        found.append({"rule": finding.rule, "severity": finding.severity, "message": finding.message,
                      "entity": finding.entity, "expected": finding.expected, "observed": finding.observed,
                      "sides": [{"what": s.what, "value": s.value, "page": s.page, "text": s.text}
                                for s in finding.sides]})
    return found


def _project(project) -> dict:
    evaluation = project.self_evaluation
    return {"name": project.name, "unit": project.unit, "category": project.category,
            "wan": _wan(project.annual_total), "carryover": project.carryover, "basis": project.basis,
            "documents": [d.canonical for d in project.documents], "pages": list(project.pages or []),
            "indicators": [{"level1": i.level1, "level2": i.level2, "name": i.name,
                            "target": i.target.text if i.target else None,
                            "actual": i.actual.text if i.actual else None, "page": i.page}
                           for i in project.indicators],
            "evaluation": None if evaluation is None else {
                "rate": evaluation.execution_rate, "score": evaluation.total_score, "grade": evaluation.grade,
                "executed": _wan(evaluation.executed), "budget": _wan(evaluation.full_year_budget)}}


def same_unit(reports: dict[str, dict], entry: dict) -> list[tuple[str, dict]]:
    """The store's reports of the same unit, scope and summary (every year and kind), by year."""
    found = [(iri, e) for iri, e in reports.items()
             if e.get("unit") == entry.get("unit") and e.get("scope") == entry.get("scope")
             and e.get("summary") == entry.get("summary")]
    return sorted(found, key=lambda item: (item[1].get("year") or 0, item[1].get("kind") or ""))


def report_view(corpus, reports: dict[str, dict], iri: str) -> dict:
    entry = reports[iri]
    report = corpus.load_report(iri)
    region = report.region
    years = []
    for other_iri, other in same_unit(reports, entry):
        about = summary(corpus, other_iri, other)
        if about["total"] is not None:
            years.append({"key": "expenditure.total", "label": f"{other.get('year')}年{other.get('kind') or ''}",
                          "wan": about["total"], "page": about["total_page"], "report_id": report_id(other_iri),
                          "current": other_iri == iri})
    return {
        "iri": iri, "id": report_id(iri), "title": entry.get("title"), "file": entry.get("path"),
        "pdf": f"/api/source?report={report_id(iri)}" if is_pdf(entry) else None,
        "identity": {"unit": report.unit, "department": report.department, "region": " ".join(
            part for part in (region.province, region.city, region.county) if part) if region else None,
            "year": report.year, "kind": report.kind, "scope": report.scope, "summary": report.summary,
            "pages": report.source.pages if report.source else None},
        "figures": [item for key in HEADLINES if (item := _figure(report, key)) is not None],
        "by_function": by_function_class(report),
        "split": _series(report, SPLIT),
        "three_public": _series(report, THREE_PUBLIC),
        "procurement": _series(report, PROCUREMENT),
        "years": years if len(years) > 1 else [],
        "projects": [_project(p) for p in report.projects],
        "documents": [d.canonical for d in report.documents],
        "findings": _findings(report),
    }


_SUMMARIES: dict[tuple[str, str], dict] = {}
_SUMMARIES_KEPT = 4096


def summary(corpus, iri: str, entry: dict) -> dict:
    """What the unit and document pages need of a report, read once per stored extraction
    (extractions are written under a new name when a report changes, so the name is the key)."""
    key = (str(corpus.folder), entry.get("file") or iri)
    found = _SUMMARIES.get(key)
    if found is None:
        report = corpus.load_report(iri)
        total = _figure(report, "expenditure.total")
        found = {"department": report.department, "total": total["wan"] if total else None,
                 "total_page": total["page"] if total else None,
                 "titles": {d.canonical: d.title for d in report.documents if d.title},
                 "projects": [{"name": p.name, "unit": p.unit, "documents": [d.canonical for d in p.documents],
                               "basis": p.basis, "wan": _wan(p.annual_total), "page": (p.pages or [None])[0]}
                              for p in report.projects]}
        if len(_SUMMARIES) >= _SUMMARIES_KEPT:
            _SUMMARIES.clear()
        _SUMMARIES[key] = found
    return found


def unit_view(corpus, reports: dict[str, dict], name: str) -> dict:
    """A unit across the store: its reports by year and kind (with total expenditure), and the
    reports of units whose 主管部门 it is."""
    own, subunits = [], []
    for iri, entry in sorted(reports.items(), key=lambda item: (item[1].get("year") or 0, item[1].get("title") or "")):
        about = summary(corpus, iri, entry)
        if entry.get("unit") == name:
            target = own
        elif about["department"] == name:
            target = subunits
        else:
            continue
        target.append({"id": report_id(iri), "title": entry.get("title"), "unit": entry.get("unit"),
                       "year": entry.get("year"), "kind": entry.get("kind"), "scope": entry.get("scope"),
                       "department": about["department"], "total": about["total"],
                       "projects": len(about["projects"])})
    return {"unit": name, "reports": own, "subunits": subunits}


def document_view(corpus, reports: dict[str, dict], canonical: str) -> dict:
    """Every project of the store citing ``canonical`` (its 立项依据 or another citation), by unit and year."""
    rows, title = [], None
    for iri, entry in reports.items():
        about = summary(corpus, iri, entry)
        title = title or about["titles"].get(canonical)
        for project in about["projects"]:
            if canonical not in project["documents"]:
                continue
            rows.append({"project": project["name"], "unit": project["unit"] or entry.get("unit"),
                         "year": entry.get("year"), "kind": entry.get("kind"), "report_id": report_id(iri),
                         "report": entry.get("title"), "wan": project["wan"], "page": project["page"],
                         "as_basis": bool(project["basis"] and canonical in _loose(project["basis"]))})
    rows.sort(key=lambda r: (r["unit"] or "", r["year"] or 0, r["project"]))
    return {"document": canonical, "title": title, "projects": rows}


def _loose(text: str) -> str:
    """A 发文字号 as printed with any bracket style, in the canonical 〔〕 form."""
    for left in "[【（(":
        text = text.replace(left, "〔")
    for right in "]】）)":
        text = text.replace(right, "〕")
    return text


__all__ = ["report_view", "unit_view", "document_view", "by_function_class", "same_unit", "summary"]
