"""Which units a department has, and which department a unit belongs to, as the reports' text
states them when the graph does not hold the unit: the member lists of a department's report
(本部门下属单位包括江苏检察官学院、清风苑杂志社2个事业单位; 下属12个二级预算单位，分别是…; a
机构设置 paragraph that only lists the units)."""
from __future__ import annotations

import re

from kg.graph.entities import base_name, normalise

_NUMBERED = re.compile(r"(?:(?:下属|所属|直属)[^。；：:]{0,12}?单位|派出机构)[：:](?P<list>(?:\d{1,2}[.、．][^\d]{2,40}){2,})")
_ENUMERATOR = re.compile(r"\d{1,2}[.、．]")
MEMBER_WORDS = re.compile(r"下属|所属|直属|下辖|二级预算单位|预算单位构成|机构设置|包括|反映")
ASKS_PARENT = re.compile(r"(?:^|[，,：:])(?P<unit>[\u4e00-\u9fff（）()]{4,30}?)(?:是|属于|隶属于?|归属于?|归)(?:哪个|哪一个|什么|哪家)(?:部门|单位)")
ASKS_INSTITUTIONS = re.compile(r"(?:下属|直属|所属|下面|下设|下辖)(?:的|有)?(?:哪些|哪几个|哪几家|几个|几家)?事业单位|"
                               r"事业单位有哪些|直属单位|哪些单位的(?:经费)?收支|派出机构")
MEMBER_KINDS = ("派出机构", "事业单位")  # the kind of member a question asks for, a list's sentence names
_LISTED = re.compile(r"(?:下属|所属|直属)[^。；：:]{0,12}?(?:包括|有|分别是|分别为|为)[：:]?(?P<list>[^。；]+)|"
                     r"(?:预算|决算)(?:反映|包括|包含|涵盖)了?(?P<covered>[^。；]+?)的(?:预算|决算)?(?:经费)?收支|"  # 部门决算反映X本级、Y的经费收支
                     r"(?:下辖|下设|设有)(?P<held>[^。；：:]{4,80}?)\d+个(?:派出机构|事业单位|直属单位|分支机构)")  # 另下辖南京、徐州…2个派出机构
_ORG = re.compile(r"(?:中心|分局|研究所|研究院|学院|学校|中学|小学|杂志社|报社|出版社|院|站|所|队|馆|局|总站|支队|本级)$")
_NOTE = re.compile(r"[（(][^）)]*[）)]")


def _passages_naming(index, fragment: str, limit: int = 50) -> list:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = index.conn.execute("SELECT iri FROM passages WHERE text LIKE ? ESCAPE '\\' LIMIT ?",
                              (f"%{escaped}%", limit)).fetchall()
    return index.get([r[0] for r in rows])


def department_in_text(index, unit: str) -> tuple[str, object] | None:
    """The department whose report lists ``unit`` among its members, with the passage."""
    found: dict[str, object] = {}
    for passage in _passages_naming(index, unit):
        if MEMBER_WORDS.search(f"{passage.section} {passage.text}") and passage.facets.get("unit"):
            found.setdefault(passage.facets.get("department") or passage.facets["unit"], passage)
    if len(found) != 1:
        return None
    return next(iter(found.items()))


def member_list(text: str, section: str = "") -> list[str]:
    """The units a passage lists as a department's members, or [] when it lists none."""
    text = re.sub(r"\s+", "", text)
    match = _LISTED.search(text)
    numbered = None if match else _NUMBERED.search(text)
    if numbered:  # （二）下属事业单位：1.清风苑杂志社 2.国家检察官学院江苏分院
        listed = "、".join(i for i in _ENUMERATOR.split(numbered.group("list")) if i)
    elif match:
        listed = re.split(r"\d+个|等", match.group("list") or match.group("covered") or match.group("held"))[0]
    elif "机构设置" in section and text.count("、") >= 2:
        listed = text
    else:
        return []
    if match and match.group("covered"):  # 包括大学本级、附属中学及附属小学的预算收支
        listed = re.sub(r"以及|及", "、", listed)
    items = _shared_tail([_NOTE.sub("", i).strip("。；;：: ") for i in re.split(r"[、，,]", listed)])
    items = [i for i in items if len(i) >= 4 and _ORG.search(i)]
    if len(items) == 1 and match and match.group("list") and len(items[0]) >= 6:
        return items  # 本部门下属单位包括：苏州市经济责任审计中心（非独立编制预算单位）: one named member
    return items if len(items) >= 2 else []


def _shared_tail(items: list[str]) -> list[str]:
    """Places listed before one name they share (南京、徐州铁路运输检察院; 越秀、海珠分局): each place
    with the rest of the last name after its own place."""
    from search.ask.places import places

    last = items[-1] if items else ""
    lead = next((place for place, at in places(last) if at == 0), None)
    if len(items) < 2 or not lead or not _ORG.search(last):
        return items
    tail = last[len(lead):]
    return [i + tail if 2 <= len(i) <= 4 and not _ORG.search(i) and places(i) else i for i in items]


def listed_members(index, reports: list[str], kind: str = "") -> list[tuple[str, object]]:
    """The members the reports' text lists (union over the reports, first passage as evidence);
    with ``kind`` (事业单位) the lists whose sentence says that kind, when there are such."""
    members: dict[str, object] = {}
    of_kind: dict[str, object] = {}
    for passage in index.get(sorted(index.ids_where(report=reports))):
        if not MEMBER_WORDS.search(f"{passage.section} {passage.text}"):
            continue
        for sentence in re.split(r"[。；;]", passage.text):
            for name in member_list(sentence, passage.section or ""):
                members.setdefault(name, passage)
                if kind and kind in sentence:
                    of_kind.setdefault(name, passage)
    return list((of_kind or members).items())


_COMPOSITION = re.compile(r"编制范围的(?:预算)?单位共(?:计)?(?P<count>\d+)[家个][，,]?(?:具体)?包括[：:]?(?P<list>[^。；]+)|"
                          r"(?:下属|所属)(?P<count2>\d+)[家个]二级预算单位[，,]?(?:分别是|分别为|具体包括|包括)[：:]?(?P<list2>[^。；]+)")
_ONLY_OWN = re.compile(r"只有本级[，,]?(?:没有|无)(?:其他|其它)?(?:二级)?(?:预算)?单位[^。；]*?只有(?P<own>[\u4e00-\u9fff（）()]{2,40}?本级)")


def budget_units_in_text(passages) -> tuple[list[str], object] | None:
    """The budget units the 预算单位构成 sentence lists (纳入本部门…编制范围的预算单位共计3家，具体包括：A、B、C;
    …只有本级，没有其他二级预算单位…只有X本级), with the passage — only when the list is as long as
    the count the sentence states."""
    for passage in passages:
        text = re.sub(r"\s+", "", passage.text)
        own = _ONLY_OWN.search(text)
        if own:
            return [own.group("own")], passage
        stated = _COMPOSITION.search(text)
        if stated:
            items = [i.strip("：:，,。 ") for i in _split_outside_brackets(stated.group("list") or stated.group("list2"))]
            items = [i for i in items if len(i) >= 2]
            count = int(stated.group("count") or stated.group("count2"))
            if len(items) == count - 1 and re.search(r".{4,}[和及].{4,}", items[-1]):  # …、A和B。
                items = items[:-1] + re.split(r"[和及]", items[-1], maxsplit=1)
            if items and len(items) == count:
                return items, passage
    return None


EXCLUDES_OWN = re.compile(r"除[^，。？?]{0,8}本级(?:外|以外|之外)|本级(?:以外|之外)|除(?:了|去|开)?(?:局|委|部门|厅)?本级|(?:不含|不包括|不算|剔除)(?:局|委|部门)?本级|下属")  # the members, not the 本级


_COUNTED = re.compile(r"(\d+|[两二三四五六七八九十]+)[个家](?:下属|所属|二级)?(?:预算|事业|行政)?单位")
_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def excludes_own(question: str, with_own: int) -> bool:
    """The question asks for the members without the department's 本级 (下属单位, 除本级外) — unless
    it counts them with it (下属两个预算单位 of a department of 本级 and one member)."""
    text = normalise(question)
    if not EXCLUDES_OWN.search(text):
        return False
    counted = _COUNTED.search(text)
    number = counted and (int(counted.group(1)) if counted.group(1).isdigit() else _NUMERALS.get(counted.group(1)))
    return not (number and number == with_own and "除" not in text)


def is_own(name: str, department: str) -> bool:
    """X（本级）, X本级 or X itself: the department's own budget, not one of its members."""
    bare = re.sub(r"[（(〔]?本级[)）〕]?$", "", normalise(name))
    return bare == normalise(department) or bare == normalise(base_name(department)) or normalise(name).endswith("本级")


def question_unit(question: str) -> str | None:
    """X in ``X是哪个部门的下属单位``."""
    match = ASKS_PARENT.search(normalise(question).replace("〔", "（").replace("〕", "）"))
    return match.group("unit") if match else None


_OFFICE_NOUN = r"(?:机关)?(?:行政)?(?:职能)?(?:内设)?[处科股](?:[〔（(][^〕）)]*[〕）)])?室"  # 机关行政处（科、股）室
ASKS_OFFICES = re.compile(r"(?:下设|内设)了?哪些(?:处室|科室|机构|部门)|哪些(?:内设机构|处室|科室)|(?:处室|科室|内设机构)(?:有|是)哪些|"
                          r"(?:多少|几)个(?:内设(?:机构|部门|处室)|处室|科室)|(?:内设机构|处室|科室)[^，。？?]{0,4}(?:多少|几)个|"
                          rf"(?:多少|几)个{_OFFICE_NOUN}")  # 几个机关行政处（科、股）室
# 包括6个机关行政处（科、股）室: a count of offices the text states without listing them
_OFFICES_STATED = re.compile(rf"(\d+)个{_OFFICE_NOUN}")
_OFFICE_LIST = re.compile(r"(?:下设|内设|设有|设置)(?:机构)?[：:]?(?:包括[：:]?)?(?P<list>[^。；]+?)"
                          r"(?:[，,]?共\s*(?P<count>\d+)\s*个|。|；|$)")
_OFFICES_COUNTED = re.compile(r"(\d+)\s*个(?:内设机构|内设处室|职能处室|处室)|内设(?:机构|处室)\s*(\d+)\s*个")  # 共32个内设机构
_OFFICE = re.compile(r"(?:处|室|科|部|所|办公室|中心|队|组|委员会)$")  # 研究一所: an office of a 研究院


def _split_outside_brackets(text: str) -> list[str]:
    items, depth, current = [], 0, ""
    for char in text:
        depth += char in "（(" and 1 or 0
        depth -= char in "）)" and 1 or 0
        if char in "、，," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return items + [current]


def offices_counted(passages) -> tuple[int, object] | None:
    """The number of internal offices a passage states without listing them, with the passage."""
    for passage in passages:
        found = _OFFICES_STATED.search(normalise(re.sub(r"\s+", "", passage.text)))
        if found:
            return int(found.group(1)), passage
    return None


def offices_in_text(passages) -> tuple[list[str], object, int | None] | None:
    """The internal offices (处室) a passage lists after 下设/内设/设有, brackets kept whole
    (减灾与服务监督处（市人工影响天气办公室、审批综合处）), with the passage and the count the
    list states (…，共20个部门), if it does; at least two."""
    for passage in passages:
        text = re.sub(r"\s+", "", passage.text)
        for match in _OFFICE_LIST.finditer(text):
            items = [i.strip("：:，,。 ") for i in _split_outside_brackets(match.group("list"))]
            items = [re.split(r"[：:]", i)[-1] for i in items]  # 具体包括：办公室 / 各机构规范简称依次为：办公室
            last = items[-1].split("和") if items else []
            if len(last) == 2 and all(_OFFICE.search(part) for part in last):
                items[-1:] = last  # …、研究二部和研究三部: two offices
            items = [i for i in items if 2 <= len(i) <= 40 and _OFFICE.search(_NOTE.sub("", i))]
            if len(items) >= 2:
                said = match.group("count") or next((n for m in _OFFICES_COUNTED.finditer(text[:match.end("list")])
                                                     for n in m.groups() if n), None)
                return items, passage, int(said) if said else None
    return None


# 部分项目经费是从哪个部门划转过来的: the body the text says money or work came from
ASKS_SOURCE = re.compile(r"从哪(?:个|一个|家)(?:部门|单位|机构)(?P<verb>[\u4e00-\u9fff]{2})")
_BODY = r"(?P<body>[\u4e00-\u9fff]{2,20}?(?:局|委员会|委|厅|部|办公室|办|中心|政府|院|站|所))"


def source_in_text(passages, verb: str) -> tuple[str, object] | None:
    """The body a passage says something came from with the question's verb (从市交通运输局划转过来),
    and the passage."""
    pattern = re.compile(rf"从{_BODY}{re.escape(verb)}")
    for passage in passages:
        found = pattern.search(re.sub(r"\s+", "", passage.text))
        if found:
            return found.group("body"), passage
    return None

