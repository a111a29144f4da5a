"""The command line and the notebook API, as an analyst uses them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from coalition_kg import open_dataset
from coalition_kg.build import run_build
from coalition_kg.checks import run_checks
from coalition_kg.cli import main
from coalition_kg.namespaces import CKG, CURATED_GRAPH, expand, iri, shorten

COMMANDS = sorted(main.commands)


def run(*args: str, root=None):
    extra = ["--root", str(root.root)] if root is not None else []
    return CliRunner().invoke(main, [*args, *extra])


@pytest.fixture
def built(kitchen_sink):
    run_build(kitchen_sink)
    return kitchen_sink


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_teaches_with_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert len(main.commands[command].help.splitlines()[0]) > 20


def test_the_tool_runs_as_a_module_and_reports_its_version():
    result = subprocess.run([sys.executable, "-m", "coalition_kg", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "coalition-kg, version 0.1.0" in result.stdout


def test_build_reports_counts_and_where_the_files_are(kitchen_sink):
    result = run("build", root=kitchen_sink)
    assert result.exit_code == 0, result.output
    assert "Meeting             2" in result.output
    assert "Participation      10" in result.output
    assert f"Outputs in {kitchen_sink.out_dir / 'graph'}/" in result.output
    assert "checking graph/" in result.stderr


def test_commands_that_need_a_build_say_how_to_make_one(kitchen_sink):
    result = run("stats", root=kitchen_sink)
    assert result.exit_code == 2
    assert "run `coalition-kg build` first" in result.output


def test_query_prints_a_table_csv_or_json(built):
    table = run("query", "meeting-attendance", "--param", "meeting=2025-03-02-london", root=built)
    assert table.exit_code == 0, table.output
    assert "state:UKR" in table.output and "Volodymyr Zelensky" in table.output and "(4 rows)" in table.output

    as_csv = run("query", "meeting-attendance", "-p", "meeting=2025-03-02-london", "--format", "csv", root=built)
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert {r["participant"] for r in rows} == {f"https://w3id.org/coalition-kg/id/state/{c}" for c in
                                                 ("GBR", "FRA", "DEU", "UKR")}

    as_json = run("query", "meeting-attendance", "-p", "meeting=2025-03-02-london", "--format", "json", root=built)
    assert sorted(r["name"] for r in json.loads(as_json.output)) == ["France", "Germany", "Ukraine", "United Kingdom"]


@pytest.mark.parametrize("full, short", [
    ("https://w3id.org/coalition-kg/id/state/FRA", "state:FRA"),
    # The longest namespace wins, and a local name may hold a "/".
    ("https://w3id.org/coalition-kg/id/participation/2025-03-27-paris/USA", "participation:2025-03-27-paris/USA"),
    ("https://w3id.org/coalition-kg/concept/source-type/blog", "source-type:blog"),
    ("https://w3id.org/coalition-kg/ontology#Pledge", "ckg:Pledge"),
    ("https://example.org/not/ours", "https://example.org/not/ours"),
])
def test_tables_name_iris_by_their_prefix(full, short):
    assert shorten(full) == short
    assert expand(short) == URIRef(full) or short == full


@pytest.mark.parametrize("args, message", [
    (["query", "members-as-of", "-p", "date=last week"], "parameter 'date' expects a date like 2025-03-27, got 'last week'"),
    (["query", "members-as-of", "-p", "when=2025-01-01"], "has no parameter 'when'"),
    (["query", "members-as-of", "-p", "date"], "expected NAME=VALUE"),
    (["query", "no-such-question"], "no stored query named 'no-such-question'; available:"),
    (["explain", "Atlantis"], "nothing in the graph is called 'Atlantis'"),
])
def test_usage_errors_exit_2_with_a_message(built, args, message):
    result = run(*args, root=built)
    assert result.exit_code == 2
    assert message in result.output


def test_queries_lists_titles_and_parameters(built):
    result = run("queries", root=built)
    assert "members-as-of\n    Coalition members as of a date" in result.output
    assert "--param date=<date, default 2025-12-31>" in result.output


def test_explain_shows_claims_with_their_sources(built):
    result = run("explain", "AUT", root=built)
    assert result.exit_code == 0
    assert result.output.startswith("state:AUT \u2014 Austria")
    assert "Claims that involve it (3):" in result.output
    assert "Example Opinion: https://opinion.example/what-the-summit-means" in result.output
    assert "source-type:opinion, reliability low, method curated" in result.output

    claim = run("explain", "participation:2025-03-27-paris/USA", "--format", "json", root=built)
    data = json.loads(claim.output)
    assert data["types"] == ["ckg:Claim", "ckg:Participation"]
    assert [e["publisher"] for e in data["evidence"]] == ["Example News"]


def test_explain_is_the_same_on_both_backends(built):
    outputs = {b: run("explain", "olaf-scholz", "--backend", b, "--format", "json", root=built).output
               for b in ("memory", "oxigraph")}
    assert outputs["memory"] == outputs["oxigraph"]


def test_stats_counts_claims_and_shows_none_without_evidence(built):
    result = run("stats", root=built)
    assert "claims without evidence: 0" in result.output
    assert "claims: 31" in result.output
    numbers = json.loads(run("stats", "--format", "json", root=built).output)
    assert {r["class"].rsplit("#", 1)[1]: int(r["count"]) for r in numbers["classes"]}["Participation"] == 10


def test_validate_passes_on_good_data_and_fails_on_bad(built):
    good = run("validate", root=built)
    assert good.exit_code == 0
    assert "check claim-without-evidence: ok" in good.output
    path = built.graph_dir / "curated" / "pledges.yaml"
    path.write_text(path.read_text().replace("type: troops", "type: tanks"))
    bad = run("validate", root=built)
    assert bad.exit_code == 1
    assert "pledges.yaml:17: type: unknown pledge-type 'tanks'" in bad.stderr


def test_each_quality_check_catches_a_planted_error(built):
    """The checks guard data that did not come through the YAML schema (e.g. ingested claims)."""
    kg = open_dataset(built, backend="memory")
    graph = kg.store.dataset.graph(CURATED_GRAPH)
    pledge = iri("pledge", "planted")
    graph.add((pledge, RDF.type, CKG.Pledge))
    graph.add((pledge, RDF.type, CKG.Claim))
    graph.add((pledge, CKG.quantity, Literal(5)))
    membership = iri("membership", "planted")
    graph.add((membership, CKG.startDate, Literal("2025-06-01", datatype=XSD.date)))
    graph.add((membership, CKG.endDate, Literal("2025-01-01", datatype=XSD.date)))
    evidence = iri("evidence", "planted")
    graph.add((evidence, RDF.type, CKG.Evidence))
    graph.add((pledge, PROV.wasDerivedFrom, evidence))
    source = iri("source", "planted")
    graph.add((source, RDF.type, CKG.Source))
    failed = {r.check.name for r in run_checks(kg.store, built.queries_dir / "checks") if not r.passed}
    assert failed == {"claim-without-evidence", "evidence-without-source", "end-before-start",
                      "quantity-without-unit", "source-without-provenance-fields"}


def test_the_python_api_mirrors_the_cli(built):
    kg = open_dataset(built)
    rows = kg.query("members-as-of", date="2025-03-10")
    assert [str(r["name"]) for r in rows] == ["France", "Germany", "Ukraine", "United Kingdom"]
    frame = rows.to_dataframe()
    assert list(frame.columns) == rows.variables
    assert frame.loc[0, "member"] == "state:FRA"
    assert frame.loc[0, "joined"].isoformat() == "2025-03-02"
    assert len(kg) > 2000
