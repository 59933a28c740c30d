"""What SHACL validation finds (``kg.graph.validate``), as users read it: one :class:`Violation`
per SHACL result, located in its report and page, and the :class:`ValidationReport` of a run —
conformance, the findings by report and page as text, a summary by message, and JSON."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from rdflib.namespace import SH

from kg.graph.store import IRI
from kg.graph.vocab import PREFIXES

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SEVERITY_ZH = {"Violation": "错误", "Warning": "警告", "Info": "提示"}


def compact(term: str | None) -> str | None:
    """``https://w3id.org/budgetkg/ontology#amount`` → ``bkg:amount`` (other IRIs unchanged)."""
    if term is None:
        return None
    best = None
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and (best is None or len(namespace) > len(PREFIXES[best])):
            best = prefix
    if best is None:
        return str(term)
    local = term[len(PREFIXES[best]):]
    return f"{best}:{local}" if re.fullmatch(r"[\w.-]*", local) else str(term)


@dataclass(frozen=True)
class Violation:
    """One SHACL result, located in its report and page."""

    focus: str                    # IRI of the node that fails
    path: str | None              # property IRI (None for node-level constraints)
    message_zh: str
    message_en: str
    severity: str                 # "Violation" | "Warning" | "Info"
    value: object = None          # the offending value (IRI, Decimal, int, str …), if any
    report: str | None = None     # report IRI
    report_label: str | None = None
    page: int | None = None       # page in the report, when known
    shape: str | None = None      # IRI of the node shape (bkgsh:…)
    constraint: str = ""          # constraint component, e.g. "MinCount", "Datatype", "SPARQL"

    @property
    def is_error(self) -> bool:
        return self.severity == "Violation"

    @property
    def where(self) -> str:
        """``汾阳市人力资源和社会保障局 2024年单位预算 第12页`` (or what is known of it)."""
        place = self.report_label or self.report or "（报告未知 unknown report）"
        return f"{place} 第{self.page}页" if self.page else place

    def to_dict(self) -> dict:
        data = asdict(self)
        data["path"] = compact(self.path)
        data["shape"] = compact(self.shape)
        data["value"] = None if self.value is None else (str(self.value) if isinstance(self.value, IRI) else self.value)
        return data

    def __str__(self) -> str:
        value = "" if self.value is None else f" 值 value={self.value}"
        path = f" {compact(self.path)}" if self.path else ""
        return (f"[{SEVERITY_ZH.get(self.severity, self.severity)} {self.severity}] {self.where}: "
                f"{self.message_zh} / {self.message_en} — <{self.focus}>{path}{value}")


@dataclass
class ValidationReport:
    violations: list[Violation] = field(default_factory=list)
    triples: int = 0              # data triples validated (without the ontology; shared nodes once per report)
    graphs: int = 0               # validation units: one per report of a store, 1 for a graph or a union
    seconds: float = 0.0
    inference: str = "none"

    @property
    def conforms(self) -> bool:
        """No result of severity Violation (warnings do not break conformance)."""
        return not any(v.is_error for v in self.violations)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]

    def summary(self) -> list[tuple[str, str | None, str, int]]:
        """(severity, compact path, Chinese message, count), most frequent first."""
        counts = Counter((v.severity, compact(v.path), v.message_zh) for v in self.violations)
        return [(s, p, m, n) for (s, p, m), n in counts.most_common()]

    def to_text(self) -> str:
        """Human-readable lines grouped by report, then page; the summary line last."""
        rank = {"Violation": 0, "Warning": 1, "Info": 2}
        ordered = sorted(self.violations, key=lambda v: (v.report_label or v.report or "~", v.page or 0,
                                                         rank.get(v.severity, 3), v.focus))
        lines: list[str] = []
        current = object()
        for v in ordered:
            place = v.report_label or v.report or "（报告未知 unknown report）"
            if place != current:
                current = place
                lines.append(place)
            page = f"第{v.page}页" if v.page else "页码未知"
            detail = f" {compact(v.path)}" if v.path else ""
            if v.value is not None:
                detail += f" = {v.value}"
            line = (f"  {page} [{SEVERITY_ZH.get(v.severity, v.severity)}] {v.message_zh}"
                    f"（{v.message_en}）{detail}  <{v.focus}>")
            if line != lines[-1]:  # two constraints with one message (datatype and range) read as one line
                lines.append(line)
        verdict = "符合约束 (conforms)" if self.conforms else "不符合约束 (does not conform)"
        lines.append(f"{verdict}：错误 {len(self.errors)}，警告 {len(self.warnings)} "
                     f"(errors, warnings; {self.triples} 三元组 triples, {self.graphs} 个校验单元 units, "
                     f"{self.seconds:.1f} s)")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"conforms": self.conforms, "errors": len(self.errors), "warnings": len(self.warnings),
                "triples": self.triples, "graphs": self.graphs, "seconds": round(self.seconds, 3),
                "inference": self.inference, "violations": [v.to_dict() for v in self.violations]}
