"""The parts of a report's total ranked: 三公经费中占比最大的是哪一项, 政府采购中金额最大的那类.

The national template splits the 三公 total into three parts — 因公出国（境）费, 公务用车购置及运行费
and 公务接待费 — and the 政府采购 total into 货物, 工程 and 服务, each printed in its table or text.
A question asking which part is largest (or smallest) gets, per asked report, the part with its
amount and its share of the total, each from the report's own figures (the evidence is where the
report prints it).
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from kg.metrics import BY_KEY
from search.ask import sparql as q
from search.ask.answer import Answer, wan
from search.ask.parser import Intent
from search.ask.report_rows import in_scope

PARTS = ("three_public.overseas", "three_public.vehicle_total", "three_public.reception")
# each family: the words that name its total, its parts, the total's key, and the word for a part
_FAMILIES = ((r"三公", PARTS, "three_public.total", "项"),
             (r"政府采购|采购预算", ("procurement.goods", "procurement.works", "procurement.services"),
              "procurement.total", "类"))
_ORDER = r"(最大|最多|最高|最少|最小|最低)"
_WHICH = r"(?:哪|那)(?:一|个)?[项类](?:采购|经费|支出)?"


def _asked_part(question: str):
    """(order word, family) of a question ranking the parts of a total, or None."""
    for words, parts, total, _ in _FAMILIES:
        match = re.search(rf"(?:{words}).{{0,24}}?{_ORDER}的?(?:是|为)?{_WHICH}|"
                          rf"(?:{words}).{{0,24}}?{_WHICH}.{{0,8}}?{_ORDER}", question)
        if match:
            return match.group(1) or match.group(2), (parts, total)
    return None


class ComponentAnswers:
    """``_component_rank``: the mixin of ``Asker`` for the 三公 parts (needs ``_reports_of``,
    ``_best_per_report``, ``_figure_evidence``, ``_run`` and ``lexicon``)."""

    def _component_rank(self, intent: Intent, answer: Answer) -> bool:
        asked = _asked_part(normalise(intent.question))
        reports = self._reports_of(intent) if asked else []
        if not reports:
            return False
        order, (family, total_key) = asked
        parts = {key: self._best_per_report(in_scope(self._run(answer, q.report_metric_query(intent, key)),
                                                     intent.report_scope)) for key in family + (total_key,)}
        answer.sparql = ""
        answer.columns = ["单位", "年度", "报告", "项", "金额(万元)", "占比(%)"]
        for report in reports:
            found = [(Decimal(parts[key][report]["value"]), key) for key in family if report in parts[key]]
            if len(found) < 2:
                continue
            value, key = (max if order in ("最大", "最多", "最高") else min)(found)
            total = parts[total_key].get(report)
            whole = Decimal(total["value"]) if total else sum(v for v, _ in found)
            label = self.lexicon.reports[report]
            share = float((value / whole * 100).quantize(Decimal("0.01"))) if whole else None
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "项": BY_KEY[key].label,
                            "金额(万元)": wan(value), "占比(%)": share}, report,
                           self._figure_evidence(parts[key][report]))
        if not answer.rows:
            return False
        answer.intent["type"] = "component_rank"
        whole = BY_KEY[total_key].label
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{whole}中{order}的是{r['项']}"
                                 f"（{r['金额(万元)']}万元，占{r['占比(%)']}%）" for r in answer.rows) + "。"
        return True


__all__ = ["ComponentAnswers", "PARTS"]
