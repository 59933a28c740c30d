"""Performance indicators (绩效指标) named the way people ask for them.

A question such as ``杭州市气象局气象设施维护及科普项目的站点维护数量目标是多少个`` names a
project and, in its own words, one of the project's indicators (``维护站点数量``). The
indicator is found by the character pairs it shares with the question once the project's and
unit's names are taken out; pairs every indicator question carries (指标, 目标, 数量 …) do not
count. ``哪些满意度指标`` asks for the indicators of one type (产出/效益/满意度/成本 and
their second-level kinds).
"""
from __future__ import annotations

import re

from kg.graph.entities import normalise

# pairs of characters that say "an indicator is asked for", not which one
_GENERIC = {"项目", "目标", "指标", "数量", "多少", "年度", "绩效", "要求", "达到", "计划", "完成", "实际", "情况", "是多",
            "少个", "标值", "目值", "标是", "值是", "多少", "几个", "设置", "设定", "定的", "的目", "的指", "里的", "中的",
            "预算", "经费", "资金", "专项", "工作", "业务"}
TYPE_WORDS = ("满意度", "产出", "效益", "成本", "数量", "质量", "时效", "社会效益", "经济效益", "生态效益", "可持续影响",
              "服务对象满意度")
ASKS_INDICATOR = re.compile(r"指标(?!表)|目标值|目标是|目标为|目标要|目标定|目标设|绩效目标(?!表)|实际完成|完成值|实际值|实现值|要达到|达到多少|"
                            r"(?:不低于|不少于)(?!\d+(?:\.\d+)?\s*(?:万|亿)?元)")  # 不低于150万元的项目: a filter on money
ASKS_MONEY = re.compile(r"预算|多少钱|资金|拨款|万元|金额|经费是多少|安排了多少")
_TYPE_QUESTION = re.compile(r"(哪些|哪几个|哪几项|什么|几个|几项|多少个|多少项)[^，。？?]{0,6}?(" + "|".join(TYPE_WORDS) + r")(类)?指标|"
                            r"(" + "|".join(TYPE_WORDS) + r")(类)?指标(有哪些|是哪些|有几个|有多少|有哪几[项个条]?|是哪几[项个条]?|包括哪些|有几项)")


ASKS_WEIGHT = re.compile(r"权重|分值|占(?:多少|几)分|(?:多少|几)分的?(?:权重|分值)|满分")  # the points an indicator carries

def pairs(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", " ", normalise(text))
    out = set()
    for word in chars.split():
        out |= {word[i:i + 2] for i in range(len(word) - 1)}
    return out - _GENERIC


def asked_type(question: str) -> str | None:
    """The indicator type a question lists (``设了哪些满意度指标`` → 满意度)."""
    match = _TYPE_QUESTION.search(normalise(question))
    if not match:
        return None
    return next(g for g in match.groups() if g and g not in ("哪些", "哪几个", "哪几项", "什么", "几个", "几项", "多少个",
                                                            "多少项", "类")
                and not g.startswith(("有", "是", "包括")))


def best_indicators(rest: str, rows: list[dict], minimum: int = 2, named: tuple[str, ...] = ()) -> list[dict]:
    """The indicator rows sharing most character pairs with ``rest`` (at least ``minimum``); ties all.
    The question's years are no words of an indicator (2022年 would match an indicator named 2022年),
    and neither are the words of the projects it names (``named``: 省级百岁老人慰问经费项目，慰问的…
    老人数量 asks the 数量 indicator, not the one that repeats 省级) — unless nothing else is left."""
    wanted = pairs(re.sub(r"(?:19|20)\d{2}年度?", " ", normalise(rest)))
    own = set().union(*(pairs(normalise(n)) for n in named)) if named else set()
    if own and wanted - own:
        narrowed = _best(wanted - own, rest, rows, minimum)
        if not narrowed:  # one pair fewer is enough when it singles out one indicator (…老人数量: 人数)
            loose = _best(wanted - own, rest, rows, max(1, minimum - 1))
            narrowed = loose if len(loose) == 1 else []
        return narrowed or _best(wanted, rest, rows, minimum)
    return _best(wanted, rest, rows, minimum)


def _best(wanted: set[str], rest: str, rows: list[dict], minimum: int) -> list[dict]:
    if not wanted:
        return []
    scored = []
    for row in rows:
        name_pairs = pairs(row.get("indicator_name") or "")
        shared = len(wanted & name_pairs)
        whole = normalise(row.get("indicator_name") or "") in normalise(rest)
        scored.append((shared + (2 if whole else 0), row))
    top = max((s for s, _ in scored), default=0)
    if top < minimum:
        return []
    return [row for s, row in scored if s == top]


def of_type(kind: str, rows: list[dict]) -> list[dict]:
    return [r for r in rows if kind in (r.get("level1") or "") or kind in (r.get("level2") or "")]


_CORE = re.compile(r"(?P<not>非|不是|不属于|不为|没有标为|未标为|未列为)?核心指标")


def core_asked(question: str) -> bool | None:
    """哪些是核心指标 → True, 哪些被标为非核心指标 / 不是核心指标 → False, no such word → None."""
    found = _CORE.search(normalise(question))
    return None if found is None else not found.group("not")


def keep_core(rows: list[dict], wanted: bool) -> list[int]:
    """The indices of the indicator rows whose 是否核心指标 is ``wanted``, when the form printed the
    column for any of them (else every row: the question cannot pick by it)."""
    flagged = [i for i, r in enumerate(rows) if r.get("核心指标") is not None]
    if not flagged:
        return list(range(len(rows)))
    return [i for i in flagged if (rows[i]["核心指标"] == "是") == wanted]
