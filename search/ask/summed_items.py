"""The items a question adds up (“三公”经费、会议费和培训费三项加起来): where the list is, what is no
item of it (the table it names once after the last item, the items it leaves out, the table the
sum is read from), and where two pieces joined by 和/及/与 are one table line's name."""
from __future__ import annotations

import functools
import re

from kg.graph.entities import normalise

SUM_OF_ITEMS = re.compile(r"(?P<items>[^。？?]+?)(?:[两二三四五六七八九十几]项)?(?:加起来|加在一起|合计|共计|一共|总共|总和|之和|"
                           r"共有(?=多少))")
"""A sum asked of items listed before its word (会议费和培训费合计, 两项加起来, 共有多少)."""

# the table a list names once after its last item, of every item (小学教育和高中教育两项财政拨款支出合计)
SHARED_TABLE = re.compile(r"的?(?:财政拨款|一般公共预算(?:财政拨款)?)(?:支出|收入)?(?:预算|决算)?(?:数|额)?$")
_SHARED_QUALIFIER = re.compile(r"(?:这?[两二三四五六七八九十几]项)?" + SHARED_TABLE.pattern + "|"
                               r"这?[两二三四五六七八九十几]项的?(?:支出|收入)?(?:预算|决算)?(?:数|额)?$")


_LEFT_OUT = re.compile(r"不算|不含|不包括|除|剔除|扣除|去掉|以外")
_SUM_CONTEXT = re.compile(r"^[^、和及与（(〔]*?(?:收入|支出|预算|决算|表)(?:中|里|里面|当中)的?")


def summed_items(rest: str, line_names: frozenset[str] = frozenset()) -> list[str]:
    """The figures a sum names one by one (“三公”经费、会议费和培训费三项加起来), or []; two joined by
    和/及/与 that together name a table line (灾害防治及应急管理支出一共多少) are that one line."""
    match = SUM_OF_ITEMS.search(rest)
    if not match:
        return []
    listed = _SHARED_QUALIFIER.sub("", re.split(r"[，,]", match.group("items"))[-1])
    bracketed = re.search(r"[（(〔]([^）)〕]+)[）)〕]$", listed)  # 非财政拨款资金（单位资金加上年结转）: the items it names
    if bracketed and _LEFT_OUT.match(bracketed.group(1)):  # “三公”经费（不算会议费和培训费）: none of them
        listed, bracketed = listed[:bracketed.start()], None
    listed = _SUM_CONTEXT.sub("", bracketed.group(1) if bracketed else listed)  # 预算收入中单位资金和上年结转: not the table
    pieces = re.split(r"(、|和|及|与|以及|加上(?!年)|加)", listed)
    merged = pieces[:1]
    for join, piece in zip(pieces[1::2], pieces[2::2]):
        whole = re.sub(r"支出$", "", normalise(merged[-1].split("的")[-1] + join + piece))
        if join in "和及与" and line_names and ({whole, whole + "支出"} & bare_lines(line_names)):
            merged[-1] += join + piece
        else:
            merged.append(piece)
    items = [re.sub(r"(?:预算|决算|支出|安排)+(?:数|额)?$", "", re.sub(r"^(?:(?:19|20)\d{2}年度?)?(?:的|中|里)?", "", x.strip()))
             for x in merged]  # 2026年会议费和培训费预算: 会议费, 培训费
    items = [i for i in items if i]
    return items if len(items) >= 2 and all(len(i) >= 2 for i in items) else []


@functools.lru_cache(maxsize=4)
def bare_lines(line_names: frozenset[str]) -> frozenset[str]:
    """Table line names without their codes or numbering (23、灾害防治及应急管理), normalised."""
    return frozenset(normalise(re.sub(r"^[\d一二三四五六七八九十]+[、.．]|^\d{3,7}", "", n)) for n in line_names)


def names_one_line(rest: str, line_names: frozenset[str]) -> bool:
    """The question names a table line (灾害防治及应急管理支出), six characters or more, of the store's."""
    return any(len(line) >= 6 and line in rest for line in bare_lines(line_names))
