"""Inference: rules in queries/rules/ run to a fixpoint into graph:inferred/<rule>, apart from the sources.

Domain rules are shown on the kitchen sink with the YAML changed the way an editor would;
the closure rules on the built kitchen sink; termination on rules written to misbehave.
HermiT then checks that the ontology plus data (and what was inferred from it) is consistent.
"""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
import pyoxigraph as ox
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

from coalition_kg import open_dataset
from coalition_kg.build import build_dataset, run_build
from coalition_kg.cli import main
from coalition_kg.infer import InferenceError, infer, rule_graph
from coalition_kg.load import load_data
from coalition_kg.namespaces import CKG, INFERRED_GRAPH, ORG, SCHEMA, iri
from coalition_kg.project import Project

from .conftest import KITCHEN_SINK, ROOT
from .test_ontology import CONCEPTS_TTL, ONTOLOGY_TTL, require_java, run_hermit

RULES = ROOT / "queries" / "rules"
PARIS = iri("meeting", "2025-03-27-paris")


def inferred_dataset(project: Project) -> Dataset:
    """The last build of ``project`` with its inferred graphs, as one rdflib dataset."""
    dataset = Dataset()
    for name in ("dataset.nq", "inferred.nq"):
        dataset.parse(project.out_dir / "graph" / name, format="nquads")
    return dataset


def in_rule_graph(dataset: Dataset, rule: str, triple) -> bool:
    return triple in dataset.graph(rule_graph(rule))


def edit(project: Project, name: str, old: str, new: str) -> None:
    path = project.graph_dir / name
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


def test_the_build_keeps_inferences_out_of_the_dataset_and_labels_each_rule(kitchen_sink):
    run_build(kitchen_sink)
    stated = Dataset()
    stated.parse(kitchen_sink.out_dir / "graph" / "dataset.nq", format="nquads")
    assert not [g for g in stated.graphs() if "inferred" in str(g.identifier) and len(g)]
    dataset = inferred_dataset(kitchen_sink)
    rules = sorted(p.stem for p in RULES.glob("*.rq"))
    described = dataset.graph(INFERRED_GRAPH)
    for rule in rules:
        assert (rule_graph(rule), RDF.type, PROV.Bundle) in described
        assert str(described.value(rule_graph(rule), DCTERMS.source)) == f"queries/rules/{rule}.rq"
    assert {"signatory-participated", "founder-member-from-founding", "speaker-represented-state",
            "subclass-closure", "subproperty-closure", "inverses"} <= set(rules)


def test_subclass_subproperty_and_inverse_closure(kitchen_sink):
    edit(kitchen_sink, "curated/pledges.yaml", "  made_by: keir-starmer\n",
         "  made_by: keir-starmer\n  same_commitment_as: fra-gbr-2025-03-27-reassurance-force\n")
    run_build(kitchen_sink)
    dataset = inferred_dataset(kitchen_sink)
    assert in_rule_graph(dataset, "subclass-closure", (iri("state", "FRA"), RDF.type, SCHEMA.Country))
    assert in_rule_graph(dataset, "subclass-closure", (iri("state", "FRA"), RDF.type, CKG.Agent))
    membership = iri("membership", "coalition-of-the-willing", "GBR")
    assert in_rule_graph(dataset, "subproperty-closure", (membership, ORG.member, iri("state", "GBR")))
    assert in_rule_graph(dataset, "subproperty-closure",
                         (membership, SCHEMA.startDate, Literal("2025-03-02", datatype=XSD.date)))
    assert in_rule_graph(dataset, "inverses", (iri("pledge", "fra-gbr-2025-03-27-reassurance-force"),
                                               CKG.sameCommitmentAs, iri("pledge", "gbr-2025-03-02-air-defence-finance")))
    # A triple a source states is never inferred again.
    assert not in_rule_graph(dataset, "subclass-closure", (iri("pledge", "gbr-2025-03-02-air-defence-finance"),
                                                           RDF.type, CKG.Claim))


def test_a_signatory_took_part_in_the_meeting_that_adopted_the_declaration(kitchen_sink):
    # Ukraine signs the Paris statement; no source says anything about Ukraine at Paris.
    # The US signs too, but a source says it was absent: nothing is inferred for it.
    edit(kitchen_sink, "curated/declarations.yaml", "    - GBR\n", "    - GBR\n    - UKR\n    - USA\n")
    run_build(kitchen_sink)
    dataset = inferred_dataset(kitchen_sink)
    inferred = iri("participation", "2025-03-27-paris", "UKR", "inferred")
    signature = iri("signature", "2025-03-27-paris-statement", "signatory", "UKR")
    for triple in [(inferred, RDF.type, CKG.Participation), (inferred, CKG.meeting, PARIS),
                   (inferred, CKG.participant, iri("state", "UKR")), (inferred, PROV.wasDerivedFrom, signature)]:
        assert in_rule_graph(dataset, "signatory-participated", triple)
    assert (iri("participation", "2025-03-27-paris", "USA", "inferred"), None, None) not in dataset

    query = ("SELECT ?p WHERE { GRAPH ?g { ?p a <https://w3id.org/coalition-kg/ontology#Participation> } "
             "FILTER(STRENDS(STR(?p), '/inferred')) }")
    args = ["sparql", "--format", "csv", "--root", str(kitchen_sink.root), query]
    assert CliRunner().invoke(main, args).output.splitlines() == ["p"]  # inferences are left out by default
    count = CliRunner().invoke(main, [*args, "--inferred"])
    assert count.output.splitlines()[1:] == [str(inferred)]


def test_a_founding_member_is_a_member_from_the_founding_date(kitchen_sink):
    edit(kitchen_sink, "curated/memberships.yaml", "{member: GBR, coalition: coalition-of-the-willing, start: 2025-03-02,",
         "{member: GBR, coalition: coalition-of-the-willing,")
    attributes = kitchen_sink.graph_dir / "curated" / "attributes.yaml"
    attributes.write_text(attributes.read_text() + '- {subject: "coalition:coalition-of-the-willing", property: '
                          'foundingDate, value: "2025-03-02", sources: [https://gov.example/coalition]}\n')
    run_build(kitchen_sink)
    membership = iri("membership", "coalition-of-the-willing", "GBR")
    founded = (membership, CKG.startDate, Literal("2025-03-02", datatype=XSD.date))
    assert in_rule_graph(inferred_dataset(kitchen_sink), "founder-member-from-founding", founded)
    # Sources that disagree on the founding date: no start date is picked.
    attributes.write_text(attributes.read_text() + '- {subject: "coalition:coalition-of-the-willing", property: '
                          'foundingDate, value: "2025-02-17", sources: [https://news.example.org/paris-summit]}\n')
    run_build(kitchen_sink)
    assert (membership, CKG.startDate, None) not in inferred_dataset(kitchen_sink)


def test_a_leader_who_spoke_at_a_meeting_represented_their_state(kitchen_sink):
    # Scholz speaks at Paris for Germany; the source lists Germany without naming its representative.
    edit(kitchen_sink, "curated/meetings.yaml",
         "{participant: DEU, representatives: [olaf-scholz], capacity: head-of-state-or-government, attendance: in-person}"
         "\n    - {participant: USA, attendance: absent}",
         "{participant: DEU, capacity: head-of-state-or-government, attendance: in-person}"
         "\n    - {participant: USA, attendance: absent}")
    run_build(kitchen_sink)
    dataset = inferred_dataset(kitchen_sink)
    participation = iri("participation", "2025-03-27-paris", "DEU")
    assert in_rule_graph(dataset, "speaker-represented-state",
                         (participation, CKG.representedBy, iri("person", "olaf-scholz")))


def test_a_state_whose_leader_spoke_took_part(kitchen_sink):
    edit(kitchen_sink, "curated/meetings.yaml",
         "    - {participant: DEU, representatives: [olaf-scholz], capacity: head-of-state-or-government, "
         "attendance: in-person}\n    - {participant: USA, attendance: absent}",
         "    - {participant: USA, attendance: absent}")
    run_build(kitchen_sink)
    dataset = inferred_dataset(kitchen_sink)
    inferred = iri("participation", "2025-03-27-paris", "DEU", "inferred")
    assert in_rule_graph(dataset, "speaker-participated", (inferred, CKG.representedBy, iri("person", "olaf-scholz")))
    assert in_rule_graph(dataset, "speaker-participated",
                         (inferred, PROV.wasDerivedFrom, iri("statement", "2025-03-27-scholz-sanctions")))


def write_rule(folder: Path, name: str, construct: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.rq").write_text(f"# title: {name}\n{construct}\n")


@pytest.fixture(scope="module")
def small() -> Dataset:
    return build_dataset(load_data(Project(KITCHEN_SINK)))[0]


def test_a_rule_that_never_stops_deriving_is_stopped(small, tmp_path):
    write_rule(tmp_path, "grows", "CONSTRUCT { ?longer a <urn:x> } WHERE { ?node a <urn:x> . "
                                  "BIND(IRI(CONCAT(STR(?node), 'x')) AS ?longer) } ")
    write_rule(tmp_path, "seed", "CONSTRUCT { <urn:seed> a <urn:x> } WHERE {}")
    with pytest.raises(InferenceError, match="did not reach a fixpoint in 4 rounds; still deriving: grows"):
        infer(small, tmp_path, max_rounds=4)


def test_a_rule_may_not_make_blank_nodes(small, tmp_path):
    write_rule(tmp_path, "blank", "CONSTRUCT { _:b <urn:p> ?s } WHERE { ?s a <https://w3id.org/coalition-kg/ontology#State> }")
    with pytest.raises(InferenceError, match="blank.rq: a rule may not produce blank nodes"):
        infer(small, tmp_path)


def test_a_rule_must_be_a_construct(small, tmp_path):
    write_rule(tmp_path, "select", "SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(InferenceError, match="select.rq: a rule must be a SPARQL CONSTRUCT query"):
        infer(small, tmp_path)


def test_a_broken_rule_stops_the_build_with_a_message(kitchen_sink):
    run_build(kitchen_sink)
    before = {p.name: p.read_bytes() for p in (kitchen_sink.out_dir / "graph").iterdir()}
    write_rule(kitchen_sink.queries_dir / "rules", "broken", "CONSTRUCT { ?s a ?o } WHERE { ?s a ")
    result = CliRunner().invoke(main, ["build", "--quiet", "--root", str(kitchen_sink.root)])
    assert result.exit_code == 1
    assert "queries/rules/broken.rq: not a valid SPARQL query" in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in (kitchen_sink.out_dir / "graph").iterdir()} == before


def test_the_shipped_rules_reach_a_fixpoint_in_two_rounds(shipped):
    store = ox.Store()
    store.bulk_load(path=str(shipped.out_dir / "graph" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    result = infer(store, RULES)
    assert len(result.rounds) == 2 and result.rounds[-1] == {}
    assert result.counts()["subclass-closure"] > 5000


# -- HermiT: ontology + data + inferences are consistent --------------------------------------------

def sample_turtle(project: Project, destination: Path, claims_per_class: int) -> Path:
    """A sample of a build as Turtle: some claims of each type, with everything they link to
    (one step) and what was inferred about those nodes; the ontology graph is left out (HermiT
    gets the ontology files themselves)."""
    dataset = inferred_dataset(project)
    union = Graph()
    for s, p, o, g in dataset.quads():
        if "graph/ontology" not in str(g.identifier if hasattr(g, "identifier") else g):
            union.add((s, p, o))
    nodes = set()
    for cls in (CKG.Participation, CKG.Signature, CKG.Pledge, CKG.Statement, CKG.Membership, CKG.OfficeTerm,
                CKG.AttributeClaim):
        nodes |= set(sorted(union.subjects(RDF.type, cls))[:claims_per_class])
    nodes |= {o for n in list(nodes) for o in union.objects(n, None) if not isinstance(o, Literal)}
    sample = Graph()
    for node in nodes:
        for p, o in union.predicate_objects(node):
            if p != OWL.sameAs:
                sample.add((node, p, o))
    sample.serialize(destination, format="turtle")
    return destination


def test_hermit_finds_the_ontology_and_a_sample_of_the_shipped_data_consistent(shipped, tmp_path):
    require_java()
    sample = sample_turtle(shipped, tmp_path / "sample.ttl", claims_per_class=15)
    try:
        world = run_hermit([ONTOLOGY_TTL, CONCEPTS_TTL, sample], tmp_path)
    except owlready2.OwlReadyInconsistentOntologyError as error:  # pragma: no cover - the failure we guard against
        pytest.fail(f"HermiT finds the shipped data sample inconsistent: {error}")
    assert world["https://w3id.org/coalition-kg/id/state/FRA"] is not None, "the sample lost the data"
