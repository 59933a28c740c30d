"""Policy documents cited in 立项依据 and narratives.

Two kinds of reference: a 发文字号 (``晋财社【2019】1号``, ``同办发[2013]31号``,
``普投资规范（2023）1号``, ``汾财农65号``) made canonical as GB/T 9704 prints it
(``issuer〔year〕number号``), and a title in 《》 (laws, measures, notices). A title followed by
its number in brackets is one reference. Phrases that name no document (``往年预决算以及实际开支``)
yield nothing.
"""
from __future__ import annotations

import re

from kg.extract.normalize import canon_brackets, squash
from kg.model import PolicyReference

_OPEN = "〔【\\[［(（﹝"
_CLOSE = "〕】\\]］)）﹞"
_NUMBER_WITH_YEAR = re.compile(
    rf"(?P<issuer>[\u4e00-\u9fff]{{1,16}}?)[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*(?:年)?\s*"
    r"(?P<number>第?\s*\d{1,5})\s*(?:(?P<suffix>号|期)|(?=(?:及|和|、)\s*[\u4e00-\u9fff]{1,16}?"
    rf"[{_OPEN}]\s*(?:19|20)\d{{2}}\s*[{_CLOSE}]\s*\d{{1,5}}\s*号))"  # 闽人社文〔2009〕60及榕劳社保〔2010〕38号
)
_NUMBER_NO_YEAR = re.compile(r"(?P<issuer>[\u4e00-\u9fff]{2,8}?)(?P<number>\d{1,4})号(?P<order>令)?(?!楼|院|线)")
_TITLE = re.compile(r"《(?P<title>[^《》]{2,80}(?:《[^《》]{1,60}》[^《》]{0,40})?)》")
# words that precede an issuer but are not part of it
_BRIDGE = re.compile(r"(?:的(?:通知|决定|意见|批复|函))?\s*[（(〔]?\s*")  # 《title》的通知（ before its 发文字号; always matches
_LEAD_IN = re.compile(r"^.*(?:依据|根据|按照|依照|遵照|按|参照|执行|落实|印发|关于|通知|文件|规定|要求|精神|以及|及|和|与|的|经|由|据|是|为)")
_REGION_CHARS = set("晋汾同吕鄂咸京津冀蒙辽吉黑沪苏浙皖闽赣鲁豫湘粤桂琼渝川蜀贵黔云滇藏陕甘陇青宁新财国中人")
_NOT_DOCUMENT_TITLES = re.compile(r"(绩效目标(申报)?表|自评表|预算表|决算表|表[（(][^（()）]*[)）])$")
_DOCUMENT_TITLE_END = re.compile(r"(法|法典|条例|办法|细则|规定|意见|通知|决定|方案|预案|规划|纲要|制度|标准|目录|批复|函|纪要|指南|"
                                 r"规则|计划|决议|公告|通告|准则|规程|守则|章程|要点|[)）〉>])$")  # …〈关于调整…的通知〉: a title forwarded


# 《X》 a project drafts as its output (编制《…规划》, 形成1份《…方案》) is no document it rests on; one it
# makes or revises as policy (制定出台《…办法》, 修订《…预案》) is
_DELIVERABLE = re.compile(r"(?:编制|编写|撰写|形成|出具|完成)(?:并?印发|完成)?了?\s*$|"
                          r"\d+\s*(?:份|本|册|套|部|项)\s*$")
# 《X》 named as what a project follows (对照《…建设指标》要求): a document whatever its title ends with
_CITED = re.compile(r"(?:依据|根据|按照|依照|遵照|对照|参照|符合|执行|落实|贯彻|遵循)\s*$")
# a number printed in letters and digits after 编号/文号: 编号GZ2020WJ00579号
_CODED_NUMBER = re.compile(r"(?:编号|文号)\s*[:：]?\s*(?P<code>[A-Z]{1,6}\d{4}[A-Z0-9]{2,16})号")

_PLACE_ISSUER = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|市|县|区)[\u4e00-\u9fff]{2,12}$")


def _clean_issuer(raw: str) -> str:
    issuer = _LEAD_IN.sub("", raw)
    if len(issuer) > 8 and not _PLACE_ISSUER.match(issuer):
        tail = issuer[-8:]
        start = next((i for i, ch in enumerate(tail) if ch in _REGION_CHARS), 0)
        issuer = tail[start:]
    return issuer


def canonical_number(issuer: str, year: int | None, number: str, suffix: str = "号") -> str:
    number = re.sub(r"\s+", "", number)
    if year is None:
        return f"{issuer}{number}{suffix}"
    return f"{issuer}〔{year}〕{number}{suffix}"


def _title_text(title: str) -> str:
    return squash(title).replace("<", "〈").replace(">", "〉")


def find_references(text: str, page: int | None = None, line: int | None = None) -> list[PolicyReference]:
    """Every policy document ``text`` cites, in order, without duplicates."""
    if not text:
        return []
    text = canon_brackets(text.replace("＜", "<").replace("＞", ">"))
    refs: list[PolicyReference] = []
    numbered_spans: list[tuple[int, int]] = []
    for match in _NUMBER_WITH_YEAR.finditer(text):
        issuer = _clean_issuer(match.group("issuer"))
        if not issuer:
            continue
        year = int(match.group("year"))
        number = match.group("number").replace(" ", "")
        suffix = match.group("suffix") or "号"
        refs.append(PolicyReference(printed=match.group(0)[len(match.group("issuer")) - len(issuer):],
                                    canonical=canonical_number(issuer, year, number, suffix), kind="number",
                                    issuer=issuer, year=year, number=number, page=page, line=line))
        numbered_spans.append(match.span())
    masked = list(text)  # numbers with a year already read: blanked, so a match cannot start inside one
    for start, end in numbered_spans:
        masked[start:end] = " " * (end - start)
    for match in _NUMBER_NO_YEAR.finditer("".join(masked)):
        issuer = _clean_issuer(match.group("issuer"))
        order = match.group("order") is not None  # 省政府74号令: an order, whoever issued it
        if len(issuer) < 2 or not order and not any(ch in _REGION_CHARS for ch in issuer[:2]):
            continue
        number, suffix = match.group("number"), "号令" if order else "号"
        refs.append(PolicyReference(printed=issuer + number + suffix,
                                    canonical=canonical_number(issuer, None, number, suffix),
                                    kind="number", issuer=issuer, number=number, page=page, line=line))
        numbered_spans.append(match.span())
    for match in _CODED_NUMBER.finditer(text):
        code = match.group("code") + "号"
        refs.append(PolicyReference(printed=code, canonical=code, kind="number", number=match.group("code"),
                                    page=page, line=line))
    for match in _TITLE.finditer(text):
        title = _title_text(match.group("title"))
        before = text[max(0, match.start() - 8): match.start()]
        if _NOT_DOCUMENT_TITLES.search(title) or _DELIVERABLE.search(before):
            continue
        if not _DOCUMENT_TITLE_END.search(title) and not _CITED.search(before):
            continue
        after = text[match.end(): match.end() + 40]
        after = after[_BRIDGE.match(after).end():]
        paired = next((r for r, span in zip(refs, numbered_spans)
                       if r.kind == "number" and r.title is None and 0 <= span[0] - match.end() <= 8
                       and after.startswith(r.printed[:2])), None)
        if paired is not None:
            paired.title = title
            continue
        refs.append(PolicyReference(printed=match.group(0), canonical=title, kind="title", title=title,
                                    page=page, line=line))
    refs.sort(key=lambda r: text.find(r.printed) if r.printed in text else len(text))
    unique: dict[str, PolicyReference] = {}
    for ref in refs:
        unique.setdefault(ref.canonical, ref)
    return list(unique.values())
