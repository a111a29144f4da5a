"""The schema of the hand-edited YAML under ``graph/`` (documented in ``graph/README.md``).

Interpretation is strict: an unknown key, a missing required field, a value of the wrong
type or an unknown concept fails with the file, line and field named — never a silent
default. Checking happens in two passes. ``check_file`` checks each file on its own and
returns normalised ``Record`` objects; references to other records (a state code, a
person slug, a source URL, a concept slug) are collected as ``Ref`` values, and
``resolve`` checks them all once every file is read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from rdflib import Literal
from rdflib.namespace import XSD

from .yamlfile import Problem


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None
    field: str


class Invalid(Exception):
    """A value that does not fit its field; the message says what was expected."""


class Record(dict):
    """A checked record: a dict of normalised values that remembers where it came from."""

    where: Location

    def at(self, key: str) -> Location:
        return self.key_where.get(key, self.where)

    key_where: dict[str, Location]
    given: set[str]  # the keys present in the input, valid or not


@dataclass(frozen=True)
class PartialDate:
    """A date with the precision its source gives: ``2025-03-27``, ``2025-03`` or ``2025``."""

    text: str

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}[len(self.text)]

    def literal(self) -> Literal:
        datatype = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}[self.precision]
        return Literal(self.text, datatype=datatype)

    def first_day(self) -> date:
        """The earliest day the date can mean; used to compare dates of mixed precision."""
        parts = [int(p) for p in self.text.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Ref:
    """A reference to another record (``kinds``) or a concept, checked by ``resolve``."""

    kinds: tuple[str, ...]
    key: str
    where: Location = field(compare=False, hash=False)

    def __str__(self) -> str:
        return self.key


# --------------------------------------------------------------------------- field types

Check = Callable[[Any, "Context", Location], Any]


@dataclass
class Context:
    """Collects problems and references while one file is checked."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)

    def fail(self, where: Location, message: str) -> None:
        self.problems.append(Problem(where.path, where.line, where.field, message))


_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?\s*>|<!--|javascript:", re.IGNORECASE)


def text(max_length: int = 2000) -> Check:
    def check(value: Any, ctx: Context, where: Location) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise Invalid(f"expected text, got {_describe(value)}")
        value = value.strip()
        if not value:
            raise Invalid("expected text, got an empty string")
        if len(value) > max_length:
            raise Invalid(f"text is {len(value)} characters long; at most {max_length} allowed")
        markup = _MARKUP.search(value)
        if markup:  # text ends up in HTML views and exports; a tag in it is pasted markup or an attack
            raise Invalid(f"text contains markup ({markup.group(0)[:40]}); data files hold plain text")
        return value

    return check


def pattern(regex: str, what: str) -> Check:
    compiled = re.compile(regex)

    def check(value: Any, ctx: Context, where: Location) -> str:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise Invalid(f"expected {what}, got {_describe(value)}")
        return value

    return check


SLUG = pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*", "a lower-case slug such as 'emmanuel-macron'")
URL = pattern(r"https?://[^\s<>\"]+", "an http(s) URL")
QID = pattern(r"Q[1-9][0-9]*", "a Wikidata QID such as 'Q142'")


def integer(minimum: int | None = 0) -> Check:
    def check(value: Any, ctx: Context, where: Location) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"expected a whole number, got {_describe(value)}")
        if minimum is not None and value < minimum:
            raise Invalid(f"expected a number of at least {minimum}, got {value}")
        return value

    return check


def number(value: Any, ctx: Context, where: Location) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"expected a number, got {_describe(value)}")
    if value < 0:
        raise Invalid(f"expected a non-negative number, got {value}")
    return value


def scalar(value: Any, ctx: Context, where: Location) -> str | int | float:
    """A number or a string; its meaning depends on another field (an attribute's property)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise Invalid(f"expected a number, date or text, got {_describe(value)}")
    return value


def boolean(value: Any, ctx: Context, where: Location) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {_describe(value)}")
    return value


_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def a_date(*precisions: str) -> Check:
    """A date of one of ``precisions`` (day, month, year) that exists in the calendar."""
    allowed = precisions or ("day",)

    def check(value: Any, ctx: Context, where: Location) -> PartialDate:
        raw = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        match = _DATE.fullmatch(raw or "")
        if not match:
            raise Invalid(f"expected a date like 2025-03-27, got {_describe(value)}")
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            date(year, month or 1, day or 1)
        except ValueError as exc:
            raise Invalid(f"{raw} is not a real date ({exc})") from None
        result = PartialDate(raw)
        if result.precision not in allowed:
            raise Invalid(f"expected a date with {' or '.join(allowed)} precision, got {raw}")
        return result

    return check


def choice(*values: str) -> Check:
    def check(value: Any, ctx: Context, where: Location) -> str:
        if value not in values:
            raise Invalid(f"unknown value {_describe(value)}; expected one of {', '.join(values)}" + _hint(value, values))
        return value

    return check


def ref(*kinds: str) -> Check:
    """A reference to a record of one of ``kinds``, or to a concept (``concept:<scheme>``)."""

    def check(value: Any, ctx: Context, where: Location) -> Ref:
        if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
            raise Invalid(f"expected an id of a {' or '.join(kinds)}, got {_describe(value)}")
        reference = Ref(kinds, str(value).strip(), where)
        ctx.refs.append(reference)
        return reference

    return check


def concept(scheme: str) -> Check:
    return ref("concept:" + scheme)


def list_of(item: Check, min_items: int = 0) -> Check:
    def check(value: Any, ctx: Context, where: Location) -> list:
        if not isinstance(value, list):
            value = [value] if value is not None else []
            lines = [where.line] * len(value)
        else:
            lines = getattr(value, "item_lines", [where.line] * len(value))
        if len(value) < min_items:
            raise Invalid(f"expected at least {min_items} item{'s' if min_items > 1 else ''}")
        result = []
        for index, (element, line) in enumerate(zip(value, lines)):
            spot = Location(where.path, line, f"{where.field}[{index}]")
            checked = _check_value(item, element, ctx, spot)
            if checked is not None:
                result.append(checked)
        return result

    return check


@dataclass
class Spec:
    """The fields of one kind of record. ``shorthand`` names the field a bare scalar fills."""

    fields: dict[str, tuple[Check, bool]]
    shorthand: str | None = None

    def __call__(self, value: Any, ctx: Context, where: Location) -> Record | None:
        if self.shorthand and not isinstance(value, dict):
            value = {self.shorthand: value}
            lines = {self.shorthand: where.line}
        elif isinstance(value, dict):
            lines = getattr(value, "key_lines", {})
        else:
            raise Invalid(f"expected a mapping of fields, got {_describe(value)}")
        record = Record()
        record.where = Location(where.path, getattr(value, "line", where.line) or where.line, where.field)
        record.key_where = {}
        record.given = set(value)
        prefix = f"{where.field}." if where.field else ""
        for key in value:
            if key not in self.fields:
                spot = Location(where.path, lines.get(key, record.where.line), f"{prefix}{key}")
                ctx.fail(spot, f"unknown field {key!r}" + _hint(key, self.fields))
        for name, (check, required) in self.fields.items():
            spot = Location(where.path, lines.get(name, record.where.line), f"{prefix}{name}")
            record.key_where[name] = spot
            raw = value.get(name)
            if raw is None or raw == []:
                if required:
                    ctx.fail(spot, "required field is missing")
                continue
            checked = _check_value(check, raw, ctx, spot)
            if checked is not None:
                record[name] = checked
        return record


def _check_value(check: Check, value: Any, ctx: Context, where: Location) -> Any:
    try:
        return check(value, ctx, where)
    except Invalid as exc:
        ctx.fail(where, str(exc))
        return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "...'"


def _hint(value: Any, options: Any) -> str:
    close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --------------------------------------------------------------------------- record specs

R, O = True, False  # required, optional

SOURCES = (list_of(ref("source"), min_items=1), R)
OPTIONAL_SOURCES = (list_of(ref("source")), O)
NOTE = (text(), O)
WIKIDATA = {"wikidata": (QID, O), "wikidata_status": (concept("link-status"), O)}
NAMES = {"aliases": (list_of(text(200)), O)}
DAY = a_date("day")
ANY_PRECISION = a_date("day", "month", "year")

STATE = Spec({
    "iso3": (pattern(r"[A-Z]{3}", "an ISO 3166-1 alpha-3 code such as 'FRA'"), R),
    "iso2": (pattern(r"[A-Z]{2}", "an ISO 3166-1 alpha-2 code such as 'FR'"), O),
    "name": (text(200), R),
    "official_name": (text(200), O),
    **NAMES,
    "demonyms": (list_of(text(100)), O),
    "capital": (text(200), O),
    **WIKIDATA,
    "note": NOTE,
})

ORGANIZATION = Spec({
    "id": (pattern(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", "an id such as 'EU' or 'MNF-U'"), R),
    "name": (text(200), R),
    **NAMES,
    "kind": (choice("international-organization", "institution", "multinational-force"), R),
    "part_of": (ref("org"), O),
    **WIKIDATA,
    "note": NOTE,
})

COALITION = Spec({
    "id": (SLUG, R),
    "name": (text(200), R),
    **NAMES,
    "description": (text(), O),
    **WIKIDATA,
    "sources": SOURCES,
    "note": NOTE,
})

OFFICE = Spec({
    "id": (SLUG, R),
    "name": (text(200), R),
    "office_of": (ref("state", "org"), R),
    "kind": (concept("office-kind"), R),
    "titles": (list_of(text(200)), O),
    **WIKIDATA,
    "note": NOTE,
})

OFFICE_TERM = Spec({
    "office": (ref("office"), R),
    "start": (DAY, O),
    "end": (DAY, O),
    "sources": SOURCES,
    "unsourced": (boolean, O),
    "note": NOTE,
})

PERSON = Spec({
    "id": (SLUG, R),
    "name": (text(200), R),
    **NAMES,
    **WIKIDATA,
    "terms": (list_of(OFFICE_TERM), O),
    "note": NOTE,
})

PUBLISHER = Spec({
    "id": (SLUG, R),
    "name": (text(200), R),
    "domains": (list_of(pattern(r"[a-z0-9.-]+\.[a-z0-9-]+|\d+(?:\.\d+){3}(?::\d+)?", "a host name"), min_items=1), R),
    "country": (ref("state"), O),
    "kind": (choice("news-outlet", "government", "intergovernmental", "encyclopedia", "aggregator",
                    "blog", "state-media", "think-tank"), R),
    "default_type": (concept("source-type"), R),
    "reliability": (concept("reliability"), R),
    "note": NOTE,
})

SOURCE = Spec({
    "url": (URL, R),
    "title": (text(500), O),
    "issued": (ANY_PRECISION, R),
    "issued_estimated": (boolean, O),
    "type": (concept("source-type"), O),
    "reliability": (concept("reliability"), O),
    "language": (pattern(r"[a-z]{2,3}", "a language code such as 'en'"), O),
    "note": NOTE,
})

COUNT_CLAIM = Spec({"value": (integer(0), R), "text": (text(200), O), "sources": OPTIONAL_SOURCES, "note": NOTE})
CHAIR = Spec({"person": (ref("person"), R), "sources": OPTIONAL_SOURCES, "note": NOTE}, shorthand="person")
PARTICIPATION = Spec({
    "participant": (ref("state", "org"), R),
    "representatives": (list_of(ref("person")), O),
    "capacity": (concept("capacity"), O),
    "attendance": (concept("attendance"), O),
    "sources": OPTIONAL_SOURCES,
    "note": NOTE,
})

MEETING = Spec({
    "id": (pattern(r"\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*", "an id '<date>-<city slug>' such as '2025-03-27-paris'"), R),
    "name": (text(300), R),
    "coalition": (ref("coalition"), O),
    "relation": (choice("meeting", "precursor", "related"), O),
    "series": (concept("meeting-series"), O),
    "date": (DAY, R),
    "end_date": (DAY, O),
    "city": (text(100), O),
    "venue": (text(200), O),
    "host": (ref("state"), O),
    "format": (concept("meeting-format"), R),
    "chairs": (list_of(CHAIR), O),
    "convened_by": (list_of(ref("person", "state", "org")), O),
    "reported_participant_count": (list_of(COUNT_CLAIM), O),
    "participants": (list_of(PARTICIPATION), O),
    "sources": SOURCES,
    "note": NOTE,
})

MEMBERSHIP = Spec({
    "member": (ref("state", "org"), R),
    "coalition": (ref("coalition"), R),
    "start": (DAY, O),
    "end": (DAY, O),
    "roles": (list_of(concept("membership-role")), O),
    "sources": SOURCES,
    "note": NOTE,
})

PROVISION = Spec({"summary": (text(), R), "topic": (concept("topic"), O), "sources": OPTIONAL_SOURCES, "note": NOTE},
                 shorthand="summary")
SIGNATURE = Spec({
    "party": (ref("state", "org", "coalition"), R),
    "signed_by": (ref("person"), O),
    "sources": OPTIONAL_SOURCES,
    "note": NOTE,
}, shorthand="party")

DECLARATION = Spec({
    "id": (pattern(r"\d{4}-\d{2}(?:-\d{2})?-[a-z0-9]+(?:-[a-z0-9]+)*", "an id starting with its date, such as '2026-01-06-paris-declaration'"), R),
    "title": (text(300), R),
    "type": (concept("declaration-type"), R),
    "date": (DAY, R),
    "adopted_at": (ref("meeting"), O),
    "coalition": (ref("coalition"), O),
    "summary": (text(), O),
    "topics": (list_of(concept("topic")), O),
    "provisions": (list_of(PROVISION), O),
    "signatories": (list_of(SIGNATURE), O),
    "endorsers": (list_of(SIGNATURE), O),
    "non_signatories": (list_of(SIGNATURE), O),
    "sources": SOURCES,
    "note": NOTE,
})

PLEDGE = Spec({
    "id": (SLUG, R),
    "pledgers": (list_of(ref("state", "org", "coalition"), min_items=1), R),
    "beneficiary": (ref("state", "org"), O),
    "type": (concept("pledge-type"), R),
    "summary": (text(), R),
    "quantity": (number, O),
    "unit": (concept("unit"), O),
    "quantity_text": (text(200), O),
    "quantity_qualifier": (choice("exact", "at-least", "up-to", "about", "range"), O),
    "condition": (concept("pledge-condition"), O),
    "condition_text": (text(), O),
    "status": (concept("pledge-status"), R),
    "date": (ANY_PRECISION, R),
    "made_at": (ref("meeting"), O),
    "made_by": (ref("person"), O),
    "part_of": (ref("declaration"), O),
    "same_commitment_as": (ref("pledge"), O),
    "sources": SOURCES,
    "note": NOTE,
})

STATEMENT = Spec({
    "id": (SLUG, R),
    "speaker": (ref("person"), R),
    "on_behalf_of": (ref("state", "org", "coalition"), O),
    "date": (ANY_PRECISION, R),
    "made_at": (ref("meeting"), O),
    "summary": (text(), R),
    "quote": (text(600), O),
    "topics": (list_of(concept("topic")), O),
    "stance": (concept("stance"), O),
    "sources": SOURCES,
    "note": NOTE,
})

ATTRIBUTE = Spec({
    "subject": (pattern(r"(state|org|coalition|person|meeting|declaration|pledge):\S+",
                        "'<kind>:<id>' such as 'coalition:coalition-of-the-willing'"), R),
    "property": (pattern(r"[a-z][A-Za-z0-9]*", "a ckg property name such as 'reportedMemberCount'"), R),
    "value": (scalar, R),
    "as_of": (ANY_PRECISION, O),
    "text": (text(300), O),
    "sources": SOURCES,
    "note": NOTE,
})

# File (relative to graph/) → (record spec, key field that must be unique, kind registered).
FILES: dict[str, tuple[Spec, str | None, str | None]] = {
    "reference/states.yaml": (STATE, "iso3", "state"),
    "reference/organizations.yaml": (ORGANIZATION, "id", "org"),
    "reference/coalitions.yaml": (COALITION, "id", "coalition"),
    "reference/offices.yaml": (OFFICE, "id", "office"),
    "reference/people.yaml": (PERSON, "id", "person"),
    "reference/publishers.yaml": (PUBLISHER, "id", "publisher"),
    "curated/sources.yaml": (SOURCE, "url", "source"),
    "curated/meetings.yaml": (MEETING, "id", "meeting"),
    "curated/memberships.yaml": (MEMBERSHIP, None, None),
    "curated/declarations.yaml": (DECLARATION, "id", "declaration"),
    "curated/pledges.yaml": (PLEDGE, "id", "pledge"),
    "curated/statements.yaml": (STATEMENT, "id", "statement"),
    "curated/attributes.yaml": (ATTRIBUTE, None, None),
}


def check_file(path: str, document: Any, spec: Spec, ctx: Context) -> list[Record]:
    """Check one parsed file: a list of records of ``spec``. An empty file is an empty list."""
    if document is None:
        return []
    if not isinstance(document, list):
        ctx.fail(Location(path, getattr(document, "line", 1), ""), f"expected a list of records, got {_describe(document)}")
        return []
    lines = getattr(document, "item_lines", [None] * len(document))
    records = []
    for index, (item, line) in enumerate(zip(document, lines)):
        record = _check_value(spec, item, ctx, Location(path, line, ""))
        if record is not None:
            record.where = Location(path, line, f"record {index + 1}")
            records.append(record)
    return records
