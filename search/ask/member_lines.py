"""A line of a member unit that publishes no report of its own, read from the block its
department's table prints for it: tables by unit print each unit's row followed by its lines
(广州市统计普查中心 1,373.74 / 工资福利支出 1,155.76 / 商品和服务支出 102.93 … / the next unit), so
the member's 工资福利支出 is the line of that name between its row and the next unit's.

``MemberLines`` is mixed into ``search.ask.engine.Asker``; it uses the asker's ``store``,
``lexicon``, ``_reports_of``, ``_named_in`` and ``_corpus_lines``.
"""
from __future__ import annotations

import re
from collections import defaultdict

from kg.graph.entities import normalise
from kg.graph.vocab import observation_row
from search.ask.answer import Answer, wan
from search.ask.parser import Intent
from search.ask.sparql import literal

_OWN = re.compile(r"[（(]本级[)）]$|本级$")


def _tables_naming(unit: str, years: list[int]) -> str:
    name = literal(unit)
    year = f"  ?report bkg:fiscalYear ?year . FILTER(?year IN ({', '.join(map(str, years))}))\n" if years else ""
    return ("SELECT ?report ?table ?title ?obs ?line ?kind ?fund ?amount ?page WHERE {\n"
            f"  {{ SELECT DISTINCT ?table WHERE {{ ?named bkg:lineName \"{name}\" ; qb:dataSet ?table }} }}\n"
            "  ?table dcterms:isPartOf ?report ; rdfs:label ?title .\n"
            f"{year}"
            "  ?obs qb:dataSet ?table ; bkg:lineName ?line ; bkg:tableKind ?kind ; bkg:fundType ?fund ; bkg:amount ?amount .\n"
            "  OPTIONAL { ?obs prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n}")


class MemberLines:
    """A member's line from the block its department's table prints for it."""

    def _member_line_named(self, intent: Intent, answer: Answer) -> bool:
        """广州市统计普查中心2026年工资福利支出是多少: a line the corpus prints, of a unit with no report."""
        if len(intent.units) != 1 or intent.projects or intent.yoy or self._reports_of(intent):
            return False
        found = self._named_in(intent, self._corpus_lines())
        if found is None:
            return False
        metric = intent.report_metric
        if intent.kind == "report_lookup" and (metric is None or normalise(found[0]) in {
                normalise(word) for word in metric.synonyms}):
            return False  # 基本支出是多少: the member's figure; 基本支出里的工资福利支出: the line in its block
        return self._member_block_line(intent, found[0], answer)

    def _member_block_line(self, intent: Intent, line: str, answer: Answer) -> bool:
        if len(intent.units) != 1 or self._reports_of(intent):
            return False
        unit = intent.units[0].name
        rows = self.store.query(_tables_naming(unit, intent.years)).rows
        units = {normalise(u.name) for u in self.lexicon.units.values()}
        found = []
        for table, cells in _by_table(rows).items():
            ordered = sorted(cells.items())
            names = [normalise(c[0]["line"]) for _, c in ordered]
            if normalise(unit) not in names:
                continue
            start = names.index(normalise(unit))
            for (_, row), name in zip(ordered[start + 1:], names[start + 1:]):
                if name in units or _OWN.search(name):
                    break  # the next unit's block
                if name == normalise(line):
                    total = next((c for c in row if str(c["fund"]) == "total"), row[0])
                    found.append(total)
                    break
        if not found:
            return False
        order = ("basic_by_economic",) if "基本支出" in normalise(intent.question) else ()
        found.sort(key=lambda c: (str(c["kind"]) not in order, c.get("page") or 0))
        cell = found[0]
        label = self.lexicon.reports[cell["report"]]
        answer.sparql = _tables_naming(unit, intent.years)
        answer.intent["type"] = "member_line"
        answer.columns = ["单位", "年度", "科目", "金额(万元)", "表", "所在报告"]
        answer.add_row({"单位": unit, "年度": label.year, "科目": line, "金额(万元)": wan(cell["amount"]),
                        "表": cell["title"], "所在报告": f"{label.unit} {label.year}年{label.report_kind}"}, cell["report"],
                       {"report": f"{label.unit} {label.year}年{label.report_kind}", "page": cell.get("page"),
                        "text": f"{cell['title']}：{unit} … {line} {wan(cell['amount'])}万元"})
        answer.answer = (f"{unit}{label.year}年{line}为{wan(cell['amount'])}万元（{label.unit}{label.year}年"
                         f"{label.report_kind}的{cell['title']}中该单位名下的一行）。")
        return True


def _by_table(rows: list[dict]) -> dict[str, dict[int, list[dict]]]:
    """table → row number → the row's cells, from their observation IRIs."""
    tables: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        cell = observation_row(row["obs"])
        if cell:
            tables[row["table"]][cell[1]].append(row)
    return tables


__all__ = ["MemberLines"]
