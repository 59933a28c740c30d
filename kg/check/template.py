"""Template leftovers: placeholders (XX, ××, 某某, ＊＊, 20XX年) printed where the template
expected a name, a number or a year, in headings, table titles, the lines printed above
tables (编制单位：XX) and prose."""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.check.base import Finding, Side, rule
from kg.check.dates import titles
from kg.extract.normalize import squash
from kg.model import Report

_PLACEHOLDER = re.compile(
    r"(?:19|20)[\dXxＸｘ]?[XxＸｘ]{1,2}年"  # 20XX年, 202X年
    r"|(?<![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])[XxＸｘ]{2,}(?:(?![A-Za-z0-9Ａ-Ｚａ-ｚ０-９])|(?=(?:19|20)\d{2}年))"  # XX局, XX万元,
    # XXX2019年度 (a name before a year); not inside Latin words or model numbers (DS-XX200, XXL)
    r"|(?<![\d０-９])[×╳]{2,}(?:(?![\d０-９])|(?=(?:19|20)\d{2}年))"
    r"|某某"
    r"|＊{2,}"
)


def _places(report: Report):
    yield from titles(report)
    for caption in report.captions:  # the lines above tables: 编制单位：XX, 部门名称：××
        yield "表头", caption.text, caption.page, caption.line
    for section in report.sections:
        for paragraph in section.paragraphs:
            yield "说明", paragraph.text, paragraph.page, paragraph.line


@rule("template.placeholder", "报告中没有留下模板占位符（XX、××、某某、＊＊）")
def placeholders(report: Report) -> Iterator[Finding]:
    for what, text, page, line in _places(report):
        text = squash(text)
        for match in _PLACEHOLDER.finditer(text):
            start, end = max(0, match.start() - 15), match.end() + 15
            excerpt = text[start:end]
            yield Finding("template.placeholder", "error",
                          f"第{page}页{what}中留有模板占位符“{match.group(0)}”：“{excerpt}”",
                          [Side(what, None, page, line, excerpt)], entity=excerpt)
