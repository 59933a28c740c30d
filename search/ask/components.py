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
from search.ask.answer import Answer, metric_column, wan
from search.ask.numbers import FALLING
from search.ask.parser import Intent
from search.ask.report_rows import department_reports, in_scope

PARTS = ("three_public.overseas", "three_public.vehicle_total", "three_public.reception")
# each family: the words that name its total, its parts, the total's key, and the word for a part
_FAMILIES = ((r"三公", PARTS, "three_public.total", "项"),
             (r"政府采购|采购预算", ("procurement.goods", "procurement.works", "procurement.services"),
              "procurement.total", "类"))
_ORDER = r"(最大|最多|最高|最少|最小|最低)"
_WHICH = r"(?:哪|那)(?:一|个)?[项类](?:采购|经费|支出)?"


def _asked_part(question: str):
    """(order word, family) of a question ranking the parts of a total (三公经费中金额最大的一项, …哪一项
    最多), or None; not the 品目 of a procurement table, which its rows answer."""
    if "品目" in question:
        return None
    for words, parts, total, _ in _FAMILIES:
        match = re.search(rf"(?:{words}).{{0,24}}?{_ORDER}的?(?:是|为)?(?:{_WHICH}|一[项类])|"
                          rf"(?:{words}).{{0,24}}?{_WHICH}.{{0,8}}?{_ORDER}", question)
        if match:
            return match.group(1) or match.group(2), (parts, total)
    return None


_CHANGE_ASKED = re.compile(r"(?:比|较)(?:上一?年|去年|(?:19|20)\d{2}年)|增幅|降幅|增减|(?:增加|减少|下降|增长|压减)了?(?:的|[？?]?$)")


_UNITS_ASKED = re.compile(r"哪(?:些|几个|几家|个|家|一家)(?:预算|下属|所属)?单位")


def _changed_parts(question: str):
    """The family of a question asking which parts of a total changed against the year before
    (“三公”经费各分项中，哪些比上年降幅超过30%; 三公经费哪几项比上年减少了), or None."""
    if _UNITS_ASKED.search(question):
        return None  # 三公经费表中，哪几个单位比上年增加了: units, not parts
    for words, parts, total, _ in _FAMILIES:
        if re.search(rf"(?:{words}).{{0,20}}?(?:各分项|各项|分项|哪些|哪几|哪一?项|哪类)", question) and \
                _CHANGE_ASKED.search(question):
            return parts, total
    return None


class ComponentAnswers:
    """``_component_rank`` and ``_component_changes``: the mixin of ``Asker`` for the 三公 parts (needs
    ``_reports_of``, ``_best_per_report``, ``_figure_evidence``, ``_run``, ``_year_over_year`` and ``lexicon``)."""

    def _component_changes(self, intent: Intent, answer: Answer) -> bool:
        """Each part's change against the year before (the two years' reports, else as stated), kept when
        it goes the asked way and meets the question's comparison (降幅超过30%)."""
        asked = _changed_parts(normalise(intent.question))
        if not asked or not self._reports_of(intent):
            return False
        question = normalise(intent.question)
        falling = bool(re.search(rf"{FALLING}|降幅", question))
        rising = bool(re.search(r"增加|增长|上升|增幅|多了", question))
        found, changed = [], 0
        for key in asked[0]:
            part = Answer(intent.question)
            rows = in_scope(self._run(part, q.report_metric_query(intent, key)), intent.report_scope)
            self._year_over_year(intent, BY_KEY[key], rows, part)
            for row, entity, evidence in zip(part.rows, part.entities, part.evidence):
                if metric_column(BY_KEY[key]) not in row:
                    continue  # no figure of the part: the sentence stated is the total's change, not the part's
                changed += 1
                rate = row.get("增减率(%)")
                if falling != rising and row.get("增减方向") != ("减少" if falling else "增加"):
                    continue
                if intent.comparison is not None and intent.comparison.value.unit == "%" and \
                        (rate is None or not intent.comparison.admits(abs(Decimal(str(rate))))):
                    continue
                found.append(({"单位": row["单位"], "年度": row["年度"], "报告": row["报告"], "项": BY_KEY[key].label,
                               "金额(万元)": row[metric_column(BY_KEY[key])], "比上年增减(万元)": row["比上年增减(万元)"],
                               "增减率(%)": rate, "依据": row["依据"]}, entity, evidence))
        answer.sparql = ""
        answer.intent["type"] = "component_changes"
        answer.columns = ["单位", "年度", "报告", "项", "金额(万元)", "比上年增减(万元)", "增减率(%)", "依据"]
        for row, entity, evidence in found:
            answer.add_row(row, entity, evidence)
        answer.answer = ("；".join(f"{r['单位']}{r['年度']}年{r['项']}{r['金额(万元)']}万元，比上年"
                                  f"{'增加' if r['比上年增减(万元)'] >= 0 else '减少'}{abs(r['比上年增减(万元)'])}万元"
                                  + (f"（{abs(r['增减率(%)'])}%）" if r.get("增减率(%)") is not None else "")
                                  for r in answer.rows) + "。") if answer.rows else \
            f"没有符合条件的{BY_KEY[asked[1]].label}分项 (no part changed as asked)。" if changed else \
            f"报告没有列出{BY_KEY[asked[1]].label}各分项比上年的增减，语料库中也没有上年的数 (no change of the parts is stated)。"
        return True

    def _component_rank(self, intent: Intent, answer: Answer) -> bool:
        asked = _asked_part(normalise(intent.question))
        reports = department_reports(intent, self.lexicon, self._reports_of(intent)) if asked else []  # its 部门 report
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
