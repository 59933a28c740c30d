"""How much of a report's 项目支出 the projects with 绩效目标 cover: the money the text states for
them (编报绩效目标的项目共5个，涉及项目预算资金660.25万元; 共5个项目实行绩效目标管理，涉及财政性资金
合计5,086万元) against the report's 项目支出 figure — as a share (占项目支出的百分之几) or as the
remainder outside them (没有纳入绩效目标管理的资金有多少; what is left is often 涉密 or small).

``TargetCoverageAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's
``_passages_of``, ``_reports_of``, ``_best_per_report``, ``_figure_evidence`` and ``store``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask import sparql as q
from search.ask.answer import Answer, as_int, wan
from search.ask.differences import ASKS_SHARE
from search.ask.parser import Intent

_ABOUT_TARGETS = re.compile(r"(?:编报|实行|纳入|设置|填报|申报|有)(?:了)?(?:项目)?绩效目标|绩效目标(?:管理)?的项目")
_ASKS_OUTSIDE = re.compile(r"(?:没有|未|不在|没|未能)(?:被)?(?:落在|纳入|编报|列入|实行|设置|填报|覆盖|包含在|在)?"
                           r"[^，。？?]{0,16}?绩效目标|"
                           r"绩效目标[^，。？?]{0,12}?(?:以外|之外|外)")
# 编报绩效目标的项目共5个，涉及项目预算资金660.25万元 / 共5个项目实行绩效目标管理，涉及财政性资金合计5,086万元
_STATED = re.compile(r"(?:编报|实行|纳入|设置|填报|申报)了?(?:项目)?绩效目标[^。；;]{0,40}?涉及[^。；;\d]{0,16}?"
                     r"(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元")


def asks_coverage(question: str) -> str | None:
    """"share" or "outside" when the question asks what part of 项目支出 the projects with 绩效目标
    cover, else None."""
    text = normalise(question)
    if "项目支出" not in text or not _ABOUT_TARGETS.search(text) and not _ASKS_OUTSIDE.search(text):
        return None
    if _ASKS_OUTSIDE.search(text):
        return "outside"
    return "share" if ASKS_SHARE.search(text) or "百分之" in text else None


class TargetCoverageAnswers:
    """The share of 项目支出 the projects with 绩效目标 cover, or what is left outside them."""

    def _target_coverage(self, intent: Intent, answer: Answer) -> bool:
        asked = asks_coverage(intent.question)
        reports = self._reports_of(intent) if asked and intent.units else []
        if not reports:
            return False
        stated = None
        for passage in self._passages_of(intent):
            if passage.report in reports:
                found = _STATED.search(re.sub(r"\s+", "", normalise(passage.text)))
                if found:
                    stated = (Decimal(found.group("amount").replace(",", "")), found.group(0), passage)
                    break
        if stated is None:
            return False
        covered, sentence, passage = stated
        rows = self.store.query(q.report_metric_query(intent, "expenditure.project")).rows
        figure = self._best_per_report([r for r in rows if r["report"] == passage.report]).get(passage.report)
        if figure is None or not figure.get("value"):
            return False
        spending = Decimal(str(figure["value"])) / 10000
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "target_coverage"
        answer.rows, answer.evidence, answer.entities = [], [], []
        row = {"单位": passage.facets.get("unit"), "年度": as_int(passage.facets.get("year")),
               "绩效目标项目资金(万元)": wan(covered * 10000), "项目支出(万元)": wan(figure["value"])}
        if asked == "share":
            share = (covered / spending * 100).quantize(Decimal("0.01"))
            row["占比(%)"] = float(share)
            said = f"占项目支出{row['项目支出(万元)']}万元的{share}%"
        else:
            left = (spending - covered).quantize(Decimal("0.01"))
            row["未覆盖(万元)"] = float(left)
            said = f"项目支出{row['项目支出(万元)']}万元中，其余{left.normalize():f}万元没有编报绩效目标"
        answer.columns = list(row)
        answer.add_row(row, passage.id, {"report": passage.source, "page": passage.page, "text": sentence})
        answer.evidence.append(self._figure_evidence(figure))
        answer.answer = (f"编报绩效目标的项目涉及资金{row['绩效目标项目资金(万元)']}万元（{passage.source} 第{passage.page}页），"
                         f"{said}。")
        return True


__all__ = ["TargetCoverageAnswers", "asks_coverage"]
