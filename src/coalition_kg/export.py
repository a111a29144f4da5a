"""Write the built dataset to disk, deterministically and atomically.

Files (in ``out/graph/``): ``dataset.nq`` (N-Quads, lines sorted — the canonical form
the stores load and tests compare), ``dataset.trig``, ``union.ttl`` (every graph merged),
``dataset.jsonld`` with ``context.jsonld``, and ``build-report.json``.

A build writes into a fresh sibling folder and swaps it in with renames only once every
file is complete, holding a lock so two builds cannot interleave; a build that fails or
is killed leaves the previous output as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from rdflib import Dataset, Graph

from .namespaces import PREFIXES

OUTPUT_FILES = ("dataset.nq", "dataset.trig", "union.ttl", "dataset.jsonld", "context.jsonld", "build-report.json")


def ordered_copy(dataset: Dataset) -> Dataset:
    """A copy of ``dataset`` whose quads were inserted in sorted order.

    Serialisers walk the store in insertion order; inserting sorted quads makes TriG,
    Turtle and JSON-LD output independent of the order the build happened to add them.
    Blank nodes keep their labels, which the build made canonical.
    """
    copy = Dataset()
    quads = sorted(dataset.quads((None, None, None, None)),
                   key=lambda q: (str(q[3].identifier if hasattr(q[3], "identifier") else q[3]),
                                  q[0].n3(), q[1].n3(), q[2].n3()))
    for s, p, o, g in quads:
        copy.graph(g.identifier if hasattr(g, "identifier") else g).add((s, p, o))
    return copy


def canonical_nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads with sorted lines: identical input gives identical bytes."""
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)


def write_files(dataset: Dataset, report: dict, folder: Path) -> None:
    """Write every output format of ``dataset`` (an ``ordered_copy``) into ``folder``."""
    (folder / "dataset.nq").write_text(canonical_nquads(dataset), encoding="utf-8")
    _bind(dataset)
    (folder / "dataset.trig").write_text(trig(dataset), encoding="utf-8")
    union = Graph()
    _bind(union)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    (folder / "union.ttl").write_text(union.serialize(format="turtle"), encoding="utf-8")
    context = {"@context": dict(sorted(PREFIXES.items()))}
    (folder / "context.jsonld").write_text(json.dumps(context, indent=2) + "\n", encoding="utf-8")
    jsonld = json.loads(dataset.serialize(format="json-ld", context=context["@context"]))
    (folder / "dataset.jsonld").write_text(json.dumps(_sorted_jsonld(jsonld), indent=1, sort_keys=True,
                                                      ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "build-report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def trig(dataset: Dataset) -> str:
    """TriG written graph by graph in IRI order, each body by rdflib's (sorted) Turtle writer.

    rdflib's own TriG writer visits graphs in hash order, which changes between runs.
    """
    prefixes: set[str] = set()
    blocks = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph):
            continue
        copy = Graph()
        _bind(copy)
        for triple in graph:
            copy.add(triple)
        lines = copy.serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = "\n".join("    " + line if line else "" for line in lines if not line.startswith("@prefix")).strip("\n")
        blocks.append(f"<{graph.identifier}> {{\n{body}\n}}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(blocks)


def _sorted_jsonld(node: object) -> object:
    """Sort JSON-LD arrays, which are unordered sets, so output does not depend on hash order.

    ``@list`` values are ordered and stay as they are.
    """
    if isinstance(node, dict):
        return {k: (v if k == "@list" else _sorted_jsonld(v)) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """An exclusive lock beside ``target``, held while a build replaces it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def replace_folder(target: Path, fill) -> None:
    """Call ``fill(folder)`` on a fresh temporary folder, then swap it in for ``target``."""
    with build_lock(target):
        staging = target.parent / f".{target.name}.new-{os.getpid()}"
        retired = target.parent / f".{target.name}.old-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            fill(staging)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if target.exists():
            os.rename(target, retired)
        os.rename(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
