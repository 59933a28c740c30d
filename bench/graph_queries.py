"""The five example queries of docs/queries and the rewrites measured by bench/graph_bench.py."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from bench.graph_corpus import DOC_NUMBER  # noqa: E402  (one definition for corpus and queries)
YOY_METRIC = "expenditure.total"

# -- the five example queries and alternative formulations ---------------------------------------
# "main" is the file in docs/queries, run as is (it names 大同市人力资源和社会保障局 and
# 大同市劳动保障监察综合行政执法队, which the synthetic corpus's first department and unit reuse).
# The other forms are rewrites timed with --variants; "bench copy" is this script's own
# version of the question (the fallback when docs/queries lacks the file). {unit_iri},
# {department_iri} and {doc_iri} are filled in by the worker.
DOCS = ROOT / "docs" / "queries"
DEPARTMENT = "大同市人力资源和社会保障局"
YOY_UNIT = "大同市劳动保障监察综合行政执法队"

Q1_FILE = """SELECT ?project_name ?unit_name ?year ?rate ?budget ?executed WHERE {
  ?project a bkg:Project ; rdfs:label ?project_name ; bkg:inReport ?report ;
           bkg:hasSelfEvaluation ?se .
  ?se bkg:executionRate ?rate .
  OPTIONAL { ?se bkg:fullYearBudget ?budget }
  OPTIONAL { ?se bkg:executedAmount ?executed }
  ?report bkg:organization ?unit ; bkg:fiscalYear ?year .
  ?unit skos:prefLabel ?unit_name .
  FILTER(?rate < 60)
}
ORDER BY ?rate"""

Q2_FILE = """SELECT DISTINCT ?project_name ?unit_name ?year ?carryover WHERE {
  ?document bkg:documentNumber "%s" .
  ?project bkg:legalBasis ?document ; rdfs:label ?project_name ; bkg:inReport ?report ;
           bkg:isCarryover ?carryover .
  ?report bkg:organization ?unit ; bkg:fiscalYear ?year .
  ?unit skos:prefLabel ?unit_name .
}
ORDER BY ?year ?project_name""" % DOC_NUMBER

Q3_FILE = """SELECT ?unit_name (COUNT(DISTINCT ?project) AS ?projects) WHERE {
  ?department skos:prefLabel "%s"@zh .
  ?unit org:subOrganizationOf ?department ; skos:prefLabel ?unit_name .
  OPTIONAL { ?report bkg:organization ?unit . ?project bkg:inReport ?report ; a bkg:Project }
}
GROUP BY ?unit_name
ORDER BY ?unit_name""" % DEPARTMENT

Q4_FILE = """SELECT ?code ?class_name (SUM(?amount) / 10000 AS ?total_wan) (COUNT(DISTINCT ?report) AS ?reports) WHERE {
  ?line a bkg:BudgetLine ; bkg:tableKind "expenditure_summary" ; bkg:fundType "total" ;
        bkg:functionalClassification ?class ; bkg:amount ?amount ; qb:dataSet ?table .
  ?table dcterms:isPartOf ?report .
  ?class skos:notation ?code ; skos:prefLabel ?class_name .
  FILTER(STRLEN(?code) = 3)
}
GROUP BY ?code ?class_name
ORDER BY DESC(?total_wan)"""

Q5_FILE = """SELECT ?year ?total_wan ?previous_wan ((?total_wan - ?previous_wan) AS ?change_wan) WHERE {
  ?unit skos:prefLabel "%s"@zh .
  ?figure bkg:organization ?unit ; bkg:metric ?metric ; bkg:fiscalYear ?year ; bkg:amount ?amount ;
          bkg:statedIn "table" .
  ?metric skos:notation "%s" .
  BIND(?amount / 10000 AS ?total_wan)
  OPTIONAL {
    ?earlier bkg:organization ?unit ; bkg:metric ?metric ; bkg:fiscalYear ?previous_year ; bkg:amount ?previous ;
             bkg:statedIn "table" .
    FILTER(?previous_year = ?year - 1)
    BIND(?previous / 10000 AS ?previous_wan)
  }
}
ORDER BY ?year""" % (YOY_UNIT, YOY_METRIC)

QUERY_FILES = {
    "q1 执行率 < 60%": ("projects_execution_below_60.rq", Q1_FILE),
    "q2 cites 晋财社〔2019〕1号": ("projects_citing_document.rq", Q2_FILE),
    "q3 units of department": ("units_under_department.rq", Q3_FILE),
    "q4 sum by function class": ("amounts_by_function_class.rq", Q4_FILE),
    "q5 YoY of one unit": ("unit_year_over_year.rq", Q5_FILE),
}

# The rewrites found fast on Oxigraph (same rows as the file; timed by default as "fast: …").
FAST: dict[str, dict[str, str]] = {
    # Oxigraph evaluates { A OPTIONAL{B} C } as Join(LeftJoin(A, B), C) with C on its own:
    # "?report bkg:organization ?unit ; bkg:fiscalYear ?year" then matches every budget line and
    # figure too (they carry bkg:organization and bkg:fiscalYear), and A is re-run per C row.
    # Required patterns first, OPTIONALs last (B shares only ?se with C: same rows).
    "q1 执行率 < 60%": {
        "fast: rate first, OPTIONALs last": """SELECT ?project_name ?unit_name ?year ?rate ?budget ?executed WHERE {
  ?se bkg:executionRate ?rate .
  FILTER(?rate < 60)
  ?project bkg:hasSelfEvaluation ?se ; a bkg:Project ; rdfs:label ?project_name ; bkg:inReport ?report .
  ?report bkg:organization ?unit ; bkg:fiscalYear ?year .
  ?unit skos:prefLabel ?unit_name .
  OPTIONAL { ?se bkg:fullYearBudget ?budget }
  OPTIONAL { ?se bkg:executedAmount ?executed }
}
ORDER BY ?rate""",
    },
}

VARIANTS: dict[str, dict[str, str]] = {
    "q1 执行率 < 60%": {
        "OPTIONALs last": Q1_FILE.replace("""  OPTIONAL { ?se bkg:fullYearBudget ?budget }
  OPTIONAL { ?se bkg:executedAmount ?executed }
""", "").replace("  FILTER(?rate < 60)\n", "  OPTIONAL { ?se bkg:fullYearBudget ?budget }\n"
                 "  OPTIONAL { ?se bkg:executedAmount ?executed }\n  FILTER(?rate < 60)\n"),
        "filter after rate (OPTIONALs still in the middle)": Q1_FILE.replace("  FILTER(?rate < 60)\n", "").replace(
            "  ?se bkg:executionRate ?rate .\n", "  ?se bkg:executionRate ?rate .\n  FILTER(?rate < 60)\n"),
    },
    "q2 cites 晋财社〔2019〕1号": {
        "VALUES doc IRI": Q2_FILE.replace('?document bkg:documentNumber "%s" .' % DOC_NUMBER,
                                          "VALUES ?document { {doc_iri} }"),
    },
    "q3 units of department": {
        "VALUES dept IRI": Q3_FILE.replace('?department skos:prefLabel "%s"@zh .' % DEPARTMENT,
                                           "VALUES ?department { {department_iri} }"),
        "count in subquery": """SELECT ?unit_name (COALESCE(?n, 0) AS ?projects) WHERE {
  ?department skos:prefLabel "%s"@zh .
  ?unit org:subOrganizationOf ?department ; skos:prefLabel ?unit_name .
  OPTIONAL { SELECT ?unit (COUNT(DISTINCT ?project) AS ?n) WHERE {
      ?report bkg:organization ?unit . ?project bkg:inReport ?report ; a bkg:Project } GROUP BY ?unit }
}
ORDER BY ?unit_name""" % DEPARTMENT,
        "units only (no counts)": """SELECT DISTINCT ?unit_name WHERE {
  ?department skos:prefLabel "%s"@zh .
  ?unit org:subOrganizationOf ?department ; skos:prefLabel ?unit_name .
}
ORDER BY ?unit_name""" % DEPARTMENT,
    },
    "q4 sum by function class": {
        "no type triple": Q4_FILE.replace("?line a bkg:BudgetLine ; ", "?line "),
        "aggregate, then labels": """SELECT ?code ?class_name ?total_wan ?reports WHERE {
  { SELECT ?class (SUM(?amount) / 10000 AS ?total_wan) (COUNT(DISTINCT ?report) AS ?reports) WHERE {
      ?line a bkg:BudgetLine ; bkg:tableKind "expenditure_summary" ; bkg:fundType "total" ;
            bkg:functionalClassification ?class ; bkg:amount ?amount ; qb:dataSet ?table .
      ?table dcterms:isPartOf ?report .
    } GROUP BY ?class }
  ?class skos:notation ?code ; skos:prefLabel ?class_name .
  FILTER(STRLEN(?code) = 3)
}
ORDER BY DESC(?total_wan)""",
        "all lines, every class (heavier, other rows)": """SELECT ?class (SUM(?amount) AS ?total) (COUNT(?line) AS ?lines) WHERE {
  ?line a bkg:BudgetLine ; bkg:functionalClassification ?class ; bkg:amount ?amount .
}
GROUP BY ?class
ORDER BY ?class""",
    },
    "q5 YoY of one unit": {
        "VALUES unit IRI (metric still by notation)": Q5_FILE.replace(
            '?unit skos:prefLabel "%s"@zh .' % YOY_UNIT, "VALUES ?unit { {unit_iri} }"),
        "BIND ?previous_year, equality join (no FILTER)": Q5_FILE.replace(
            "    FILTER(?previous_year = ?year - 1)\n", "").replace(
            "  OPTIONAL {\n", "  BIND(?year - 1 AS ?previous_year)\n  OPTIONAL {\n"),
    },
}


def gc_queries(variants: bool) -> dict[str, str]:
    """The shared-graph garbage collection ``Corpus.collect_garbage`` runs after a removal."""
    from kg.graph import vocab

    kinds = " || ".join(f'STRSTARTS(STR(?g), "{vocab.ID}{kind}")' for kind in vocab.SHARED_KINDS)
    out = {"fast: shared graphs by their own node, NOT EXISTS once per graph": f"""SELECT ?g WHERE {{
  {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g ?p ?o }} FILTER({kinds}) }} }}
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?x ?y ?g }} FILTER(?h != ?g) }}
}}"""}
    if variants:  # minutes on Oxigraph at 1M quads, and Rust code cannot be interrupted
        out["kg/corpus.py as is"] = f"""SELECT DISTINCT ?g WHERE {{
                GRAPH ?g {{ ?s ?p ?o }} FILTER({kinds})
                FILTER NOT EXISTS {{ GRAPH ?h {{ ?x ?y ?g }} FILTER(?h != ?g) }} }}"""
    return out


def queries(variants: bool) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, (file, copy_text) in QUERY_FILES.items():
        path = DOCS / file
        forms = {"main": path.read_text(encoding="utf-8") if path.exists() else copy_text}
        forms.update(FAST.get(name, {}))
        if variants:
            if path.exists() and forms["main"].split("\n", 1)[-1].strip() != copy_text.strip():
                forms["bench copy of the file"] = copy_text
            forms.update(VARIANTS.get(name, {}))
        out[name] = forms
    out["maintenance: unreferenced shared graphs"] = gc_queries(variants)
    return out


