"""Checks of the ontology (ontology/coalition.ttl) and the SKOS concept schemes (ontology/concepts.ttl).

Structural checks run on rdflib graphs. Logical checks run HermiT (bundled with owlready2; needs
Java): owlready2 cannot read Turtle, so the Turtle files are merged with rdflib and written as
RDF/XML first (``turtle_to_rdfxml``), then loaded into a fresh ``owlready2.World``.
Each HermiT run starts a JVM, so every sample is reasoned over once, in a module-scoped fixture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import owlready2
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_TTL = ROOT / "ontology" / "coalition.ttl"
CONCEPTS_TTL = ROOT / "ontology" / "concepts.ttl"
SAMPLES = ROOT / "tests" / "data" / "ontology"

CKG = Namespace("https://w3id.org/coalition-kg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest inspects it
ONTOLOGY_IRI = URIRef("https://w3id.org/coalition-kg/ontology")
CONCEPT_BASE = "https://w3id.org/coalition-kg/concept/"


# --------------------------------------------------------------------------------------------------
# The conversion and reasoning helpers (the package's reasoner does the same).
# --------------------------------------------------------------------------------------------------

def turtle_to_rdfxml(turtle_files: list[Path], destination: Path) -> Path:
    """Merge Turtle files into one rdflib graph and write it as RDF/XML (owlready2 reads that)."""
    graph = Graph()
    for path in turtle_files:
        graph.parse(path, format="turtle")
    graph.serialize(destination, format="xml", encoding="utf-8")
    return destination


def run_hermit(turtle_files: list[Path], workdir: Path) -> owlready2.World:
    """Load the files into a fresh owlready2 World and run HermiT on it.

    Raises ``owlready2.OwlReadyInconsistentOntologyError`` when the files are inconsistent.
    xsd:date, xsd:gYear and xsd:gYearMonth are outside the OWL 2 datatype map, so HermiT is told to
    treat them as opaque datatypes instead of refusing the whole input.
    """
    rdfxml = turtle_to_rdfxml(turtle_files, workdir / "merged.owl")
    world = owlready2.World()
    world.get_ontology(rdfxml.as_uri()).load()
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    return world


def require_java() -> None:
    if shutil.which(owlready2.JAVA_EXE) is None:
        pytest.fail("Java is required for the HermiT consistency checks (CI installs it: scripts/install-system-deps)")


def outcome(turtle_files: list[Path], workdir: Path) -> object:
    """The reasoned World, or the inconsistency error; None without Java (the tests then fail)."""
    if shutil.which(owlready2.JAVA_EXE) is None:
        return None
    try:
        return run_hermit(turtle_files, workdir)
    except owlready2.OwlReadyInconsistentOntologyError as error:
        return error


# --------------------------------------------------------------------------------------------------
# The vocabulary contract: every term, with its kind.
# --------------------------------------------------------------------------------------------------

CLASSES = {
    "NetworkMeasurement",
    "Agent", "State", "InternationalOrganization", "Coalition", "MultinationalForce", "Person", "Publisher",
    "Office", "Place", "Meeting", "Document", "Declaration", "Source", "Provision", "Claim", "Participation",
    "Signature", "Pledge", "Statement", "Membership", "OfficeTerm", "AttributeClaim", "WikidataLink", "Evidence",
}
OBJECT_PROPERTIES = {
    "measuredEntity",
    "sameCommitmentAs", "latestVersion", "sourceVersion", "holdsOffice",
    "subOrganizationOf", "wikidataLinkStatus", "officeOf", "officeKind", "holder", "office", "datePrecision",
    "member", "coalition", "role", "location", "country", "hostCountry", "chair", "format", "convenedBy",
    "meetingSeries", "meetingOf", "precursorOf", "relatedTo", "participant", "meeting", "representedBy",
    "capacity", "attendance", "adoptedAt", "signatory", "endorsedBy", "notSignedBy", "hasProvision",
    "provisionOf", "topic", "declarationType", "ofCoalition", "document", "signer", "signedBy",
    "signatureRole", "pledger", "beneficiary", "pledgeType", "unit", "condition", "status", "madeAt",
    "madeBy", "partOf", "speaker", "onBehalfOf", "stance", "claimSubject", "sourceType", "reliability",
    "commentsOn", "versionOf", "defaultReliability", "source",
}
DATATYPE_PROPERTIES = {
    "degreeCentrality", "betweennessCentrality", "eigenvectorCentrality", "communityNumber", "meetingsAttended",
    "meetingsSinceJoining", "attendanceConsistency",
    "sha256", "undated", "unminedPassages", "commentCount",
    "isoCode", "iso2Code", "demonym", "capital", "description", "officeTitle", "startDate", "endDate", "date",
    "asOf", "venue", "reportedParticipantCount", "title", "summary", "ordinal", "quantity", "quantityText",
    "quantityQualifier", "conditionText", "quote", "valueText", "reportedMemberCount", "foundingDate",
    "headquarters", "plannedStrength", "commandArrangement", "reportedNature", "postWarArmySize",
    "issuedEstimated", "publisherDomain", "publisherKind", "charStart", "charEnd", "excerpt", "method",
    "confidence", "textLength",
}
ANNOTATION_PROPERTIES = {"claimProperty", "claimValue", "note", "expectsSingleValue"}
DATATYPES = {"PartialDate"}  # named data ranges (rdfs:Datatype), e.g. day, month or year dates

SUPERCLASSES = {
    "Agent": {PROV.Agent, FOAF.Agent},
    "State": {CKG.Agent, ORG.FormalOrganization, SCHEMA.Country},
    "InternationalOrganization": {CKG.Agent, ORG.FormalOrganization},
    "Coalition": {CKG.Agent, ORG.OrganizationalCollaboration},
    "MultinationalForce": {CKG.Agent, ORG.Organization},
    "Person": {CKG.Agent, PROV.Person, FOAF.Person, SCHEMA.Person},
    "Publisher": {CKG.Agent, SCHEMA.Organization},
    "Office": {ORG.Post},
    "Place": {SCHEMA.Place},
    "Meeting": {SCHEMA.Event, PROV.Activity},
    "Document": {PROV.Entity, SCHEMA.CreativeWork},
    "Declaration": {CKG.Document},
    "Source": {CKG.Document},
    "Provision": {PROV.Entity},
    "Claim": {PROV.Entity},
    "Participation": {CKG.Claim},
    "Signature": {CKG.Claim},
    "Pledge": {CKG.Claim},
    "Statement": {CKG.Claim},
    "Membership": {CKG.Claim, ORG.Membership},
    "OfficeTerm": {CKG.Claim},
    "AttributeClaim": {CKG.Claim},
    "Evidence": {PROV.Entity},
}
SUPERPROPERTIES = {
    "subOrganizationOf": ORG.subOrganizationOf, "officeOf": ORG.postIn, "startDate": SCHEMA.startDate,
    "endDate": SCHEMA.endDate, "date": DCTERMS.date, "member": ORG.member, "coalition": ORG.organization,
    "role": ORG.role, "location": SCHEMA.location, "summary": DCTERMS.abstract, "topic": DCTERMS.subject,
    "partOf": DCTERMS.isPartOf, "speaker": PROV.wasAttributedTo, "source": PROV.hadPrimarySource,
    "note": SKOS.note,
}
# Alignments that OWL 2 DL cannot state as sub-properties (different property kinds): annotations.
CLOSE_MATCHES = {
    "startDate": TIME.hasBeginning, "endDate": TIME.hasEnd, "date": TIME.inXSDDate,
    "title": DCTERMS.title, "description": DCTERMS.description,
}
DOMAIN_RANGE = {  # a sample of the contract; None = deliberately no axiom
    "isoCode": ("State", XSD.string), "holder": ("OfficeTerm", "Person"), "office": ("OfficeTerm", "Office"),
    "member": ("Membership", "Agent"), "coalition": ("Membership", "Coalition"), "chair": ("Meeting", "Person"),
    "hostCountry": ("Meeting", "State"), "participant": ("Participation", "Agent"),
    "representedBy": ("Participation", "Person"), "capacity": (None, SKOS.Concept),
    "adoptedAt": ("Declaration", "Meeting"), "document": ("Signature", "Declaration"),
    "pledger": ("Pledge", "Agent"), "quantity": ("Pledge", XSD.decimal), "unit": ("Pledge", SKOS.Concept),
    "madeBy": ("Pledge", "Person"), "speaker": ("Statement", "Person"), "source": ("Evidence", "Source"),
    "charStart": (None, XSD.integer), "confidence": (None, XSD.decimal), "startDate": (None, XSD.date),
    "reportedParticipantCount": ("Meeting", XSD.integer), "foundingDate": ("Coalition", XSD.date),
    "claimSubject": ("AttributeClaim", None), "issuedEstimated": (None, XSD.boolean),
}
PAIRWISE_DISJOINT = [
    {"Person", "State", "InternationalOrganization", "Coalition", "Publisher"},
    {"Participation", "Signature", "Pledge", "Statement", "Membership", "OfficeTerm", "AttributeClaim"},
]
DISJOINT_PAIRS = [
    ("Meeting", "Document"), ("Meeting", "Agent"), ("Meeting", "Claim"), ("Meeting", "Evidence"),
    ("Document", "Agent"), ("Document", "Claim"), ("Evidence", "Claim"), ("Evidence", "Document"),
]

SCHEMES: dict[str, list[str]] = {
    "pledge-type": ["military", "troops", "bases-and-hubs", "air-defence", "weapons", "training", "monitoring",
                    "intelligence", "command", "maritime", "financial", "humanitarian", "sanctions", "diplomatic",
                    "reconstruction"],
    "pledge-status": ["proposed", "considered", "announced", "conditional", "signed", "delivered", "withdrawn",
                      "refused"],
    "pledge-condition": ["after-ceasefire", "after-peace-agreement", "us-backstop", "parliamentary-approval",
                         "outside-ukraine"],
    "capacity": ["head-of-state-or-government", "head-of-organization", "minister", "ambassador", "envoy",
                 "military-chief", "official", "legislator"],
    "attendance": ["in-person", "remote", "absent"],
    "meeting-format": ["in-person", "virtual", "hybrid"],
    "meeting-series": ["leaders", "foreign-ministers", "defence-ministers", "chiefs-of-defence",
                       "national-security-advisers", "military-planners", "other"],
    "source-type": ["news-report", "official-statement", "official-document", "opinion", "analysis",
                    "reader-comment", "encyclopedia", "aggregator", "blog", "curated-dataset"],
    "reliability": ["high", "medium", "low"],
    "membership-role": ["founder", "coordinator", "member", "beneficiary", "partner", "observer"],
    "signature-role": ["signatory", "endorser", "non-signatory"],
    "declaration-type": ["joint-declaration", "joint-statement", "chairs-statement", "declaration-of-intent",
                         "oral-statement", "communique"],
    "topic": ["security-guarantees", "ceasefire", "ceasefire-monitoring", "troops", "air-defence", "military-aid",
              "financing", "sanctions", "frozen-assets", "peace-negotiations", "reconstruction", "defence-industry",
              "european-rearmament", "nuclear-deterrence", "us-role", "coalition-organisation", "humanitarian",
              "energy"],
    "stance": ["supports", "opposes", "conditional", "neutral", "critical"],
    "office-kind": ["head-of-state", "head-of-government", "foreign-minister", "defence-minister", "minister",
                    "head-of-organization", "envoy", "military-chief", "national-security-adviser", "official",
                    "legislator"],
    "unit": ["GBP", "EUR", "USD", "CAD", "AUD", "JPY", "NOK", "SEK", "DKK", "troops", "personnel", "missiles",
             "aircraft", "vehicles", "ships", "air-defence-systems", "drones", "shells"],
    "link-status": ["well-known", "verified", "unverified"],
    "date-precision": ["day", "month", "year"],
}
NARROWER = {("pledge-type", "military"): {"troops", "bases-and-hubs", "air-defence", "weapons", "training",
                                          "monitoring", "intelligence", "command", "maritime"}}

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# Built-in vocabulary that needs no declaration.
BUILT_IN_PREDICATES = {
    RDF.type, RDF.first, RDF.rest, RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso, RDFS.subClassOf,
    RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.versionIRI, OWL.versionInfo, OWL.disjointWith,
    OWL.members, OWL.unionOf, OWL.inverseOf, OWL.sameAs, OWL.equivalentClass,
}


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return Graph().parse(CONCEPTS_TTL, format="turtle")


@pytest.fixture(scope="module")
def declared(ontology: Graph) -> dict[Node, set[Node]]:
    """Every IRI declared in coalition.ttl with the kinds it is declared as."""
    kinds: dict[Node, set[Node]] = {}
    for kind in KINDS:
        for subject in ontology.subjects(RDF.type, kind):
            if isinstance(subject, URIRef):
                kinds.setdefault(subject, set()).add(kind)
    return kinds


@pytest.fixture(scope="module")
def hermit_vocabulary(tmp_path_factory) -> object:
    """HermiT on the ontology plus the concept schemes."""
    return outcome([ONTOLOGY_TTL, CONCEPTS_TTL], tmp_path_factory.mktemp("hermit-vocabulary"))


@pytest.fixture(scope="module")
def hermit_consistent_sample(tmp_path_factory) -> object:
    return outcome([ONTOLOGY_TTL, CONCEPTS_TTL, SAMPLES / "consistent.ttl"], tmp_path_factory.mktemp("hermit-ok"))


def ckg_terms(graph: Graph, kind: Node) -> set[str]:
    return {str(s)[len(str(CKG)):] for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(CKG))}


def english(graph: Graph, subject: Node, predicate: Node) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == "en"]


# --------------------------------------------------------------------------------------------------
# Parsing, header and the term list
# --------------------------------------------------------------------------------------------------

def test_both_files_parse(ontology: Graph, concepts: Graph) -> None:
    assert len(ontology) > 500
    assert len(concepts) > 500


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/coalition-kg/ontology/0.1.0")
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(ontology.value(ONTOLOGY_IRI, DCTERMS.creator)) == "coalition-kg contributors"
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.created):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate
    assert not list(ontology.objects(ONTOLOGY_IRI, OWL.imports)), "the ontology must be self-contained"


def test_term_list_and_kinds(ontology: Graph) -> None:
    assert ckg_terms(ontology, OWL.Class) == CLASSES
    assert ckg_terms(ontology, OWL.ObjectProperty) == OBJECT_PROPERTIES
    assert ckg_terms(ontology, OWL.DatatypeProperty) == DATATYPE_PROPERTIES
    assert ckg_terms(ontology, OWL.AnnotationProperty) == ANNOTATION_PROPERTIES


def test_every_ckg_term_has_label_definition_and_is_defined_by(ontology: Graph) -> None:
    problems = []
    for name in CLASSES | OBJECT_PROPERTIES | DATATYPE_PROPERTIES | ANNOTATION_PROPERTIES:
        term = CKG[name]
        if len(english(ontology, term, RDFS.label)) != 1:
            problems.append(f"{name}: needs exactly one rdfs:label@en")
        definitions = english(ontology, term, SKOS.definition)
        if len(definitions) != 1 or not str(definitions[0]).endswith("."):
            problems.append(f"{name}: needs exactly one skos:definition@en, a sentence")
        if ontology.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"{name}: rdfs:isDefinedBy must be the ontology")
    assert not problems, "\n".join(problems)


def test_no_undeclared_ckg_terms(ontology: Graph, concepts: Graph) -> None:
    declared_terms = {CKG[n] for n in CLASSES | OBJECT_PROPERTIES | DATATYPE_PROPERTIES | ANNOTATION_PROPERTIES | DATATYPES}
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(str(CKG))}
    assert used <= declared_terms, sorted(used - declared_terms)
    in_concepts = {t for triple in concepts for t in triple if isinstance(t, URIRef) and str(t).startswith(str(CKG))}
    assert not in_concepts, "concepts.ttl must not mention ckg: terms"


# --------------------------------------------------------------------------------------------------
# OWL 2 DL structure (the checks HermiT does not make: it accepts punning silently)
# --------------------------------------------------------------------------------------------------

def test_each_iri_has_one_kind(declared: dict[Node, set[Node]]) -> None:
    clashes = {str(iri): sorted(map(str, kinds)) for iri, kinds in declared.items() if len(kinds) > 1}
    assert not clashes


def test_external_terms_are_declared_with_their_source(ontology: Graph, declared: dict[Node, set[Node]]) -> None:
    external = [iri for iri in declared if not str(iri).startswith(str(CKG))]
    assert len(external) > 30
    missing = [str(iri) for iri in external
               if ontology.value(iri, RDFS.isDefinedBy) is None or not english(ontology, iri, RDFS.label)]
    assert not missing


def test_every_predicate_is_declared(ontology: Graph, concepts: Graph, declared: dict[Node, set[Node]]) -> None:
    samples = [Graph().parse(p, format="turtle") for p in sorted(SAMPLES.glob("*.ttl"))]
    property_kinds = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    undeclared = set()
    for graph in [ontology, concepts, *samples]:
        for predicate in set(graph.predicates()):
            if predicate not in BUILT_IN_PREDICATES and not declared.get(predicate, set()) & property_kinds:
                undeclared.add(str(predicate))
    assert not undeclared, sorted(undeclared)


def test_property_values_match_property_kinds(concepts: Graph, declared: dict[Node, set[Node]]) -> None:
    """Object properties take IRIs, datatype properties literals (in the concepts and the samples)."""
    samples = [Graph().parse(p, format="turtle") for p in sorted(SAMPLES.glob("*.ttl"))]
    wrong = []
    for graph in [concepts, *samples]:
        for s, p, o in graph:
            kinds = declared.get(p, set())
            if OWL.ObjectProperty in kinds and isinstance(o, Literal):
                wrong.append((s, p, o))
            if OWL.DatatypeProperty in kinds and not isinstance(o, Literal):
                wrong.append((s, p, o))
    assert not wrong, wrong


def test_axioms_relate_terms_of_the_right_kind(ontology: Graph, declared: dict[Node, set[Node]]) -> None:
    def kind(term: Node) -> Node | None:
        kinds = declared.get(term, set())
        return next(iter(kinds)) if len(kinds) == 1 else None

    problems = []
    for sub, sup in ontology.subject_objects(RDFS.subPropertyOf):
        if kind(sub) is None or kind(sub) != kind(sup):
            problems.append(f"subPropertyOf across kinds: {sub} {sup}")
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if kind(sub) != OWL.Class or kind(sup) != OWL.Class:
            problems.append(f"subClassOf of a non-class: {sub} {sup}")
    for prop, domain in ontology.subject_objects(RDFS.domain):
        if kind(prop) == OWL.AnnotationProperty:
            continue
        if not (kind(domain) == OWL.Class or (isinstance(domain, BNode)
                                             and (domain, RDF.type, OWL.Class) in ontology)):
            problems.append(f"domain is not a class: {prop} {domain}")
    for prop, range_ in ontology.subject_objects(RDFS.range):
        if kind(prop) == OWL.ObjectProperty and kind(range_) != OWL.Class:
            problems.append(f"object property range is not a class: {prop} {range_}")
        if kind(prop) == OWL.DatatypeProperty and not (str(range_).startswith(str(XSD))
                                                       or (range_, RDF.type, RDFS.Datatype) in ontology):
            problems.append(f"datatype property range is not a datatype: {prop} {range_}")
    for a, b in ontology.subject_objects(OWL.inverseOf):
        if kind(a) != OWL.ObjectProperty or kind(b) != OWL.ObjectProperty:
            problems.append(f"inverseOf needs object properties: {a} {b}")
    assert not problems, "\n".join(problems)


def test_no_axioms_on_external_terms(ontology: Graph) -> None:
    """We only declare other vocabularies' terms; their domains, ranges and hierarchies are theirs."""
    axiom_predicates = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.disjointWith,
                        OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty}
    hijacked = [(s, p) for s, p, _ in ontology if p in axiom_predicates
                and isinstance(s, URIRef) and not str(s).startswith(str(CKG))]
    assert not hijacked, hijacked


# --------------------------------------------------------------------------------------------------
# Alignment, domains and ranges, disjointness
# --------------------------------------------------------------------------------------------------

def test_class_alignment(ontology: Graph) -> None:
    for name, expected in SUPERCLASSES.items():
        assert set(ontology.objects(CKG[name], RDFS.subClassOf)) == expected, name
    assert (CKG.Meeting, RDFS.subClassOf, TIME.TemporalEntity) not in ontology


def test_property_alignment(ontology: Graph) -> None:
    for name, expected in SUPERPROPERTIES.items():
        assert (CKG[name], RDFS.subPropertyOf, expected) in ontology, name
    for name, expected in CLOSE_MATCHES.items():
        assert (CKG[name], SKOS.closeMatch, expected) in ontology, name
    assert (CKG.hasProvision, OWL.inverseOf, CKG.provisionOf) in ontology


def test_domains_and_ranges(ontology: Graph) -> None:
    def expand(value: object) -> object:
        return CKG[value] if isinstance(value, str) and not isinstance(value, URIRef) else value

    for name, (domain, range_) in DOMAIN_RANGE.items():
        assert ontology.value(CKG[name], RDFS.domain) == expand(domain), f"domain of {name}"
        assert ontology.value(CKG[name], RDFS.range) == expand(range_), f"range of {name}"
    made_at_domain = ontology.value(CKG.madeAt, RDFS.domain)
    members = set(ontology.items(ontology.value(made_at_domain, OWL.unionOf)))
    assert members == {CKG.Pledge, CKG.Statement}
    for concept_property in ("wikidataLinkStatus", "officeKind", "datePrecision", "role", "format",
                             "meetingSeries", "capacity", "attendance", "topic", "declarationType",
                             "signatureRole", "pledgeType", "unit", "condition", "status", "stance",
                             "sourceType", "reliability", "defaultReliability"):
        assert ontology.value(CKG[concept_property], RDFS.range) == SKOS.Concept, concept_property
    assert (PROV.wasDerivedFrom, RDFS.domain, None) not in ontology


def test_disjointness(ontology: Graph) -> None:
    all_disjoint = [{str(m)[len(str(CKG)):] for m in ontology.items(ontology.value(node, OWL.members))}
                    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses)]
    for group in PAIRWISE_DISJOINT:
        assert group in all_disjoint, group
    for a, b in DISJOINT_PAIRS:
        assert (CKG[a], OWL.disjointWith, CKG[b]) in ontology, (a, b)


# --------------------------------------------------------------------------------------------------
# SKOS concept schemes
# --------------------------------------------------------------------------------------------------

def test_schemes_and_slugs(concepts: Graph) -> None:
    schemes = {str(s)[len(CONCEPT_BASE):] for s in concepts.subjects(RDF.type, SKOS.ConceptScheme)}
    assert schemes == set(SCHEMES)
    for scheme, slugs in SCHEMES.items():
        scheme_iri = URIRef(CONCEPT_BASE + scheme)
        assert english(concepts, scheme_iri, SKOS.prefLabel) and english(concepts, scheme_iri, RDFS.label), scheme
        assert english(concepts, scheme_iri, SKOS.definition), scheme
        members = {str(c).rsplit("/", 1)[1] for c in concepts.subjects(SKOS.inScheme, scheme_iri)}
        assert members == set(slugs), scheme


def test_schemes_match_the_package(concepts: Graph) -> None:
    from coalition_kg.namespaces import CONCEPT_SCHEMES, concept

    assert set(CONCEPT_SCHEMES) == set(SCHEMES)
    assert (concept("pledge-type", "troops"), RDF.type, SKOS.Concept) in concepts


def test_every_concept_is_complete(concepts: Graph) -> None:
    problems = []
    all_concepts = set(concepts.subjects(RDF.type, SKOS.Concept))
    assert len(all_concepts) == sum(len(slugs) for slugs in SCHEMES.values())
    for concept_iri in all_concepts:
        scheme_iri, slug = str(concept_iri).rsplit("/", 1)
        if set(concepts.objects(concept_iri, SKOS.inScheme)) != {URIRef(scheme_iri)}:
            problems.append(f"{concept_iri}: inScheme must be {scheme_iri}")
        if len(english(concepts, concept_iri, SKOS.prefLabel)) != 1:
            problems.append(f"{concept_iri}: needs exactly one prefLabel@en")
        if len(english(concepts, concept_iri, SKOS.definition)) != 1:
            problems.append(f"{concept_iri}: needs exactly one definition@en")
        if [str(n) for n in concepts.objects(concept_iri, SKOS.notation)] != [slug]:
            problems.append(f"{concept_iri}: notation must be {slug!r}")
        top = set(concepts.objects(concept_iri, SKOS.topConceptOf))
        broader = set(concepts.objects(concept_iri, SKOS.broader))
        if bool(top) == bool(broader):
            problems.append(f"{concept_iri}: needs either topConceptOf or broader")
        if top and (top != {URIRef(scheme_iri)} or (URIRef(scheme_iri), SKOS.hasTopConcept, concept_iri) not in concepts):
            problems.append(f"{concept_iri}: topConceptOf/hasTopConcept disagree")
        if any(not str(b).startswith(scheme_iri + "/") for b in broader):
            problems.append(f"{concept_iri}: broader concept in another scheme")
    assert not problems, "\n".join(problems)
    subjects = set(concepts.subjects()) - all_concepts - set(concepts.subjects(RDF.type, SKOS.ConceptScheme))
    assert not subjects, f"concepts.ttl holds only schemes and concepts: {subjects}"


def test_pledge_type_hierarchy(concepts: Graph) -> None:
    for (scheme, parent), children in NARROWER.items():
        parent_iri = URIRef(f"{CONCEPT_BASE}{scheme}/{parent}")
        found = {str(c).rsplit("/", 1)[1] for c in concepts.subjects(SKOS.broader, parent_iri)}
        assert found == children


# --------------------------------------------------------------------------------------------------
# HermiT: consistency of the vocabulary and of samples
# --------------------------------------------------------------------------------------------------

def test_hermit_finds_the_vocabulary_consistent(hermit_vocabulary) -> None:
    require_java()
    result = hermit_vocabulary
    assert isinstance(result, owlready2.World), f"inconsistent: {result!r}"
    assert result["https://w3id.org/coalition-kg/ontology#Person"] is not None, "the conversion lost the classes"
    assert result["https://w3id.org/coalition-kg/concept/pledge-type/troops"] is not None


def test_hermit_finds_every_class_satisfiable(hermit_vocabulary) -> None:
    require_java()
    result = hermit_vocabulary
    assert isinstance(result, owlready2.World)
    assert list(result.inconsistent_classes()) == []


def test_consistent_sample_is_consistent(hermit_consistent_sample) -> None:
    require_java()
    result = hermit_consistent_sample
    assert isinstance(result, owlready2.World), f"inconsistent: {result!r}"
    participation = result["https://w3id.org/coalition-kg/id/participation/p1"]
    assert result["https://w3id.org/coalition-kg/ontology#Participation"] in participation.is_a, \
        "the reasoner should type a node from the domain of its properties"


@pytest.mark.parametrize("sample", [
    "contradictory.ttl",                        # one individual both ckg:Person and ckg:State
    "contradictory-meeting-declaration.ttl",    # a ckg:Meeting that is also a ckg:Declaration
    "contradictory-range.ttl",                  # a state as ckg:representedBy, whose range is ckg:Person
])
def test_contradictory_sample_is_inconsistent(sample: str, tmp_path: Path) -> None:
    require_java()
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        run_hermit([ONTOLOGY_TTL, CONCEPTS_TTL, SAMPLES / sample], tmp_path)
