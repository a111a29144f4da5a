"""The ontology as data: the single source of truth for terms and concept values.

The curated-data schema asks this module which concept slugs exist in each SKOS scheme
and which properties an attribute claim may use, so adding a concept to
``ontology/concepts.ttl`` is all it takes to allow it in the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .namespaces import CKG, CONCEPT

ONTOLOGY_FILES = ("coalition.ttl", "concepts.ttl")


@dataclass
class Ontology:
    graph: Graph

    @classmethod
    def load(cls, folder: Path) -> "Ontology":
        graph = Graph()
        for name in ONTOLOGY_FILES:
            path = folder / name
            if path.exists():
                graph.parse(path, format="turtle")
        return cls(graph)

    @cached_property
    def concepts(self) -> dict[str, set[str]]:
        """Scheme slug → the notations (slugs) of its concepts."""
        schemes: dict[str, set[str]] = {}
        for concept_iri, scheme in self.graph.subject_objects(SKOS.inScheme):
            notation = self.graph.value(concept_iri, SKOS.notation)
            if str(scheme).startswith(str(CONCEPT)) and notation is not None:
                schemes.setdefault(str(scheme)[len(str(CONCEPT)):], set()).add(str(notation))
        return schemes

    @cached_property
    def properties(self) -> dict[str, tuple[URIRef, URIRef | None]]:
        """ckg property local name → (its kind: owl:ObjectProperty or owl:DatatypeProperty, its range)."""
        result = {}
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
            for prop in self.graph.subjects(RDF.type, kind):
                if isinstance(prop, URIRef) and str(prop).startswith(str(CKG)):
                    result[str(prop)[len(str(CKG)):]] = (kind, self.graph.value(prop, RDFS.range))
        return result
