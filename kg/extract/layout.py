"""The reader layer: what a file looks like before anything is understood.

Every reader (PDF, text, markdown) turns a file into a ``RawDocument``: a sequence of
``TextLine`` and ``Table`` blocks in reading order, each with its page. Tables continued
over pages are already joined and repeated header rows dropped; watermark lines are gone.
The PDF of a report and its text export must give equal ``RawDocument`` content (pages
aside), which ``tests/extract/test_pdf_equivalence.py`` checks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.model import SourceFile

WATERMARKS = re.compile(
    r"^(?:仅供内部审核|仅供内部使用|内部资料|仅供参考|征求意见稿|审核稿|草稿|样稿|样张|内部审核|请勿外传)$"
)
PAGE_FOOTER = re.compile(r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")


@dataclass
class TextLine:
    text: str
    page: int | None = None
    line: int | None = None
    heading: int | None = None  # markup heading level (markdown #, <b>) when the source has one


@dataclass
class Table:
    rows: list[list[str]]
    row_pages: list[int | None] = field(default_factory=list)
    row_lines: list[int | None] = field(default_factory=list)

    @property
    def page(self) -> int | None:
        return next((p for p in self.row_pages if p is not None), None)

    @property
    def line(self) -> int | None:
        return next((n for n in self.row_lines if n is not None), None)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def pad(self) -> "Table":
        """Make every row as wide as the widest one (empty cells are "")."""
        width = self.width
        for row in self.rows:
            row.extend([""] * (width - len(row)))
        return self


Block = TextLine | Table


@dataclass
class RawDocument:
    source: SourceFile
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[TextLine]:
        return [b for b in self.blocks if isinstance(b, TextLine)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


_SENTENCE_MARK = re.compile(r"[。，、；：]|,(?!\d{3})|万元")
_CJK_CELL = re.compile(r"[\u4e00-\u9fff]")
_BOXED_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_NUMBER_PIECE = re.compile(r"^\d+\.$|^\d{1,4}$")  # '1517.' | '95' | '2026': a number cut by a cell border


def is_sentence_row(row: list[str]) -> bool:
    """A one-row ruled "table" whose cells are pieces of one sentence (text set in boxes or over
    rules: '2026 | 年本 | 单位 | 项目支出预算 | 417. | 41 | 万元'): it is running text. A row of
    labels each followed by its amount ('合计 | 70,716,064 | …') is a table row. A figure boxed
    inside a sentence ('减少 | 29. | 30 | 万元', the box around '29.30' alone) is running text too."""
    cells = [c.strip() for c in row if c.strip()]
    joined = "".join(cells)
    if cells and _BOXED_FIGURE.fullmatch(joined) and all(_NUMBER_PIECE.match(c) for c in cells[:-1]):
        return True
    if len(cells) < 2 or len(joined) > 200 or not _CJK_CELL.search(joined):
        return False
    if _SENTENCE_MARK.search(joined):
        return True
    for a, b in zip(cells, cells[1:]):
        if _CJK_CELL.search(a) and _CJK_CELL.search(b):
            return True  # two pieces of text side by side: one line cut in two
        if _NUMBER_PIECE.match(a) and (_CJK_CELL.search(b) or _NUMBER_PIECE.match(b)):
            return True
    return False


def is_watermark(text: str) -> bool:
    return bool(WATERMARKS.match(text.strip()))


def drop_repeated_header(previous: Table, continuation: Table, header_rows: int = 3) -> Table:
    """Remove rows at the top of ``continuation`` that repeat ``previous``'s header rows."""
    header = [r for r in previous.rows[:header_rows]]
    skip = 0
    while skip < len(header) and skip < len(continuation.rows) and _same_row(continuation.rows[skip], header[skip]):
        skip += 1
    if skip:
        continuation = Table(continuation.rows[skip:], continuation.row_pages[skip:], continuation.row_lines[skip:])
    return continuation


def _same_row(a: list[str], b: list[str]) -> bool:
    strip = lambda row: [c for c in row if c]  # noqa: E731 - tiny local key
    return bool(strip(a)) and strip(a) == strip(b)


def join_tables(first: Table, second: Table) -> Table:
    """Append a continued table (header repeats already removed) to its first part."""
    second = drop_repeated_header(first, second)
    return Table(first.rows + second.rows, first.row_pages + second.row_pages, first.row_lines + second.row_lines).pad()
