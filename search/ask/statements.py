"""Answers read from the reports' sentences rather than the graph: a count, standard, target or
amount a sentence states (its number and measure), a change it states against an earlier year or
budget (an amount, or a rate alone) and the earlier year's figure that follows from it, the
documents a sentence cites, and the decline of a number no sentence states. Mixed into ``Asker`` beside the project and report
handlers; the passages looked in are those of the reports the question names.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask import indicators as kpi
from search.ask import prose
from search.ask.answer import Answer, as_int
from search.ask.differences import ASKS_DIFFERENCE, ASKS_SHARE
from search.ask.paraphrase import covered
from search.ask.parser import Intent, named_item
from search.ask.question_metrics import report_metric_of
from search.ask.report_rows import department_reports
from search.ask.reports import RATE, another_projects, with_magnitude


# a name of three or more characters right before 项目支出/项目经费, after the clause's start or 里/中/的
_PROJECT_SPENDING = re.compile(r"(?:^|[，,、里中的])(?P<name>[^，,、里中的\d年]{3,20}?)项目(?:支出|经费)")
_ONE_FACTOR = re.compile(r"(?:这一|该|此|这个)(?:项)?(?:因素|原因)")
_ASKS_WAN = re.compile(r"万元|元")
# a reason described, then the amount it made: …，这一因素让部门支出减少了多少 / …，让部门支出少了多少
_FACTOR_ASKED = re.compile(r"[，,](?:这一|该|此|这个)(?:项)?(?:因素|原因)|[，,](?:让|使|使得|导致)[^，,。？?]{0,10}?"
                           r"(?:减少|增加|少了|多了|下降|上升)[^，,。？?]{0,4}多少|"
                           r"(?:这一|该|此|这个)项?(?:因素|原因|变化)?(?:让|使|使得|导致)[^，,。？?]{0,10}?"
                           r"(?:减少|增加|少了|多了|下降|上升)[^，,。？?]{0,4}多少")  # …发放这一项让部门支出少了多少
_PART_ASKED = re.compile(r"[，,]其中(?P<part>[\u4e00-\u9fff]{2,16}?)(?:减少|增加|少了|多了|下降|上升|压减)了?(?:多少|几)")
_FACTOR_AMOUNT = re.compile(r"(?P<verb>减少|增加|节约|节省|压减)[^，,。；;\d]{0,12}?(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元")


def _reason_end(reason: str, sentence: str) -> int:
    """Where the reason's words end in ``sentence`` (the amount it made comes after them)."""
    ends = [sentence.find(reason[i:i + 2]) + 2 for i in range(len(reason) - 1) if reason[i:i + 2] in sentence]
    return max(ends) if ends else 0
_ASKS_CHANGE = re.compile(r"增加|减少|增长|下降|降低|变化|增减|上升|持平|变动|比(?!例|重)|分别|各年|两年")
_DERIVED = re.compile(r"推算|倒推|执行数|(?:根据|依据|按|据).{0,24}(?:19|20)\d{2}年")
_DERIVATION = re.compile(r"(?:请|可)?(?:按照?|根据|依据|据|用)[^，,。？?]{0,30}?(?:增减|变化|变动)?(?:说明|数|情况|额)?"
                         r"(?:推算|倒推|计算|算出)(?:出来)?|[（(]?(?:请)?(?:推算|倒推)[)）]?")
_BUDGET_ASKED = re.compile(r"预算")
_HOW_CLAUSE = re.compile(r"^[^，,。？?]*?(?:根据|依据|按照?|利用|用)[^，,。？?]*[，,]|[“\"][^”\"]*[”\"]")
_OUTTURN = re.compile(r"决算|执行数|实际|完成")
_YEAR_BEFORE = re.compile(r"上一年|上年|去年|前一年")
# …比上年增加了2171.76万元，那上年的…是多少: the change is given, the year before is asked
_ASKS_YEAR_BEFORE = re.compile(r"[，,]\s*(?:那么?|则|请问)?\s*(?:上一年|上年|去年|前一年)度?的?[^，,。？?]*?(?:是|为|有)?多少")
# 截至上年底实有人员: the count this year's report states as of the year's start, no earlier year's figure
_YEAR_END = re.compile(r"(?:截至|截止|至)?(?:上一?年|去年)(?:底|末|年底|年末)")
_NOT_THE_SUBJECT = re.compile(r"(?:19|20)\d{2}年度?|推算|倒推|(?:根据|依据|按照?|据)|(?:预算|决算)?说明|[（()）]")


_ASKS_HOW_MUCH = re.compile(r"多少|几[个人项次台辆]|多大|多高|多长")


_NOT_THE_LINE = re.compile(r"(?:19|20)\d{2}年度?|〔[^〕]*〕|[（(][^）)]*[）)]|预算|决算|支出|安排|是多少|多少|的|[？?。，,]")


def _names_metric(intent: Intent, sentence: str) -> bool:
    """The sentence names what is asked: the item the question names (培训费), or the figure's label
    or a synonym (“三公”经费)."""
    text = normalise(sentence).replace("“", "").replace("”", "")
    item = named_item(normalise(intent.question))
    if item and covered(item, text) >= 0.8 * len(item):
        return True
    segments = re.split(r"[的，,、和与及年〕）)“”\"]", normalise(intent.rest or intent.question))
    costs = [m.group(1) for m in (re.match(r"([\u4e00-\u9fff]{2,4}费)", seg) for seg in segments) if m]
    if costs:  # 上年培训费预算: a sentence about the 培训费
        return all(c in text for c in costs)
    line = _NOT_THE_LINE.sub("", normalise(intent.rest or ""))  # 2025年（上年）购房补贴预算: 购房补贴〔项〕支出…
    if 3 <= len(line) <= 12 and re.search(re.escape(line) + r"(?:〔[类款项]〕)?(?:支出)?[\d,.]+万元", text):
        return True
    metric = intent.report_metric
    head = normalise(metric.label)[:2] if metric is not None and metric.key in _TOTALS else None
    if head and (text.startswith(head) or f"预算{head}" in text):
        return True  # 收入较去年减少1316.82万元, 部门预算支出…较上年: the sentence's subject is the total
    return metric is not None and any(normalise(w) in text for w in (metric.label, *metric.synonyms)
                                      if len(normalise(w)) > 2)


_TOTALS = ("income.total", "expenditure.total")


def _one_of_its_uses(item: str, sentence: str, value: str) -> bool:
    """The item is named only after the amount, in a list of what that amount pays for (科目1,744万元，
    主要用于人员经费、公用经费等基本支出，以及会计考试专项): the amount is another thing's."""
    at = next((m for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", sentence) if m.group().replace(",", "") == value), None)
    if at is None or covered(item, sentence[:at.start()]) >= 0.6 * len(item):
        return False
    after = sentence[at.end():]
    where = next((i for i in range(len(after)) if covered(item, after[:i + 1]) >= 0.6 * len(item)), len(after))
    uses = after[:where].split("用于", 1)
    return len(uses) == 2 and bool(re.search(r"[、，,]|以及|和|及", uses[1]))  # one use among others


class StatedAnswers:
    """Handlers of figures and documents stated in prose (needs ``corpus``, ``lexicon``, ``store``
    and ``_reports_of`` of the class it is mixed into)."""

    def _prose(self, intent: Intent, answer: Answer, measure: str) -> None:
        """A count, standard or target in ``measure`` read from the sentence that states it."""
        stated = prose.best_statement(intent.rest or intent.question, measure, self._passages_of(intent),
                                      tuple(p.name for p in intent.projects)) or \
            prose.best_statement(intent.rest or intent.question, measure, self._implemented_passages(intent))
        item = None if intent.projects else named_item(normalise(intent.question))
        if stated is None or item and covered(item, normalise(stated.sentence)) < 0.6 * len(item):
            return  # 渝西水资源配置工程安排了多少钱: a sentence about that item, or no answer
        if item and measure in ("万元", "元") and _one_of_its_uses(item, normalise(stated.sentence), stated.value):
            if not answer.rows or answer.mode == "retrieval":  # the sentence naming it states no amount of its own
                self._not_stated(answer)
            return  # “一般公共服务支出”科目1,744万元，主要用于…、以及会计考试专项: the line's money, not the item's
        share = ASKS_SHARE.search(normalise(intent.rest or intent.question)) if measure == "%" else None
        if share:  # 住房保障支出占财政拨款支出总额的比例: a sentence about that part, not the whole's 100%
            part = re.sub(r"(?:19|20)\d{2}年度?|当年|本年|全年", "",
                          re.split(r"[，,。]", normalise(intent.rest or intent.question)[:share.start()])[-1])
            if len(part) >= 2 and covered(part, normalise(stated.sentence)) < 0.6 * len(part):
                return
        mine = {p.iri for p in intent.projects}
        if mine and not (mine & set(stated.passage.entities)) and not any(
                covered(normalise(p.name), normalise(stated.sentence)) >= 0.6 * len(normalise(p.name))
                for p in intent.projects):
            return  # a project's figure comes from its own passage or a sentence naming it
        named = report_metric_of(normalise(intent.question))
        said = normalise(stated.sentence)
        if measure in ("万元", "元") and named and (not any(normalise(w) in said for w in named[0].synonyms) or
                                                 not intent.projects and another_projects(named[1], stated)):
            return  # 公务接待费支出了多少: a sentence that names 公务接待费 (机关运行经费 is no 其他运行经费)
        _stated_row(answer, stated, "prose_figure")
        summed = prose.stated_sum(normalise(intent.rest or intent.question), stated)
        if summed is not None:  # 应急保障用车和特种专业技术用车一共有多少辆: each one's count in that sentence, added
            row = answer.rows[0]
            row["数值"], row["构成"] = _number(str(summed[0])), summed[1]
            answer.intent["type"] = "prose_sum"
            answer.columns.append("构成")
            answer.answer = f"{summed[1]}，合计{row['数值']}{stated.measure}（{stated.passage.source} " \
                            f"第{stated.passage.page}页：{stated.sentence}）"

    def _prose_across_kinds(self, intent: Intent, answer: Answer, measure: str) -> bool:
        """决算报告介绍的专任教师人数比同年预算报告里写的多了多少: the figure each report's text states,
        the one named first less the other."""
        question = normalise(intent.question)
        if "决算" not in question or "预算" not in question or not ASKS_DIFFERENCE.search(question) or not intent.units:
            return False
        sides = []
        for kind in sorted(("决算", "预算"), key=question.find):
            one = Answer(intent.question, intent=dict(answer.intent))
            self._prose(dataclasses.replace(intent, report_kind=kind), one, measure)
            if len(one.rows) != 1 or one.rows[0].get("数值") is None:
                return False
            sides.append((kind, one))
        (kind_a, a), (kind_b, b) = sides
        value_a, value_b = Decimal(str(a.rows[0]["数值"])), Decimal(str(b.rows[0]["数值"]))
        unit = a.rows[0].get("计量单位") or ""
        answer.rows, answer.evidence, answer.entities = [], [], []
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "prose_difference"
        answer.columns = ["单位", "年度", "差额", "计量单位", kind_a, kind_b]
        answer.add_row({"单位": a.rows[0].get("单位"), "年度": a.rows[0].get("年度"), "差额": float(value_a - value_b),
                        "计量单位": unit, kind_a: float(value_a), kind_b: float(value_b)},
                       a.entities[0], a.evidence[0])
        answer.evidence.append(b.evidence[0])
        answer.answer = (f"{kind_a}报告{value_a.normalize():f}{unit}，{kind_b}报告{value_b.normalize():f}{unit}，"
                         f"相差{(value_a - value_b).normalize():f}{unit}（{a.answer}；{b.answer}）")
        return True

    def _stated_target(self, intent: Intent, answer: Answer) -> bool:
        """A target the question names in a report's own words (及时率达到多少以上) that a 绩效目标
        paragraph states rather than an indicator row: the number printed right after those words."""
        question = normalise(intent.question)
        if not prose.ASKS_TARGET.search(question) or kpi.ASKS_MONEY.search(intent.rest or question) or \
                not (intent.units or intent.projects):
            return False
        passages = self._passages_of(intent)
        stated = prose.stated_target(intent.rest or question, passages, prose.asked_measure(question))
        mine = {p.iri for p in intent.projects}
        if stated is None and mine:  # 制卡成功率≥90.0%: five words are enough in the named project's own passages
            stated = prose.stated_target(intent.rest or question, [p for p in passages if mine & set(p.entities)],
                                         prose.asked_measure(question), shortest=5)
        if stated is None:
            return False
        _stated_row(answer, stated, "stated_target")
        return True

    def _project_stated(self, intent: Intent, answer: Answer) -> bool:
        """检察官学院运行费项目支出安排了多少: a project no form or table lists, named in the sentence that
        explains a line (事业运行(项)支出315万元，主要是检察官学院运行费项目支出) — that sentence's amount."""
        metric = intent.report_metric
        named = _PROJECT_SPENDING.search(normalise(intent.rest or intent.question))
        if metric is None or metric.key != "expenditure.project" or named is None or intent.projects \
                or intent.yoy or not intent.units:
            return False
        name = named.group("name")
        passages = [p for p in self._passages_of(intent) if name in normalise(p.text)]
        stated = prose.best_statement(f"{name}项目支出", "万元", passages) if passages else None
        if stated is None or name not in normalise(stated.sentence):
            return False
        _stated_row(answer, stated, "project_stated")
        return True

    def _stated_after_words(self, intent: Intent, answer: Answer) -> bool:
        """The last resort before 'not stated': a run of six or more of the question's own words that
        a passage of the named reports prints, and the number printed right after it (普通高中学位
        供给率稳步提升至70%左右; 完成罚没任务150万元)."""
        if not intent.units or not _ASKS_HOW_MUCH.search(normalise(intent.question)):
            return False
        asking = re.split(r"[，,；;]", normalise(intent.rest or intent.question).rstrip("？?。 "))[-1]  # the clause that asks
        passages = self._passages_of(intent)
        mine = {p.iri for p in intent.projects}
        question = normalise(intent.question)
        measure = prose.asked_measure(question) or ("钱" if prose.ASKS_AMOUNT.search(question) else None)
        stated = prose.stated_target(asking, passages, measure, money=True, shortest=4,
                                     preferred=lambda p: bool(mine & set(p.entities)))  # a named project's own text
        if stated is None:
            return False
        _stated_row(answer, stated, "stated_after_words")
        return True

    def _factor_amount(self, intent: Intent, answer: Answer) -> bool:
        """One reason's amount inside a stated change (退休人员基本养老金改由社保中心发放，这一因素让部门
        支出减少了多少): the sentence of the named reports that gives that reason, and the amount it
        says the reason added or took away (这一因素较上年减少部门支出1,653万元)."""
        question = normalise(intent.question)
        asked, part = _FACTOR_ASKED.search(question), _PART_ASKED.search(question)
        if not (asked or part) or not intent.units:
            return False
        if asked:
            reason = max(re.split(r"[，,。；;]", _NOT_THE_SUBJECT.sub("", question[:asked.start()])), key=len)
        else:  # …比2025年少了4万元，其中公用经费预算减少了多少: the part named after 其中
            reason = part.group("part")
        if len(reason) < (6 if asked else 4):
            return False
        best = None
        for passage in self._passages_of(intent):
            text = normalise(passage.text)
            for sentence in re.findall(r"[^。]+", text):
                share = covered(reason, sentence)
                if share < 0.6 * len(reason) or best is not None and share <= best[0]:
                    continue
                amount = _FACTOR_AMOUNT.search(sentence, _reason_end(reason, sentence))
                if amount is not None:
                    best = (share, amount, sentence, passage)
        if best is None:
            return False
        _, amount, sentence, passage = best
        value = float(amount.group("amount").replace(",", ""))
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "factor_amount"
        answer.columns = ["单位", "年度", "增减方向", "金额(万元)", "原文"]
        answer.add_row({"单位": passage.facets.get("unit"), "年度": as_int(passage.facets.get("year")),
                        "增减方向": amount.group("verb"), "金额(万元)": value, "原文": sentence}, passage.id,
                       {"report": passage.source, "page": passage.page, "text": sentence})
        answer.answer = f"{amount.group('verb')}{value:g}万元（{passage.source} 第{passage.page}页：{sentence}）"
        return True

    def _not_stated(self, answer: Answer) -> None:
        """Decline a number no table holds and no sentence states, naming the nearest passage."""
        top = answer.evidence[0] if answer.evidence else {}
        answer.rows, answer.evidence, answer.entities = [], [], []
        answer.intent["type"] = "not_stated"
        answer.answer = ("报告中没有列明所问的数值，无法回答"
                         + (f"（最接近的内容：{top.get('report')} 第{top.get('page')}页）" if top.get("report") else "")
                         + " (the reports do not state this figure)。")

    def _cited(self, intent: Intent, answer: Answer) -> bool:
        """The documents cited by the sentence about what the question asks the basis of."""
        passages = self._passages_of(intent) if (intent.projects or self._printing_reports(intent)) else []
        subject = " ".join(sorted({p.name for p in intent.projects}) + [intent.rest or intent.question])
        cited = prose.cited_documents(subject, passages)
        if cited is None:
            return False
        passage = cited.passage
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "cited_documents"
        answer.columns = ["单位", "年度", "文件", "文号", "原文"]
        answer.rows, answer.evidence, answer.entities = [], [], []
        for title, number in cited.documents:
            answer.add_row({"单位": passage.facets.get("unit"), "年度": as_int(passage.facets.get("year")), "文件": title,
                            "文号": number, "原文": cited.sentence}, passage.id,
                           {"report": passage.source, "page": passage.page, "text": cited.sentence})
        answer.answer = ("依据：" + "；".join(f"《{t}》" * bool(t) + (f"（{n}）" if n else "") for t, n in cited.documents)
                         + f"（{passage.source} 第{passage.page}页：{cited.sentence}）")
        return True

    def _stated_previous(self, intent: Intent, answer: Answer) -> bool:
        """An earlier year's figure worked out from a later report (按2026年预算说明推算，2025年…是多少;
        2025年的执行数): that report's amount less the change it states against the earlier year."""
        question = normalise(intent.question)
        core = _DERIVATION.sub("", question)  # 请按2026年单位预算的增减说明推算: how, not what is asked
        premise = _ASKS_YEAR_BEFORE.search(question)
        if premise:
            core = question[premise.start() + 1:]  # the clause after the given change is the one asked
        elif _DERIVED.search(question):  # 根据…收入预算和“比2025年减少”的数字，倒推…: the clause saying how
            core = _HOW_CLAUSE.sub("", core)
        derived = bool(premise or _DERIVED.search(question))
        budget_before = len(set(intent.years)) == 1 and intent.report_kind in (None, "预算") and \
            _BUDGET_ASKED.search(core) and not _OUTTURN.search(core)  # 2025年的“三公”经费预算 in 2026's report
        if not intent.units or not intent.years or _ASKS_CHANGE.search(core) or \
                not (len(set(intent.years)) > 1 or derived or budget_before):
            return False
        asked, names = min(intent.years), {u.name for u in intent.units}
        if len(set(intent.years)) == 1 and derived and _YEAR_BEFORE.search(_YEAR_END.sub("", core)):
            asked -= 1  # 按2025年预算说明推算，上一年…: the year before the one named
        mine = [(iri, r) for iri, r in self.lexicon.reports.items() if r.unit in names]
        kind = [(iri, r) for iri, r in mine if not intent.report_kind or r.report_kind == intent.report_kind] or mine
        if any(r.year == asked for _, r in kind):
            return False  # the year's own report answers it
        later = sorted(iri for iri, r in kind if r.year == asked + 1 and
                       (not budget_before or derived or r.report_kind == "预算"))
        if not later:
            return False
        passages = self._report_passages(later)
        subject = _NOT_THE_SUBJECT.sub("", _DERIVATION.sub("", intent.rest or question))
        previous = prose.stated_previous(subject, passages)
        if previous is None and intent.report_metric is not None and intent.report_metric.key in _TOTALS:
            metric = intent.report_metric  # 年初预算总额: the total in its own words (部门预算支出…较上年…)
            head = metric.label[:2]  # 收入 / 支出
            said = (metric.label, *metric.synonyms, f"部门预算{head}", f"预算{head}")
            previous = next(filter(None, (prose.stated_previous(w, passages) for w in said)), None)
        implicit = budget_before and not (len(set(intent.years)) > 1 or derived)
        if previous is None or implicit and not _names_metric(intent, previous.sentence):
            return False  # 2025年的会议费: a sentence about that figure, not any change near the words
        passage = previous.passage
        direction = "减少" if previous.change < 0 else "增加"
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "stated_previous"
        answer.columns = ["单位", "年度", "金额(万元)", "本年(万元)", "增减(万元)", "原文"]
        answer.rows, answer.evidence, answer.entities = [], [], []
        answer.add_row({"单位": passage.facets.get("unit"), "年度": asked, "金额(万元)": float(previous.value),
                        "本年(万元)": float(previous.current), "增减(万元)": float(previous.change),
                        "原文": previous.sentence}, passage.id,
                       {"report": passage.source, "page": passage.page, "text": previous.sentence})
        answer.answer = (f"{asked}年为{previous.value}万元（据{passage.source}推算：本年{previous.current}万元，"
                         f"比上年{direction}{abs(previous.change)}万元；第{passage.page}页：{previous.sentence}）")
        if implicit:  # not asked to work it out: the year's report is missing, the later one's statement is a note
            answer.rows, answer.entities = [], []
            answer.intent["type"] = "not_in_corpus_stated_previous"
            answer.answer = f"语料库中没有{passage.facets.get('unit') or '该单位'}{asked}年的预算报告 (no report of that year)；" \
                            f"按下一年报告的说明推算，{answer.answer}"
        return True

    def _stated_change(self, intent: Intent, answer: Answer) -> bool:
        """A change against an earlier year or budget read from the sentence of the asked report
        that states it (较2025年年初预算减少878.34万元); that sentence is the evidence."""
        question = normalise(intent.question)
        if _ONE_FACTOR.search(question):
            return False  # 这一因素减少了多少: one reason's amount, not the change
        reports = self._reports_of(intent)
        line = self._named_line(intent, reports) if intent.percent_change and reports else None
        if intent.percent_change and intent.kind != "retrieval" and not reports:
            return False
        if intent.years and len(intent.years) > 1:  # 2026年比2025年: the later year's report states it
            reports = [r for r in reports if self.lexicon.reports[r].year == max(intent.years)] or reports
        if not intent.report_kind and "预算" in question and "决算" not in question:  # 2023年预算中…比上年
            reports = [r for r in reports if self.lexicon.reports[r].report_kind == "预算"] or reports
        if not reports:
            return False
        rates = not _ASKS_WAN.search(intent.question)
        passages = self._report_passages(reports)
        preferred = set(department_reports(intent, self.lexicon, reports))  # 无锡市教育局: its 部门 report's sentence first
        change = prose.stated_change(intent.rest or intent.question, [p for p in passages if p.report in preferred], rates) \
            if preferred != set(reports) and "本级" not in question else None
        change = change or prose.stated_change(intent.rest or intent.question, passages, rates)
        if change is None:
            return False
        passage = change.passage
        if line and intent.kind != "retrieval" and not _names_line(line[0], change):
            return False  # a table line's rate: read where the line is named, not from a neighbouring sentence
        if change.amount is None:  # only a rate is stated (比2022年度决算数增长134.61%): that is the answer
            return _stated_rate_only(change, answer)
        amount = float(change.amount)
        rate = RATE.search(change.sentence) if intent.percent_change else None
        if intent.percent_change and rate is None:
            return False
        answer.mode, answer.sparql = "prose", ""
        answer.intent["type"] = "stated_change"
        answer.columns = ["单位", "年度", "增减(万元)", "增减方向", "增减额(万元)", "原文"]
        answer.rows, answer.evidence, answer.entities = [], [], []
        answer.add_row(with_magnitude({"单位": passage.facets.get("unit"), "年度": as_int(passage.facets.get("year")),
                                        "增减(万元)": amount, "原文": change.sentence}, "增减(万元)"), passage.id,
                       {"report": passage.source, "page": passage.page, "text": change.sentence})
        answer.answer = (f"{'减少' if amount < 0 else '增加'}{_number(str(abs(amount)))}万元"
                         f"（{passage.source} 第{passage.page}页：{change.sentence}）")
        if rate is not None:  # 比上年增长了百分之几: the rate the same sentence states
            answer.rows[0]["增减率(%)"] = float(rate.group(2))
            answer.columns.append("增减率(%)")
            answer.answer = f"{rate.group(1)}{rate.group(2)}%（{passage.source} 第{passage.page}页：{change.sentence}）"
        return True

    def _report_passages(self, reports) -> list:
        """Every passage of the given reports, in id order."""
        index = self.corpus.passages
        return index.get(sorted(index.ids_where(report=sorted(reports))))

    def _passages_of(self, intent: Intent) -> list:
        reports = {p.report for p in intent.projects} or \
            set(department_reports(intent, self.lexicon, self._printing_reports(intent)))  # 无锡市教育局: its 部门 report
        if reports:
            passages = self._report_passages(reports)
            if intent.report_scope:  # 部门（含下属单位） / 本级: the reports of that scope when there are
                passages = [p for p in passages if p.facets.get("scope") == intent.report_scope] or passages
            if intent.projects:  # the named projects' own passages first
                mine = {p.iri for p in intent.projects}
                passages.sort(key=lambda p: not (mine & set(p.entities)))
            elif not self._reports_of(intent):  # a 预算单位 in its department's report: where it is named
                forms = {f for u in intent.units for f in u.forms if len(f) >= 5}
                passages = [p for p in passages if any(f in normalise(f"{p.section} {p.text}") for f in forms)]
            return passages
        if intent.units:
            return []  # the named units print nothing of the asked year: no other unit's sentence answers
        from search.hybrid import HybridSearcher

        return [hit.passage for hit in HybridSearcher(self.corpus, self.lexicon).search(intent.question, k=20,
                                                                            years=intent.years or None)]

    def _implemented_passages(self, intent: Intent) -> list:
        """The passages of the projects the named units carry out (实施单位) when they publish no
        report of their own: where a 预算单位's targets are printed without its name."""
        if intent.projects or self._reports_of(intent) or not intent.units:
            return []
        theirs = {p.iri for p in self.lexicon.projects_of({u.name for u in intent.units})}
        return [p for p in self._report_passages(self._printing_reports(intent)) if theirs & set(p.entities)]

    def _printing_reports(self, intent: Intent) -> list[str]:
        """The reports of the named units, or of the departments that print the figures of named
        units publishing none of their own (a 预算单位 inside its department's report)."""
        reports = self._reports_of(intent)
        if reports or not intent.units:
            return reports
        named = " ".join(f"<{u.iri}>" for u in intent.units)
        parents = self.store.query(f"SELECT DISTINCT ?parent ?name WHERE {{ VALUES ?unit {{ {named} }}\n"
                                   "  ?unit org:subOrganizationOf ?parent . ?parent skos:prefLabel ?name }").rows
        names = {r["name"] for r in parents}
        return [iri for iri, r in self.lexicon.reports.items() if r.unit in names
                and (not intent.years or r.year in intent.years)
                and (not intent.report_kind or r.report_kind == intent.report_kind)]

def _names_line(name: str, change) -> bool:
    """The change sentence, or the text just before it, names the line (3．住房保障支出3,660.38万元，
    主要用于….与上年相比增加…): the change is that line's."""
    text = normalise(change.passage.text)
    at = text.find(change.sentence)
    return at >= 0 and name in text[max(0, at - 80):at + len(change.sentence)]


def _stated_rate_only(change, answer: Answer) -> bool:
    passage, rate = change.passage, float(change.rate)
    answer.mode, answer.sparql = "prose", ""
    answer.intent["type"] = "stated_change"
    answer.columns = ["单位", "年度", "增减率(%)", "原文"]
    answer.rows, answer.evidence, answer.entities = [], [], []
    answer.add_row({"单位": passage.facets.get("unit"), "年度": as_int(passage.facets.get("year")), "增减率(%)": rate,
                    "原文": change.sentence}, passage.id, {"report": passage.source, "page": passage.page,
                                                         "text": change.sentence})
    answer.answer = f"{'下降' if rate < 0 else '增长'}{_number(str(abs(rate)))}%（{passage.source} 第{passage.page}页：{change.sentence}）"
    return True


def _stated_row(answer: Answer, stated, kind: str) -> None:
    """The answer is one number a sentence states; that sentence is its evidence."""
    passage = stated.passage
    answer.mode, answer.sparql = "prose", ""
    answer.intent["type"] = kind
    answer.columns = ["单位", "年度", "数值", "计量单位", "原文"]
    answer.rows, answer.evidence, answer.entities = [], [], []
    answer.add_row({"单位": passage.facets.get("unit"), "年度": as_int(passage.facets.get("year")),
                    "数值": _number(stated.value), "计量单位": stated.measure, "原文": stated.sentence},
                   passage.id, {"report": passage.source, "page": passage.page, "text": stated.sentence})
    answer.answer = f"{stated.value}{stated.measure}（{passage.source} 第{passage.page}页：{stated.sentence}）"


def _number(text: str):
    """A number read from prose as people write it: 2000, not 2000.0."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)

