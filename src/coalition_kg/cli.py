"""The ``coalition-kg`` command: one verb per job, each a thin layer over a library function.

Exit codes: 0 success; 1 the data is invalid or a quality check failed; 2 a usage error
(unknown option, bad parameter value, missing build).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__, queries, stats as stats_module, tables
from .api import NotBuiltError, dataset_path, open_dataset
from .build import run_build
from .checks import run_checks
from .documents import DocumentError, Rules
from .evaluate import evaluate, table
from .explain import UnknownEntity, explain as explain_entity, resolve, to_text
from .ingest import documents_in, metadata_for, register, restore, snapshot
from .load import load_data
from .namespaces import shorten
from .project import Project
from .store import open_store, parse_spec
from .yamlfile import DataError

root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Project folder (default: the checkout you are in, or $COALITION_KG_ROOT).")
class StoreSpec(click.ParamType):
    """A store named by one string (see store.py): checked before anything is opened."""

    name = "STORE"

    def convert(self, value, param, ctx):
        try:
            parse_spec(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return value


backend_option = click.option("--store", "--backend", "backend", type=StoreSpec(), default="oxigraph", show_default=True,
                              help="memory, oxigraph, oxigraph:PATH (persistent) or a SPARQL endpoint URL; "
                                   "all give the same answers.")
format_option = click.option("--format", "fmt", type=click.Choice(tables.FORMATS), default="table", show_default=True,
                             help="table for people; csv or json (full IRIs) for other tools.")


class Progress:
    """Prints each step with the time it took, on stderr, so stdout stays clean for data."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.start = self.last = time.perf_counter()

    def __call__(self, message: str) -> None:
        now = time.perf_counter()
        if not self.quiet:
            click.echo(f"[{now - self.start:5.1f}s] {message}", err=True)
        self.last = now


def _open(root: Path | None, backend: str):
    try:
        return open_dataset(root, backend)
    except NotBuiltError as exc:
        raise click.UsageError(str(exc)) from None


def _fail_data(exc: DataError) -> None:
    click.echo(str(exc), err=True)
    click.echo("Nothing was written; the previous build (if any) is unchanged.", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="coalition-kg")
def main() -> None:
    """A knowledge graph of coalition membership and commitments, with a source for every claim.

    \b
    Typical session:
      coalition-kg build                              # check graph/ and build out/graph/
      coalition-kg queries                            # the stored analyst questions
      coalition-kg query members-as-of --param date=2025-06-01
      coalition-kg explain FRA                        # everything about France, with sources
      coalition-kg stats                              # counts; claims without evidence must be 0
    """


@main.command()
@root_option
@click.option("--quiet", "-q", is_flag=True, help="Do not print progress.")
def build(root: Path | None, quiet: bool) -> None:
    """Check the data and build the RDF dataset into out/graph/.

    Reads ontology/, graph/reference/ and graph/curated/, checks every record (an error
    names file, line and field, and nothing is written), then writes the dataset as
    TriG, N-Quads, Turtle (all graphs merged) and JSON-LD, with build-report.json.
    Two builds of the same input give byte-identical files; a failed build leaves the
    previous output untouched.

    \b
    Example:
      coalition-kg build
    """
    project = Project.find(root)
    progress = Progress(quiet)
    try:
        report = run_build(project, progress)
    except DataError as exc:
        _fail_data(exc)
    progress("done")
    folder = project.out_dir / "graph"
    classes = {shorten(k): v for k, v in report.classes.items()}
    click.echo(f"Built {sum(report.graphs.values())} triples in {len(report.graphs)} named graphs.")
    for name in ("Meeting", "Participation", "Declaration", "Signature", "Pledge", "Statement", "Membership",
                 "Person", "OfficeTerm", "Source", "Evidence"):
        click.echo(f"  {name:<14} {classes.get('ckg:' + name, 0):>6}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Outputs in {folder}/: {', '.join(f.name for f in sorted(folder.iterdir()))}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--meta", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML file with the metadata (instead of a <file>.meta.yaml beside each document).")
@click.option("--title", help="Title of the document.")
@click.option("--publisher", help="Publisher id from graph/reference/publishers.yaml.")
@click.option("--url", help="Where the document was published; also identifies it.")
@click.option("--issued", help="Publication date: 2025-03-27, or 2026-01 when only the month is known.")
@click.option("--type", "source_type", help="Source type: news-report, opinion, official-statement, analysis, ...")
@click.option("--language", help="Declared language code (default: detected per passage).")
@click.option("--encoding", help="Text encoding when not UTF-8, e.g. latin-1.")
@root_option
@click.option("--quiet", "-q", is_flag=True, help="Do not print progress.")
def ingest(paths, meta, title, publisher, url, issued, source_type, language, encoding, root, quiet) -> None:
    """Add news documents (.txt, .md, .html; files or folders) and mine them into the graph.

    Each document gets its own named graph holding the claims extracted from it — meetings,
    participations, signatures, pledges, statements — each with the sentence it came from
    (character offsets into the text), the rule and a confidence. Reader comments become a
    separate low-reliability source; passages not in English are kept but not mined.
    Metadata comes from a <file>.meta.yaml beside the document, --meta, or the options.
    Ingesting the same document again changes nothing; a changed document is a new version.

    \b
    Example:
      coalition-kg ingest article.txt --issued 2025-03-27 --type news-report \\
          --url https://example.org/article --title "Leaders meet in Paris"
    """
    project = Project.find(root)
    progress = Progress(quiet)
    options = {"title": title, "publisher": publisher, "url": url, "issued": issued, "type": source_type,
               "language": language, "encoding": encoding}
    rules = Rules.load(project.graph_dir / "extraction")
    files = documents_in(list(paths))
    if not files:
        raise click.UsageError("no documents (.txt, .md, .html) found in the paths given")
    before = snapshot(project)
    try:
        registered = [register(project, f, metadata_for(f, meta, options), rules) for f in files]
        report = run_build(project, progress)
    except (DataError, DocumentError) as exc:
        restore(project, before)
        click.echo(str(exc), err=True)
        click.echo("Nothing was ingested; the graph and the last build are unchanged.", err=True)
        sys.exit(1)
    except BaseException:
        restore(project, before)
        raise
    for item, path in zip(registered, files):
        click.echo(ingest_report(item, path, report.sources.get(item.source_id, {})), nl=False)


def ingest_report(item, path: Path, summary: dict) -> str:
    state = f"version {item.version}" + ("" if item.changed else ", unchanged")
    lines = [f"{path} → source:{item.source_id} ({state}), graph graph:source/{item.source_id}"]
    claims = summary.get("claims", {})
    lines.append("  claims: " + (", ".join(f"{n} {kind}" for kind, n in claims.items()) or "none"))
    if summary.get("undated"):
        lines.append("  undated: no publication date, so relative dates were not resolved")
    if summary.get("reader_comments"):
        lines.append(f"  reader comments: {summary['reader_comments']}, kept as a separate low-reliability "
                     f"source (source:{item.source_id}-comments), not mined")
    for passage in summary.get("unmined_passages", []):
        lines.append(f"  not mined: passage at {passage['start']}-{passage['end']} ({passage['language']})")
    if summary.get("unknown_names"):
        lines.append("  unknown names: " + "; ".join(summary["unknown_names"]))
    for wrong in summary.get("wrong_office_attributions", []):
        lines.append(f"  contradicts reference data: {wrong}")
    return "\n".join(lines) + "\n"


@main.command("eval")
@click.option("--set", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Folder of <name>.gold.yaml files (default: tests/data/eval).")
@click.option("--errors", is_flag=True, help="Also list every missed and spurious claim per document.")
@root_option
def evaluate_command(folder: Path | None, errors: bool, root: Path | None) -> None:
    """Score the extractor against gold annotations: precision, recall and F1 per claim type.

    Extracts from every gold-annotated document and compares the claims found with the
    gold ones (see tests/data/eval/README.md). Also checks that no claim comes from a
    reader comment.

    \b
    Example:
      coalition-kg eval
      coalition-kg eval --errors
    """
    project = Project.find(root)
    result = evaluate(project, folder or project.root / "tests" / "data" / "eval")
    click.echo(tables.table(["claim type", "gold", "found", "precision", "recall", "F1"], table(result)), nl=False)
    click.echo(f"documents: {len(result.documents)}; claims from reader comments counted as reporting: "
               f"{result.comment_claims}")
    for skipped in result.skipped:
        click.echo(f"skipped: {skipped}", err=True)
    if errors:
        for name, problems in result.errors.items():
            if problems:
                click.echo(f"\n{name}:")
                click.echo("\n".join(f"  {p}" for p in problems))


@main.command("queries")
@root_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_queries(root: Path | None, fmt: str) -> None:
    """List the stored analyst questions with their parameters.

    \b
    Example:
      coalition-kg queries
    """
    stored = queries.load_all(Project.find(root).queries_dir)
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "params": [vars(p) for p in q.params]} for q in stored.values()], indent=2))
        return
    for q in stored.values():
        click.echo(f"{q.name}\n    {q.title}")
        for p in q.params:
            default = f", default {p.default}" if p.default else ""
            click.echo(f"    --param {p.name}=<{p.type}{default}>  {p.description}")


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="--param")
        params[name.strip()] = value
    return params


@main.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query; repeat for several.")
@format_option
@backend_option
@root_option
def query(name: str, params: tuple[str, ...], fmt: str, backend: str, root: Path | None) -> None:
    """Run the stored query NAME (see `coalition-kg queries`).

    Values are checked against the parameter's type and bound as RDF terms, never pasted
    into the query: a date must be a date, a state an ISO alpha-3 code.

    \b
    Examples:
      coalition-kg query members-as-of --param date=2025-06-01
      coalition-kg query meeting-attendance -p meeting=2025-03-27-paris --format csv
    """
    project = Project.find(root)
    try:
        stored = queries.get(project.queries_dir, name)
        bindings = stored.bind(_parse_params(params))
    except queries.QueryError as exc:
        raise click.UsageError(str(exc)) from None
    kg = _open(root, backend)
    tables.render(kg.store.query(stored.text, bindings), fmt, sys.stdout)


@main.command()
@click.argument("text_or_file")
@format_option
@backend_option
@root_option
def sparql(text_or_file: str, fmt: str, backend: str, root: Path | None) -> None:
    """Run your own SPARQL SELECT or ASK (query text, or a path to a .rq file).

    The default graph is the union of all named graphs; use GRAPH ?g { … } to see which
    source asserts what.

    \b
    Example:
      coalition-kg sparql 'PREFIX ckg: <https://w3id.org/coalition-kg/ontology#>
        SELECT ?m ?date WHERE { ?m a ckg:Meeting ; ckg:date ?date } ORDER BY ?date'
    """
    path = Path(text_or_file)
    text = path.read_text(encoding="utf-8") if text_or_file.endswith(".rq") and path.is_file() else text_or_file
    kg = _open(root, backend)
    try:
        result = kg.store.query(text)
    except Exception as exc:  # both backends raise their own parser errors
        raise click.UsageError(f"the query failed: {exc}") from None
    tables.render(result, fmt, sys.stdout)


@main.command()
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@backend_option
@root_option
def explain(reference: str, fmt: str, backend: str, root: Path | None) -> None:
    """Everything the graph says about an entity or claim, with sources and evidence.

    REFERENCE may be a state code (FRA), a person slug (emmanuel-macron), a meeting id
    (2025-03-27-paris), a prefixed name (pledge:…, participation:…) or a full IRI.

    \b
    Examples:
      coalition-kg explain FRA
      coalition-kg explain 2026-01-06-paris-declaration
      coalition-kg explain participation:2025-03-27-paris/USA
    """
    kg = _open(root, backend)
    try:
        entity = resolve(kg.store, reference)
    except UnknownEntity as exc:
        raise click.UsageError(str(exc)) from None
    result = explain_entity(kg.store, entity)
    click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) if fmt == "json" else to_text(result), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@backend_option
@root_option
def stats(fmt: str, backend: str, root: Path | None) -> None:
    """Counts per named graph, per class and per source; claims without evidence must be 0.

    \b
    Example:
      coalition-kg stats
    """
    kg = _open(root, backend)
    numbers = stats_module.collect(kg.store)
    if fmt == "json":
        click.echo(json.dumps(numbers, indent=2))
        return
    for name, value in numbers.items():
        if isinstance(value, int):
            click.echo(f"{name.replace('_', ' ')}: {value}")
    for name, rows in numbers.items():
        if isinstance(rows, list) and rows:
            click.echo(f"\n{name.replace('_', ' ')}:")
            headers = list(rows[0])
            click.echo(tables.table(headers, [[shorten(r[h]) for h in headers] for r in rows]), nl=False)


@main.command()
@backend_option
@root_option
def validate(backend: str, root: Path | None) -> None:
    """Check the data in graph/ and run the quality checks on the last build.

    The data check is the one `build` runs (schema, references, concepts, dates). The
    quality checks are the SPARQL queries in queries/checks/; each must return no rows.
    Exit code 1 when anything fails.

    \b
    Example:
      coalition-kg validate
    """
    project = Project.find(root)
    try:
        load_data(project)
    except DataError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo("data: ok (every file in graph/ is valid)")
    kg = _open(root, backend)
    failed = 0
    for outcome in run_checks(kg.store, project.queries_dir / "checks"):
        status = "ok" if outcome.passed else f"FAILED ({len(outcome.result.rows)} rows)"
        click.echo(f"check {outcome.check.name}: {status}")
        if not outcome.passed:
            failed += 1
            click.echo(f"  rule: {outcome.check.description}")
            tables.render(outcome.result, "table", sys.stdout)
    if failed:
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()


# -- stores and the SPARQL endpoint (issue 4) ---------------------------------------------


@main.command("load")
@click.option("--store", "spec", type=StoreSpec(), required=True,
              help="oxigraph:PATH (persistent) or the query URL of a SPARQL endpoint.")
@click.option("--graph-store", metavar="URL",
              help="The endpoint's Graph Store Protocol URL (e.g. http://localhost:7878/store).")
@click.option("--update", "update_url", metavar="URL",
              help="The endpoint's SPARQL Update URL, for endpoints without the Graph Store Protocol.")
@root_option
def load_command(spec: str, graph_store: str | None, update_url: str | None, root: Path | None) -> None:
    """Put the last build into a persistent store, replacing each of its named graphs.

    An oxigraph:PATH store is then reopened by any command with --store oxigraph:PATH
    without reading the build again (until the next build). An endpoint (Fuseki, GraphDB,
    Virtuoso, Oxigraph server, …) is loaded graph by graph over the Graph Store Protocol
    or SPARQL Update; then every command answers from it with --store URL.

    \b
    Examples:
      coalition-kg load --store oxigraph:out/store
      coalition-kg load --store http://localhost:7878/query --graph-store http://localhost:7878/store
      coalition-kg query members-as-of --store http://localhost:7878/query
    """
    from .remote import EndpointError, SparqlStore

    project = Project.find(root)
    path = dataset_path(project)
    if not path.exists():
        raise click.UsageError(f"no built dataset at {path}; run `coalition-kg build` first")
    name, location = parse_spec(spec)
    if name == "sparql":
        store = SparqlStore(location, graph_store_url=graph_store, update_url=update_url)
    elif location:
        store = open_store(spec)
    else:
        raise click.UsageError(f"{spec} is not persistent: give oxigraph:PATH or an endpoint URL")
    started = time.perf_counter()
    try:
        store.load(path)
    except EndpointError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{spec}: {len(store)} quads ({time.perf_counter() - started:.1f} s)")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the endpoint to other machines.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--timeout", default=30.0, show_default=True, type=float,
              help="Seconds a query may run before it is stopped (answer 503).")
@click.option("--max-rows", default=10_000, show_default=True, type=int,
              help="Most rows (or triples) returned for one query.")
@click.option("--allow-service", "allowed", multiple=True, metavar="IRI_PREFIX",
              help="Let SERVICE and FROM reach IRIs starting with this (repeatable); none by default.")
@click.option("--cors-origin", "origins", multiple=True, metavar="ORIGIN",
              help="Let scripts on this origin (https://example.org) call the endpoint (repeatable).")
@click.option("--store-dir", "location", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the persistent Oxigraph store (default: out/store, loaded from the last build).")
@root_option
def serve(host, port, timeout, max_rows, allowed, origins, location, root) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint, with a query page.

    /sparql answers GET and POST (JSON, XML, CSV, TSV results; Turtle, JSON-LD or
    N-Triples for CONSTRUCT and DESCRIBE) from SPARQLWrapper, YASGUI, rdflib or curl;
    / is a query page; /data/ has the dataset files, /views/ the HTML views. Updates,
    Graph Store writes and SERVICE calls are refused (403); a query running past
    --timeout is stopped (503).

    \b
    Examples:
      coalition-kg serve
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
          http://127.0.0.1:8000/sparql
    """
    from .serve import Endpoint, Policy

    project = Project.find(root)
    path = dataset_path(project)
    if not path.exists():
        raise click.UsageError(f"no built dataset at {path}; run `coalition-kg build` first")
    location = location or project.out_dir / "store"
    store = open_store(f"oxigraph:{location}")
    store.load(path)
    del store  # the workers open it read-only
    policy = Policy(timeout=timeout, max_rows=max_rows, allowed_services=list(allowed), cors_origins=list(origins))
    endpoint = Endpoint((host, port), location, project.out_dir, policy)
    click.echo(f"SPARQL endpoint: http://{host}:{endpoint.server_port}/sparql  (query page: "
               f"http://{host}:{endpoint.server_port}/)  Ctrl-C to stop", err=True)
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.server_close()
