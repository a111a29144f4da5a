"""``coalition-kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph.

Safe by default (design.md: "what is served to others cannot be changed or made to reach
other hosts"):

- read-only: SPARQL Update and Graph Store writes are answered 403;
- every query is parsed (rdflib's parser) before it runs: a malformed one is a 400, and
  ``SERVICE`` or a ``FROM`` outside the dataset's own graphs is a 403 unless its IRI
  starts with an allowed prefix (``--allow-service``) — so a refused call never leaves
  the machine;
- each query runs in its own worker process on a read-only Oxigraph store; at the
  timeout the process is killed (a thread could not be stopped) and the answer is 503;
- at most ``max_rows`` rows or triples are returned (header ``X-Result-Truncated``);
- CORS headers only for the origins given; bound to 127.0.0.1 unless told otherwise.

Besides ``/sparql`` it serves a small query page at ``/`` (with the project's stored
queries to pick from), each stored query ready to run at ``/queries/NAME.rq`` (its default
parameters written in), the HTML views of ``out/views/`` under ``/views/`` and the dataset
files of ``out/graph/`` under ``/data/``.
"""

from __future__ import annotations

import functools
import html
import json
import multiprocessing
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from . import queries
from .namespaces import GRAPH
from .substitute import substitute

RESULT_TYPES = {  # media type of SELECT/ASK results → our name
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {  # media type of CONSTRUCT/DESCRIBE results → Oxigraph format
    "text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
SHORT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
               "jsonld": "application/ld+json", "ntriples": "application/n-triples"}


@dataclass
class Policy:
    """What the endpoint allows; the defaults are the safe ones."""

    timeout: float = 30.0
    max_rows: int = 10_000
    allowed_services: list[str] = field(default_factory=list)  # IRI prefixes for SERVICE and remote FROM
    cors_origins: list[str] = field(default_factory=list)


class Refused(Exception):
    """An answer other than 200: its HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


_PARSER = threading.Lock()  # rdflib's pyparsing grammar is not thread-safe: concurrent parses fail at random


@functools.lru_cache(maxsize=1024)
def _parsed(text: str) -> tuple[tuple[str, object], ...] | Refused:
    """What a query reaches out to (SERVICE and FROM targets), or why it is refused; remembered
    per query text, since clients repeat their queries and parsing takes rdflib a while."""
    with _PARSER:
        try:
            query = translateQuery(parseQuery(text))
        except Exception as exc:  # rdflib raises pyparsing's and its own errors
            try:
                parseUpdate(text)
            except Exception:
                return Refused(400, f"malformed query: {exc}")
            return Refused(403, "this endpoint is read-only: updates are refused")
    return tuple(_remote_targets(query.algebra))


def check_query(text: str, policy: Policy) -> None:
    """Refuse updates (403), malformed queries (400) and calls to hosts not allowed (403)."""
    parsed = _parsed(text)
    if isinstance(parsed, Refused):
        raise parsed
    for kind, target in parsed:
        if kind == "FROM" and isinstance(target, URIRef) and str(target).startswith(str(GRAPH)):
            continue  # one of the dataset's own graphs
        if not (isinstance(target, URIRef) and any(str(target).startswith(p) for p in policy.allowed_services)):
            raise Refused(403, f"{kind} {target.n3() if hasattr(target, 'n3') else target} is not allowed here "
                               "(the server's --allow-service list)")


def _remote_targets(node: object):
    """Every (``SERVICE``|``FROM``, IRI or variable) in a translated query, however deep."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield "SERVICE", node.get("term")
        if node.name == "DatasetClause":
            yield "FROM", node.get("default") or node.get("named")
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    elif isinstance(node, dict):
        children = node.values()
    else:
        return
    for child in children:
        yield from _remote_targets(child)


# -- running a query in a worker process ----------------------------------------------------


def run_query(location: str, text: str, media_type: str, max_rows: int, connection) -> None:
    """In a worker process: answer ``text`` from the read-only store, as bytes, at most ``max_rows``."""
    try:
        store = ox.Store.read_only(location)
        result = store.query(text, use_default_graph_as_union=True)
        connection.send((200, *serialise(result, media_type, max_rows)))
    except SyntaxError as exc:
        connection.send((400, "text/plain", f"malformed query: {exc}".encode(), False))
    except Exception as exc:  # the worker reports any failure instead of dying silently
        connection.send((500, "text/plain", f"query failed: {exc}".encode(), False))


def serialise(result, media_type: str, max_rows: int) -> tuple[str, bytes, bool]:
    """(media type, body, truncated) for an Oxigraph result."""
    if isinstance(result, ox.QueryBoolean):
        if RESULT_TYPES.get(media_type) == "xml":
            return media_type, _xml([], [], bool(result)), False
        return "application/sparql-results+json", json.dumps({"head": {}, "boolean": bool(result)}).encode(), False
    rows, truncated = [], False
    for item in result:
        if len(rows) == max_rows:
            truncated = True
            break
        rows.append(item)
    if isinstance(result, ox.QueryTriples):
        media_type = media_type if media_type in GRAPH_TYPES else "text/turtle"
        return media_type, ox.serialize(rows, format=GRAPH_TYPES[media_type]) or b"", truncated
    media_type = media_type if media_type in RESULT_TYPES else "application/sparql-results+json"
    variables = [v.value for v in result.variables]
    table = [[row[v] for v in variables] for row in rows]
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[RESULT_TYPES[media_type]]
    return media_type, writer(variables, table), truncated


def _json(variables: list[str], rows: list[list]) -> bytes:
    def term(t) -> dict:
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out

    bindings = [{v: term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode()


def _xml(variables: list[str], rows: list[list], boolean: bool | None = None) -> bytes:
    def term(t) -> str:
        if isinstance(t, ox.NamedNode):
            return f"<uri>{escape(t.value)}</uri>"
        if isinstance(t, ox.BlankNode):
            return f"<bnode>{escape(t.value)}</bnode>"
        if t.language:
            return f'<literal xml:lang="{escape(t.language)}">{escape(t.value)}</literal>'
        return f'<literal datatype="{escape(t.datatype.value)}">{escape(t.value)}</literal>'

    parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    parts += [f'<variable name="{v}"/>' for v in variables] + ["</head>"]
    if boolean is not None:
        parts.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
    else:
        parts.append("<results>")
        for row in rows:
            cells = "".join(f'<binding name="{v}">{term(t)}</binding>' for v, t in zip(variables, row) if t is not None)
            parts.append(f"<result>{cells}</result>")
        parts.append("</results>")
    parts.append("</sparql>\n")
    return "\n".join(parts).encode()


def _csv(variables: list[str], rows: list[list]) -> bytes:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text

    lines = [variables] + [["" if t is None else t.value for t in row] for row in rows]
    return "".join(",".join(cell(c) for c in line) + "\r\n" for line in lines).encode()


def _tsv(variables: list[str], rows: list[list]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)] + ["\t".join("" if t is None else str(t) for t in row)
                                                        for row in rows]
    return ("\n".join(lines) + "\n").encode()


# -- HTTP -------------------------------------------------------------------------------------


QUERY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} — SPARQL</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}textarea{{width:100%;height:12em;font-family:monospace}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left}}</style></head>
<body><h1>{title}</h1>
<p>SPARQL 1.1 endpoint at <code>/sparql</code> (read-only; the default graph is the union of all graphs).
Downloads: {downloads}. Views: {views}.</p>
<p><label>Stored query: <select id="stored"><option value="">(your own)</option>{options}</select></label>
<span id="about"></span></p>
<form id="f"><textarea name="query">{example}</textarea><br><button>Run</button></form>
<p id="status"></p><table id="out"></table>
<script id="stored-queries" type="application/json">{stored}</script>
<script>
const stored = JSON.parse(document.getElementById('stored-queries').textContent);
document.getElementById('stored').onchange = (event) => {{
  const chosen = stored[event.target.value];
  document.getElementById('about').textContent = chosen ? chosen.description : '';
  if (chosen) document.querySelector('textarea').value = chosen.text;
}};
document.getElementById('f').onsubmit = async (event) => {{
  event.preventDefault();
  const status = document.getElementById('status'), out = document.getElementById('out');
  out.innerHTML = ''; status.textContent = 'running…';
  const response = await fetch('sparql', {{method: 'POST', body: new URLSearchParams(new FormData(event.target)),
    headers: {{'Accept': 'application/sparql-results+json'}}}});
  if (!response.ok) {{ status.textContent = response.status + ': ' + await response.text(); return; }}
  const data = await response.json();
  if ('boolean' in data) {{ status.textContent = String(data.boolean); return; }}
  const vars = data.head.vars, rows = data.results.bindings;
  status.textContent = rows.length + ' rows' + (response.headers.get('X-Result-Truncated') ? ' (truncated)' : '');
  const head = out.insertRow(); vars.forEach(v => {{ const th = document.createElement('th'); th.textContent = v; head.appendChild(th); }});
  rows.forEach(r => {{ const tr = out.insertRow(); vars.forEach(v => {{ tr.insertCell().textContent = r[v] ? r[v].value : ''; }}); }});
}};
</script></body></html>
"""
EXAMPLE = "SELECT ?class (COUNT(?node) AS ?n) WHERE { ?node a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 20"


def runnable_queries(folder: Path) -> dict[str, dict[str, str]]:
    """The stored queries that need no network, by name: title, description and text with
    the default parameters written in, so that the text runs as it is on any endpoint."""
    return {name: {"title": q.title, "description": q.description, "text": substitute(q.text, q.bind({}))}
            for name, q in queries.load_all(folder).items() if q.offline}


class Endpoint(ThreadingHTTPServer):
    """The HTTP server: one thread per request, one worker process per query."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog: at 5 (the default), the sixth client at once is reset

    def __init__(self, address: tuple[str, int], location: Path, out_dir: Path, policy: Policy,
                 stored: dict[str, dict[str, str]] | None = None) -> None:
        super().__init__(address, Handler)
        self.location = location
        self.files = {"data": out_dir / "graph", "views": out_dir / "views"}
        self.policy = policy
        self.stored = stored or {}
        self.workers = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported this module (and pyoxigraph):
        # a query then starts in milliseconds instead of a second of imports.
        self.workers.set_forkserver_preload([__name__])

    def answer(self, text: str, media_type: str) -> tuple[str, bytes, bool]:
        """Run one checked query in a worker; kill it at the timeout."""
        receiver, sender = self.workers.Pipe(duplex=False)
        process = self.workers.Process(target=run_query, daemon=True, args=(
            str(self.location), text, media_type, self.policy.max_rows, sender))
        process.start()
        sender.close()
        try:
            if not receiver.poll(self.policy.timeout):
                raise Refused(503, f"the query was stopped after the {self.policy.timeout:g} s time limit")
            status, media_type, body, truncated = receiver.recv()
        except EOFError:
            raise Refused(500, "the query's worker process died") from None
        finally:
            process.kill()
            process.join()
            receiver.close()
        if status != 200:
            raise Refused(status, body.decode())
        return media_type, body, truncated


class Handler(BaseHTTPRequestHandler):
    server: Endpoint
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # quieter than the default: one line per request
        pass

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path == "/sparql":
            self.sparql(params)
        elif url.path == "/":
            self.page()
        elif url.path.startswith("/queries/") and url.path.endswith(".rq"):
            self.stored_query(url.path[len("/queries/"):-len(".rq")])
        elif url.path.count("/") == 2 and url.path.split("/")[1] in self.server.files:
            self.file(*url.path.split("/")[1:])
        else:
            self.send(404, "text/plain", b"not found\n")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if url.path != "/sparql" or kind == "application/sparql-update":
            return self.refuse(Refused(403, "this endpoint is read-only: updates and Graph Store writes are refused"))
        if kind == "application/sparql-query":
            params = {"query": [body], **urllib.parse.parse_qs(url.query)}
        else:
            params = {**urllib.parse.parse_qs(url.query), **urllib.parse.parse_qs(body)}
        self.sparql(params)

    def do_PUT(self) -> None:
        self.refuse(Refused(403, "this endpoint is read-only: Graph Store writes are refused"))

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        """CORS preflight: only the origins given to the server get the headers."""
        self.send(204, "text/plain", b"", extra={"Access-Control-Allow-Methods": "GET, POST",
                                               "Access-Control-Allow-Headers": "Content-Type, Accept"})

    # -- answers ----------------------------------------------------------------------------

    def sparql(self, params: dict[str, list[str]]) -> None:
        try:
            if "update" in params:
                raise Refused(403, "this endpoint is read-only: updates are refused")
            if len(params.get("query", [])) != 1:
                raise Refused(400, "give exactly one query (parameter 'query')")
            text = params["query"][0]
            check_query(text, self.server.policy)
            media_type, body, truncated = self.server.answer(text, self.media_type(params))
        except Refused as refusal:
            return self.refuse(refusal)
        self.send(200, media_type, body, extra={"X-Result-Truncated": "true"} if truncated else None)

    def media_type(self, params: dict[str, list[str]]) -> str:
        """The result format asked for: ``format=csv`` or the first known type in Accept."""
        if "format" in params:
            return SHORT_NAMES.get(params["format"][0], params["format"][0])
        for part in (self.headers.get("Accept") or "").split(","):
            kind = part.split(";")[0].strip()
            if kind in RESULT_TYPES or kind in GRAPH_TYPES:
                return kind
        return "application/sparql-results+json"

    def page(self) -> None:
        def links(folder: str) -> str:
            names = sorted(p.name for p in self.server.files[folder].glob("*") if p.is_file())
            return ", ".join(f'<a href="/{folder}/{html.escape(n)}">{html.escape(n)}</a>' for n in names) or "none"

        options = "".join(f'<option value="{html.escape(name)}">{html.escape(q["title"])}</option>'
                          for name, q in sorted(self.server.stored.items()))
        # JSON inside <script>: "<" escaped, so no text can close the element.
        stored = json.dumps(self.server.stored).replace("<", "\\u003c")
        body = QUERY_PAGE.format(title="coalition-kg", downloads=links("data"), views=links("views"),
                                 example=html.escape(EXAMPLE), options=options, stored=stored)
        self.send(200, "text/html; charset=utf-8", body.encode())

    def stored_query(self, name: str) -> None:
        """A stored query's text, default parameters written in, ready for /sparql."""
        if name not in self.server.stored:
            return self.send(404, "text/plain", b"no stored query of that name\n")
        self.send(200, "application/sparql-query; charset=utf-8", self.server.stored[name]["text"].encode())

    def file(self, folder: str, name: str) -> None:
        """A file of out/graph/ or out/views/, by its exact name (nothing outside them)."""
        base = self.server.files[folder]
        path = base / urllib.parse.unquote(name)
        if not base.is_dir() or path.name not in {p.name for p in base.iterdir() if p.is_file()}:
            return self.send(404, "text/plain", b"not found\n")
        kinds = {".html": "text/html; charset=utf-8", ".nq": "application/n-quads", ".trig": "application/trig",
                 ".ttl": "text/turtle", ".jsonld": "application/ld+json", ".json": "application/json"}
        extra = None if folder == "views" else {"Content-Disposition": f'attachment; filename="{path.name}"'}
        self.send(200, kinds.get(path.suffix, "application/octet-stream"), path.read_bytes(), extra=extra)

    def refuse(self, refusal: Refused) -> None:
        self.send(refusal.status, "text/plain; charset=utf-8", (str(refusal) + "\n").encode())

    def send(self, status: int, media_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        origin = self.headers.get("Origin")
        if origin and origin in self.server.policy.cors_origins:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")
            for name, value in (extra or {}).items():
                if name.startswith("Access-Control"):
                    self.send_header(name, value)
        for name, value in (extra or {}).items():
            if not name.startswith("Access-Control"):
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
