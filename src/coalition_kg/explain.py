"""Everything the graph says about one entity or claim, and according to whom.

``explain`` answers the analyst's standing question — why does the graph say this? —
by listing the entity's own statements (with the named graph each lives in), every
claim that involves it, and for each claim the evidence: source, publisher, type,
reliability, method and, for extracted claims, the excerpt.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from .namespaces import expand, iri, shorten
from .stats import CLAIM, PROLOGUE
from .store import Store

LOOKUP_KINDS = ("person", "meeting", "declaration", "pledge", "statement", "coalition", "org", "office",
                "membership", "participation", "signature", "office-term", "claim", "source", "publisher")


class UnknownEntity(LookupError):
    pass


def resolve(store: Store, reference: str) -> URIRef:
    """Find the entity a user means: a full IRI, ``state:FRA``, ``FRA``, ``emmanuel-macron``, ``2025-03-27-paris``."""
    reference = reference.strip()
    candidates: list[URIRef] = []
    if re.fullmatch(r"https?://\S+", reference):
        candidates.append(URIRef(reference))
    elif expand(reference) is not None:
        candidates.append(expand(reference))
    else:
        if re.fullmatch(r"[A-Za-z]{3}", reference):
            candidates.append(iri("state", reference.upper()))
        if re.fullmatch(r"[A-Za-z0-9/_.-]+", reference):
            candidates += [iri(kind, reference) for kind in LOOKUP_KINDS]
    for candidate in candidates:
        if store.query("ASK { { ?entity ?p ?o } UNION { ?s ?p ?entity } }", {"entity": candidate}).boolean:
            return candidate
    raise UnknownEntity(f"nothing in the graph is called {reference!r}; try a full IRI, state:FRA, "
                        "a state code (FRA), a person slug (emmanuel-macron) or a meeting id (2025-03-27-paris)")


@dataclass
class Claim:
    iri: str
    type: str
    role: str
    values: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Explanation:
    iri: str
    label: str
    types: list[str]
    facts: list[dict[str, str]]
    claims: list[Claim]
    mentions: list[dict[str, str]]
    evidence: list[dict[str, str]]

    def as_dict(self) -> dict:
        return {"iri": self.iri, "label": self.label, "types": self.types, "facts": self.facts,
                "evidence": self.evidence, "mentions": self.mentions,
                "claims": [{"iri": c.iri, "type": c.type, "role": c.role, "values": dict(c.values),
                            "evidence": c.evidence} for c in self.claims]}


def _show(term, label) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    text = shorten(str(term))
    return f"{text} ({label})" if label is not None and str(label) != text else text


# One label per value: ours are plain, Wikidata's items (graph:wikidata) have one per language.
LABEL = 'FILTER(LANG(?label) = "" || LANGMATCHES(LANG(?label), "en"))'
FACTS = PROLOGUE + f"""SELECT ?entity ?graph ?p ?o ?label WHERE {{
    GRAPH ?graph {{ ?entity ?p ?o }} OPTIONAL {{ ?o rdfs:label ?label {LABEL} }} }} ORDER BY ?graph ?p ?o"""
CLAIMS = PROLOGUE + f"""SELECT ?entity ?claim ?claimType ?role ?p ?o ?label WHERE {{
    ?claim ?role ?entity . {CLAIM}
    ?claim ?p ?o . FILTER(?p NOT IN (rdf:type, prov:wasDerivedFrom)) OPTIONAL {{ ?o rdfs:label ?label {LABEL} }}
    }} ORDER BY ?claimType ?claim ?p ?o"""
MENTIONS = PROLOGUE + f"""SELECT DISTINCT ?entity ?s ?p ?label WHERE {{
    ?s ?p ?entity . OPTIONAL {{ ?s a ?skip . FILTER(?skip IN (ckg:Claim, ckg:Evidence)) }} FILTER(!BOUND(?skip))
    OPTIONAL {{ ?s rdfs:label ?label {LABEL} }} }} ORDER BY ?p ?s"""
# Oxigraph binds parameters by substitution, which BIND(?entity AS …) does not see; so the
# entity's own evidence and its claims' evidence are two queries with ?claim bound by patterns.
_SOURCE_DETAILS = """?evidence ckg:source ?source ; ckg:method ?method .
    OPTIONAL { ?evidence ckg:excerpt ?excerpt }
    OPTIONAL { ?source dcterms:title ?title } OPTIONAL { ?source schema:url ?url }
    OPTIONAL { ?source dcterms:publisher/rdfs:label ?publisher }
    OPTIONAL { ?source ckg:sourceType ?type } OPTIONAL { ?source ckg:reliability ?reliability }"""
EVIDENCE_COLUMNS = "?source ?title ?url ?publisher ?type ?reliability ?method ?excerpt"
OWN_EVIDENCE = PROLOGUE + f"""SELECT DISTINCT ?entity {EVIDENCE_COLUMNS} WHERE {{
    ?entity prov:wasDerivedFrom ?evidence . {_SOURCE_DETAILS} }} ORDER BY ?source"""
CLAIM_EVIDENCE = PROLOGUE + f"""SELECT DISTINCT ?entity ?claim {EVIDENCE_COLUMNS} WHERE {{
    ?claim ?role ?entity . {CLAIM} ?claim prov:wasDerivedFrom ?evidence . {_SOURCE_DETAILS}
    }} ORDER BY ?claim ?source"""


def explain(store: Store, entity: URIRef) -> Explanation:
    """Gather what the graph holds about ``entity`` (use ``resolve`` to find it)."""
    bind = {"entity": entity}
    facts, types, label = [], [], shorten(str(entity))
    for _, graph, p, o, o_label in store.query(FACTS, bind).rows:
        facts.append({"graph": shorten(str(graph)), "property": shorten(str(p)), "value": _show(o, o_label)})
        if shorten(str(p)) == "rdf:type":
            types.append(shorten(str(o)))
        if shorten(str(p)) == "rdfs:label":
            label = str(o)
    claims: dict[str, Claim] = {}
    for _, claim, claim_type, role, p, o, o_label in store.query(CLAIMS, bind).rows:
        key = str(claim)
        record = claims.setdefault(key, Claim(shorten(key), shorten(str(claim_type)), shorten(str(role))))
        value = _show(o, o_label)
        if value not in record.values[shorten(str(p))]:
            record.values[shorten(str(p))].append(value)
    def evidence_item(row: tuple) -> dict[str, str]:
        source, title, url, publisher, kind, reliability, method, excerpt = row
        return {"source": shorten(str(source)), "title": str(title or ""), "url": str(url or ""),
                "publisher": str(publisher or ""), "type": shorten(str(kind or "")),
                "reliability": shorten(str(reliability or "")), "method": str(method), "excerpt": str(excerpt or "")}

    own_evidence = [evidence_item(row[1:]) for row in store.query(OWN_EVIDENCE, bind).rows]
    for row in store.query(CLAIM_EVIDENCE, bind).rows:
        if str(row[1]) in claims:
            claims[str(row[1])].evidence.append(evidence_item(row[2:]))
    mentions = [{"subject": _show(s, s_label), "property": shorten(str(p))}
                for _, s, p, s_label in store.query(MENTIONS, bind).rows]
    return Explanation(str(entity), label, types, facts, list(claims.values()), mentions, own_evidence)


def _evidence_lines(items: list[dict[str, str]], indent: str) -> list[str]:
    lines = []
    for e in items:
        what = e["title"] or e["url"] or e["source"]
        lines.append(f"{indent}- {e['publisher'] or e['source']}: {what}")
        lines.append(f"{indent}  {e['type']}, reliability {e['reliability'].split(':')[-1]}, method {e['method']}"
                     + (f", url {e['url']}" if e["title"] and e["url"] else ""))
        if e["excerpt"]:
            lines.append(f"{indent}  \u201c{e['excerpt']}\u201d")
    return lines


def to_text(x: Explanation) -> str:
    """The explanation as readable text."""
    lines = [f"{shorten(x.iri)} \u2014 {x.label}", f"  {x.iri}", f"  a {', '.join(x.types) or '(no type)'}", ""]
    lines.append("What the graph says about it:")
    for fact in x.facts:
        if fact["property"] not in ("rdf:type", "prov:wasDerivedFrom"):
            lines.append(f"  [{fact['graph']}] {fact['property']}: {fact['value']}")
    if x.evidence:
        lines += ["", "According to:"] + _evidence_lines(x.evidence, "  ")
    if x.claims:
        lines += ["", f"Claims that involve it ({len(x.claims)}):"]
        for claim in x.claims:
            lines.append(f"  {claim.type} {claim.iri}   (it is the {claim.role})")
            for prop, values in claim.values.items():
                lines.append(f"    {prop}: {'; '.join(values)}")
            lines += ["    according to:"] + _evidence_lines(claim.evidence, "      ")
    if x.mentions:
        lines += ["", f"Mentioned by ({len(x.mentions)}):"]
        lines += [f"  {m['subject']}  {m['property']}" for m in x.mentions]
    return "\n".join(lines) + "\n"
