"""Make the shipped Wikidata snapshot without Wikidata: run `link --refresh` against a stand-in.

The machines this project is built and tested on reach no Wikidata. So the shipped snapshot
(graph/reference/wikidata.yaml) is made by the real client and the real queries, sent to an
Oxigraph server on loopback that serves a Wikidata-shaped stand-in:

- the states, organisations and offices whose QID graph/reference/ marks well-known or
  verified, with their names as labels and aliases, their ISO codes, and their type
  (sovereign state and country; international organisation; position);
- scripts/wikidata-standin/facts.ttl: people, positions held, heads of state and government,
  NATO and EU memberships, each with where it was checked;
- scripts/wikidata-standin/labels.ttl: country names in seven languages (Unicode CLDR).

With the network, run `coalition-kg link --refresh` instead: it asks query.wikidata.org and
replaces the snapshot with Wikidata's own answers.

Usage:  .venv/bin/python scripts/make_wikidata_snapshot.py [--port 7879]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDFS, SKOS

from coalition_kg.link import CURATED_STATUSES
from coalition_kg.load import load_data
from coalition_kg.namespaces import WD, WDT
from coalition_kg.project import Project

ROOT = Path(__file__).resolve().parents[1]
STANDIN = ROOT / "scripts" / "wikidata-standin"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
SOVEREIGN_STATE, COUNTRY, INTERNATIONAL_ORGANIZATION, POSITION = WD.Q3624078, WD.Q6256, WD.Q484652, WD.Q4164871


def curated_items(project: Project) -> Graph:
    """The states, organisations and offices whose QIDs are well-known or verified, as Wikidata would show them."""
    data = load_data(project)
    graph = Graph()
    for name, types in (("reference/states.yaml", (COUNTRY, SOVEREIGN_STATE)),
                        ("reference/organizations.yaml", (INTERNATIONAL_ORGANIZATION,)),
                        ("reference/offices.yaml", (POSITION,))):
        for record in data.records(name):
            if record.get("wikidata") is None or record["wikidata_status"].key not in CURATED_STATUSES:
                continue
            item = WD[record["wikidata"]]
            graph.add((item, RDFS.label, Literal(record["name"], lang="en")))
            for alias in [*record.get("aliases", []), *filter(None, [record.get("official_name")])]:
                if alias != record["name"]:
                    graph.add((item, SKOS.altLabel, Literal(alias, lang="en")))
            for kind in types:
                graph.add((item, WDT.P31, kind))
            for field, prop in (("iso3", WDT.P298), ("iso2", WDT.P297)):
                if record.get(field):
                    graph.add((item, prop, Literal(record[field])))
    return graph


def wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the Oxigraph stand-in did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=7879, help="loopback port of the stand-in (default 7879)")
    args = parser.parse_args()
    project = Project(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / "curated.ttl"
        curated_items(project).serialize(generated, format="turtle")
        files = [generated, STANDIN / "facts.ttl", STANDIN / "labels.ttl"]
        subprocess.run([OXIGRAPH, "load", "--location", f"{folder}/store", "--file", *files], check=True)
        server = subprocess.Popen([OXIGRAPH, "serve-read-only", "--location", f"{folder}/store",
                                   "--bind", f"127.0.0.1:{args.port}"])
        try:
            wait_for(args.port, server)
            subprocess.run([Path(sys.executable).parent / "coalition-kg", "link", "--refresh",
                            "--endpoint", f"http://127.0.0.1:{args.port}/query",
                            "--cache-dir", f"{folder}/cache", "--root", ROOT], check=True)
        finally:
            server.terminate()
            server.wait()
    mark_as_standin(project.graph_dir / "reference" / "wikidata.yaml")


def mark_as_standin(snapshot: Path) -> None:
    """Say in the snapshot itself that its answers came from the stand-in, not from Wikidata."""
    text = snapshot.read_text(encoding="utf-8")
    note = ("note: made by scripts/make_wikidata_snapshot.py against a local stand-in for Wikidata (curated QIDs\n"
            "  and the checked facts in scripts/wikidata-standin/), not by Wikidata itself; run `coalition-kg link\n"
            "  --refresh` with the network to replace it with Wikidata's answers.\n")
    snapshot.write_text(text.replace("\nagent:", "\n" + note + "agent:", 1), encoding="utf-8")


if __name__ == "__main__":
    main()
