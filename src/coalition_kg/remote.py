"""A store that is any SPARQL 1.1 endpoint: Oxigraph server, Fuseki, GraphDB, Virtuoso, QLever…

Queries go over the SPARQL 1.1 Protocol (POST, JSON results). Because our queries read
the union of all named graphs, each request names the dataset explicitly — every named
graph as a ``default-graph-uri`` and a ``named-graph-uri`` — which every conforming
endpoint honours, whatever its own default-graph setting. Parameters are written into
the query as RDF terms by ``substitute`` (an endpoint cannot receive bindings).

Loading replaces one named graph at a time, over the Graph Store Protocol (``PUT
…?graph=G`` with N-Triples) or, for endpoints without it, SPARQL Update (``DROP SILENT
GRAPH``, then ``INSERT DATA`` in chunks). Loading the same build twice gives the same
store.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import __version__
from .store import QueryResult, sort_concatenations
from .substitute import substitute

USER_AGENT = f"coalition-kg/{__version__} (+https://w3id.org/coalition-kg/)"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
INSERT_CHUNK = 20_000  # triples per INSERT DATA request


class EndpointError(RuntimeError):
    """The endpoint refused a request or answered with something that is not SPARQL results."""


class SparqlStore:
    """A remote SPARQL 1.1 endpoint behind the same interface as the local stores."""

    name = "sparql"
    holds_own_data = True

    def __init__(self, query_url: str, graph_store_url: str | None = None, update_url: str | None = None,
                 timeout: float = 60.0) -> None:
        self.query_url = query_url
        self.graph_store_url = graph_store_url
        self.update_url = update_url
        self.timeout = timeout
        self._graphs: list[str] | None = None

    # -- reading ------------------------------------------------------------------------

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        text = substitute(sparql, bindings or {})
        graphs = self.graphs()
        fields = [("query", text)] + [("default-graph-uri", g) for g in graphs] + \
                 [("named-graph-uri", g) for g in graphs]
        answer = self._results(fields)
        if "boolean" in answer:
            return QueryResult([], [], bool(answer["boolean"]))
        try:
            variables = answer["head"]["vars"]
            rows = [tuple(_term(b.get(v)) for v in variables) for b in answer["results"]["bindings"]]
        except (KeyError, TypeError) as exc:
            raise EndpointError(f"{self.query_url} answered JSON that is not SPARQL results: {exc}") from None
        return sort_concatenations(sparql, QueryResult(variables, rows))

    def graphs(self) -> list[str]:
        """The named graphs of the endpoint's dataset (asked once, then remembered)."""
        if self._graphs is None:
            answer = self._results([("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")])
            self._graphs = sorted(b["g"]["value"] for b in answer["results"]["bindings"] if b["g"]["type"] == "uri")
        return self._graphs

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(result.rows[0][0])

    # -- writing ------------------------------------------------------------------------

    def load(self, *nquads: Path) -> None:
        """Replace each named graph of the build in the endpoint with the build's version."""
        if not (self.graph_store_url or self.update_url):
            raise EndpointError("loading into an endpoint needs its Graph Store URL or its update URL "
                                "(e.g. --graph-store http://localhost:7878/store)")
        by_graph: dict[str, list[ox.Triple]] = defaultdict(list)
        for path in nquads:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
                if isinstance(quad.graph_name, ox.DefaultGraph):
                    raise EndpointError(f"{path}: every triple of a build lives in a named graph; found one that does not")
                by_graph[quad.graph_name.value].append(quad.triple)
        for graph, triples in sorted(by_graph.items()):
            if self.graph_store_url:
                body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
                url = f"{self.graph_store_url}?{urllib.parse.urlencode({'graph': graph})}"
                self._send(url, body, "application/n-triples", "PUT")
            else:
                self._update(f"DROP SILENT GRAPH <{graph}>")
                for start in range(0, len(triples), INSERT_CHUNK):
                    chunk = ox.serialize(triples[start:start + INSERT_CHUNK], format=ox.RdfFormat.N_TRIPLES)
                    self._update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{chunk.decode()}}} }}")
        self._graphs = None

    def _update(self, text: str) -> None:
        self._send(self.update_url, text.encode(), "application/sparql-update", "POST")

    # -- HTTP ---------------------------------------------------------------------------

    def _results(self, fields: list[tuple[str, str]]) -> dict:
        """POST a query (form-encoded) and read the SPARQL JSON results."""
        body = self._send(self.query_url, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded",
                          "POST", "application/sparql-results+json")
        try:
            return json.loads(body)
        except ValueError:
            raise EndpointError(f"{self.query_url} did not answer SPARQL JSON results: {body[:200]!r}") from None

    def _send(self, url: str, body: bytes, content_type: str, method: str, accept: str = "*/*") -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Content-Type": content_type, "Accept": accept, "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:500]
            raise EndpointError(f"{url} answered HTTP {exc.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise EndpointError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from None


def _term(value: dict | None) -> Node | None:
    """A term of SPARQL 1.1 JSON results as the rdflib term the local stores return."""
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != XSD_STRING:
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise EndpointError(f"unknown term type {kind!r} in SPARQL results")
