"""The parts of the “三公” total ranked: 三公经费中占比最大的是哪一项.

The national template splits the 三公 total into three parts — 因公出国（境）费, 公务用车购置及运行费
and 公务接待费 — that every report prints in its 三公 table or text. A question asking which of
them is largest (or smallest) gets, per asked report, the part with its amount and its share of the
total, each from the report's own figures (the evidence is where the report prints it).
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from kg.metrics import BY_KEY
from search.ask import sparql as q
from search.ask.answer import Answer, wan
from search.ask.parser import Intent
from search.ask.reports import in_scope

PARTS = ("three_public.overseas", "three_public.vehicle_total", "three_public.reception")
_ASKS_PART = re.compile(r"三公.{0,20}?(?P<order>最大|最多|最高|最少|最小|最低)的?(?:是|为)?(?:哪|那)(?:一|个)?项")


class ComponentAnswers:
    """``_component_rank``: the mixin of ``Asker`` for the 三公 parts (needs ``_reports_of``,
    ``_best_per_report``, ``_figure_evidence``, ``_run`` and ``lexicon``)."""

    def _component_rank(self, intent: Intent, answer: Answer) -> bool:
        asked = _ASKS_PART.search(normalise(intent.question))
        reports = self._reports_of(intent) if asked else []
        if not reports:
            return False
        parts = {key: self._best_per_report(in_scope(self._run(answer, q.report_metric_query(intent, key)),
                                                     intent.report_scope)) for key in PARTS + ("three_public.total",)}
        answer.sparql = ""
        answer.columns = ["单位", "年度", "报告", "项", "金额(万元)", "占比(%)"]
        for report in reports:
            found = [(Decimal(parts[key][report]["value"]), key) for key in PARTS if report in parts[key]]
            if len(found) < 2:
                continue
            value, key = (max if asked.group("order") in ("最大", "最多", "最高") else min)(found)
            total = parts["three_public.total"].get(report)
            whole = Decimal(total["value"]) if total else sum(v for v, _ in found)
            label = self.lexicon.reports[report]
            share = float((value / whole * 100).quantize(Decimal("0.01"))) if whole else None
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "项": BY_KEY[key].label,
                            "金额(万元)": wan(value), "占比(%)": share}, report,
                           self._figure_evidence(parts[key][report]))
        if not answer.rows:
            return False
        answer.intent["type"] = "component_rank"
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}“三公”经费中{asked.group('order')}的是{r['项']}"
                                 f"（{r['金额(万元)']}万元，占{r['占比(%)']}%）" for r in answer.rows) + "。"
        return True


__all__ = ["ComponentAnswers", "PARTS"]
