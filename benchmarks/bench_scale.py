"""Benchmark at scale: load rate and every stored query at 100k and 1M triples, per backend.

Usage:  python benchmarks/bench_scale.py [--sizes 100000 1000000] [--repeat 3] [--rdflib-limit 10]
                                         [--markdown benchmarks/scale.md]

For each size, scripts/generate_world.py writes a synthetic world grown from the last
build (run `coalition-kg build` first); then, in one run, it is loaded into Oxigraph in
memory (the default backend), Oxigraph persisted on disk, and rdflib's in-memory store,
and every stored query that needs no network runs with its default parameters: the
median of ``--repeat`` timed runs after one untimed run on Oxigraph, one timed run on
rdflib, stopped after ``--rdflib-limit`` seconds (reported as "> N"). Prints a Markdown
table and writes it to ``--markdown``.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from generate_world import generate  # noqa: E402

from coalition_kg import queries  # noqa: E402
from coalition_kg.store import open_store  # noqa: E402


class Stopped(Exception):
    pass


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def limited(function, seconds: float) -> float | None:
    """Seconds ``function`` took, or None when stopped at ``seconds`` (rdflib is pure Python,
    so the alarm's exception interrupts it)."""
    def stop(signum, frame):
        raise Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return timed(function)
    except Stopped:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def measure(size: int, folder: Path, args: argparse.Namespace) -> tuple[dict, dict]:
    """(load rates by backend, {query: {backend: seconds or None}}) for one size."""
    path = folder / f"world-{size}.nq"
    quads = generate(ROOT / "out" / "graph" / "dataset.nq", path, size, seed=7)
    stores = {"oxigraph": open_store("oxigraph"), "oxigraph:disk": open_store(f"oxigraph:{folder / f'store-{size}'}"),
              "memory (rdflib)": open_store("memory")}
    rates = {}
    for name, store in stores.items():
        seconds = timed(lambda s=store: s.load(path))
        rates[name] = quads / seconds
        print(f"{size}: loaded {quads} quads into {name} in {seconds:.1f} s", file=sys.stderr, flush=True)
    answers: dict[str, dict] = {}
    for name, stored in queries.load_all(ROOT / "queries").items():
        if not stored.offline:  # it calls Wikidata
            continue
        row = answers[name] = {}
        for backend, store in stores.items():
            if backend.startswith("memory"):
                row[backend] = limited(lambda q=stored, s=store: q.run(s), args.rdflib_limit)
            else:
                stored.run(store)
                row[backend] = statistics.median(timed(lambda q=stored, s=store: q.run(s)) for _ in range(args.repeat))
        print(f"{size}: {name} {row}", file=sys.stderr, flush=True)
    rates["quads"] = len(stores["oxigraph"])
    return rates, answers


def cell(seconds: float | None, limit: float) -> str:
    return f"> {limit:g}" if seconds is None else f"{seconds:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-limit", type=float, default=10.0)
    parser.add_argument("--markdown", type=Path, default=ROOT / "benchmarks" / "scale.md")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            results[size] = measure(size, Path(tmp), args)
    backends = [b for b in next(iter(results.values()))[0] if b != "quads"]
    lines = ["| load (quads/s) | " + " | ".join(f"{results[s][0]['quads']:,} quads" for s in args.sizes) + " |",
             "|---|" + "---:|" * len(args.sizes)]
    lines += [f"| {b} | " + " | ".join(f"{results[s][0][b]:,.0f}" for s in args.sizes) + " |" for b in backends]
    lines += ["", "| query | " + " | ".join(f"{b} s @ {s:,}" for s in args.sizes for b in backends)
              + " | " + " | ".join(f"speed-up @ {s:,}" for s in args.sizes) + " |",
              "|---|" + "---:|" * (len(backends) + 1) * len(args.sizes)]
    for name in results[args.sizes[0]][1]:
        cells = [cell(results[s][1][name][b], args.rdflib_limit) for s in args.sizes for b in backends]
        ratios = []
        for s in args.sizes:
            fast, slow = results[s][1][name]["oxigraph"], results[s][1][name]["memory (rdflib)"]
            ratios.append(f"> {args.rdflib_limit / fast:.0f}×" if slow is None else f"{slow / fast:.0f}×")
        lines.append(f"| {name} | " + " | ".join(cells + ratios) + " |")
    table = "\n".join(lines) + "\n"
    print(table)
    args.markdown.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
