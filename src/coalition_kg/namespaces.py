"""Namespaces and IRI minting, defined once for the whole package.

The vocabulary contract (``design.md``) fixes these: the ontology namespace ``ckg:``,
instance IRIs under ``https://w3id.org/coalition-kg/id/`` that are deterministic (the same
input always gives the same IRI), states by ISO alpha-3, people by name slug and meetings
by date and place. Changing an IRI rule is a breaking change for analysts' saved queries.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD


class Vocabulary(Namespace):
    """A namespace with a closed set of terms, each made once: building a graph asks for
    ``ckg:meeting`` or a concept hundreds of times per document, and making an IRI is not free."""

    @lru_cache(maxsize=None)
    def term(self, name: str) -> URIRef:
        return super().term(name)


BASE = "https://w3id.org/coalition-kg/"
CKG = Vocabulary(BASE + "ontology#")
ID = Namespace(BASE + "id/")
CONCEPT = Vocabulary(BASE + "concept/")
GRAPH = Namespace(BASE + "graph/")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Vocabulary("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
# Wikidata's statement vocabulary, used as is in the mirror graph (graph:wikidata).
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")

ONTOLOGY_IRI = URIRef(BASE + "ontology")

# Named graphs of the dataset (design.md, "Data flow").
ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
CURATED_GRAPH = GRAPH["curated"]
INFERRED_GRAPH = GRAPH["inferred"]
METRICS_GRAPH = GRAPH["metrics"]  # written by `analyze` beside the build, see analysis.py
WIKIDATA_GRAPH = GRAPH["wikidata"]   # links to Wikidata and what Wikidata says about the linked items

# Kinds of instance IRI: ``id/<kind>/<key>``. The prefix of each is its kind name, so
# ``state:FRA`` is ``https://w3id.org/coalition-kg/id/state/FRA``.
ID_KINDS = (
    "state", "org", "coalition", "person", "office", "office-term", "place", "meeting",
    "participation", "membership", "declaration", "provision", "signature", "pledge",
    "statement", "claim", "evidence", "source", "publisher",
    "analysis", "measurement",
)

CONCEPT_SCHEMES = (
    "pledge-type", "pledge-status", "pledge-condition", "capacity", "attendance",
    "meeting-format", "meeting-series", "source-type", "reliability", "membership-role",
    "signature-role", "declaration-type", "topic", "stance", "office-kind", "unit",
    "link-status", "date-precision",
)

PREFIXES: dict[str, str] = {
    "ckg": str(CKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "wd": str(WD),
    "wdt": str(WDT),
    "p": str(P),
    "ps": str(PS),
    "pq": str(PQ),
    "wikibase": str(WIKIBASE),
    "graph": str(GRAPH),
    # "org" is W3C ORG's prefix, so organisations' IRIs (id/org/EU) use "organization:".
    **{("organization" if kind == "org" else kind): f"{ID}{kind}/" for kind in ID_KINDS},
    **{scheme: f"{CONCEPT}{scheme}/" for scheme in CONCEPT_SCHEMES},
}


# Letters that Unicode does not decompose into a base letter plus accent.
_UNDECOMPOSABLE = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d",
                                 "Đ": "D", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d", "œ": "oe", "ı": "i"})


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"Gitanas Nausėda"`` → ``"gitanas-nauseda"``.

    Folding accents keeps person IRIs stable however a source spells the diacritics.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def short_hash(*parts: object, length: int = 8) -> str:
    """A stable short hash of ``parts``, for IRIs that need a distinguishing suffix."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]


def iri(kind: str, *key: str) -> URIRef:
    """The IRI of an instance: ``iri("meeting", "2025-03-27-paris")``."""
    if kind not in ID_KINDS:
        raise ValueError(f"unknown IRI kind {kind!r}")
    return ID[kind + "/" + "/".join(key)]


@lru_cache(maxsize=65536)
def integer(number: int) -> Literal:
    """An xsd:integer, made once per value: character offsets and counts repeat from one
    document to the next, and making a typed literal costs more than adding it to a graph."""
    return Literal(number, datatype=XSD.integer)


@lru_cache(maxsize=65536)
def decimal(number: int | float | str) -> Literal:
    """An xsd:decimal in the form Oxigraph returns ("1600000000", "0.9"), so backends agree;
    made once per value, like ``integer``."""
    text = format(Decimal(repr(number) if isinstance(number, float) else str(number)).normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def concept(scheme: str, slug: str) -> URIRef:
    """The IRI of a SKOS concept: ``concept("pledge-type", "troops")``."""
    return CONCEPT[f"{scheme}/{slug}"]


def source_graph(source_id: str) -> URIRef:
    """The named graph holding what one ingested source document asserts."""
    return GRAPH["source/" + source_id]


_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}  # every namespace ends in "/" or "#"


@lru_cache(maxsize=1 << 16)
def shorten(term: str) -> str:
    """``https://w3id.org/coalition-kg/id/state/FRA`` → ``state:FRA`` (longest prefix wins).

    Cut at each "/" or "#" from the right, the first cut that is a namespace is the longest
    one. Remembered per IRI: a table of 100,000 rows names the same IRIs again and again
    (comparing it with every namespace took 7 µs, 4 s for such a table)."""
    end = len(term)
    while (end := max(term.rfind("/", 0, end), term.rfind("#", 0, end))) >= 0:
        prefix = _BY_NAMESPACE.get(term[:end + 1])
        if prefix:
            return f"{prefix}:{term[end + 1:]}"
    return term


def expand(name: str) -> URIRef | None:
    """``state:FRA`` → its full IRI; ``None`` when the prefix is unknown."""
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return None
