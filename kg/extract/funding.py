"""Funding lineage from transfer notices: the 发文字号 that allocates a project's money.

A project titled ``粤财工【2024】156号提前下达省商务厅2025年省级财政专项资金（珠海市口岸建设）``
is funded by that notice: the document becomes a funding source of the project, at the level
of government that issued it (``粤`` — a province — gives 省级), so tracing the document
reaches every project it funds, in any region.
"""
from __future__ import annotations

import re

from kg.model import FundSource, PolicyReference, Project

_TRANSFER = re.compile(r"下达|提前下达|转移支付|补助资金|专项资金|奖补资金|补助经费|资金")
_CENTRAL = re.compile(r"^(?:财[\u4e00-\u9fff]{0,2}|国[办发]|国发|中发|中办|发改|人社部|教[财发]|民发|卫财)")
# one-character names of provinces and of province-level cities, as they start an issuer (粤财工, 苏财社)
_PROVINCES = set("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川蜀贵黔云滇藏陕秦甘陇青宁新")


def level_of_issuer(issuer: str | None) -> str | None:
    """中央 / 省级 / 市县 from the issuer of a 发文字号 (财社 → 中央, 粤财工 → 省级, 榕财 → 市县)."""
    if not issuer:
        return None
    if _CENTRAL.match(issuer):
        return "中央"
    if issuer[0] in _PROVINCES and len(issuer) >= 2 and issuer[1] in "财政办发人教卫民农交水商工科文":
        return "省级"
    return "市县"


def add_transfer_funding(project: Project) -> None:
    """A notice cited in the project's own name that allocates money becomes its funding source: the
    printed source of the notice's level when the form breaks the money down, else a source of its own."""
    if project.annual_total is None:
        return
    names = " ".join(project.printed_names or [project.name])
    if not _TRANSFER.search(names):
        return
    known = {source.document for source in project.fund_sources}
    for ref in [*project.documents, *project.references]:
        if ref.kind != "number" or ref.canonical in known or not _in_name(ref, names):
            continue
        level = level_of_issuer(ref.issuer)
        if level is None:
            continue
        printed = next((s for s in project.fund_sources if s.level == level and s.document is None), None)
        if printed is not None:
            printed.document = ref.canonical  # the form's own breakdown names this level: the notice funds it
        elif not project.fund_sources:
            project.fund_sources.append(FundSource(level, project.annual_total, "annual", document=ref.canonical))
        else:
            continue  # a breakdown by other levels is printed: the notice is linked, the breakdown kept
        known.add(ref.canonical)


def _in_name(ref: PolicyReference, names: str) -> bool:
    return bool(ref.number) and ref.number in names and (ref.issuer or "") in names
