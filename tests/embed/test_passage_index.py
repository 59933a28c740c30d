"""PassageIndex with the hashing embedder: idempotent re-ingest, no stale passages,
model mismatch, crash safety, facet filters."""
from __future__ import annotations

import json
import os

import pytest

from kg.passages import Passage
from embed.passage_ids import passage_ids
from embed.passage_index import PassageIndex, keyword_text, passage_id
from embed.plugins.hashing import HashingEmbedder
from kg.errors import ModelMismatch

R1, R2 = "urn:report:datong-2024", "urn:report:fenyang-2023"


def passages(report: str, texts: list[str], unit: str, year: str) -> list[Passage]:
    return [Passage(id=f"{report}#p{i}", text=text, report=report, source=f"{unit}{year}年预算公开",
                    page=i + 1, section="第三部分 / 项目", kind="paragraph", entities=[f"urn:unit:{unit}"],
                    facets={"unit": unit, "year": year}) for i, text in enumerate(texts)]


TEXTS_1 = ["驻村帮扶工作人员经费 12.5 万元，依据同驻村帮扶组[2020]6号文件",
           "劳动保障监察执法经费用于案件查处",
           "由于法律合同条款问题未支付当年费用"]
TEXTS_2 = ["就业补助资金，依据晋财社【2019】1号", "机关运行经费 35.2 万元", "公益性零工市场县县全覆盖"]


@pytest.fixture
def store(tmp_path):
    index = PassageIndex.open(tmp_path / "idx", HashingEmbedder(64))
    index.replace_report(R1, passages(R1, TEXTS_1, "大同市劳动保障监察综合行政执法队", "2024"))
    index.replace_report(R2, passages(R2, TEXTS_2, "汾阳市人力资源和社会保障局", "2023"))
    index.commit()
    yield index
    index.close()


def snapshot(folder):
    return {p.relative_to(folder): p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.is_file() and "sqlite" not in p.name}


def test_search_get_and_meta(store):
    assert len(store) == 6 and store.reports() == [R1, R2]
    assert store.dense("劳动保障监察执法经费", 1)[0][0] == f"{R1}#p1"
    assert store.lexical("晋财社[2019]1号", 1)[0][0] == f"{R2}#p0"
    [p] = store.get([f"{R1}#p0"])
    assert p.page == 1 and p.facets["year"] == "2024" and p.entities == ["urn:unit:大同市劳动保障监察综合行政执法队"]
    assert store.get(["urn:none", f"{R2}#p2", f"{R1}#p2"]) == store.get([f"{R2}#p2"]) + store.get([f"{R1}#p2"])
    meta = json.loads((store.folder / "meta.json").read_text())
    assert meta["embedder"] == "hashing-64" and meta["dimension"] == 64 and meta["passages"] == 6
    assert meta["index_kind"] == "flat" and meta["schema"] == 2


def test_meta_counts_follow_every_change_without_counting_the_rows_again(store, monkeypatch):
    def meta_counts():
        meta = json.loads((store.folder / "meta.json").read_text())
        return meta["passages"], meta["reports"]

    def counted():
        return len(store), store.conn.execute("SELECT COUNT(DISTINCT report) FROM passages").fetchone()[0]

    r3 = "urn:report:tongcheng-2024"
    steps = [lambda: store.replace_report(r3, passages(r3, ["就业见习补贴", "失业保险金"], "通城县人社局", "2024")),
             lambda: store.replace_report(R1, passages(R1, TEXTS_1[:1] + ["劳动保障监察执法经费（调整）"], "大同", "2024")),
             lambda: store.remove_report(R2),
             lambda: store.replace_report(R2, passages(R2, TEXTS_2, "汾阳市人力资源和社会保障局", "2023")),
             lambda: store.replace_report(R1, passages(R1, TEXTS_1[:1] + ["劳动保障监察执法经费（调整）"], "大同", "2024"))]
    assert meta_counts() == counted() == (6, 2)
    store._counted()
    scans = []
    real_len = PassageIndex.__len__
    monkeypatch.setattr(PassageIndex, "__len__", lambda self: scans.append(1) or real_len(self))
    for step in steps:
        step()
        store.commit()
        assert meta_counts() == counted()
    assert meta_counts() == (7, 3)
    assert len(scans) == len(steps)  # only the checks above counted: the commits kept the counts
    # a passage taken over from another report (the same IRI under a new report): counted again
    moved = passages(r3, ["就业见习补贴"], "通城县人社局", "2024")[0]
    store.replace_report(R2, [Passage(id=moved.id, text=moved.text, report=R2, source=moved.source, page=1,
                                      section=moved.section, kind=moved.kind, entities=[], facets={})])
    store.commit()
    assert meta_counts() == counted() == (4, 3)  # R2 holds the moved passage alone, r3 keeps one


def test_ids_where_and_allowed(store):
    assert store.ids_where(year="2023") == {f"{R2}#p{i}" for i in range(3)}
    assert store.ids_where(report=R1, year=2024) == {f"{R1}#p{i}" for i in range(3)}
    assert store.ids_where(year=["2023", "2024"]) == store.ids_where()
    assert store.ids_where(unit="nobody") == set()
    allowed = store.ids_where(year="2023")
    assert {iri for iri, _ in store.dense("经费", 10, allowed=allowed)} <= allowed
    assert {iri for iri, _ in store.lexical("经费", 10, allowed=allowed)} == {f"{R2}#p1"}


def test_a_scope_of_numbers_searches_as_its_iris(store):
    for facets in ({"year": "2023"}, {"report": R1}, {"year": ["2023", "2024"]}, {"unit": "nobody"}, {}):
        iris = store.ids_where(**facets)
        numbers = store.numbers_where(**facets)
        assert numbers.tolist() == sorted(passage_ids(iris).tolist())  # sorted: the search scope's form
        for query in ("经费", "劳动保障监察执法经费", "依据文件"):
            assert store.dense(query, 10, allowed=numbers) == store.dense(query, 10, allowed=iris)
            assert store.lexical(query, 10, allowed=numbers) == store.lexical(query, 10, allowed=iris)
        assert [p.id for p in store.get_numbered(numbers)] == [p.id for p in store.get(sorted(iris, key=passage_id))]
    assert store.numbers_where(report=[]).tolist() == [] and store.dense("经费", 10, allowed=store.numbers_where(report=[])) == []
    assert store.get_numbered([123, passage_id(f"{R1}#p2")]) == store.get([f"{R1}#p2"])


def test_reingesting_same_report_changes_nothing(store):
    before = snapshot(store.folder)
    store.replace_report(R1, passages(R1, TEXTS_1, "大同市劳动保障监察综合行政执法队", "2024"))
    assert not store.conn.in_transaction
    store.commit()
    after = snapshot(store.folder)
    assert {k for k in after if "meta" not in str(k)} == {k for k in before if "meta" not in str(k)}
    assert all(after[k] == before[k] for k in before if "meta" not in str(k))
    assert len(store) == 6


def test_changed_report_leaves_no_stale_passages(store, tmp_path):
    store.replace_report(R1, passages(R1, ["公务接待费 3.2 万元", TEXTS_1[1]], "大同市劳动保障监察综合行政执法队", "2024"))
    store.commit()
    store.close()
    reopened = PassageIndex.open(store.folder, HashingEmbedder(64))
    try:
        assert len(reopened) == 5 and len(reopened.vectors) == 5 and len(reopened.lexical_index) == 5
        assert reopened.get([f"{R1}#p2"]) == []
        assert reopened.get([f"{R1}#p0"])[0].text == "公务接待费 3.2 万元"
        assert reopened.lexical("驻村帮扶", 5) == []
        assert all(not iri.startswith(f"{R1}#p2") for iri, _ in reopened.dense("合同条款未支付", 10))
        reopened.remove_report(R2)
        reopened.commit()
        assert reopened.reports() == [R1] and len(reopened.vectors) == 2
    finally:
        reopened.close()


def test_model_mismatch_is_refused(store):
    store.close()
    with pytest.raises(ModelMismatch) as info:
        PassageIndex.open(store.folder, HashingEmbedder(128))
    message = str(info.value)
    assert "hashing-64" in message and "hashing-128" in message
    assert "--model hashing-64" in message and "budgetkg reindex" in message and "--model hashing-128" in message


def test_crash_during_commit_leaves_previous_state(store, monkeypatch):
    store.replace_report(R1, passages(R1, ["全新的内容 一", "全新的内容 二"], "大同", "2024"))
    real_replace, calls = os.replace, []

    def crash_on_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("simulated crash")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_second)
    with pytest.raises(OSError, match="simulated crash"):
        store.commit()
    monkeypatch.setattr(os, "replace", real_replace)
    reopened = PassageIndex.open(store.folder, HashingEmbedder(64))  # while the crashed writer is still open
    try:
        assert len(reopened) == 6 and len(reopened.vectors) == 6 and len(reopened.lexical_index) == 6
        assert reopened.get([f"{R1}#p2"])[0].text == TEXTS_1[2]
        assert reopened.dense(TEXTS_1[2], 1)[0][0] == f"{R1}#p2"
        assert reopened.lexical("晋财社〔2019〕1号", 1)[0][0] == f"{R2}#p0"
    finally:
        reopened.close()
    store.commit()  # the interrupted writer can retry
    store.close()
    again = PassageIndex.open(store.folder, HashingEmbedder(64))
    assert len(again) == 5 and again.get([f"{R1}#p0"])[0].text == "全新的内容 一"
    again.close()


def test_uncommitted_changes_are_not_visible_after_reopen(store):
    store.remove_report(R1)
    store.close()  # no commit
    reopened = PassageIndex.open(store.folder, HashingEmbedder(64))
    assert len(reopened) == 6
    reopened.close()


def test_passage_ids_are_stable_positive_int63():
    a = passage_id("urn:report:x#p1")
    assert a == passage_id("urn:report:x#p1") and 0 <= a < 2**63 and a != passage_id("urn:report:x#p2")


def test_large_corpus_switches_to_ivf(tmp_path):
    index = PassageIndex.open(tmp_path / "big", HashingEmbedder(32), build_threshold=100)
    texts = [f"项目{i}号 经费 {i * 1.5:.2f} 万元 {'驻村' if i % 3 else '监察'}" for i in range(400)]
    index.replace_report(R1, passages(R1, texts, "大同", "2024"))
    index.commit()
    assert index.kind == "ivf"
    index.replace_report(R1, passages(R1, texts[:150], "大同", "2024"))
    index.commit()
    index.close()
    reopened = PassageIndex.open(tmp_path / "big", HashingEmbedder(32))
    assert reopened.kind == "ivf" and len(reopened.vectors) == 150
    assert reopened.dense(texts[7], 1)[0][0] == f"{R1}#p7"
    reopened.close()


@pytest.mark.parametrize("crash_at", [1, 2, 3, 4, 5])
def test_crash_at_any_write_leaves_one_consistent_state(store, monkeypatch, crash_at):
    """commit() replaces a few files (vector delta, keyword segment, meta; a base when one is
    due): crash at each; a commit that replaces fewer files than ``crash_at`` completes."""
    store.replace_report(R1, passages(R1, ["全新的内容 一", "全新的内容 二"], "大同", "2024"))
    real_replace, calls = os.replace, []

    def crash(src, dst):
        calls.append(dst)
        if len(calls) == crash_at:
            raise OSError("simulated crash")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash)
    try:
        store.commit()
    except OSError:
        assert len(calls) == crash_at
    else:
        assert len(calls) < crash_at
    monkeypatch.setattr(os, "replace", real_replace)
    store.close()
    reopened = PassageIndex.open(store.folder, HashingEmbedder(64))
    try:
        count = len(reopened)
        assert count in (6, 5)  # the old state or the new one, never a mix
        assert len(reopened.vectors) == count and len(reopened.lexical_index) == count
        if count == 5:
            assert reopened.dense("全新的内容 一", 1)[0][0] == f"{R1}#p0"
            assert reopened.get([f"{R1}#p0"])[0].text == "全新的内容 一"
        else:
            assert reopened.get([f"{R1}#p2"])[0].text == TEXTS_1[2]
            assert reopened.dense(TEXTS_1[2], 1)[0][0] == f"{R1}#p2"
        leftovers = [p for p in store.folder.rglob("*.tmp")]
        assert leftovers == []
    finally:
        reopened.close()


def test_an_index_killed_before_its_first_meta_opens_as_new_but_a_used_one_without_meta_is_refused(tmp_path):
    from kg.errors import StoreError

    fresh = PassageIndex.open(tmp_path / "fresh", HashingEmbedder(64))
    fresh.close()
    (tmp_path / "fresh" / "meta.json").unlink()  # a kill between creating the database and writing meta.json
    reopened = PassageIndex.open(tmp_path / "fresh", HashingEmbedder(64))
    assert len(reopened) == 0 and (tmp_path / "fresh" / "meta.json").exists()
    reopened.close()
    used = PassageIndex.open(tmp_path / "used", HashingEmbedder(64))
    used.replace_report(R1, passages(R1, TEXTS_1, "大同市劳动保障监察综合行政执法队", "2024"))
    used.commit()
    used.close()
    (tmp_path / "used" / "meta.json").unlink()
    with pytest.raises(StoreError, match="meta.json"):
        PassageIndex.open(tmp_path / "used", HashingEmbedder(64))


def test_an_index_killed_while_its_database_was_created_opens_as_new(tmp_path):
    """A SIGKILL inside the first transaction that writes the database leaves a hot rollback journal
    beside it, which a read-only look cannot roll back (the random-kill test met it once)."""
    import signal
    import subprocess
    import sys

    folder = tmp_path / "passages"
    folder.mkdir()
    database = folder / "passages.sqlite"
    killed = subprocess.run([sys.executable, "-c", (
        "import os, signal, sqlite3\n"
        f"conn = sqlite3.connect({str(database)!r}, isolation_level=None)\n"
        "conn.execute('PRAGMA cache_size=1')\n"  # pages spill into the database before the commit
        "conn.execute('BEGIN IMMEDIATE')\n"
        "conn.execute('CREATE TABLE passages (iri TEXT)')\n"
        "conn.executemany('INSERT INTO passages VALUES (?)', [('x' * 200,) for _ in range(2000)])\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")])
    assert killed.returncode == -signal.SIGKILL and (folder / "passages.sqlite-journal").exists()
    index = PassageIndex.open(folder, HashingEmbedder(64))
    assert len(index) == 0 and (folder / "meta.json").exists()
    index.close()


def test_vectors_and_tokens_made_beforehand_are_used(tmp_path):
    from embed.zh_tokens import ChineseTokenizer

    embedder = HashingEmbedder(64)
    made = passages(R1, TEXTS_1, "大同市劳动保障监察综合行政执法队", "2024")
    with PassageIndex.open(tmp_path / "given", embedder) as given, PassageIndex.open(tmp_path / "here", embedder) as here:
        vectors = embedder.encode([p.text for p in made])
        tokens = [ChineseTokenizer().tokenize(keyword_text(p.text, p.section)) for p in made]
        given.replace_report(R1, made, vectors[::-1].copy(), tokens)  # rows reversed: the index must take them as given
        here.replace_report(R1, made)
        given.commit()
        here.commit()
        assert given.dense(TEXTS_1[0], 1)[0][0] == f"{R1}#p2"  # the vector given for p2 is p0's
        assert here.dense(TEXTS_1[0], 1)[0][0] == f"{R1}#p0"
        assert given.lexical("劳动保障监察", 3) == here.lexical("劳动保障监察", 3)
        with pytest.raises(ValueError):
            given.replace_report(R2, passages(R2, TEXTS_2, "汾阳市人力资源和社会保障局", "2023"), vectors[:2])


def test_the_heading_a_passage_sits_under_is_found_by_keyword_not_embedded(tmp_path):
    """A duty list that never says 职责 is found by 职责 through its heading (一、部门职责); the
    heading's words are not part of the embedded text or the stored text."""
    duties = Passage(id=f"{R1}#p0", text="贯彻执行国家有关法律法规；统筹管理就业创业促进工作。", report=R1, source="a.pdf",
                     page=4, section="第一部分部门概况 / 一、部门职责", kind="paragraph", entities=[],
                     facets={"unit": "某局", "year": "2026"})
    other = Passage(id=f"{R1}#p1", text="本部门2026年收入预算100万元。", report=R1, source="a.pdf", page=5,
                    section="第二部分 / 一、收支预算总体情况", kind="paragraph", entities=[], facets={"unit": "某局", "year": "2026"})
    with PassageIndex.open(tmp_path / "idx", HashingEmbedder(64)) as index:
        index.replace_report(R1, [duties, other])
        index.commit()
        assert [iri for iri, _ in index.lexical("职责", 2)] == [duties.id]
        assert index.get([duties.id])[0].text == duties.text
    assert keyword_text("部门职责如下", "一、部门职责") == "部门职责如下"  # said already: not added again


def test_tokens_made_beforehand_are_not_used_by_an_index_without_bigrams(tmp_path):
    """An index written before bigrams keeps tokenizing its own way: a worker's default tokens
    (with bigrams) would make its documents unlike its queries."""
    from embed.lexical import LexicalIndex
    from embed.zh_tokens import ChineseTokenizer

    embedder = HashingEmbedder(64)
    made = passages(R1, TEXTS_1, "大同市劳动保障监察综合行政执法队", "2024")
    with PassageIndex.open(tmp_path / "old", embedder) as old:
        old.lexical_index = LexicalIndex(bigrams=False)
        old.replace_report(R1, made, tokens=[ChineseTokenizer().tokenize(keyword_text(p.text, p.section)) for p in made])
        own = {t for p in made for t in ChineseTokenizer(bigrams=False).tokenize(keyword_text(p.text, p.section))}
        assert old.lexical_index.terms() == own


LINES = ["2010301 行政运行 本年预算 386.12 万元", "2080505 机关事业单位基本养老保险缴费支出 45.6 万元"]


def with_lines(report: str, texts: list[str], lines: list[str]) -> list[Passage]:
    """``passages`` of ``texts`` followed by budget_line passages of ``lines``."""
    made = passages(report, texts + lines, "大同", "2024")
    for passage in made[len(texts):]:
        passage.kind = "budget_line"
    return made


def test_budget_lines_are_found_by_keywords_and_never_by_meaning(tmp_path):
    with PassageIndex.open(tmp_path / "idx", HashingEmbedder(64)) as index:
        index.replace_report(R1, with_lines(R1, TEXTS_1, LINES))
        index.commit()
        line = f"{R1}#p3"
        assert len(index) == 5 and len(index.lexical_index) == 5 and len(index.vectors) == 3
        assert index.lexical("行政运行 本年预算", 1)[0][0] == line
        assert line not in {iri for iri, _ in index.dense(LINES[0], 10)}
        assert index.dense(LINES[0], 10, allowed={line, f"{R1}#p4"}) == []
        assert index.get([line])[0].kind == "budget_line" and index.ids_where(kind="budget_line") == {line, f"{R1}#p4"}
        meta = json.loads((index.folder / "meta.json").read_text())
        assert (meta["passages"], meta["vectors"], meta["lexical_documents"]) == (5, 3, 5)
        assert index.audit() == []


def test_budget_lines_stay_consistent_through_reingest_change_and_removal(tmp_path):
    with PassageIndex.open(tmp_path / "idx", HashingEmbedder(64)) as index:
        index.replace_report(R1, with_lines(R1, TEXTS_1, LINES))
        index.replace_report(R2, passages(R2, TEXTS_2, "汾阳", "2023"))
        index.commit()
        before = snapshot(index.folder)
        index.replace_report(R1, with_lines(R1, TEXTS_1, LINES))
        assert not index.conn.in_transaction and snapshot(index.folder) == before
        index.replace_report(R1, with_lines(R1, TEXTS_1[:2], ["2010301 行政运行 本年预算 400.00 万元"]))
        index.commit()
        assert (len(index), len(index.vectors), len(index.lexical_index)) == (6, 5, 6) and index.audit() == []
        assert index.lexical("400.00", 1)[0][0] == f"{R1}#p2" and index.lexical("养老保险缴费", 5) == []
        index.remove_report(R1)
        index.commit()
        assert (len(index), len(index.vectors), len(index.lexical_index)) == (3, 3, 3) and index.audit() == []
    with PassageIndex.open(tmp_path / "idx", HashingEmbedder(64)) as reopened:
        assert reopened.reports() == [R2] and reopened.audit() == []


def test_vectors_made_beforehand_are_those_of_the_passages_that_take_one(tmp_path):
    embedder = HashingEmbedder(64)
    made = with_lines(R1, TEXTS_1, LINES)
    with PassageIndex.open(tmp_path / "idx", embedder) as index:
        with pytest.raises(ValueError):
            index.replace_report(R1, made, embedder.encode([p.text for p in made]))
        index.replace_report(R1, made, embedder.encode(TEXTS_1))
        index.commit()
        assert index.dense(TEXTS_1[2], 1)[0][0] == f"{R1}#p2" and index.audit() == []


def test_an_index_with_vectors_of_budget_lines_opens_searches_and_is_told_to_reindex(tmp_path, monkeypatch):
    """An index an older version wrote (budget lines embedded) opens and answers as it is, dense
    search skipping those vectors; ``audit`` names them with the command that rebuilds it, and
    a changed or removed line drops its vector."""
    import embed.passage_queries as passage_rules  # where the kinds without a vector are defined

    folder = tmp_path / "store" / "passages"
    with monkeypatch.context() as older:
        older.setattr(passage_rules, "LEXICAL_ONLY_KINDS", frozenset())
        with PassageIndex.open(folder, HashingEmbedder(64)) as old:
            old.replace_report(R1, with_lines(R1, TEXTS_1, LINES))
            old.commit()
            assert len(old.vectors) == 5
    with PassageIndex.open(folder, HashingEmbedder(64)) as index:
        assert len(index) == 5 and len(index.vectors) == 5
        assert index.lexical("行政运行 本年预算", 1)[0][0] == f"{R1}#p3"
        assert {iri for iri, _ in index.dense(LINES[0], 10)} == {f"{R1}#p{i}" for i in range(3)}
        [problem] = index.audit()
        assert "2 个 budget_line" in problem and f"budgetkg reindex --store {tmp_path / 'store'}" in problem
        index.replace_report(R1, with_lines(R1, TEXTS_1, [LINES[0] + " 调整"]))
        index.commit()
        assert len(index.vectors) == 3 and index.audit() == []
