"""Does the store agree with itself?

``verify`` compares the manifest with the graph (each report's named graph and findings
graph present with the counts recorded, no graph of a report the manifest does not list,
no leftover staging graph), with the passage index
(passages per report, the store generation the index last committed, one keyword document
per passage row and one vector per row whose kind is embedded (not one of
``embed.passage_index.LEXICAL_ONLY_KINDS``), the model and dimension it was built with
against the configured model) and with the stored extractions (present, readable, same sha256). An
interrupted commit (a journal) and files no entry refers to are findings too.

``repair`` (under the writer lock) completes an interrupted commit, rebuilds the passage
index from the stored extractions, drops orphan graphs and passages, re-runs a report's
graph and passages from its stored extraction, re-extracts a missing extraction from its
source file when that file is still there unchanged, and deletes leftover files — then
verifies again. (Shared graphs no report refers to are not a fault: the builder describes
concepts such as all function classes; ``remove`` collects them.)

The rebuilds repair uses are here too: ``reindex`` (every stored passage into a new index
folder, switched to by one manifest write; also ``budgetkg reindex --model M``),
``rebuild_report`` (a report again from its stored extraction) and ``reextract`` (from its
unchanged source file).
"""
from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.errors import BudgetKGError, ModelMismatch, StoreError
from kg.graph import vocab
from kg.ingest_results import file_sha256
from kg.passages import build_passages
from kg.store_lock import holder_pid
from store.corpus import DEFAULT_INDEX, INDEX_FOLDER, STAGING, Corpus

REPORT_GRAPHS = f"{vocab.ID}report/"
FINDINGS_SUFFIX = "/findings"

#: the order repairs run in: the index first (re-extraction and re-runs write into it)
FIX_ORDER = ("recover", "drop-journal", "reindex", "reextract", "drop-graph", "drop-passages", "regraph", "delete")


@dataclass
class Problem:
    check: str  # journal | busy | files | extraction | graph | findings | passages | index | model
    message: str
    report: str | None = None
    fix: str | None = None  # one of FIX_ORDER, or None when --repair cannot fix it
    target: str | None = None


@dataclass
class Verification:
    store: str
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"store": self.store, "clean": self.clean, "stats": self.stats,
                "problems": [asdict(p) for p in self.problems], "repaired": self.repaired}

    def to_text(self) -> str:
        lines = [f"已修复 (repaired): {line}" for line in self.repaired]
        for problem in self.problems:
            how = {None: "无法自动修复 (cannot be repaired automatically)"}.get(
                problem.fix, f"--repair 可修复 (fixable: {problem.fix})")
            lines.append(f"[{problem.check}] {problem.message}  — {how}")
        s = self.stats
        summary = (f"{s.get('reports', 0)} 份报告 reports，{s.get('passages', 0)} 段落 passages，"
                   f"第 {s.get('generation', 0)} 代 generation，模型 model {s.get('model')}")
        if self.clean:
            lines.append(f"存储一致 (store is consistent): {self.store} — {summary}")
        else:
            lines.append(f"发现 {len(self.problems)} 处问题 ({len(self.problems)} problems) in {self.store} — {summary}")
        return "\n".join(lines)


def verify(corpus: Corpus) -> Verification:
    """Check the store (no lock taken, nothing written)."""
    result = Verification(str(corpus.folder))
    result.stats = {"reports": len(corpus.manifest["reports"]), "generation": corpus.generation,
                    "model": corpus.model,
                    "passages": sum(e.get("passages", 0) for e in corpus.manifest["reports"].values())}
    problems = result.problems
    if not corpus.holds_lock:
        pid = holder_pid(corpus.folder)
        if pid is not None:
            problems.append(Problem("busy", f"存储正被另一个 budgetkg 进程（pid {pid}）写入，结果可能是中间状态；"
                                            f"请在其结束后再检查 (a write by pid {pid} is in progress: run verify "
                                            f"again when it ends)"))
            return result
    if _check_journal(corpus, problems):
        return result  # the rest would describe the half-applied commit its replay finishes
    _check_extractions(corpus, problems)
    _check_graph(corpus, problems)
    _check_index(corpus, problems)
    return result


def _check_journal(corpus: Corpus, problems: list[Problem]) -> bool:
    """Report a pending or unreadable journal (True when one is pending) and leftover files."""
    try:
        journal = corpus.read_journal()
    except StoreError as err:
        problems.append(Problem("journal", str(err), fix="drop-journal"))
        return False
    if journal is not None:
        names = "、".join(change["report"] for change in journal["changes"])
        problems.append(Problem("journal", f"有一次中断的写入未完成：{journal['op']} {names}（第 "
                                           f"{journal['generation']} 代）；下次写入或 budgetkg verify --repair 会完成它 "
                                           f"(an interrupted commit is pending; the next write completes it)",
                                names, fix="recover"))
        return True
    referenced = {entry["file"] for entry in corpus.manifest["reports"].values()}
    folder = corpus.folder / "reports"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        if f"reports/{path.name}" not in referenced:
            problems.append(Problem("files", f"抽取结果文件 {path} 不属于任何报告 (extraction file not referenced by "
                                             f"the manifest)", fix="delete", target=str(path)))
    for path in sorted(corpus.folder.iterdir()):
        if path.is_dir() and INDEX_FOLDER.match(path.name) and path != corpus.index_folder:
            problems.append(Problem("files", f"遗留的索引文件夹 {path} (leftover index folder)", fix="delete",
                                    target=str(path)))
    return False


def _check_extractions(corpus: Corpus, problems: list[Problem]) -> None:
    for iri, entry in corpus.manifest["reports"].items():
        try:
            report = corpus.read_extraction(entry["file"])
        except StoreError as err:
            problems.append(Problem("extraction", str(err), iri, *_reextract(entry)))
            continue
        sha = report.source.sha256 if report.source else ""
        if sha != entry.get("sha256"):
            problems.append(Problem("extraction", f"抽取结果 {entry['file']} 的 sha256 与清单不符 (stored extraction "
                                                  f"is of another file than the manifest says)", iri, *_reextract(entry)))


def _reextract(entry: dict) -> tuple[str | None]:
    source = entry.get("path", "")
    if source and Path(source).is_file() and file_sha256(Path(source)) == entry.get("sha256"):
        return ("reextract",)
    return (None,)


def _check_graph(corpus: Corpus, problems: list[Problem]) -> None:
    reports = corpus.manifest["reports"]
    try:
        names = set(corpus.graph.graphs())
        triples = _counts(corpus, "?s ?p ?o", "*")
        findings = _counts(corpus, "?f a bkg:Finding", "DISTINCT ?f")
    except BudgetKGError as err:
        problems.append(Problem("graph", f"图存储无法读取 (the graph store cannot be read): {err}"))
        return
    for iri, entry in reports.items():
        title = entry.get("title", iri)
        if iri not in names:
            problems.append(Problem("graph", f"图谱中缺少报告 {title} (report graph missing)", iri, "regraph"))
        elif triples.get(iri, 0) != entry.get("triples"):
            problems.append(Problem("graph", f"报告 {title} 的图有 {triples.get(iri, 0)} 个三元组，清单记录 "
                                             f"{entry.get('triples')} (report graph size differs from the manifest)",
                                    iri, "regraph"))
        found = findings.get(vocab.findings_graph_iri(iri), 0)
        if found != entry.get("findings", 0):
            problems.append(Problem("findings", f"报告 {title} 的发现图有 {found} 条，清单记录 {entry.get('findings', 0)} "
                                                f"(findings graph differs from the manifest)", iri, "regraph"))
    for name in sorted(names):
        base = name[:-len(FINDINGS_SUFFIX)] if name.endswith(FINDINGS_SUFFIX) else name
        if STAGING in name:
            problems.append(Problem("graph", f"遗留的暂存图 {name} (leftover staging graph)", fix="drop-graph",
                                    target=name))
        elif name.startswith(REPORT_GRAPHS) and base not in reports:
            problems.append(Problem("graph", f"图谱中有清单未列出的报告图 {name} (orphan report graph: not in the "
                                             f"manifest)", base, "drop-graph", name))


def _counts(corpus: Corpus, pattern: str, counted: str) -> dict[str, int]:
    rows = corpus.graph.query(f"""SELECT ?g (COUNT({counted}) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }}
        FILTER(STRSTARTS(STR(?g), "{REPORT_GRAPHS}")) }} GROUP BY ?g""").rows
    return {str(row["g"]): int(row["n"]) for row in rows}


def _check_index(corpus: Corpus, problems: list[Problem]) -> None:
    from embed.factory import create_embedder
    from embed.passage_index import PassageIndex, never_committed, read_meta

    reports = corpus.manifest["reports"]
    folder = corpus.index_folder
    try:
        meta = read_meta(folder)
    except StoreError as err:
        problems.append(Problem("index", str(err), fix="reindex"))
        return
    if meta is None:
        if any(entry.get("passages") for entry in reports.values()):
            problems.append(Problem("index", f"段落索引 {folder} 不存在 (passage index missing)", fix="reindex"))
        return
    try:
        embedder = create_embedder(corpus.model)
    except BudgetKGError as err:
        problems.append(Problem("model", f"配置的模型 {corpus.model} 无法加载 (configured model cannot load): {err}"))
        return
    recorded = (meta.get("embedder"), meta.get("dimension"))
    # an index killed before its first commit is empty: opening gives it the configured model
    if recorded != (embedder.name, embedder.dimension) and not never_committed(folder):
        problems.append(Problem("model", f"索引用 {recorded[0]}（{recorded[1]} 维）建立，配置的模型是 {embedder.name}"
                                         f"（{embedder.dimension} 维）(index built with {recorded[0]}, "
                                         f"{recorded[1]}-d; configured {embedder.name}, {embedder.dimension}-d)",
                                fix="reindex"))
        return
    try:
        index = PassageIndex.open(folder, embedder)
    except (StoreError, ModelMismatch) as err:
        problems.append(Problem("index", str(err), fix="reindex"))
        return
    try:
        if index.store_generation != corpus.generation:
            problems.append(Problem("index", f"索引停在第 {index.store_generation} 代，清单是第 {corpus.generation} 代 "
                                             f"(index generation {index.store_generation}, manifest generation "
                                             f"{corpus.generation})", fix="reindex"))
        counts = index.report_counts()
        for iri, entry in reports.items():
            if counts.get(iri, 0) != entry.get("passages", 0):
                problems.append(Problem("passages", f"报告 {entry.get('title', iri)} 在索引中有 {counts.get(iri, 0)} "
                                                    f"段，清单记录 {entry.get('passages', 0)} (passage count differs "
                                                    f"from the manifest)", iri, "regraph"))
        for iri in sorted(set(counts) - set(reports)):
            problems.append(Problem("passages", f"索引中有清单未列出的报告的 {counts[iri]} 段 (orphan passages of a "
                                                f"report not in the manifest)", iri, "drop-passages", iri))
        problems.extend(Problem("index", message, fix="reindex") for message in index.audit())
    finally:
        index.close()


def repair(corpus: Corpus, rounds: int = 3) -> Verification:
    """Fix what can be fixed (under the writer lock) and verify again, for at most ``rounds``
    rounds (a fix may uncover what an earlier problem hid, e.g. counts behind an unreadable index)."""
    repaired: list[str] = []
    with corpus.writing(recover=False):
        _recover(corpus, repaired)
        result = verify(corpus)
        for _ in range(rounds):
            fixable = [p for p in result.problems if p.fix]
            if not fixable:
                break
            done: set[str] = set()
            for fix in FIX_ORDER:
                for problem in fixable:
                    if problem.fix == fix:
                        note = _fix(corpus, problem, done)
                        if note:
                            repaired.append(note)
            result = verify(corpus)
    result.repaired = repaired
    return result


def _recover(corpus: Corpus, repaired: list[str]) -> None:
    try:
        corpus.read_journal()
    except StoreError:
        corpus.journal_path.unlink(missing_ok=True)
        repaired.append("删除了无法读取的写前日志 (removed the unreadable journal)")
    try:
        note = corpus.recover()
    except StoreError:  # the index under the journal is unreadable: rebuild it, then replay
        corpus.drop_staged()
        _reindex(corpus, repaired)
        note = corpus.recover()
    if note:
        repaired.append(note)


def _reindex(corpus: Corpus, repaired: list[str]) -> None:
    done = reindex(corpus)
    repaired.append(f"用 {done['model']} 从存储的抽取结果重建了段落索引：{done['reports']} 份报告，{done['passages']} 段 "
                    f"(rebuilt the passage index from the stored extractions)")


WHOLE_STORE_FIXES = ("recover", "drop-journal", "reindex", "delete")


def _fix(corpus: Corpus, problem: Problem, done: set[str]) -> str | None:
    fix = problem.fix
    key = fix if fix in WHOLE_STORE_FIXES else f"{fix}:{problem.target or problem.report}"
    if key in done or (fix == "regraph" and f"reextract:{problem.report}" in done):
        return None
    done.add(key)
    if fix == "reindex":
        notes: list[str] = []
        _reindex(corpus, notes)
        return notes[0]
    if fix == "reextract":
        return reextract(corpus, problem.report)
    if fix == "regraph":
        rebuild_report(corpus, problem.report)
        return f"从存储的抽取结果重新生成了报告 {problem.report} 的图和段落 (re-ran the report from its stored extraction)"
    if fix == "drop-graph":
        corpus.graph.remove(problem.target)
        return f"删除了孤立的图 {problem.target} (dropped an orphan graph)"
    if fix == "drop-passages":
        corpus.passages.remove_report(problem.report)
        corpus.passages.commit(store_generation=corpus.generation)
        return f"删除了孤立报告 {problem.report} 的段落 (dropped orphan passages)"
    if fix == "delete":
        removed = corpus.sweep()
        return f"删除了 {len(removed)} 个遗留文件或文件夹 (deleted leftover files)" if removed else None
    return None  # recover, drop-journal: done by _recover before the first check


def reindex(corpus: Corpus, model: str | None = None) -> dict:
    """Re-embed every stored report's passages with ``model`` (default: the store's) into a new
    index folder and switch to it with one manifest write; returns what was indexed."""
    from embed.factory import create_embedder
    from embed.passage_index import PassageIndex, takes_vector

    with corpus.writing():
        model = model or corpus.model
        embedder = create_embedder(model)
        generation = corpus.generation + 1
        target = corpus.folder / f"{DEFAULT_INDEX}-g{generation:06d}"
        shutil.rmtree(target, ignore_errors=True)
        counts, skipped, embedded = {}, [], 0
        index = PassageIndex.open(target, embedder, *corpus.vector_rules())
        try:
            for iri in corpus.manifest["reports"]:
                try:
                    report = corpus.load_report(iri)
                except StoreError:
                    skipped.append(iri)
                    continue
                passages = build_passages(report)
                index.replace_report(iri, passages)
                counts[iri] = len(passages)
                embedded += sum(takes_vector(p.kind) for p in passages)
            index.commit(store_generation=generation)
        finally:
            index.close()
        old = corpus.index_folder
        corpus.drop_staged()
        corpus.model = model
        for iri, count in counts.items():
            corpus.manifest["reports"][iri]["passages"] = count
        corpus.manifest["index"] = target.name
        corpus.manifest["generation"] = generation
        corpus.write_manifest()
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return {"model": embedder.name, "dimension": embedder.dimension, "reports": len(counts),
            "passages": sum(counts.values()), "embedded": embedded, "skipped": skipped}


def rebuild_report(corpus: Corpus, iri: str) -> None:
    """Re-run a stored report's graph, findings and passages from its stored extraction."""
    with corpus.writing():
        entry = _entry_of(corpus, iri)
        _recommit(corpus, iri, corpus.load_report(iri), entry["path"])


def reextract(corpus: Corpus, iri: str) -> str:
    """Extract a report's source file again and commit it (for a lost extraction); the file
    must still have the bytes the manifest recorded."""
    from kg.extract import extract

    with corpus.writing():
        entry = _entry_of(corpus, iri)
        source = Path(entry["path"])
        if file_sha256(source) != entry.get("sha256"):
            raise StoreError(f"源文件 {source} 已不在或已改变，无法重建 {iri} 的抽取结果；请运行 budgetkg remove "
                             f"后重新 budgetkg ingest 该文件 (the source file is gone or changed: remove the report "
                             f"and ingest the file again)")
        _recommit(corpus, iri, extract(source), entry["path"])
    return f"从源文件 {source} 重新抽取了报告 {iri} (re-extracted the report from its source file)"


def _entry_of(corpus: Corpus, iri: str) -> dict:
    entry = corpus.manifest["reports"].get(iri)
    if entry is None:
        raise StoreError(f"存储中没有该报告 (no such report in the store): {iri}")
    return entry


def _recommit(corpus: Corpus, iri: str, report, path: str) -> None:
    """Commit ``report`` again; if the identity rule now gives it another IRI, it moves there."""
    corpus.commit_report(report, path)
    if str(vocab.report_iri(report)) != iri:
        corpus.remove(iri)


__all__ = ["Problem", "Verification", "verify", "repair", "reindex", "rebuild_report", "reextract"]
