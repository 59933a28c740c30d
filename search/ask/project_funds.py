"""Answers about one named project's money by source: the part from one source (一般公共预算,
其他资金 …), two or more sources added (事业收入加上年结转), a source's share of the project's money,
and the sources a project's row in a 项目支出 table splits its money into when its 绩效目标表
prints none.

``ProjectFundAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's store,
``_run`` and ``_evidence``. Where each source is read is ``search.ask.funds``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask import funds
from search.ask import sparql as q
from search.ask.answer import Answer, wan
from search.ask.differences import ASKS_SHARE
from search.ask.numbers import ADDING
from search.ask.parser import Intent
from search.ask.question_metrics import PROJECT_BY_KEY

_ADDED = re.compile(rf"{ADDING}|加上|共有|[^增]加")


class ProjectFundAnswers:
    """Handlers of a named project's sources of money."""

    def _project_funds_summed(self, intent: Intent, answer: Answer) -> bool:
        """Two or more sources of each named project's money the question adds (事业收入加上年结余结转)."""
        text = normalise(intent.question)
        named = funds.asked_funds(text)
        if len(named) > 2 and named[0] is funds.FUNDS[0]:
            named = named[1:]  # 非财政拨款的资金（事业收入加上年结余结转）: the whole, then its parts added
        left_out = [f for f in named if re.search(rf"(?:{f.words.pattern})(?:拨款|资金|收入)?(?:以外|之外)", text)]
        if left_out and len(named) - len(left_out) >= 2:
            named = [f for f in named if f not in left_out]  # 一般公共预算拨款以外的资金（事业收入和上年结转）
        if len(named) < 2 or not _ADDED.search(text):
            return False
        rows = self._run(answer, funds.project_funds_query(intent.projects))
        found = [funds.amounts(fund, rows) for fund in named]
        answer.sparql = ""
        projects = [p for p in intent.projects if all(p.iri in f for f in found)]
        if not projects:
            return False
        answer.intent["type"] = "project_funds_summed"
        answer.columns = ["项目", "单位", "年度", "实施单位", "合计(万元)", "构成"]
        for project in projects:
            parts = [(fund.label, f[project.iri][0]) for fund, f in zip(named, found)]
            total = sum((Decimal(str(a)) for _, a in parts), Decimal(0))
            answer.add_row({"项目": project.name, "单位": project.unit, "年度": project.year,
                            "实施单位": project.implementer, "合计(万元)": wan(total),
                            "构成": "＋".join(f"{label}{wan(a)}万元" for label, a in parts)}, project.iri)
        self._evidence(answer, "funding")
        answer.answer = "；".join(f"{r['项目']}：{r['构成']}，合计{r['合计(万元)']}万元" for r in answer.rows) + "。"
        return True

    def _project_fund(self, intent: Intent, fund: funds.Fund, answer: Answer) -> bool:
        """The part of each named project's money from one source (一般公共预算, 其他资金 …)."""
        found = funds.amounts(fund, self._run(answer, funds.project_funds_query(intent.projects)))
        if not found:
            answer.sparql = ""
            return False
        answer.intent["type"] = "project_fund"
        column = f"{fund.label}(万元)"
        answer.columns = ["项目", "单位", "年度", "报告", "实施单位", column, "出处"]
        for project in intent.projects:
            if project.iri not in found:
                continue
            amount, where, page = found[project.iri]
            evidence = {"report": f"{project.unit} {project.year}年{project.report_kind or ''}", "page": page,
                        "text": f"{where}：{project.name} {fund.label} {wan(amount)}万元"} if page else None
            answer.add_row({"项目": project.name, "单位": project.unit, "年度": project.year, "报告": project.report_kind,
                            "实施单位": project.implementer, column: wan(amount), "出处": where}, project.iri, evidence)
        self._evidence(answer, "funding")
        answer.answer = "；".join(f"{r['项目']}（{r['单位']} {r['年度']}年{r['报告']}"
                                 f"{'，实施单位' + r['实施单位'] if r['实施单位'] else ''}）的{fund.label}为{r[column]}万元"
                                 for r in answer.rows) + "。"
        if ASKS_SHARE.search(normalise(intent.question)):
            self._fund_share(intent, answer, column, fund.label)
        return True

    def _fund_share(self, intent: Intent, answer: Answer, column: str, label: str) -> None:
        """其他资金占该项目总额的比例: each row's source as a share of its project's money."""
        totals = {r["project"]: r["value"] for r in self.store.query(q.project_query(
            intent, PROJECT_BY_KEY["budget"], projects=intent.projects)).rows if r.get("value")}
        for row, entity in zip(answer.rows, answer.entities):
            if totals.get(entity):
                row["资金总额(万元)"] = wan(totals[entity])
                row["占比(%)"] = float((Decimal(str(row[column])) * 10000 / Decimal(str(totals[entity])) * 100)
                                     .quantize(Decimal("0.01")))
        shared = [r for r in answer.rows if "占比(%)" in r]
        if shared:
            answer.columns += ["资金总额(万元)", "占比(%)"]
            answer.answer = "；".join(f"{r['项目']}的{label}{r[column]}万元，占资金总额{r['资金总额(万元)']}万元的"
                                     f"{r['占比(%)']}%" for r in shared) + "。"

    def _funds_in_tables(self, intent: Intent, answer: Answer) -> None:
        """资金来源 of projects whose 绩效目标表 prints none: the sources the 项目支出 table's row for the
        project splits its money into (一般公共预算 1257, 事业收入 40, 上年结转 60)."""
        rows = self.store.query(funds.project_funds_query(intent.projects)).rows
        sources = [(fund, funds.amounts(fund, rows)) for fund in funds.FUNDS[1:]]  # 其他资金 is the others' sum
        for project in intent.projects:
            for fund, amounts in sources:
                found = amounts.get(project.iri)
                if found and found[0]:
                    answer.add_row({"项目": project.name, "单位": project.unit, "年度": project.year,
                                    "资金层级": fund.label, "口径": "年度", "金额(万元)": wan(found[0])}, project.iri,
                                   {"report": f"{project.unit} {project.year}年{project.report_kind or ''}",
                                    "page": found[2], "text": f"{found[1]}：{project.name} {fund.label} {wan(found[0])}万元"}
                                   if found[2] else None)


__all__ = ["ProjectFundAnswers"]
