"""Files for other tools: GraphML and GEXF (Gephi, Cytoscape), CSV (spreadsheets), RDF.

The network formats hold a network of ``networks.py`` — by default everything (every
participation, representation, pledge, signature and statement as an edge between
entities), or the selection of one view — with every node and edge attribute. GraphML and GEXF are read
back by networkx with the same attributes (tested). The RDF formats are those of the
build: for the whole graph, copies of the build's files; for a view's selection, the
triples of its entities, its claims and their evidence, in their named graphs. Each file
is written beside its place and renamed into it, so none is ever left half-written.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from .export import replacing
from .namespaces import expand

NETWORK_FORMATS = ("graphml", "gexf", "csv")
RDF_FILES = ("dataset.trig", "dataset.nq", "union.ttl", "dataset.jsonld", "context.jsonld")
FORMATS = (*NETWORK_FORMATS, "rdf")


def _columns(items: list[dict]) -> list[str]:
    return sorted({key for item in items for key in item})


def write_csv(graph: nx.Graph, folder: Path, stem: str) -> list[Path]:
    """``<stem>-nodes.csv`` (id and attributes) and ``<stem>-edges.csv`` (source, target, key, attributes)."""
    nodes = [{"id": n, **d} for n, d in graph.nodes(data=True)]
    if graph.is_multigraph():
        edges = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in graph.edges(keys=True, data=True)]
    else:
        edges = [{"source": u, "target": v, **d} for u, v, d in graph.edges(data=True)]
    paths = []
    for name, rows, first in (("nodes", nodes, ["id"]), ("edges", edges, ["source", "target", "key"])):
        path = folder / f"{stem}-{name}.csv"
        leading = [c for c in first if any(c in r for r in rows)]
        columns = leading + [c for c in _columns(rows) if c not in leading]
        with replacing(path) as partial, open(partial, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return paths


def write_network(graph: nx.Graph, folder: Path, stem: str, fmt: str) -> list[Path]:
    """Write ``graph`` as ``fmt`` (graphml, gexf or csv) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        return write_csv(graph, folder, stem)
    path = folder / f"{stem}.{fmt}"
    with replacing(path) as partial:
        if fmt == "graphml":
            nx.write_graphml(graph, partial, named_key_ids=True)
        else:
            nx.write_gexf(graph, partial)
    return [path]


def selection_terms(graph: nx.Graph) -> set[str]:
    """Full IRIs of a network's entities and claims."""
    refs = set(graph.nodes) | {d["claim"] for *_, d in graph.edges(data=True) if d.get("claim")}
    return {str(expand(r)) for r in refs if expand(r)}


def write_rdf(dataset_folder: Path, folder: Path, graph: nx.Graph | None = None,
              stem: str = "dataset") -> list[Path]:
    """The build's RDF: all of it, or (given a network) the triples about its entities and claims.

    A selection keeps each quad whose subject is one of the network's entities or claims,
    or the evidence of one of those claims, so every claim keeps its sources.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if graph is None:
        paths = []
        for name in RDF_FILES:
            with replacing(folder / name) as partial:
                shutil.copyfile(dataset_folder / name, partial)
            paths.append(folder / name)
        return paths
    wanted = selection_terms(graph)
    quads = list(ox.parse(path=str(dataset_folder / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    evidence = {q.object.value for q in quads if q.subject.value in wanted and isinstance(q.object, ox.NamedNode)
                and q.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom"}
    chosen = [q for q in quads if isinstance(q.subject, ox.NamedNode) and q.subject.value in wanted | evidence]
    paths = []
    for suffix, fmt in (("nq", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG)):
        with replacing(folder / f"{stem}.{suffix}") as partial:
            partial.write_bytes(ox.serialize(chosen, format=fmt))
        paths.append(folder / f"{stem}.{suffix}")
    return paths
