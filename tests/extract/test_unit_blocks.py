"""Tables a department prints unit by unit: each line knows the 预算单位 whose row or block it is
(``BudgetLine.block_unit``, ``bkg:spendingUnit``), so one code printed once per unit is no duplicate."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS

from kg.extract import extract
from kg.extract.report import build_report
from kg.graph.builder import build_graph
from kg.graph.vocab import BKG

from tests.extract.test_family_rules import SUMMARY, doc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
COVER = [(1, "2019年"), (1, "西安市某某局部门预算"), (2, "收支总表"), (2, "单位：万元"), (2, SUMMARY)]


def _blocks(table):
    return [(line.code, line.name, line.block_unit) for line in table.lines]


def test_blocks_under_unit_codes_and_the_department_under_its_total():
    """合计 / 125001 西安市某某局 (less than the 合计: its own part) / its lines / 125002 next unit / …"""
    rows = [["功能科目编码", "功能科目名称", "合计", "人员经费支出"],
            ["", "合计", "300.00", "200.00"],
            ["125001", "西安市某某局", "200.00", "150.00"],
            ["2240101", "行政运行", "200.00", "150.00"],
            ["125002", "西安市某某宣传教育中心", "100.00", "50.00"],
            ["2240101", "行政运行", "100.00", "50.00"]]
    report = build_report(doc(*COVER, (7, "表5"), (7, "2019年部门综合预算一般公共预算支出明细表（按支出功能分类科目）"),
                              (7, "单位：万元"), (7, rows)))
    [table] = [t for t in report.tables if "明细表" in t.title]
    assert _blocks(table) == [(None, "合计", None), (None, "西安市某某局", "西安市某某局（本级）"),
                              ("2240101", "行政运行", "西安市某某局（本级）"),
                              (None, "西安市某某宣传教育中心", "西安市某某宣传教育中心"),
                              ("2240101", "行政运行", "西安市某某宣传教育中心")]


def test_a_single_heading_row_is_no_table_by_unit():
    rows = [["科目编码", "科目名称", "合计"],
            ["", "西安市某某局", "200.00"],
            ["2240101", "行政运行", "150.00"],
            ["2240106", "安全监管", "50.00"]]
    report = build_report(doc(*COVER, (7, "一般公共预算支出表"), (7, "单位：万元"), (7, rows)))
    [table] = [t for t in report.tables if t.title == "一般公共预算支出表"]
    assert all(line.block_unit is None for line in table.lines)


@pytest.fixture(scope="module")
def shenzhen():
    return extract(FIXTURES / "doc08.pdf")  # 深圳市人力资源和社会保障局 2026年部门预算


def test_a_department_row_then_its_own_part_then_members(shenzhen):
    """支出总表 with a 预算单位 column: the department's first row is the department, the row
    marked 本级 its own part; each code occurs once per unit."""
    [table] = [t for t in shenzhen.tables if t.title == "支出总表"]
    heads = [(line.name, line.block_unit) for line in table.lines if line.block_unit][:3]
    assert heads == [("深圳市人力资源和社会保障局", "深圳市人力资源和社会保障局"),
                     ("深圳市人力资源和社会保障局（本级）", "深圳市人力资源和社会保障局（本级）"),
                     ("教育支出", "深圳市人力资源和社会保障局（本级）")]
    coded = [(line.code, line.block_unit, line.side) for line in table.lines if line.code]
    assert len(coded) == len(set(coded)) and len(coded) > 300
    assert len({line.block_unit for line in table.lines if line.block_unit}) >= 20


def test_the_graph_links_block_lines_to_their_unit(shenzhen):
    _, graph = build_graph(shenzhen)
    assert len(set(graph.objects(None, BKG.spendingUnit))) >= 20
    own = [unit for line, unit in graph.subject_objects(BKG.spendingUnit)
           if str(graph.value(line, BKG.lineName)) == "深圳市考试院"]
    assert own and all(str(graph.value(unit, RDFS.label)) == "深圳市考试院" for unit in own)


def test_a_kuan_printed_by_its_own_two_digits_takes_its_class():
    """西安's tables print 208 / 05 行政事业单位离退休 / 2080505 …: the 款 is 20805."""
    rows = [["功能科目编码", "功能科目名称", "合计"],
            ["", "合计", "115.11"],
            ["208", "社会保障和就业支出", "115.11"],
            ["05", "行政事业单位离退休", "113.28"],
            ["2080505", "机关事业单位基本养老保险缴费支出", "81.23"],
            ["99", "其他社会保障和就业支出", "1.83"]]
    report = build_report(doc(*COVER, (7, "2019年部门综合预算一般公共预算支出明细表（按支出功能分类科目）"),
                              (7, "单位：万元"), (7, rows)))
    [table] = [t for t in report.tables if "明细表" in t.title]
    assert [line.code for line in table.lines] == [None, "208", "20805", "2080505", "20899"]
