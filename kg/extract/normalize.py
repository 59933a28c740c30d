"""Text normalisation shared by every reader and parser.

Readers call ``clean_cell``/``clean_line`` so that a PDF and its text export yield the
same strings; parsers call ``squash`` and ``canon_brackets`` to compare names.
"""
from __future__ import annotations

import re
import unicodedata

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’《》〔〕【】（）、，。：；！？…—·√□■☑☐"

_TAG = re.compile(r"<\s*/?\s*(?:b|strong|em|i|u|span|font|br|sup|sub)\b[^>]*>", re.I)
_PARA = re.compile(r"<\s*/?\s*p\b[^>]*>", re.I)
_CHECKBOX = re.compile(r"<\s*input\b([^>]*)>", re.I)
_BOLD_MD = re.compile(r"\*\*(.+?)\*\*")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}{_CJK_PUNCT}])\s+(?=[{CJK}{_CJK_PUNCT}])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{CJK}])\s+(?=[0-9])|(?<=[0-9.%])\s+(?=[{CJK}])")
_WS = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b]+")

CHECKED = "√"
UNCHECKED = "□"

_BRACKETS = str.maketrans({"【": "〔", "】": "〕", "[": "〔", "]": "〕", "［": "〔", "］": "〕",
                           "(": "（", ")": "）", "﹝": "〔", "﹞": "〕"})


def _checkbox(match: re.Match) -> str:
    attrs = match.group(1).lower()
    return CHECKED if "checked" in attrs else UNCHECKED


def strip_markup(text: str) -> str:
    """Remove HTML/markdown emphasis, turn checkboxes into √/□ and <p> breaks into newlines."""
    text = _CHECKBOX.sub(_checkbox, text)
    text = _PARA.sub("\n", text)
    text = _TAG.sub("", text)
    text = _BOLD_MD.sub(r"\1", text)
    return text


_ANY_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all whitespace: the comparison form of a Chinese name."""
    return _ANY_SPACE.sub("", text or "")


def tidy(text: str) -> str:
    """Collapse whitespace; drop spaces between Chinese characters and before/after digits
    next to Chinese (line wraps and PDF spacing), keep single spaces between Latin words."""
    text = unicodedata.normalize("NFC", text or "")
    text = _WS.sub(" ", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_CJK_DIGIT.sub("", text)
    return text.strip()


def clean_cell(text: str | None) -> str:
    """One table cell as both readers must produce it: markup gone, wrapped lines joined."""
    if text is None:
        return ""
    text = strip_markup(text)
    parts = [tidy(p) for p in text.splitlines()]
    joined = ""
    for part in parts:
        if not part:
            continue
        if joined and re.match(r"[A-Za-z]", part[0]) and re.search(r"[A-Za-z]$", joined):
            joined += " " + part  # Latin words wrapped onto the next line
        elif joined and re.match(r"[\d.,%]", part[0]) and re.search(r"[\d.,]$", joined):
            joined += part  # a number wrapped in a narrow column: 1,234,56 / 7.89 → 1,234,567.89
        else:
            joined += part
    return joined


def clean_line(text: str) -> str:
    """One running-text line: markup removed, markdown list/heading markers kept out."""
    text = strip_markup(text)
    return tidy(" ".join(text.splitlines()))


_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")


def ascii_digits(text: str) -> str:
    """Full-width digits, point, percent and comma → ASCII."""
    return text.translate(_FULLWIDTH)


def canon_brackets(text: str) -> str:
    """Canonical brackets for document numbers and names: 【】[] → 〔〕, () → （）."""
    return (text or "").translate(_BRACKETS)


CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """Parse 一..九十九 (and plain digits); ``None`` if it is not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in CHINESE_DIGITS and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CHINESE_DIGITS[ch]
    return total + current
