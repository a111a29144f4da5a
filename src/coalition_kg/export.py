"""Write the built dataset to disk, deterministically and atomically.

Files (in ``out/graph/``): ``dataset.nq`` (N-Quads sorted by graph, subject, predicate and
object — the canonical form the stores load and tests compare), ``dataset.trig``,
``union.ttl`` (every graph merged), ``dataset.jsonld`` (compacted with ``context.jsonld``)
and ``build-report.json``.

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

import pyoxigraph as ox
from rdflib import Dataset

from .namespaces import PREFIXES
from .store import to_ox

OUTPUT_FILES = ("dataset.nq", "dataset.trig", "union.ttl", "dataset.jsonld", "context.jsonld", "build-report.json",
                "inferred.nq")


def _lines(dataset: Dataset) -> list[tuple[str, str, str, str]]:
    """Every quad of ``dataset`` as (graph, subject, predicate, object) in Oxigraph's N-Triples
    form, sorted. Each distinct term is converted once: a dataset repeats a few thousand IRIs
    hundreds of thousands of times."""
    terms: dict = {}

    def written(term) -> str:
        if term not in terms:
            terms[term] = str(to_ox(term))
        return terms[term]

    return sorted((written(g.identifier if hasattr(g, "identifier") else g), written(s), written(p), written(o))
                  for s, p, o, g in dataset.quads((None, None, None, None)))


def nquads(dataset: Dataset) -> bytes:
    """Every quad of ``dataset`` as N-Quads, one line per quad in a fixed order (graph, subject,
    predicate, object), so the same graph gives the same bytes; blank nodes keep the canonical
    labels the build gave them."""
    return _nquads(_lines(dataset))


def _nquads(lines: list[tuple[str, str, str, str]]) -> bytes:
    return "".join(f"{s} {p} {o} {g} .\n" for g, s, p, o in lines).encode("utf-8")


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of ``dataset`` as Oxigraph terms, in the order of ``nquads`` (read back by
    Oxigraph's parser: faster than making the quads one by one from Python)."""
    return list(ox.parse(nquads(dataset), format=ox.RdfFormat.N_QUADS))


def write_files(dataset: Dataset, report: dict, folder: Path) -> None:
    """Write every output format of ``dataset`` into ``folder``.

    Oxigraph's writers are used for speed (rdflib's take minutes past half a million triples);
    the JSON-LD is compacted with the project's prefixes as its context.
    """
    lines = _lines(dataset)
    canonical = _nquads(lines)
    quads = list(ox.parse(canonical, format=ox.RdfFormat.N_QUADS))
    prefixes = dict(sorted(PREFIXES.items()))
    (folder / "dataset.nq").write_bytes(canonical)
    (folder / "dataset.trig").write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
    union = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted({line[1:] for line in lines})).encode("utf-8")
    triples = ox.parse(union, format=ox.RdfFormat.N_TRIPLES)  # every graph merged, each triple once
    (folder / "union.ttl").write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
    (folder / "context.jsonld").write_text(json.dumps({"@context": prefixes}, indent=2) + "\n", encoding="utf-8")
    expanded = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    compact = {"@context": prefixes, "@graph": _compact(expanded, Curies(prefixes))}
    # No indent: json's fast C encoder is only used without one (a third of the write time otherwise).
    (folder / "dataset.jsonld").write_text(json.dumps(compact, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "build-report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")


class Curies(dict):
    """IRI → prefixed name (or the IRI itself when no prefix covers it), remembered per IRI:
    a dataset repeats the same few thousand IRIs hundreds of thousands of times."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        super().__init__()
        self.longest_first = sorted(prefixes.items(), key=lambda item: len(item[1]), reverse=True)

    def __missing__(self, iri: str) -> str:
        name = next((f"{p}:{iri[len(ns):]}" for p, ns in self.longest_first
                     if iri.startswith(ns) and len(iri) > len(ns)), iri)
        self[iri] = name
        return name


def _compact(node: object, curies: Curies) -> object:
    """Expanded JSON-LD → the same data with property names, @id and @type written as prefixed
    names of the context (a compact IRI in those places expands back to the full IRI)."""
    if isinstance(node, list):
        return [_compact(item, curies) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        name = key if key.startswith("@") else curies[key]
        if key in ("@id", "@type") and isinstance(value, str):
            result[name] = curies[value]
        elif key == "@type" and isinstance(value, list):
            result[name] = [curies[v] for v in value]
        elif key in ("@value", "@language"):
            result[name] = value
        else:
            result[name] = _compact(value, curies)
    return result


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


def recover(target: Path) -> None:
    """Clean up after a build that was killed; call with the lock held.

    No other build is running then, so every staging folder is debris. A build killed between
    its two renames left no ``target`` but the previous output as a retired folder: put it back.
    """
    for staging in target.parent.glob(f".{target.name}.new-*"):
        shutil.rmtree(staging, ignore_errors=True)
    retired = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if retired and not target.exists():
        os.rename(retired.pop(), target)
    for folder in retired:
        shutil.rmtree(folder, ignore_errors=True)


def replace_folder(target: Path, fill) -> None:
    """Call ``fill(folder)`` on a fresh temporary folder, then swap it in for ``target``."""
    with build_lock(target):
        recover(target)
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


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; it replaces ``target`` only once the
    block ends without an error, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
