"""Benchmark: ingesting generated news articles (about 5 KB each) on one core.

Usage:  python benchmarks/bench_ingest.py [--count 1000]

Two figures, in one run:
1. the extraction pipeline per document — read, find the parts, extract the claims, write
   them as triples — in documents per second of one core's time (the process's CPU time, which
   other work on the machine does not inflate; wall-clock time beside it), with the process's
   peak memory after each quarter of the documents, which must stay flat;
2. `coalition-kg ingest` of the whole folder into a copy of the project: registering every
   document and one build of the dataset with all of them, end to end, with the build's stages;
3. the SHACL shapes over that dataset on pyshacl-turbo, the engine the build uses, against
   pySHACL, the reference implementation, with the number of violations each reports.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyshacl
import pyshacl_turbo
from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from coalition_kg.build import _Builder
from coalition_kg.documents import Rules, read_document
from coalition_kg.extract import extract
from coalition_kg.extracted import DocumentWriter
from coalition_kg.ingest import REGISTERED, metadata_for
from coalition_kg.lexicon import build_lexicon
from coalition_kg.load import load_data
from coalition_kg.project import Project
from coalition_kg.schema import Context, Location
from coalition_kg.validate import SHAPES_FILE

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_documents.py"), str(docs),
                        "--count", str(args.count)], check=True)
        files = sorted(docs.glob("*.txt"))
        size = sum(f.stat().st_size for f in files) / len(files)
        project = Project(ROOT)
        data = load_data(project)
        rules, lex = Rules.load(project.graph_dir / "extraction"), build_lexicon(data, project.graph_dir / "extraction")
        claims, memory, start, cpu = 0, [], time.perf_counter(), time.process_time()
        for number, path in enumerate(files, start=1):
            meta = metadata_for(path, None, {})
            record = REGISTERED({**meta, "versions": [{"file": "v1.txt", "sha256": "0" * 64}]},
                                Context(str(path)), Location(str(path), None, ""))
            document = read_document(path, rules)
            extraction = extract(document, lex, record["issued"])
            builder = _Builder(data, Dataset())
            DocumentWriter(builder, lex, path.stem, record, document, extraction).write()
            claims += len(extraction.claims)
            if number % (len(files) // 4) == 0:
                memory.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"{len(files)} generated documents of {size / 1000:.1f} KB on average, {claims} claims extracted")
        print(f"extraction pipeline: {len(files) / cpu:.0f} documents per CPU second ({cpu:.1f} s of one core; "
              f"{len(files) / seconds:.0f} documents/s wall clock), "
              f"peak memory (RSS) after each quarter: {', '.join(f'{m:.0f} MB' for m in memory)}")

        copy = Path(tmp) / "project"
        for folder in ("graph", "ontology", "queries"):
            shutil.copytree(ROOT / folder, copy / folder)
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "coalition_kg", "ingest", "--root", str(copy), str(docs)],
                             check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
        print(f"coalition-kg ingest of the folder (register + one full build): {seconds:.1f} s, "
              f"{len(files) / seconds:.0f} documents/s end to end; the build's stages: {stages(run.stderr, seconds)}")
        compare_shape_engines(copy / "out" / "graph" / "dataset.nq")


def compare_shape_engines(nquads: Path) -> None:
    """The build's SHACL engine against the reference implementation, on the same data."""
    dataset = Dataset()
    dataset.parse(nquads, format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    shapes = Graph().parse(ROOT / "ontology" / SHAPES_FILE, format="turtle")
    timings = {}
    for name, engine, data in (("pyshacl-turbo", pyshacl_turbo, dataset), ("pySHACL", pyshacl, union)):
        start = time.process_time()
        _, report, _ = engine.validate(data, shacl_graph=shapes, inference="none", advanced=True)
        timings[name] = time.process_time() - start
        print(f"SHACL shapes over the {len(dataset):,} quads on {name}: {timings[name]:.1f} s, "
              f"{len(set(report.subjects(RDF.type, SH.ValidationResult)))} violations")
    print(f"pyshacl-turbo is {timings['pySHACL'] / timings['pyshacl-turbo']:.1f}× faster")


def stages(progress: str, total: float) -> str:
    """'building the dataset 24.1 s, checking … 61.0 s, …' from the build's progress lines
    ('[  1.1s] building the dataset'): each stage lasts until the next one starts, the last until the end."""
    marks = [(float(m.group(1)), m.group(2)) for m in re.finditer(r"^\[\s*([\d.]+)s\] (.+)$", progress, re.MULTILINE)]
    marks.append((total, ""))
    return ", ".join(f"{name} {end - begin:.1f} s" for (begin, name), (end, _) in zip(marks, marks[1:]))


if __name__ == "__main__":
    main()
