"""One line of a report asked in parts or as a whole: its 基本支出 and 项目支出 tables added
(印刷费在基本支出和项目支出里一共), or its money that is not 财政拨款 (the 支出总表 less the 财政拨款
table: “信访业务”科目里有多少钱不是财政拨款); the same for a report's 项目支出/基本支出/支出 total
(项目支出里有多少不是靠财政拨款)."""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask.answer import Answer, as_int, wan
from search.ask.parser import Intent
from search.ask import sparql as q
from search.ask.prose import best_statement
from search.ask.reports import codes_stripped, line_evidence

_WHOLE = re.compile(r"一共|合计|总额|总共|加起来|全部|共计")
_ASKS_LISTED = re.compile(r"哪(?:几|些)(?:个|项)?(?:专项|项目)|(?:专项|项目)(?:经费)?(?:有|是)哪(?:几|些)")
_PROJECTS_LISTED = re.compile(r"(?:以及|还有)(?P<list>[^。；;]{4,120}?)等?项目支出")
_STATES_WHOLE = re.compile(r"总额|合计|共计|总计|一共")
NOT_FISCAL = re.compile(r"不是(?:靠|由|用)?财政拨款|非财政拨款|财政拨款以外|财政拨款之外|不属于财政拨款|"
                         r"(?:总额|合计|总计|全部)[^，。？?]{0,6}?(?:和|与|跟|比)其中的?财政拨款[^，。？?]{0,8}?(?:差|多)")
# a report total and its 一般公共预算 part: what is left is not 财政拨款 when neither 政府性基金 nor
# money carried over (which may be 财政拨款 of earlier years) is budgeted
_FISCAL_PART = {"expenditure.project": "general_budget.project", "expenditure.basic": "general_budget.basic"}


class LineParts:
    """Handlers of a line's parts (needs ``lexicon``, ``_reports_of``, ``_report_passages``,
    ``_named_line`` and ``_named_line_rows`` of the class it is mixed into)."""

    def _line_parts_named(self, intent: Intent, answer: Answer) -> bool:
        """A table line asked in both 基本支出 and 项目支出 (not the two totals): the line's two parts."""
        text = normalise(intent.rest or intent.question)
        if not (intent.units and not intent.projects and "基本支出" in text and "项目支出" in text):
            return False
        reports = self._reports_of(intent)
        found = self._named_line(intent, reports) if reports else None
        if found is None:
            return False
        named, printed = found
        return self._line_in_both_parts(answer, reports, named, self._named_line_rows(answer, reports, named, printed), text)

    def _line_in_both_parts(self, answer: Answer, reports: list[str], named: str, rows: list[dict], text: str) -> bool:
        """印刷费在基本支出和项目支出里一共安排了多少: an economic line (``rows``, its table rows) a report
        prints in its 基本支出 table and in its 项目支出 table, added, when the question asks the whole
        (一共, 总额) or names both parts — not one part when the other is printed too."""
        both = "基本支出" in text and "项目支出" in text
        if not (both or _WHOLE.search(text) and not any(w in text for w in ("基本支出", "项目支出", "人员经费", "公用经费"))):
            return False
        if not both and rows and all("基本支出" in r["title"] for r in rows) and \
                self._whole_stated(answer, reports, named):
            return True  # 委托业务费的财政拨款预算总额: a 基本支出 table holds a part, the text states the whole
        sums = {}
        for report in reports:
            parts = {}
            for row in rows:
                title = row["title"]
                part = "基本支出" if "基本支出" in title and "项目支出" not in title else \
                    "项目支出" if "项目支出" in title and "基本支出" not in title else None
                if row["report"] == report and row["fund"] == "total" and part:
                    parts.setdefault(part, {}).setdefault(row["table"], row)
            if len(parts) == 2 and all(len(tables) == 1 for tables in parts.values()):
                sums[report] = [next(iter(parts[p].values())) for p in ("基本支出", "项目支出")]
        if not sums:
            return False
        answer.intent["type"] = "line_in_both_parts"
        answer.columns = ["单位", "年度", "报告", "科目", "合计(万元)", "基本支出(万元)", "项目支出(万元)"]
        for report, (basic, project) in sums.items():
            label = self.lexicon.reports[report]
            total = Decimal(str(basic["amount"])) + Decimal(str(project["amount"]))
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind,
                            "科目": codes_stripped(basic["line_name"]), "合计(万元)": wan(total),
                            "基本支出(万元)": wan(basic["amount"]), "项目支出(万元)": wan(project["amount"])},
                           report, line_evidence(label, basic))
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{r['科目']}：基本支出{r['基本支出(万元)']}万元＋"
                                 f"项目支出{r['项目支出(万元)']}万元，合计{r['合计(万元)']}万元" for r in answer.rows) + "。"
        return True

    def _line_not_fiscal(self, answer: Answer, reports: list[str], rows: list[dict], text: str) -> bool:
        """“信访业务”科目的支出里有多少钱不是财政拨款: the line (``rows``, its table rows) in the 支出总表
        (all money) less the same line in the 财政拨款 (一般公共预算) expenditure table."""
        if not NOT_FISCAL.search(text):
            return False
        found = {}
        for report in reports:
            mine = [r for r in rows if r["report"] == report and r["fund"] == "total"]
            whole = [r for r in mine if r["table_kind"] == "expenditure_summary"]
            fiscal = [r for r in mine if r["table_kind"] == "general_budget_expenditure"]
            if len({r["amount"] for r in whole}) == 1 and len({r["amount"] for r in fiscal}) == 1:
                found[report] = (whole[0], fiscal[0])  # one figure each, however many tables print it
        if not found:
            return False
        answer.intent["type"] = "line_not_fiscal"
        answer.columns = ["单位", "年度", "报告", "科目", "非财政拨款(万元)", "支出合计(万元)", "财政拨款(万元)"]
        for report, (whole, fiscal) in found.items():
            label = self.lexicon.reports[report]
            rest = Decimal(str(whole["amount"])) - Decimal(str(fiscal["amount"]))
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind,
                            "科目": codes_stripped(whole["line_name"]), "非财政拨款(万元)": wan(rest),
                            "支出合计(万元)": wan(whole["amount"]), "财政拨款(万元)": wan(fiscal["amount"])},
                           report, line_evidence(label, whole))
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{r['科目']}：支出合计{r['支出合计(万元)']}万元，"
                                 f"其中财政拨款{r['财政拨款(万元)']}万元，非财政拨款{r['非财政拨款(万元)']}万元"
                                 for r in answer.rows) + "。"
        return True

    def _total_not_fiscal(self, intent: Intent, answer: Answer) -> bool:
        """项目支出里有多少不是靠财政拨款: the report's total less its 一般公共预算 part, for reports that
        budget no 政府性基金 and carry nothing over (parts of the total no figure holds)."""
        metric = intent.report_metric
        if metric is None or metric.key not in _FISCAL_PART or not NOT_FISCAL.search(normalise(intent.question)) \
                or intent.yoy or not intent.units:
            return False
        best = {key: self._best_per_report(self.store.query(q.report_metric_query(intent, key)).rows)
                for key in (metric.key, _FISCAL_PART[metric.key], "income.fund_budget", "income.carryover")}
        whole, fiscal = best[metric.key], best[_FISCAL_PART[metric.key]]
        found = [r for r in whole if r in fiscal and not any(
            r in best[other] and Decimal(str(best[other][r]["value"])) > 0 for other in ("income.fund_budget", "income.carryover"))]
        if not found:
            return False
        answer.intent["type"] = "total_not_fiscal"
        answer.columns = ["单位", "年度", "报告", "非财政拨款(万元)", f"{metric.label}(万元)", "一般公共预算(万元)"]
        for report in found:
            label, total, part = self.lexicon.reports[report], whole[report], fiscal[report]
            rest = Decimal(str(total["value"])) - Decimal(str(part["value"]))
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind, "非财政拨款(万元)": wan(rest),
                            f"{metric.label}(万元)": wan(total["value"]), "一般公共预算(万元)": wan(part["value"])},
                           report, self._figure_evidence(total))
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{metric.label}{r[f'{metric.label}(万元)']}万元，"
                                 f"其中一般公共预算财政拨款{r['一般公共预算(万元)']}万元（未列政府性基金和上年结转），"
                                 f"非财政拨款{r['非财政拨款(万元)']}万元" for r in answer.rows) + "。"
        return True

    def _whole_stated(self, answer: Answer, reports: list[str], named: str) -> bool:
        """The sentence of the reports that states the whole of a line (本部门委托业务费财政拨款预算总额
        236.75万元) when its tables print only its 基本支出 part."""
        stated = best_statement(f"{named}预算总额", "万元", self._report_passages(reports))
        if stated is None or named not in normalise(stated.sentence) or not _STATES_WHOLE.search(stated.sentence):
            return False
        answer.sparql, answer.mode = "", "prose"
        answer.intent["type"] = "line_stated_whole"
        answer.columns = ["单位", "年度", "科目", "金额(万元)", "原文"]
        answer.add_row({"单位": stated.passage.facets.get("unit"), "年度": as_int(stated.passage.facets.get("year")),
                        "科目": named, "金额(万元)": float(stated.value), "原文": stated.sentence}, stated.passage.id,
                       {"report": stated.passage.source, "page": stated.passage.page, "text": stated.sentence})
        answer.answer = (f"{named}{stated.value}万元（表中只列基本支出部分；{stated.passage.source} "
                         f"第{stated.passage.page}页：{stated.sentence}）")
        return True

    def _line_projects_stated(self, answer: Answer, reports: list[str], named: str, question: str) -> bool:
        """“一般公共服务支出”中的项目支出主要是哪几个专项: the projects the line's explaining sentence lists
        (…科目1,744万元，主要用于…等基本支出，以及A、B、C等项目支出)."""
        if not _ASKS_LISTED.search(question):
            return False
        for passage in self._report_passages(reports):
            for sentence in re.split(r"[。；;]", normalise(passage.text)):
                listed = _PROJECTS_LISTED.search(sentence)
                if not listed or named not in sentence[:listed.start()]:
                    continue
                items = [i.strip("“”\"") for i in re.split(r"[、，,]|和(?=[\u4e00-\u9fff]{4})", listed.group("list")) if len(i) >= 3]
                if len(items) < 2:
                    continue
                answer.sparql, answer.mode = "", "prose"
                answer.intent["type"] = "line_projects_stated"
                answer.columns = ["项目", "科目", "单位", "年度"]
                for item in items:
                    answer.add_row({"项目": item, "科目": named, "单位": passage.facets.get("unit"),
                                    "年度": as_int(passage.facets.get("year"))}, passage.id,
                                   {"report": passage.source, "page": passage.page, "text": sentence})
                answer.answer = f"{named}的项目支出主要是：{'、'.join(items)}（{passage.source} 第{passage.page}页：{sentence}）"
                return True
        return False
