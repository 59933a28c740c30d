"""Key projects' evaluations listed in a 决算's prose and the 绩效评价报告 it attaches."""
from __future__ import annotations

from decimal import Decimal

from kg.extract.evaluations import attach_evaluation_reports, evaluated_projects
from kg.model import Paragraph, Section

LISTING = ("1.2021年西安市高龄老人生活保健补贴资金项目。评价得分83.06，综合评价等级为“B”,"
           "详见所附报告《2022年度高龄老人生活保健补贴项目项目绩效评价报告》。"
           "2.西安市2021年基本公共卫生服务（12类项目）补助资金项目。评价得分86.73，综合评价等级为“B”,"
           "详见所附报告《2021年度西安市基本公共卫生服务项目补助资金绩效评价报告》。")


def _section(path, *paragraphs, page):
    return Section(path=path, paragraphs=[Paragraph(text, page) for text in paragraphs], page=page)


def test_each_listed_project_with_its_score_grade_and_attached_report():
    projects = evaluated_projects(LISTING, 144, None)
    assert [(p.name, p.self_evaluation.total_score, p.self_evaluation.grade) for p in projects] == [
        ("2021年西安市高龄老人生活保健补贴资金项目", Decimal("83.06"), "B"),
        ("西安市2021年基本公共卫生服务（12类项目）补助资金项目", Decimal("86.73"), "B")]
    assert projects[1].evaluation_report == "2021年度西安市基本公共卫生服务项目补助资金绩效评价报告"
    assert evaluated_projects("无部门重点评价项目。全年执行率为98.5%，得分9.85。", 144, None) == []
    [excellent] = evaluated_projects("1.某某专项资金项目。评价得分92.5，综合评价等级为“优秀”。", 144, None)
    assert excellent.self_evaluation.grade == "优"  # the grade's long name, as the shapes expect it


def test_the_attached_report_adds_its_pages_documents_and_amounts():
    """Found by its title (without its year, 项目项目 collapsed, or broken over two lines); its
    基本情况 gives the documents and the amounts; its preface citing the evaluation rules does not."""
    elderly, health = evaluated_projects(LISTING, 144, None)
    sections = [
        _section(["十三、绩效评价情况"], LISTING, page=144),
        _section(["附件"], "2022年度", "高龄老人生活保健补贴项目绩效评价报告", page=164),
        _section(["附件"], "按照《西安市财政项目支出绩效评价管理办法》规定，开展了重点绩效评价。", page=165),
        _section(["附件", "一、基本情况"], "印发了《西安市高龄老人生活保健补贴发放工作方案》（市卫发〔2021〕171号）。"
                 "2021年，西安市高龄老人保健补贴资金支出总额为59168.23万元。", page=165),
        _section(["附件", "二、综合绩效评价结论"], "综合得分83.06分。", page=166),
        _section(["附件"], "2021年度西安市基本公共卫生", "服务项目补助资金绩效评价报告", page=169),
        _section(["附件", "一、基本情况"], "印发了《转发国家三部委关于做好2021年基本公共卫生服务项目工作的通知》（市卫函[2021]424号）。"
                 "根据《国家基本公共卫生服务规范（第三版）》要求，补助资金预算金额59,467.00万元。", page=169),
    ]
    attach_evaluation_reports([elderly, health], sections)
    assert elderly.pages == [144, 164, 165, 166] and health.pages == [144, 169]
    assert [d.canonical for d in elderly.documents] == ["市卫发〔2021〕171号"]
    assert elderly.self_evaluation.executed.printed == "59168.23" and elderly.annual_total is None
    assert {d.canonical for d in health.documents} == {"市卫函〔2021〕424号", "国家基本公共卫生服务规范（第三版）"}
    assert health.annual_total.value == Decimal("594670000") and health.self_evaluation.executed is None
