"""The segmented keyword index scores exactly as one bm25s index over the live documents
(what ``LexicalIndex`` built whole before segments), through additions, replacements,
removals, merges, persists and restores."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import embed.lexical as lexical_module
from embed.lexical import LexicalIndex
from embed.lexical_segments import Segment
from embed.passage_ids import passage_ids

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def seed_lines() -> list[str]:
    lines = []
    for path in sorted(SEEDS.glob("*.txt"))[:2]:
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 6)
    return list(dict.fromkeys(lines))


def whole_index_search(docs: dict[str, list[str]], tokens: list[str], k: int, k1: float, b: float,
                       allowed: set[str] | None = None) -> list[tuple[str, float]]:
    """The whole-index BM25 of the previous LexicalIndex: bm25s (Lucene) over the live documents
    in the order they were added, postings summed with np.bincount; equal scores in that order,
    also within ``allowed``."""
    import bm25s

    from embed.vectors import top_k

    doc_ids = list(docs)
    vocab: dict[str, int] = {}
    corpus = [[vocab.setdefault(t, len(vocab)) for t in toks] for toks in docs.values()]
    if not doc_ids or k <= 0:
        return []
    model = bm25s.BM25(k1=k1, b=b, method="lucene")
    matrix = model.build_index_from_ids(unique_token_ids=list(range(len(vocab))), corpus_token_ids=corpus,
                                        show_progress=False)
    data, indices = np.asarray(matrix["data"], dtype=np.float32), np.asarray(matrix["indices"], dtype=np.int32)
    indptr = np.asarray(matrix["indptr"], dtype=np.int64)
    term_ids = np.asarray([vocab[t] for t in tokens if t in vocab], dtype=np.int64)
    if len(term_ids) == 0:
        return []
    starts, ends = indptr[term_ids], indptr[term_ids + 1]
    if (ends - starts).sum() == 0:
        return []
    hit_docs = np.concatenate([indices[s:e] for s, e in zip(starts, ends)])
    weights = np.concatenate([data[s:e] for s, e in zip(starts, ends)])
    n = len(doc_ids)
    position = {d: i for i, d in enumerate(doc_ids)}
    if allowed is not None:
        rows = np.sort(np.fromiter((position[d] for d in allowed if d in position), dtype=np.int64))
        if len(rows) == 0:
            return []
        scores = np.bincount(hit_docs, weights=weights, minlength=n)[rows]
    elif len(hit_docs) * 8 < n:
        rows, inverse = np.unique(hit_docs, return_inverse=True)
        scores = np.bincount(inverse, weights=weights)
    else:
        rows = None
        scores = np.bincount(hit_docs, weights=weights, minlength=n)
    order = top_k(scores, k)
    order = order[scores[order] > 0]
    picked = order if rows is None else rows[order]
    return [(doc_ids[p], float(s)) for p, s in zip(picked.tolist(), scores[order].tolist())]


@pytest.fixture
def small_tiers(monkeypatch):
    monkeypatch.setattr(lexical_module, "TIER_BASE", 8)
    monkeypatch.setattr(lexical_module, "FANOUT", 3)


def agree(index: LexicalIndex, live: dict[str, list[str]], queries: list[list[str]], rng: random.Random) -> None:
    for tokens in queries:
        for k in (1, 10, 1000):
            assert index.search_tokens(tokens, k) == whole_index_search(live, tokens, k, index.k1, index.b)
        allowed = set(rng.sample(sorted(live), min(len(live), 25))) if live else set()
        expected = whole_index_search(live, tokens, 10, index.k1, index.b, allowed)
        assert index.search_tokens(tokens, 10, allowed) == expected
        numbers = passage_ids(allowed | {"not-a-document"})  # a scope given as passage numbers, one unknown
        assert index.search_tokens(tokens, 10, numbers) == expected


@pytest.mark.parametrize("lookup", [0, 10**9], ids=["scope-looked-up", "scope-through-postings"])
def test_scores_equal_one_whole_index_through_changes_persists_and_restores(tmp_path, small_tiers, monkeypatch, lookup):
    monkeypatch.setattr(lexical_module, "SCOPE_LOOKUP", lookup)  # a scope scored by lookup / from every posting
    rng = random.Random(5)
    lines = seed_lines()
    index = LexicalIndex()
    tokenize = index.tokenizer.tokenize
    texts = {f"d{i}": tokenize(" ".join(rng.sample(lines, 2))) for i in range(260)}
    queries = [tokenize(line)[:6] for line in rng.sample(lines, 12)] + [tokenize("经费 经费 项目")]
    live: dict[str, list[str]] = {}
    folder = tmp_path / "lex"
    order = list(texts)
    generation = 0
    for step, start in enumerate(range(0, 260, 20)):
        for doc_id in order[start:start + 20]:
            index.add_tokens(doc_id, texts[doc_id])
            live[doc_id] = texts[doc_id]
        for doc_id in rng.sample(sorted(live), 4):  # replaced: removed, added again at the end
            tokens = tokenize(rng.choice(lines))
            index.add_tokens(doc_id, tokens)
            del live[doc_id]
            live[doc_id] = tokens
        gone = rng.sample(sorted(live), 3)
        index.remove(gone)
        for doc_id in gone:
            del live[doc_id]
        if step % 3 == 1:
            agree(index, live, queries, rng)  # searched before the change is written
        generation += 1
        manifest = index.persist(folder, generation)
        assert len(manifest["segments"]) <= 12
        agree(index, live, queries, rng)
        if step % 2 == 0:
            index = LexicalIndex.restore(folder, manifest)
            agree(index, live, queries, rng)
    assert len(index) == len(live) and set(index.ids()) == set(live)
    assert max(len(s) for s in index.segments) > 60  # merges happened


def test_a_segment_written_before_numbers_were_kept_computes_them(tmp_path):
    index = LexicalIndex()
    index.add_many({"a": "就业补助资金", "b": "机关运行经费", "c": "就业补助资金 机关运行经费"}.items())
    manifest = index.persist(tmp_path, 1)
    [name] = manifest["segments"]
    with np.load(tmp_path / name) as data:
        assert data["numbers"].tolist() == passage_ids(["a", "b", "c"]).tolist()
        arrays = {key: data[key] for key in data.files if key != "numbers"}
    with open(tmp_path / name, "wb") as handle:  # as an older version wrote it
        np.savez(handle, **arrays)
    old = LexicalIndex.restore(tmp_path, manifest)
    assert old.search("就业补助资金", 5, passage_ids(["c"])) == index.search("就业补助资金", 5, {"c"})
    old.remove(["b"])
    old.add("d", "机关运行经费")
    old.rebuild()  # a merge carries the computed numbers over
    assert old.segments[0].numbers.tolist() == passage_ids(["a", "c", "d"]).tolist()


def test_a_removal_of_a_written_document_is_written_with_the_next_segment(tmp_path):
    index = LexicalIndex()
    index.add_many({"a": "就业补助资金", "b": "机关运行经费", "c": "就业补助资金 机关运行经费"}.items())
    index.add_many((f"x{i}", f"公务接待费 {i}万元") for i in range(10))  # a removal leaves it unworn
    first = index.persist(tmp_path, 1)
    index.remove(["a"])
    second = index.persist(tmp_path, 2)
    assert first["segments"] == ["s000001-0.npz"] and second["segments"] == ["s000001-0.npz", "s000002-0.npz"]
    assert Segment.read(tmp_path / "s000002-0.npz").removes == ["a"]
    restored = LexicalIndex.restore(tmp_path, second)
    assert sorted(restored.ids())[:2] == ["b", "c"] and "a" not in restored and len(restored) == 12
    assert [d for d, _ in restored.search("就业补助资金", 5)] == ["c"]


def test_a_segment_that_lost_a_quarter_of_its_documents_is_rewritten(tmp_path):
    index = LexicalIndex()
    index.add_many((f"p{i}", f"项目{i} 经费") for i in range(8))
    index.persist(tmp_path, 1)
    index.remove(["p0", "p1"])
    manifest = index.persist(tmp_path, 2)
    assert manifest["segments"] == ["s000002-0.npz"] and Segment.read(tmp_path / "s000002-0.npz").removes == []
    assert len(LexicalIndex.restore(tmp_path, manifest)) == 6


def test_a_persist_writes_only_the_change(tmp_path):
    index = LexicalIndex()
    index.add_many((f"p{i}", f"项目{i} 经费 {i}万元") for i in range(3000))
    index.persist(tmp_path, 1)
    base = (tmp_path / "s000001-0.npz").stat()
    index.add("new", "新增的项目 经费 12万元")
    manifest = index.persist(tmp_path, 2)
    assert manifest["segments"] == ["s000001-0.npz", "s000002-0.npz"]
    assert (tmp_path / "s000001-0.npz").stat().st_mtime_ns == base.st_mtime_ns
    assert (tmp_path / "s000002-0.npz").stat().st_size < base.st_size / 50


def test_many_small_additions_stay_a_bounded_number_of_segments(tmp_path, small_tiers):
    index = LexicalIndex()
    for generation in range(1, 121):
        index.add(f"p{generation}", f"第{generation}号 经费")
        manifest = index.persist(tmp_path, generation)
        assert len(manifest["segments"]) <= 3 * (lexical_module.tier(generation) + 1) + 1
    assert LexicalIndex.restore(tmp_path, manifest).search("经费", 200) == index.search("经费", 200)


def test_a_failed_persist_changes_nothing_and_can_be_retried(tmp_path, monkeypatch):
    import os

    index = LexicalIndex()
    index.add_many({"a": "就业补助资金", "b": "机关运行经费"}.items())
    index.persist(tmp_path, 1)
    index.add("c", "公务接待费")
    real = os.replace

    def fail(src, dst):
        raise OSError("simulated")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        index.persist(tmp_path, 2)
    monkeypatch.setattr(os, "replace", real)
    manifest = index.persist(tmp_path, 2)
    assert sorted(LexicalIndex.restore(tmp_path, manifest).ids()) == ["a", "b", "c"]


def test_large_term_frequencies_score_as_one_index(tmp_path):
    """Frequencies past the per-query table's slots are computed directly, to the same bits."""
    index = LexicalIndex()
    live = {f"d{tf}": ["经费"] * tf + ["项目"] * (40 - tf) + [f"x{tf}"] * (tf % 3) for tf in range(1, 40)}
    for doc_id, tokens in list(live.items())[:20]:
        index.add_tokens(doc_id, tokens)
    index.persist(tmp_path, 1)
    for doc_id, tokens in list(live.items())[20:]:
        index.add_tokens(doc_id, tokens)
    for query in (["经费"], ["项目", "经费"], ["x1", "经费"]):
        assert index.search_tokens(query, 100) == whole_index_search(live, query, 100, index.k1, index.b)


def test_pruned_top_k_equals_scoring_every_posting(tmp_path, small_tiers, monkeypatch):
    """MaxScore (rare terms first, common terms only for their documents) gives the same list,
    scores and tie order as scoring every posting, over segments with deletions too."""
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(400)]
    weights = [1 / (i + 1) for i in range(len(vocabulary))]  # Zipf: a few common terms, many rare ones
    index = LexicalIndex()
    for i in range(3000):
        index.add_tokens(f"d{i}", rng.choices(vocabulary, weights, k=rng.randint(3, 40)))
        if i % 700 == 699:
            index.persist(tmp_path, i)
    index.remove([f"d{i}" for i in range(0, 3000, 13)])
    for i in range(200):  # copies: exact ties in score
        index.add_tokens(f"copy{i}", ["w0", "w1", "w350", "w351"])
    real = LexicalIndex._top_by_bounds
    used = []

    def counted(self, *args):
        found = real(self, *args)
        used.append(found is not None)
        return found

    queries = [rng.choices(vocabulary, weights, k=rng.randint(1, 12)) for _ in range(150)]
    queries += [["w0", "w1", "w350"], ["w350", "w351", "w0", "w0"]]
    ids = index.ids()
    scopes = [None, set(rng.sample(ids, 1500)), set(rng.sample(ids, 300)) | {f"copy{i}" for i in range(0, 200, 3)}]
    for tokens in queries:
        for k in (1, 10, 50):
            for allowed in scopes:
                monkeypatch.setattr(LexicalIndex, "_top_by_bounds", lambda *args: None)
                monkeypatch.setattr(lexical_module, "SCOPE_LOOKUP", 10**9)  # no scope looked up either
                every = index.search_tokens(tokens, k, allowed)
                monkeypatch.setattr(LexicalIndex, "_top_by_bounds", counted)
                monkeypatch.setattr(lexical_module, "SCOPE_LOOKUP", 1)  # left documents looked up whenever fewer
                assert index.search_tokens(tokens, k, allowed) == every, (tokens, k)
    assert sum(used) > 150  # the pruned path answered many of them


def sorted_merge(segments: list[Segment]) -> tuple:
    """What the merge made before it wrote a segment at a time: every posting sorted by merged term."""
    vocab: dict[str, int] = {}
    doc_ids: list[str] = []
    term_parts, doc_parts, tf_parts = [], [], []
    for seg in segments:
        mapping = np.fromiter((vocab.setdefault(t, len(vocab)) for t in seg.terms), dtype=np.int64,
                              count=len(seg.terms))
        new_position = np.cumsum(seg.alive, dtype=np.int64) - 1 + len(doc_ids)
        term_of = np.repeat(mapping, np.diff(seg.indptr))
        keep = seg.alive[seg.docs] if seg.dead else slice(None)
        term_parts.append(term_of[keep])
        doc_parts.append(new_position[seg.docs[keep]])
        tf_parts.append(seg.tfs[keep].astype(np.uint32))
        doc_ids.extend(d for d, ok in zip(seg.doc_ids, seg.alive.tolist()) if ok)
    terms_all = list(vocab)
    term_of = np.concatenate(term_parts)
    order = np.argsort(term_of, kind="stable")
    term_of, docs, tfs = term_of[order], np.concatenate(doc_parts)[order], np.concatenate(tf_parts)[order]
    used, term_of = np.unique(term_of, return_inverse=True)
    indptr = np.zeros(len(used) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term_of, minlength=len(used)), out=indptr[1:])
    return doc_ids, [terms_all[i] for i in used.tolist()], indptr, docs.astype(np.int32), tfs


def test_merge_writes_what_sorting_every_posting_wrote():
    rng = random.Random(5)
    vocabulary = [f"t{i}" for i in range(300)]
    segments = []
    for s in range(4):
        index = LexicalIndex()
        for i in range(rng.randint(0, 400)):
            index.add_tokens(f"s{s}d{i}", rng.choices(vocabulary, k=rng.randint(1, 30)))
        index._freeze()
        segments.extend(index.segments)
    for seg in segments[1:3]:
        for position in rng.sample(range(len(seg)), len(seg) // 3):
            seg.kill(position)
    for run in (segments, segments[1:3], segments[:1]):
        merged = Segment.merge(run)
        doc_ids, terms, indptr, docs, tfs = sorted_merge(run)
        assert merged.doc_ids == doc_ids and merged.terms == terms
        assert np.array_equal(merged.indptr, indptr) and np.array_equal(merged.docs, docs)
        assert np.array_equal(merged.tfs, tfs) and merged.tfs.dtype == np.uint16
        assert np.array_equal(merged.lengths, np.concatenate([s.lengths[s.alive] for s in run]))
