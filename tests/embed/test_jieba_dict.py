"""jieba's dictionary loaded from its cache in one read (``kg.jieba_dict``): the same
dictionary as jieba's own loading, and jieba's own path whenever the cache is missing or bad."""
import marshal

import jieba
import pytest

from kg.jieba_dict import load_default_dictionary


def fresh(folder):
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(folder)
    return tokenizer


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A tokenizer loaded by jieba itself with no cache yet: it builds and writes one."""
    folder = tmp_path_factory.mktemp("jieba")
    tokenizer = fresh(folder)
    load_default_dictionary(tokenizer)
    assert (folder / "jieba.cache").is_file()
    return folder, tokenizer


def test_cache_read_at_once_gives_jiebas_dictionary(built, monkeypatch):
    folder, reference = built
    monkeypatch.setattr(jieba.marshal, "load", lambda *_: pytest.fail("jieba's own loading ran"))
    tokenizer = fresh(folder)
    load_default_dictionary(tokenizer)
    assert tokenizer.initialized
    assert tokenizer.FREQ == reference.FREQ and tokenizer.total == reference.total
    assert tokenizer.lcut("部门预算公开说明") == reference.lcut("部门预算公开说明") == ["部门", "预算", "公开", "说明"]


def test_bad_cache_falls_back_to_jieba(built, tmp_path):
    _, reference = built
    (tmp_path / "jieba.cache").write_bytes(b"not a marshal stream")
    tokenizer = fresh(tmp_path)
    load_default_dictionary(tokenizer)
    assert tokenizer.FREQ == reference.FREQ
    freq, total = marshal.loads((tmp_path / "jieba.cache").read_bytes())  # jieba wrote it again
    assert freq == reference.FREQ and total == reference.total


def test_custom_dictionary_left_to_jieba(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("预算公开 10 n\n说明 5 n\n", encoding="utf-8")
    tokenizer = jieba.Tokenizer(str(words))
    tokenizer.tmp_dir = str(tmp_path)
    load_default_dictionary(tokenizer)
    assert tokenizer.initialized and set(tokenizer.FREQ) >= {"预算公开", "说明"} and len(tokenizer.FREQ) < 20
