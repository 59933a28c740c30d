"""Who and when a report is about, read from the document itself — never from the file name.

A report's identity is its unit (as printed, without a qualifier such as （本级）), year,
kind (预算/决算), scope (部门/单位) and, where printed, summary (汇总/本级), parent
(主管部门) and region. Each comes with the page and the rule that found it
(``kg.model.IdentityEvidence``).

Evidence is read in order of trust:

1. the **cover**: the lines before the table of contents (or the first lines when there is
   none), joined into one string so that titles broken over lines (``2026年`` /
   ``广州市统计局部门预算``) or spaced (``2024 年度``) read as one; labelled lines on it
   (``预算单位：``, ``部门名称：``, ``预算主管部门：``) are taken by label;
2. **headings** that name the unit (``第一部分 广州市统计局概况``, ``第三部分 X2019年部门决算情况说明``);
3. **table captions** (``单位名称：``, ``编制单位：``) and table titles (``X2026年部门收支总表``);
4. the whole text, for kind and scope words when the title does not print them
   (a standalone 绩效目标表 is a 预算 attachment).

A candidate unit must look like the name of an organisation: not a heading (``第三部分``),
not a bare region (``上海市``), not a caption (``单位：元`` is a money unit), not a date.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.extract.layout import RawDocument, TextLine
from kg.extract.names import normalise_unit, resolve_region
from kg.extract.normalize import canon_brackets, squash
from kg.model import IdentityEvidence, Region

YEAR = r"(?:19|20)\d{2}"
_QUALIFIER = re.compile(r"[（(〔\[【]\s*(汇总|本级|部门|单位|部门汇总|单位汇总)\s*[）)〕\]】]")
_LABELS = {
    "预算主管部门": "parent", "主管部门": "parent", "主管单位": "parent",
    "预算单位": "unit", "单位名称": "unit", "编制单位": "unit", "部门名称": "unit", "填报单位": "unit",
}
_LABEL = re.compile(r"(预算主管部门|主管部门|主管单位|预算单位|单位名称|编制单位|部门名称|填报单位)[:：]")
_LABEL_STOP = re.compile(
    r"(?:金额)?单位[:：]|(?:预算主管部门|主管部门|主管单位|预算单位|单位名称|编制单位|部门名称|填报单位|"
    r"保密审查|部门主要负责人|审签|日期|联系人|联系电话|公开时间)[:：]?|" + YEAR + r"年\d{1,2}月")
# a title: optional year, the unit, optional year, optional 市级/区级, scope, optional 综合, kind
_TITLE = re.compile(
    rf"(?:(?P<y1>{YEAR})年度?)?(?P<unit>[^\s，。；:：]{{0,60}}?)(?:(?P<y2>{YEAR})年度?)?"
    r"(?:(?:省|市|区|县|旗)级)?(?P<scope>部门|单位)?(?:综合)?(?P<kind>预算|决算)")
_TITLE_END = re.compile(r"$|公开|报告|情况|说明|信息|表|汇编|[（(（]|\d|[:：]")
_TOC = re.compile(r"^目\s*录$|^目录")
_ORG_END = re.compile(
    r"(?:局|委员会|委|厅|院|办公室|办|中心|所|大学|学院|学校|中学|小学|幼儿园|会|处|队|站|馆|部|室|社|团|庭|"
    r"法院|检察院|政府|街道|街道办事处|镇|乡|集团|公司|医院|园|台|报社|协会|联合会|研究院|研究所|总队|支队|大队|"
    r"监狱|看守所|基地|学会|academy|university)$", re.I)
_NOT_UNIT = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|附件|附表|目录|"
    r"表[一二三四五六七八九十\d]+|\d+[.、．])|单位[:：]|万元|情况说明|公开表|报表|^本|我")
_HEADING_UNIT = [
    re.compile(r"^第[一二三四五六七八九十]+部分[:：]?(?P<unit>.+?)(?:概况|基本情况)$"),
    re.compile(rf"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)[:：]?(?P<unit>.+?){YEAR}年度?"
               r"(?:部门|单位)?(?:预算|决算)"),
]


@dataclass
class Identity:
    unit: str = ""
    year: int | None = None
    kind: str | None = None
    scope: str | None = None
    summary: str | None = None
    parent: str | None = None
    title: str = ""
    aliases: list[str] = field(default_factory=list)
    evidence: dict[str, IdentityEvidence] = field(default_factory=dict)

    def put(self, key: str, value, rule: str, page: int | None, text: str) -> None:
        """Set ``key`` unless it is already known (evidence is offered most trusted first)."""
        if value in (None, "") or getattr(self, key) not in (None, ""):
            return
        setattr(self, key, value)
        self.evidence[key] = IdentityEvidence(str(value), rule, page, text[:120])


def split_qualifier(name: str) -> tuple[str, str | None]:
    """'西安市统计局（汇总）' → ('西安市统计局', '汇总'); other brackets (a second name) are kept."""
    summary = None
    match = _QUALIFIER.search(name)
    if match:
        word = match.group(1)
        summary = "汇总" if "汇总" in word else "本级" if word == "本级" else None
        name = (name[:match.start()] + name[match.end():])
    return name.strip(), summary


def clean_unit(raw: str) -> tuple[str, str | None]:
    """A unit name from a title or label fragment, and its qualifier; '' when it is no name."""
    text = squash(canon_brackets(raw)).strip("【】〔〕[]“”\"'：:，,、")
    text = re.split(r"(?:金额)?单位[:：]", text)[0]
    text = re.sub(rf"^(?:{YEAR}年度?)", "", text)
    text, summary = split_qualifier(text)
    text = re.sub(r"(?:部门|单位)$", "", text)
    if not text or _NOT_UNIT.search(text) or re.fullmatch(rf"[\d年月日.\-/]+|{YEAR}年度?", text):
        return "", summary
    if _is_region_only(text):
        return "", summary
    return normalise_unit(text), summary


def _is_region_only(text: str) -> bool:
    region = resolve_region(text)
    name = region.most_specific
    if not name:
        return False
    return squash(text) in {region.province, region.city, region.county, name} or \
        re.fullmatch(r"(?:[\u4e00-\u9fff]{2,8}(?:省|市|自治区|区|县|州|盟|旗)){1,3}(?:本级|级)?", text) is not None \
        and not _ORG_END.search(text)


def looks_like_unit(name: str) -> bool:
    return bool(name) and 3 <= len(name) <= 60 and bool(_ORG_END.search(name) or "（" in name)


def _cover(doc: RawDocument) -> list[TextLine]:
    """The cover: text before the table of contents, or the first lines of the first page."""
    lines: list[TextLine] = []
    first_page = None
    for block in doc.blocks[:80]:
        if not isinstance(block, TextLine):
            if lines:
                break
            continue
        if _TOC.match(squash(block.text)):
            break
        if first_page is None:
            first_page = block.page
        if block.page is not None and first_page is not None and block.page > first_page + 1:
            break
        lines.append(block)
    if len(lines) > 12:  # no cover page: the document starts with its title and then the text
        lines = lines[:3]
    return lines


def _labelled(identity: Identity, lines: list[TextLine], rule: str) -> None:
    """``预算单位：X`` / ``预算主管部门：Y`` on cover lines; several labels may share a line."""
    for line in lines:
        text = squash(line.text)
        for match in _LABEL.finditer(text):
            rest = text[match.end():]
            stop = _LABEL_STOP.search(rest)
            value = rest[:stop.start()] if stop else rest
            name, summary = clean_unit(value)
            if not name:
                continue
            key = _LABELS[match.group(1)]
            if key == "parent":
                identity.put("parent", name, rule, line.page, line.text)
            else:
                identity.put("unit", name, rule, line.page, line.text)
                identity.put("summary", summary, rule, line.page, line.text)
                if match.group(1) == "部门名称":
                    identity.put("scope", "部门", rule, line.page, line.text)


def _title(identity: Identity, lines: list[TextLine], rule: str) -> None:
    """Year, unit, scope and kind from a title, also when broken over several lines."""
    if not lines:
        return
    joined = ""
    pages = []
    for line in lines:
        if _LABEL.search(squash(line.text)):
            continue
        joined += squash(line.text)
        pages.append(line.page)
    page = next((p for p in pages if p is not None), None)
    best = None
    for match in _TITLE.finditer(joined):
        year = match.group("y1") or match.group("y2")
        if not year or not match.group("scope") and not _TITLE_END.match(joined[match.end():]):
            continue  # '2026年预算安排100万元' is a sentence, not a title
        name, summary = clean_unit(match.group("unit") or "")
        if best is None or (name and not best[1]):
            best = (match, name, summary, int(year))
        if name:
            break
    if best is None:
        return
    match, name, summary, year = best
    identity.put("year", year, rule, page, joined)
    identity.put("kind", match.group("kind"), rule, page, joined)
    identity.put("scope", match.group("scope"), rule, page, joined)
    if name:
        identity.put("unit", name, rule, page, joined)
        identity.put("summary", summary, rule, page, joined)
        identity.title = joined[: match.end()]
    elif not identity.title:
        identity.title = joined[: match.end()]


def _headings(identity: Identity, lines: list[TextLine]) -> None:
    found: Counter = Counter()
    where: dict[str, TextLine] = {}
    for line in lines:
        text = squash(line.text)
        if len(text) > 60:
            continue
        for pattern in _HEADING_UNIT:
            match = pattern.match(text)
            if match:
                name, _ = clean_unit(match.group("unit"))
                if looks_like_unit(name):
                    found[name] += 1
                    where.setdefault(name, line)
    if found:
        name = found.most_common(1)[0][0]
        identity.put("unit", name, "heading", where[name].page, where[name].text)


def _whole_text(identity: Identity, lines: list[TextLine], captions: list[str]) -> None:
    text = squash(" ".join(l.text for l in lines[:400]) + " ".join(captions))
    if identity.kind is None:
        budget, final = text.count("预算"), text.count("决算")
        if "绩效自评" in text and final:
            kind = "决算"  # self-evaluations belong to final accounts
        elif budget or final or "绩效目标表" in text:
            kind = "预算" if budget >= final else "决算"  # a standalone 绩效目标表 is a budget attachment
        else:
            kind = None
        first = next((l for l in lines if "预算" in l.text or "决算" in l.text), None)
        identity.put("kind", kind, "text", first.page if first else None, first.text if first else "")
    if identity.year is None:
        years = Counter(int(y) for y in re.findall(rf"({YEAR})年度?(?:部门|单位)?(?:预算|决算|项目支出)", text))
        if years:
            year = years.most_common(1)[0][0]
            identity.put("year", year, "text", None, f"{year}年")
    if identity.scope is None:
        department = len(re.findall(r"部门(?:综合)?(?:预算|决算)|部门名称", text))
        unit = len(re.findall(r"单位(?:预算|决算)(?!单位)", text))
        if department or unit:
            identity.put("scope", "部门" if department >= unit else "单位", "text", None,
                         f"部门预算/决算×{department} 单位预算/决算×{unit}")


def read_identity(doc: RawDocument, caption_units: list[tuple[str, int | None]], titles: list[str]) -> Identity:
    """Identity of the report in ``doc``; ``caption_units`` are (unit name, page) from table
    captions (``单位名称：``), ``titles`` the captions' table titles."""
    identity = Identity()
    lines = doc.lines()
    cover = _cover(doc)
    _labelled(identity, cover, "cover.label")
    _title(identity, cover, "cover.title")
    if identity.unit == "" or identity.year is None:
        start = len(cover)
        for i in range(start, min(start + 60, len(lines))):  # a title repeated above the text
            text = squash(lines[i].text)
            if re.search(rf"{YEAR}年度?.*(?:预算|决算)|(?:预算|决算).*{YEAR}", text) and len(text) <= 60 \
                    and not _TOC.match(text):
                _title(identity, lines[i:i + 2], "title")
                if identity.unit and identity.year:
                    break
    _headings(identity, lines[:600])
    if not identity.unit and caption_units:
        counts = Counter(n for n, _ in caption_units if n)
        if counts:
            name = counts.most_common(1)[0][0]
            page = next(p for n, p in caption_units if n == name)
            identity.put("unit", name, "caption", page, name)
    if identity.year is None or identity.kind is None:
        for title in titles:
            _title(identity, [TextLine(title)], "caption")
    _whole_text(identity, lines, titles)
    identity.aliases = sorted({n for n, _ in caption_units if n and n != identity.unit})
    return identity


_PARENT = re.compile(r"(?:是|为|系|隶属于?)(?P<parent>[\u4e00-\u9fff]{2,24}?(?:局|部|厅|委员会|委|办公室|政府|院))"
                     r"(?:下属|直属|所属|管理|主管)")


def parent_in_text(sections, unit: str) -> tuple[str, int | None, str] | None:
    """The 主管部门 a report states in prose: 'X是上海市公安局下属…单位', 'X是教育部直属…'."""
    short = unit[:4]
    for section in sections[:40]:
        for paragraph in section.paragraphs:
            text = squash(paragraph.text)
            for match in _PARENT.finditer(text):
                before = text[max(0, match.start() - 40):match.start()]
                if short and short in before or before.endswith(("本单位", "我单位", "学校", "本院", "我院")):
                    parent = normalise_unit(match.group("parent"))
                    if parent != unit:
                        return parent, paragraph.page, text[max(0, match.start() - 30):match.end() + 10]
    return None


def region_in_text(text: str) -> Region:
    """A unit whose name carries no region (西南大学): the province or city its text names most
    (at least twice), full names only."""
    counts: Counter = Counter()
    for match in re.finditer(r"([\u4e00-\u9fff]{2,7}?(?:省|自治区|市))", text):
        region = resolve_region(match.group(1))
        name = region.most_specific
        if name and squash(match.group(1)).endswith(name):
            counts[name] += 1
    if not counts:
        return Region()
    name, count = counts.most_common(1)[0]
    return resolve_region(name) if count >= 2 else Region()
