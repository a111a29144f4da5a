"""Turn checked records into the RDF dataset (design.md, "Data flow").

Named graphs: the ontology, the reference data (states, organisations, people, offices
and office terms, publishers) and the curated claims. Every claim node — participation,
signature, pledge, statement, membership, office term, attribute claim — gets one
``ckg:Evidence`` per cited source through ``prov:wasDerivedFrom``. IRIs are minted from
the records' own keys (``namespaces.iri``), so the same input always gives the same
graph; two records with the same key (two sources disagreeing about one participation)
get two claim nodes, told apart by a hash of their content, never merged.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .export import replace_folder, write_files
from .load import Data, load_data
from .documents import Rules, read_document
from .extract import extract
from .extracted import DocumentWriter
from .lexicon import build_lexicon
from .link import add_to_dataset as add_wikidata
from .namespaces import (
    CKG, CURATED_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, SCHEMA, WD, concept, decimal, integer, iri, short_hash, slugify,
    source_graph,
)
from .project import Project
from .schema import PartialDate, Record, Ref
from .infer import infer, write_inferred
from .validate import check_shapes

CURATED_CONFIDENCE = decimal("0.9")
UNSOURCED_CONFIDENCE = decimal("0.6")


@dataclass
class BuildReport:
    """What a build produced: triples per graph, nodes per class, and warnings."""

    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, dict] = field(default_factory=dict)  # ingested source id → what was extracted
    origins: dict[str, str] = field(default_factory=dict)  # curated node IRI → "graph/<file>.yaml:<line>"
    inferred: dict[str, int] = field(default_factory=dict)  # rule → triples it inferred (inferred.nq)

    def as_dict(self) -> dict:
        return {"graphs": self.graphs, "classes": self.classes, "warnings": self.warnings, "sources": self.sources,
                "origins": self.origins, "inferred": self.inferred}


def build_dataset(data: Data) -> tuple[Dataset, BuildReport]:
    """Build the whole dataset from checked ``data``."""
    dataset = Dataset()
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    # Canonical blank-node labels (OWL lists and restrictions) keep the output byte-identical.
    for triple in to_canonical_graph(data.ontology.graph):
        ontology.add(triple)
    builder = _Builder(data, dataset)
    builder.reference()
    builder.curated()
    builder.ingested()
    add_wikidata(data, dataset)
    report = BuildReport(warnings=builder.warnings, origins=dict(sorted(builder.origins.items())), sources={
        source_id: summarise(document, extraction) for source_id, (document, extraction) in builder.extractions.items()})
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph):
            report.graphs[str(graph.identifier)] = len(graph)
    counts = Counter(str(o) for _, _, o, _ in dataset.quads((None, RDF.type, None, None)) if str(o).startswith(str(CKG)))
    report.classes = dict(sorted(counts.items()))
    return dataset, report


def summarise(document, extraction) -> dict:
    """What the ingest report says about one document."""
    return {
        "claims": dict(sorted(Counter(c.kind for c in extraction.claims).items())),
        "unknown_names": extraction.unknown_names,
        "wrong_office_attributions": sorted({f"{c.fields['person']} is not {c.fields['office']} on {c.fields['date']}"
                                             for c in extraction.of("office-attribution") if not c.fields["correct"]}),
        "reader_comments": len(document.passages("comment")),
        "unmined_passages": [{"start": s.start, "end": s.end, "language": s.language}
                             for s in document.passages("foreign")],
        "undated": extraction.undated,
    }


def _fingerprint(record: Record) -> str:
    return json.dumps(record, default=str, sort_keys=True, ensure_ascii=False)


def mint_claims(kind: str, records: Iterable[Record], key: Callable[[Record], tuple[str, ...]]) -> list[tuple[URIRef, Record]]:
    """Give each claim record an IRI from its key; records sharing a key each get a content hash.

    Hashing every member of a clash (not just the second) keeps IRIs independent of the
    order of records in the file.
    """
    records = list(records)
    keys = [key(r) for r in records]
    clashes = Counter(keys)
    return [(iri(kind, *k, short_hash(_fingerprint(r))) if clashes[k] > 1 else iri(kind, *k), r)
            for k, r in zip(keys, records)]


class _Builder:
    """Writes records as triples; one method per record kind, in the order of graph/README.md."""

    def __init__(self, data: Data, dataset: Dataset) -> None:
        self.data = data
        self.dataset = dataset
        self.ref_graph = dataset.graph(REFERENCE_GRAPH)
        self.cur_graph = dataset.graph(CURATED_GRAPH)
        self.source_graph = source_graph
        self.warnings: list[str] = []
        self.source_iris: dict[str, URIRef] = {}
        self.extractions: dict = {}  # source id → (document, extraction), for the ingest report
        self.origins: dict[str, str] = {}  # node IRI → file:line of the YAML record that made it

    # -- helpers ---------------------------------------------------------------------------

    def node(self, reference: Ref) -> URIRef:
        """The IRI of a referenced record or concept."""
        if reference.kinds[0].startswith("concept:"):
            return concept(reference.kinds[0].split(":", 1)[1], reference.key)
        return iri(self.data.kind_of(reference), reference.key)

    @staticmethod
    def add(graph: Graph, subject: URIRef, predicate: URIRef, value: object) -> None:
        """Add one triple; ``None`` adds nothing, a list adds one triple per item."""
        if value is None:
            return
        if isinstance(value, list):
            for item in value:
                _Builder.add(graph, subject, predicate, item)
            return
        graph.add((subject, predicate, _Builder.term(value)))

    @staticmethod
    def term(value: object) -> URIRef | Literal:
        if isinstance(value, (URIRef, Literal)):
            return value
        if isinstance(value, PartialDate):
            return value.literal()
        if isinstance(value, bool):
            return Literal(value)
        if isinstance(value, int):
            return integer(value)
        if isinstance(value, float):
            return decimal(value)
        return Literal(str(value))

    def refs(self, values: list[Ref] | Ref | None) -> list[URIRef] | URIRef | None:
        if values is None:
            return None
        if isinstance(values, list):
            return [self.node(v) for v in values]
        return self.node(values)

    def evidence(self, graph: Graph, claim: URIRef, urls: list[Ref], unsourced: bool = False) -> None:
        """Link ``claim`` to one evidence node per cited source (``prov:wasDerivedFrom``)."""
        local = str(claim).split("/id/", 1)[1]
        for url in urls:
            source = self.source_iris[url.key]
            node = iri("evidence", local, str(source).rsplit("/", 1)[1])
            graph.add((claim, PROV.wasDerivedFrom, node))
            graph.add((node, RDF.type, CKG.Evidence))
            graph.add((node, CKG.source, source))
            graph.add((node, CKG.method, Literal("curated-unsourced" if unsourced else "curated")))
            graph.add((node, CKG.confidence, UNSOURCED_CONFIDENCE if unsourced else CURATED_CONFIDENCE))

    def claim(self, graph: Graph, node: URIRef, cls: URIRef, record: Record | None = None) -> None:
        """Type a claim node with its class and with ckg:Claim itself.

        The second type is entailed by the ontology; stating it lets every engine find all
        claims with one triple pattern, with no reasoning and no property-path search.
        """
        graph.add((node, RDF.type, cls))
        graph.add((node, RDF.type, CKG.Claim))
        self.origin(node, record)

    def origin(self, node: URIRef, record: Record | None) -> None:
        """Remember which YAML record made ``node``, so validation can point at its file and line."""
        if record is not None and hasattr(record, "where"):
            self.origins[str(node)] = f"{record.where.path}:{record.where.line}"

    def labelled(self, graph: Graph, subject: URIRef, cls: URIRef, record: Record, name: str = "name") -> None:
        graph.add((subject, RDF.type, cls))
        self.origin(subject, record)
        graph.add((subject, RDFS.label, Literal(record[name])))
        self.add(graph, subject, SKOS.altLabel, record.get("aliases"))
        self.add(graph, subject, CKG.note, record.get("note"))
        if "wikidata" in record:
            graph.add((subject, OWL.sameAs, WD[record["wikidata"]]))
            self.add(graph, subject, CKG.wikidataLinkStatus, self.refs(record.get("wikidata_status")))

    def attribute_claim(self, subject: URIRef, prop: URIRef, value: object, record: Record, sources: list[Ref]) -> None:
        """One source's (or sources') version of one property value, plus the direct triple."""
        local = str(subject).split("/id/", 1)[1]
        value_term = self.term(value)
        claim = iri("claim", local, str(prop).split("#")[1],
                    short_hash(value_term.n3(), *sorted(s.key for s in sources)))
        g = self.cur_graph
        g.add((subject, prop, value_term))
        self.claim(g, claim, CKG.AttributeClaim, record)
        g.add((claim, CKG.claimSubject, subject))
        g.add((claim, CKG.claimProperty, prop))
        g.add((claim, CKG.claimValue, value_term))
        self.add(g, claim, CKG.valueText, record.get("text"))
        self.add(g, claim, CKG.asOf, record.get("as_of"))
        self.add(g, claim, CKG.note, record.get("note"))
        self.evidence(g, claim, sources)

    # -- reference graph -------------------------------------------------------------------

    def reference(self) -> None:
        g = self.ref_graph
        for state in self.data.records("reference/states.yaml"):
            node = iri("state", state["iso3"])
            self.labelled(g, node, CKG.State, state)
            g.add((node, SKOS.prefLabel, Literal(state["name"], lang="en")))
            g.add((node, CKG.isoCode, Literal(state["iso3"])))
            self.add(g, node, CKG.iso2Code, state.get("iso2"))
            self.add(g, node, SKOS.altLabel, state.get("official_name"))
            self.add(g, node, CKG.demonym, state.get("demonyms"))
            self.add(g, node, CKG.capital, state.get("capital"))
        classes = {"international-organization": CKG.InternationalOrganization,
                   "institution": CKG.InternationalOrganization, "multinational-force": CKG.MultinationalForce}
        for org in self.data.records("reference/organizations.yaml"):
            node = iri("org", org["id"])
            self.labelled(g, node, classes[org["kind"]], org)
            self.add(g, node, CKG.subOrganizationOf, self.refs(org.get("part_of")))
        for publisher in self.data.records("reference/publishers.yaml"):
            node = iri("publisher", publisher["id"])
            self.labelled(g, node, CKG.Publisher, publisher)
            self.add(g, node, CKG.publisherDomain, publisher["domains"])
            self.add(g, node, CKG.publisherKind, publisher["kind"])
            self.add(g, node, CKG.country, self.refs(publisher.get("country")))
            self.add(g, node, CKG.defaultReliability, self.refs(publisher["reliability"]))
        self.sources()
        for coalition in self.data.records("reference/coalitions.yaml"):
            node = iri("coalition", coalition["id"])
            self.labelled(g, node, CKG.Coalition, coalition)
            self.add(g, node, CKG.description, coalition.get("description"))
            self.evidence(g, node, coalition["sources"])
        for office in self.data.records("reference/offices.yaml"):
            node = iri("office", office["id"])
            self.labelled(g, node, CKG.Office, office)
            self.add(g, node, CKG.officeOf, self.refs(office["office_of"]))
            self.add(g, node, CKG.officeKind, self.refs(office["kind"]))
            self.add(g, node, CKG.officeTitle, office.get("titles"))
        for person in self.data.records("reference/people.yaml"):
            node = iri("person", person["id"])
            self.labelled(g, node, CKG.Person, person)
            terms = mint_claims("office-term", person.get("terms", []),
                                lambda t, p=person: (p["id"], t["office"].key, str(t.get("start", "open"))))
            for term_iri, term in terms:
                self.claim(g, term_iri, CKG.OfficeTerm, term)
                g.add((term_iri, CKG.holder, node))
                g.add((term_iri, CKG.office, self.node(term["office"])))
                self.add(g, term_iri, CKG.startDate, term.get("start"))
                self.add(g, term_iri, CKG.endDate, term.get("end"))
                self.add(g, term_iri, CKG.note, term.get("note"))
                self.evidence(g, term_iri, term["sources"], unsourced=term.get("unsourced", False))

    def sources(self) -> None:
        """Describe every cited source (in the curated graph, next to the claims citing them)."""
        g = self.cur_graph
        for source in self.data.records("curated/sources.yaml"):
            publisher = self.data.publisher_of(source["url"])
            node = iri("source", f"{publisher['id']}-{short_hash(source['url'])}")
            self.source_iris[source["url"]] = node
            self.origin(node, source)
            g.add((node, RDF.type, CKG.Source))
            g.add((node, SCHEMA.url, Literal(source["url"], datatype=XSD.anyURI)))
            g.add((node, DCTERMS.publisher, iri("publisher", publisher["id"])))
            self.add(g, node, DCTERMS.title, source.get("title"))
            g.add((node, DCTERMS.issued, source["issued"].literal()))
            g.add((node, CKG.datePrecision, concept("date-precision", source["issued"].precision)))
            self.add(g, node, CKG.issuedEstimated, source.get("issued_estimated"))
            g.add((node, CKG.sourceType, self.node(source.get("type", publisher["default_type"]))))
            g.add((node, CKG.reliability, self.node(source.get("reliability", publisher["reliability"]))))
            g.add((node, DCTERMS.language, Literal(source.get("language", "en"))))
            self.add(g, node, CKG.note, source.get("note"))

    # -- curated graph ---------------------------------------------------------------------

    def curated(self) -> None:
        self.meetings()
        self.memberships()
        self.declarations()
        self.pledges()
        self.statements()
        self.attributes()

    def meetings(self) -> None:
        g = self.cur_graph
        relations = {"meeting": CKG.meetingOf, "precursor": CKG.precursorOf, "related": CKG.relatedTo}
        for meeting in self.data.records("curated/meetings.yaml"):
            node = iri("meeting", meeting["id"])
            self.labelled(g, node, CKG.Meeting, meeting)
            self.add(g, node, CKG.date, meeting["date"])
            self.add(g, node, CKG.endDate, meeting.get("end_date"))
            if "city" in meeting:
                place = iri("place", slugify(meeting["city"]))
                g.add((node, CKG.location, place))
                g.add((place, RDF.type, CKG.Place))
                g.add((place, RDFS.label, Literal(meeting["city"])))
            self.add(g, node, CKG.venue, meeting.get("venue"))
            self.add(g, node, CKG.hostCountry, self.refs(meeting.get("host")))
            self.add(g, node, CKG["format"], self.refs(meeting["format"]))
            self.add(g, node, CKG.meetingSeries, self.refs(meeting.get("series")))
            if "coalition" in meeting:
                g.add((node, relations[meeting.get("relation", "meeting")], self.node(meeting["coalition"])))
            self.add(g, node, CKG.convenedBy, self.refs(meeting.get("convened_by")))
            self.evidence(g, node, meeting["sources"])
            for chair in meeting.get("chairs", []):
                self.attribute_claim(node, CKG.chair, self.node(chair["person"]), chair,
                                     chair.get("sources", meeting["sources"]))
            for count in meeting.get("reported_participant_count", []):
                self.attribute_claim(node, CKG.reportedParticipantCount, count["value"], count,
                                     count.get("sources", meeting["sources"]))
            participations = mint_claims("participation", meeting.get("participants", []),
                                         lambda p, m=meeting: (m["id"], p["participant"].key))
            for claim, participation in participations:
                self.claim(g, claim, CKG.Participation, participation)
                g.add((claim, CKG.meeting, node))
                g.add((claim, CKG.participant, self.node(participation["participant"])))
                self.add(g, claim, CKG.representedBy, self.refs(participation.get("representatives")))
                self.add(g, claim, CKG.capacity, self.refs(participation.get("capacity")))
                self.add(g, claim, CKG.attendance, self.refs(participation.get("attendance")))
                self.add(g, claim, CKG.note, participation.get("note"))
                self.evidence(g, claim, participation.get("sources", meeting["sources"]))

    def memberships(self) -> None:
        g = self.cur_graph
        claims = mint_claims("membership", self.data.records("curated/memberships.yaml"),
                             lambda m: (m["coalition"].key, m["member"].key))
        for claim, membership in claims:
            self.claim(g, claim, CKG.Membership, membership)
            g.add((claim, CKG.member, self.node(membership["member"])))
            g.add((claim, CKG.coalition, self.node(membership["coalition"])))
            self.add(g, claim, CKG.startDate, membership.get("start"))
            self.add(g, claim, CKG.endDate, membership.get("end"))
            self.add(g, claim, CKG.role, self.refs(membership.get("roles")))
            self.add(g, claim, CKG.note, membership.get("note"))
            self.evidence(g, claim, membership["sources"])

    def declarations(self) -> None:
        g = self.cur_graph
        roles = {"signatories": ("signatory", CKG.signatory), "endorsers": ("endorser", CKG.endorsedBy),
                 "non_signatories": ("non-signatory", CKG.notSignedBy)}
        for declaration in self.data.records("curated/declarations.yaml"):
            node = iri("declaration", declaration["id"])
            self.labelled(g, node, CKG.Declaration, declaration, name="title")
            g.add((node, CKG["title"], Literal(declaration["title"])))
            self.add(g, node, CKG.date, declaration["date"])
            self.add(g, node, CKG.declarationType, self.refs(declaration["type"]))
            self.add(g, node, CKG.adoptedAt, self.refs(declaration.get("adopted_at")))
            self.add(g, node, CKG.ofCoalition, self.refs(declaration.get("coalition")))
            self.add(g, node, CKG.summary, declaration.get("summary"))
            self.add(g, node, CKG.topic, self.refs(declaration.get("topics")))
            self.evidence(g, node, declaration["sources"])
            for number, provision in enumerate(declaration.get("provisions", []), start=1):
                part = iri("provision", declaration["id"], str(number))
                g.add((part, RDF.type, CKG.Provision))
                self.origin(part, provision)
                g.add((node, CKG.hasProvision, part))
                g.add((part, CKG.provisionOf, node))
                g.add((part, CKG.ordinal, integer(number)))
                g.add((part, CKG.summary, Literal(provision["summary"])))
                self.add(g, part, CKG.topic, self.refs(provision.get("topic")))
                self.add(g, part, CKG.note, provision.get("note"))
                self.evidence(g, part, provision.get("sources", declaration["sources"]))
            for field_name, (role, shortcut) in roles.items():
                signatures = mint_claims("signature", declaration.get(field_name, []),
                                         lambda s, d=declaration, r=role: (d["id"], r, s["party"].key))
                for claim, signature in signatures:
                    party = self.node(signature["party"])
                    g.add((node, shortcut, party))
                    self.claim(g, claim, CKG.Signature, signature)
                    g.add((claim, CKG.document, node))
                    g.add((claim, CKG.signer, party))
                    g.add((claim, CKG.signatureRole, concept("signature-role", role)))
                    self.add(g, claim, CKG.signedBy, self.refs(signature.get("signed_by")))
                    self.add(g, claim, CKG.note, signature.get("note"))
                    self.evidence(g, claim, signature.get("sources", declaration["sources"]))

    def pledges(self) -> None:
        g = self.cur_graph
        for pledge in self.data.records("curated/pledges.yaml"):
            node = iri("pledge", pledge["id"])
            self.claim(g, node, CKG.Pledge, pledge)
            self.add(g, node, CKG.pledger, self.refs(pledge["pledgers"]))
            self.add(g, node, CKG.beneficiary, self.refs(pledge.get("beneficiary")))
            self.add(g, node, CKG.pledgeType, self.refs(pledge["type"]))
            self.add(g, node, CKG.summary, pledge["summary"])
            g.add((node, RDFS.label, Literal(pledge["summary"])))
            if "quantity" in pledge:
                g.add((node, CKG.quantity, decimal(pledge["quantity"])))
            self.add(g, node, CKG.unit, self.refs(pledge.get("unit")))
            self.add(g, node, CKG.quantityText, pledge.get("quantity_text"))
            self.add(g, node, CKG.quantityQualifier, pledge.get("quantity_qualifier"))
            self.add(g, node, CKG.condition, self.refs(pledge.get("condition")))
            self.add(g, node, CKG.conditionText, pledge.get("condition_text"))
            self.add(g, node, CKG.status, self.refs(pledge["status"]))
            self.add(g, node, CKG.date, pledge["date"])
            self.add(g, node, CKG.madeAt, self.refs(pledge.get("made_at")))
            self.add(g, node, CKG.madeBy, self.refs(pledge.get("made_by")))
            self.add(g, node, CKG.partOf, self.refs(pledge.get("part_of")))
            self.add(g, node, CKG.sameCommitmentAs, self.refs(pledge.get("same_commitment_as")))
            self.add(g, node, CKG.note, pledge.get("note"))
            self.evidence(g, node, pledge["sources"])

    def statements(self) -> None:
        g = self.cur_graph
        for statement in self.data.records("curated/statements.yaml"):
            node = iri("statement", statement["id"])
            self.claim(g, node, CKG.Statement, statement)
            g.add((node, RDFS.label, Literal(statement["summary"])))
            g.add((node, CKG.speaker, self.node(statement["speaker"])))
            on_behalf = self.refs(statement.get("on_behalf_of")) or self.office_state(statement)
            self.add(g, node, CKG.onBehalfOf, on_behalf)
            self.add(g, node, CKG.date, statement["date"])
            self.add(g, node, CKG.madeAt, self.refs(statement.get("made_at")))
            self.add(g, node, CKG.summary, statement["summary"])
            self.add(g, node, CKG.quote, statement.get("quote"))
            self.add(g, node, CKG.topic, self.refs(statement.get("topics")))
            self.add(g, node, CKG.stance, self.refs(statement.get("stance")))
            self.add(g, node, CKG.note, statement.get("note"))
            self.evidence(g, node, statement["sources"])

    def office_state(self, statement: Record) -> URIRef | None:
        """The state (or organisation) whose office the speaker held on the statement's date."""
        person = self.data.get(statement["speaker"])
        day = statement["date"].first_day()
        holders = set()
        for term in person.get("terms", []):
            starts = term.get("start") is None or term["start"].first_day() <= day
            ends = term.get("end") is None or day <= term["end"].first_day()
            if starts and ends:
                holders.add(self.node(self.data.get(term["office"])["office_of"]))
        if len(holders) == 1:
            return holders.pop()
        self.warnings.append(
            f"statement {statement['id']}: cannot tell on whose behalf {person['name']} spoke on "
            f"{statement['date']} ({len(holders)} offices held); add on_behalf_of")
        return None

    def ingested(self) -> None:
        """Mine every document registered under graph/sources/ into its own named graph."""
        if not self.data.documents:
            return
        folder = self.data.project.graph_dir / "extraction"
        rules, lex = Rules.load(folder), build_lexicon(self.data, folder)
        for source_id, record in self.data.documents:
            latest = self.data.project.graph_dir / "sources" / source_id / record["versions"][-1]["file"]
            document = read_document(latest, rules, record.get("encoding"))
            extraction = extract(document, lex, record.get("issued"))
            DocumentWriter(self, lex, source_id, record, document, extraction).write()
            self.extractions[source_id] = (document, extraction)

    def attributes(self) -> None:
        for attribute in self.data.records("curated/attributes.yaml"):
            kind, _, key = attribute["subject"].partition(":")
            self.attribute_claim(iri(kind, key), CKG[attribute["property"]], attribute["value"], attribute,
                                 attribute["sources"])



def run_build(project: Project, progress: Callable[[str], None] = lambda message: None) -> BuildReport:
    """Check the data, build the dataset and replace ``out/graph/`` with the new files.

    Raises ``DataError`` before anything is written when the data has problems.
    """
    progress("checking graph/ and ontology/")
    data = load_data(project)
    progress("building the dataset")
    dataset, report = build_dataset(data)
    progress("checking the dataset against ontology/shapes.ttl")
    check_shapes(project, dataset, report)
    progress("inferring with queries/rules/")
    inference = infer(dataset, project.queries_dir / "rules")
    report.inferred = inference.counts()
    progress("writing out/graph/")

    def fill(folder):
        write_files(dataset, report.as_dict(), folder)
        write_inferred(inference, folder)

    replace_folder(project.out_dir / "graph", fill)
    return report
