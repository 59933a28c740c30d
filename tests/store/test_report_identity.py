"""No report is ever lost: replacement only for the same identity key, and it says what it
replaced; byte-identical files are duplicates and write nothing; a report without a full
identity is kept under its content hash and flagged."""
from __future__ import annotations

import re
import shutil

import pytest

from store.corpus import Corpus
from kg.graph import vocab
from tests.store.conftest import SEEDS, budgetkg, manifest

SEED = SEEDS / "000_f26fb4c08ebca23b.txt"
OTHER = SEEDS / "004_b0facb554ae335f5.txt"
TEXT = SEED.read_text(encoding="utf-8")


def duplicate_message(original) -> str:
    return f"与 {original} 内容完全相同（重复文件），已跳过 (byte-identical duplicate of {original})"


@pytest.fixture
def corpus(tmp_path):
    corpus = Corpus(tmp_path / "store", model="hashing")
    yield corpus
    corpus.close()


def test_a_byte_identical_file_in_the_batch_is_a_duplicate_and_writes_nothing(corpus, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, folder / "b.txt")
    results = {r.path.name: r for r in corpus.ingest([folder])}
    assert results["a.txt"].status == "added"
    assert results["b.txt"].status == "duplicate"
    assert results["b.txt"].message == duplicate_message(folder / "a.txt")
    entries = corpus.reports()
    assert len(entries) == 1 and next(iter(entries.values()))["path"] == str(folder / "a.txt")


def test_a_byte_identical_copy_of_a_stored_report_is_a_duplicate_of_it(corpus, tmp_path):
    list(corpus.ingest([SEED]))
    generation = corpus.generation
    copy = tmp_path / "copy-under-another-name.txt"
    shutil.copy(SEED, copy)
    (result,) = corpus.ingest([copy])
    assert result.status == "duplicate" and result.message == duplicate_message(SEED)
    assert corpus.generation == generation and len(corpus.reports()) == 1
    (again,) = corpus.ingest([SEED])
    assert again.status == "unchanged"


def test_a_new_version_of_a_stored_report_replaces_it_and_says_which_file(corpus, tmp_path):
    list(corpus.ingest([SEED]))
    sha = next(iter(corpus.reports().values()))["sha256"]
    revised = tmp_path / "revised.txt"
    revised.write_text(TEXT.replace("开展驻村帮扶", "继续开展驻村帮扶"), encoding="utf-8")
    (result,) = corpus.ingest([revised])
    assert result.status == "updated"
    assert result.replaced == {"path": str(SEED), "sha256": sha}
    assert str(SEED) in result.message and sha in result.message
    assert len(corpus.reports()) == 1


def test_two_files_of_one_report_in_a_batch_the_second_replaces_the_first(corpus, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / "1-first.txt")
    (folder / "2-reissue.txt").write_text(TEXT.replace("开展驻村帮扶", "继续开展驻村帮扶"), encoding="utf-8")
    first, second = corpus.ingest([folder])
    assert (first.status, second.status) == ("added", "updated") and first.report == second.report
    assert "同一份报告" in second.message and str(folder / "1-first.txt") in second.message
    assert next(iter(corpus.reports().values()))["path"] == str(folder / "2-reissue.txt")


def test_a_units_department_and_unit_budget_of_one_year_are_two_reports(corpus, tmp_path):
    department = tmp_path / "department.txt"
    department.write_text(TEXT.replace("单位预算", "部门预算"), encoding="utf-8")
    results = list(corpus.ingest([SEED, department]))
    assert [r.status for r in results] == ["added", "added"]
    assert {e["scope"] for e in corpus.reports().values()} == {"单位", "部门"}


def test_a_report_without_a_year_is_kept_under_its_content_hash_and_flagged(corpus, tmp_path):
    undated = tmp_path / "undated.txt"
    undated.write_text(re.sub(r"20\d\d\s*年?度?", "", TEXT), encoding="utf-8")
    results = list(corpus.ingest([SEED, undated]))
    assert [r.status for r in results] == ["added", "added"]
    flagged = results[1]
    assert flagged.identity_missing == ["year"]
    assert "身份不完整 identity incomplete: missing year" in flagged.message
    assert flagged.report.startswith(str(vocab.ID) + "report/sha256-")
    assert corpus.reports()[flagged.report]["identity_incomplete"] == ["year"]
    (again,) = corpus.ingest([undated])
    assert again.status == "unchanged" and "identity incomplete" in again.message


def test_the_ingest_summary_counts_every_status(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(SEED, folder / "b.txt")
    shutil.copy(OTHER, folder / "c.txt")
    (folder / "d.txt").write_text("今天开会，请大家准时参加。\n", encoding="utf-8")
    store = tmp_path / "store"
    first = budgetkg("ingest", folder, "--store", store, "--model", "hashing")
    assert first.returncode == 1  # d.txt failed
    assert ("完成 (done): 新增 added 2，更新 updated 0，未变 unchanged 0，重复 duplicate 1，失败 failed 1"
            in first.stderr)
    assert f"重复 {folder / 'b.txt'}：{duplicate_message(folder / 'a.txt')}" in first.stdout
    (folder / "d.txt").unlink()
    (folder / "c.txt").write_text(OTHER.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = budgetkg("ingest", folder, "--store", store, check=True)
    assert "新增 added 0，更新 updated 1，未变 unchanged 1，重复 duplicate 1，失败 failed 0" in second.stderr
    assert len(manifest(store)["reports"]) == 2
