"""`coalition-kg serve` over real HTTP on loopback: answers, formats, and every safety rule.

The server runs as its own process (`coalition-kg serve`), as a user would start it; a
SPARQLWrapper script in another process queries it; a canary socket proves a refused
SERVICE call never leaves the server.
"""

from __future__ import annotations

import csv
import io
import json
import os
import select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from coalition_kg.build import run_build

from .servers import free_port, running

LABELS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def serving(project, *options: str):
    """`coalition-kg serve` for ``project`` as its own process, on a free port."""
    port = free_port()
    return running([sys.executable, "-m", "coalition_kg", "serve", "--port", str(port),
                    "--root", str(project.root), *options], port)


def ask(base: str, query: str | None = None, accept: str = "application/sparql-results+json", method: str = "POST",
        data: bytes | None = None, content_type: str = "application/x-www-form-urlencoded", path: str = "/sparql",
        headers: dict | None = None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    url = base + path
    if query is not None and method == "GET":
        url += "?" + urllib.parse.urlencode({"query": query})
    elif query is not None:
        data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Accept": accept, "Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    from .conftest import KITCHEN_SINK, copy_project

    built = copy_project(KITCHEN_SINK, tmp_path_factory.mktemp("served"))
    run_build(built)
    (built.out_dir / "views").mkdir()
    (built.out_dir / "views" / "network.html").write_text("<html><body>a view</body></html>")
    return built


@pytest.fixture(scope="module")
def endpoint(project):
    with serving(project, "--timeout", "3", "--max-rows", "5", "--cors-origin", "https://analyst.example") as base:
        yield base


def test_sparqlwrapper_in_another_process_gets_answers(endpoint):
    script = f"""
from SPARQLWrapper import SPARQLWrapper, JSON
client = SPARQLWrapper({endpoint + '/sparql'!r})
client.setQuery('SELECT ?meeting WHERE {{ ?meeting a <https://w3id.org/coalition-kg/ontology#Meeting> }}')
client.setReturnFormat(JSON)
print([b["meeting"]["value"] for b in client.query().convert()["results"]["bindings"]])
"""
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert "https://w3id.org/coalition-kg/id/meeting/" in output.stdout


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_answers_in_each_results_format(endpoint, method):
    status, headers, body = ask(endpoint, LABELS, method=method)
    assert status == 200
    rows = json.loads(body)["results"]["bindings"]
    assert rows and all({"s", "label"} <= set(r) for r in rows)
    status, headers, body = ask(endpoint, LABELS, accept="text/csv", method=method)
    assert headers["Content-Type"] == "text/csv"
    table = list(csv.reader(io.StringIO(body.decode())))
    assert table[0] == ["s", "label"] and table[1][0] == rows[0]["s"]["value"]
    status, headers, body = ask(endpoint, LABELS, accept="text/tab-separated-values", method=method)
    assert body.decode().splitlines()[1].startswith(f"<{rows[0]['s']['value']}>\t")
    status, headers, body = ask(endpoint, LABELS, accept="application/sparql-results+xml", method=method)
    assert b"<sparql" in body and rows[0]["s"]["value"].encode() in body


def test_a_query_may_come_as_the_body_of_a_post(endpoint):
    status, _, body = ask(endpoint, data=b"ASK { ?s ?p ?o }", content_type="application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize("accept, marker", [("text/turtle", b"@prefix"), ("application/ld+json", b'"@id"')])
def test_construct_answers_in_turtle_and_json_ld(endpoint, accept, marker):
    query = "CONSTRUCT WHERE { ?m a <https://w3id.org/coalition-kg/ontology#Meeting> }"
    status, headers, body = ask(endpoint, query, accept=accept)
    assert status == 200 and headers["Content-Type"] == accept
    assert b"https://w3id.org/coalition-kg/id/meeting/" in body
    if accept == "application/ld+json":
        json.loads(body)


def test_results_are_capped(endpoint):
    status, headers, body = ask(endpoint, LABELS)
    assert len(json.loads(body)["results"]["bindings"]) == 5
    assert headers["X-Result-Truncated"] == "true"


@pytest.mark.parametrize("request_kwargs", [
    {"data": urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()},
    {"data": b"DROP ALL", "content_type": "application/sparql-update"},
    {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
    {"method": "PUT", "path": "/sparql?graph=urn:g", "data": b"<urn:a> <urn:b> <urn:c> .",
     "content_type": "application/n-triples"},
    {"method": "DELETE", "path": "/data/dataset.nq"},
])
def test_updates_and_graph_store_writes_are_refused(endpoint, request_kwargs):
    status, _, body = ask(endpoint, **request_kwargs)
    assert status == 403, body
    assert b"read-only" in body
    assert ask(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }")[2] == b'{"head": {}, "boolean": false}'


def test_a_malformed_query_is_a_400(endpoint):
    status, _, body = ask(endpoint, "SELECT ?x WHERE { ?x ")
    assert status == 400 and b"malformed" in body


@contextmanager
def canary():
    """A listening socket on loopback that records whether anything connects to it."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.setblocking(False)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", lambda: bool(select.select([listener], [], [], 1.0)[0])


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "PREFIX remote: <{url}> SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
])
def test_a_refused_service_call_never_reaches_its_target(endpoint, template):
    with canary() as (url, connected):
        status, _, body = ask(endpoint, template.format(url=url))
        assert status == 403, body
        assert b"not allowed" in body
        assert not connected()


def test_a_service_on_the_allow_list_is_called(project):
    with canary() as (url, connected):
        with serving(project, "--allow-service", url.rsplit("/", 1)[0] + "/", "--timeout", "2") as base:
            ask(base, f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
            assert connected()


def _descendants(pid: int) -> set[int]:
    children = {int(p) for t in os.listdir(f"/proc/{pid}/task")
                for p in open(f"/proc/{pid}/task/{t}/children").read().split()}
    return children.union(*(_descendants(c) for c in children)) if children else set()


def test_a_runaway_query_is_stopped_at_the_timeout(endpoint):
    server = next(int(p) for p in os.listdir("/proc") if p.isdigit() and endpoint.rsplit(":", 1)[1].encode()
                  in open(f"/proc/{p}/cmdline", "rb").read() and b"serve" in open(f"/proc/{p}/cmdline", "rb").read())
    before = _descendants(server)
    started = time.monotonic()
    status, _, body = ask(endpoint, RUNAWAY)
    assert status == 503 and b"stopped after the 3 s" in body
    assert time.monotonic() - started < 20
    assert _descendants(server) <= before  # the worker running it is gone
    assert ask(endpoint, "ASK { ?s ?p ?o }")[0] == 200  # and the endpoint still answers


def test_cors_headers_only_for_the_origins_given(endpoint):
    _, headers, _ = ask(endpoint, "ASK {}", headers={"Origin": "https://analyst.example"})
    assert headers["Access-Control-Allow-Origin"] == "https://analyst.example"
    _, headers, _ = ask(endpoint, "ASK {}", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers


def test_the_query_page_views_and_downloads(endpoint, project):
    status, headers, body = ask(endpoint, method="GET", path="/")
    assert status == 200 and b"<form" in body and b"/data/dataset.nq" in body and b"/views/network.html" in body
    status, headers, body = ask(endpoint, method="GET", path="/data/dataset.nq")
    assert body == (project.out_dir / "graph" / "dataset.nq").read_bytes()
    assert "attachment" in headers["Content-Disposition"]
    assert ask(endpoint, method="GET", path="/views/network.html")[2] == b"<html><body>a view</body></html>"
    assert ask(endpoint, method="GET", path="/data/..%2f..%2fgraph%2fcurated%2fsources.yaml")[0] == 404


@pytest.fixture(scope="module")
def roomy(project):
    """The server with its default limits (the `endpoint` above caps answers at 5 rows)."""
    with serving(project) as base:
        yield base


def test_every_stored_query_is_served_ready_to_run(roomy, project):
    """/queries/NAME.rq is the stored query with its default parameters written in: sent to
    /sparql as it is, it answers what `coalition-kg query NAME` answers."""
    from coalition_kg.api import open_dataset
    from coalition_kg.queries import load_all
    from coalition_kg.remote import SparqlStore

    stored = {name: q for name, q in load_all(project.queries_dir).items() if q.offline}
    page = ask(roomy, method="GET", path="/")[2].decode()
    local, remote = open_dataset(project).store, SparqlStore(roomy + "/sparql")
    for name, query in stored.items():
        assert f'<option value="{name}">' in page
        status, headers, text = ask(roomy, method="GET", path=f"/queries/{name}.rq")
        assert status == 200 and headers["Content-Type"].startswith("application/sparql-query")
        assert remote.query(text.decode()).rows == query.run(local).rows, name
    assert ask(roomy, method="GET", path="/queries/no-such-query.rq")[0] == 404


def test_picking_a_stored_query_on_the_page_runs_it_in_the_browser(roomy, project):
    from coalition_kg.api import open_dataset
    from coalition_kg.browser import chromium

    members = len(open_dataset(project).query("members-as-of"))
    with chromium() as browser:
        page = browser.new_page()
        page.goto(roomy + "/")
        page.select_option("#stored", "members-as-of")
        assert "members" in page.inner_text("#about").lower()
        assert '"2025-12-31"^^' in page.input_value("textarea")  # the default date, written in
        page.click("button")
        page.wait_for_function("document.getElementById('status').textContent.includes('rows')")
        assert page.inner_text("#status") == f"{members} rows"
        assert page.locator("#out tr").count() == members + 1  # and the header


def test_it_listens_on_loopback_only_by_default(endpoint):
    assert endpoint.startswith("http://127.0.0.1:")
    from coalition_kg.cli import serve

    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"


def test_twenty_clients_at_once_get_the_same_answers_as_the_local_store(project):
    """Concurrent clients from another process: no request fails, and every stored query gives
    what the in-process store gives (rdflib's query parser is not thread-safe; the server must be)."""
    import threading

    from coalition_kg.api import open_dataset
    from coalition_kg.queries import load_all
    from coalition_kg.remote import SparqlStore

    stored = [q for q in load_all(project.queries_dir).values() if q.offline]
    local = open_dataset(project).store
    expected = {q.name: sorted(map(repr, q.run(local).rows)) for q in stored}
    failures: list[str] = []

    def client(base: str, offset: int) -> None:
        store = SparqlStore(base + "/sparql")
        for index in range(len(stored)):
            query = stored[(offset + index) % len(stored)]
            try:
                if sorted(map(repr, query.run(store).rows)) != expected[query.name]:
                    failures.append(f"{query.name}: different rows")
            except Exception as exc:  # every failure counts
                failures.append(f"{query.name}: {exc}")

    with serving(project) as base:
        threads = [threading.Thread(target=client, args=(base, offset)) for offset in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
