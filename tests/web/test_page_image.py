"""The printed page behind the evidence: locating the cited text, the rendered PNG with its
highlight, ``/api/page`` / ``/api/page.png`` / ``/api/source`` on the served PDF store, the
``image`` of each ``/api/ask`` evidence item, and ``budgetkg page``.

The example reports (examples/reports/*.pdf) are the real PDFs; the expected places are
found independently with PDFium's own text search.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from search.web.page_image import locate, pieces
from tests.web.conftest import EXAMPLE_PDFS, QUESTION

DECISION = EXAMPLE_PDFS / "001_01b4697fa3395aa5.pdf"  # 大同市人社局 2023年单位决算
FENYANG = EXAMPLE_PDFS / "003_db945d665acd7731.pdf"
PROCUREMENT = ("2024年汾阳市人力资源和社会保障局政府采购预算总额8.90万元。其中：政府采购货物预算8.90万元、"
               "政府采购工程预算0万元、政府采购服务预算0万元。")


def _search_boxes(pdf: Path, page: int, needle: str) -> list[tuple]:
    """PDFium's own search for ``needle`` on ``page``: the char boxes of each hit."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        textpage = document[page - 1].get_textpage()
        searcher = textpage.search(needle)
        hits = []
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            hits.append([textpage.get_charbox(i) for i in range(start, start + count)])
        return hits
    finally:
        document.close()


def _inside(char: tuple, box: dict) -> bool:
    x, y = (char[0] + char[2]) / 2, (char[1] + char[3]) / 2
    return box["left"] <= x <= box["right"] and box["bottom"] <= y <= box["top"]


# -- locating on synthetic pages -------------------------------------------------------------

def _page(lines: list[str]) -> tuple[list[str], list[tuple | None]]:
    chars, boxes = [], []
    for row, line in enumerate(lines):
        for col, ch in enumerate(line + "\n"):
            chars.append(ch)
            boxes.append(None if ch.isspace() else (col * 10.0, 700 - row * 20.0, col * 10 + 9.0, 712 - row * 20.0))
    return chars, boxes


def test_prose_is_found_as_printed_across_lines():
    chars, boxes = _page(["其他内容", "政府采购预算总额8.90万元。其中：货物", "8.90万元。"])
    found = locate(chars, boxes, "政府采购预算总额8.90万元。其中：货物8.90万元。")
    assert found.how == "exact" and len(found.boxes) == 2  # one box per printed line
    assert found.boxes[0].top > found.boxes[1].top


def test_a_rendered_row_is_found_by_its_name_and_numbers():
    chars, boxes = _page(["J法律顾问费项目支出绩效自评表", "说明 法律顾问费 用于", "法律顾问费 5 5 0 5 0.00"])
    found = locate(chars, boxes, "某局 2023年决算 法律顾问费 全年预算5万元 执行0万元 执行率0%", skip="某局 2023年单位决算")
    assert found.how == "row" and found.words == ["法律顾问费"]
    first = found.boxes[0]  # the row printing the sentence's numbers comes first, widened to the whole line
    assert first.bottom < 666 < first.top and first.right >= 170  # the third line, centre 666, to its end


def test_words_leave_out_amounts_and_the_report_label():
    assert pieces("某局 2023年决算 仲裁委业务费 全年预算7万元 执行率56.28%", skip="某局 2023年单位决算") == ["仲裁委业务费"]


def test_the_row_sharing_the_telling_numbers_comes_first():
    """5.00 is 5 and 1,384.20 is 1384.2; a decimal amount says more than a small count."""
    chars, boxes = _page(["仲裁委业务费 说明 1 2 3", "其他 仲裁委业务费 7.00 3.94 56.28%", "仲裁委业务费 7 1"])
    found = locate(chars, boxes, "某局 仲裁委业务费 全年预算7万元 执行3.94万元 执行率56.28% 等级1")
    assert [b.top for b in found.boxes] == [712 - 20.0 + 1.5, 712 - 40.0 + 1.5, 712 + 1.5]


def test_nothing_found_is_said():
    chars, boxes = _page(["完全无关的一页"])
    assert locate(chars, boxes, "法律顾问费 全年预算5万元").how == "none"


# -- rendering the real PDFs -----------------------------------------------------------------

def test_rendered_page_highlights_the_cited_row():
    from PIL import Image

    from search.web.page_image import render

    image = render(DECISION, 21, "大同市人力资源和社会保障局 2023年决算 仲裁委业务费 全年预算7万元 执行3.94万元",
                   skip="大同市人力资源和社会保障局 2023年单位决算")
    assert image.page_count == 25 and image.located.how == "row"
    name = _search_boxes(DECISION, 21, "仲裁委业务费")
    assert name, "PDFium finds the project on page 21"
    boxes = [b.to_dict() for b in image.located.boxes]
    assert any(all(_inside(c, box) for c in hit) for hit in name for box in boxes)
    picture = Image.open(io.BytesIO(image.png)).convert("RGB")
    assert picture.size == (image.width, image.height)
    box = image.overlay[0]
    left, top = int(box["left"] * image.width), int(box["top"] * image.height)
    right, bottom = left + int(box["width"] * image.width), top + int(box["height"] * image.height)
    assert _yellow(picture.crop((left + 4, top + 4, right - 4, bottom - 4))) > 0.15  # paper between the glyphs turns yellow
    assert _yellow(picture.crop((0, 0, image.width, top - 10))) < 0.01  # and nowhere above it


def _yellow(region) -> float:
    import numpy as np

    pixels = np.asarray(region, dtype=np.int32).reshape(-1, 3)
    r, g, b = pixels[:, 0], pixels[:, 1], pixels[:, 2]
    return float(((r > 230) & (g > 200) & (b < 200)).mean()) if len(pixels) else 0.0


def test_prose_evidence_is_boxed_where_pdfium_finds_it():
    from search.web.page_image import render

    image = render(FENYANG, 10, PROCUREMENT)
    assert image.located.how == "exact" and len(image.located.boxes) == 2
    start = _search_boxes(FENYANG, 10, "政府采购预算总额")[0]
    assert all(_inside(c, image.located.boxes[0].to_dict()) for c in start)


# -- the server --------------------------------------------------------------------------------

def test_ask_evidence_carries_its_page_image(pdf_http):
    answer = pdf_http.get("/api/ask", params={"q": QUESTION}).json()
    assert len(answer["evidence"]) == 4
    for item in answer["evidence"]:
        assert item["image"].startswith("/api/page.png?") and f"page={item['page']}" in item["image"]
        png = pdf_http.get(item["image"])
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
        view = pdf_http.get(item["page_view"]).json()
        assert view["kind"] == "pdf" and view["found"] == "row" and view["boxes"]
        assert view["page"] == item["page"] and view["report"] == item["report"]


def test_page_view_and_pdf_download(pdf_http, pdf_store):
    view = pdf_http.get("/api/page", params={"report": "汾阳", "page": 10, "highlight": PROCUREMENT}).json()
    assert view["found"] == "exact" and view["pages"] == 37 and len(view["overlay"]) == 2
    assert all(0 <= b["left"] < 1 and 0 <= b["top"] < 1 and b["width"] > 0 for b in view["overlay"])
    pdf = pdf_http.get(view["pdf"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == FENYANG.read_bytes()
    assert list((pdf_store / "page-images").glob("*.png")), "rendered pages are cached in the store"


def test_page_errors_have_their_status(pdf_http):
    out_of_range = pdf_http.get("/api/page.png", params={"report": "汾阳", "page": 99})
    assert out_of_range.status_code == 404 and "共 37 页" in out_of_range.json()["message"]
    unknown = pdf_http.get("/api/page", params={"report": "不存在的单位", "page": 1})
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"
    assert pdf_http.get("/api/page", params={"report": "大同", "page": 1}).status_code == 404  # ambiguous


def test_text_export_evidence_shows_the_passage_in_its_lines(http):
    answer = http.get("/api/ask", params={"q": QUESTION}).json()
    item = answer["evidence"][0]
    assert item["image"] is None and item["page_view"]
    view = http.get(item["page_view"]).json()
    assert view["kind"] == "text" and view["pdf"] is None
    context = view["context"]
    assert context["marked"] and len(context["lines"]) > len(context["marked"])
    marked = "\n".join(context["lines"][i] for i in context["marked"])
    assert view["context"]["how"] in ("exact", "row")
    assert any(word in marked for word in ("法律顾问费", "农民工联席办公经费", "仲裁委业务费", "网络运维服务费"))


def test_view_page_shows_the_image_with_its_boxes(pdf_http):
    view = pdf_http.get("/api/page", params={"report": "汾阳", "page": 10, "highlight": PROCUREMENT}).json()
    html = pdf_http.get(view["view"]).text
    assert f'src="{view["image"].replace("&", "&amp;")}"' in html
    assert html.count('class="highlight"') == len(view["overlay"]) == 2
    assert "下一页" in html and "上一页" in html and 'id="source-pdf"' in html and "引文原样找到" in html


def test_view_page_of_a_text_export_marks_the_lines(http):
    item = http.get("/api/ask", params={"q": QUESTION}).json()["evidence"][0]
    view = http.get(item["page_view"]).json()
    html = http.get(view["view"]).text
    assert "从文本导入" in html and html.count("<mark>") == len(view["context"]["marked"]) >= 1


# -- the command line -------------------------------------------------------------------------

def test_budgetkg_page_renders_the_same_image(pdf_store, tmp_path, capsys):
    from cli import main

    out = tmp_path / "p.png"
    text = "大同市人力资源和社会保障局 2023年决算 法律顾问费 全年预算5万元 执行0万元 执行率0%"
    assert main(["page", "大同市人力资源和社会保障局", "14", "--highlight", text, "-o", str(out),
                 "--store", str(pdf_store), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["found"] == "row" and shown["page"] == 14 and out.read_bytes()[:4] == b"\x89PNG"
    assert shown["file"] == str(DECISION.resolve())
    name = _search_boxes(DECISION, 14, "法律顾问费")
    assert any(all(_inside(c, box) for c in hit) for hit in name for box in shown["boxes"])
    assert main(["page", "汾阳", "99", "-o", str(out), "--store", str(pdf_store)]) == 1
    assert "超出范围" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["page", "汾阳"])


def test_budgetkg_page_of_a_text_export_prints_the_lines(web_store, capsys):
    from cli import main

    assert main(["page", "汾阳", "1", "--highlight", PROCUREMENT, "--store", str(web_store)]) == 0
    out = capsys.readouterr()
    marked = [line for line in out.out.splitlines() if line.startswith(">")]
    assert len(marked) == 1 and "政府采购预算总额8.90万元" in marked[0]
    assert "从文本导入" in out.err


def test_a_moved_or_changed_source_is_said(tmp_path):
    """The page is drawn from the file as ingested: gone or changed since, the server says so (503)."""
    import hashlib

    from kg.errors import StoreError
    from search.web.errors import http_status
    from search.web.page_image import PageImages

    copy = tmp_path / "r.pdf"
    copy.write_bytes(FENYANG.read_bytes())
    reports = {"urn:r": {"title": "汾阳 2024年单位预算", "path": str(copy),
                         "sha256": hashlib.sha256(FENYANG.read_bytes()).hexdigest()}}
    images = PageImages(tmp_path / "store", reports)
    first = images.page("汾阳", 10, PROCUREMENT)[2]
    assert first.located.how == "exact" and len(list((tmp_path / "store" / "page-images").glob("*.json"))) == 1
    again = images.page("汾阳", 10, PROCUREMENT)[2]  # from the cache: the same image and boxes
    assert (again.png, again.overlay, again.located.boxes, again.page_count) == \
        (first.png, first.overlay, first.located.boxes, first.page_count)
    copy.write_bytes(FENYANG.read_bytes() + b"\n%changed")
    with pytest.raises(StoreError, match="已改变") as changed:
        images.page("汾阳", 10)
    assert http_status(changed.value) == (503, "store_unavailable")
    copy.unlink()
    with pytest.raises(StoreError, match="不在原处"):
        images.page("汾阳", 10)
