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
from .api import NotBuiltError, open_dataset
from .build import run_build
from .checks import run_checks
from .explain import UnknownEntity, explain as explain_entity, resolve, to_text
from .load import load_data
from .namespaces import shorten
from .project import Project
from .store import BACKENDS
from .yamlfile import DataError

root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Project folder (default: the checkout you are in, or $COALITION_KG_ROOT).")
backend_option = click.option("--backend", type=click.Choice(sorted(BACKENDS)), default="oxigraph", show_default=True,
                              help="Store that answers the query; both give the same answers.")
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
