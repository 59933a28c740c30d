"""绩效指标 (KPIs): target values and the indicator block of performance forms."""
from __future__ import annotations

import re
from decimal import Decimal

from kg.extract.amounts import parse_number
from kg.extract.normalize import squash
from kg.model import Indicator, Target

_COMPARATORS = [
    ("≥", r"≥|>=|＞=|大于等于|不低于|不少于|不小于|至少"),
    ("≤", r"≤|<=|＜=|小于等于|不高于|不超过|不多于|不大于|至多"),
    (">", r">|＞|大于|高于|超过|多于"),
    ("<", r"<|＜|小于|低于|少于"),
    ("=", r"=|＝|等于"),
    ("≈", r"约|≈"),
]
_CMP = "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(_COMPARATORS))
_TARGET = re.compile(rf"^(?:{_CMP})?\s*(?P<num>-?\d+(?:\.\d+)?)\s*(?P<unit>.*)$")
_KNOWN_UNITS = {"万元", "亿元", "平方米", "立方米", "万人", "人次", "万人次", "台套", "台(套)", "台（套）", "公里",
                "千米", "个百分点", "元/人月", "元/人/月", "元/月", "元/天", "元/人", "元/人·月", "元/人天", "万份"}
_SHORT_UNIT = re.compile(r"^(?:%|‰|[\u4e00-\u9fff]{1,2}|[A-Za-z]{1,4}|[\u4e00-\u9fff]{1,2}/[\u4e00-\u9fff]{1,3})$")

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
# standard 二级指标 (prefix) → 一级指标
LEVEL2_PARENT = {
    "经济成本": "成本指标", "社会成本": "成本指标", "生态环境成本": "成本指标", "生态成本": "成本指标",
    "数量": "产出指标", "质量": "产出指标", "时效": "产出指标", "成本": "产出指标",
    "经济效益": "效益指标", "社会效益": "效益指标", "生态效益": "效益指标", "可持续": "效益指标",
    "服务对象满意度": "满意度指标", "满意度": "满意度指标",
}
_LEVEL2 = re.compile(r"^(经济成本|社会成本|生态(环境)?成本|数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续(影响|性|发展)*(影响)?|服务对象满意度|满意度)(指标?|指)?$")


def parse_target(text: str | None) -> Target | None:
    """'≥98%' → Target('≥98%', '≥', 98, '%'); free text keeps only ``text``."""
    if text is None:
        return None
    raw = text.strip()
    if not raw:
        return None
    compact = squash(raw)
    match = _TARGET.match(compact)
    if match:
        unit = match.group("unit")
        if unit == "" or unit in _KNOWN_UNITS or _SHORT_UNIT.match(unit):
            comparator = next((_COMPARATORS[i][0] for i in range(len(_COMPARATORS)) if match.group(f"c{i}")), None)
            return Target(raw, comparator, Decimal(match.group("num")), unit or None)
    return Target(raw)


def level2_name(cell: str) -> str | None:
    text = squash(cell)
    return text if _LEVEL2.match(text) else None


_POINTS = re.compile(r"(?:[（(]\d+(?:\.\d+)?分[)）]|(?<=指标)\d+(?:\.\d+)?分?)$")  # 产出指标（50分） | 产出指标50


def level1_name(cell: str) -> str | None:
    """'产出指标' — also printed with its points, '产出指标（50分）'."""
    text = _POINTS.sub("", squash(cell))
    return text if text in LEVEL1 and text != "成本指标" else None


def parent_of(level2: str | None) -> str | None:
    if not level2:
        return None
    for prefix, parent in LEVEL2_PARENT.items():
        if level2.startswith(prefix):
            return parent
    return None


# header cell → field of an indicator group
_FIELDS = [
    ("name", r"^(三级指标|指标名称|指标内容|绩效指标名称)$"),
    ("adjusted", r"^调整后指标值$"),
    ("actual", r"^(实际完成值|实际完成情况|完成值)$"),
    ("weight", r"^(?:指标)?(?:分值|权重|分值权重|权重分值)(?:[（(](?:\d+(?:\.\d+)?分?|%)[)）])?$"),  # 分值（90）: all rows' points
    ("score", r"^得分$"),
    ("deviation", r"^偏差原因"),
    ("standard", r"^(指标值确定依据|绩效标准|评价标准)$"),
    ("core", r"^是否(?:为)?核心(?:指标)?$"),
    ("history", r"^(近两年指标值|\d{4}年)$"),
    ("target", r"^(年初指标值|年度指标值|全年指标值|指标值|预期当年实现值|目标值|年度目标值)$"),
    ("comparator", r"^(指标值类型|指标性质)$"),  # ≥ | 80 | %: the target printed in three columns (长沙)
    ("measure", r"^(计量单位|度量单位)$"),
]
_FIELD_PATTERNS = [(f, re.compile(p)) for f, p in _FIELDS]
_ROW_LABELS = re.compile(r"^(绩效指标|长期绩效(目标|指标)|年度绩效(目标|指标)|年度绩效目标表)$")


def header_layout(header: list[str]) -> list[list[str]]:
    """Indicator groups of a header row: one list of field names per 二级指标 column."""
    groups: list[list[str]] = []
    for cell in header:
        text = squash(cell)
        if text == "二级指标":
            groups.append([])
            continue
        if not groups:
            continue
        for field, pattern in _FIELD_PATTERNS:
            if pattern.search(text):
                groups[-1].append(field)
                break
    return [g for g in groups if "name" in g] or [["name", "target"]]


_FLAT_FIELDS = [
    ("name", re.compile(r"^(指标名称|三级指标|绩效指标名称)$")),
    ("comparator", re.compile(r"^(指标性质|指标值类型|符号)$")),
    ("value", re.compile(r"^(指标值|目标值)$")),
    ("unit", re.compile(r"^(计量单位|度量单位|单位)$")),
    ("weight", re.compile(r"^(指标权重|权重|分值)(?:[（(]%[)）])?$")),
    ("core", re.compile(r"^是否(?:为)?核心(?:指标)?$")),
]


def core_flag(cell: str | None) -> bool | None:
    """是否核心指标 as printed: 是 → True, 否 → False, anything else → None."""
    text = squash(cell or "")
    return True if text in ("是", "√", "Y") else False if text in ("否", "×", "N") else None


def flat_layout(row: list[str]) -> dict[str, int] | None:
    """Indicator columns without 一级/二级 levels (指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重)."""
    if any(squash(c) == "二级指标" for c in row):
        return None
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        for field, pattern in _FLAT_FIELDS:
            if field not in found and pattern.match(squash(cell)):
                found[field] = i
                break
    return found if "name" in found and len(found) >= 3 else None


def parse_flat_rows(rows: list[list[str]], layout: dict[str, int], pages: list[int | None],
                    lines: list[int | None]) -> list[Indicator]:
    out: list[Indicator] = []
    get = lambda row, f: row[layout[f]].strip() if f in layout and layout[f] < len(row) else ""  # noqa: E731
    for row, page, line in zip(rows, pages, lines):
        name = get(row, "name")
        if not name or name == "指标名称":
            continue
        text = get(row, "comparator") + get(row, "value") + get(row, "unit")
        out.append(Indicator(level1=None, level2=None, name=clean_name(name), target=parse_target(text) if text else None,
                             weight=parse_number(get(row, "weight")), core=core_flag(get(row, "core")),
                             page=page, line=line))
    return out


def is_indicator_header(row: list[str]) -> bool:
    cells = {squash(c) for c in row}
    return "一级指标" in cells and ("二级指标" in cells)


_ENUMERATED = re.compile(r"^指标\s*\d{1,2}\s*[：:．.、]\s*(?=\S)")
_STRAY_DIGITS = re.compile(r"^\d{1,3}(?=[\u4e00-\u9fff])(?![年月日个名人项次号元万])")


def clean_name(text: str) -> str:
    """Undo export artefacts in indicator names: a form's numbering ('指标4：新增中文纸质图书'), stray
    leading digits ('9法律服务费用') and a name printed again after itself ('零就业家庭帮扶率零就业家庭帮扶')."""
    text = _STRAY_DIGITS.sub("", _ENUMERATED.sub("", squash(text)))
    for size in range(4, len(text) - 3):
        head = text[:size]
        if (head * (len(text) // size + 1)).startswith(text):
            return head
    return text


def header_boundaries(header: list[str]) -> list[int]:
    """Column index where each indicator group starts (its 二级指标 column)."""
    return [i for i, cell in enumerate(header) if squash(cell) == "二级指标"]


def parse_indicator_rows(rows: list[list[str]], layout: list[list[str]], scopes: list[str],
                         pages: list[int | None], lines: list[int | None],
                         level1: str | None = None, boundaries: list[int] | None = None) -> list[Indicator]:
    """Read indicator rows (cells may be shifted) into ``Indicator`` records.

    Each row is read as a token stream: 一级 names set the level-1 context, a 二级 name opens
    a group, the following cells fill the group's fields in order (name, target, …). A row
    without 二级 names continues the groups of the row above; which group (实施期 or 年度
    half) a run of cells belongs to follows from where it starts in the row.
    """
    found: list[Indicator] = []
    current_l2: list[str | None] = [None] * len(layout)
    for row, page, line in zip(rows, pages, lines):
        groups: list[tuple[str | None, list[str], int]] = []  # (level2, values, start column)
        for column, cell in enumerate(row):
            if not cell or _ROW_LABELS.match(squash(cell)):
                continue
            if level1_name(cell) or _cost_level1(row, column):
                level1 = squash(cell)
                continue
            l2 = level2_name(cell)
            opened = groups[-1] if groups else None
            name_like_l2 = opened is not None and opened[0] and not opened[1] and l2 != opened[0]
            if l2 and not name_like_l2:
                groups.append((l2, [], column))
                continue
            slot_size = len(layout[min(len(groups) - 1, len(layout) - 1)]) if groups else len(layout[0])
            if opened is None or len(opened[1]) >= slot_size:
                groups.append((None, [cell], column))
            else:
                opened[1].append(cell)
        if _is_wrapped_tail(groups, found):
            found[-1].name += squash(groups[0][1][0])
            continue
        slots = _assign_slots(groups, layout, boundaries)
        row_l2 = {tuple(values[:1]): l2 for _, (l2, values, _) in slots if l2 and values}
        for slot, (l2, values, _) in slots:
            l2 = l2 or row_l2.get(tuple(values[:1]))  # the other half of the row names it
            if l2:
                current_l2[slot] = l2
            record = dict(zip(layout[slot], values))
            name = record.get("name")
            if not name:
                continue
            group_l2 = current_l2[slot]
            found.append(Indicator(
                level1=parent_of(group_l2) or level1, level2=group_l2, name=clean_name(name),
                target=parse_target(_split_target(record)), adjusted_target=parse_target(record.get("adjusted")),
                actual=parse_target(record.get("actual")), weight=parse_number(record.get("weight")),
                score=parse_number(record.get("score")), deviation=record.get("deviation"),
                standard=record.get("standard"), core=core_flag(record.get("core")),
                scope=scopes[min(slot, len(scopes) - 1)], page=page, line=line))
    return found


_COMPARATOR = re.compile(r"^(?:[≥≤=＝<>＜＞]|>=|<=|大于等于|小于等于|大于|小于|等于)$")
_MEASURE = re.compile(r"^[^\d\s，。；,;、：:-]{1,5}$")


def _split_target(record: dict[str, str]) -> str | None:
    """The target of a row printing it in columns (≥ | 80 | %): joined when the comparator is one
    (a 定性 row's cells run on into the 指标解释, whose text is no unit)."""
    target = record.get("target")
    comparator = squash(record.get("comparator") or "")
    if target is None or not _COMPARATOR.match(comparator):
        return target
    measure = squash(record.get("measure") or "")
    return f"{comparator}{squash(target)}{measure if _MEASURE.match(measure) else ''}"


def _cost_level1(row: list[str], column: int) -> bool:
    """成本指标 is a 一级指标 in the templates whose 二级 are 经济/社会/生态环境成本指标."""
    if squash(row[column]) != "成本指标":
        return False
    following = next((c for c in row[column + 1:] if c.strip()), "")
    return parent_of(level2_name(following)) == "成本指标"


def _is_wrapped_tail(groups: list, found: list[Indicator]) -> bool:
    """A lone short cell under a long name: the rest of that name, wrapped onto a new row."""
    if len(groups) != 1 or groups[0][0] is not None or len(groups[0][1]) != 1 or not found:
        return False
    tail = squash(groups[0][1][0])
    previous = found[-1]
    return len(tail) <= 10 and len(previous.name) >= 8 and not re.search(r"[\d%]", tail) \
        and not previous.name.endswith(("。", "；")) and previous.target is not None


def _assign_slots(groups: list[tuple[str | None, list[str], int]], layout: list[list[str]],
                  boundaries: list[int] | None) -> list[tuple[int, tuple[str | None, list[str], int]]]:
    """Which layout group (实施期 / 年度) each run of cells fills."""
    if len(layout) == 1:
        return [(0, g) for g in groups[:1]] + [(0, g) for g in groups[1:] if g[0]]
    if len(groups) >= len(layout):
        return list(enumerate(groups[: len(layout)]))
    out = []
    used: set[int] = set()
    for group in groups:
        slot = 0
        if boundaries and len(boundaries) > 1:
            slot = 1 if group[2] >= boundaries[1] - 1 else 0
        elif out:
            slot = out[-1][0] + 1
        if slot in used:
            slot = min(slot + 1, len(layout) - 1)
        used.add(slot)
        out.append((slot, group))
    return out


# 1、2－效益指标，23－生态效益，名称；实施周期指标值：是，年度指标值：是；  (indicators written out in one cell)
_WRITTEN = re.compile(r"(?:^|(?<=[；;。]))\s*\d{1,2}[、.．]\s*\d\s*[－\-—]\s*(?P<level1>[\u4e00-\u9fff]{2,6}指标)\s*[，,]\s*"
                      r"\d{2}\s*[－\-—]\s*(?P<level2>[^，,；;]{2,12})\s*[，,]\s*(?P<name>[^。]+?)\s*[；;。]?\s*"
                      r"(?:实施周期指标值[:：》]?\s*(?P<period>.*?)[，,。]?\s*)?年度指标值[:：]?\s*"
                      r"(?P<annual>[^；;]*?)(?=[；;]|\d{1,2}[、.．]\s*\d\s*[－\-—]|$)")


def parse_written(text: str | None, page: int | None = None, line: int | None = None) -> list[Indicator]:
    """Indicators written out in one cell of a project table (Guangzhou's 绩效指标 column): each
    ``n、一级－…指标，二级－…，name；实施周期指标值：X，年度指标值：Y``; the annual target is the one kept."""
    out: list[Indicator] = []
    for match in _WRITTEN.finditer(squash(text or "")):
        annual = match.group("annual").strip()
        out.append(Indicator(level1=match.group("level1"), level2=match.group("level2").strip(),
                             name=match.group("name").strip(), target=parse_target(annual), scope="annual",
                             page=page, line=line))
    return out
