"""How commands print results: JSON, objects with ``to_dict``/``to_text``, aligned text tables."""
from __future__ import annotations

import json
import sys

from kg.filenames import shown


def print_json(data) -> None:
    from kg.model import json_default

    print(json.dumps(data, ensure_ascii=False, indent=1, default=json_default))


def print_result(result, as_json: bool) -> None:
    """A result with ``to_dict`` and ``to_text`` (verify, validate) as JSON or as text."""
    if as_json:
        print_json(result.to_dict())
    else:
        print(result.to_text())


def table(columns: list[str], rows: list[dict], out=None) -> None:
    out = out or sys.stdout
    if not rows:
        return
    cells = [[("" if r.get(c) is None else shown(r.get(c))) for c in columns] for r in rows]

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max([width(c)] + [width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    widths = [min(w, 60) for w in widths]

    def fit(text: str, w: int) -> str:
        while width(text) > w:
            text = text[:-2] + "…"
        return text + " " * (w - width(text))

    print(" | ".join(fit(c, w) for c, w in zip(columns, widths)), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for row in cells:
        print(" | ".join(fit(c, w) for c, w in zip(row, widths)), file=out)
