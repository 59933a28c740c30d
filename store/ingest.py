"""The ingest pipeline: report files in, committed reports out, in file order.

Per file: its sha256 against the manifest (unchanged and duplicate files cost nothing more);
then reading and understanding it (``kg.extract``), building its report graph, shared-node
graphs, passages and consistency findings (``kg``), embedding the passages (``embed``), and
committing it as one unit (``Corpus.commit_report``, the one writer).

With one worker everything runs in this process, as a loop, and the passages are embedded
and tokenized at commit (only texts the index does not hold yet). With N workers, reading,
building, embedding and keyword tokenizing run in N worker processes, each loading the model
and jieba once, and this process only commits, in file order, while the workers go on with
the next files; at most ``8 N`` files are in flight, so memory does not grow with the batch.
With a Dask scheduler address (``--cluster``) the same per-file work runs on the cluster's
workers (``store.cluster``) and this process still commits, in file order.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from kg import filenames
from kg.errors import BudgetKGError
from kg.extract import extract_many
from kg.graph import vocab
from kg.graph.builder import build_triples
from kg.graph.nquads import HasBlankNode, ReportQuads
from kg.ingest_results import IngestResult, file_sha256, known_result
from kg.model import Report
from kg.passages import add_passage_triples, build_passages


@dataclass
class Built:
    """What a report's commit writes besides its extraction: report graph, shared-node graphs
    (IRI → graph), passages and findings; graphs are ``kg.graph.triples.Triples`` or lists of triples (what
    crosses a process boundary). ``vectors`` are the embeddings of the passages that take one
    (``embed.passage_index.takes_vector``), in order, made with the model ``model``, and ``tokens``
    the keyword tokens of every passage (``ChineseTokenizer`` without user words) — None when the
    commit is to make them (from a worker, ``PackedTokens``). ``lists``: the vectors' inverted lists, found
    by the IVF quantizer whose fingerprint is ``quantizer`` (a cluster worker's shard). From a worker,
    ``report`` holds only who the report is (``identity_only``): its contents are in ``extraction``."""

    report: Report
    graph: object
    shared: dict
    passages: list
    findings: list
    vectors: object = None
    model: str | None = None
    tokens: list | None = None
    lists: object = None
    quantizer: str | None = None
    quads: object = None  # kg.graph.nquads.ReportQuads: graph and shared graphs serialised (then both None)
    extraction: bytes | None = None  # the report's JSON as the store keeps it, when a worker wrote it

    def extraction_bytes(self) -> bytes:
        """The report's extraction as the store keeps it (``reports/….json``)."""
        return self.extraction if self.extraction is not None else filenames.json_bytes(self.report.to_dict())

    def triple_counts(self, iri: str) -> tuple[int, int]:
        """Triples of the report graph and of the shared-node graphs."""
        if self.quads is not None:
            own = self.quads.triples(iri)
            return own, sum(self.quads.sizes.values()) - own
        return len(self.graph), sum(len(g) for g in self.shared.values())


def build(report: Report) -> Built:
    """Everything of one report that needs no store: graphs, passages and their triples, findings."""
    from kg.check import run_checks

    graph_iri, graph, shared = build_triples(report)
    passages = build_passages(report)
    add_passage_triples(graph, graph_iri, report, passages)
    return Built(report, graph, shared, passages, run_checks(report))


@dataclass
class Prepared:
    """One file after reading, building and (in a worker) embedding; ``error`` when it failed."""

    path: Path
    built: Built | None = None
    error: str | None = None
    pages: int = 0


def prepare(path: Path, limits=None, embedder=None, tokenizer=None, shown: str | None = None) -> Prepared:
    """Read, understand and build one file; embed its passages and tokenize them for the keyword
    index too when given an embedder and a tokenizer. ``shown``: the file's path on the machine
    that commits it, when ``path`` is a copy (a cluster worker's): the report and messages name it."""
    outcome = next(extract_many([path], workers=1, limits=limits))
    if outcome.error is not None:
        message = str(outcome.error)
        if shown is not None:
            message = message.replace(filenames.shown(str(path)), filenames.shown(shown))
        return Prepared(Path(shown) if shown is not None else path, error=message)
    report = outcome.report
    if shown is not None and report.source is not None:
        report.source.path, path = shown, Path(shown)
    pages = (report.source.pages if report.source else None) or 0
    try:
        built = build(report)
    except (BudgetKGError, OSError) as err:
        return Prepared(path, error=f"{path}: {err}", pages=pages)
    if embedder is not None:
        from embed.passage_index import takes_vector

        try:
            built.vectors = embedder.encode([p.text for p in built.passages if takes_vector(p.kind)])
            built.model = embedder.name
        except BudgetKGError:
            pass  # the commit embeds, and fails there as it would have
    if tokenizer is not None:
        from embed.passage_index import keyword_text

        built.tokens = [tokenizer.tokenize(keyword_text(p.text, p.section)) for p in built.passages]
    return Prepared(path, built, pages=pages)


# -- worker processes ------------------------------------------------------------------------------
_WORKER: dict = {}
# files in flight per worker process: reports differ in cost by 20× (the corpus has 1 s and 23 s
# ones), and with 2 a worker soon idles while a long report holds up the commits; with 8 the
# others go on (a processor-sharing simulation with the corpus's per-file costs: 2 workers,
# 70 s → 62 s for a 58 s CPU bound)
AHEAD = 8
# reports committed together (``Corpus.commit_reports``): one graph load, one journal and one
# manifest write for the group; 30 reports loaded into Oxigraph one by one at ingest pace cost
# 8.1 CPU-s of background compaction, in loads of 4 2.5, of 8 1.0 (bench notes in the README).
# Every group is full but the batch's last: groups that shrank towards the end of a batch (to
# commit the last reports sooner) each added table files, and on the corpus mix the compaction
# they set off took 1.9 of the writer's CPU-s against 0.6, more than the shorter wait saved.
GROUP = 8


def worker_start(model: str | None, limits, nquads: bool = False) -> None:
    """Once per worker process: one BLAS thread (the processes are the parallelism), the model
    named (its weights load at the first passage), the keyword tokenizer, the reading budget;
    ``nquads``: the writer's graph store loads N-Quads (``GraphStore.loads_nquads``). A process
    forked from a writer that ran ``worker_preload`` for ``model`` keeps the model and tokenizer
    it inherited (their pages are shared, and nothing is loaded again)."""
    try:
        from threadpoolctl import threadpool_limits

        _WORKER["threads"] = threadpool_limits(1)
    except ImportError:
        pass
    _WORKER["limits"] = limits
    _WORKER["nquads"] = nquads
    if _WORKER.get("preloaded") != (model,):
        _load_worker_models(model)


WORKER_GC_THRESHOLD = 50_000
"""Allocations between young-generation collections in a worker process (Python's default: 700).
Reading and graph building allocate millions of short-lived objects, nearly all freed by their
reference counts: on the corpus mix, at the default the collector ran 1,200–1,900 times per worker
and took 1.0–1.3 CPU-s of the two workers' ≈ 50; at 50,000, with what they inherited frozen
(``_collect_less``), 7–15 times and 0.2 CPU-s."""


def pool_worker_start(model: str | None, limits, nquads: bool = False, writer: int | None = None) -> None:
    """``worker_start`` in a process of the writer's own pool, which lives for one batch and ends
    with the ``writer`` process (``_end_with``). What it inherited from the writer by ``fork``
    (modules, the model, the tokenizer's dictionary) is frozen out of the cyclic collector,
    which would otherwise walk it at every full collection and, writing to each object's header,
    copy the shared pages into the worker; and collections are rarer (``WORKER_GC_THRESHOLD``).
    The writer's process, which may be the caller's, and a cluster's long-lived workers keep
    their own settings."""
    import gc

    if writer is not None:
        _end_with(writer)
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    worker_start(model, limits, nquads)


_PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


def _end_with(writer: int) -> None:
    """Have the kernel kill this process when the ``writer`` process ends (Linux
    ``PR_SET_PDEATHSIG``): a writer killed outright (``SIGKILL``, out of memory) runs no clean-up,
    and its workers, waiting on a queue nobody writes to any more, would live on — holding the
    command's output open (a caller reading it to the end waits for ever) and the store's files.
    Elsewhere, or if the call is refused, nothing changes."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != writer:  # it ended before the call above
        os._exit(1)


def _load_worker_models(model: str | None) -> None:
    from embed.factory import create_embedder
    from embed.zh_tokens import ChineseTokenizer

    _WORKER["tokenizer"] = ChineseTokenizer()
    try:
        _WORKER["embedder"] = create_embedder(model)
    except BudgetKGError:
        _WORKER["embedder"] = None  # the commit meets the same error and reports it per file


def worker_preload(model: str | None) -> None:
    """In the writer, before it forks its workers: the model's weights and the tokenizer's
    dictionary loaded once (≈ 2.5 CPU-s each time), for every forked worker to inherit — for a
    model that survives a fork (``Embedder.fork_safe``); any other is loaded by each worker."""
    from embed.factory import embedder_class

    if _WORKER.get("preloaded") == (model,):
        return
    try:
        if not embedder_class(model).fork_safe:
            return
    except BudgetKGError:
        return  # each worker meets the error and the commit reports it per file
    import threading

    _load_worker_models(model)
    # the dictionary is read holding the GIL, the model's weights are mostly inflated without it:
    # side by side they take 0.66 s of wall time instead of 0.79
    dictionary = threading.Thread(target=_WORKER["tokenizer"].tokenize, args=("预算公开",))
    dictionary.start()
    try:
        if _WORKER["embedder"] is not None:
            _WORKER["embedder"].encode(["预算"])
    finally:
        dictionary.join()  # no thread may outlive this: the workers are forked next
    _WORKER["preloaded"] = (model,)


def worker_prepare(path: Path, shown: str | None = None, quantizer=None) -> Prepared:
    """``prepare`` in a worker process set up by ``worker_start``, ready to cross to the writer;
    with the store's IVF ``quantizer`` (``embed.plugins.faiss_ondisk.Quantizer``) the vectors'
    inverted lists too, so the writer adds them without searching it."""
    prepared = prepare(path, _WORKER.get("limits"), _WORKER.get("embedder"), _WORKER.get("tokenizer"), shown)
    if prepared.built is not None:
        built = prepared.built
        if quantizer is not None and built.vectors is not None:
            built.lists, built.quantizer = quantizer.assign(built.vectors), quantizer.fingerprint
        built.extraction = built.extraction_bytes()  # the writer's commits are the batch's one serial part
        built.report = identity_only(built.report)  # its contents cross once, in the extraction
        if built.tokens is not None:
            built.tokens = PackedTokens.of(built.tokens)
        if _WORKER.get("nquads"):  # serialised here, loaded by the writer without converting a term
            try:
                iri = str(vocab.report_iri(built.report))
                built.quads = ReportQuads.of([(iri, built.graph), *built.shared.items()])
                built.graph = built.shared = None
            except (HasBlankNode, UnicodeEncodeError):
                pass
        if built.quads is None:  # rdflib terms pickle slowly and unpickle slower: plain lists cross
            built.graph = list(built.graph)
            built.shared = {iri: list(graph) for iri, graph in built.shared.items()}
    return prepared


def identity_only(report: Report) -> Report:
    """``report`` as its commit reads it: who it is (its IRI and manifest entry: identity, source,
    warnings), without its contents — a worker sends those once, as the extraction's bytes, and
    pickling the objects too cost a third of a second per corpus on each side of the pipe."""
    return replace(report, tables=[], figures=[], unit_figures=[], statements=[], projects=[], documents=[],
                   sections=[], captions=[], table_texts=[], grids=[])


class PackedTokens(Sequence):
    """Passages' keyword token lists, each kept as one string (tokens joined by ``SEPARATOR``):
    a report's few hundred strings cross a process boundary in a tenth of the time of the tens
    of thousands of tokens they hold, and the writer splits each as it indexes it."""

    SEPARATOR = "\x1f"

    def __init__(self, packed: list[str]):
        self.packed = packed

    @classmethod
    def of(cls, token_lists: list[list[str]]) -> "PackedTokens | list[list[str]]":
        """Packed, unless packing would not give the lists back — a token holds the separator, or a
        passage's only token is empty — then the lists as they are."""
        packed = [cls.SEPARATOR.join(tokens) for tokens in token_lists]
        if [""] in token_lists or any(text.count(cls.SEPARATOR) != max(len(tokens) - 1, 0)
                                      for text, tokens in zip(packed, token_lists)):
            return token_lists
        return cls(packed)

    def __len__(self) -> int:
        return len(self.packed)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        text = self.packed[index]
        return text.split(self.SEPARATOR) if text else []


def worker_ready(model: str | None, limits) -> None:
    """``worker_start`` unless this process is already set up for ``model`` and ``limits``."""
    if _WORKER.get("setup") != (model, limits):
        worker_start(model, limits)
        _WORKER["setup"] = (model, limits)


def _in_order(pool: ProcessPoolExecutor, paths: list[Path], ahead: int) -> Iterator[Prepared]:
    """``pool.map`` with at most ``ahead`` files submitted and not yet taken."""
    pending: deque[Future] = deque()
    queue = iter(paths)
    for path in queue:
        pending.append(pool.submit(worker_prepare, path))
        if len(pending) >= ahead:
            break
    while pending:
        future = pending.popleft()
        following = next(queue, None)
        if following is not None:
            pending.append(pool.submit(worker_prepare, following))
        yield future.result()


def prepared_files(paths: list[Path], workers: int, model: str | None, limits,
                   cluster: str | None = None, quantizer: Callable[[], object] | None = None,
                   nquads: bool = False) -> Iterator[Prepared]:
    """``prepare`` for every file, in order: in this process (embedding left to the commit), in
    ``workers`` processes (embedding there), or on the Dask cluster at ``cluster`` (``quantizer``:
    the store's IVF quantizer as it is now, shipped to the cluster's workers when it changes).
    ``nquads``: the worker processes send the graphs as N-Quads (``kg.graph.nquads``)."""
    if cluster:
        from store.cluster import cluster_prepared_files

        yield from cluster_prepared_files(paths, cluster, model, limits, quantizer)
        return
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield prepare(path, limits)
        return
    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        worker_preload(model)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=pool_worker_start,
                             initargs=(model, limits, nquads, os.getpid())) as pool:
        yield from _in_order(pool, paths, AHEAD * workers)


def ingest_files(corpus, files: list[Path], workers: int, force: bool,
                 stage: Callable[[str, str | Path], None], cluster: str | None = None) -> Iterator[IngestResult]:
    """Ingest ``files`` into ``corpus`` (whose writer lock is held); one result per file, in order
    (the per-file work on the Dask scheduler at ``cluster`` when given; this process commits)."""
    from kg.extract.readers.pdf_guard import ReadLimits

    by_sha = {entry.get("sha256"): (iri, entry) for iri, entry in corpus.manifest["reports"].items()}
    first_of: dict[str, Path] = {}
    plan: list[tuple[Path, IngestResult | None]] = []
    for path in files:
        sha = file_sha256(path)
        known = None
        if sha is not None:
            known = known_result(path, sha, first_of.get(sha), by_sha.get(sha), force)
            first_of.setdefault(sha, path)
        plan.append((path, known))
    work = prepared_files([path for path, known in plan if known is None], workers, corpus.model,
                          ReadLimits.from_settings(corpus.settings), cluster, corpus.vector_quantizer,
                          corpus.graph.loads_nquads)
    in_batch: dict[str, Path] = {}
    waiting: list[IngestResult | Prepared] = []  # in file order, until their group is committed
    group: dict[str, Prepared] = {}
    for path, known in plan:
        if known is not None:
            waiting.append(known)
            continue
        stage("read", path)
        prepared = next(work)
        if prepared.error is not None:
            waiting.append(IngestResult(path, "failed", message=prepared.error, pages=prepared.pages))
            continue
        iri = str(vocab.report_iri(prepared.built.report))
        if iri in group:  # the same report twice: the later file replaces the earlier one's commit
            yield from _commit_group(corpus, waiting, group, in_batch)
        waiting.append(prepared)
        group[iri] = prepared
        if len(group) >= GROUP:  # the same groups for any number of workers: the same store
            yield from _commit_group(corpus, waiting, group, in_batch)  # (file names carry the generation)
    yield from _commit_group(corpus, waiting, group, in_batch)


def _commit_group(corpus, waiting: list, group: dict[str, "Prepared"],
                  in_batch: dict[str, Path]) -> Iterator[IngestResult]:
    """Commit the reports of ``group`` as one unit (one by one when that fails, so one bad
    report fails alone); yield the results of ``waiting``, in order, and empty both."""
    from kg.ingest_results import stored_result

    members = list(group.values())  # the Prepared of ``waiting``, in the same order
    iri_of = {id(p): iri for iri, p in group.items()}
    previous = {iri: corpus.manifest["reports"].get(iri) for iri in group}
    outcome: dict[int, dict | str] = {}
    if len(members) > 1:
        try:
            entries = corpus.commit_reports([(p.built.report, str(p.path), p.built) for p in members])
            outcome = {id(p): entry for p, entry in zip(members, entries)}
        except (BudgetKGError, OSError):  # rolled back whole: again one by one, so a bad report fails alone
            pass
    for p in members:
        if id(p) not in outcome:
            try:
                outcome[id(p)] = corpus.commit_report(p.built.report, str(p.path), p.built)
            except (BudgetKGError, OSError) as err:
                outcome[id(p)] = f"{p.path}: {err}"
    for item in waiting:
        if not isinstance(item, Prepared):
            yield item
            continue
        entry = outcome[id(item)]
        if isinstance(entry, str):
            yield IngestResult(item.path, "failed", message=entry, pages=item.pages)
            continue
        iri = iri_of[id(item)]
        result = stored_result(item.path, iri, entry, previous[iri], in_batch.get(iri))
        result.pages = item.pages
        yield result
        in_batch[iri] = item.path
    waiting.clear()
    group.clear()


__all__ = ["Built", "PackedTokens", "Prepared", "build", "identity_only", "ingest_files", "prepare",
           "prepared_files"]
