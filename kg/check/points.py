"""Rules on the points of performance forms (绩效目标表, 自评表), read by ``kg.check.point_forms``.

The points of a form add up to the total it prints (a 总分 row, 分值（90） in its header) —
with or without the execution rate's points, which some templates count in the 总分 and some
do not; a form printing no total shares the total most forms of the report add up to. A 总分 row
may print the points or the score (templates differ, and some print only the score under 分值),
so a printed total must be one of the two sums. A report where the forms do not keep this on
most of them is read some other way, and the rules stay silent.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, rule
from kg.check.point_forms import Form, Points, forms
from kg.model import Report

_MOST = Decimal("0.75")


def _close(a: Decimal, b: Decimal, values: list[Points]) -> bool:
    decimals = max((len(p.printed.split(".", 1)[1]) if "." in p.printed else 0 for p in values), default=0)
    unit = Decimal(1) / (Decimal(10) ** decimals)
    return abs(a - b) <= max(Decimal("0.011"), unit * (len(values) + 1) / 2 if decimals else Decimal("0.011"))


def _common(values: list[Decimal]) -> Decimal | None:
    """The value most forms share, where at least two do and they are most of them."""
    if len(values) < 2:
        return None
    value, count = Counter(values).most_common(1)[0]
    return value if count >= 2 and count >= _MOST * len(values) else None


class _Judge:
    """What each form's points and printed totals say, against the report's common template."""

    def __init__(self, found: list[Form]):
        self.rate = _common([f.rate.value for f in found if f.rate])
        kinds = {f.kind for f in found}
        self.commons = {k: _common([f.sum for f in found if f.points and f.kind == k]) for k in kinds}

    def rate_of(self, form: Form) -> Decimal:
        if form.rate is not None:
            return form.rate.value
        return self.rate if form.rate_column and self.rate is not None else Decimal(0)

    def point_sums(self, form: Form) -> list[Decimal]:
        return [form.sum, form.sum + self.rate_of(form)]

    def scored(self, form: Form, total: Points) -> bool:
        """The printed total is the scores' sum, with a score for the execution rate up to its points
        (those read, or those the form's 100 points leave beside the indicators'): a 自评表's
        funding rows are too often printed off their columns to read that score itself."""
        if not form.scores:
            return False
        bound = self.rate_of(form) or max(Decimal(0), 100 - form.sum)
        values = form.scores + [total]
        return _close(total.value, form.score_sum, values) or \
            form.score_sum <= total.value <= form.score_sum + bound or _close(total.value, form.score_sum + bound, values)

    def verdict(self, form: Form) -> tuple[str, Points | None, Decimal | None] | None:
        """None where the form adds up; else what breaks: ("total", the printed total, the sum it
        should be) or ("points", None, the total the points should make)."""
        parts = form.points + ([form.rate] if form.rate else [])
        points_explained = False
        for k, total in enumerate(form.totals):
            as_points = any(_close(total.value, s, parts + [total]) for s in self.point_sums(form))
            as_score = self.scored(form, total)
            if form.totals_aligned:
                as_points, as_score = (as_points, False) if k == 0 else (False, as_score)
            if not (as_points or as_score):
                wanted = min(self.point_sums(form) + [form.score_sum], key=lambda v: abs(v - total.value))
                return "total", total, wanted
            points_explained = points_explained or as_points
        if points_explained or not form.points:
            return None
        expected = form.header_total if form.header_total is not None else self.commons.get(form.kind)
        if expected is None or any(_close(expected, s, parts) for s in self.point_sums(form)):
            return None
        return "points", None, expected


def _sides(form: Form, first: Side) -> list[Side]:
    pages = sorted({p.page for p in form.points if p.page} | set(form.pages))
    return [first, *[Side(f"{form.name} 指标分值（第{page}页）", None, page, None,
                          "、".join(p.printed for p in form.points if p.page == page)) for page in pages]]


@rule("form.points", "绩效目标表/自评表：各指标分值之和=表头或总分行所印总分（含或不含执行率分值）；未印总分的表与本报告其余各表的共同总分一致；总分行所印得分=各项得分之和")
def points(report: Report) -> Iterator[Finding]:
    found = [f for f in forms(report) if not f.unreadable]
    judge = _Judge(found)
    verdicts = [(f, judge.verdict(f)) for f in found if f.points or f.totals]
    failed = [(f, v) for f, v in verdicts if v is not None]
    if not failed or len(verdicts) - len(failed) < _MOST * len(verdicts):
        return  # most forms do not add up as read: the points are read from another column
    for form, (kind, total, wanted) in failed:
        listed = "+".join(p.printed for p in form.points)
        if kind == "total":
            rate = judge.rate_of(form)
            with_rate = f"，加执行率分值{rate.normalize():f}为{(form.sum + rate).normalize():f}" if rate else ""
            scores = f"、得分之和为{form.score_sum.normalize():f}" if form.scores else ""
            yield Finding("form.points", "error",
                          f"{form.name}：{total.label}为{total.printed}（第{total.page}页），但各指标分值之和为"
                          f"{form.sum.normalize():f}（{listed}）{with_rate}{scores} / printed total ≠ sum of points or scores",
                          _sides(form, Side(f"{form.name} {total.label}", total.value, total.page, total.line,
                                            f"{total.label} {total.printed}")),
                          expected=wanted, observed=total.value, entity=form.name)
        else:
            source = f"表头所印{form.header_total.normalize():f}分" if form.header_total is not None else \
                f"本报告其余绩效表的分值合计{wanted.normalize():f}"
            yield Finding("form.points", "error",
                          f"{form.name}：各指标分值之和为{form.sum.normalize():f}（{listed}，第"
                          f"{'、'.join(map(str, form.pages))}页），与{source}不符 / points do not add up to the form's total",
                          _sides(form, Side(f"{form.name} 分值合计", form.sum, form.pages[0] if form.pages else None)),
                          expected=wanted, observed=form.sum, entity=form.name)


@rule("form.blank_total", "绩效自评表：总分行空白，而本报告其余各表的总分行均印有分数（总分被删去）")
def blank_totals(report: Report) -> Iterator[Finding]:
    found = [f for f in forms(report) if not f.unreadable]
    printed = [f for f in found if f.totals]
    blank = [f for f in found if f.total_row_blank is not None and not f.totals]
    if not blank or len(printed) < 2 or len(printed) < _MOST * (len(printed) + len(blank)):
        return
    for form in blank:
        row = form.total_row_blank
        yield Finding("form.blank_total", "warning",
                      f"{form.name}：{row.label}行未印分数（第{row.page}页），本报告其余{len(printed)}张绩效表的"
                      f"{row.label}行均印有分数 / total row left blank",
                      _sides(form, Side(f"{form.name} {row.label}", None, row.page, row.line, row.label)),
                      entity=form.name)


@rule("form.repeated_amount", "绩效目标表跨页续印时，每页重复印出的项目资金总额一致")
def repeated_amounts(report: Report) -> Iterator[Finding]:
    for form in forms(report):
        first = form.funds[0] if form.funds else None
        other = next((p for p in form.funds[1:] if p.value != first.value), None) if first else None
        if other is None:
            continue
        yield Finding("form.repeated_amount", "error",
                      f"{form.name}：资金总额第{first.page}页印为{first.printed}，第{other.page}页续印为{other.printed}"
                      f" / one form's amount printed differently on its pages",
                      [Side(f"{form.name} 资金总额（第{first.page}页）", first.value, first.page, first.line, first.printed),
                       Side(f"{form.name} 资金总额（第{other.page}页）", other.value, other.page, other.line, other.printed)],
                      expected=first.value, observed=other.value, entity=form.name)
