"""Load test: many clients at once on `coalition-kg serve`, from another process, over loopback.

Usage:  python benchmarks/bench_endpoint_load.py [--clients 20] [--seconds 30]

Starts `coalition-kg serve` on a free port of 127.0.0.1 over the last build (run
`coalition-kg build` first), then runs ``--clients`` client threads in this process for
``--seconds``; each sends the stored queries (those that need no network), in turn and with
their default parameters, through the project's own SPARQL-endpoint store (the SPARQL 1.1
Protocol client that `--store URL` uses). Prints requests, errors, throughput and latency
percentiles; exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from coalition_kg.queries import load_all
from coalition_kg.remote import SparqlStore

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.servers import free_port, wait_for  # noqa: E402 - the tests' loopback helpers


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(url: str, names: list[str], offset: int, until: float, tally: Tally) -> None:
    """Send the stored queries one after another (starting at ``offset``) until ``until``."""
    store = SparqlStore(url)
    stored = load_all(ROOT / "queries")
    index = offset
    while time.monotonic() < until:
        query = stored[names[index % len(names)]]
        index += 1
        started = time.perf_counter()
        try:
            query.run(store)
            outcome = None
        except Exception as exc:  # every failure counts, whatever its kind
            outcome = f"{query.name}: {type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.latencies.append(elapsed)
            if outcome:
                tally.errors.append(outcome)


def run(clients: int, seconds: float, root: Path = ROOT) -> Tally:
    """Serve the build of ``root`` and load it; returns what the clients measured."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "coalition_kg", "serve", "--root", str(root),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/", seconds=60)
        url = f"http://127.0.0.1:{port}/sparql"
        names = sorted(name for name, q in load_all(root / "queries").items() if q.offline)
        tally, until = Tally(), time.monotonic() + seconds
        threads = [threading.Thread(target=client, args=(url, names, i, until, tally)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return tally
    finally:
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    tally = run(args.clients, args.seconds)
    latencies = sorted(tally.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"{args.clients} clients for {args.seconds:.0f} s: {len(latencies)} requests, {len(tally.errors)} errors, "
          f"{len(latencies) / args.seconds:.1f} requests/s; latency median {statistics.median(latencies) * 1000:.0f} ms, "
          f"95th percentile {p95 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    for error in tally.errors[:10]:
        print("  error:", error)
    sys.exit(1 if tally.errors else 0)


if __name__ == "__main__":
    main()
