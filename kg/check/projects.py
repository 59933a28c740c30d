"""Rules on projects: self-evaluation arithmetic, the same amount stated in several places,
funding sources that add up."""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, precision, rule, side, tolerance, wan
from kg.model import Amount, Project, Report


@rule("project.self_evaluation", "自评表：执行率=全年执行数/全年预算数，结余=全年预算数−全年执行数，总分=各项得分之和")
def self_evaluation(report: Report) -> Iterator[Finding]:
    for project in report.projects:
        e = project.self_evaluation
        if e is None or e.full_year_budget is None or e.executed is None:
            continue
        if e.execution_rate is not None and e.full_year_budget.value:
            implied = e.executed.value / e.full_year_budget.value * 100
            if abs(implied - e.execution_rate) > _half_last_digit(e.execution_rate):
                yield Finding("project.self_evaluation", "error",
                              f"{project.name}：执行率{e.execution_rate}%，按执行数{wan(e.executed.value)}/预算{wan(e.full_year_budget.value)}"
                              f"应为{implied.quantize(Decimal('0.01'))}%",
                              [Side("执行率", e.execution_rate, e.page, e.line), side("全年执行数", e.executed),
                               side("全年预算数", e.full_year_budget)],
                              expected=implied.quantize(Decimal("0.01")), observed=e.execution_rate, entity=project.name)
        if e.balance is not None:
            implied = e.full_year_budget.value - e.executed.value
            if abs(implied - e.balance.value) > tolerance(e.balance, [e.full_year_budget, e.executed]):
                yield Finding("project.self_evaluation", "error",
                              f"{project.name}：资金结余{wan(e.balance.value)}万元，按预算{wan(e.full_year_budget.value)}−执行"
                              f"{wan(e.executed.value)}应为{wan(implied)}万元",
                              [side("资金结(转)余", e.balance), side("全年预算数", e.full_year_budget), side("全年执行数", e.executed)],
                              expected=implied, observed=e.balance.value, entity=project.name)
        scored = [i for i in project.indicators if i.score is not None]
        scores = [i.score for i in scored]
        # a form read with only one of its 分值/得分 columns cannot tell which one it read
        if e.total_score is not None and e.rate_score is not None and scores and all(i.weight is not None for i in scored) \
                and _whole_form(project.indicators):
            implied = sum(scores, Decimal(0)) + e.rate_score
            if abs(implied - e.total_score) > Decimal("0.011"):
                yield Finding("project.self_evaluation", "error",
                              f"{project.name}：总分{e.total_score}，各指标得分与执行率得分之和为{implied}",
                              [Side("总分", e.total_score, e.page, e.line)], expected=implied, observed=e.total_score,
                              entity=project.name)
        weights = [i.weight for i in project.indicators if i.weight is not None]
        if not _plausible_weights(weights):
            continue  # 分值 that do not add up to a form's 100 points were read from another column
        for indicator in project.indicators:
            if indicator.score is not None and indicator.weight is not None and indicator.score > indicator.weight:
                yield Finding("project.self_evaluation", "warning",
                              f"{project.name}：指标“{indicator.name}”得分{indicator.score}高于分值{indicator.weight}",
                              [Side(indicator.name, indicator.score, indicator.page, indicator.line)],
                              expected=indicator.weight, observed=indicator.score, entity=project.name)


def _half_last_digit(rate: Decimal) -> Decimal:
    """Half a unit of a rate's last significant printed digit (86% → 0.5; 83.50% → 0.05), at least 0.011."""
    exponent = rate.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return Decimal("0.011")
    return max(Decimal("0.011"), Decimal(5) * Decimal(10) ** (min(exponent, 0) - 1))


def _whole_form(indicators) -> bool:
    """The indicators read are the form's: their 分值 and the execution rate's 10 make its 100 points
    (a form read twice, or missing a row, is not summed)."""
    weighted = [i for i in indicators if i.weight is not None]
    weights = [i.weight for i in weighted]
    return bool(weights) and all(i.score is not None for i in weighted) and \
        abs(sum(weights, Decimal(0)) + 10 - 100) <= Decimal("0.5")


def _plausible_weights(weights: list[Decimal]) -> bool:
    """A self-evaluation form spreads 100 points (90 over indicators, 10 over the execution rate)."""
    total = sum(weights, Decimal(0))
    return bool(weights) and Decimal(80) <= total <= Decimal(100)


def _stated(project: Project, sources: tuple[str, ...], keys: tuple[str, ...]) -> Amount | None:
    return next((a.amount for a in project.amounts if a.source in sources and a.key in keys), None)


@rule("project.amounts", "同一项目在项目支出表与绩效目标表中的金额一致（元与万元换算后）")
def amounts(report: Report) -> Iterator[Finding]:
    for project in report.projects:
        table = _stated(project, ("budget_table", "carryover_table", "project_list"), ("total", "annual"))
        form = _stated(project, ("performance_table",), ("annual_total",))
        if table is None or form is None:
            continue
        allowed = max(precision(table), precision(form)) / 2
        if abs(table.value - form.value) > allowed:
            yield Finding("project.amounts", "warning",
                          f"{project.name}：项目支出表为{wan(table.value)}万元，绩效目标表年度资金为{wan(form.value)}万元",
                          [side("项目支出表", table), side("绩效目标表 年度资金总额", form)],
                          expected=table.value, observed=form.value, entity=project.name)


@rule("project.funding", "资金来源分项之和=资金总额；同一期限的项目实施期与年度来源层级一致")
def funding(report: Report) -> Iterator[Finding]:
    for project in report.projects:
        for scope in ("annual", "period"):
            sources = [s for s in project.fund_sources if s.scope == scope]
            form_total = _stated(project, ("performance_table",), ("annual_total" if scope == "annual" else "period_total",))
            if not sources or form_total is None:
                continue
            # 财政拨款 is printed either as one source beside 其他资金 or as the subtotal of its levels
            readings = [[s.amount for s in sources], [s.amount for s in sources if s.level != "财政拨款"]]
            if any(parts and abs(sum((p.value for p in parts), Decimal(0)) - form_total.value)
                   <= tolerance(form_total, parts) for parts in readings):
                continue
            if not any(p.value for p in readings[0]) and len(readings[0]) < 2:
                continue  # one source read, of nothing: the form's other source rows were not read
            parts = readings[1] if any(p.value for p in readings[1]) else readings[0]
            observed = sum((p.value for p in parts), Decimal(0))
            yield Finding("project.funding", "error",
                          f"{project.name}：{'年度' if scope == 'annual' else '实施期'}资金总额{wan(form_total.value)}万元，"
                          f"来源分项之和{wan(observed)}万元",
                          [side("资金总额", form_total), *[side(s.level, s.amount) for s in project.fund_sources
                                                          if s.scope == scope]],
                          expected=form_total.value, observed=observed, entity=project.name)
        period = {s.level: s.amount.value for s in project.fund_sources if s.scope == "period" and s.amount.value}
        annual = {s.level: s.amount.value for s in project.fund_sources if s.scope == "annual" and s.amount.value}
        period_total = _stated(project, ("performance_table",), ("period_total",))
        annual_total = _stated(project, ("performance_table",), ("annual_total",))
        same_total = period_total and annual_total and period_total.value == annual_total.value
        if period and annual and same_total and period != annual:
            first = next(s.amount for s in project.fund_sources if s.scope == "annual")
            yield Finding("project.funding", "warning",
                          f"{project.name}：实施期与年度资金相同，但来源层级不同（实施期 {'、'.join(period)}，年度 {'、'.join(annual)}）",
                          [side("资金来源", first)], entity=project.name)
