"""A page set in a narrow column (名词解释 at 24–30 characters a line in a report that otherwise
runs 60 and more): its lines wrap at the page's own width, and a numbered item whose
classification path runs on to ``(项)：`` is one paragraph, not a heading."""
from kg.extract.layout import TextLine
from kg.extract.sections import build_sections


def _report(narrow: list[str]) -> list[TextLine]:
    wide = [TextLine("本部门2026年收入预算合计1,234.56万元，其中一般公共预算拨款收入1,200.00万元，较上年增加三十四万元。" * 2, 1, i)
            for i in range(12)]
    return wide + [TextLine(text, 2, i) for i, text in enumerate(narrow)]


def test_a_narrow_page_wraps_at_its_own_width():
    narrow = ["第四部分名词解释",
              "八、一般公共服务支出(类)审计事务(款)行政运行(项)：反",
              "映行政单位（包括实行公务员管理的事业单位）的基本支出。",
              "九、一般公共服务支出(类)审计事务(款)一般行政管理事务",
              "(项)：反映行政单位（包括实行公务员管理的事业单位）未单独设",
              "置项级科目的其他项目支出。",
              "十、一般公共服务支出(类)审计事务(款)事业运行(项)：反",
              "映事业单位的基本支出，不包括行政单位（包括实行公务员管理的",
              "事业单位）后勤服务中心、医务室等附属事业单位。"]
    sections = build_sections(_report(narrow))
    terms = [p.text for s in sections if s.path[-1:] == ["第四部分名词解释"] for p in s.paragraphs]
    assert terms == ["八、一般公共服务支出(类)审计事务(款)行政运行(项)：反映行政单位（包括实行公务员管理的事业单位）的基本支出。",
                     "九、一般公共服务支出(类)审计事务(款)一般行政管理事务(项)：反映行政单位（包括实行公务员管理的事业单位）"
                     "未单独设置项级科目的其他项目支出。",
                     "十、一般公共服务支出(类)审计事务(款)事业运行(项)：反映事业单位的基本支出，不包括行政单位（包括实行公务员管理的"
                     "事业单位）后勤服务中心、医务室等附属事业单位。"]
    assert not any("九、" in s.path[-1] for s in sections if s.path)


def test_a_page_of_short_list_lines_is_not_one_paragraph():
    listed = ["本部门下属单位包括", "市审计局本级", "市审计信息中心", "市经济责任审计中心", "市政府投资审计中心",
              "市审计事务中心", "市审计培训中心", "市审计局机关服务中心", "市审计档案馆"]
    sections = build_sections(_report(listed))
    paragraphs = [p.text for s in sections for p in s.paragraphs if p.page == 2]
    assert len(paragraphs) == len(listed)
