"""The answer record every question gets (``budgetkg ask --json`` prints it) and the way its
values are shown: money in 万元, percents, counts, two decimals for aggregates."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


def wan(value) -> float | None:
    """元 → 万元 as a JSON number (exact to 0.0001)."""
    if value is None:
        return None
    number = (Decimal(value) / Decimal(10000)).quantize(Decimal("0.0001")).normalize()
    return float(number)


def plain(value):
    if isinstance(value, Decimal):
        return float(value.normalize())
    return value


@dataclass
class Answer:
    question: str
    mode: str = "graph"
    intent: dict = field(default_factory=dict)
    sparql: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    answer: str = ""
    evidence: list[dict] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # the IRI behind each row (not printed)

    def add_row(self, row: dict, entity: str, evidence: dict | None = None) -> None:
        """One answer row, the entity it is about, and its evidence (found later when ``None``)."""
        self.rows.append(row)
        self.entities.append(entity)
        self.evidence.append(evidence)

    def keep(self, kept: list[int] | None) -> bool:
        """Keep the rows at ``kept`` with their entities and evidence (True); all of them when ``kept``
        is empty or keeps every row (False)."""
        if not kept or len(kept) == len(self.rows):
            return False
        if len(self.evidence) == len(self.rows):
            self.evidence = [self.evidence[i] for i in kept]
        self.rows = [self.rows[i] for i in kept]
        self.entities = [self.entities[i] for i in kept]
        return True

    def counted(self, keys: list[str], count_column: str, listed_column: str, listed, joiner: str = "、") -> None:
        """The rows collapsed to one per value of ``keys`` — their count and ``listed(row)`` of each
        joined — with the first row's entity and evidence (有几个科目, 每个项目有几个指标)."""
        rows, entities, evidence = self.rows, self.entities, self.evidence
        self.rows, self.entities, self.evidence = [], [], []
        self.columns = keys + [count_column, listed_column]
        for key in dict.fromkeys(tuple(r[k] for k in keys) for r in rows):
            mine = [i for i, r in enumerate(rows) if tuple(r[k] for k in keys) == key]
            self.add_row({**dict(zip(keys, key)), count_column: len(mine),
                          listed_column: joiner.join(listed(rows[i]) for i in mine)}, entities[mine[0]],
                         evidence[mine[0]] if len(evidence) == len(rows) else None)

    def to_dict(self) -> dict:
        return {"question": self.question, "mode": self.mode, "intent": self.intent, "sparql": self.sparql,
                "columns": self.columns, "rows": self.rows, "answer": self.answer, "evidence": self.evidence}


def rounded(value):
    """An aggregate as people write it: two decimals at most."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.01")).normalize())


def metric_column(metric) -> str:
    return {"percent": f"{metric.label}(%)", "money": f"{metric.label}(万元)"}.get(metric.kind, metric.label)


def metric_value(metric, value):
    if metric.kind == "money":
        return wan(value)
    return plain(value)


def format_value(metric, value) -> str:
    if value is None:
        return "未列明"
    if metric.kind == "percent":
        return f"{value}%"
    if metric.kind == "money":
        return f"{value}万元"
    return str(value)


def quantity_unit(metric) -> str:
    return {"assets.vehicles": "辆", "assets.building_area": "平方米"}.get(metric.key, "")


def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
