"""From the layout (``RawDocument``) to the document model (``Report``).

Walks the blocks in order. Text lines just above a table are its caption (title, 单位：万元,
table number, 单位名称); everything else is narrative. Each table is recognised as a
budget table, a performance/self-evaluation form, a project table or list, and read
by the matching parser. Metadata (unit, year, 预算/决算, 部门/单位, department, region)
comes from the cover, captions and forms.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from kg.errors import NotABudgetReport
from kg.extract import figures as figs
from kg.extract import stated_figures as prose_figs
from kg.extract import forms
from kg.extract import indicators as kpi
from kg.extract.amounts import declared_unit, is_number
from kg.extract import continuations, department_targets, members
from kg.extract.doctype import what_is
from kg.extract.documents import find_references
from kg.extract.evaluations import attach_evaluation_reports, evaluated_projects
from kg.extract.identity import read_identity
from kg.extract.layout import PAGE_FOOTER, RawDocument, Table, TextLine, join_tables
from kg.extract.names import normalise_unit, short_forms
from kg.extract.normalize import squash
from kg.extract.project_completion import add_document, finish_projects
from kg.extract.unit_blocks import mark_unit_blocks
from kg.extract.project_tables import (has_unit_column, is_project_table, projects_from_procurement_table,
                                       projects_from_project_table)
from kg.extract.projects import (ProjectRegistry, projects_from_budget_table, projects_from_list,
                                 projects_from_narrative, projects_from_sections, section_unit)
from kg.extract.sections import build_sections
from kg.extract.tables import build_budget_table, classes_add_up, classify
from kg.model import Amount, BudgetTable, Figure, Grid, Paragraph, Project, Report, Section

_UNIT_LINE = re.compile(r"^(?:单位名称|部门名称|预算单位|编制单位|编制部门)[:：]\s*(?P<name>\S.*)$")
_TABLE_NUMBER = re.compile(r"^(?:(?:预算|部门|决算)?公开表\s*\d+|公开\d+表|表[一二三四五六七八九十]+|附表\d+)$")
_CAPTION = re.compile(r"(表$|表[（(].*[)）]$|^[（(]?\d{4}年度?[)）]?$|单位[:：]|^注[:：]|本表无数据|^部门公开表|^预算公开表|^公开\d+表|^项目单位)")
_NOTE = re.compile(r"^(注|说明)[:：]")

BUDGET_KINDS = {"income_expenditure_summary", "income_summary", "expenditure_summary", "fiscal_summary",
                "general_budget_expenditure", "basic_by_economic", "fund_income", "fund_expenditure",
                "state_capital", "operating_costs", "project_budget", "project_carryover"}


class _Context:
    """What the caption lines above a table say."""

    def __init__(self, lines: list[TextLine], preceding: list[TextLine] | None = None):
        lines = [line for line in lines if not PAGE_FOOTER.match(squash(line.text))]
        self.lines = lines
        self.preceding = preceding or []  # the text lines just above, captions or not
        self.title = ""
        self.number = None
        self.unit = None
        self.unit_name = None
        for line in lines:
            text = line.text
            if _TABLE_NUMBER.match(squash(text)):
                self.number = squash(text)
                continue
            declared = declared_unit(text)
            if declared:
                self.unit = declared
            match = _UNIT_LINE.match(text)
            if match:
                self.unit_name = match.group("name")
                continue
            if classify(text) or re.search(r"表\s*$|表[（(][^）)]*[）)]\s*$", text):
                self.title = text
        if not self.title:
            self.title = next((line.text for line in reversed(lines) if not declared_unit(line.text)
                               and not _UNIT_LINE.match(line.text)), "")


def build_report(doc: RawDocument) -> Report:
    blocks = doc.blocks
    narrative: list[TextLine] = []
    printed_captions: list[TextLine] = []
    tables: list[tuple[Table, _Context]] = []
    last_table = -1
    blocks = _normalise_blocks(blocks)
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            between = [b for b in blocks[last_table + 1:i] if isinstance(b, TextLine)]
            caption_lines = _caption_lines(between[-8:])
            context = _Context(caption_lines, preceding=between[-6:])
            captions_read: list[TextLine] = []
            captions = {id(line) for line in caption_lines}
            while narrative and id(narrative[-1]) in captions:  # the captions are the lines just read
                captions_read.insert(0, narrative.pop())
            printed_captions.extend(captions_read)
            last_table = i
            if tables and block.width != tables[-1][0].width:
                block = continuations.align(tables[-1][0], block)
            if tables and _continues_table(tables[-1], block, context, len(between) == len(caption_lines)):
                tables[-1] = (join_tables(tables[-1][0], block), tables[-1][1])
                continue
            tables.append((block, context))
        else:
            narrative.append(block)
    report = _metadata(doc, tables)
    registry = ProjectRegistry()
    figures: list[Figure] = []
    project_subtotals: list[Amount] = []
    pending: Project | None = None
    for table, context in tables:
        added = registry.added
        budget_tables = len(report.tables)
        pending = _read_table(report, table, context, registry, figures, project_subtotals, pending)
        read = report.tables[budget_tables:]
        if len(table.rows) > 1 and all(_unsummed(t) for t in read):
            # kept as printed for the checks: a table read as no budget table, or one the budget table
            # rules cannot sum by class or by side
            lines = list(table.row_lines) if any(n is not None for n in table.row_lines) else []
            report.grids.append(Grid(context.title or "", [list(row) for row in table.rows], list(table.row_pages),
                                     context.unit, classify(context.title or ""), lines))
        if registry.added != added:  # a project's table: its documents and texts are read from the project
            prose = _prose_cells(table)  # (see finish_projects); cells no field holds are kept
            carried = "\n".join(_project_texts(registry.projects)) if prose else ""
            prose = [p for p in prose if squash(p.text.split("：", 1)[-1]) not in carried]
            if prose:
                report.table_texts.append(Section(path=[context.title or ""], paragraphs=prose, page=table.page))
            continue
        prose = _prose_cells(table)
        if prose:
            report.table_texts.append(Section(path=[context.title or ""], paragraphs=prose, page=table.page))
        for cell in dict.fromkeys(cell for row in table.rows for cell in row if cell and ("《" in cell or "号" in cell)):
            for ref in find_references(cell, table.page):  # 部门整体 goals and indicators: documents cited anywhere
                add_document(report, ref)
    report.sections = build_sections(narrative)
    report.captions = [Paragraph(line.text, line.page, line.line) for line in printed_captions]
    for project in projects_from_sections(report.sections):
        registry.add_form(project)
    units = {p.unit for p in registry.projects if p.unit} | set(report.member_units)
    for section in report.sections:
        heading = "/".join(section.path)
        unit = section_unit(section.path, units) if len(units) > 1 else None
        if section.path and prose_figs.states_amount(section.path[-1]):  # （二）支出预算总计131,349.6万元。包括：
            figures.extend(prose_figs.narrative_figures(section.path[-1], "/".join(section.path[:-1]), section.page,
                                                  section.line))
        for paragraph in section.paragraphs:
            report.member_units.extend(n for n in members.members_from_text(paragraph.text) if n not in report.member_units)
            for project in projects_from_narrative(paragraph.text, paragraph.page, paragraph.line, unit):
                registry.add_form(project)
            for project in evaluated_projects(paragraph.text, paragraph.page, paragraph.line):
                registry.add_form(project)
            figures.extend(prose_figs.narrative_figures(paragraph.text, heading, paragraph.page, paragraph.line))
            for ref in find_references(paragraph.text, paragraph.page, paragraph.line):
                add_document(report, ref)
    attach_evaluation_reports(registry.projects, report.sections)
    registry.settle_purchases()
    if project_subtotals:
        total = sum((a.value for a in project_subtotals), Decimal(0))
        first = project_subtotals[0]
        figures.append(Figure("projects.total", "项目支出预算合计",
                              Amount(total, format(total / 10000, "f"), first.unit, first.page, first.line),
                              context="项目支出预算表", page=first.page, line=first.line))
    if not project_subtotals and report.kind == "预算":
        fallback = next((f for f in figures if f.key == "expenditure.project" and f.source == "table"), None)
        if fallback is not None:
            figures.append(Figure("projects.total", "项目支出预算合计", fallback.amount, context=fallback.context,
                                  page=fallback.page, line=fallback.line))
    own = normalise_unit(report.unit or "")
    stated = [f for f in figures if f.source == "text" and f.subject]
    only_own = all(normalise_unit(f.subject) == own for f in stated)
    for figure in stated:
        if normalise_unit(figure.subject) == own and (only_own or "本级" not in figure.subject):
            figure.subject = None  # the report's own unit, or its 本级 where no other unit has a section
    report.unit_figures.extend(f for f in figures if f.subject is not None and f.source == "text")
    report.statements = [f for f in figures if f.source == "text" and f.subject is None]
    report.figures = figs.merge_figures([f for f in figures if f.subject is None or f.source != "text"])
    report.projects = registry.projects
    report.amount_unit = _printed_money_unit(report) or report.amount_unit
    finish_projects(report)
    titled = report.identity.get("kind") is not None and report.identity["kind"].rule in ("cover.title", "title")
    other = what_is(doc) if not titled else None  # a report says what it is on its cover; others are named
    if other is not None:
        raise NotABudgetReport(doc.source.path, f"这是{other[0]} (this is {other[1]})")
    if not (report.tables or report.projects or report.figures) or report.year is None and report.kind is None:
        raise NotABudgetReport(doc.source.path, "未找到预算/决算报表、项目或年度 (no budget tables, projects or year found)")
    return report


def _printed_money_unit(report: Report) -> str | None:
    """The unit most of the report's table amounts are printed in (元 in 上海's and 西安's tables),
    or None when its tables hold none."""
    units = Counter(amount.unit for table in report.tables for line in table.lines
                    for amount in line.values.values() if amount is not None and amount.unit)
    return units.most_common(1)[0][0] if units else None


def _unsummed(table: BudgetTable) -> bool:
    """A budget table whose lines carry no code and no side, or whose classes repeat (one block per
    unit) with no unit code to tell the blocks apart: the rules summing by class or by side cannot
    read it."""
    coded = [line.code for line in table.lines if line.code]
    if any(line.side for line in table.lines):
        return False
    return not coded or len(coded) != len(set(coded)) and not any(line.unit_code for line in table.lines)


_GLUED_CAPTION = re.compile(r"(?=(?:编制单位|编制部门|单位名称|部门名称|预算单位|金额单位)[:：])|(?<![制称门算额])(?=单位[:：])")


def _is_caption_row(row: list[str]) -> bool:
    """A row inside a table frame that only declares the unit and the money unit."""
    text = squash("".join(row))
    return bool(re.search(r"单位[:：]\s*(亿元|万元|千元|元)", text) or re.match(r"^(编制单位|单位名称|部门名称|预算单位)[:：]", text)) and \
        not any(re.fullmatch(r"[-\d,.]+", squash(c)) for c in row if c.strip())


def _caption_rows(table: Table) -> int:
    """How many leading rows of a ruled table are its caption printed inside the frame: the title
    (one cell naming a table) and the '编制单位：X | … | 单位：元' line, with any short lines before it."""
    lifted = 0
    first = [c for c in table.rows[0] if c.strip()]
    if len(first) == 1 and classify(first[0]):
        lifted = 1
    for r in range(lifted, min(3, len(table.rows) - 1)):
        if _is_caption_row(table.rows[r]):
            lifted = r + 1
        elif len([c for c in table.rows[r] if c.strip()]) > 1 or any(is_number(c) for c in table.rows[r]):
            break
    return lifted


def _normalise_blocks(blocks: list) -> list:
    """Undo two layout artefacts of ruled tables: a table title printed inside the frame (first row:
    one cell '…收支预算总表编制单位：X单位：元') becomes the caption lines above the table, and a form
    whose name row ended the page before is joined to the rest of its frame. (One-row grids that
    are really a line of text are undone by the PDF reader itself: ``layout.is_sentence_row``.)"""
    out: list = []
    for block in blocks:
        if isinstance(block, Table) and len(block.rows) > 1:
            lifted = _caption_rows(block)
            if lifted:
                for row, page, line in zip(block.rows[:lifted], block.row_pages, block.row_lines):
                    text = "".join(c.strip() for c in row)
                    out.extend(TextLine(part.strip(), page, line) for part in _GLUED_CAPTION.split(text) if part.strip())
                block = Table(block.rows[lifted:], block.row_pages[lifted:], block.row_lines[lifted:])
        if isinstance(block, Table) and out and isinstance(out[-1], Table) and _form_head_only(out[-1]) and \
                not _has_label(block, "name") and _has_label(block, "department", "funds"):
            head = out.pop()
            block = Table(head.rows + block.rows, head.row_pages + block.row_pages,
                          head.row_lines + block.row_lines).pad()  # a form whose name row sits on the page before
        out.append(block)
    return out


def _continues_table(previous: tuple[Table, _Context], table: Table, context: _Context, only_captions: bool) -> bool:
    """The same table continued on the next page under its caption printed again: same title,
    same columns, nothing but caption lines in between."""
    before, caption = previous
    titled = bool(caption.title) and squash(caption.title) == squash(context.title)
    untitled = not context.title and not context.unit_name  # nothing above it but a page number
    placed = only_captions and (titled or untitled) and before.width == table.width and table.page is not None and \
        before.row_pages[-1] is not None and table.page == before.row_pages[-1] + 1
    # a form of its own (项目名称, 主管部门 …) is not a continuation, even under the same title as the last
    return placed and not (_has_label(table, "name") and _has_label(table, "department", "funds"))


def _has_label(table: Table, *labels: str) -> bool:
    return any(forms.match_label(c) in labels for row in table.rows[:6] for c in row if c)


def _form_head_only(table: Table) -> bool:
    return len(table.rows) <= 3 and _has_label(table, "name") and not _has_label(table, "department", "funds")


def _caption_lines(lines: list[TextLine]) -> list[TextLine]:
    """The trailing lines above a table that are its caption, not narrative."""
    out: list[TextLine] = []
    for line in reversed(lines):
        text = squash(line.text)
        if _CAPTION.search(text) or _UNIT_LINE.match(line.text) or _TABLE_NUMBER.match(text) or len(text) <= 30 and \
                (classify(text) or "绩效" in text and "表" in text):
            out.append(line)
            continue
        if len(text) <= 12 and not text.endswith("。") and not re.match(r"^(第|[一二三四五六七八九十]+、|[（(])", text):
            out.append(line)  # stray short lines next to a table (region stamps, form names)
            continue
        break
    return list(reversed(out))


def _metadata(doc: RawDocument, tables: list[tuple[Table, _Context]]) -> Report:
    captions = [(normalise_unit(c.unit_name), t.page) for t, c in tables if c.unit_name]
    identity = read_identity(doc, captions, [c.title for _, c in tables])
    report = Report(unit=identity.unit, year=identity.year, kind=identity.kind, scope=identity.scope,
                    summary=identity.summary, title=identity.title, source=doc.source, warnings=list(doc.warnings))
    report.identity = identity.evidence
    if identity.parent:
        report.department = identity.parent
    report.unit_aliases = sorted({a for a in identity.aliases + short_forms(report.unit) if a and a != report.unit})
    return report


def _read_table(report: Report, table: Table, context: _Context, registry: ProjectRegistry,
                figures: list[Figure], subtotals: list[Amount], pending: Project | None) -> Project | None:
    title = context.title
    unit = context.unit or "万元"
    kind = classify(title)
    open_whole, registry.open_whole = registry.open_whole, None
    if department_targets.WHOLE_SPENDING.search(squash(title or "")) and forms.is_self_evaluation(table):
        found = department_targets.read(table, context.unit or "万元", report.unit or "", None,
                                        " ".join(line.text for line in context.preceding))
        for target in found[0] if found else []:
            registry.open_whole = (registry.add_form(target), table)
        if found:
            return None
    if open_whole is not None and department_targets.continues_evaluation(open_whole[1], table):
        whole = join_tables(open_whole[1], table)
        department_targets.reread_evaluation(open_whole[0], whole, context.unit or "万元")
        registry.open_whole = (open_whole[0], whole)
        return None
    if forms.is_self_evaluation(table):
        for form in forms.split_forms(table):
            result = forms.parse_self_evaluation(form, context.unit or "万元")
            if result.project is not None:
                registry.add_form(result.project)
        return None
    if members.is_member_table(table, " ".join(line.text for line in context.preceding)):
        report.member_units.extend(n for n in members.members_from_table(table) if n not in report.member_units)
        return None
    if _is_project_list(table):
        for project in projects_from_list(table, unit):
            registry.add_primary(project)
        return None
    open_form, registry.open_form = registry.open_form, None
    if kind == "department_performance":
        previous = next((p for p in reversed(registry.projects) if p.covers_department), None)
        found = department_targets.read(table, context.unit or "万元", report.unit or "", previous,
                                        " ".join(line.text for line in context.preceding))
        if found is not None:
            targets, result = found
            for target in targets:
                last = registry.add_form(target)
                if result is not None:  # its indicators may go on overleaf, or start there
                    registry.open_form = (last, *(result.open_layout or (None, None)))
            return None
    if kind in ("performance_target", None, "department_performance") and _is_target_form(table):
        last = None
        for form in forms.split_forms(table):
            result = forms.parse_target_form(form, _form_unit(form) or context.unit or "元", _name_above(context))
            if result.project is not None:
                _complete_from_title(result.project, context.title)
                last = registry.add_form(result.project)
                pending = last if result.pending_indicators else None
                registry.open_form = (last, *(result.open_layout or (None, None)))
        return pending
    if open_form is not None and open_form[1] is not None and _continues_form(table, open_form[0]):
        forms.continue_indicators(*open_form, table)
        open_form[0].pages = sorted(set(open_form[0].pages) | {p for p in table.row_pages if p})  # and the next page
        registry.open_form = open_form
        return None
    if open_form is not None and _rest_of_form(table, open_form[0]):
        rest = forms.parse_target_form(table, _form_unit(table) or context.unit or "元", open_form[0].name)
        if rest.project is not None:
            head, tail = open_form[0], rest.project
            head.indicators.extend(tail.indicators)
            head.goal_annual = head.goal_annual or tail.goal_annual
            if not head.amounts:  # the funds rows started the next page too
                head.amounts, head.annual_total = tail.amounts, head.annual_total or tail.annual_total
                head.fund_sources = head.fund_sources or tail.fund_sources
            head.pages = sorted(set(head.pages) | set(tail.pages))
            registry.open_form = (head, *(rest.open_layout or (None, None)))  # its indicators may go on overleaf
        return None
    if kind not in ("project_budget", "project_carryover", "procurement") and is_project_table(table) or \
            kind in ("project_budget", "project_carryover") and has_unit_column(table):
        previous = registry.last_row_project if registry.last_from_table else None
        carried = bool(_CARRYOVER_TITLE.search(squash(title or "")))
        for project in projects_from_project_table(table, unit, report.unit, previous):
            project.carryover = project.carryover or carried
            if project.indicators or project.goal_annual:
                registry.last_row_project = registry.add_form(project)  # the project it was merged into
            else:
                registry.add_primary(project)
                registry.last_row_project = project
        registry.last_from_table = True
        return None
    registry.last_from_table = False
    if pending is not None and any(kpi.is_indicator_header(row) for row in table.rows[:3]):
        header_index = next(i for i, row in enumerate(table.rows[:3]) if kpi.is_indicator_header(row))
        layout = kpi.header_layout(table.rows[header_index])
        rows = table.rows[header_index + 1:]
        pending.indicators.extend(kpi.parse_indicator_rows(
            rows, layout, ["annual"], table.row_pages[header_index + 1:], table.row_lines[header_index + 1:]))
        return None
    if kind == "procurement":
        registry.add_purchases(projects_from_procurement_table(table, unit))
        figures.extend(figs.procurement_total(table, title, unit))
    if kind == "three_public":
        found = figs.three_public_figures(table, title, unit, report.unit)
        figures.extend(f for f in found if f.subject is None)
        report.unit_figures.extend(f for f in found if f.subject is not None)
        if figs.is_horizontal_three_public(table):
            return None  # one row of numbers under 预算数/决算数 column groups: figures only, no named lines
    elif kind == "statistics":
        figures.extend(figs.statistics_figures(table, title, unit))
    if kind == "basic_by_economic" and "人员经费合计" in "".join(squash(c) for row in table.rows for c in row):
        figures.extend(figs.economic_detail_figures(table, title, unit))
        budget = build_budget_table(table, kind, title, unit, context.number)  # 人员经费 | 公用经费 side by side
        budget.lines = [line for line in budget.lines if line.code]  # the groups' 合计 rows are the figures above
        mark_unit_blocks(budget, report.unit, report.scope == "单位")
        if budget.lines and classes_add_up(budget):  # a group's rows misaligned across the page: not read
            report.tables.append(budget)
        return None
    if kind in BUDGET_KINDS or kind == "three_public":
        budget = build_budget_table(table, kind, title, unit, context.number)
        mark_unit_blocks(budget, report.unit, report.scope == "单位")
        report.tables.append(budget)
        figures.extend(figs.figures_from_table(budget))
        report.unit_figures.extend(figs.unit_figures(budget, report.unit or ""))
        if kind in ("project_budget", "project_carryover"):
            projects, subtotal = projects_from_budget_table(budget, report.unit, kind == "project_carryover")
            for project in projects:
                registry.add_primary(project)
            if subtotal is not None:
                subtotals.append(subtotal)
            elif projects and not budget.empty:
                total = sum((p.annual_total.value for p in projects if p.annual_total), Decimal(0))
                subtotals.append(Amount(total, "", unit, budget.page, budget.line))
    return None


# a table of the projects carried over (2019年部门综合预算财政拨款结转资金支出表, 上年结转项目表)
_CARRYOVER_TITLE = re.compile(r"结转(?:结余)?(?:资金)?(?:项目)?(?:支出)?(?:预算)?(?:明细)?(?:情况)?表|上年结转项目")


_LABEL_UNIT = re.compile(r"(?:资金|金额|预算|总额|情况)(?:\d[\d,]*(?:\.\d+)?)?[（(](万元|元)[)）]$")  # 资金金额1620.98（万元）


_FORM_TITLE = re.compile(r"^(?P<name>.+?)(?:项目)?(?:支出)?绩效目标(?:申报)?表$")


def _complete_from_title(project: Project, title: str | None) -> None:
    """A 项目名称 cell cut at a page break (…提升补助资 | 金 on the next page) completed from the
    form's own title (2026年…提升补助资金项目绩效目标表) when the form runs over a page break and the
    title's name extends it by at most two characters."""
    match = _FORM_TITLE.match(squash(title or ""))
    if not match or not project.name or len(project.pages) < 2:
        return  # a form on one page has its whole name
    named = squash(project.name)
    whole = squash(match.group("name"))
    for candidate in (whole.removesuffix("项目"), whole):
        if candidate.startswith(named) and 0 < len(candidate) - len(named) <= 2:
            project.name = candidate
            project.printed_names = [candidate] + project.printed_names[1:]
            return


def _name_above(context: _Context) -> str | None:
    """A project name printed above a form's frame: the line after '项目名称', or the form's own
    title '236-…基础设施改造项目(小学)绩效目标表'."""
    texts = [squash(line.text) for line in context.preceding or context.lines]
    for i, text in enumerate(texts[:-1]):
        if text == "项目名称":
            return texts[i + 1]
    match = _FORM_TITLE.match(squash(context.title))
    if match and not re.search(r"部门|单位|本级|预算|年度|\d{4}年|^(市级|区级|县级)?(一般性|重点)?(项目|专项资金)?$",
                               match.group("name")):
        return match.group("name")
    return None


def _continues_form(table: Table, project: Project) -> bool:
    """A table on the page after a form that ended inside its indicator rows, with no labels or
    header of its own: the rest of those indicator rows."""
    first_page = table.page
    if first_page is None or not project.pages or first_page != max(project.pages) + 1:
        return False
    labels = [forms.match_label(c) for row in table.rows[:3] for c in row if c]
    if any(labels) or any(kpi.is_indicator_header(row) for row in table.rows[:3]):
        return False
    return any(kpi.level2_name(c) or kpi.level1_name(c) for row in table.rows for c in row if c) or \
        sum(bool(_NUMBERED_INDICATOR.match(squash(c))) for row in table.rows for c in row) >= 2


_NUMBERED_INDICATOR = re.compile(r"^指标\d{1,3}[：:]")  # 指标2：加强对全市安全生产状况的掌控 | 90%


def _rest_of_form(table: Table, project: Project) -> bool:
    """The rest of a form whose head ended the page before: a table on the next page with an
    indicator header but no name or department label — and no funds label either, unless the
    head ended before its funds rows."""
    if table.page is None or not project.pages or table.page != max(project.pages) + 1 or project.indicators:
        return False
    labels = {forms.match_label(c) for row in table.rows[:4] for c in row if c}
    own = {"name", "department"} | (set() if not project.amounts else {"funds", "annual_total"})
    return not labels & own and any(kpi.is_indicator_header(row) for row in table.rows[:12])


def _form_unit(form: Table) -> str | None:
    """The money unit a form's label cells declare: '项目资金（元）', '专项资金情况（万元）'."""
    for row in form.rows[:12]:
        for cell in row:
            text = squash(cell)
            if text.startswith("项目资金") and declared_unit(cell):
                return declared_unit(cell)
            match = _LABEL_UNIT.search(text)
            if match:
                return match.group(1)
    return None


def _is_target_form(table: Table) -> bool:
    labels = Counter(forms.match_label(c) for row in table.rows[:14] for c in row if c)
    return (labels["name"] + labels["department"] + labels["basis"] + labels["overview"] + labels["funds"]) >= 2


_PROSE_CELL = re.compile(r"[，。；,;]")  # a sentence, not a line name (二十三、灾害防治及应急管理支出)


def _project_texts(projects: list[Project]) -> list[str]:
    """The texts projects already carry (goals, overviews, bases, indicators), squashed."""
    texts = []
    for p in projects:
        texts += [squash(t) for t in (p.goal_annual, p.goal_period, p.overview, p.basis, p.purpose, p.necessity,
                                      p.measures, p.plan) if t]
        texts += [squash(f"{i.name}{i.target.text if i.target else ''}") for i in p.indicators]
    return texts


def _prose_cells(table: Table) -> list[Paragraph]:
    """Text cells of a table that are prose (a goal, a reason, a note), each with its row's label
    (年度总体目标：…) and page, once per table."""
    out: dict[str, Paragraph] = {}
    for r, row in enumerate(table.rows):
        label = squash(next((c for c in row if c.strip()), ""))
        for cell in row:
            text = squash(cell)
            if len(text) < 15 or not _PROSE_CELL.search(text) or len(re.findall(r"[\u4e00-\u9fff]", text)) < 10:
                continue
            named = label and label != text and len(label) <= 16 and re.search(r"[\u4e00-\u9fff]", label)
            said = f"{label}：{text}" if named else text
            out.setdefault(text, Paragraph(said, table.row_pages[r], table.row_lines[r]))
    return list(out.values())


def _is_project_list(table: Table) -> bool:
    for row in table.rows:
        cells = {squash(c) for c in row}
        if "项目名称" in cells and ({"项目本年度预算", "项目总预算"} & cells):
            return True
    return False
