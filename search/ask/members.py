"""A department and its members: the units a report lists or its text names (下属单位, 内设机构),
picked by a word of their names or a kind (名称带“幼儿园”, 哪一个是高等院校), the figures of each
member (下属单位的收入, 下属的那家单位) counted or summed without the department's own 本级, the
units its project tables name as using the money (资金使用单位), the members whose figure changed
one way, and the department a unit belongs to. Mixed into ``Asker`` (needs ``store``, ``lexicon``,
``corpus``, ``_run``, ``_report_lookup``, ``_reports_of``, ``_units_by_projects`` and ``_evidence``).
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from kg.graph.entities import base_name, normalise
from kg.metrics import BY_KEY
from search.ask import lineage, prose
from search.ask import sparql as q
from search.ask.answer import Answer, metric_column, wan
from search.ask.numbers import ADDING, FALLING
from search.ask.parser import NAME_HOLDS, Intent
from search.ask.places import places
from search.ask.question_metrics import PROJECT_BY_KEY, report_metric_of
from search.ask.report_rows import reported_both_ways

_MADE_OF = re.compile(r"由哪些单位|哪些单位(?:构成|组成)|(?:构成|组成|汇总)[^，。？?]{0,6}哪些单位|包括哪些单位")
_ASKS_COMPOSITION = re.compile(r"^(?!.*下属).*(?:预算单位|编制范围)")  # the budget units, not the subordinate ones
_REPORT_NAME = re.compile(r"(?:部门|单位)(?:汇总)?(?:预算|决算)")  # 纳入部门汇总预算: the report, not its 总预算
_MEMBER_KIND = re.compile(r"(?:哪些|哪几个|哪几家|几个|多少个)(?:区级|县级|市级)?([\u4e00-\u9fff]{2,6}?)(?:作为|是|有|[？?，,]|$)")
_ANY_MEMBER = {"单位", "预算单位", "下属单位", "二级单位", "部门", "机构", "二级预算单位", "资金使用单位", "实施单位", "用款单位",
               "所属单位", "事业单位"}
_SET_UP_IN = re.compile(r"在([\u4e00-\u9fff]{2,4}?)(?:区|县|市)?(?:设立|设置|设了|设的|设有|下设)|"
                        r"设在([\u4e00-\u9fff]{2,4}?)(?:区|县|市)?的|"
                        r"哪(?:些|几个|几家)([\u4e00-\u9fff]{2,3}?)(?:区|县|市)?的(?:资金使用|预算|下属|所属)?单位")
# 作为资金使用单位的区分局一共有几个: the kind counted, before the count
_KIND_COUNTED = re.compile(r"的((?:区级|县级|区|县)?[\u4e00-\u9fff]{0,3}?(?:分局|监测站|环保所|管理所|学校|医院|幼儿园|中学|小学|学院))"
                           r"(?:一共|共|总共)?有?(?:几|多少)(?:个|家|所)")
_ALIAS_TAIL = re.compile(r"[（(][^（()）]*[)）]$")  # 阳光实验幼儿园（无锡市机关幼儿园）: a 幼儿园 with its other name
_NAME_HOLDS = re.compile(NAME_HOLDS + r"(?:“|\"|「)?([\u4e00-\u9fff]{2,8}?)(?:”|\"|」)?(?:字样|字)?的")
_IS_KIND = re.compile(r"(?:哪一?个|哪些|哪几个|哪几家|哪一?家|哪所)(?:单位)?(?:是|属于)([\u4e00-\u9fff]{2,6}?)(?:[？?。]|$)")
_KIND_WORDS = {"高等院校": ("大学", "学院"), "高校": ("大学", "学院"), "高等学校": ("大学", "学院"), "大学": ("大学", "学院"),
               "中学": ("中学",), "小学": ("小学",), "医院": ("医院",), "幼儿园": ("幼儿园",), "学校": ("学校", "学院", "大学", "中学", "小学")}
_FUND_USERS = re.compile(r"资金使用单位|用款单位|实施单位")
_ASKS_TOTAL = re.compile(ADDING)
_OFFICES_AND_MEMBERS = re.compile(r"(?:内设机构|处室|科室)[^，。？?]{0,3}(?:和|与|及|以及|、|加上?)[^，。？?]{0,3}"
                                  r"(?:直属|下属|所属)(?:事业)?单位")
_ONE_MEMBER = re.compile(r"下属的?(?:那|这|唯一)(?:一)?(?:家|个|所)")


# the superlative follows the projects' money: the units are ranked by it (项目资金最多的单位)
_RANKS_UNITS = re.compile(r"项目(?:资金|经费|预算|支出|金额)(?:总额|合计|总计)?(?:最多|最高|最大|最少|最低|最小)")


class MemberAnswers:
    """Handlers of the members intents (subunits, subunit_metric, subunit_projects, department_of)."""

    def _members_in_text(self, intent: Intent, answer: Answer) -> bool:
        """Lineage the text states: X是哪个部门的下属单位 for a unit only a member list names, and
        the 事业单位 a department's text lists (not its budget units)."""
        index = self.corpus.passages
        unit = lineage.question_unit(intent.question) if intent.kind == "retrieval" and not intent.units else None
        if unit:
            found = lineage.department_in_text(index, unit)
            if found is None:
                return False
            department, passage = found
            answer.intent["type"], answer.mode, answer.columns = "department_in_text", "prose", ["单位", "主管部门"]
            answer.add_row({"单位": unit, "主管部门": department}, passage.id, _passage_evidence(passage))
            answer.answer = f"{unit}的主管部门是{department}（{passage.source} 第{passage.page}页）。"
            return True
        if intent.units and intent.aggregate == "count" and _OFFICES_AND_MEMBERS.search(normalise(intent.question)) \
                and _ASKS_TOTAL.search(intent.question) and self._offices_and_members(intent, answer):
            return True
        if intent.units and lineage.ASKS_OFFICES.search(normalise(intent.question)) and self._offices(intent, answer):
            return True
        source = lineage.ASKS_SOURCE.search(normalise(intent.question)) if intent.units else None
        if source:  # 经费是从哪个部门划转过来的: the body the text names, no parent department
            found = lineage.source_in_text(self._report_passages(self._printing_reports(intent)), source.group("verb"))
            if found is not None:
                body, passage = found
                answer.intent["type"], answer.mode, answer.columns = "source_in_text", "prose", ["单位", "来自"]
                answer.add_row({"单位": intent.units[0].name, "来自": body}, passage.id, _passage_evidence(passage))
                answer.answer = f"据{passage.source}第{passage.page}页，{body}（原文：从{body}{source.group('verb')}）。"
                return True
        if not (intent.units and intent.kind in ("subunits", "retrieval", "report_lookup") and
                lineage.ASKS_INSTITUTIONS.search(normalise(intent.question))) or \
                prose.asked_measure(normalise(intent.question)) in ("人", "名", "人次"):
            return False  # 机关及直属单位在职人员编制一共多少人: people counted, not units listed
        if not self._members_listed(intent, answer):
            return False
        if intent.aggregate == "count" and "哪" not in intent.question:  # 有多少个直属事业单位: one count
            answer.counted(["主管部门"], "单位数", "单位", lambda r: r["单位"])
        return True

    def _offices_and_members(self, intent: Intent, answer: Answer) -> bool:
        """内设机构和直属事业单位加起来一共多少个: the offices and the members the text states, added."""
        offices, members = Answer(intent.question), Answer(intent.question)
        if not (self._offices(intent, offices) and self._members_listed(intent, members)):
            return False
        counted = offices.rows[0]["处室数"] if "处室数" in offices.columns else len(offices.rows)
        unit = intent.units[0].name
        answer.intent["type"], answer.mode = "offices_and_members", "prose"
        answer.columns = ["单位", "内设机构数", "下属单位数", "合计"]
        answer.add_row({"单位": unit, "内设机构数": counted, "下属单位数": len(members.rows),
                        "合计": counted + len(members.rows)}, offices.entities[0], offices.evidence[0])
        answer.answer = f"{unit}有{counted}个内设机构、{len(members.rows)}个下属单位，合计{counted + len(members.rows)}个。"
        return True

    def _offices(self, intent: Intent, answer: Answer) -> bool:
        """下设哪些处室: the internal offices the unit's text lists, as printed."""
        passages = self._report_passages(self._printing_reports(intent))
        found = lineage.offices_in_text(passages)
        if found is None:
            counted = lineage.offices_counted(passages) if intent.aggregate == "count" else None
            if counted is None:
                return False
            count, passage = counted  # 包括6个机关行政处（科、股）室: the count the text states
            answer.intent["type"], answer.mode, answer.columns = "offices_in_text", "prose", ["单位", "处室数"]
            answer.add_row({"单位": intent.units[0].name, "处室数": count}, passage.id, _passage_evidence(passage))
            answer.answer = f"{intent.units[0].name}设有{count}个处室（{passage.source} 第{passage.page}页）。"
            return True
        offices, passage, stated = found
        unit, count = intent.units[0].name, stated or len(offices)
        answer.intent["type"], answer.mode, answer.columns = "offices_in_text", "prose", ["处室", "单位"]
        if intent.aggregate == "count":  # 一共设了多少个内设机构: the count the list states, else its items
            answer.columns = ["单位", "处室数", "处室"]
            answer.add_row({"单位": unit, "处室数": count, "处室": "、".join(offices)}, passage.id,
                           _passage_evidence(passage))
        else:
            for office in offices:
                answer.add_row({"处室": office, "单位": unit}, passage.id, _passage_evidence(passage))
        answer.answer = f"{unit}下设{count}个处室：" + "、".join(offices) + "。"
        return True

    def _members_listed(self, intent: Intent, answer: Answer) -> bool:
        """The 事业单位 (else any members) the named departments' text lists, with the passages; the
        二级预算单位 its 预算单位构成 sentence lists when the question asks for budget units."""
        if "预算单位" in intent.question and self._budget_units_stated(intent, answer):
            return True
        reports = self._reports_of(intent)
        latest = max((self.lexicon.reports[r].year or 0 for r in reports), default=0)
        kind = next((k for k in lineage.MEMBER_KINDS if k in intent.question), "事业单位")
        members = [] if intent.years else lineage.listed_members(  # no year asked: the latest report's list
            self.corpus.passages, [r for r in reports if (self.lexicon.reports[r].year or 0) == latest], kind)
        members = members or lineage.listed_members(self.corpus.passages, reports, kind)
        if not members or kind == "派出机构" and not any(kind in normalise(p.text) for _, p in members):
            return False  # 有哪几个派出机构: a list that says so, not the department's other members
        parent = _departments(intent)
        answer.intent["type"], answer.mode, answer.columns = "members_in_text", "prose", ["单位", "主管部门"]
        for name, passage in members:
            answer.add_row({"单位": name, "主管部门": parent}, passage.id, _passage_evidence(passage))
        said = kind if kind == "派出机构" else "下属单位"
        answer.answer = f"{parent}的{said}有{len(members)}个：" + "、".join(n for n, _ in members) + "。"
        return True

    def _subunits(self, intent: Intent, answer: Answer) -> None:
        if self._funded_units(intent, answer):
            return  # 作为资金使用单位的区分局有几个: the units the project tables name
        rows = _distinct_units(self._run(answer, q.subunits_query(intent)) or self._named_after(intent))
        if all(base_name(r["unit_name"]) == r["parent_name"] for r in rows) and self._members_listed(intent, answer):
            return  # the graph holds only the department's own 本级: the units its text lists (budget units first)
        members = [r for r in rows if base_name(r["unit_name"]) != r["parent_name"]]
        if members and self._budget_units_stated(intent, answer, more_than=len(members)):
            return  # 下属12个二级预算单位，分别是…: the text names more members than the tables
        answer.columns = ["单位", "主管部门", "简称"]
        for row in rows:
            answer.add_row({"单位": row["unit_name"], "主管部门": row["parent_name"]}, row["unit"])
        narrowed = self._of_kind_and_place(intent, answer) or answer.keep(_of_asked_kind(
            intent.question, [r["单位"] for r in answer.rows]))
        excluding = lineage.excludes_own(intent.question, len(answer.rows))
        if excluding:  # 除局本级外还包括哪些单位 / 下属单位: not the department's own 本级
            answer.keep([i for i, r in enumerate(answer.rows) if not lineage.is_own(r["单位"], r["主管部门"])])
        own = {base_name(r["单位"]) for r in answer.rows if base_name(r["单位"]) != r["单位"]}
        if _ASKS_COMPOSITION.search(normalise(intent.question)) and not (excluding or narrowed):  # 包括几个预算单位: 本级 too
            for unit in intent.units:
                if unit.name not in own and answer.rows:
                    answer.add_row({"单位": f"{unit.name}（本级）", "主管部门": unit.name}, unit.iri)
        for row in answer.rows:  # X（本级） is printed X本级 too
            if row["单位"].endswith("（本级）"):
                row["简称"] = base_name(row["单位"]) + "本级"
        self._evidence(answer, "unit")
        if intent.aggregate == "count" and answer.rows and "哪" not in intent.question:  # 一共包括几个: one count
            names = _counted_members(intent, answer)
            answer.answer = f"{_departments(intent)}共{len(names)}个单位：" + "、".join(names) + "。"
            return
        parent = _departments(intent)
        if not answer.rows and _MADE_OF.search(normalise(intent.question)) and len(intent.units) == 1 and \
                self._reports_of(intent):  # 部门决算由哪些单位构成, with no member: the department alone
            unit = intent.units[0]
            answer.add_row({"单位": unit.name, "主管部门": unit.name}, unit.iri)
            answer.answer = f"{parent}没有下属单位，部门预算/决算只含{unit.name}本身。"
            return
        answer.answer = (f"{parent}的下属单位有{len(answer.rows)}个：" + "、".join(r["单位"] for r in answer.rows) + "。"
                         if answer.rows else f"语料库中没有 {parent} 的下属单位。")

    def _of_kind_and_place(self, intent: Intent, answer: Answer) -> bool:
        """在番禺设了哪几个环保所: the members of the kind asked (环保所) in the place asked (番禺),
        when some are; the department's own name does not count as the place."""
        text = normalise(intent.question)
        kind = _MEMBER_KIND.search(text) or _KIND_COUNTED.search(text)
        kind = re.sub(r"^(?:区级|县级|市级|[区县市])(?=.{2})", "", kind.group(1)) if kind else None  # 区分局: 分局
        kind = kind if kind not in _ANY_MEMBER else None
        own = " ".join(u.name for u in intent.units)
        where = {p.rstrip("省市区县") for p, _ in places(text) if p.rstrip("省市区县") not in own}
        where |= {g for m in _SET_UP_IN.finditer(text) for g in m.groups() if g and g not in own}
        if not kind and not where:
            return False
        kept = [i for i, r in enumerate(answer.rows) if (not kind or _ALIAS_TAIL.sub("", r["单位"]).endswith(kind))
                and (not where or any(w in r["单位"] for w in where))]
        return answer.keep(kept)

    def _named_after(self, intent: Intent) -> list[dict]:
        """A unit no report lists members of (深圳市社会保险基金管理局下设了哪些分局): the corpus's units
        whose names extend its own (…管理局福田分局), of the kind the question names (分局)."""
        kinds = re.findall(r"(?<=哪些|哪几)个?([\u4e00-\u9fff]{1,3}?)(?:[？?，,]|$)", normalise(intent.question))
        return [{"unit": member.iri, "unit_name": member.name, "parent_name": unit.name}
                for unit in intent.units
                for member, _ in sorted(self.lexicon.named_after(unit.name), key=lambda found: found[0].name)
                if base_name(member.name) != unit.name and not member.name.endswith("本级")
                and (not kinds or member.name.endswith(kinds[0]))]

    def _budget_units_stated(self, intent: Intent, answer: Answer, more_than: int = 0) -> bool:
        """预算单位有哪些 of a department whose graph holds only its 本级 (or fewer members than the
        text names, ``more_than``): the 预算单位构成 sentence."""
        found = lineage.budget_units_in_text(self._report_passages(self._reports_of(intent)))
        if found is None:
            return False
        names, passage = found
        parent = _departments(intent)
        if more_than and len([n for n in names if not lineage.is_own(n, parent)]) <= more_than:
            return False
        if lineage.excludes_own(intent.question, len(names)):  # one rule with the lists and ranks
            names = [n for n in names if not lineage.is_own(n, parent)]
            if not names and intent.aggregate == "count":  # 除本级外包含几个二级预算单位 — 只有本级: none
                answer.intent["type"], answer.mode, answer.columns = "budget_units_in_text", "prose", ["主管部门", "单位数"]
                answer.add_row({"主管部门": parent, "单位数": 0}, passage.id, _passage_evidence(passage))
                answer.answer = f"{parent}除本级外没有其他预算单位，共0个（{passage.source} 第{passage.page}页）。"
                return True
        picked = _of_asked_kind(intent.question, names)  # …中，哪一个是高等院校
        names = [names[i] for i in picked] if picked else names
        if not names:
            return False
        if intent.aggregate == "count":  # 下面有几个二级预算单位: the count, with the names it counts
            answer.intent["type"], answer.mode, answer.columns = "budget_units_in_text", "prose", ["主管部门", "单位数", "单位"]
            answer.add_row({"主管部门": parent, "单位数": len(names), "单位": "、".join(names)}, passage.id,
                           _passage_evidence(passage))
            answer.answer = f"{parent}的预算单位共{len(names)}个：" + "、".join(names) + \
                f"（{passage.source} 第{passage.page}页）。"
            return True
        answer.intent["type"], answer.mode, answer.columns = "budget_units_in_text", "prose", ["单位", "主管部门"]
        for name in names:
            answer.add_row({"单位": name, "主管部门": parent}, passage.id, _passage_evidence(passage))
        answer.answer = f"{parent}的预算单位有{len(names)}个：" + "、".join(names) + f"（{passage.source} 第{passage.page}页）。"
        return True

    def _subunit_projects(self, intent: Intent, answer: Answer) -> None:
        if self._units_over(intent, answer):
            return
        if intent.order and _RANKS_UNITS.search(normalise(intent.question)) and self._units_by_projects(intent, answer):
            return  # 哪个资金使用单位的项目资金最多: units ranked by their projects' money
        self._project_list(intent, answer)

    def _subunit_metric(self, intent: Intent, answer: Answer) -> None:
        if self._funded_units(intent, answer):
            return
        if intent.order and intent.report_metric is None and _RANKS_UNITS.search(normalise(intent.question)) and \
                self._units_by_projects(intent, answer):
            return  # 各区分局中项目资金合计最多的: the members ranked by their projects' money, no report figure
        if intent.aggregate == "count" and not (intent.yoy or intent.comparison or intent.value_filter or
                                                 report_metric_of(_REPORT_NAME.sub("", normalise(intent.question)))):
            self._subunits(intent, answer)  # 纳入部门预算的预算单位一共有多少家: the members counted, no figure asked
            return
        metric = intent.report_metric or BY_KEY["expenditure.project"]
        intent.report_metric = metric
        self._report_lookup(intent, answer)
        if answer.mode == "prose":
            return  # 所属单位的应急保障用车和特种专业技术用车一共多少辆: counts a sentence states
        if intent.yoy and intent.aggregate == "count":  # 有几家…比2025年增加了: the units whose change goes that way
            self._changed_units(intent, answer)
            return
        self._named_subunits(intent, answer)
        if not answer.rows and lineage.EXCLUDES_OWN.search(normalise(intent.question)) and \
                self._members_by_difference(intent, metric, answer):
            return
        column = metric_column(metric)
        if not any(column in r for r in answer.rows):
            return  # the lookup answered in other columns (a line of a member's table): its own answer stands
        _members_only(intent, answer)
        total = sum((Decimal(str(r[column])) for r in answer.rows if r.get(column) is not None), Decimal(0))
        if len(answer.rows) >= 2 and _ASKS_TOTAL.search(normalise(intent.question)) and \
                not re.search(r"分别|各自|各是|哪", intent.question):  # 两个下属事业单位的收入加起来: one total
            parts = "＋".join(f"{r['单位']}{r[column]}万元" for r in answer.rows)
            answer.columns = ["单位", "年度", f"合计{column}", "构成"]
            answer.rows = [{"单位": "、".join(r["单位"] for r in answer.rows), "年度": answer.rows[0].get("年度"),
                            f"合计{column}": float(total.normalize()), "构成": parts}]
            answer.entities, answer.evidence = answer.entities[:1], answer.evidence[:1]
            answer.intent["type"] = "subunit_total"
            answer.answer = f"{parts}，合计{format(total.normalize(), 'f')}万元。"
            return
        if answer.rows:
            answer.answer = (f"{'、'.join(u.name for u in intent.units)}下属{len(answer.rows)}个单位的{metric.label}合计"
                             f"{format(total.normalize(), 'f')}万元（" + "，".join(
                                 f"{r['单位']}{r['年度']}年{r[column]}万元" for r in answer.rows) + "）。")

    def _funded_units(self, intent: Intent, answer: Answer) -> bool:
        """哪些资金使用单位…, 共有多少个环境监测站作为资金使用单位: the units a department's project
        tables name as carrying its projects out, with the sum of their projects' money — of the kind
        and place asked, above the bound asked, or counted."""
        text = normalise(intent.question)
        if not _FUND_USERS.search(text) or intent.projects:
            return False
        if not self._units_by_projects(intent, answer, listing=True):
            return False
        if self._of_kind_and_place(intent, answer):  # the text of the rows kept
            column = answer.columns[1]
            answer.answer = "符合条件的资金使用单位：" + "、".join(
                f"{r['单位']}（{r['项目数']}个项目，{r[column]}万元）" for r in answer.rows) + "。"
        if intent.aggregate == "count" and "哪" not in text and answer.rows:
            names = _counted_members(intent, answer)
            answer.answer = f"{_departments(intent)}的项目表中符合条件的资金使用单位共{len(names)}个：" + "、".join(names) + "。"
        return True

    def _member_projects_total(self, intent: Intent, metric, answer: Answer) -> bool:
        """A unit with no report of its own whose figure the graph does not hold: its 项目支出 as the
        sum of the projects its department's project tables list under it, said as such (the tables
        may list only key projects); any other figure: none, and its department's is not given."""
        members = {u.name for u in intent.units if u.name in intent.implementers}
        projects = [p for p in self.lexicon.projects_of(members) if not intent.years or p.year in intent.years]
        rows = self.store.query(q.project_query(dataclasses.replace(intent, units=[], subunits=False),
                                                PROJECT_BY_KEY["budget"], projects=projects)).rows if projects else []
        rows = [r for r in rows if r.get("value") is not None]
        if metric.key != "expenditure.project" or not rows:
            names = "、".join(sorted(members))
            answer.answer = (f"图谱中没有{names}的{metric.label}：语料库里没有它自己的报告，所在部门的数字不能代替它 "
                             f"(no {metric.key} of this unit in the graph: it has no report of its own, and its "
                             f"department's figure is not its own)。")
            return False
        column = metric_column(metric)
        answer.intent["type"] = "member_projects_total"
        answer.columns = ["单位", "年度", column, "项目数", "依据"]
        for member in sorted(members):
            mine = [r for r in rows if member in ((p := self.lexicon.projects[r["project"]]).implementer, p.unit)]
            if not mine:
                continue
            amount = sum((Decimal(str(r["value"])) for r in mine), Decimal(0))
            answer.add_row({"单位": member, "年度": mine[0].get("year"), column: wan(amount), "项目数": len(mine),
                            "依据": "主管部门报告的项目表中该单位各项目合计"}, mine[0]["project"])
        self._evidence(answer, "budget")
        answer.answer = "；".join(f"{r['单位']}{r['年度']}年的{metric.label}报告未单列，其主管部门项目表中该单位"
                                 f"{r['项目数']}个项目合计{r[column]}万元" for r in answer.rows) + "。"
        return bool(answer.rows)

    def _members_by_difference(self, intent: Intent, metric, answer: Answer) -> bool:
        """除去局本级后下属单位合计 where no member's own figure is printed: the department's figure
        (its 部门 report) less its 本级's (the 单位 report of the same year)."""
        whole = dataclasses.replace(intent, subunits=False)  # the department's and its 本级's own figures
        rows = [r for r in self.store.query(q.report_metric_query(whole, metric.key)).rows
                if r.get("value") is not None and r.get("basis") in (None, "预算数", "决算数")]
        pairs = reported_both_ways(rows)
        both = sorted(pairs, key=lambda k: (k[0], k[1] or 0, k[2] or ""))
        if not both:
            return False
        column = metric_column(metric)
        answer.columns = ["单位", "年度", f"部门{column}", f"本级{column}", f"下属单位合计{column}"]
        for key in both:
            whole, part = pairs[key]
            answer.add_row({"单位": key[0], "年度": key[1], f"部门{column}": wan(whole["value"]),
                            f"本级{column}": wan(part["value"]),
                            f"下属单位合计{column}": wan(whole["value"] - part["value"])},
                           whole["report"], self._figure_evidence(whole))
        answer.answer = "；".join(
            f"{r['单位']}{r['年度']}年部门{metric.label}{r[f'部门{column}']}万元，本级{r[f'本级{column}']}万元，"
            f"下属单位合计{r[f'下属单位合计{column}']}万元（部门数减本级数）" for r in answer.rows) + "。"
        return True

    def _named_subunits(self, intent: Intent, answer: Answer) -> None:
        """Keep the member rows the question itself names (下属的广州市统计普查中心); a single member
        asked (下属的那家单位) is not the department's own X（本级）."""
        names = {u.name for u in intent.units}
        keep = [i for i, r in enumerate(answer.rows) if r.get("单位") in names]
        if len(names) >= 2 and keep and len(keep) < len(answer.rows):
            departments = {r.get("单位") for r in answer.rows} & self.lexicon.publishers()
            keep = [i for i in keep if answer.rows[i].get("单位") not in departments] or keep
        elif _ONE_MEMBER.search(normalise(intent.question)):
            keep = [i for i, r in enumerate(answer.rows) if not str(r.get("单位", "")).endswith(("（本级）", "(本级)", "本级"))]
        else:
            return
        answer.keep(keep)

    def _changed_units(self, intent: Intent, answer: Answer) -> None:
        way = "减少" if re.search(FALLING, intent.rest) else "增加"
        parent = _departments(intent)
        members = [r for r in answer.rows if r.get("单位") not in {u.name for u in intent.units}]
        changed = [r for r in members if r.get("增减方向") == way and r.get("增减额(万元)")]
        answer.columns = ["主管部门", "单位数", "单位"]
        answer.rows, answer.entities, answer.evidence = ([{
            "主管部门": parent, "单位数": len(changed), "单位": "、".join(r["单位"] for r in changed)}],
            answer.entities[:1], answer.evidence[:1]) if members else ([], [], [])
        if not members:
            answer.answer = f"语料库中没有{parent}下属单位{intent.report_metric.label}的上年数据。"
            return
        answer.answer = f"{parent}下属单位中{intent.report_metric.label}比上年{way}的有{len(changed)}家：" + \
            "、".join(f"{r['单位']}（{way}{r['增减额(万元)']}万元）" for r in changed) + "。"

    def _department_of(self, intent: Intent, answer: Answer) -> None:
        rows = self._run(answer, q.department_query(intent))
        answer.columns = ["单位", "主管部门", "部门编码"]
        for row in rows:
            answer.add_row({"单位": row["unit_name"], "主管部门": row.get("department_name") or row["unit_name"],
                                "部门编码": row.get("code")}, row["unit"])
        self._evidence(answer, "unit")
        answer.answer = "；".join(f"{r['单位']}的主管部门是{r['主管部门']}" for r in answer.rows) + "。"



def _counted_members(intent: Intent, answer: Answer) -> list[str]:
    """The member rows of ``answer`` as one row of their count (主管部门, 单位数, 单位); their names."""
    names = [r["单位"] for r in answer.rows]
    answer.columns = ["主管部门", "单位数", "单位"]
    answer.rows = [{"主管部门": _departments(intent), "单位数": len(names), "单位": "、".join(names)}]
    answer.entities, answer.evidence = answer.entities[:1], answer.evidence[:1]
    return names


def _of_asked_kind(question: str, names: list[str]) -> list[int] | None:
    """名称带“幼儿园”的, 哪一个是高等院校: the indices of the member names the question picks, or None
    when it picks by no name or kind (or by one none of them has)."""
    text = normalise(question)
    named = _NAME_HOLDS.search(text)
    if named:
        words: tuple[str, ...] = (named.group(1),)
    else:
        kind = _IS_KIND.search(text)
        if not kind or kind.group(1) in _ANY_MEMBER:
            return None
        words = _KIND_WORDS.get(kind.group(1), (kind.group(1),))
    kept = [i for i, name in enumerate(names) if any(w in normalise(name) for w in words)]
    return kept or None


def _members_only(intent: Intent, answer: Answer) -> None:
    """下属两个事业单位的…, 除本级外…: the rows of the members, not the department's own 本级."""
    parents = [u.name for u in intent.units if base_name(u.name) == u.name]
    own = [i for i, r in enumerate(answer.rows) if any(lineage.is_own(str(r.get("单位", "")), p) for p in parents)]
    if own and lineage.excludes_own(intent.question, len(answer.rows)):
        answer.keep([i for i in range(len(answer.rows)) if i not in own])


def _departments(intent: Intent) -> str:
    """The named departments (X, not X（本级）, when both are named)."""
    bare = [u.name for u in intent.units if base_name(u.name) == u.name]
    return "、".join(bare or [u.name for u in intent.units])


def _passage_evidence(passage) -> dict:
    return {"report": passage.source, "page": passage.page, "text": passage.text}


__all__ = ["MemberAnswers"]


def _distinct_units(rows: list[dict]) -> list[dict]:
    """One row per member where the graph names it more than once: X本级 beside X（本级）; an old
    name beside the new one that keeps it in brackets (深圳技师学院, 深圳城市职业学院（深圳技师学院）);
    and X beside X（本级）, X then the group its own part and its branches make up."""
    names = {r["unit_name"] for r in rows}

    def repeated(name: str) -> bool:
        return name.endswith("本级") and not name.endswith("（本级）") and f"{name[:-2]}（本级）" in names or \
            f"{name}（本级）" in names or any(other != name and other.endswith(f"（{name}）") for other in names)
    return [r for r in rows if not repeated(r["unit_name"])]
