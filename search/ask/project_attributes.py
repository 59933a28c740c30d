"""A project's attributes as answer rows — 立项依据 (as cited: 《title》（文号））, 资金来源, 主管部门,
实施单位, 项目属性, 项目期, 绩效指标, 偏差原因, 项目概况 — with one shape per attribute: the row of
each query result, the key that makes a row once, and the sentence the rows read as. Indicators
may be narrowed (是否核心指标, 权重为20%的) and counted."""
from __future__ import annotations

from decimal import Decimal

from search.ask import indicators as indicator_words
from search.ask.answer import Answer, wan
from search.ask.parser import Intent


def project_row(row: dict, **values) -> dict:
    return {"项目": row["project_name"], "单位": row["unit_name"], "年度": row.get("year"), **values}


def narrow_indicators(intent: Intent, answer: Answer) -> None:
    """The indicators the question picks: flagged 核心 or not (哪些被标为非核心指标), or of the 分值
    (权重) its comparison names (权重为20%的指标); none when no indicator is so marked."""
    core = indicator_words.core_asked(intent.question)
    if core is not None:
        kept = indicator_words.keep_core(answer.rows, core)
        if kept:
            answer.keep(kept)
        else:
            answer.rows, answer.entities, answer.evidence = [], [], []
    limit = intent.comparison
    if limit is not None and indicator_words.ASKS_WEIGHT.search(intent.question):
        kept = [i for i, r in enumerate(answer.rows) if r.get("分值") is not None and limit.admits(Decimal(str(r["分值"])))]
        if kept:
            answer.keep(kept)
        else:
            answer.rows, answer.entities, answer.evidence = [], [], []
    for column in ("核心指标", "分值"):
        if any(column in r for r in answer.rows):
            answer.columns = [*answer.columns, column]


def indicators_counted(answer: Answer) -> None:
    """有几个指标: one row per project, its count and the indicators' names."""
    answer.intent["type"] = "indicator_count"
    answer.counted(["项目"], "指标数", "指标", lambda r: f"{r['指标']}{r['指标值'] or ''}", "；")
    answer.answer = "；".join(f"{r['项目']}共{r['指标数']}项绩效指标：{r['指标']}" for r in answer.rows) + "。"


def _basis_row(row):
    if not row.get("document_label") and not row.get("basis_text"):
        return None
    number, title = row.get("document_label"), row.get("document_title")
    cited = f"《{title}》（{number}）" if number and title and title != number else \
        (f"《{title}》" if title else number)  # as a document is cited: 《关于…的通知》（市纪发〔2016〕8号）
    return project_row(row, 文件=number, 标题=title, 文件全称=cited, 立项依据原文=row.get("basis_text"))


def _per_project(column: str, value, joiner: str) -> dict:
    """An attribute with one value per project: ``项目{joiner}{value}`` for each, 未列明 when missing."""
    return {"columns": ["项目", "单位", "年度", column], "key": ("project",),
            "row": lambda r: project_row(r, **{column: value(r)}),
            "sentence": lambda rows: "；".join(f"{r['项目']}{joiner}{r[column] or '未列明'}" for r in rows) + "。"}


ATTRIBUTE_ROWS = {
    "basis": {"columns": ["项目", "单位", "年度", "文件", "标题", "文件全称", "立项依据原文"], "key": ("project", "document"),
              "row": _basis_row,
              "sentence": lambda rows: "；".join(
                  f"{r['项目']}的立项依据为{r['文件全称'] or r['立项依据原文']}" for r in rows) + "。" if rows else "未列明立项依据。"},
    "funding": {"columns": ["项目", "单位", "年度", "资金层级", "口径", "金额(万元)"], "key": ("project", "fund"),
                "row": lambda r: project_row(r, 资金层级=r["level"], 口径={"annual": "年度", "period": "实施期"}.get(r["fund_scope"]),
                                              **{"金额(万元)": wan(r["amount"])}) if r.get("amount") else None,
                "sentence": lambda rows: "资金来源：" + "；".join(
                    f"{r['口径']}{r['资金层级']}{r['金额(万元)']}万元" for r in rows if r["金额(万元)"]) + "。" if rows else "未列明资金来源。"},
    "department": _per_project("主管部门", lambda r: r.get("department_name"), "的主管部门是"),
    "unit": _per_project("实施单位", lambda r: r.get("implementing_unit"), "的实施单位是"),
    "attribute": _per_project("项目属性", lambda r: r.get("attribute_value"), "的项目属性为"),
    "term": _per_project("项目期", lambda r: r.get("term_value"), "的项目期为"),
    "indicators": {"columns": ["项目", "指标", "二级指标", "指标值", "期间"], "key": ("project", "indicator"),
                   "row": lambda r: {"项目": r["project_name"], "指标": r["indicator_name"], "二级指标": r.get("level2"),
                                     "指标值": r.get("target"), "期间": {"annual": "年度", "period": "实施期"}.get(r.get("indicator_scope")),
                                     **({"核心指标": "是" if r["core"] else "否"} if r.get("core") is not None else {}),
                                     **({"分值": float(r["weight"])} if r.get("weight") is not None else {})},
                   "sentence": lambda rows: f"共{len(rows)}项绩效指标：" + "；".join(
                       f"{r['指标']}{r['指标值'] or ''}" for r in rows[:12]) + ("…" if len(rows) > 12 else "") + "。"},
    "deviation": _per_project("偏差原因", lambda r: r.get("deviation"), "的偏差原因："),
    "overview": _per_project("项目概况", lambda r: r.get("overview") or r.get("purpose"), "："),
}
