"""Narrative structure: headings and paragraphs, with their heading path."""
from __future__ import annotations

import re

from kg.extract.layout import PAGE_FOOTER, TextLine
from kg.extract.normalize import squash
from kg.model import Paragraph, Section

# heading patterns by depth (depth = index + 1)
_HEADINGS = [
    re.compile(r"^第[一二三四五六七八九十]+部分"),
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}[、.．](?!\d)"),
]
_TOC_LINE = re.compile(r"[.．…·]{2,}\s*\d+$")
_CLASS_PATH = re.compile(r"[（(][类款][)）]")
_ITEM_GOES_ON = re.compile(r"^[^，。；：:]{0,30}?[（(]项[)）][：:]")  # …(项)：反映…


def heading_depth(line: TextLine) -> int | None:
    text = line.text
    if _TOC_LINE.search(text) or len(text) > 40 or text.endswith(("。", "；", "：")) and len(text) > 20:
        return None
    if re.search(r"\d[\d,]*(?:\.\d+)?万?元|[，,；;：:。]\S", text) and not re.match(r"^第[一二三四五六七八九十]+部分", text):
        return None  # a sentence that starts with a number ('1.精准预报1,357.00万元，主要包括：') is running text
    for depth, pattern in enumerate(_HEADINGS, start=1):
        if pattern.match(text):
            return depth
    if line.heading is not None and line.heading > 0 and len(text) <= 30:
        return min(line.heading, 4)
    return None


def build_sections(lines: list[TextLine]) -> list[Section]:
    """Group running-text lines into sections; a line ending a sentence mid-way joins the next."""
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    current = Section(path=[])
    pending: Paragraph | None = None
    last_line = ""
    goes_on = False  # the pending paragraph's next line belongs to it whatever its length
    wraps = _page_wraps(lines)

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            current.paragraphs.append(pending)
            pending = None

    for i, line in enumerate(lines):
        if _TOC_LINE.search(line.text) or PAGE_FOOTER.match(squash(line.text)):
            continue  # a page number between two halves of a paragraph: the paragraph goes on
        depth = heading_depth(line)
        if depth is not None and i + 1 < len(lines) and _CLASS_PATH.search(line.text) and \
                _ITEM_GOES_ON.match(lines[i + 1].text):
            depth = None  # 九、…(类)…(款)一般行政管理事务 | (项)：反映…: a 名词解释 item, not a heading
            flush()
            pending, last_line, goes_on = Paragraph(line.text, line.page, line.line), line.text, True
            continue
        if depth is not None:
            flush()
            goes_on = False
            if current.paragraphs or current.path:
                sections.append(current)
            path = [(d, t) for d, t in path if d < depth] + [(depth, line.text)]
            current = Section(path=[t for _, t in path], page=line.page, line=line.line)
            continue
        if pending is not None and (goes_on or _continues(last_line, line.text, wraps[line.page])):
            pending.text += line.text
            last_line, goes_on = line.text, False
            continue
        flush()
        pending = Paragraph(line.text, line.page, line.line)
        last_line, goes_on = line.text, False
    flush()
    if current.paragraphs or current.path:
        sections.append(current)
    return sections


def _wrap_width(lines: list[TextLine]) -> int:
    """Length from which a line counts as filled to the margin: 80% of the usual long line.

    Pages differ in width (narrow A5-like pages wrap at 25 characters, text exports never), so
    the measure comes from the document itself rather than a constant."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 8)
    if not lengths:
        return 30
    usual = lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]
    return max(12, min(30, int(usual * 0.8)))


def _page_wraps(lines: list[TextLine]) -> dict:
    """Each page's wrap width: the document's, or a narrower page's own (a 名词解释 page set in a
    narrow column wraps at 24 characters where the rest of the report runs 60) — never below three
    quarters of the document's, so a page of short list lines is not read as one paragraph."""
    whole = _wrap_width(lines)
    pages: dict = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    wraps = {}
    for page, own in pages.items():
        counted = [line for line in own if len(line.text) >= 8]
        wraps[page] = whole if len(counted) < 8 else max(min(whole, _wrap_width(counted)), int(0.75 * whole))
    return wraps


def _continues(previous: str, nxt: str, wrap: int = 30) -> bool:
    """A paragraph broken by a page or line wrap: the previous line ends at the margin without
    ending a sentence, and the next line is not a list item."""
    if previous.endswith(("。", "！", "？", "；", "：", ":", "”")):
        return False
    if re.match(r"^([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[、.．](?!\d)|[-•])", nxt) \
            and not re.search(r"[\d.]$", previous):
        return False
    if re.search(r"[，、（(“《]$|\d\.$|\d[万亿]$", previous):
        return True  # a sentence cut mid-clause or mid-number goes on, however short the line
    if re.search(r"\d$", previous) and re.match(r"^(?:[万亿]?元|%|％)", nxt):
        return True  # ‘…预算总额 277’ / ‘万元。’: no paragraph starts with the unit of a number
    return len(previous) >= wrap
