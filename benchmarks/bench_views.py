"""How long a large view takes to draw in Chromium: 2,000 nodes and 10,000 edges.

Generates a network shaped like ours (states, organisations and people linked to meetings,
each edge a claim with a tooltip, a date, a source count), writes it as a view page and
opens it offline in headless Chromium, measuring from navigation start to the first
complete drawing (``performance.now()`` at vis-network's first ``afterDrawing``). The
obvious alternative, letting vis-network lay the network out with its physics (pyvis's
default), is measured in the same run: time until its layout has stabilised and drawn.

    .venv/bin/python benchmarks/bench_views.py [--nodes 2000] [--edges 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx

from coalition_kg import views
from coalition_kg.browser import chromium, open_view, wait_until

KINDS = ("state", "organization", "person", "meeting", "declaration")


def generate(nodes: int, edges: int, seed: int = 7) -> nx.MultiDiGraph:
    """A random network of entities and claims with the attributes the views use."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(name="generated", title=f"Generated network: {nodes} nodes, {edges} edges")
    meetings = [f"meeting:m{i}" for i in range(nodes // 5)]
    others = [f"{KINDS[i % 3]}:n{i}" for i in range(nodes - len(meetings))]
    for node in meetings + others:
        kind = node.split(":")[0]
        graph.add_node(node, label=f"{kind.capitalize()} {node.split(':')[1]}", kind=kind, member=rng.random() < 0.5)
    for number in range(edges):
        source, target = rng.choice(others), rng.choice(meetings)
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        graph.add_edge(source, target, key=f"claim:{number}", kind="participation", date=day,
                       attendance=rng.choice(("in person", "remote", "absent")), contested=rng.random() < 0.02,
                       weak_only=rng.random() < 0.1, sources=rng.randint(1, 9), claim=f"claim:{number}",
                       title=f"{source} at {target} ({day})\nClaim: claim:{number}\n3 sources; first: Example News")
    return graph


def draw_ms(browser, page: Path, physics: bool) -> float:
    opened = open_view(browser, page, timeout_ms=600_000)
    if physics:
        wait_until(opened.page, "window.ckg.stabilizedAt !== null", 600_000)
        value = opened.page.evaluate("Math.max(ckg.stabilizedAt, ckg.drawnAt)")
    else:
        value = opened.page.evaluate("ckg.drawnAt")
    assert not opened.blocked and not opened.errors, (opened.blocked, opened.errors)
    drawn = opened.drawn()
    opened.page.close()
    return value, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--edges", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    graph = generate(args.nodes, args.edges)
    folder = Path(tempfile.mkdtemp(prefix="bench-views-"))
    started = time.perf_counter()
    fixed = views.write(graph, folder / "networkx-layout.html")
    layout_s = time.perf_counter() - started
    started = time.perf_counter()
    free = views.write(graph, folder / "browser-physics.html", physics=True)
    free_s = time.perf_counter() - started
    print(f"generated: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    print(f"page with networkx layout: written in {layout_s:.1f} s, {fixed.stat().st_size / 1e6:.1f} MB")
    print(f"page with browser physics: written in {free_s:.1f} s, {free.stat().st_size / 1e6:.1f} MB")
    with chromium() as browser:
        timings = {}
        for name, page, physics in (("networkx layout, physics off", fixed, False),
                                    ("vis-network physics until stable", free, True)):
            runs = []
            for _ in range(args.runs if not physics else 1):
                value, drawn = draw_ms(browser, page, physics)
                runs.append(value)
            timings[name] = statistics.median(runs)
            print(f"{name}: drawn in {timings[name] / 1000:.2f} s (median of {len(runs)}; "
                  f"{drawn['nodes']} nodes, {drawn['edges']} edges drawn)")
    first, second = timings.values()
    print(f"ratio: browser physics takes {second / first:.1f}× as long to a finished drawing")


if __name__ == "__main__":
    main()
