"""Question answering accuracy (per class) and latency, on the seeds or any folder of reports.

Ingests tests/fixtures/seeds into a fresh store (or uses --store), asks every question of
tests/fixtures/questions/questions.jsonl (and public.jsonl, bad_questions.jsonl) in-process
and prints accuracy per class, overall, and latency p50/p95.

    python bench/ask_accuracy.py [--store DIR] [--failures] [--model use]
    python bench/ask_accuracy.py --docs ../shared/corpus/reports --set tests/fixtures/questions/corpus_heldout_a.jsonl
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.corpus import Corpus  # noqa: E402
from search.ask.engine import Asker  # noqa: E402
from search.ask.evaluate import Outcome, by_class, judge, load  # noqa: E402

QUESTIONS = ROOT / "tests" / "fixtures" / "questions"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="an existing store with the seeds ingested")
    parser.add_argument("--model", default="use")
    parser.add_argument("--failures", action="store_true", help="print failing questions")
    parser.add_argument("--set", action="append",
                        help="question files, by name under tests/fixtures/questions or by path "
                             "(default: public, questions, bad_questions)")
    parser.add_argument("--docs", action="append",
                        help="folders to ingest into a fresh store (default: tests/fixtures/seeds)")
    args = parser.parse_args()
    store = args.store or tempfile.mkdtemp(prefix="budgetkg-ask-")
    corpus = Corpus(store, model=args.model)
    if not args.store:
        list(corpus.ingest([Path(d) for d in args.docs] if args.docs else [ROOT / "tests" / "fixtures" / "seeds"]))
    asker = Asker(corpus)
    sets = args.set or ["public.jsonl", "questions.jsonl", "bad_questions.jsonl"]
    outcomes: list[Outcome] = []
    for name in sets:
        for item in load(Path(name) if Path(name).exists() else QUESTIONS / name):
            item.setdefault("class", "public" if name == "public.jsonl" else "refusal")
            start = time.perf_counter()
            try:
                answer = asker.ask(item["q"]).to_dict()
            except Exception as err:  # noqa: BLE001 - report, don't stop the evaluation
                answer = {"rows": [], "answer": f"{type(err).__name__}: {err}"}
            seconds = time.perf_counter() - start
            passed, why = judge(item["expect"], answer)
            outcomes.append(Outcome(item, passed, why, seconds, answer))
    print(f"{'class':<16} {'passed':>7} {'total':>6} {'accuracy':>9}")
    for cls, (passed, total) in by_class(outcomes).items():
        print(f"{cls:<16} {passed:>7} {total:>6} {passed / total:>9.1%}")
    total_passed = sum(o.passed for o in outcomes)
    print(f"{'all':<16} {total_passed:>7} {len(outcomes):>6} {total_passed / len(outcomes):>9.1%}")
    times = sorted(o.seconds for o in outcomes)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"latency p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms over {len(times)} questions")
    if args.failures:
        for o in outcomes:
            if not o.passed:
                print(f"FAIL {o.item['id']} [{o.item['class']}] {o.item['q']} :: {o.why} :: "
                      f"{o.answer.get('intent', {}).get('type')} :: {str(o.answer.get('answer'))[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
