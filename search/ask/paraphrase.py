"""Projects named as people say them: without the place their name starts with (第四次全国农业普查经费
for 广州市第四次全国农业普查经费), with a qualifier or an acronym in brackets (采购经理人指数（PMI）调查
编制工作经费), or with the words in another order (区域气象预报大模型 for 深圳气象预报区域大模型项目).

Only the projects of the units the question names compete; a project is found by how much of its
name (place taken off) the question covers in runs of two or more characters.
"""
from __future__ import annotations

import re

from kg.graph.entities import Entity, Lexicon, normalise
from search.ask.indicators import pairs


# a leading budget code and the dashes between a coded name's parts, which nobody says aloud
_CODED = re.compile(r"^[A-Za-z]{0,3}\d{2,}(?![\d年])[\-—－_\s]*|(?<=[\u4e00-\u9fff〕)])[\-—－_](?=[\u4e00-\u9fff“])")


def own_name(project: Entity) -> str:
    """The project's name without the place (or the whole unit name) it starts with."""
    name, unit = normalise(project.name), normalise(project.unit or "")
    common = 0
    while common < min(len(name), len(unit)) and name[common] == unit[common]:
        common += 1
    return name[common:] if common >= 2 and len(name) - common >= 4 else name


def _unsaid_lead(name: str, text: str) -> int:
    """How many leading characters of ``name`` a question may leave unsaid: up to the first run of
    two it holds, and at most three tenths of the name (a category before the name proper)."""
    first = next((i for i in range(len(name) - 1) if name[i:i + 2] in text), 0)
    return first if first <= 0.3 * len(name) else 0


def covered(name: str, text: str) -> int:
    """How many characters of ``name`` lie in runs of two or more that ``text`` also holds."""
    marks = [False] * len(name)
    for start in range(len(name) - 1):
        end = start + 2
        if name[start:end] not in text:
            continue
        while end < len(name) and name[start:end + 1] in text:
            end += 1
        for i in range(start, end):
            marks[i] = True
    return sum(marks)


def paraphrased_projects(text: str, lexicon: Lexicon, units: set[str], years: list[int],
                         at_least: int, several: bool = False, whole: float = 0.8) -> list[Entity]:
    """The named units' projects the question names most fully (at least ``at_least`` characters
    of the name, and most of it); all of them when several cover as much, and with ``several``
    (a sum or a list of named things) every project the question names in full; ``whole`` is the
    share of the name the question must cover."""
    text = LEFT_OUT_NOTE.sub("", _ACRONYM.sub("", normalise(text)))
    scored = []
    for project in lexicon.projects_of(units):
        if years and project.year not in years:
            continue
        name = _CODED.sub("", _ACRONYM.sub("", own_name(project)))  # 236-中央高校…-设备资料购置项目
        name = _GENERIC_TAIL.sub("", name) if len(name) >= 10 else name  # …调查编制工作经费: said without 经费
        if len(name) < 4:
            continue
        score = covered(name, text)
        coded = bool(_CODED.search(normalise(project.name)))  # 236-中央高校…-设备…: parts, the first a category
        said = len(name) - (_unsaid_lead(name, text) if coded else 0)  # 改善基本办学条件专项 for 中央高校改善…
        last = _last_part(project.name) if coded and project.implementer in units else ""  # of a named 实施单位
        if len(last) >= 4 and covered(last, text) == len(last) and score < whole * said:
            score = said = len(last)  # …-设备资料购置项目（小学） of the named 附属小学: its last part said in full
        least = min(at_least, 4) if score == said == len(name) and _after_unit(project) else at_least
        if score >= least and score >= whole * said:  # 开办经费 of 佛山市轨道交通局开办经费, its unit named
            scored.append(((score, score / said), project))
    if not scored:
        return []
    full = [p for (score, ratio), p in scored if ratio == 1]
    if several and len({p.name for p in full}) >= 2:
        chosen = full
    else:
        top = max(key for key, _ in scored)
        chosen = [p for key, p in scored if key == top]
    return chosen if len({p.name for p in chosen}) <= 3 else []


_GENERIC_TAIL = re.compile(r"(?:经费|资金)$")


def _after_unit(project: Entity) -> bool:
    """The project's name is its unit's whole name and then its own (佛山市轨道交通局开办经费): the
    question that names the unit names the project by the rest, however short."""
    unit = normalise(project.unit or "")
    return len(unit) >= 4 and normalise(project.name).startswith(unit)
_TAIL = re.compile(r"〔[^〔〕]{1,12}〕$")  # …监督检查员经费（白云区）: a family member's own bracketed tail


def _last_part(name: str) -> str:
    """The last dash-separated part of a coded name without its bracketed tail: the project proper
    (236-中央高校改善基本办学条件专项-设备资料购置项目（小学） → 设备资料购置项目)."""
    parts = re.split(r"[\-—－_]", normalise(name))
    return _TAIL.sub("", parts[-1]) if len(parts) >= 3 else ""


def stem_family(text: str, lexicon: Lexicon, units: set[str], years: list[int]) -> list[Entity]:
    """Projects named as one family by the name they share ahead of a bracketed tail (…监督检查员
    经费（越秀区）, …（白云区） …): all of them when the question says the shared part (with or
    without its place, six characters or more) and none of the tails; the longest such family."""
    text = normalise(text)
    families: dict[str, list[Entity]] = {}
    for project in (lexicon.projects_of(units) if units else lexicon.projects.values()):
        if years and project.year not in years:
            continue
        name, own = normalise(project.name), own_name(project)
        tail = _TAIL.search(name)
        if not tail or tail.group(0)[1:-1] in text or not own.endswith(tail.group(0)):
            continue
        stems = {name[:tail.start()], own[:-len(tail.group(0))]}
        if any(len(stem) >= 6 and stem in text for stem in stems):
            families.setdefault(name[:tail.start()], []).append(project)
    found = [(len(stem), members) for stem, members in families.items() if len({m.name for m in members}) >= 2]
    return max(found, key=lambda f: f[0])[1] if found else []


# 三个城乡居民医保财政补助项目（中央和省级、区县、市级）: a family counted, its members by their tails
_COUNTED_FAMILY = re.compile(r"(?:(?P<before>[\u4e00-\u9fff]{2,12})的)?(?P<count>[两二三四五六七八九\d])个(?P<stem>[\u4e00-\u9fff]{4,24}?)(?:项目|专项)?"
                             r"〔(?P<tails>[^〔〕]+、[^〔〕]+)〕")
_COUNT_WORDS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def counted_family(text: str, lexicon: Lexicon, units: set[str], years: list[int]) -> list[Entity]:
    """The members of a family the question counts and lists by their tails (三个…财政补助项目（中央和
    省级、区县、市级）): for each tail the project of the named units whose bracket holds it (or is held
    in it: 市级 for 市级补助) and whose name shares most of the family's characters (医保 said for
    基本医疗保险), at least six in ten and more than any other; all of them or none."""
    found = _COUNTED_FAMILY.search(normalise(text))
    if not found or not units:
        return []
    tails = [t for t in re.split(r"[、，,]", found.group("tails")) if t]
    raw = found.group("count")
    count = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
    stem = set(found.group("stem") + (found.group("before") or ""))  # 给城乡居民医保的三个财政补助项目
    if count != len(tails):
        return []
    candidates = [p for p in lexicon.projects_of(units) if not years or p.year in years]
    chosen: list[Entity] = []
    for tail in tails:
        scored = sorted(((len(stem & set(normalise(p.name))), p.name, p) for p in candidates
                         if any(tail in bracket or len(bracket) >= 2 and bracket in tail
                                for bracket in re.findall(r"〔([^〔〕]+)〕", normalise(p.name)))),
                        key=lambda item: -item[0])
        if not scored or scored[0][0] < 0.6 * len(stem) or len(scored) > 1 and scored[1][0] == scored[0][0] \
                and scored[1][1] != scored[0][1]:
            return []
        chosen.append(scored[0][2])
    return chosen


_ACRONYM = re.compile(r"〔[A-Za-z0-9]+〕")  # （PMI）: an acronym beside the name
# （不含宣传经费）, （不含会议费和培训费）: what a name or a figure is said to leave out
LEFT_OUT_NOTE = re.compile(r"〔(?:不含|不包括|不包含|不计|除去?)[^〔〕]*〕")


# a project asked for by what it does (哪个项目是用来…的, 那个给…买装备的项目, 投到哪个项目上)
DESCRIBED = re.compile(r"哪(?:一?个|一项)(?:项目|专项|经费)|(?:是|投到|用在|列在|落在)哪(?:一?个)(?:项目|专项)|"
                       r"那个[^，,。？?]{4,60}?(?:项目|专项)|[\u4e00-\u9fff]{4}的那一?个(?:项目|专项)")
_NOT_DESCRIPTION = re.compile(r"哪(?:一?个|一项)(?:项目|专项|经费)|那个|项目|专项|是用来|用来|用于|是按|主要|负责|的|了|是|在|"
                              r"预算|多少钱?|金额|资金|万元|(?:19|20)\d{2}年度?")


def described_project(question: str, texts: dict[str, tuple[Entity, list[str]]]) -> Entity | None:
    """The project one of whose own texts (its name, a passage about it alone: 项目概况, 年度目标,
    uses) shares most character pairs with what the question says it does, when it clearly leads:
    at least six pairs and a quarter more than any other project. ``texts`` maps a project IRI to
    the project and its texts; the best single text counts, so a project with many passages does
    not win by their length."""
    wanted = pairs(_NOT_DESCRIPTION.sub(" ", normalise(question)))
    scored = sorted(((max(len(wanted & pairs(text)) for text in found), project)
                     for project, found in texts.values() if found), key=lambda item: -item[0])
    if not scored or scored[0][0] < 6:
        return None
    rival = next((score for score, project in scored[1:] if project.name != scored[0][1].name), 0)
    return scored[0][1] if scored[0][0] >= 1.25 * rival else None
