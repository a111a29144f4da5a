"""Stored SPARQL queries: one analyst question per ``queries/<name>.rq`` file.

Each file opens with a comment header::

    # title: Coalition members as of a date
    # description: Every state or organisation whose membership had begun by the date
    #   and not yet ended, with its join date and roles.
    # param: date (date, default 2025-12-31): the day on which membership is evaluated
    # param: coalition (coalition, default coalition-of-the-willing): which coalition

A query that calls a remote endpoint (``SERVICE <https://query.wikidata.org/sparql>``) says
``# requires: network``; tests, benchmarks and ``make run`` leave such queries out.

A parameter is a variable of the query (``?date``). Values given by the user are
converted to RDF terms of the declared type and bound by the store, never pasted into
the query text, so a value cannot change what the query does. A value of the wrong type
is refused with a message saying what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .namespaces import CONCEPT_SCHEMES, concept, expand, iri
from .store import QueryResult, Store


class QueryError(Exception):
    """A stored query that does not exist, or parameters that do not fit it."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str


@dataclass
class StoredQuery:
    name: str
    path: Path
    title: str
    description: str
    text: str
    params: list[Parameter] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)   # "network": a SERVICE call to a remote endpoint
    severity: str = "error"  # quality checks only: "warning" flags rows without failing

    @property
    def offline(self) -> bool:
        return "network" not in self.requires

    def run(self, store: Store, values: dict[str, str] | None = None) -> QueryResult:
        """Run on ``store`` with ``values`` (strings as typed by a user) bound to parameters."""
        return store.query(self.text, self.bind(values or {}))

    def bind(self, values: dict[str, str]) -> dict[str, Node]:
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            known = ", ".join(declared) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r} (its parameters: {known})")
        bindings = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None or raw == "":
                continue
            bindings[param.name] = convert(param, str(raw))
        return bindings


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
ENTITY_TYPES = {"person", "meeting", "declaration", "coalition", "pledge", "statement", "office"}
PARAM_TYPES = ("date", "integer", "decimal", "string", "boolean", "iri", "state", "org", "agent",
               *sorted(ENTITY_TYPES), *(f"concept:{s}" for s in CONCEPT_SCHEMES))


def convert(param: Parameter, raw: str) -> Node:
    """Turn a user's string into an RDF term of the parameter's type, or explain why not."""
    kind = param.type

    def refuse(expected: str) -> QueryError:
        return QueryError(f"parameter {param.name!r} expects {expected}, got {raw!r}")

    if kind == "date":
        try:
            return Literal(date.fromisoformat(raw).isoformat(), datatype=XSD.date)
        except ValueError:
            raise refuse("a date like 2025-03-27") from None
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", raw):
            raise refuse("a whole number")
        return Literal(int(raw), datatype=XSD.integer)
    if kind == "decimal":
        try:
            return Literal(Decimal(raw), datatype=XSD.decimal)
        except InvalidOperation:
            raise refuse("a number") from None
    if kind == "boolean":
        if raw.lower() not in ("true", "false"):
            raise refuse("true or false")
        return Literal(raw.lower() == "true")
    if kind == "string":
        return Literal(raw)
    if kind == "iri":
        expanded = expand(raw) or (URIRef(raw) if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw) else None)
        if expanded is None:
            raise refuse("an IRI (https://…) or a prefixed name such as state:FRA")
        return expanded
    if kind == "state":
        if not re.fullmatch(r"[A-Za-z]{3}", raw):
            raise refuse("an ISO 3166-1 alpha-3 state code such as FRA")
        return iri("state", raw.upper())
    if kind in ("org", "agent"):
        if not _CODE.fullmatch(raw):
            raise refuse("a state code such as FRA or an organisation id such as NATO")
        if kind == "agent" and re.fullmatch(r"[A-Za-z]{3}", raw):
            return iri("state", raw.upper())
        return iri("org", raw)
    if kind in ENTITY_TYPES:
        if not _SLUG.fullmatch(raw):
            raise refuse(f"a {kind} id (a lower-case slug such as 'emmanuel-macron' or '2025-03-27-paris')")
        return iri(kind, raw)
    if kind.startswith("concept:"):
        if not _SLUG.fullmatch(raw):
            raise refuse(f"a {kind.split(':')[1]} concept slug")
        return concept(kind.split(":", 1)[1], raw)
    raise QueryError(f"parameter {param.name!r} has an unknown type {kind!r}")


_PARAM = re.compile(r"(\w+)\s*\(\s*([\w:-]+)\s*(?:,\s*default\s+([^)]*?))?\s*\)\s*:?\s*(.*)")


def parse(path: Path) -> StoredQuery:
    """Read a ``.rq`` file and its header."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    params: list[Parameter] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        match = re.match(r"(title|description|param|requires|severity):\s*(.*)", body)
        if match and match.group(1) == "param":
            spec = _PARAM.fullmatch(match.group(2))
            if not spec:
                raise QueryError(f"{path.name}: cannot read parameter line {line!r}; "
                                 "expected '# param: name (type, default value): description'")
            name, kind, default, description = spec.groups()
            if kind not in PARAM_TYPES:
                raise QueryError(f"{path.name}: parameter {name!r} has unknown type {kind!r}")
            params.append(Parameter(name, kind, default, description))
            current = None
        elif match:
            current = fields.setdefault(match.group(1), [])
            current.append(match.group(2))
        elif current is not None and body:
            current.append(body)
    projection = re.search(r"\bSELECT\b(.*?)\bWHERE\b", text, re.S | re.I)
    for param in params:
        if projection and not re.search(rf"\?{param.name}\b", projection.group(1)) and "*" not in projection.group(1):
            raise QueryError(f"{path.name}: parameter ?{param.name} must be in the SELECT clause "
                             "(stores bind parameters by substitution, which needs the variable projected)")
    if "title" not in fields:
        raise QueryError(f"{path.name}: the header has no '# title:' line")
    severity = " ".join(fields.get("severity", ["error"]))
    if severity not in ("error", "warning"):
        raise QueryError(f"{path.name}: severity must be 'error' or 'warning', got {severity!r}")
    return StoredQuery(path.stem, path, " ".join(fields["title"]), " ".join(fields.get("description", [])),
                       text, params, " ".join(fields.get("requires", [])).replace(",", " ").split(), severity)


def load_all(folder: Path) -> dict[str, StoredQuery]:
    """Every stored query in ``folder`` (not its sub-folders), by name."""
    return {path.stem: parse(path) for path in sorted(folder.glob("*.rq"))}


def get(folder: Path, name: str) -> StoredQuery:
    path = folder / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name) or not path.is_file():
        available = ", ".join(sorted(p.stem for p in folder.glob("*.rq")))
        raise QueryError(f"no stored query named {name!r}; available: {available}")
    return parse(path)
