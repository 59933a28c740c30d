"""Page lines and tables → the document's blocks (see ``pdf``): running headers and footers
dropped, wrapped paragraphs joined by the text block's edges, continued tables joined.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from kg.extract.layout import PAGE_FOOTER, RawDocument, Table, TextLine, is_watermark, join_tables
from kg.extract.normalize import clean_line
from kg.extract.readers.pdf_geometry import _ALNUM, _Line, _Page

COLUMN_MATCH = 2.0  # column borders of a continued table may move this much
MARGIN_ZONE = 0.07  # header/footer zones: this fraction of the page height at top and bottom


def join_wrapped(previous: str, following: str) -> str:
    """Glue two visual lines of one wrapped paragraph (raw text, before ``clean_line``).

    A line wrapped between two Latin letters/digits lost the space that stood there (Latin
    text only wraps at spaces); a space still drawn at the end of ``previous`` is kept;
    anything else (Chinese text wraps between any two characters) is joined directly.
    """
    if not previous or not following:
        return previous + following
    if previous[-1].isspace() or following[0].isspace():
        return previous + following
    if _ALNUM.match(previous[-1]) and _ALNUM.match(following[0]):
        return previous + " " + following
    return previous + following



# --------------------------------------------------------------------------- document assembly


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove watermarks, page numbers and running headers/footers."""
    zone_pages: dict[str, set[int]] = defaultdict(set)

    def in_zone(page: _Page, line: _Line) -> bool:
        zone = MARGIN_ZONE * page.height
        return line.y0 >= page.bottom + page.height - zone or line.y1 <= page.bottom + zone

    for page in pages:
        for line in page.lines:
            if in_zone(page, line) and len(line.key) <= 40:
                zone_pages[line.key].add(page.number)
    repeated = max(3, (len(pages) + 1) // 2)
    for page in pages:
        kept = []
        for line in page.lines:
            text = clean_line(line.text)
            if not text or is_watermark(text):
                continue
            if in_zone(page, line) and (PAGE_FOOTER.match(text) or len(zone_pages[line.key]) >= repeated):
                continue
            kept.append(line)
        page.lines = kept


def _margins(pages: list[_Page]) -> dict[int, tuple[float, float]]:
    """Left and right edges of the running text, per page width (portrait and landscape
    pages of one report have different text blocks)."""
    groups: dict[int, list[_Page]] = defaultdict(list)
    for page in pages:
        groups[round(page.width)].append(page)
    margins = {}
    for width, group in groups.items():
        lines = [line for page in group for line in page.lines]
        if not lines:
            continue
        right = max(line.x1 for line in lines)
        full = [line.x0 for line in lines if line.x1 >= right - 2 * line.size]
        left = min(full) if full else min(line.x0 for line in lines)
        # No line ever came near the right margin (which lies about where the left one does
        # on the other side): nothing was wrapped, and the longest line must not look full.
        symmetric = width - left
        if right < symmetric - 2.0 * 28.35:
            right = symmetric
        margins[width] = (left, right)
    return margins


_PROSE_MARK = re.compile(r"[，。；]")


def _own_margins(page: _Page) -> tuple[float, float] | None:
    """The page's own text block where at least three lines end flush at one right edge (an
    attachment printed with other margins than the report around it); None otherwise."""
    prose = [line for line in page.lines if len(line.text) >= 15 and _PROSE_MARK.search(line.text)]
    for edge in sorted({round(line.x1) for line in prose}, reverse=True):
        full = [line for line in prose if abs(line.x1 - edge) <= 0.5 * line.size]
        if len(full) >= 3:  # the right-most edge three lines of prose share (not a page number, not a list)
            return min(line.x0 for line in full), max(line.x1 for line in full)
    return None


def _build_blocks(doc: RawDocument, pages: list[_Page]) -> None:
    sizes: Counter = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.chars)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    level = {s: min(i + 1, 6) for i, s in enumerate(sorted((s for s in sizes if s >= body + 1.0), reverse=True))}
    margins = _margins(pages)

    blocks = doc.blocks
    table_xs: list[float] | None = None  # column borders of the last block when it is a table
    paragraph: dict | None = None  # the TextLine being built: raw text, first page, last visual line

    def flush() -> None:
        nonlocal paragraph, table_xs
        if paragraph is not None:
            text = clean_line(paragraph["raw"])
            if text and not is_watermark(text):
                blocks.append(TextLine(text, paragraph["page"], None, level.get(paragraph["size"])))
                table_xs = None
            paragraph = None

    for page in pages:
        left, right = _own_margins(page) or margins.get(round(page.width), (0.0, 0.0))
        spacing = _line_pitch(page)
        items: list[tuple[float, object]] = [(line.y1, line) for line in page.lines]
        items += [(t.top, t) for t in page.tables]
        items.sort(key=lambda item: -item[0])
        for _, item in items:
            if isinstance(item, _Line):
                if paragraph is not None and _continues(paragraph["last"], item, left, right, spacing,
                                                        same_page=paragraph["last"].page == item.page):
                    paragraph["raw"] = join_wrapped(paragraph["raw"], item.text)
                    paragraph["last"] = item
                    continue
                flush()
                paragraph = {"raw": item.text, "page": item.page, "size": item.size, "last": item}
                continue
            flush()
            if table_xs is not None and isinstance(blocks[-1], Table) and _same_columns(table_xs, item.xs):
                blocks[-1] = join_tables(blocks[-1], item.table)
            else:
                blocks.append(item.table)
            table_xs = item.xs
    flush()


def _line_pitch(page: _Page) -> float:
    """The distance most consecutive lines of the page lie apart (0 when fewer than three do):
    a report set in double spacing wraps its paragraphs more than two font sizes apart."""
    pitches = Counter(round(a.y0 - b.y0) for a, b in zip(page.lines, page.lines[1:])
                      if abs(a.size - b.size) <= 0.5 and 0.5 * a.size < a.y0 - b.y0 <= 3.0 * a.size)
    pitch, count = pitches.most_common(1)[0] if pitches else (0, 0)
    return float(pitch) if count >= 3 else 0.0


def _continues(a: _Line, b: _Line, left: float, right: float, spacing: float, same_page: bool) -> bool:
    """Is ``b`` the wrapped continuation of ``a`` (see the module docstring)?"""
    size = a.size
    if abs(a.size - b.size) > 0.5:
        return False
    if b.x0 > left + 0.5 * size or b.x0 > a.x0 + 0.5 * size:
        return False  # indented: a new paragraph
    if a.x1 + b.token_width < right - 1.5 * size:
        return False  # b's first word would have fitted on a: a ended its paragraph
    if same_page:
        pitch = a.y0 - b.y0
        if pitch <= 0.5 * size or pitch > max(2.0 * size, spacing + 0.2 * size):
            return False
    return True


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= COLUMN_MATCH for x, y in zip(a, b))
