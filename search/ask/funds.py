"""The part of a project's money that comes from one source (一般公共预算, 财政拨款, 其他资金 …).

``气象业务建设项目里一般公共预算安排了多少钱`` or ``财政拨款以外的其他资金有多少`` ask for one
source of a project's funds, not its total. Two places in the graph hold it: the project's
funding sources (资金来源 of its 绩效目标表) and the row a 项目支出 table prints for the project,
by column. The source is named by the question's words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.graph.vocab import observation_row
from search.ask.sparql import literal


@dataclass(frozen=True)
class Fund:
    label: str
    words: re.Pattern
    columns: tuple[str, ...]  # table column keys (bkg:fundType)
    sources: tuple[str, ...]  # funding-source labels


# checked in order: 财政拨款以外 before 财政拨款, 事业单位经营收入 before 事业收入
FUNDS = [
    Fund("其他资金", re.compile(r"财政拨款以外|财政拨款之外|非财政拨款|其他资金|单位资金|单位自筹|自筹资金"),
         ("col:其他资金", "unit_funds"), ("其他", "其他资金", "单位资金", "单位自筹")),
    Fund("一般公共预算", re.compile(r"一般公共预算"), ("general_budget",), ("一般公共预算", "一般公共预算拨款")),
    Fund("政府性基金", re.compile(r"政府性基金"), ("fund_budget",), ("政府性基金", "政府性基金预算")),
    Fund("国有资本经营预算", re.compile(r"国有资本经营"), ("state_capital_budget",), ("国有资本经营预算",)),
    Fund("财政专户管理资金", re.compile(r"财政专户"), ("special_account",), ("财政专户管理资金",)),
    Fund("事业单位经营收入", re.compile(r"经营收入"), ("col:事业单位经营收入", "operating_income"), ()),
    Fund("事业收入", re.compile(r"事业收入"), ("business_income",), ("事业收入",)),
    Fund("上级补助收入", re.compile(r"上级补助"), ("superior_subsidy",), ("上级补助",)),
    Fund("附属单位上缴收入", re.compile(r"附属单位上缴"), ("affiliate_income",), ()),
    Fund("上年结转", re.compile(r"上年结[转余]|结转结余"), ("col:上年结余、结转", "col:上年结转结余", "carryover"),
         ("上年结转", "上年结余")),
    Fund("其他收入", re.compile(r"其他收入"), ("other_income",), ()),
    Fund("财政拨款", re.compile(r"财政拨款|财政资金|财拨"), ("fiscal_appropriation", "total:财政拨款/小计"), ("财政拨款",)),
]


def asked_fund(text: str) -> Fund | None:
    """The source of funds a question names, or None."""
    return next((fund for fund in FUNDS if fund.words.search(text)), None)


_SUMMED = re.compile(r"(?:资金|金额|资金数|数额)?(?:都|全部|一起)?(?:加起来|加在一起|合计|共计|一共|总共|总和|之和|总额|总计)")


def summed_fund(text: str) -> Fund | None:
    """各项目的上年结转资金加起来一共多少: the source whose money the question adds up over projects
    (its words followed by a word of summing), or None."""
    for fund in FUNDS:
        for match in fund.words.finditer(text):
            if _SUMMED.match(text, match.end()) and "项目" in text:
                return fund
    return None


_JOINED = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:和|及|与|、|以及|加上|跟|又有|也有|还有)$")


def joined_funds(text: str, fund: Fund) -> list[Fund]:
    """The other sources named together with ``fund`` (事业收入和上年结余结转: both asked), not those
    named apart from it (除财政拨款外还使用了单位资金, 没有用财政拨款，完全由其他资金)."""
    def between(a: re.Match, b: re.Match) -> str:
        first, second = sorted((a, b), key=lambda m: m.start())
        return text[first.end():second.start()]

    return [other for other in asked_funds(text) if other is not fund and
            any(_JOINED.match(between(a, b)) for a in fund.words.finditer(text) for b in other.words.finditer(text))]


def asked_funds(text: str) -> list[Fund]:
    """Every source a question names (事业收入加上年结余结转), in the order it names them; a source named
    only inside another's words (财政拨款 in 非财政拨款) does not count."""
    spans = []
    for fund in FUNDS:
        for match in fund.words.finditer(text):
            spans.append((match.start(), match.end(), fund))
    kept = [(a, b, f) for a, b, f in spans
            if not any((c <= a and b <= d) and (c, d) != (a, b) for c, d, _ in spans)]
    return list(dict.fromkeys(fund for _, _, fund in sorted(kept, key=lambda s: s[0])))


def project_funds_query(projects) -> str:
    """Each project's funding sources, and the cells of table rows printed with its name in its report."""
    values = " ".join(f"<{p.iri}>" for p in projects)
    named = " ".join(f'(<{p.iri}> "{literal(p.name)}")' for p in projects)
    return ("SELECT ?project ?source ?source_amount ?obs ?column ?cell ?title ?page ?own WHERE {\n"
            f"  {{ VALUES ?project {{ {values} }}\n"
            "    ?project bkg:hasFundingSource ?fund . ?fund rdfs:label ?source ; bkg:amount ?source_amount ;"
            " bkg:scope \"annual\" }\n"
            "  UNION\n"
            f"  {{ VALUES (?project ?line) {{ {named} }}\n"
            "    ?obs bkg:lineName ?line ; qb:dataSet ?table ; bkg:fundType ?column ; bkg:amount ?cell .\n"
            "    ?table dcterms:isPartOf ?report ; rdfs:label ?title . ?project bkg:inReport ?report .\n"
            "    OPTIONAL { ?obs prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n"
            "    OPTIONAL { ?project bkg:annualAmount ?own } }\n}")


def amounts(fund: Fund, rows: list[dict]) -> dict[str, tuple]:
    """Per project IRI: (amount in 元, where it was read) for ``fund``; a funding source first,
    else a table cell when the project's row is printed once in that column — or, where rows of
    that name repeat (one per unit: 深圳市考试院's 人力资源综合管理 among five), the row whose
    total is the project's own amount."""
    out: dict[str, tuple] = {}
    cells: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("source") is not None and str(row["source"]) in fund.sources:
            out.setdefault(row["project"], (row["source_amount"], "资金来源", None))
        elif row.get("column") is not None and str(row["column"]) in fund.columns:
            cells.setdefault(row["project"], []).append(row)
    for project, found in cells.items():
        if project in out:
            continue
        found = _rows_of_own_total(project, found, rows) if len({r["cell"] for r in found}) > 1 else found
        if len({r["cell"] for r in found}) == 1:
            out[project] = (found[0]["cell"], found[0]["title"], found[0].get("page"))
    return out


def _rows_of_own_total(project: str, found: list[dict], rows: list[dict]) -> list[dict]:
    """The cells of ``found`` in rows whose 总计 cell is the project's own amount."""
    own = next((r["own"] for r in rows if r["project"] == project and r.get("own") is not None), None)
    if own is None:
        return []
    mine = {observation_row(r["obs"]) for r in rows if r["project"] == project and r.get("obs") is not None
            and str(r.get("column")) == "total" and r["cell"] == own}
    return [r for r in found if r.get("obs") is not None and observation_row(r["obs"]) in mine]
