"""Validation: the SHACL shapes and the quality checks, each proven to catch a planted error.

Shapes are tested on the kitchen-sink dataset built in memory, with one thing broken per case;
checks on a built kitchen sink loaded into rdflib's store with triples added. The shipped data
must pass everything (``test_the_shipped_data_is_valid``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SH, XSD

from coalition_kg import open_dataset
from coalition_kg.build import BuildReport, build_dataset, run_build
from coalition_kg.checks import run_checks
from coalition_kg.cli import main
from coalition_kg.load import load_data
from coalition_kg.namespaces import CKG, CURATED_GRAPH, concept, iri, source_graph
from coalition_kg.project import Project
from coalition_kg.validate import SHAPES_FILE, check_shapes, shacl_violations
from coalition_kg.yamlfile import DataError

from .conftest import KITCHEN_SINK, ROOT

SHAPES = ROOT / "ontology" / SHAPES_FILE
LONDON, PARIS = iri("meeting", "2025-03-02-london"), iri("meeting", "2025-03-27-paris")
PLEDGE = iri("pledge", "gbr-2025-03-02-air-defence-finance")
PARTICIPATION = iri("participation", "2025-03-02-london", "GBR")
SIGNATURE = iri("signature", "2025-03-27-paris-statement", "signatory", "FRA")


def kitchen_sink_dataset() -> tuple[Dataset, BuildReport]:
    return build_dataset(load_data(Project(KITCHEN_SINK)))


def one(dataset: Dataset, cls) -> object:
    return sorted({s for s, _, _, _ in dataset.quads((None, RDF.type, cls, None))})[0]


def remove(predicate, subject=None, cls=None):
    def change(dataset: Dataset) -> object:
        node = subject or one(dataset, cls)
        for graph in dataset.graphs():
            graph.remove((node, predicate, None))
        return node
    return change


def add(predicate, value, subject=None, cls=None):
    def change(dataset: Dataset) -> object:
        node = subject or one(dataset, cls)
        dataset.graph(CURATED_GRAPH).add((node, predicate, value))
        return node
    return change


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def before_the_coalition(dataset: Dataset) -> object:
    dataset.graph(CURATED_GRAPH).add((iri("coalition", "coalition-of-the-willing"), CKG.foundingDate, day("2025-03-10")))
    return LONDON


# shape → (how to break the kitchen sink, words the violation's sentence must contain)
CASES: dict[str, tuple[Callable[[Dataset], object], str]] = {
    "Claim": (remove(PROV.wasDerivedFrom, subject=PLEDGE), "has no evidence"),
    "Evidence": (add(CKG.confidence, Literal("1.5", datatype=XSD.decimal), cls=CKG.Evidence),
                 "a confidence is a decimal between 0 and 1"),
    "Source": (remove(CKG.reliability, cls=CKG.Source), "a source needs exactly one reliability"),
    "Participation": (add(CKG.representedBy, iri("state", "FRA"), subject=PARTICIPATION),
                      "a representative must be a person"),
    "Signature": (remove(CKG.signer, subject=SIGNATURE), "a signature needs exactly one signing state"),
    "Pledge": (add(CKG.quantity, Literal("-5", datatype=XSD.decimal), subject=PLEDGE),
               "a pledged quantity is one number, not negative"),
    "Statement": (remove(CKG.speaker, cls=CKG.Statement), "a statement needs exactly one speaker"),
    "Membership": (add(CKG.endDate, day("2025-01-01"), subject=iri("membership", "coalition-of-the-willing", "GBR")),
                   "not after its end date"),
    "OfficeTerm": (add(CKG.holder, iri("state", "FRA"), cls=CKG.OfficeTerm), "exactly one holder, a person"),
    "AttributeClaim": (remove(CKG.claimValue, cls=CKG.AttributeClaim), "gives exactly one value"),
    "Meeting": (add(CKG.reportedParticipantCount, Literal(-3, datatype=XSD.integer), subject=LONDON),
                "a reported participant count is a whole number, not negative"),
    "Declaration": (add(CKG.adoptedAt, LONDON, cls=CKG.Declaration), "adopted at no more than one meeting"),
    "Provision": (add(CKG.ordinal, Literal(0, datatype=XSD.integer), cls=CKG.Provision), "a whole number from 1"),
    "Coalition": (add(CKG.foundingDate, Literal("March 2025"), cls=CKG.Coalition), "a founding date is a day"),
    "PartialDate": (add(CKG.date, Literal("27 March"), subject=PLEDGE), "day, month or year precision"),
    "FutureDate": (add(CKG.date, day("2999-01-01"), subject=PARIS), "is dated after today"),
    "BeforeTheCoalition": (before_the_coalition, "starts before the earliest founding date"),
}


def test_the_kitchen_sink_conforms():
    dataset, report = kitchen_sink_dataset()
    assert shacl_violations(dataset, SHAPES, report.origins) == []


@pytest.mark.parametrize("shape", sorted(CASES))
def test_each_shape_catches_a_planted_error(shape):
    dataset, report = kitchen_sink_dataset()
    change, words = CASES[shape]
    node = change(dataset)
    violations = shacl_violations(dataset, SHAPES, report.origins)
    assert any(v.focus == str(node) and words in v.sentence() for v in violations), \
        "\n".join(v.sentence() for v in violations)


def test_the_shapes_engine_reports_what_the_reference_implementation_reports():
    """The build runs the shapes on pyshacl-turbo (a Rust engine) for speed; pySHACL, the reference
    implementation, must find the same violations — every planted error at once, and none extra —
    of the same shapes and constraints (each engine words its default messages its own way)."""
    import pyshacl
    import pyshacl_turbo

    dataset, _ = kitchen_sink_dataset()
    for change, _ in CASES.values():
        change(dataset)
    union, found, shapes = Graph(), [], Graph().parse(SHAPES, format="turtle")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    for engine, data in ((pyshacl_turbo, dataset), (pyshacl, union)):  # the build gives the engine the dataset
        conforms, report, _ = engine.validate(data, shacl_graph=shapes, inference="none", advanced=True)
        found.append({tuple(report.value(r, p) for p in (SH.focusNode, SH.resultPath, SH.sourceShape,
                                                         SH.sourceConstraintComponent, SH.resultMessage))
                      for r in report.subjects(RDF.type, SH.ValidationResult)})
    ours, reference = found
    assert len(reference) >= len(CASES)
    assert {r[:4] for r in ours} == {r[:4] for r in reference}
    worded = set(shapes.subjects(SH.message, None))  # shapes that give their own message
    assert {r for r in ours if r[2] in worded} == {r for r in reference if r[2] in worded}


def test_every_shape_has_a_planted_error_test():
    shapes = Graph().parse(SHAPES, format="turtle")
    names = {str(s).rsplit("/", 1)[1] for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    assert names == set(CASES)


def test_a_curated_violation_names_the_yaml_record_it_came_from():
    dataset, report = kitchen_sink_dataset()
    remove(CKG.pledgeType, subject=PLEDGE)(dataset)
    (violation,) = shacl_violations(dataset, SHAPES, report.origins)
    assert violation.curated
    assert violation.sentence() == ("graph/curated/pledges.yaml:1: pledge:gbr-2025-03-02-air-defence-finance "
                                    "a pledge needs exactly one pledge type from the ontology's scheme "
                                    "(ckg:pledgeType)")


def test_violations_of_evidence_point_at_the_claim_they_support():
    dataset, report = kitchen_sink_dataset()
    evidence = next(dataset.graph(CURATED_GRAPH).objects(PLEDGE, PROV.wasDerivedFrom))
    remove(CKG.method, subject=evidence)(dataset)
    (violation,) = shacl_violations(dataset, SHAPES, report.origins)
    assert violation.origin == "graph/curated/pledges.yaml:1"


def test_the_build_keeps_extracted_claims_that_violate_and_says_so():
    dataset, report = kitchen_sink_dataset()
    graph = dataset.graph(source_graph("some-article"))
    pledge = iri("pledge", "some-article", "1")
    graph.add((pledge, RDF.type, CKG.Pledge))
    graph.add((pledge, RDF.type, CKG.Claim))
    check_shapes(Project(KITCHEN_SINK), dataset, report)  # does not raise
    assert any(w.startswith("extracted claim kept: graph:source/some-article: pledge:some-article/1 has no evidence")
               for w in report.warnings), report.warnings
    assert (pledge, RDF.type, CKG.Pledge) in graph


def test_the_build_refuses_curated_data_that_violates_a_shape(kitchen_sink):
    run_build(kitchen_sink)
    before = {p.name: p.read_bytes() for p in (kitchen_sink.out_dir / "graph").iterdir()}
    path = kitchen_sink.graph_dir / "curated" / "pledges.yaml"
    path.write_text(path.read_text().replace("date: 2025-03-02\n", "date: 2999-03-02\n", 1))
    result = CliRunner().invoke(main, ["build", "--root", str(kitchen_sink.root), "--quiet"])
    assert result.exit_code == 1
    assert ("graph/curated/pledges.yaml:1: pledge:gbr-2025-03-02-air-defence-finance is dated after today"
            in result.stderr), result.stderr
    assert "Nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in (kitchen_sink.out_dir / "graph").iterdir()} == before
    with pytest.raises(DataError):
        run_build(kitchen_sink)


def test_the_shipped_data_is_valid():
    result = CliRunner().invoke(main, ["validate", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "shapes: ok\n" in result.output
    assert "FAILED" not in result.output and "flagged" not in result.output
    assert result.output.count(": ok\n") == 1 + len(list((ROOT / "queries" / "checks").glob("*.rq")))


def test_validate_reports_a_curated_violation_with_file_and_line(kitchen_sink):
    path = kitchen_sink.graph_dir / "curated" / "statements.yaml"
    path.write_text(path.read_text().replace("date: 2025-03-27", "date: 2999-03-27", 1))
    result = CliRunner().invoke(main, ["validate", "--root", str(kitchen_sink.root)])
    assert result.exit_code == 1
    assert "shapes: FAILED (1 violation in curated data)" in result.output
    assert "error: graph/curated/statements.yaml:1: statement:" in result.output
    assert "is dated after today" in result.output


# -- quality checks -----------------------------------------------------------------------------

@pytest.fixture
def kitchen_store(kitchen_sink):
    run_build(kitchen_sink)
    return open_dataset(kitchen_sink, backend="memory").store, kitchen_sink.queries_dir / "checks"


def failed(store, folder: Path) -> set[str]:
    return {r.check.name for r in run_checks(store, folder) if not r.passed}


def test_the_kitchen_sink_passes_every_check(kitchen_store):
    assert failed(*kitchen_store) == set()


def planted_evidence_outside_source(graph: Graph) -> None:
    evidence, version = iri("evidence", "planted"), iri("source", "planted", "v1")
    graph.add((evidence, RDF.type, CKG.Evidence))
    graph.add((evidence, CKG.source, next(graph.subjects(RDF.type, CKG.Source))))
    graph.add((evidence, CKG.sourceVersion, version))
    graph.add((version, CKG.textLength, Literal(100, datatype=XSD.integer)))
    graph.add((evidence, CKG.charStart, Literal(90, datatype=XSD.integer)))
    graph.add((evidence, CKG.charEnd, Literal(140, datatype=XSD.integer)))


def planted_representative_without_office(graph: Graph) -> None:
    # Olaf Scholz's term as chancellor ended on 6 May 2025; here he represents Germany in June.
    meeting, participation = iri("meeting", "2025-06-01-planted"), iri("participation", "2025-06-01-planted", "DEU")
    graph.add((meeting, CKG.date, day("2025-06-01")))
    graph.add((participation, RDF.type, CKG.Participation))
    graph.add((participation, CKG.meeting, meeting))
    graph.add((participation, CKG.participant, iri("state", "DEU")))
    graph.add((participation, CKG.representedBy, iri("person", "olaf-scholz")))


def planted_participation_before_membership(graph: Graph) -> None:
    # Austria's membership starts on 27 March 2025; here it attends the London summit of 2 March.
    participation = iri("participation", "2025-03-02-london", "AUT")
    graph.add((participation, RDF.type, CKG.Participation))
    graph.add((participation, CKG.meeting, LONDON))
    graph.add((participation, CKG.participant, iri("state", "AUT")))
    graph.add((participation, CKG.attendance, concept("attendance", "in-person")))
    evidence = iri("evidence", "planted")
    graph.add((participation, PROV.wasDerivedFrom, evidence))
    graph.add((evidence, CKG.source, iri("source", "planted")))


def planted_signatory_absent(graph: Graph) -> None:
    signature = iri("signature", "2025-03-27-paris-statement", "signatory", "USA")
    graph.add((signature, RDF.type, CKG.Signature))
    graph.add((signature, CKG.document, iri("declaration", "2025-03-27-paris-statement")))
    graph.add((signature, CKG.signer, iri("state", "USA")))  # the US was absent from Paris
    graph.add((signature, CKG.signatureRole, concept("signature-role", "signatory")))


PLANTED_CHECKS = {
    "evidence-outside-source": planted_evidence_outside_source,
    "representative-without-office": planted_representative_without_office,
    "participation-before-membership": planted_participation_before_membership,
    "signatory-absent-from-adoption": planted_signatory_absent,
}


@pytest.mark.parametrize("check", sorted(PLANTED_CHECKS))
def test_each_new_quality_check_catches_a_planted_error(check, kitchen_store):
    store, folder = kitchen_store
    PLANTED_CHECKS[check](store.dataset.graph(CURATED_GRAPH))
    assert failed(store, folder) == {check}


def test_a_warning_check_flags_without_failing(kitchen_sink):
    path = kitchen_sink.graph_dir / "curated" / "declarations.yaml"
    text = path.read_text()
    assert "    - GBR\n  non_signatories:" in text
    path.write_text(text.replace("    - GBR\n", "    - GBR\n    - USA\n", 1))  # the US was absent from Paris
    result = CliRunner().invoke(main, ["validate", "--root", str(kitchen_sink.root)])
    assert result.exit_code == 0, result.output
    assert "check signatory-absent-from-adoption: flagged (1 row to look at; a warning, not a failure)" in result.output
    assert "signature:2025-03-27-paris-statement/signatory/USA" in result.output
