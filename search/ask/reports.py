"""Answers about a report's own figures: lookups, rankings and filters of units, shares of two
figures, year-over-year changes, and classification lines read from the tables.

``ReportAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's store,
lexicon and ``_run``.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from decimal import Decimal

from kg.graph.entities import ALL_LINE_NAMES, base_name, normalise
from kg.metrics import BY_KEY, METRICS
from kg.model import YOY_BASIS
from search.ask import lineage
from search.ask.numbers import ASKS_YUAN
from search.ask import sparql as q
from search.ask.answer import Answer, metric_column, plain, quantity_unit, wan
from search.ask.parser import Intent
from search.ask.question_metrics import report_metric_of
from search.ask.places import places
from search.ask.paraphrase import LEFT_OUT_NOTE, covered
from search.ask.report_rows import department_first, department_reports, figure_rank, in_scope, qualified_first
from search.ask.prose import asked_measure, best_statement


class ReportAnswers:
    """Handlers of report-figure intents (report_lookup, report_rank, ratios, changes, lines)."""

    def _report_lookup(self, intent: Intent, answer: Answer) -> None:
        if intent.summed and self._named_sum(intent, answer):
            return
        item = cost_item(intent)
        if _FINAL_VS_BUDGET.search(normalise(intent.question)) and self._line_final_against_budget(intent, answer):
            return
        if intent.yoy and intent.ratio_of is None and (item or self._named_line(intent, self._reports_of(intent))):
            if self._stated_change(intent, answer) or not item:  # 培训费比上年减少了多少: stated in prose
                return
        whole_year = item in _TABLE_COLUMN_ITEMS and not _NAMES_BASIC.search(normalise(intent.question))
        if whole_year and not intent.yoy and not intent.asks_units and self._item_lookup(intent, item, answer):
            return  # 一般公共预算安排的培训费: the 三公 table's column (all the year's), not the 基本支出 line
        if intent.ratio_of is None and not intent.asks_units and not intent.yoy and self._line_lookup(intent, answer):
            return
        if self._project_stated(intent, answer):
            return  # 检察官学院运行费项目支出: a project named only in a line's explaining sentence
        if self._total_not_fiscal(intent, answer):
            return  # 项目支出里有多少不是靠财政拨款: the total less its 一般公共预算 part
        if item and not intent.yoy and not intent.asks_units and self._item_lookup(intent, item, answer):
            return
        metric = BY_KEY[_TABLE_COLUMN_ITEMS[item]] if intent.yoy and item in _TABLE_COLUMN_ITEMS else intent.report_metric
        missing_line = self._line_elsewhere(intent, metric)
        if missing_line and not intent.yoy and self._item_lookup(intent, missing_line, answer):
            return  # 委托业务费预算总额277万元: no table line of it here, but the text states it
        if missing_line and self._member_block_line(intent, missing_line, answer):
            return  # 广州市统计普查中心的工资福利支出: its line in its department's table by unit
        if missing_line:  # 工资福利支出 of a report that prints no such line: not its 支出总计
            _line_not_printed(answer, missing_line, "；它只出现在语料库的其他报告中。")
            return
        rows = in_scope(self._balanced(intent, metric, self._run(answer, q.report_metric_query(intent, metric.key))),
                        intent.report_scope)
        if intent.scopes_compared:
            self._scope_difference(intent, metric, rows, answer)
            return
        rows, own_reports = department_first(intent, rows)
        if intent.ratio_of is not None and not (len(intent.units) >= 2 and intent.ratio_of.key == metric.key):
            self._ratio(intent, metric, rows, answer)  # two units' same figure: one row each, then their share
            return
        if intent.versus:
            self._unit_difference(intent, metric, rows, answer)
            return
        if (intent.yoy or _DIFFERENCE.search(normalise(intent.question))) and len(intent.years) <= 1 and \
                _FINAL_VS_BUDGET.search(normalise(intent.question)):  # 决算数比当年预算数多了多少
            widened = type(intent)(**{**intent.__dict__, "report_kind": None})
            rows = in_scope(self.store.query(q.report_metric_query(widened, metric.key)).rows, intent.report_scope)
            self._final_against_budget(intent, metric, rows, answer)
            return
        if intent.yoy:  # X（本级）比上年: its own row of the department's table, not the department's
            self._year_over_year(intent, metric, qualified_first(intent, rows), answer)
            return
        rows = [r for r in rows if r.get("basis") != YOY_BASIS]
        if len(intent.units) > 2 and intent.own_level:  # 上海刑科院、福州医保局和无锡市教育局（本级）: that one's 单位 report
            rows = [r for r in rows if not (r["unit_name"] in intent.own_level and r.get("report_scope") == "部门"
                                            and any(o["unit_name"] == r["unit_name"] and o.get("report_scope") == "单位"
                                                    for o in rows))]
        best: dict[tuple, dict] = {}
        for row in rows:
            key = (row["report"], row["unit"])
            current = best.get(key)
            if current is None or figure_rank(row) < figure_rank(current):
                best[key] = row
        column = metric_column(metric)
        answer.columns = ["单位", "年度", "报告", column]
        chosen = sorted(best.values(), key=lambda r: (r["unit_name"], r.get("year") or 0))
        chosen = qualified_first(intent, self._in_places(intent, [r for r in chosen if _passes(intent, r)]))
        if intent.subunits and intent.asks_units and lineage.excludes_own(intent.question, len(chosen)):
            departments = [u.name for u in intent.units if base_name(u.name) == u.name]  # 下属单位中…最多的
            chosen = [r for r in chosen if not any(lineage.is_own(r["unit_name"], d) for d in departments)]
        if intent.order:
            chosen.sort(key=lambda r: (r.get("value") or r.get("quantity") or 0), reverse=intent.order == "desc")
            if not intent.limit and chosen:
                top = chosen[0].get("value") or chosen[0].get("quantity")
                chosen = [r for r in chosen if (r.get("value") or r.get("quantity")) == top]
            elif intent.limit:
                chosen = chosen[: intent.limit]
        for row in chosen:
            value = wan(row["value"]) if row.get("value") is not None else plain(row.get("quantity"))
            out = {"单位": row["unit_name"], "年度": row.get("year"), "报告": row.get("kind"), column: value}
            if (row.get("printed") or "").endswith("元") and not row["printed"].endswith("万元"):
                out["原文金额"] = row["printed"]  # a report printed in 元: its own figure beside the 万元
            if row.get("value") is not None and ASKS_YUAN.search(normalise(intent.question)):
                out["金额(元)"] = float(Decimal(str(row["value"])).quantize(Decimal("0.01")).normalize())
            answer.add_row(out, row["report"], self._figure_evidence(row))
        named = report_metric_of(normalise(intent.question))
        if not answer.rows and metric.kind == "money" and named and named[0].key == metric.key and not (
                intent.order or intent.subunits or intent.asks_units or intent.comparison):
            question = normalise(intent.question)
            part = _PART_OF_NAMED.search(question, question.find(named[1]) + 1)
            if part and part.group(1) != named[1]:  # 基本支出中的工资福利支出: a line no table here prints
                if not self._member_block_line(intent, part.group(1), answer):  # unless its department's does
                    _line_not_printed(answer, part.group(1), "。")
                return
            if not self._reports_of(intent) and intent.implementers:  # a member its department's report prints
                self._member_projects_total(intent, metric, answer)  # no figure of: its department's is no answer
                return
            if self._item_lookup(intent, named[1], answer):
                return  # 事业收入136,385.24万元 stated only in the 决算's text: that sentence
        unit_word = "万元" if metric.kind == "money" else quantity_unit(metric)
        if answer.rows and intent.subunits and intent.asks_units:  # 哪些单位…超过3亿元: the units, with their figures
            lead = (f"{metric.label}{'最高' if intent.order == 'desc' else '最低'}的是" if intent.order and not intent.limit
                    else f"符合条件的单位{len(answer.rows)}个：")
            answer.answer = lead + "、".join(
                f"{r['单位']}（{r[column]}{unit_word}）" for r in answer.rows) + "。"
            if intent.aggregate == "count" and not intent.order and "哪" not in intent.question:
                _counted(answer, column, unit_word)  # 有多少家所属单位…超过1亿元: the count, naming them
        elif answer.rows and not intent.subunits:
            unit_word = "万元" if metric.kind == "money" else ""
            answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{metric.label}为{r[column]}{unit_word or quantity_unit(metric)}"
                                     for r in answer.rows) + "。" + (
                f"（按部门预算回答；{'、'.join(own_reports)}另有本级单位预算，问“本级”或“单位预算”可查 "
                f"(answered from the department's report; ask 本级/单位预算 for the unit's own)）" if own_reports else "")

    def _item_lookup(self, intent: Intent, item: str, answer: Answer) -> bool:
        """One named cost item of the asked reports (一般公共预算安排的培训费): a column of the 三公
        table, a table line or the sentence that states it."""
        if not self._named_sum(dataclasses.replace(intent, summed=[item]), answer):
            return False
        answer.intent["type"] = "item_lookup"
        answer.columns = ["单位", "年度", "报告", "金额(万元)", "构成"]
        for row in answer.rows:
            row["金额(万元)"] = row.pop("合计(万元)")
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{item}为{r['金额(万元)']}万元"
                                 for r in answer.rows) + "。"
        return True

    def _reports_of(self, intent: Intent) -> list[str]:
        """IRIs of the reports of the units, years and report kind the question names."""
        names = {u.name for u in intent.units}
        reports = [iri for iri, r in self.lexicon.reports.items()
                   if r.unit in names and (not intent.years or r.year in intent.years)
                   and (not intent.report_kind or r.report_kind == intent.report_kind)]
        scope = intent.report_scope or ("单位" if any("本级" in u.name for u in intent.units) else None)
        scoped = [iri for iri in reports if self.lexicon.reports[iri].scope == scope]
        return scoped if scope and scoped else reports  # 单位预算 or X（本级） asked: the 单位 report

    def _line_lookup(self, intent: Intent, answer: Answer) -> bool:
        """A classification line the question names (高中教育, 委托业务费, 科学技术支出) read from the
        report's tables: the 支出总表 first (财政拨款 tables when 财政拨款 is asked), the column the
        question names (项目支出, 基本支出, 人员经费, 公用经费) or the line's total."""
        reports = self._reports_of(intent)
        if not reports:
            return False
        found = self._named_line(intent, reports)
        if found is None:
            return False
        named, printed = found
        text = normalise(intent.rest or intent.question)
        if self._line_projects_stated(answer, reports, named, normalise(intent.question)):
            return True  # …科目中的项目支出主要是哪几个专项: the projects its explaining sentence lists
        if named in _TABLE_COLUMN_ITEMS and not _NAMES_BASIC.search(normalise(intent.question)) and \
                self._item_lookup(intent, named, answer):
            return True  # 会议费一共安排了多少: the 三公 table's 会议费 column (all money), not the 基本支出 line
        rows = self._named_line_rows(answer, reports, named, printed)
        if self._line_in_both_parts(answer, reports, named, rows, text) or \
                self._line_not_fiscal(answer, reports, rows, normalise(intent.question)):
            return True
        fund = _asked_fund(text, named)
        answer.intent["type"] = "line_lookup"
        answer.columns = ["单位", "年度", "报告", "科目", "栏目", "金额(万元)", "表"]
        for report, row in self._line_rows(answer, reports, named, printed, text, rows).items():
            label = self.lexicon.reports[report]
            out = {"单位": label.unit, "年度": label.year, "报告": label.report_kind, "科目": row["line_name"],
                   "栏目": fund, "金额(万元)": wan(row["amount"]), "表": row["title"]}
            if ASKS_YUAN.search(text):  # 多少元: the amount as the table holds it, not rounded to 0.0001万元
                out["金额(元)"] = float(Decimal(str(row["amount"])).quantize(Decimal("0.01")).normalize())
            answer.add_row(out, report, line_evidence(label, row))
        if not answer.rows:
            answer.sparql = ""
            return False
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}{r['表']}中{r['科目']}为{r['金额(万元)']}万元"
                                 for r in answer.rows) + "。"
        return True

    def _named_line_rows(self, answer: Answer, reports: list[str], named: str,
                         printed: dict[str, set[str]]) -> list[dict]:
        """Every table row of line ``named`` in the reports, however its code is printed."""
        spellings = {named, *_SPENDING_SUFFIX.subn("", named)[:1], f"{named}支出"}  # 23、灾害防治及应急管理 = …支出
        names = sorted(set().union(*(printed.get(s, set()) for s in spellings)))
        rows = self._run(answer, q.lines_query(reports, names))
        return [r for r in rows if normalise(codes_stripped(r["line_name"])) in spellings]

    def _line_rows(self, answer: Answer, reports: list[str], named: str, printed: dict[str, set[str]],
                   text: str, rows: list[dict] | None = None) -> dict[str, dict]:
        """Per report, the amount of line ``named``: in the column ``text`` names (项目支出, 人员经费 …)
        or the total, from the 支出总表 first (财政拨款 tables when 财政拨款 is asked); ``rows``, the
        line's rows when already read."""
        rows = self._named_line_rows(answer, reports, named, printed) if rows is None else rows
        fund = _asked_fund(text, named)
        order = table_order(text)
        chosen = {}
        for report in reports:
            named_rows = [r for r in rows if r["report"] == report]
            # 基本支出的差旅费: the basic expenditure table's own line first, then a basic column elsewhere
            mine = sorted((r for r in named_rows if r["table_kind"] == "basic_by_economic" and r["fund"] == "total"),
                          key=lambda r: "基本支出" not in r["title"]) if fund == "basic" else []
            mine = mine or [r for r in named_rows if r["fund"] == fund]
            if not mine and fund == "total":  # a line of the 基本支出 table only: its 总计 is read as 基本支出
                mine = [r for r in named_rows if r["fund"] == "basic"]
            repeats = Counter(r["table"] for r in mine)  # a table printing the line once per unit block
            mine.sort(key=lambda r: (repeats[r["table"]] > 1,  # gives no one figure for the report
                                     order.index(r["table_kind"]) if r["table_kind"] in order else len(order)))
            if mine:
                chosen[report] = mine[0]
        return chosen

    def _named_sum(self, intent: Intent, answer: Answer) -> bool:
        """“三公”经费、会议费和培训费加起来: each named figure (a report metric or a table line) of the
        asked reports, and their sum where a report has them all (a 预算单位's in its department's report)."""
        measure = asked_measure(normalise(intent.question))
        if len(intent.summed) >= 2 and measure not in (None, "%", "钱", "元", "万元", "平方米"):
            self._prose(intent, answer, measure)  # 机要通信用车和应急保障用车合计多少辆: counts the text states
            return bool(answer.rows)
        reports = department_reports(intent, self.lexicon, self._reports_of(intent) or self._printing_reports(intent))
        found = [self._item_amounts(intent, answer, reports, item) for item in intent.summed]
        common = sorted(set.intersection(*(set(f) for f in found))) if found else []
        if not common:
            return False
        answer.intent["type"] = "named_sum"
        answer.sparql = ""
        answer.columns = ["单位", "年度", "报告", "合计(万元)", "构成"]
        for report in common:
            label, items = self.lexicon.reports[report], [f[report] for f in found]
            answer.add_row({"单位": label.unit, "年度": label.year, "报告": label.report_kind,
                            "合计(万元)": wan(sum(v for v, _, _ in items)),
                            "构成": "＋".join(f"{name}{wan(v)}万元" for v, name, _ in items)}, report, items[0][2])
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年{r['报告']}：{r['构成']}，合计{r['合计(万元)']}万元"
                                 for r in answer.rows) + "。"
        return True

    def _item_amounts(self, intent: Intent, answer: Answer, reports: list[str], item: str) -> dict[str, tuple]:
        """One named figure of each report: report → (元, name, evidence), from a report metric, a
        table line, or the sentence of the text that states it (培训费 stated only in prose)."""
        metric, amounts = report_metric_of(item) or _sibling_metric(intent, item), {}
        column = _TABLE_COLUMN_ITEMS.get(item) if not _NAMES_BASIC.search(normalise(intent.question)) else None
        if metric is None and column:  # 会议费/培训费: the 三公 table's column where the report prints one
            metric = (BY_KEY[column], item)
        if metric is not None:
            rows = in_scope(self.store.query(q.report_metric_query(intent, metric[0].key)).rows, intent.report_scope)
            for report, row in self._best_per_report(rows).items():
                amounts[report] = (Decimal(row["value"]), metric[0].label, self._figure_evidence(row))
        if metric is None or column or len(amounts) < len(reports):  # no such figure printed: its table line
            line = self._named_line(intent, reports, item)
            fiscal = "财政拨款" if table_order(normalise(intent.question)) is _FISCAL_TABLES else ""  # …财政拨款支出中
            for report, row in (self._line_rows(answer, reports, *line, normalise(item) + fiscal) if line else {}).items():
                amounts.setdefault(report, (Decimal(row["amount"]), row["line_name"],
                                            line_evidence(self.lexicon.reports[report], row)))
        for report in (r for r in reports if r not in amounts):
            stated = best_statement(item, "万元", self._report_passages([report]))
            if stated is not None and not another_projects(item, stated):
                amounts[report] = (Decimal(stated.value) * 10000, item, {
                    "report": stated.passage.source, "page": stated.passage.page, "text": stated.sentence})
        return {r: v for r, v in amounts.items() if r in reports}

    def _named_line(self, intent: Intent, reports: list[str], text: str | None = None) -> tuple[str, dict[str, set[str]]] | None:
        """The classification line the question (or ``text``) names in these reports (its normalised
        name) and the printed names of all their lines, or None."""
        printed: dict[str, set[str]] = {}
        missing = [r for r in reports if r not in self._line_names]
        if missing:  # one query for every report not yet cached, not one per report
            for report in missing:
                self._line_names[report] = set()
            for row in self.store.query(q.line_names_query(missing)).rows:
                self._line_names[row["report"]].add(row["line_name"])
        for report in reports:
            for name in self._line_names[report]:
                printed.setdefault(normalise(codes_stripped(name)), set()).add(name)
        return self._named_in(intent, printed, text)

    def _corpus_lines(self) -> dict[str, set[str]]:
        """The printed names of every table line in the corpus by normalised name: those the lexicon
        keeps (listed once per store generation), else one scan of the graph per asker."""
        if self._all_lines is None or self._all_lines[0] != len(self.lexicon.reports):
            printed: dict[str, set[str]] = {}
            names = self.lexicon.line_names
            if names is None:
                names = {row["line_name"] for row in self.store.query(ALL_LINE_NAMES).rows}
            for name in names:
                printed.setdefault(normalise(codes_stripped(name)), set()).add(name)
            self._all_lines = (len(self.lexicon.reports), printed)
        return self._all_lines[1]

    def _named_in(self, intent: Intent, printed: dict[str, set[str]],
                  text: str | None = None) -> tuple[str, dict[str, set[str]]] | None:
        """The line of ``printed`` (normalised name → printed names) the question or ``text`` names."""
        text = LEFT_OUT_NOTE.sub("", normalise(text or intent.rest or intent.question))  # （不含会议费和培训费）
        units = {normalise(u.name) for u in intent.units}  # a unit's own row of a table by unit is no line asked
        found = [n for n in printed if (len(n) >= 3 or n == text) and n in text and n not in _GENERIC_LINES  # 水费, 奖金: said alone
                 and n not in units
                 and not _SUMMARY_ROW.fullmatch(n) and not any(n in w or w in n for w in _METRIC_WORDS)]
        named = max(found, key=lambda n: (len(n), -text.find(n)), default=None)
        inner = [n for n in found if n != named and re.search(re.escape(named) + _UNDER + re.escape(n), text)]
        named = max(inner, key=len) if inner else named  # 住房改革支出下的提租补贴: the line under the parent
        return (named, printed) if named else None

    def _line_elsewhere(self, intent: Intent, metric) -> str | None:
        """A classification line the question names (工资福利支出) that other reports of the corpus
        print but the asked ones do not, when the metric is only a total read from a generic word."""
        if not metric.key.endswith(".total") or intent.ratio_of is not None or intent.subunits:
            return None
        reports = self._reports_of(intent)
        if not reports or self._named_line(intent, reports):
            return None
        everywhere = self._named_in(intent, self._corpus_lines())
        if everywhere is None or len(everywhere[0]) < 4 or _REPORT_WORDS.search(everywhere[0]):
            return None
        named = everywhere[0]
        synonyms = [normalise(w) for w in metric.synonyms]
        return None if any(named in w or w in named for w in synonyms) else named

    def _in_places(self, intent: Intent, rows: list[dict]) -> list[dict]:
        """Rows of units in the provinces or cities the question names outside unit names
        (江苏省的预算报告中…, 福州和长沙的…); all rows when it names none."""
        from kg.extract.names import resolve_region

        text = normalise(intent.rest or intent.question)
        named = {p.rstrip("省市区县") for p, _ in places(text)}
        if not named:
            return rows
        kept = []
        for row in rows:
            region = resolve_region(row["unit_name"])
            words = " ".join(x for x in (row["unit_name"], region.province, region.city, region.county) if x)
            if any(place in words for place in named):
                kept.append(row)
        return kept

    def _best_per_report(self, rows: list[dict]) -> dict[str, dict]:
        best: dict[str, dict] = {}
        for row in rows:
            if row.get("basis") == YOY_BASIS or row.get("value") is None:
                continue
            current = best.get(row["report"])
            if current is None or figure_rank(row) < figure_rank(current):
                best[row["report"]] = row
        return best

    def _balanced(self, intent: Intent, metric, rows: list[dict]) -> list[dict]:
        """A budget balances: a unit whose figure the graph lacks on one side (a 收入总表 by unit, no
        支出 by unit) has it on the other side of the same budget — 支出总计 in its 收入总计, its
        一般公共预算拨款收入 in its 一般公共预算支出."""
        other = _BALANCED.get(metric.key)
        if other is None:
            return rows
        have = {(r["report"], r["unit_name"]) for r in rows}
        side = BY_KEY[other].label
        extra = [dict(r, context=f"{r.get('context') or ''}（{side}；预算收支平衡，{metric.label}等于{side}）")
                 for r in self.store.query(q.report_metric_query(intent, other)).rows
                 if r.get("kind") == "预算" and r.get("basis") != YOY_BASIS and (r["report"], r["unit_name"]) not in have]
        return rows + extra

    def _report_rank(self, intent: Intent, answer: Answer) -> None:
        self._report_lookup(intent, answer)
        if not answer.rows and intent.order and _IN_PROJECT_TABLES.search(normalise(intent.question)):
            self._units_by_projects(intent, answer)  # 项目表中资金总计最大的单位: members with no report of their own

    def _figure_evidence(self, row: dict) -> dict:
        printed = (row.get("printed") or "").rstrip("万元").rstrip("元")
        if printed:
            found = self.store.query(q.passages_with_text_query(row["report"], printed)).rows
            if found:
                pick = min(found, key=lambda r: len(r["text"]))
                return {"report": pick["report_label"], "page": pick.get("page") or row.get("page"), "text": pick["text"]}
        label = self.lexicon.reports.get(row["report"])
        title = f"{label.unit} {label.year}年{label.report_kind}" if label else row["report"]
        return {"report": title, "page": row.get("page"), "text": row.get("context") or ""}


_FINAL_VS_BUDGET = re.compile(r"(?:决算|实际(?:支出|发生|执行)?)[^，。？?]{0,12}?(?:比|较|与|超过?|高于|低于)[^，。？?]{0,6}?预算|"
                              r"预算[^，。？?]{0,12}?(?:比|较|与|和)[^，。？?]{0,10}?决算")

_DIFFERENCE = re.compile(r"[多少超差](?:了|出){0,2}(?:多少|几)|超出[^，。？?]{0,8}?(?:多少|几)")
_IN_PROJECT_TABLES = re.compile(r"项目(?:支出)?(?:绩效目标)?表|资金使用单位|实施单位|项目资金")
_METRIC_WORDS = {normalise(w) for m in METRICS for w in m.synonyms if len(w) >= 2}

# the two sides of a balanced budget: a figure missing on one side is printed on the other
_BALANCED = {"expenditure.total": "income.total", "income.total": "expenditure.total",
             "income.general_budget": "general_budget.expenditure", "general_budget.expenditure": "income.general_budget"}

_SUMMARY_ROW = re.compile(r"(?:部门|单位)(?:综合)?(?:预算|决算)")  # 一、部门预算: a row of a 收支总表, no classification line
_REPORT_WORDS = re.compile(r"预算|决算|报告|合计|总计")  # 一、部门预算 is a table's row, not a classification line

_UNDER = r"(?:项|款|类)?(?:下|中|里|之下|当中|下面)的?"  # 住房改革支出下的提租补贴
_GENERIC_LINES = {"合计", "总计", "小计", "支出", "收入", "基本支出", "项目支出", "人员经费", "公用经费"}

_FUND_WORDS = [("项目支出", "project"), ("基本支出", "basic"), ("人员经费", "personnel"), ("公用经费", "public_expense")]
_SOURCE_WORDS = [("其他收入", "other_income"), ("事业收入", "business_income"), ("经营收入", "operating_income"),
                 ("上级补助", "superior_subsidy"), ("附属单位上缴", "affiliate_income"), ("财政专户", "special_account")]


def _asked_fund(text: str, named: str) -> str:
    """The column of line ``named`` the question asks: a part of spending (项目支出 …), or a source of
    its income named after it (实验室及相关设施的资金里有多少来自其他收入 — not 其他收入里的捐赠收入,
    where the source is the line's parent), else the total."""
    fund = next((f for word, f in _FUND_WORDS if word in text), None)
    if fund is not None:
        return fund
    at = text.find(named)
    return next((f for word, f in _SOURCE_WORDS if at >= 0 and word in text[at + len(named):]), "total")

_ALL_TABLES = ["expenditure_summary", "general_budget_expenditure", "basic_by_economic", "income_summary"]

_FISCAL_TABLES = ["general_budget_expenditure", "basic_by_economic", "expenditure_summary", "income_summary"]

def _sibling_metric(intent: Intent, item: str):
    """An item named as a part of the figure the question names (政府采购支出里，货物和工程两类: 工程 is
    政府采购工程): the one metric of the same group whose label holds the item's words, as (metric, item)."""
    core = _COUNTED_TAIL.sub("", normalise(item))
    if intent.report_metric is None or len(core) < 2:
        return None
    group = intent.report_metric.key.split(".")[0]
    found = [m for m in METRICS if m.key.split(".")[0] == group and m.key != f"{group}.total" and core in m.label]
    return (found[0], item) if len(found) == 1 else None


_COUNTED_TAIL = re.compile(r"(?:这|那)?[两二三四五六七八九十几]?(?:类|块|项|个|笔|部分)$")


def another_projects(item: str, stated) -> bool:
    """A report's cost item read from a project's own passage that does not name it (机关运行经费 from
    the project 其他运行经费, which shares its last four characters): another thing's figure."""
    said = re.sub(r"^[给为对向的在]", "", normalise(item))  # 给培训费: the item, not the verb before it
    return stated.passage.kind in ("project", "goal", "indicator") and \
        covered(said, normalise(stated.sentence)) < 0.8 * len(said)


def codes_stripped(name: str) -> str:
    """A line's name without its classification code or enumerator (2050305 高等职业教育 → 高等职业教育)."""
    return re.sub(r"^(?:其中[：:])?(?:[\[［【]\d{3,9}[\]］】]\s*|\d{3}(?:\s\d{2}){1,2}\s+|\d{3,7}\s*|[一二三四五六七八九十]+、|"
                  r"[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d))?",
                  "", name.strip())  # [30202]印刷费, 302 27 委托业务费, 其中：捐赠收入, 2.公务用车运行维护费 too

RATE = re.compile(r"(增长|下降|减少|增加|上升|降低|增幅|降幅)了?为?\s*(\d+(?:\.\d+)?)\s*[%％]")

def with_magnitude(row: dict, change: str, rate: str | None = None) -> dict:
    """A change as people ask it (减少了多少 → 32.23, not −32.23): its direction and size beside the
    signed figure, and the rate's size, so the row itself carries what the answer text says."""
    value = row.get(change)
    if value is None:
        return row
    row["增减方向"] = "减少" if value < 0 else "增加"
    row["增减额(万元)"] = abs(value)
    if rate and row.get(rate) is not None:
        row["增减幅度(%)"] = abs(row[rate])
    return row


def _counted(answer: Answer, column: str, unit_word: str) -> None:
    """The units a count question found, as one row: how many, and which with their figures."""
    listed = "、".join(f"{r['单位']}（{r[column]}{unit_word}）" for r in answer.rows)
    answer.columns = ["单位数", "单位"]
    answer.rows = [{"单位数": len(answer.rows), "单位": listed}]
    answer.entities, answer.evidence = answer.entities[:1], answer.evidence[:1]
    answer.intent["type"] = "unit_count"


def _passes(intent: Intent, row: dict) -> bool:
    """A unit's figure against the question's condition (超过3亿元, 大于0, 为0)."""
    value = row.get("value") if row.get("value") is not None else row.get("quantity")
    if intent.comparison is not None and intent.asks_units:
        if value is None:
            return False
        return intent.comparison.admits_yuan(value)
    if intent.value_filter is not None:
        operator, limit = intent.value_filter
        number = Decimal(value) if value is not None else Decimal(0)
        return number > limit if operator == ">" else number == limit
    return True

COST_ITEM = re.compile(r"^[\u4e00-\u9fff]{1,7}费$")  # 培训费, 物业管理费


# cost items a “三公”经费、会议费、培训费 table prints as columns (kg.metrics), and the words that ask
# for the 基本支出 table's line of the same name instead
_TABLE_COLUMN_ITEMS = {"会议费": "meetings", "培训费": "training"}
_NAMES_BASIC = re.compile(r"基本支出|基本经费|公用经费|经济分类|经济科目|商品和服务")


def _line_not_printed(answer: Answer, line: str, after: str) -> None:
    answer.intent["type"] = "line_not_printed"
    answer.answer = f"所问报告中没有列出“{line}” (the report does not print this line){after}"


_PART_OF_NAMED = re.compile(r"(?:中|里|当中)的?([\u4e00-\u9fff]{2,10}?(?:支出|费))(?:是|为|有|多少|[？?。，,]|$)")


def cost_item(intent: Intent) -> str | None:
    """A cost item (培训费, 会议费, 物业管理费) a question about a report total names, when no metric
    word chose that total (it is the default for 预算是多少): the item, not the report's 支出总计."""
    question = normalise(intent.question)
    if intent.report_metric is None or intent.report_metric.key not in ("expenditure.total", "income.total") or \
            report_metric_of(question) is not None or asked_measure(question) not in (None, "万元", "元"):
        return None  # 培训费预算拟培训多少人: a count the text states, not the item's money
    items = [w for w in cost_items(intent.rest or "") if not w.endswith("经费")]
    return items[-1] if len(items) == 1 else None


def cost_items(text: str) -> list[str]:
    """The words of ``text`` that name a cost (培训费, 物业管理费, 专项业务经费), in order."""
    return [w for w in re.split(r"的|安排|中|里|年度?|，|,|预算|决算|比|是|多少|[？?。]", text) if COST_ITEM.match(w)]


_SPENDING_SUFFIX = re.compile(r"(?<=.{2})支出$")
"""A function class's ``支出``, which the 收支总表 often leaves off (23、灾害防治及应急管理)."""

def table_order(text: str) -> list[str]:
    """The tables a line is read from, first to last: the 财政拨款 tables first when the question
    names 财政拨款 or 一般公共预算, else the 支出总表 first."""
    return _FISCAL_TABLES if "财政拨款" in text or "一般公共预算" in text else _ALL_TABLES


def line_evidence(label, row: dict) -> dict:
    return {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": row.get("page"),
            "text": f"{row['title']}：{row['line_name']} {wan(row['amount'])}万元"}
