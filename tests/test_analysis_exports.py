"""Network analysis, exports for other tools, and images for reports.

`analyze` must give the same numbers every time and leave them queryable next to the
build they came from; GraphML and GEXF must come back into networkx with every attribute;
the images must be real PNGs of what the graph says.
"""

from __future__ import annotations

import csv
import hashlib
import struct

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from coalition_kg import open_dataset
from coalition_kg.analysis import Period, analyze, changes, measure, write
from coalition_kg.api import dataset_path
from coalition_kg.build import run_build
from coalition_kg.cli import main
from coalition_kg.images import attendance_by_meeting, membership_steps, timeline
from coalition_kg.interchange import write_network, write_rdf
from coalition_kg.networks import Facts, Scope, everything, network
from coalition_kg.tables import cell

CKG = "PREFIX ckg: <https://w3id.org/coalition-kg/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"


def run(*args: str, root=None):
    extra = ["--root", str(root.root)] if root is not None else []
    return CliRunner().invoke(main, [*args, *extra])


@pytest.fixture(scope="module")
def facts(shipped) -> Facts:
    return Facts.load(open_dataset(shipped))


# --------------------------------------------------------------------------------------
# analyze

def test_analysis_gives_identical_files_from_run_to_run(facts, shipped, tmp_path):
    for attempt in ("first", "second"):
        write(analyze(facts, dataset_path(shipped)), tmp_path / attempt)
    for name in ("metrics.csv", "changes.csv", "metrics.nq"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name


def test_the_most_central_participants_are_the_ones_that_met_most(facts):
    rows = measure(facts, Period("2025-01-01", "2026-12-31"))
    top = [r["entity"] for r in rows[:6]]
    assert {"state:GBR", "state:FRA", "state:UKR"} <= set(top)
    for r in rows:
        assert 0 <= r["degree"] <= 1 and 0 <= r["betweenness"] <= 1 and 0 <= r["eigenvector"] <= 1
        assert r["attended"] <= r["since_joining"]
        assert r["consistency"] == "" or r["consistency"] == round(r["attended"] / r["since_joining"], 6)
    assert len({r["community"] for r in rows if r["community"]}) >= 2


def test_attendance_consistency_counts_only_meetings_since_joining(facts):
    """Albania joined in September 2025: before that it owes no meeting, after it some."""
    early = {r["entity"]: r for r in measure(facts, Period("2025-02-01", "2025-08-31"))}
    late = {r["entity"]: r for r in measure(facts, Period("2025-09-01", "2026-01-31"))}
    assert early["state:ALB"]["since_joining"] == 0 and early["state:ALB"]["consistency"] == ""
    assert late["state:ALB"]["since_joining"] > 0
    founders = late["state:FRA"]
    assert founders["attended"] >= late["state:ALB"]["attended"]


def test_changes_between_periods_note_newcomers(facts):
    before = measure(facts, Period("2025-02-01", "2025-06-30"))
    after = measure(facts, Period("2025-07-01", "2026-01-31"))
    moved = {r["entity"]: r for r in changes(before, after)}
    only_later = {r["entity"] for r in after if r["community"]} - {r["entity"] for r in before if r["community"]}
    assert "state:ALB" in only_later
    assert all(moved[e]["note"] == "met only in the later period" for e in only_later)
    fra_before = next(r for r in before if r["entity"] == "state:FRA")
    fra_after = next(r for r in after if r["entity"] == "state:FRA")
    assert moved["state:FRA"]["degree_change"] == round(fra_after["degree"] - fra_before["degree"], 6)


def test_a_period_must_be_two_dates():
    assert Period.parse("2025-02-01..2025-06-30") == Period("2025-02-01", "2025-06-30")
    for bad in ("2025-02-01", "spring..summer", "2025-06-30..2025-02-01"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_analyze_writes_metrics_that_queries_see_until_the_next_build(kitchen_sink):
    run_build(kitchen_sink)
    result = run("analyze", root=kitchen_sink)
    assert result.exit_code == 0, result.output
    assert "Co-attendance metrics" in result.output and "graph:metrics" in result.output
    rows = open_dataset(kitchen_sink).sparql(CKG + """
        SELECT ?m ?who ?degree ?digest ?g WHERE {
          GRAPH ?g { ?m a ckg:NetworkMeasurement ; ckg:measuredEntity ?who ; ckg:degreeCentrality ?degree ;
                        prov:wasGeneratedBy ?run . ?run ckg:sha256 ?digest ; ckg:method ?method } }""")
    assert rows, "the metrics are in the dataset the API opens"
    digest = hashlib.sha256(dataset_path(kitchen_sink).read_bytes()).hexdigest()
    assert {str(r["digest"]) for r in rows} == {digest}
    assert {str(r["g"]) for r in rows} == {"https://w3id.org/coalition-kg/graph/metrics"}
    with open(kitchen_sink.out_dir / "analysis" / "metrics.csv", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == len({str(r["m"]) for r in rows})
    # A change to the data and a new build: the old metrics no longer describe it.
    meetings = kitchen_sink.graph_dir / "curated" / "meetings.yaml"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("name: Paris summit", "name: Paris summit (2)"),
                        encoding="utf-8")
    run_build(kitchen_sink)
    assert not open_dataset(kitchen_sink).sparql(CKG + "SELECT ?m WHERE { ?m a ckg:NetworkMeasurement }")


def test_analyze_refuses_a_bad_period(kitchen_sink):
    run_build(kitchen_sink)
    result = run("analyze", "--period", "last spring", root=kitchen_sink)
    assert result.exit_code == 2 and "FROM..TO" in result.output


# --------------------------------------------------------------------------------------
# export

def same_graph(read: nx.MultiDiGraph, written: nx.MultiDiGraph, ignore: set[str] = frozenset()) -> None:
    assert dict(read.nodes(data=True)) == dict(written.nodes(data=True))
    got = {(u, v, k): {a: x for a, x in d.items() if a not in ignore}
           for u, v, k, d in read.edges(keys=True, data=True)}
    assert got == {(u, v, k): d for u, v, k, d in written.edges(keys=True, data=True)}


def test_graphml_and_gexf_come_back_with_every_attribute(facts, tmp_path):
    graph = everything(facts, Scope())
    graphml = write_network(graph, tmp_path, "all", "graphml")[0]
    same_graph(nx.read_graphml(graphml, force_multigraph=True), graph)
    gexf = write_network(graph, tmp_path, "all", "gexf")[0]
    same_graph(nx.read_gexf(gexf), graph, ignore={"id"})  # GEXF numbers its edges


def test_the_weighted_co_attendance_network_round_trips_too(facts, tmp_path):
    graph = network(facts, "co-attendance", Scope(series="leaders"))
    back = nx.read_graphml(write_network(graph, tmp_path, "co", "graphml")[0])
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert {frozenset((u, v)): d["weight"] for u, v, d in back.edges(data=True)} == \
           {frozenset((u, v)): d["weight"] for u, v, d in graph.edges(data=True)}


def test_csv_has_a_row_per_node_and_edge(facts, tmp_path):
    graph = network(facts, "commitments", Scope())
    nodes, edges = write_network(graph, tmp_path, "commitments", "csv")
    with open(nodes, encoding="utf-8") as handle:
        node_rows = list(csv.DictReader(handle))
    with open(edges, encoding="utf-8") as handle:
        edge_rows = list(csv.DictReader(handle))
    assert sorted(r["id"] for r in node_rows) == sorted(graph.nodes)
    assert sorted(r["key"] for r in edge_rows) == sorted(k for _, _, k in graph.edges(keys=True))
    assert {"source", "target", "pledge_type", "amount", "condition", "sources", "first_source"} <= set(edge_rows[0])


def test_rdf_of_a_selection_holds_its_claims_with_their_evidence_and_nothing_else(facts, shipped, tmp_path):
    graph = network(facts, "commitments", Scope(as_of="2025-06-30"))
    nq = write_rdf(shipped.out_dir / "graph", tmp_path, graph, "commitments")[0]
    quads = list(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    subjects = {q.subject.value for q in quads}
    claims = {k for _, _, k in graph.edges(keys=True)}
    prefix = "https://w3id.org/coalition-kg/id/"
    assert {prefix + c.replace(":", "/", 1) for c in claims} <= subjects
    assert not any("/participation/" in s for s in subjects)
    assert any("/evidence/pledge/" in s for s in subjects)


def test_export_of_everything_writes_every_format(tmp_path, kitchen_sink):
    run_build(kitchen_sink)
    result = run("export", "--out", str(tmp_path / "x"), root=kitchen_sink)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "x").iterdir())
    assert names == sorted(["graph.graphml", "graph.gexf", "graph-nodes.csv", "graph-edges.csv", "dataset.trig",
                            "dataset.nq", "union.ttl", "dataset.jsonld", "context.jsonld"])
    built = kitchen_sink.out_dir / "graph" / "dataset.nq"
    assert (tmp_path / "x" / "dataset.nq").read_bytes() == built.read_bytes()


# --------------------------------------------------------------------------------------
# images

def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_timeline_counts_members_as_the_stored_query_does(facts, shipped, tmp_path):
    steps = membership_steps(facts)
    kg = open_dataset(shipped)
    members = kg.query("members-as-of", date="2025-12-31")
    coalition = facts.name(cell(members[0]["coalition"], short=True))
    on_day = [n for day, n in steps[coalition] if day.isoformat() <= "2025-12-31"][-1]
    assert on_day == len({str(r["member"]) for r in members})
    width, height = png_size(timeline(facts, tmp_path / "timeline.png"))
    assert (width, height) == (1100, 700)


def test_a_view_screenshot_is_taken_in_chromium(tmp_path, kitchen_sink):
    run_build(kitchen_sink)
    result = run("image", "coalition", "--out", str(tmp_path / "c.png"), "--size", "800x600", root=kitchen_sink)
    assert result.exit_code == 0, result.output
    assert png_size(tmp_path / "c.png") == (800, 600)
    assert (tmp_path / "c.png").stat().st_size > 10_000   # a drawing, not a blank page


def test_both_stores_give_the_same_networks_and_metrics(shipped_kgs):
    facts = {backend: Facts.load(kg) for backend, kg in shipped_kgs.items()}
    (first, a), (second, b) = facts.items()
    assert a == b, f"{first} and {second} read different facts"
    period = Period("2025-02-01", "2026-01-31")
    assert measure(a, period) == measure(b, period)


def test_the_timeline_counts_participants_as_the_meetings_timeline_query_does(facts, shipped):
    timeline_rows = open_dataset(shipped).query("meetings-timeline")
    expected = sorted((str(r["date"]), int(r["participants_recorded"])) for r in timeline_rows
                      if int(r["participants_recorded"]))
    drawn = sorted((day.isoformat(), present) for day, present, _ in attendance_by_meeting(facts, Scope()) if present)
    assert drawn == expected
