"""Paragraphs whatever the producer did with sizes and spacing: text drawn at a nominal font
size under a scaling matrix, and reports set in double line spacing."""
from __future__ import annotations

from tests.extract.test_pdf_reader import BODY_SIZE, FONT, LEFT, RIGHT, _fill_line, _pdf

from kg.extract.readers.pdf import PdfReader

FIRST = _fill_line("一、", RIGHT - LEFT - 2 * BODY_SIZE)
FULL = _fill_line("", RIGHT - LEFT)
LAST = "全年支出452.76万元。"
NEXT = "二、下一段首行缩进，不是上一段的续行。"


def _lines(canv, y: float, pitch: float, scale: float = 1.0) -> None:
    """FIRST FULL LAST as one paragraph, then NEXT indented; drawn at BODY_SIZE on the page
    through a text state of BODY_SIZE / scale under a ``scale`` matrix."""
    canv.saveState()
    canv.scale(scale, scale)
    canv.setFont(FONT, BODY_SIZE / scale)
    for i, (text, indent) in enumerate([(FIRST, True), (FULL, False), (LAST, False), (NEXT, True)]):
        x = LEFT + (2 * BODY_SIZE if indent else 0)
        canv.drawString(x / scale, (y - i * pitch) / scale, text)
    canv.restoreState()


def _paragraphs(tmp_path, **kwargs) -> list[str]:
    doc = PdfReader().read(_pdf(tmp_path, lambda canv, page: _lines(canv, 760, **kwargs)))
    return [b.text for b in doc.blocks]


def test_text_under_a_scaling_matrix_is_measured_at_its_drawn_size(tmp_path):
    """A font set at 210 pt under a 1/20 matrix (or at 1 pt under ×10.5) is 10.5 pt on the page:
    gaps, indents and line pitches are judged against that, so the lines still join."""
    for scale in (1 / 20, 10.5):
        assert _paragraphs(tmp_path, pitch=1.5 * BODY_SIZE, scale=scale) == [FIRST + FULL + LAST, NEXT]


def test_double_spaced_lines_of_a_paragraph_are_joined(tmp_path):
    """Lines 2.2 font sizes apart, as every line of the page is: one paragraph, and the next
    indented line still starts its own."""
    assert _paragraphs(tmp_path, pitch=2.2 * BODY_SIZE) == [FIRST + FULL + LAST, NEXT]


def test_a_lone_line_far_below_a_paragraph_is_not_its_continuation(tmp_path):
    """Only the page's usual pitch stretches the limit: a line 2.6 sizes below the previous one on a
    page set at 1.5 does not continue it."""
    def draw(canv, page):
        canv.setFont(FONT, BODY_SIZE)
        y = 760
        for text in (FIRST, FULL, FULL, FULL):
            canv.drawString(LEFT if text is FULL else LEFT + 2 * BODY_SIZE, y, text)
            y -= 1.5 * BODY_SIZE
        canv.drawString(LEFT, y - 1.1 * BODY_SIZE, LAST)

    doc = PdfReader().read(_pdf(tmp_path, draw))
    assert [b.text for b in doc.blocks] == [FIRST + FULL * 3, LAST]
