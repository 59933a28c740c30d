"""The reason a report gives for a change against the change it explains.

``与上年相比增加7.38万元，增长6.72%。主要原因是人员变化和用工人员增加带来经费的下降`` explains a
rise by a fall of the same money; ``比上年减少1,985.18万元，主要原因是…拨款减少`` turned into
``比上年增加…`` keeps a reason that only ever says 减少; ``决算数小于年初预算数的主要原因是：…中标金额
大于预算金额`` gives for a smaller figure a reason that would make it larger. Three readings, each
needing no figure of the tables:

* every direction word of the reason runs against the change (a reason that names the base
  year — ``2023年有搬家费20万元`` — explains the base, not the change, and is not read this way);
* the reason ends on what happened to the money (``…经费的下降``, ``相应减少了相关支出``) and that
  runs against the change;
* within the reason, a cause and the effect it is said to bring (``X减少带来经费的增长``) run
  against each other.

Direction words followed by an amount (``基本支出增加5,246.63万元，项目支出减少…``) list the
parts of the change and are left to ``directions.components``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from kg.check.base import Finding, Side
from kg.check.prose import _NUM, _UNIT, _sentences
from kg.model import Report

_UP_WORDS = ("增加", "增长", "上升", "提高", "新增", "调增", "增多", "追加", "大于", "高于", "扩大")
_DOWN_WORDS = ("减少", "下降", "降低", "压减", "压缩", "调减", "缩减", "减小", "小于", "低于", "削减", "节约")
_WORD = re.compile("|".join(_UP_WORDS + _DOWN_WORDS))
_MARKER = re.compile(r"(?:(?P<explicit>增加|减少|增长|下降|上升|降低|大于|小于|高于|低于)的)?"
                     r"(?:主要原因是|主要原因为|主要原因[:：]|原因是|原因为|原因[:：]|主要是由于|主要是因为|主要是|主要由于|主要因)[:：]?")
_STATED = re.compile(rf"(?P<w>增加|减少|增长|下降|上升|降低|大于|小于)了?(?:为|达)?(?P<n>{_NUM})(?:{_UNIT}|\s*%)")
_COMPARED = re.compile(r"(?:决算|执行)数?(?P<w>大于|小于|高于|低于)(?:年初|全年|调整)?预算数?")
_AMOUNT_AFTER = re.compile(rf"^了?(?:{_NUM})(?:{_UNIT}|%)")
_MONEY = r"(?:经费|支出|费用|资金|拨款|预算|收入|金额|安排数?)"
_EFFECT = re.compile(rf"(?:{_MONEY}(?:的|有所|也有所|相应|较上年(?:也)?(?:有所)?|较去年(?:有所)?)?|(?:相应|从而|导致|带来|使|故)了?)$")
_EFFECT_AFTER = re.compile(rf"^了?(?:相关|相应)?[^，。；;、\d]{{0,10}}?{_MONEY}$")  # 相应增加了相关支出
_CAUSE_EFFECT = re.compile(r"(?P<cause>[^，。；;、]{0,20}?(?:%s)[^，。；;]{0,8}?)(?:[，,]?(?:故|因此|所以|从而|进而)|带来|导致|使得|致使)"
                           r"(?P<effect>[^，。；;]{0,30})" % "|".join(_UP_WORDS + _DOWN_WORDS))
_PEOPLE = re.compile(r"(?:人员|人数|编制|学生|职工|[一二两三四五六七八九十\d]人)[^，。；;、]{0,6}$")
_ZERO_GROWTH = re.compile(r"零增长|不增长|未增长|无增长")


def _sign(word: str) -> int:
    return 1 if word in _UP_WORDS else -1


def _stated(text: str, marker: re.Match) -> tuple[int, str] | None:
    """The direction of the change the reason explains: the word before ``的主要原因``, else the
    last change with a figure (or 决算数大于预算数) in the sentence, or the sentence before it."""
    if marker.group("explicit"):
        return _sign(marker.group("explicit")), marker.group("explicit")
    start = marker.start()
    bounds = [i for i, ch in enumerate(text[:start]) if ch in "。；;"]
    sentence_start = bounds[-1] + 1 if bounds else 0
    previous_start = bounds[-2] + 1 if len(bounds) > 1 else 0
    for begin in (sentence_start, previous_start):
        found = [(m.end(), m.group("w"), m.group("n")) for m in _STATED.finditer(text, begin, start)] + \
            [(m.end(), m.group("w"), None) for m in _COMPARED.finditer(text, begin, start)]
        if found:
            end, word, number = max(found)
            if number is not None and not re.sub(r"[0.,]", "", number):
                return None  # 增加0万元: a change of nothing has no direction
            if _STATED.search(text, end, start) or re.search(rf"(?:{_NUM})(?:{_UNIT})", text[end:start]):
                return None  # another figure between the change and its reason
            return _sign(word), text[begin:start][-60:]
    return None


def _reason(text: str, marker: re.Match) -> str:
    """The reason's text: up to the end of its sentence or list item."""
    end = len(text)
    for mark in "。；;":
        found = text.find(mark, marker.end())
        if found != -1:
            end = min(end, found)
    return text[marker.end():end]


def _words(reason: str) -> list[re.Match]:
    """Direction words of the reason, without those stating an amount (parts of the change) and
    without 零增长."""
    cleaned = _ZERO_GROWTH.sub(lambda m: "＿" * len(m.group(0)), reason)
    return [w for w in _WORD.finditer(cleaned) if not _AMOUNT_AFTER.match(cleaned[w.end():])]


def reasons(report: Report) -> Iterator[Finding]:
    base_year = f"{report.year - 1}年" if report.year else None
    for paragraph, text in _sentences(report):
        for marker in _MARKER.finditer(text):
            stated = _stated(text, marker)
            reason = _reason(text, marker)
            if stated is None or not reason:
                continue
            sign, change = stated
            words = _words(reason)
            if not words:
                continue
            quote = f"{change}……{text[marker.start():marker.end()]}{reason}"[:160]
            where = [Side("变动", None, paragraph.page, paragraph.line, quote),
                     Side("原因", None, paragraph.page, paragraph.line, reason)]
            names_base = base_year and re.search(rf"(?<![比较与同]){base_year}(?!比|较)", reason)
            if all(_sign(w.group(0)) != sign for w in words) and not names_base:
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：所述变动为{'增加' if sign == 1 else '减少'}，说明的原因却全是"
                              f"{'减少' if sign == 1 else '增加'}：“{quote}”", where)
                continue
            last = words[-1]
            effect = _EFFECT.search(reason[:last.start()]) or _EFFECT_AFTER.match(reason[last.end():])
            if _sign(last.group(0)) != sign and effect:
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：所述变动为{'增加' if sign == 1 else '减少'}，原因末句却说"
                              f"“{reason[max(0, last.start() - 12):last.end()]}”：“{quote}”", where)
                continue
            people = [w for w in words[:-1] if _sign(w.group(0)) != sign and _PEOPLE.search(reason[:w.start()])]
            if effect and people and re.search(r"[，,、]", reason[people[0].end():last.start()]):
                yield Finding("comparison.words", "error",
                              f"第{paragraph.page}页：所述变动为{'增加' if sign == 1 else '减少'}，原因却说"
                              f"“{reason[max(0, people[0].start() - 8):people[0].end()]}”：“{quote}”", where)
                continue
            for pair in _CAUSE_EFFECT.finditer(reason):
                cause = _words(pair.group("cause"))
                effect = _words(pair.group("effect"))
                if cause and effect and _sign(cause[-1].group(0)) != _sign(effect[0].group(0)) and \
                        _sign(effect[0].group(0)) == sign:
                    yield Finding("comparison.words", "error",
                                  f"第{paragraph.page}页：原因“{pair.group(0)}”中的起因与结果方向相反：“{quote}”", where)
                    break
