"""Extraction accuracy against the hand-verified ground truth under tests/fixtures/groundtruth.

Prints precision and recall per document (and per field group with --groups), and the
misses with --misses. Usage: python bench/extraction_accuracy.py [--pdf] [--misses N] [--groups]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import extract  # noqa: E402
from kg.extract.evaluate import compare  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def group_of(key: str) -> str:
    return key.split("|")[0].split(":")[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="read the PDF twins instead of the text exports")
    parser.add_argument("--misses", type=int, default=0, help="show up to N misses per document")
    parser.add_argument("--groups", action="store_true", help="recall per field group")
    args = parser.parse_args()
    total_expected = total_correct = total_scored = total_right = 0
    print(f"{'document':<28} {'facts':>6} {'precision':>9} {'recall':>7}")
    for truth_path in sorted((FIXTURES / "groundtruth").glob("*.json")):
        source = FIXTURES / ("pdf" if args.pdf else "seeds") / (truth_path.stem + (".pdf" if args.pdf else ".txt"))
        if not source.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        result = compare(extract(source), truth, source.name)
        print(f"{source.name:<28} {len(result.expected):>6} {result.precision:>9.3f} {result.recall:>7.3f}")
        total_expected += len(result.expected)
        total_correct += len(result.correct)
        extras = len(result.extras())
        total_scored += len(result.correct) + len([m for m in result.misses() if m[2] is not None]) + extras
        total_right += len(result.correct)
        if args.groups:
            want = Counter(group_of(k) for k in result.expected)
            got = Counter(group_of(k) for k in result.correct)
            print("   " + "  ".join(f"{g}={got[g]}/{n}" for g, n in sorted(want.items())))
        for key, wanted, found in result.misses()[: args.misses]:
            print(f"   MISS {key}: want {wanted!r} got {found!r}")
        for key, found in result.extras()[: args.misses]:
            print(f"   EXTRA {key}: {found!r}")
    if total_expected:
        print(f"{'all':<28} {total_expected:>6} {total_right / max(total_scored, 1):>9.3f} {total_correct / total_expected:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
