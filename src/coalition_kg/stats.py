"""Counts that tell an analyst what the graph holds and how well it is sourced.

Triples per named graph, nodes per ``ckg:`` class, claims per source type, reliability
and source, and the two numbers that must stay at zero: claims without evidence and
evidence without a described source.
"""

from __future__ import annotations

from .namespaces import PREFIXES
from .store import Store

PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p in
                   ("ckg", "rdf", "rdfs", "prov", "dcterms", "schema"))

# Claims are typed ckg:Claim as well as their own class (participation, pledge, ...).
CLAIM = "?claim a ckg:Claim ; a ?claimType . ?claimType rdfs:subClassOf ckg:Claim ."

QUERIES = {
    "graphs": "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph",
    "classes": """SELECT ?class (COUNT(DISTINCT ?node) AS ?count) WHERE {
        ?node a ?class . FILTER(STRSTARTS(STR(?class), STR(ckg:)))
        } GROUP BY ?class ORDER BY ?class""",
    "source_types": f"""SELECT ?sourceType (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?source) AS ?sources)
        WHERE {{ {CLAIM} ?claim prov:wasDerivedFrom/ckg:source ?source . ?source ckg:sourceType ?sourceType . }}
        GROUP BY ?sourceType ORDER BY DESC(?claims) ?sourceType""",
    "reliability": f"""SELECT ?reliability (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?source) AS ?sources)
        WHERE {{ {CLAIM} ?claim prov:wasDerivedFrom/ckg:source ?source . ?source ckg:reliability ?reliability . }}
        GROUP BY ?reliability ORDER BY DESC(?claims) ?reliability""",
    "top_sources": f"""SELECT ?source ?publisher (COUNT(DISTINCT ?claim) AS ?claims)
        WHERE {{ {CLAIM} ?claim prov:wasDerivedFrom/ckg:source ?source . ?source dcterms:publisher ?p .
                ?p rdfs:label ?publisher . }}
        GROUP BY ?source ?publisher ORDER BY DESC(?claims) ?source LIMIT 10""",
    "claims_without_evidence": """SELECT (COUNT(DISTINCT ?claim) AS ?count) WHERE { ?claim a ckg:Claim .
        OPTIONAL { ?claim prov:wasDerivedFrom ?evidence . ?evidence ckg:method ?method ; ckg:source ?source .
                   ?source dcterms:publisher ?publisher . }
        FILTER(!BOUND(?source)) }""",
    "evidence_without_source": """SELECT (COUNT(DISTINCT ?evidence) AS ?count) WHERE { ?evidence a ckg:Evidence .
        OPTIONAL { ?evidence ckg:source ?source . ?source dcterms:publisher ?publisher . } FILTER(!BOUND(?source)) }""",
    "claims": "SELECT (COUNT(DISTINCT ?claim) AS ?count) WHERE { ?claim a ckg:Claim }",
}


def collect(store: Store) -> dict[str, list[dict[str, str]] | int]:
    """Run every statistic on ``store``; tables as lists of rows, totals as integers."""
    result: dict[str, list[dict[str, str]] | int] = {}
    for name, text in QUERIES.items():
        answer = store.query(PROLOGUE + text)
        rows = [{v: str(t) if t is not None else "" for v, t in zip(answer.variables, row)} for row in answer.rows]
        result[name] = int(rows[0]["count"]) if answer.variables == ["count"] else rows
    return result
