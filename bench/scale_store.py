"""A large store made of replicas of real reports, for ``bench/scale_bench.py``.

What is real and what is synthetic:

* the first reports are real: ingested through the real writer (``Corpus.commit_report``);
* every other report is a **replica** of one of them under a distinct identity: a synthetic
  place (``青川县`` …) replaces the place its unit is named after (``上海市`` → ``青川县``,
  ``上海`` → ``青川``) in every literal of its graph, in its passages' texts and facets and
  in its extraction; its report IRI, and the IRIs of the units, regions, series and
  documents whose names changed, are new (units by ``vocab.org_iri`` of the new name, the
  report by ``vocab.report_iri``'s digest of the new identity), so a replica is a new unit
  with new projects, lines and passages; policy documents, classification concepts and
  metrics stay the originals' shared nodes (a replica cites the same documents);
* a replica's passage **vectors are its original's** (not embeddings of the replica's text)
  and its keyword tokens are the original's tokens with the same substitution applied;
* the graph of the replicas is written with Oxigraph's bulk loader (N-Quads), the passages
  through ``PassageIndex.replace_report`` with one commit per few hundred reports, and the
  manifest and extraction files as ``store.corpus`` lays them out — not through
  ``Corpus.commit_report`` (≈ 1 s a report here: 10,000 reports would take hours).
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from kg.extract.normalize import squash
from kg.graph import vocab

ID = str(vocab.ID)
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,4}?(?:自治区|省|市|县|区))")
FIRST = "青白清安平永宁长乐福寿临泉兴丰和嘉德怀远隆泰顺昌盛华凤云河湖明光春秋瑞祥康定"
SECOND = "川山林溪源阳宁丰城陵峰水谷桥塘田岭原湾坪州沟岗台坝洲池渡浦汀泽堡岩关营集店铺镇"
MORE_FIRST = "金玉石松柏桂兰梅竹新古双万千龙鹤鹿麟桃杏柳榆枫樟橙翠碧丹紫彩虹霞雪冰晴晨曦晓岚峻崇岳嵩涛澜渊沁沛洛汉"  # after FIRST: 10,000 replicas need more names
SUFFIXES = "县市区"


def place_names(count: int, avoid: str) -> list[str]:
    """``count`` distinct synthetic county names (青川县, 白山市 …); none whose stem is in ``avoid``.
    The names from ``FIRST`` × ``SECOND`` come first, in the same order whatever ``count`` is (a
    store grown further keeps the places of its earlier replicas); ``MORE_FIRST`` adds the rest."""
    names = []
    for pool in (FIRST, MORE_FIRST):
        for suffix in SUFFIXES:
            for first in pool:
                for second in SECOND:
                    stem = first + second
                    if first != second and stem not in avoid:
                        names.append(stem + suffix)
    if len(names) < count:
        raise ValueError(f"only {len(names)} synthetic places for {count} replicas")
    return names[:count]


def place_of(unit: str) -> tuple[str, str] | None:
    """The place a unit is named after and its stem: 上海市刑事科学技术研究院 → (上海市, 上海)."""
    found = _PLACE.match(unit)
    if not found:
        return None
    place = found.group(1)
    stem = place[:-3] if place.endswith("自治区") else place[:-1]
    return place, stem


@dataclass
class Template:
    """One real report, cut so that a replica is a join of strings: its N-Quads, passages,
    extraction JSON and manifest entry with the place, the report IRI, the IRIs to rename and
    blank node labels as tokens."""

    iri: str
    unit: str
    key: tuple
    place: tuple[str, ...]  # the strings replaced: (place, stem) or (unit,)
    quads: list[str]  # alternating text and tokens
    renamed: dict[str, str]  # shared IRI → its kind of renaming: "org:<label>" or "digest"
    passages: list
    vectors: object
    tokens: list
    affected_tokens: set[str]
    extraction: list[str]
    entry: dict


def _split(text: str, tokens: list[str], blank_nodes: bool = True) -> list[str]:
    """``text`` cut at ``tokens`` (and blank node labels): text, token, text, token … text."""
    pattern = "|".join(re.escape(t) for t in sorted(set(tokens), key=len, reverse=True))
    return re.split(f"({pattern}|_:[A-Za-z0-9]+)" if blank_nodes else f"({pattern})", text)


def make_template(corpus, built, entry: dict) -> Template:
    """The template of a report committed to ``corpus`` from ``built`` (``store.ingest.Built``)."""
    from kg.check.graph import findings_graph

    report = built.report
    iri = str(vocab.report_iri(report))
    found = place_of(report.unit)
    place = found if found else (report.unit,)
    blank: dict = {}
    graphs = {iri: built.graph, **{str(k): v for k, v in built.shared.items()}}
    if built.findings:
        graphs[vocab.findings_graph_iri(iri)] = findings_graph(iri, built.findings)
    renamed: dict[str, str] = {}
    for shared, triples in built.shared.items():
        shared = str(shared)
        if shared.startswith(f"{ID}doc/"):
            continue  # a policy document is one node whoever cites it: replicas cite the original's
        labels = [str(o) for s, p, o in triples if str(s) == shared and not str(o).startswith("http")]
        changes = any(any(x in label for x in place) for label in labels)
        kind = shared[len(ID):].split("/", 1)[0]
        if kind == "org" and changes:
            names = [str(o) for s, p, o in triples if str(s) == shared and str(p).endswith("prefLabel")]
            name = next((n for n in names if str(vocab.org_iri(n)) == shared), None)
            renamed[shared] = f"org:{name}" if name else "digest"
        elif changes or kind == "series":
            renamed[shared] = "digest"
    tokens = [iri] + [f"<{s}>" for s in renamed] + list(place)
    own = [g for g in graphs if g == iri or g == vocab.findings_graph_iri(iri) or g in renamed]
    others = [g for g in graphs if g not in own]
    for g in others:  # a shared graph unchanged by the renaming is the original's: replicas leave it out,
        text = _nquads({g: graphs[g]}, blank)  # unless it refers to what a replica renames
        if any(t in text for t in tokens) or "_:" in text:
            own.append(g)
    text = _nquads({g: graphs[g] for g in own}, blank)
    affected = {t for toks in (built.tokens or []) for t in toks if any(x in t for x in place)}
    extraction = json.dumps(report.to_dict(), ensure_ascii=False)
    return Template(iri, report.unit, report.identity_key(), place,
                    _split(text, tokens),
                    renamed, built.passages, built.vectors, built.tokens, affected,
                    _split(extraction, list(place) + [entry.get("sha256") or place[0]], blank_nodes=False),
                    dict(entry))


def _nquads(graphs: dict, blank: dict) -> str:
    import pyoxigraph as ox

    from kg.graph.plugins.oxigraph import to_ox

    quads = [ox.Quad(to_ox(s, blank), to_ox(p, blank), to_ox(o, blank), ox.NamedNode(str(g)))
             for g, triples in graphs.items() for s, p, o in triples]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")


class Replica:
    """Replica ``number`` of ``template`` in the synthetic place ``place`` (``青川县``)."""

    def __init__(self, template: Template, number: int, place: str):
        self.t = template
        self.number = number
        stem = place[:-1]
        self.subs = dict(zip(template.place, (place, stem))) if len(template.place) == 2 else \
            {template.place[0]: place + template.place[0]}
        unit = self.text(template.unit)
        key = template.key
        if key[0] == "sha256":
            self.iri = f"{ID}report/sha256-{vocab.digest(key[1], number)[:24]}"
        else:
            _, year, kind, scope, summary = key
            self.iri = f"{ID}report/{vocab.digest(*((squash(unit), year, kind, scope) + ((summary,) if summary else ())))}"
        self.unit = unit
        sha = template.entry.get("sha256")  # the replica's own "file": verify finds it in its extraction
        self.sha = hashlib.sha256(f"{sha}:{number}".encode()).hexdigest()
        self.subs[sha or template.place[0]] = self.sha if sha else self.subs[template.place[0]]
        self.iris = {template.iri: self.iri}
        for old, how in template.renamed.items():
            if how.startswith("org:"):
                new = str(vocab.org_iri(self.text(how[4:])))
            else:
                kind = old[len(ID):].rsplit("/", 1)[0]
                new = f"{ID}{kind}/{vocab.digest(old, 'replica', number)}"
            self.iris[old] = new

    def text(self, value: str) -> str:
        for old, new in self.subs.items():
            value = value.replace(old, new)
        return value

    def nquads(self) -> str:
        out, tag = [], f"r{self.number}"
        for i, part in enumerate(self.t.quads):
            if i % 2 == 0:
                out.append(part)
            elif part.startswith("_:"):
                out.append(part + tag)
            elif part.startswith("<"):
                out.append(f"<{self.iris[part[1:-1]]}>")
            elif part == self.t.iri:
                out.append(self.iri)
            else:
                out.append(self.subs[part])
        return "".join(out)

    def extraction(self) -> bytes:
        parts = self.t.extraction
        return "".join(p if i % 2 == 0 else self.subs[p] for i, p in enumerate(parts)).encode("utf-8")

    def passages(self) -> list:
        prefix, new = self.t.iri, self.iri
        out = []
        for p in self.t.passages:
            out.append(replace(p, id=new + p.id[len(prefix):] if p.id.startswith(prefix) else p.id,
                               report=new, text=self.text(p.text), source=self.text(p.source or ""),
                               section=self.text(p.section or ""),
                               entities=[self._iri(e) for e in p.entities],
                               facets={k: self.text(str(v)) for k, v in p.facets.items()}))
        return out

    def _iri(self, value: str) -> str:
        value = str(value)
        if value.startswith(self.t.iri):
            return self.iri + value[len(self.t.iri):]
        return self.iris.get(value, value)

    def tokens(self) -> list | None:
        if self.t.tokens is None:
            return None
        sub = {t: self.text(t) for t in self.t.affected_tokens}
        if not sub:
            return self.t.tokens
        return [[sub.get(t, t) for t in toks] for toks in self.t.tokens]

    def entry(self, file: str) -> dict:
        entry = dict(self.t.entry)
        entry.update(file=file, path=f"synthetic/{self.number}/{self.text(Path(entry.get('path', '')).name)}",
                     title=self.text(entry.get("title", "")), unit=self.unit,
                     sha256=self.sha)
        return entry


def grow(folder: Path, templates: list[Template], start: int, target: int, places: list[str],
         batch: int = 250, log=print) -> dict:
    """Add replicas to the store in ``folder`` (closed, holding ``start`` reports) until it holds
    ``target``; replica ``i`` (``i`` ≥ ``start``) copies template ``i % len(templates)`` into
    place ``places[i]``. Graph by Oxigraph's bulk loader, passages by ``replace_report``,
    one index commit and one manifest write per ``batch`` reports. Returns timings (s).

    Keyword segments are not merged while growing (one segment per batch; a search scores the
    same either way): before the merge was written a segment at a time, the size-tiered merge of
    four batch segments (1.6M passages, 85M postings at 4,000 reports) took more than the
    bench's 14 GB memory bound, and the stores of ``results_scale_bench_10k.txt`` were grown so."""
    import pyoxigraph as ox

    import embed.lexical as lexical
    from embed.factory import create_embedder
    from embed.passage_index import PassageIndex
    from kg.atomic_io import write_bytes_atomic
    from kg.filenames import json_bytes

    manifest_path = folder / "manifest.json"
    spool = folder.parent / f"{folder.name}.batch.nq"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    model = manifest["settings"].get("model")
    index = PassageIndex.open(folder / manifest.get("index", "passages"), create_embedder(model))
    graph = ox.Store(str(folder / "graph"))
    fanout, lexical.FANOUT = lexical.FANOUT, 10**9
    times = {"graph": 0.0, "passages": 0.0, "commit": 0.0, "files": 0.0}
    generation = int(manifest.get("generation", 0))
    for first in range(start, target, batch):
        last = min(first + batch, target)
        generation += 1
        started = time.perf_counter()
        nquads = open(spool, "w", encoding="utf-8")  # the batch's graphs, bulk loaded from the file
        for i in range(first, last):
            template = templates[i % len(templates)]
            replica = Replica(template, i, places[i])
            nquads.write(replica.nquads())
            t0 = time.perf_counter()
            index.replace_report(replica.iri, replica.passages(), template.vectors, replica.tokens())
            t1 = time.perf_counter()
            times["passages"] += t1 - t0
            file = f"reports/{vocab.digest(replica.iri)}.g{generation}.json"
            write_bytes_atomic(folder / file, replica.extraction())
            manifest["reports"][replica.iri] = replica.entry(file)
            times["files"] += time.perf_counter() - t1
        nquads.close()
        t0 = time.perf_counter()
        graph.bulk_load(path=str(spool), format=ox.RdfFormat.N_QUADS, lenient=True)
        spool.unlink()
        t1 = time.perf_counter()
        index.commit(store_generation=generation)
        manifest["generation"] = generation
        write_bytes_atomic(manifest_path, json_bytes(manifest, indent=1))
        t2 = time.perf_counter()
        times["graph"] += t1 - t0
        times["commit"] += t2 - t1
        log(f"  {last} reports: batch {t2 - started:.0f} s (graph {t1 - t0:.0f} s, index commit {t2 - t1:.0f} s)")
    graph.flush()
    graph.optimize()
    del graph
    index.close()
    lexical.FANOUT = fanout
    return times
