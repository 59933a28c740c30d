"""Numbering of headings and list items: siblings in order, none missing or repeated.

The numbered lines are read in document order from the section headings the parser built
and from paragraphs that start with a number. Styles rank as in official documents:
第一部分 > 一、 > （一） > 1. / 1、 > （1）; a number of one style starts a fresh count of
every lower style. A sequence that restarts at one is a new list (a table of contents, a
second list in the same section), not an error; only a number that skips or repeats its
predecessor within one list, or a list that opens above one and goes back (二、 then 一、),
is reported.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from kg.check.base import Finding, Side, rule
from kg.extract.normalize import chinese_number, squash
from kg.model import Report

_CN = "一二三四五六七八九十"
_STYLES = [
    ("第X部分", re.compile(rf"^第([{_CN}]+)部分")),
    ("X、", re.compile(rf"^([{_CN}]+)、")),
    ("（X）", re.compile(rf"^[（(]([{_CN}]+)[)）]")),
    ("N.", re.compile(r"^(\d{1,2})(?:[、．]|\.(?!\d)|\.\s|\.(?=(?:19|20)\d{2}年))")),
    ("（N）", re.compile(r"^[（(](\d{1,2})[)）]")),
]
_NOTE = re.compile(r"^(?:注|备注|附注|说明)[:：]\s*(\d{1,2})[、.．]")  # '注：1.…' opens a list of notes
_LEAD = re.compile(r"^[#*\s]+")


@dataclass
class _Item:
    level: int
    number: int
    text: str
    page: int | None
    line: int | None
    index: int = 0  # position among all headings and paragraphs


def _numbered(text: str, page, line) -> _Item | None:
    text = _LEAD.sub("", text)
    note = _NOTE.match(text)
    if note:
        return _Item(3, int(note.group(1)), squash(text), page, line)
    for level, (_, pattern) in enumerate(_STYLES):
        match = pattern.match(text)
        if match:
            number = chinese_number(match.group(1))
            return _Item(level, number, squash(text), page, line) if number else None
    return None


def _read(report: Report) -> tuple[list[_Item], list[int | None]]:
    """The numbered items, and the page of every heading and paragraph in document order."""
    items: list[_Item] = []
    pages: list[int | None] = []
    for section in report.sections:
        units = ([(section.heading, section.page, section.line)] if section.path else []) + \
            [(p.text, p.page, p.line) for p in section.paragraphs]
        for text, page, line in units:
            item = _numbered(text, page, line)
            if item:
                item.index = len(pages)
                items.append(item)
            pages.append(page)
    return items, pages


def _continuous(previous: _Item, item: _Item, pages: list[int | None], table_pages: set[int],
                table_lines: set[int] = frozenset()) -> bool:
    """Running text links the two items on every page from one to the other, with no budget table
    there (a skipped number may be a heading the parser read as the table's caption): nothing the
    parser left out can lie between them."""
    if previous.page is None and item.page is None and previous.line is not None and item.line is not None:
        return not any(previous.line < line < item.line for line in table_lines)  # a text export without pages
    if previous.page is None or item.page is None:
        return False
    span = set(range(previous.page, item.page + 1))
    tables = table_pages & span if item.number > previous.number else table_pages & (span - {previous.page, item.page})
    return span <= set(pages[previous.index:item.index + 1]) and not tables


def _slips(items: list[_Item], pages: list[int | None], table_pages: set[int],
           table_lines: set[int] = frozenset()) -> Iterator[tuple[_Item, _Item]]:
    """(previous, current) pairs of one style within one list where the number skips ahead or
    repeats. A number going back is a nested list of the same style, not a slip; a repeated
    number may stand for the one it should have been, so the item after it may follow either."""
    last: dict[int, _Item] = {}
    latest: dict[int, _Item] = {}  # the last item of each style, across higher-level items
    repeated: set[int] = set()
    opening: set[int] = set()  # items that open a list at a number above one
    for item in items:
        for level in [lv for lv in last if lv > item.level]:
            del last[level]
        previous, before = last.get(item.level), latest.get(item.level)
        last[item.level] = latest[item.level] = item
        if previous is not None and id(previous) in opening and item.number < previous.number:
            if _continuous(previous, item, pages, table_pages, table_lines):
                yield previous, item  # 二、… then 一、…: the list's first two numbers swapped
            continue
        if previous is None or item.number < previous.number:
            if item.number > 1 and (before is None or before.number != item.number - 1):
                opening.add(id(item))  # not the next of a list a higher-level item interrupted
            continue
        if item.number == 1:
            continue
        follows = {previous.number + 1, previous.number + 2} if id(previous) in repeated else {previous.number + 1}
        if item.number in follows or not _continuous(previous, item, pages, table_pages, table_lines):
            continue
        if item.number == previous.number:
            repeated.add(id(item))
        yield previous, item


@rule("structure.numbering", "同级标题与编号依次排列，不缺号、不重号")
def numbering(report: Report) -> Iterator[Finding]:
    items, pages = _read(report)
    table_pages = {p for t in report.tables if t.page for p in range(t.page, (t.page_end or t.page) + 1)}
    table_lines = {t.line for t in report.tables if t.line is not None}
    for previous, item in _slips(items, pages, table_pages, table_lines):
        style = _STYLES[item.level][0]
        if item.number == previous.number:
            problem = "重复"
        elif item.number < previous.number:
            problem = f"从{previous.number}开始、下一项却是{item.number}，顺序颠倒"
        else:
            missing = "、".join(str(n) for n in range(previous.number + 1, item.number))
            problem = f"跳过了第{missing}项"
        yield Finding("structure.numbering", "warning",
                      f"第{item.page}页“{item.text[:30]}”紧接第{previous.page}页“{previous.text[:30]}”，"
                      f"{style}编号{problem}",
                      [Side("上一项", Decimal(previous.number), previous.page, previous.line, previous.text[:60]),
                       Side("本项", Decimal(item.number), item.page, item.line, item.text[:60])],
                      expected=Decimal(previous.number + 1), observed=Decimal(item.number), entity=item.text[:30])
