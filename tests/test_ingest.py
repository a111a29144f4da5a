"""Ingesting news documents: claims in the document's own graph, evidence that round-trips,
reader comments kept apart, versions, and bad documents refused without harm."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF

from coalition_kg.cli import main
from coalition_kg.documents import Rules, read_document
from coalition_kg.namespaces import CKG, PROV, concept, iri, source_graph

from .conftest import KITCHEN_SINK, ROOT, copy_project

CORPUS = ROOT.parent / "shared" / "corpus"
EVAL = ROOT / "tests" / "data" / "eval"
REPORT = CORPUS / "000_e9caa871c230763e.txt"
OPINION = CORPUS / "004_605168fb26b62d92.txt"
needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is not beside the project")


@pytest.fixture
def project(tmp_path):
    """A copy of the shipped project (curated data included) to ingest into."""
    return copy_project(ROOT, tmp_path / "project")


def ingest(project, *args: str):
    return CliRunner().invoke(main, ["ingest", "--root", str(project.root), "--quiet", *args])


def dataset(project) -> Dataset:
    data = Dataset(default_union=True)
    data.parse(project.out_dir / "graph" / "dataset.nq", format="nquads")
    return data


def graph_of(project, source_id: str):
    return dataset(project).graph(source_graph(source_id))


@pytest.fixture
def corpus_ingested(project):
    assert ingest(project, str(REPORT), "--meta", str(EVAL / "corpus-000.meta.yaml")).exit_code == 0
    result = ingest(project, str(OPINION), "--meta", str(EVAL / "corpus-004.meta.yaml"))
    assert result.exit_code == 0, result.output
    return project


def source_ids(project) -> dict[str, str]:
    ids = {}
    for meta in (project.graph_dir / "sources").glob("*/source.yaml"):
        ids[yaml.safe_load(meta.read_text())["versions"][0]["file"] + meta.parent.name] = meta.parent.name
    return {("report" if "united24" in v else "opinion"): v for v in ids.values()}


@needs_corpus
def test_the_news_report_becomes_claims_in_its_own_graph(corpus_ingested):
    ids = source_ids(corpus_ingested)
    graph = graph_of(corpus_ingested, ids["report"])
    meeting = iri("meeting", "2025-03-27-paris")
    participants = {str(o).rsplit("/", 1)[1] for c in graph.subjects(CKG.meeting, meeting)
                    for o in graph.objects(c, CKG.participant)}
    assert {"FRA", "GBR", "DEU", "UKR", "TUR", "CAN", "AUT", "AUS", "POL"} <= participants
    absent = [c for c in graph.subjects(CKG.attendance, concept("attendance", "absent"))]
    assert [str(graph.value(c, CKG.participant)).rsplit("/", 1)[1] for c in absent] == ["USA"]
    ambassadors = {str(graph.value(c, CKG.participant)).rsplit("/", 1)[1]
                   for c in graph.subjects(CKG.capacity, concept("capacity", "ambassador"))}
    assert ambassadors == {"AUT", "AUS", "CAN"}
    speakers = {str(o).rsplit("/", 1)[1] for o in graph.objects(None, CKG.speaker)}
    assert {"emmanuel-macron", "keir-starmer", "olaf-scholz", "donald-tusk"} <= speakers
    pledge = next(graph.subjects(CKG.condition, concept("pledge-condition", "parliamentary-approval")))
    assert graph.value(pledge, CKG.status) == concept("pledge-status", "considered")
    # The claims are this source's: no claim of the report sits in the curated graph.
    assert not list(dataset(corpus_ingested).graph(URIRef("https://w3id.org/coalition-kg/graph/curated"))
                    .triples((next(iter(absent)), None, None)))


@needs_corpus
def test_every_evidence_excerpt_is_the_source_text_at_its_offsets(corpus_ingested):
    rules = Rules.load(corpus_ingested.graph_dir / "extraction")
    data = dataset(corpus_ingested)
    for source_id in source_ids(corpus_ingested).values():
        folder = corpus_ingested.graph_dir / "sources" / source_id
        text = read_document(folder / "v1.txt", rules).text
        evidence = list(data.graph(source_graph(source_id)).subjects(RDF.type, CKG.Evidence))
        assert len(evidence) > 20
        for node in evidence:
            start, end = int(data.value(node, CKG.charStart)), int(data.value(node, CKG.charEnd))
            assert text[start:end] == str(data.value(node, CKG.excerpt))


@needs_corpus
def test_reader_comments_are_a_separate_weak_source_and_never_claims(corpus_ingested):
    opinion = source_ids(corpus_ingested)["opinion"]
    data = dataset(corpus_ingested)
    comments = iri("source", f"{opinion}-comments")
    assert (comments, CKG.commentsOn, iri("source", opinion)) in data
    assert data.value(comments, CKG.sourceType) == concept("source-type", "reader-comment")
    assert data.value(comments, CKG.reliability) == concept("reliability", "low")
    assert int(data.value(comments, CKG.commentCount)) == 23
    comment_start = int(data.value(comments, CKG.charStart))
    article = data.graph(source_graph(opinion))
    starts = [int(o) for o in article.objects(None, CKG.charStart)]
    assert starts and max(starts) < comment_start  # nothing was mined from the comments
    # "France is willing to send 15.000 troops" is a reader's claim: no such pledge anywhere.
    assert not [q for q in data.objects(None, CKG.quantityText) if "15.000" in str(q)]


@needs_corpus
def test_the_disagreement_over_who_signed_on_6_january_2026_is_listed_with_both_sides(corpus_ingested):
    result = CliRunner().invoke(main, ["query", "contradictions", "--format", "json", "--root",
                                       str(corpus_ingested.root)])
    rows = json.loads(result.output)
    listed = [r for r in rows if r["kind"] == "signatory list"
              and r["subject"] == "declaration/2026-01-06-paris-declaration state/UKR"]
    assert listed, rows
    assert "only two countries signed" in listed[0]["valueB"]
    assert "Euromaidan Press" in listed[0]["according_to_A"]           # curated, weak source
    assert "[Opinion" in listed[0]["according_to_B"]                     # the opinion piece itself
    usa = [r for r in rows if r["subject"] == "declaration/2026-01-06-paris-declaration state/USA"]
    assert "[Opinion" in usa[0]["according_to_B"]  # it says the US did not sign, against "US endorsed"


@needs_corpus
def test_the_ingest_report_says_what_was_found_and_what_contradicts_the_reference_data(project):
    result = ingest(project, str(OPINION), "--meta", str(EVAL / "corpus-004.meta.yaml"))
    assert "claims:" in result.output and "signature" in result.output
    assert "reader comments: 23, kept as a separate low-reliability source" in result.output
    assert "contradicts reference data: jared-kushner is not usa-president" in result.output


@needs_corpus
def test_ingesting_again_changes_nothing_and_a_changed_text_is_a_new_version(project, tmp_path):
    args = ["--meta", str(EVAL / "corpus-000.meta.yaml")]
    ingest(project, str(REPORT), *args)
    first = (project.out_dir / "graph" / "dataset.nq").read_bytes()
    again = ingest(project, str(REPORT), *args)
    assert "version 1, unchanged" in again.output
    assert (project.out_dir / "graph" / "dataset.nq").read_bytes() == first

    changed = tmp_path / "000_e9caa871c230763e.txt"
    changed.write_text(REPORT.read_text() + "\nUpdate: Lithuania's president also attended.\n")
    result = ingest(project, str(changed), *args)
    assert "version 2" in result.output
    source_id = source_ids(project)["report"]
    data = dataset(project)
    versions = sorted(str(v) for v in data.subjects(CKG.versionOf, iri("source", source_id)))
    assert [v.rsplit("/", 1)[1] for v in versions] == ["v1", "v2"]
    assert (iri("source", source_id), CKG.latestVersion, iri("source", source_id, "v2")) in data
    assert not list(data.triples((None, PROV.wasDerivedFrom, iri("evidence", "none"))))


def test_a_document_with_no_date_is_mined_and_marked_undated(project, tmp_path):
    document = tmp_path / "note.txt"
    document.write_text("Keir Starmer said the United Kingdom is ready to send troops to Ukraine after a ceasefire.\n")
    result = ingest(project, str(document), "--type", "news-report")
    assert result.exit_code == 0, result.output
    assert "undated: no publication date" in result.output
    data = dataset(project)
    assert (iri("source", "note"), CKG.undated, Literal(True)) in data
    assert list(data.graph(source_graph("note")).subjects(RDF.type, CKG.Pledge))


BAD_DOCUMENTS = {
    "empty file": (b"   \n", "the document is empty"),
    "binary file": (bytes(range(256)) * 4, "binary file"),
    "wrong encoding": ("Coalition de la volonté réunie à Paris".encode("latin-1"), "not valid UTF-8"),
    "enormous file": (b"word " * 500_000, "the limit is 2,000,000"),
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_a_bad_document_is_refused_and_nothing_changes(project, tmp_path, name):
    content, message = BAD_DOCUMENTS[name]
    CliRunner().invoke(main, ["build", "--root", str(project.root), "--quiet"])
    before = (project.out_dir / "graph" / "dataset.nq").read_bytes()
    document = tmp_path / "bad.txt"
    document.write_bytes(content)
    result = ingest(project, str(document), "--issued", "2025-03-27")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Nothing was ingested" in result.stderr
    assert not (project.graph_dir / "sources").exists() or not list((project.graph_dir / "sources").iterdir())
    assert (project.out_dir / "graph" / "dataset.nq").read_bytes() == before


def test_html_scripts_and_page_furniture_never_reach_the_graph(project, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("""<html><head><script>alert("x")</script><style>p{}</style></head><body>
      <nav>Home | World | Subscribe</nav>
      <article><h1>Leaders meet in Paris</h1>
      <p>French President Emmanuel Macron hosted a meeting of the coalition in Paris today.</p>
      <p>Leaders from Germany and Poland attended, while the United States was absent.</p>
      <script>document.write("<p>Hungary attended</p>")</script></article>
      <footer>© Example News</footer></body></html>""")
    result = ingest(project, str(page), "--issued", "2025-03-27", "--url", "https://news.example.org/p")
    assert result.exit_code == 0, result.output
    text = read_document(page, Rules.load(project.graph_dir / "extraction")).text
    assert "alert" not in text and "Hungary" not in text and "Subscribe" not in text
    data = dataset(project)
    graph_ids = [g.identifier for g in data.graphs() if "/graph/source/" in str(g.identifier)]
    participants = {str(o).rsplit("/", 1)[1] for g in graph_ids for o in data.graph(g).objects(None, CKG.participant)}
    assert participants == {"DEU", "POL", "USA"}


def test_bad_metadata_is_refused_with_the_field_named(project, tmp_path):
    document = tmp_path / "note.txt"
    document.write_text("Keir Starmer met Emmanuel Macron in Paris today.\n")
    result = ingest(project, str(document), "--issued", "2025-02-30")
    assert result.exit_code == 1
    assert "issued: 2025-02-30 is not a real date" in result.stderr
    result = ingest(project, str(document), "--type", "gossip")
    assert "unknown source-type 'gossip'" in result.stderr


def test_a_project_without_extraction_rules_is_told_which_file_is_missing(tmp_path):
    project = copy_project(KITCHEN_SINK, tmp_path / "project")  # the kitchen sink has no graph/extraction/
    article = tmp_path / "article.txt"
    article.write_text("PARIS, 6 January 2026 — France pledged troops.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--root", str(project.root), str(article), "--issued", "2026-01-06",
                                       "--url", "https://example.org/a", "--title", "A", "--type", "news-report"])
    assert result.exit_code == 1
    assert "graph/extraction/structure.yaml: cannot read file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (project.graph_dir / "sources").exists()
