"""Retrieval quality on the seeds: Recall@5 and MRR of BM25, dense and hybrid search.

A passage is relevant to a query when its text contains one of the query's labelled
snippets (tests/fixtures/retrieval/queries.jsonl). Usage:
    python bench/retrieval_eval.py [--store DIR] [--model use] [-k 5] [--failures]
    python bench/retrieval_eval.py --docs ../shared/corpus/reports --queries tests/fixtures/retrieval/corpus_queries_a.jsonl …

Snippets match with white space removed on both sides.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from store.corpus import Corpus  # noqa: E402
from search.hybrid import HybridSearcher  # noqa: E402

QUERIES = ROOT / "tests" / "fixtures" / "retrieval" / "queries.jsonl"
METHODS = ("lexical", "dense", "hybrid")


def _flat(text: str) -> str:
    """Text without white space: snippets copied from a printed line match however the reader wrapped it."""
    return "".join(text.split())


def _relevant(item: dict, text: str) -> bool:
    flat = _flat(text)
    return any(_flat(s) in flat for s in item["relevant"])


def evaluate(corpus: Corpus, k: int = 5, queries_path: Path | list[Path] = QUERIES) -> dict[str, dict]:
    """Recall@k and MRR (first relevant hit within 50) per method, plus per-query ranks."""
    searcher = HybridSearcher(corpus)
    paths = queries_path if isinstance(queries_path, list) else [queries_path]
    queries = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    passages = corpus.passages.get(sorted(corpus.passages.ids_where()))
    total_relevant = {item["id"]: sum(1 for p in passages if _relevant(item, p.text)) for item in queries}
    results: dict[str, dict] = {}
    for method in METHODS:
        recalls, reciprocal, ranks = [], [], {}
        for item in queries:
            hits = searcher.search(item["q"], k=50, method=method)
            relevant_ranks = [i for i, h in enumerate(hits, start=1) if _relevant(item, h.passage.text)]
            first = relevant_ranks[0] if relevant_ranks else None
            found = sum(1 for r in relevant_ranks if r <= k)
            relevant = total_relevant[item["id"]]
            recalls.append(found / min(relevant, k) if relevant else 0.0)
            reciprocal.append(1 / first if first else 0.0)
            ranks[item["id"]] = first
        results[method] = {"recall@k": sum(recalls) / len(recalls), "mrr": sum(reciprocal) / len(reciprocal),
                           "ranks": ranks, "queries": len(queries)}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store")
    parser.add_argument("--model", default="use")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--failures", action="store_true")
    parser.add_argument("--read-only", action="store_true", help="open --store read-only (others may be using it)")
    parser.add_argument("--queries", action="append", help="query files (default: the seeds' set)")
    parser.add_argument("--docs", action="append", help="folders to ingest into a fresh store (default: the seeds)")
    args = parser.parse_args()
    store = args.store or tempfile.mkdtemp(prefix="budgetkg-retrieval-")
    corpus = Corpus(store, model=args.model, read_only=bool(args.store and args.read_only))
    if not args.store:
        list(corpus.ingest([Path(d) for d in args.docs] if args.docs else [ROOT / "tests" / "fixtures" / "seeds"]))
    results = evaluate(corpus, args.k, [Path(q) for q in args.queries] if args.queries else QUERIES)
    print(f"model {args.model}; {results['hybrid']['queries']} queries; relevant = passage contains a labelled snippet")
    print(f"| method | Recall@{args.k} | MRR |\n|---|---|---|")
    for method in METHODS:
        print(f"| {method} | {results[method]['recall@k']:.3f} | {results[method]['mrr']:.3f} |")
    if args.failures:
        for qid, rank in results["hybrid"]["ranks"].items():
            if rank is None or rank > args.k:
                print(f"hybrid miss {qid}: first relevant at {rank} (lexical {results['lexical']['ranks'][qid]}, "
                      f"dense {results['dense']['ranks'][qid]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
