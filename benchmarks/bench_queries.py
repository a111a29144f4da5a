"""Benchmark: build time, load time and every stored query on each backend, in one run.

Usage:  python benchmarks/bench_queries.py [--repeat 5]

Prints a Markdown table (median seconds per query on rdflib's memory store and on
Oxigraph, and their ratio) for the README. Setup (build, load) is timed separately from
the queries, and each query runs once untimed first so parsers and caches are warm.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from coalition_kg import queries
from coalition_kg.api import dataset_path
from coalition_kg.build import run_build
from coalition_kg.project import Project
from coalition_kg.store import BACKENDS, open_store

ROOT = Path(__file__).resolve().parents[1]


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (median reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        project = Project(ROOT, out=Path(out))
        build_seconds = timed(lambda: run_build(project))
        path = dataset_path(project)
        stores, load_seconds = {}, {}
        for name in sorted(BACKENDS):
            stores[name] = open_store(name)
            load_seconds[name] = timed(lambda s=stores[name]: s.load(path))
        triples = len(stores["oxigraph"])
        print(f"Shipped data: {triples} quads. Build (check + RDF + all formats): {build_seconds:.1f} s.")
        print("Load N-Quads: " + ", ".join(f"{n} {s:.2f} s" for n, s in load_seconds.items()) + "\n")
        print("| query | memory (rdflib) s | oxigraph s | ratio |")
        print("|---|---:|---:|---:|")
        ratios = []
        for name, stored in queries.load_all(project.queries_dir).items():
            if not stored.offline:   # federated examples call Wikidata
                continue
            medians = {}
            for backend, store in stores.items():
                stored.run(store)
                medians[backend] = statistics.median(timed(lambda q=stored, s=store: q.run(s)) for _ in range(args.repeat))
            ratio = medians["memory"] / medians["oxigraph"]
            ratios.append(ratio)
            print(f"| {name} | {medians['memory']:.3f} | {medians['oxigraph']:.4f} | {ratio:.1f}× |")
        print(f"\nMedian speed-up of Oxigraph over rdflib's memory store: {statistics.median(ratios):.0f}×")


if __name__ == "__main__":
    main()
