"""Rules on policy documents: one 发文字号 written two ways; a 立项依据 naming no document."""
from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

from kg.check.base import Finding, Side, rule
from kg.model import PolicyReference, Report


def _all_references(report: Report) -> list[tuple[PolicyReference, str]]:
    """References with where they are cited: a project's 立项依据 first, else the report text."""
    found = []
    for project in report.projects:
        found += [(ref, f"{project.name} 立项依据") for ref in project.documents]
    found += [(ref, "报告正文") for ref in report.documents]
    return found


@rule("document.variants", "同一文件的发文字号在报告中写法不一致")
def variants(report: Report) -> Iterator[Finding]:
    numbered = {}
    for ref, where in _all_references(report):
        if ref.kind == "number" and ref.number:
            numbered.setdefault(ref.canonical, (ref, where))
    refs = list(numbered.values())
    reported: set[frozenset] = set()
    for i, (a, where_a) in enumerate(refs):
        for b, where_b in refs[i + 1:]:
            if a.number != b.number or a.canonical == b.canonical:
                continue
            same_year = a.year == b.year or a.year is None or b.year is None
            similar = SequenceMatcher(None, a.issuer or "", b.issuer or "").ratio() >= 0.6
            key = frozenset((a.canonical, b.canonical))
            if same_year and similar and key not in reported:
                reported.add(key)
                yield Finding("document.variants", "warning",
                              f"同一文件疑有两种写法：{a.printed}（{where_a}）与 {b.printed}（{where_b}）",
                              [Side(a.printed, None, a.page, a.line, where_a), Side(b.printed, None, b.page, b.line, where_b)],
                              entity=a.canonical)


@rule("document.basis_without_document", "立项依据未列明任何文件")
def basis_without_document(report: Report) -> Iterator[Finding]:
    for project in report.projects:
        if project.basis and not project.documents:
            page = project.pages[0] if project.pages else None
            yield Finding("document.basis_without_document", "info",
                          f"{project.name}：立项依据“{project.basis[:40]}”未列明文件", [Side("立项依据", None, page, project.line,
                                                                                          project.basis)],
                          entity=project.name)
