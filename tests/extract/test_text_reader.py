"""Text exports: encodings, pages, watermarks, markup, tables split over pages."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.errors import EmptyFile, NotABudgetReport, UnsupportedFormat
from kg.extract import extract, read
from kg.extract.layout import Table
from kg.extract.normalize import clean_cell
from tests.conftest import FIXTURES


def write(tmp_path, text: str, name="report.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_gbk_export_reads_like_utf8(tmp_path):
    source = (FIXTURES / "seeds" / "000_f26fb4c08ebca23b.txt").read_text(encoding="utf-8")
    gbk = write(tmp_path, source, encoding="gb18030")
    assert read(gbk).source.encoding == "gb18030"
    assert extract(gbk).to_dict()["figures"] == extract(FIXTURES / "seeds" / "000_f26fb4c08ebca23b.txt").to_dict()["figures"]


def test_form_feeds_are_physical_pages(tmp_path):
    path = write(tmp_path, "封面\n\f第二页文字\n表\n合计\t1\n\f第三页")
    doc = read(path)
    assert doc.source.page_basis == "physical"
    assert [b.page for b in doc.blocks] == [1, 2, 2, 2, 3]


def test_pages_come_from_the_table_of_contents(seed_reports):
    report = seed_reports["003_db945d665acd7731"]
    assert report.source.page_basis == "toc"
    assert report.table("project_budget").page == 15  # 表十二 … 15 in the 目录
    assert report.table("income_expenditure_summary").page == 2


def test_watermarks_markup_and_checkboxes(tmp_path):
    path = write(tmp_path, "仅供内部审核\n<b>第一部分 概况</b>\n项目属性\t1、持续性项目 <input type=\"checkbox\"/>\t"
                           "2、新增性项目 <input checked=\"checked\" type=\"checkbox\"/>\n仅供内部审核\n")
    doc = read(path)
    assert [b.text for b in doc.lines()] == ["第一部分概况"]  # blanks inside Chinese text are line-wrap noise
    assert doc.tables()[0].rows[0] == ["项目属性", "1、持续性项目□", "2、新增性项目√"]


def test_repeated_header_dropped_only_at_a_page_break(tmp_path):
    text = ("标题表\n项目\t金额\n合计\t3\n项目\t金额\n"  # a data row equal to the header: kept
            "\n\n项目\t金额\n甲\t1\n")  # after a page break: the repeated header goes
    table = read(write(tmp_path, text)).tables()[0]
    assert table.rows == [["项目", "金额"], ["合计", "3"], ["项目", "金额"], ["甲", "1"]]


def test_wrapped_numbers_join_without_a_space():
    assert clean_cell("1,234,56\n7.89") == "1,234,567.89"
    assert clean_cell("Annual\nreport") == "Annual report"
    assert clean_cell("企业职工劳动事务服务中心人员\n经费") == "企业职工劳动事务服务中心人员经费"


def test_bad_inputs_get_one_clear_error(tmp_path):
    with pytest.raises(EmptyFile, match="empty file"):
        extract(write(tmp_path, "   \n", "empty.txt"))
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(UnsupportedFormat):
        extract(binary)
    with pytest.raises(NotABudgetReport):
        extract(write(tmp_path, "今天天气很好，我们去公园散步。\n晚上吃饺子。\n", "letter.txt"))
    with pytest.raises(UnsupportedFormat):
        extract(write(tmp_path, "x", "table.xlsx"))


SHANGHAI = """上海市某区某局2024年部门预算
2024年部门支出预算表
编制单位：上海市黄浦区某某局
单位：元
功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
类\t款\t项\t\t\t\t
201\t\t\t一般公共服务支出\t1,250,000.00\t1,000,000.00\t250,000.00
201\t13\t\t商贸事务\t1,250,000.00\t1,000,000.00\t250,000.00
201\t13\t01\t行政运行\t1,000,000.00\t1,000,000.00\t
201\t13\t99\t其他商贸事务支出\t250,000.00\t\t250,000.00
\t\t\t合计\t1,250,000.00\t1,000,000.00\t250,000.00
"""


def test_shanghai_style_split_codes_and_amounts_in_yuan(tmp_path):
    report = extract(write(tmp_path, SHANGHAI))
    table = report.table("expenditure_summary")
    assert table.unit == "元"
    codes = [line.code for line in table.lines if line.code]
    assert codes == ["201", "20113", "2011301", "2011399"]
    line = next(l for l in table.lines if l.code == "2011301")
    assert line.level == "项" and line.values["total"].value == Decimal("1000000.00")
    assert report.region.province == "上海市" and report.region.county == "黄浦区"
    assert report.figure("expenditure.project").amount.value == Decimal("250000.00")


def test_table_spans_keep_cells(tmp_path):
    doc = read(write(tmp_path, "表\n甲\t\t乙\n1\t2\t3\n"))
    assert isinstance(doc.blocks[1], Table) and doc.blocks[1].rows == [["甲", "", "乙"], ["1", "2", "3"]]


def test_missing_path_is_named_as_missing(tmp_path):
    from kg.errors import MissingFile

    with pytest.raises(MissingFile, match="no such file"):
        extract(tmp_path / "nowhere.pdf")
