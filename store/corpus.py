"""A corpus on disk: extracted reports, their graph and their passage index.

Folder layout::

    STORE/manifest.json      reports ingested (IRI → file, sha256, counts), settings, store
                             generation, the passage index folder in use
    STORE/reports/*.json     the extracted document model of each report
    STORE/graph/             the embedded graph store (unless a SPARQL endpoint is used)
    STORE/passages[-gN]/     the passage index (vectors + BM25 + passage table)
    STORE/journal.json       the change being committed (present only while one is)
    STORE/writer.lock        held by the one process writing the store (``kg.store_lock``)

One writer at a time: every writing path runs inside ``Corpus.writing()``, which holds the
lock, re-reads the manifest and completes an interrupted commit. Readers take no lock.

A report — or a group of different reports, as an ingest batch commits them — commits as
one unit, in generation N = manifest generation + 1:

1. each extraction is written under a new name (``reports/<digest>.gN.json``);
2. the passages are embedded into the index's open transaction (not yet visible);
3. ``journal.json`` records N and, per report, its IRI, new manifest entry and old one;
4. the graphs (report, shared and findings graphs) are written, the index committed with
   store generation N, the manifest written with generation N;
5. the journal is deleted, then files no entry refers to.

Every step of 4 is idempotent, so the next writer replays a journal it finds: each report
ends wholly in its new state (or wholly in its old one when its new extraction cannot be
read). Ingesting is idempotent: a report is identified by ``Report.identity_key``; the same
file again is unchanged, a byte-identical copy is a duplicate, a changed file replaces
the report, and one bad file never stops a batch.
"""
from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from kg.atomic_io import fsync_dir, remove_stale_temporaries, write_bytes_atomic
from kg.errors import StoreError
from kg.extract import discover
from kg.filenames import json_bytes
from kg.graph import vocab
from kg.graph.builder import build_triples
from kg.graph.store import GraphStore, open_store
from kg.ingest_results import IngestResult, identity_missing
from kg.model import Report
from kg.passages import add_passage_triples
from kg.settings import VECTOR_LAYOUT, resolve_all, worker_count
from kg.store_lock import StoreLock
from store.ingest import Built, build, ingest_files

MANIFEST_VERSION = 1
JOURNAL = "journal.json"
DEFAULT_INDEX = "passages"
INDEX_FOLDER = re.compile(r"^passages(-g\d+)?$")
STAGING = "#staging-"


def store_writer_lock(folder: str | Path, wait: bool = True,
                      on_wait: Callable[[str], None] | None = None) -> StoreLock:
    """Take the writer lock of the store in ``folder`` and return it (``release()`` it, or use
    it as a context manager). Every process that writes the store holds it for the whole write.

    Not yet wired (search/web owner): a server started with an update token should take it
    before starting its writer process — ``store_writer_lock(folder, wait=False)`` raises
    ``StoreLocked`` while an ingest runs — and release it in ``Service.close()``."""
    return StoreLock(folder).acquire(wait=wait, on_wait=on_wait)


class Corpus:
    """Open (or create) the store folder ``folder``."""

    def __init__(self, folder: str | Path, graph_store: str | None = None, endpoint: str | None = None,
                 update_endpoint: str | None = None, endpoint_user: str | None = None,
                 endpoint_password: str | None = None, model: str | None = None, read_only: bool = False,
                 create: bool = True, lock_wait: bool = True, given: Mapping[str, object] | None = None):
        self.folder = Path(folder).expanduser()
        if not self.folder.exists():
            if not create:
                raise StoreError(f"存储目录不存在：{self.folder} (no store here); 请先运行 budgetkg ingest 报告文件夹 "
                                 f"--store {self.folder} (ingest reports first)")
            self.folder.mkdir(parents=True)
        self.manifest_path = self.folder / "manifest.json"
        self.manifest = self._read_manifest()
        self._given = {"graph-store": graph_store, "endpoint": endpoint, "update-endpoint": update_endpoint,
                       "endpoint-user": endpoint_user, "endpoint-password": endpoint_password, "model": model}
        self._given.update({k: v for k, v in (given or {}).items() if v is not None})
        self._resolve_settings()
        self.read_only = read_only
        self.lock_wait = lock_wait
        self.on_lock_wait: Callable[[str], None] | None = None
        self.on_stage: Callable[[str, str], None] | None = None  # (stage, file): read, graph, embed, write
        self.recovered: str | None = None  # what the last lock acquisition completed, for the user
        self._lock = StoreLock(self.folder)
        self._depth = 0
        self._graph: GraphStore | None = None
        self._passages = None

    # -- manifest ----------------------------------------------------------------------------
    def _read_manifest(self) -> dict:
        if not self.manifest_path.exists():
            return {"version": MANIFEST_VERSION, "reports": {}, "settings": {}}
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"存储清单损坏：{self.manifest_path} ({err}); 请删除该存储目录后重新导入 "
                             f"(corrupt manifest: delete the store folder and ingest again)") from None
        if manifest.get("version") != MANIFEST_VERSION:
            raise StoreError(f"存储目录 {self.folder} 来自不兼容的版本 (store from an incompatible version); "
                             f"请重新导入 (ingest again into a new folder)")
        return manifest

    def write_manifest(self) -> None:
        self.manifest["settings"].update({"graph-store": self.graph_kind, "endpoint": self.endpoint,
                                          "update-endpoint": self.update_endpoint, "model": self.model})
        for name in ("virtuoso-isql", "bulk-load-dir"):
            if self.settings[name] is not None:
                self.manifest["settings"][name] = self.settings[name]
        for name in VECTOR_LAYOUT:  # once given, every later writer keeps the store's rule
            if self.settings.source(name) != "default":
                self.manifest["settings"][name] = self.settings[name]
        write_bytes_atomic(self.manifest_path, json_bytes(self.manifest, indent=1))

    @property
    def generation(self) -> int:
        """The store generation: bumped by every committed change, recorded by the passage index too."""
        return int(self.manifest.get("generation", 0))

    @property
    def index_folder(self) -> Path:
        return self.folder / self.manifest.get("index", DEFAULT_INDEX)

    # -- components ----------------------------------------------------------------------------
    @property
    def graph(self) -> GraphStore:
        if self._graph is None:
            if self.graph_kind == "sparql":
                self._graph = open_store("sparql", self.endpoint, update_url=self.update_endpoint,
                                         user=self.endpoint_user, password=self.endpoint_password)
            elif self.graph_kind == "virtuoso":  # queries over HTTP, writes through the bulk loader
                self._graph = open_store("virtuoso", self.endpoint, update_url=self.update_endpoint,
                                         user=self.endpoint_user, password=self.endpoint_password,
                                         isql=self.settings["virtuoso-isql"],
                                         load_dir=self.settings["bulk-load-dir"])
            elif self.graph_kind == "oxigraph":
                self._graph = open_store("oxigraph", str(self.folder / "graph"), read_only=self.read_only)
            else:
                self._graph = open_store(self.graph_kind)
                self._reload_memory_graph()
        return self._graph

    def _reload_memory_graph(self) -> None:
        for iri in self.manifest["reports"]:
            report = self.load_report(iri)
            graph_iri, graph, shared = build_triples(report)
            add_passage_triples(graph, graph_iri, report)
            self._graph.replace(str(graph_iri), graph)
            self._graph.merge_all(shared)
            self.write_findings(str(graph_iri), report)

    @property
    def passages(self):
        if self._passages is None:
            from embed.factory import create_embedder
            from embed.passage_index import PassageIndex

            self._passages = PassageIndex.open(self.index_folder, create_embedder(self.model), *self.vector_rules())
        return self._passages

    def vector_rules(self) -> list[int | None]:
        """The vector index's size rules given for this store (``PassageIndex.open``'s
        build_threshold and ondisk_above); None where none was given (the index keeps its own)."""
        return [self.settings[name] if self.settings.source(name) != "default" else None for name in VECTOR_LAYOUT]

    def vector_quantizer(self):
        """The trained IVF quantizer of the passage vectors (``embed.plugins.faiss_ondisk.Quantizer``),
        for cluster workers to assign their vectors with; None while the index is flat."""
        quantizer = getattr(self.passages.vectors, "quantizer", None)
        return quantizer() if quantizer is not None else None

    def close(self) -> None:
        """Close the graph store and the passage index (whatever was opened)."""
        if self._graph is not None:
            self._graph.close()
            self._graph = None
        if self._passages is not None:
            self._passages.close()
            self._passages = None

    # -- the writer lock -----------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self, recover: bool = True) -> Iterator["Corpus"]:
        """Hold the store's writer lock for the block (re-entrant). On entry the manifest is
        re-read, components opened before are reopened, and an interrupted commit is completed."""
        if self.read_only:
            raise StoreError(f"存储 {self.folder} 以只读方式打开，不能写入 (the store was opened read-only)")
        if self._depth == 0:
            self._lock.acquire(wait=self.lock_wait, on_wait=self.on_lock_wait)
            try:
                self._reopen()
                if not self.manifest_path.exists():  # settings (the model) recorded before any index exists
                    self.write_manifest()
                self.recovered = self.recover() if recover else None
            except BaseException:
                self._release()
                raise
        self._depth += 1
        try:
            yield self
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._release()

    def _reopen(self) -> None:
        self.manifest = self._read_manifest()
        self._resolve_settings()
        self._close_local()

    def _resolve_settings(self) -> None:
        """Command line > environment > the store's saved settings > default (``kg.settings``)."""
        self.settings = resolve_all(self._given, self.manifest.setdefault("settings", {}))
        self.graph_kind = self.settings["graph-store"]
        self.endpoint = self.settings["endpoint"]
        self.update_endpoint = self.settings["update-endpoint"]
        self.endpoint_user = self.settings["endpoint-user"]
        self.endpoint_password = self.settings["endpoint-password"]
        self.model = self.settings["model"]

    def _close_local(self) -> None:
        """Close what another process would reopen: the index and an on-disk graph store."""
        if self._passages is not None:
            self._passages.close()
            self._passages = None
        if self._graph is not None and self.graph_kind == "oxigraph":
            self._graph.close()
            self._graph = None

    def _release(self) -> None:
        try:
            self._close_local()
        finally:
            self._lock.release()

    @property
    def holds_lock(self) -> bool:
        return self._lock.held

    def _require_lock(self) -> None:
        if not self._lock.held:
            raise StoreError("内部错误：写入存储前必须持有写锁 (internal error: write outside Corpus.writing())")

    # -- reports -------------------------------------------------------------------------------
    def reports(self) -> dict[str, dict]:
        return dict(self.manifest["reports"])

    def load_report(self, iri: str) -> Report:
        entry = self.manifest["reports"].get(iri)
        if entry is None:
            raise StoreError(f"存储中没有该报告 (no such report in the store): {iri}")
        return self.read_extraction(entry["file"])

    def read_extraction(self, file: str) -> Report:
        """A stored extraction (``reports/….json``) as a Report; StoreError when missing or unreadable."""
        path = self.folder / file
        try:
            return Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise StoreError(f"抽取结果文件缺失：{path} (stored extraction is missing; "
                             f"run `budgetkg verify --repair --store {self.folder}`)") from None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
            raise StoreError(f"抽取结果文件无法读取：{path}（{err}）(stored extraction is unreadable; "
                             f"run `budgetkg verify --repair --store {self.folder}`)") from None

    def ingest(self, paths: Iterable[Path], workers: int | str = 1, force: bool = False,
               cluster: str | None = None) -> Iterator[IngestResult]:
        """Extract and store every report file under ``paths``; one result per file, in file order.
        ``workers``: processes, or ``auto`` (``kg.settings.worker_count``); ``cluster``: a Dask
        scheduler address — the per-file work runs there, commits run here."""
        workers = worker_count(workers)
        files = discover(paths)
        if not files:
            return
        with self.writing():
            _ = self.graph  # a graph store that cannot open is one error for the batch, not one per file
            yield from ingest_files(self, files, workers, force, self._stage, cluster)

    def _stage(self, stage: str, path: str | Path) -> None:
        if self.on_stage is not None:
            self.on_stage(stage, str(path))

    # -- committing ------------------------------------------------------------------------------
    def commit_report(self, report: Report, path: str, built: Built | None = None) -> dict:
        """Commit one report as one unit (steps 1–5 of the module docstring); its manifest entry.
        ``built``: its graphs, passages and findings when already made (``store.ingest.build``)."""
        return self.commit_reports([(report, path, built)])[0]

    def commit_reports(self, items: list[tuple[Report, str, Built | None]]) -> list[dict]:
        """Commit several different reports as one unit: one journal, one generation, one graph
        load (a bulk-loading store then sorts one set of table files instead of one per report,
        and its background compaction rewrites the store once per group, not once per report).
        Their manifest entries, in order."""
        self._require_lock()
        if self.journal_path.exists():  # an earlier commit of this batch could not even be rolled back
            self.recover()  # (its graph store unreachable): complete it first, never write over its journal
        generation = self.generation + 1
        changes: list[dict] = []
        builts: dict[str, Built] = {}
        written: list[Path] = []
        try:
            for report, path, built in items:
                iri = str(vocab.report_iri(report))
                if iri in builts:
                    raise ValueError(f"one commit holds {iri} twice")
                file = f"reports/{vocab.digest(iri)}.g{generation}.json"
                changes.append({"report": iri, "entry": None, "previous": self.manifest["reports"].get(iri)})
                written.append(self.folder / file)
                self._stage("graph", path)
                built = built or build(report)
                write_bytes_atomic(written[-1], built.extraction_bytes())
                self._stage("embed", path)
                vectors = built.vectors if built.model == self.passages.embedder.name else None
                shard = (built.lists, built.quantizer) if vectors is not None else (None, None)
                self.passages.replace_report(iri, built.passages, vectors, built.tokens, *shard)  # a model that cannot load fails here
                changes[-1]["entry"], builts[iri] = _entry(report, file, path, built), built
        except BaseException:
            self.drop_staged()
            for written_file in written:
                written_file.unlink(missing_ok=True)
            raise
        self._stage("write", items[-1][1])
        self._commit({"op": "put", "changes": changes, "generation": generation, "model": self.model}, builts)
        return [change["entry"] for change in changes]

    def remove(self, iri: str) -> None:
        """Drop a report: its graphs, passages, manifest entry and extraction, as one unit."""
        with self.writing():
            entry = self.manifest["reports"].get(iri)
            if entry is None:
                raise StoreError(f"存储中没有该报告 (no such report): {iri}")
            self._commit({"op": "remove", "changes": [{"report": iri, "entry": None, "previous": entry}],
                          "generation": self.generation + 1, "model": self.model}, None)

    def _commit(self, journal: dict, builts: dict[str, Built] | None) -> None:
        """``builts``: the reports' graphs, with their passages already staged in the passage index."""
        self._write_journal(journal)
        try:
            self._apply(journal["changes"], journal["generation"], builts, staged=builts is not None)
            if journal["op"] == "remove":
                self.collect_garbage()
        except Exception as err:
            self._roll_back(journal, err)
            raise
        self._finish(journal)

    def _apply(self, changes: list[dict], generation: int, builts: dict[str, Built] | None = None,
               staged: bool = False) -> None:
        """Make graph, passage index and manifest hold each change's ``entry`` for its ``report``
        (nothing when None); ``staged``: the passage index's open transaction holds ``builts``' passages."""
        from kg.check.graph import findings_graph
        from kg.graph.store import ReportGraphs

        writes = []
        for change in changes:
            iri, entry = change["report"], change["entry"]
            findings_iri = vocab.findings_graph_iri(iri)
            if entry is None:
                self.graph.remove(iri)
                self.graph.remove(findings_iri)
                self.passages.remove_report(iri)
                continue
            built = (builts or {}).get(iri) or build(self.read_extraction(entry["file"]))
            findings = findings_graph(iri, built.findings) if built.findings else None
            writes.append(ReportGraphs(iri, findings_iri, findings, built.quads, built.graph, built.shared))
            if not staged:
                self.passages.replace_report(iri, built.passages)
        self.graph.write_reports(writes)
        self.passages.commit(store_generation=generation)
        for change in changes:
            if change["entry"] is None:
                self.manifest["reports"].pop(change["report"], None)
            else:
                self.manifest["reports"][change["report"]] = change["entry"]
        self.manifest["generation"] = generation
        self.write_manifest()

    def _roll_back(self, journal: dict, err: Exception) -> None:
        """After an error (not a crash) part-way: put the reports back as they were and drop the
        journal; if even that fails, the journal stays and the next writer completes the commit."""
        self.drop_staged()
        try:
            self._apply([{**change, "entry": change.get("previous")} for change in journal["changes"]],
                        journal["generation"])
        except Exception:
            names = "、".join(change["report"] for change in journal["changes"])
            raise StoreError(f"写入 {names} 时出错（{err}），且未能恢复原状；下次写入或运行 "
                             f"budgetkg verify --repair --store {self.folder} 时将自动完成 (the write failed and "
                             f"could not be undone; the next write command completes it)") from None
        self._clear_journal()
        for change in journal["changes"]:
            entry, previous = change.get("entry"), change.get("previous")
            if entry and (not previous or previous["file"] != entry["file"]):
                (self.folder / entry["file"]).unlink(missing_ok=True)

    def _finish(self, journal: dict) -> None:
        self._clear_journal()
        for change in journal["changes"]:
            previous, entry = change.get("previous"), change.get("entry")
            if previous and (entry is None or previous["file"] != entry["file"]):
                (self.folder / previous["file"]).unlink(missing_ok=True)

    def drop_staged(self) -> None:
        """Forget passages staged in the index's open transaction (reopening reads the last commit)."""
        if self._passages is not None:
            self._passages.close()
            self._passages = None

    # -- the journal ------------------------------------------------------------------------------
    @property
    def journal_path(self) -> Path:
        return self.folder / JOURNAL

    def read_journal(self) -> dict | None:
        """The commit under way or interrupted, ``None`` when there is none."""
        try:
            journal = json.loads(self.journal_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            raise StoreError(f"写前日志无法读取：{self.journal_path}（{err}）(the write-ahead journal is "
                             f"unreadable; run `budgetkg verify --repair --store {self.folder}`)") from None
        if isinstance(journal, dict) and "report" in journal and "changes" not in journal:  # one report, as
            journal["changes"] = [{key: journal.get(key) for key in ("report", "entry", "previous")}]  # written before groups
        if not isinstance(journal, dict) or not {"op", "changes", "generation"} <= journal.keys() or \
                not all(isinstance(change, dict) and "report" in change for change in journal["changes"]):
            raise StoreError(f"写前日志内容不完整：{self.journal_path} (the write-ahead journal is incomplete; "
                             f"run `budgetkg verify --repair --store {self.folder}`)")
        return journal

    def _write_journal(self, journal: dict) -> None:
        write_bytes_atomic(self.journal_path, json_bytes(journal))

    def _clear_journal(self) -> None:
        self.journal_path.unlink(missing_ok=True)
        fsync_dir(self.folder)

    def recover(self) -> str | None:
        """Complete an interrupted commit (the lock must be held) and delete what no entry refers to;
        returns a message saying what was completed, or None."""
        self._require_lock()
        journal = self.read_journal()
        done = None
        if journal is not None:
            for name in self.graph.graphs():
                if STAGING in name:
                    self.graph.remove(name)
            changes, builts, hows = [], {}, set()
            for change in journal["changes"]:
                target = change.get("entry")
                try:
                    built = build(self.read_extraction(target["file"])) if target else None
                    hows.add("已完成 (rolled forward)")
                except StoreError:
                    target = change.get("previous")
                    try:
                        built = build(self.read_extraction(target["file"])) if target else None
                    except StoreError:
                        target, built = None, None
                    hows.add("已撤回 (rolled back)")
                changes.append({**change, "entry": target})
                if built is not None:
                    builts[change["report"]] = built
            self._replay_with(journal.get("model"))
            self._apply(changes, max(journal["generation"], self.generation + 1), builts)
            if any(change["entry"] is None for change in changes):
                self.collect_garbage()
            self._finish({**journal, "changes": changes})
            self._resolve_settings()
            self._close_local()
            names = "、".join(change["report"] for change in changes)
            done = f"上次中断的写入{'/'.join(sorted(hows))}：{names} (completed the interrupted write of {names})"
        self.sweep()
        return done

    def _replay_with(self, model: str | None) -> None:
        """The passage index was half-written by a writer embedding with ``model``: completing
        its commit needs that model, whatever this process was opened with (the saved settings
        then name it, and a different model asked for afterwards meets the usual mismatch)."""
        if model and model != self.model:
            self._close_local()
            self.model = model

    def sweep(self) -> list[Path]:
        """Delete extraction files and index folders no manifest entry refers to (left by a crash)."""
        referenced = {entry["file"] for entry in self.manifest["reports"].values()}
        journal_path = self.journal_path
        if journal_path.exists():
            return []
        removed = []
        reports = self.folder / "reports"
        if reports.is_dir():
            remove_stale_temporaries(reports)
            for path in reports.glob("*.json"):
                if f"reports/{path.name}" not in referenced:
                    path.unlink(missing_ok=True)
                    removed.append(path)
        remove_stale_temporaries(self.folder)
        current = self.index_folder.name
        for path in self.folder.iterdir():
            if path.is_dir() and INDEX_FOLDER.match(path.name) and path.name != current:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        return removed

    def recheck(self, iri: str) -> list:
        """Run the consistency checks of a stored report again and store its findings."""
        with self.writing():
            findings = self.write_findings(iri, self.load_report(iri))
            self.manifest["reports"][iri]["findings"] = len(findings)
            self.write_manifest()
        return findings

    def write_findings(self, iri: str, report: Report, findings: list | None = None) -> list:
        """Store a report's consistency findings (run now unless given) in its findings graph."""
        from kg.check import run_checks
        from kg.check.graph import findings_graph

        if findings is None:
            findings = run_checks(report)
        self.graph.replace(vocab.findings_graph_iri(iri), findings_graph(iri, findings))
        return findings

    def collect_garbage(self) -> list[str]:
        """Drop the graphs of shared nodes (units, concepts, documents …) no other graph refers to."""
        dropped: list[str] = []
        while True:
            rows = self.graph.query(UNREFERENCED_SHARED_GRAPHS).rows
            if not rows:
                return dropped
            for row in rows:
                self.graph.remove(str(row["g"]))
                dropped.append(str(row["g"]))


# shared graphs first (a node's graph describes the node itself), then the reference test:
# written this way round it takes 0.3 s at 1M triples instead of minutes
UNREFERENCED_SHARED_GRAPHS = f"""SELECT ?g WHERE {{
    {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g ?p ?o }}
       FILTER({" || ".join(f'STRSTARTS(STR(?g), "{vocab.ID}{kind}")' for kind in vocab.SHARED_KINDS)}) }} }}
    FILTER NOT EXISTS {{ GRAPH ?h {{ ?x ?y ?g }} FILTER(?h != ?g) }} }}"""


def _entry(report: Report, file: str, path: str, built: Built) -> dict:
    triples, shared_triples = built.triple_counts(str(vocab.report_iri(report)))
    entry = {"file": file, "sha256": report.source.sha256 if report.source else "", "path": path,
             "title": report.label(), "unit": report.unit, "year": report.year, "kind": report.kind,
             "scope": report.scope, "summary": report.summary, "triples": triples,
             "passages": len(built.passages),
             "passages_done": True, "warnings": len(report.warnings),
             "shared_triples": shared_triples, "findings": len(built.findings)}
    missing = identity_missing(report)
    if missing:
        entry["identity_incomplete"] = missing
    return entry


__all__ = ["Corpus", "IngestResult", "add_passage_triples", "store_writer_lock"]
