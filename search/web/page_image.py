"""The printed page behind a piece of evidence: the source PDF page rendered with the cited
text highlighted, or for a text export the passage in its surrounding lines.

Used by the web server (``/api/page``, ``/api/page.png``) and ``budgetkg page``, so both
draw the same image. Free of web imports.

Locating the cited text: an evidence passage is either printed prose (found as it is,
whitespace ignored) or a sentence rendered from a table row (``单位 2023年决算 法律顾问费
全年预算5万元 执行0万元 …``); for those, the longest words of the sentence that the page
prints (the project or line name) mark the row, widened to every character on the same
printed line, and rows whose line also prints the sentence's numbers come first. Boxes are
in PDF points (origin bottom left) and, for the page, as fractions of the rendered image.

Rendered pages are cached per store under ``STORE/page-images/`` by source file digest,
page, highlight and scale (the PNG and, beside it, where the boxes are); the cache is
disposable (delete it any time).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import EntityNotFound, StoreError, UsageError
from store.report_status import report_id

CACHE_FOLDER = "page-images"
DEFAULT_SCALE = 1.6
MAX_HIGHLIGHT_ROWS = 3
FILL = (255, 214, 0, 90)
OUTLINE = (230, 110, 0, 255)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMBER_PRINTED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_PIECE_SPLIT = re.compile(r"[\s，,。；;：:、（）()《》“”\"]+")
_LOCK = threading.Lock()


# -- which report ------------------------------------------------------------------------------

def find_report(reports: dict[str, dict], wanted: str) -> tuple[str, dict]:
    """The one stored report ``wanted`` names: IRI, short id, title, source path or part of the title."""
    wanted = (wanted or "").strip()
    if not wanted:
        raise UsageError("请给出报告 (give a report: IRI, id or title)")
    exact = [iri for iri, e in reports.items()
             if wanted in (iri, report_id(iri), e.get("title"), e.get("path"))]
    matches = exact or [iri for iri, e in reports.items() if wanted in (e.get("title") or "")]
    if len(matches) != 1:
        listed = "；".join(sorted(e.get("title") or iri for iri, e in reports.items()))
        raise EntityNotFound(f"{'没有' if not matches else '有多个'}报告匹配“{wanted}”；现有：{listed} "
                             f"({'no' if not matches else 'several'} reports match)",
                             candidates=[reports[m].get("title") for m in matches])
    return matches[0], reports[matches[0]]


def source_file(entry: dict) -> Path:
    """The report's source file as ingested; StoreError when it is gone or was changed since."""
    path = Path(entry.get("path") or "")
    if not entry.get("path") or not path.is_file():
        raise StoreError(f"报告的源文件不在原处：{entry.get('path')}；页面图像需要它 (the report's source file is gone)")
    if _digest(str(path.resolve()), *_stamp(path)) != entry.get("sha256"):
        raise StoreError(f"报告的源文件自导入后已改变：{entry.get('path')}；请重新导入 (the source file changed since "
                         f"it was ingested: ingest it again)")
    return path


def is_pdf(entry: dict) -> bool:
    return str(entry.get("path") or "").lower().endswith(".pdf")


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


_digests: dict[tuple, str | None] = {}


def _digest(path: str, mtime: int, size: int) -> str | None:
    key = (path, mtime, size)
    if key not in _digests:
        from kg.ingest_results import file_sha256

        _digests[key] = file_sha256(Path(path))
    return _digests[key]


# -- locating the cited text ---------------------------------------------------------------------

@dataclass
class Box:
    """A highlighted region in PDF points: left, bottom, right, top."""
    left: float
    bottom: float
    right: float
    top: float

    def to_dict(self) -> dict:
        return {"left": round(self.left, 2), "bottom": round(self.bottom, 2), "right": round(self.right, 2),
                "top": round(self.top, 2)}


@dataclass
class Located:
    boxes: list[Box] = field(default_factory=list)
    how: str = "none"          # "exact": the passage as printed; "row": the row its words name; "none"
    words: list[str] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)  # the characters of each box, best first


def pieces(evidence: str, skip: str = "") -> list[str]:
    """Words of an evidence sentence worth looking for, longest first (the report's own label and
    amounts with their words, such as 全年预算5万元, left out)."""
    found = []
    for piece in _PIECE_SPLIT.split(evidence or ""):
        if len(piece) < 3 or piece in skip or _NUMBER.search(piece):
            continue
        found.append(piece)
    return sorted(dict.fromkeys(found), key=len, reverse=True)


def _normalized(chars: list[str]) -> tuple[str, list[int]]:
    """The text without whitespace and, per kept character, its index in ``chars``."""
    kept, where = [], []
    for i, ch in enumerate(chars):
        if not ch.isspace():
            kept.append(ch)
            where.append(i)
    return "".join(kept), where


def locate(chars: list[str], boxes: list[tuple | None], evidence: str, skip: str = "") -> Located:
    """Where ``evidence`` is printed among a page's characters (``boxes[i]`` is char i's box or None)."""
    text, where = _normalized(chars)
    wanted = re.sub(r"\s+", "", evidence or "")
    if len(wanted) >= 4:
        at = text.find(wanted)
        if at >= 0:
            indices = where[at:at + len(wanted)]
            return Located(_line_boxes(indices, boxes), "exact", [evidence], [indices])
    numbers = _numbers(evidence or "")
    for piece in pieces(evidence, skip):
        starts = [m.start() for m in re.finditer(re.escape(piece), text)]
        if not starts:
            continue
        rows = []
        for order, at in enumerate(starts):
            indices = [i for i in where[at:at + len(piece)] if boxes[i]]
            if not indices:
                continue
            row = _row_of(indices, boxes)
            line = "".join(chars[min(row):max(row) + 1])  # with the spaces between its cells
            score = sum(_weight(n) for n in numbers & _numbers(line))
            rows.append((-score, order, row))
        rows.sort(key=lambda r: (r[0], r[1]))
        chosen = [r[2] for r in rows[:MAX_HIGHLIGHT_ROWS]]
        return Located([_union(row, boxes) for row in chosen], "row", [piece], chosen)
    return Located()


def _numbers(text: str) -> set:
    """The numbers a text prints, as values (5 and 5.00 are one number; 1,384.20 is 1384.2)."""
    from decimal import Decimal, InvalidOperation

    found = set()
    for match in _NUMBER_PRINTED.findall(text):
        try:
            found.add(Decimal(match.replace(",", "")).normalize())
        except InvalidOperation:
            continue
    return found


def _weight(number) -> int:
    """How much a shared number says two rows are the same: 0–9 are everywhere (scores, counts)."""
    return 1 if number == number.to_integral_value() and abs(number) < 10 else 3


def _row_of(indices: list[int], boxes: list[tuple | None]) -> list[int]:
    """Every character printed on the same line as ``indices`` (vertical centre inside their band)."""
    bottom = min(boxes[i][1] for i in indices)
    top = max(boxes[i][3] for i in indices)
    return [i for i, box in enumerate(boxes) if box and bottom <= (box[1] + box[3]) / 2 <= top]


def _union(indices: list[int], boxes: list[tuple | None]) -> Box:
    shown = [boxes[i] for i in indices if boxes[i]]
    pad = 1.5
    return Box(min(b[0] for b in shown) - pad, min(b[1] for b in shown) - pad,
               max(b[2] for b in shown) + pad, max(b[3] for b in shown) + pad)


def _line_boxes(indices: list[int], boxes: list[tuple | None]) -> list[Box]:
    """One box per printed line of a run of characters (a sentence wrapped over lines)."""
    lines: list[list[int]] = []
    band = (0.0, 0.0)
    for i in indices:
        if not boxes[i]:
            continue
        bottom, top = boxes[i][1], boxes[i][3]
        overlap = min(top, band[1]) - max(bottom, band[0])
        if lines and overlap > 0.5 * min(top - bottom, band[1] - band[0]):
            lines[-1].append(i)
            band = (min(bottom, band[0]), max(top, band[1]))
        else:
            lines.append([i])
            band = (bottom, top)
    return [_union(line, boxes) for line in lines]


# -- rendering ------------------------------------------------------------------------------------

@dataclass
class PageImage:
    png: bytes
    width: int
    height: int
    page_count: int
    located: Located
    # boxes as fractions of the image (left, top, width, height), for an overlay in the browser
    overlay: list[dict] = field(default_factory=list)


def _page_chars(textpage) -> tuple[list[str], list[tuple | None]]:
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # characters outside the BMP: ask one at a time
        text = [textpage.get_text_range(i, 1) or " " for i in range(count)]
    chars, boxes = [], []
    for i in range(count):
        ch = text[i]
        chars.append(ch)
        box = textpage.get_charbox(i) if not ch.isspace() else None
        boxes.append(box if box and box[2] > box[0] and box[3] > box[1] else None)
    return chars, boxes


def render(pdf: Path, page: int, highlight: str = "", scale: float = DEFAULT_SCALE, skip: str = "") -> PageImage:
    """Page ``page`` (1-based) of ``pdf`` as PNG, with ``highlight`` located and boxed."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    with _LOCK:  # PDFium is not thread-safe
        document = pdfium.PdfDocument(str(pdf))
        try:
            count = len(document)
            if not 1 <= page <= count:
                raise EntityNotFound(f"页码 {page} 超出范围：此报告共 {count} 页 (page out of range: {count} pages)")
            pdf_page = document[page - 1]
            left, bottom, right, top = pdf_page.get_cropbox()
            located = Located()
            if highlight:
                textpage = pdf_page.get_textpage()
                chars, boxes = _page_chars(textpage)
                located = locate(chars, boxes, highlight, skip)
                textpage.close()
            image = pdf_page.render(scale=scale).to_pil().convert("RGBA")
            pdf_page.close()
        finally:
            document.close()
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    fractions = []
    for box in located.boxes:
        x0, y0 = (box.left - left) * scale, (top - box.top) * scale
        x1, y1 = (box.right - left) * scale, (top - box.bottom) * scale
        draw.rectangle((x0, y0, x1, y1), fill=FILL, outline=OUTLINE, width=max(2, round(scale * 1.5)))
        fractions.append({"left": x0 / image.width, "top": y0 / image.height,
                          "width": (x1 - x0) / image.width, "height": (y1 - y0) / image.height})
    image = Image.alpha_composite(image, overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return PageImage(out.getvalue(), image.width, image.height, count, located, fractions)


def _to_cache(image: PageImage) -> dict:
    located = image.located
    return {"width": image.width, "height": image.height, "pages": image.page_count, "how": located.how,
            "words": located.words, "rows": located.rows, "overlay": image.overlay,
            "boxes": [[b.left, b.bottom, b.right, b.top] for b in located.boxes]}


def _from_cache(png: bytes, data: dict) -> PageImage:
    located = Located([Box(*box) for box in data["boxes"]], data["how"], data["words"], data["rows"])
    return PageImage(png, data["width"], data["height"], data["pages"], located, data["overlay"])


class PageImages:
    """Rendered pages of one store's reports, cached under ``STORE/page-images/``."""

    def __init__(self, store: Path, reports: dict[str, dict]):
        self.folder = Path(store) / CACHE_FOLDER
        self.reports = reports

    def page(self, report: str, page: int, highlight: str = "", scale: float = DEFAULT_SCALE) -> tuple[str, dict,
                                                                                                       PageImage]:
        iri, entry = find_report(self.reports, report)
        if not is_pdf(entry):
            raise UsageError(f"{entry.get('title')} 是从文本导入的，没有页面图像 (ingested from a text export: "
                             f"no page image; see its text instead)")
        pdf = source_file(entry)
        cached = self._cached(entry, page, highlight, scale)
        sidecar = cached.with_suffix(".json")
        if cached.is_file() and sidecar.is_file():
            try:
                return iri, entry, _from_cache(cached.read_bytes(), json.loads(sidecar.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a damaged cache entry is drawn again
        image = render(pdf, page, highlight, scale, skip=entry.get("title") or "")
        self._save(cached, image.png)
        self._save(sidecar, json.dumps(_to_cache(image), ensure_ascii=False).encode("utf-8"))
        return iri, entry, image

    def _cached(self, entry: dict, page: int, highlight: str, scale: float) -> Path:
        key = hashlib.sha256(f"{entry.get('sha256')}|{page}|{highlight}|{scale}".encode()).hexdigest()[:32]
        return self.folder / f"{key}.png"

    def _save(self, path: Path, data: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only store still serves pages, uncached

    def cached_png(self, report: str, page: int, highlight: str = "", scale: float = DEFAULT_SCALE) -> bytes:
        """The PNG only, from the cache when there (no PDF reading at all)."""
        iri, entry = find_report(self.reports, report)
        cached = self._cached(entry, page, highlight, scale)
        if cached.is_file():
            return cached.read_bytes()
        return self.page(report, page, highlight, scale)[2].png


# -- text exports ----------------------------------------------------------------------------------

def text_context(entry: dict, highlight: str, around: int = 6) -> dict:
    """For a report ingested from a text export: the lines around the cited text.

    ``{"lines": [...], "first": line number of lines[0] (1-based), "marked": [indices into lines]}``"""
    path = source_file(entry)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    chars: list[str] = []
    line_of: list[int] = []
    for number, line in enumerate(lines):
        for ch in line + "\n":
            chars.append(ch)
            line_of.append(number)
    # one pseudo box per character: a line is a row (its number is its height)
    boxes = [None if ch.isspace() else (i, -line_of[i] - 1.0, i + 1, -line_of[i] + 0.0) for i, ch in enumerate(chars)]
    located = locate(chars, boxes, highlight, skip=entry.get("title") or "")
    if not located.rows:
        return {"lines": lines[:around * 2], "first": 1, "marked": [], "how": "none"}
    best = located.rows[0]
    start = max(0, line_of[best[0]] - around)
    end = min(len(lines), line_of[best[-1]] + around + 1)
    marked = sorted({line_of[i] for row in located.rows for i in row} & set(range(start, end)))
    return {"lines": lines[start:end], "first": start + 1, "marked": [m - start for m in marked], "how": located.how}


__all__ = ["Box", "Located", "PageImage", "PageImages", "find_report", "locate", "pieces", "render", "report_id",
           "source_file", "is_pdf", "text_context", "CACHE_FOLDER"]
