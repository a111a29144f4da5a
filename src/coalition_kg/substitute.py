"""Bind parameters into SPARQL text for engines that cannot bind them themselves.

A SPARQL 1.1 endpoint has no way to receive bindings next to a query, so for a remote
store the values must go into the query text. They go in as **RDF terms serialised by
this module** — an IRI checked against the IRIREF grammar, a literal with every quote
and line break escaped — in place of the variable's tokens, the way Oxigraph's own
substitution (SEP-0007) replaces a variable. The text is tokenised first (strings,
IRIs and comments are skipped), so ``?date`` inside a string or an IRI is never touched
and a value can never close a string or an IRI and add query text of its own.

Where a bare term is not allowed, the variable becomes an expression: ``SELECT ?date``
turns into ``SELECT ("2025-12-31"^^<…#date> AS ?date)`` and ``GROUP BY ?date`` into
``GROUP BY ("2025-12-31"^^<…#date>)``; a sub-query stops projecting it. A parameter that the query assigns itself
(``BIND(… AS ?date)``, ``VALUES ?date``) cannot be substituted and is refused.
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_TOKEN = re.compile(
    r"""(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<comment>\#[^\n]*)
      |(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
      |(?P<word>[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z0-9_.%-]*)?|:[A-Za-z0-9_.%-]*)
      |(?P<open>[({])|(?P<close>[)}])
      |(?P<other>\s+|.)""",
    re.VERBOSE | re.DOTALL,
)
_IRI = re.compile(r"[^<>\"{}|^`\\\x00-\x20]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class SubstitutionError(ValueError):
    """A value that cannot be written safely as a term, or a variable that cannot be replaced."""


def serialise(term: Node) -> str:
    """``term`` as SPARQL text; refuses anything that is not a well-formed IRI or literal."""
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise SubstitutionError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = '"' + "".join(_ESCAPES.get(c, c) for c in str(term)) + '"'
        if term.language:
            if not _LANGUAGE.fullmatch(term.language):
                raise SubstitutionError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype:
            return body + "^^" + serialise(URIRef(term.datatype))
        return body
    if isinstance(term, BNode):
        raise SubstitutionError("a blank node cannot be bound in query text (it would become a variable)")
    raise SubstitutionError(f"cannot bind {term!r}")


def substitute(sparql: str, bindings: dict[str, Node]) -> str:
    """``sparql`` with every occurrence of the bound variables replaced by their terms."""
    if not bindings:
        return sparql
    terms = {name: serialise(term) for name, term in bindings.items()}
    out: list[str] = []
    clause = None  # "select", "group", "order" or None, while in such a clause
    selects = 0  # SELECT keywords so far: the first is the query's own, later ones sub-queries
    depth = 0  # parenthesis depth inside the current clause
    previous = ""  # the last significant word or symbol
    for match in _TOKEN.finditer(sparql):
        kind, text = match.lastgroup, match.group()
        if kind == "word":
            word = text.upper()
            if word == "SELECT":
                clause, depth, selects = "select", 0, selects + 1
            elif word in ("GROUP", "ORDER"):
                clause, depth = word.lower(), 0
            elif word in ("WHERE", "HAVING", "LIMIT", "OFFSET", "VALUES", "FROM") and depth == 0:
                clause = None
        elif kind == "open":
            if text == "{" and depth == 0:
                clause = None
            depth += 1
        elif kind == "close":
            if depth == 0:  # the end of a sub-query's group: its clause is over
                clause = None
            depth = max(depth - 1, 0)
        elif kind == "var" and text[1:] in terms:
            name = text[1:]
            if previous in ("AS", "VALUES") or _in_values(out):
                raise SubstitutionError(f"?{name} is assigned by the query itself (BIND/AS or VALUES), "
                                        "so a value cannot be bound to it")
            if clause == "select" and depth == 0:
                # A sub-query no longer projects the variable (the outer query would then
                # assign it twice); the query's own SELECT projects the value.
                text = f"({terms[name]} AS {text})" if selects == 1 else ""
            elif clause in ("group", "order") and depth == 0:
                text = f"({terms[name]})"
            else:
                text = terms[name]
        if kind not in ("other", "comment"):
            previous = match.group().upper() if kind == "word" else match.group()
        out.append(text)
    return "".join(out)


def _in_values(out: list[str]) -> bool:
    """Whether the text so far ends in ``VALUES (`` and variable names (a VALUES header)."""
    tail = "".join(out[-40:])
    return re.search(r"VALUES\s*\((\s*[?$]\w+)*\s*$", tail, re.IGNORECASE) is not None
