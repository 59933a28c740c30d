"""Items of a 一级项目 stated in the 支出说明 (…主要包括：（1）…; …主要包括：A 45.22万元，用于…；B…), each a
project with its 一级项目 as ``parent`` and the 预算单位 whose section states it as its unit."""
from __future__ import annotations

from kg.extract.projects import projects_from_narrative, section_unit


def test_unnumbered_items_of_a_list_are_projects_with_their_parent():
    text = ("2.人才引进及管理583.33万元,主要包括：人才综合服务项目45.22万元，用于人才综合服务事项；"
            "市“鹏城优才一站式”服务平台项目300.00万元，用于“鹏城优才一站式”服务平台，为人才提供服务保障；"
            "创新创业和博士创新实践基地项目4.12万元，用于培养博士后研究人员。"
            "3.预算准备金300.00万元，主要用于年度预算执行中临时增加工作所需开支。"
            "4.公用经费80.16万元，主要包括公用综合定额经费、工会经费和职工福利费等公用经费。")
    found = [(p.name, p.annual_total.printed, p.parent, p.unit) for p in projects_from_narrative(text, 35, 1, "某中心")]
    assert found == [("人才综合服务项目", "45.22", "人才引进及管理", "某中心"),
                     ("市“鹏城优才一站式”服务平台项目", "300.00", "人才引进及管理", "某中心"),
                     ("创新创业和博士创新实践基地项目", "4.12", "人才引进及管理", "某中心"),
                     ("预算准备金", "300.00", None, "某中心")]  # the next top-level item has no parent


def test_numbered_items_take_the_list_they_sit_in():
    text = ("1.精准预报1,357.00万元，主要包括：（1）气象预报799.00万元，用于预报业务。其中预报业务包括16项服务。"
            "（2）区域大模型项目258.00万元，用于模型研发。2.精细服务1,365.35万元，主要包括：（1）公众气象服务96.84万元，用于公众服务。")
    assert [(p.name, p.parent) for p in projects_from_narrative(text, 8, 1)] == [
        ("气象预报", "精准预报"), ("区域大模型项目", "精准预报"), ("公众气象服务", "精细服务")]


def test_the_unit_a_section_heading_names_as_the_tables_name_it():
    units = {"深圳市深圳城市职业学院（深圳技师学院）", "深圳市人力资源和社会保障局（本级）", "深圳市人力资源和社会保障局", "深圳市考试院"}
    assert section_unit(["第三部分部门预算支出具体情况", "十五、深圳城市职业学院（深圳技师学院）"], units) == \
        "深圳市深圳城市职业学院（深圳技师学院）"
    assert section_unit(["第三部分", "一、深圳市人力资源和社会保障局（本级）"], units) == "深圳市人力资源和社会保障局（本级）"
    assert section_unit(["第三部分部门预算支出具体情况", "（五）项目支出3,982.81万元"], units) is None


def test_a_paragraph_goes_on_over_the_page_number_between_its_halves():
    from kg.extract.layout import TextLine
    from kg.extract.sections import build_sections

    lines = [TextLine("（二）机构设置", 4, 1), TextLine("下属12个二级预算单位，分别是甲中心、乙总站（市水质监测", 4, 2),
             TextLine("— 4 —", 4, 3), TextLine("中心）、丙学院。", 5, 1)]
    [section] = build_sections(lines)
    assert [p.text for p in section.paragraphs] == ["下属12个二级预算单位，分别是甲中心、乙总站（市水质监测中心）、丙学院。"]


def test_items_named_with_their_amounts_only_one_after_another():
    text = ("2.促进就业管理10,744.73万元，主要包括创业担保贷款贴息7,000.00万元、小微企业创业担保贷款担保费1,500.00万元；"
            "创业服务工作经费95.80万元，主要用于专家咨询补贴、创业担保逾期贷款法律诉讼费等。")
    found = [(p.name, p.annual_total.printed, p.parent, p.purpose) for p in projects_from_narrative(text, 32, 1)]
    assert found == [("创业担保贷款贴息", "7,000.00", "促进就业管理", None),  # 贷款 is a word, not a 款
                     ("小微企业创业担保贷款担保费", "1,500.00", "促进就业管理", None),
                     ("创业服务工作经费", "95.80", "促进就业管理", "用于专家咨询补贴、创业担保逾期贷款法律诉讼费等")]
