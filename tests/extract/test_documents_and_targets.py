"""发文字号 and titles in 立项依据; KPI targets parsed into comparator, number and unit."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.documents import find_references
from kg.extract.indicators import parse_target


@pytest.mark.parametrize("text,expected", [
    ("山西省财政厅、山西省人力资源和社会保障厅《就业补助资金管理办法》(晋财社【2019】1号)", ["晋财社〔2019〕1号"]),
    ("同办发[2013]31号", ["同办发〔2013〕31号"]),
    ("普投资规范（2023）1号", ["普投资规范〔2023〕1号"]),
    ("汾财农65号", ["汾财农65号"]),
    ("同驻村帮扶组[2020]6号文件", ["同驻村帮扶组〔2020〕6号"]),
    ("大同市人民政府办公会议纪要[2010]第89期，同劳社[2011]116号", ["大同市人民政府办公会议纪要〔2010〕第89期", "同劳社〔2011〕116号"]),
    ("同编发[2011]5号，同劳社[2011]20号，同人社字[2018]274号", ["同编发〔2011〕5号", "同劳社〔2011〕20号", "同人社字〔2018〕274号"]),
    ("《中华人民共和国残疾人保障法》", ["中华人民共和国残疾人保障法"]),
    ("“公益性零工市场县县全覆盖”省级财政专项资金汾财社【2023】19号", ["汾财社〔2023〕19号"]),
    ("根据《安全生产法》、国务院[2010]23号令及省政府74号令的有关规定",
     ["安全生产法", "国务院〔2010〕23号", "省政府74号令"]),  # an order number right after a dated one
    ("修订《西安市烟花爆竹事故应急预案》《西安市非煤矿山事故应急预案》", ["西安市烟花爆竹事故应急预案", "西安市非煤矿山事故应急预案"]),
    # what a project drafts as its output is no document it rests on; what it cites is, whatever the title ends with
    ("通过编制印发《广州市从化区生态环境保护“十五五”规划》，对接区域发展战略", []),
    ("项目成果数：1份《花都区城市减污降碳协同创新试点工作方案》", []),
    ("制定出台《西南大学科技创新平台建设与运行管理办法》", ["西南大学科技创新平台建设与运行管理办法"]),
    ("对照《生态文明建设示范区（市）建设指标》要求，持续提升创建水平", ["生态文明建设示范区（市）建设指标"]),
    ("符合《土壤污染状况调查技术导则》等技术规范要求", ["土壤污染状况调查技术导则"]),
    ("按照《西安市财政项目支出绩效评价指标体系框架》，运用比较法", ["西安市财政项目支出绩效评价指标体系框架"]),
    ("详见所附报告《2022年度高龄老人生活保健补贴项目绩效评价报告》", []),
    ("根据福州市人民政府办公厅文件办理告知单（2020年12月10日；编号GZ2020WJ00579号）", ["GZ2020WJ00579号"]),
    ("位于办公楼3号楼", []),
    ("往年预决算以及实际开支", []),
    ("按时足额发放，保障运转", []),
])
def test_references(text, expected):
    assert [r.canonical for r in find_references(text)] == expected


def test_title_with_its_number_is_one_reference():
    refs = find_references("《关于印发<2023年度汾阳市吕梁山护工培训就业奖励补助办法>的通知》(汾护工发〔2023〕1号)")
    assert len(refs) == 1 and refs[0].canonical == "汾护工发〔2023〕1号" and "护工培训就业奖励补助办法" in refs[0].title
    assert (refs[0].issuer, refs[0].year, refs[0].number) == ("汾护工发", 2023, "1")


@pytest.mark.parametrize("text,comparator,number,unit", [
    ("≥98%", "≥", "98", "%"), ("=10.5万元", "=", "10.5", "万元"), ("≤5万元", "≤", "5", "万元"), ("12月", None, "12", "月"),
    ("640元", None, "640", "元"), ("1980元/人月", None, "1980", "元/人月"), (">=90%", "≥", "90", "%"),
    ("不低于95%", "≥", "95", "%"), ("0起", None, "0", "起"), ("≥2 场", "≥", "2", "场"),
])
def test_targets(text, comparator, number, unit):
    target = parse_target(text)
    assert (target.comparator, target.number, target.unit) == (comparator, Decimal(number), unit)


@pytest.mark.parametrize("text", ["参照往年执行", "按申请补贴人数发放", "12月底前完成", "有效保障", "提高50万元"])
def test_free_text_targets_stay_text(text):
    target = parse_target(text)
    assert target.text == text and target.number is None


def test_adjacent_titles_a_code_and_a_number_printed_without_its_hao():
    found = [r.canonical for r in find_references("依据《中华人民共和国行政复议法》《中华人民共和国民法典》及部门内控制度设立")]
    assert found == ["中华人民共和国行政复议法", "中华人民共和国民法典"]
    found = [r.canonical for r in find_references("根据闽人社文〔2009〕60 及榕劳社保〔2010〕38 号文件精神")]
    assert found == ["闽人社文〔2009〕60号", "榕劳社保〔2010〕38号"]
    assert find_references("实施期为2019年1月至2020年12月，共24个月") == []


def test_a_forwarded_title_ending_in_the_inner_title_pairs_with_its_number():
    """《关于转发财政部〈…的通知〉》（X〔2016〕1号）: the outer title ends with the forwarded one's
    bracket, and is the title of the number after it."""
    refs = find_references("根据市人社局、市财政局《关于转发财政部〈关于调整差旅费标准的通知〉》（市人社发〔2016〕1号）要求")
    assert [(r.canonical, r.title) for r in refs] == [
        ("市人社发〔2016〕1号", "关于转发财政部〈关于调整差旅费标准的通知〉")]
