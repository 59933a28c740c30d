"""BM25 keyword index: Chinese document numbers, numbers, user vocabulary, filters, persistence."""
from __future__ import annotations

import pytest

from embed.lexical import LexicalIndex
from embed.zh_tokens import ChineseTokenizer

DOCS = {
    "p1": "立项依据：山西省财政厅《就业补助资金管理办法》(晋财社【2019】1号)",
    "p2": "保证项目实施的制度、措施：汾财社〔2019〕1号文件，就业补助资金",
    "p3": "2024年一般公共预算支出1,384.20万元，执行率56.28%。",
    "p4": "驻村帮扶工作人员经费用于驻村干部的生活补助，依据同驻村帮扶组[2020]6号文件。",
    "p5": "机关运行经费比上年减少3.5万元，主要原因是压减公用经费。",
}


@pytest.fixture(scope="module")
def index():
    ix = LexicalIndex(user_words=["驻村帮扶工作人员经费"])
    ix.add_many(DOCS.items())
    return ix


def top(ix, query, **kw):
    return [doc for doc, _ in ix.search(query, 5, **kw)]


@pytest.mark.parametrize("query", ["晋财社〔2019〕1号", "晋财社【2019】1号", "晋财社[2019]1号", "晋财社(2019)1号"])
def test_document_number_bracket_variants_match(index, query):
    assert top(index, query)[0] == "p1"


def test_document_number_tokens_share_whole_and_parts():
    tok = ChineseTokenizer()
    a, b = tok.tokenize("晋财社【2019】1号"), tok.tokenize("晋财社[2019]1号")
    assert "晋财社〔2019〕1号" in a and "晋财社〔2019〕1号" in b and "〔2019〕1号" in a


@pytest.mark.parametrize("query", ["1384.20", "1,384.20", "1384.2", "1384.20万元"])
def test_numbers_match_across_spellings(index, query):
    assert top(index, query)[0] == "p3"


def test_percentages_match(index):
    assert top(index, "56.28%")[0] == "p3"
    assert top(index, "执行率56.28")[0] == "p3"


def test_user_vocabulary_keeps_names_whole(index):
    assert "驻村帮扶工作人员经费" in index.tokenizer.tokenize("驻村帮扶工作人员经费支出")
    assert top(index, "驻村帮扶工作人员经费")[0] == "p4"


def test_allowed_filter(index):
    assert top(index, "晋财社〔2019〕1号", allowed={"p2", "p5"}) == ["p2"]
    assert top(index, "就业补助", allowed={"p5"}) == []
    assert top(index, "就业补助", allowed=set()) == []


def test_no_match_and_empty_query(index):
    assert index.search("量子计算", 5) == []
    assert index.search("", 5) == []


def test_replace_and_remove():
    ix = LexicalIndex()
    ix.add_many(DOCS.items())
    ix.add("p1", "公务接待费 10.5 万元")  # replace
    assert len(ix) == len(DOCS)
    assert "p1" not in top(ix, "晋财社〔2019〕1号")
    assert top(ix, "公务接待费") == ["p1"]
    ix.remove(["p1", "unknown"])
    assert len(ix) == len(DOCS) - 1 and top(ix, "公务接待费") == []


def test_save_load_roundtrip(tmp_path, index):
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert len(loaded) == len(index)
    assert loaded.tokenizer.user_words == ["驻村帮扶工作人员经费"]
    for query in ("晋财社[2019]1号", "1384.2", "驻村帮扶工作人员经费"):
        assert loaded.search(query, 5) == index.search(query, 5)
    loaded.add("p9", "晋财社〔2019〕1号 再次引用")
    assert set(top(loaded, "晋财社〔2019〕1号")[:2]) == {"p1", "p9"}
    assert sorted(f.name for f in tmp_path.iterdir()) == ["lexical.json", "s000001-0.npz"]  # no temporaries left


def test_bigrams_meet_words_jieba_cut_differently():
    tokens = ChineseTokenizer().tokenize("市校共建经费")  # jieba: 市校 / 共建 / 经费
    assert {"市校", "共建", "校共", "建经"} <= set(tokens)
    assert "校共" not in ChineseTokenizer(bigrams=False).tokenize("市校共建经费")
    ix = LexicalIndex()
    ix.add_many({"a": "市校共建经费", "b": "共建共享的信息平台建设"}.items())
    assert top(ix, "校共建")[0] == "a"  # jieba: 校 / 共建


def test_bigram_setting_and_bm25_parameters_persist(tmp_path):
    ix = LexicalIndex(k1=1.5, b=0.75, bigrams=False)
    ix.add_many(DOCS.items())
    ix.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert (loaded.k1, loaded.b, loaded.tokenizer.bigrams) == (1.5, 0.75, False)
    assert loaded.search("就业补助资金", 5) == ix.search("就业补助资金", 5)


def write_format_1(folder, docs: dict[str, str], bigrams: bool | None, k1=1.2, b=0.4) -> None:
    """A version-1 keyword index file (tokens, vocabulary and ids in one npz), as older stores hold."""
    import json

    import numpy as np

    from embed.lexical import FILE_NAME

    tokenizer = ChineseTokenizer(bigrams=bool(bigrams))
    vocab: dict[str, int] = {}
    tokens, offsets = [], [0]
    for text in docs.values():
        ids = [vocab.setdefault(t, len(vocab)) for t in tokenizer.tokenize(text)]
        tokens.extend(ids)
        offsets.append(len(tokens))
    header = {"format": 1, "k1": k1, "b": b, "documents": len(docs), "terms": len(vocab), "user_words": []}
    if bigrams is not None:
        header["bigrams"] = bigrams

    def join(strings):
        return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)

    with open(folder / FILE_NAME, "wb") as handle:
        np.savez(handle, header=join([json.dumps(header)]), doc_ids=join(list(docs)), terms=join(list(vocab)),
                 tokens=np.asarray(tokens, dtype=np.int32), offsets=np.asarray(offsets, dtype=np.int64))


def test_index_written_before_bigrams_loads_without_them(tmp_path):
    write_format_1(tmp_path, DOCS, bigrams=None)  # as files written before the setting existed
    loaded = LexicalIndex.load(tmp_path)
    ix = LexicalIndex(bigrams=False)
    ix.add_many(DOCS.items())
    assert loaded.tokenizer.bigrams is False and loaded.loaded_format == 1
    assert loaded.search("驻村帮扶", 5) == ix.search("驻村帮扶", 5)


def test_format_1_index_loads_and_is_written_anew(tmp_path):
    write_format_1(tmp_path, DOCS, bigrams=True, k1=1.5, b=0.75)
    loaded = LexicalIndex.load(tmp_path)
    fresh = LexicalIndex(k1=1.5, b=0.75)
    fresh.add_many(DOCS.items())
    for query in ("晋财社[2019]1号", "1384.2", "就业补助资金", "驻村帮扶"):
        assert loaded.search(query, 5) == fresh.search(query, 5)
    loaded.save(tmp_path)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["lexical.json", "s000001-0.npz"]
    again = LexicalIndex.load(tmp_path)
    assert again.loaded_format == 2 and again.search("就业补助资金", 5) == fresh.search("就业补助资金", 5)
