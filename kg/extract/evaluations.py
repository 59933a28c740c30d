"""Key projects' performance evaluations (重点绩效评价) a 决算 reports in prose, and the
evaluation reports it attaches.

The template's 绩效评价 section lists each evaluated project with its result —
``1.2021年西安市高龄老人生活保健补贴资金项目。评价得分83.06，综合评价等级为“B”,详见所附报告《…绩效评价报告》`` —
and the report often appends that 绩效评价报告: a title page, then 一、基本情况 stating the
documents the project was set up by and its budget or spending. The item becomes a project
with its score and grade; the attached report, found by its title, adds its pages, the
documents its 基本情况 cites and the amounts it states.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.amounts import to_amount
from kg.extract.documents import find_references
from kg.extract.normalize import squash
from kg.model import Project, ProjectAmount, SelfEvaluation

_RESULT = re.compile(
    r"(?:^|[。；;])\s*(?:[（(]?\d{1,2}[)）.、．])\s*(?P<name>[^。；;：:，,]{4,60}?)[。，,：:]\s*"
    r"(?:项目)?(?:绩效)?评价(?:综合)?得分(?:为)?[“\"]?(?P<score>\d{1,3}(?:\.\d+)?)[”\"]?分?[，,]\s*"
    r"(?:综合)?(?:评价)?(?:等级|评级)(?:为|是)?[:：]?\s*[“\"]?(?P<grade>[A-D]|优秀|优|良好|良|中|合格|差)[”\"]?"
    r"(?P<rest>[^。]*)")
_SAME_GRADE = {"优秀": "优", "良好": "良"}  # the grade's long name; 合格 is another scale's and kept
_ATTACHED = re.compile(r"(?:所附|附件|附)(?:报告)?《(?P<title>[^《》]{4,80}?评价报告)》")
_BASICS = re.compile(r"基本情况|项目概况")
_EXECUTED = re.compile(r"(?:支出总额|实际支出|执行数|支出)(?:为|共计|合计)?\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元")
_BUDGET = re.compile(r"预算(?:金额|资金|数)?(?:为|共计|合计)?\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*万元")


def evaluated_projects(text: str, page: int | None, line: int | None) -> list[Project]:
    """Projects a 绩效评价结果 paragraph lists with their score and grade."""
    out = []
    for match in _RESULT.finditer(squash(text)):
        name = match.group("name")
        grade = _SAME_GRADE.get(match.group("grade"), match.group("grade"))
        evaluation = SelfEvaluation(total_score=Decimal(match.group("score")), grade=grade,
                                    page=page, line=line)
        project = Project(name=name, printed_names=[name], pages=[page] if page else [], line=line,
                          self_evaluation=evaluation)
        attached = _ATTACHED.search(match.group("rest"))
        if attached:
            project.evaluation_report = attached.group("title")
        out.append(project)
    return out


def _title_key(title: str) -> str:
    """An evaluation report's title as its title page and the list both print it: without the
    year it was written in and with a doubled 项目 collapsed."""
    key = re.sub(r"^(?:19|20)\d{2}年度?", "", squash(title))
    return re.sub(r"(项目)+", "项目", key)


def attach_evaluation_reports(projects: list[Project], sections) -> None:
    """Pages, documents and amounts of the attached 绩效评价报告 of each evaluated project."""
    wanted = {_title_key(p.evaluation_report): p for p in projects if p.evaluation_report}
    if not wanted:
        return
    current: Project | None = None
    read: set[int] = set()
    texts = [(text or "", page, i == 0, section) for section in sections
             for i, (text, page) in enumerate([(section.heading, section.page)] +
                                              [(p.text, p.page) for p in section.paragraphs])]
    for k, (text, page, heading, section) in enumerate(texts):
        following = texts[k + 1][0] if k + 1 < len(texts) else ""
        key = next((key for key in (_title_key(text), _title_key(text + following)) if key in wanted), None)
        if key is not None:  # a title, printed on one line or over two
            current = wanted[key]
        if current is not None and page and page not in current.pages and (key or not heading):
            current.pages.append(page)  # a heading's page is its first paragraph's, which may open the next report
        if not heading or current is None or id(current) in read or not _BASICS.search(section.heading):
            continue
        for paragraph in section.paragraphs:
            _read_basics(current, paragraph)
        read.add(id(current))  # one 基本情况 per report: a later one is no longer this report's


def _read_basics(project: Project, paragraph) -> None:
    known = {d.canonical for d in project.documents}
    project.documents.extend(r for r in find_references(paragraph.text, paragraph.page, paragraph.line)
                             if r.canonical not in known)
    text = squash(paragraph.text)
    evaluation = project.self_evaluation
    executed = _EXECUTED.search(text)
    if executed and evaluation is not None and evaluation.executed is None:
        evaluation.executed = to_amount(executed.group("amount"), "万元", paragraph.page, paragraph.line)
    budget = _BUDGET.search(text)
    if budget and project.annual_total is None:
        amount = to_amount(budget.group("amount"), "万元", paragraph.page, paragraph.line)
        if amount is not None:
            project.amounts.append(ProjectAmount("text", "annual_total", amount))
            project.annual_total = amount
