"""What a store holds, dumped sorted, so that two stores built from the same files by two
versions of the code can be compared byte for byte (a speed change must not change them).

    python bench/store_content.py STORE OUT_DIR
    diff -r OUT_A OUT_B

Written to OUT_DIR: ``manifest.json`` (the report entries), ``extractions.jsonl`` (each
stored extraction), ``quads.nq`` (every quad of the graph store, sorted; blank-node labels,
fresh per store, written as ``_:b``), ``passages.jsonl`` (the passage and facet rows),
``vectors.txt`` (a digest of each passage vector, rounded to 1e-5) and ``lexical.txt`` (the
BM25 index's document ids and its answers to a few fixed queries). Embedded Oxigraph stores only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from embed.factory import create_embedder  # noqa: E402
from embed.passage_index import PassageIndex  # noqa: E402

QUERIES = ["政府采购预算", "三公经费", "项目支出绩效目标", "合同纠纷没有付款", "机关运行经费", "一般公共预算财政拨款支出",
           "气象", "信访", "教育", "执行率"]


def dump(store: Path, out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["reports"]
    (out / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")
    with open(out / "extractions.jsonl", "w", encoding="utf-8") as f:
        for iri in sorted(entries):
            data = json.loads((store / entries[iri]["file"]).read_text(encoding="utf-8"))
            f.write(json.dumps({"iri": iri, "report": data}, ensure_ascii=False, sort_keys=True) + "\n")
    graph = ox.Store.read_only(str(store / "graph"))
    lines = sorted(re.sub(r"_:[0-9A-Za-z]+", "_:b", f"{q.subject} {q.predicate} {q.object} {q.graph_name} .")
                   for q in graph)
    (out / "quads.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = store / manifest.get("index", "passages")
    conn = sqlite3.connect(f"file:{folder / 'passages.sqlite'}?mode=ro", uri=True)
    with open(out / "passages.jsonl", "w", encoding="utf-8") as f:
        for row in conn.execute("SELECT id, iri, report, text, page, section, kind, source, entities, facets "
                                "FROM passages ORDER BY id"):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        for row in conn.execute("SELECT passage, key, value FROM facets ORDER BY passage, key, value"):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    conn.close()
    index = PassageIndex.open(folder, create_embedder(manifest["settings"].get("model")))
    try:
        ids, vectors = index.vectors._all_vectors()
        order = np.argsort(ids)
        with open(out / "vectors.txt", "w", encoding="utf-8") as f:
            for pid, vector in zip(ids[order].tolist(), vectors[order]):
                digest = hashlib.sha1(np.round(vector.astype(np.float64), 5).tobytes()).hexdigest()[:16]
                f.write(f"{pid} {digest}\n")
        with open(out / "lexical.txt", "w", encoding="utf-8") as f:
            f.write("\n".join(sorted(index.lexical_index.ids())) + "\n")
            for query in QUERIES:
                hits = [(iri, round(score, 4)) for iri, score in index.lexical(query, k=30)]
                f.write(f"{query} {json.dumps(hits, ensure_ascii=False)}\n")
    finally:
        index.close()
    return f"{len(entries)} reports, {len(lines)} quads, {len(ids)} vectors"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    print(dump(args.store, args.out))


if __name__ == "__main__":
    main()
