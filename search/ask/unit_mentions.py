"""Which units a question names: full names, short forms (长沙公安, 上海刑科院), a unit's 本级, and
what a short form shared by several units (气象局, 普查中心) stands for in this question.

A shared form is settled, in order, by: the one unit printed exactly so; the one unit holding a
report of a year the question names; the places the question names (深圳和杭州两个市气象局 — both;
西安市统计局下面的普查中心 — the one in 西安); a list question beside another named unit (a list,
not a name); a form that is the tail of a longer word. Whatever is still shared is ambiguous and the
question is answered with a question back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.graph.entities import Entity, Lexicon, Mention, base_name, base_units, name_parts, normalise
from search.ask.aliases import balanced, bracketed_after
from search.ask.places import ORGANISATION, places

YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?![\d.]|\s*(?:万|亿|元|%|个|人|台|辆|家|项|次|平方米))\s*(?:年度?)?")
DATE = re.compile(r"(?:截[至止]|到)?(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}日)?(?:底|末)?|底|末)")  # a date is not the report's year
_JOINED = re.compile(r"[和与、及跟]")
LIST_WORDS = re.compile(r"哪些|哪几|各(?:个|家|单位|部门|区|分局)|分别|列出|有几个|有多少个")
_PLACE_SUFFIX = re.compile(r"(?:省|市|区|县)$")


@dataclass
class NamedUnits:
    mentions: list[Mention]  # the unit mentions kept, in question order
    aliases: list[tuple[int, int]]  # brackets after a unit that only qualify it
    entities: list[Entity]  # the units meant, X（本级） with X
    ambiguous: list[str] = field(default_factory=list)  # names a shared short form may stand for
    ambiguous_form: str = ""
    parents: list[Entity] = field(default_factory=list)  # departments named as the place of named members
    own_level: set[str] = field(default_factory=set)  # units asked as X（本级）: their 单位 reports, not the 部门's


def named_units(question: str, text: str, lexicon: Lexicon, doc_spans: list[tuple[int, int]]) -> NamedUnits:
    """The units ``question`` names (``text`` is its normalised form), outside the documents it cites."""
    units = [m for m in lexicon.find(question, "unit") if not inside(m, doc_spans)]
    if not units:
        units = [m for m in lexicon.find_abbreviated(question) if not inside(m, doc_spans)]
    elif _JOINED.search(text):  # 上海刑科院和上海市财务会计综合管理事务中心: the other unit by its short form
        masked = "".join("，" if inside(Mention(None, "", i, i + 1), [(m.start, m.end) for m in units]) else c
                         for i, c in enumerate(text))
        named = {m.entity.iri for m in units}
        units += [m for m in lexicon.find_abbreviated(masked)
                  if m.entity.iri not in named and not inside(m, doc_spans)]
    aliases = bracketed_after(text, units)
    units = [m for m in units if balanced(m.form) and not inside(m, aliases)]
    units = [m for m in units if not any(o.start == m.end and o.entity.name.startswith(m.entity.name)
                                         and o.entity.name != m.entity.name for o in units)]  # 基金管理局南山分局: the member
    units = _members_by_their_tail(text, units, lexicon)
    spans: dict[tuple[int, int], list[Mention]] = {}
    for mention in units:
        spans.setdefault((mention.start, mention.end), []).append(mention)
    years_named = {int(y) for y in YEAR.findall(DATE.sub(" ", text))}
    ambiguous, ambiguous_form = [], ""
    own_levels = _own_level_owners(text, spans)
    for key, group in list(spans.items()):
        kept = base_units([m.entity for m in group], qualified=key in own_levels or None in own_levels)
        if len(kept) < len(group):
            dropped = [m for m in group if m.entity not in kept]
            units = [m for m in units if m not in dropped]
            group = spans[key] = [m for m in group if m.entity in kept]
        names = {base_name(m.entity.name) for m in group}
        exact = [m for m in group if normalise(m.entity.name) == normalise(m.form)] or \
            [m for m in group if normalise(m.form) in {normalise(p) for p in name_parts(m.entity.name)}]
        if len(names) > 1 and len({m.entity.name for m in exact}) == 1:  # 无锡学院 is not 无锡市无锡学院; 深圳城市
            units = [m for m in units if m not in group or m in exact]  # 职业学院 is 深圳城市职业学院（深圳技师学院）
            continue
        if len(names) > 1 and years_named:
            having = {r.unit for r in lexicon.reports.values() if r.year in years_named}
            kept = [m for m in group if m.entity.name in having]
            if len({m.entity.name for m in kept}) == 1:
                units = [m for m in units if m not in group or m in kept]
                continue
        placed = _placed(text, group) if len(names) > 1 else []
        if placed:  # 深圳和杭州两个市气象局: the units of the places named
            units = [m for m in units if m not in group or m in placed]
            continue
        if len(names) > 1 and LIST_WORDS.search(text) and len(spans) > 1:
            units = [m for m in units if m not in group]  # 哪些…环保所 beside a named unit: a list, not a name
        elif len(names) > 1 and _inside_a_word(text, group[0]) or len(names) == 1 and _another_units_tail(text, group[0]) \
                or _another_units_head(text, group[0]):
            units = [m for m in units if m not in group]  # 重庆水利电力职业|技术学院: the end of another name
        elif len(names) > 1:
            ambiguous, ambiguous_form = sorted(names), group[0].form
    parents = _parents_of_named(text, units)
    alone = None in own_levels and len({base_name(u.entity.name) for u in units}) == 1 and bool(_OWN_ALONE.search(text))
    own_level = {base_name(m.entity.name) for m in units if "本级" in m.form or _OWN_AFTER.match(text, m.end)
                 or alone}  # …项目表中，局本级哪些项目: the one named department's own
    by_name = lexicon.units_by_name()
    entities = [by_name.get(f"{m.entity.name}（本级）", m.entity) if _OWN_AFTER.match(text, m.end) else m.entity
                for m in units]  # 深圳市人力资源和社会保障局本级: the unit printed X（本级）
    for entity in list(entities):  # X（本级） asked: X's own reports hold its figures too
        base = base_name(entity.name)
        if base != entity.name and base in by_name:
            entities.append(by_name[base])
        for part in name_parts(entity.name)[1:]:  # 深圳城市职业学院（深圳技师学院）: the tables' 深圳技师学院 too
            if part in by_name:
                entities.append(by_name[part])
    return NamedUnits(units, aliases, dedupe(entities), ambiguous, ambiguous_form, parents, own_level)


def _members_by_their_tail(text: str, units: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """A member named after a named unit, said by the rest of its name (西南大学…由附属小学实施:
    西南大学附属小学), stands for that unit in the question."""
    out = list(units)
    for mention in units:
        members = lexicon.named_after(mention.entity.name)
        tails = {tail for _, tail in members}
        for entity, tail in members:
            said = [tail] + [tail[:-1]] * (tail.endswith("中学校") and tail[:-1] not in tails)  # 附属中学 for 附属中学校
            for form in said:
                at = text.find(form, mention.end) if len(form) >= 3 and not form.endswith("本级") else -1
                if at >= 0 and not any(m.entity.iri == entity.iri for m in out):
                    out = [m for m in out if m is not mention] + [Mention(entity, form, at, at + len(form))]
                    break
    return out


_OWN_LEVEL_GAP = re.compile(r"[（(〔]?(?:局|委|厅|院|办|部门|单位)?")
# 本级 said alone as what is asked (局本级哪些项目), not beside its members (局本级和各下属中心, 含局本级)
_OWN_ALONE = re.compile(r"(?<![含括同和及与、局委厅院办门位])(?:局|委|厅|院|办|部门|单位)?本级(?![和及与、]|以外|之外|外)")
_OWN_AFTER = re.compile(_OWN_LEVEL_GAP.pattern + "本级")  # X本级, X（本级）, X（局本级）: X's own level


def _own_level_owners(text: str, spans: dict[tuple[int, int], list]) -> set:
    """The spans a 本级 of the question follows (…、福州民政局本级: that unit's, not every named
    unit's), and None for a 本级 that follows no named unit (除去局本级后)."""
    owners: set = set()
    for found in re.finditer(r"本级", text):
        at = found.start()
        if re.search(r"(?:不含|不包括|不算|不计|排除|除|除去|除了|剔除|扣除|去掉)(?:局|委|部门|单位)?$", text[max(0, at - 5):at]):
            continue  # 不含本级, 除局本级外: the 本级 left out names no unit's own report
        if re.match(r"(?:以外|之外)", text[found.end():]):
            continue  # 本级以外收入最大的所属单位: left out too
        owner = next((key for key in spans if key[0] <= at and (at <= key[1] or _OWN_LEVEL_GAP.fullmatch(text[key[1]:at]))),
                     None)  # inside it, or right after: X本级, X（本级）, X（局本级）
        owners.add(owner)
    return owners


_UNDER = re.compile(r"(?:(?:19|20)\d{2}年度?)?的?(?:下面|下属|所属|下设|旗下)")


def _parents_of_named(text: str, mentions: list[Mention]) -> list[Entity]:
    """西安市统计局下面两个事业单位（社会经济调查中心、普查中心）: the department named before the
    members it holds — the members are what a sum asks for, the department places them."""
    parents = []
    for parent in mentions:
        under = _UNDER.match(text, parent.end)
        if under and any(m.start >= under.end() and m.entity.iri != parent.entity.iri for m in mentions):
            parents.append(parent.entity)
    return parents


def _placed(text: str, group: list[Mention]) -> list[Mention]:
    """The mentions of a shared short form whose unit's place the question names outside the form
    itself (深圳和杭州两个市气象局: 深圳市气象局 and 杭州市气象局; 西安市统计局下面的普查中心:
    西安市统计局普查中心), or none when the places named settle nothing."""
    start, end = group[0].start, group[0].end
    named = {_PLACE_SUFFIX.sub("", word) for word, at in places(text) if not start <= at < end}
    matched = {m.entity.name: {p for p in named if normalise(m.entity.name).startswith(p)} for m in group}
    kept = [m for m in group if matched[m.entity.name]]
    names = {m.entity.name for m in kept}
    if len(names) == 1 or len(names) > 1 and len(set().union(*(matched[n] for n in names))) == len(names):
        return kept
    return []


def _inside_a_word(text: str, mention: Mention) -> bool:
    """A short form whose preceding characters run on into it (职业|技术学院): the tail of a longer
    name the question prints, not a mention of the units that short form stands for."""
    before = text[max(0, mention.start - 2):mention.start]
    if normalise(mention.entity.name).startswith(before):
        return False  # 重庆|水利局: the unit's own place before its short form
    return len(before) == 2 and all("\u4e00" <= c <= "\u9fff" for c in before) and \
        not re.search(r"[的和与及、在年省市区县]", before) and normalise(mention.form) != normalise(mention.entity.name)


def _another_units_tail(text: str, mention: Mention) -> bool:
    """A short form that ends a longer name the question prints, one that starts with a place
    other than the unit's own (重庆水利电力职业|技术学院 is not 无锡城市职业技术学院; 对比省检察院 is
    江苏省人民检察院 — no place begins that run)."""
    if not _inside_a_word(text, mention):
        return False
    start = mention.start
    while start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" and text[start - 1] not in "的和与及在是对比":
        start -= 1
    found = places(text[start:mention.start])
    name = normalise(mention.entity.name)
    return bool(found) and found[0][1] == 0 and not name.startswith(_PLACE_SUFFIX.sub("", found[0][0]))


def _another_units_head(text: str, mention: Mention) -> bool:
    """A short form that runs on into a longer organisation's name the question prints (重庆水利|电力
    职业技术学院 is not 重庆市水利局): the start of another unit's name, not a mention of this one."""
    form = normalise(mention.form)
    if form == normalise(mention.entity.name) or ORGANISATION.fullmatch(form):
        return False  # 重庆市水利局, 人社局: a name that ends as an organisation's does
    longer = ORGANISATION.match(text, mention.end)
    return bool(longer) and bool(longer.group(0)) and not _RUN_ENDS.search(longer.group(0))


_RUN_ENDS = re.compile(r"[的和与及在是对比中里下属\d]")


def dedupe(entities: list[Entity]) -> list[Entity]:
    seen, out = set(), []
    for entity in entities:
        if entity.iri not in seen:
            seen.add(entity.iri)
            out.append(entity)
    return out


def inside(mention: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(s <= mention.start and mention.end <= e for s, e in spans)
