"""The 预算单位 a department's report covers (部门预算单位构成), as the report lists them.

The national template states them in its first part, either as a sentence
(``纳入本部门2019年部门汇总预算编制范围的预算单位共计3家，具体包括：江苏省人民检察院本级、
南京铁路运输检察院、徐州铁路运输检察院。``) or as a small table under such a sentence
(``序号 | 单位名称 [| 拟变动情况]``). The department's own part is its 本级, printed
``X本级``, ``X(本级)`` or ``X（机关）``; it is named ``X（本级）`` here, as in tables by unit.
"""
from __future__ import annotations

import re

from kg.extract.layout import Table
from kg.extract.names import normalise_unit, own_part
from kg.extract.normalize import squash

_LISTED = re.compile(r"(?:预算单位|单位)[^。]{0,60}?包括[:：]\s*(?P<list>[^。；]+)[。；]")
_UNIT_END = re.compile(r"(局|委员会|委|厅|院|中心|办公室|办|所|站|队|大学|学院|学校|医院|馆|会|室|部|处|科|本级|[）)])$")
_OWN = re.compile(r"^(?P<base>.+?)(?:[（(〔]?(?:本级|机关)[）)〕]?|本级[（(〔]机关[）)〕])$")
_COUNT_WORDS = re.compile(r"共(?:计|有)?\s*\d+\s*(?:家|个)")


def members_from_text(text: str) -> list[str]:
    """Units listed after ``…预算单位…包括：`` in a sentence that counts or scopes them."""
    flat = squash(text)
    if not ("编制范围" in flat or _COUNT_WORDS.search(flat) or "预算单位构成" in flat):
        return []
    match = _LISTED.search(flat)
    if not match:
        return []
    items = [item.strip() for item in re.split(r"[、，,]", match.group("list")) if item.strip()]
    names = [_named(item) for item in items]
    return names if names and all(n and _UNIT_END.search(n) and len(n) >= 4 for n in names) else []


def is_member_table(table: Table, above: str) -> bool:
    """A ``序号 | 单位名称`` table under a sentence about the 预算单位 (no money columns)."""
    if not re.search(r"预算单位|编制范围|单位构成", squash(above)):
        return False
    header = [squash(c) for c in table.rows[0]] if table.rows else []
    return "单位名称" in header and all(h in ("", "序号", "单位名称", "拟变动情况", "单位性质", "备注") for h in header)


def members_from_table(table: Table) -> list[str]:
    header = [squash(c) for c in table.rows[0]]
    column = header.index("单位名称")
    names = []
    for row in table.rows[1:]:
        name = _named(row[column] if column < len(row) else "")
        if name and len(name) >= 4:
            names.append(name)
    return names


def _named(text: str) -> str:
    raw = squash(text)
    own = _OWN.match(raw)
    return own_part(own.group("base")) if own else normalise_unit(raw)
