"""Two figures set against each other: a figure's share of another of the same report, its
change against the year before (two years' reports, else the change the report states), two
units' figures of one year, a unit-year's 部门 report against its 单位 report, and a year's final
account against its budget (a report figure or a named line).

``ReportComparisons`` is mixed into ``search.ask.engine.Asker`` beside ``ReportAnswers``, whose
lookup hands it the rows it read.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from kg.graph.entities import base_name, normalise
from kg.model import YOY_BASIS
from search.ask import sparql as q
from search.ask.answer import Answer, metric_column, wan
from search.ask.numbers import FALLING
from search.ask.parser import Intent
from search.ask.report_rows import figure_rank, in_scope, qualified_first, reported_both_ways
from search.ask.reports import RATE, line_evidence, with_magnitude

_BUDGET_FIRST = re.compile(r"预算[^，。？?]{0,12}?(?:比|较)[^，。？?]{0,10}?决算")


_WHICH_WAY = re.compile(rf"(?:哪些|哪几|哪个|哪一)[^，。？?]*?(?:(?P<down>{FALLING})|增加|增长|上升|多了)")


class ReportComparisons:
    """Handlers comparing report figures (needs ``store``, ``lexicon``, ``_balanced``,
    ``_best_per_report``, ``_figure_evidence``, ``_stated_change``, ``_reports_of``, ``_named_line``,
    ``_line_rows`` and ``_report_passages`` of the class it is mixed into)."""

    def _ratio(self, intent: Intent, metric, rows: list[dict], answer: Answer) -> None:
        """One figure as a share of another of the same report (基本支出占支出总计的比例)."""
        whole_metric = intent.ratio_of
        parts = self._best_per_report(qualified_first(intent, rows))
        wholes = self._best_per_report(qualified_first(intent, in_scope(self._balanced(
            intent, whole_metric, self.store.query(q.report_metric_query(intent, whole_metric.key)).rows),
            intent.report_scope)))
        part_column, whole_column = metric_column(metric), metric_column(whole_metric)
        answer.columns = ["单位", "年度", "报告", part_column, whole_column, "占比(%)"]
        for report, part in sorted(parts.items(), key=lambda kv: (kv[1]["unit_name"], kv[1].get("year") or 0)):
            whole = wholes.get(report)
            if whole is None or not whole["value"]:
                continue
            share = (Decimal(part["value"]) / Decimal(whole["value"]) * 100).quantize(Decimal("0.01"))
            row = {"单位": part["unit_name"], "年度": part.get("year"), "报告": part.get("kind"),
                   part_column: wan(part["value"]), whole_column: wan(whole["value"]), "占比(%)": float(share)}
            printed = self._printed_share(report, wan(part["value"]), share)
            if printed is not None:  # 项目支出2,131.61万元，占36.3%: the share as the report prints it too
                row["报告所列占比(%)"] = float(printed)
            answer.add_row(row, report, self._figure_evidence(part))
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{metric.label}{r[part_column]}万元，占"
                                 f"{whole_metric.label}{r[whole_column]}万元的{r['占比(%)']}%"
                                 + (f"（报告所列{r['报告所列占比(%)']}%）" if "报告所列占比(%)" in r else "")
                                 for r in answer.rows) + ("。" if answer.rows else "")

    def _printed_share(self, report: str, amount, computed: Decimal) -> Decimal | None:
        """The share the report's text prints right after the amount (…2,131.61万元，占36.3%), when it
        agrees with the computed one to a tenth of a point."""
        figure = f"{Decimal(str(amount)):.2f}"
        for passage in self._report_passages([report]):
            text = re.sub(r"[\s,，]", "", passage.text)
            for match in re.finditer(re.escape(figure) + r"万元[^。；%]{0,6}?占(\d+(?:\.\d+)?)%", text):
                value = Decimal(match.group(1))
                if abs(value - computed) <= Decimal("0.1"):
                    return value
        return None

    def _year_over_year(self, intent: Intent, metric, rows: list[dict], answer: Answer) -> None:
        """Change against the year before: from two years in the graph when it has them, else as stated."""
        column = "比上年增减(万元)"
        answer.columns = ["单位", "年度", "报告", metric_column(metric), column, "增减方向", "增减额(万元)", "依据"]
        levels: dict[tuple, dict] = {}
        for row in rows:
            if row.get("basis") != YOY_BASIS and row.get("value") is not None:
                key = (row["unit_name"], row.get("year"))
                if key not in levels or figure_rank(row) < figure_rank(levels[key]):
                    levels[key] = row
        stated = {(r["unit_name"], r.get("year")): r for r in rows if r.get("basis") == YOY_BASIS}
        years = set(intent.years) or {y for _, y in levels} | {y for _, y in stated}
        for (unit, year), row in sorted(levels.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            if year not in years:
                continue
            before = levels.get((unit, year - 1)) if year else None
            if before is not None:
                change, how = row["value"] - before["value"], f"{year - 1}年与{year}年报告相减"
                evidence = self._figure_evidence(row)
            elif (unit, year) in stated:
                change, how = stated[(unit, year)]["value"], ("报告表中的增减变化金额" if stated[(unit, year)].get(
                    "stated_in") == "table" else "报告说明中的比上年增减")
                evidence = self._figure_evidence(stated[(unit, year)])
            else:
                continue
            out = {"单位": unit, "年度": year, "报告": row.get("kind"), metric_column(metric): wan(row["value"]),
                   column: wan(change), "依据": how}
            previous = Decimal(row["value"]) - Decimal(change)
            if previous:
                computed = Decimal(change) / previous * 100
                printed = _stated_rate(evidence.get("text") or "", computed)  # not ``stated``: the rows' dict
                out["增减率(%)"] = float(printed if printed is not None else computed.quantize(Decimal("0.01")))
            answer.add_row(with_magnitude(out, column, "增减率(%)"), row["report"], evidence)
        way = _WHICH_WAY.search(normalise(intent.question))
        if way and len(answer.rows) > 1:  # 哪些预算单位比上年减少了: the units whose change goes that way
            wanted = "减少" if way.group("down") else "增加"
            answer.keep([i for i, r in enumerate(answer.rows) if r.get("增减方向") == wanted and r.get("增减额(万元)")])
        if answer.rows:
            answer.answer = "；".join(
                f"{r['单位']}{r['年度']}年{metric.label}{r[metric_column(metric)]}万元，比上年"
                f"{'增加' if r[column] >= 0 else '减少'}{abs(r[column])}万元"
                + (f"（{'增长' if r[column] >= 0 else '下降'}{abs(r['增减率(%)'])}%）" if "增减率(%)" in r else "")
                for r in answer.rows) + "。"
        elif not self._stated_change(intent, answer):
            answer.answer = f"语料库中没有{metric.label}的上年数据，报告也未说明比上年的增减。"

    def _unit_difference(self, intent: Intent, metric, rows: list[dict], answer: Answer) -> None:
        """X的收入比Y多多少: the two units' figures of one year and their difference."""
        first, second = (u.name for u in intent.versus)
        best: dict[tuple, dict] = {}
        for row in rows:
            if row.get("value") is None or row.get("basis") == YOY_BASIS or row["unit_name"] not in (first, second):
                continue
            key = (row["unit_name"], row.get("year"))
            if key not in best or figure_rank(row) < figure_rank(best[key]):
                best[key] = row
        years = sorted({y for (u, y) in best if u == first} & {y for (u, y) in best if u == second}, reverse=True)
        if intent.years:
            years = [y for y in years if y in intent.years]
        column = metric_column(metric)
        answer.columns = ["单位", "对比单位", "年度", column, f"对比单位{column}", "差额(万元)"]
        own_years = {unit: sorted(y for (u, y) in best if u == unit and (not intent.years or y in intent.years))
                     for unit in (first, second)}
        if not years and len(own_years[first]) == 1 and len(own_years[second]) == 1:
            # 无锡信访局2025年的…和长沙信访局2026年的…相差多少: each unit's figure of the year named with it
            a, b = best[(first, own_years[first][0])], best[(second, own_years[second][0])]
            difference = wan(a["value"] - b["value"])
            answer.columns = ["单位", "年度", "对比单位", "对比年度", column, f"对比单位{column}", "差额(万元)", "相差(万元)"]
            answer.add_row({"单位": first, "年度": a.get("year"), "对比单位": second, "对比年度": b.get("year"),
                            column: wan(a["value"]), f"对比单位{column}": wan(b["value"]), "差额(万元)": difference,
                            "相差(万元)": abs(difference)},
                           a["report"], self._figure_evidence(a))
            answer.answer = (f"{first}{a.get('year')}年{metric.label}{wan(a['value'])}万元，{second}{b.get('year')}年"
                             f"{wan(b['value'])}万元，{'多' if difference >= 0 else '少'}{abs(difference)}万元（两者年度不同）。")
            return
        if not years:
            answer.answer = f"语料库中没有{first}和{second}同一年度的{metric.label}。"
            return
        a, b = best[(first, years[0])], best[(second, years[0])]
        difference = wan(a["value"] - b["value"])
        answer.add_row({"单位": first, "对比单位": second, "年度": years[0], column: wan(a["value"]),
                        f"对比单位{column}": wan(b["value"]), "差额(万元)": difference},
                       a["report"], self._figure_evidence(a))
        answer.answer = (f"{years[0]}年{first}{metric.label}{wan(a['value'])}万元，{second}{wan(b['value'])}万元，"
                         f"{'多' if difference >= 0 else '少'}{abs(difference)}万元。")

    def _scope_difference(self, intent: Intent, metric, rows: list[dict], answer: Answer) -> None:
        """部门汇总预算收入比局本级单位预算多多少: a unit-year's 部门 and 单位 reports, the one named
        first less the other."""
        column = metric_column(metric)
        answer.columns = ["单位", "年度", "报告", column, f"对比{column}", "差额(万元)", "相差(万元)"]
        wanted = {u.name for u in intent.units} | {base_name(u.name) for u in intent.units}
        said = []
        for (unit, year, kind), pair in sorted(reported_both_ways(rows).items(), key=lambda kv: str(kv[0])):
            if unit not in wanted or (intent.years and year not in intent.years):
                continue
            by_scope = dict(zip(("部门", "单位"), pair))
            a, b = (by_scope[s] for s in intent.scopes_compared)
            difference = wan(a["value"] - b["value"])
            answer.add_row({"单位": unit, "年度": year, "报告": kind, column: wan(a["value"]),
                            f"对比{column}": wan(b["value"]), "差额(万元)": difference, "相差(万元)": abs(difference)},
                           a["report"], self._figure_evidence(a))
            first, second = (f"{s}{'预算' if kind == '预算' else '决算'}" for s in intent.scopes_compared)
            said.append(f"{unit}{year}年{first}{metric.label}{wan(a['value'])}万元，{second}{wan(b['value'])}万元，"
                        f"{'多' if difference >= 0 else '少'}{abs(difference)}万元")
        answer.answer = "；".join(said) + "。" if said else \
            f"语料库中没有{'、'.join(sorted(wanted))}同一年度的部门报告和单位报告 (no such pair of reports)。"

    def _line_final_against_budget(self, intent: Intent, answer: Answer) -> bool:
        """实验室及相关设施决算比年初预算少了多少: a named line in a unit-year's 决算 and in its 预算
        report, and how far apart they are."""
        widened = dataclasses.replace(intent, report_kind=None)
        reports = self._reports_of(widened)
        if {self.lexicon.reports[r].report_kind for r in reports} != {"预算", "决算"}:
            return False
        found = self._named_line(widened, reports)
        if found is None:
            return False
        rows = self._line_rows(answer, reports, *found, normalise(intent.rest or intent.question))
        pairs: dict[tuple, dict] = {}
        for report, row in rows.items():
            label = self.lexicon.reports[report]
            pairs.setdefault((label.unit, label.year), {})[label.report_kind] = (report, row)
        answer.columns = ["单位", "年度", "科目", "决算(万元)", "预算(万元)", "差额(万元)", "相差(万元)"]
        said = []
        for (unit, year), kinds in sorted(pairs.items(), key=lambda kv: str(kv[0])):
            if len(kinds) != 2:
                continue
            (final_report, final), (_, budget) = kinds["决算"], kinds["预算"]
            difference = wan(Decimal(str(final["amount"])) - Decimal(str(budget["amount"])))
            answer.add_row({"单位": unit, "年度": year, "科目": final["line_name"], "决算(万元)": wan(final["amount"]),
                            "预算(万元)": wan(budget["amount"]), "差额(万元)": difference, "相差(万元)": abs(difference)},
                           final_report, line_evidence(self.lexicon.reports[final_report], final))
            said.append(f"{unit}{year}年{final['line_name']}决算{wan(final['amount'])}万元，预算{wan(budget['amount'])}万元，"
                        f"决算比预算{'多' if difference >= 0 else '少'}{abs(difference)}万元")
        if not said:
            answer.sparql = ""  # no pair of reports: the lookup goes on
            return False
        answer.intent["type"] = "line_final_against_budget"
        answer.answer = "；".join(said) + "。"
        return True

    def _final_against_budget(self, intent: Intent, metric, rows: list[dict], answer: Answer) -> None:
        """决算比年初预算多了多少: a year's final-account figure less its budget figure (the budget
        report's, else the 预算数 column of the final account)."""
        finals: dict[tuple, dict] = {}
        budgets: dict[tuple, tuple[int, dict]] = {}
        for row in rows:
            if row.get("value") is None or row.get("basis") == YOY_BASIS:
                continue
            key = (row["unit_name"], row.get("year"))
            if intent.years and row.get("year") not in intent.years:
                continue
            if row.get("kind") == "决算" and row.get("basis") in (None, "决算数"):
                if key not in finals or figure_rank(row) < figure_rank(finals[key]):
                    finals[key] = row
            elif row.get("kind") == "预算" or row.get("basis") == "预算数":
                rank = (0 if row.get("kind") == "预算" else 1, *figure_rank(row))
                if key not in budgets or rank < budgets[key][0]:
                    budgets[key] = (rank, row)
        column = metric_column(metric)
        first, second = ("预算", "决算") if _BUDGET_FIRST.search(normalise(intent.question)) else ("决算", "预算")
        change = f"{first}比{second}增减(万元)"  # 预算比决算多多少: the budget less the final figure
        answer.columns = ["单位", "年度", f"决算{column}", f"预算{column}", change]
        for key, final in sorted(finals.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            if key not in budgets:
                continue
            budget = budgets[key][1]
            difference = final["value"] - budget["value"]
            answer.add_row(with_magnitude({"单位": key[0], "年度": key[1], f"决算{column}": wan(final["value"]),
                                           f"预算{column}": wan(budget["value"]),
                                           change: wan(difference if first == "决算" else -difference)}, change),
                           final["report"], self._figure_evidence(final))  # 相差多少: the size too
        answer.answer = "；".join(
            f"{r['单位']}{r['年度']}年{metric.label}决算{r[f'决算{column}']}万元，预算{r[f'预算{column}']}万元，"
            f"{first}比{second}{'增加' if r[change] >= 0 else '减少'}{abs(r[change])}万元"
            for r in answer.rows) + "。" if answer.rows else f"语料库中没有同一年度{metric.label}的决算数和预算数。"


def _stated_rate(text: str, computed: Decimal) -> Decimal | None:
    """The change rate as the report prints it (下降53.3%) when it agrees with the computed one."""
    for match in RATE.finditer(text):
        value = Decimal(match.group(2))
        if abs(value - abs(computed)) <= Decimal("0.1"):
            return value if computed >= 0 else -value
    return None
