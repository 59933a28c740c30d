"""Intent → SPARQL. Every graph answer is produced by one of these queries, shown to users."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from kg.graph import vocab
from search.ask.parser import Intent
from search.ask.question_metrics import ProjectMetric

# required patterns only: an OPTIONAL followed by required patterns makes Oxigraph re-evaluate the OPTIONAL
# for every row of what follows (373 s instead of 20 ms at 1M triples); the year comes in YEAR, at the end
PROJECT_BASE = """  ?project a bkg:Project ; rdfs:label ?project_name ; bkg:inReport ?report .
  ?report bkg:organization ?unit ; bkg:reportKind ?kind .
  ?unit skos:prefLabel ?unit_name .
{scope}"""
YEAR = "  OPTIONAL { ?report bkg:fiscalYear ?year }\n"

# per metric: the triples binding ?value (evaluated first, right before its filters), and the OPTIONAL extras
METRIC_CORE = {
    "execution_rate": ("  ?se bkg:executionRate ?value .\n", "  ?project bkg:hasSelfEvaluation ?se .\n"),
    "total_score": ("  ?se bkg:totalScore ?value .\n", "  ?project bkg:hasSelfEvaluation ?se .\n"),
    "grade": ("  ?se bkg:grade ?value .\n", "  ?project bkg:hasSelfEvaluation ?se .\n"),
    "executed": ("  ?se bkg:executedAmount ?value .\n", "  ?project bkg:hasSelfEvaluation ?se .\n"),
    "balance": ("  ?se bkg:balance ?value .\n", "  ?project bkg:hasSelfEvaluation ?se .\n"),
    "period_amount": ("  ?project bkg:periodAmount ?value .\n", ""),
    "procurement": ('  ?stated bkg:amountKind "procurement" ; bkg:amount ?value .\n', "  ?project bkg:hasStatedAmount ?stated .\n"),
}
METRIC_OPTIONAL = {
    "execution_rate": "  OPTIONAL { ?se bkg:fullYearBudget ?budget } OPTIONAL { ?se bkg:executedAmount ?executed }\n",
    "total_score": "  OPTIONAL { ?se bkg:grade ?grade }\n",
    "grade": "  OPTIONAL { ?se bkg:totalScore ?score }\n",
    "executed": "  OPTIONAL { ?se bkg:fullYearBudget ?budget } OPTIONAL { ?se bkg:executionRate ?rate }\n",
}
BUDGET = ("  OPTIONAL { ?project bkg:hasSelfEvaluation/bkg:fullYearBudget ?full_year }\n"
          "  OPTIONAL { ?project bkg:annualAmount ?annual }\n"
          "  BIND(COALESCE(?full_year, ?annual) AS ?value)\n  FILTER(BOUND(?value))\n")
SELECT_EXTRA = {"execution_rate": " ?budget ?executed", "total_score": " ?grade", "grade": " ?score",
                "executed": " ?budget ?rate"}


def _iris(entities) -> str:
    return " ".join(f"<{e.iri}>" for e in entities)


def scope(intent: Intent, projects: bool = False) -> str:
    """Restrictions on ?unit, ?year and ?kind from the units (or their subordinate units),
    years and report kind named. For ``projects``, a named 预算单位 that publishes no report of
    its own is the projects' implementing unit (their report is its department's)."""
    lines = []
    units = intent.units
    if projects:
        implementers = [u for u in units if u.name in intent.implementers]
        units = [u for u in units if u.name not in intent.implementers]
        if implementers:
            lines.append(f"  ?project bkg:implementingUnit ?implementer . VALUES ?implementer {{ {_iris(implementers)} }}")
    if units:
        if intent.subunits:
            lines.append(f"  ?unit org:subOrganizationOf ?parent . VALUES ?parent {{ {_iris(units)} }}")
        else:
            lines.append(f"  VALUES ?unit {{ {_iris(units)} }}")
    if intent.years:
        lines.append(f"  ?report bkg:fiscalYear ?year . FILTER(?year IN ({', '.join(str(y) for y in intent.years)}))")
    if intent.report_kind:
        lines.append(f'  FILTER(?kind = "{intent.report_kind}")')
    return "\n".join(lines) + ("\n" if lines else "")


def threshold(metric: ProjectMetric, value: Decimal, unit: str | None) -> Decimal:
    """A number in the metric's stored unit: money in 元, rates in percent."""
    if metric.kind == "percent" and unit != "%" and value <= 1:
        return value * 100
    if metric.kind == "money" and unit is None:
        return value * 10000  # a bare number next to money means 万元
    return value


def value_filters(intent: Intent) -> str:
    """Filters on ?value only (comparison, grade, exclusion)."""
    metric = intent.project_metric
    lines = []
    if intent.comparison is not None and metric is not None and metric.kind != "text":
        c = intent.comparison
        low = threshold(metric, c.value.value, c.value.unit)
        if c.operator == "between":
            high = threshold(metric, c.upper.value, c.upper.unit)
            lines.append(f"  FILTER(?value >= {low} && ?value <= {high})")
        else:
            lines.append(f"  FILTER(?value {c.operator} {low})")
    if intent.grade and metric is not None and metric.key == "grade":
        lines.append(f'  FILTER(?value = "{intent.grade}")')
    if intent.excluded is not None and metric is not None and metric.kind != "text":
        lines.append(f"  FILTER(?value != {intent.excluded})")
    return "\n".join(lines) + ("\n" if lines else "")


def project_filters(intent: Intent, named: bool = False) -> str:
    """Conditions on the project itself (上年结转 or not); the items of a 一级项目's list only when the
    question asks for items (子项, 二级项目) or names the projects, and a form covering the listed
    projects (``bkg:coversProjects``) or a unit's whole spending (``bkg:coversDepartment``) only when it
    names it."""
    items = "" if intent.items or named else \
        "  FILTER NOT EXISTS { ?project bkg:parentProject ?whole }\n  FILTER NOT EXISTS { ?project bkg:coversProjects true }\n"
    items += "" if named else "  FILTER NOT EXISTS { ?project bkg:coversDepartment true }\n"
    if intent.own_level and not named:  # X本级的项目: those X carries out itself, not its units'
        items += ("  FILTER NOT EXISTS { ?project bkg:implementingUnit ?impl . ?impl skos:prefLabel ?impl_name .\n"
                  "    FILTER(?impl != ?unit && !(STRSTARTS(?impl_name, ?unit_name) && CONTAINS(?impl_name, \"本级\"))) }\n")
    if intent.evaluated and not named:  # 做了绩效自评的项目中: those with a self-evaluation
        items += "  FILTER EXISTS { ?project bkg:hasSelfEvaluation ?evaluation }\n"
    if intent.carryover:
        return f"  FILTER EXISTS {{ {CARRYOVER} }}\n" + items
    if intent.carryover is False:
        return "  FILTER NOT EXISTS { ?project bkg:isCarryover true }\n" + items
    return items


# a 上年结转 project, or one whose form lists 上年结转 money among its annual sources
CARRYOVER = ('{ ?project bkg:isCarryover true } UNION { ?project bkg:hasFundingSource ?carried .'
             ' ?carried rdfs:label ?carried_label ; bkg:scope "annual" ; bkg:amount ?carried_amount .'
             ' FILTER(STRSTARTS(?carried_label, "上年结") && ?carried_amount > 0) }')


def project_query(intent: Intent, metric: ProjectMetric, order: str | None = None, limit: int | None = None,
                  projects=None, parents=None) -> str:
    """Projects with their ?value of ``metric`` under the intent's conditions.

    Oxigraph evaluates a group in the order written: the triple binding ?value and its
    FILTER come first (a few self-evaluations instead of every project), OPTIONALs last.
    """
    named = replace(intent, subunits=False) if projects or parents else intent  # named projects: their own reports
    base = PROJECT_BASE.format(scope=scope(named, projects=True))
    restrict = f"  VALUES ?project {{ {_iris(projects)} }}\n" if projects else ""
    if parents:  # the items of the named 一级项目
        restrict = f"  VALUES ?whole {{ {_iris(parents)} }}\n  ?project bkg:parentProject ?whole .\n"
    filters = project_filters(intent, named=bool(projects or parents))
    if metric.key == "budget":  # its OPTIONALs and BIND must follow the pattern that binds ?project
        body = f"{restrict}{base}{filters}{BUDGET}{value_filters(intent)}{YEAR}"
    else:
        core, link = METRIC_CORE[metric.key]
        body = (f"{restrict}{core}{value_filters(intent)}{link}{base}{filters}"
                f"{METRIC_OPTIONAL.get(metric.key, '')}{YEAR}")
    order_by = f"ORDER BY {'DESC' if order == 'desc' else 'ASC'}(?value) ?project_name" if order else "ORDER BY ?value ?project_name"
    tail = f"\nLIMIT {limit}" if limit else ""
    return (f"SELECT DISTINCT ?project ?project_name ?unit_name ?year ?kind ?report ?value{SELECT_EXTRA.get(metric.key, '')}"
            f" WHERE {{\n{body}}}\n{order_by}{tail}")


def parent_projects_query(projects) -> str:
    """The 一级项目 each of the given projects is listed under."""
    return f"SELECT ?project ?whole WHERE {{\n  VALUES ?project {{ {_iris(projects)} }}\n  ?project bkg:parentProject ?whole .\n}}"


def project_list_query(intent: Intent) -> str:
    base = PROJECT_BASE.format(scope=scope(intent, projects=True))
    return ("SELECT DISTINCT ?project ?project_name ?unit_name ?year ?kind ?report ?value WHERE {\n"
            f"{base}{project_filters(intent)}  OPTIONAL {{ ?project bkg:annualAmount ?value }}\n{YEAR}}}\nORDER BY ?unit_name ?project_name")


def aggregate_query(intent: Intent, metric: ProjectMetric, projects=None) -> str:
    function = {"sum": "SUM", "avg": "AVG", "count": "COUNT"}[intent.aggregate]
    inner = project_query(intent, metric, projects=projects)
    inner = inner.split("\nORDER BY")[0]
    target = "DISTINCT ?project" if intent.aggregate == "count" else "?value"
    return (f"SELECT ({function}({target}) AS ?result) (COUNT(DISTINCT ?project) AS ?projects) WHERE {{\n"
            f"  {{ {inner} }}\n}}")


def citing_query(intent: Intent) -> str:
    base = PROJECT_BASE.format(scope=scope(intent, projects=True))
    budget = BUDGET.replace("  FILTER(BOUND(?value))\n", "")
    return ("SELECT DISTINCT ?project ?project_name ?unit_name ?year ?kind ?report ?document ?document_label ?value WHERE {\n"
            f"  VALUES ?document {{ {_iris(intent.documents)} }}\n  ?project bkg:legalBasis|bkg:citesDocument ?document .\n"
            f"  ?document rdfs:label ?document_label .\n{base}{budget}{YEAR}}}\nORDER BY ?year ?project_name")


def attribute_query(intent: Intent, attribute: str) -> str:
    projects = f"  VALUES ?project {{ {_iris(intent.projects)} }}\n"
    base = PROJECT_BASE.format(scope="")
    patterns = {
        "basis": "  OPTIONAL { ?project bkg:basisText ?basis_text }\n"
                 "  OPTIONAL { ?project bkg:legalBasis|bkg:citesDocument ?document . ?document rdfs:label ?document_label .\n"
                 "             OPTIONAL { ?document dcterms:title ?document_title } }\n",
        "funding": "  ?project bkg:hasFundingSource ?fund . ?fund rdfs:label ?level ; bkg:amount ?amount ; bkg:scope ?fund_scope .\n",
        "department": "  OPTIONAL { ?project bkg:department ?department . ?department skos:prefLabel ?department_name }\n",
        "unit": "  OPTIONAL { ?project bkg:implementingUnit ?impl . ?impl skos:prefLabel ?implementing_unit }\n",
        "attribute": "  OPTIONAL { ?project bkg:projectAttribute ?attribute_value }\n",
        "term": "  OPTIONAL { ?project bkg:projectTerm ?term_value }\n",
        "indicators": "  ?project bkg:hasIndicator ?indicator . ?indicator rdfs:label ?indicator_name .\n"
                      "  OPTIONAL { ?indicator bkg:level2 ?level2 } OPTIONAL { ?indicator bkg:targetText ?target }\n"
                      "  OPTIONAL { ?indicator bkg:indicatorScope ?indicator_scope }\n"
                      "  OPTIONAL { ?indicator bkg:isCoreIndicator ?core } OPTIONAL { ?indicator bkg:weight ?weight }\n",
        "deviation": "  OPTIONAL { ?project bkg:hasSelfEvaluation ?se . ?se bkg:deviationReason ?deviation }\n",
        "overview": "  OPTIONAL { ?project bkg:overview ?overview } OPTIONAL { ?project bkg:purpose ?purpose }\n",
    }
    return f"SELECT DISTINCT * WHERE {{\n{projects}{base}{patterns[attribute]}{YEAR}}}"


def indicators_query(intent: Intent, projects=None) -> str:
    """Indicators with their targets, weights (分值) and, for a final account, actual values: of the named
    projects, else of every project in the intent's units and years."""
    restrict = f"  VALUES ?project {{ {_iris(projects)} }}\n" if projects else ""
    base = PROJECT_BASE.format(scope="" if projects else scope(intent, projects=True))
    return ("SELECT DISTINCT ?project ?project_name ?unit_name ?year ?kind ?report ?indicator ?indicator_name"
            " ?level1 ?level2 ?target ?actual ?weight ?indicator_scope ?whole_department WHERE {\n"
            f"{restrict}{base}  ?project bkg:hasIndicator ?indicator . ?indicator rdfs:label ?indicator_name .\n"
            "  OPTIONAL { ?indicator bkg:level1 ?level1 } OPTIONAL { ?indicator bkg:level2 ?level2 }\n"
            "  OPTIONAL { ?indicator bkg:targetText ?target } OPTIONAL { ?indicator bkg:actualText ?actual }\n"
            "  OPTIONAL { ?indicator bkg:indicatorScope ?indicator_scope } OPTIONAL { ?indicator bkg:weight ?weight }\n"
            "  OPTIONAL { ?project bkg:coversDepartment ?whole_department }\n"
            f"{YEAR}}}\nORDER BY ?project_name ?indicator")


def line_names_query(reports: list[str]) -> str:
    values = " ".join(f"<{r}>" for r in reports)
    return ("SELECT DISTINCT ?report ?line_name WHERE {\n"
            f"  VALUES ?report {{ {values} }}\n  ?table dcterms:isPartOf ?report .\n"
            "  ?obs qb:dataSet ?table ; bkg:lineName ?line_name .\n}")


def lines_query(reports: list[str], names: list[str]) -> str:
    """The amounts of the table lines so named in the given reports, with their tables."""
    values = " ".join(f"<{r}>" for r in reports)
    literals = ", ".join(f'"{literal(n)}"' for n in names)
    return ("SELECT ?report ?table ?line_name ?table_kind ?fund ?amount ?title ?page WHERE {\n"
            f"  VALUES ?report {{ {values} }}\n  ?table dcterms:isPartOf ?report ; rdfs:label ?title .\n"
            "  ?obs qb:dataSet ?table ; bkg:lineName ?line_name .\n"
            f"  FILTER(STR(?line_name) IN ({literals}))\n"
            "  ?obs bkg:tableKind ?table_kind ; bkg:fundType ?fund ; bkg:amount ?amount .\n"
            "  OPTIONAL { ?obs prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n}")


def classified_lines_query(reports: list[str], coded_only: bool = False) -> str:
    """Every table line of the given reports with its table, column, amount and, where coded, its
    classification code and whether the code is economic (30211) or functional (2010301); only
    the coded lines when ``coded_only``."""
    values = " ".join(f"<{r}>" for r in reports)
    coded = "  FILTER(BOUND(?code))\n" if coded_only else ""
    return ("SELECT ?report ?table ?title ?table_kind ?fund ?line_name ?amount ?code ?economic ?total ?page WHERE {\n"
            f"  VALUES ?report {{ {values} }}\n  ?table dcterms:isPartOf ?report ; rdfs:label ?title .\n"
            "  ?obs qb:dataSet ?table ; bkg:lineName ?line_name ; bkg:tableKind ?table_kind ;\n"
            "       bkg:fundType ?fund ; bkg:amount ?amount .\n"
            "  OPTIONAL { ?obs bkg:economicClassification ?e . ?e skos:notation ?ecode }\n"
            "  OPTIONAL { ?obs bkg:functionalClassification ?f . ?f skos:notation ?fcode }\n"
            "  BIND(COALESCE(?ecode, ?fcode) AS ?code) BIND(BOUND(?ecode) AS ?economic)\n"
            f"{coded}  OPTIONAL {{ ?obs bkg:isTotal ?total }}\n"
            "  OPTIONAL { ?obs prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n}")


def subunits_query(intent: Intent) -> str:
    return ("SELECT DISTINCT ?unit ?unit_name ?parent_name WHERE {\n"
            f"  VALUES ?parent {{ {_iris(intent.units)} }}\n"
            "  ?unit org:subOrganizationOf ?parent ; skos:prefLabel ?unit_name .\n"
            "  ?parent skos:prefLabel ?parent_name .\n}\nORDER BY ?unit_name")


def department_query(intent: Intent) -> str:
    return ("SELECT DISTINCT ?unit ?unit_name ?department ?department_name ?code WHERE {\n"
            f"  VALUES ?unit {{ {_iris(intent.units)} }}\n  ?unit skos:prefLabel ?unit_name .\n"
            "  OPTIONAL { ?unit org:subOrganizationOf ?department . ?department skos:prefLabel ?department_name .\n"
            "             OPTIONAL { ?department bkg:orgCode ?code } }\n}")


def report_metric_query(intent: Intent, metric_key: str) -> str:
    """A metric's figures per report; year-over-year questions also get the unit's figures of other years."""
    if intent.yoy and intent.years:
        widened = type(intent)(**{**intent.__dict__, "years": []})
        return report_metric_query(widened, metric_key)
    return ("SELECT DISTINCT ?figure ?report ?unit ?unit_name ?year ?kind ?value ?quantity ?quantity_unit ?printed"
            " ?stated_in ?basis ?page ?context ?report_scope WHERE {\n"
            f"  ?figure bkg:metric <{vocab.metric_concept(metric_key)}> ; a bkg:Figure ; bkg:inReport ?report ;\n"
            "          bkg:organization ?unit .\n  ?report bkg:reportKind ?kind .\n"
            f"  ?unit skos:prefLabel ?unit_name .\n{scope(intent)}"
            # no unit named: the units that publish reports, not each 预算单位 row of their tables
            f"{'' if intent.units else '  ?report bkg:organization ?unit .' + chr(10)}"
            # one pattern per OPTIONAL: Oxigraph evaluates an OPTIONAL's group on its own, so two patterns
            # joined every quantity of the store (at 10,000 reports 120 ms a question, one pattern 21 ms)
            "  OPTIONAL { ?figure bkg:amount ?value } OPTIONAL { ?figure bkg:quantity ?quantity }\n"
            "  OPTIONAL { ?figure bkg:quantityUnit ?quantity_unit }\n"
            "  OPTIONAL { ?figure bkg:printedAmount ?printed } OPTIONAL { ?figure bkg:statedIn ?stated_in }\n"
            "  OPTIONAL { ?report bkg:reportScope ?report_scope }\n"
            "  OPTIONAL { ?figure bkg:basis ?basis } OPTIONAL { ?figure rdfs:comment ?context }\n"
            "  OPTIONAL { ?figure prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n"
            f"{YEAR}}}\nORDER BY ?unit_name ?year")


def evidence_query(entities: list[str]) -> str:
    values = " ".join(f"<{e}>" for e in entities)
    return ("SELECT DISTINCT ?entity ?passage ?text ?passage_kind ?page ?report_label WHERE {\n"
            f"  VALUES ?entity {{ {values} }}\n"
            "  ?passage bkg:mentions ?entity ; bkg:text ?text ; bkg:passageKind ?passage_kind ; bkg:inReport ?report .\n"
            "  ?report rdfs:label ?report_label .\n"
            "  OPTIONAL { ?passage prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n}")


def literal(text: str) -> str:
    """``text`` escaped for a SPARQL string literal between double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def passages_with_text_query(report: str, needle: str) -> str:
    needle = literal(needle)
    return ("SELECT ?passage ?text ?page ?report_label WHERE {\n"
            f"  ?passage bkg:inReport <{report}> ; bkg:text ?text .\n  <{report}> rdfs:label ?report_label .\n"
            f'  FILTER(CONTAINS(STR(?text), "{needle}"))\n'
            "  OPTIONAL { ?passage prov:wasDerivedFrom ?pg . ?pg bkg:pageNumber ?page }\n} LIMIT 5")
