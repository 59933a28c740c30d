"""Draw a lineage graph as a PNG (matplotlib; a CJK font from the system for the labels)."""
from __future__ import annotations

import sys

import networkx as nx

from kg.errors import UsageError

COLOURS = {"department": "#c0392b", "unit": "#e67e22", "report": "#7f8c8d", "project": "#2980b9",
           "funding_level": "#27ae60", "document": "#8e44ad", "function_class": "#16a085", "series": "#34495e"}
# left to right: where money and authority come from, what it funds, who reports it
LAYERS = {"funding_level": 0, "document": 1, "series": 2, "project": 3, "function_class": 4, "report": 5, "unit": 6,
          "department": 7}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Source Han Sans SC",
             "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN")


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


def draw_png(graph: nx.DiGraph, path: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise UsageError("画图需要 matplotlib (PNG output needs matplotlib): pip install 'budgetkg[viz]'") from None
    font = _cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font]
    else:
        print("注意：未找到中文字体，标签可能显示为方框；请安装 fonts-noto-cjk 或 fonts-wqy-microhei "
              "(no CJK font found: labels may show as boxes)", file=sys.stderr)
    for node in graph.nodes:
        graph.nodes[node]["layer"] = LAYERS.get(graph.nodes[node].get("kind"), len(LAYERS))
    tallest = max(sum(1 for n in graph.nodes if graph.nodes[n]["layer"] == layer) for layer in set(LAYERS.values()) | {len(LAYERS)})
    figure = plt.figure(figsize=(16, max(6, 0.55 * tallest + 2)), dpi=110)
    layout = nx.multipartite_layout(graph, subset_key="layer", align="vertical")
    colours = [COLOURS.get(graph.nodes[n].get("kind"), "#95a5a6") for n in graph.nodes]
    nx.draw_networkx_nodes(graph, layout, node_color=colours, node_size=420, alpha=0.9)
    nx.draw_networkx_edges(graph, layout, arrows=True, arrowsize=12, edge_color="#aaaaaa")
    labels = {n: str(graph.nodes[n].get("label", n))[:22] for n in graph.nodes}
    nx.draw_networkx_labels(graph, layout, labels=labels, font_size=8,
                            font_family=plt.rcParams["font.sans-serif"][0] if font else "sans-serif")
    money = {(a, b): f"{d['annual_wan']:g}万元" for a, b, d in graph.edges(data=True) if d.get("annual_wan")}
    nx.draw_networkx_edge_labels(graph, layout, edge_labels=money, font_size=7,
                                 font_family=plt.rcParams["font.sans-serif"][0] if font else "sans-serif")
    plt.axis("off")
    plt.title(graph.graph.get("root_name", ""))
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
