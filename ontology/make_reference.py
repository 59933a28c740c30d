"""Generate ontology/reference.md from ontology/budgetkg.ttl and ontology/shapes.ttl.

    python -m ontology.make_reference            # rewrite ontology/reference.md
    python -m ontology.make_reference --check    # exit 1 if it is out of date

The output depends only on the two Turtle files (sorted, no timestamps), so a test can
regenerate it in memory and compare.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

HERE = Path(__file__).resolve().parent
ONTOLOGY_PATH = HERE / "budgetkg.ttl"
SHAPES_PATH = HERE / "shapes.ttl"
REFERENCE_PATH = HERE / "reference.md"

QB = URIRef("http://purl.org/linked-data/cube#")
BKG = "https://w3id.org/budgetkg/ontology#"
ONTOLOGY_IRI = URIRef("https://w3id.org/budgetkg/ontology")
SHAPES_IRI = URIRef("https://w3id.org/budgetkg/shapes")

PREFIXES = {
    "bkg": BKG, "bkgsh": "https://w3id.org/budgetkg/shapes#", "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#", "skos": str(SKOS), "prov": "http://www.w3.org/ns/prov#",
    "dcterms": str(DCTERMS), "foaf": "http://xmlns.com/foaf/0.1/", "rdf": str(RDF), "rdfs": str(RDFS),
    "owl": str(OWL), "xsd": str(XSD), "sh": str(SH),
    "obeu-dimension": "http://data.openbudgets.eu/ontology/dsd/dimension/",
    "obeu-measure": "http://data.openbudgets.eu/ontology/dsd/measure/",
    "obeu-attribute": "http://data.openbudgets.eu/ontology/dsd/attribute/",
    "obeu-budgetphase": "http://data.openbudgets.eu/resource/codelist/budget-phase/",
}
VOCABULARIES = {
    "org": ("W3C Organization Ontology", "https://www.w3.org/TR/vocab-org/"),
    "qb": ("W3C RDF Data Cube", "https://www.w3.org/TR/vocab-data-cube/"),
    "skos": ("W3C SKOS", "https://www.w3.org/TR/skos-reference/"),
    "prov": ("W3C PROV-O", "https://www.w3.org/TR/prov-o/"),
    "dcterms": ("DCMI Metadata Terms", "https://www.dublincore.org/specifications/dublin-core/dcmi-terms/"),
    "foaf": ("FOAF", "http://xmlns.com/foaf/spec/"),
    "obeu-dimension": ("OpenBudgets.eu data structure: dimensions", "http://data.openbudgets.eu/ontology/dsd/dimension/"),
    "obeu-measure": ("OpenBudgets.eu data structure: measures", "http://data.openbudgets.eu/ontology/dsd/measure/"),
    "obeu-attribute": ("OpenBudgets.eu data structure: attributes", "http://data.openbudgets.eu/ontology/dsd/attribute/"),
    "obeu-budgetphase": ("OpenBudgets.eu budget-phase code list", "http://data.openbudgets.eu/resource/codelist/budget-phase/"),
}
SEVERITY = {SH.Violation: "错误 Violation", SH.Warning: "警告 Warning", SH.Info: "提示 Info"}


def qname(term) -> str:
    if isinstance(term, Literal):
        return f'"{term}"'
    if isinstance(term, BNode):
        return "[]"
    text = str(term)
    best = max((p for p, ns in PREFIXES.items() if text.startswith(ns)), key=lambda p: len(PREFIXES[p]), default=None)
    return f"{best}:{text[len(PREFIXES[best]):]}" if best else f"<{text}>"


def code(term) -> str:
    return f"`{qname(term)}`"


def tagged(graph: Graph, node, predicate, lang: str) -> str:
    """The first ``predicate`` value of ``node`` in language ``lang``, or ``""``."""
    for value in graph.objects(node, predicate):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def label(graph: Graph, node, lang: str) -> str:
    return tagged(graph, node, RDFS.label, lang)


def comment(graph: Graph, node) -> str:
    texts = sorted(str(c) for c in graph.objects(node, RDFS.comment))
    return " ".join(texts)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def local(term) -> str:
    return qname(term).split(":", 1)[-1]


# ------------------------------------------------------------------------------------- shapes
def _items(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _node_summary(graph: Graph, node) -> str:
    """A short text for an anonymous shape used inside sh:or / sh:not / sh:node."""
    parts = []
    for cls in graph.objects(node, SH["class"]):
        parts.append(f"a {code(cls)}")
    for prop in graph.objects(node, SH.property):
        path = graph.value(prop, SH.path)
        inner = _constraints(graph, prop)
        parts.append(f"{code(path)} {', '.join(inner)}" if inner else code(path))
    for inner in graph.objects(node, SH["not"]):
        parts.append(f"not ({_node_summary(graph, inner)})")
    return "; ".join(parts) or "…"


def _constraints(graph: Graph, shape) -> list[str]:
    out = []
    low, high = graph.value(shape, SH.minCount), graph.value(shape, SH.maxCount)
    if low is not None or high is not None:
        out.append(f"{low if low is not None else 0}..{high if high is not None else '*'}")
    for key, text in ((SH.datatype, "{}"), (SH["class"], "a {}"), (SH.hasValue, "= {}"),
                      (SH.lessThanOrEquals, "≤ {}"), (SH.node, "conforms to {}")):
        for value in graph.objects(shape, key):
            out.append(text.format(code(value)))
    for key, text in ((SH.minInclusive, "≥ {}"), (SH.maxInclusive, "≤ {}"), (SH.minExclusive, "> {}"),
                      (SH.maxExclusive, "< {}")):
        value = graph.value(shape, key)
        if value is not None:
            out.append(text.format(value))
    values = _items(graph, graph.value(shape, SH["in"]))
    if values:
        out.append("in {" + ", ".join(str(v) if isinstance(v, Literal) else qname(v) for v in values) + "}")
    languages = _items(graph, graph.value(shape, SH.languageIn))
    if languages:
        out.append("language " + "/".join(str(v) for v in languages))
    if graph.value(shape, SH.uniqueLang) == Literal(True):
        out.append("one per language")
    pattern = graph.value(shape, SH.pattern)
    if pattern is not None:
        out.append(f"matches `{pattern}`")
    qualified = graph.value(shape, SH.qualifiedValueShape)
    if qualified is not None:
        out.append(f"≥ {graph.value(shape, SH.qualifiedMinCount)} with ({_node_summary(graph, qualified)})")
    for key, word in ((SH["or"], " or "), (SH["and"], " and "), (SH.xone, " xor ")):
        members = _items(graph, graph.value(shape, key))
        if members:
            out.append(word.join(f"[{_node_summary(graph, m)}]" for m in members))
    for inner in graph.objects(shape, SH["not"]):
        out.append(f"not ({_node_summary(graph, inner)})")
    return out


def _message(graph: Graph, node, lang: str) -> str:
    return tagged(graph, node, SH.message, lang)


def _targets(graph: Graph, shape) -> str:
    parts = []
    for key, text in ((SH.targetClass, "{}"), (SH.targetNode, "node {}"), (SH.targetSubjectsOf, "subjects of {}"),
                      (SH.targetObjectsOf, "objects of {}")):
        parts += [text.format(code(t)) for t in sorted(graph.objects(shape, key), key=str)]
    return ", ".join(parts) or "(used through `sh:node`)"


def render_shapes(shapes: Graph) -> list[str]:
    lines = ["## SHACL 约束 Constraints (`ontology/shapes.ttl`)", ""]
    for text in sorted(str(c) for c in shapes.objects(SHAPES_IRI, RDFS.comment)):
        lines += [text, ""]
    lines += ["Run by `kg/graph/validate.py` (`budgetkg validate`). Unless marked, a failed constraint is "
              "an error (sh:Violation); warnings (sh:Warning) flag oddities of the source.", ""]
    node_shapes = sorted((s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)), key=str)
    for shape in node_shapes:
        severity = shapes.value(shape, SH.severity)
        title = f"### {code(shape)} — {label(shapes, shape, 'zh')} / {label(shapes, shape, 'en')}"
        if severity in (SH.Warning, SH.Info):
            title += f" ({SEVERITY[severity]})"
        lines += [title, "", f"Targets: {_targets(shapes, shape)}."]
        if comment(shapes, shape):
            lines += ["", comment(shapes, shape)]
        rows = []
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            level = SEVERITY.get(shapes.value(prop, SH.severity) or severity or SH.Violation, "")
            rows.append((qname(path), ", ".join(_constraints(shapes, prop)), level.split()[0],
                         _message(shapes, prop, "zh")))
        node_level = _constraints(shapes, shape)
        if node_level:
            rows.append(("(node)", ", ".join(node_level), SEVERITY.get(severity or SH.Violation).split()[0],
                         _message(shapes, shape, "zh")))
        for constraint in shapes.objects(shape, SH.sparql):
            rows.append(("(SPARQL)", _message(shapes, constraint, "en"), SEVERITY.get(severity or SH.Violation).split()[0],
                         _message(shapes, constraint, "zh")))
        if rows:
            lines += ["", "| 路径 path | 约束 constraint | 级别 | 说明 message |", "|---|---|---|---|"]
            lines += [f"| `{cell(p)}` | {cell(c)} | {s} | {cell(m)} |" for p, c, s, m in sorted(rows)]
        lines.append("")
    return lines


# ------------------------------------------------------------------------------------- ontology
def render(ontology_path: Path = ONTOLOGY_PATH, shapes_path: Path = SHAPES_PATH) -> str:
    g = Graph().parse(ontology_path, format="turtle")
    shapes = Graph().parse(shapes_path, format="turtle")
    used_by: dict = defaultdict(set)  # property → classes whose shapes constrain it
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        classes = {local(c) for c in shapes.objects(shape, SH.targetClass)}
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if isinstance(path, URIRef):
                used_by[path] |= classes

    lines = ["# budgetkg 本体参考 Ontology reference", "",
             "<!-- Generated by `python -m ontology.make_reference` from budgetkg.ttl and shapes.ttl; do not edit. -->",
             ""]
    title_zh, title_en = label(g, ONTOLOGY_IRI, "zh"), label(g, ONTOLOGY_IRI, "en")
    lines += [f"**{title_zh}** — {title_en}. Namespace `bkg:` = <{BKG}>, version "
              f"{g.value(ONTOLOGY_IRI, OWL.versionInfo)}.", ""]
    description = g.value(ONTOLOGY_IRI, DCTERMS.description)
    if description:
        lines += [str(description), ""]

    # reused vocabularies
    reused: dict = defaultdict(set)
    for s, p, o in g:
        for term in (p, o):
            if isinstance(term, URIRef) and not str(term).startswith(BKG):
                prefix = qname(term).split(":", 1)[0]
                if prefix in VOCABULARIES:
                    reused[prefix].add(qname(term))
    lines += ["## 复用的词表 Reused vocabularies", "", "| 前缀 prefix | vocabulary | terms used |", "|---|---|---|"]
    for prefix in sorted(reused):
        name, url = VOCABULARIES[prefix]
        terms = ", ".join(f"`{t}`" for t in sorted(reused[prefix]))
        lines.append(f"| `{prefix}:` | [{name}]({url}) | {terms} |")
    lines.append("")

    # classes
    classes = sorted((c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(BKG)), key=str)
    lines += ["## 类 Classes", "", "| class | 中文 | English | subclass of | comment |", "|---|---|---|---|---|"]
    for cls in classes:
        supers = ", ".join(code(s) for s in sorted(g.objects(cls, RDFS.subClassOf), key=str))
        lines.append(f"| {code(cls)} | {label(g, cls, 'zh')} | {cell(label(g, cls, 'en'))} | {supers} | "
                     f"{cell(comment(g, cls))} |")
    lines.append("")

    # properties
    props = sorted({p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in g.subjects(RDF.type, kind)
                    if str(p).startswith(BKG)}, key=lambda p: local(p).lower())
    lines += ["## 属性 Properties", "",
              "Domain: `rdfs:domain` where declared, otherwise *(the classes whose shapes constrain it)*. "
              "Data Cube role: D = dimension, M = measure, A = attribute.", "",
              "| property | 中文 | English | kind | domain | range | sub-property of |", "|---|---|---|---|---|---|---|"]
    for prop in props:
        types = set(g.objects(prop, RDF.type))
        kind = "object" if OWL.ObjectProperty in types else "datatype"
        roles = [r for r, t in (("D", "DimensionProperty"), ("M", "MeasureProperty"), ("A", "AttributeProperty"))
                 if URIRef(str(QB) + t) in types]
        if roles:
            kind += " (" + "/".join(roles) + ")"
        domains = sorted(g.objects(prop, RDFS.domain), key=str)
        domain = ", ".join(code(d) for d in domains) if domains else \
            ", ".join(f"*{d}*" for d in sorted(used_by.get(prop, ())))
        ranges = ", ".join(code(r) for r in sorted(g.objects(prop, RDFS.range), key=str))
        supers = ", ".join(code(s) for s in sorted(g.objects(prop, RDFS.subPropertyOf), key=str))
        english = label(g, prop, "en")
        if comment(g, prop):
            english += f" — {comment(g, prop)}"
        lines.append(f"| {code(prop)} | {label(g, prop, 'zh')} | {cell(english)} | {kind} | {domain} | {ranges} | "
                     f"{supers} |")
    lines.append("")

    # data structure definitions
    lines += ["## 数据结构定义 Data structure definitions (RDF Data Cube)", ""]
    for dsd in sorted(g.subjects(RDF.type, URIRef(str(QB) + "DataStructureDefinition")), key=str):
        parts = defaultdict(list)
        for component in g.objects(dsd, URIRef(str(QB) + "component")):
            for role in ("dimension", "measure", "attribute"):
                for value in g.objects(component, URIRef(str(QB) + role)):
                    parts[role].append(code(value))
        lines.append(f"- {code(dsd)} ({label(g, dsd, 'zh')} / {label(g, dsd, 'en')}): "
                     + "; ".join(f"{role}s {', '.join(sorted(parts[role]))}"
                                 for role in ("dimension", "measure", "attribute") if parts[role]))
    lines.append("")

    # concept schemes and individuals
    lines += ["## 概念体系 Concept schemes", ""]
    for scheme in sorted(g.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        members = sorted(g.subjects(SKOS.inScheme, scheme), key=lambda m: str(g.value(m, SKOS.notation) or m))
        text = f"- {code(scheme)} — {label(g, scheme, 'zh')} / {label(g, scheme, 'en')}"
        if members:
            names = []
            for member in members:
                zh = next((str(v) for v in g.objects(member, SKOS.prefLabel) if v.language == "zh"), "")
                names.append(f"{code(member)} {zh}")
            text += ": " + ", ".join(names)
        lines.append(text)
    lines.append("")

    lines += render_shapes(shapes)
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if reference.md is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = REFERENCE_PATH.read_text(encoding="utf-8") if REFERENCE_PATH.exists() else ""
        if current != text:
            print(f"{REFERENCE_PATH} is out of date: run python -m ontology.make_reference", file=sys.stderr)
            return 1
        return 0
    REFERENCE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {REFERENCE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
