"""Answers about projects: a project's figure or one source of its money, lists, filters,
rankings and aggregates of projects, projects citing a document, and a project's attributes
(立项依据, 资金来源, 实施单位 …).

``ProjectAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's store,
lexicon, ``_run``, ``_evidence`` and ``_semantic_narrowing``.
"""
from __future__ import annotations

import dataclasses

import re
from decimal import Decimal

from kg.graph.entities import Entity, base_name, normalise
from search.ask import funds, lineage
from search.ask import sparql as q
from search.ask.answer import Answer, format_value, metric_column, metric_value, rounded, wan
from search.ask.differences import ASKS_SHARE
from search.ask.numbers import ADDING
from search.ask.paraphrase import described_project
from search.ask.parser import Intent
from search.ask.project_attributes import ATTRIBUTE_ROWS, indicators_counted, narrow_indicators, project_row
from search.ask.question_metrics import PROJECT_BY_KEY

_ASKS_PARENT_PROJECT = re.compile(r"(?:属于|放在|挂在|归在|列在|归属于?|隶属于?)哪(?:一)?个(?:一级项目|上级项目|大项目|项目)|"
                                  r"哪(?:一)?个一级项目(?:下面|下|里|中)|上级项目是|一级项目是(?:哪个|什么)")
_UNIT_TOTAL = re.compile(rf"{ADDING}|总额|总计")
_HOLDS_FUND = re.compile(r"(?:有|安排了?|用到了?|使用了?|含有?|涉及)[“\"]?(?:非财政拨款|财政拨款以外|其他资金|单位资金|"
                         r"单位自筹|自筹资金|事业收入|上年结[转余]|政府性基金|一般公共预算)")


def _held_fund(text: str):
    """The source a question keeps the units or projects having some of (有“其他资金”安排), or None."""
    said = _HOLDS_FUND.search(text)
    return funds.asked_fund(said.group(0)) if said else None


_GROUP_WORDS = re.compile(r"(?<=[各个的])(?:区|县|市)?(分局|监测站|管理所|学校|学院|中学|小学|幼儿园|医院|街道|中心|站|所|队)")


_HAS_FUND = re.compile(r"使用了?|含有|包含|含|安排了?|动用|来自|用到|既有|都有|同时有")
_NO_FISCAL = re.compile(r"财政拨款(?:为|是)?(?:0|零)|全部(?:靠|由|来自|使用)(?:其他|单位|自有)|没有财政拨款|无财政拨款")

# what only a final account (决算, its 绩效自评表) states of a project
_FINAL_ONLY = {"execution_rate", "total_score", "grade", "executed"}

_IMPLEMENTER_ASKED = re.compile(r"(?:实施单位|实施主体|承担单位)(?:是|为)")


_SPREAD = re.compile(r"最(?:多|高|大)的项目比[^，,。？?]{0,12}?最(?:少|低|小)的项目(?:多|高|大)(?:出|了)?(?:多少|几)|"
                     r"最(?:少|低|小)的项目比[^，,。？?]{0,12}?最(?:多|高|大)的项目(?:少|低|小)(?:了)?(?:多少|几)")
_UNDER_BOUND = re.compile(r"最(?:低|少|高|多)的项目比(?:满分)?(\d+(?:\.\d+)?)分?(?:的满分)?(?:低|少|高|多)(?:了)?(?:多少|几)")
_AMOUNT_NAMED = re.compile(r"那(?:笔)?(\d+(?:\.\d+)?)(万元|元)")  # 那75万元…: an amount the question points at


_CARRIED_IN = re.compile(r"上年结[余转]|以前年度结[余转]")


class ProjectAnswers:
    """Handlers of the project intents."""

    def _ambiguous(self, intent: Intent, answer: Answer) -> bool:
        """A project name shared by several reports, with no unit or year to choose: list them."""
        reports = {p.report for p in intent.projects}
        names = {p.name for p in intent.projects}
        if len(reports) <= 1 or intent.units or intent.years:
            return False
        candidates = sorted({f"{p.unit} {p.year}年{p.report_kind or ''}" for p in intent.projects})
        answer.intent["type"] = "ambiguous"
        answer.answer = (f"“{'、'.join(sorted(names))}”在多份报告中出现，请指明单位或年度：{'；'.join(candidates)}。"
                         f" (ambiguous name: specify the unit or year)")
        return True

    def _project_rows(self, rows: list[dict], metric, answer: Answer, extra=None) -> None:
        label = metric_column(metric)
        answer.columns = ["项目", "单位", "年度", "报告", label]
        seen = set()
        for row in rows:
            if row["project"] in seen:
                continue
            seen.add(row["project"])
            out = project_row(row, 报告=row.get("kind"), **{label: metric_value(metric, row.get("value"))})
            project = self.lexicon.projects.get(row["project"])
            if project is not None and project.implementer and project.implementer != row["unit_name"]:
                out["实施单位"] = project.implementer
            if extra:
                out.update(extra(row))
            answer.add_row(out, row["project"])  # evidence filled by _evidence
        for key in (c for r in answer.rows for c in r if c not in answer.columns):
            answer.columns.append(key)
        self._evidence(answer, metric.key if metric else "budget")

    def _project_filter(self, intent: Intent, answer: Answer) -> None:
        if self._units_over(intent, answer):
            return  # 哪些分局的项目资金总额超过1500万元: the units, by the sum of their projects
        metric = intent.project_metric or PROJECT_BY_KEY["budget"]
        if intent.grade and metric.key != "grade":
            metric = intent.project_metric = PROJECT_BY_KEY["grade"]
        projects = intent.projects if intent.partial_projects else None
        rows = self._run(answer, q.project_query(intent, metric, projects=projects))
        self._project_rows(rows, metric, answer, _rate_extra if metric.key == "execution_rate" else None)
        if intent.semantic:
            self._semantic_narrowing(intent, answer)
        answer.answer = _project_list_sentence(answer)

    def _projects_by_fund(self, intent: Intent, answer: Answer) -> bool:
        """哪些项目除财政拨款外还使用了单位资金 / 资金中含有上年结转 / 财政拨款为0、全部靠其他资金: the
        named units' projects whose money from one source is above zero (or is zero)."""
        text = normalise(intent.rest or intent.question)
        none = _NO_FISCAL.search(text)
        summed = funds.summed_fund(normalise(intent.question)) if intent.aggregate == "sum" and not none else None
        fund = funds.FUNDS[-1] if none else summed or funds.asked_fund(text)
        zero = intent.comparison is not None and intent.comparison.operator == "=" and not intent.comparison.value.value
        if fund is None or (intent.comparison is not None and not (none and zero)) or \
                not (none or summed or _HAS_FUND.search(text)) or not intent.units:
            return False
        names = {u.name for u in intent.units}
        projects = [p for p in self.lexicon.projects_of(names)
                    if (not intent.years or p.year in intent.years)
                    and (not intent.report_kind or p.report_kind == intent.report_kind)]
        publishers = {p.unit for p in projects}
        carried = [p for p in projects if p.implementer in names and p.implementer not in publishers]
        projects = carried or projects  # X局项目表中，Y站名下的项目: the projects Y carries out
        if not projects:
            return False
        rows = self._run(answer, funds.project_funds_query(projects))
        found = funds.amounts(fund, rows)
        if not found:
            answer.sparql = ""
            return False
        # 资金来源中含有事业收入和上年结余结转: every source named, each above zero
        also = [] if none or summed else funds.joined_funds(text, fund)
        found_also = [(f, funds.amounts(f, rows)) for f in also]
        chosen = [p for p in projects if p.iri in found and
                  ((found[p.iri][0] or 0) == 0 if none else (found[p.iri][0] or 0) > 0) and
                  all((more.get(p.iri, (0,))[0] or 0) > 0 for _, more in found_also)]
        answer.intent["type"] = "projects_by_fund"
        column = f"{fund.label}(万元)"
        answer.columns = ["项目", "单位", "年度", "实施单位", column, *(f"{f.label}(万元)" for f in also)]
        for project in sorted(chosen, key=lambda p: p.name):
            amount, where, page = found[project.iri]
            more = {f"{f.label}(万元)": wan(amounts[project.iri][0]) for f, amounts in found_also}
            said = "，".join([f"{fund.label}{wan(amount)}万元", *(f"{k[:-4]}{v}万元" for k, v in more.items())])
            answer.add_row({"项目": project.name, "单位": project.unit, "年度": project.year,
                            "实施单位": project.implementer, column: wan(amount), **more}, project.iri,
                           {"report": f"{project.unit} {project.year}年{project.report_kind or ''}", "page": page,
                            "text": f"{project.name}：{said}（{where}）"})
        answer.answer = _project_list_sentence(answer)
        if summed and answer.rows:
            _fund_total(answer, column, fund.label)
        return True

    def _project_list(self, intent: Intent, answer: Answer) -> None:
        rows = self._run(answer, q.project_list_query(intent))
        if intent.partial_projects and intent.projects:  # 名称中含有“慰问”的项目: those so named
            picked = {p.iri for p in intent.projects}
            rows = [r for r in rows if r["project"] in picked] or rows
        carried_by = _IMPLEMENTER_ASKED.search(normalise(intent.question))
        named = {u.name for u in intent.units}
        own = {base_name(n) for n in named if base_name(n) != n}
        if carried_by and own:  # 实施单位是X本级: the projects X carries out itself, not its units'
            rows = [r for r in rows if (self.lexicon.projects[r["project"]].implementer or r["unit_name"]) in own | named]
        self._project_rows(rows, PROJECT_BY_KEY["budget"], answer)
        answer.answer = _project_list_sentence(answer)

    def _line_not_project(self, intent: Intent, answer: Answer) -> bool:
        """The named project is no project of the asked units' reports, but a line of their tables is
        named so: that line's amount."""
        reports = set(self._reports_of(intent))
        if not reports or any(p.report in reports for p in intent.projects):
            return False
        return self._line_lookup(dataclasses.replace(intent, rest=intent.question, projects=[]), answer)

    def _project_lookup(self, intent: Intent, answer: Answer) -> None:
        if self._ambiguous(intent, answer):
            return
        metric = intent.project_metric or PROJECT_BY_KEY["budget"]
        if metric.key == "budget" and intent.units and self._line_not_project(intent, answer):
            return  # 杭州市气象局基本支出中的物业管理费: a line of its tables, a project only elsewhere
        intent.projects = _in_named_group(intent)
        if len({p.implementer or p.iri for p in intent.projects}) > 1 and intent.aggregate:
            intent.partial_projects = True  # 10个区分局的区财政安排项目加起来: one name, many implementers
            self._project_aggregate(intent, answer)
            return
        if self._project_funds_summed(intent, answer):
            return  # 事业收入加上年结余结转合计: two sources of the project's money, added
        fund = funds.asked_fund(normalise(intent.rest)) if metric.key == "budget" else None
        if metric.key in ("balance", "executed") and _CARRIED_IN.search(normalise(intent.rest)):
            fund = funds.asked_fund(normalise(intent.rest))  # 来自/用了上年结余、结转: money carried in, not left over or spent
        if fund and self._project_fund(intent, fund, answer):
            return
        rows = self._run(answer, q.project_query(intent, metric, projects=intent.projects))
        if not rows and metric.key in _FINAL_ONLY and intent.projects and \
                all(p.report_kind == "预算" for p in intent.projects):
            names = "、".join(dict.fromkeys(p.name for p in intent.projects))
            answer.answer = (f"{names}只见于预算报告；预算没有{metric.label}，要到该年度的决算（绩效自评表）才有 "
                             f"(only budget reports hold this project: its {metric.key} is stated in final accounts)。")
            return
        if not rows and metric.key != "budget":
            budget = PROJECT_BY_KEY["budget"]
            rows = self._run(answer, q.project_query(intent, budget, projects=intent.projects))
            metric = budget
        if intent.order and len(rows) > 1:  # 哪个分局的…项目金额最大: the named projects ranked
            rows = sorted(rows, key=lambda r: r["value"], reverse=intent.order == "desc")
            rows = rows[:intent.limit] if intent.limit else [r for r in rows if r["value"] == rows[0]["value"]]
        self._project_rows(rows, metric, answer, _rate_extra if metric.key == "execution_rate" else None)
        label = metric_column(metric)
        parts = [f"{r['项目']}（{r['单位']} {r['年度']}年{r['报告']}"
                 f"{'，实施单位' + r['实施单位'] if r.get('实施单位') else ''}）的{metric.label}为{format_value(metric, r[label])}"
                 for r in answer.rows]
        answer.answer = "；".join(parts) + "。" if parts else f"没有找到该项目的{metric.label} (not stated)。"
        if metric.kind == "money" and intent.report_metric is not None and ASKS_SHARE.search(normalise(intent.question)):
            self._project_share(intent, answer, label)

    def _project_share(self, intent: Intent, answer: Answer, column: str) -> None:
        """警务辅助人员经费占全部项目支出预算的比重: each named project's money as a share of its
        report's figure the question names (项目支出, 支出总计)."""
        whole = intent.report_metric
        rows = self.store.query(q.report_metric_query(dataclasses.replace(intent, projects=[]), whole.key)).rows
        totals = self._best_per_report(rows)
        shown = []
        for row, entity in zip(answer.rows, answer.entities):
            project = self.lexicon.projects.get(entity)
            total = totals.get(project.report) if project else None
            if total and total["value"] and row.get(column) is not None:
                share = (Decimal(str(row[column])) * 10000 / Decimal(total["value"]) * 100).quantize(Decimal("0.01"))
                row[f"{whole.label}(万元)"], row["占比(%)"] = wan(total["value"]), float(share)
                shown.append(f"{row['项目']}{row[column]}万元，占{whole.label}{wan(total['value'])}万元的{share}%")
        if shown:
            answer.columns = answer.columns + [f"{whole.label}(万元)", "占比(%)"]
            answer.answer = "；".join(shown) + "。"

    def _project_rank(self, intent: Intent, answer: Answer) -> None:
        metric = intent.project_metric
        if not intent.limit and not intent.position and self._rank_gap(intent, answer):
            return
        if intent.asks_units and metric.kind == "money" and self._units_by_projects(intent, answer):
            return
        rows = self._run(answer, q.project_query(intent, metric, order=intent.order, limit=intent.limit))
        if not intent.limit and rows:
            best = rows[0]["value"]
            rows = [r for r in rows if r["value"] == best]
        if intent.position:
            rows = rows[intent.position - 1:intent.position]
        self._project_rows(rows, metric, answer, _rate_extra if metric.key == "execution_rate" else None)
        word = "最高" if intent.order == "desc" else "最低"
        label = metric_column(metric)
        if answer.rows and intent.position:
            answer.answer = (f"{metric.label}{'倒数' if intent.order == 'asc' else ''}第{intent.position}的项目："
                             f"{answer.rows[0]['项目']}（{format_value(metric, answer.rows[0][label])}）。")
        elif answer.rows:
            value = format_value(metric, answer.rows[0][label])
            head = f"{metric.label}{word}的{'前' + str(intent.limit) + '个' if intent.limit else ''}项目"
            names = "、".join(r["项目"] for r in answer.rows)
            answer.answer = f"{head}：{names}" + ("" if intent.limit else f"（{value}）") + "。"

    def _rank_gap(self, intent: Intent, answer: Answer) -> bool:
        """预算最多的项目比预算最少的项目多多少 / 得分最低的项目比满分100分低几分: the top project's
        figure less the bottom one's, or the bound named less the ranked project's."""
        text = normalise(intent.question)
        spread, below = _SPREAD.search(text), _UNDER_BOUND.search(text)
        if not (spread or below) or intent.project_metric is None:
            return False
        metric, column = intent.project_metric, metric_column(intent.project_metric)
        ends = []
        for order in (("desc", "asc") if spread else (intent.order,)):
            one = Answer(intent.question, intent=dict(answer.intent))
            self._project_rank(dataclasses.replace(intent, order=order, limit=1, comparison=None), one)
            if not one.rows or not isinstance(one.rows[0].get(column), (int, float)):
                return False
            ends.append((one.rows[0], one.entities[0], one.evidence[0]))
        first, entity, evidence = ends[0]  # the top one of a spread, else the one ranked
        if spread:
            low = ends[1][0]
            gap = Decimal(str(first[column])) - Decimal(str(low[column]))
            said = f"{metric.label}最高的{first['项目']}（{first[column]}）比最低的{low['项目']}（{low[column]}）多"
        else:
            bound = Decimal(below.group(1))
            gap = abs(bound - Decimal(str(first[column])))
            said = (f"{metric.label}{'最低' if intent.order == 'asc' else '最高'}的{first['项目']}（{first[column]}）"
                    f"与{format(bound.normalize(), 'f')}相差")
        answer.intent["type"] = "project_rank_gap"
        answer.columns = ["项目", "单位", "年度", "差额"]
        answer.add_row({"项目": first["项目"], "单位": first.get("单位"), "年度": first.get("年度"),
                        "差额": float(gap.normalize())}, entity, evidence)
        answer.answer = f"{said}{format(gap.normalize(), 'f')}{'万元' if metric.kind == 'money' else ''}。"
        return True

    def _project_items(self, intent: Intent, answer: Answer) -> None:
        """The items the named 一级项目's list names (…主要包括：（1）…), ranked, summed or listed."""
        metric = intent.project_metric
        rows = self._run(answer, q.project_query(intent, metric, order=intent.order or "desc", parents=intent.projects))
        if intent.order and rows and not intent.limit:
            rows = [r for r in rows if r["value"] == rows[0]["value"]]
        elif intent.limit:
            rows = rows[:intent.limit]
        self._project_rows(rows, metric, answer)
        wholes = "、".join(sorted({p.name for p in intent.projects}))
        if not answer.rows:
            answer.answer = f"报告没有列出{wholes}的子项 (no items listed)。"
        elif intent.aggregate == "sum" and metric.kind == "money":
            total = rounded(wan(sum(Decimal(str(r["value"])) for r in rows)))
            answer.answer = f"{wholes}的{len(rows)}个子项合计{total}万元。"
        elif intent.aggregate == "count" and not intent.order:  # 一共列了多少个子项: one count, the items named
            names = [r["项目"] for r in answer.rows]
            answer.columns = ["项目", "子项数", "子项"]
            answer.rows, answer.entities, answer.evidence = [{"项目": wholes, "子项数": len(names),
                                                              "子项": "、".join(names)}], answer.entities[:1], answer.evidence[:1]
            answer.answer = f"{wholes}共{len(names)}个子项：" + "、".join(names) + "。"
        else:
            answer.answer = f"{wholes}的子项：" + "、".join(
                f"{r['项目']}（{r[metric_column(metric)]}）" for r in answer.rows) + "。"

    def _described(self, intent: Intent) -> Entity | None:
        """The named units' project the question asks for by what it does (哪个项目是用来给…做内部修缮
        的): its name and the passages about it alone (not lists of many projects) against the words."""
        units = {u.name for u in intent.units}
        candidates = [p for p in self.lexicon.projects_of(units) if not intent.years or p.year in intent.years]
        texts = {p.iri: (p, [p.name]) for p in candidates}
        for passage in self._report_passages({p.report for p in candidates}) if candidates else []:
            mine = [iri for iri in passage.entities if iri in texts]
            if 1 <= len(mine) <= 2:
                for iri in mine:
                    texts[iri][1].append(passage.text)
        said = normalise(intent.question)
        for form in sorted({normalise(f) for u in intent.units for f in {u.name, *u.forms}}, key=len, reverse=True):
            said = said.replace(form, " ")  # the unit's own name is in its projects' texts, and says nothing of which
        return described_project(said, texts) or self._project_of_amount(intent, candidates)

    def _project_of_amount(self, intent: Intent, candidates: list[Entity]) -> Entity | None:
        """那75万元彩票公益金是投到哪个项目上的: the one named unit's project whose budget is the amount
        the question names, when exactly one is."""
        amount = _AMOUNT_NAMED.search(normalise(intent.question))
        if amount is None or not candidates:
            return None
        wanted = Decimal(amount.group(1)) * (10000 if amount.group(2) == "万元" else 1)
        plain = dataclasses.replace(intent, projects=[], comparison=None, value_filter=None, order=None, limit=None)
        rows = self.store.query(q.project_query(plain, PROJECT_BY_KEY["budget"])).rows
        mine = {p.iri: p for p in candidates}
        found = {row["project"] for row in rows if row["project"] in mine and row.get("value") is not None
                 and Decimal(str(row["value"])) == wanted}
        return mine[found.pop()] if len(found) == 1 else None

    def _project_parent(self, intent: Intent, answer: Answer) -> bool:
        """低空气象管理项目是放在哪个一级项目下面的: the 一级项目 whose list names the asked project."""
        if not intent.projects or not _ASKS_PARENT_PROJECT.search(normalise(intent.question)):
            return False
        rows = self._run(answer, q.parent_projects_query(intent.projects))
        found = [(self.lexicon.projects.get(r["project"]), self.lexicon.projects.get(r["whole"])) for r in rows]
        found = [(item, whole) for item, whole in found if item and whole]
        if not found:
            return False
        answer.intent["type"] = "project_parent"
        answer.columns = ["一级项目", "项目", "单位", "年度"]
        for item, whole in found:
            answer.add_row({"一级项目": whole.name, "项目": item.name, "单位": item.unit, "年度": item.year}, whole.iri)
        self._evidence(answer, "budget")
        answer.answer = "；".join(f"{r['项目']}列在一级项目“{r['一级项目']}”下" for r in answer.rows) + "。"
        return True

    def _units_over(self, intent: Intent, answer: Answer) -> bool:
        """Units asked by a bound on the total of their projects' money (…的项目资金总额超过1500万元的有
        哪几个 / 哪些分局的项目合计超过…), not projects by their own."""
        metric = intent.project_metric or PROJECT_BY_KEY["budget"]
        return bool(intent.asks_units and intent.comparison is not None and metric.kind == "money" and
                    _UNIT_TOTAL.search(normalise(intent.question)) and self._units_by_projects(intent, answer))

    def _projects_with(self, fund: "funds.Fund", iris: list[str]) -> set[str]:
        """Of the projects ``iris``, those with a non-zero amount from ``fund``."""
        projects = [self.lexicon.projects[i] for i in dict.fromkeys(iris) if i in self.lexicon.projects]
        if not projects:
            return set()
        found = funds.amounts(fund, self.store.query(funds.project_funds_query(projects)).rows)
        return {iri for iri, (amount, _, _) in found.items() if amount and Decimal(str(amount)) != 0}

    def _units_by_projects(self, intent: Intent, answer: Answer, listing: bool = False) -> bool:
        """哪个区分局的项目资金总计最高: the units carrying the projects out (of the kind named),
        ranked by the sum of their projects' money; ``listing``: every such unit when no rank or
        bound is asked (番禺区有哪些环保所作为资金使用单位)."""
        metric = intent.project_metric or PROJECT_BY_KEY["budget"]
        bound = intent.comparison if intent.order is None else None  # 总额超过1500万元的: a filter on the sums
        asked = dataclasses.replace(intent, comparison=None, value_filter=None, subunits=False) \
            if bound is not None else intent  # the department's projects, grouped by who carries them out
        rows = self._run(answer, q.project_query(asked, metric))
        if not rows and asked.subunits:  # the members hold no reports: the department's projects by implementer
            rows = self._run(answer, q.project_query(dataclasses.replace(asked, subunits=False), metric))
        totals: dict[str, list] = {}
        carried: dict[str, set[str]] = {}  # each unit's projects
        for row in rows:
            project = self.lexicon.projects.get(row["project"])
            unit = (project.implementer if project else None) or row["unit_name"]
            totals.setdefault(unit, [0, 0, row["project"]])
            totals[unit][0] += row["value"] or 0
            totals[unit][1] += 1
            carried.setdefault(unit, set()).add(row["project"])
        text = normalise(intent.question)
        for word in _GROUP_WORDS.findall(text) + re.findall(r"(?<=哪个|哪些|哪家|哪所)(?:区|县|市)?(分局|学校|医院|中心|站|所)", text):
            kept = {u: v for u, v in totals.items() if u.endswith(word)}
            if 0 < len(kept) < len(totals):
                totals = kept
                break
        fund = _held_fund(text)
        if fund is not None:  # 哪些资金使用单位有“其他资金”安排: those with some of that money
            held = self._projects_with(fund, [row["project"] for row in rows])
            totals = {u: v for u, v in totals.items() if carried[u] & held}
        if lineage.excludes_own(intent.question, len(totals)):  # 除了局本级: the members only
            totals = {u: v for u, v in totals.items() if not any(lineage.is_own(u, d.name) for d in intent.units)}
        if len(totals) < 2 and fund is None:
            return False
        ranked = sorted(totals.items(), key=lambda kv: kv[1][0], reverse=intent.order == "desc" or bound is not None)
        if bound is not None:
            ranked = [kv for kv in ranked if bound.admits_yuan(Decimal(str(kv[1][0])))]
        elif intent.limit:
            ranked = ranked[:intent.limit]
        elif intent.order or not listing:
            ranked = [kv for kv in ranked if kv[1][0] == ranked[0][1][0]]
        column = f"项目{metric_column(metric)}合计"
        answer.intent["type"] = "units_by_projects"
        answer.columns = ["单位", column, "项目数"]
        for unit, (total, count, project) in ranked:
            answer.add_row({"单位": unit, column: wan(total), "项目数": count}, project)
        if listing:
            self._of_kind_and_place(intent, answer)  # 列出了哪些番禺的资金使用单位: those of the place asked
        self._evidence(answer, metric.key)
        word = "最高" if intent.order == "desc" else "最低" if intent.order else "符合条件"
        answer.answer = f"项目{metric.label}合计{word}的单位：" + "、".join(
            f"{r['单位']}（{r['项目数']}个项目，{r[column]}万元）" for r in answer.rows) + "。"
        return True

    def _project_aggregate(self, intent: Intent, answer: Answer) -> None:
        metric = PROJECT_BY_KEY["grade"] if intent.grade else intent.project_metric or PROJECT_BY_KEY["budget"]
        if intent.grade and intent.project_metric is None and intent.aggregate == "count":
            intent.project_metric = metric  # the grade filter reads it
        projects = intent.projects if intent.partial_projects else None
        rows = self._run(answer, q.project_query(intent, metric, projects=projects))
        self._project_rows(rows, metric, answer)
        answer.sparql = q.aggregate_query(intent, metric, projects=projects)
        count = len(answer.rows)
        if intent.aggregate != "count":  # a count is the rows themselves
            result = self.store.query(answer.sparql).rows
            value = result[0].get("result") if result else None
        names = "、".join(r["项目"] for r in answer.rows)
        if intent.aggregate == "count":
            answer.answer = f"共{count}个项目：{names}。"
            result_column, result = "项目数", count
        elif intent.aggregate == "avg":
            result = rounded(value if metric.kind != "money" else wan(value))
            answer.answer = f"{count}个项目的平均{metric.label}为{format_value(metric, result)}。"
            result_column = f"平均{metric_column(metric)}"
        else:
            result = rounded(wan(value) if metric.kind == "money" else value)
            answer.answer = f"{count}个项目的{metric.label}合计{format_value(metric, result)}。"
            result_column = f"合计{metric_column(metric)}"
        if not count:
            answer.answer = "没有符合条件的项目 (none found)。"
            return
        evidence = next((e for e in answer.evidence if e and e.get("text")), None)
        units = sorted({r["单位"] for r in answer.rows if r.get("单位")})
        answer.columns = ["单位", result_column, "项目数", "项目"]
        answer.rows, answer.evidence = [], []
        entities, answer.entities = answer.entities, []
        answer.add_row({"单位": "、".join(units) or None, result_column: result, "项目数": count, "项目": names},
                       entities[0] if entities else "", evidence)

    def _projects_citing(self, intent: Intent, answer: Answer) -> None:
        rows = self._run(answer, q.citing_query(intent))
        answer.columns = ["项目", "单位", "年度", "报告", "文件", "预算(万元)"]
        seen = set()
        for row in rows:
            if row["project"] in seen:
                continue
            seen.add(row["project"])
            answer.add_row(project_row(row, 报告=row.get("kind"), 文件=row["document_label"],
                                        **{"预算(万元)": wan(row.get("value"))}), row["project"])
        self._evidence(answer, "basis")
        documents = "、".join(d.name for d in intent.documents)
        answer.answer = (f"引用 {documents} 的项目有{len(answer.rows)}个：" + "、".join(
            r["项目"] + (f"（{r['预算(万元)']}万元）" if r["预算(万元)"] is not None else "") for r in answer.rows) + "。"
            if answer.rows else f"没有项目引用 {documents}。")

    def _project_attribute(self, intent: Intent, answer: Answer) -> None:
        if self._ambiguous(intent, answer):
            return
        attribute = intent.attribute or "overview"
        rows = self._run(answer, q.attribute_query(intent, attribute))
        shape = ATTRIBUTE_ROWS[attribute]
        answer.columns = shape["columns"]
        seen = set()
        for row in rows:
            key = tuple(row.get(k) for k in shape["key"])
            if key in seen:
                continue
            seen.add(key)
            out = shape["row"](row)
            if out is None:
                continue
            answer.add_row(out, row["project"])
        if attribute == "funding" and not answer.rows:
            self._funds_in_tables(intent, answer)
        if attribute == "indicators":
            narrow_indicators(intent, answer)
        self._evidence(answer, attribute)
        answer.answer = shape["sentence"](answer.rows)
        if attribute == "indicators" and intent.aggregate == "count" and answer.rows and "哪" not in intent.question:
            indicators_counted(answer)  # 有几个指标 (not 几项指标中哪一项…: those named)

def _fund_total(answer: Answer, column: str, label: str) -> None:
    """The projects' money from one source as one row of its total (各项目的上年结转资金加起来)."""
    total = rounded(sum(Decimal(str(r[column])) for r in answer.rows))
    names = "、".join(r["项目"] for r in answer.rows)
    evidence = [e for e in answer.evidence if e]
    answer.intent["type"] = "projects_fund_sum"
    answer.columns = ["单位", f"合计{column}", "项目数", "项目"]
    answer.rows, answer.evidence = [], []
    entities, answer.entities = answer.entities, []
    units = sorted({e.get("report", "").split(" ")[0] for e in evidence} - {""})
    answer.add_row({"单位": "、".join(units) or None, f"合计{column}": total, "项目数": len(names.split("、")),
                    "项目": names}, entities[0] if entities else "",
                   {**evidence[0], "text": "；".join(e["text"] for e in evidence)} if evidence else None)
    answer.answer = f"{len(entities)}个项目的{label}合计{total}万元：{names}。"


def _in_named_group(intent: Intent) -> list:
    """Projects of one name carried out by several units, asked of a kind of unit (各区分局,
    10个区分局): those whose implementing unit is of that kind."""
    projects = intent.projects
    implementers = {p.implementer for p in projects if p.implementer}
    if len(implementers) < 2:
        return projects
    text = normalise(intent.question)
    for word in _GROUP_WORDS.findall(text):
        kept = [p for p in projects if p.implementer and p.implementer.endswith(word)]
        if 0 < len(kept) < len(projects):
            return kept
    return projects


def _rate_extra(row: dict) -> dict:
    return {"全年预算(万元)": wan(row.get("budget")), "全年执行数(万元)": wan(row.get("executed"))}


def _project_list_sentence(answer: Answer) -> str:
    if not answer.rows:
        return "没有符合条件的项目 (none found)。"
    names = "、".join(r["项目"] for r in answer.rows)
    return f"符合条件的项目共{len(answer.rows)}个：{names}。"
