"""Link states, organisations and people to Wikidata, and mirror what Wikidata says about them.

Two steps, so that everything works offline:

1. ``refresh`` asks a SPARQL endpoint (Wikidata by default) which items carry our names as
   label or alias, then the types, labels, ISO codes and dated statements (member of, head
   of state, head of government, position held) of those items, and writes the answers
   with the queries, the endpoint and the date to ``graph/reference/wikidata.yaml``: the
   snapshot, a reviewable YAML file.
2. ``reconcile`` decides the links from the snapshot alone. An entity is linked only when
   exactly one candidate is confirmed: a state by label and type (country or sovereign
   state), an organisation by label and type (organisation or a subclass), a person by
   label, type human and a position held that is the Wikidata item of one of their
   office terms' offices, with overlapping dates. No candidate, or several, is reported
   for review and never guessed; a QID curated in ``graph/reference/`` is used only when
   its entity is marked well-known or verified.

The build (``add_to_dataset``) turns the links and the snapshot into the named graph
``graph:wikidata``: ``owl:sameAs`` links, each an attribute claim whose evidence names
the method and the snapshot (with its retrieval date) as source, and Wikidata's own
statements about the linked items in Wikidata's vocabulary (``p:``, ``ps:``, ``pq:``),
with the labels of the items those statements name (heads of state, offices, organisations).
Disagreements with the curated data are reported by ``queries/wikidata-disagreements.rq``,
never resolved by overwriting.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, XSD

from . import queries
from .load import Data
from .namespaces import (
    CKG, P, PQ, PS, SCHEMA, WD, WDT, WIKIBASE, WIKIDATA_GRAPH, concept, iri, short_hash,
)
from .project import Project
from .schema import PartialDate
from .store import OxigraphStore, QueryResult
from .tables import cell
from .wikidata import WikidataClient
from .yamlfile import DataError, Problem, load_yaml

SNAPSHOT = "reference/wikidata.yaml"
COUNTRY_TYPES = {"Q6256", "Q3624078"}      # country, sovereign state
HUMAN = "Q5"
BATCH = 60                                   # names or items per query: short queries, few requests
CURATED_STATUSES = {"well-known", "verified"}


# -- what we link ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    position: str            # QID of the office's Wikidata position item
    office: str              # our office id
    start: PartialDate | None
    end: PartialDate | None


@dataclass
class Entity:
    """A state, organisation or person of ours, with what reconciliation needs to know."""

    kind: str                # state | org | person
    key: str
    name: str
    names: list[str]
    curated: str | None = None           # QID in graph/reference/, if any
    curated_status: str | None = None
    terms: list[Term] = field(default_factory=list)

    @property
    def iri(self) -> URIRef:
        return iri(self.kind, self.key)

    @property
    def ref(self) -> str:
        return f"{'organization' if self.kind == 'org' else self.kind}:{self.key}"


def entities(data: Data) -> list[Entity]:
    """Every state, organisation and person in the reference data."""
    found = []
    offices = {o["id"]: o for o in data.records("reference/offices.yaml")}
    for state in data.records("reference/states.yaml"):
        names = [state["name"], *state.get("aliases", []), *filter(None, [state.get("official_name")])]
        found.append(Entity("state", state["iso3"], state["name"], _unique(names),
                            state.get("wikidata"), _status(state)))
    for org in data.records("reference/organizations.yaml"):
        found.append(Entity("org", org["id"], org["name"], _unique([org["name"], *org.get("aliases", [])]),
                            org.get("wikidata"), _status(org)))
    for person in data.records("reference/people.yaml"):
        terms = [Term(offices[t["office"].key]["wikidata"], t["office"].key, t.get("start"), t.get("end"))
                 for t in person.get("terms", []) if "wikidata" in offices[t["office"].key]]
        # A surname alone ("Costa") names hundreds of items: people are looked up by full names.
        full_names = [person["name"], *(a for a in person.get("aliases", []) if " " in a.strip())]
        found.append(Entity("person", person["id"], person["name"], _unique(full_names),
                            person.get("wikidata"), _status(person), terms))
    return found


def _status(record) -> str | None:
    status = record.get("wikidata_status")
    return status.key if status is not None else None


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


# -- step 1: ask the endpoint and write the snapshot -----------------------------------------

def wikidata_queries(project: Project) -> dict[str, str]:
    """The query templates in ``queries/wikidata/`` by name; ``{values}`` takes a VALUES list."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted((project.queries_dir / "wikidata").glob("*.rq"))}


def _values(terms: Iterable[str]) -> str:
    return " ".join(terms)


def _batches(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def refresh(project: Project, data: Data, client: WikidataClient, today: dt.date | None = None) -> dict:
    """Ask ``client``'s endpoint about every entity; return the snapshot (see ``write_snapshot``)."""
    templates = wikidata_queries(project)
    ours = entities(data)
    names = sorted({name for entity in ours for name in entity.names})
    snapshot_names: dict[str, list[str]] = {name: [] for name in names}
    for batch in _batches(names):
        query = templates["candidates"].replace("{values}", _values(Literal(n, lang="en").n3() for n in batch))
        for row in client.select(query):
            qid = _qid(row["item"]["value"])
            if qid and qid not in snapshot_names[row["name"]["value"]]:
                snapshot_names[row["name"]["value"]].append(qid)
    wanted = {q for found in snapshot_names.values() for q in found}
    wanted |= {e.curated for e in ours if e.curated}
    items: dict[str, dict] = {}
    for batch in _batches(sorted(wanted, key=_qid_number)):
        values = _values(f"wd:{q}" for q in batch)
        for row in client.select(templates["labels"].replace("{values}", values)):
            _add_label_row(items.setdefault(_qid(row["item"]["value"]), {}), row)
        for row in client.select(templates["statements"].replace("{values}", values)):
            _add_statement_row(items.setdefault(_qid(row["item"]["value"]), {}), row)
    # The items the statements point to (heads of state, offices, organisations), for their names.
    mentioned = {s["value"] for item in list(items.values()) for s in item.get("statements", [])} - set(items)
    for batch in _batches(sorted(mentioned, key=_qid_number)):
        for row in client.select(templates["labels"].replace("{values}", _values(f"wd:{q}" for q in batch))):
            _add_label_row(items.setdefault(_qid(row["item"]["value"]), {}), row)
    return {
        "retrieved": (today or dt.date.today()).isoformat(),
        "endpoint": client.endpoint,
        "agent": client.agent,
        "queries": templates,
        "names": {n: sorted(q, key=_qid_number) for n, q in snapshot_names.items()},   # [] when nothing matched
        "items": {q: _tidy(items[q]) for q in sorted(items, key=_qid_number)},
    }


def _qid(value: str) -> str | None:
    return value.rsplit("/", 1)[1] if value.startswith(str(WD)) else None


def _qid_number(qid: str) -> int:
    return int(qid[1:])


def _add_label_row(item: dict, row: dict) -> None:
    kind, value = row["property"]["value"], row["value"]
    if kind == "label":
        item.setdefault("labels", {})[value.get("xml:lang", "")] = value["value"]
    elif kind == "P31":
        item.setdefault("types", set()).add(_qid(value["value"]))
    elif kind == "organisation":
        item["organisation"] = value["value"] == "true"
    else:
        item[{"P298": "iso3", "P297": "iso2"}[kind]] = value["value"]


# Wikidata's time precision: 9 year, 10 month, 11 day (coarser ones are left out).
_PRECISION = {"9": 4, "10": 7, "11": 10}


def _date(row: dict, name: str) -> str | None:
    if name not in row or row.get(f"{name}Precision", {}).get("value") not in _PRECISION:
        return None
    return row[name]["value"].lstrip("+")[:_PRECISION[row[f"{name}Precision"]["value"]]]


def _add_statement_row(item: dict, row: dict) -> None:
    statement = {"property": row["property"]["value"], "value": _qid(row["value"]["value"])}
    for name in ("start", "end"):
        if (day := _date(row, name)) is not None:
            statement[name] = day
    if statement["value"] and statement not in item.setdefault("statements", []):
        item["statements"].append(statement)


def _tidy(item: dict) -> dict:
    tidy = dict(item)
    if "labels" in tidy:
        tidy["labels"] = dict(sorted(tidy["labels"].items()))
    if "types" in tidy:
        tidy["types"] = sorted(tidy["types"], key=_qid_number)
    if "statements" in tidy:
        tidy["statements"] = sorted(tidy["statements"], key=lambda s: (
            s["property"], _qid_number(s["value"]), s.get("start", ""), s.get("end", "")))
    tidy.setdefault("organisation", False)
    return dict(sorted(tidy.items()))


class _SnapshotDumper(yaml.SafeDumper):
    """One line per short list or statement, and queries as literal blocks: easy to review and diff."""


_SnapshotDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def write_snapshot(project: Project, snapshot: dict) -> Path:
    """Write the snapshot atomically: a reader sees the old file or the new one, never half."""
    path = project.graph_dir / SNAPSHOT
    header = ("# Wikidata snapshot: what the endpoint below answered about the names in graph/reference/.\n"
              "# Written by `coalition-kg link --refresh`; do not edit by hand. The queries are in\n"
              "# queries/wikidata/ ({values} is filled with our names or the candidates' QIDs).\n")
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    partial.write_text(header + yaml.dump(snapshot, Dumper=_SnapshotDumper, allow_unicode=True, sort_keys=False,
                                          width=110, default_flow_style=None),
                       encoding="utf-8")
    os.replace(partial, path)
    return path


def read_snapshot(project: Project) -> dict | None:
    """The shipped or refreshed snapshot, or ``None`` when there is none; bad files raise ``DataError``."""
    path = project.graph_dir / SNAPSHOT
    if not path.exists():
        return None
    shown = project.display(path)
    snapshot = load_yaml(path, shown)
    problems = []
    if not isinstance(snapshot, dict):
        raise DataError([Problem(shown, None, "", "expected a mapping with retrieved, endpoint, names and items")])
    for key, kind in (("retrieved", str), ("endpoint", str), ("names", dict), ("items", dict)):
        if not isinstance(snapshot.get(key), kind):
            problems.append(Problem(shown, getattr(snapshot, "line", None), key, f"required, a {kind.__name__}"))
    if not problems:
        try:
            dt.date.fromisoformat(snapshot["retrieved"])
        except ValueError:
            problems.append(Problem(shown, snapshot.key_lines.get("retrieved"), "retrieved", "expected a date like 2026-11-30"))
        for name, qids in snapshot["names"].items():
            for qid in qids if isinstance(qids, list) else [None]:
                if qid not in snapshot["items"]:
                    problems.append(Problem(shown, snapshot["names"].key_lines.get(name), name,
                                            f"{qid!r} is not one of the items"))
        for qid, item in snapshot["items"].items():
            line = snapshot["items"].key_lines.get(qid)
            problems += [Problem(shown, line, str(qid), message) for message in _item_problems(qid, item)]
    if problems:
        raise DataError(problems)
    return snapshot


_ID = {"Q": re.compile(r"Q[1-9][0-9]*"), "P": re.compile(r"P[1-9][0-9]*")}
_PARTIAL_DATE = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")


def _item_problems(qid: object, item: object) -> list[str]:
    """What is wrong with one item of the snapshot (a hand edit, a truncated file), in words."""
    if not isinstance(qid, str) or not _ID["Q"].fullmatch(qid):
        return [f"expected a QID such as Q142 as item key, got {qid!r}"]
    if not isinstance(item, dict):
        return ["expected a mapping (labels, types, statements, …)"]
    problems = []
    if not all(isinstance(t, str) and _ID["Q"].fullmatch(t) for t in item.get("types", [])):
        problems.append("types: expected a list of QIDs")
    if not isinstance(item.get("labels", {}), dict):
        problems.append("labels: expected a mapping of language to label")
    for number, statement in enumerate(item.get("statements", []), start=1):
        if (not isinstance(statement, dict) or not _ID["P"].fullmatch(str(statement.get("property")))
                or not _ID["Q"].fullmatch(str(statement.get("value")))):
            problems.append(f"statement {number}: expected property (P…) and value (Q…)")
        elif not all(_PARTIAL_DATE.fullmatch(str(statement[k])) for k in ("start", "end") if k in statement):
            problems.append(f"statement {number}: start and end must be dates like 2025, 2025-05 or 2025-05-06")
    return problems


# -- step 2: decide the links ----------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    entity: Entity
    qid: str
    method: str              # label+type | label+position-held | curated


@dataclass(frozen=True)
class Review:
    entity: Entity
    reason: str
    candidates: tuple[str, ...] = ()


@dataclass
class Reconciliation:
    links: list[Link] = field(default_factory=list)
    review: list[Review] = field(default_factory=list)


def reconcile(data: Data, snapshot: dict) -> Reconciliation:
    """Decide each entity's link from the snapshot alone (see the module docstring)."""
    result = Reconciliation()
    for entity in entities(data):
        if not any(name in snapshot["names"] for name in entity.names):
            result.review.append(Review(entity, "not in the snapshot, which is older than this entity: "
                                        "run `coalition-kg link --refresh`"))
            continue
        candidates = sorted({q for name in entity.names for q in snapshot["names"].get(name, [])}, key=_qid_number)
        decision = _decide(entity, candidates, snapshot["items"])
        (result.links if isinstance(decision, Link) else result.review).append(decision)
    return result


def _decide(entity: Entity, candidates: list[str], items: dict) -> Link | Review:
    """A link when exactly one candidate is confirmed (or a trusted curated QID), else a review."""
    confirmed, why = _confirm(entity, candidates, items)
    if len(confirmed) == 1:
        return Link(entity, confirmed[0], "label+position-held" if entity.kind == "person" else "label+type")
    if entity.curated and entity.curated_status in CURATED_STATUSES and (not confirmed or entity.curated in confirmed):
        return Link(entity, entity.curated, "curated")
    reason = f"ambiguous: {len(confirmed)} candidates {why}" if confirmed else why
    if entity.curated and entity.curated not in candidates:
        reason += f"; the curated {entity.curated} ({entity.curated_status}) is not a candidate"
    return Review(entity, reason, tuple(confirmed or candidates))


def _confirm(entity: Entity, candidates: list[str], items: dict) -> tuple[list[str], str]:
    """The candidates that pass the entity's test, and what that test was (or why none passed)."""
    if not candidates:
        return [], f"no Wikidata item has the label or alias {' / '.join(repr(n) for n in entity.names)}"
    if entity.kind == "state":
        typed = [q for q in candidates if COUNTRY_TYPES & set(items[q].get("types", []))]
        return typed, ("of type country or sovereign state" if typed
                       else f"no candidate ({', '.join(candidates)}) is a country or sovereign state")
    if entity.kind == "org":
        typed = [q for q in candidates if items[q].get("organisation")]
        return typed, ("of type organisation" if typed
                       else f"no candidate ({', '.join(candidates)}) is an organisation")
    humans = [q for q in candidates if HUMAN in items[q].get("types", [])]
    if not humans:
        return [], f"no candidate ({', '.join(candidates)}) is a human"
    if not entity.terms:
        return [], (f"{len(humans)} human(s) named so ({', '.join(humans)}), and none of the person's offices "
                    "has a Wikidata position to confirm one")
    holding = [q for q in humans if any(_holds(items[q], term) for term in entity.terms)]
    if holding:
        return holding, "holding one of the person's offices in overlapping dates"
    offices = ", ".join(sorted({f"{t.office} ({t.position})" for t in entity.terms}))
    return [], f"no human named so ({', '.join(humans)}) held {offices} in the dates of our terms"


def _holds(item: dict, term: Term) -> bool:
    """Whether a Wikidata item has a position-held statement for the term's office, overlapping it."""
    for statement in item.get("statements", []):
        if statement["property"] != "P39" or statement["value"] != term.position:
            continue
        starts_before_end = term.end is None or "start" not in statement or statement["start"] <= str(term.end)
        ends_after_start = term.start is None or "end" not in statement or str(term.start)[:len(statement["end"])] <= statement["end"]
        if starts_before_end and ends_after_start:
            return True
    return False


# -- the named graph graph:wikidata ------------------------------------------------------------

def snapshot_source(snapshot: dict) -> URIRef:
    return iri("source", f"wikidata-{snapshot['retrieved']}")


def add_to_dataset(data: Data, dataset: Dataset) -> Reconciliation | None:
    """Add the links and Wikidata's statements about the linked items as ``graph:wikidata``."""
    snapshot = read_snapshot(data.project)
    if snapshot is None:
        return None
    result = reconcile(data, snapshot)
    graph = dataset.graph(WIKIDATA_GRAPH)
    source = snapshot_source(snapshot)
    publisher = iri("publisher", "wikidata")
    graph.add((publisher, RDF.type, CKG.Publisher))
    graph.add((publisher, RDFS.label, Literal("Wikidata")))
    graph.add((publisher, CKG.publisherDomain, Literal("wikidata.org")))
    graph.add((source, RDF.type, CKG.Source))
    graph.add((source, DCTERMS.title, Literal(f"Wikidata snapshot retrieved {snapshot['retrieved']} "
                                              f"(graph/{SNAPSHOT})")))
    graph.add((source, SCHEMA.url, Literal(snapshot["endpoint"], datatype=XSD.anyURI)))
    graph.add((source, DCTERMS.publisher, publisher))
    graph.add((source, DCTERMS.issued, Literal(snapshot["retrieved"], datatype=XSD.date)))
    graph.add((source, CKG.datePrecision, concept("date-precision", "day")))
    graph.add((source, CKG.sourceType, concept("source-type", "curated-dataset")))
    graph.add((source, CKG.reliability, concept("reliability", "medium")))
    for link in result.links:
        claim = iri("claim", link.entity.kind, link.entity.key, "wikidata")
        graph.add((link.entity.iri, OWL.sameAs, WD[link.qid]))
        graph.add((claim, RDF.type, CKG.WikidataLink))
        graph.add((claim, RDF.type, CKG.AttributeClaim))
        graph.add((claim, RDF.type, CKG.Claim))
        graph.add((claim, CKG.claimSubject, link.entity.iri))
        graph.add((claim, CKG.claimProperty, OWL.sameAs))
        graph.add((claim, CKG.claimValue, WD[link.qid]))
        _evidence(graph, claim, source, link.method)
    items = snapshot["items"]
    linked = sorted({link.qid for link in result.links if link.qid in items}, key=_qid_number)
    for qid in linked:
        _mirror(graph, qid, items[qid], source)
    for qid in {s["value"] for q in linked for s in items[q].get("statements", [])} & set(items):
        _mirror_labels(graph, qid, items[qid])
    return result


def _evidence(graph, node: URIRef, source: URIRef, method: str) -> None:
    evidence = iri("evidence", str(node).split("/id/", 1)[1], str(source).rsplit("/", 1)[1])
    graph.add((node, PROV.wasDerivedFrom, evidence))
    graph.add((evidence, RDF.type, CKG.Evidence))
    graph.add((evidence, CKG.source, source))
    graph.add((evidence, CKG.method, Literal(method)))


def _mirror(graph, qid: str, item: dict, source: URIRef) -> None:
    """Wikidata's statements about one item, in Wikidata's own vocabulary."""
    node = WD[qid]
    _mirror_labels(graph, qid, item)
    for type_qid in item.get("types", []):
        graph.add((node, WDT.P31, WD[type_qid]))
    for key, prop in (("iso3", WDT.P298), ("iso2", WDT.P297)):
        if key in item:
            graph.add((node, prop, Literal(item[key])))
    for statement in item.get("statements", []):
        prop = statement["property"]
        stmt = iri("claim", "wikidata", qid, prop, short_hash(*sorted(statement.items())))
        graph.add((node, P[prop], stmt))
        graph.add((stmt, RDF.type, WIKIBASE.Statement))
        graph.add((stmt, PS[prop], WD[statement["value"]]))
        for key, qualifier in (("start", PQ.P580), ("end", PQ.P582)):
            if key in statement:
                graph.add((stmt, qualifier, PartialDate(statement[key]).literal()))
        _evidence(graph, stmt, source, "wikidata")


def _mirror_labels(graph, qid: str, item: dict) -> None:
    for language, label in item.get("labels", {}).items():
        graph.add((WD[qid], RDFS.label, Literal(label, lang=language or None)))


def by_kind(reconciliation: Reconciliation) -> dict[str, dict[str, int]]:
    """Linked and to-review counts per kind of entity, for the report."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"linked": 0, "review": 0})
    for link in reconciliation.links:
        counts[link.entity.kind]["linked"] += 1
    for review in reconciliation.review:
        counts[review.entity.kind]["review"] += 1
    return dict(counts)


# -- the report of `coalition-kg link` ---------------------------------------------------------

@dataclass
class LinkReport:
    snapshot: dict
    shown: str                       # where the snapshot is, as users see it
    reconciliation: Reconciliation
    disagreements: QueryResult

    def as_dict(self) -> dict:
        rec = self.reconciliation
        return {
            "snapshot": self.shown, "retrieved": self.snapshot["retrieved"], "endpoint": self.snapshot["endpoint"],
            "counts": by_kind(rec),
            "links": [{"entity": str(link.entity.iri), "qid": link.qid, "method": link.method} for link in rec.links],
            "review": [{"entity": str(r.entity.iri), "reason": r.reason, "candidates": list(r.candidates)}
                       for r in rec.review],
            "disagreements": [{v: cell(t, short=False) for v, t in zip(self.disagreements.variables, row) if t is not None}
                              for row in self.disagreements.rows],
        }

    def text(self, all_links: bool = False) -> str:
        rec = self.reconciliation
        counts = by_kind(rec)
        lines = [f"Wikidata snapshot {self.shown}, retrieved {self.snapshot['retrieved']} from {self.snapshot['endpoint']}"]
        if self.snapshot.get("note"):
            lines.append(f"  ({self.snapshot['note']})")
        for kind, label in (("state", "states"), ("org", "organisations"), ("person", "people")):
            numbers = counts.get(kind, {"linked": 0, "review": 0})
            lines.append(f"  {label:<14} {numbers['linked']:>4} linked, {numbers['review']:>4} to review")
        methods = defaultdict(int)
        for link in rec.links:
            methods[link.method] += 1
        lines.append("  methods: " + ", ".join(f"{m} {n}" for m, n in sorted(methods.items())))
        shown_links = [link for link in rec.links if all_links or link.entity.kind == "person" or link.method == "curated"]
        if shown_links:
            lines.append("\nLinks" + ("" if all_links else " (people, and any made from a curated QID; --all for every link)") + ":")
            lines += [f"  {link.entity.ref:<32} wd:{link.qid:<12} {link.method}" for link in shown_links]
        if rec.review:
            lines.append("\nTo review (not linked, never guessed):")
            lines += [f"  {r.entity.ref:<32} {r.reason}" + (f": {', '.join(r.candidates)}" if r.candidates else "")
                      for r in rec.review]
        lines.append(f"\nDisagreements with the curated data ({len(self.disagreements.rows)}; "
                     "coalition-kg query wikidata-disagreements):")
        for row in self.disagreements.rows:
            values = dict(zip(self.disagreements.variables, (cell(t, short=True) for t in row)))
            office = f" {values['office']}" if values.get("office") else ""
            lines.append(f"  {values['entity']:<32} {values['what']}{office}: ours {values['ours']}, "
                         f"Wikidata {values['wikidata'] or '(none)'} ({values['item']})")
        return "\n".join(lines) + "\n"


def link_report(project: Project, data: Data) -> LinkReport:
    """Reconcile from the snapshot and find the disagreements in the dataset built with it."""
    from .build import build_dataset     # build imports this module for add_to_dataset
    from .export import sorted_quads

    snapshot = read_snapshot(project)
    if snapshot is None:
        raise FileNotFoundError(f"no Wikidata snapshot at {project.display(project.graph_dir / SNAPSHOT)}; "
                                "run `coalition-kg link --refresh` (needs the network) to make one")
    dataset, _ = build_dataset(data)
    store = OxigraphStore()
    store.store.extend(sorted_quads(dataset))
    disagreements = queries.get(project.queries_dir, "wikidata-disagreements").run(store)
    return LinkReport(snapshot, project.display(project.graph_dir / SNAPSHOT), reconcile(data, snapshot), disagreements)
