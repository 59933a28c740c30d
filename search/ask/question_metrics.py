"""Which metrics a question names: a project's (执行率, 自评总分, 预算 …, defined here with the
words people use for them) or a report's (``kg.metrics``), chosen by the longest naming words,
and the project attributes a question may ask for (立项依据, 资金来源, 实施单位 …). The parser
reads these; answers use ``PROJECT_BY_KEY`` for labels and kinds.
"""
from __future__ import annotations

import re

from dataclasses import dataclass

from kg.graph.entities import normalise
from kg.metrics import BY_KEY, METRICS, Metric


@dataclass(frozen=True)
class ProjectMetric:
    key: str
    label: str
    kind: str  # percent | money | score | text
    synonyms: tuple[str, ...]


PROJECT_METRICS = [
    ProjectMetric("execution_rate", "执行率", "percent",
                  ("预算执行率", "资金执行率", "实际执行率", "完成预算比例", "完成预算的比例", "预算完成比例", "预算完成率", "执行率", "完成率", "支出进度", "执行进度", "执行比例")),
    ProjectMetric("total_score", "自评总分", "score", ("自评总分", "自评得分", "绩效得分", "总分", "得分", "分数", "评分", "打分", "自评平均分", "平均分",
                                                     "得了多少分", "得多少分", "打了多少分", "评了多少分", "满分",
                                                     "得了几分", "得几分", "打了几分", "评了几分")),
    ProjectMetric("grade", "自评等级", "text", ("自评等级", "评价等级", "绩效等级", "等级", "评级", "评为")),
    ProjectMetric("executed", "全年执行数", "money", ("全年执行数", "执行数", "执行金额", "实际支出", "实际执行", "实际使用",
                                                      "花了", "用了", "支出了", "执行了")),
    ProjectMetric("balance", "结余", "money", ("资金结余", "结转结余", "结余资金", "结余", "剩余", "余额", "没花完")),
    ProjectMetric("period_amount", "实施期资金总额", "money", ("实施期资金总额", "实施期资金", "实施期总额")),
    ProjectMetric("procurement", "政府采购预算", "money", ("政府采购预算", "政府采购金额", "采购预算", "采购金额", "政府采购")),
    ProjectMetric("budget", "预算", "money", ("全年预算数", "全年预算", "年度预算", "预算数", "年度资金总额", "年度资金", "资金总额",
                                             "预算金额", "预算", "多少钱", "金额", "资金", "经费", "投入")),
]
PROJECT_BY_KEY = {m.key: m for m in PROJECT_METRICS}
PROJECT_ATTRIBUTES = {
    "basis": ("立项依据", "依据", "政策依据", "文件依据", "依据文件", "根据什么", "哪个文件", "什么文件", "立项",
              "哪些文件", "政策文件", "法律法规", "援引", "哪几部法"),
    "funding": ("资金来源", "钱从哪", "资金从哪", "来源", "哪一级财政", "哪级财政", "来自哪", "中央财政资金", "省级财政资金",
                "市县财政资金", "市县（区）财政资金", "单位自筹"),
    "department": ("主管部门", "上级部门", "归口部门", "隶属", "归属"),
    "unit": ("实施单位", "预算单位", "哪个单位", "哪家单位", "承担单位", "哪个单位承担", "由谁承担", "由谁实施",
             "哪个下属单位", "单位名下", "资金使用单位是"),
    "attribute": ("项目属性", "属性"),
    "term": ("项目期", "项目周期", "实施周期"),
    "indicators": ("绩效指标", "指标"),
    "deviation": ("偏差原因", "原因", "为什么", "为何"),
    "overview": ("项目概况", "概况", "用途", "用于", "干什么", "做什么", "内容"),
}


def project_attribute_of(text: str) -> str | None:
    """The project attribute ``text`` asks for: the first of ``PROJECT_ATTRIBUTES`` it names, but
    归属哪个下属单位 asks for the unit (its longer words win over the department's 归属)."""
    said = {a: max((len(w) for w in words if normalise(w) in text), default=0) for a, words in PROJECT_ATTRIBUTES.items()}
    first = next((a for a in PROJECT_ATTRIBUTES if said[a]), None)
    return "unit" if first == "department" and said["unit"] > said["department"] else first


def _longest(text: str, synonyms) -> tuple[str, int] | None:
    best = None
    for word in synonyms:
        pos = text.find(normalise(word))
        if pos >= 0 and (best is None or len(word) > len(best[0])):
            best = (word, pos)
    return best


def _project_metric(text: str) -> ProjectMetric | None:
    best: tuple[int, ProjectMetric] | None = None
    for metric in PROJECT_METRICS:
        hit = _longest(text, metric.synonyms)
        if hit and (best is None or len(hit[0]) > best[0]):
            best = (len(hit[0]), metric)
    return best[1] if best else None


def _metric_rank(hit: tuple[str, int], metric: Metric) -> tuple:
    """Longer synonym first; on a tie a part (其他收入) over a total (收入预算), then the earlier one."""
    return (len(hit[0]), not metric.key.endswith(".total"), -hit[1])


_OF_GENERAL_BUDGET = {"expenditure.project": "general_budget.project", "expenditure.basic": "general_budget.basic"}
_GENERAL_BUDGET_BEFORE = re.compile(r"一般公共预算(?:财政)?(?:拨款)?(?:安排|中|里|当中)?的?$")


def _report_metric(text: str) -> tuple[Metric, str] | None:
    """The report metric named by the longest synonym; on equal length the earlier one."""
    best: tuple[int, int, str, Metric] | None = None
    for metric in METRICS:
        hit = _longest(text, metric.synonyms)
        if hit and (best is None or _metric_rank(hit, metric) > _metric_rank((best[2], -best[1]), best[3])):
            best = (len(hit[0]), -hit[1], hit[0], metric)
    if "辆" in text and (best is None or best[3].key.startswith("three_public")):
        return BY_KEY["assets.vehicles"], "辆"
    if best and best[3].key in ("expenditure.total", "income.total"):  # 政府采购|支出预算总额: the total of the thing before
        start = -best[1]
        for metric in METRICS:
            hit = _longest(text[:start], metric.synonyms)
            if hit and hit[1] + len(normalise(hit[0])) == start and metric.key not in ("expenditure.total", "income.total"):
                return metric, hit[0]
        for metric in METRICS:  # 项目|支出预算总额: the part whose name runs into the total's words
            hit = _longest(text[:start + 2], metric.synonyms)
            if hit and hit[1] < start < hit[1] + len(normalise(hit[0])) and \
                    metric.key not in ("expenditure.total", "income.total"):
                return metric, hit[0]
    within = _PART_WITHIN.search(text[:-best[1]]) if best and best[3].key == "income.general_budget" else None
    if within:  # 项目支出预算中，一般公共预算拨款占…: the general budget's part of that spending
        key = "general_budget.project" if within.group(1) == "项目" else "general_budget.basic"
        return BY_KEY[key], best[2]
    if best and best[3].key in _OF_GENERAL_BUDGET and _GENERAL_BUDGET_BEFORE.search(text[:-best[1]]):
        return BY_KEY[_OF_GENERAL_BUDGET[best[3].key]], best[2]  # 一般公共预算安排的项目支出
    if best:  # 基本支出里人员经费, 支出中的项目支出: the part named inside the whole
        end = -best[1] + len(normalise(best[2]))
        for metric in METRICS:
            hit = _longest(text[end:], metric.synonyms)
            gap = text[end:end + hit[1]] if hit else ""
            if hit and metric.key != best[3].key and (_INSIDE.fullmatch(gap) or not gap and best[3].key.startswith("income.")):
                return metric, hit[0]  # …里的X, …安排的X, 一般公共预算财政拨款机关运行经费: the money it pays for
        if best[3].key.startswith("income.") and _PAYS_FOR.match(text, end):
            return None  # 一般公共预算拨款安排的培训费: a cost the money pays for, not the income
    return (best[3], best[2]) if best else None


_PART_WITHIN = re.compile(r"(项目|基本)支出(?:预算|决算)?(?:数)?(?:中|里|当中|之中)[，,]?$")
_PAYS_FOR = re.compile(r"(?:拨款)?安排的?[\u4e00-\u9fff]{1,7}?费")
_INSIDE = re.compile(r"的?(?:里|中|当中|之中|里面)的?[，,]?|(?:拨款)?安排的?")  # 一般公共预算安排的机关运行经费: the part it pays


def report_metric_of(text: str) -> tuple[Metric, str] | None:
    """The report metric ``text`` names (the longest synonym), with the words that name it."""
    return _report_metric(text)


def _metric_for_unit(unit: str | None) -> ProjectMetric:
    if unit == "%":
        return PROJECT_BY_KEY["execution_rate"]
    if unit == "分":
        return PROJECT_BY_KEY["total_score"]
    return PROJECT_BY_KEY["budget"]
