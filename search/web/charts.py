"""Charts drawn on the server as SVG: no script, no library, nothing from the network.

``bar_chart`` draws one horizontal bar per item (``rect.bar`` with ``data-label`` and
``data-value``, a ``<title>`` tooltip, the value printed after the bar); an item with a page
links to that page of the report. The SVG is inline-safe (every text escaped).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = ("#b3261e", "#2471a3", "#ca6f1e", "#1e8449", "#7d3c98", "#148f77", "#9a7d0a", "#566573")
WIDTH = 560
ROW = 28
LABEL_WIDTH = 170


@dataclass
class Bar:
    label: str
    value: Decimal | float | int
    page: int | None = None
    href: str | None = None


def _number(value) -> str:
    text = f"{Decimal(str(value)):,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _fit(label: str, limit: int = 12) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, bars: list[Bar], unit: str = "万元") -> str:
    """An SVG of ``bars`` (values ≥ 0 drawn to scale; a negative value is drawn as 0 and printed)."""
    top = 30
    height = top + ROW * max(1, len(bars)) + 12
    largest = max((float(b.value) for b in bars), default=0.0)
    span = WIDTH - LABEL_WIDTH - 110
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" data-bars="{len(bars)}">',
             f'<text class="chart-title" x="0" y="18" font-size="14" font-weight="600">{escape(title)}'
             f'<tspan font-size="11" fill="#616e7c">（{escape(unit)}）</tspan></text>']
    if not bars:
        parts.append(f'<text x="0" y="{top + 18}" font-size="12" fill="#616e7c">报告中没有这些数据</text>')
    for i, bar in enumerate(bars):
        y = top + i * ROW
        value = float(bar.value)
        length = 0.0 if largest <= 0 or value <= 0 else max(2.0, span * value / largest)
        colour = PALETTE[i % len(PALETTE)]
        where = f"，第{bar.page}页" if bar.page else ""
        tip = f"{bar.label}：{_number(bar.value)}{unit}{where}"
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" font-size="12" text-anchor="end">'
                     f'<title>{escape(bar.label)}</title>{escape(_fit(bar.label))}</text>')
        rect = (f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 5}" width="{length:.1f}" height="{ROW - 10}" '
                f'fill="{colour}" data-label="{escape(bar.label)}" data-value="{escape(str(bar.value))}">'
                f'<title>{escape(tip)}</title></rect>')
        if bar.href:
            rect = f'<a href="{escape(bar.href)}">{rect}</a>'
        parts.append(rect)
        parts.append(f'<text class="value" x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 17}" font-size="12" '
                     f'fill="#3e4c59">{escape(_number(bar.value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["Bar", "bar_chart"]
