"""`coalition-kg link`: Wikidata links that are confirmed or reported, never guessed.

The online path runs the real client against a real SPARQL server: the Oxigraph server
from PyPI, started on loopback and loaded with ``tests/data/wikidata/standin.ttl``, a
Wikidata-shaped stand-in for the kitchen-sink project's entities (with a film called
"France", two items for one Keir Starmer, a Zelenskyy spelt differently, and a Merz
whose term starts a day later than ours). The offline path reads the snapshot only.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from rdflib.namespace import OWL

XSD_DATE, XSD_YEAR = "http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#gYear"

from coalition_kg import open_dataset, queries
from coalition_kg.build import run_build
from coalition_kg.cli import main
from coalition_kg.namespaces import CKG, WD, WIKIDATA_GRAPH, iri

STANDIN = Path(__file__).parent / "data" / "wikidata" / "standin.ttl"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


class StandIn:
    """An Oxigraph server on a free loopback port, serving a Wikidata-shaped file read-only."""

    def __init__(self, folder: Path) -> None:
        subprocess.run([OXIGRAPH, "load", "--location", folder, "--file", STANDIN], check=True, capture_output=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen([OXIGRAPH, "serve-read-only", "--location", folder,
                                         "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the Oxigraph stand-in did not start")
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/query"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def standin(tmp_path_factory):
    server = StandIn(tmp_path_factory.mktemp("wikidata-standin"))
    yield server
    server.stop()


def run(project, *args: str):
    return CliRunner().invoke(main, [*args, "--root", str(project.root)])


def refresh(project, standin, *extra: str):
    result = run(project, "link", "--refresh", "--endpoint", standin.url, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def edit(project, name: str, change) -> None:
    """Change one YAML file of a project copy: ``change(records)`` edits the records in place."""
    path = project.graph_dir / name
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(records)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")


def record(records: list[dict], key: str) -> dict:
    return next(r for r in records if r.get("id", r.get("iso3")) == key)


def links(report: dict) -> dict[str, tuple[str, str]]:
    return {link["entity"].split("/id/")[1]: (link["qid"], link["method"]) for link in report["links"]}


def review(report: dict) -> dict[str, dict]:
    return {item["entity"].split("/id/")[1]: item for item in report["review"]}


# --------------------------------------------------------------------------------------
# Online: against the stand-in


def test_states_and_organisations_are_linked_by_label_and_type(kitchen_sink, standin):
    report = refresh(kitchen_sink, standin)
    found = links(report)
    assert {k: v for k, v in found.items() if not k.startswith("person/")} == {
        "state/AUT": ("Q40", "label+type"), "state/DEU": ("Q183", "label+type"), "state/FRA": ("Q142", "label+type"),
        "state/GBR": ("Q145", "label+type"), "state/UKR": ("Q212", "label+type"),
        "state/USA": ("Q30", "label+type"),   # through the alias "United States"
        "org/EU": ("Q458", "label+type"),
        "org/EC": ("Q8880", "label+type"),    # its type is an organisation two subclass steps up
    }
    assert report["counts"]["state"] == {"linked": 6, "review": 0}
    snapshot = yaml.safe_load((kitchen_sink.graph_dir / "reference" / "wikidata.yaml").read_text(encoding="utf-8"))
    assert snapshot["names"]["France"] == ["Q142", "Q900000001"], "the film called France is a candidate ..."
    assert "Q900000001" not in {qid for qid, _ in found.values()}, "... but not a link"


def test_a_person_is_linked_by_label_and_a_position_held_in_the_dates_of_their_term(kitchen_sink, standin):
    found = links(refresh(kitchen_sink, standin))
    assert found["person/emmanuel-macron"] == ("Q3052772", "label+position-held")
    assert found["person/olaf-scholz"] == ("Q61053", "label+position-held")
    assert found["person/friedrich-merz"] == ("Q566257", "label+position-held")


def test_a_name_alone_does_not_make_a_link(kitchen_sink, standin):
    def move_scholz_to_another_decade(people):
        record(people, "olaf-scholz")["terms"][0].update(start="1990-01-01", end="1995-01-01")

    edit(kitchen_sink, "reference/people.yaml", move_scholz_to_another_decade)
    report = refresh(kitchen_sink, standin)
    assert "person/olaf-scholz" not in links(report)
    assert review(report)["person/olaf-scholz"]["reason"] == (
        "no human named so (Q61053) held deu-chancellor (Q4970706) in the dates of our terms")


def test_two_confirmed_candidates_are_reported_for_review_not_guessed(kitchen_sink, standin):
    report = refresh(kitchen_sink, standin)
    starmer = review(report)["person/keir-starmer"]
    assert starmer["candidates"] == ["Q900000002", "Q900000003"]
    assert starmer["reason"].startswith("ambiguous: 2 candidates")
    assert "person/keir-starmer" not in links(report)


def test_people_without_a_matching_label_are_reported(kitchen_sink, standin):
    report = refresh(kitchen_sink, standin)
    assert review(report)["person/volodymyr-zelensky"]["reason"] == (
        "no Wikidata item has the label or alias 'Volodymyr Zelensky'")   # surnames alone are not looked up
    text = run(kitchen_sink, "link").stdout
    assert "To review (not linked, never guessed):" in text
    assert "person:keir-starmer" in text and "Q900000002, Q900000003" in text


def test_a_curated_qid_is_used_only_when_marked_well_known_and_no_candidate_contradicts_it(kitchen_sink, standin):
    def rename(states):
        record(states, "UKR")["name"] = "Ukraina"        # no Wikidata label matches any more
        record(states, "UKR").update(wikidata="Q212", wikidata_status="well-known")
        record(states, "AUT")["name"] = "Austria-Hungary"
        record(states, "AUT").update(wikidata="Q40", wikidata_status="unverified")

    edit(kitchen_sink, "reference/states.yaml", rename)
    report = refresh(kitchen_sink, standin)
    assert links(report)["state/UKR"] == ("Q212", "curated")
    assert "state/AUT" not in links(report)
    assert review(report)["state/AUT"]["reason"].startswith("no Wikidata item has the label or alias 'Austria-Hungary'")


def test_a_disagreement_on_an_office_term_is_reported_and_both_dates_are_kept(kitchen_sink, standin):
    report = refresh(kitchen_sink, standin)
    assert report["disagreements"] == [{
        "entity": str(iri("person", "friedrich-merz")), "name": "Friedrich Merz", "what": "start",
        "office": str(iri("office", "deu-chancellor")), "ours": "2025-05-06", "wikidata": "2025-05-07",
        "item": str(WD.Q566257)}]
    run_build(kitchen_sink)
    for backend in ("memory", "oxigraph"):
        kg = open_dataset(kitchen_sink, backend=backend)
        rows = kg.query("wikidata-disagreements")
        assert [(str(r["what"]), str(r["ours"]), str(r["wikidata"])) for r in rows] == [("start", "2025-05-06", "2025-05-07")]
    merz_term = iri("office-term", "friedrich-merz", "deu-chancellor", "2025-05-06")
    assert kg.store.query(f"ASK {{ <{merz_term}> <{CKG.startDate}> ?d FILTER(STR(?d) = '2025-05-06') }}").boolean


def test_a_curated_qid_that_differs_from_the_confirmed_item_is_a_disagreement(kitchen_sink, standin):
    edit(kitchen_sink, "reference/people.yaml",
         lambda people: record(people, "olaf-scholz").update(wikidata="Q1", wikidata_status="unverified"))
    report = refresh(kitchen_sink, standin)
    assert links(report)["person/olaf-scholz"] == ("Q61053", "label+position-held")
    assert {(d["what"], d["ours"], d["wikidata"]) for d in report["disagreements"]
            if d["entity"].endswith("olaf-scholz")} == {("qid", str(WD.Q1), str(WD.Q61053))}


def test_the_build_puts_links_and_wikidata_s_statements_in_their_own_graph_with_provenance(kitchen_sink, standin):
    refresh(kitchen_sink, standin)
    run_build(kitchen_sink)
    kg = open_dataset(kitchen_sink, backend="oxigraph")
    ask = lambda text: kg.store.query("PREFIX ckg: <https://w3id.org/coalition-kg/ontology#> "  # noqa: E731
                                      "PREFIX prov: <http://www.w3.org/ns/prov#> "
                                      "PREFIX dcterms: <http://purl.org/dc/terms/> " + text).boolean
    graph = f"<{WIKIDATA_GRAPH}>"
    assert ask(f"ASK {{ GRAPH {graph} {{ <{iri('state', 'FRA')}> <{OWL.sameAs}> <{WD.Q142}> }} }}")
    assert ask(f"""ASK {{ GRAPH {graph} {{
        ?link a ckg:WikidataLink ; ckg:claimSubject <{iri('person', 'olaf-scholz')}> ; ckg:claimValue <{WD.Q61053}> ;
              prov:wasDerivedFrom ?evidence .
        ?evidence ckg:method "label+position-held" ; ckg:source ?source .
        ?source dcterms:issued ?retrieved ; dcterms:publisher ?wikidata . }} }}""")
    # enrichment: labels in several languages, ISO codes, memberships and heads of state with dates
    assert ask(f'ASK {{ GRAPH {graph} {{ <{WD.Q142}> <http://www.w3.org/2000/01/rdf-schema#label> "Frankreich"@de }} }}')
    assert ask(f'ASK {{ GRAPH {graph} {{ <{WD.Q142}> <http://www.wikidata.org/prop/direct/P298> "FRA" }} }}')
    assert ask(f"""ASK {{ GRAPH {graph} {{ <{WD.Q142}> <http://www.wikidata.org/prop/P463> ?st .
        ?st <http://www.wikidata.org/prop/statement/P463> <{WD.Q7184}> ;
            <http://www.wikidata.org/prop/qualifier/P580> "1949"^^<{XSD_YEAR}> ; prov:wasDerivedFrom ?e . }} }}""")
    assert ask(f"""ASK {{ GRAPH {graph} {{ <{WD.Q142}> <http://www.wikidata.org/prop/P35> ?st .
        ?st <http://www.wikidata.org/prop/statement/P35> <{WD.Q3052772}> ;
            <http://www.wikidata.org/prop/qualifier/P580> "2017-05-14"^^<{XSD_DATE}> }} }}""")
    # the items statements point to are named, even when not linked themselves (NATO is not in the kitchen sink)
    assert ask(f'ASK {{ GRAPH {graph} {{ <{WD.Q7184}> <http://www.w3.org/2000/01/rdf-schema#label> "NATO"@en }} }}')
    # the deprecated statement of the stand-in is not mirrored
    assert not ask(f"""ASK {{ ?st <http://www.wikidata.org/prop/qualifier/P580> "2025-05-01"^^<{XSD_DATE}> }}""")
    explained = run(kitchen_sink, "explain", "FRA").stdout
    assert explained.count("[graph:wikidata] owl:sameAs: wd:Q142 (France)") == 1, "one line per link, not per language"
    stats = json.loads(run(kitchen_sink, "stats", "--format", "json").stdout)
    assert stats["claims_without_evidence"] == 0
    assert run(kitchen_sink, "validate").exit_code == 0


def test_a_second_refresh_is_answered_from_the_cache_without_the_endpoint(kitchen_sink, tmp_path):
    server = StandIn(tmp_path / "standin")
    try:
        first = refresh(kitchen_sink, server)
    finally:
        server.stop()
    snapshot = (kitchen_sink.graph_dir / "reference" / "wikidata.yaml").read_text(encoding="utf-8")
    result = run(kitchen_sink, "link", "--refresh", "--endpoint", server.url, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "(0 requests, the rest from the cache)" in result.stderr
    assert json.loads(result.stdout)["links"] == first["links"]
    assert (kitchen_sink.graph_dir / "reference" / "wikidata.yaml").read_text(encoding="utf-8") == snapshot


def test_a_failed_refresh_changes_nothing_and_says_why(kitchen_sink, standin):
    refresh(kitchen_sink, standin)
    path = kitchen_sink.graph_dir / "reference" / "wikidata.yaml"
    before = path.read_bytes()
    result = run(kitchen_sink, "link", "--refresh", "--endpoint", "http://127.0.0.1:9/sparql",
                 "--cache-dir", str(kitchen_sink.root / "other-cache"))
    assert result.exit_code == 1
    assert "cannot reach http://127.0.0.1:9/sparql" in result.stderr
    assert "The snapshot was not changed" in result.stderr
    assert path.read_bytes() == before


def live(kg, project, name: str, standin, **values: str) -> list[dict]:
    """Run a federated example with its SERVICE pointed at the stand-in instead of Wikidata."""
    stored = queries.get(project.queries_dir, name)
    assert not stored.offline and "SERVICE <https://query.wikidata.org/sparql>" in stored.text
    result = kg.store.query(stored.text.replace("https://query.wikidata.org/sparql", standin.url), stored.bind(values))
    return [{v: str(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_the_federated_examples_join_our_links_with_the_remote_endpoint(kitchen_sink, standin, backend):
    refresh(kitchen_sink, standin)
    run_build(kitchen_sink)
    kg = open_dataset(kitchen_sink, backend=backend)
    members = {row["name"]: row for row in live(kg, kitchen_sink, "wikidata-members-heads-live", standin)}
    assert set(members) == {"France", "Germany", "United Kingdom", "Ukraine", "Austria"}
    assert members["France"]["headOfState"] == "Emmanuel Macron" and members["France"]["population"] == "68000000"
    names = {row["name"]: row["label"] for row in live(kg, kitchen_sink, "wikidata-names-in-language-live", standin,
                                                         language="fr")}
    assert names == {"Austria": "Autriche", "France": "France", "Germany": "Allemagne"}


# --------------------------------------------------------------------------------------
# Offline: from the snapshot


def test_link_without_refresh_needs_no_network_and_reads_the_snapshot(kitchen_sink, standin):
    online = refresh(kitchen_sink, standin)
    offline = run(kitchen_sink, "link", "--format", "json")
    assert offline.exit_code == 0, offline.output
    assert json.loads(offline.stdout) == online


def test_an_entity_added_after_the_snapshot_is_reported_as_not_asked_yet(kitchen_sink, standin):
    refresh(kitchen_sink, standin)
    edit(kitchen_sink, "reference/people.yaml",
         lambda people: people.append({"id": "new-person", "name": "New Person", "wikidata": "Q42",
                                       "wikidata_status": "unverified"}))
    report = json.loads(run(kitchen_sink, "link", "--format", "json").stdout)
    assert review(report)["person/new-person"]["reason"] == (
        "not in the snapshot, which is older than this entity: run `coalition-kg link --refresh`")


def test_link_without_a_snapshot_says_how_to_make_one(kitchen_sink):
    result = run(kitchen_sink, "link")
    assert result.exit_code == 2
    assert "no Wikidata snapshot at graph/reference/wikidata.yaml" in result.output
    assert "coalition-kg link --refresh" in result.output


def test_an_endpoint_without_refresh_is_a_usage_error(kitchen_sink):
    result = run(kitchen_sink, "link", "--endpoint", "http://127.0.0.1:9/sparql")
    assert result.exit_code == 2 and "--endpoint is used with --refresh only" in result.output


def test_a_hand_edited_snapshot_item_is_refused_with_its_line(kitchen_sink, standin):
    refresh(kitchen_sink, standin)
    path = kitchen_sink.graph_dir / "reference" / "wikidata.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("value: Q7184, start: '1949'", "value: NATO, start: '1949'"), encoding="utf-8")
    line = next(n for n, l in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if l.startswith("  Q142:"))
    result = run(kitchen_sink, "link")
    assert result.exit_code == 1
    assert f"graph/reference/wikidata.yaml:{line}: Q142: statement 3: expected property (P…) and value (Q…)" in result.stderr


def test_a_broken_snapshot_stops_the_build_with_file_line_and_field(kitchen_sink, standin):
    refresh(kitchen_sink, standin)
    run_build(kitchen_sink)
    built = (kitchen_sink.out_dir / "graph" / "dataset.nq").read_bytes()
    path = kitchen_sink.graph_dir / "reference" / "wikidata.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("retrieved: '", "retrieved: 'not a date "), encoding="utf-8")
    result = run(kitchen_sink, "build")
    assert result.exit_code == 1
    assert "graph/reference/wikidata.yaml:4: retrieved: expected a date like 2026-11-30" in result.stderr
    assert (kitchen_sink.out_dir / "graph" / "dataset.nq").read_bytes() == built


def test_the_shipped_snapshot_links_every_state_and_organisation(shipped):
    result = run(shipped, "link", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    states = {s["iso3"] for s in yaml.safe_load((shipped.graph_dir / "reference" / "states.yaml").read_text())}
    orgs = {o["id"] for o in yaml.safe_load((shipped.graph_dir / "reference" / "organizations.yaml").read_text())}
    linked = links(report)
    assert {k.split("/")[1] for k in linked if k.startswith("state/")} == states
    # Two organisations have no Wikidata item anyone could confirm: reported, not guessed.
    assert {k.split("/")[1] for k in linked if k.startswith("org/")} == orgs - {"EPC", "MNF-U"}
    assert {k.split("/")[1] for k in review(report) if k.startswith("org/")} == {"EPC", "MNF-U"}
    people = {p["id"] for p in yaml.safe_load((shipped.graph_dir / "reference" / "people.yaml").read_text())}
    reported = {k.split("/")[1] for k in review(report) if k.startswith("person/")}
    assert reported | {k.split("/")[1] for k in linked if k.startswith("person/")} == people
