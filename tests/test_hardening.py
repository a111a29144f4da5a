"""Bad input of every kind gets a clear message and a non-zero exit, and the last build survives.

The cases are a table: curated files (beyond the 17 kinds of tests/test_bad_input.py), ingested
documents, stored-query parameters (including SPARQL injection attempts) and command-line
arguments. Each case runs the real command on a built copy of the kitchen sink and checks
three promises: the message, the exit code, and that every file of the previous build is
byte-for-byte what it was (nothing half-written, nothing lost).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from coalition_kg.build import run_build
from coalition_kg.cli import main
from coalition_kg.project import Project

from .conftest import KITCHEN_SINK, ROOT, copy_project
from .test_bad_input import replace, snapshot

DOCUMENT = "Leaders met in Paris on 27 March 2025. France and the United Kingdom attended.\n"


@dataclass
class Case:
    kind: str                                        # curated, document, parameter, argument
    prepare: Callable[[Project, Path], list[str]]   # makes the bad input; returns the CLI arguments
    message: str                                     # must appear in the output


def curated(file: str, change: Callable[[str], str | bytes]) -> Callable[[Project, Path], list[str]]:
    """Change one curated file, then build."""
    def prepare(project: Project, tmp: Path) -> list[str]:
        path = project.graph_dir / file
        changed = change(path.read_text(encoding="utf-8"))
        path.write_bytes(changed if isinstance(changed, bytes) else changed.encode("utf-8"))
        return ["build", "--quiet"]
    return prepare


def with_extraction_rules(project: Project) -> None:
    """The kitchen sink has no extraction rules of its own; ingesting needs the shipped ones."""
    shutil.copytree(ROOT / "graph" / "extraction", project.graph_dir / "extraction", dirs_exist_ok=True)


def empty_folder(project: Project, tmp: Path) -> list[str]:
    with_extraction_rules(project)
    (tmp / "folder").mkdir()
    return ["ingest", str(tmp / "folder")]


def document(content: str | bytes, name: str = "article.txt", *options: str) -> Callable[[Project, Path], list[str]]:
    """Write a document, then ingest it with ``options`` (a good date and type unless overridden)."""
    def prepare(project: Project, tmp: Path) -> list[str]:
        with_extraction_rules(project)
        path = tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        defaults = [] if "--issued" in options else ["--issued", "2025-03-27"]
        return ["ingest", str(path), *defaults, *options, "--quiet"]
    return prepare


def command(*args: str) -> Callable[[Project, Path], list[str]]:
    return lambda project, tmp: list(args)


def tampered_source(version_file: str) -> Callable[[Project, Path], list[str]]:
    """A registered document whose source.yaml was edited by hand to point elsewhere, then a build."""
    def prepare(project: Project, tmp: Path) -> list[str]:
        folder = project.graph_dir / "sources" / "article"
        folder.mkdir(parents=True)
        (folder / "v1.txt").write_text(DOCUMENT)
        (folder / "source.yaml").write_text("issued: '2025-03-27'\nversions:\n- {file: '" + version_file +
                                            "', sha256: '" + "0" * 64 + "'}\n")
        return ["build", "--quiet"]
    return prepare


SCRIPT = "<script>alert(1)</script>"
CASES: dict[str, Case] = {
    # -- curated files ----------------------------------------------------------------------------
    "future date": Case("curated", curated("curated/pledges.yaml", replace("date: 2025-03-02", "date: 2999-03-02")),
                        "graph/curated/pledges.yaml:1: pledge:gbr-2025-03-02-air-defence-finance is dated after today"),
    "month 13": Case("curated", curated("curated/statements.yaml", replace("date: 2025-03-27", "date: 2025-13-27")),
                     "curated/statements.yaml:3: date: 2025-13-27 is not a real date"),
    "date in words": Case("curated", curated("curated/pledges.yaml", replace("date: 2025-03-02", "date: 2 March 2025")),
                          "curated/pledges.yaml:10: date: "),
    "negative quantity": Case("curated", curated("curated/pledges.yaml", replace("quantity: 1600000000", "quantity: -5")),
                              "curated/pledges.yaml:6: quantity:"),
    "script in a summary": Case("curated", curated("curated/pledges.yaml", replace(
        "summary: Export finance for air-defence missiles", f"summary: 'Export finance {SCRIPT}'")),
        "curated/pledges.yaml:5: summary: text contains markup (<script>)"),
    "markup in a name": Case("curated", curated("reference/people.yaml", replace(
        "name: Keir Starmer", "name: <b onmouseover=alert(1)>Keir</b>")),
        "reference/people.yaml:7: name: text contains markup (<b onmouseover=alert(1)>)"),
    "javascript link in a note": Case("curated", curated("curated/meetings.yaml", replace(
        "participant: USA, attendance: absent}", "participant: USA, attendance: absent, note: 'javascript:alert(1)'}")),
        "curated/meetings.yaml:35: participants[3].note: text contains markup (javascript:)"),
    "path traversal in an id": Case("curated", curated("curated/pledges.yaml", replace(
        "id: gbr-2025-03-02-air-defence-finance", "id: ../../../etc/passwd")),
        "curated/pledges.yaml:1: id: expected a lower-case slug such as 'emmanuel-macron', got '../../../etc/passwd'"),
    "unknown person": Case("curated", curated("curated/statements.yaml", replace("speaker: olaf-scholz",
                                                                                   "speaker: olaf-scholtz")),
                           "curated/statements.yaml:2: speaker: unknown person 'olaf-scholtz' (did you mean 'olaf-scholz'?)"),
    "unknown coalition": Case("curated", curated("curated/memberships.yaml", replace(
        "{member: GBR, coalition: coalition-of-the-willing", "{member: GBR, coalition: coalition-of-the-unwilling")),
        "curated/memberships.yaml:1: coalition: unknown coalition 'coalition-of-the-unwilling'"),
    "duplicate source": Case("curated", curated("curated/sources.yaml", lambda text: text + text.splitlines(True)[1]),
                             "curated/sources.yaml:"),
    "duplicate person": Case("curated", curated("reference/people.yaml", lambda text: text + text.split("- id: keir-starmer")[0]),
                             "reference/people.yaml:"),
    "list instead of text": Case("curated", curated("curated/pledges.yaml", replace(
        "summary: Export finance for air-defence missiles", "summary: [Export, finance]")),
        "curated/pledges.yaml:5: summary: expected text, got a list"),
    "text instead of a list": Case("curated", curated("curated/pledges.yaml", replace("pledgers: [GBR]", "pledgers: 7")),
                                   "curated/pledges.yaml:2: pledgers[0]: unknown state or org or coalition '7'"),
    "oversized text": Case("curated", curated("curated/pledges.yaml", replace(
        "summary: Export finance for air-defence missiles", "summary: " + "x" * 3000)),
        "curated/pledges.yaml:5: summary: text is 3000 characters long; at most 2000 allowed"),
    "oversized file": Case("curated", curated("curated/attributes.yaml", lambda text: text + "#" * 10_500_000 + "\n"),
                           "curated/attributes.yaml: file is 10.5 MB; at most 10 MB allowed"),
    "alias bomb": Case("curated", curated("curated/attributes.yaml", lambda text: (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n')),
        "curated/attributes.yaml:2: invalid YAML: aliases (*name) are not allowed in data files"),
    "NUL bytes": Case("curated", curated("curated/pledges.yaml", lambda text: text.encode() + b"\x00\x00"),
                      "curated/pledges.yaml:"),
    "UTF-16 file": Case("curated", curated("curated/meetings.yaml", lambda text: text.encode("utf-16")),
                        "curated/meetings.yaml: not UTF-8 text"),
    "tab indentation": Case("curated", curated("curated/pledges.yaml", replace("  beneficiary: UKR", "\tbeneficiary: UKR")),
                            "curated/pledges.yaml:3: invalid YAML"),
    "python object tag": Case("curated", curated("curated/attributes.yaml", lambda text:
                                                 "- !!python/object/apply:os.system ['touch /tmp/pwned']\n"),
                              "curated/attributes.yaml:1: invalid YAML"),
    "registered version outside its folder": Case("curated", tampered_source("../../../../etc/passwd"),
                                                  "graph/sources/article/source.yaml:3: versions[0].file: expected a "
                                                  "file name such as v1.txt"),
    # -- ingested documents ---------------------------------------------------------------------------
    "empty document": Case("document", document(""), "article.txt: the document is empty"),
    "binary document": Case("document", document(bytes(range(256)) * 4), "article.txt"),
    "Latin-1 document": Case("document", document("Pr\xe9sident Macron met leaders in Paris.\n".encode("latin-1")),
                             "article.txt: not valid UTF-8 text (byte 2); give the right one with --encoding"),
    "oversized document": Case("document", document("Leaders met in Paris. " * 120_000), "article.txt"),
    "markup only": Case("document", document("<html><body><script>alert(1)</script></body></html>", "page.html"),
                        "page.html: the document has no text"),
    "impossible publication date": Case("document", document(DOCUMENT, "article.txt", "--issued", "2025-02-30"),
                                        "issued: 2025-02-30 is not a real date"),
    "unknown source type": Case("document", document(DOCUMENT, "article.txt", "--type", "rumour"),
                                "type: unknown source-type 'rumour'"),
    "unknown publisher": Case("document", document(DOCUMENT, "article.txt", "--publisher", "nobody"),
                              "publisher: unknown publisher 'nobody'"),
    "script in a title": Case("document", document(DOCUMENT, "article.txt", "--title", SCRIPT),
                              "title: text contains markup (<script>)"),
    "javascript URL": Case("document", document(DOCUMENT, "article.txt", "--url", "javascript:alert(1)"),
                           "url: expected an http(s) URL, got 'javascript:alert(1)'"),
    "bad encoding name": Case("document", document(DOCUMENT, "article.txt", "--encoding", "../../utf8"),
                              "encoding: expected an encoding name such as 'latin-1'"),
    "not a document": Case("document", empty_folder, "no documents (.txt, .md, .html) found"),
    "missing file": Case("document", command("ingest", "no-such-article.txt"), "does not exist"),
    # -- stored-query parameters --------------------------------------------------------------------
    "injection in a date": Case("parameter", command("query", "members-as-of", "-p",
                                                     'date=2025-01-01"^^xsd:date } UNION { ?s ?p ?o } #'),
                                "parameter 'date' expects a date like 2025-03-27"),
    "injection in a state": Case("parameter", command("query", "office-holders-on", "-p", "state=FRA> } ?s ?p ?o #"),
                                 "parameter 'state' expects a state code such as FRA or an organisation id such as NATO"),
    "injection in a meeting": Case("parameter", command("query", "meeting-attendance", "-p",
                                                        'meeting=x" . ?s ?p ?o . FILTER("1'),
                                   "parameter 'meeting' expects a meeting id"),
    "injection in a concept": Case("parameter", command("query", "pledges-by-condition", "-p",
                                                        "condition=after-ceasefire> ; DROP ALL"),
                                   "parameter 'condition' expects a pledge-condition concept slug"),
    "injection in an IRI": Case("parameter", command("query", "claim-sources", "-p",
                                                     "claimType=https://x.org/a> } INSERT DATA { <a> <b> <c>"),
                                "expects an IRI"),
    "impossible date parameter": Case("parameter", command("query", "members-as-of", "-p", "date=2025-02-30"),
                                      "parameter 'date' expects a date like 2025-03-27, got '2025-02-30'"),
    "unknown parameter": Case("parameter", command("query", "members-as-of", "-p", "when=2025-01-01"),
                              "query 'members-as-of' has no parameter 'when'"),
    "parameter without a value": Case("parameter", command("query", "members-as-of", "-p", "date"),
                                      "expected NAME=VALUE, got 'date'"),
    # -- command-line arguments ---------------------------------------------------------------------
    "path traversal in a query name": Case("argument", command("query", "../../etc/passwd"),
                                           "no stored query named '../../etc/passwd'"),
    "query from a subfolder": Case("argument", command("query", "checks/claim-without-evidence"),
                                   "no stored query named 'checks/claim-without-evidence'"),
    "unknown command": Case("argument", command("destroy"), "No such command 'destroy'"),
    "unknown backend": Case("argument", command("query", "members-as-of", "--backend", "postgres"),
                            "unknown store 'postgres'"),
    "unknown format": Case("argument", command("query", "members-as-of", "--format", "xlsx"),
                           "Invalid value for '--format'"),
    "SPARQL update": Case("argument", command("sparql", "DROP ALL"), "the query failed"),
    "SPARQL insert": Case("argument", command("sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"), "the query failed"),
    "federated query": Case("argument", command("sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
                            "SERVICE (a federated query) is not allowed"),
    "malformed SPARQL": Case("argument", command("sparql", "SELECT ?s WHERE { ?s ?p }"), "the query failed"),
    "unknown entity": Case("argument", command("explain", "../../etc/passwd"), "../../etc/passwd"),
}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> tuple[Project, dict[str, bytes]]:
    """One built kitchen sink for the cases that only read (parameters, arguments)."""
    project = copy_project(KITCHEN_SINK, tmp_path_factory.mktemp("hardening") / "project")
    run_build(project)
    return project, snapshot(project.out_dir / "graph")


def test_there_are_at_least_forty_cases_of_every_kind():
    kinds = {kind: sum(1 for c in CASES.values() if c.kind == kind) for kind in ("curated", "document", "parameter",
                                                                                  "argument")}
    assert sum(kinds.values()) >= 40 and min(kinds.values()) >= 5, kinds


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_a_message_a_non_zero_exit_and_the_last_build_survives(name, kitchen_sink, built_once, tmp_path):
    case = CASES[name]
    if case.kind in ("parameter", "argument"):
        project, before = built_once
    else:
        project = kitchen_sink
        run_build(project)
        before = snapshot(project.out_dir / "graph")
    args = case.prepare(project, tmp_path)
    result = CliRunner().invoke(main, [*args, "--root", str(project.root)] if args[0] != "destroy" else args)
    output = result.output + result.stderr
    assert result.exit_code in (1, 2), output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert case.message in output, output
    assert snapshot(project.out_dir / "graph") == before
