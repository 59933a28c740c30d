"""The classes of failure the second blind held-out set showed, on constructed graphs and answers:
changes carried by their rows, sums of named things as one total, units named with an alias in
brackets, projects named as people say them, refusals of quantities the reports never print."""
from __future__ import annotations

from kg.graph.entities import Entity, Lexicon, Mention, normalise
from search.ask.answer import Answer
from search.ask.paraphrase import covered, paraphrased_projects
from search.ask.aliases import balanced, bracketed_after
from search.ask.parser import parse
from search.ask.reports import with_magnitude
from search.ask.sums import collapse_sum


def _lexicon() -> Lexicon:
    lexicon = Lexicon()
    for iri, name, forms in (("u1", "广州市统计局", {"广州市统计局", "广州统计局"}),
                             ("u2", "广州市统计监测中心（广州市统计发展中心）", {"广州市统计监测中心", "中心〕"}),
                             ("u3", "深圳市气象局", {"深圳市气象局", "深圳气象局"})):
        lexicon.units[iri] = Entity(iri, name, "unit", forms=forms)
    for iri, name, unit in (("p1", "广州市第四次全国农业普查经费", "广州市统计局"),
                            ("p2", "广州市第四次全国农业普查宣传经费", "广州市统计局"),
                            ("p3", "广州市采购经理人指数调查编制工作经费", "广州市统计局"),
                            ("p4", "深圳气象预报区域大模型项目", "深圳市气象局"),
                            ("p5", "气象预报", "深圳市气象局")):
        lexicon.projects[iri] = Entity(iri, name, "project", forms={normalise(name)}, unit=unit, year=2026)
    return lexicon


def test_a_change_row_carries_its_direction_and_size():
    row = with_magnitude({"比上年增减(万元)": -32.23, "增减率(%)": -12.59}, "比上年增减(万元)", "增减率(%)")
    assert row["增减方向"] == "减少" and row["增减额(万元)"] == 32.23 and row["增减幅度(%)"] == 12.59


def test_a_bracket_after_a_unit_is_its_alias_not_another_unit():
    text = normalise("广州市统计监测中心（统计发展中心）2026年的基本支出预算是多少？")
    unit = _lexicon().units["u2"]
    aliases = bracketed_after(text, [Mention(unit, "广州市统计监测中心", 0, 9)])
    assert aliases == [(9, 17)]
    assert not balanced("中心〕") and balanced("统计监测中心〔统计发展中心〕")


def test_a_unit_with_an_alias_in_brackets_is_not_ambiguous():
    intent = parse("广州市统计监测中心（统计发展中心）2026年的基本支出预算是多少？", _lexicon())
    assert not intent.ambiguous_units and [u.name for u in intent.units] == ["广州市统计监测中心（广州市统计发展中心）"]


def test_projects_named_as_people_say_them():
    lexicon = _lexicon()
    assert covered("第四次全国农业普查经费", "第四次全国农业普查经费预算") == 11
    pick = lambda q, **kw: [p.name for p in paraphrased_projects(q, lexicon, {"广州市统计局", "深圳市气象局"}, [], 4, **kw)]
    assert pick("第四次全国农业普查经费（不含宣传经费）预算") == ["广州市第四次全国农业普查经费"]
    assert pick("采购经理人指数（PMI）调查编制工作经费") == ["广州市采购经理人指数调查编制工作经费"]
    assert pick("区域气象预报大模型项目") == ["深圳气象预报区域大模型项目"]
    assert sorted(pick("第四次全国农业普查的普查经费和宣传经费合计", several=True)) == [
        "广州市第四次全国农业普查宣传经费", "广州市第四次全国农业普查经费"]
    intent = parse("深圳气象局的区域气象预报大模型项目2026年安排了多少钱？", lexicon)
    assert [p.name for p in intent.projects] == ["深圳气象预报区域大模型项目"]


def _two_units() -> Answer:
    answer = Answer("q", intent={"type": "report_lookup"}, columns=["单位", "年度", "报告", "收入总计(万元)"])
    answer.add_row({"单位": "甲局", "年度": 2026, "收入总计(万元)": 1584.41, "原文金额": "15,844,100.00元"}, "r1", {"page": 3})
    answer.add_row({"单位": "乙中心", "年度": 2026, "收入总计(万元)": 520.6069, "原文金额": "5,206,069.66元"}, "r2", {"page": 4})
    return answer


def test_a_sum_of_named_units_is_one_total_row():
    answer = _two_units()
    assert collapse_sum("甲局和乙中心2026年的预算加在一起是多少元？", answer)
    assert len(answer.rows) == 1 and answer.rows[0]["合计(万元)"] == 2105.0169
    assert answer.rows[0]["合计(元)"] == 21050169.66 and "甲局" in answer.answer and answer.evidence == [{"page": 3}]


def test_figures_asked_each_are_not_summed():
    answer = _two_units()
    assert not collapse_sum("甲局和乙中心2026年的收入合计分别是多少？", answer) and len(answer.rows) == 2
    assert not collapse_sum("甲局和乙中心2026年的收入是多少？", answer)


class _Passage:
    def __init__(self, text: str):
        self.text, self.facets, self.source, self.page, self.id, self.entities = text, {}, "r", 1, "p", []


def test_what_is_held_answers_how_many_and_what_is_bought_answers_purchases():
    from search.ask.prose import best_statement

    passages = [_Passage("2026年部门预算安排购置单位价值100万元以上设备0台（套）。"),
                _Passage("截至2025年12月31日，本部门共有车辆5辆。单位价值100万元以上设备25台（套）。")]
    assert best_statement("单位价值100万元以上的设备有多少台（套）？", "台套", passages).value == "25"
    assert best_statement("2026年计划购置单位价值100万元以上的设备多少台（套）？", "台套", passages).value == "0"


def test_the_number_of_the_clause_the_question_names():
    from search.ask.prose import best_statement

    passages = [_Passage("本单位共有公务用车102辆，其中，机要通信用车1辆，应急保障用车1辆，执法执勤用车84辆，其他用车4辆")]
    assert best_statement("有多少辆执法执勤用车？", "辆", passages).value == "84"


def test_a_date_is_not_the_year_of_the_report():
    intent = parse("深圳市气象局截至2025年底共有多少台车辆？", _lexicon())
    assert intent.years == []


def test_a_thing_the_graph_does_not_name_is_not_answered_with_the_reports_total():
    from search.ask.parser import named_item

    assert named_item(normalise("重庆市水利局2026年预算里渝西水资源配置工程安排了多少钱？")) == "渝西水资源配置工程"
    assert named_item(normalise("重庆市水利局2026年预算是多少？")) is None
    assert named_item(normalise("佛山市轨道交通局2019年一共对多少个项目开展了绩效自评？")) is None
    assert parse("深圳市气象局2026年预算里渝西水资源配置工程安排了多少钱？", _lexicon()).kind != "report_lookup"


def test_a_number_no_passage_states_is_declined_and_prose_questions_keep_their_passages():
    from search.ask.engine import _states_asked_number

    answer = Answer("q", mode="retrieval", rows=[{"段落": "本部门内设机构包括办公室、财务处。"}])
    assert not _states_asked_number("北京市财政局2026年在职人员编制数是多少人？", answer)
    assert _states_asked_number("北京市财政局的主要职责是什么？", answer)
    answer.rows = [{"段落": "科学技术支出比上年执行数下降80.2%。"}]
    assert _states_asked_number("科学技术支出比上年执行数下降了百分之多少？", answer)


def test_the_members_a_departments_text_lists():
    from search.ask.lineage import member_list, question_unit

    assert member_list("本部门下属单位包括江苏检察官学院、清风苑杂志社2个事业单位。另有内设机构21个。") == [
        "江苏检察官学院", "清风苑杂志社"]
    assert member_list("下属12个二级预算单位，分别是重庆市农村水利水电中心、重庆市水文监测总站（市水质监测中心）") == [
        "重庆市农村水利水电中心", "重庆市水文监测总站"]
    assert member_list("北京市财政监督检查分局、北京市财政局国库支付中心、北京市财政科学研究所", "（二）机构设置情况") == [
        "北京市财政监督检查分局", "北京市财政局国库支付中心", "北京市财政科学研究所"]
    assert member_list("本部门内设机构包括办公室、综合处。") == []
    assert question_unit("苏州市经济责任审计中心是哪个部门的下属单位？") == "苏州市经济责任审计中心"


def test_how_many_member_units_changed_one_way():
    from types import SimpleNamespace

    from search.ask.engine import Asker

    answer = Answer("q", intent={"type": "report_lookup"}, columns=["单位"])
    for unit, way, size in (("局", "增加", 120.0), ("甲中心", "增加", 3.0), ("乙中心", "减少", 1.0), ("丙站", "增加", 2.5)):
        answer.add_row({"单位": unit, "增减方向": way, "增减额(万元)": size}, unit, {"page": 1})
    intent = SimpleNamespace(rest="有几家比2025年增加了", units=[SimpleNamespace(name="局")],
                             report_metric=SimpleNamespace(label="“三公”经费"))
    Asker._changed_units(None, intent, answer)
    assert answer.rows == [{"主管部门": "局", "单位数": 2, "单位": "甲中心、丙站"}]


def test_the_units_a_final_account_covers():
    from search.ask.lineage import member_list

    assert member_list("学校部门决算反映西南大学本级、西南大学附属中学、西南大学附属小学的经费收支情况") == [
        "西南大学本级", "西南大学附属中学", "西南大学附属小学"]
