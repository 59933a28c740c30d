"""Text and markdown exports of reports (the seeds are such exports).

Format: one line per text line; table rows are tab-separated cells; ``#`` headings and
``<b>`` tags may appear; cells may hold ``<p>`` paragraphs and ``<input>`` checkboxes.
Encoding is UTF-8 (with or without BOM) or GBK/GB18030.

Pages: a form feed (``\\f``) starts a new page when the export kept them. Otherwise the
page of each line is the page the report's own table of contents (目录) prints for the
section the line is in (``page_basis = "toc"``); without either, pages are unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import EmptyFile, UnsupportedFormat
from kg.extract.layout import RawDocument, Table, TextLine, is_watermark, join_tables
from kg.extract.normalize import clean_cell, clean_line, squash
from kg.extract.readers.base import Reader, sha256
from kg.model import SourceFile

_TOC_TITLE = re.compile(r"^#*\s*目\s*录\s*$")
_TOC_ENTRY = re.compile(r"^(?P<title>.+?)[\s.．…·。]*\t?\s*(?P<page>\d{1,4})\s*$")
_LEADERS = re.compile(r"[.．…·]{2,}")
_ENUMERATOR = re.compile(
    r"^(?:表[一二三四五六七八九十]+|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[、.．])\s*"
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_LIST_MARK = re.compile(r"^\s*[-*•]\s+")
_WHOLE_BOLD = re.compile(r"^\s*(?:<b>|\*\*)(.+?)(?:</b>|\*\*)\s*$", re.I)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode UTF-8 or GB18030 (a superset of GBK); refuse binary files."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if b"\x00" in data[:4096]:
        raise UnsupportedFormat(path, "二进制文件 (binary file)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        raise UnsupportedFormat(path, f"编码无法识别 (neither UTF-8 nor GBK: {err.reason})") from None


def toc_key(text: str) -> str:
    text = _LEADERS.sub("", squash(clean_line(text)))
    text = _ENUMERATOR.sub("", text)
    return text.rstrip(".．…·")


def _close_segment(table: Table | None, segment: Table | None) -> tuple[Table | None, None]:
    """Rows read since the last break join the table; repeated header rows are dropped only here."""
    if segment is None or not segment.rows:
        return table, None
    return (join_tables(table, segment) if table is not None else segment.pad()), None


@dataclass
class _TocEntry:
    key: str
    page: int


class TextReader(Reader):
    suffixes = (".txt", ".md", ".markdown", ".text")

    def read(self, path: Path, data: bytes | None = None) -> RawDocument:
        data = path.read_bytes() if data is None else data
        if not data.strip():
            raise EmptyFile(path)
        text, encoding = decode(data, path)
        raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        has_form_feeds = "\f" in text
        fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") or any(
            _MD_HEADING.match(line) for line in raw_lines[:200]) else "text"

        toc, toc_end = self._table_of_contents(raw_lines)
        page_basis = "physical" if has_form_feeds else ("toc" if toc else "none")
        doc = RawDocument(SourceFile(str(path), sha256(data), fmt, page_basis=page_basis, encoding=encoding))

        page: int | None = 1 if has_form_feeds else None
        toc_pos = 0
        table: Table | None = None
        segment: Table | None = None
        max_page = 0
        for number, raw in enumerate(raw_lines, start=1):
            if has_form_feeds and "\f" in raw:
                page = (page or 1) + raw.count("\f")
                raw = raw.replace("\f", "")
            if "\t" in raw and not (toc_end and number <= toc_end):
                cells = [clean_cell(c) for c in raw.split("\t")]
                if not any(cells):
                    continue
                if segment is None:
                    segment = Table([], [], [])
                segment.rows.append(cells)
                segment.row_pages.append(page)
                segment.row_lines.append(number)
                continue
            stripped = raw.strip()
            if not stripped or is_watermark(clean_line(stripped)):
                # blank lines and watermarks do not end a table: the next rows continue it (a page break),
                # and only there a repeated header is dropped
                table, segment = _close_segment(table, segment)
                continue
            table, segment = _close_segment(table, segment)
            if table is not None:
                doc.blocks.append(table)
                table = None
            heading = None
            md = _MD_HEADING.match(stripped)
            if md:
                heading = len(md.group(1))
                stripped = stripped[md.end():]
            elif _WHOLE_BOLD.match(stripped) and "\t" not in stripped:
                heading = 0
            stripped = _LIST_MARK.sub("", stripped)
            content = clean_line(stripped.replace("\t", " "))
            if not content or is_watermark(content):
                continue
            if toc and not has_form_feeds and number > toc_end:
                found = self._match_toc(toc, toc_pos, content)
                if found is not None:
                    toc_pos = found + 1
                    page = toc[found].page
            max_page = max(max_page, page or 0)
            doc.blocks.append(TextLine(content, page, number, heading))
        table, segment = _close_segment(table, segment)
        if table is not None:
            doc.blocks.append(table)
        doc.source.pages = max_page or None
        return doc

    @staticmethod
    def _table_of_contents(lines: list[str]) -> tuple[list[_TocEntry], int]:
        """Entries (title key, printed page) of the 目录 and the line number where it ends."""
        start = next((i for i, line in enumerate(lines[:300]) if _TOC_TITLE.match(clean_line(line))), None)
        if start is None:
            return [], 0
        entries: list[_TocEntry] = []
        end = start + 1
        misses = 0
        for i in range(start + 1, min(len(lines), start + 200)):
            text = clean_line(lines[i].replace("\t", " ")) if lines[i].strip() else ""
            if not text or is_watermark(text):
                continue
            m = _TOC_ENTRY.match(text)
            if m and (_LEADERS.search(lines[i]) or "\t" in lines[i]):
                entries.append(_TocEntry(toc_key(m.group("title")), int(m.group("page"))))
                end = i + 1
                misses = 0
                continue
            misses += 1
            if entries or misses > 3:
                break
        return entries, end

    @staticmethod
    def _match_toc(toc: list[_TocEntry], position: int, content: str, window: int = 8) -> int | None:
        if len(content) > 60:
            return None
        key = toc_key(content)
        if not key:
            return None
        for i in range(position, min(len(toc), position + window)):
            if toc[i].key == key:
                return i
        return None
