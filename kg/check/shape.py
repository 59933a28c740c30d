"""What a table's own figures say about its shape, learned from the rows before any is judged.

Regional templates print the same standard table with different column groups (合计 | 基本支出
| 人员经费 | 公用经费 | 项目支出, or 合计 | 财政拨款 | 上年结转 | 事业收入 …), nest columns
under others, and sometimes carry a code column the reader took for amounts. A rule that
assumes one layout raises a false error on every row of another. Here the relation is read
from the table itself: a column equals the sum of a set of other columns when that holds on
nearly every row. A row breaking a relation that all its neighbours keep is a finding; a table
where no relation holds on most rows is a shape the rules cannot read, and they stay silent.

``coherent`` does the same for parent/child relations between rows (类 = Σ款): a table where
most parents do not add up is misread, not wrong everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations

from kg.check.base import precision, tolerance
from kg.model import Amount, BudgetLine

#: share of parent lines whose sums must hold before a table's rows are trusted
SUPPORT = Decimal("0.5")
#: fewest rows on which a column relation must hold before it is trusted
MIN_HELD = 2
#: widest set of columns searched for a relation (2**n subsets per target column)
MAX_COLUMNS = 12


@dataclass(frozen=True)
class Relation:
    """``target`` = Σ ``parts`` on ``held`` of the ``rows`` rows where the target is not 0."""

    target: str
    parts: tuple[str, ...]
    held: int
    rows: int

    @property
    def trusted(self) -> bool:
        """Held nearly everywhere: at most one row in ten (at least one row) breaks it."""
        return self.held >= MIN_HELD and self.rows - self.held <= max(1, self.rows // 10)


def _value(line: BudgetLine, column: str) -> Decimal:
    amount = line.values.get(column)
    return amount.value if amount is not None else Decimal(0)


def holds(line: BudgetLine, target: str, parts: tuple[str, ...]) -> bool:
    total = line.values.get(target)
    if total is None:
        return True
    amounts = [line.values[p] for p in parts if p in line.values]
    observed = sum((a.value for a in amounts), Decimal(0))
    return abs(total.value - observed) <= tolerance(total, amounts or [total])


def _facts(line: BudgetLine) -> dict[str, tuple[Decimal, Decimal]]:
    """A line's amounts as (value, precision) by column: what ``holds`` reads, taken once per
    line for the thousands of column sets ``relations`` tries on it."""
    return {column: (amount.value, precision(amount)) for column, amount in line.values.items()}


def _holds(facts: dict[str, tuple[Decimal, Decimal]], target: str, parts: tuple[str, ...]) -> bool:
    """``holds`` on a line's ``_facts``: the same sum and the same rounding tolerance."""
    total = facts.get(target)
    if total is None:
        return True
    present = [facts[p] for p in parts if p in facts]
    observed = sum((value for value, _ in present), Decimal(0))
    if not present:  # tolerance(total, [total])
        return abs(total[0] - observed) <= total[1] * 2 / 2
    unit = min(total[1], min(unit for _, unit in present))
    return abs(total[0] - observed) <= unit * max(1, len(present) + 1) / 2


def _informative(lines: list[BudgetLine], target: str, parts: tuple[str, ...]) -> bool:
    """The relation says something: the target is not zero everywhere, and a sum of several
    columns has at least two of them carrying money on some row."""
    if len(parts) == 1:
        return True
    return sum(1 for p in parts if any(_value(line, p) for line in lines)) >= 2


def relations(lines: list[BudgetLine], columns: list[str], targets: list[str]) -> list[Relation]:
    """For each target column, the set of other columns that sums to it on most rows."""
    found: list[Relation] = []
    facts = {id(line): _facts(line) for line in lines}
    for target in targets:
        rows = [line for line in lines if _value(line, target)]
        if len(rows) < MIN_HELD + 1:
            continue
        others = [c for c in columns if c != target and any(_value(line, c) for line in rows)][:MAX_COLUMNS]
        best: Relation | None = None
        row_facts = [facts[id(line)] for line in rows]
        first, last = row_facts[0], row_facts[-1]
        for size in range(1, len(others) + 1):
            for parts in combinations(others, size):
                if not _holds(first, target, parts) and not _holds(last, target, parts):
                    continue
                held = sum(1 for fact in row_facts if _holds(fact, target, parts))
                if best is None or held > best.held:
                    best = Relation(target, parts, held, len(rows))
        if best and best.trusted and _informative(rows, target, best.parts):
            found.append(best)
    return found


def coherent(checks: list[bool]) -> bool:
    """Enough parent/child sums hold for the reading of the table to be trusted: at least two,
    and at least half of them (a misread table breaks nearly all; a slip breaks one or two)."""
    held = sum(checks)
    return held >= 2 and Decimal(held) / Decimal(len(checks)) >= SUPPORT


def amounts_of(line: BudgetLine, parts: tuple[str, ...]) -> list[tuple[str, Amount]]:
    return [(p, line.values[p]) for p in parts if p in line.values]
