"""The status of each stored report, in one place: ``budgetkg reports --json`` prints these
rows and ``/api/reports`` answers with them (see ``report_rows``)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping


def report_id(iri: str) -> str:
    """The short id of a report IRI (its last path segment), used in URLs."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


STATUS_TEXT = {"graph_missing": "图谱中缺失 (not in the graph)",
               "no_passages": "仅图谱，段落未索引 (graph only, passages not indexed)",
               "ok": "已导入 (ingested)"}


def report_status(iri: str, entry: Mapping, graph_names: Iterable[str]) -> tuple[str, str]:
    """(status, Chinese text) of one manifest entry against the graphs the store holds."""
    if iri not in graph_names:
        return "graph_missing", STATUS_TEXT["graph_missing"]
    if not entry.get("passages_done", True):
        return "no_passages", STATUS_TEXT["no_passages"]
    if entry.get("warnings"):
        return "warnings", f"已导入，{entry['warnings']} 条警告 (ingested with warnings)"
    return "ok", STATUS_TEXT["ok"]


def report_rows(reports: Mapping[str, Mapping], graph_names: Iterable[str]) -> list[dict]:
    """One row per stored report (manifest ``reports`` and the store's graph names), by unit, year, kind."""
    names = set(graph_names)
    rows = []
    for iri, entry in reports.items():
        status, text = report_status(iri, entry, names)
        rows.append({"iri": iri, "id": report_id(iri), "title": entry.get("title"), "file": entry.get("path"),
                     "unit": entry.get("unit"), "year": entry.get("year"), "kind": entry.get("kind"),
                     "scope": entry.get("scope"), "triples": entry.get("triples", 0),
                     "shared_triples": entry.get("shared_triples", 0), "passages": entry.get("passages", 0),
                     "warnings": entry.get("warnings", 0), "findings": entry.get("findings", 0),
                     "status": status, "status_text": text})
    rows.sort(key=lambda r: (r["unit"] or "", r["year"] or 0, r["kind"] or ""))
    return rows


__all__ = ["report_id", "report_rows", "report_status", "STATUS_TEXT"]
