"""Chinese questions → ``Intent``: what is asked, about which entities, with which conditions.

The parser links entities (units with their short forms such as 人社局, projects,
policy documents in any bracket style), years, metrics (``question_metrics``: project metrics
and report metrics from ``kg.metrics``), comparisons (``search.ask.numbers``), superlatives and
top-k, aggregates and lineage words, then decides the intent by a few ordered rules. Whatever
condition words remain (``与疫情有关``) become the semantic part of a combined question.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import Entity, Lexicon, Mention, base_name, normalise
from kg.metrics import BY_KEY, METRICS, Metric
from kg.model import WHOLE_DEPARTMENT
from search.ask.paraphrase import counted_family, paraphrased_projects, stem_family
from search.ask.differences import ASKS_DIFFERENCE, ASKS_SHARE
from search.ask.intent import Intent
from search.ask.numbers import ascii_digits, chinese_to_decimal, comparison
from search.ask.places import places
from search.ask.project_mentions import inside_named, narrow_projects, of_named_units, quoted_in_full
from search.ask.unit_mentions import DATE, LIST_WORDS, YEAR, inside, named_units
from search.ask.summed_items import SUM_OF_ITEMS, bare_lines as _bare_line_names, names_one_line, summed_items
from search.ask.question_metrics import (project_attribute_of, PROJECT_BY_KEY, PROJECT_METRICS, ProjectMetric, _longest,
                                         _metric_for_unit, _project_metric, _report_metric)


SUPERLATIVE_DESC = ("最高", "最多", "最大", "最好", "最优", "排名第一")
SUPERLATIVE_ASC = ("最低", "最少", "最小", "最差", "倒数")
AGGREGATES = [("avg", ("平均", "均值")), ("count", ("多少个", "几个", "多少项", "几项", "个数", "数量", "一共有多少", "共有多少",
                                                 "多少家", "几家")),
              ("sum", ("合计", "总额", "总计", "一共", "总共", "加起来", "共计", "总和", "总数", "加总"))]
SUBUNIT_WORDS = ("下属单位", "下属", "下设", "所属单位", "下级单位", "二级单位", "直属单位", "下设单位", "管辖", "预算单位", "基层单位",
                 "包括哪些单位", "包括哪几个", "包含哪些单位", "包含哪些", "由哪些单位组成", "哪些单位组成", "各单位",
                 "系统内", "系统里", "各区分局", "各个区分局", "分局里", "分局中", "的单位中", "的单位里", "家单位中",
                 "家单位里", "个单位中", "个单位里", "系统各单位", "编制范围的单位", "编制范围内的单位", "资金使用单位",
                 "用款单位")
_SYSTEM_UNITS = re.compile(r"系统(?:(?:19|20)\d{2}年度?)?[^，。？?]{0,20}?(?:的|各)单位|"  # 人社局系统…的单位有哪些
                           r"下面的?(?:[两二三四五六七八九十几\d]+(?:个|家))?[\u4e00-\u9fff]{0,4}单位|"
                           r"(?:下面|下辖)(?:有|设有?)?(?:哪些|哪几个|哪几家|几个)(?:分局|支队|中心|分院|站|所)|"  # 基金管理局下面有哪些分局
                           r"(?:个|家)[\u4e00-\u9fff]{1,4}单位(?:中|里|当中|之中)|"  # 下面两个事业单位, 21家基层单位中
                           r"(?:设立|设置|设)(?:了|有)?(?:哪些|哪几个|哪几家|几个)")  # 在番禺设了哪些环保所, 在南沙设有哪些
_ASKS_MEMBERS = re.compile(r"(?:包括|包含|由|纳入|涵盖|含有)了?(?:哪几|哪些)(?:家|个|部分)?(?:预算)?单位|"
                           r"纳入[^，。？]{0,40}?范围的(?:预算)?单位(?:有|是|包括)?(?:哪几|哪些)|"
                           r"纳入[^，。？]{0,40}?(?:预算|决算)的(?:是|有)(?:哪几|哪些)(?:家|个)?(?:预算)?单位")
_BESIDES_OWN = re.compile(r"除(?:了|去)?(?:[\u4e00-\u9fff]{0,10}?(?:[局委厅院部]|部门|单位))?(?:机关)?本级(?:外|以外|之外)")
"""除局本级外 / 除教育局本级以外…最多的单位: a member."""
_WHICH_UNITS = re.compile(r"哪(?:些|个|几个|几家|家|一家|几部分)(?:预算)?单位|单位有哪")  # of one named department: its units
_NOT_SUBUNITS = re.compile(r"(?:不含|不包括|不包含|不计|除去?)(?:其)?(?:下属|所属|下级|二级)(?:单位|中心|机构)?|"  # 本级 only
                           r"[〔（(](?:含|包括|包含|连同)(?:各|其|所有)?(?:下属|所属|下级|二级)(?:单位|机构)?的?[〕）)]")  # the whole 部门
_ASKS_UNITS = re.compile(r"哪(?:个|些|几个)(?:下属|所属|二级|基层)?单位|(?:多少|几)(?:家|个)(?:下属|所属|二级|基层)?(?:预算)?单位|"
                         r"(?:下属|所属|二级|预算)单位(?:一共|共|总共)?有(?:几|多少)(?:家|个)|哪家|的是谁|[两三四五六七八九十几](?:家|个单位)(?:里|中|当中|之中)|这[两三四五六七八九十几]家|(?:最[高低多少大小]|更[高低多少大小])的(?:一家|那家)|哪一家|哪几家|哪个部门|哪些部门|哪所|哪个预算单位|"
                         r"哪些预算单位|各单位|(?:单位|分局|学校|医院|学院)(?:有|是)哪|谁的|谁家|谁更|哪(?:个|些|几个)(?:区|县|市)?(?:分局|学校|医院|监测站|站)|"
                         r"(?:单位|分局|学校|医院|学院|中心)(?:中|里|当中|之中)[，,]?[^？?。]*?(?:哪|有哪些|是哪)")
_PARENT_ASKED = re.compile(r"(?<!从)哪个部门|哪个单位的下属|隶属|归属|归在|属于哪|主管部门|上级单位|上级部门|纳入的是哪个")
LIST_PROJECT_WORDS = ("哪些项目", "项目有哪些", "什么项目", "哪个项目", "哪几个项目", "的项目", "项目是", "项目名单", "列出项目")
_WHICH_SPECIALS = re.compile(r"专项(?:经费|资金)?(?:有|是|包括)?(?:哪些|哪几个|哪几项|哪个|哪一个)|"  # 中央专项有哪几个: projects
                             r"(?:哪些|哪几个|哪几项)[\u4e00-\u9fff]{0,4}专项(?!资金列入)")
# 单价100万元（含）以上的设备: a class of assets the reports count, not a bound on a figure
_UNIT_PRICE_CLASS = re.compile(r"单价\s*\d+(?:\.\d+)?\s*万?元\s*(?:[（(〔]含[)）〕])?\s*(?:以上|及以上)")
_COMPARE_VERB = re.compile(r"比一比|比较一下|对比一下")  # 比一比2026年预算: compare, not 比2026年
_COUNTED_THING = re.compile(r"(?:多少|几)(?:辆|人|名|台|套|平方米|次|场|份|件|户)")  # a count of things, not of units
_PROJECT_TABLE = re.compile(r"项目支出[\u4e00-\u9fff]{0,8}表|项目支出(?:中|里|当中)")
_AMONG_PROJECTS = re.compile(r"项目(?:里|中|当中)[，,]?[^，。？?]*?(?:哪些|哪几个|哪个|哪一个)")
# 哪些项目, 项目有哪些 list projects; 水库移民后期扶持项目有哪些核心指标 asks the named project's indicators
_LISTS_PROJECTS = re.compile(r"哪些项目|项目有哪些(?![\u4e00-\u9fff]{0,6}(?:指标|目标|依据|文件|来源))")
_ASKS_WHICH_PROJECTS = re.compile(r"哪些(?:一级|二级|重点)?项目|项目有哪些|哪个项目|哪几个项目|的项目(?:是|有)|项目是哪")
_NAMES_PROJECT_SPENDING = re.compile(r"(?:哪些|哪几项|哪几个|哪几笔)项目支出|项目支出(?:都|具体|分别)?(?:有|包括|是|包含)(?:哪些|哪几)")
_TOP_K = re.compile(r"(?:前|top|TOP|Top)\s*(\d+|[一二两三四五六七八九十]+)|(?:最高|最低|最多|最少|最大|最小)的?\s*(\d+|[一二两三四五六七八九十]+)\s*(?:个|项|名)")
_YOY = re.compile(r"比上一?年|较上一?年|同比|与上一?年相比|比去年|较去年|比(?:19|20)\d{2}年|较(?:19|20)\d{2}年|"
                  r"与(?:19|20)\d{2}年(?:度)?相比|增减变化|变化了?多少|增加了?多少|减少了?多少|增长了?多少|下降了?多少|"
                  r"增减了?多少|少了?多少|多了?多少|压减了?多少|增幅|降幅|增长了?百分之|下降了?百分之")
_YEAR_AGAINST = re.compile(r"比上一?年|较上一?年|同比|上年|去年|比(?:19|20)\d{2}|较(?:19|20)\d{2}|与(?:19|20)\d{2}|年初|增幅|降幅|"
                           r"[比较](?:年初)?(?:预算|决算)(?:数)?[多少高低]")  # 决算比预算多多少: the year's budget
_VERSUS_THING = re.compile(r"比[\u4e00-\u9fff“”\"]{2,16}?(?:多|少|高|低)(?:出|了)?(?:多少|几)")  # 培训费比会议费多多少
_QUOTED = re.compile(r"[“\"「『]([\u4e00-\u9fff]{4,12})[”\"」』]")
NAME_HOLDS = r"名(?:称|字)?(?:中|里)?(?:带有|含有|包含|带|含|有)"  # 名称带, 名字里含有: a word of names follows
_Q_OPEN, _Q_CLOSE = "[“\"「『]", "[”\"」』]"
_NAME_HOLDS_QUOTED = re.compile(NAME_HOLDS + _Q_OPEN)
_WORD = r"([\u4e00-\u9fff0-9]{2,16}?)"
# 名称带“老区”的几个项目, 项目名称中含有“信息化”字样的, 以“提前下达”开头的项目, 四个“提前下达2026年……”项目:
# the projects are picked by a word of their names
_PROJECTS_NAMED_WITH = re.compile(
    rf"项目的?{NAME_HOLDS}{_Q_OPEN}?{_WORD}{_Q_CLOSE}?(?:字样|字)?(?:的|开头)"
    rf"|{NAME_HOLDS}{_Q_OPEN}?{_WORD}{_Q_CLOSE}?(?:字样|字)?的[^，,。？?]{{0,6}}?项目"
    rf"|以{_Q_OPEN}?{_WORD}{_Q_CLOSE}?(?:开头|打头|起头)的[^，,。？?]{{0,6}}?项目"
    rf"|{_Q_OPEN}{_WORD}(?:…+|\.{{3,}}|⋯+){_Q_CLOSE}(?:字样|开头)?的?[^，,。？?]{{0,4}}?项目")
_YEAR_PROJECT_TABLE = re.compile(r"(?:专项业务经费|项目支出|项目)(?:支出)?(?:预算)?(?:明细)?表")
_NAMED_PROJECT = re.compile(r"([\u4e00-\u9fff]{4,16})项目")
_WHOLE_TARGET = re.compile(r"(?:部门|单位)整体(?:支出)?(?:的)?(?:绩效|目标|自评|指标)")
_EACH_PLACE = re.compile(r"各(?:区|县|市|地|个区|区县|分局)")
_DIFFERENCE = re.compile(r"[多少高低]了?多少|相差|差多少|差额|差距")
_BETWEEN_UNITS = re.compile(r"(?:比|较|与|和|跟)$")
_BARE_TOTALS = {"收入": "income.total", "支出": "expenditure.total"}
_PERCENT_CHANGE = re.compile(r"百分之几|百分之多少|百分比|增幅|降幅|增长率|下降率|多少%|几%")
_ASKS_ITEMS = re.compile(r"子项|二级项目|子项目|明细项目|具体项目")
_RATIO = re.compile(r"占(?P<whole>[^，。？?]{0,16}?)的?(?:比例|比重|百分比|百分之几|百分之多少|多少%|几成)")
_RATIO_WITHIN = re.compile(r"(?P<whole>[^，。？?]{2,24}?)中[，,]?(?P<part>[^，。？?]{2,16}?)(?:占了?|的?占比)(?:多大的?)?(?:比例|比重|百分比|百分之几|百分之多少|多少|几成|是多少|为多少)")
# the whole a part belongs to when a question says only 总额/总计/全部
_WHOLE_OF = {"procurement.": "procurement.total", "three_public.": "three_public.total", "income.": "income.total",
             "expenditure.": "expenditure.total", "basic.": "expenditure.basic", "general_budget.": "general_budget.expenditure"}
_QUOTED_LINE = re.compile(r"[“\"]([^”\"]{2,30})[”\"](?P<code>[（(]\d{3,7}[)）])?(?:这个|这一|这项)?(?:项级|款级|类级)?(?:支出)?"
                          r"(?:功能)?(?:分类)?科目")
_EVALUATED = re.compile(r"(?:做了|做过|开展了?|进行了?|有|作了)(?:绩效)?自评(?:表)?的项目|自评过的项目|参加(?:了)?(?:绩效)?自评的项目")
_SCOPE_WORDS = (("单位", re.compile(r"单位预算|本级")),
                ("部门", re.compile(r"部门(?:收入|支出|收支)?(?:预算|决算)|部门汇总|汇总|[含括]下属|整个")))
_CITED = re.compile(r"[〔\[【(（]\s*(?:19|20)\d{2}\s*[〕\]】)）]\s*\d+\s*号|"
                    r"《[^》]{0,60}(?:办法|通知|意见|规定|条例|方案|规划|决定|细则|标准|纲要|计划|批复|函)》")
_YEAR_SPAN = re.compile(r"(?:19|20)\d{2}年?\s*(?:到|至|—|－|-|~|～)\s*(?:19|20)\d{2}年")
_AGAINST_YEAR = re.compile(r"(?:比|较|与|同)((?:19|20)\d{2})年度?(?:相比|同期|增|减|多|少)?")
_FILLER = re.compile(r"(请问|请|帮我|告诉我|查询|查一下|一下|是多少|是什么|有哪些|有多少|多少|是|哪些|哪个|什么|的|了|吗|呢|？|\?|。|，|,|、|和|与|及|且|并且|同时|项目|单位|年度|年|有关|相关|涉及|关于)")


_POSITION = re.compile(r"(?:排名?|排在)?(倒数)?第\s*(\d+|[二两三四五六七八九十])(?:位|名)?(?:的|大|高|多)")


def _limit(text: str) -> int | None:
    match = _TOP_K.search(text)
    if not match:
        return None
    raw = match.group(1) or match.group(2)
    value = int(raw) if raw.isdigit() else chinese_to_decimal(raw)
    return int(value) if value else None


_TARGETS_TABLE = re.compile(r"(?:项目支出|部门整体支出|整体支出)?绩效(?:目标|自评)(?:申报)?表"
                            r"(?=[中里]?(?:列出|列示|所列|公开)?的?(?:各个|各)?项目)")  # the projects it lists are asked
_FISCAL_YEAR = re.compile(r"(?:19|20)\d{2}\s*年度")


def parse(question: str, lexicon: Lexicon) -> Intent:
    text = normalise(ascii_digits(question))
    intent = Intent(kind="retrieval", question=question)
    if "决算" in text:
        intent.report_kind = "决算"
    elif re.search(r"部门预算|单位预算|预算报告|预算公开", text):
        intent.report_kind = "预算"
    documents = lexicon.find(question, "document")
    intent.documents = [m.entity for m in documents]
    doc_spans = [(m.start, m.end) for m in documents]
    named_in = named_units(question, text, lexicon, doc_spans)
    units, aliases, intent.units = named_in.mentions, named_in.aliases, named_in.entities
    intent.ambiguous_units, intent.ambiguous_form = named_in.ambiguous, named_in.ambiguous_form
    intent.parents_named, intent.own_level = named_in.parents, named_in.own_level
    unit_spans = [(m.start, m.end) for m in units] + aliases
    intent.versus = _versus(text, units)
    projects = [m for m in lexicon.find(question, "project") if not inside(m, doc_spans + unit_spans)]
    named = _remove_spans(text, [(m.start, m.end) for m in documents + projects])
    cited = _CITED.sub(" ", DATE.sub(" ", named))  # 榕政综〔2017〕96号, 《2017年…办法》: not the report's year
    spanless = _YEAR_SPAN.sub(" ", cited)
    if YEAR.search(spanless):  # 把1980到2018年的档案数字化…2026年预算: the span is the subject's, 2026 the report's
        cited = spanless
    intent.years = sorted({int(y) for y in YEAR.findall(cited)})
    known_years = lexicon.years()
    against = {int(y) for y in _AGAINST_YEAR.findall(cited)} if any(y in known_years for y in intent.years) else set()
    intent.missing += [f"{y}年" for y in intent.years if known_years and y not in known_years
                       and y not in against]  # 2022年…比2021年增加了多少: the 2022 report states the change
    intent.projects = narrow_projects([m.entity for m in projects], intent)
    unit_names = {u.name for u in intent.units}
    if intent.report_kind is None and intent.years and _FISCAL_YEAR.search(cited) and not intent.projects and \
            not re.search(r"预算|决算|项目|绩效目标", text):
        intent.report_kind = _final_of_both(lexicon, unit_names, max(intent.years))
    if unit_names and intent.projects and not any(p.unit in unit_names for p in intent.projects):
        intent.projects = of_named_units(question, lexicon, unit_names) or intent.projects
    elif unit_names and not intent.projects:
        intent.projects = quoted_in_full(question, lexicon, unit_names)
    if unit_names:  # a name as people say it (区域气象预报大模型) over a shorter name inside it (气象预报)
        held = max((len(m.form) for m in projects if m.entity in intent.projects and
                    (m.entity.unit in unit_names or m.entity.implementer in unit_names)), default=0)
        said = paraphrased_projects(_remove_spans(text, unit_spans + doc_spans), lexicon, unit_names,
                                    intent.years, at_least=held + 3 if held else 4 if intent.projects else 5,
                                    several=bool(SUM_OF_ITEMS.search(text)), whole=0.8 if intent.projects else 0.95)
        intent.projects = said or intent.projects
    counted = counted_family(_remove_spans(text, unit_spans + doc_spans), lexicon, unit_names, intent.years)
    if counted:  # 三个…补助项目（中央和省级、区县、市级）: each by its tail
        intent.projects, intent.partial_projects = counted, True
    if SUM_OF_ITEMS.search(text) or _EACH_PLACE.search(text) or _ASKS_WHICH_PROJECTS.search(text):
        family = stem_family(_remove_spans(text, unit_spans + doc_spans), lexicon, unit_names, intent.years)
        if len(family) > len(intent.projects) and {p.iri for p in intent.projects} <= {p.iri for p in family}:
            intent.projects = family  # 镇（街）园区环保监督检查员经费在各区的项目: every district's
    publishers = lexicon.publishers()
    intent.implementers = {u.name for u in intent.units if u.name not in publishers and base_name(u.name) not in publishers}
    if intent.projects:  # a project of a 预算单位 sits in its department's report: its 实施单位 says which
        own = "本级" in text  # （局本级、基金中心…）: the department's own projects are among those named
        implemented = [p for p in intent.projects if p.implementer in intent.implementers or own and intent.implementers
                       and (not p.implementer or base_name(p.implementer) == p.unit)]
        intent.projects = implemented or intent.projects
        spelled = [p for p in intent.projects if p.implementer and p.implementer != p.unit and normalise(p.implementer) in text]
        intent.projects = spelled or intent.projects  # X局（本级）的劳动关系管理: not the same-named project of its 仲裁院
        intent.units = [u for u in intent.units if u.name in publishers or u.name in {p.unit for p in intent.projects}]
    intent.projects = inside_named(text, intent.projects)
    intent.items = bool(_ASKS_ITEMS.search(text))
    intent.subunits = any(w in re.sub(_NOT_SUBUNITS, " ", text) for w in SUBUNIT_WORDS) or \
        bool(_SYSTEM_UNITS.search(text) or _BESIDES_OWN.search(text)) or \
        len(intent.units) == 1 and bool(_WHICH_UNITS.search(text))
    # metrics, conditions and shape of the answer
    rest = _remove_spans(text, [(m.start, m.end) for m in documents + units + projects] + aliases)
    named_rest = _remove_spans(text, [(m.start, m.end) for m in documents + units] + aliases)  # with the projects' names
    rest = re.sub(r"[〔(（]?[含包括]+上年结转(项目)?[〕)）]?", "", rest)
    rest = re.sub(r"[〔(（](?:不算|不含|不包括)[^〕)）]{2,30}[〕)）]", "", rest)  # “三公”经费（不算会议费和培训费）
    intent.rest = rest
    if not intent.projects and re.search(r"(两|二|三|几)个[\u4e00-\u9fff]{4,}项目|[\u4e00-\u9fff]{4,}(这|那)?(两|几|些)个?项目", rest):
        partial = lexicon.partial_projects(_strip_metric_words(rest), {u.name for u in intent.units} or None)
        intent.projects = narrow_projects(partial, intent)
        intent.partial_projects = bool(partial)
    quoted = None if _NAME_HOLDS_QUOTED.search(question) else _QUOTED.search(question)  # 名称带“幼儿园”的: units' names
    if not intent.projects and quoted:  # “提前下达”的几笔专项资金: every project so named in the unit's reports
        scope_units = {u.name for u in intent.units} or None
        partial = lexicon.partial_projects(quoted.group(1), scope_units, most=50 if scope_units else 3)
        intent.projects = narrow_projects(partial, intent)
        intent.partial_projects = bool(partial)
    named_with = _PROJECTS_NAMED_WITH.search(ascii_digits(question))  # its quotes mark the word
    if named_with:
        word = next(w for w in named_with.groups() if w)
        holding = narrow_projects(lexicon.projects_named_with(word, {u.name for u in intent.units} or None), intent)
        if holding:
            intent.projects, intent.partial_projects = holding, True
    if not intent.projects and intent.units and "项目" in rest:  # 气象设施维护项目: the one project so named
        partial = lexicon.partial_projects(_strip_metric_words(rest), {u.name for u in intent.units}, most=1)
        intent.projects = narrow_projects(partial, intent)
    named_before = _NAMED_PROJECT.search(rest)
    if not intent.projects and not intent.units and named_before and not LIST_WORDS.search(named_before.group(1)):
        intent.projects = lexicon.partial_projects(named_before.group(1), most=1)  # 杭州气象设施维护项目: the one so named
    line_named = _QUOTED_LINE.search(question)  # “专项普查活动”科目: a classification line, not 大型普查活动
    if line_named and (line_named.group("code") or  # “气象服务”（2200509）科目: the line, not 公众气象服务
                       not any(normalise(line_named.group(1)) in normalise(p.name) for p in intent.projects)):
        intent.projects, intent.partial_projects = [], False
    if intent.own_level and len({p.implementer for p in intent.projects}) > 1:  # 广州市生态环境局（局本级）的机构运行辅助经费
        own = [p for p in intent.projects if not p.implementer or p.implementer in intent.own_level or
               "本级" in p.implementer and any(p.implementer.startswith(u) for u in intent.own_level)]
        intent.projects = own or intent.projects
    if "整体" not in text:  # 长沙信访局资金最多的项目: its projects, not the whole-spending target named after it
        intent.projects = [p for p in intent.projects if not p.name.endswith(WHOLE_DEPARTMENT)]
    elif not intent.projects and intent.units and _WHOLE_TARGET.search(text):  # 部门整体绩效目标有几个指标
        owned = lexicon.projects_of({u.name for u in intent.units}, implementers=False)
        intent.projects = narrow_projects([p for p in owned if p.name.endswith(WHOLE_DEPARTMENT)], intent)
    intent.project_metric = _project_metric(rest)
    report = _report_metric(_TARGETS_TABLE.sub("，", rest))  # 项目支出绩效目标表中列出的项目: a table's name
    if report is None and intent.versus:  # 本级的收入比接待中心多多少: a bare 收入/支出 is the total
        bare = next((w for w in _BARE_TOTALS if w in rest), None)
        report = (BY_KEY[_BARE_TOTALS[bare]], bare) if bare else None
    report_word = ""
    if report:
        intent.report_metric, report_word = report
    intent.attribute = project_attribute_of(rest) or intent.attribute
    intent.comparison = comparison(_UNIT_PRICE_CLASS.sub("", re.sub(r"除(?:了|去)?[^，,]*?\d+(?:\.\d+)?\s*%[^，,]*[，,]?", "", rest)))
    if intent.comparison is not None and intent.comparison.value.unit == "%" and intent.project_metric is not None and \
            intent.project_metric.kind == "money":  # 没有把全年预算执行完（执行率低于100%）: the rate is compared
        rate = next((m for m in PROJECT_METRICS if m.kind == "percent" and _longest(rest, m.synonyms)), None)
        intent.project_metric = rate or intent.project_metric
    grade = re.search(r"(?:等级|评级|评价|评为|为|是)[^，,。？?]{0,4}?([优良中差])(?![\u4e00-\u9fff]{0,1}[好秀])|"
                      r"[“\"]([优良中差])[”\"]|([优良中差])(?:等|级)", rest)
    if grade:
        intent.grade = next(g for g in grade.groups() if g)
    if re.search(r"上年(?:财政拨款)?结转|结转(?:资金)?的?项目|往年结转|财政拨款结转(?!结余)", rest) and not re.search(r"[含包括]上年结转", rest):
        intent.carryover = True
    elif re.search(r"本年预算|当年预算|本年度预算安排|本年项目|当年项目", rest) and "项目" in rest or \
            _YEAR_PROJECT_TABLE.search(rest) and "结转" not in rest:
        intent.carryover = False  # 专项业务经费支出表一共列了多少个项目: the year's, not the 结转 table's
    intent.evaluated = bool(_EVALUATED.search(rest))
    excluded = re.search(r"除(?:了|去)?[^，,]*?(\d+(?:\.\d+)?)\s*%", rest)
    if excluded:
        intent.excluded = Decimal(excluded.group(1))
    if any(w in rest for w in SUPERLATIVE_DESC):
        intent.order = "desc"
    elif any(w in rest for w in SUPERLATIVE_ASC):
        intent.order = "asc"
    if intent.order is None and ("哪" in rest or "谁" in rest or re.search(r"[较更](?:多|少|高|低|大|小)的(?:那|一)", rest)):
        intent.order = "desc" if re.search(r"[更较](?:高|多|大)", rest) else \
            "asc" if re.search(r"[更较](?:低|少|小)", rest) else None  # 哪家…更高 / 较多的那个: of the units named
    if "排名" in rest or "排序" in rest or "前" in rest and _limit(rest):
        intent.order = intent.order or "desc"
    intent.limit = _limit(rest)
    placed = _POSITION.search(rest)
    if placed:  # 预算排第二的那个项目 / 倒数第二
        raw = placed.group(2)
        intent.position = int(raw) if raw.isdigit() else int(chinese_to_decimal(raw))
        intent.order = "asc" if placed.group(1) else "desc"
        intent.limit = intent.position
    intent.yoy = bool(_YOY.search(_COMPARE_VERB.sub(" ", rest))) and not (_VERSUS_THING.search(rest) and not _YEAR_AGAINST.search(rest))
    intent.percent_change = intent.yoy and bool(_PERCENT_CHANGE.search(rest))
    unqualified = re.sub(r"[（(〔]本级[)）〕]", "", text)  # 福州市民政局（本级）names a unit, not the scope of a report
    intent.report_scope = next((scope for scope, pattern in _SCOPE_WORDS if pattern.search(unqualified)), None)
    named_scopes = sorted((m.start(), scope) for scope, pattern in _SCOPE_WORDS for m in [pattern.search(unqualified)] if m)
    if len(named_scopes) == 2 and ASKS_DIFFERENCE.search(text):
        intent.report_scope, intent.scopes_compared = None, (named_scopes[0][1], named_scopes[1][1])
    elif ASKS_SHARE.search(text) and all(pattern.search(unqualified) for _, pattern in _SCOPE_WORDS):
        intent.report_scope = None  # 本级…占整个部门…的比重: both the 本级 and the department are asked
    bases = {base_name(u.name) for u in intent.units}
    if intent.report_scope == "单位" and "单位预算" not in unqualified and intent.own_level and bases - intent.own_level:
        intent.report_scope = None  # 深圳气象局、…、福州民政局本级: one unit's 本级 among others, not every report's scope
    intent.asks_units = bool(_ASKS_UNITS.search(text))
    if intent.asks_units and intent.comparison is None:
        plain = rest
        for place, start in places(rest):  # 无 inside a place name (无锡, 无为) says nothing
            plain = plain[:start] + " " * len(place) + plain[start + len(place):]
        if re.search(r"为0|为零|是0|都是0|没有|未安排|无", plain):
            intent.value_filter = ("=", Decimal(0))
        elif re.search(r"有|安排了|大于0|不为0|来自|来源于|列在", rest):  # 经营收入来自哪个单位: the units that have it
            intent.value_filter = (">", Decimal(0))
    if intent.report_metric is None and intent.order and intent.subunits and not intent.projects:
        bare = re.search(r"(收入|支出)(?:预算|决算)?(?:最|较|更)", rest)  # 收入最多的预算单位: the unit's total
        if bare:
            intent.report_metric = BY_KEY["income.total" if bare.group(1) == "收入" else "expenditure.total"]
    if _UNIT_PRICE_CLASS.search(rest):
        intent.report_metric = None  # 单价100万元以上设备（不含车辆）: assets the text counts, no table figure
    _ratio(intent, rest)
    if intent.report_metric is not None and intent.ratio_of is None:
        intent.report_metric = _procurement_part(intent.report_metric, rest)
    counted = re.sub(r"(?:多少|几)个百分点|哪几个|哪几家|哪几项", " ", rest)  # a rate, or a list (哪几个), not a count
    for name, words in AGGREGATES:
        if any(w in counted for w in words) and not (name == "sum" and report_word and
                                                   any(w in report_word for w in words)):
            intent.aggregate = name
            break
    if intent.aggregate == "count" and re.search(r"加起来|加在一起|合计|之和|总和", rest) and \
            re.search(r"多少钱|多少万?元|金额|(?:资金|预算|经费|钱)[^，。？?]{0,8}(?:加起来|加在一起|合计)[^，。？?]{0,4}(?:是)?多少", rest):
        intent.aggregate = "sum"  # 几个专项加起来一共多少钱: the money of the items counted
    metric_word = _longest(rest, intent.project_metric.synonyms)[0] if intent.project_metric else ""
    if intent.aggregate == "sum" and (re.search(r"哪些|哪几", rest) or metric_word and not any(
            w in rest.replace(normalise(metric_word), " ") for w in dict(AGGREGATES)["sum"])):
        intent.aggregate = None  # 资金总额超过1000万元的有哪些: a list; 总额 is part of the metric's name
    if intent.aggregate == "sum" and intent.report_metric is not None and "项目" not in rest:
        intent.aggregate = None  # 三公经费一共多少 / 收支预算总计: the report's own total
    if intent.ratio_of is not None:
        intent.aggregate = None
    intent.summed = summed_items(rest, lexicon.line_names or frozenset()) \
        if intent.aggregate == "sum" or SUM_OF_ITEMS.search(rest) else []
    listed = summed_items(named_rest, lexicon.line_names or frozenset()) if intent.projects and "项目" not in rest else []
    if len(listed) >= 2 and {normalise(p.name) for p in intent.projects} <= \
            {normalise(i) for i in listed} & _bare_line_names(lexicon.line_names or frozenset()):
        intent.projects, intent.summed = [], listed  # 物业管理费和租赁费两项合计: lines, one also a project's name
        intent.aggregate = "sum"
    if intent.aggregate == "sum" and not intent.summed and "项目" not in rest and \
            names_one_line(rest, lexicon.line_names or frozenset()):
        intent.aggregate = None  # 灾害防治及应急管理支出一共多少: one table line's total, no projects added
    if intent.summed and intent.aggregate == "count" and not re.search(r"多少(?:个|家|项|人|次|条)|几", rest):
        intent.aggregate = "sum"  # 单位资金加上年结转共有多少: the two figures added, nothing counted
    decide(intent, rest, lexicon)
    intent.semantic = _semantic_rest(rest, intent) if intent.kind in ("project_filter", "retrieval") else ""
    return intent


def _ratio(intent: Intent, rest: str) -> None:
    """基本支出占支出总计的比例 / 一般公共预算基本支出中，人员经费占了百分之几: a share of two
    figures; a bare 总额/合计 is the total the part belongs to."""
    if intent.yoy:
        return
    within = _RATIO_WITHIN.search(rest)
    ratio = _RATIO.search(rest)
    whole_within = _report_metric(within.group("whole")) if within else None
    purchases = whole_within if whole_within and \
        _procurement_part(whole_within[0], within.group("part")) is not whole_within[0] else None  # 政府采购预算中，服务类项目占比
    if within and (_report_metric(within.group("part")) or purchases):
        text_of_part = within.group("part")
        part, whole = _report_metric(text_of_part) or purchases, whole_within
    elif ratio:  # 政府采购预算中服务类项目占多大比例: the part named by the words before 占
        text_of_part = rest[:ratio.start()]
        part, whole = _report_metric(text_of_part), _report_metric(ratio.group("whole"))
    else:
        return
    if part:
        part = (_procurement_part(part[0], text_of_part), part[1])
    if part and not whole:
        key = next((v for prefix, v in _WHOLE_OF.items() if part[0].key.startswith(prefix)), None)
        whole = (BY_KEY[key], "") if key else None
    if whole and intent.projects and intent.project_metric is not None and intent.project_metric.kind == "money":
        intent.report_metric = whole[0]  # 某项目的政府采购预算占项目支出的百分之几: the project's money, of the whole
    elif part and whole and whole[0].key != part[0].key:
        intent.report_metric, intent.ratio_of = part[0], whole[0]


def _procurement_part(metric: Metric, text: str) -> Metric:
    """政府采购 of 货物/工程/服务 when the text names the kind."""
    if metric.key != "procurement.total":
        return metric
    part = next((k for k, w in (("goods", "货物"), ("works", "工程"), ("services", "服务")) if w in text), None)
    return BY_KEY[f"procurement.{part}"] if part else metric


def decide(intent: Intent, text: str, lexicon: Lexicon) -> None:
    """The intent kind, by ordered rules."""
    asks_projects = any(w in text for w in LIST_PROJECT_WORDS) or "项目" in text or bool(_WHICH_SPECIALS.search(text))
    project_condition = intent.comparison is not None or intent.grade or intent.carryover is not None
    if intent.report_metric is not None and intent.report_metric.key == "expenditure.project" and \
            (_ASKS_WHICH_PROJECTS.search(text) or _AMONG_PROJECTS.search(text)) and _PROJECT_TABLE.search(text):
        intent.report_metric = None  # 项目支出绩效目标表里有哪些项目 / 项目支出中，哪些项目…: projects, no figure
    elif intent.report_metric is not None and intent.report_metric.key == "expenditure.project" and \
            _NAMES_PROJECT_SPENDING.search(text) and not re.search(r"多少|合计|总额|一共|总共|金额", text):
        intent.report_metric = None  # X有哪些项目支出 / 项目支出有哪些: the projects, not the 项目支出 figure
    if intent.carryover is not None and asks_projects and intent.report_metric is not None \
            and intent.report_metric.key in ("income.carryover", "expenditure.total", "expenditure.project"):
        intent.report_metric = None  # 上年结转项目 / 本年预算项目 are project conditions, not report figures
    generic_money = intent.project_metric is not None and intent.project_metric.key == "budget" and not any(
        w in text for w in ("预算", "多少钱", "金额"))
    if intent.attribute and generic_money:
        intent.project_metric = None
    if intent.project_metric is not None and intent.project_metric.key == "procurement" and not intent.projects \
            and "项目" not in text:
        intent.project_metric = None  # 政府采购预算 of a unit: the report's figure
    if intent.ratio_of is not None:
        intent.kind = "report_lookup"
    elif intent.documents and (asks_projects or "引用" in text or "依据" in text):
        intent.kind = "projects_citing"
    elif intent.units and _PARENT_ASKED.search(text) and not re.search(r"包括|包含|组成|哪些单位|哪几个", text) \
            and not intent.projects:
        intent.kind = "department_of"
    elif intent.report_metric is not None and intent.asks_units and not intent.projects and \
            not (intent.subunits and _ASKS_MEMBERS.search(text)):  # 汇总预算包括哪几家预算单位: the members, no figure
        intent.kind = "report_rank" if intent.order else "report_lookup"
    elif intent.subunits and intent.report_metric is None and _COUNTED_THING.search(text) and "哪" not in text:
        pass  # 机关及直属单位在职人员编制一共多少人: people the text may count, not the units
    elif intent.subunits and intent.units and not intent.projects:
        if _ASKS_MEMBERS.search(text) or (intent.report_metric is None or re.search(r"(?:多少|几)[个家](?:预算)?单位", text)) \
                and (intent.aggregate == "count" and not _COUNTED_THING.search(text) or re.search(r"哪几个|哪些", text)) \
                and intent.comparison is None:  # 哪些下属单位的预算超过5亿元: a filter on a figure, not the list
            intent.kind = "subunits"  # 包括哪几个预算单位: the list, counted
        elif intent.report_metric is not None or intent.aggregate:
            intent.kind = "subunit_metric"
        elif intent.comparison is not None and ("预算" in text or "决算" in text):
            intent.kind, intent.report_metric = "subunit_metric", BY_KEY["expenditure.total"]  # 预算超过5亿元的下属单位
        elif asks_projects:
            intent.kind = "subunit_projects"
        else:
            intent.kind = "subunits"
    elif intent.projects and intent.partial_projects and intent.aggregate:
        intent.kind = "project_aggregate"
    elif intent.projects and intent.items and not intent.attribute:
        intent.kind = "project_items"  # 精细服务中金额最高的子项: the items of the named 一级项目
        intent.project_metric = intent.project_metric or PROJECT_BY_KEY["budget"]
    elif intent.projects and not _LISTS_PROJECTS.search(text):
        if intent.attribute in ("basis", "funding", "department", "unit", "attribute", "term", "indicators",
                                "overview") and not intent.project_metric:
            intent.kind = "project_attribute"
        elif intent.attribute == "deviation":
            intent.kind = "project_attribute"
        else:
            intent.kind = "project_lookup"
            intent.project_metric = intent.project_metric or PROJECT_BY_KEY["budget"]
    elif intent.units and re.search(r"主管部门|上级|隶属|归属|属于哪个部门|(?<!从)哪个部门", text) and not asks_projects:
        intent.kind = "department_of"
    elif intent.order and (asks_projects or intent.project_metric) and not (intent.report_metric and not intent.project_metric):
        intent.kind = "project_rank"
        intent.project_metric = intent.project_metric or PROJECT_BY_KEY["budget"]
    elif intent.aggregate == "count" and not asks_projects and _counts_something_else(text):
        intent.kind = "retrieval"  # 部门预算里本科专业有多少个: a count the text states, not of projects
    elif intent.aggregate and (asks_projects or intent.project_metric or project_condition) \
            and not (intent.report_metric and intent.aggregate == "sum" and not project_condition and not intent.project_metric):
        intent.kind = "project_aggregate"
    elif _ASKS_WHICH_PROJECTS.search(text) and intent.comparison is not None and (intent.units or intent.years):
        intent.kind = "project_filter"
        intent.report_metric = None
        if intent.project_metric is None:
            intent.project_metric = _metric_for_unit(intent.comparison.value.unit)
    elif asks_projects and (project_condition or intent.project_metric) and not intent.report_metric \
            and (project_condition or intent.units or intent.years or LIST_WORDS.search(text)):
        intent.kind = "project_filter"  # not every project of the corpus for one project the graph lacks
        if intent.comparison is not None and intent.project_metric is None:
            intent.project_metric = _metric_for_unit(intent.comparison.value.unit)
    elif intent.report_metric is not None and (intent.units or not _ASKS_WHICH_PROJECTS.search(text)):
        intent.kind = "report_rank" if intent.order else "report_lookup"
    elif intent.units and ("预算" in text or "决算" in text or "收支" in text) and not named_item(text) and \
            not (asks_projects and _ASKS_WHICH_PROJECTS.search(text)) and not _UNIT_PRICE_CLASS.search(text):  # 决算里…实施的项目有哪些: the projects
        intent.report_metric = BY_KEY["expenditure.total"]
        intent.kind = "report_lookup"
    elif asks_projects and intent.units and not project_condition:
        intent.kind = "project_list"
    elif "不一致" in text or "对不上" in text or "矛盾" in text or "差错" in text or "错误" in text:
        intent.kind = "findings"
    else:
        intent.kind = "retrieval"


_ITEM = re.compile(r"([\u4e00-\u9fff]{3,16}?(?:工程|项目|专项|经费|补助|补贴|资金|贴息|奖励|奖补|救助|补偿))")


def named_item(text: str) -> str | None:
    """A project, work or fund the question names that is none of the graph's (渝西水资源配置工程):
    the report's total is no answer to it."""
    for match in _ITEM.finditer(re.sub(r"预算|决算|收支|部门|单位|本级|年度?|里|中|的|安排|多少|几个|哪些|哪个|什么|一共|总共|对|有", "，", text)):
        item = match.group(1)
        if len(_strip_metric_words(item).strip()) >= 3:
            return item
    return None


def _final_of_both(lexicon: Lexicon, units: set[str], year: int) -> str | None:
    """西南大学2023年度的…, the unit publishing both a 预算 and a 决算 of that year: 决算, the report
    whose title says 年度 (2023年度部门决算; a budget is 2023年部门预算)."""
    kinds = {r.report_kind for r in lexicon.reports.values() if r.unit in units and r.year == year}
    return "决算" if {"预算", "决算"} <= kinds else None


def _versus(text: str, mentions: list[Mention]) -> list[Entity]:
    """Two units compared by a difference (X的收入比Y多多少, X与Y相差多少): X and Y, in that order."""
    if not _DIFFERENCE.search(text):
        return []
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    for first in ordered:
        for second in ordered:
            between = text[first.end:second.start]
            if second.start >= first.end and len(between) <= 16 and _BETWEEN_UNITS.search(between) \
                    and first.entity.iri != second.entity.iri:
                return [first.entity, second.entity]
    return []


_COUNTED_AFTER = re.compile(r"(?:多少|几)个([\u4e00-\u9fff]{2,8})")  # 有几个直属事业单位
_COUNTED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,8})(?:一共|总共|共)?有?(?:多少|几)个(?![\u4e00-\u9fff])")  # 本科专业有多少个
_PROJECT_NOUNS = ("项目", "单位", "指标", "子项", "部门", "科目", "专项", "分局", "中心", "学校", "医院", "预算单位")


def _counts_something_else(text: str) -> bool:
    """The question counts a thing that is none of the graph's (本科专业有多少个, 多少个教学单位 is
    a unit word and stays): a number the text states."""
    clause = next((c for c in re.split(r"[，,。；;]|里|中", text) if re.search(r"(?:多少|几)个", c)), "")
    found = _COUNTED_AFTER.search(clause) or _COUNTED_BEFORE.search(clause)
    if not found:
        return False
    noun = found.group(1)
    return not any(noun.endswith(w) or w in noun for w in _PROJECT_NOUNS) and not re.search(r"预算|决算|年", noun[-2:])


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return re.sub(r" +", " ", "".join(chars)).strip()


def _strip_metric_words(text: str) -> str:
    words = [w for metric in PROJECT_METRICS for w in metric.synonyms] + [w for m in METRICS for w in m.synonyms]
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(normalise(word), " ")
    return text


def _semantic_rest(text: str, intent: Intent) -> str:
    """Condition words not consumed by the structured parse: '且与疫情有关' → '疫情'."""
    if not re.search(r"(且|并且|同时|而且|与|和|跟|因为|由于|涉及|关于|有关|相关)", text) and intent.kind != "retrieval":
        return ""
    rest = text
    if intent.comparison is not None:
        start, end = intent.comparison.span
        rest = rest[:start] + " " + rest[end:]
    words = [w for metric in PROJECT_METRICS for w in metric.synonyms] + ["哪些项目", "项目有哪些", "的项目"]
    for word in sorted(words, key=len, reverse=True):
        rest = rest.replace(normalise(word), " ")
    rest = _FILLER.sub(" ", rest)
    rest = re.sub(r"[\d.%]+", " ", rest)
    return " ".join(rest.split())


__all__ = ["Intent", "parse", "PROJECT_METRICS", "PROJECT_BY_KEY", "ProjectMetric", "Decimal"]
