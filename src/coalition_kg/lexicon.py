"""What the extractor knows: names from the reference data, cue words from
``graph/extraction/lexicon.yaml``, and the graph's meetings, declarations and office terms.

Nothing here is specific to one coalition: the names come from ``graph/reference/`` and the
cues from a data file, so another coalition or another phrasing is new data, not new code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .load import Data
from .yamlfile import load_yaml

TOKEN = re.compile(r"(?:[A-Z]\.){2,}(?:-\w+)?|\w+(?:[’'-]\w+)*|[^\w\s]")


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(*m.span(), m.group()) for m in TOKEN.finditer(text)]


def key_of(text: str) -> str:
    """The lookup key of a name: its tokens joined by single spaces."""
    return " ".join(t for _, _, t in tokens(text))


def content_words(text: str) -> set[str]:
    """Lower-case words of four letters or more: enough to tell two texts' subjects apart."""
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def phrases(words: list[str], adverbs: list[str] = ()) -> re.Pattern:
    """A case-insensitive pattern matching any of ``words`` on word boundaries, longest first.

    One of ``adverbs`` may stand after the first word of a phrase: "will also spend" is "will spend".
    The phrases are merged into a word trie ("will (?:send|deploy|…)"): with hundreds of cues a flat
    alternation makes every search several times slower."""
    trie: dict = {}
    for phrase in words:
        node = trie
        for word in phrase.split(" "):
            node = node.setdefault(word, {})
        node[""] = {}
    first_gap = r"\s+(?:(?:" + "|".join(map(re.escape, adverbs)) + r")\s+)?" if adverbs else r"\ "
    return re.compile(r"(?<![\w])(?:" + _trie_pattern(trie, first_gap) + r")(?![\w])", re.IGNORECASE)


def _trie_pattern(node: dict, gap: str) -> str:
    """Alternatives for the words under ``node``, longer words first; a phrase that may end here
    makes its continuation optional (greedy, so the longest phrase still wins)."""
    alternatives = []
    for word in sorted((w for w in node if w), key=lambda w: (-len(w), w)):
        child = node[word]
        rest = _trie_pattern(child, r"\ ") if any(child) else ""
        if not rest:
            alternatives.append(re.escape(word))
        elif "" in child:
            alternatives.append(f"{re.escape(word)}(?:{gap}(?:{rest}))?")
        else:
            alternatives.append(f"{re.escape(word)}{gap}(?:{rest})")
    return "|".join(alternatives)


@dataclass(frozen=True)
class Entity:
    kind: str  # state | org | coalition | person | place
    key: str  # ISO code, org id, slug, or place name
    how: str  # name | alias | demonym | capital | surname | place


@dataclass(frozen=True)
class Term:
    person: str
    office: str
    holder_of: str  # state or organisation the office belongs to
    kind: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Lexicon:
    names: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    starts: dict[str, int] = field(default_factory=dict)  # first token of a name → longest name length
    first_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    surnames: dict[str, str] = field(default_factory=dict)  # person slug → surname
    person_labels: dict[str, str] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # title key → office ids
    offices: dict[str, tuple[str, str]] = field(default_factory=dict)  # office id → (holder_of, kind)
    terms: list[Term] = field(default_factory=list)
    org_kinds: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, list[tuple[str, str | None]]] = field(default_factory=lambda: defaultdict(list))
    declarations: dict[str, list[tuple[str, str | None, set[str]]]] = field(default_factory=lambda: defaultdict(list))  # date → (id, meeting, content words)
    combining: dict[str, str | None] = field(default_factory=dict)
    cue: dict[str, re.Pattern] = field(default_factory=dict)
    groups: dict[str, dict[str, re.Pattern]] = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    title_words: re.Pattern | None = None
    not_names: set[str] = field(default_factory=set)
    office_capacity: dict[str, str] = field(default_factory=dict)
    hypothetical: set[str] = field(default_factory=set)
    object_markers: set[str] = field(default_factory=set)
    group_subjects: str = r"$^"
    coalition_names: dict[str, str] = field(default_factory=dict)  # lower-case name → coalition id
    coalition_pattern: re.Pattern = re.compile(r"$^")

    def add(self, name: str, entity: Entity) -> None:
        key = key_of(name)
        if key and entity not in self.names[key]:
            self.names[key].append(entity)
            first = key.split(" ")[0]
            self.starts[first] = max(self.starts.get(first, 0), key.count(" ") + 1)

    def holders(self, office: str, day: date) -> list[str]:
        return sorted({t.person for t in self.terms if t.office == office and t.covers(day)})

    def offices_of(self, person: str, day: date | None) -> list[Term]:
        return [t for t in self.terms if t.person == person and (day is None or t.covers(day))]


CUE_LISTS = ("meeting_nouns", "meeting_verbs", "virtual_cues", "future_cues", "participation_cues", "absence_cues",
             "remote_cues", "declaration_nouns", "signature_cues", "non_signature_cues", "endorsement_cues",
             "coalition_nouns", "pledge_cues", "refusal_cues", "hedge_cues", "speech_verbs", "locative",
             "purpose_markers")
CUE_GROUPS = ("capacity_cues", "membership_roles", "conditions", "pledge_types", "topics", "stance")


def build_lexicon(data: Data, folder: Path) -> Lexicon:
    """Everything the extractor matches, from the reference data and ``lexicon.yaml``."""
    spec = load_yaml(folder / "lexicon.yaml")
    lex = Lexicon()
    for state in data.records("reference/states.yaml"):
        code = state["iso3"]
        for name in [state["name"], state.get("official_name"), *state.get("aliases", [])]:
            if name:
                lex.add(name, Entity("state", code, "name"))
        for demonym in state.get("demonyms", []):
            lex.add(demonym, Entity("state", code, "demonym"))
        if state.get("capital"):
            capital = state["capital"].split(",")[0]
            lex.add(capital, Entity("state", code, "capital"))
            lex.add(capital, Entity("place", capital, "place"))
    for org in data.records("reference/organizations.yaml"):
        lex.org_kinds[org["id"]] = org["kind"]
        for name in [org["name"], org["id"], *org.get("aliases", [])]:
            lex.add(name, Entity("org", org["id"], "name"))
    for coalition in data.records("reference/coalitions.yaml"):
        for name in [coalition["name"], *coalition.get("aliases", [])]:
            lex.add(name, Entity("coalition", coalition["id"], "name"))
            lex.coalition_names[name.lower()] = coalition["id"]
    for code, names in (spec.get("extra_aliases") or {}).items():
        kind = "state" if re.fullmatch(r"[A-Z]{3}", code) else "org"
        for name in names:
            lex.add(name, Entity(kind, code, "alias"))
    for place in spec.get("places", []):
        lex.add(place, Entity("place", place, "place"))
    for venue, city in (spec.get("venues") or {}).items():
        lex.add(venue, Entity("place", city, "venue"))
    for office in data.records("reference/offices.yaml"):
        lex.offices[office["id"]] = (office["office_of"].key, office["kind"].key)
        for title in office.get("titles", []):
            lex.titles[key_of(title)].append(office["id"])
    for person in data.records("reference/people.yaml"):
        slug, name = person["id"], person["name"]
        lex.person_labels[slug] = name
        lex.add(name, Entity("person", slug, "name"))
        parts = key_of(name).split(" ")
        lex.first_names[parts[0]].append(slug)
        lex.surnames[slug] = parts[-1]
        for alias in person.get("aliases", []):
            lex.add(alias, Entity("person", slug, "surname" if " " not in alias else "alias"))
        for term in person.get("terms", []):
            holder_of, kind = lex.offices.get(term["office"].key, ("", ""))
            lex.terms.append(Term(slug, term["office"].key, holder_of, kind,
                                  term["start"].first_day() if term.get("start") else None,
                                  term["end"].first_day() if term.get("end") else None))
    for meeting in data.records("curated/meetings.yaml"):
        lex.meetings[str(meeting["date"])].append((meeting["id"], meeting.get("city")))
    for declaration in data.records("curated/declarations.yaml"):
        words = content_words(" ".join([declaration.get("summary", "")] +
                                       [p["summary"] for p in declaration.get("provisions", [])]))
        adopted = declaration["adopted_at"].key if declaration.get("adopted_at") else None
        lex.declarations[str(declaration["date"])].append((declaration["id"], adopted, words))
    lex.combining = spec.get("combining_forms", {})
    lex.cue = {name: phrases(spec[name], spec.get("adverbs", [])) for name in CUE_LISTS}
    lex.groups = {group: {slug: phrases(words) for slug, words in spec[group].items()} for group in CUE_GROUPS}
    lex.units = spec["units"]
    lex.title_words = phrases(spec["title_words"])
    lex.not_names = set(spec.get("not_names", []))
    lex.office_capacity = spec.get("office_capacity", {})
    lex.hypothetical = set(spec.get("hypothetical_openers", []))
    lex.object_markers = set(spec.get("object_markers", []))
    lex.group_subjects = spec.get("group_subjects", r"$^")
    lex.coalition_pattern = phrases(list(lex.coalition_names))
    return lex
