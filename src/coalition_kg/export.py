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


def canonical_nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads with sorted lines: identical input gives identical bytes."""
    text = dataset.serialize(format="nquads")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _bind(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)


def write_files(nquads: str, report: dict, folder: Path) -> None:
    """Write every output format into ``folder`` from canonical N-Quads."""
    (folder / "dataset.nq").write_text(nquads, encoding="utf-8")
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    _bind(dataset)
    (folder / "dataset.trig").write_text(dataset.serialize(format="trig"), encoding="utf-8")
    union = Graph()
    _bind(union)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    (folder / "union.ttl").write_text(union.serialize(format="turtle"), encoding="utf-8")
    context = {"@context": dict(sorted(PREFIXES.items()))}
    (folder / "context.jsonld").write_text(json.dumps(context, indent=2) + "\n", encoding="utf-8")
    jsonld = dataset.serialize(format="json-ld", context=context["@context"], indent=1, sort_keys=True)
    (folder / "dataset.jsonld").write_text(jsonld, encoding="utf-8")
    (folder / "build-report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")


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
