"""Network analysis of co-attendance: centralities, communities, attendance consistency, changes.

For each period, the co-attendance network (participants linked by the number of meetings
both attended, ``networks.co_attendance_network``) gives each participant its degree,
betweenness (with 1/weight as the distance, so frequent co-attenders are close) and
eigenvector centrality (weighted), and a Louvain community (fixed seed). Attendance
consistency is the share of a coalition's meetings in the period, held while the
participant was a member, that it attended. Changes compare each period with the one
before it.

The results are tables, CSV files and a named graph (``graph:metrics``) of
``ckg:NetworkMeasurement`` nodes, each linked with ``prov:wasGeneratedBy`` to the analysis
run, which records the method, the seed and the SHA-256 of the build it read. The graph is
written beside the build (``out/analysis/metrics.nq``) rather than into it: the build stays
a function of ``graph/`` alone, and ``open_dataset`` loads the metrics with the build only
while that digest matches, so a query never mixes metrics with a build they were not
computed from. Values are rounded to 6 decimals so the same build gives the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .api import DERIVED_HEADER
from .export import replace_folder
from .namespaces import CKG, METRICS_GRAPH, expand, iri, short_hash, slugify
from .networks import Facts, Scope, ScopeError, co_attendance_network
from .store import to_ox

SEED = 42
DIGITS = 6
METRICS = ("degree", "betweenness", "eigenvector", "community", "attended", "since_joining", "consistency")
PROPERTIES = {
    "degree": CKG.degreeCentrality, "betweenness": CKG.betweennessCentrality,
    "eigenvector": CKG.eigenvectorCentrality, "community": CKG.communityNumber,
    "attended": CKG.meetingsAttended,
    "since_joining": CKG.meetingsSinceJoining, "consistency": CKG.attendanceConsistency,
}


@dataclass(frozen=True)
class Period:
    start: str
    end: str

    @property
    def name(self) -> str:
        return f"{self.start}..{self.end}"

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``2025-02-01..2025-06-30`` → a period (both days included)."""
        start, sep, end = text.partition("..")
        try:
            if not sep:
                raise ValueError
            date.fromisoformat(start)
            date.fromisoformat(end)
        except ValueError:
            raise ScopeError(f"a period is FROM..TO with two dates, e.g. 2025-02-01..2025-06-30, "
                             f"not {text!r}") from None
        if start > end:
            raise ScopeError(f"period {text}: {start} is after {end}")
        return cls(start, end)


def halves(facts: Facts) -> list[Period]:
    """The meetings' time span cut in two at the middle meeting: the default periods to compare."""
    days = sorted({r["date"] for r in facts.participations})
    if len(days) < 2:
        return [Period(days[0], days[0])] if days else []
    middle = days[len(days) // 2]
    before = (date.fromisoformat(middle) - timedelta(days=1)).isoformat()
    return [Period(days[0], before), Period(middle, days[-1])]


def consistency(facts: Facts, period: Period, present: dict[str, set[str]]) -> dict[str, tuple[int, int]]:
    """Participant → (meetings of its coalitions attended, meetings held while a member), in the period."""
    held: dict[str, set[tuple[str, str]]] = defaultdict(set)   # coalition → (date, meeting)
    for r in facts.participations:
        if r.get("coalition") and period.start <= r["date"] <= period.end:
            held[r["coalition"]].add((r["date"], r["meeting"]))
    counts: dict[str, tuple[int, int]] = {}
    for m in facts.memberships:
        start, end = m.get("start", ""), m.get("end", "9999")
        due = {meeting for day, meeting in held.get(m["coalition"], ()) if start <= day <= end}
        attended, total = counts.get(m["member"], (0, 0))
        counts[m["member"]] = (attended + len(due & present.get(m["member"], set())), total + len(due))
    return counts


def measure(facts: Facts, period: Period, seed: int = SEED) -> list[dict[str, object]]:
    """One row of metrics per participant of the period's co-attendance network or member of a coalition."""
    graph = co_attendance_network(facts, Scope(start=period.start, end=period.end), seed)
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1 / data["weight"]
    degree = nx.degree_centrality(graph) if len(graph) > 1 else {n: 0.0 for n in graph}
    betweenness = nx.betweenness_centrality(graph, weight="distance")
    eigenvector = (nx.eigenvector_centrality_numpy(graph, weight="weight")
                   if graph.number_of_edges() else {n: 0.0 for n in graph})
    present: dict[str, set[str]] = defaultdict(set)
    for r in facts.participations:
        if period.start <= r["date"] <= period.end and r.get("attendance") != "attendance:absent":
            present[r["participant"]].add(r["meeting"])
    counts = consistency(facts, period, present)
    rows = []
    for entity in sorted(set(graph) | set(counts)):
        attended, total = counts.get(entity, (0, 0))
        rows.append({
            "period": period.name, "entity": entity, "name": facts.name(entity),
            "degree": round(degree.get(entity, 0.0), DIGITS),
            "betweenness": round(betweenness.get(entity, 0.0), DIGITS),
            "eigenvector": round(abs(eigenvector.get(entity, 0.0)), DIGITS),
            "community": graph.nodes[entity]["community"] + 1 if entity in graph else 0,
            "attended": attended, "since_joining": total,
            "consistency": round(attended / total, DIGITS) if total else "",
        })
    return sorted(rows, key=lambda r: (-r["eigenvector"], r["entity"]))


def changes(before: list[dict], after: list[dict]) -> list[dict[str, object]]:
    """How each participant's place moved from one period to the next.

    A participant "changed community" when fewer than half of its community in one period
    share its community in the other (community numbers themselves are not comparable).
    One that attended no meeting in a period (community 0) is noted as such.
    """
    old, new = {r["entity"]: r for r in before}, {r["entity"]: r for r in after}

    def partners(rows: dict[str, dict], entity: str) -> set[str]:
        number = rows.get(entity, {}).get("community", 0)
        return {e for e, r in rows.items() if number and r["community"] == number}

    result = []
    for entity in sorted(set(old) | set(new)):
        a, b = old.get(entity, {}), new.get(entity, {})
        row = {"entity": entity, "name": (a or b)["name"], "from": a.get("period", ""), "to": b.get("period", "")}
        for metric in ("degree", "betweenness", "eigenvector", "consistency"):
            x, y = a.get(metric, ""), b.get(metric, "")
            row[f"{metric}_change"] = round(y - x, DIGITS) if x != "" and y != "" else ""
        p, q = partners(old, entity), partners(new, entity)
        if p and q:
            row["note"] = "changed community" if len(p & q) / len(p | q) < 0.5 else ""
        else:
            row["note"] = {(False, True): "met only in the later period", (True, False): "met only in the earlier "
                           "period"}.get((bool(p), bool(q)), "met in neither period")
        result.append(row)
    return sorted(result, key=lambda r: (-abs(r["eigenvector_change"] or 0), r["entity"]))


@dataclass
class Analysis:
    periods: list[Period]
    metrics: list[dict[str, object]]
    changes: list[dict[str, object]]
    digest: str
    seed: int


def analyze(facts: Facts, dataset: Path, periods: list[Period] | None = None, seed: int = SEED) -> Analysis:
    periods = periods or halves(facts)
    per_period = [measure(facts, p, seed) for p in periods]
    moved = [row for a, b in zip(per_period, per_period[1:]) for row in changes(a, b)]
    return Analysis(periods, [r for rows in per_period for r in rows], moved, file_digest(dataset), seed)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def to_quads(result: Analysis) -> list[ox.Quad]:
    """The metrics as the named graph graph:metrics, with the run that produced them."""
    run = iri("analysis", short_hash(result.digest, result.seed, *(p.name for p in result.periods), length=12))
    method = (f"coalition-kg analyze: networkx degree, betweenness (distance 1/weight) and eigenvector "
              f"(weighted) centrality and Louvain communities (seed {result.seed}) on the co-attendance "
              "network; attendance consistency = coalition meetings attended / held while a member")
    triples = [(run, RDF.type, PROV.Activity), (run, RDFS.label, Literal("network analysis of co-attendance")),
               (run, CKG.method, Literal(method)), (run, CKG.sha256, Literal(result.digest))]
    for row in result.metrics:
        node = iri("measurement", slugify(str(row["period"])), *str(row["entity"]).split(":", 1))
        triples += [(node, RDF.type, CKG.NetworkMeasurement), (node, PROV.wasGeneratedBy, run),
                    (node, CKG.measuredEntity, expand(str(row["entity"])) or URIRef(str(row["entity"]))),
                    (node, CKG.startDate, Literal(str(row["period"]).split("..")[0], datatype=XSD.date)),
                    (node, CKG.endDate, Literal(str(row["period"]).split("..")[1], datatype=XSD.date))]
        for metric, prop in PROPERTIES.items():
            if row[metric] != "":
                kind = XSD.integer if isinstance(row[metric], int) else XSD.decimal
                triples.append((node, prop, Literal(str(row[metric]), datatype=kind)))
    graph = to_ox(METRICS_GRAPH)
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in triples]
    return sorted(quads, key=str)


def write(result: Analysis, folder: Path) -> list[Path]:
    """metrics.csv, changes.csv and metrics.nq into ``folder``, replaced whole."""
    names = ["metrics.csv", "changes.csv", "metrics.nq"]

    def fill(staging: Path) -> None:
        for name, rows in (("metrics.csv", result.metrics), ("changes.csv", result.changes)):
            with open(staging / name, "w", newline="", encoding="utf-8") as handle:
                columns = list(rows[0]) if rows else ["entity"]
                writer = csv.DictWriter(handle, columns, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        body = ox.serialize(to_quads(result), format=ox.RdfFormat.N_QUADS)
        (staging / "metrics.nq").write_bytes(DERIVED_HEADER.format(result.digest).encode() + b"\n" + body)

    replace_folder(folder, fill)
    return [folder / n for n in names]
