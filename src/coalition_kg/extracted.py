"""Write what was extracted from one ingested document into that document's named graph.

The source is described in its own graph (with one node per version), its reader comments
as a separate source of type reader-comment in another graph, and every extracted claim
with evidence that carries the character offsets of its sentence, the excerpt itself, the
rule that produced it and a confidence. Claim IRIs include the source id, so one source's
claims never merge with another's; the meetings, people and states they talk about are the
shared nodes of the graph.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from .documents import Document
from .extract import Claim, Extraction
from .lexicon import Lexicon, content_words
from .namespaces import CKG, SCHEMA, concept, decimal, integer, iri, short_hash, slugify
from .schema import PartialDate, Record

ROLE_SHORTCUTS = {"signatory": CKG.signatory, "endorser": CKG.endorsedBy, "non-signatory": CKG.notSignedBy}


def agent(key: str, lex: Lexicon) -> URIRef:
    return iri("org", key) if key in lex.org_kinds else iri("state", key)


class DocumentWriter:
    """Adds one document's source description and claims to the dataset."""

    def __init__(self, builder, lex: Lexicon, source_id: str, record: Record, document: Document,
                 extraction: Extraction) -> None:
        self.b, self.lex, self.id, self.record, self.doc, self.x = builder, lex, source_id, record, document, extraction
        self.graph: Graph = builder.dataset.graph(builder.source_graph(source_id))
        self.source = iri("source", source_id)
        self.version = iri("source", source_id, f"v{len(record['versions'])}")
        self.written: set[URIRef] = set()

    def write(self) -> None:
        self.describe()
        self.comments()
        declarations = self.resolve_declarations()
        counters: dict[str, int] = {}
        for claim in self.x.claims:
            counters[claim.kind] = counters.get(claim.kind, 0) + 1
            getattr(self, claim.kind.replace("-", "_"))(claim, counters[claim.kind], declarations)

    # -- the source -----------------------------------------------------------------------

    def describe(self) -> None:
        g, r, data = self.graph, self.record, self.b.data
        publisher = r["publisher"].key if r.get("publisher") else None
        record = data.index["publisher"].get(publisher) if publisher else (
            data.publisher_of(r["url"]) if r.get("url") else None)
        publisher_id = record["id"] if record else "unidentified"
        g.add((self.source, RDF.type, CKG.Source))
        g.add((self.source, DCTERMS.publisher, iri("publisher", publisher_id)))
        g.add((self.source, RDFS.label, Literal(r.get("title") or f"Document {self.id}")))
        self.b.add(g, self.source, DCTERMS.title, r.get("title"))
        self.b.add(g, self.source, SCHEMA.url, Literal(r["url"], datatype=XSD.anyURI) if r.get("url") else None)
        if r.get("issued"):
            g.add((self.source, DCTERMS.issued, r["issued"].literal()))
            g.add((self.source, CKG.datePrecision, concept("date-precision", r["issued"].precision)))
        else:
            g.add((self.source, CKG.undated, Literal(True)))
        kind = r["type"].key if r.get("type") else (record["default_type"].key if record else "news-report")
        reliability = r["reliability"].key if r.get("reliability") else (record["reliability"].key if record else "low")
        g.add((self.source, CKG.sourceType, concept("source-type", kind)))
        g.add((self.source, CKG.reliability, concept("reliability", reliability)))
        g.add((self.source, DCTERMS.language, Literal(r.get("language", "en"))))
        description = list(g.predicate_objects(self.source))
        for number, version in enumerate(r["versions"], start=1):
            node = iri("source", self.id, f"v{number}")
            for predicate, value in description:  # a version is the same document: same publisher, date, type
                g.add((node, predicate, value))
            g.add((node, CKG.versionOf, self.source))
            g.add((node, CKG.sha256, Literal(version["sha256"])))
        g.add((self.source, CKG.latestVersion, self.version))
        # The mined text's length lets a quality check prove every evidence offset falls inside it.
        g.add((self.version, CKG.textLength, integer(len(self.doc.text))))
        foreign = self.doc.passages("foreign")
        if foreign:
            g.add((self.source, CKG.unminedPassages, integer(len(foreign))))

    def comments(self) -> None:
        """Reader comments: their own low-reliability source, linked to the article, never mined."""
        spans = self.doc.passages("comment")
        if not spans:
            return
        node = iri("source", f"{self.id}-comments")
        g = self.b.dataset.graph(self.b.source_graph(f"{self.id}-comments"))
        g.add((node, RDF.type, CKG.Source))
        g.add((node, RDFS.label, Literal(f"Reader comments on {self.record.get('title') or self.id}")))
        g.add((node, CKG.commentsOn, self.source))
        g.add((node, CKG.sourceType, concept("source-type", "reader-comment")))
        g.add((node, CKG.reliability, concept("reliability", "low")))
        g.add((node, DCTERMS.publisher, iri("publisher", "unidentified")))
        g.add((node, CKG.commentCount, integer(len(spans))))
        g.add((node, CKG.charStart, integer(spans[0].start)))
        g.add((node, CKG.charEnd, integer(spans[-1].end)))
        if self.record.get("issued"):
            g.add((node, DCTERMS.issued, self.record["issued"].literal()))
        else:
            g.add((node, CKG.undated, Literal(True)))

    def evidence(self, node: URIRef, claim: Claim) -> None:
        """One evidence node per sentence and rule, shared by every claim the rule read from that
        sentence (the six states of one attendance list share it)."""
        evidence = iri("evidence", self.id, f"{claim.start}-{claim.end}", claim.rule)
        g = self.graph
        g.add((node, PROV.wasDerivedFrom, evidence))
        if evidence in self.written:
            return
        self.written.add(evidence)
        g.add((evidence, RDF.type, CKG.Evidence))
        g.add((evidence, CKG.source, self.source))
        g.add((evidence, CKG.sourceVersion, self.version))
        g.add((evidence, CKG.charStart, integer(claim.start)))
        g.add((evidence, CKG.charEnd, integer(claim.end)))
        g.add((evidence, CKG.excerpt, Literal(self.doc.text[claim.start:claim.end])))
        g.add((evidence, CKG.method, Literal(claim.rule)))
        g.add((evidence, CKG.confidence, decimal(claim.confidence)))

    def claim_node(self, node: URIRef, cls: URIRef, claim: Claim) -> URIRef:
        self.b.claim(self.graph, node, cls)
        self.evidence(node, claim)
        return node

    # -- one method per claim kind --------------------------------------------------------------

    def meeting(self, claim: Claim, number: int, declarations: dict) -> None:
        f, g = claim.fields, self.graph
        node = iri("meeting", f["id"])
        g.add((node, RDF.type, CKG.Meeting))
        g.add((node, CKG.date, PartialDate(f["date"]).literal()))
        if f["id"] not in {m for ms in self.lex.meetings.values() for m, _ in ms}:
            g.add((node, RDFS.label, Literal(f"Meeting in {f['city'] or 'an unknown place'} on {f['date']}")))
        if f.get("city"):
            place = iri("place", slugify(f["city"]))
            g.add((node, CKG.location, place))
            g.add((place, RDF.type, CKG.Place))
            g.add((place, RDFS.label, Literal(f["city"])))
        if f.get("format"):
            g.add((node, CKG["format"], concept("meeting-format", f["format"])))
        if f.get("status") == "announced":
            g.add((node, CKG.note, Literal("announced as a future meeting")))
        self.evidence(node, claim)

    def participation(self, claim: Claim, number: int, declarations: dict) -> None:
        f = claim.fields
        key = [f["meeting"], f["participant"], self.id] + (["absent"] if f.get("attendance") == "absent" else [])
        node = self.claim_node(iri("participation", *key), CKG.Participation, claim)
        g = self.graph
        g.add((node, CKG.meeting, iri("meeting", f["meeting"])))
        g.add((node, CKG.participant, agent(f["participant"], self.lex)))
        self.b.add(g, node, CKG.representedBy, iri("person", f["representative"]) if f.get("representative") else None)
        self.b.add(g, node, CKG.attendance, concept("attendance", f["attendance"]) if f.get("attendance") else None)
        self.b.add(g, node, CKG.capacity, concept("capacity", f["capacity"]) if f.get("capacity") else None)

    def resolve_declarations(self) -> dict[str, URIRef]:
        """Declaration date → IRI: the graph's declaration adopted at that meeting when only one fits
        (by the words of the provisions the article lists), else one of this source's own."""
        resolved = {}
        dates = {c.fields["declaration_date"] for c in self.x.claims if c.kind in ("signature", "provision")}
        for day in sorted(d for d in dates if d):
            meetings = {c.fields.get("meeting") for c in self.x.claims if c.kind == "signature"
                        and c.fields["declaration_date"] == day}
            candidates = [(d, topics) for d, adopted, topics in self.lex.declarations.get(day, [])
                          if adopted is None or adopted in meetings or not meetings - {None}]
            words = content_words(" ".join(c.fields["summary"] for c in self.x.of("provision")
                                           if c.fields["declaration_date"] == day))
            if len(candidates) > 1 and words:
                scores = sorted(((len(words & w), d) for d, w in candidates), reverse=True)
                candidates = [c for c in candidates if c[0] == scores[0][1]] if scores[0][0] > scores[1][0] else []
            resolved[day] = iri("declaration", candidates[0][0]) if len(candidates) == 1 else \
                iri("declaration", f"{day}-{self.id}")
        return resolved

    def declaration_node(self, day: str, declarations: dict) -> URIRef:
        node = declarations[day]
        if not str(node).endswith(self.id):
            return node
        self.graph.add((node, RDF.type, CKG.Declaration))
        self.graph.add((node, RDFS.label, Literal(f"Declaration of {day} reported by {self.id}")))
        self.graph.add((node, CKG.date, PartialDate(day).literal()))
        return node

    def signature(self, claim: Claim, number: int, declarations: dict) -> None:
        f = claim.fields
        declaration = self.declaration_node(f["declaration_date"], declarations)
        local = str(declaration).rsplit("/", 1)[1]
        node = self.claim_node(iri("signature", local, f["role"], f["party"], self.id), CKG.Signature, claim)
        party = agent(f["party"], self.lex)
        g = self.graph
        g.add((node, CKG.document, declaration))
        g.add((node, CKG.signer, party))
        g.add((node, CKG.signatureRole, concept("signature-role", f["role"])))
        g.add((declaration, ROLE_SHORTCUTS[f["role"]], party))
        self.b.add(g, node, CKG.signedBy, iri("person", f["signed_by"]) if f.get("signed_by") else None)

    def provision(self, claim: Claim, number: int, declarations: dict) -> None:
        f = claim.fields
        declaration = self.declaration_node(f["declaration_date"], declarations)
        local = str(declaration).rsplit("/", 1)[1]
        node = iri("provision", local, f"{self.id}-{number}")
        g = self.graph
        g.add((node, RDF.type, CKG.Provision))
        g.add((declaration, CKG.hasProvision, node))
        g.add((node, CKG.provisionOf, declaration))
        g.add((node, CKG.summary, Literal(f["summary"])))
        g.add((node, CKG.ordinal, integer(number)))
        self.b.add(g, node, CKG.topic, concept("topic", f["topic"]) if f.get("topic") else None)
        self.evidence(node, claim)

    def membership(self, claim: Claim, number: int, declarations: dict) -> None:
        f = claim.fields
        if not f.get("coalition"):
            return
        node = self.claim_node(iri("membership", f["coalition"], f["member"], self.id), CKG.Membership, claim)
        g = self.graph
        g.add((node, CKG.member, agent(f["member"], self.lex)))
        g.add((node, CKG.coalition, iri("coalition", f["coalition"])))
        g.add((node, CKG.role, concept("membership-role", f["role"])))

    def pledge(self, claim: Claim, number: int, declarations: dict) -> None:
        f, g = claim.fields, self.graph
        node = self.claim_node(iri("pledge", self.id, str(number)), CKG.Pledge, claim)
        g.add((node, RDFS.label, Literal(self.doc.text[claim.start:claim.end][:200])))
        g.add((node, CKG.summary, Literal(self.doc.text[claim.start:claim.end][:500])))
        for pledger in f["pledgers"]:
            g.add((node, CKG.pledger, agent(pledger, self.lex)))
        self.b.add(g, node, CKG.beneficiary, agent(f["beneficiary"], self.lex) if f.get("beneficiary") else None)
        g.add((node, CKG.pledgeType, concept("pledge-type", f["type"])))
        g.add((node, CKG.status, concept("pledge-status", f["status"])))
        self.b.add(g, node, CKG.condition, concept("pledge-condition", f["condition"]) if f.get("condition") else None)
        if f.get("quantity") is not None:
            g.add((node, CKG.quantity, self.b.term(float(f["quantity"]))))
            g.add((node, CKG.unit, concept("unit", f["unit"])))
            g.add((node, CKG.quantityText, Literal(f["quantity_text"])))
        self.b.add(g, node, CKG.date, PartialDate(f["date"]).literal() if f.get("date") else None)
        self.b.add(g, node, CKG.madeAt, iri("meeting", f["meeting"]) if f.get("meeting") else None)

    def statement(self, claim: Claim, number: int, declarations: dict) -> None:
        f, g = claim.fields, self.graph
        node = self.claim_node(iri("statement", self.id, str(number)), CKG.Statement, claim)
        g.add((node, RDFS.label, Literal(self.doc.text[claim.start:claim.end][:200])))
        g.add((node, CKG.summary, Literal(self.doc.text[claim.start:claim.end][:500])))
        g.add((node, CKG.speaker, iri("person", f["speaker"])))
        self.b.add(g, node, CKG.onBehalfOf, agent(f["on_behalf_of"], self.lex) if f.get("on_behalf_of") else None)
        self.b.add(g, node, CKG.quote, f.get("quote"))
        for topic in f.get("topics", []):
            g.add((node, CKG.topic, concept("topic", topic)))
        self.b.add(g, node, CKG.stance, concept("stance", f["stance"]) if f.get("stance") else None)
        self.b.add(g, node, CKG.date, PartialDate(f["date"]).literal() if f.get("date") else None)
        self.b.add(g, node, CKG.madeAt, iri("meeting", f["meeting"]) if f.get("meeting") else None)

    def office_attribution(self, claim: Claim, number: int, declarations: dict) -> None:
        f, g = claim.fields, self.graph
        person, office = iri("person", f["person"]), iri("office", f["office"])
        node = self.claim_node(iri("claim", "person", f["person"], "holdsOffice",
                                   short_hash(f["office"], self.id, f["date"])), CKG.AttributeClaim, claim)
        g.add((node, CKG.claimSubject, person))
        g.add((node, CKG.claimProperty, CKG.holdsOffice))
        g.add((node, CKG.claimValue, office))
        g.add((node, CKG.asOf, Literal(f["date"], datatype=XSD.date)))
