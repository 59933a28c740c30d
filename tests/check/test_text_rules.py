"""Rules that read the report's own text: years and dates, template leftovers, numbering and
comparison words. Each fires on a real slip or a mutated seed, quotes the page, and stays
silent on the clean report."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from kg.check import run_checks
from kg.model import Paragraph

FIXTURES = Path(__file__).parent.parent / "fixtures"
S000, S001, S002, S003, S004 = ("000_f26fb4c08ebca23b", "001_01b4697fa3395aa5", "002_3b05b2496e039e91",
                                "003_db945d665acd7731", "004_b0facb554ae335f5")
TEXT_RULES = ("date.heading_year", "date.as_of", "date.statement_year", "template.placeholder", "structure.numbering",
              "comparison.words", "comparison.change")


def fired(report, rule_id):
    return run_checks(report, rules=[rule_id])


def section(report, heading_start):
    return next(s for s in report.sections if s.path and s.heading.startswith(heading_start))


def with_paragraph(report, text, heading_start="二、收入预算情况说明"):
    """A copy of ``report`` with ``text`` added as a paragraph of the section ``heading_start``."""
    report = copy.deepcopy(report)
    target = section(report, heading_start)
    target.paragraphs.append(Paragraph(text, target.page, target.line))
    return report, target.page


@pytest.fixture(scope="module")
def corpus_pdf():
    from kg.extract import extract

    cache = {}

    def read(name):
        if name not in cache:
            cache[name] = extract(FIXTURES / "corpus" / name)
        return cache[name]
    return read


def test_clean_seeds_are_silent(seed_reports):
    for stem in (S002, S004):  # 000, 001 and 003 print real slips, tested below
        assert [f.message for f in run_checks(seed_reports[stem], rules=list(TEXT_RULES))] == []


def test_heading_and_table_title_years(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    part = section(report, "第三部分")
    part.path[-1] = part.path[-1].replace("2026年度", "2025年度")
    table = next(t for t in report.tables if "三公" in t.title)
    table.title = table.title.replace("2026年", "2025年")
    found = fired(report, "date.heading_year")
    assert any("第三部分2025年度单位预算情况说明" in f.message and f"第{part.page}页" in f.message for f in found)
    assert any("表名" in f.message and f.pages == [table.page] for f in found)


def test_other_years_in_headings_are_not_slips(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    part = section(report, "一、单位预算收支数据变动情况")
    for heading in ("（一）2025年预算执行情况", "（二）2025—2027年支出规划", "2025年12月", "（三）2024年度项目绩效评价"):
        report.sections.append(type(part)(path=[*part.path, heading], page=part.page))
    assert fired(report, "date.heading_year") == []


def test_as_of_date_of_a_budget(seed_reports):
    found = fired(seed_reports[S000], "date.as_of")  # a 2024 budget counting its cars at 2024-12-31
    assert found and all(f.pages == [25] and "截至2024年12月31日" in f.message for f in found)
    assert fired(seed_reports[S004], "date.as_of") == []  # 2026 budget, 截至2025年12月31日
    report, page = with_paragraph(seed_reports[S004], "截至2026年12月31日，本单位共有车辆3辆。")
    assert [f.pages for f in fired(report, "date.as_of")] == [[page]]
    for fine in ("截至2026年1月31日，本单位固定资产金额10.50万元。", "预计截至2026年底，本单位共有车辆2辆。",
                 "力争截至2027年底前完成车辆更新。"):
        assert fired(with_paragraph(seed_reports[S004], fine)[0], "date.as_of") == [], fine


def test_as_of_date_of_a_final_account(seed_reports):
    report, page = with_paragraph(seed_reports[S000], "截至2022年12月31日，本部门共有车辆4辆。")
    report.kind, report.year = "决算", 2023
    found = fired(report, "date.as_of")
    assert any(f.pages == [page] and "2023年12月31日" in f.message for f in found)


def test_statement_year(seed_reports):
    assert fired(seed_reports[S004], "date.statement_year") == []
    report = copy.deepcopy(seed_reports[S004])
    paragraph = next(p for s in report.sections for p in s.paragraphs if "支出预算483.69万元" in p.text)
    paragraph.text = paragraph.text.replace("2026年度", "2025年度", 1)
    found = fired(report, "date.statement_year")
    assert found and "483.69" in found[0].message and f"第{paragraph.page}页" in found[0].message


def test_template_placeholders(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    part = section(report, "二、机构设置情况")
    part.path[-1] = "二、上海市普陀区XX局机构设置情况"
    report.tables[0].title = "20XX年预算收支总表"
    report, page = with_paragraph(report, "本单位公务接待费XX万元，某某科室负责。")
    found = fired(report, "template.placeholder")
    assert {f.message.split("“")[1].split("”")[0] for f in found} == {"XX", "20XX年", "某某"}
    assert any(f.pages == [page] for f in found) and any(f.pages == [part.page] for f in found)
    clean, _ = with_paragraph(seed_reports[S004], "采购型号DS-XX200的设备，尺码XXL，2×3米的展板。")
    assert fired(clean, "template.placeholder") == []


def test_numbering_repeated_in_a_real_report(corpus_pdf):
    found = fired(corpus_pdf("doc08.pdf"), "structure.numbering")  # 十六、… 十六、… 十八、 in the units' list
    assert [(f.pages, "编号重复" in f.message) for f in found] == [([28, 30], True)]


@pytest.mark.parametrize("stem, heading", [(S004, "三、支出预算情况说明"),
                                           (S002, "三、年度主要工作任务及目标")])  # 002: a text export without pages
def test_numbering_skipped_in_a_mutated_seed(seed_reports, stem, heading):
    assert fired(seed_reports[stem], "structure.numbering") == []
    report = copy.deepcopy(seed_reports[stem])
    third = section(report, heading)
    third.path[-1] = third.path[-1].replace("三、", "四、")
    found = fired(report, "structure.numbering")
    assert any("跳过了第3项" in f.message and (f.pages, f.sides[1].line) == (([third.page] if third.page else []), third.line)
               for f in found)


def test_change_percentage_against_its_base(seed_reports):
    found = fired(seed_reports[S003], "comparison.change")  # 2.87 / (22.33 + 2.87) is 11.39%, printed 12.85%
    assert [(f.pages, str(f.observed)) for f in found] == [([19], "12.85")]
    assert fired(seed_reports[S004], "comparison.change") == []


def test_completion_rate_in_a_real_report(corpus_pdf):
    found = fired(corpus_pdf("doc33.pdf"), "comparison.change")  # 21143.98 of 21143.98 printed as 完成预算的35%
    assert any(f.pages == [46] and "35%" in f.message for f in found)


@pytest.mark.parametrize("sentence, rule_id", [
    ("2026年收入预算120.00万元，比2025年的100.00万元减少20.00万元。", "comparison.words"),
    ("2026年收入预算120.00万元，与2025年的100.00万元持平。", "comparison.words"),
    ("2026年收入预算120.00万元，比2025年的100.00万元增加30.00万元，增长20.0%。", "comparison.change"),
    ("2026年收入预算120.00万元，比2025年的100.00万元增加20.00万元，增长25.0%。", "comparison.change"),
    ("年初预算1,560.05万元，支出决算1,511.89万元，完成年初预算的96.91%。决算数大于年初预算数的主要原因是追加。",
     "comparison.words"),
])
def test_comparison_words_and_changes(seed_reports, sentence, rule_id):
    report, page = with_paragraph(seed_reports[S004], sentence)
    found = fired(report, rule_id)
    assert len(found) == 1 and found[0].pages == [page] and f"第{page}页" in found[0].message


@pytest.mark.parametrize("sentence", [
    "2026年收入预算120.00万元，比2025年的100.00万元增加20.00万元，增长20.0%。",
    "2026年收入预算120.00万元，比上年增加20.00万元，增长20.0%，与上年基本持平。",
    "收入预算总计600.00万元，其中：上年结转0万元，比上年减少20.00万元，下降3.2%。",
    "年初预算1,560.05万元，支出决算1,511.89万元，完成年初预算的96.91%。决算数小于年初预算数的主要原因是节约。",
    "公务接待费预算支出116.5万元，本年数小于上年预算数40.05万元。",
])
def test_comparisons_that_hold_are_silent(seed_reports, sentence):
    report, _ = with_paragraph(seed_reports[S004], sentence)
    assert fired(report, "comparison.words") == [] and fired(report, "comparison.change") == []


def test_placeholders_in_captions_and_before_a_year(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    caption = next(c for c in report.captions if c.text.startswith("单位名称："))
    caption.text = "单位名称：××"
    report, page = with_paragraph(report, "XXX2026年度收入预算483.69万元。")
    found = fired(report, "template.placeholder")
    assert sorted((f.pages[0], f.message.split("“")[1].split("”")[0]) for f in found) == \
        sorted([(caption.page, "××"), (page, "XXX")])
    clean, _ = with_paragraph(seed_reports[S004], "采购型号XX2000的设备，规格2×2026毫米。")
    assert fired(clean, "template.placeholder") == []


def test_numbering_of_a_two_item_list_swapped(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    first, second = section(report, "1、整体绩效目标"), section(report, "2、项目绩效目标")
    first.path[-1], second.path[-1] = "2、整体绩效目标", "1、项目绩效目标"
    found = fired(report, "structure.numbering")
    assert [(f.pages, "从2开始" in f.message) for f in found] == [([second.page], True)]



@pytest.mark.parametrize("sentence, rule_id", [
    ("2026年收入预算120.00万元，比上年增加20.00万元，下降20.0%。", "comparison.words"),
    ("2026年收入预算120.00万元，与上年相比减少20.00万元，增幅16.7%。", "comparison.words"),
    ("2026年收入预算120.00万元，比2025年年初预算增加0.00万元，增长5.0%。", "comparison.words"),
    ("行政运行支出10,883.36万元，与上年相比增加2,915.22万元，下降%。", "comparison.words"),  # the rate left out
    ("2026年支出预算1,620.14万元，比上年增加172.82万元，增幅11.94%。减少的主要原因是人员调出。", "comparison.words"),
    ("三公经费支出0.11万元，完成预算的5.91%，决算数较预算数增加1.75万元。", "comparison.words"),
    ("教育支出1,707.93万元，比2025年度决算数下降134.61%。", "comparison.words"),  # a fall beyond the whole
    ("收入总计430,725.03万元，与上年相比，增加23,616.80万元，增长5.20%。其中：财政拨款收入增加14,458.07万元，"
     "事业收入增加974.61万元，其他收入减少39,049.48万元。", "comparison.words"),  # the parts add to a decrease
    ("收入比上年减少246,429.22万元，主要是一般公共预算财政拨款增加10,300.15万元，政府性基金预算财政拨款增加"
     "258,146.77万元，财政专户管理资金增加566.25万元，经营收入增加95.77万元，其他收入增加755.40万元。", "comparison.words"),
    ("机关运行经费支出97.19万元，比预算数增加97.19万元，增长5%。", "comparison.change"),  # a rate of a nil base
    ("“三公”经费支出决算为0.16万元，完成预算0万元的6%。", "comparison.change"),
    ("公务接待费支出0万元，完成全年预算的4%。", "comparison.change"),
    ("收入预算452.76万元，其中：事业收入0万元，占3%；其他收入452.76万元，占100%。", "comparison.change"),
    ("支出预算452.76万元，其中：基本支出393.71万元，占46.96%；项目支出59.05万元，占13.04%。", "comparison.change"),
    ("一般公共服务支出1935.36万元，占400.00%。", "comparison.change"),  # a share above the whole
    ("科学技术支出28.00万元，占0.5%；社会保障和就业支出396.67万元，占3.9%；卫生健康支出80.52万元，占1.4%；"
     "自然资源海洋气象等支出5,247.87万元，占91.2%。", "comparison.change"),  # the other shares agree on 5,753万元
    ("项目支出预算数为4335.30万元。与上年相比减少了1237.70万元，减少13.22%。", "comparison.change"),  # 22.21%
    ("2026年本单位支出预算1935.36万元。支出较去年增加54.13万元，上升2.58%。", "comparison.change"),  # 2.88%
])
def test_directions_rates_and_shares(seed_reports, sentence, rule_id):
    report, page = with_paragraph(seed_reports[S004], sentence)
    found = fired(report, rule_id)
    assert len(found) == 1 and found[0].pages == [page], [f.message for f in found]


@pytest.mark.parametrize("sentence", [
    "2026年收入预算120.00万元，比上年增加0.00万元，增长0.0%，与上年基本持平。",
    "机关运行经费支出97.19万元，比预算数增加97.19万元，增长0%，我局为新成立单位。",
    "“三公”经费支出决算为0.16万元，完成预算0万元的0%。",
    "支出预算452.76万元，其中：基本支出393.71万元，占86.96%；项目支出59.05万元，占13.04%。",
    "其中：一般公共预算拨款收入5,753.07万元，占97.9%；其他收入123.61万元，占2.1%。",  # the total is printed before
    "科学技术支出28.00万元，占0.5%；卫生健康支出80.52万元，占1.4%。",
    "科学技术支出28.00万元，占0.5%；社会保障和就业支出396.67万元，占6.9%；卫生健康支出80.52万元，占1.4%。",
    "项目支出预算数为4335.30万元。与上年相比减少了1237.70万元，减少22.21%。",
    "其他收入323万元，比上年增加323万元，增幅100%。",
    "采购预算18.90万元。比上年增加18.90万元，增幅100%。",  # a new item's rate
    "与上年相比减少1,649.26万元，降幅81 6 %。",  # the reader lost the decimal point
    "支出决算99.00万元，完成预算的99%，决算数较预算数减少1.00万元。决算数较上年增加的主要原因是追加。",
    "2026年支出预算120.00万元，比上年减少20.00万元，其中：项目支出增加5.00万元。增加的主要原因是新增项目。",
    "收入比上年减少246,429.22万元，主要是一般公共预算财政拨款增加10,300.15万元，政府性基金预算财政拨款减少"
    "258,146.77万元，财政专户管理资金增加566.25万元，其他收入资金增加755.40万元，事业收入增加95.77万元。",
    "支出比上年增加50.00万元，主要是人员经费增加30.00万元，公用经费减少5.00万元。",  # parts that are not all
])
def test_directions_rates_and_shares_that_hold_are_silent(seed_reports, sentence):
    report, _ = with_paragraph(seed_reports[S004], sentence)
    assert [f.message for f in run_checks(report, rules=["comparison.words", "comparison.change"])] == []


def test_share_of_nil_in_a_seed(seed_reports):
    found = fired(seed_reports[S000], "comparison.change")  # 公开项目绩效目标0个，涉及项目金额0万元，占…总额的100%
    assert [(f.pages, str(f.observed)) for f in found] == [([19], "100")]


@pytest.mark.parametrize("sentence", [
    "2026年收入预算120.00万元，比2026年年初预算增加20.00万元。",  # compared with its own year
    "公务接待费1.70万元，与2024年预算持平。",  # not the year before the report's
    "2025年单位预算安排购置车辆0辆。",  # the report's own budget dated another year
    "无锡市信访局2027年度收入、支出预算总计483.69万元。",
    "公务用车运行维护费248.50万元，比2026年减少9.60万元。",
    "2025年，本单位委托业务费预算总额167.00万元。",
    "备注：本单位2027年没有使用国有资本经营预算拨款安排的支出。",
    "因此，纳入2027年部门预算编制范围的只有本级。",
    "小学教育（2050202），2027年度决算数为7,970.38万元。",  # the final account of a year not ended
    "2025年，本中心将继续做好退休职工社会化管理服务。",  # a budget's plans are for its year
    "2027年度，本单位整体支出纳入绩效目标管理，涉及财政性资金437.93万元。",
    "2025年大同市企业职工劳动事务服务中心纳入绩效目标管理的二级项目6个。",  # the year before the unit's name
])
def test_years_of_comparisons_and_statements(seed_reports, sentence):
    report, page = with_paragraph(seed_reports[S004], sentence)
    found = fired(report, "date.statement_year")
    assert len(found) == 1 and found[0].pages == [page], [f.message for f in found]


@pytest.mark.parametrize("sentence", [
    "2024年收入决算100.00万元，比2023年决算增加10.00万元。",  # a past year compared with the year before it
    "1950年，教育学院与1940年成立的国立女子师范学院合并。",
    "主要原因是：2025年追加预算支出10.00万元，2024年结转资金5.00万元。",  # reasons compare years
    "2025年结转资金10.00万元，2025—2027年支出规划总额300.00万元。",
    "2027年预计收入预算与2026年基本持平。",
    "2021年，高龄老人保健补贴资金支出总额为59168.23万元。",  # a fund's own year
    "与2025年部门预算相比，2025年部门预算执行率为98%。",
    "2025年，本单位完成了退休职工社会化管理服务，支出预算执行率达98%。",  # a review of the past year
    "2025年大同市企业职工劳动事务服务中心累计完成服务3万人次。",
])

def test_other_years_in_prose_are_not_slips(seed_reports, sentence):
    report, _ = with_paragraph(seed_reports[S004], sentence)
    assert fired(report, "date.statement_year") == []


def test_compared_with_the_budget_of_its_own_year_in_a_final_account(seed_reports):
    report, _ = with_paragraph(seed_reports[S004], "2026年支出决算120.00万元，比2026年年初预算增加20.00万元。")
    report.kind = "决算"
    assert fired(report, "date.statement_year") == []


def test_years_in_captions_and_title_lines(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    caption = next(c for c in report.captions if c.text == "2026年预算收支总表")
    caption.text = "2025年预算收支总表"
    report.captions.append(Paragraph("2025年项目支出绩效目标表", 24, None))
    report, page = with_paragraph(report, "（2027年度）")
    found = fired(report, "date.heading_year")
    assert sorted(f.pages[0] for f in found) == sorted([caption.page, 24, page])
    clean = copy.deepcopy(seed_reports[S004])
    for text in ("2025—2027年支出规划表", "表3：2026年项目支出绩效目标表（含2025年结转项目）", "2025年预算数"):
        clean.captions.append(Paragraph(text, 3, None))
    assert fired(clean, "date.heading_year") == []


def test_own_year_in_a_seed(seed_reports):
    found = fired(seed_reports[S001], "date.statement_year")  # a 2023 account printing its title as 2022年单位决算公开报告
    assert [(f.pages, "2022年单位决算" in f.message) for f in found] == [([1], True)]


def test_heading_year_counts_the_years_of_the_prose(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    report.tables, report.captions = [], []  # titles without years: the prose says the report's year
    for s in report.sections:
        s.path = [p.replace("2026年度", "") for p in s.path]
    goal = section(report, "十、绩效管理情况")
    goal.path[-1] = "十、2027年主要工作目标"
    assert [f.pages for f in fired(report, "date.heading_year")] == [[goal.page]]


def test_a_statement_read_by_two_patterns_counts_once(seed_reports):
    report = copy.deepcopy(seed_reports[S004])
    report.sections = [s for s in report.sections if not any("2026年" in p.text for p in s.paragraphs)]
    report, _ = with_paragraph(report, "2026年单位预算安排购置车辆0辆。2026年收入预算483.69万元。2026年支出预算483.69万元。",
                               "十二、其他说明")
    report, page = with_paragraph(report, "2025年单位预算安排购置设备0台。2025年单位预算安排会议费1.00万元。", "十二、其他说明")
    assert [f.pages for f in fired(report, "date.statement_year")] == [[page], [page]]
