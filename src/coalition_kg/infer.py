"""Inference: what follows from the ontology and the data, kept apart from what sources say.

The rules are SPARQL CONSTRUCT queries in ``queries/rules/`` (header as in ``queries/``:
``# title:`` and ``# description:``). They run on Oxigraph over the union of the dataset,
round after round, until a round derives nothing new (a fixpoint) — at most ``MAX_ROUNDS``
rounds, after which inference stops with an error instead of looping. A rule may not
produce blank nodes: a fresh blank node every round would never reach a fixpoint.

Each rule's new triples go to a named graph of their own, ``graph:inferred/<rule>``, so the
rule behind any inferred triple is the name of its graph, and a query includes inferences
with ``GRAPH ?g`` / the store's union, or leaves them out by loading only ``dataset.nq``.
``graph:inferred`` itself describes each rule graph (label, description, the rule file).
A triple already stated anywhere is never inferred again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from . import queries
from .export import sorted_quads
from .namespaces import GRAPH, INFERRED_GRAPH
from .yamlfile import DataError, Problem

MAX_ROUNDS = 10


class InferenceError(DataError):
    """A rule that does not terminate, or produces what inference cannot keep; like bad data, it
    stops the build before anything is written."""

    def __init__(self, where: Path, message: str) -> None:
        super().__init__([Problem(str(where), None, "", message)])


@dataclass
class Inference:
    """The inferred quads, and how many triples each rule added in each round."""

    quads: list[ox.Quad] = field(default_factory=list)
    rounds: list[dict[str, int]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Triples inferred per rule, over all rounds."""
        totals: dict[str, int] = {}
        for added in self.rounds:
            for rule, count in added.items():
                totals[rule] = totals.get(rule, 0) + count
        return totals


def rule_graph(name: str) -> URIRef:
    """The named graph holding what the rule ``name`` inferred."""
    return GRAPH[f"inferred/{name}"]


def load_rules(folder: Path) -> dict[str, queries.StoredQuery]:
    """The rules in ``folder``, by name; each must be a CONSTRUCT query."""
    try:
        rules = queries.load_all(folder) if folder.is_dir() else {}
    except queries.QueryError as error:
        raise InferenceError(folder, str(error)) from None
    for rule in rules.values():
        if "CONSTRUCT" not in rule.text.upper():
            raise InferenceError(rule.path, "a rule must be a SPARQL CONSTRUCT query")
    return rules


def infer(dataset: Dataset | ox.Store, folder: Path, max_rounds: int = MAX_ROUNDS) -> Inference:
    """Run the rules of ``folder`` on ``dataset`` to a fixpoint; the dataset is not changed."""
    rules = load_rules(folder)
    store = dataset if isinstance(dataset, ox.Store) else _store(dataset)
    result = Inference()
    inferred = ox.Store()  # only what was inferred here, whatever ``store`` held before
    for _ in range(max_rounds):
        added = {name: _apply(rule, store, inferred) for name, rule in rules.items()}
        result.rounds.append({name: n for name, n in added.items() if n})
        if not any(added.values()):
            result.quads = sorted(inferred, key=lambda q: (q.graph_name.value, str(q.subject), q.predicate.value,
                                                            str(q.object))) + _describe(rules)
            return result
    still = ", ".join(sorted(name for name, n in result.rounds[-1].items() if n))
    raise InferenceError(folder, f"the rules did not reach a fixpoint in {max_rounds} rounds; still deriving: {still}")


def _store(dataset: Dataset) -> ox.Store:
    store = ox.Store()
    store.extend(sorted_quads(dataset))  # not load(): that would rename the blank nodes
    return store


def _apply(rule: queries.StoredQuery, store: ox.Store, inferred: ox.Store) -> int:
    """Add what ``rule`` derives and nobody stated yet to ``store`` and ``inferred``; how many triples."""
    graph = ox.NamedNode(str(rule_graph(rule.name)))
    new = []
    try:
        triples = list(store.query(rule.text, use_default_graph_as_union=True))
    except SyntaxError as error:
        raise InferenceError(rule.path, f"not a valid SPARQL query: {error}") from None
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise InferenceError(rule.path, f"a rule may not produce blank nodes (got {triple}); "
                                            "mint an IRI with BIND(IRI(...))")
        if next(store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None), None) is None:
            new.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    store.extend(new)
    inferred.extend(new)
    return len(set(new))


def _describe(rules: dict[str, queries.StoredQuery]) -> list[ox.Quad]:
    """In graph:inferred, one description per rule graph: it was inferred, by which rule."""
    graph = ox.NamedNode(str(INFERRED_GRAPH))
    quads = []
    for name, rule in sorted(rules.items()):
        node = ox.NamedNode(str(rule_graph(name)))
        for predicate, value in ((RDF.type, PROV.Bundle), (RDFS.label, Literal(f"inferred: {rule.title}")),
                                 (DCTERMS.description, Literal(rule.description)),
                                 (DCTERMS.source, Literal(f"queries/rules/{rule.path.name}"))):
            term = ox.NamedNode(str(value)) if isinstance(value, URIRef) else ox.Literal(str(value))
            quads.append(ox.Quad(node, ox.NamedNode(str(predicate)), term, graph))
    return quads


def write_inferred(inference: Inference, folder: Path) -> None:
    """Write the inferred graphs as ``inferred.nq`` beside the dataset."""
    (folder / "inferred.nq").write_bytes(ox.serialize(inference.quads, format=ox.RdfFormat.N_QUADS))
