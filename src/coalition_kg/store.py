"""Triple-store backends behind one small interface, chosen by name.

``memory`` is rdflib's in-memory ``Dataset`` (the reference implementation of SPARQL in
Python); ``oxigraph`` is pyoxigraph's store, much faster on large graphs. Both load the
canonical N-Quads of a build and answer SPARQL with the union of all named graphs as the
default graph. Parameters are bound as RDF terms (rdflib ``initBindings``, Oxigraph
substitutions), never pasted into query text. Answers come back as rdflib terms, so
callers — and the tests that run every stored query on every backend — cannot tell the
backends apart except by speed.

A new backend is a class with ``load``, ``query`` and ``__len__``, registered with
``@register("name")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node, Variable


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

    def load(self, nquads: Path) -> None: ...

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult: ...

    def __len__(self) -> int: ...


BACKENDS: dict[str, Callable[[], Store]] = {}


def register(name: str) -> Callable[[type], type]:
    def decorate(cls: type) -> type:
        cls.name = name
        BACKENDS[name] = cls
        return cls

    return decorate


def open_store(name: str = "memory") -> Store:
    """A new, empty store of the backend called ``name``."""
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ValueError(f"unknown backend {name!r}; choose one of {', '.join(sorted(BACKENDS))}") from None


@register("memory")
class MemoryStore:
    """rdflib's in-memory dataset; the union of all graphs is the default graph."""

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def load(self, nquads: Path) -> None:
        self.dataset.parse(nquads, format="nquads")

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
    """pyoxigraph's store, in memory; queries see the union of all graphs by default."""

    def __init__(self) -> None:
        self.store = ox.Store()

    def load(self, nquads: Path) -> None:
        self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> QueryResult:
        substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        result = self.store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult([], [], bool(result))
        variables = [v.value for v in result.variables]
        rows = [tuple(_from_ox(solution[v]) for v in variables) for solution in result]
        return sort_concatenations(sparql, QueryResult(variables, rows))

    def __len__(self) -> int:
        return len(self.store)


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
