"""The networks behind the views, the analysis and the exports, as networkx graphs.

Everything is read through stored queries (``queries/view-*.rq``, ``weak-only-claims``,
``present-not-signed``) and turned into graphs whose nodes are entities (``state:FRA``,
``meeting:2025-03-27-paris``) and whose edges are claims. Each edge keeps what an analyst
needs to judge it: the claim, its number of sources, its earliest source, whether it
rests only on weak sources and whether another source contradicts it. The same graphs
feed the HTML views (``views.py``), the metrics (``analysis.py``) and the GraphML, GEXF
and CSV files (``interchange.py``), so all three always agree.

A :class:`Scope` restricts a network to a date or date range, one meeting series, and
claims with at least one strong source. Attribute values are plain ``str``, ``int``,
``float`` or ``bool`` so that every graph can be written as GraphML or GEXF as it is.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from .api import KnowledgeGraph
from .tables import cell

# The kinds of node, from the class of the entity (the first class listed wins).
CLASS_KINDS = {
    "ckg:State": "state", "ckg:Coalition": "coalition", "ckg:MultinationalForce": "force",
    "ckg:InternationalOrganization": "organization", "ckg:Person": "person", "ckg:Meeting": "meeting",
    "ckg:Declaration": "declaration",
}
AGENT_KINDS = ("state", "organization", "coalition", "force")
WEAK_NOTE = "rests only on weak sources (opinion, reader comments, blogs or low reliability)"


class ScopeError(ValueError):
    """Scope options that do not fit together, or a date that is not a date."""


@dataclass(frozen=True)
class Scope:
    """Which claims a network shows: by date, meeting series and strength of sources.

    Dates are ISO strings; a month-precision date (``2025-11``) compares as the month's
    start. ``as_of`` keeps what happened up to and including that day; ``start``/``end``
    keep what happened between the two days. Membership is evaluated on the last day.
    """

    as_of: str | None = None
    start: str | None = None
    end: str | None = None
    series: str | None = None
    strong_only: bool = False

    def __post_init__(self) -> None:
        for name in ("as_of", "start", "end"):
            value = getattr(self, name)
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ScopeError(f"{name.replace('_', '-')} must be a date like 2025-06-01, not {value!r}") from None
        if self.as_of and (self.start or self.end):
            raise ScopeError("give either --as-of or --from/--to, not both")
        if self.start and self.end and self.start > self.end:
            raise ScopeError(f"--from {self.start} is after --to {self.end}")

    @property
    def last_day(self) -> str | None:
        return self.as_of or self.end

    def admits_date(self, when: str | None) -> bool:
        """Whether a claim dated ``when`` falls in the scope (undated claims only when no date is set)."""
        if not (self.last_day or self.start):
            return True
        if not when:
            return False
        return (not self.start or when >= self.start) and (not self.last_day or when <= self.last_day)

    def admits(self, when: str | None, series: str | None, claim: str, weak: set[str]) -> bool:
        if self.series and series != f"meeting-series:{self.series}":
            return False
        if self.strong_only and claim in weak:
            return False
        return self.admits_date(when)

    def describe(self) -> str:
        """How the title of a view says what it covers."""
        parts = []
        if self.as_of:
            parts.append(f"as of {self.as_of}")
        elif self.start or self.end:
            parts.append(f"from {self.start or 'the start'} to {self.end or 'the latest claim'}")
        else:
            parts.append("all dates")
        if self.series:
            parts.append(f"{self.series} meetings only")
        if self.strong_only:
            parts.append("claims with a strong source only")
        return ", ".join(parts)


@dataclass
class Facts:
    """The rows of the view queries, read once, with IRIs shortened to ``state:FRA``."""

    labels: dict[str, str]
    kinds: dict[str, str]
    sources: dict[str, tuple[int, str]]   # claim → (number of sources, earliest source)
    source_details: dict[str, dict[str, str]]
    weak: set[str]
    participations: list[dict[str, str]]
    signatures: list[dict[str, str]]
    pledges: list[dict[str, str]]
    memberships: list[dict[str, str]]
    present_not_signed: list[dict[str, str]]
    statements: list[dict[str, str]]
    latest: str = field(default="")

    @classmethod
    def load(cls, kg: KnowledgeGraph) -> "Facts":
        def rows(name: str) -> list[dict[str, str]]:
            return [{k: cell(v, short=True) for k, v in row.items() if v is not None} for row in kg.query(name)]

        labels = {r["concept"]: r["label"] for r in rows("view-concept-labels")}
        kinds: dict[str, str] = {}
        for r in rows("view-entities"):
            kinds.setdefault(r["entity"], CLASS_KINDS[r["class"]])
            labels.setdefault(r["entity"], r.get("label", r["entity"]))
        sources = {r["claim"]: (int(r["sources"]), r["firstSource"]) for r in rows("view-claim-sources")}
        details: dict[str, dict[str, str]] = {}
        for r in rows("view-sources"):   # a source's first row in the query's order
            details.setdefault(r["source"], r)
        participations = rows("view-participations")
        facts = cls(labels, kinds, sources, details, {r["claim"] for r in rows("weak-only-claims")}, participations,
                    rows("view-signatures"), rows("view-pledges"), rows("view-memberships"),
                    rows("present-not-signed"), rows("view-statements"))
        facts.latest = max((r["date"] for r in participations), default="")
        return facts

    def name(self, ref: str | None) -> str:
        return self.labels.get(ref, ref) if ref else ""

    def evidence(self, claim: str) -> dict[str, object]:
        """Source count, earliest source and strength of a claim, as edge attributes."""
        count, earliest = self.sources.get(claim, (0, ""))
        first = self.source_details.get(earliest, {})
        described = ", ".join(x for x in (first.get("publisher"), first.get("title"), first.get("issued"),
                                          first.get("url")) if x)
        return {"claim": claim, "sources": count, "first_source": described, "weak_only": claim in self.weak}

    def members_on(self, day: str | None) -> dict[str, str]:
        """Agents that are members of a coalition on ``day`` (or ever, without a day) → since when."""
        members: dict[str, str] = {}
        for r in self.memberships:
            start, end = r.get("start", ""), r.get("end")
            if day is None or (start <= day and (end is None or end >= day)):
                members[r["member"]] = min(members.get(r["member"], start), start)
        return members


def claim_text(facts: Facts, text: str, claim: str, contested: str = "") -> str:
    """The plain-text tooltip of a claim: what it says, its sources, and any disagreement."""
    info = facts.evidence(claim)
    lines = [text, f"Claim: {claim}", f"{info['sources']} source{'s' if info['sources'] != 1 else ''}; "
             f"first: {info['first_source'] or 'none'}"]
    if info["weak_only"]:
        lines.append("Weak: this claim " + WEAK_NOTE + ".")
    if contested:
        lines.append("CONTESTED: " + contested)
    return "\n".join(lines)


def _contested(rows: list[dict[str, str]], key: tuple[str, ...], value: str, facts: Facts) -> dict[str, str]:
    """Claims about the same thing (``key``) that state different ``value``s: claim → what the others say.

    A claim that leaves the value unstated does not contradict one that states it."""
    groups: dict[tuple, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        groups[tuple(r.get(k) for k in key)].append(r)
    notes = {}
    for group in groups.values():
        stated = [r for r in group if r.get(value)]
        if len({r[value] for r in stated}) < 2:
            continue
        for r in stated:
            others = sorted({f"{facts.name(o[value])} ({o['claim']})" for o in stated if o[value] != r[value]})
            notes[r["claim"]] = "other sources say " + "; ".join(others)
    return notes


def _add_entity(graph: nx.MultiDiGraph, facts: Facts, ref: str, members: dict[str, str]) -> None:
    if ref in graph:
        return
    kind = facts.kinds.get(ref, "other")
    attrs: dict[str, object] = {"label": facts.name(ref), "kind": kind, "member": ref in members}
    if ref in members:
        attrs["member_since"] = members[ref]
    graph.add_node(ref, **attrs)


def _new_graph(name: str, title: str, scope: Scope) -> nx.MultiDiGraph:
    return nx.MultiDiGraph(name=name, title=f"{title} — {scope.describe()}")


def _present(row: dict[str, str]) -> bool:
    return row.get("attendance") != "attendance:absent"


def _participations(facts: Facts, scope: Scope) -> list[dict[str, str]]:
    """Participation claims in scope, one per claim (representatives joined)."""
    claims: dict[str, dict] = {}
    for r in facts.participations:
        if not scope.admits(r["date"], r.get("series"), r["claim"], facts.weak):
            continue
        entry = claims.setdefault(r["claim"], {**r, "representatives": []})
        if r.get("representative"):
            entry["representatives"].append(r["representative"])
    return list(claims.values())


def coalition_network(facts: Facts, scope: Scope) -> nx.MultiDiGraph:
    """States and organisations linked to the meetings they attended, one edge per claim."""
    graph = _new_graph("coalition", "Coalition network: who attended which meeting", scope)
    members = facts.members_on(scope.last_day or facts.latest)
    rows = _participations(facts, scope)
    contested = _contested(rows, ("meeting", "participant"), "attendance", facts)
    engagement = Counter(agent for agent, _ in {(r["participant"], r["meeting"]) for r in rows if _present(r)})
    for r in rows:
        _add_entity(graph, facts, r["participant"], members)
        _add_entity(graph, facts, r["meeting"], members)
        graph.nodes[r["meeting"]]["date"] = r["date"]
        mode = facts.name(r.get("attendance")) or "attendance not stated"
        capacity = facts.name(r.get("capacity"))
        people = ", ".join(facts.name(p) for p in r["representatives"])
        text = (f"{facts.name(r['participant'])} at {facts.name(r['meeting'])} ({r['date']}): {mode}"
                + (f", as {capacity}" if capacity else "") + (f", represented by {people}" if people else ""))
        graph.add_edge(r["participant"], r["meeting"], key=r["claim"], kind="participation", present=_present(r),
                       attendance=facts.name(r.get("attendance")), capacity=capacity, date=r["date"],
                       representatives=people, label=capacity, contested=r["claim"] in contested,
                       title=claim_text(facts, text, r["claim"], contested.get(r["claim"], "")),
                       **facts.evidence(r["claim"]))
    for node, data in graph.nodes(data=True):
        if data["kind"] != "meeting":
            data["engagement"] = engagement.get(node, 0)
    return graph


def co_attendance_network(facts: Facts, scope: Scope, seed: int = 42) -> nx.Graph:
    """Participants linked by the number of meetings both attended; Louvain communities.

    Presence counts when any account in scope says the participant was there (in person
    or remotely). Communities are numbered from the largest, with a fixed seed, so the
    same graph always gets the same numbers.
    """
    coalition = coalition_network(facts, scope)
    present: dict[str, set[str]] = defaultdict(set)
    for agent, meeting, data in coalition.edges(data=True):
        if data["present"] and coalition.nodes[agent]["kind"] in AGENT_KINDS:
            present[meeting].add(agent)
    graph = nx.Graph(name="co-attendance", title="Co-attendance: participants linked by meetings attended together"
                                                 f" — {scope.describe()}")
    for agent, data in coalition.nodes(data=True):
        if data["kind"] in AGENT_KINDS and any(agent in p for p in present.values()):
            graph.add_node(agent, **data)
    together: dict[tuple[str, str], list[str]] = defaultdict(list)
    for meeting in sorted(present, key=lambda m: (coalition.nodes[m]["date"], m)):
        attendees = sorted(present[meeting])
        for i, a in enumerate(attendees):
            for b in attendees[i + 1:]:
                together[a, b].append(meeting.partition(":")[2])
    for (a, b), meetings in together.items():
        graph.add_edge(a, b, weight=len(meetings), kind="co-attendance", label=str(len(meetings)),
                       meetings=" ".join(meetings),
                       title=f"{graph.nodes[a]['label']} and {graph.nodes[b]['label']} were both present at "
                             f"{len(meetings)} meeting{'s' if len(meetings) != 1 else ''}: {', '.join(meetings)}")
    for number, community in enumerate(communities(graph, seed)):
        for node in community:
            graph.nodes[node]["community"] = number
    return graph


def communities(graph: nx.Graph, seed: int = 42) -> list[list[str]]:
    """Louvain communities (weighted, fixed seed), largest first, ties by first member."""
    if graph.number_of_edges() == 0:
        return [[n] for n in sorted(graph)]
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _accounts_differ(rows: list[dict[str, str]], facts: Facts) -> dict[str, str]:
    """Pledges whose other account of the same commitment gives another date, occasion, amount
    or status: claim → what the other account says. A value left out is not a difference."""
    by_claim = {r["claim"]: r for r in rows}
    notes = {}
    for r in rows:
        other = by_claim.get(r.get("sameCommitment", ""))
        if other is None:
            continue
        differ = [f"{label} {facts.name(other[key])}" for key, label in
                  (("date", "date"), ("meeting", "occasion"), ("quantity", "amount"), ("status", "status"))
                  if r.get(key) and other.get(key) and r[key] != other[key]]
        if differ:
            notes[r["claim"]] = f"the same commitment as other sources report it ({other['claim']}) has " + \
                ", ".join(differ)
    return notes


def commitments_network(facts: Facts, scope: Scope) -> nx.MultiDiGraph:
    """Pledgers linked to beneficiaries, one edge per pledge claim, with type, quantity and condition."""
    graph = _new_graph("commitments", "Commitments: who pledged what to whom", scope)
    members = facts.members_on(scope.last_day or facts.latest)
    contested = _accounts_differ(facts.pledges, facts)
    for r in facts.pledges:
        if not scope.admits(r.get("date"), r.get("series"), r["claim"], facts.weak):
            continue
        target = r.get("beneficiary", "unspecified")
        _add_entity(graph, facts, r["pledger"], members)
        _add_entity(graph, facts, target, members)
        if target == "unspecified":
            graph.nodes[target].update(label="(no beneficiary named)", kind="other")
        amount = " ".join(x for x in (r.get("quantity", ""), facts.name(r.get("unit"))) if x)
        condition = "; ".join(x for x in (facts.name(r.get("condition")), r.get("conditionText", "")) if x)
        kind = facts.name(r.get("type")) or "unspecified"
        text = "\n".join(x for x in (
            f"{facts.name(r['pledger'])} → {graph.nodes[target]['label']}: {kind}" + (f", {amount}" if amount else ""),
            r.get("summary", ""),
            f"Condition: {condition}" if condition else "",
            f"Status: {facts.name(r.get('status'))}" if r.get("status") else "",
            f"Date: {r['date']}" if r.get("date") else "") if x)
        graph.add_edge(r["pledger"], target, key=r["claim"], kind="pledge", pledge_type=kind, amount=amount,
                       condition=condition, status=facts.name(r.get("status")), date=r.get("date", ""),
                       label=amount or kind, contested=r["claim"] in contested,
                       title=claim_text(facts, text, r["claim"], contested.get(r["claim"], "")),
                       **facts.evidence(r["claim"]))
    return graph


def declarations_network(facts: Facts, scope: Scope) -> nx.MultiDiGraph:
    """Declarations with their signatories, endorsers, non-signatories and states present that did not sign."""
    graph = _new_graph("declarations", "Declarations: who signed, endorsed or stayed out", scope)
    members = facts.members_on(scope.last_day or facts.latest)
    rows = [r for r in facts.signatures if scope.admits(r.get("date"), r.get("series"), r["claim"], facts.weak)]
    contested = _contested(rows, ("declaration", "signer"), "role", facts)
    for r in rows:
        _add_entity(graph, facts, r["signer"], members)
        _add_entity(graph, facts, r["declaration"], members)
        role = facts.name(r.get("role")) or "role not stated"
        by = f", signed by {facts.name(r['signedBy'])}" if r.get("signedBy") else ""
        text = f"{facts.name(r['signer'])} — {role} — {facts.name(r['declaration'])} ({r.get('date', 'undated')}){by}"
        graph.add_edge(r["signer"], r["declaration"], key=r["claim"], kind=role, role=role, date=r.get("date", ""),
                       label=role, contested=r["claim"] in contested,
                       title=claim_text(facts, text, r["claim"], contested.get(r["claim"], "")),
                       **facts.evidence(r["claim"]))
    meetings = {r["meeting"]: r for r in facts.participations}
    for r in facts.present_not_signed:
        meeting = meetings.get(r["meeting"], {})
        if not scope.admits(meeting.get("date"), meeting.get("series"), "", facts.weak):
            continue
        _add_entity(graph, facts, r["state"], members)
        _add_entity(graph, facts, r["declaration"], members)
        graph.add_edge(r["state"], r["declaration"], key=f"present-not-signed:{r['state']}",
                       kind="present, not signed", role="present, not signed", label="present, not signed",
                       date=meeting.get("date", ""), contested=False, sources=0, weak_only=False, first_source="",
                       claim="",
                       title=f"{r['name']} was present at {facts.name(r['meeting'])}, where "
                             f"{facts.name(r['declaration'])} was adopted, and no source records its "
                             "signature or endorsement (a gap in the record or a refusal).")
    return graph


def everything(facts: Facts, scope: Scope) -> nx.MultiDiGraph:
    """Participations, representatives, pledges, signatures and statements in one graph, with
    the meeting that adopted each declaration: the whole graph for ego views and exports."""
    graph = nx.compose_all([coalition_network(facts, scope), commitments_network(facts, scope),
                            declarations_network(facts, scope)])
    graph.graph.update(name="everything", title="Everything: participations, representatives, pledges, "
                                                f"signatures and statements — {scope.describe()}")
    members = facts.members_on(scope.last_day or facts.latest)
    for r in _participations(facts, scope):
        for person in r["representatives"]:
            _add_entity(graph, facts, person, members)
            text = f"{facts.name(person)} represented {facts.name(r['participant'])} at {facts.name(r['meeting'])}"
            graph.add_edge(person, r["meeting"], key=f"{r['claim']}/{person}", kind="represented", label="represented",
                           date=r["date"], contested=False, title=claim_text(facts, text, r["claim"]),
                           **facts.evidence(r["claim"]))
    add_statements(graph, facts, scope, members)
    for r in facts.signatures:
        if r.get("meeting") and r["declaration"] in graph and r["meeting"] in graph:
            graph.add_edge(r["declaration"], r["meeting"], key=f"adopted-at:{r['declaration']}", kind="adopted at",
                           label="adopted at", date=r.get("date", ""), contested=False, sources=0, weak_only=False,
                           first_source="", claim="",
                           title=f"{facts.name(r['declaration'])} was adopted at {facts.name(r['meeting'])}")
    return graph


def add_statements(graph: nx.MultiDiGraph, facts: Facts, scope: Scope, members: dict[str, str]) -> None:
    """Each statement as a link from its speaker to the meeting it was made at (or, failing
    that, to the state or organisation it was made for), with its words in the tooltip."""
    claims: dict[str, dict] = {}
    for r in facts.statements:
        if scope.admits(r.get("date"), r.get("series"), r["claim"], facts.weak):
            entry = claims.setdefault(r["claim"], {**r, "topics": []})
            if r.get("topic"):
                entry["topics"].append(facts.name(r["topic"]))
    for claim, r in claims.items():
        target = r.get("meeting") or r.get("onBehalfOf")
        if not target:
            continue
        _add_entity(graph, facts, r["speaker"], members)
        _add_entity(graph, facts, target, members)
        stance = facts.name(r.get("stance"))
        text = "\n".join(x for x in (
            f"{facts.name(r['speaker'])}" + (f" for {facts.name(r['onBehalfOf'])}" if r.get("onBehalfOf") else "")
            + (f" at {facts.name(r['meeting'])}" if r.get("meeting") else "") + f" ({r.get('date', 'undated')})",
            f"“{r['quote']}”" if r.get("quote") else "", r.get("summary", ""),
            "Topics: " + ", ".join(r["topics"]) if r["topics"] else "", f"Stance: {stance}" if stance else "") if x)
        graph.add_edge(r["speaker"], target, key=claim, kind="statement", label="statement", stance=stance,
                       topics=", ".join(r["topics"]), date=r.get("date", ""), contested=False,
                       title=claim_text(facts, text, claim), **facts.evidence(claim))


def ego_network(facts: Facts, scope: Scope, center: str) -> nx.MultiDiGraph:
    """One entity, the claims about it and the entities they link it to (not the links between those)."""
    whole = everything(facts, scope)
    if center not in whole:
        raise ScopeError(f"{center} has no claims in this scope ({scope.describe()})")
    graph = nx.MultiDiGraph()
    graph.add_node(center, **whole.nodes[center])
    for u, v, key, data in [*whole.out_edges(center, keys=True, data=True),
                            *whole.in_edges(center, keys=True, data=True)]:
        graph.add_node(u, **whole.nodes[u])
        graph.add_node(v, **whole.nodes[v])
        graph.add_edge(u, v, key=key, **data)
    graph.graph.update(name="ego", center=center,
                       title=f"Around {facts.name(center)}: everything one claim away — {scope.describe()}")
    return graph


NETWORKS = {
    "coalition": coalition_network,
    "co-attendance": co_attendance_network,
    "commitments": commitments_network,
    "declarations": declarations_network,
}
VIEW_NAMES = (*NETWORKS, "ego")


def network(facts: Facts, name: str, scope: Scope, center: str | None = None) -> nx.Graph:
    """The network called ``name`` (one of ``VIEW_NAMES``, or ``everything``); ``ego`` needs a ``center``."""
    known = sorted(k.partition(":")[2] for k in facts.labels if k.startswith("meeting-series:"))
    if scope.series and scope.series not in known:
        raise ScopeError(f"unknown meeting series {scope.series!r}; choose one of {', '.join(known)}")
    if name == "everything":
        return everything(facts, scope)
    if name == "ego":
        if not center:
            raise ScopeError("the ego view needs an entity: coalition-kg view ego FRA")
        return ego_network(facts, scope, center)
    if name not in NETWORKS:
        raise ScopeError(f"unknown view {name!r}; choose one of {', '.join(VIEW_NAMES)}")
    return NETWORKS[name](facts, scope)
