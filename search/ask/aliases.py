"""Unit names written with an alias or a qualifier in brackets (上海市财政科学研究所（市财务会计综合
管理事务中心）, 西安市统计局本级（不含下属中心）): the bracket belongs to the unit before it, and a
learned form that closes a bracket it never opened (中心〕) is a fragment, not a name."""
from __future__ import annotations

from kg.graph.entities import Mention


def bracketed_after(text: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """The bracket right after a named unit (上海市财政科学研究所（市财务会计综合管理事务中心）,
    西安市统计局本级（不含下属中心）): an alias or a qualifier of that unit, naming no other."""
    spans = []
    for mention in mentions:
        start = mention.end + 2 * (text[mention.end:mention.end + 2] == "本级")
        if text[start:start + 1] == "〔":
            close = text.find("〕", start)
            if close > start:
                spans.append((start, close + 1))
    return spans


def balanced(form: str) -> bool:
    """A form with a closing bracket it never opened (中心〕) is a fragment, not a name."""
    depth = 0
    for char in form:
        depth += (char == "〔") - (char == "〕")
        if depth < 0:
            return False
    return depth == 0
