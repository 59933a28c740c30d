"""Headline figures (``Figure``) the narrative states (see ``figures`` for the tables').

Each money amount in a clause is labelled by the words just before it, matched against the
metric catalogue (``kg.metrics``): ``政府采购预算总额8.90万元。其中：政府采购货物预算8.90万元``.
A change against last year (``比上年减少32.51万元``) is a figure of the metric named before it
with basis 比上年增减; shares (``占…%``) are not figures; a budget arrangement of nothing
(``无公务用车购置预算安排``) is a zero. Vehicle counts and office areas are quantities.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.amounts import PROSE_AMOUNT, parse_number, to_amount
from kg.metrics import BY_KEY
from kg.extract.normalize import squash
from kg.model import YOY_BASIS, Amount, Figure, Quantity

_DELTA = re.compile(r"(增加|减少|增长|下降|增幅|减幅|增|减|相比|较上年|比上年|比\d{4}年|节约|压减|追加|调增|调减|上升)[^，,。；;]{0,6}$")
_QUANTITY = re.compile(r"(?P<label>[\u4e00-\u9fff“”（）()]{2,30}?)(?:共有|共|为|是|：|:)?\s*(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>辆|平方米)")

# (key, metric noun, section pattern or None); checked in order. A label is the metric noun
# followed by any of the words reports put between it and the amount (_FILLER).
_FILLER = r"(?:年初|全年|当年|本年|财政拨款|预算|支出|决算|安排|总额|总计|合计|共计|共有|共|资金|数|金额|为|是|达|拨款)*(?:[:：])?$"
_NARRATIVE_RULES: list[tuple[str, str, str | None]] = [
    ("procurement.goods", r"(政府采购)?货物(类)?(项目|采购)?", r"采购"),
    ("procurement.works", r"(政府采购)?工程(类)?(项目|采购)?", r"采购"),
    ("procurement.services", r"(政府采购)?服务(类)?(项目|采购)?", r"采购"),
    ("procurement.total", r"政府采购(项目)?", None),
    ("three_public.vehicle_total", r"公务用车购置(及|和)运行(维护|维修)?费(用)?", r"三公"),
    ("three_public.vehicle_purchase", r"公务用车购置(费)?", r"三公"),
    ("three_public.vehicle_operation", r"公务用车运行(及|和)?(维护|维修)?费(用)?", r"三公"),
    ("three_public.overseas", r"因公出国[（(]境[)）](费用?|经费)", r"三公"),
    ("three_public.reception", r"公务接待(费用?)?", r"三公"),
    ("three_public.total", r"三公”?经费", None),
    ("operating_costs", r"机关运行经费", None),
    ("operating_costs", r"(财政拨款|一般公共预算)?运行经费", r"机关运行"),
    ("income.total", r"(?<![事业其他经营拨款基金补助])(收入预算总额|预算收入总计|收入总计|收入预算总计|收入预算|收入总预算|收支总预算)", None),
    ("income.current_year", r"(?<![事业其他经营拨款基金补助])本年收入(合计|小计)", None),
    ("expenditure.current_year", r"(?<![事业其他经营拨款基金补助])本年支出(合计|小计)", None),
    ("expenditure.total", r"(?<![基本项目经营补助付金款])(支出预算总额|预算支出总计|支出总计|支出预算|支出总预算|单位预算支出总计)", None),
    ("income.general_budget", r"一般公共预算(财政)?拨款(收入)?", r"收入|收支"),
    ("income.fund_budget", r"政府性基金(预算)?(财政)?拨款(收入)?", r"收入|收支"),
    ("income.other", r"其他收入", r"收入|收支"),
    ("income.carryover", r"上年结转(结余)?(收入)?", r"收入|收支"),
    ("general_budget.basic", r"(一般公共预算|财政拨款)(财政拨款)?(当年|年初)?(拨款)?基本支出", None),
    ("general_budget.project", r"(一般公共预算|财政拨款)(财政拨款)?(当年|年初)?(拨款)?项目支出", None),
    ("expenditure.basic", r"(?<!财政拨款)(?<!一般公共预算)(基本支出|基本保障支出)", r"支出|收支"),
    ("expenditure.project", r"(?<!财政拨款)(?<!一般公共预算)项目支出", r"支出|收支"),
    ("basic.personnel", r"人员(经费|支出)", None),
    ("basic.public", r"(?<!机关)(日常)?公用(经费|支出)", None),
    ("general_budget.expenditure", r"一般公共预算(财政拨款)?(当年|决算)?(拨款)?支出(决算)?", None),
    ("fiscal.income_total", r"财政拨款收入(预算)?(总计)?", None),
    ("fiscal.expenditure_total", r"财政拨款支出(预算)?(总计)?", None),
]
_NARRATIVE = [(k, re.compile(p + _FILLER), re.compile(s) if s else None) for k, p, s in _NARRATIVE_RULES]
_GENERIC_LABEL = re.compile(r"^(?:\d{4}年度?)?(?:年初|全年)?(?:预算数|决算数|预算|决算|支出|安排)(?:为|是)?$")
_PROJECTS_STATED = re.compile(r"(?<!级)项目支出共(?P<count>\d+)个[，,]?资金总额(?:为)?(?P<amount>\d[\d,]*(?:\.\d+)?)万元")
_ENUM = r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])?"
_OWN_PART = re.compile(_ENUM + r"(?P<name>[^，,。\d]{2,30}?[（(]本级[)）])")
# a section titled with one 预算单位's name (一、某某中心): its paragraphs state that unit's figures
_UNIT_HEADING = re.compile(_ENUM + r"(?P<name>(?![^，,。]*(?:情况|说明|支出|收入|预算|经费|职能|构成|设置|名词))"
                           r"[^，,。、\d（()）]{4,30}(?:局|中心|学校|大学|院|站|馆|所|队|委员会|办公室|处|社|团|台|园|厅|委|办)(?:本级|[（(]本级[)）]|[（(][^（()）]{2,20}[)）])?)$")
# a budget arrangement of nothing (2018年无公务用车购置预算安排) states a zero; 本单位无机关运行经费 says the
# category does not apply to the unit (a 事业单位 has no 机关运行经费) and states no figure
_NONE = re.compile(_ENUM + r"(?:其中[:：]?)?(?:[（(]?\d{1,2}[)）.、．])?(?:\d{4}年度?)?(?:本(?:单位|部门)|我(?:单位|部门|局|委|院|校))?(?:年初)?"
                   r"(?:无|没有|未安排|不安排)(?P<label>[^，,。；;\d]{2,24}?)(?:(?:预算|财政拨款)?(?:安排|支出)|预算)(?:情况)?$")
_CLAUSE_SPLIT = re.compile(r"[。；;！？]|，(?=[^\d])|,(?=[^\d])")


def states_amount(text: str) -> bool:
    return PROSE_AMOUNT.search(text) is not None


def narrative_figures(text: str, section: str, page: int | None, line: int | None) -> list[Figure]:
    """Figures stated in one paragraph under the heading ``section``."""
    out: list[Figure] = []
    flat = squash(text)
    lead = re.match(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?[^，。；：:\d]{2,16}[：:。]", flat)
    section = section + (lead.group(0) if lead else "")  # '（四）政府采购情况：' names what the paragraph is about
    subject = ""  # a short sentence without amounts names what the next one states (1.公务接待费。2026年预算数…)
    heading = section.rsplit("/", 1)[-1]
    heading_part = _OWN_PART.match(heading) or _UNIT_HEADING.match(heading)  # a section of one 预算单位
    for sentence in re.split(r"[。；;]", flat):
        before = len(out)
        own_part = _OWN_PART.match(sentence) or heading_part
        last_key = None  # the metric a following 比上年增加/减少 refers to
        head = None  # after 其中 come parts; a change then refers to the total named before them
        for clause in _CLAUSE_SPLIT.split(sentence):
            none = _NONE.match(clause)
            key = _narrative_key(none.group("label"), section + none.group("label")) if none else None
            if key is not None:  # 2018年无公务用车购置预算安排: a zero the table may leave blank
                out.append(Figure(key, BY_KEY[key].label, Amount(Decimal(0), "0", "万元", page, line), source="text",
                                  context=clause[:120], page=page, line=line))
            if clause.startswith("其中") and last_key:
                head = last_key
            key = _clause_figures(clause, section, page, line, out, head or last_key, subject, head)
            last_key = key if head is None else last_key
        for figure in out[before:] if own_part else ():
            figure.subject = own_part.group("name")  # 某局（本级）预算…，包括…: the 本级's figures, not the department's
        has_amount = PROSE_AMOUNT.search(sentence) is not None
        subject = re.sub(r"^(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]+[)）])", "", sentence) \
            if not has_amount and len(sentence) <= 24 else ""
    listed = _PROJECTS_STATED.search(flat)
    if listed:
        amount = to_amount(listed.group("amount"), "万元", page, line)
        out.append(Figure("projects.total", BY_KEY["projects.total"].label, amount, source="text",
                          context=listed.group(0), page=page, line=line))
    for match in _QUANTITY.finditer(flat):
        label = match.group("label")
        value = parse_number(match.group("num"))
        if match.group("unit") == "辆" and re.search(r"(共有车辆|车辆共有|保有车辆|实有)$", label):
            out.append(Figure("assets.vehicles", "车辆数", quantity=Quantity(value, "辆", match.group("num"), page, line),
                              source="text", context=label, page=page, line=line))
        elif match.group("unit") == "平方米" and "办公用房" in label:
            out.append(Figure("assets.building_area", "办公用房面积",
                              quantity=Quantity(value, "平方米", match.group("num"), page, line),
                              source="text", context=label, page=page, line=line))
    return out


_CHANGE = re.compile(r"(?:比上一?年|较上一?年|比去年|较去年|与上一?年(?:度)?相比|比\d{4}年|较\d{4}年(?:预算)?|与\d{4}年(?:度)?相比|同比)"
                     r"[^，,]{0,20}?(?P<direction>增加|减少|增长|下降|上升|降低)$")


_PARTS_OF_FISCAL = {"expenditure.basic": "general_budget.basic", "expenditure.project": "general_budget.project"}


def _clause_figures(clause: str, section: str, page, line, out: list[Figure], last_key: str | None,
                    subject: str = "", head: str | None = None) -> str | None:
    """Figures of one clause; a change against last year (比上年减少32.51万元) is a figure of the metric
    named just before it, with basis 比上年增减 and a negative amount for a decrease."""
    previous_end = 0
    for match in PROSE_AMOUNT.finditer(clause):
        label = clause[previous_end:match.start()]
        previous_end = match.end()
        change = _CHANGE.search(label)
        named = _changed_metric(label[:change.start()], section) if change and change.start() >= 2 else None
        if change and (named or last_key):  # 收入较去年减少…: the metric named right before the change, else the last
            key = named or last_key
            amount = to_amount(match.group("num"), match.group("unit"), page, line)
            if change.group("direction") in ("减少", "下降", "降低"):
                amount.value = -amount.value
            out.append(Figure(key, BY_KEY[key].label, amount, source="text", basis=YOY_BASIS,
                              context=clause[:120], page=page, line=line))
            continue
        if _DELTA.search(label) or "占" in label[-3:]:
            continue
        label = re.split(r"[、：:]", label)[-1] if re.search(r"[、：:]", label) else label
        label = re.sub(r"^(其中|包括|主要包括|主要用于)", "", label)
        key = _narrative_key(label, section)
        if key is None and subject and _GENERIC_LABEL.match(label):
            key = _narrative_key(subject + re.sub(r"^\d{4}年度?", "", label), section + subject)
        if key is None:
            continue
        if head in ("general_budget.expenditure", "fiscal.expenditure_total"):
            key = _PARTS_OF_FISCAL.get(key, key)  # 财政拨款支出…，其中基本支出…: the parts of that total
        last_key = key
        amount = to_amount(match.group("num"), match.group("unit"), page, line)
        basis = "决算数" if "决算" in label else ("预算数" if "预算" in label else None)
        out.append(Figure(key, BY_KEY[key].label, amount, source="text", basis=basis,
                          context=clause[:120], page=page, line=line))
    return last_key


def _changed_metric(label: str, section: str) -> str | None:
    """The metric a change is stated for: 收入较去年减少 / 支出较去年减少 name the totals."""
    bare = re.fullmatch(r"(?:\d{4}年度?)?(?:本单位|本部门|部门|单位)?(收入|支出)(?:预算)?(?:总计|总额|合计)?", label)
    if bare:
        return "income.total" if bare.group(1) == "收入" else "expenditure.total"
    return _narrative_key(label, section)


def _narrative_key(label: str, section: str) -> str | None:
    tail = label[-24:]
    for key, pattern, section_pattern in _NARRATIVE:
        if section_pattern is not None and not section_pattern.search(squash(section)):
            continue
        if pattern.search(tail):
            return key
    return None
