"""Benchmark: inference (queries/rules/ to a fixpoint) from the shipped graph up to ~1M triples.

Usage:  python benchmarks/bench_infer.py [--copies 1 4 12 35]

The large graphs are the shipped dataset replicated: copy N renames every instance IRI
(``…/id/…``) by appending ``~cN``, so the copies share the ontology and the concept schemes
but no state, person, meeting or claim. Each size is loaded into Oxigraph (not timed with
the inference) and inferred to a fixpoint; the table gives seconds, rounds, triples inferred
and the process's peak memory, to show that inference grows with the graph and stops.
The first row also runs the same rules to a fixpoint on rdflib's SPARQL engine, the obvious
alternative, for the ratio.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from coalition_kg.build import run_build
from coalition_kg.infer import infer, load_rules
from coalition_kg.namespaces import ID, ONTOLOGY_GRAPH
from coalition_kg.project import Project

ROOT = Path(__file__).resolve().parents[1]


def replicate(quads: list[ox.Quad], copies: int) -> list[ox.Quad]:
    """The instance data ``copies`` times over with renamed IRIs; the ontology graph once."""
    def rename(term, n):
        return ox.NamedNode(f"{term.value}~c{n}") if isinstance(term, ox.NamedNode) and term.value.startswith(str(ID)) \
            else term
    ontology = [q for q in quads if q.graph_name.value == str(ONTOLOGY_GRAPH)]
    data = [q for q in quads if q.graph_name.value != str(ONTOLOGY_GRAPH)]
    result = list(ontology)
    for n in range(copies):
        result += [ox.Quad(rename(q.subject, n), q.predicate, rename(q.object, n), q.graph_name) for q in data]
    return result


def rdflib_fixpoint(path: Path, folder: Path) -> tuple[float, int]:
    """The same rules to a fixpoint on rdflib's engine: seconds and triples inferred."""
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    rules = load_rules(folder)
    graph = dataset.graph(URIRef("urn:inferred"))
    start, total = time.perf_counter(), 0
    while True:
        new = {t for rule in rules.values() for t in dataset.query(rule.text) if t not in dataset}
        if not new:
            return time.perf_counter() - start, total
        for triple in new:
            graph.add(triple)
        total += len(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4, 12, 35])
    args = parser.parse_args()
    folder = ROOT / "queries" / "rules"
    with tempfile.TemporaryDirectory() as out:
        project = Project(ROOT, out=Path(out))
        run_build(project)
        path = project.out_dir / "graph" / "dataset.nq"
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
        print("| copies | quads | load s | inference s | rounds | inferred triples | peak memory MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        first = None
        for copies in args.copies:
            store = ox.Store()
            start = time.perf_counter()
            store.bulk_extend(replicate(quads, copies))
            loaded = time.perf_counter() - start
            start = time.perf_counter()
            result = infer(store, folder)
            seconds = time.perf_counter() - start
            first = seconds if copies == 1 else first
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            inferred = sum(result.counts().values())
            print(f"| {copies} | {len(store) - inferred:,} | {loaded:.1f} | {seconds:.1f} | {len(result.rounds)} | "
                  f"{inferred:,} | {peak:.0f} |")
        if first is None:
            return
        rdflib_seconds, rdflib_triples = rdflib_fixpoint(path, folder)
        print(f"\nShipped graph, same rules to a fixpoint: rdflib's engine {rdflib_seconds:.1f} s "
              f"({rdflib_triples:,} triples), Oxigraph {first:.2f} s: {rdflib_seconds / first:.0f}× faster.")


if __name__ == "__main__":
    main()
