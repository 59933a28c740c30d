"""Extraction accuracy against the hand-verified ground truth under tests/fixtures/groundtruth.

Prints precision and recall per document (and per field group with --groups), and the
misses with --misses. Usage: python bench/extraction_accuracy.py [--pdf] [--misses N] [--groups]

With --corpus it scores the blind ground truth of real corpus reports
(tests/fixtures/groundtruth/corpus/, matched to tests/fixtures/corpus/ by sha256) and prints
precision/recall per report and per family (identity, figure, project, basis, kpi, document).
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
from kg.extract.evaluate import CORPUS_GROUPS, compare, compare_corpus  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def group_of(key: str) -> str:
    return key.split("|")[0].split(":")[0]


def corpus_files() -> dict[str, Path]:
    """sha256 → neutral-named corpus fixture."""
    rows = (FIXTURES / "corpus" / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
    return {r.split("\t")[1]: FIXTURES / "corpus" / r.split("\t")[0] for r in rows if r and not r.startswith("#")}


def corpus(misses: int, truth_dir: Path) -> int:
    files = corpus_files()
    right: Counter = Counter()
    scored: Counter = Counter()
    found: Counter = Counter()
    wanted: Counter = Counter()
    print(f"{'report':<44} {'facts':>6} {'precision':>9} {'recall':>7}")
    for truth_path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        source = files[truth["sha256"]]
        try:
            report = extract(source)
        except Exception as err:  # a refused report scores zero recall, it does not stop the run
            print(f"{truth_path.stem[:44]:<44} refused: {err}")
            for key in compare_corpus(_empty_report(), truth).expected:
                wanted[group_of(key)] += 1
            continue
        result = compare_corpus(report, truth, truth_path.stem)
        print(f"{truth_path.stem[:44]:<44} {len(result.expected):>6} {result.precision:>9.3f} {result.recall:>7.3f}")
        extra = {k for k, _ in result.extras()}
        for key in result.expected:
            wanted[group_of(key)] += 1
            found[group_of(key)] += key in result.correct
        for key, value in result.extracted.items():
            if key in result.expected or key in extra:
                scored[group_of(key)] += 1
                right[group_of(key)] += result.expected.get(key) == value
        for key, want, got in result.misses()[:misses]:
            print(f"   MISS {key}: want {want!r} got {got!r}")
        for key, got in result.extras()[:misses]:
            print(f"   EXTRA {key}: {got!r}")
    print(f"\n{'family':<12} {'facts':>6} {'precision':>9} {'recall':>7}")
    for group in CORPUS_GROUPS + ("all",):
        if group == "all":
            w, f, s, r = (sum(c.values()) for c in (wanted, found, scored, right))
        else:
            w, f, s, r = wanted[group], found[group], scored[group], right[group]
        print(f"{group:<12} {w:>6} {r / s if s else 1:>9.3f} {f / w if w else 1:>7.3f}")
    return 0


def _empty_report():
    from kg.model import Report

    return Report(unit="", year=None, kind=None, scope=None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="read the PDF twins instead of the text exports")
    parser.add_argument("--corpus", action="store_true", help="score the blind corpus ground truth instead")
    parser.add_argument("--misses", type=int, default=0, help="show up to N misses per document")
    parser.add_argument("--groups", action="store_true", help="recall per field group")
    parser.add_argument("--truth", type=Path, default=FIXTURES / "groundtruth" / "corpus",
                        help="with --corpus: the folder of truth files (default: groundtruth/corpus; "
                             "groundtruth/corpus2 is the second blind set)")
    args = parser.parse_args()
    if args.corpus:
        return corpus(args.misses, args.truth)
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
