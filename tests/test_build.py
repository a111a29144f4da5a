"""The build: named graphs, evidence on every claim, deterministic IRIs and bytes, atomic output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from coalition_kg import export
from coalition_kg.build import run_build
from coalition_kg.namespaces import CKG, CURATED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, iri
from coalition_kg.project import Project

from .conftest import copy_project, KITCHEN_SINK


def load(project: Project) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(project.out_dir / "graph" / "dataset.nq", format="nquads")
    return dataset


def test_the_build_writes_every_format_and_they_hold_the_same_quads(kitchen_sink):
    run_build(kitchen_sink)
    folder = kitchen_sink.out_dir / "graph"
    assert sorted(p.name for p in folder.iterdir()) == sorted(export.OUTPUT_FILES)
    def ground(dataset: Dataset) -> tuple[int, set[tuple[str, ...]]]:
        """Quads as comparable values (literals by value: Turtle writes 1600000000 as 1600000000.0),
        leaving out the ontology's blank nodes, whose labels differ from parse to parse."""
        def value(term):
            return (str(term.datatype), term.value) if isinstance(term, Literal) and term.value is not None else str(term)
        quads = [(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in dataset.quads()]
        return len(quads), {tuple(map(value, q)) for q in quads if not any(isinstance(t, BNode) for t in q)}

    expected = ground(load(kitchen_sink))
    assert expected[0] > 2000
    for name, fmt in (("dataset.trig", "trig"), ("dataset.jsonld", "json-ld")):
        other = Dataset()
        other.parse(folder / name, format=fmt)
        assert ground(other) == expected, name
    union = Graph().parse(folder / "union.ttl", format="turtle")
    assert len(union) == len({(s, p, o) for s, p, o, _ in load(kitchen_sink).quads()})


def test_claims_live_in_named_graphs_by_origin(kitchen_sink):
    run_build(kitchen_sink)
    dataset = load(kitchen_sink)
    graphs = {g.identifier for g in dataset.graphs() if len(g)}
    assert {ONTOLOGY_GRAPH, REFERENCE_GRAPH, CURATED_GRAPH} <= graphs
    assert (iri("state", "FRA"), RDF.type, CKG.State) in dataset.graph(REFERENCE_GRAPH)
    assert (iri("pledge", "gbr-2025-03-02-air-defence-finance"), RDF.type, CKG.Pledge) in dataset.graph(CURATED_GRAPH)
    assert (CKG.Pledge, None, None) in dataset.graph(ONTOLOGY_GRAPH)


def test_every_claim_has_evidence_naming_its_source(kitchen_sink):
    run_build(kitchen_sink)
    dataset = load(kitchen_sink)
    claim_types = [CKG.Participation, CKG.Signature, CKG.Pledge, CKG.Statement, CKG.Membership, CKG.OfficeTerm,
                   CKG.AttributeClaim]
    claims = [s for t in claim_types for s in dataset.subjects(RDF.type, t)]
    assert len(claims) == 31
    for claim in claims:
        evidence = list(dataset.objects(claim, PROV.wasDerivedFrom))
        assert evidence, claim
        for node in evidence:
            source = dataset.value(node, CKG.source)
            assert (source, RDF.type, CKG.Source) in dataset, claim


def test_two_sources_that_disagree_make_two_claims_never_one(kitchen_sink):
    """Austria at the Paris summit: present through its ambassador (news) vs absent (opinion)."""
    run_build(kitchen_sink)
    dataset = load(kitchen_sink)
    austria = [c for c in dataset.subjects(CKG.participant, iri("state", "AUT"))
               if (c, CKG.meeting, iri("meeting", "2025-03-27-paris")) in dataset]
    assert len(austria) == 2
    attendance = {str(dataset.value(c, CKG.attendance)).rsplit("/", 1)[1] for c in austria}
    assert attendance == {"in-person", "absent"}
    sources = [{dataset.value(e, CKG.source) for e in dataset.objects(c, PROV.wasDerivedFrom)} for c in austria]
    assert sources[0].isdisjoint(sources[1])


def test_iris_follow_the_vocabulary_contract(kitchen_sink):
    run_build(kitchen_sink)
    dataset = load(kitchen_sink)
    base = "https://w3id.org/coalition-kg/id/"
    for expected in ("state/FRA", "person/emmanuel-macron", "meeting/2025-03-27-paris",
                     "participation/2025-03-27-paris/FRA", "membership/coalition-of-the-willing/GBR",
                     "office-term/olaf-scholz/deu-chancellor/2021-12-08", "signature/2025-03-27-paris-statement/signatory/FRA"):
        assert (URIRef(base + expected), None, None) in dataset, expected


def _build_in_subprocess(project_root: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "coalition_kg", "build", "--quiet", "--root", str(project_root)],
                   check=True, env=env, capture_output=True)
    folder = project_root / "out" / "graph"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    """Separate processes with different hash seeds: nothing may depend on set or dict order."""
    first = _build_in_subprocess(copy_project(KITCHEN_SINK, tmp_path / "a").root, "1")
    second = _build_in_subprocess(copy_project(KITCHEN_SINK, tmp_path / "b").root, "2")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_a_build_that_fails_while_writing_leaves_the_previous_output(kitchen_sink, monkeypatch):
    run_build(kitchen_sink)
    folder = kitchen_sink.out_dir / "graph"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def half_written(dataset, report, target):
        (target / "dataset.nq").write_text("half a file")
        raise OSError("disk full")

    monkeypatch.setattr("coalition_kg.build.write_files", half_written)
    with pytest.raises(OSError, match="disk full"):
        run_build(kitchen_sink)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in kitchen_sink.out_dir.iterdir() if ".new-" in p.name] == []


def test_concurrent_builds_do_not_corrupt_each_other(kitchen_sink):
    """Two builds at once: the lock serialises the swap, so the result is one complete build."""
    command = [sys.executable, "-m", "coalition_kg", "build", "--quiet", "--root", str(kitchen_sink.root)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    folder = kitchen_sink.out_dir / "graph"
    assert sorted(p.name for p in folder.iterdir()) == sorted(export.OUTPUT_FILES)
    assert sum(1 for _ in load(kitchen_sink).quads()) > 2000


def test_the_shipped_data_builds_with_no_claim_lacking_evidence(shipped_kg):
    from coalition_kg import stats
    numbers = stats.collect(shipped_kg.store)
    assert numbers["claims"] > 700
    assert numbers["claims_without_evidence"] == 0
    assert numbers["evidence_without_source"] == 0
