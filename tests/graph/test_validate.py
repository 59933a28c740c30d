"""SHACL validation: the shapes parse, the seeds conform (up to listed source oddities), a
synthetic bad graph gives the expected violations with their pages, the set-at-a-time SPARQL
evaluation agrees with plain pyshacl, and ontology/reference.md is current."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from kg.graph.store import open_store
from kg.graph.validate import (ONTOLOGY_PATH, SHAPES_PATH, ValidationError, compact, load_ontology, load_shapes,
                               validate)
from kg.graph.vocab import PREFIXES

BKGSH = "https://w3id.org/budgetkg/shapes#"
ID = "https://w3id.org/budgetkg/id/"


# ------------------------------------------------------------------------------------- parsing
def test_ontology_and_shapes_parse():
    ontology, shapes = load_ontology(), load_shapes()
    assert len(ontology) > 300 and len(shapes) > 300
    node_shapes = set(shapes.subjects(None, SH.NodeShape))
    for name in ("ReportShape", "ProjectShape", "SelfEvaluationShape", "IndicatorShape", "BudgetLineShape",
                 "FigureShape", "PolicyDocumentShape", "ProvenanceShape", "ObservationShape", "DataSetShape"):
        assert URIRef(BKGSH + name) in node_shapes
    # every message is bilingual
    for holder in set(shapes.subjects(SH.message, None)):
        langs = {m.language for m in shapes.objects(holder, SH.message)}
        assert langs == {"zh", "en"}, holder


def test_shapes_are_valid_shacl():
    """The shapes graph conforms to the SHACL-SHACL meta shapes."""
    import pyshacl

    # meta_shacl checks the shapes against SHACL-SHACL first and raises if they are malformed
    conforms, _, text = pyshacl.validate(load_shapes(), shacl_graph=load_shapes(), meta_shacl=True,
                                         inference="none")
    assert conforms, text


def test_ic11_dimensions_match_the_ontology():
    """IC-11 reads the dimensions from the DSDs; check the DSDs are what the shapes assume."""
    ontology = load_ontology()
    rows = ontology.query("""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX bkg: <https://w3id.org/budgetkg/ontology#>
        SELECT ?dim WHERE { bkg:budgetLineStructure qb:component/qb:dimension ?dim }""")
    dims = {compact(str(r[0])) for r in rows}
    assert {"bkg:functionalClassification", "bkg:economicClassification", "bkg:fundType",
            "bkg:tableKind"} <= dims


# ------------------------------------------------------------------------------------- seeds
# Source oddities the seeds really contain; each is a warning, never an error.
SEED_FINDINGS = {
    # 003 (汾阳市人社局 2024年单位预算) cites its own 汾财农【2023】65号 twice as "汾财农65号", without the
    # year, in the 立项依据 and 保证项目实施的制度、措施 rows of the project form (source lines 1007 and
    # 1009); the extractor keeps the printed form, so the number does not match issuer〔year〕number号.
    ("Warning", "bkg:documentNumber", "汾财农65号"),
}


@pytest.fixture(scope="module")
def seed_store(seed_reports):
    """The seeds laid out as the corpus stores them: report graphs, findings graphs and one graph
    per shared node (no passages: see test_ingested_corpus_with_passages_conforms)."""
    from kg.check import run_checks
    from kg.check.graph import findings_graph
    from kg.graph.vocab import findings_graph_iri
    from kg.graph.builder import build_graphs

    store = open_store("oxigraph")  # the default backend, in memory
    for report in seed_reports.values():
        iri, graph, shared = build_graphs(report)
        store.replace(str(iri), graph)
        store.merge_all(shared)
        store.replace(findings_graph_iri(str(iri)), findings_graph(str(iri), run_checks(report)))
    yield store
    store.close()


@pytest.fixture(scope="module")
def seed_validation(seed_store):
    return validate(seed_store)


def test_seed_store_conforms_up_to_listed_source_oddities(seed_validation):
    report = seed_validation
    assert report.graphs == 5 and report.triples > 25000
    found = {(v.severity, compact(v.path), v.value) for v in report.violations}
    assert found == SEED_FINDINGS, "\n".join(str(v) for v in report.violations)
    assert report.conforms
    warning = report.warnings[0]
    assert warning.report_label == "汾阳市人力资源和社会保障局 2024年单位预算"
    assert warning.report and warning.report.startswith(ID + "report/")


def test_report_views_include_shared_nodes(seed_store):
    from kg.graph.validate import report_views, view_triples

    views = list(report_views(seed_store))
    assert len(views) == 5 and all(len(names) == 2 for _, names in views)  # report + findings graph
    report, names = views[0]
    subjects = {str(s) for s, _, _ in view_triples(seed_store, names)}
    assert report in subjects
    assert any(s.startswith(ID + "org/") for s in subjects)             # the unit's own graph
    assert any(s.startswith(ID + "classification/") for s in subjects)  # concepts of its budget lines


def test_union_and_per_report_agree_on_the_seeds(seed_store, seed_validation):
    union = validate(seed_store, per_report=False)
    per_report = seed_validation
    key = lambda r: {(v.focus, v.path, v.severity, str(v.value)) for v in r.violations}  # noqa: E731
    assert key(union) == key(per_report)
    assert union.graphs == 1


def test_ingested_corpus_with_passages_conforms(corpus):
    """Passages and findings declare the pages they cite (they once pointed at undeclared page IRIs)."""
    report = validate(corpus.graph)
    errors = [v for v in report.violations if v.is_error]
    assert not errors, "\n".join(str(v) for v in errors[:10])


# ------------------------------------------------------------------------------------- a bad graph
BAD = """
@prefix bkg: <https://w3id.org/budgetkg/ontology#> .
@prefix id: <https://w3id.org/budgetkg/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix phase: <http://data.openbudgets.eu/resource/codelist/budget-phase/> .

id:report\\/r a bkg:Report ; rdfs:label "测试局 2023年单位决算"@zh ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:reportKind "决算" ; bkg:reportScope "单位" ; bkg:budgetPhase phase:executed ;
    bkg:pageCount 20 .
id:org\\/u a bkg:Unit , org:Organization ; skos:prefLabel "测试局"@zh .
<https://w3id.org/budgetkg/id/report/r/page/3> a bkg:Page ; bkg:pageNumber 3 ; dcterms:isPartOf id:report\\/r .
<https://w3id.org/budgetkg/id/report/r/page/7> a bkg:Page ; bkg:pageNumber 7 ; dcterms:isPartOf id:report\\/r .
<https://w3id.org/budgetkg/id/report/r/page/25> a bkg:Page ; bkg:pageNumber 25 ; dcterms:isPartOf id:report\\/r .

# a project without a label, with its amount as a string
<https://w3id.org/budgetkg/id/report/r/project/p> a bkg:Project ; bkg:inReport id:report\\/r ;
    bkg:implementingUnit id:org\\/u ; bkg:fiscalYear 2023 ; bkg:annualAmount "12.5万元" ;
    bkg:hasSelfEvaluation <https://w3id.org/budgetkg/id/report/r/project/p/self-evaluation> ;
    bkg:hasIndicator <https://w3id.org/budgetkg/id/report/r/project/p/indicator/0> ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/3> .

# an execution rate of 150 on page 7, and a grade that does not match the score
<https://w3id.org/budgetkg/id/report/r/project/p/self-evaluation> a bkg:SelfEvaluation ;
    bkg:executionRate 150.0 ; bkg:fullYearBudget 100.0 ; bkg:executedAmount 150.0 ; bkg:totalScore 95.0 ;
    bkg:grade "良" ; prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .

# an indicator without provenance (its project is on page 3), scoring above its weight
<https://w3id.org/budgetkg/id/report/r/project/p/indicator/0> a bkg:Indicator ; rdfs:label "培训人数"@zh ;
    bkg:weight 10.0 ; bkg:score 12.0 .

# two budget lines with the same code and column (IC-12), one missing its fund type (IC-11)
<https://w3id.org/budgetkg/id/report/r/table/0> a qb:DataSet ; qb:structure bkg:budgetLineStructure ;
    dcterms:isPartOf id:report\\/r .
<https://w3id.org/budgetkg/id/classification/function/2080101> a skos:Concept ; skos:notation "2080101" ;
    skos:inScheme bkg:FunctionalClassificationScheme .
<https://w3id.org/budgetkg/id/report/r/table/0/obs/0/a> a bkg:BudgetLine , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/table/0> ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ; bkg:tableKind "expenditure_summary" ;
    bkg:fundType "total" ; bkg:amount 100.0 ;
    bkg:functionalClassification <https://w3id.org/budgetkg/id/classification/function/2080101> ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .
<https://w3id.org/budgetkg/id/report/r/table/0/obs/1/a> a bkg:BudgetLine , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/table/0> ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ; bkg:tableKind "expenditure_summary" ;
    bkg:fundType "total" ; bkg:amount 200.0 ;
    bkg:functionalClassification <https://w3id.org/budgetkg/id/classification/function/2080101> ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .
<https://w3id.org/budgetkg/id/report/r/table/0/obs/2/b> a bkg:BudgetLine , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/table/0> ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ; bkg:tableKind "expenditure_summary" ;
    bkg:amount 5.0 ; bkg:isTotal true ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/25> .

# a table printed unit by unit: one code in two units' blocks (no IC-12), and a member's own row
# without a code (no CodedRowShape warning)
<https://w3id.org/budgetkg/id/report/r/table/1> a qb:DataSet ; qb:structure bkg:budgetLineStructure ;
    dcterms:isPartOf id:report\\/r .
id:org\\/m a bkg:Unit , org:Organization ; skos:prefLabel "测试中心"@zh .
<https://w3id.org/budgetkg/id/report/r/table/1/obs/0/a> a bkg:BudgetLine , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/table/1> ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ; bkg:tableKind "expenditure_summary" ;
    bkg:fundType "total" ; bkg:amount 300.0 ; bkg:lineName "测试中心" ; bkg:spendingUnit id:org\\/m ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .
<https://w3id.org/budgetkg/id/report/r/table/1/obs/1/a> a bkg:BudgetLine , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/table/1> ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ; bkg:tableKind "expenditure_summary" ;
    bkg:fundType "total" ; bkg:amount 100.0 ; bkg:spendingUnit id:org\\/u ;
    bkg:functionalClassification <https://w3id.org/budgetkg/id/classification/function/2080101> ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .
<https://w3id.org/budgetkg/id/report/r/table/1/obs/2/a> a bkg:BudgetLine , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/table/1> ; bkg:organization id:org\\/u ;
    bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ; bkg:tableKind "expenditure_summary" ;
    bkg:fundType "total" ; bkg:amount 300.0 ; bkg:spendingUnit id:org\\/m ;
    bkg:functionalClassification <https://w3id.org/budgetkg/id/classification/function/2080101> ;
    prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .

# a 财政重点评价 graded with a letter that agrees with its score
<https://w3id.org/budgetkg/id/report/r/project/e/evaluation> a bkg:SelfEvaluation ;
    bkg:totalScore 83.06 ; bkg:grade "B" ; prov:wasDerivedFrom <https://w3id.org/budgetkg/id/report/r/page/7> .

# a figure with neither amount nor quantity, no provenance
<https://w3id.org/budgetkg/id/report/r/figure/f> a bkg:Figure , qb:Observation ;
    qb:dataSet <https://w3id.org/budgetkg/id/report/r/figures> ; bkg:inReport id:report\\/r ;
    bkg:organization id:org\\/u ; bkg:fiscalYear 2023 ; bkg:budgetPhase phase:executed ;
    bkg:metric id:metric\\/vehicles .
<https://w3id.org/budgetkg/id/report/r/figures> a qb:DataSet ; qb:structure bkg:figureStructure .
id:metric\\/vehicles a bkg:Metric .

# document numbers: brackets not canonical (error), year missing (source oddity)
id:doc\\/a a bkg:PolicyDocument ; rdfs:label "晋财社【2019】1号"@zh ; bkg:documentNumber "晋财社【2019】1号" .
id:doc\\/b a bkg:PolicyDocument ; rdfs:label "汾财农65号"@zh ; bkg:documentNumber "汾财农65号" .
id:report\\/r dcterms:references id:doc\\/a , id:doc\\/b .
"""

P = "https://w3id.org/budgetkg/id/report/r"


@pytest.fixture(scope="module")
def bad_graph() -> Graph:
    return Graph().parse(data=BAD, format="turtle")


@pytest.fixture(scope="module")
def bad_report(bad_graph):
    return validate(bad_graph)


def find(report, focus: str, path: str | None, severity: str = "Violation"):
    hits = [v for v in report.violations
            if v.focus == focus and compact(v.path) == path and v.severity == severity]
    assert hits, f"no {severity} on {focus} {path}:\n" + "\n".join(str(v) for v in report.violations)
    return hits


def test_bad_graph_does_not_conform(bad_report):
    assert not bad_report.conforms
    assert bad_report.errors and bad_report.warnings


def test_project_without_label_and_amount_as_string(bad_report):
    label = find(bad_report, f"{P}/project/p", "rdfs:label")[0]
    assert label.page == 3 and label.report == P and label.report_label == "测试局 2023年单位决算"
    assert label.constraint == "MinCount"
    assert "名称" in label.message_zh and "name" in label.message_en
    amount = find(bad_report, f"{P}/project/p", "bkg:annualAmount")
    assert {v.constraint for v in amount} >= {"Datatype"}
    assert all(v.value == "12.5万元" and v.page == 3 for v in amount)


def test_execution_rate_out_of_range(bad_report):
    rate = find(bad_report, f"{P}/project/p/self-evaluation", "bkg:executionRate")
    assert {v.constraint for v in rate} == {"MaxInclusive"}
    assert rate[0].value == Decimal("150.0") and rate[0].page == 7
    assert "0 到 100" in rate[0].message_zh
    grade = find(bad_report, f"{P}/project/p/self-evaluation", "bkg:grade", "Warning")[0]
    assert grade.constraint == "SPARQL" and "总分 95" in grade.message_zh and grade.value == "良"


def test_fact_without_provenance(bad_report):
    missing = find(bad_report, f"{P}/project/p/indicator/0", "prov:wasDerivedFrom")[0]
    assert missing.constraint == "MinCount"
    assert missing.page == 3  # the page of its project, the closest known place
    assert missing.report == P
    figure = find(bad_report, f"{P}/figure/f", "prov:wasDerivedFrom")[0]
    assert figure.page is None and figure.report == P  # found through bkg:inReport


def test_indicator_score_above_weight_is_a_warning(bad_report):
    warning = find(bad_report, f"{P}/project/p/indicator/0", "bkg:score", "Warning")[0]
    assert warning.constraint == "LessThanOrEquals"


def test_data_cube_constraints(bad_report):
    duplicates = find(bad_report, f"{P}/table/0/obs/0/a", None)
    assert any(v.constraint == "SPARQL" and "IC-12" in v.message_en and v.page == 7 for v in duplicates)
    assert any("科目 2080101、口径 total 出现两次" in v.message_zh for v in duplicates)
    missing_dimension = find(bad_report, f"{P}/table/0/obs/2/b", "bkg:fundType")
    assert any("IC-11" in v.message_en for v in missing_dimension)
    assert all(v.page == 25 for v in missing_dimension)
    figure = find(bad_report, f"{P}/figure/f", None)
    assert any("IC-14" in v.message_en for v in figure)
    # the figures data set lacks dcterms:isPartOf but the figure is found through bkg:inReport
    assert all(v.report == P for v in figure)


def test_a_table_by_unit_repeats_codes_once_per_unit(bad_report):
    """The key of the adapted IC-12 includes bkg:spendingUnit, and a unit's own row needs no code;
    the same code twice for one unit is still a duplicate (table 0 above)."""
    table = f"{P}/table/1/"
    assert not [v for v in bad_report.violations if v.focus.startswith(table)], \
        "\n".join(str(v) for v in bad_report.violations if v.focus.startswith(table))
    assert find(bad_report, f"{P}/table/0/obs/1/a", None)


def test_letter_grades_are_graded_like_their_names(bad_report):
    evaluation = f"{P}/project/e/evaluation"
    assert not [v for v in bad_report.violations if v.focus == evaluation and compact(v.path) == "bkg:grade"]
    wrong = find(bad_report, f"{P}/project/p/self-evaluation", "bkg:grade", "Warning")[0]
    assert "优/A" in wrong.message_zh


def test_page_beyond_page_count_is_a_warning(bad_report):
    warning = find(bad_report, f"{P}/page/25", None, "Warning")[0]
    assert warning.value == 25 and "20" in warning.message_zh and warning.page == 25


def test_document_numbers(bad_report):
    brackets = find(bad_report, f"{ID}doc/a", "bkg:documentNumber")[0]
    assert brackets.constraint == "Pattern" and brackets.report == P
    no_year = find(bad_report, f"{ID}doc/b", "bkg:documentNumber", "Warning")[0]
    assert no_year.value == "汾财农65号"
    assert not [v for v in bad_report.violations if v.focus == f"{ID}doc/b" and v.is_error]


def test_report_serialises(bad_report):
    import json

    data = bad_report.to_dict()
    text = json.dumps(data, ensure_ascii=False, default=str)
    assert data["conforms"] is False and data["errors"] == len(bad_report.errors)
    assert "bkg:executionRate" in text
    assert all(str(v) for v in bad_report.violations)
    assert bad_report.summary()[0][3] >= 1
    text = bad_report.to_text().splitlines()
    assert text[0] == "测试局 2023年单位决算"
    assert any(line.startswith("  第7页 [错误] 执行率须为 0 到 100") and "= 150" in line for line in text)
    assert text[-1].startswith("不符合约束 (does not conform)：错误 ")


def test_bulk_sparql_matches_plain_pyshacl(bad_graph, bad_report):
    """Set-at-a-time SPARQL evaluation gives what pyshacl's per-focus-node evaluation gives."""
    import pyshacl

    data = Graph()
    for triple in bad_graph:
        data.add(triple)
    for triple in load_ontology():
        data.add(triple)
    _, results, _ = pyshacl.validate(data, shacl_graph=load_shapes(), inference="none", allow_warnings=True)
    expected = set()
    for result in results.objects(None, SH.result):
        if results.value(result, SH.sourceConstraintComponent) != SH.SPARQLConstraintComponent:
            continue
        path = results.value(result, SH.resultPath)
        expected.add((str(results.value(result, SH.focusNode)), compact(str(path)) if path else None))
    ours = {(v.focus, compact(v.path)) for v in bad_report.violations if v.constraint == "SPARQL"}
    assert expected and ours == expected


def test_inference_modes_agree(bad_graph, bad_report):
    rdfs = validate(bad_graph, inference="rdfs")
    key = lambda r: {(v.focus, v.path, v.severity, v.constraint) for v in r.violations}  # noqa: E731
    assert key(rdfs) == key(bad_report)
    with pytest.raises(ValidationError):
        validate(bad_graph, inference="owl-full")


def test_dataset_and_store_inputs(bad_graph, bad_report):
    dataset = Dataset()
    named = dataset.graph(URIRef(P))
    for triple in bad_graph:
        named.add(triple)
    from_dataset = validate(dataset)
    assert from_dataset.graphs == 1
    key = lambda r: {(v.focus, v.path, v.severity, v.constraint, v.page) for v in r.violations}  # noqa: E731
    assert key(from_dataset) == key(bad_report)
    for kind in ("oxigraph", "memory"):
        store = open_store(kind)
        store.replace(P, bad_graph)
        from_store = validate(store)
        assert key(from_store) == key(bad_report), kind
        assert {v.report for v in from_store.violations} == {P}
    assert validate(open_store("memory")).conforms  # an empty store
    with pytest.raises(ValidationError):
        validate("not a graph")


def test_sparql_endpoint_store(virtuoso_endpoint, bad_graph, bad_report):
    """A real SPARQL 1.1 server (Virtuoso): CONSTRUCT per report view, system graphs skipped."""
    store = open_store("sparql", virtuoso_endpoint)
    store.replace(P, bad_graph)
    try:
        found = validate(store)
    finally:
        store.remove(P)
    key = lambda r: {(v.focus, v.path, v.severity, v.constraint, v.page)  # noqa: E731
                     for v in r.violations if v.report == P}
    assert key(found) == key(bad_report)


def test_source_graph_is_not_modified(bad_graph):
    before = len(bad_graph)
    validate(bad_graph)
    assert len(bad_graph) == before


# ------------------------------------------------------------------------------------- reference
def test_reference_is_up_to_date():
    from ontology.make_reference import REFERENCE_PATH, render

    expected = render(ONTOLOGY_PATH, SHAPES_PATH)
    assert REFERENCE_PATH.read_text(encoding="utf-8") == expected, \
        "ontology/reference.md is stale: run python -m ontology.make_reference"
    for term in ("bkg:Report", "bkg:executionRate", "IC-12", "qb:", "prov:wasDerivedFrom", "预算单位"):
        assert term in expected
    assert all(prefix in PREFIXES for prefix in ("bkg", "qb", "prov"))


def test_unreadable_shapes_are_a_user_error(tmp_path):
    from kg.errors import BudgetKGError
    from kg.graph.validate import _read_turtle

    broken = tmp_path / "shapes.ttl"
    broken.write_text("bkgsh:Broken a sh:NodeShape ; sh:path", encoding="utf-8")
    with pytest.raises(BudgetKGError, match="shapes"):
        _read_turtle(broken, "约束 shapes")
    with pytest.raises(BudgetKGError, match="shapes"):
        _read_turtle(tmp_path / "missing.ttl", "约束 shapes")
