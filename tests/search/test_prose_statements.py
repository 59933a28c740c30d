"""Figures, changes and cited documents a report states in its text (较2025年年初预算减少…万元,
接待人数共13人, 根据《…》（京财金融〔2021〕850号）),
read from the sentence that states them, for the figure the question asks about."""
from __future__ import annotations

from kg.passages import Passage
from search.ask.prose import best_statement, cited_documents, stated_change


def _passage(text: str) -> Passage:
    return Passage(id="p1", text=text, report="r1", source="某局 2026年部门预算", page=7)


def test_the_change_of_the_asked_figure_is_taken_not_a_neighbours():
    passage = _passage("2026年部门预算收入7,199.97 万元，较 2025 年年初预算减少 878.34 万元，下降10.9%。"
                       "公务用车运行维护费2026年预算数10.50万元，较2025年年初预算减少3.50万元。"
                       "会议费预算支出158.44万元，比上年预算增加42万元。")
    income = stated_change("2026年部门预算收入比2025年年初预算少了多少", [passage])
    assert income.amount == "-878.34" and "878.34" in income.sentence
    vehicles = stated_change("2026年公务用车运行维护费比2025年压减了多少", [passage])
    assert vehicles.amount == "-3.50"
    meetings = stated_change("会议费比上年增加了多少", [passage])
    assert meetings.amount == "42"


def test_a_change_with_the_comparison_before_a_comma_is_read():
    passage = _passage("学校2023年度收入总计430,725.03万元，与2022年度相比，减少23,616.80万元，降低5.20%。")
    assert stated_change("2023年度决算收入总计与2022年度相比减少了多少", [passage]).amount == "-23616.80"


def test_no_sentence_about_the_asked_figure_gives_no_change():
    passage = _passage("会议费预算支出158.44万元，比上年预算减少42万元。")
    assert stated_change("“三公”经费预算2019年比2018年减少了多少", [passage]) is None


def test_the_questions_year_does_not_choose_the_sentence_and_the_asked_measure_wins_a_tie():
    passage = _passage("2019年，机关及下属1个单位共接待国外来访团组0个，来访外宾0人次；"
                       "发生国内接待1次，接待人数共13人，主要包括接待其他省市交通局参观所产生的费用。")
    stated = best_statement("2019年国内公务接待一共接待了多少人？", "人", [passage])
    assert (stated.value, stated.measure) == ("13", "人")


def test_the_documents_a_sentence_cites_for_the_asked_thing_with_their_numbers():
    passage = _passage("2026年，根据《普惠金融发展专项转移支付管理办法》（京财金融〔2021〕850 号）和《关于〈普惠金融发展"
                       "专项资金管理办法〉的补充通知》（京财金融〔2025〕1767号），已安排专项转移支付资金5612.00万元。"
                       "采购品目名称根据《政府采购品目分类目录》（财库[2013]189号）规定品目名称填写。")
    transfer = cited_documents("市对区专项转移支付是依据哪些文件安排的", [passage])
    assert [n for _, n in transfer.documents] == ["京财金融〔2021〕850号", "京财金融〔2025〕1767号"]
    catalogue = cited_documents("政府采购预算表中的采购品目名称是依据哪个文件填写的", [passage])
    assert catalogue.documents == [("政府采购品目分类目录", "财库〔2013〕189号")]
    assert cited_documents("公务接待费依据什么文件", [_passage("公务接待费1万元。")]) is None


def test_a_sentence_sharing_one_word_with_the_question_is_no_answer_even_in_the_asked_measure():
    passage = _passage("部门本级内设机构25个，各机构规范简称依次为：办公室、政策研究室。")
    assert best_statement("部门整体绩效目标表里，有几个指标被标为核心指标", "个", [passage]) is None


def test_a_money_standard_asked_with_duoshao_qian_is_a_standard_not_a_total():
    from search.ask.prose import asked_measure

    assert asked_measure("协管员工资标准是每人每年多少钱？") == "钱"
    assert asked_measure("补助标准每人每月多少") == "钱"
    assert asked_measure("这个项目一共花了多少钱？") is None
    passage = _passage("根据方案，社会救助协管员工资标准为4.5万元/人/年，市级财政补助50%，需预算安排479.25万元。")
    stated = best_statement("社会救助协管员工资标准是每人每年多少钱？", "钱", [passage])
    assert (stated.value, stated.measure) == ("4.5", "万元")
