"""The network views, opened in a real Chromium with the network blocked.

Each page must draw from its own file alone (no request leaves it, no console error),
show as many nodes and links as the graph holds, say in its tooltips what each claim is
and how many sources back it, hide what the filters hide, and show text from articles —
even text made of markup — as text. These tests fail, never skip, when Chromium is
missing: scripts/install-system-deps installs it.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import yaml
from rdflib.namespace import RDFS

from coalition_kg import views
from coalition_kg.api import open_dataset
from coalition_kg.browser import chromium, open_view
from coalition_kg.build import run_build
from coalition_kg.namespaces import iri
from coalition_kg.networks import VIEW_NAMES, Facts, Scope, network
from coalition_kg.tables import cell

from .conftest import KITCHEN_SINK, copy_project

PREFIXES = """PREFIX ckg: <https://w3id.org/coalition-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def shipped_facts(shipped):
    kg = open_dataset(shipped)
    return kg, Facts.load(kg)


@pytest.fixture(scope="module")
def pages(shipped_facts, tmp_path_factory) -> dict[str, tuple[object, Path]]:
    """Every view of the shipped data (the ego view centred on France), written once."""
    _, facts = shipped_facts
    folder = tmp_path_factory.mktemp("views")
    written = {}
    for name in VIEW_NAMES:
        graph = network(facts, name, Scope(), "state:FRA" if name == "ego" else None)
        written[name] = (graph, views.write(graph, folder / f"{name}.html"))
    return written


def count(kg, sparql: str) -> int:
    return int(kg.sparql(PREFIXES + sparql)[0]["n"])


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_each_view_draws_its_whole_graph_offline_without_errors(name, pages, browser):
    graph, path = pages[name]
    opened = open_view(browser, path)
    assert opened.blocked == []
    assert opened.errors == []
    assert opened.drawn() == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert opened.page.evaluate("[ckg.allNodes.length, ckg.allEdges.length]") == [graph.number_of_nodes(),
                                                                                   graph.number_of_edges()]
    assert "all dates" in opened.page.inner_text("h1")
    opened.page.close()


def test_the_coalition_view_draws_one_link_per_participation_claim(pages, browser, shipped_facts):
    kg, _ = shipped_facts
    participations = count(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c a ckg:Participation }")
    entities = count(kg, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?c a ckg:Participation ."
                         " { ?c ckg:participant ?x } UNION { ?c ckg:meeting ?x } }")
    opened = open_view(browser, pages["coalition"][1])
    assert opened.drawn() == {"nodes": entities, "edges": participations}
    opened.page.close()


def hover_edge(opened, claim: str) -> str:
    """Move the mouse onto the middle of the link of ``claim`` and return the tooltip's text."""
    page = opened.page
    point = page.evaluate("""claim => {
        const edge = ckg.allEdges.get().find(e => e.title.textContent.includes('Claim: ' + claim + '\\n'));
        const network = ckg.network;
        network.focus(edge.from, {scale: 1.5, animation: false});
        const a = network.getPosition(edge.from), b = network.getPosition(edge.to);
        network.moveTo({position: {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}, scale: 1.5, animation: false});
        const middle = network.body.edges[edge.id].edgeType.getPoint(0.5);
        const dom = network.canvasToDOM(middle);
        const box = document.getElementById('network').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y};
    }""", claim)
    page.mouse.move(point["x"] - 40, point["y"] - 40)
    page.mouse.move(point["x"], point["y"], steps=5)
    tooltip = page.wait_for_selector("div.vis-tooltip", state="visible")
    return tooltip.inner_text()


def ego_page(facts, center: str, folder: Path) -> Path:
    """An ego view, where few links cross, so that the mouse can find one."""
    return views.write(network(facts, "ego", Scope(), center), folder / f"ego-{center.replace(':', '-')}.html")


def test_a_link_s_tooltip_gives_the_claim_its_sources_and_the_first_one(browser, shipped_facts, tmp_path):
    _, facts = shipped_facts
    claim = "participation:2025-03-27-paris/USA"
    opened = open_view(browser, ego_page(facts, "state:USA", tmp_path))
    text = hover_edge(opened, claim)
    assert "United States at Paris leaders' summit" in text and "(2025-03-27): absent" in text
    kg = shipped_facts[0]
    sources = count(kg, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { <https://w3id.org/coalition-kg/id/" + claim.replace(
        ":", "/", 1) + "> prov:wasDerivedFrom/ckg:source ?s }")
    earliest = kg.sparql(PREFIXES + "PREFIX dcterms: <http://purl.org/dc/terms/>\nSELECT (MIN(STR(?d)) AS ?day) "
                         "WHERE { <https://w3id.org/coalition-kg/id/" + claim.replace(":", "/", 1) + "> "
                         "prov:wasDerivedFrom/ckg:source/dcterms:issued ?d }")[0]["day"]
    assert f"{sources} sources; first: " in text
    assert f", {earliest}, http" in text.split("first: ")[1]
    opened.page.close()


def test_contested_claims_are_dashed_and_say_so(pages, browser, shipped_facts, tmp_path):
    graph, path = pages["coalition"]
    contested = sorted((k, u) for u, _, k, d in graph.edges(keys=True, data=True) if d["contested"])
    assert contested, "the shipped data has participations that sources disagree on"
    opened = open_view(browser, path)
    dashed = opened.page.evaluate("ckg.allEdges.get({filter: e => e.dashes}).map(e => e.title.textContent)")
    assert len(dashed) == len(contested)
    assert all("CONTESTED: other sources say" in text for text in dashed)
    opened.page.close()
    claim, participant = contested[0]
    opened = open_view(browser, ego_page(shipped_facts[1], participant, tmp_path))
    assert "CONTESTED: other sources say" in hover_edge(opened, claim)
    opened.page.close()


def test_a_commitment_reported_two_ways_is_dashed_with_the_other_account(pages, browser, shipped):
    """Two pledge claims marked as one commitment (`same_commitment_as`) that give another date
    are both contested, each naming the other account and what it says."""
    pledges = {p["id"]: p for p in yaml.safe_load(
        (shipped.graph_dir / "curated" / "pledges.yaml").read_text(encoding="utf-8"))}
    expected = {}
    for p in pledges.values():
        other = pledges.get(p.get("same_commitment_as", ""))
        if other and str(other["date"]) != str(p["date"]):
            expected[f"pledge:{p['id']}"] = f"(pledge:{other['id']}) has date {other['date']}"
            expected[f"pledge:{other['id']}"] = f"(pledge:{p['id']}) has date {p['date']}"
    assert expected, "the shipped data has France's package reported on two dates"
    graph, path = pages["commitments"]
    contested = {k: d["title"] for _, _, k, d in graph.edges(keys=True, data=True) if d["contested"]}
    assert contested.keys() == expected.keys()
    assert all(expected[claim] in title.split("CONTESTED: ")[1] for claim, title in contested.items())
    opened = open_view(browser, path)
    dashed = opened.page.evaluate("ckg.allEdges.get({filter: e => e.dashes}).map(e => e.title.textContent)")
    assert sorted(dashed) == sorted(contested.values())
    opened.page.close()


def test_the_legend_and_the_filters_change_what_is_drawn(pages, browser):
    graph, path = pages["coalition"]
    edges = list(graph.edges(data=True))
    absent = sum(1 for _, _, d in edges if d["attendance"] == "absent")
    weak = sum(1 for _, _, d in edges if d["weak_only"])
    early = sum(1 for _, _, d in edges if d["date"] <= "2025-03-31")
    assert absent and weak and early
    opened = open_view(browser, path)
    page = opened.page
    page.uncheck('input[data-group="absent"]')
    assert opened.drawn()["edges"] == len(edges) - absent
    page.check('input[data-group="absent"]')
    page.check("#ckg-hide-weak")
    assert opened.drawn()["edges"] == len(edges) - weak
    page.uncheck("#ckg-hide-weak")
    page.fill("#ckg-until", "2025-03-31")
    page.dispatch_event("#ckg-until", "change")
    drawn = opened.drawn()
    assert drawn["edges"] == early
    meetings = {v for _, v, d in edges if d["date"] <= "2025-03-31"}
    agents = {u for u, _, d in edges if d["date"] <= "2025-03-31"}
    assert drawn["nodes"] == len(meetings | agents)
    page.uncheck('input[data-group="meeting"]')
    assert opened.drawn() == {"nodes": 0, "edges": 0}
    assert opened.errors == []
    page.close()


def test_a_node_tooltip_names_the_entity_and_its_engagement(pages, browser):
    graph, path = pages["coalition"]
    opened = open_view(browser, path)
    page = opened.page
    point = page.evaluate("""() => {
        const network = ckg.network;
        network.moveTo({position: network.getPosition('state:USA'), scale: 2, animation: false});
        const dom = network.canvasToDOM(network.getPosition('state:USA'));
        const box = document.getElementById('network').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y};
    }""")
    page.mouse.move(point["x"] + 30, point["y"] + 30)
    page.mouse.move(point["x"], point["y"], steps=5)
    text = page.wait_for_selector("div.vis-tooltip", state="visible").inner_text()
    assert text.startswith("United States\nstate:USA (state)")
    assert f"Meetings attended (present) in this view: {graph.nodes['state:USA']['engagement']}" in text
    page.close()


HOSTILE = """Aus<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">"tria" & 'co'"""


def test_names_and_summaries_made_of_markup_show_as_text_and_never_run(tmp_path, browser):
    """Curated files refuse markup, but text also reaches the graph from articles and other
    stores: the views must show it as text wherever it comes from. So the markup is planted
    in the built dataset itself."""
    project = copy_project(KITCHEN_SINK, tmp_path / "project")
    run_build(project)
    summary = "Missiles <img src=x onerror=\"window.pwned = 3\"> </script><script>window.pwned=4</script>"
    pledges = yaml.safe_load((project.graph_dir / "curated" / "pledges.yaml").read_text(encoding="utf-8"))
    austria = ox.NamedNode(str(iri("state", "AUT")))
    dataset = project.out_dir / "graph" / "dataset.nq"
    planted = []
    for q in ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS):
        if q.subject == austria and q.predicate == ox.NamedNode(str(RDFS.label)):
            q = ox.Quad(q.subject, q.predicate, ox.Literal(HOSTILE), q.graph_name)
        elif isinstance(q.object, ox.Literal) and q.object.value == pledges[0]["summary"]:
            q = ox.Quad(q.subject, q.predicate, ox.Literal(summary), q.graph_name)
        planted.append(q)
    dataset.write_bytes(ox.serialize(planted, format=ox.RdfFormat.N_QUADS))
    facts = Facts.load(open_dataset(project))
    for name, center in (("ego", "state:AUT"), ("commitments", None)):
        path = views.write(network(facts, name, Scope(), center), tmp_path / f"{name}.html")
        opened = open_view(browser, path)
        page = opened.page
        assert page.evaluate("window.pwned") is None
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, vis-network, ours
        assert opened.errors == [] and opened.blocked == []
        titles = page.evaluate("ckg.allNodes.get().concat(ckg.allEdges.get()).map(x => x.title.textContent)")
        if name == "ego":
            assert HOSTILE in page.inner_text("h1")
            assert any(t.startswith(HOSTILE + "\n") for t in titles)
            assert page.evaluate("ckg.allNodes.get('state:AUT').label") == views.short(HOSTILE)
        else:
            assert any(summary in t for t in titles)
        page.close()


def test_the_view_command_writes_a_page_that_says_what_and_as_of_when(kitchen_sink, tmp_path):
    from click.testing import CliRunner

    from coalition_kg.cli import main

    run_build(kitchen_sink)
    root = ["--root", str(kitchen_sink.root)]
    result = CliRunner().invoke(main, ["view", "coalition", "--as-of", "2025-03-02",
                                       "--out", str(tmp_path / "c.html"), *root])
    assert result.exit_code == 0, result.output
    assert "as of 2025-03-02" in result.output
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<h1 id=\"ckg-title\">Coalition network: who attended which meeting — as of 2025-03-02</h1>" in page
    assert "<link" not in page and not re.search(r"<(script|img|iframe)\b[^>]*\bsrc=", page)
    for args, message in ((["view", "coalition", "--as-of", "yesterday"], "as-of must be a date"),
                          (["view", "coalition", "--as-of", "2025-03-02", "--from", "2025-01-01"], "either --as-of"),
                          (["view", "ego"], "needs an entity"),
                          (["view", "ego", "Atlantis"], "Atlantis"),
                          (["view", "coalition", "--series", "leader"], "choose one of chiefs-of-defence")):
        result = CliRunner().invoke(main, [*args, *root])
        assert result.exit_code == 2, args
        assert message in result.output, result.output


def test_members_are_coloured_as_the_members_as_of_query_says(shipped_facts):
    kg, facts = shipped_facts
    for day in ("2025-03-10", "2025-12-31"):
        members = {cell(r["member"], short=True) for r in kg.query("members-as-of", date=day)}
        graph = network(facts, "coalition", Scope(as_of=day))
        agents = {n for n, d in graph.nodes(data=True) if d["kind"] != "meeting"}
        assert {n for n in agents if graph.nodes[n]["member"]} == members & agents
        assert all(views.node_group(graph.nodes[n]).startswith("member") == (n in members) for n in agents
                   if graph.nodes[n]["kind"] in ("state", "organization"))


def test_scope_options_keep_one_series_and_strong_claims(shipped_facts):
    kg, facts = shipped_facts
    everything = network(facts, "coalition", Scope())
    leaders = network(facts, "coalition", Scope(series="leaders"))
    series = {r["meeting"]: r.get("series") for r in facts.participations}
    meetings = {n for n, d in leaders.nodes(data=True) if d["kind"] == "meeting"}
    assert meetings and all(series[m] == "meeting-series:leaders" for m in meetings)
    assert leaders.number_of_edges() == sum(1 for _, m in everything.edges() if series[m] == "meeting-series:leaders")
    weak = {cell(r["claim"], short=True) for r in kg.query("weak-only-claims")}
    strong = network(facts, "coalition", Scope(strong_only=True))
    claims = {k for *_, k in everything.edges(keys=True)}
    assert strong.number_of_edges() == everything.number_of_edges() - len(weak & claims)
    assert not any(d["weak_only"] for *_, d in strong.edges(data=True))


def test_co_attendance_weights_count_meetings_both_attended(shipped_facts):
    kg, facts = shipped_facts
    graph = network(facts, "co-attendance", Scope())
    together = count(kg, """SELECT (COUNT(DISTINCT ?meeting) AS ?n) WHERE {
        ?a a ckg:Participation ; ckg:meeting ?meeting ; ckg:participant <https://w3id.org/coalition-kg/id/state/FRA> .
        ?b a ckg:Participation ; ckg:meeting ?meeting ; ckg:participant <https://w3id.org/coalition-kg/id/state/POL> .
        FILTER NOT EXISTS { ?a ckg:attendance <https://w3id.org/coalition-kg/concept/attendance/absent> }
        FILTER NOT EXISTS { ?b ckg:attendance <https://w3id.org/coalition-kg/concept/attendance/absent> } }""")
    edge = graph["state:FRA"]["state:POL"]
    assert edge["weight"] == together == len(edge["meetings"].split())
    assert f"were both present at {together} meetings: " in edge["title"]
    assert len({d["community"] for _, d in graph.nodes(data=True)}) >= 2


def test_a_large_view_is_laid_out_beforehand_and_drawn_without_physics(browser, tmp_path):
    generated = nx.gnm_random_graph(views.LARGE + 100, 1500, seed=3, directed=True)
    graph = nx.MultiDiGraph(title="Generated")
    for node in generated:
        graph.add_node(f"state:S{node}", label=f"State {node}", kind="state")
    for number, (u, v) in enumerate(generated.edges()):
        graph.add_edge(f"state:S{u}", f"state:S{v}", key=f"claim:{number}", kind="participation", label="minister",
                       title=f"claim {number}")
    opened = open_view(browser, views.write(graph, tmp_path / "large.html"))
    assert opened.drawn() == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    assert opened.page.evaluate("ckg.network.physics.options.enabled") is False
    assert opened.page.evaluate("ckg.allNodes.get().every(n => typeof n.x === 'number' && typeof n.y === 'number')")
    assert opened.page.evaluate("ckg.allEdges.get().every(e => e.label === undefined)")
    assert opened.errors == []
    opened.page.close()


def test_the_declarations_view_has_every_signature_and_every_state_present_that_did_not_sign(shipped_facts):
    kg, facts = shipped_facts
    graph = network(facts, "declarations", Scope())
    kinds = [d["kind"] for *_, d in graph.edges(data=True)]
    signatures = count(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c a ckg:Signature }")
    absent = {(cell(r["state"], short=True), cell(r["declaration"], short=True))
              for r in kg.query("present-not-signed")}
    assert len(kinds) - kinds.count("present, not signed") == signatures
    assert {(u, v) for u, v, d in graph.edges(data=True) if d["kind"] == "present, not signed"} == absent


def test_a_page_that_fails_to_render_leaves_the_previous_one(pages, tmp_path):
    graph, path = pages["commitments"]
    target = tmp_path / "commitments.html"
    target.write_bytes(path.read_bytes())
    broken = graph.copy()
    broken.nodes["state:UKR"]["label"] = object()   # not text: the page cannot be written
    with pytest.raises(TypeError):
        views.write(broken, target)
    assert target.read_bytes() == path.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["commitments.html"]


def test_a_person_s_ego_view_shows_what_they_said_where(shipped_facts):
    kg, facts = shipped_facts
    said = count(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c a ckg:Statement ; ckg:speaker "
                     "<https://w3id.org/coalition-kg/id/person/emmanuel-macron> ; ckg:madeAt ?m }")
    graph = network(facts, "ego", Scope(), "person:emmanuel-macron")
    statements = [d for u, _, d in graph.edges(data=True) if d["kind"] == "statement"]
    assert said and len(statements) == said
    assert all(d["title"].startswith("Emmanuel Macron") and "source" in d["title"] for d in statements)
    whole = network(facts, "everything", Scope())
    assert sum(1 for *_, d in whole.edges(data=True) if d["kind"] == "statement") == count(
        kg, "SELECT (COUNT(*) AS ?n) WHERE { ?c a ckg:Statement { ?c ckg:madeAt ?x } UNION "
            "{ ?c ckg:onBehalfOf ?x FILTER NOT EXISTS { ?c ckg:madeAt ?y } } }")
