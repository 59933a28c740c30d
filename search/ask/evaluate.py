"""Judge answers against gold questions (the rules of the public scorer, in-process).

A question passes when every expected name is found in the answer rows (brackets, blanks
and leading category codes ignored; with ``exact`` the row count must match), or when some
number in the rows or the answer text equals the expected value (a figure in 元 is also
accepted for 万元). Refusal questions pass when the answer has no rows.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

BRACKETS = str.maketrans({"【": "〔", "】": "〕", "[": "〔", "]": "〕", "(": "〔", ")": "〕",
                          "（": "〔", "）": "〕", "“": "", "”": "", '"': "", "《": "", "》": ""})


def norm(text: str) -> str:
    text = re.sub(r"\s+", "", str(text)).translate(BRACKETS)
    return re.sub(r"(?<![A-Za-z])(QT|XM|J|Z)(?=[\u4e00-\u9fff0-9])", "", text)


def numbers(obj) -> list[float]:
    found: list[float] = []
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        found.append(float(obj))
    elif isinstance(obj, str):
        found += [float(x.replace(",", "")) for x in re.findall(r"-?\d[\d,]*\.?\d*", obj)]
    elif isinstance(obj, dict):
        for value in obj.values():
            found += numbers(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            found += numbers(value)
    return found


def judge(expect: dict, out: dict) -> tuple[bool, str]:
    rows = out.get("rows") or []
    if expect.get("refuse") or expect.get("refusal"):
        return (not rows, "refused" if not rows else f"answered with {len(rows)} rows")
    if "names" in expect:
        texts = [norm(json.dumps(r, ensure_ascii=False)) for r in rows]
        missing = [n for n in expect["names"] if not any(norm(n) in t for t in texts)]
        if missing:
            return False, f"missing {missing}"
        if expect.get("exact") and len(rows) != len(expect["names"]):
            return False, f"{len(rows)} rows, expected {len(expect['names'])}"
        return True, "ok"
    if "value" in expect:
        want = float(expect["value"])
        candidates = [want] + ([want * 10000] if expect.get("unit") == "万元" else [])
        def has(found: list[float]) -> bool:
            return any(abs(g - c) <= max(0.011, abs(c) * 1e-4) for c in candidates for g in found)
        if expect.get("strict") and rows:  # every row must carry the value: no other units' or years' figures
            stray = [r for r in rows if not has(numbers(r))]
            if stray:
                return False, f"{len(stray)} of {len(rows)} rows lack {want}{expect.get('unit', '')}"
        if has(numbers(rows) + numbers(out.get("answer", ""))):
            return True, "ok"
        return False, f"no {want}{expect.get('unit', '')} in answer"
    return False, "question has no expectation"


@dataclass
class Outcome:
    item: dict
    passed: bool
    why: str
    seconds: float
    answer: dict


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def by_class(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        cls = outcome.item.get("class", "public")
        table[cls][0] += outcome.passed
        table[cls][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(table.items())}
