"""Narrative structure: headings and paragraphs, with their heading path."""
from __future__ import annotations

import re

from kg.extract.layout import TextLine
from kg.model import Paragraph, Section

# heading patterns by depth (depth = index + 1)
_HEADINGS = [
    re.compile(r"^第[一二三四五六七八九十]+部分"),
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[)）]"),
    re.compile(r"^\d{1,2}[、.．](?!\d)"),
]
_TOC_LINE = re.compile(r"[.．…·]{2,}\s*\d+$")


def heading_depth(line: TextLine) -> int | None:
    text = line.text
    if _TOC_LINE.search(text) or len(text) > 40 or text.endswith(("。", "；", "：")) and len(text) > 20:
        return None
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

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            current.paragraphs.append(pending)
            pending = None

    for line in lines:
        if _TOC_LINE.search(line.text):
            continue
        depth = heading_depth(line)
        if depth is not None:
            flush()
            if current.paragraphs or current.path:
                sections.append(current)
            path = [(d, t) for d, t in path if d < depth] + [(depth, line.text)]
            current = Section(path=[t for _, t in path], page=line.page, line=line.line)
            continue
        if pending is not None and _continues(pending.text, line.text):
            pending.text += line.text
            continue
        flush()
        pending = Paragraph(line.text, line.page, line.line)
    flush()
    if current.paragraphs or current.path:
        sections.append(current)
    return sections


def _continues(previous: str, nxt: str) -> bool:
    """A paragraph broken by a page or line wrap: no sentence end, and the next line is not a list item."""
    if previous.endswith(("。", "！", "？", "；", "：", ":", "”")):
        return False
    if re.match(r"^([（(]?[一二三四五六七八九十\d]+[)）、.．]|[-•])", nxt):
        return False
    return len(previous) >= 30
