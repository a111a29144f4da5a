"""Stores chosen by one string: in memory, Oxigraph persisted at a path, any SPARQL endpoint.

The remote store runs against a real Oxigraph server on loopback, loaded with the shipped
build over the Graph Store Protocol or SPARQL Update; every stored query must give the
same rows there as on the local Oxigraph store.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

import pyoxigraph as ox

from coalition_kg import queries
from coalition_kg.api import dataset_path, open_dataset
from coalition_kg.build import run_build
from coalition_kg.cli import main
from coalition_kg.namespaces import iri
from coalition_kg.remote import EndpointError, SparqlStore
from coalition_kg.store import open_store
from coalition_kg.substitute import SubstitutionError

from .conftest import MAY_BE_EMPTY, ROOT
from .servers import free_port, oxigraph_server

# Non-default values, so substitution is exercised on IRIs, dates and concepts alike.
PARAMS = {
    "members-as-of": {"date": "2025-06-01"},
    "office-holders-on": {"date": "2025-06-01", "state": "DEU", "kind": "head-of-government"},
    "participation-timeline": {"state": "GBR"},
    "pledges-by-type": {"type": "military"},
    "meeting-attendance": {"meeting": "2025-03-27-paris"},
    "statements-by-topic": {"topic": "sanctions"},
    "claim-sources": {"claimType": "ckg:Pledge"},
    "representation-across-leadership-changes": {"state": "DEU"},  # bound inside a sub-query too
}


@pytest.fixture(scope="module")
def endpoint(shipped, tmp_path_factory):
    """A real Oxigraph server holding the shipped build, loaded through the Graph Store Protocol."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-data")) as base:
        store = SparqlStore(f"{base}/query", graph_store_url=f"{base}/store")
        store.load(dataset_path(shipped))
        yield base


@pytest.fixture(scope="module")
def local(shipped):
    return open_dataset(shipped, backend="oxigraph").store


STORED = {name: q for name, q in queries.load_all(ROOT / "queries").items() if q.offline}


@pytest.mark.parametrize("name", sorted(STORED))
def test_every_stored_query_gives_the_same_rows_on_an_endpoint_as_locally(name, endpoint, local):
    remote = SparqlStore(f"{endpoint}/query")
    stored = STORED[name]
    for values in ({}, PARAMS.get(name, {})):
        expected = stored.run(local, values)
        answer = stored.run(remote, values)
        assert answer.variables == expected.variables
        assert answer.rows == expected.rows
    assert expected.rows or name in MAY_BE_EMPTY, f"{name} should have rows on the shipped data"


def test_a_value_cannot_change_the_query_it_is_bound_into(endpoint):
    remote = SparqlStore(f"{endpoint}/query")
    text = "SELECT ?name ?state WHERE { ?state <%s> ?name }" % RDFS.label
    france = remote.query(text, {"name": Literal("France")})
    assert [row[1] for row in france.rows] == [iri("state", "FRA")]
    # Quotes, braces and comment signs stay inside the literal: no rows, no error.
    sneaky = Literal('France" } ?state ?p ?name . FILTER("1" = "1')
    assert remote.query(text, {"name": sneaky}).rows == []
    assert remote.query(text, {"name": Literal("France\n} #")}).rows == []
    with pytest.raises(SubstitutionError, match="not a valid IRI"):
        remote.query(text, {"state": URIRef("http://example.org/> ?p ?o } #")})


def test_a_variable_the_query_assigns_cannot_be_bound(endpoint):
    remote = SparqlStore(f"{endpoint}/query")
    with pytest.raises(SubstitutionError, match="assigned by the query"):
        remote.query('SELECT ?x WHERE { BIND("a" AS ?x) }', {"x": Literal("b")})
    with pytest.raises(SubstitutionError, match="assigned by the query"):
        remote.query('SELECT ?x WHERE { VALUES (?y ?x) { ("a" "b") } }', {"x": Literal("b")})


def test_loading_over_sparql_update_replaces_each_graph(shipped, tmp_path):
    nquads = dataset_path(shipped)
    quads = sum(1 for _ in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))
    with oxigraph_server(tmp_path / "data") as base:
        store = SparqlStore(f"{base}/query", update_url=f"{base}/update")
        store.load(nquads)
        store.load(nquads)  # the same build again: replaced, not doubled
        assert len(store) == quads


def test_an_endpoint_that_is_down_or_not_sparql_is_a_clear_error(endpoint):
    with pytest.raises(EndpointError, match="cannot reach"):
        SparqlStore(f"http://127.0.0.1:{free_port()}/query", timeout=5).query("ASK {}")
    with pytest.raises(EndpointError, match="HTTP 4"):
        SparqlStore(f"{endpoint}/query").query("SELECT WHERE nonsense")
    with pytest.raises(EndpointError, match="needs its Graph Store URL"):
        SparqlStore(f"{endpoint}/query").load(ROOT / "nothing.nq")


def test_a_persistent_oxigraph_store_loads_a_build_once(kitchen_sink, tmp_path):
    run_build(kitchen_sink)
    spec = f"oxigraph:{tmp_path / 'store'}"
    first = open_dataset(kitchen_sink, backend=spec)
    size = len(first)
    marker = ox.Quad(ox.NamedNode("http://example.org/marker"), ox.NamedNode("http://example.org/p"),
                     ox.Literal("left by a test"), ox.NamedNode("http://example.org/g"))
    first.store.store.add(marker)
    del first  # close it, so the next open can take the lock
    # The same build: reopened as it is, not read again (the marker is still there).
    assert len(open_dataset(kitchen_sink, backend=spec)) == size + 1
    # A new build: the store is replaced by it (the marker is gone).
    (kitchen_sink.graph_dir / "curated" / "statements.yaml").write_text("[]\n")
    run_build(kitchen_sink)
    reopened = open_dataset(kitchen_sink, backend=spec)
    assert 0 < len(reopened) < size
    assert not reopened.sparql("ASK { GRAPH ?g { <http://example.org/marker> ?p ?o } }").result.boolean


@pytest.mark.parametrize("spec, message", [
    ("mongo", "unknown store"),
    ("memory:/tmp/x", "keeps no data on disk"),
])
def test_a_store_is_named_by_one_string_and_a_wrong_one_is_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        open_store(spec)
    result = CliRunner().invoke(main, ["query", "members-as-of", "--store", spec])
    assert result.exit_code == 2
    assert message in result.output


def test_the_cli_loads_an_endpoint_and_answers_from_it(kitchen_sink, tmp_path):
    run_build(kitchen_sink)
    root = ["--root", str(kitchen_sink.root)]
    with oxigraph_server(tmp_path / "data") as base:
        loaded = CliRunner().invoke(main, ["load", "--store", f"{base}/query", "--graph-store", f"{base}/store", *root])
        assert loaded.exit_code == 0, loaded.output
        assert f"{len(open_dataset(kitchen_sink))} quads" in loaded.output
        asked = ["query", "members-as-of", "--format", "csv", *root]
        remote = CliRunner().invoke(main, [*asked, "--store", f"{base}/query"])
        local = CliRunner().invoke(main, [*asked, "--store", "oxigraph"])
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output
        assert len(remote.output.splitlines()) > 1
