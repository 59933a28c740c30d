"""The explaining sentences of the national templates, one 项 each, read as stated lines."""
from decimal import Decimal

from search.ask.line_statements import stated_lines


def test_budget_sentence_with_change_and_rate():
    text = ("2.教育管理事务（款）其他教育管理事务支出（项）支出42,655.87万元，与上年相比增加22,788.18万元，"
            "增长114.7%。主要原因是部分专项功能科目变更。")
    (line,) = stated_lines(text)
    assert line.name == "其他教育管理事务支出"
    assert (line.amount, line.change, line.rate) == (Decimal("42655.87"), Decimal("22788.18"), Decimal("114.7"))


def test_decrease_is_negative_and_spaced_percent_is_read():
    text = "1．未归口管理行政单位离退休费（项）支出371.92万元，与上年相比减少1,649.26万元，降幅81.6 %。主要原因是…"
    (line,) = stated_lines(text)
    assert line.change == Decimal("-1649.26") and line.rate == Decimal("-81.6")


def test_against_last_years_execution_with_class_path():
    text = ("（1）科学技术支出（类）技术研究与开发（款）科技成果转化与扩散（项）28.00万元，主要用于数智气象项目。"
            "比上年执行数减少113.53万元，下降80.2%，主要原因是2025年项目建设已完成。")
    (line,) = stated_lines(text)
    assert line.name == "科技成果转化与扩散" and line.amount == Decimal("28.00") and line.rate == Decimal("-80.2")


def test_final_account_sentence_reads_start_budget_and_completion():
    text = ("31.卫生健康支出（类）公共卫生（款）其他公共卫生支出（项）。年初预算4813.66万元，支出决算578.68万元，"
            "完成年初预算的12.02%。决算数小于年初预算数的主要原因是：预算资金转移支付区县。")
    (line,) = stated_lines(text)
    assert line.start == Decimal("4813.66") and line.amount == Decimal("578.68") and line.done == Decimal("12.02")
    assert line.change is None


def test_a_line_named_without_any_change_is_not_a_statement():
    assert stated_lines("（一）行政运行（项）支出120万元，主要用于机关日常运转。") == []


def test_several_items_in_one_paragraph_are_kept_apart():
    text = ("1.住房改革支出（款）住房公积金（项）支出114.07万元，与上年相比增加0.97万元，增长0.86%。主要原因是人员变化。"
            "2.住房改革支出（款）提租补贴（项）支出117.13万元，与上年相比增加7.38万元，增长6.72%。主要原因是人员变化。")
    assert [(l.name, l.rate) for l in stated_lines(text)] == [("住房公积金", Decimal("0.86")), ("提租补贴", Decimal("6.72"))]
