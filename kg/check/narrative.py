"""Rules comparing what the narrative says with the tables: amounts, stated counts and
totals, shares (占比), and execution rates quoted in self-evaluation analyses."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.lists import balances, listed_parts
from kg.check.part_changes import three_public_sums
from kg.check.base import Finding, Side, differs, differs_as_printed, figure, rule, side, tolerance, wan
from kg.extract.amounts import to_amount
from kg.extract.normalize import squash
from kg.model import YOY_BASIS, Report

# headline figures whose narrative statement is unambiguous enough to compare with the table
COMPARED = ("income.total", "expenditure.total", "expenditure.basic", "expenditure.project", "income.general_budget",
            "income.carryover", "basic.personnel", "basic.public", "three_public.total", "operating_costs",
            "procurement.total", "income.fund_budget", "income.other", "general_budget.expenditure",
            "general_budget.basic", "general_budget.project", "fiscal.income_total", "fiscal.expenditure_total",
            "three_public.overseas", "three_public.reception", "three_public.vehicle_total",
            "three_public.vehicle_purchase", "three_public.vehicle_operation", "procurement.goods",
            "procurement.works", "procurement.services", "income.current_year", "expenditure.current_year")


@rule("narrative.figures", "说明文字中的金额与报表一致")
def figures(report: Report) -> Iterator[Finding]:
    first = {id(f) for f in report.figures}
    for key in COMPARED:
        if figure(report, key) is None and not any(figure(report, k) for k in _FALLBACK.get(key, ())):
            continue
        for text in (f for f in _stated(report) if f.key == key and f.amount):
            if id(text) not in first and _printed_anywhere(report, text.amount):
                continue  # a later statement of a narrower scope (财政拨款支出预算…) the tables print elsewhere
            if (report.kind == "决算" and text.basis == "预算数") or text.basis == YOY_BASIS:
                continue
            if key.startswith("procurement") and _FUND_QUALIFIED.search(text.context.split("采购")[0]):
                continue  # 一般公共预算拨款政府采购…: one fund's share, the table prints all funds
            table = _table_figure(report, key, text.basis or ("决算数" if report.kind == "决算" else None))
            if _also_printed_as(report, key, text.amount):
                continue
            if differs_as_printed(table.amount, text.amount):
                yield Finding("narrative.figures", "error",
                              f"说明中{text.label}为{wan(text.amount.value)}万元，报表为{wan(table.amount.value)}万元",
                              [side(f"说明：{text.context}", text.amount, text.context),
                               side(f"报表：{table.context}", table.amount, table.context)],
                              expected=table.amount.value, observed=text.amount.value)


_FUND_QUALIFIED = re.compile(r"拨款|一般公共预算|财政|政府性基金")


def _table_figures(report: Report) -> list:
    """The figures the report's tables print for the report's own unit."""
    return [f for f in report.figures if f.source == "table" and f.amount is not None and f.subject is None]


def _printed_anywhere(report: Report, amount) -> bool:
    return any(f.source == "table" and f.amount is not None and not differs_as_printed(f.amount, amount)
               for f in report.figures + report.unit_figures)


def _stated(report: Report) -> list:
    """Each figure the prose states, every time it states it (reports stored before statements
    were kept give their first statement of each figure)."""
    return report.statements or [f for f in report.figures if f.source == "text" and f.subject is None]


# a total stated loosely in prose (学校收入总计… for the year's income without carry-over)
_LOOSE = {"income.total": ("income.current_year",), "expenditure.total": ("expenditure.current_year",),
          "expenditure.basic": ("general_budget.basic",), "expenditure.project": ("general_budget.project",)}
# a figure the tables print only as its narrower sibling: 财政拨款支出 where all of it is 一般公共预算
_FALLBACK = {"fiscal.expenditure_total": ("general_budget.expenditure",), "fiscal.income_total": ("income.general_budget",)}


def _table_figure(report: Report, key: str, basis: str | None):
    """The table's figure of ``key`` (else of its loose sibling) in the column the prose speaks of
    (决算数 beside 预算数)."""
    tables = []
    for candidate in (key, *_FALLBACK.get(key, ())):
        tables = [f for f in _table_figures(report) if f.key == candidate]
        if tables:
            break
    return next((f for f in tables if basis and f.basis == basis), tables[0])


# the year's 财政拨款 income is printed as its funds where no 财政拨款 line sums them
_PARTS = {"fiscal.income_total": ("income.general_budget", "income.fund_budget"),
          "income.total": ("income.current_year", "income.carryover")}


def _also_printed_as(report: Report, key: str, amount) -> bool:
    """The tables print the stated amount under this figure (in another column or table: 预算数
    beside 决算数, the 收支总表 beside the 财政拨款收支总表), under its loose sibling, or as the
    sum of its parts."""
    keys = (key, *_LOOSE.get(key, ()))
    tables = _table_figures(report)
    if any(f.key in keys and not differs_as_printed(f.amount, amount) for f in tables):
        return True
    parts = [next((f.amount for f in tables if f.key == part), None) for part in _PARTS.get(key, ())]
    if parts and all(parts):
        total = sum((p.value for p in parts), Decimal(0))
        return abs(total - amount.value) <= tolerance(amount, parts)
    return False


def _paragraphs(report: Report):
    for section in report.sections:
        for paragraph in section.paragraphs:
            yield paragraph, squash(paragraph.text)


_PERFORMANCE = re.compile(r"纳入绩效目标管理的(?:二级)?项目(?P<count>\d+)个[，,]?共计金额(?P<amount>[\d,]+(?:\.\d+)?)万元")
_PUBLISHED = re.compile(r"公开项目绩效目标(?P<count>\d+)个[，,]?涉及项目金额(?P<amount>[\d,]+(?:\.\d+)?)万元[，,]?"
                        r"占部门[（(]单位[)）]项目支出总额的(?P<share>[\d.]+)%")
_SPLIT = re.compile(r"本级项目支出共(?P<n1>\d+)个[，,]?资金(?P<a1>[\d,.]+)万元[；;，,]?上级转移支付项目支出(?P<n2>\d+)个[，,]?"
                    r"资金(?P<a2>[\d,.]+)万元[；;，,]?项目支出共(?P<n>\d+)个[，,]?资金总额(?P<a>[\d,.]+)万元")
_SELF = re.compile(r"绩效自评个数(?P<count>\d+)个[，,]?涉及资金(?P<amount>[\d,.]+)万元[：:，,]?(?P<grades>(?:\d+个项目自评等级为[“\"]?[优良中差][”\"]?[，,]?)+)")


# the whole spending under performance management is the report's spending, all funds or its 财政拨款
_WHOLE_SPENDING = re.compile(r"整体支出纳入绩效目标管理[，,]?涉及(?:财政性)?资金(?:合计)?(?P<amount>[\d,]+(?:\.\d+)?)万元")
_SPENDING_TOTALS = ("expenditure.total", "fiscal.expenditure_total", "general_budget.expenditure")


def _wan_amount(text: str, page, line):
    return to_amount(text, "万元", page, line)


@rule("narrative.counts", "说明中陈述的项目个数、金额与占比与报表一致")
def counts(report: Report) -> Iterator[Finding]:
    projects = report.projects
    published = [p for p in projects if any(a.source == "performance_table" for a in p.amounts)]
    project_total = next((f.amount for f in report.figures if f.key == "projects.total" and f.source == "table"), None)
    for paragraph, text in _paragraphs(report):
        page, line = paragraph.page, paragraph.line
        for match in _PERFORMANCE.finditer(text):
            count, amount = int(match.group("count")), _wan_amount(match.group("amount"), page, line)
            if published and count != len(published):
                yield Finding("narrative.counts", "error",
                              f"说明称纳入绩效目标管理的项目{count}个，绩效目标表列出{len(published)}个",
                              [Side("说明", Decimal(count), page, line, match.group(0)),
                               Side("绩效目标表", Decimal(len(published)), published[0].pages[0] if published[0].pages else None)],
                              expected=Decimal(len(published)), observed=Decimal(count))
            if project_total and differs(project_total, amount):
                yield Finding("narrative.counts", "error",
                              f"说明称绩效项目共计{wan(amount.value)}万元，项目支出合计{wan(project_total.value)}万元",
                              [side("说明", amount, match.group(0)), side("项目支出合计", project_total)],
                              expected=project_total.value, observed=amount.value)
        for match in _PUBLISHED.finditer(text):
            count, amount = int(match.group("count")), _wan_amount(match.group("amount"), page, line)
            share = Decimal(match.group("share"))
            if project_total and project_total.value:
                implied = (amount.value / project_total.value * 100).quantize(Decimal("0.01"))
                if abs(implied - share) > Decimal("0.6"):
                    yield Finding("narrative.counts", "error",
                                  f"说明称公开项目绩效目标{count}个、涉及{wan(amount.value)}万元，却占项目支出总额的{share}%"
                                  f"（按金额应为{implied}%）",
                                  [Side("说明", share, page, line, match.group(0)), side("项目支出合计", project_total)],
                                  expected=implied, observed=share)
            if published and count != len(published):
                yield Finding("narrative.counts", "error",
                              f"说明称公开项目绩效目标{count}个，报告实际公开了{len(published)}个项目绩效目标表",
                              [Side("说明", Decimal(count), page, line, match.group(0)),
                               Side("绩效目标表", Decimal(len(published)), published[0].pages[0] if published[0].pages else None)],
                              expected=Decimal(len(published)), observed=Decimal(count))
        for match in _WHOLE_SPENDING.finditer(text):
            amount = _wan_amount(match.group("amount"), page, line)
            totals = [f for f in (figure(report, k) for k in _SPENDING_TOTALS) if f is not None]
            if totals and all(differs_as_printed(f.amount, amount) for f in totals):
                yield Finding("narrative.counts", "error",
                              f"说明称部门整体支出纳入绩效目标管理涉及{wan(amount.value)}万元，报表的支出总计为"
                              f"{'、'.join(sorted({wan(f.amount.value) for f in totals}))}万元",
                              [side("说明", amount, match.group(0)), *[side(f"报表：{f.context or f.label}", f.amount) for f in totals]],
                              expected=totals[0].amount.value, observed=amount.value)
        for match in _SPLIT.finditer(text):
            n1, n2, n = int(match.group("n1")), int(match.group("n2")), int(match.group("n"))
            a1, a2, a = (Decimal(match.group(g).replace(",", "")) for g in ("a1", "a2", "a"))
            if n1 + n2 != n or abs(a1 + a2 - a) > Decimal("0.01"):
                yield Finding("narrative.counts", "error",
                              f"说明称项目支出共{n}个、资金总额{a}万元，但本级{n1}个{a1}万元与上级转移支付{n2}个{a2}万元合计为"
                              f"{n1 + n2}个{a1 + a2}万元",
                              [Side("说明：合计", a * 10000, page, line, match.group(0)),
                               Side("说明：分项之和", (a1 + a2) * 10000, page, line, match.group(0))],
                              expected=(a1 + a2) * 10000, observed=a * 10000)
        for match in _SELF.finditer(text):
            evaluated = [p for p in projects if p.self_evaluation is not None]
            count = int(match.group("count"))
            if evaluated and count != len(evaluated):
                yield Finding("narrative.counts", "error", f"说明称绩效自评项目{count}个，自评表{len(evaluated)}个",
                              [Side("说明", Decimal(count), page, line, match.group(0))],
                              expected=Decimal(len(evaluated)), observed=Decimal(count))
            stated = dict((g, int(n)) for n, g in re.findall(r"(\d+)个项目自评等级为[“\"]?([优良中差])", match.group("grades")))
            for grade, number in stated.items():
                actual = sum(1 for p in evaluated if p.self_evaluation.grade == grade)
                if evaluated and actual != number:
                    yield Finding("narrative.counts", "error", f"说明称{number}个项目自评为“{grade}”，自评表中为{actual}个",
                                  [Side("说明", Decimal(number), page, line, match.group(0))],
                                  expected=Decimal(actual), observed=Decimal(number))


_RATE = re.compile(r"(?:预算)?执行(?:率|进度)(?:为|达到|是)?(?P<rate>\d+(?:\.\d+)?)%")


@rule("narrative.execution_rate", "自评分析中的执行率与自评表一致")
def execution_rates(report: Report) -> Iterator[Finding]:
    for project in report.projects:
        evaluation = project.self_evaluation
        if evaluation is None or evaluation.execution_rate is None:
            continue
        for topic, text in evaluation.analysis.items():
            for match in _RATE.finditer(squash(text)):
                printed = match.group("rate")
                stated = Decimal(printed)
                places = len(printed.split(".")[1]) if "." in printed else 0
                allowed = Decimal("0.5") / (Decimal(10) ** places) + Decimal("0.001")
                if abs(stated - evaluation.execution_rate) > allowed:
                    yield Finding("narrative.execution_rate", "error",
                                  f"{project.name}：自评表执行率{evaluation.execution_rate}%，分析中写作{stated}%",
                                  [Side("自评表执行率", evaluation.execution_rate, evaluation.page, evaluation.line),
                                   Side(f"分析“{topic}”", stated, evaluation.page, evaluation.line, text)],
                                  expected=evaluation.execution_rate, observed=stated, entity=project.name)


# totals the prose states together with all their parts, in one paragraph
_PROSE_SUMS = (("procurement.total", ("procurement.goods", "procurement.works", "procurement.services")),
               ("three_public.total", ("three_public.overseas", "three_public.reception", "three_public.vehicle_total")),
               ("three_public.vehicle_total", ("three_public.vehicle_purchase", "three_public.vehicle_operation")))


@rule("narrative.parts", "说明同一段中的合计与其分项一致（政府采购=货物+工程+服务；三公=出国+接待+用车）")
def prose_parts(report: Report) -> Iterator[Finding]:
    yield from listed_parts(report)
    yield from balances(report)
    yield from three_public_sums(report)
    paragraphs: dict[tuple, list] = {}
    pages: dict[tuple, list] = {}  # a total stated above its parts, one paragraph each
    for f in _stated(report):
        if f.amount is not None and f.basis != YOY_BASIS:
            paragraphs.setdefault((f.page, f.line, f.basis, f.subject), []).append(f)
            pages.setdefault((f.page, f.subject), []).append(f)
    for stated in [*paragraphs.values(), *pages.values()]:
        by_key: dict[str, list] = {}
        for f in stated:
            by_key.setdefault(f.key, []).append(f)
        for total_key, part_keys in _PROSE_SUMS:
            if any(len(by_key.get(k, [])) != 1 for k in (total_key, *part_keys)):
                continue  # a part not stated, or stated twice (two years, two units): not one sum
            total = by_key[total_key][0]
            parts = [by_key[k][0] for k in part_keys]
            observed = sum((p.amount.value for p in parts), Decimal(0))
            if abs(observed - total.amount.value) > tolerance(total.amount, [p.amount for p in parts]):
                yield Finding("narrative.parts", "error",
                              f"说明中{total.label}为{wan(total.amount.value)}万元，所列分项之和为{wan(observed)}万元",
                              [side(f"说明：{total.label}", total.amount, total.context),
                               *[side(f"说明：{p.label}", p.amount, p.context) for p in parts]],
                              expected=observed, observed=total.amount.value)
