"""A figure shared out over a count the report states: ``公务用车购置费…按计划购置的公务用车台数平均
下来每辆多少钱`` is the 公务用车购置费 (a table figure) divided by the 3 辆 a sentence plans.

The question is cut where ``按…`` names the count: what comes before is asked on its own as the
money (…公务用车购置费预算是多少？), the count is asked of the same unit and year in the measure
``每辆`` names, after the money's name (…公务用车购置费计划购置的公务用车多少辆？: the sentence that
plans the count usually names the money it is for); each must give one row. ``PerEachAnswers`` is mixed
into ``search.ask.engine.Asker`` and asks both steps through it.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.graph.entities import normalise
from search.ask.answer import Answer, rounded
from search.ask.parser import parse

_PER_EACH = re.compile(r"^(?P<money>[^，,]+?)[，,]?按(?:照)?(?P<count>[^，,]{2,20}?)(?:平均下来|平均|来算|算|计算)[，,]?"
                       r"(?:平均)?(?:每|人均)(?P<measure>辆|台|人|个|家|项|次|名|户|所)?[\u4e00-\u9fff]{0,3}?"
                       r"(?:大约|约|大概)?(?:是)?多少(?:钱|万元|元)[？?]?$")
_COUNT_NOUN = re.compile(r"(?:台|辆|人|个|家|名|户)?数(?:量)?$")


class PerEachAnswers:
    """``_per_each``: the mixin of ``Asker`` for a figure divided by a stated count."""

    def _per_each(self, question: str) -> Answer | None:
        asked = _PER_EACH.match(normalise(question))
        if asked is None:
            return None
        intent = parse(question, self.lexicon)
        if len(intent.units) != 1 or len(intent.years) > 1:
            return None
        measure = asked.group("measure") or ("人" if "人" in asked.group("count") else "个")
        when = f"{intent.years[0]}年" if intent.years else ""
        money = self.ask(f"{asked.group('money')}是多少？", chain=False)
        thing = _COUNT_NOUN.sub("", asked.group("count"))
        column = next((c for c in money.columns if c.endswith("(万元)")), None)
        label = column[:-4] if column else ""  # the sentence stating the count often names the money too
        count = self.ask(f"{intent.units[0].name}{when}{label}{thing}多少{measure}？", chain=False)
        if len(money.rows) != 1 or column is None or len(count.rows) != 1 or \
                not isinstance(count.rows[0].get("数值"), (int, float)) or count.rows[0].get("计量单位") != measure:
            return None
        total, many = Decimal(str(money.rows[0][column])), Decimal(str(count.rows[0]["数值"]))
        if not many:
            return None
        each = rounded(total / many)
        answer = Answer(question, intent={"type": "per_each", "first": money.intent.get("type"),
                                          "then": count.intent.get("type")}, mode="hybrid")
        answer.columns = ["单位", "年度", column, f"数量({measure})", f"每{measure}(万元)"]
        answer.add_row({"单位": money.rows[0].get("单位"), "年度": money.rows[0].get("年度"), column: float(total),
                        f"数量({measure})": float(many), f"每{measure}(万元)": each},
                       money.entities[0], money.evidence[0] if money.evidence else None)
        stated = count.evidence[0] if count.evidence and count.evidence[0] else {}
        where = f"（数量据{stated.get('report', '')}第{stated.get('page')}页）" if stated.get("page") else ""
        answer.answer = f"{label}{float(total)}万元 ÷ {float(many):g}{measure} = 每{measure}{each}万元{where}。"
        return answer
