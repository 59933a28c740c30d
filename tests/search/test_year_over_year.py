"""比上年增加/减少: from two years in the graph when present, else as the narrative states it."""
from __future__ import annotations

from store.corpus import Corpus
from search.ask.engine import Asker
from tests.conftest import FIXTURES

SEED = FIXTURES / "seeds" / "000_f26fb4c08ebca23b.txt"


def test_change_stated_in_the_narrative(corpus):
    answer = Asker(corpus).ask("汾阳市人社局2024年一般公共预算当年支出比上年减少了多少").to_dict()
    assert answer["rows"][0]["比上年增减(万元)"] == -314.25
    assert answer["rows"][0]["依据"] == "报告说明中的比上年增减"


def test_change_computed_from_two_reports_of_the_same_unit(tmp_path):
    later = tmp_path / "2025.txt"
    text = SEED.read_text(encoding="utf-8").replace("2024", "2025")
    later.write_text(text.replace("452.76", "500.00"), encoding="utf-8")
    corpus = Corpus(tmp_path / "store", model="hashing")
    try:
        results = list(corpus.ingest([SEED, later]))
        assert [r.status for r in results] == ["added", "added"]
        answer = Asker(corpus).ask("大同市劳动保障监察综合行政执法队2025年收入总计比上年增加了多少").to_dict()
    finally:
        corpus.close()
    row = answer["rows"][0]
    assert (row["年度"], row["比上年增减(万元)"]) == (2025, 47.24)  # 500.00 − 452.76
    assert row["依据"] == "2024年与2025年报告相减"
