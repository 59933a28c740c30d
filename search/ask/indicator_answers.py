"""Answers about a project's 绩效指标: an indicator the question names in its own words, the
indicators of one type (产出/效益/满意度 …), or the one counted in the measure asked (人次, 台).

``IndicatorAnswers`` is mixed into ``search.ask.engine.Asker``; it uses the asker's store and
``_run`` and ``_evidence``. Indicators are answered before a project's budget or a retrieval.
"""
from __future__ import annotations

import re

from kg.graph.entities import normalise
from search.ask import indicators as kpi
from search.ask import prose
from search.ask import sparql as q
from search.ask.answer import Answer
from search.ask.paraphrase import covered
from search.ask.parser import Intent
from search.ask.project_mentions import unseparated

SELF_EVALUATION = re.compile(r"执行率|自评总分|自评得分|得分|评分|等级|结余|执行数|偏差")
LISTS_PROJECTS = re.compile(r"哪些项目|项目有哪些|哪几个项目|哪个项目|的项目[？?。]?$")  # the projects are the answer
_PER_HEAD = re.compile(r"人均|每人|元/人")  # 人均补助标准 is money per person, not a count of people
_IN_THE_TEXT = re.compile(r"(?:年度目标|绩效目标|项目概况|概述|说明|文字|描述)(?:中|里|部分)?(?:提到|写到|写明|所述|说)|"
                          r"(?:年度目标|项目概况)(?:中|里)")


_COUNTS_PROJECTS = re.compile(r"(?:报|列|编报|填报|编制)了?(?:几|多少)个(?:项目|专项)|(?:几|多少)个项目的?绩效目标")
_WHOLE_DEPARTMENT = re.compile(r"(部门|单位)?整体")
"""部门整体支出绩效目标: the whole-spending target's indicators asked; 整体 alone may be a 专项资金整体
支出 form's, so both are kept."""


class IndicatorAnswers:
    """The indicator intent of ``Asker``."""

    # -- indicators --------------------------------------------------------------------------------
    @staticmethod
    def _may_name_indicator(intent: Intent, question: str) -> bool:
        """Projects are named and no list of projects is asked (预算超过100万元、且与…有关的项目)."""
        return bool(intent.projects) and intent.comparison is None and not LISTS_PROJECTS.search(question)

    @staticmethod
    def _names_indicator(intent: Intent, question: str, rows: list[dict]) -> bool:
        """The question names one of the named project's indicators (`rows`) in its own words,
        without the word 指标 (每台PAD的采购成本上限 → PAD采购成本（元/台）)."""
        own = " ".join(normalise(p.name) for p in intent.projects)
        cores = {re.sub(r"[〔（(][^〕）)]*[〕）)]$", "", normalise(r.get("indicator_name") or "")) for r in rows}
        return any(len(core) >= 4 and core not in own and covered(core, question) >= 0.8 * len(core) for core in cores)

    def _indicators(self, intent: Intent, answer: Answer) -> bool:
        """A project's indicator asked for in the question's own words, or the indicators of one
        type (产出/效益/满意度 …): answered before the project's budget or a retrieval."""
        question = normalise(intent.question)
        if intent.kind in ("projects_citing", "findings", "subunits", "department_of") or \
                intent.attribute in ("unit", "department", "basis") or \
                SELF_EVALUATION.search(question) or not (intent.projects or intent.units) or \
                _IN_THE_TEXT.search(question) and not kpi.ASKS_INDICATOR.search(question) or \
                _COUNTS_PROJECTS.search(question):
            return False  # 年度目标中提到…多少人: a number the goal's text states; 报了几个项目的绩效目标: projects
        kind = kpi.asked_type(question)
        projects = intent.projects or None
        sparql = q.indicators_query(intent, projects=projects)
        rows = None  # fetched once, whether to see if the question names one or to answer
        asks = bool(kpi.ASKS_INDICATOR.search(question))
        if not asks and not kind and self._may_name_indicator(intent, question):
            rows = self.store.query(sparql).rows
            asks = self._names_indicator(intent, question, rows) and not (
                prose.ASKS_AMOUNT.search(question) and not prose.STANDARD.search(question))
            # 社情民意调查项目的财政拨款是多少万元: the project's money, not a standard (每名辅警…多少万元)
        one_project = len({p.name for p in intent.projects}) == 1  # 该专项计划补助多少个项目: its target, no count of projects
        if not kind and not asks and (not intent.projects or kpi.ASKS_MONEY.search(intent.rest) or
                                      intent.aggregate and not one_project or not prose.asked_measure(question)):
            return False
        if projects is None and not (asks or kind):
            return False
        if rows is None:
            rows = self._run(answer, sparql)
        else:
            answer.sparql = sparql
        if kind:
            chosen = kpi.of_type(kind, rows)
            if intent.projects is None or not chosen:
                best = {r["project"] for r in kpi.best_indicators(intent.rest, rows, minimum=1)} if not projects else None
                chosen = [r for r in chosen if best is None or r["project"] in best]
        else:
            rest = intent.rest if projects else question
            chosen = kpi.best_indicators(rest, rows, minimum=2 if projects else 3,
                                         named=tuple(p.name for p in projects or ()))
        if any(r.get("whole_department") for r in chosen):
            asked = _WHOLE_DEPARTMENT.search(question)
            if asked is None:  # a project's indicator, which the whole-spending target may repeat
                chosen = [r for r in chosen if not r.get("whole_department")] or chosen
            elif asked.group(1):  # 部门整体: the whole-spending target's
                chosen = [r for r in chosen if r.get("whole_department")]
        measure = prose.asked_measure(question)
        if chosen and measure:  # 慰问多少名老人 / 采购多少台: the indicator counted in that measure
            words = prose.MEASURES.get(measure, (measure,))

            def in_measure(row: dict) -> int:
                name, target = row["indicator_name"], (row.get("target") or "").strip()
                return 2 * any(re.search(rf"[（(]{re.escape(w)}[)）]$", name) for w in words) + \
                    any(target.endswith(w) for w in words) + any(w in _PER_HEAD.sub("", name + target) for w in words) - \
                    3 * ("元/" in name + target and measure not in ("元", "万元"))  # 元/人 is a rate, not a count
            top = max(in_measure(r) for r in chosen)
            if top <= 0 and not any(re.search(r"\d", (r.get("target") or "") + (r.get("actual") or "")) for r in chosen):
                return False  # 无偿献血达到多少人次: no indicator holds a number of it — the text may state one
            if top <= 0 and not (asks or kind) and not any(
                    covered(_bare(r["indicator_name"]), question) >= 0.6 * len(_bare(r["indicator_name"])) for r in chosen):
                return False  # 后期扶持人口有多少: no indicator counted in 人, none named — a number the text states
            chosen = [r for r in chosen if in_measure(r) == top]
        if len({r["project"] for r in chosen}) > 1:  # 中央高校捐赠配比专项的奖助学生人次: the project the question names
            named = [r for r in chosen if _bare(r["project_name"]) and _bare(r["project_name"]) in _bare(question)]
            chosen = named or chosen
        if not chosen:
            answer.sparql = ""
            return False
        weighed = bool(kpi.ASKS_WEIGHT.search(question))
        if weighed and not any(r.get("weight") is not None for r in chosen):
            answer.rows, answer.evidence, answer.entities = [], [], []  # printed without 分值: not their values
            answer.intent["type"] = "not_stated"
            answer.answer = (f"{chosen[0]['project_name']}的绩效指标表没有列出指标的分值或权重，无法回答 "
                             "(the project's indicator table prints no weights)。")
            return True
        answer.intent["type"] = "indicator_weight" if weighed else "indicator_lookup"
        answer.columns = ["项目", "单位", "年度", "指标", "指标类别", "指标值", "实际完成值"] + (["分值"] if weighed else [])
        for row in chosen:
            answer.add_row({"项目": row["project_name"], "单位": row["unit_name"], "年度": row.get("year"),
                            "指标": row["indicator_name"],
                            "指标类别": "/".join(x for x in (row.get("level1"), row.get("level2")) if x) or None,
                            "指标值": row.get("target"), "实际完成值": row.get("actual"),
                            **({"分值": _points(row.get("weight"))} if weighed else {})}, row["project"])
        self._evidence(answer, "indicators")
        answer.answer = "；".join(
            f"{r['项目']}的“{r['指标']}”" + (f"分值（权重）为{r['分值'] or '未列明'}，指标值为{r['指标值'] or '未列明'}"
                                          if weighed else f"指标值为{r['指标值'] or '未列明'}")
            + (f"，实际完成{r['实际完成值']}" if r["实际完成值"] else "") for r in answer.rows) + "。"
        return True


def _points(weight) -> int | float | None:
    """分值 as a plain number: 9, 2.5."""
    if weight is None:
        return None
    value = float(weight)
    return int(value) if value.is_integer() else value


def _bare(name: str) -> str:
    """A project's name without its leading code and separators (236-中央高校… → 中央高校…)."""
    return unseparated(re.sub(r"^[A-Za-z]{0,3}\d{2,}", "", normalise(name)))
