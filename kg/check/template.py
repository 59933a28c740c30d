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


# the 国有资产占用情况 paragraph of the national templates counts equipment above fixed unit values:
# 单价50万元（含）以上通用设备, 单价100万元（含）以上专用设备 (budgets: 单价100万元（含）以上设备;
# some provinces: 20万元, 200万元)
_THRESHOLD = re.compile(r"(?:单价|单位价值|价值|购置)(?P<v>\d+(?:\.\d+)?)万元[（(]?含?[)）]?以上的?[\u4e00-\u9fff]{0,4}?设备")
_TEMPLATE_VALUES = {"20", "50", "100", "200"}


@rule("template.threshold", "资产情况中设备的单价口径为公开模板规定的数额（50万元通用设备、100万元专用设备等）")
def thresholds(report: Report) -> Iterator[Finding]:
    for section in report.sections:
        for paragraph in section.paragraphs:
            text = squash(paragraph.text)
            for match in _THRESHOLD.finditer(text):
                if match.group("v") not in _TEMPLATE_VALUES:
                    excerpt = text[max(0, match.start() - 15):match.end() + 15]
                    yield Finding("template.threshold", "warning",
                                  f"第{paragraph.page}页资产情况的设备口径写作“{match.group(0)}”，公开模板为单价50万元或"
                                  f"100万元（含）以上：“{excerpt}”",
                                  [Side("说明", None, paragraph.page, paragraph.line, excerpt)], entity=excerpt)
