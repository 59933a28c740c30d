"""Two-step questions: “the top X, its Y” (资金总额最大的项目，其补助人数指标是多少).

``split_chain`` cuts such a question where the superlative's noun ends: the head names the
thing by rank (福州市民政局2026年资金总额最大的项目), the tail asks something of it (其绩效目标里的
补助人数是多少). The head is asked on its own as “…是哪个？”; when that gives exactly one project,
unit or classification line, the tail is asked of it by name (“市级困难群众救助补助金”项目的…,
its 实施单位, the unit, the line of the same report), and that answer is the answer, each row saying
which thing the rank picked. Anything less (no single pick, no answer to the tail) leaves the
question to the ordinary path.
"""
from __future__ import annotations

import re

from kg.graph.entities import normalise
from search.ask.answer import Answer
from search.ask.parser import parse

_RANKED = r"(?:最(?:大|高|多|少|低|小)|[更较](?:大|多|高|少|低|小)|排名?(?:在)?第(?:\d+|[二两三四五六七八九十])(?:位|名)?)"
_POINTER = r"(?:的)?(?:那(?:个|一个|家|一家|项|一项|类|所)?|一个)?"
_NOUN = r"(?:一级项目|二级项目|(?:绩效|重点|专项|具体)?项目|(?:下属|所属|二级)(?:预算)?单位|预算单位|单位|(?:[类款项]级)?(?:功能|经济)?(?:分类)?(?:[（(〔][类款项]级[）)〕]|[类款项]级?)?科目|(?:区|县)?分局|一项|那项)?"
_CHAIN = re.compile(rf"^(?P<head>[^？?]*?{_RANKED}{_POINTER}{_NOUN})(?:[，,]|(?<=项目)[里中][，,]?|(?<=项)(?=比)|(?<=项目|单位)(?=占)|(?<=项目)(?=计划|预计|拟)|(?<=科目)(?=减少|增加|下降|增长)|(?<=那个项目|那个单位|那家单位)(?=[^是，,？?])|(?<=那一家)(?=[^是，,？?]))(?P<tail>.+)$")
_THIS = re.compile(r"^(?:其|它的|它|该项目的?|该单位的?|该科目的?|这个项目的?|这个单位的?|这个科目的?|这家单位的?|这一项的?)")
_YEAR = re.compile(r"(?:19|20)\d{2}年度?")
_REPORT_WORDS = re.compile(r"(?:部门|单位)(?:预算|决算)|(?:预算|决算)")


_WHICH_FIRST = re.compile(r"^(?P<head>[^？?]*?哪(?:个|一个|家|一家|所)[^？?]+)[？?](?P<tail>.+)$")
_TWO_QUESTIONS = re.compile(r"^(?P<head>[^？?]*?)是哪(?:个|一个|家|一家|所|项)(?P<noun>[\u4e00-\u9fff]{0,4})[？?](?P<tail>.+)$")


def split_chain(question: str) -> tuple[str, str] | None:
    """(head, tail) of a “the top X, its Y” question, or None; also of two questions, the second
    about what the first picks (…最多的是哪个分局？它金额最大的项目有多少钱？)."""
    text = normalise(question)
    asked_twice = _TWO_QUESTIONS.match(text)
    if asked_twice and _THIS.match(asked_twice.group("tail")) and re.search(_RANKED, asked_twice.group("head")):
        return asked_twice.group("head") + asked_twice.group("noun"), asked_twice.group("tail")
    which = _WHICH_FIRST.match(text)  # 哪个区分局的项目资金加起来最多？它… / 列在哪个科目下？该科目…: asked as it is
    if which and _THIS.match(which.group("tail")):
        return which.group("head") + "？", which.group("tail")
    match = _CHAIN.match(text)
    if not match or not re.search(r"多少|几|哪|是否|比例|比重|百分", match.group("tail")):
        return None
    tail = match.group("tail")
    if re.match(rf"[^，,]*{_RANKED}", tail) is None and re.search(r"哪(?:个|些|一|家|项)", tail):
        return None  # 最大的项目，是哪个单位的: one question, not two
    return match.group("head"), tail


def follow_up(row: dict, columns: list[str], tail: str, question: str) -> str | None:
    """The tail asked by name of the one thing step one picked (``row`` of an answer with ``columns``)."""
    tail = _THIS.sub("", tail)
    unit, year = row.get("单位") or "", row.get("年度")
    own = re.search(re.escape(unit) + r"[（(〔]?本级[）)〕]?", question) if unit else None
    unit = own.group(0) if own else unit  # 无锡市教育局（本级）: step two asks of the own level too
    tail = tail.replace("当年", f"{year}年" if year else "")
    own_year = _YEAR.search(re.sub(r"(?:比|较|与|同)(?:19|20)\d{2}年度?", "", tail))  # 比2022年度决算: compared with
    when = f"{year}年" if year and not own_year else ""
    report = _REPORT_WORDS.search(normalise(question))
    said = report.group(0) if report and len(report.group(0)) > 2 else ""
    if "项目" in columns and row.get("项目"):
        if tail.startswith("实施单位"):
            implementer = row.get("实施单位") or unit
            return f"{implementer}{tail[len('实施单位'):]}" if implementer else None
        return f"{unit}{when}{said}“{row['项目']}”项目的{tail.lstrip('的')}"
    if "科目" in columns and row.get("科目") or "项" in columns and row.get("项"):
        return f"{unit}{when}{said}{row.get('科目') or row['项']}{tail}"
    if unit:
        return f"{unit}{when}{tail.lstrip('的')}"
    return None


def _picks_what_was_ranked(head: str, columns: list[str]) -> bool:
    """Step one answered with the kind of thing the head ranks: a project, a line or a unit."""
    if "项目" in head[-4:]:
        return "项目" in columns
    if "科目" in head[-5:]:
        return "科目" in columns
    if re.search(r"单位|分局|那家|那所|下属|单位中", head):
        return "单位" in columns and "项目" not in columns and "科目" not in columns
    return bool({"项目", "科目", "项"} & set(columns))  # 那一项, 那个: an item, not the unit asked about


class ChainAnswers:
    """``_chained``: the mixin of ``Asker`` for two-step questions."""

    def _chained(self, question: str) -> Answer | None:
        parts = split_chain(question)
        if parts is None:
            return self._implementer_asked(question)
        head, tail = parts
        first = self.ask(head if head.endswith("？") else f"{head}是哪个？", chain=False)
        if len(first.rows) != 1 or not _picks_what_was_ranked(head, first.columns):
            return None
        picked = first.rows[0]
        asked = follow_up(picked, first.columns, tail, question)
        if asked is None:
            return None
        second = self.ask(asked, chain=False)
        if not second.rows or second.mode == "retrieval":
            return None
        name = picked.get("项目") or picked.get("科目") or picked.get("项") or picked.get("单位")
        second.question = question
        second.intent = {**second.intent, "type": "chain", "first": first.intent.get("type"),
                         "then": second.intent.get("type"), "asked": asked}
        second.columns = ["所指"] + [c for c in second.columns if c != "所指"]
        for row in second.rows:
            row["所指"] = name
        second.answer = f"{head.rstrip('？')}：{name}。{second.answer}"
        return second


    def _implementer_asked(self, question: str) -> Answer | None:
        """负责实施“专业系统维护及科普”项目的那个单位，2026年收入预算总计多少: the named project's 实施单位,
        then the rest asked of it by name — when the project names one unit the corpus knows."""
        text = normalise(question)
        match = _IMPLEMENTED_BY.search(text)
        if match is not None:
            first = self.ask(text[:match.end("project")] + "项目的实施单位是哪个？", chain=False)
            implementers = {r.get("实施单位") for r in first.rows if r.get("实施单位")}
        else:  # 计划完成48.60万科次公务员考试的那个单位: the 实施单位 of the project that does it
            match = _UNIT_DESCRIBED.search(text)
            intent = parse(text[:match.end()], self.lexicon) if match else None
            found = self._described(intent) if intent is not None and intent.units else None
            implementers = {found.implementer} if found is not None and found.implementer else set()
        if len(implementers) != 1:
            return None
        unit = implementers.pop()
        if unit not in self.lexicon.units_by_name():
            return None  # a 实施单位 the corpus knows no figures of
        asked = text[:match.start()] + unit + text[match.end():]
        second = self.ask(re.sub(r"^[^，,]*?(?=" + re.escape(unit) + ")", "", asked), chain=False)
        if not second.rows or second.mode == "retrieval":
            return None
        second.question = question
        second.intent = {**second.intent, "type": "chain", "first": "project_attribute",
                         "then": second.intent.get("type"), "asked": asked}
        second.answer = f"实施该项目的单位：{unit}。{second.answer}"
        return second


_UNIT_DESCRIBED = re.compile(r"[^，,]{8,60}?的那(?:个|家)单位")  # …计划完成48.60万科次公务员考试的那个单位
# 负责实施“X”项目的那个单位 / 实施X项目的单位: the project's 实施单位, then asked of by name
_IMPLEMENTED_BY = re.compile(r"(?:负责)?实施[“\"「]?(?P<project>[^”\"」，,]{2,40}?)[”\"」]?项目的(?:那个|那家|这个)?单位")


__all__ = ["ChainAnswers", "follow_up", "split_chain"]
