"""The PDF reader: the seed PDFs read back exactly like their text exports, with pages;
bad files raise the right user error; tables, paragraphs, headers and rotation on small
PDFs drawn here with reportlab."""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from kg.errors import CorruptFile, EmptyFile, EncryptedFile, InputFileError, NoTextLayer, NotABudgetReport
from kg.extract import extract, read
from kg.extract.layout import Table, TextLine
from kg.extract.readers.pdf import PdfReader, find_grids, join_wrapped
from kg.extract.readers.text import TextReader
from tests.conftest import FIXTURES, SEEDS

PDFS = FIXTURES / "pdf"
BAD = PDFS / "bad"
STEMS = [p.stem for p in SEEDS]

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = A4


def content(doc) -> list[tuple]:
    """Blocks without pages: ("L", text, heading level if > 0) or ("T", rows)."""
    out = []
    for block in doc.blocks:
        if isinstance(block, Table):
            out.append(("T", [list(r) for r in block.rows]))
        else:
            out.append(("L", block.text, block.heading if block.heading else None))
    return out


@pytest.fixture(scope="module")
def pdf_docs():
    return {stem: PdfReader().read(PDFS / f"{stem}.pdf") for stem in STEMS}


# --------------------------------------------------------------------------- the seed PDFs


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_reads_like_its_text_export(stem, pdf_docs):
    text = TextReader().read(FIXTURES / "seeds" / f"{stem}.txt")
    pdf = pdf_docs[stem]
    expected, got = content(text), content(pdf)
    for i, (a, b) in enumerate(zip(expected, got)):
        assert a == b, f"block {i} differs"
    assert len(expected) == len(got)


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_pages_are_where_they_were_drawn(stem, pdf_docs):
    info = json.loads((PDFS / f"{stem}.pages.json").read_text(encoding="utf-8"))
    doc = pdf_docs[stem]
    assert doc.source.format == "pdf" and doc.source.page_basis == "physical"
    assert doc.source.pages == info["pages"]
    lines = [(b.text, b.page) for b in doc.blocks if isinstance(b, TextLine)]
    assert lines == [tuple(x) for x in info["lines"]]
    tables = doc.tables()
    assert len(tables) == len(info["tables"])
    for table, where in zip(tables, info["tables"]):
        assert next(c for c in table.rows[0] if c) == where["first"]
        assert table.row_pages == where["row_pages"], where["first"]
        assert sorted(set(table.row_pages)) == where["pages"]
        assert table.row_lines == [None] * len(table.rows)
    assert any(len(t["pages"]) > 1 for t in info["tables"]), "no table continues over a page break"


def test_pdf_source_identifies_the_file(pdf_docs):
    import hashlib

    path = PDFS / f"{STEMS[0]}.pdf"
    doc = pdf_docs[STEMS[0]]
    assert doc.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.source.path == str(path)
    assert doc.warnings == []


def test_read_dispatches_pdfs_by_content(tmp_path):
    target = tmp_path / "report_without_suffix"
    target.write_bytes((PDFS / f"{STEMS[2]}.pdf").read_bytes())
    assert content(read(target)) == content(PdfReader().read(PDFS / f"{STEMS[2]}.pdf"))


def test_seed_pdfs_are_small():
    for stem in STEMS:
        assert (PDFS / f"{stem}.pdf").stat().st_size < 400_000


def test_pdfplumber_sees_spanned_header_cells_as_none():
    """The fixtures are realistic: pdfplumber reports cells covered by a span as None."""
    pdfplumber = pytest.importorskip("pdfplumber")
    info = json.loads((PDFS / f"{STEMS[0]}.pages.json").read_text(encoding="utf-8"))
    first = info["tables"][0]
    with pdfplumber.open(PDFS / f"{STEMS[0]}.pdf") as pdf:
        rows = pdf.pages[first["pages"][0] - 1].extract_tables()[0]
    assert rows[0][0] == "收入" and rows[0][1] is None


def test_reading_speed_is_at_least_15_pages_per_second(pdf_docs):
    path = PDFS / f"{STEMS[3]}.pdf"
    best = min(_timed(lambda: PdfReader().read(path)) for _ in range(3))
    pages = pdf_docs[STEMS[3]].source.pages
    assert pages / best >= 15, f"{pages / best:.1f} pages/s"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize("name, error", [
    ("empty.pdf", EmptyFile),
    ("encrypted.pdf", EncryptedFile),
    ("truncated.pdf", CorruptFile),
    ("scanned.pdf", NoTextLayer),
])
def test_bad_pdfs_raise_user_errors_naming_the_file(name, error):
    path = BAD / name
    with pytest.raises(error) as caught:
        read(path)
    assert str(path) in str(caught.value)
    assert isinstance(caught.value, InputFileError)
    with pytest.raises(error):
        PdfReader().read(path)


@pytest.mark.parametrize("data, error", [
    (b"", EmptyFile),
    (b"   \n", EmptyFile),
    (b"this is not a PDF at all", CorruptFile),
    (b"%PDF-1.4\n" + b"\x00garbage\xff" * 200 + b"\n%%EOF\n", CorruptFile),
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", CorruptFile),
])
def test_damaged_bytes_raise_user_errors(tmp_path, data, error):
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(error) as caught:
        PdfReader().read(path)
    assert str(path) in str(caught.value)


def test_truncated_after_eof_marker_still_corrupt(tmp_path):
    whole = (PDFS / f"{STEMS[0]}.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3] + b"\n%%EOF\n")
    with pytest.raises(CorruptFile):
        PdfReader().read(path)


def test_letter_is_read_but_is_not_a_budget_report():
    doc = read(BAD / "letter.pdf")
    assert content(doc)[0] == ("L", "关于邀请参加社区读书分享会的函", 1)
    assert all(isinstance(b, TextLine) for b in doc.blocks)
    with pytest.raises(NotABudgetReport):
        extract(BAD / "letter.pdf")


def test_owner_password_pdf_is_read_with_a_warning(pdf_docs):
    """Restrictions only: it opens without a password. Without a CJK font installed,
    PDFium drops lone characters of the non-embedded font (see the reader) and pdfminer
    cannot map the fonts of this encrypted file either: those characters are missing and
    a warning says so; nothing else differs."""
    doc = read(BAD / "owner_password.pdf")
    assert any("权限密码" in w for w in doc.warnings)
    expected = pdf_docs[STEMS[0]].tables()
    got = doc.tables()
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert len(a.rows) == len(b.rows)
        for row_a, row_b in zip(a.rows, b.rows):
            for cell_a, cell_b in zip(row_a, row_b):
                it = iter(cell_b)
                assert all(ch in it for ch in cell_a), (cell_a, cell_b)  # cell_a is cell_b less some characters


def test_gbk_text_export_reads_like_utf8():
    gbk = TextReader().read(BAD / "000_gbk.txt")
    utf8 = TextReader().read(SEEDS[0])
    assert gbk.source.encoding == "gb18030"
    assert content(gbk) == content(utf8)


# --------------------------------------------------------------------------- small drawn PDFs


def _pdf(tmp_path: Path, draw, pages: int = 1, name: str = "t.pdf", rotations=None) -> Path:
    path = tmp_path / name
    canv = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(pages):
        if rotations:
            canv.setPageRotation(rotations[page])
        draw(canv, page)
        canv.showPage()
    canv.save()
    return path


def _grid(canv, x0: float, top: float, widths: list[float], rows: list[list[str]], row_h: float = 18,
          size: float = 9, filled: bool = False, spans: dict | None = None) -> float:
    """A ruled table; ``spans`` maps (row, col) to the number of columns it covers."""
    spans = spans or {}
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top - i * row_h for i in range(len(rows) + 1)]
    canv.setFont(FONT, size)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            span = spans.get((r, c), 1)
            if row[c]:
                canv.drawString(xs[c] + 2, ys[r] - row_h + 5, row[c])
            # left border of this cell, and the bottom border under it
            _line(canv, xs[c], ys[r + 1], xs[c], ys[r], filled)
            c += span
        _line(canv, xs[-1], ys[r + 1], xs[-1], ys[r], filled)
    for y in ys:
        _line(canv, xs[0], y, xs[-1], y, filled)
    return ys[-1]


def _line(canv, x0, y0, x1, y1, filled: bool) -> None:
    if filled:  # Word/Excel style: borders as thin filled rectangles
        canv.rect(min(x0, x1) - 0.3, min(y0, y1) - 0.3, abs(x1 - x0) + 0.6, abs(y1 - y0) + 0.6, stroke=0, fill=1)
    else:
        canv.setLineWidth(0.5)
        canv.line(x0, y0, x1, y1)


HEADER = [["项目", "本年预算", "上年预算"]]
BODY = [[f"第{i}项支出", f"{i}.50", f"{i}.00"] for i in range(1, 9)]


def test_table_split_over_two_pages_is_one_table_without_the_repeated_header(tmp_path):
    def draw(canv, page):
        canv.setFont(FONT, 9)
        canv.drawCentredString(W / 2, 30, f"- {page + 1} -")
        if page == 0:
            canv.setFont(FONT, 10.5)
            canv.drawString(72, 760, "表一 支出预算表")
            _grid(canv, 72, 740, [150, 100, 100], HEADER + BODY[:5])
        else:
            _grid(canv, 72, 780, [150, 100, 100], HEADER + BODY[5:])
            canv.setFont(FONT, 10.5)
            canv.drawString(72, 560, "注：本表金额单位为万元。")

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=2))
    assert [type(b).__name__ for b in doc.blocks] == ["TextLine", "Table", "TextLine"]
    table = doc.blocks[1]
    assert table.rows == HEADER + BODY
    assert table.row_pages == [1] * 6 + [2] * 3


def test_continuation_without_repeated_header_and_other_columns_stays_apart(tmp_path):
    def draw(canv, page):
        if page == 0:
            _grid(canv, 72, 740, [150, 100, 100], HEADER + BODY[:4])
        elif page == 1:
            _grid(canv, 72, 780, [150, 100, 100], BODY[4:])  # same columns: continued
        else:
            _grid(canv, 72, 780, [120, 130, 100], BODY[:2])  # other borders: a new table

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=3))
    tables = doc.tables()
    assert len(tables) == 2
    assert tables[0].rows == HEADER + BODY
    assert tables[1].rows == BODY[:2]


def test_tables_drawn_with_filled_rectangles_and_spanned_cells(tmp_path):
    rows = [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"], ["一般公共预算", "452.76", "社会保障", "390.44"]]

    def draw(canv, page):
        _grid(canv, 72, 740, [120, 80, 120, 80], rows, filled=True, spans={(0, 0): 2, (0, 2): 2})

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert content(doc) == [("T", rows)]


def test_find_grids_merges_cells_without_inner_borders():
    h = [(100, 0, 200), (80, 0, 200), (60, 0, 200)]
    v = [(0, 60, 100), (200, 60, 100), (100, 60, 80), (150, 60, 100)]  # x=100 only in the lower row
    [grid] = find_grids(h, v)
    assert grid.xs == [0, 100, 150, 200] and grid.ys == [100, 80, 60]
    assert grid.owner[0] == [(0, 0), (0, 0), (0, 2)]
    assert grid.owner[1] == [(1, 0), (1, 1), (1, 2)]


def test_a_framed_box_is_not_a_table(tmp_path):
    def draw(canv, page):
        canv.rect(60, 600, 470, 150)
        canv.setFont(FONT, 10.5)
        canv.drawString(72, 700, "说明：框内文字不是表格。")

    assert content(PdfReader().read(_pdf(tmp_path, draw))) == [("L", "说明：框内文字不是表格。", None)]


BODY_SIZE = 10.5
LEFT, RIGHT = 72.0, W - 72.0


def _paragraph(canv, y: float, lines: list[str], indent: bool = True, size: float = BODY_SIZE) -> float:
    canv.setFont(FONT, size)
    for i, line in enumerate(lines):
        canv.drawString(LEFT + (2 * size if indent and i == 0 else 0), y, line)
        y -= size * 1.5
    return y


def _fill_line(prefix: str, width: float, size: float = BODY_SIZE, filler: str = "预算执行情况良好") -> str:
    text = prefix
    k = 0
    while pdfmetrics.stringWidth(text + filler[k % len(filler)], FONT, size) <= width:
        text += filler[k % len(filler)]
        k += 1
    return text


def test_wrapped_paragraphs_come_back_as_one_line_each(tmp_path):
    full_first = _fill_line("一、", RIGHT - LEFT - 2 * BODY_SIZE)
    full = _fill_line("", RIGHT - LEFT)
    last = "全年支出452.76万元。"
    second_full = _fill_line("二、", RIGHT - LEFT - 2 * BODY_SIZE)

    def draw(canv, page):
        y = _paragraph(canv, 760, [full_first, full, last])
        y = _paragraph(canv, y - 4, [second_full])  # a full one-line paragraph ...
        y = _paragraph(canv, y - 4, ["三、下一段首行缩进，不是上一段的续行。"])  # ... then an indented one
        y = _paragraph(canv, y - 4, ["短行", "不缩进的下一行也不是续行"], indent=False)

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert [b.text for b in doc.blocks] == [
        full_first + full + last, second_full, "三、下一段首行缩进，不是上一段的续行。", "短行", "不缩进的下一行也不是续行"]


def test_latin_words_wrapped_at_a_space_keep_the_space(tmp_path):
    words = "Budget execution report " * 6
    first = ""
    for word in words.split():
        if pdfmetrics.stringWidth(first + word + " ", FONT, BODY_SIZE) > RIGHT - LEFT:
            break
        first += word + " "
    rest = words[len(first):].strip()

    def draw(canv, page):
        _paragraph(canv, 760, [first.rstrip(), rest], indent=False)  # the wrap space is not drawn

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert [b.text for b in doc.blocks] == [words.strip()]


def test_paragraph_continued_on_the_next_page(tmp_path):
    full = _fill_line("四、", RIGHT - LEFT - 2 * BODY_SIZE)

    def draw(canv, page):
        canv.setFont(FONT, 9)
        canv.drawCentredString(W / 2, 30, f"- {page + 1} -")
        if page == 0:
            _paragraph(canv, 100, [full])
        else:
            _paragraph(canv, 770, ["续完。"], indent=False)

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=2))
    assert [(b.text, b.page) for b in doc.blocks] == [(full + "续完。", 1)]


def test_join_wrapped():
    assert join_wrapped("预算", "执行") == "预算执行"
    assert join_wrapped("report", "2024") == "report 2024"
    assert join_wrapped("万元 , ", "下降") == "万元 , 下降"
    assert join_wrapped("12.", "51") == "12.51"


def _watermark(canv) -> None:
    """A grey diagonal 内部资料请勿外传 across the middle of the page."""
    canv.saveState()
    canv.translate(W / 2, H / 2)
    canv.rotate(45)
    canv.setFont(FONT, 48)
    canv.setFillGray(0.85)
    canv.drawCentredString(0, 0, "内部资料请勿外传")
    canv.restoreState()


def test_running_headers_footers_and_watermarks_are_dropped(tmp_path):
    def draw(canv, page):
        canv.setFont(FONT, 9)
        canv.drawString(72, H - 35, f"大同市2024年部门预算公开　第{page + 1}页")  # running header with a number
        canv.drawCentredString(W / 2, H - 48, "仅供内部审核")
        canv.drawCentredString(W / 2, 30, f"第 {page + 1} 页，共 4 页")
        _watermark(canv)
        canv.setFont(FONT, 10.5)
        canv.drawString(72, 760, "单位：万元")  # repeated on every page, but in the body: kept
        canv.drawString(72, 740, f"正文第{page + 1}页。")

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=4))
    assert [b.text for b in doc.blocks] == [x for p in range(4) for x in ("单位：万元", f"正文第{p + 1}页。")]


def test_an_italic_number_on_a_page_with_turned_text_is_kept(tmp_path):
    """Sheared glyphs (an italic 57.83 in 增长57.83%) sit on a level baseline: a page whose
    diagonal watermark makes the reader drop turned text keeps them."""
    def draw(canv, page):
        _watermark(canv)
        canv.setFont(FONT, 10.5)
        canv.drawString(72, 740, "与上年相比增加1,341.22万元，增长")
        italic = canv.beginText()
        italic.setTextTransform(1, 0, 0.33, 1, 72 + 10.5 * 17, 740)
        italic.setFont(FONT, 10.5)
        italic.textOut("57.83")
        canv.drawText(italic)
        canv.setFont(FONT, 10.5)
        canv.drawString(72 + 10.5 * 17 + 30, 740, "%。主要原因是调整。")

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert [b.text.replace(" ", "") for b in doc.blocks] == ["与上年相比增加1,341.22万元，增长57.83%。主要原因是调整。"]


def test_headings_by_font_size(tmp_path):
    def draw(canv, page):
        y = 780
        for text, size in (("目录", 18), ("第一部分概况", 15), ("一、职责", 13), ("正文，字数比标题多。", 10.5),
                           ("正文二。", 10.5), ("二、机构", 13)):
            canv.setFont(FONT, size)
            canv.drawString(72, y, text)
            y -= 30

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert [(b.text, b.heading) for b in doc.blocks] == [
        ("目录", 1), ("第一部分概况", 2), ("一、职责", 3), ("正文，字数比标题多。", None), ("正文二。", None),
        ("二、机构", 3)]


def test_rotated_landscape_pages(tmp_path):
    rows = [["项目", "金额"], ["合计", "12.50"], ["无", "优"]]

    def draw(canv, page):
        rotation = (0, 90, 180, 270)[page]
        canv.saveState()
        if rotation == 90:
            canv.translate(W, 0)
        elif rotation == 180:
            canv.translate(W, H)
        elif rotation == 270:
            canv.translate(0, H)
        canv.rotate(rotation)
        height = W if rotation in (90, 270) else H
        canv.setFont(FONT, 12)
        canv.drawString(72, height - 100, f"横向表{page + 1}")
        _grid(canv, 72, height - 130, [200, 150], rows)
        canv.restoreState()

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=4, rotations=(0, 90, 180, 270)))
    expected = []
    for page in range(4):
        expected += [("L", f"横向表{page + 1}", None), ("T", rows)]
    assert content(doc) == expected
    assert [b.page for b in doc.blocks] == [1, 1, 2, 2, 3, 3, 4, 4]


def _lone_chars_pdf(tmp_path):
    def draw(canv, page):
        canv.setFont(FONT, 10.5)
        canv.drawString(72, 760, "（一）政府购买服务指导性目录")
        canv.drawString(72 + 21, 740, "无")
        _grid(canv, 72, 700, [150, 100], [["自评等级", "优"], ["偏差", "无"]])

    return _pdf(tmp_path, draw)


LONE_EXPECTED = [("L", "（一）政府购买服务指导性目录", None), ("L", "无", None), ("T", [["自评等级", "优"], ["偏差", "无"]])]


def test_lone_chinese_characters_in_a_non_embedded_font_are_kept(tmp_path):
    doc = PdfReader().read(_lone_chars_pdf(tmp_path))
    assert content(doc) == LONE_EXPECTED
    assert doc.warnings == []


def test_characters_pdfium_drops_are_taken_from_pdfminer(tmp_path, monkeypatch):
    """Without a CJK font installed, PDFium's text page skips a lone glyph of a non-embedded
    CJK font (the object has no width). Simulated here whatever fonts this machine has:
    the lone characters vanish from PDFium's characters and their objects are reported
    as hidden, as ``_rulings`` does on such a machine."""
    import kg.extract.readers.pdf as reader

    real_chars, real_rulings = reader._chars, reader._rulings
    hidden: list = []

    def rulings(page, view):
        horizontal, vertical, found = real_rulings(page, view)
        hidden.clear()
        found["hidden"] = hidden
        return horizontal, vertical, found

    def chars(page, view, check_angles):
        out = real_chars(page, view, check_angles)
        hidden.extend((c.x0, c.y0 - 3, c.x0, c.y1) for c in out if c.text in "无优")  # origin: left, baseline
        return [c for c in out if c.text not in "无优"]

    monkeypatch.setattr(reader, "_rulings", rulings)
    monkeypatch.setattr(reader, "_chars", chars)
    doc = PdfReader().read(_lone_chars_pdf(tmp_path))
    assert content(doc) == LONE_EXPECTED
    assert hidden, "the simulation did not hide anything"


def test_no_traceback_for_a_page_pdfium_cannot_parse(tmp_path):
    good = (PDFS / f"{STEMS[2]}.pdf").read_bytes()
    broken = bytearray(good)
    start = broken.find(b"stream", len(broken) // 2)
    assert start > 0
    broken[start + 10:start + 400] = b"\x00" * 390  # damage one compressed content stream
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(broken))
    try:
        doc = PdfReader().read(path)
    except InputFileError as err:  # refused: one line naming the file
        assert str(path) in str(err) and "\n" not in str(err)
    else:  # or read: what pdfium could parse is still there
        assert list(doc.lines())


def test_image_only_pages_in_a_text_pdf_are_reported(tmp_path):
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (200, 100), 128).save(image, "PNG")
    image.seek(0)

    def draw(canv, page):
        if page == 0:
            canv.setFont(FONT, 10.5)
            canv.drawString(72, 760, "第一页有文字。")
        else:
            canv.drawImage(ImageReader(image), 72, 500, 200, 100)

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=2))
    assert [b.text for b in doc.blocks] == ["第一页有文字。"]
    assert any("第2页没有文本层" in w for w in doc.warnings)


def test_split_function_codes_stay_in_their_cells(tmp_path):
    """Shanghai-style tables print 类/款/项 in separate columns and amounts in 元; the reader
    keeps the cells as printed and leaves the joining to the table parsers."""
    rows = [["科目编码", "", "", "科目名称", "金额"], ["类", "款", "项", "", ""],
            ["201", "", "", "一般公共服务支出", "1,234,567.89"], ["201", "13", "", "商贸事务", "234,567.00"],
            ["201", "13", "01", "行政运行", "34,567.00"]]

    def draw(canv, page):
        canv.setFont(FONT, 10.5)
        canv.drawString(72, 760, "单位：元")
        _grid(canv, 72, 740, [40, 40, 40, 180, 120], rows, spans={(0, 0): 3})

    assert content(PdfReader().read(_pdf(tmp_path, draw))) == [("L", "单位：元", None), ("T", rows)]


def test_text_running_over_a_cell_border_returns_to_its_cell(tmp_path):
    """A name wider than its cell runs into the amount cell beside it ('1、人员经费和公用经费支 |
    出2,022.39' in a Shaanxi 收支总表): the overflowing characters belong to the name. Two
    words printed edge to edge in neighbouring cells ('一级指标' | '二级指标') stay apart."""
    def draw(canv, page):
        _grid(canv, 72, 740, [60, 100], [["名称", "金额"], ["", ""]])
        canv.drawString(74, 740 - 36 + 5, "1、人员经费和公用经费支出")  # 99pt wide in a 60pt cell
        canv.drawRightString(230, 740 - 36 + 5, "2,022.39")
        _grid(canv, 72, 640, [34, 40, 60], [["", "", "指标值"], ["数量指标", "", "1"]])
        canv.drawString(74, 640 - 18 + 5, "一级指标")  # 36pt from x 74: ends past the border at 106
        canv.drawString(110, 640 - 18 + 5, "二级指标")

    tables = [block.rows for block in PdfReader().read(_pdf(tmp_path, draw)).blocks if isinstance(block, Table)]
    assert tables[0] == [["名称", "金额"], ["1、人员经费和公用经费支出", "2,022.39"]]
    assert tables[1][0] == ["一级指标", "二级指标", "指标值"]


def test_a_figure_boxed_inside_a_sentence_stays_in_the_sentence(tmp_path):
    """A box drawn around one figure of a paragraph (a revision mark: '减少 [29.|30] 万元') is not
    a table: the figure stays in its sentence."""
    def draw(canv, page):
        canv.setFont(FONT, 10.5)
        canv.drawString(72, 700, "机关运行经费2045.01万元，比上年预算减少")
        x = 72 + canv.stringWidth("机关运行经费2045.01万元，比上年预算减少", FONT, 10.5) + 4
        canv.drawString(x, 700, "29.30")
        _grid(canv, x - 2, 714, [13, 16], [["", ""]])
        canv.setFont(FONT, 10.5)
        canv.drawString(x + 32, 700, "万元，下降1.41%。")

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert not doc.tables()
    assert "减少29.30万元" in "".join(line.text for line in doc.lines()).replace(" ", "")


def test_prose_wrapped_inside_a_narrower_block_than_other_pages_is_one_paragraph(tmp_path):
    """Another page of the same size prints further right (a caption at the page edge): the
    prose page's own right edge, shared by its full lines, tells where its lines wrap."""
    lines = ["负责本行政区域内气象事业发展规划，计划及气象业务建设", "的组织实施，对本行政区域内的气象活动进行指导和监督，",
             "负责本行政区域内气象监测网络工作的管理，依法保护气象", "探测环境。"]

    def draw(canv, page):
        canv.setFont(FONT, 10.5)
        if page == 0:
            for i, text in enumerate(lines):
                canv.drawString(72, 700 - 16 * i, text)
        else:
            canv.drawRightString(W - 20, 760, "单位：万元（表格说明，印在页边）")

    doc = PdfReader().read(_pdf(tmp_path, draw, pages=2))
    assert [line.text for line in doc.lines() if line.page == 1] == ["".join(lines)]


INDICATORS = [["一级指标", "二级指标", "三级指标", "指标值"],
              ["产出指标", "数量指标", "清查户数（万户）", "≥110"],
              ["", "", "宣传类型（项）", "≥10"],
              ["", "", "数据准确率（%）", "≥95"]]


def test_a_label_printed_under_the_last_ruling_is_the_last_rows_cell(tmp_path):
    """A merged 二级指标 cell cut by the page break prints its label centred on the whole cell,
    under the table's last ruling on this page; a note under a table stays a text line."""
    def draw(canv, page):
        bottom = _grid(canv, 72, 300, [80, 90, 150, 80], INDICATORS)
        canv.setFont(FONT, 9)
        canv.drawString(72 + 80 + 12, bottom - 12, "质量指标")

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert content(doc)[-1] == ("T", INDICATORS[:3] + [["", "质量指标", "数据准确率（%）", "≥95"]])

    def draw_note(canv, page):
        bottom = _grid(canv, 72, 300, [80, 90, 150, 80], INDICATORS)
        canv.setFont(FONT, 9)
        canv.drawString(74, bottom - 12, "注：本表")

    doc = PdfReader().read(_pdf(tmp_path, draw_note, name="note.pdf"))
    assert content(doc) == [("T", INDICATORS), ("L", "注：本表", None)]
