"""Load and validate everything under ``graph/`` into checked records.

This is the gate in front of the build: it reads every reference and curated file,
checks each against ``schema.FILES``, then checks the references between them (a
participant's state code exists, a cited URL is described in ``sources.yaml`` and
belongs to a known publisher, a concept slug is in the ontology, a date range is not
reversed). All problems are gathered and raised together as one ``DataError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rdflib.namespace import OWL, XSD

from . import schema
from .ingest import load_sources
from .namespaces import CKG
from .ontology import Ontology
from .project import Project
from .schema import Context, Location, PartialDate, Record, Ref
from .yamlfile import DataError, Problem, load_yaml


@dataclass
class Data:
    """Checked records of one project, indexed by kind and key."""

    project: Project
    ontology: Ontology
    files: dict[str, list[Record]] = field(default_factory=dict)
    index: dict[str, dict[str, Record]] = field(default_factory=dict)
    documents: list[tuple[str, Record]] = field(default_factory=list)  # ingested sources: (id, metadata)

    def records(self, name: str) -> list[Record]:
        """The records of one file, e.g. ``records("curated/meetings.yaml")``."""
        return self.files.get(name, [])

    def kind_of(self, reference: Ref) -> str:
        """Which of the reference's allowed kinds it resolved to."""
        for kind in reference.kinds:
            if reference.key in self.index.get(kind, {}):
                return kind
        raise KeyError(reference.key)

    def get(self, reference: Ref) -> Record:
        return self.index[self.kind_of(reference)][reference.key]

    def publisher_of(self, url: str) -> Record | None:
        """The publisher whose domains include the URL's host (longest domain wins)."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")  # "meduza.io." is a valid absolute host
        port = urlsplit(url).port
        best: tuple[int, Record] | None = None
        for publisher in self.index.get("publisher", {}).values():
            for domain in publisher["domains"]:
                bare = domain.split(":")[0]
                if (host == bare or host.endswith("." + bare)) and (":" not in domain or str(port) == domain.split(":")[1]):
                    if best is None or len(domain) > best[0]:
                        best = (len(domain), publisher)
        return best[1] if best else None


def load_data(project: Project) -> Data:
    """Read and check every data file of ``project``; raise ``DataError`` listing all problems."""
    data = Data(project, Ontology.load(project.ontology_dir))
    problems: list[Problem] = []
    refs: list[Ref] = []
    for name, (spec, key_field, kind) in schema.FILES.items():
        path = project.graph_dir / name
        if not path.exists():
            continue
        shown = project.display(path)
        try:
            document = load_yaml(path, shown)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        ctx = Context(shown)
        records = schema.check_file(shown, document, spec, ctx)
        problems.extend(ctx.problems)
        refs.extend(ctx.refs)
        data.files[name] = records
        if kind:
            problems.extend(_index(data, kind, key_field, records))
    data.documents, source_problems, source_refs = load_sources(project)
    problems += source_problems
    refs += source_refs
    if any(p.message.startswith(("invalid YAML", "not UTF-8", "cannot read")) for p in problems):
        # Without every file, references would look broken when they are not.
        problems.append(Problem(project.display(project.graph_dir), None, "",
                                "references between files were not checked: fix the files above first"))
    else:
        problems.extend(_resolve(data, refs))
        problems.extend(_check_consistency(data))
    if problems:
        raise DataError(problems)
    return data


def _index(data: Data, kind: str, key_field: str, records: list[Record]) -> list[Problem]:
    problems = []
    index = data.index.setdefault(kind, {})
    for record in records:
        key = record.get(key_field)
        if key is None:
            continue
        if key in index:
            first = index[key].where
            where = record.at(key_field)
            problems.append(Problem(where.path, where.line, key_field,
                                    f"duplicate {kind} {key!r}; first defined at {first.path}:{first.line}"))
        else:
            index[key] = record
    return problems


def _resolve(data: Data, refs: list[Ref]) -> list[Problem]:
    """Check that every reference names something that exists."""
    problems = []
    for reference in refs:
        if reference.kinds[0].startswith("concept:"):
            scheme = reference.kinds[0].split(":", 1)[1]
            known = data.ontology.concepts.get(scheme, set())
            if reference.key not in known:
                problems.append(_problem(reference.where, f"unknown {scheme} {reference.key!r}; expected one of "
                                         f"{', '.join(sorted(known)) or '(none: is ontology/concepts.ttl there?)'}"
                                         + schema._hint(reference.key, known)))
            continue
        if any(reference.key in data.index.get(kind, {}) for kind in reference.kinds):
            continue
        candidates = [key for kind in reference.kinds for key in data.index.get(kind, {})]
        what = " or ".join(reference.kinds)
        message = f"unknown {what} {reference.key!r}"
        if reference.kinds == ("source",):
            message = f"source {reference.key!r} is not described in graph/curated/sources.yaml"
        problems.append(_problem(reference.where, message + schema._hint(reference.key, candidates)))
    return problems


def _problem(where: Location, message: str) -> Problem:
    return Problem(where.path, where.line, where.field, message)


def _check_consistency(data: Data) -> list[Problem]:
    """Rules that involve more than one field or one file."""
    problems = []

    def fail(record: Record, key: str, message: str) -> None:
        problems.append(_problem(record.at(key), message))

    for code, state in data.index.get("state", {}).items():
        if code in data.index.get("org", {}):
            fail(state, "iso3", f"{code!r} is both a state code and an organisation id")
    for source in data.records("curated/sources.yaml"):
        if data.publisher_of(source["url"]) is None:
            host = urlsplit(source["url"]).hostname
            fail(source, "url", f"no publisher in graph/reference/publishers.yaml has the domain {host!r}")
    for person in data.records("reference/people.yaml"):
        for term in person.get("terms", []):
            problems.extend(_date_order(term, "start", "end"))
    for membership in data.records("curated/memberships.yaml"):
        problems.extend(_date_order(membership, "start", "end"))
    for meeting in data.records("curated/meetings.yaml"):
        problems.extend(_date_order(meeting, "date", "end_date"))
        if "date" in meeting and not meeting["id"].startswith(str(meeting["date"])):
            fail(meeting, "id", f"meeting id {meeting['id']!r} must start with its date {meeting['date']}")
    for declaration in data.records("curated/declarations.yaml"):
        if "date" in declaration and not declaration["id"].startswith(str(declaration["date"])[:7]):
            fail(declaration, "id", f"declaration id {declaration['id']!r} must start with its date {declaration['date']}")
    for pledge in data.records("curated/pledges.yaml"):
        if ("quantity" in pledge.given) != ("unit" in pledge.given):
            missing = "unit" if "quantity" in pledge.given else "quantity"
            fail(pledge, missing, f"a pledge with a {'quantity' if missing == 'unit' else 'unit'} needs a {missing}")
    for attribute in data.records("curated/attributes.yaml"):
        problems.extend(_check_attribute(data, attribute))
    return problems


def _date_order(record: Record, start: str, end: str) -> list[Problem]:
    if start in record and end in record and record[end].first_day() < record[start].first_day():
        where = record.at(end)
        return [Problem(where.path, where.line, where.field, f"{end} {record[end]} is before {start} {record[start]}")]
    return []


ATTRIBUTE_SUBJECT_KINDS = {"state": "state", "org": "org", "coalition": "coalition", "person": "person",
                           "meeting": "meeting", "declaration": "declaration", "pledge": "pledge"}


def _check_attribute(data: Data, attribute: Record) -> list[Problem]:
    """An attribute claim names a real subject and an ontology property, with a value of its range."""
    problems = []
    if "subject" in attribute:
        kind, _, key = attribute["subject"].partition(":")
        if key not in data.index.get(kind, {}):
            problems.append(_problem(attribute.at("subject"), f"unknown {kind} {key!r}"))
    if "property" not in attribute or "value" not in attribute:
        return problems
    declared = data.ontology.properties.get(attribute["property"])
    if declared is None:
        return problems + [_problem(attribute.at("property"), f"ckg:{attribute['property']} is not a property "
                                    "declared in ontology/coalition.ttl"
                                    + schema._hint(attribute["property"], data.ontology.properties))]
    kind, value_range = declared
    value = attribute["value"]
    try:
        attribute["value"] = typed_value(value, kind, value_range)
    except schema.Invalid as exc:
        problems.append(_problem(attribute.at("value"), str(exc)))
    return problems


def typed_value(value: object, kind: object, value_range: object) -> object:
    """Convert an attribute's YAML value to the type of the property's range."""
    if kind == OWL.ObjectProperty:
        raise schema.Invalid("attribute claims take literal values; use the record's own field for links")
    if value_range in (XSD.integer, XSD.nonNegativeInteger):
        if not isinstance(value, int):
            raise schema.Invalid(f"expected a whole number for this property, got {value!r}")
        return value
    if value_range in (XSD.decimal, XSD.double, XSD.float):
        if not isinstance(value, (int, float)):
            raise schema.Invalid(f"expected a number for this property, got {value!r}")
        return value
    if value_range in (XSD.date, CKG.PartialDate):
        return schema.a_date("day", "month", "year")(value, None, None)
    return str(value)


__all__ = ["Data", "load_data", "PartialDate", "typed_value"]
