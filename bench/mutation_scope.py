"""What the mutation bench does not plant, because no reading of the report itself could tell.

Each helper answers for one operator of ``bench/check_mutations.py`` whether a candidate change
would leave a report that is still consistent with itself; the reasons are given beside each.
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from kg.extract.layout import RawDocument, Table, TextLine

_AMOUNT = re.compile(r"(?<![\d.,])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?=\s*(?:亿元|万元|元))")
_PERCENT = re.compile(r"(?<![\d.,])(\d+(?:\.\d+)?)(?=\s*[%％])")


# -- what no reader of the report could check ---------------------------------------------
#
# A change stated as its size alone (``培训费预算支出709.8万元，比上年预算减少300万元``) names a
# figure of last year's report: when the sentence gives no rate, and neither the size nor the
# previous figure it implies (709.8 + 300) is printed anywhere else in the report, changing the
# size — or turning 减少 into 增加 — leaves a report that is consistent with itself. Such mutants
# are not planted: they measure what the report cannot show, not what the checks miss. Nor is a
# change of nothing (增加0万元, 增长0%) turned: 减少0万元 states the same figures.

_NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")
_DIRECTION_BEFORE = re.compile(r"(?:增加|减少|增长|下降|上升|降低|大于|小于|高于|低于)了?(?:为)?\s*$")
_FIGURE_AFTER = re.compile(r"^了?(?:为)?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(亿元|万元|元|[%％])")
_CURRENT_BEFORE = re.compile(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?:亿元|万元|元)[，,]?\s*(?:比|较|与|同)[^，。；\d%]{0,24}?$")
_UP = ("增加", "增长", "上升", "大于", "高于")


def printed_values(doc: RawDocument) -> Counter:
    """How often each number is printed in the report, text and tables."""
    texts = [block.text for block in doc.blocks if isinstance(block, TextLine)] + \
        [cell for block in doc.blocks if isinstance(block, Table) for cells in block.rows for cell in cells]
    return Counter(Decimal(n.replace(",", "")) for text in texts for n in _NUMBER.findall(text))


def single_sourced(text: str, word: re.Match, printed: Counter) -> bool:
    """The change after ``word`` is stated by its size alone and nothing else in the report
    restates the size or the previous figure it implies (see above)."""
    figure = _FIGURE_AFTER.match(text[word.end():])
    if figure is None or figure.group(2) in "%％":
        return False
    sentence_end = min([i for i in (text.find(m, word.end()) for m in "。；;") if i != -1], default=len(text))
    if re.search(r"[%％]", text[word.end():sentence_end]):
        return False  # a rate fixes the previous figure too
    size = Decimal(figure.group(1).replace(",", ""))
    if printed[size] > 1:
        return False
    current = _CURRENT_BEFORE.search(text[:word.start()])
    if current:
        value = Decimal(current.group(1).replace(",", ""))
        sign = 1 if word.group(0).rstrip("了为") in _UP else -1
        if printed[value - sign * size] or printed[value + sign * size]:
            return False
    return True


def stated_once_alone(text: str, start: int, printed: Counter) -> bool:
    """The amount at ``start`` is printed nowhere else in the report, text or tables, and its
    sentence states no other amount or rate: nothing restates it or derives from it
    (``学校科研经费总量达到36.9亿元``), so no reading of the report can tell it was changed."""
    number = re.match(r"[\d,]+(?:\.\d+)?", text[start:]).group(0)
    if printed[Decimal(number.replace(",", ""))] > 1:
        return False
    begin = max(text.rfind(mark, 0, start) for mark in "。；;") + 1
    ends = [i for i in (text.find(mark, start) for mark in "。；;") if i != -1]
    sentence = text[begin:start] + text[start + len(number):min(ends, default=len(text))]
    return not (_AMOUNT.search(sentence) or _PERCENT.search(sentence))


# A year in the reason given for a change (主要原因是2026年编制预算的人数增加), or the year that
# opens the name of a project or a fund (2022年省级财政零工市场奖励金50万元, 2022年医疗卫生机构能力
# 提升省级补助资金项目) belongs to that cause or that name: the report states nothing it must agree
# with, so turning it is not an error any reading of the report could find; it is not planted.
_REASON_BEFORE = re.compile(r"原因|主要是|主要为|由于|因为|用于")
_NAMED = re.compile(r"^年度?[^，。；;、：:\d]{2,30}?(?:资金|项目|经费|补助|奖励金|专项|工作|费)")


def own_year_of_something_else(text: str, match: re.Match) -> bool:
    begin = max(text.rfind(mark, 0, match.start()) for mark in "。；;") + 1
    if _REASON_BEFORE.search(text[begin:match.start()]):
        return True
    after = text[match.end(1):]
    return bool(_NAMED.match(after)) and not re.match(r"^年度?(?:部门|单位|本级)?(?:预算|决算|收入|支出|财政拨款|一般公共|政府性基金|“?三公)", after)
