"""Small reports built from quoted paragraphs, for the rules that read the 情况说明's text."""
from __future__ import annotations

from kg.check import run_checks
from kg.model import Paragraph, Report, Section


def report(*paragraphs: str, year: int = 2026, kind: str = "预算", first_page: int = 5) -> Report:
    """A report whose one section holds ``paragraphs``, one page each from ``first_page``."""
    result = Report(unit="某局", year=year, kind=kind, scope="部门")
    result.sections = [Section(["一、情况说明"], [Paragraph(text, page, 1) for page, text in enumerate(paragraphs, start=first_page)],
                               first_page)]
    return result


def messages(rep: Report, rule: str) -> list[str]:
    return [f.message for f in run_checks(rep, rules=[rule])]
