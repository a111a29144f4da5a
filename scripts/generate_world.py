#!/usr/bin/env python3
"""Write a synthetic coalition world of a chosen size as N-Quads, for scale benchmarks.

Usage:  python scripts/generate_world.py OUT.nq [--triples 1000000] [--seed 7] [--root .]

The world grows from the project's own last build (``out/graph/dataset.nq``, so any
coalition's data works): the ontology once, then the reference and claim graphs again
and again as "worlds" — each copy's instance IRIs get a suffix (``id/state/FRA-w7``,
``id/meeting/2025-03-27-paris-w7``) and its dates a shift of up to half a year either
way, drawn from the seed. Every copy has the build's shapes exactly (claims, evidence,
sources, office terms, contradictions), so every stored query does real work on it; the
coalitions are shared, so a coalition's members, meetings and pledges grow with the size.
At 1M triples that is about 1,700 states, 1,000 meetings, 11,000 participations, 2,000
pledges, 10,000 sources and 110,000 pieces of evidence. The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coalition_kg.namespaces import ID, ONTOLOGY_GRAPH  # noqa: E402

INSTANCE = re.compile(r"<" + re.escape(str(ID)) + r"([a-z-]+)/([^>]*)>")
DATE = re.compile(r'"(\d{4}-\d{2}-\d{2})"\^\^<http://www\.w3\.org/2001/XMLSchema#date>')
SHARED_KINDS = {"coalition"}  # one coalition across worlds: it grows rather than multiplies


def world(lines: list[str], number: int, shift: timedelta) -> list[str]:
    """One copy of the build's reference and claim quads, with its own IRIs and dates."""
    def rename(match: re.Match) -> str:
        kind, key = match.groups()
        return match.group() if kind in SHARED_KINDS else f"<{ID}{kind}/{key}-w{number}>"

    def move(match: re.Match) -> str:
        return match.group().replace(match.group(1), (date.fromisoformat(match.group(1)) + shift).isoformat())

    return [DATE.sub(move, INSTANCE.sub(rename, line)) for line in lines]


def generate(seed_quads: Path, out: Path, triples: int, seed: int) -> int:
    """Write about ``triples`` quads to ``out``; returns the number written."""
    ontology_marker = f"<{ONTOLOGY_GRAPH}> .\n"
    lines = seed_quads.read_text(encoding="utf-8").splitlines(keepends=True)
    ontology = [line for line in lines if line.endswith(ontology_marker)]
    data = [line for line in lines if not line.endswith(ontology_marker)]
    rng = random.Random(seed)
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.writelines(ontology + data)
        written += len(ontology) + len(data)
        copies = max(0, round((triples - written) / len(data)))  # the nearest whole number of worlds
        for number in range(1, copies + 1):
            handle.writelines(world(data, number, timedelta(days=rng.randint(-180, 180))))
            written += len(data)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the N-Quads file to write")
    parser.add_argument("--triples", type=int, default=1_000_000, help="about how many quads (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=7, help="the same seed gives the same file")
    parser.add_argument("--root", type=Path, default=ROOT, help="project whose last build seeds the world")
    args = parser.parse_args()
    seed_quads = args.root / "out" / "graph" / "dataset.nq"
    if not seed_quads.exists():
        sys.exit(f"no build at {seed_quads}; run `coalition-kg build` first")
    written = generate(seed_quads, args.out, args.triples, args.seed)
    print(f"{args.out}: {written} quads")


if __name__ == "__main__":
    main()
