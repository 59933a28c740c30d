"""Characters, text lines and ruled grids of a PDF page, in display space (see ``pdf``).

The geometry the reader works with: glyph boxes (``_Char``), visual lines built from them,
the grids that ruling lines form and the cells characters fall in — with text that runs
over a cell border returned to its cell.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.extract.layout import PAGE_FOOTER, Table
from kg.extract.normalize import clean_cell, squash

SNAP = 2.0  # rulings closer than this are the same line
JOIN = 2.0  # collinear pieces with a smaller gap are one line
SPACE_GAP = 0.3  # em: a wider gap between two characters is a space
SPLIT_GAP = 4.0  # em: a wider gap splits a visual line into two text lines
_ALNUM = re.compile(r"[A-Za-z0-9]")


class _Char:
    """One glyph in display space (y grows upwards)."""

    __slots__ = ("text", "x0", "y0", "x1", "y1", "size", "cx", "cy")

    def __init__(self, text: str, x0: float, y0: float, x1: float, y1: float, size: float):
        self.text, self.x0, self.y0, self.x1, self.y1, self.size = text, x0, y0, x1, y1, size
        self.cx = (x0 + x1) / 2
        self.cy = (y0 + y1) / 2

    def __repr__(self) -> str:
        return f"_Char({self.text!r}, {self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f}, {self.size})"


@dataclass
class _Line:
    """One visual line of running text."""

    chars: list[_Char]
    text: str
    page: int
    size: float
    x0: float
    x1: float  # right edge of the last visible (non-space) character
    y0: float
    y1: float
    token_width: float  # width of the first unbreakable token

    @property
    def key(self) -> str:
        return re.sub(r"\d+", "#", squash(self.text))


@dataclass
class _Grid:
    """A ruled table found on a page, before its cells are filled."""

    xs: list[float]  # column borders, left to right
    ys: list[float]  # row borders, top to bottom (descending y)
    owner: list[list[tuple[int, int]]]  # grid cell -> top-left cell of the merged cell it belongs to

    def __post_init__(self) -> None:
        self._neg_ys = [-v for v in self.ys]
        self.bounds = (self.xs[0] - 0.5, self.ys[-1] - 0.5, self.xs[-1] + 0.5, self.ys[0] + 0.5)

    @property
    def top(self) -> float:
        return self.ys[0]

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        col = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        row = min(max(bisect_right(self._neg_ys, -y) - 1, 0), len(self.ys) - 2)
        return self.owner[row][col]


@dataclass
class _PageTable:
    table: Table
    xs: list[float]
    top: float
    page: int


@dataclass
class _Page:
    number: int
    height: float
    bottom: float  # y of the page box bottom
    width: float = 0.0
    lines: list[_Line] = field(default_factory=list)
    tables: list[_PageTable] = field(default_factory=list)
    has_text: bool = False
    has_images: bool = False


def _merge_intervals(items: list[tuple[float, float, float]], join: float) -> list[tuple[float, float, float]]:
    """Collinear (pos, start, end) pieces: snap positions within SNAP, merge overlapping pieces."""
    if not items:
        return []
    items.sort()
    groups: list[list[tuple[float, float, float]]] = [[items[0]]]
    for item in items[1:]:
        if item[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(item)
        else:
            groups.append([item])
    merged: list[tuple[float, float, float]] = []
    for group in groups:
        pos = sum(g[0] for g in group) / len(group)
        spans = sorted((g[1], g[2]) for g in group)
        start, end = spans[0]
        for s, e in spans[1:]:
            if s <= end + join:
                end = max(end, e)
            else:
                merged.append((pos, start, end))
                start, end = s, e
        merged.append((pos, start, end))
    return merged


def _cluster(values: list[float]) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _covers(segments: list[tuple[float, float, float]], pos: float, lo: float, hi: float) -> bool:
    """Is there a ruling at ``pos`` covering the middle half of [lo, hi]? (``segments`` sorted)"""
    a = lo + (hi - lo) * 0.25
    b = hi - (hi - lo) * 0.25
    for i in range(bisect_right(segments, (pos - SNAP - 1e-6,)), len(segments)):
        p, s, e = segments[i]
        if p > pos + SNAP:
            return False
        if s <= a + JOIN and e >= b - JOIN:
            return True
    return False


def find_grids(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]]) -> list[_Grid]:
    """Tables from ruling lines: ``horizontal`` is (y, x0, x1), ``vertical`` is (x, y0, y1)."""
    hs = _merge_intervals(list(horizontal), JOIN)
    vs = _merge_intervals(list(vertical), JOIN)
    hs = [h for h in hs if h[2] - h[1] > SNAP]
    vs = [v for v in vs if v[2] - v[1] > SNAP]
    if len(hs) < 2 or len(vs) < 2:
        return []
    # connected components of crossing/touching rulings (union-find over hs + vs)
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = SNAP + JOIN
    vs_sorted = sorted(range(len(vs)), key=lambda k: vs[k][0])
    v_pos = [vs[k][0] for k in vs_sorted]
    for i, (y, x0, x1) in enumerate(hs):
        lo = bisect_right(v_pos, x0 - tol - 1e-9)
        for idx in range(lo, len(vs_sorted)):
            k = vs_sorted[idx]
            x, y0, y1 = vs[k]
            if x > x1 + tol:
                break
            if y0 - tol <= y <= y1 + tol:
                a, b = find(i), find(len(hs) + k)
                if a != b:
                    parent[a] = b
    components: dict[int, tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]] = defaultdict(
        lambda: ([], []))
    for i, h in enumerate(hs):
        components[find(i)][0].append(h)
    for k, v in enumerate(vs):
        components[find(len(hs) + k)][1].append(v)
    grids = []
    for comp_h, comp_v in components.values():
        if len(comp_h) < 1 or len(comp_v) < 2:
            continue
        xs = _cluster([v[0] for v in comp_v])
        ys = _cluster([h[0] for h in comp_h])
        # open outer sides: rulings running past the outermost crossing lines bound the table
        left, right = min(h[1] for h in comp_h), max(h[2] for h in comp_h)
        bottom, top = min(v[1] for v in comp_v), max(v[2] for v in comp_v)
        if left < xs[0] - 3 * SNAP:
            xs.insert(0, left)
        if right > xs[-1] + 3 * SNAP:
            xs.append(right)
        if bottom < ys[0] - 3 * SNAP:
            ys.insert(0, bottom)
        if top > ys[-1] + 3 * SNAP:
            ys.append(top)
        ys.reverse()  # top to bottom
        if len(xs) < 3 or len(ys) < 2:
            continue  # a single column is a framed text box, not a table
        grids.append(_grid(xs, ys, comp_h, comp_v))
    return grids


def _grid(xs: list[float], ys: list[float], hs, vs) -> _Grid:
    hs, vs = sorted(hs), sorted(vs)
    rows, cols = len(ys) - 1, len(xs) - 1
    owner = [[(r, c) for c in range(cols)] for r in range(rows)]

    def root(cell: tuple[int, int]) -> tuple[int, int]:
        while owner[cell[0]][cell[1]] != cell:
            cell = owner[cell[0]][cell[1]]
        return cell

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            first, second = min(ra, rb), max(ra, rb)  # top-left (row, col) wins
            owner[second[0]][second[1]] = first

    for r in range(rows):
        lo, hi = ys[r + 1], ys[r]
        for c in range(1, cols):
            if not _covers(vs, xs[c], lo, hi):
                union((r, c - 1), (r, c))
    for r in range(1, rows):
        for c in range(cols):
            if not _covers(hs, ys[r], xs[c], xs[c + 1]):
                union((r - 1, c), (r, c))
    # union() keeps the smaller root, so each merged region's root is its top-left cell,
    # which receives the region's text
    return _Grid(xs, ys, [[root((r, c)) for c in range(cols)] for r in range(rows)])


# --------------------------------------------------------------------------- text


def _group_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters → visual lines (top to bottom), each ordered left to right."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda ch: -ch.cy)
    lines: list[list[_Char]] = [[ordered[0]]]
    line_cy = ordered[0].cy
    line_h = ordered[0].y1 - ordered[0].y0
    for ch in ordered[1:]:
        h = ch.y1 - ch.y0
        if abs(ch.cy - line_cy) <= 0.4 * max(line_h, h, 1.0):
            lines[-1].append(ch)
        else:
            lines.append([ch])
            line_cy, line_h = ch.cy, h
    out = []
    for line in lines:
        line.sort(key=lambda ch: ch.x0)
        deduped: list[_Char] = []
        for ch in line:  # bold simulated by drawing a character twice, slightly shifted
            if deduped and ch.text == deduped[-1].text and not ch.text.isspace() and \
                    abs(ch.x0 - deduped[-1].x0) < 0.3 * max(ch.x1 - ch.x0, 0.5):
                continue
            deduped.append(ch)
        out.append(deduped)
    return out


def _line_text(chars: list[_Char]) -> str:
    parts: list[str] = []
    prev: _Char | None = None
    for ch in chars:
        if prev is not None and not ch.text.isspace() and not prev.text.isspace():
            if ch.x0 - prev.x1 > SPACE_GAP * max(ch.size, prev.size, 1.0):
                parts.append(" ")
        parts.append(ch.text)
        prev = ch
    return "".join(parts)


def _split_gaps(chars: list[_Char]) -> list[list[_Char]]:
    pieces: list[list[_Char]] = [[]]
    last: _Char | None = None
    for ch in chars:
        if ch.text.isspace():
            if pieces[-1]:
                pieces[-1].append(ch)
            continue
        if last is not None and ch.x0 - last.x1 > SPLIT_GAP * max(ch.size, last.size, 1.0):
            pieces.append([])
        pieces[-1].append(ch)
        last = ch
    return [p for p in pieces if p]


def _make_line(chars: list[_Char], page: int) -> _Line | None:
    visible = [ch for ch in chars if not ch.text.isspace()]
    if not visible:
        return None
    text = _line_text(chars)
    sizes = Counter(round(ch.size * 2) / 2 for ch in visible)
    size = sizes.most_common(1)[0][0]
    end = visible[0]
    if _ALNUM.match(end.text):
        for ch in visible[1:]:
            if not _ALNUM.match(ch.text) or ch.x0 - end.x1 > SPACE_GAP * max(ch.size, 1.0):
                break
            end = ch
    width = end.x1 - visible[0].x0
    return _Line(chars, text, page, size, visible[0].x0, visible[-1].x1, min(ch.y0 for ch in visible),
                 max(ch.y1 for ch in visible), width)


OVERFLOW_GAP = 0.15  # em: characters this close run on as one word, whatever border lies between


def _return_overflow(grid: _Grid, content: dict[tuple[int, int], list[_Char]]) -> None:
    """Text wider than its cell runs over the border into the next one ('1、人员经费和公用经费支 |
    出2,022.39'): characters that continue a line of the cell on their left at the pitch of one
    word, up to the first digit or gap, go back to that cell; a neighbour's whole text
    ('一级指标' | '二级指标' printed edge to edge) stays where it is."""
    for (r, c), left in list(content.items()):
        right_key = grid.owner[r][c + 1] if c + 1 < len(grid.xs) - 1 else None
        if right_key is None or right_key == (r, c) or not content.get(right_key):
            continue
        border = grid.xs[c + 1]
        if max(ch.x1 for ch in left) <= border:
            continue  # nothing of the cell reaches its border (nearly every cell: checked before grouping)
        right = content[right_key]
        for line in _group_lines(left):
            last = line[-1]
            if last.x1 <= border or last.text.isdigit() or \
                    any(b.x0 < a.x1 - 0.2 * a.size for a, b in zip(line, line[1:])):
                continue  # the line stops at the border, or is two texts printed over each other
            following = sorted((ch for ch in right if abs(ch.cy - last.cy) <= 0.4 * max(last.y1 - last.y0, 1.0)
                                and ch.x0 >= last.x0), key=lambda ch: ch.x0)
            moved = []
            for ch in following:
                if ch.text.isdigit() or ch.text.isspace() or ch.x0 - last.x1 > OVERFLOW_GAP * max(ch.size, last.size, 1.0):
                    break
                moved.append(ch)
                last = ch
            if moved and len(moved) < sum(not ch.text.isspace() for ch in right):  # not the next cell's own word
                left.extend(moved)
                taken = set(map(id, moved))
                right[:] = [ch for ch in right if id(ch) not in taken]


def _fill(grid: _Grid, content: dict[tuple[int, int], list[_Char]], page: int) -> Table | None:
    rows = []
    for r in range(len(grid.ys) - 1):
        row = []
        for c in range(len(grid.xs) - 1):
            chars = content.get((r, c)) if grid.owner[r][c] == (r, c) else None
            if not chars:
                row.append("")
                continue
            row.append(clean_cell("\n".join(_line_text(line) for line in _group_lines(chars))))
        if any(row):
            rows.append(row)
    if not rows:
        return None
    return Table(rows, [page] * len(rows), [None] * len(rows))


_NOTE = re.compile(r"^(?:注|说明|备注)|[。：:，,；;]")  # a note under the table, not a cell's label


def _adopt_label_below(grid: _Grid, table: Table, content: dict[tuple[int, int], list[_Char]],
                      lines: list[_Line]) -> list[_Line]:
    """A merged cell cut by a page break can print its label just under the table's last
    ruling: the cell's part on this page is only the last row, and the label is centred on
    the whole cell (一级/二级指标 of a form continued overleaf). A short line directly under
    the table, inside one column whose last-row cell is its own and empty, is that cell's
    text; the lines not adopted are returned."""
    last = len(grid.ys) - 2
    row = table.rows[-1]
    if last < 1 or len(row) != len(grid.xs) - 1 or sum(1 for cell in row if cell) < 2 \
            or not any(content.get((last, c)) for c in range(len(row))):
        return lines  # rows[-1] is not the grid's last row (an empty last row was dropped)
    kept = []
    for line in lines:
        gap = grid.ys[-1] - line.y1
        column = next((c for c in range(len(grid.xs) - 1)
                       if grid.xs[c] - 1.0 <= line.x0 and line.x1 <= grid.xs[c + 1] + 1.0), None)
        text = clean_cell(line.text)
        if column is not None and 0.0 <= gap <= 2.0 * line.size and len(text) <= 12 \
                and not PAGE_FOOTER.match(text) and not _NOTE.search(text) and grid.owner[last][column] == (last, column) and not row[column]:
            row[column] = text
            continue
        kept.append(line)
    return kept
