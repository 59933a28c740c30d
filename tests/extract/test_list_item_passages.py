"""A numbered list whose short items the reader took for headings: an item whose text is the next
item (2.… heading, 3.… its paragraph) is still a passage, so a search for it finds it."""
from __future__ import annotations

from kg.extract.report import build_report
from kg.passages import PassageBuilder

from tests.extract.test_family_rules import SUMMARY, doc


def test_a_list_item_read_as_a_heading_keeps_its_passage():
    report = build_report(doc((1, "上海市2026年市级单位预算"), (1, "预算单位：上海市某某研究院"), (2, "收支总表"), (2, "单位：万元"),
                              (2, SUMMARY), (3, "一、上海市某某研究院主要职能"),
                              (3, "上海市某某研究院是从事刑事科学技术研究的事业性科研单位。"), (3, "主要职能包括："),
                              (3, "1.刑事科学技术及其相关领域、交叉学科的应用理论研究；"),
                              (3, "2.现场勘验、物证快速识别技术的研究；"),
                              (3, "3.现场疑难物证发现、提取技术方法和标准的研究；")))
    texts = [p.text for p in PassageBuilder(report).build()]
    assert any("2.现场勘验、物证快速识别技术的研究" in t for t in texts), texts
    assert any("3.现场疑难物证发现" in t for t in texts)
