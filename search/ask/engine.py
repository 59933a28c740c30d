"""Answer a Chinese question from the graph, falling back to hybrid retrieval.

``Asker.ask(question)`` returns the object ``budgetkg ask --json`` prints::

    {"question", "mode": "graph"|"retrieval"|"hybrid", "intent", "sparql", "columns",
     "rows": [{column: value}], "answer", "evidence": [{"report", "page", "text"}]}

One row per answer entity; money in 万元; every row has evidence (report, page, text).
Questions about units or years the corpus lacks, empty questions and ambiguous names get
a Chinese message instead of an answer.

The answer record lives in ``answer``, the handlers of projects and of report figures in
``projects`` and ``reports`` and the answers read from sentences in ``statements`` (mixed into
``Asker``), indicators in ``indicators`` (reading) and ``indicator_answers`` (the answers), figures
stated in prose in ``prose``, two figures
compared in ``differences``, a project's sources of money in ``funds`` (where each is read) and
``project_funds`` (the answers), the places behind refusals in ``places``, a department's members
and their figures in ``members``, rows of tables kept as grids in ``grids``, the findings, retrieval
and evidence in ``retrieval_answers``; this module parses a question, refuses what the corpus cannot
answer, and routes the rest to them.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from kg.errors import UsageError
from kg.graph.entities import Lexicon, base_name, normalise
from kg.metrics import BY_KEY
from search.ask import funds, prose
from search.ask.answer import Answer
from search.ask.paraphrase import DESCRIBED, covered, own_name
from search.ask.per_each import PerEachAnswers
from search.ask.parser import Intent, named_item, parse
from search.ask.question_metrics import PROJECT_BY_KEY, report_metric_of
from search.ask.places import organisations_named, unknown_place
from search.ask.chains import ChainAnswers
from search.ask.components import ComponentAnswers
from search.ask.grids import GridAnswers
from search.ask.indicator_answers import LISTS_PROJECTS, SELF_EVALUATION, IndicatorAnswers
from search.ask.line_parts import NOT_FISCAL, LineParts
from search.ask.lines import LineAnswers
from search.ask.line_statements import LineStatementAnswers
from search.ask.members import MemberAnswers
from search.ask.project_funds import ProjectFundAnswers
from search.ask.projects import ProjectAnswers
from search.ask.report_comparisons import ReportComparisons
from search.ask.retrieval_answers import RetrievalAnswers
from search.ask.reports import ReportAnswers
from search.ask.statements import StatedAnswers
from search.ask.target_coverage import TargetCoverageAnswers
from search.ask.column_totals import ColumnTotals
from search.ask.member_lines import MemberLines
from search.ask.differences import (ASKS_SHARE, collapse_difference, collapse_share, compared_metrics, summed_metrics,
                                    the_year_compared)
from search.ask.sums import collapse_sum, money_column
from store.lexicon_file import corpus_lexicon

_QUOTED_NAME = re.compile(r"[“\"「『][^”\"」』]{2,30}[”\"」』]")  # 深圳“数字人社”（一期）项目: a name the text prints
_ASKS_NUMBER = re.compile(r"多少|几(?:个|项|人|名|次|辆|台|家|所|年|天)|百分之几")
_ASKS_ONE_VALUE = re.compile(r"(?:指标值|目标值|指标的?值|标准)(?:是|为)?多少")
_ASKS_PROJECTS = re.compile(r"哪(?:些|几个|个|一个)(?:一级|二级)?项目|项目有哪些|项目中|项目里")
_ASKS_A_NAME = re.compile(r"^(?!.*(?:多少|几[个项家]?|百分之)).*(?:是哪(?:一?个|些|几个|项|家)|哪(?:一?个|些|几个)项目)")  # 金额最大的项目是哪个
_HOLDINGS = ("车辆数", "房屋面积")  # report figures of what a unit holds
_UNIT_FIGURE_KINDS = ("report_lookup", "report_rank", "subunit_metric", "line_lookup")
_SUMMED_MEMBERS = re.compile(r"合计|加起来|一共|总共|之和")
_CHANGE_WORDS = re.compile(r"比|较|增|减|降|变化")
_LIST_QUESTION = re.compile(r"哪些|哪几|哪个单位|哪一家|各(?:个|家|单位)|分别|合计|加起来|一共|总共")
# 涉密项目一共安排了多少钱, 被剔除的涉密项目叫什么: what a report withholds by law, asked for
_PERSONAL_PAY = re.compile(r"(?:个人|本人|每位|某位)的?(?:年薪|薪酬|薪水|工资|收入)|"
                           r"(?:局长|厅长|检察长|院长|主任|书记|处长|校长|委员)(?:(?:19|20)\d{2}年度?)?(?:个人)?的?"
                           r"(?:年薪|薪酬|薪水|工资)")
_CLASSIFIED = re.compile(r"(?<!剔除)(?<!除去)涉密[^，,。？?）)〕]{0,12}?(?:多少|几|名称|叫什么|哪些|哪个|金额|预算|资金|钱)")


class Asker(ProjectAnswers, ProjectFundAnswers, ReportAnswers, ReportComparisons, StatedAnswers, LineAnswers, LineParts, ChainAnswers,
            ComponentAnswers, GridAnswers, MemberAnswers, LineStatementAnswers, IndicatorAnswers, RetrievalAnswers,
            TargetCoverageAnswers, ColumnTotals, MemberLines, PerEachAnswers):
    """Answers questions over one corpus (graph store + passage index)."""

    def __init__(self, corpus, lexicon: Lexicon | None = None):
        self.corpus = corpus
        self.store = corpus.graph
        self.lexicon = lexicon or corpus_lexicon(corpus)
        self._line_names: dict[str, set[str]] = {}  # report IRI → the names of its table lines
        self._all_lines: tuple[int, dict[str, set[str]]] | None = None  # (reports, every line name of the corpus)
        self._grids: dict[str, list | tuple] = {}  # report IRI (and #stored, #every) → its grids, read for answering (grids.py)
        self._by_unit_year: tuple[Lexicon, dict] | None = None  # (lexicon, (unit, year) → its reports)

    def ask(self, question: str, chain: bool = True) -> Answer:
        """The answer to ``question``; ``chain=False`` answers it as one step (see ``chains``)."""
        return in_yuan(self._answer(question, chain), self._printed_in_yuan)

    def _printed_in_yuan(self, row: dict) -> bool:
        """The row is of one report (单位, 年度, 报告 as the rows name them) whose tables print 元."""
        unit, year, kind = row.get("单位"), row.get("年度"), row.get("报告")
        if not unit or not year:
            return False
        if self._by_unit_year is None or self._by_unit_year[0] is not self.lexicon:
            index: dict[tuple[str, str], list] = {}
            for report in self.lexicon.reports.values():
                index.setdefault((report.unit, str(report.year)), []).append(report)
            self._by_unit_year = (self.lexicon, index)
        found = [r for r in self._by_unit_year[1].get((unit, str(year)), ()) if not kind or r.report_kind == kind]
        return bool(found) and all(r.amount_unit == "元" for r in found)

    def _answer(self, question: str, chain: bool) -> Answer:
        if not question or not question.strip():
            raise UsageError("问题为空 (empty question)：请输入问题，例如 budgetkg ask \"哪些项目执行率低于60%\"")
        if not self.lexicon.reports:
            return Answer(question, answer="语料库为空：请先导入报告 (the store is empty: run budgetkg ingest first)。")
        shared = self._per_each(question) if chain else None
        if shared is not None:
            return shared  # 公务用车购置费…平均下来每辆多少钱: the figure over the count the text plans
        chained = self._chained(question) if chain else None
        if chained is not None:
            alone = self.ask(question, chain=False)  # an indicator only one project has needs no rank first
            return alone if alone.intent.get("type") == "indicator_lookup" and len(alone.rows) == 1 else chained
        intent = parse(question, self.lexicon)
        self._named_member(intent)
        answer = Answer(question, intent=intent.describe())
        if self._factor_amount(intent, answer):
            return answer  # …，这一因素让部门支出减少了多少: the amount the text gives that reason
        if self._stated_previous(intent, answer):
            return answer  # 按2026年预算说明推算，2025年…: the later report's figure less its stated change
        if self._target_coverage(intent, answer):
            return answer  # 编报绩效目标的项目资金占项目支出的百分之几: the text's sum against the report's figure
        if self._column_total(intent, answer):
            return answer  # 事业收入中，教育收费有多少: a column the tables print, read on their total row
        if intent.kind in ("retrieval", "report_lookup") and self._member_line_named(intent, answer):
            return answer  # a member's line, printed only in its department's table by unit
        refusal = self._refusal(intent)
        if refusal:
            answer.answer = refusal
            answer.intent["type"] = "not_in_corpus"
            return answer
        if intent.kind in ("project_filter", "project_list", "project_aggregate", "report_lookup") and \
                (_ASKS_PROJECTS.search(normalise(question)) or funds.summed_fund(normalise(question))) and \
                self._projects_by_fund(intent, answer):
            return answer  # 哪些项目使用了上年结转资金, 各项目的上年结转资金合计: the projects' own sources
        if self._grid_rows(intent, answer):
            return answer  # 培训费明细表中参训人数达到200人的: rows of a table kept as a grid
        if self._component_changes(intent, answer):
            return answer  # “三公”经费哪几项比上年减少了: each part's change, not the lines the text explains
        if self._stated_line_against_start(intent, answer) or self._stated_line_changes(intent, answer):
            return answer  # 哪些项级科目比上年增长超过100%: the lines the explaining text takes one by one
        if self._members_in_text(intent, answer) or self._component_rank(intent, answer) or self._line_list(intent, answer) or \
                (not intent.projects and (self._line_share(intent, answer) or self._line_difference(intent, answer)
                                          or self._line_sum(intent, answer) or self._line_across_years(intent, answer))):
            return answer
        if self._project_parent(intent, answer) or self._indicators(intent, answer) or self._stated_target(intent, answer):
            return answer
        asks_document = prose.ASKS_DOCUMENT.search(normalise(question)) and intent.kind != "projects_citing"
        if asks_document and intent.kind != "project_attribute" and self._cited(intent, answer):
            return answer  # 采购品目名称是依据哪个文件填写的: the document the text cites for it
        if self._line_parts_named(intent, answer):
            return answer  # 印刷费在基本支出和项目支出里一共: one line's two parts added
        metrics = compared_metrics(question, report_metric_of) or summed_metrics(question, report_metric_of) \
            if intent.units and not intent.projects else None
        if metrics and self._two_report_figures(intent, metrics, answer):
            return answer
        if self._line_without_metric(intent, answer):
            return answer
        self._project_described(intent, answer)
        self._units_summed(intent, answer)
        handler = getattr(self, f"_{intent.kind}", None)
        if handler is None:
            handler = self._retrieval
        named_sum = intent.kind in ("retrieval", "project_aggregate") and not intent.projects and \
            len(intent.summed) >= 2 and intent.units and self._named_sum(intent, answer)
        if not named_sum:
            handler(intent, answer)  # 贴息和担保费合计多少: figures the text states, added
        if asks_document and not answer.rows:
            self._cited(intent, answer)
        if answer.intent.get("type") in ("project_list", "project_filter") and _ASKS_ONE_VALUE.search(normalise(question)) \
                and not LISTS_PROJECTS.search(normalise(question)):
            answer.rows, answer.evidence, answer.entities = [], [], []  # a value asked, no project named: no list
            answer.intent["type"] = "not_stated"
            answer.answer = "报告中没有找到所问项目的该项指标，无法回答 (the reports do not state this for the project)。"
        answer = self._quoted_name_in_text(intent, answer)
        answer = self._targets_counted_in_text(intent, answer)
        # A占B的百分之几 with both rows found needs no sentence; a sentence's one row is never two named rows,
        # so the share is collapsed here or not at all
        shared = collapse_share(question, answer)
        measure = prose.asked_measure(normalise(question))
        if shared:
            pass
        elif measure and _asked_something_else(answer, measure) and not SELF_EVALUATION.search(normalise(question)):
            graph_answer = answer.intent.get("type")
            self._prose_across_kinds(intent, answer, measure) or self._prose(intent, answer, measure)
            if answer.rows and answer.mode == "graph" and answer.intent.get("type") == graph_answer and \
                    _money_for_a_count(answer, measure):
                self._not_stated(answer)  # 人员编制数是多少人: no sentence states it, and money is no head count
        elif (not answer.rows or answer.mode == "retrieval") and answer.intent.get("type") != "line_not_printed" and \
                (intent.projects or self._printing_reports(intent) or _names_unknown_thing(intent)) and \
                prose.ASKS_AMOUNT.search(normalise(question)) and not _ASKS_A_NAME.search(normalise(question)):
            self._prose(intent, answer, "万元")  # 创业担保贷款贴息预算多少: an amount only the text states
        shared or collapse_sum(question, answer) or collapse_difference(question, answer) or \
            the_year_compared(question, answer)
        if answer.intent.get("type") == "named_total" and answer.intent.get("summed_rows", 0) < len(intent.summed):
            whole = Answer(question, intent=intent.describe())  # 三块合计 with one of them not a report figure:
            if self._named_sum(intent, whole):                   # each named item, a table line or the text too
                answer = whole
        if answer.intent.get("type") == "project_lookup" and _TASK_AMOUNT.search(normalise(intent.rest or question)):
            task = Answer(question, intent=intent.describe())  # 部门整体支出绩效目标中，计划完成的罚没任务是多少万元:
            if self._stated_after_words(intent, task):         # the amount its target text gives that task
                answer = task
        if answer.mode == "retrieval" and answer.rows and not _states_asked_number(normalise(question), answer) and \
                not self._stated_after_words(intent, answer):
            self._not_stated(answer)  # 编制人数是多少: no passage states it, and passages are no number
        if not answer.rows and answer.mode == "graph" and intent.kind not in ("findings",) and not answer.answer:
            answer.answer = "图谱中没有符合条件的结果 (no matching result in the graph)。"
        return answer

    def _project_described(self, intent: Intent, answer: Answer) -> None:
        """哪个项目是用来给…做内部修缮的 / 那个给…买装备的项目 with no project of the named units named
        by its name (one its words only resemble is no name): the project whose own text does what
        the question says becomes the project asked about."""
        named_units = {u.name for u in intent.units}
        said = normalise(intent.question)
        if not intent.units or any(p.unit in named_units and not intent.partial_projects and
                                   (normalise(p.name) in said or own_name(p) in said) for p in intent.projects) \
                or not DESCRIBED.search(said) or intent.kind in ("projects_citing", "project_items"):
            return
        found = self._described(intent)
        if found is not None:
            intent.projects, intent.kind = [found], "project_lookup"
            intent.project_metric = intent.project_metric or PROJECT_BY_KEY["budget"]
            answer.intent.update(type="project_lookup", projects=[found.name])

    def _units_summed(self, intent: Intent, answer: Answer) -> None:
        """两个中心的预算加起来 (no project named): the named units' totals summed, not their projects';
        a department named only as their place (西安市统计局下面两个事业单位（…）) is not one of them."""
        members = [u for u in intent.units if u not in intent.parents_named]
        if intent.kind == "project_aggregate" and intent.aggregate == "sum" and len(members) >= 2 and \
                not intent.projects and "项目" not in normalise(intent.question) and intent.report_metric is None:
            intent.kind, intent.report_metric, intent.units = "report_lookup", BY_KEY["expenditure.total"], members
            answer.intent.update(type="report_lookup", report_metric="expenditure.total", units=[u.name for u in members])

    def _line_without_metric(self, intent: Intent, answer: Answer) -> bool:
        """财政拨款安排的行政经费是多少, 委托业务费一共安排了多少: no metric word and no project, but a
        line of the asked report's tables (not a change, which the change handlers read)."""
        text = normalise(intent.question)
        return intent.kind in ("retrieval", "project_aggregate") and bool(intent.units) and not intent.projects \
            and len(intent.summed) < 2 and not intent.yoy and "项目" not in text and bool(prose.ASKS_AMOUNT.search(text) or NOT_FISCAL.search(text)) \
            and not _CHANGE_WORDS.search(text) and self._line_lookup(intent, answer)

    def _quoted_name_in_text(self, intent: Intent, answer: Answer) -> Answer:
        """深圳“数字人社”（一期）项目的预算: a quoted name no project has, answered with a project list —
        the amount the text states for it instead, when a sentence does."""
        if answer.intent.get("type") not in ("project_list", "project_filter") or intent.projects or \
                not _QUOTED_NAME.search(intent.question) or not prose.ASKS_AMOUNT.search(normalise(intent.question)) \
                or intent.comparison or intent.order or intent.value_filter:
            return answer
        stated = Answer(intent.question, intent=intent.describe())
        self._prose(intent, stated, "万元")
        return stated if stated.rows else answer

    def _targets_counted_in_text(self, intent: Intent, answer: Answer) -> Answer:
        """一共编报了多少个项目绩效目标: the count the text states (设置并编报57个项目绩效目标), not the
        projects the tables happen to print — when a sentence of the asked reports states one."""
        if answer.intent.get("type") != "project_aggregate" or intent.aggregate != "count" or \
                not _TARGETS_COUNTED.search(normalise(intent.question)):
            return answer  # 绩效目标表中的几个项目加起来: a sum of the table's projects, not a count
        stated = Answer(intent.question, intent=intent.describe())
        self._prose(intent, stated, "个")
        said = stated.evidence[0].get("text", "") if stated.rows and stated.evidence and stated.evidence[0] else ""
        return stated if "绩效目标" in said else answer

    # -- refusals ------------------------------------------------------------------------------
    def _refusal(self, intent: Intent) -> str | None:
        if intent.ambiguous_units:
            names = "、".join(sorted(intent.ambiguous_units))
            return (f"“{intent.ambiguous_form}”可能指多个单位：{names}；请写明全称或地区 "
                    f"(ambiguous unit name: say which one)。")
        if intent.missing:
            years = sorted(self.lexicon.years())
            return (f"语料库中没有 {'、'.join(intent.missing)} 的报告；现有年度：{'、'.join(str(y) for y in years)}。"
                    f" (no report for {', '.join(intent.missing)} in the corpus)")
        unknown_unit = self._unknown_unit(intent.question)
        if unknown_unit:
            units = self.lexicon.unit_names()
            return (f"语料库中没有“{unknown_unit}”的报告；现有单位：{'、'.join(units)}。 "
                    f"(no report for {unknown_unit} in the corpus)")
        if _CLASSIFIED.search(normalise(intent.question)):
            return ("涉密项目按规定不予公开：报告不列其名称和金额，只可能说明已剔除 "
                    "(classified projects are not disclosed: reports print neither their names nor their money)。")
        if _PERSONAL_PAY.search(normalise(intent.question)):
            return ("预决算公开不披露个人的工资薪酬：报告只列单位的人员经费和工资福利支出总额 "
                    "(budget disclosures never give one person's pay, only a unit's personnel spending in total)。")
        member = self._unreported_member(intent)
        if member:
            return (f"语料库中没有“{member}”自己的报告：它只见于其他单位的报告，所在部门的数字不能代替它 "
                    f"(no report of its own for {member} in the corpus; its department's figures are not its own)。")
        unnamed = normalise(intent.question)
        for project in intent.projects:  # …监督检查员经费（白云区）: a place inside a held project's name
            unnamed = unnamed.replace(normalise(project.name), "，").replace(own_name(project), "，")
        unknown = unknown_place(unnamed, self.lexicon)
        if unknown and not self._members_placed(intent, unknown):
            units = self.lexicon.unit_names()
            return (f"语料库中没有“{unknown}”的报告；现有单位：{'、'.join(units)}。 (no report for {unknown} in the corpus)")
        return None

    def _unreported_member(self, intent: Intent) -> str | None:
        """A unit's figure asked of an organisation named with its place (重庆水利电力职业技术学院)
        that is no unit of the lexicon but which reports mention (a department's member with no
        report of its own), when the question names no unit the corpus has: its name."""
        if intent.units or intent.kind not in _UNIT_FIGURE_KINDS:
            return None
        for span, _ in organisations_named(normalise(intent.question)):
            whole = [m for m in self.lexicon.find(span, "unit") if m.end - m.start >= len(span) - 1]
            if not whole and self.corpus.passages.mentions(span):
                return span
        return None

    def _members_placed(self, intent: Intent, place: str) -> bool:
        """广州市生态环境局在番禺区有哪些单位: a place no report is of, but some members or 实施单位 of
        the named units are named after it (…番禺分局, …番禺环境监测站)."""
        bare = place.rstrip("省市区县旗州")
        if not intent.units or len(bare) < 2:
            return False
        names = {u.name for u in intent.units}
        held = {p.implementer for p in self.lexicon.projects_of(names) if p.implementer} | \
            {e.name for name in names for e, _ in self.lexicon.named_after(name)}
        return any(bare in name for name in held)

    def _named_member(self, intent: Intent) -> None:
        """``X局下属的Y中心…`` / ``X局部门预算里，Y中心的收入``: a named unit that belongs to another
        named unit is the one asked about; its department only says where it is printed."""
        text = normalise(intent.question)
        summed = _SUMMED_MEMBERS.search(text) and not re.search(r"哪|各|分别", text)  # X局下属A和B…合计
        if len(intent.units) < 2 or intent.projects or intent.versus or intent.kind not in _UNIT_FIGURE_KINDS or \
                _LIST_QUESTION.search(text) and not summed or ASKS_SHARE.search(text):
            return  # Y中心的预算占X局部门预算的百分之几: both figures are asked
        named = " ".join(f"<{u.iri}>" for u in intent.units)
        members = {r["unit"] for r in self.store.query(
            f"SELECT DISTINCT ?unit WHERE {{ VALUES ?unit {{ {named} }} VALUES ?parent {{ {named} }}\n"
            "  ?unit org:subOrganizationOf ?parent . FILTER(?unit != ?parent) }").rows}
        by_iri = {u.iri: u for u in intent.units}
        members = {m for m in members if base_name(by_iri[m].name) == by_iri[m].name}  # X（本级） figures are X's
        if not members or summed and len(members) < 2:
            return
        intent.units = [u for u in intent.units if u.iri in members]
        intent.subunits = False
        if intent.kind == "subunit_metric":
            intent.kind = "report_lookup"
            intent.report_metric = intent.report_metric or BY_KEY["expenditure.total"]

    def _unknown_unit(self, question: str) -> str | None:
        """A unit named with its place (杭州市教育局, 福州市财政局) that no report of the corpus is by
        and no passage mentions: a short form shared with another place's unit (无锡市教育局) is no
        answer, and neither is every unit's figure."""
        for span, place in organisations_named(normalise(question)):
            bare = place.rstrip("省市区县")
            found = self.lexicon.find(span, "unit") or self.lexicon.find_abbreviated(span)
            if any(bare in m.entity.name for m in found) or self.corpus.passages.mentions(span):
                continue
            return span
        return None

    def _two_report_figures(self, intent: Intent, metrics: tuple, answer: Answer) -> bool:
        """人员经费比公用经费多多少 / 人员经费和公用经费合起来: both figures of the named unit's report,
        and their difference or their sum."""
        if len(intent.summed) > len(metrics):
            return False  # 三块合计 with one of them no report figure: the named sum reads each item
        parts = []
        for metric in metrics:
            one = Answer(intent.question, intent=intent.describe())
            asked = dataclasses.replace(intent, report_metric=metric, kind="report_lookup", yoy=False, summed=[],
                                        versus=[], ratio_of=None)
            self._report_lookup(asked, one)
            if len(one.rows) != 1 or money_column(one) is None or one.intent.get("type") == "line_in_both_parts":
                return False  # 印刷费在基本支出和项目支出里一共: one line's two parts, not the two totals
            parts.append((metric, one))
        both = Answer(intent.question, intent={**answer.intent, "type": "report_lookup"})
        both.columns = ["单位", "年度", "报告", "科目", "金额(万元)"]
        for metric, part in parts:
            row = dict(part.rows[0])
            amount = row.pop(money_column(part))
            row = {k: v for k, v in row.items() if not k.endswith("(万元)")}
            row.update({"科目": row.get("科目") or metric.label, "金额(万元)": amount})
            both.add_row(row, part.entities[0], part.evidence[0])
        if not (collapse_difference(intent.question, both) or collapse_sum(intent.question, both)):
            return False
        answer.intent, answer.columns, answer.answer = both.intent, both.columns, both.answer
        answer.rows, answer.entities, answer.evidence = both.rows, both.entities, both.evidence
        answer.sparql = "\n".join(p.sparql for _, p in parts if p.sparql)
        return True

    # -- graph intents ---------------------------------------------------------------------------
    def _run(self, answer: Answer, sparql: str):
        answer.sparql = sparql
        return self.store.query(sparql).rows

def _states_asked_number(question: str, answer: Answer) -> bool:
    """Whether a retrieved passage prints a number in the measure the question asks (人, 辆, %,
    万元 …); True for questions that ask no number (prose questions keep their passages)."""
    measure = prose.asked_measure(question) or ("万元" if prose.ASKS_AMOUNT.search(question) else None)
    if measure is None:
        return not _ASKS_NUMBER.search(question)
    words = "|".join(re.escape(w) for w in prose.MEASURES.get(measure, (measure,)))
    item = named_item(question)  # 渝西水资源配置工程安排了多少钱: a passage about that item
    kinds = prose.counted_kinds(question)  # 编制多少名: a passage printing 人 but not 编制 is no answer
    return any(re.search(rf"\d\s*(?:{words})", text) and (not item or covered(item, text) >= 0.6 * len(item))
               and all(k in text for k in kinds)
               for text in (normalise(str(row.get("段落") or "")) for row in answer.rows))



def _names_unknown_thing(intent: Intent) -> bool:
    """A quoted name that is neither a unit's nor a report figure's (深圳“数字人社”（一期）项目):
    something the reports' text may state an amount for."""
    quoted = _QUOTED_NAME.search(intent.question)
    return bool(quoted) and not intent.units and report_metric_of(quoted.group(0)) is None


_TASK_AMOUNT = re.compile(r"[\u4e00-\u9fff]{2,}任务[^，,。？?]{0,4}?多少|计划完成[^，,。？?]{2,}多少|"
                          r"目标(?:里|中|内|当中)[,，]?[^，,。？?]{2,}多少")  # a figure inside a target's text


def _asked_something_else(answer: Answer, measure: str) -> bool:
    """Whether the graph's answer misses a count or standard the question asks for: no rows, a
    retrieval, or money where a non-money measure (人次, 辆, %, 每月…元) was asked."""
    if not answer.rows or answer.mode == "retrieval":
        return True
    if answer.intent.get("type") == "project_aggregate" and measure not in ("个", "项", "万元", "元", "%", "钱"):
        return True  # 单价100万元以上的设备一共有多少台套: things counted in the text, not projects
    if answer.intent.get("type") not in ("report_lookup", "project_lookup", "line_lookup", "item_lookup"):
        return False  # lists, counts, ranks and indicators answer what they were asked
    if prose.asks_purchase(answer.question) and any(c in answer.columns for c in _HOLDINGS):
        return True  # 计划购置几辆车: what is bought, not the 车辆数 held
    if _VEHICLE_KIND.search(answer.question) and any(c in answer.columns for c in _HOLDINGS):
        return True  # 执法执勤用车有多少辆: one kind the text counts, not all the 车辆数 held
    money = any(c.endswith("(万元)") for c in answer.columns)
    if measure == "%":  # a rate asked, money answered (及时率的目标是多少 → the project's budget)
        return money and not any(c.endswith("(%)") for c in [*answer.columns, *(k for r in answer.rows for k in r)])
    return measure != "万元" and money


def _money_for_a_count(answer: Answer, measure: str) -> bool:
    """The graph answered money (a report figure, projects' sum) where a count of people or
    things was asked, and the text states no such count."""
    return measure in _COUNTED_MEASURES and any(c.endswith("(万元)") for c in answer.columns) and \
        answer.intent.get("type") in ("report_lookup", "project_aggregate", "line_lookup", "item_lookup")


_COUNTED_MEASURES = ("人", "名", "人次", "户", "辆", "台", "套", "台（套）", "所", "家", "座", "间", "平方米")


_TARGETS_COUNTED = re.compile(r"(?:多少|几)个(?:项目)?(?:的)?绩效目标(?!表)|绩效目标(?!表)[^，。？?]{0,4}?(?:多少|几)个(?![^，。？?]*项目)")
_VEHICLE_KIND = re.compile(r"(?:执法执勤|特种专业技术|机要通信|应急保障|一般公务|离退休干部|主要负责人|业务|其他)用车")
_ASKS_YUAN = re.compile(r"(?:多少|几)(?:元|块钱)|(?:单位|金额)[为是：:]?元|多少钱?[（(〔]元[)）〕]")  # 多少钱（元）


def _printed_in_yuan(value) -> bool:
    return isinstance(value, float) and Decimal(str(value)).as_tuple().exponent < -2


def in_yuan(answer: Answer, report_in_yuan=lambda row: False) -> Answer:
    """A question asking 多少元 gets each 万元 figure of its rows in 元 too (…(元) beside …(万元)):
    the unit the asker counts in, the same amount. So does a figure a table printed in 元 (37.346万元
    is 373,460元: more than two decimals of 万元), and a row of a report whose tables print 元
    (``report_in_yuan``: 水费和电费合计 14万元 is the 140,000元 the report's lines add to), in the
    unit its report prints."""
    money = [c for c in answer.columns if c.endswith("(万元)") and c.replace("(万元)", "(元)") not in answer.columns]
    if not (_ASKS_YUAN.search(normalise(answer.question)) and "万元" not in answer.question):
        money = [c for c in money if any(_printed_in_yuan(row.get(c)) or report_in_yuan(row) for row in answer.rows)]
    for column in money:
        answer.columns.insert(answer.columns.index(column) + 1, column.replace("(万元)", "(元)"))
        for row in answer.rows:
            value = row.get(column)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                row[column.replace("(万元)", "(元)")] = float((Decimal(str(value)) * 10000).normalize())
    return answer
