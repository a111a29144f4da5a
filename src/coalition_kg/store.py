"""Triple-store backends behind one small interface, chosen by one string (``--store``).

=====================  ==================================================================
``memory``             rdflib's in-memory ``Dataset`` (the reference SPARQL in Python)
``oxigraph``           pyoxigraph's store in memory, much faster on large graphs
``oxigraph:PATH``      pyoxigraph's store persisted at PATH: loaded once, reopened fast
``http(s)://…``        any SPARQL 1.1 endpoint by its query URL (``remote.SparqlStore``)
=====================  ==================================================================

Each loads the canonical N-Quads of a build and answers SPARQL with the union of all
named graphs as the default graph. Parameters are bound as RDF terms (rdflib ``initBindings``, Oxigraph
substitutions), never pasted into query text. Answers come back as rdflib terms, so
callers — and the tests that run every stored query on every backend — cannot tell the
backends apart except by speed.

A new local backend is a class with ``load``, ``query`` and ``__len__`` whose constructor
takes an optional location, registered with ``@register("name")``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node, Variable

from .substitute import SubstitutionError, substitute


@dataclass
class QueryResult:
    """Rows of a SELECT (variables in order, ``None`` for unbound) or the answer of an ASK."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    boolean: bool | None = None


_CONCAT = re.compile(r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?;\s*separator\s*=\s*(\"[^\"]*\"|'[^']*')\s*\)\s*AS\s*\?(\w+)",
                     re.IGNORECASE)


def sort_concatenations(sparql: str, result: QueryResult) -> QueryResult:
    """Sort the parts of every ``GROUP_CONCAT(…; separator=…)`` cell.

    SPARQL leaves the order of concatenated values to the engine, so the same query gives
    "France, United Kingdom" on one backend and "United Kingdom, France" on another.
    Sorting the parts makes every backend's answer identical, row for row.
    """
    columns = {name: separator[1:-1] for separator, name in _CONCAT.findall(sparql)}
    positions = {result.variables.index(n): sep for n, sep in columns.items() if n in result.variables and sep}
    if not positions:
        return result
    rows = []
    for row in result.rows:
        cells = list(row)
        for index, separator in positions.items():
            if isinstance(cells[index], Literal):
                parts = sorted(p for p in str(cells[index]).split(separator) if p)
                cells[index] = Literal(separator.join(parts))
        rows.append(tuple(cells))
    return QueryResult(result.variables, rows, result.boolean)


class Store(Protocol):
    name: str
    holds_own_data: bool  # True when the data lives in the store (remote), not in our build


    def load(self, *nquads: Path) -> None: ...  # a build and the graphs derived from it, together

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult: ...

    def __len__(self) -> int: ...


BACKENDS: dict[str, Callable[..., Store]] = {}  # local backends, by name


def register(name: str) -> Callable[[type], type]:
    def decorate(cls: type) -> type:
        cls.name = name
        BACKENDS[name] = cls
        return cls

    return decorate


STORE_SPECS = "memory, oxigraph, oxigraph:PATH or the http(s):// URL of a SPARQL endpoint"


def parse_spec(spec: str) -> tuple[str, str]:
    """``"oxigraph:/data/kg"`` → ``("oxigraph", "/data/kg")``; a URL → ``("sparql", url)``."""
    if re.match(r"https?://", spec):
        return "sparql", spec
    name, _, location = spec.partition(":")
    if name not in BACKENDS:
        raise ValueError(f"unknown store {spec!r}; give {STORE_SPECS}")
    if location and name == "memory":
        raise ValueError(f"the memory store keeps no data on disk; give {STORE_SPECS}")
    return name, location


def open_store(spec: str = "memory") -> Store:
    """The store ``spec`` names: ``memory``, ``oxigraph``, ``oxigraph:PATH`` or an endpoint URL."""
    name, location = parse_spec(spec)
    if name == "sparql":
        from .remote import SparqlStore  # it builds on this module

        return SparqlStore(location)
    return BACKENDS[name](location) if location else BACKENDS[name]()


@register("memory")
class MemoryStore:
    """rdflib's in-memory dataset; the union of all graphs is the default graph."""

    holds_own_data = False

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def load(self, *nquads: Path) -> None:
        for path in nquads:
            self.dataset.parse(path, format="nquads")

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        result = self.dataset.query(sparql, initBindings={Variable(k): v for k, v in (bindings or {}).items()})
        if result.type == "ASK":
            return QueryResult([], [], bool(result.askAnswer))
        variables = [str(v) for v in result.vars or []]
        return sort_concatenations(sparql, QueryResult(variables, [tuple(row) for row in result]))

    def __len__(self) -> int:
        return sum(1 for _ in self.dataset.quads((None, None, None, None)))


@register("oxigraph")
class OxigraphStore:
    """pyoxigraph's store, in memory or persisted at ``location``; queries see the union of
    all graphs by default.

    A persistent store remembers which build it holds (a stamp with the N-Quads' SHA-256
    beside its files), so loading the same build again is skipped: the second command
    on a 1M-triple graph opens in a moment instead of re-reading the file.
    """

    holds_own_data = False
    STAMP = "coalition-kg-build.json"

    def __init__(self, location: str | Path | None = None) -> None:
        self.location = Path(location) if location else None
        self.store = ox.Store(str(self.location)) if self.location else ox.Store()

    def load(self, *nquads: Path) -> None:
        """Load the files together; a persistent store that already holds exactly these
        files (same SHA-256 each) is left as it is."""
        if self.location is None:
            for path in nquads:
                self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            return
        stamp = self.location / self.STAMP
        wanted = {"sha256": [_sha256(path) for path in nquads]}
        if stamp.exists() and json.loads(stamp.read_text()) == wanted:
            return
        stamp.unlink(missing_ok=True)  # a load cut short must not look complete
        self.store.clear()
        for path in nquads:
            self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        self.store.flush()
        stamp.write_text(json.dumps(wanted))

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        """Parameters are written into the query as terms (``substitute``) rather than passed as
        Oxigraph substitutions: Oxigraph plans a query before substituting, so a bound meeting
        did not make the meeting's triples the starting point (0.58 s against 0.005 s for
        meeting-attendance at 1M triples). Blank nodes cannot be written as terms and go as
        substitutions."""
        try:
            sparql, substitutions = substitute(sparql, bindings or {}), {}
        except SubstitutionError:
            substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        result = self.store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult([], [], bool(result))
        variables = [v.value for v in result.variables]
        return sort_concatenations(sparql, QueryResult(variables, _rows(result)))

    def __len__(self) -> int:
        return len(self.store)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def to_ox(term: Node) -> object:
    """An rdflib term as the same Oxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


def _rows(solutions: ox.QuerySolutions) -> list[tuple[Node | None, ...]]:
    """The solutions as rows of rdflib terms, each distinct term converted once.

    A large answer repeats its publishers, dates and types on every row, and building an
    rdflib term (a Literal parses its value) cost more than the query itself: claim-sources
    at 1M triples (103,000 rows) spent 5.5 s here against 0.3 s with one conversion per
    term. A solution iterates over its values in the order of the variables."""
    converted: dict[object, Node | None] = {}

    def convert(term: object) -> Node | None:
        try:
            return converted[term]
        except KeyError:
            converted[term] = node = _from_ox(term)
            return node

    return [tuple(map(convert, solution)) for solution in solutions]


def _from_ox(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")
