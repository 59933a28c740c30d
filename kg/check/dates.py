"""Rules on the years and dates a report prints about itself.

A report's template fixes some years: the headings and table titles that name the report
(``2026年度部门预算情况说明``, ``2026年部门收支总表``) carry the report's year, and the
statement of assets ``截至…，本部门共有车辆…`` is dated at the end of the year a final
account covers, or in the year before the year a budget plans. Prose that mentions other
years for other reasons (上年, 2025年决算数, 2025—2027年, a project or a policy's year) is
left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kg.check.base import Finding, Side, differs, rule, side, wan
from kg.extract.amounts import to_amount
from kg.extract.normalize import squash
from kg.model import Report

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_LEADING_YEAR = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|"
                           r"\d{1,2}[、.．]|表\d{1,2}(?:[-—]\d{1,2})?[：:.．、]?|[#*\s（(])*(?:[^\d，。；]{0,30}?)"
                           r"((?:19|20)\d{2})年度?(?!\d|[—\-－~～至到]|\d*月)")
_TEMPLATE = re.compile(r"部门|单位|预算|决算|情况说明|收支|收入|支出|三公|机关运行|政府采购|公开|报表|总表|自评表|目标表")
_PLANS = re.compile(r"工作任务|工作目标")  # a budget's plans are for its own year; a final account may look ahead
_OTHER_TOPIC = re.compile(r"[算行]数|项目|资金|专项|规划|计划|执行|上年|以前|历年|年至|—|-|~|～|至\d|[0-9]月|对比|相比|比较|变动|调整")
_TABLE_TOPIC = re.compile(r"[算行]数|专项|规划|计划|执行|以前|历年|年至|—|-|~|～|至\d|[0-9]月|对比|相比|比较|变动|调整")
_YEAR_ONLY = re.compile(r"^[（(]?((?:19|20)\d{2})年度[)）]?$")  # the year line of a cover or a form
_ASIDE = re.compile(r"[（(][^（()）]*[)）]")
_DATED_FORM = re.compile(r"(?:自评表|目标表|申报表)\s*[（(]((?:19|20)\d{2})年度?[)）]$")  # 项目支出绩效自评表（2023年度）


def _template_year(text: str, kind: str) -> int | None:
    """The year a heading or table title gives to the report itself, or ``None`` if it names no
    year in a template position (or several years, or a topic that has its own year). A table's
    title (``…项目支出绩效目标表``, ``…支出表（不含上年结转）``) is read without its asides, and its
    projects and funds are the report's own."""
    text = squash(text)
    alone = _YEAR_ONLY.match(text)
    if alone:
        return int(alone.group(1))
    dated = _DATED_FORM.search(text)
    if dated:
        return int(dated.group(1))
    if text.endswith("表") or _ASIDE.sub("", text).endswith("表") and _YEAR.search(_ASIDE.sub("", text)):
        text, other = _ASIDE.sub("", text), _TABLE_TOPIC
    else:
        other = _OTHER_TOPIC
    years = _YEAR.findall(text)
    template = _TEMPLATE.search(text) or kind == "预算" and _PLANS.search(text)
    if len(set(years)) != 1 or not template or other.search(text):
        return None
    if kind == "预算" and "决算" in text or kind == "决算" and "预算" in text and "决算" not in text:
        return None
    match = _LEADING_YEAR.match(text)
    return int(match.group(1)) if match else None


_TITLE_LIKE = re.compile(r"^[^，。；;,：:]{4,40}$")


def _title_places(report: Report) -> Iterator[tuple[str, str, int | None, int | None]]:
    """Headings, table titles, the lines printed above tables, and lines of the text that read as
    titles (a cover's ``2026年度部门预算公开``), each once per page."""
    seen: set[tuple[str, int | None]] = set()
    lines = [("表头", c.text, c.page, c.line) for c in report.captions] + \
        [("标题", p.text, p.page, p.line) for s in report.sections for p in s.paragraphs if _TITLE_LIKE.match(squash(p.text))]
    for what, text, page, line in [*titles(report), *lines]:
        if (squash(text), page) not in seen:
            seen.add((squash(text), page))
            yield what, text, page, line


def titles(report: Report) -> Iterator[tuple[str, str, int | None, int | None]]:
    """Each heading and table title once per page: (what, text, page, line)."""
    seen: set[tuple[str, int | None]] = set()
    places = [("标题", s.heading, s.page, s.line) for s in report.sections if s.path] + \
        [("表名", t.title, t.page, t.line) for t in report.tables if t.title]
    for what, text, page, line in places:
        if (squash(text), page) not in seen:
            seen.add((squash(text), page))
            yield what, text, page, line


@rule("date.heading_year", "标题、表名中的年度与报告年度一致")
def heading_year(report: Report) -> Iterator[Finding]:
    if report.year is None or report.kind is None:
        return
    places = [(what, text, page, line, _template_year(text, report.kind)) for what, text, page, line in _title_places(report)]
    own = sum(1 for *_, year in places if year == report.year) + _statements(report)[0]  # its prose names its year too
    odd = [p for p in places if p[4] is not None and p[4] != report.year]
    if own < 2 or len(odd) >= own:
        return  # the report's own year is not what its titles say: the identity may be misread
    for what, text, page, line, year in odd:
        yield Finding("date.heading_year", "error",
                      f"{report.year}年{report.kind}报告的{what}“{text}”（第{page}页）写作{year}年",
                      [Side(what, Decimal(year), page, line, text)],
                      expected=Decimal(report.year), observed=Decimal(year), entity=text)


_AS_OF = re.compile(r"截[至止](?:到)?(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?|(?P<end>底|末|年末|年底))?"
                    r"(?P<after>[^。；;]{0,40})")
_HOLDINGS = re.compile(r"共有|实有|保有|车辆|编制|人员|固定资产|资产|占有使用|办公用房|在职|离退休")
_NOT_A_STATEMENT = re.compile(r"预计|计划|力争|拟|将|预期|目标|要求|累计|完成|实现")


def _expected(report: Report, year: int, month: int | None, end: bool) -> tuple[str, str] | None:
    """What the template expects instead of the printed date, with a severity; ``None`` if it fits."""
    if report.kind == "决算":
        if year != report.year:
            return f"{report.year}年12月31日", "error"
        if month is not None and month != 12:
            return f"{report.year}年12月31日", "warning"
        return None
    if year > report.year or year == report.year and (end or month is not None and month >= 7):
        return f"{report.year - 1}年内", "error"
    if year < report.year - 1:
        return f"{report.year - 1}年内", "warning"
    return None


@rule("date.as_of", "“截至”日期与报告年度相符：决算为当年年末，预算为上一年")
def as_of(report: Report) -> Iterator[Finding]:
    if report.year is None or report.kind not in ("预算", "决算"):
        return
    slips: dict[str, list[Side]] = {}
    verdicts: dict[str, tuple[int, tuple[str, str]]] = {}
    for section in report.sections:
        for paragraph in section.paragraphs:
            text = squash(paragraph.text)
            for match in _AS_OF.finditer(text):
                after = match.group("after")
                before = text[max(0, match.start() - 8):match.start()]
                if after.startswith("前") or not _HOLDINGS.search(after[:30]) or \
                        _NOT_A_STATEMENT.search(before + after[:30]):
                    continue
                year = int(match.group("y"))
                month = int(match.group("m")) if match.group("m") else None
                expected = _expected(report, year, month, bool(match.group("end")))
                if expected is None:
                    continue
                printed = match.group(0)[:len(match.group(0)) - len(after)]
                sentence = re.split(r"[。；;]", text[match.start():], maxsplit=1)[0]
                slips.setdefault(printed, []).append(Side("截至日期", Decimal(year), paragraph.page, paragraph.line, sentence))
                verdicts[printed] = (year, expected)
    for printed, sides in slips.items():
        year, (instead, severity) = verdicts[printed]
        pages = "、".join(str(p) for p in sorted({s.page for s in sides if s.page}))
        times = f"（共{len(sides)}处）" if len(sides) > 1 else ""
        yield Finding("date.as_of", severity,
                      f"{report.year}年{report.kind}报告第{pages}页写“{printed}”{times}，应为{instead}：“{sides[0].text[:60]}”",
                      sides, expected=Decimal(report.year if report.kind == "决算" else report.year - 1),
                      observed=Decimal(year))


_STATED = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])?(?:[^，。\d]{0,12}[:：])?(?P<y>(?:19|20)\d{2})年度?"
                     r"(?P<subject>[^\d，。；;]{2,40}?)(?:为|是|共计|合计|总额|总计)?(?P<amount>\d[\d,]*(?:\.\d+)?)(?P<unit>万元|亿元|元)")
_HEADLINE = re.compile(r"预算|决算|收入|支出|经费|采购")
_RELATIVE = re.compile(r"上年|上一年|以前|历年|累计|同期|执行|完成|项目|资金")
_TOPICS = {"income": "收入", "expenditure": "支出", "three_public": "三公", "operating_costs": "运行", "procurement": "采购",
           "general_budget": "一般公共预算", "basic": "基本", "fiscal": "财政拨款"}


def _topic(key: str) -> str:
    return _TOPICS.get(key.split(".")[0], key)


@rule("date.statement_year", "说明中本年度的主要数字、预算安排冠以本年度，比较年度为其上一年")
def statement_year(report: Report) -> Iterator[Finding]:
    if report.year is None:
        return
    yield from _compared_years(report)
    yield from _own_years(report)
    printed = [f for f in report.figures if f.source == "table" and f.amount is not None and f.amount.value]
    for section in report.sections:
        for paragraph in section.paragraphs:
            for clause in re.split(r"(?<=[。；;])", squash(paragraph.text)):
                match = _STATED.match(clause)
                if not match or int(match.group("y")) == report.year or not _HEADLINE.search(match.group("subject")) \
                        or _RELATIVE.search(match.group("subject")):
                    continue
                stated = to_amount(match.group("amount"), match.group("unit"), paragraph.page, paragraph.line)
                same = [f for f in printed if not differs(f.amount, stated)]
                table = max(same, key=lambda f: _topic(f.key) in match.group("subject"), default=None)
                if table is None or str(report.year) in clause or re.search(r"比|较|与|相同|持平", clause[:match.end()]):
                    continue
                year = int(match.group("y"))
                yield Finding("date.statement_year", "error",
                              f"{report.year}年{report.kind or ''}报告第{paragraph.page}页把与报表{table.label}相同的"
                              f"{wan(stated.value)}万元冠以{year}年：“{clause[:60]}”",
                              [side(f"说明（{year}年）", stated, clause), side(f"报表：{table.context}", table.amount, table.context)],
                              expected=Decimal(report.year), observed=Decimal(year), entity=table.label)


_COMPARED = re.compile(r"(?:与|比|较|同)(?P<y>(?:19|20)\d{2})年度?(?:(?P<word>(?:年初|全年)?(?:预算|决算|执行))|"
                       r"(?=(?:相比)?[，,]?(?:增加|减少|增长|下降|持平)))")
_SUBJECT_YEAR = re.compile(r"(?<![\d比较与同至])((?:19|20)\d{2})年(?!\d|[—\-－~～至到])")
_OWN = re.compile(r"(?:^|[。；;：:])(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])?(?P<pre>[^\d，。；;：:、]{0,24}?)"
                  r"(?P<y>(?:19|20)\d{2})年度?[，,]?(?P<subject>[^\d，。；;]{0,30}?)(?:\d[\d,]*(?:\.\d+)?(?:万元|亿元|元)|安排|没有|无)")
_OWN_TOPIC = re.compile(r"预算|拨款|收入|支出|三公|机关运行经费|政府采购|绩效目标")
_OTHER_YEAR = re.compile(r"补贴|补助|评价|执行|决算|实际|完成|上年|结转|结余|规划|计划|[—\-~～至]|以来|以前|同期|末|底|月|项目|截[至止]|比|较|与")
_WHY = re.compile(r"原因|因为|由于")


def _compared(report: Report, text: str) -> Iterator[tuple[re.Match, int]]:
    """Comparisons ``比YYYY年预算`` whose year is not the year before the year compared: the
    subject's year when the clause names one, else the report's; a final account may also
    compare with its own year's budget."""
    for m in _COMPARED.finditer(text):
        start = max(text.rfind(mark, 0, m.start()) for mark in "。；;")
        years = [int(y) for y in _SUBJECT_YEAR.findall(text[start + 1:m.start()])]
        subject = years[-1] if years else report.year
        year = int(m.group("y"))
        if year == subject - 1 or report.kind == "决算" and year == subject and "预算" in (m.group("word") or ""):
            continue
        if year >= subject or subject == report.year:
            yield m, subject


def _compared_years(report: Report) -> Iterator[Finding]:
    for section in report.sections:
        for paragraph in section.paragraphs:
            text = squash(paragraph.text)
            for m, subject in _compared(report, text):
                year = int(m.group("y"))
                quote = text[max(0, m.start() - 30):m.end() + 10]
                yield Finding("date.statement_year", "error",
                              f"{report.year}年{report.kind or ''}报告第{paragraph.page}页把{subject}年的数字与"
                              f"{year}年{m.group('word') or ''}比较（应为{subject - 1}年）：“{quote}”",
                              [Side("比较年度", Decimal(year), paragraph.page, paragraph.line, quote)],
                              expected=Decimal(subject - 1), observed=Decimal(year))
            for m in _THIS_YEAR.finditer(text):  # 2024年当年财政拨款支出预算 in a 2023 report
                if int(m.group("y")) != report.year:
                    quote = text[max(0, m.start() - 20):m.end() + 20]
                    yield Finding("date.statement_year", "error",
                                  f"{report.year}年{report.kind or ''}报告第{paragraph.page}页把“{m.group(0)}”冠以{m.group('y')}年："
                                  f"“{quote}”", [Side("年度", Decimal(m.group("y")), paragraph.page, paragraph.line, quote)],
                                  expected=Decimal(report.year), observed=Decimal(m.group("y")))
            for m in _FINAL.finditer(text):  # a final account of a year that has not ended
                if int(m.group("y")) > report.year:
                    quote = text[max(0, m.start() - 20):m.end() + 10]
                    yield Finding("date.statement_year", "error",
                                  f"{report.year}年{report.kind or ''}报告第{paragraph.page}页写有尚未结束年度的决算"
                                  f"“{m.group(0)}”：“{quote}”", [Side("决算年度", Decimal(m.group("y")), paragraph.page,
                                                                   paragraph.line, quote)],
                                  expected=Decimal(report.year), observed=Decimal(m.group("y")))


_THIS_YEAR = re.compile(r"(?<![\d至—\-~～])(?P<y>(?:19|20)\d{2})年度?(?:当年|本年)(?:财政拨款|预算|收入|支出|部门|单位)")
_FINAL = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})年度?(?:(?:部门|单位)?决算|[^，。；;\d]{0,12}?决算数)")
_OWN_NAME = re.compile(r"(?<![\d比较与至])(?P<y>(?:19|20)\d{2})年度?(?:本?部门|本?单位)(?:汇总|综合)?(?P<kind>预算|决算)"
                       r"(?!执行|调整|数|批复|[\d.]*%)")
_SELF = re.compile(r"(?:^|[。；;])(?P<y>(?:19|20)\d{2})年度?[，,](?:本|我)(?:部门|单位|局|委|院|中心)"  # 2026年度，本部门…
                   r"(?![^。；;]{0,40}?(?:完成|实现|取得|累计|了))")  # …完成了: a review of a past year
_PLAN = re.compile(r"(?:^|[。；;])(?P<y>(?:19|20)\d{2})年[，,][^。；;\d]{0,30}?将")  # 2018年，本院将…: a budget's plans


def _statements(report: Report) -> tuple[int, list]:
    """How many statements of the report's own figures name its year, and those naming another."""
    own, odd = 0, []
    names = sorted({squash(n) for n in [report.unit, *report.unit_aliases] if n and len(squash(n)) >= 4}, key=len, reverse=True)
    named = re.compile(r"(?:^|[。；;])(?P<y>(?:19|20)\d{2})年度?[，,]?(?:%s)" % "|".join(map(re.escape, names)) +
                       r"(?![^。；;]{0,40}?(?:完成|实现|取得|累计|了))") if names else None  # 2026年，福州市民政局…
    for section in report.sections:
        for paragraph in section.paragraphs:
            text = squash(paragraph.text)
            found = [m for m in _OWN.finditer(text) if _OWN_TOPIC.search(re.split(r"[，。；;]", m.group("subject") +
                     text[m.end():m.end() + 20])[0]) and not _OTHER_YEAR.search(m.group("pre") + m.group("subject"))]
            found += [m for m in _OWN_NAME.finditer(text) if m.group("kind") == report.kind]
            found += list(_PLAN.finditer(text)) if report.kind == "预算" else []
            found += list(_SELF.finditer(text)) + (list(named.finditer(text)) if named else [])
            found = list({m.start("y"): m for m in found}.values())  # one year read by two patterns counts once
            for m in found:
                if int(m.group("y")) == report.year:
                    own += 1
                elif not _WHY.search(text[:m.start()]):
                    odd.append((paragraph, m, text[m.start():m.end() + 20].lstrip("。；;：:")))
    return own, odd


def _own_years(report: Report) -> Iterator[Finding]:
    """``2025年单位预算安排购置车辆0辆`` in a 2026 budget: a statement of the report's own figures
    (a year opening a clause, then 预算/收入/支出…, then an amount or 安排; ``纳入2026年部门预算``;
    a budget's ``2026年，本局将…``) names another year. Statements about execution, carry-overs,
    plans, projects and the reasons of a change (which compare years) are left alone, and the
    report must say its own year in most of them."""
    own, odd = _statements(report)
    if own < 2 or len(odd) >= own:
        return
    for paragraph, m, quote in odd:
        year = int(m.group("y"))
        yield Finding("date.statement_year", "error",
                      f"{report.year}年{report.kind or ''}报告第{paragraph.page}页的本年度陈述写作{year}年：“{quote}”",
                      [Side("年度", Decimal(year), paragraph.page, paragraph.line, quote)],
                      expected=Decimal(report.year), observed=Decimal(year))
