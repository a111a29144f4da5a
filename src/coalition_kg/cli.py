"""The ``coalition-kg`` command: one verb per job, each a thin layer over a library function.

Exit codes: 0 success; 1 the data is invalid or a quality check failed; 2 a usage error
(unknown option, bad parameter value, missing build).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import click

from . import __version__, queries, stats as stats_module, tables
from .api import NotBuiltError, dataset_path, open_dataset
from .build import build_dataset, run_build
from .documents import DocumentError, Rules
from .evaluate import evaluate, table
from .explain import UnknownEntity, explain as explain_entity, resolve, to_text
from .ingest import documents_in, metadata_for, register, restore, snapshot
from .load import load_data
from .namespaces import shorten
from .project import Project
from .store import open_store, parse_spec
from .validate import validate as validate_dataset
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


inferred_option = click.option("--inferred", is_flag=True,
                               help="Include what the rules in queries/rules/ inferred (graph:inferred/<rule>).")


def _open(root: Path | None, backend: str, inferred: bool = False):
    try:
        return open_dataset(root, backend, inferred)
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
    try:
        rules = Rules.load(project.graph_dir / "extraction")
    except DataError as exc:
        _fail_data(exc)
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
                                "params": [vars(p) for p in q.params], "requires": q.requires}
                               for q in stored.values()], indent=2))
        return
    for q in stored.values():
        click.echo(f"{q.name}{'' if q.offline else '  (needs the network)'}\n    {q.title}")
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
@inferred_option
@root_option
def query(name: str, params: tuple[str, ...], fmt: str, backend: str, inferred: bool, root: Path | None) -> None:
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
    kg = _open(root, backend, inferred)
    tables.render(kg.store.query(stored.text, bindings), fmt, sys.stdout)


@main.command()
@click.argument("text_or_file")
@format_option
@backend_option
@inferred_option
@root_option
def sparql(text_or_file: str, fmt: str, backend: str, inferred: bool, root: Path | None) -> None:
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
    if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
        raise click.UsageError("SERVICE (a federated query) is not allowed: queries run offline on the local graph")
    kg = _open(root, backend, inferred)
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
    """Check graph/: the data, the SHACL shapes and the quality checks; nothing is written.

    Three layers. The data check is the one `build` runs (schema, references, concepts,
    dates). Then the dataset is built in memory and checked against ontology/shapes.ttl
    (pySHACL, no inference): every violation is a sentence with the file and line of the
    YAML record, or the named graph of the document an extracted claim came from. Last,
    the quality checks in queries/checks/ run on it: each must return no rows; a check
    marked "severity: warning" only flags rows for a look. Exit code 1 when a curated
    record violates a shape or a check fails; extracted claims that violate a shape and
    flagged rows are reported but do not fail.

    \b
    Example:
      coalition-kg validate
    """
    project = Project.find(root)
    try:
        data = load_data(project)
        dataset, report = build_dataset(data)
    except DataError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo("data: ok (every file in graph/ is valid)")
    outcome = validate_dataset(project, dataset, report.origins, backend)
    errors, kept = outcome.errors, [v for v in outcome.violations if not v.curated]
    shapes = "ok" if not errors else f"FAILED ({_count(errors, 'violation')} in curated data)"
    click.echo(f"shapes: {shapes}" + (f"; {_count(kept, 'violation')} in extracted claims (kept)" if kept else ""))
    for violation in outcome.violations:
        click.echo(f"  {'error' if violation.curated else 'kept'}: {violation.sentence()}")
    for result in outcome.checks:
        if result.passed:
            status = "ok"
        elif result.check.severity == "warning":
            status = f"flagged ({_count(result.result.rows, 'row')} to look at; a warning, not a failure)"
        else:
            status = f"FAILED ({_count(result.result.rows, 'row')})"
        click.echo(f"check {result.check.name}: {status}")
        if not result.passed:
            click.echo(f"  rule: {result.check.description}")
            tables.render(result.result, "table", sys.stdout)
    if not outcome.ok:
        sys.exit(1)


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"




# --------------------------------------------------------------------------------------
# Network views, analysis, exports and images (issue 5)

from .networks import VIEW_NAMES, Facts, Scope, ScopeError, network  # noqa: E402  (kept with its verbs)

def scope_options(command):
    """The options that restrict a network: dates, meeting series, strength of sources."""
    for option in reversed([
        click.option("--as-of", help="Only what happened up to this day (YYYY-MM-DD); members as of that day."),
        click.option("--from", "start", help="Only what happened from this day on (YYYY-MM-DD)."),
        click.option("--to", "end", help="Only what happened up to this day (YYYY-MM-DD)."),
        click.option("--series", help="Only meetings of this series (leaders, defence-ministers, ...)."),
        click.option("--strong-only", is_flag=True, help="Hide claims resting only on weak sources."),
    ]):
        command = option(command)
    return command


def _network(kg, name: str, reference: str | None, as_of, start, end, series, strong_only):
    try:
        scope = Scope(as_of=as_of, start=start, end=end, series=series, strong_only=strong_only)
        center = shorten(str(resolve(kg.store, reference))) if reference else None
        return network(Facts.load(kg), name, scope, center)
    except (ScopeError, UnknownEntity) as exc:
        raise click.UsageError(str(exc)) from None


@main.command()
@click.argument("name", type=click.Choice(VIEW_NAMES))
@click.argument("reference", required=False)
@scope_options
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the page (default: out/views/NAME.html).")
@click.option("--physics", is_flag=True, help="Let the browser lay the network out (livelier, slow on large views).")
@backend_option
@root_option
def view(name, reference, as_of, start, end, series, strong_only, out_path, physics, backend, root) -> None:
    """Write an interactive network view as one self-contained HTML page.

    \b
    Views:
      coalition       states and organisations linked to the meetings they attended
      co-attendance   participants linked by how often they met; communities coloured
      commitments     pledgers linked to beneficiaries by pledge type, quantity, condition
      declarations    signatories, endorsers, non-signatories, states present that did not sign
      ego REF         one state, person or meeting and everything one claim away

    The page opens offline in any browser and fetches nothing. Hover a node or link for
    the claim, its number of sources and its first source; contested claims are dashed,
    claims resting only on weak sources pale. Untick a legend entry to hide it.

    \b
    Examples:
      coalition-kg view coalition --as-of 2025-06-30
      coalition-kg view co-attendance --series leaders --strong-only
      coalition-kg view ego FRA --from 2025-09-01 --to 2025-12-31
    """
    from .views import write

    project = Project.find(root)
    kg = _open(root, backend)
    graph = _network(kg, name, reference, as_of, start, end, series, strong_only)
    default = f"{name}-{graph.graph['center'].replace(':', '-').replace('/', '-')}" if name == "ego" else name
    path = write(graph, out_path or project.out_dir / "views" / f"{default}.html", physics)
    click.echo(f"{graph.graph['title']}\n{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links "
               f"→ {project.display(path)}")


@main.command()
@click.option("--period", "periods", multiple=True, metavar="FROM..TO",
              help="A period to measure, e.g. 2025-02-01..2025-06-30; repeat to compare periods "
                   "(default: the meetings' span cut in two at the middle meeting).")
@click.option("--seed", default=42, show_default=True, help="Seed of the Louvain community detection.")
@click.option("--top", default=15, show_default=True, help="Rows of each table to print (the CSV files have all).")
@backend_option
@root_option
def analyze(periods, seed, top, backend, root) -> None:
    """Centralities, communities, attendance consistency and changes between periods.

    Works on the co-attendance network (participants linked by meetings attended
    together): degree, betweenness and eigenvector centrality, Louvain communities with a
    fixed seed, and each member's share of its coalition's meetings attended since
    joining. Prints the tables and writes out/analysis/metrics.csv, changes.csv and
    metrics.nq, the named graph graph:metrics that every query of this build then sees.

    \b
    Examples:
      coalition-kg analyze
      coalition-kg analyze --period 2025-02-01..2025-06-30 --period 2025-07-01..2026-01-31
      coalition-kg sparql 'PREFIX ckg: <https://w3id.org/coalition-kg/ontology#>
        SELECT ?who ?value WHERE { ?m ckg:measuredEntity ?who ; ckg:eigenvectorCentrality ?value }
        ORDER BY DESC(?value) LIMIT 5'
    """
    from .analysis import Period, analyze as run_analysis, write as write_analysis

    project = Project.find(root)
    kg = _open(root, backend)
    try:
        chosen = [Period.parse(p) for p in periods]
    except ScopeError as exc:
        raise click.UsageError(str(exc)) from None
    result = run_analysis(Facts.load(kg), dataset_path(project), chosen, seed)
    for period in result.periods:
        rows = [r for r in result.metrics if r["period"] == period.name]
        click.echo(f"Co-attendance metrics, {period.name} ({len(rows)} participants; top {min(top, len(rows))} "
                   "by eigenvector centrality):")
        click.echo(tables.table(["entity", "name", "degree", "betweenness", "eigenvector", "community",
                                 "attended", "since joining", "consistency"],
                                [[str(r[k]) for k in ("entity", "name", "degree", "betweenness", "eigenvector",
                                                      "community", "attended", "since_joining", "consistency")]
                                 for r in rows[:top]]))
    if result.changes:
        click.echo(f"Changes between periods (top {min(top, len(result.changes))} by change of eigenvector "
                   "centrality):")
        click.echo(tables.table(["entity", "name", "degree", "betweenness", "eigenvector", "consistency", "note"],
                                [[str(r[k]) for k in ("entity", "name", "degree_change", "betweenness_change",
                                                      "eigenvector_change", "consistency_change", "note")]
                                 for r in result.changes[:top]]))
    paths = write_analysis(result, project.out_dir / "analysis")
    click.echo("Written: " + ", ".join(project.display(p) for p in paths) + " (named graph graph:metrics)")


@main.command("export")
@click.option("--view", "view_name", type=click.Choice(VIEW_NAMES), default=None,
              help="Export only this view's selection (default: the whole graph).")
@click.argument("reference", required=False)
@scope_options
@click.option("--format", "formats", multiple=True, type=click.Choice(["graphml", "gexf", "csv", "rdf"]),
              help="graphml/gexf (Gephi, Cytoscape), csv (nodes and edges), rdf (the build's formats); "
                   "repeat for several (default: all).")
@click.option("--out", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write into (default: out/exports/).")
@backend_option
@root_option
def export_command(view_name, reference, as_of, start, end, series, strong_only, formats, folder, backend,
                   root) -> None:
    """Write the graph, or one view's selection, for Gephi, Cytoscape, spreadsheets and RDF tools.

    The whole graph is every participation, representation, pledge, signature and statement
    as an edge between entities, with all their attributes (claim, sources, first source,
    weak-only, contested, dates, capacities, quantities, conditions). With --view, the
    same nodes and edges as that view, with the same date, series and source options; RDF
    then holds the triples of those entities and claims and the evidence of the claims.

    \b
    Examples:
      coalition-kg export                                   # everything, every format
      coalition-kg export --view commitments --format gexf --as-of 2025-12-31
      coalition-kg export --view ego FRA --format graphml --format csv --out fra/
    """
    from .interchange import FORMATS, NETWORK_FORMATS, write_network, write_rdf

    project = Project.find(root)
    kg = _open(root, backend)
    if reference and view_name != "ego":
        raise click.UsageError("REFERENCE goes with --view ego")
    graph = _network(kg, view_name or "everything", reference, as_of, start, end, series, strong_only)
    folder = folder or project.out_dir / "exports"
    stem = graph.graph["name"] if view_name else "graph"
    whole = not (view_name or as_of or start or end or series or strong_only)
    written = []
    for fmt in formats or FORMATS:
        if fmt in NETWORK_FORMATS:
            written += write_network(graph, folder, stem, fmt)
        else:
            written += write_rdf(project.out_dir / "graph", folder, None if whole else graph, stem)
    click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
               f"({graph.graph.get('title', stem)})")
    for path in written:
        click.echo(f"  {project.display(path)}")


@main.command()
@click.argument("name", type=click.Choice([*VIEW_NAMES, "timeline"]))
@click.argument("reference", required=False)
@scope_options
@click.option("--out", "png", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PNG (default: out/images/NAME.png).")
@click.option("--size", default="1600x1000", show_default=True, help="Width x height of a view's screenshot.")
@backend_option
@root_option
def image(name, reference, as_of, start, end, series, strong_only, png, size, backend, root) -> None:
    """A PNG for reports: a view as headless Chromium draws it, or the timeline.

    The timeline (matplotlib) shows membership growth above the number of participants
    present at each meeting, coloured by meeting series. Views need Chromium
    (scripts/install-system-deps installs it).

    \b
    Examples:
      coalition-kg image coalition --out docs/coalition.png
      coalition-kg image timeline --out docs/timeline.png
    """
    from .browser import BrowserMissing
    from .images import screenshot, timeline
    from .views import write

    project = Project.find(root)
    kg = _open(root, backend)
    png = png or project.out_dir / "images" / f"{name}.png"
    if name == "timeline":
        try:
            scope = Scope(as_of=as_of, start=start, end=end, series=series, strong_only=strong_only)
        except ScopeError as exc:
            raise click.UsageError(str(exc)) from None
        click.echo(f"timeline → {project.display(timeline(Facts.load(kg), png, scope))}")
        return
    width, _, height = size.partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise click.UsageError(f"--size is WIDTHxHEIGHT in pixels, e.g. 1600x1000, not {size!r}")
    graph = _network(kg, name, reference, as_of, start, end, series, strong_only)
    page = write(graph, project.out_dir / "views" / f"{png.stem}.html")
    try:
        click.echo(f"{graph.graph['title']} → {project.display(screenshot(page, png, int(width), int(height)))}")
    except BrowserMissing as exc:
        raise click.UsageError(str(exc)) from None
# -- link: Wikidata linking (issue 4) ------------------------------------------------------------

@main.command()
@click.option("--refresh", is_flag=True,
              help="Ask the endpoint again (needs the network) and rewrite graph/reference/wikidata.yaml.")
@click.option("--endpoint", default=None, metavar="URL",
              help="SPARQL endpoint for --refresh (default: https://query.wikidata.org/sparql).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where responses are cached, one file per query (default: out/wikidata-cache).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds to wait for one answer.")
@click.option("--contact", default=None, metavar="TEXT",
              help="Your contact (mailto:… or a URL), added to the User-Agent as Wikimedia asks.")
@click.option("--all", "all_links", is_flag=True, help="List every link, not only people's and curated ones.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@root_option
def link(refresh: bool, endpoint: str | None, cache_dir: Path | None, timeout: float, contact: str | None,
         all_links: bool, fmt: str, root: Path | None) -> None:
    """Link states, organisations and people to Wikidata QIDs, and report what needs review.

    Without --refresh, works offline from the snapshot shipped in graph/reference/wikidata.yaml.
    A link is made only when exactly one Wikidata item is confirmed — by label and type for
    states and organisations, by label and a position held matching an office term for people;
    anything else is listed for review, never guessed. Disagreements with the curated data
    (a QID, an office term's dates) are listed too, and kept as two claims. `build` puts the
    links (owl:sameAs) and Wikidata's statements into the named graph graph:wikidata.

    \b
    Examples:
      coalition-kg link                       # offline, from the shipped snapshot
      coalition-kg link --refresh --contact mailto:you@example.org
      coalition-kg link --refresh --endpoint http://localhost:7878/query   # a mirror or stand-in
    """
    from .link import link_report, refresh as refresh_snapshot, write_snapshot
    from .wikidata import WIKIDATA_ENDPOINT, WikidataClient, WikidataError

    project = Project.find(root)
    try:
        data = load_data(project)
        if refresh:
            client = WikidataClient(endpoint or WIKIDATA_ENDPOINT, cache_dir or project.out_dir / "wikidata-cache",
                                    timeout=timeout, contact=contact)
            path = write_snapshot(project, refresh_snapshot(project, data, client))
            click.echo(f"{project.display(path)}: written from {client.endpoint} "
                       f"({client.requests_sent} requests, the rest from the cache)", err=True)
        elif endpoint:
            raise click.UsageError("--endpoint is used with --refresh only")
        report = link_report(project, data)
    except WikidataError as exc:
        click.echo(f"error: {exc}", err=True)
        click.echo("The snapshot was not changed; answers received so far are cached for the next try.", err=True)
        sys.exit(1)
    except DataError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) if fmt == "json" else report.text(all_links),
               nl=False)


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
    / is a query page, with the stored queries to pick from; /queries/NAME.rq is a stored
    query ready to send; /data/ has the dataset files, /views/ the HTML views. Updates,
    Graph Store writes and SERVICE calls are refused (403); a query running past
    --timeout is stopped (503).

    \b
    Examples:
      coalition-kg serve
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
          http://127.0.0.1:8000/sparql
    """
    from .serve import Endpoint, Policy, runnable_queries

    project = Project.find(root)
    path = dataset_path(project)
    if not path.exists():
        raise click.UsageError(f"no built dataset at {path}; run `coalition-kg build` first")
    location = location or project.out_dir / "store"
    store = open_store(f"oxigraph:{location}")
    store.load(path)
    del store  # the workers open it read-only
    policy = Policy(timeout=timeout, max_rows=max_rows, allowed_services=list(allowed), cors_origins=list(origins))
    endpoint = Endpoint((host, port), location, project.out_dir, policy, runnable_queries(project.queries_dir))
    click.echo(f"SPARQL endpoint: http://{host}:{endpoint.server_port}/sparql  (query page: "
               f"http://{host}:{endpoint.server_port}/)  Ctrl-C to stop", err=True)
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.server_close()
