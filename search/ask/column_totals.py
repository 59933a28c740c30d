"""A column a report's table prints under a named source, asked as a figure of its own: the total
row's cell of ``其中：教育收费`` in a 收入预算表 (事业收入中，教育收费有多少), ``其他专户收入拨款`` or any
other column the tables print by name and no report figure is kept for — not a source of money
the questions of a project's or a report's funds read elsewhere (事业单位经营收入, 其他资金).

``ColumnTotals`` is mixed into ``search.ask.engine.Asker``; it uses the asker's ``store``,
``lexicon``, ``_reports_of`` and ``_best_per_report``.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask import funds
from search.ask import sparql as q
from search.ask.differences import ASKS_SHARE
from search.ask.answer import Answer, wan
from search.ask.parser import Intent
from search.ask.question_metrics import report_metric_of

_PREFIX = "col:"
_ASKS_LIST = re.compile(r"哪些|哪几|哪个|哪一")


def _columns_query(reports: list[str]) -> str:
    values = " ".join(f"<{r}>" for r in reports)
    return ("SELECT ?report ?table ?title ?column ?amount ?page WHERE {\n"
            f"  VALUES ?report {{ {values} }}\n  ?table dcterms:isPartOf ?report ; rdfs:label ?title .\n"
            "  ?obs qb:dataSet ?table ; bkg:isTotal true ; bkg:fundType ?column ; bkg:amount ?amount .\n"
            "  OPTIONAL { ?obs prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n}")


class ColumnTotals:
    """A named column's total in the asked reports."""

    def _column_total(self, intent: Intent, answer: Answer) -> bool:
        text = normalise(intent.rest or intent.question)
        reports = self._reports_of(intent) if intent.units and not intent.projects and not _ASKS_LIST.search(text) else []
        if not reports:
            return False  # 哪些项级科目有基本建设资金支出: lines with that column, not its total
        totals = self.store.query(_columns_query(reports)).rows
        rows = [r for r in totals if str(r["column"]).startswith(_PREFIX)]
        named = [r for r in rows if len(label := normalise(str(r["column"])[len(_PREFIX):])) >= 4 and label in text
                 and report_metric_of(label) is None and not any(f.words.search(label) for f in funds.FUNDS)]
        if not named:
            return False
        longest = max(len(str(r["column"])) for r in named)
        chosen: dict[str, dict] = {}
        for row in sorted((r for r in named if len(str(r["column"])) == longest), key=lambda r: r.get("page") or 0):
            chosen.setdefault(row["report"], row)  # the first table printing it: the 收入 table before others
        answer.sparql = _columns_query(reports)
        answer.intent["type"] = "column_total"
        answer.columns = ["单位", "年度", "报告", "栏目", "金额(万元)", "表"]
        for report, row in chosen.items():
            label = self.lexicon.reports[report]
            column = str(row["column"])[len(_PREFIX):]
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "栏目": column,
                            "金额(万元)": wan(row["amount"]), "表": row["title"]}, report,
                           {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": row.get("page"),
                            "text": f"{row['title']} 合计行 {column} {wan(row['amount'])}万元"})
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{r['表']}合计行“{r['栏目']}”为{r['金额(万元)']}万元"
                                 for r in answer.rows) + "。"
        asked = ASKS_SHARE.search(text)
        whole = report_metric_of(text[asked.start() + 1:]) if asked else None
        if whole is not None:
            self._column_share(intent, answer, whole[0], {r: chosen[r]["table"] for r in chosen}, totals)
        return True

    def _column_share(self, intent: Intent, answer: Answer, whole, tables: dict[str, str], totals: list[dict]) -> None:
        """教育收费占事业收入的比例: each row's column total as a share of the report figure named after 占,
        else of the same table's total in the column of that source (事业收入 of a 收入决算表)."""
        figures = {r: f["value"] for r, f in self._best_per_report(
            self.store.query(q.report_metric_query(intent, whole.key)).rows).items()}
        fund = funds.asked_fund(normalise(whole.label))
        for report, table in tables.items():
            cell = next((t["amount"] for t in totals if t["table"] == table and (  # 事业收入/金额 over 其中：教育收费
                fund is not None and str(t["column"]) in fund.columns or str(t["column"]).startswith(f"total:{whole.label}/"))),
                None)
            if report not in figures and cell:
                figures[report] = cell
        shown = []
        for row, report in zip(answer.rows, answer.entities):
            value = figures.get(report)
            if value:
                share = (Decimal(str(row["金额(万元)"])) * 10000 / Decimal(str(value)) * 100).quantize(Decimal("0.01"))
                row[f"{whole.label}(万元)"], row["占比(%)"] = wan(value), float(share)
                shown.append(f"{row['栏目']}{row['金额(万元)']}万元，占{whole.label}{wan(value)}万元的{share}%")
        if shown:
            answer.columns += [f"{whole.label}(万元)", "占比(%)"]
            answer.answer = "；".join(shown) + "。"


__all__ = ["ColumnTotals"]
