"""PDF reports: text lines and ruled tables with their physical pages.

Read with PDFium (``pypdfium2``): characters with their boxes from the text page, table
rulings from the page's vector path objects. pdfplumber/pdfminer parses every page far
more slowly (about 15 pages/s against well over 100 here; ``bench/extract_speed.py``
compares them), so pdfminer is only asked for the few characters PDFium drops (below).

How a page becomes blocks
-------------------------
All coordinates are in display space: media box origin at (0, 0), the page's /Rotate
applied (landscape tables on rotated pages read like any other page).

* **Tables** are reconstructed from ruling lines: stroked line segments and the edges of
  filled rectangles (thin rectangles count as one line). Collinear pieces are snapped
  and merged; a connected set of horizontal and vertical rulings with at least two
  columns is a table (rulings running past the outermost crossing lines close an open
  side). Its grid comes from the distinct x/y positions of the rulings; a grid cell
  whose inner border is missing is merged with its neighbour (a spanned cell). A
  character belongs to the cell its centre falls in; a spanned cell's text goes to its
  top-left grid cell and the cells it covers are ``""`` (pdfplumber returns ``None``
  there). Cell text lines are joined with ``clean_cell``; empty rows are dropped.
* **Text lines** are the characters outside tables, grouped by baseline and ordered
  by x; a gap wider than 0.3 em becomes a space, wider than 4 em splits the line. A
  character drawn twice at nearly the same place (simulated bold) counts once.
* Lines in the top/bottom 7% of a page that are watermarks, page numbers (``- 3 -``,
  ``第3页``) or repeated on at least half of the pages (digits ignored) are running
  headers/footers and dropped; watermark lines are dropped anywhere, characters that
  are not upright on screen (diagonal watermarks, stamps) always.
* **Wrapped paragraphs** come back as one ``TextLine``: line B continues line A when
  both have the same font size, B is not indented (starts at the text block's left edge
  and not right of A), B sits directly below A (or at the top of the next page, A being
  the last line of the previous one), and A is full: B's first unbreakable token (a run
  of ASCII letters and digits, otherwise one character) would not have fitted after A
  before the right edge of the text block (1.5 em tolerance). ``join_wrapped`` glues
  the pieces; Chinese body paragraphs with a first-line indent are the typical case.
* **Continued tables**: a table directly following another one (nothing but removed
  headers/footers between them, also across a page break) with the same column count
  and column borders within 2 pt is its continuation; ``layout.join_tables`` drops the
  repeated header rows.
* **Headings**: running-text font sizes at least 1 pt above the body size (the most
  common size) are heading sizes; the largest is level 1, the next level 2, ...

Characters PDFium drops: its text page skips a text object whose glyph boxes are all
empty, which is what a single CJK character in a non-embedded font (STSong-Light,
SimSun, ...) looks like on a machine without that font installed. Such objects are
found among the page objects and only their characters are taken from pdfminer (see
``PdfReader._hidden_chars``); characters neither can map are reported in ``warnings``.

Errors: no characters on any page → ``NoTextLayer``; a password needed to open →
``EncryptedFile`` (owner-password-only "encryption" that opens freely is read, with a
warning); no %PDF header, no ``%%EOF`` at the end (truncated), a damaged structure or
a page PDFium cannot load → ``CorruptFile``. PDFium/pdfminer exceptions never escape.
"""
from __future__ import annotations

import ctypes
import logging
import math
from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from kg.errors import CorruptFile, EmptyFile, EncryptedFile, InputFileError, NoTextLayer
from kg.extract.layout import RawDocument, is_sentence_row
from kg.extract.readers.base import Reader, sha256
from kg.extract.readers.pdf_assembly import _build_blocks, _drop_running_lines, join_wrapped
from kg.extract.readers.pdf_geometry import (_adopt_label_below, _Char, _fill, _group_lines, _make_line, _Page, _PageTable,
                                             _return_overflow, _split_gaps, find_grids)
from kg.extract.readers.pdf_guard import ReadLimits, check_pages, check_streams
from kg.model import SourceFile

__all__ = ["PdfReader", "find_grids", "join_wrapped"]

try:  # imported lazily by kg.extract.read, so a missing pypdfium2 only hurts PDF users
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
except ImportError:  # pragma: no cover - pypdfium2 is a dependency
    pdfium = pdfium_c = None

#: tolerances in PDF points
THIN = 2.5  # a filled rectangle thinner than this is a ruling line



# --------------------------------------------------------------------------- the reader


class PdfReader(Reader):
    suffixes = (".pdf",)

    def read(self, path: Path, data: bytes | None = None, limits: ReadLimits | None = None) -> RawDocument:
        path = Path(path)
        limits = limits or ReadLimits.current()
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as err:
                raise CorruptFile(path, err.strerror) from None
        if not data.strip():
            raise EmptyFile(path)
        if b"%PDF-" not in data[:1024]:
            raise CorruptFile(path, "没有 PDF 文件头 (no %PDF- header)")
        if b"%%EOF" not in data.rstrip(b"\x00\t\r\n\x0c ")[-4096:]:
            raise CorruptFile(path, "文件被截断 (truncated: no %%EOF at the end)")
        if pdfium is None:  # pragma: no cover
            raise CorruptFile(path, "pypdfium2 未安装 (pypdfium2 is not installed)")
        check_streams(path, data, limits)
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as err:
            if err.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
                raise EncryptedFile(path, "需要打开密码 (a password is needed to open it)") from None
            raise CorruptFile(path, f"PDFium: {err}") from None
        except Exception as err:  # anything else PDFium's binding may raise on odd input
            raise CorruptFile(path, f"{type(err).__name__}: {err}") from None
        try:
            check_pages(path, len(pdf), limits)
            return self._read(path, data, pdf)
        except InputFileError:
            raise
        except Exception as err:  # PDFium/ctypes failures on a damaged file
            raise CorruptFile(path, f"{type(err).__name__}: {err}") from None
        finally:
            pdf.close()

    # -- document

    def _read(self, path: Path, data: bytes, pdf) -> RawDocument:
        if len(pdf) == 0:
            raise CorruptFile(path, "没有页面 (no pages: the page tree is missing or damaged)")
        source = SourceFile(str(path), sha256(data), "pdf", pages=len(pdf), page_basis="physical")
        doc = RawDocument(source)
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            doc.warnings.append("PDF 有权限密码，已按无密码打开 (owner-password restrictions ignored for reading)")
        self._miner = None
        self._warnings = doc.warnings
        try:
            pages = [self._page(pdf, i, path, data) for i in range(len(pdf))]
        finally:
            self._miner = None
        if not any(p.has_text for p in pages):
            raise NoTextLayer(path, f"{len(pages)} 页均无文字 (no text on any of {len(pages)} pages: a scan?)")
        for p in pages:
            if not p.has_text and p.has_images:
                doc.warnings.append(f"第{p.number}页没有文本层 (page {p.number} has no text layer: skipped)")
        _drop_running_lines(pages)
        _build_blocks(doc, pages)
        return doc

    # -- one page

    def _page(self, pdf, index: int, path: Path, data: bytes) -> _Page:
        page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
        if not page:
            raise CorruptFile(path, f"第{index + 1}页无法读取 (page {index + 1} cannot be loaded)")
        try:
            view = _View(page)
            result = _Page(index + 1, view.height, 0.0, view.width)
            horizontal, vertical, found = _rulings(page, view)
            result.has_images = found["images"]
            chars = _chars(page, view, found["rotated"] or view.rotation != 0)
            if found["hidden"]:
                try:
                    chars += self._hidden_chars(data, index, found["hidden"])
                except Exception as err:  # pdfminer could not parse what PDFium could
                    self._warnings.append(f"第{index + 1}页部分单字可能缺失 (page {index + 1}: lone characters "
                                          f"may be missing: {type(err).__name__})")
            result.has_text = bool(chars)
            garbled = sum(1 for ch in chars if ch.text == "\ufffd" or "\ue000" <= ch.text <= "\uf8ff")
            if garbled > 20 and garbled > 0.3 * len(chars):
                self._warnings.append(f"第{index + 1}页文字编码无法识别 (page {index + 1}: {garbled} of {len(chars)} "
                                      f"characters have no Unicode meaning; the font lacks a ToUnicode map)")
            grids = find_grids(horizontal, vertical) if horizontal and vertical else []
            cells: list[dict[tuple[int, int], list[_Char]]] = [defaultdict(list) for _ in grids]
            running: list[_Char] = []
            bounds = [grid.bounds for grid in grids]
            for ch in chars:
                x, y = ch.cx, ch.cy
                for g, (x0, y0, x1, y1) in enumerate(bounds):
                    if x0 <= x <= x1 and y0 <= y <= y1:
                        cells[g][grids[g].cell_of(x, y)].append(ch)
                        break
                else:
                    running.append(ch)
            lowest = None
            for grid, content in zip(grids, cells):
                if len(grid.ys) > 2:  # one row of boxed text is read as running text below
                    _return_overflow(grid, content)
                table = _fill(grid, content, index + 1)
                if table is not None and len(table.rows) == 1 and is_sentence_row(table.rows[0]):
                    running.extend(ch for chars_in_cell in content.values() for ch in chars_in_cell)
                elif table is not None:
                    result.tables.append(_PageTable(table, grid.xs, grid.top, index + 1))
                    if lowest is None or grid.ys[-1] < lowest[0].ys[-1]:
                        lowest = (grid, table, content)
            for group in _group_lines(running):
                for piece in _split_gaps(group):
                    line = _make_line(piece, index + 1)
                    if line is not None:
                        result.lines.append(line)
            if lowest is not None:
                result.lines = _adopt_label_below(*lowest, result.lines)
            return result
        finally:
            pdfium_c.FPDF_ClosePage(page)

    def _hidden_chars(self, data: bytes, index: int, boxes: list[tuple[float, float, float, float]]) -> list[_Char]:
        """The characters PDFium's text page left out, read with pdfminer.

        PDFium's text page skips a text object whose glyph boxes are all empty, which is
        what a single CJK character in a non-embedded font (STSong-Light, SimSun …) looks
        like on a machine without that font: a one-character cell such as 无 or 优 would
        vanish (and so would a whole word of such characters running upwards on a rotated
        page). pdfminer takes widths from the PDF itself and keeps them, at a tenth of
        PDFium's speed, so only pages with such objects are interpreted again, and only the
        characters whose origins lie in those objects' (degenerate) boxes are taken from it.
        """
        if self._miner is None:
            self._miner = _MinerPages(data)
        tol = 0.6
        wanted = sorted(boxes)
        starts = [b[0] for b in wanted]
        widest = max(b[2] - b[0] for b in wanted)
        out: list[_Char] = []
        unmapped = 0
        for text, x, y, char in self._miner.chars(index):  # pdfminer works in display space too
            at = bisect_right(starts, x - widest - tol)
            stop = bisect_right(starts, x + tol)
            if not any(b[0] - tol <= x <= b[2] + tol and b[1] - tol <= y <= b[3] + tol for b in wanted[at:stop]):
                continue
            if text is None:
                unmapped += 1
                continue
            if text.isspace() or len(text) != 1:
                continue
            out.append(_Char(text, *char))
        if unmapped:
            self._warnings.append(f"第{index + 1}页有{unmapped}个字符无法识别 (page {index + 1}: {unmapped} "
                                  f"characters without a Unicode mapping were skipped)")
        return out


@contextmanager
def _quiet_pdfminer():
    """pdfminer logs every oddity of a damaged file as a warning; the reader reports its own."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class _MinerPages:
    """pdfminer, used only for the few characters PDFium drops (see ``_hidden_chars``)."""

    def __init__(self, data: bytes):
        import io

        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        with _quiet_pdfminer():
            self.pages = list(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))))

    def chars(self, index: int) -> list[tuple[str | None, float, float, tuple]]:
        """(text or None if unmapped, origin x, origin y, (x0, y0, x1, y1, size)) of upright glyphs."""
        with _quiet_pdfminer():
            return self._chars(index)

    def _chars(self, index: int) -> list[tuple[str | None, float, float, tuple]]:
        from pdfminer.pdfdevice import PDFTextDevice
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdffont import PDFUnicodeNotDefined

        found: list[tuple[str | None, float, float, tuple]] = []

        class Device(PDFTextDevice):
            def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate, *args) -> float:
                adv = font.char_width(cid) * fontsize * scaling
                a, b, c, d, e, f = matrix
                if a * d * scaling > 0 and abs(b) < 1e-6 and abs(c) < 1e-6 and not font.is_vertical():
                    try:
                        text = font.to_unichr(cid)
                    except PDFUnicodeNotDefined:
                        text = None
                    low = font.get_descent() * fontsize + rise
                    x0, x1 = e, e + a * adv
                    y0, y1 = f + d * low, f + d * (low + fontsize)
                    found.append((text, e, f + d * rise, (x0, y0, x1, y1, abs(d * fontsize))))
                return adv

        manager = PDFResourceManager(caching=True)
        PDFPageInterpreter(manager, Device(manager)).process_page(self.pages[index])
        return found


class _View:
    """PDF user space → display space: the media box origin at (0, 0) and the page's
    /Rotate applied, so that "up" is up on screen (pdfminer uses the same space)."""

    def __init__(self, page):
        box = [ctypes.c_float() for _ in range(4)]
        if pdfium_c.FPDFPage_GetMediaBox(page, *box):
            self.left, self.bottom, right, top = (b.value for b in box)
        else:
            self.left = self.bottom = 0.0
            right, top = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
        self.box_width, self.box_height = right - self.left, top - self.bottom
        self.rotation = pdfium_c.FPDFPage_GetRotation(page) % 4  # quarter turns clockwise
        odd = self.rotation % 2
        self.width = self.box_height if odd else self.box_width
        self.height = self.box_width if odd else self.box_height
        #: PDFium's angle (clockwise, in user space) of characters that read upright on screen
        self.upright = ((4 - self.rotation) % 4) * math.pi / 2

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.left, y - self.bottom
        if self.rotation == 0:
            return x, y
        if self.rotation == 1:
            return y, self.box_width - x
        if self.rotation == 2:
            return self.box_width - x, self.box_height - y
        return self.box_height - y, x

    def rect(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        if self.rotation == 0:
            return x0 - self.left, y0 - self.bottom, x1 - self.left, y1 - self.bottom
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _chars(page, view: _View, check_angles: bool) -> list[_Char]:
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        return []
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        if count <= 0:
            return []
        buffer = (ctypes.c_ushort * (count + 1))()
        written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
        raw = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="surrogatepass")
        if len(raw) != count or any("\ud800" <= u <= "\udfff" for u in raw):
            raw = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
        rect = pdfium_c.FS_RECTF()
        loose = pdfium_c.FPDFText_GetLooseCharBox
        font_size = pdfium_c.FPDFText_GetFontSize
        generated = pdfium_c.FPDFText_IsGenerated
        angle = pdfium_c.FPDFText_GetCharAngle
        char_matrix, matrix = pdfium_c.FPDFText_GetMatrix, pdfium_c.FS_MATRIX()
        out: list[_Char] = []
        last_height, size = -1.0, 0.0
        for i, u in enumerate(raw):
            if u in "\r\n\x00\uffff" or (u == " " and generated(textpage, i)):
                continue
            if u == "\ufffe":
                u = "-"  # PDFium marks a hyphen it takes for a line-break hyphen; the glyph is printed
            if check_angles:
                turned = angle(textpage, i)
                if turned and char_matrix(textpage, i, matrix) and matrix.a > 0 and abs(matrix.b) < 0.01 * matrix.a:
                    turned = 0.0  # an italic glyph (sheared, 57.83 in 增长57.83%) on a level baseline is not turned
                off = abs(turned - view.upright) % (2 * math.pi)
                if 0.01 < off < 2 * math.pi - 0.01:
                    continue  # not upright on screen: diagonal watermarks, stamps, vertical labels
            if not loose(textpage, i, rect):
                continue
            if u in "\u00a0\u3000\t":
                u = " "
            height = rect.top - rect.bottom
            if abs(height - last_height) > 0.01:  # glyphs of one run share a box height and a size: ask once
                size, last_height = font_size(textpage, i), height
                if not 0.5 * height <= size <= 2.0 * height and char_matrix(textpage, i, matrix):
                    size *= math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))  # 319 pt drawn ×1/20
            out.append(_Char(u, *view.rect(rect.left, rect.bottom, rect.right, rect.top), size))
        return out
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


def _rulings(page, view: _View) -> tuple[list, list, dict]:
    """Horizontal/vertical ruling pieces of a page, and what else the objects tell:
    ``rotated`` (a text object is rotated), ``images`` (the page has images), ``hidden``
    (a text object PDFium's text page will skip, see ``_plumber_chars``)."""
    horizontal: list[tuple[float, float, float]] = []
    vertical: list[tuple[float, float, float]] = []
    state = {"rotated": False, "images": False, "hidden": []}
    matrix = pdfium_c.FS_MATRIX()
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    fx = ctypes.c_float()
    fy = ctypes.c_float()
    bounds = [ctypes.c_float() for _ in range(4)]
    fx_ref, fy_ref = ctypes.byref(fx), ctypes.byref(fy)
    count_segments, get_segment = pdfium_c.FPDFPath_CountSegments, pdfium_c.FPDFPath_GetPathSegment
    get_point, segment_type = pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetType
    segment_closes, to_view = pdfium_c.FPDFPathSegment_GetClose, view.point
    MOVETO, LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO  # noqa: N806 - constants

    def walk(get_count, get_object, owner, outer) -> None:
        for i in range(get_count(owner)):
            obj = get_object(owner, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if not state["rotated"] and pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                    if abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3:
                        state["rotated"] = True
                # PDFium's text page skips objects of zero width in user space (see _hidden_chars)
                # (a point — no width and no height — is an empty object, e.g. a blank run of a Word export)
                if pdfium_c.FPDFPageObj_GetBounds(obj, *bounds) and bounds[2].value - bounds[0].value < 0.01 \
                        and bounds[3].value - bounds[1].value > 0.01:
                    font = pdfium_c.FPDFTextObj_GetFont(obj)
                    if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
                        corners = [(outer[0] * x + outer[2] * y + outer[4], outer[1] * x + outer[3] * y + outer[5])
                                   for x, y in ((bounds[0].value, bounds[1].value), (bounds[2].value, bounds[3].value))]
                        state["hidden"].append(view.rect(*corners[0], *corners[1]))
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                state["images"] = True
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                if pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                    inner = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                    walk(pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, obj, inner)
                continue
            if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke) or (not fill.value and not stroke.value):
                continue
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
                continue
            m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            subpaths: list[list[tuple[float, float]]] = []
            curved = False
            for s in range(count_segments(obj)):
                seg = get_segment(obj, s)
                if not get_point(seg, fx_ref, fy_ref):
                    continue
                x, y = fx.value, fy.value
                point = to_view(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
                kind_s = segment_type(seg)
                if kind_s == MOVETO or not subpaths:
                    subpaths.append([point])
                elif kind_s == LINETO:
                    subpaths[-1].append(point)
                else:  # Bézier: not a ruling; restart from its end point
                    curved = True
                    subpaths.append([point])
                    continue
                if segment_closes(seg):
                    subpaths[-1].append(subpaths[-1][0])
            for points in subpaths:
                _add_rulings(points, bool(fill.value) and not stroke.value and not curved, horizontal, vertical)

    walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return horizontal, vertical, state


def _compose(inner: tuple, outer: tuple) -> tuple:
    """Matrix product: apply ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _add_rulings(points: list[tuple[float, float]], filled_only: bool, horizontal: list, vertical: list) -> None:
    if len(points) < 2:
        return
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if filled_only and len(points) >= 4 and (width <= THIN or height <= THIN):
        # a thin filled rectangle drawn as a line
        if width <= THIN and height > THIN:
            vertical.append(((max(xs) + min(xs)) / 2, min(ys), max(ys)))
        elif height <= THIN and width > THIN:
            horizontal.append(((max(ys) + min(ys)) / 2, min(xs), max(xs)))
        return
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if abs(y1 - y0) <= 0.5 and abs(x1 - x0) > 0.5:
            horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) > 0.5:
            vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
