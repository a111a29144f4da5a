"""Rule-based extraction of claims from an article's body, each with its evidence span.

The rules read the article sentence by sentence, keeping a little discourse state — the
meeting being reported, the last person mentioned, the speaker named in a heading — and
produce claims: meetings, participations (including those implied by a leader speaking at
the meeting), signatures and declaration provisions, memberships and roles, pledges (with
quantity, unit, condition and hedged or firm status), statements (quotes and reported
speech, with topics) and office attributions ("German Chancellor Friedrich Merz"). Each
claim's evidence is the sentence it came from: ``document.text[start:end]``, the rule that
fired and a confidence. Only the body is mined; reader comments and non-English passages
are left as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .documents import Document
from .lexicon import Lexicon
from .mentions import DateMention, Finder, Mention, Sentence, sentences
from .namespaces import slugify
from .schema import PartialDate

CONFIDENCE = {"meeting": 0.8, "participation-cue": 0.85, "absence-cue": 0.85, "speaker-implies-participation": 0.6,
              "signature-cue": 0.75, "non-signature-cue": 0.75, "provision-bullet": 0.7, "membership-role": 0.7,
              "pledge-cue": 0.7, "quote": 0.85, "reported-speech": 0.75, "office-attribution": 0.8}


@dataclass
class Claim:
    kind: str
    fields: dict
    start: int
    end: int
    rule: str

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.rule]


@dataclass
class Extraction:
    claims: list[Claim] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)
    undated: bool = False

    def of(self, kind: str) -> list[Claim]:
        return [c for c in self.claims if c.kind == kind]


@dataclass
class _State:
    meeting: dict | None = None  # the meeting being reported: id, date, city, format
    last_person: str | None = None
    last_speaker: str | None = None  # "he said" after a quotation means the speaker, not the last name
    heading_speaker: str | None = None
    declaration_intro: dict | None = None  # a sentence announcing a list of provisions
    last_actors: list = field(default_factory=list)  # for "they" in the next sentence
    coalition: str | None = None  # the coalition the article is about (the last one named)
    declaration_date: str | None = None  # the declaration the story is talking about
    last_date: PartialDate | None = None  # the last date mentioned ("arrived today ... held a meeting")
    last_places: list = field(default_factory=list)


QUOTATION = re.compile(r"[“\"]([^”\"]{8,})[”\"]")


def clauses(text: str) -> list[tuple[int, int]]:
    """Split a sentence at ';', ', while', ', but', ', whereas' — cues apply within a clause."""
    cuts = [0] + [m.start() for m in re.finditer(r";|,\s+(?:while|but|whereas|although)\b|\s+while\s+", text)] + [len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


class Extractor:
    def __init__(self, lex: Lexicon, issued: PartialDate | None) -> None:
        self.lex = lex
        self.issued = issued
        self.finder = Finder(lex, issued)
        self.out = Extraction(undated=issued is None)
        self.state = _State()
        self._cues: dict[tuple[str, str], re.Match | None] = {}

    # -- helpers ---------------------------------------------------------------------------

    def cue(self, name: str, text: str) -> re.Match | None:
        """The first match of a cue list in ``text``, remembered: the rules ask the same question of the
        same clause several times, and these searches are most of the extractor's time."""
        key = (name, text)
        if key not in self._cues:
            self._cues[key] = self.lex.cue[name].search(text)
        return self._cues[key]

    def group(self, name: str, text: str) -> list[str]:
        return [slug for slug, pattern in self.lex.groups[name].items() if pattern.search(text)]

    def without(self, name: str, text: str) -> str:
        """``text`` with the words of a group blanked out ("once a ceasefire is in place" is a
        condition of what was said, not its topic)."""
        for pattern in self.lex.groups[name].values():
            text = pattern.sub(lambda m: " " * len(m.group()), text)
        return text

    def state_of(self, person: str, day: date | None) -> str | None:
        holders = sorted({t.holder_of for t in self.lex.offices_of(person, day)})
        return holders[0] if len(holders) == 1 else None

    def actors(self, mentions: list[Mention], sentence: Sentence, lo: int = 0, hi: int | None = None) -> list[tuple[str, str | None, Mention]]:
        """(state-or-org, person, mention) for agents mentioned between offsets lo and hi of the sentence."""
        hi = len(sentence.text) if hi is None else hi
        day = self.meeting_day()
        result = []
        for m in mentions:
            if not (sentence.start + lo <= m.start < sentence.start + hi):
                continue
            before = sentence.text[:m.start - sentence.start].rstrip().split(" ")[-1].lower()
            if m.entity.kind == "state" and m.entity.how == "capital" and self.lex.cue["locative"].fullmatch(before):
                continue
            if m.entity.kind in ("state", "org"):
                if m.entity.kind == "org" and self.lex.org_kinds.get(m.entity.key) == "multinational-force":
                    continue
                result.append((m.entity.key, None, m))
            elif m.entity.kind == "person":
                holder = self.state_of(m.entity.key, day)
                if holder:
                    result.append((holder, m.entity.key, m))
        seen, unique = set(), []
        for agent, person, m in result:
            if (agent, person) not in seen and not (person is None and any(a == agent and p for a, p, _ in result)):
                seen.add((agent, person))
                unique.append((agent, person, m))
        return unique

    def meeting_day(self) -> date | None:
        if self.state.meeting and self.state.meeting.get("date"):
            return PartialDate(self.state.meeting["date"]).first_day()
        return self.finder.day

    def emit(self, kind: str, fields: dict, sentence: Sentence, rule: str) -> Claim:
        claim = Claim(kind, fields, sentence.start, sentence.end, rule)
        self.out.claims.append(claim)
        return claim

    # -- the rules ---------------------------------------------------------------------------

    def run(self, document: Document) -> Extraction:
        self.state.coalition = self.first_coalition(document)
        for span in document.passages("body"):
            for sentence in sentences(document.text, span.start, span.end):
                self.sentence(sentence)
        self.implied_participation()
        self.out.unknown_names = sorted({name for _, _, name in self.finder.unknown})
        return self.out

    def first_coalition(self, document: Document) -> str | None:
        """The coalition the article names first: who "26 countries" are even before it is named."""
        for span in document.passages("body"):
            if found := self.lex.coalition_pattern.search(document.text, span.start, span.end):
                return self.lex.coalition_names[found.group().lower()]
        return None

    def sentence(self, sentence: Sentence) -> None:
        unknown_before = len(self.finder.unknown)
        mentions = self.finder.mentions(sentence)
        dates = self.finder.dates(sentence)
        dateline = re.match(r"[A-Z][A-Z.-]{2,}(?: [A-Z][A-Z.-]+)*,[^—–]{0,30}[—–]", sentence.text)
        if dateline:  # "PARIS, 7 January 2026 — …": the dateline gives the publication date, not the event's
            dates = [d for d in dates if d.start - sentence.start >= dateline.end()]
        if sentence.heading:
            del self.finder.unknown[unknown_before:]  # title-case headlines are not names
            people = [m for m in mentions if m.entity.kind == "person"]
            self.state.heading_speaker = people[0].entity.key if people and ":" in sentence.text else None
            return
        if sentence.bullet and self.state.declaration_intro:
            self.provision(sentence)
            return
        if not sentence.bullet:
            self.state.declaration_intro = None
        self.meeting(sentence, mentions, dates)
        self.participations(sentence, mentions, dates)
        self.declaration(sentence, mentions, dates)
        self.memberships(sentence, mentions)
        self.pledge(sentence, mentions, dates)
        self.statement(sentence, mentions)
        self.office_attributions(sentence, mentions)
        people = [m for m in mentions if m.entity.kind == "person"]
        if people and not (self.out.claims and self.out.claims[-1].kind == "statement"
                           and self.out.claims[-1].start == sentence.start):
            self.state.last_person = people[-1].entity.key
        if dates:
            self.state.last_date = dates[0].value
        places = [m for m in mentions if m.entity.kind == "place"]
        if places:
            self.state.last_places = places
        coalitions = [m.entity.key for m in mentions if m.entity.kind == "coalition"]
        if coalitions:
            self.state.coalition = coalitions[-1]
        actors = [a for a in self.actors(mentions, sentence) if not self.is_object(sentence, a[2])]
        if actors:
            self.state.last_actors = actors

    def meeting_id(self, day: PartialDate, city: str | None, virtual: bool) -> str | None:
        """The graph's meeting on that day when one fits, else '<date>-<city>' or '<date>-virtual'."""
        if day.precision != "day":
            return None
        known = self.lex.meetings.get(day.text, [])
        slug = slugify(city) if city else None
        same_city = [mid for mid, known_city in known if known_city and slug and slugify(known_city) == slug]
        if same_city:
            return same_city[0]
        if len(known) == 1 and (virtual or not slug or known[0][1] is None):
            return known[0][0]
        if virtual:
            return f"{day.text}-virtual"
        return f"{day.text}-{slug}" if slug else None

    def meeting(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention]) -> None:
        text = sentence.text
        if not (self.cue("meeting_nouns", text) or self.cue("meeting_verbs", text)):
            if dates and self.state.meeting and dates[0].value.text != self.state.meeting["date"]:
                self.switch_meeting(dates[0].value)
            return
        places = [m for m in mentions if m.entity.kind == "place"]
        dateline = re.match(r"([A-Z][A-Z.-]{2,}(?: [A-Z][A-Z.-]+)*)(?:,|\s+[—–-])", text)  # "LONDON, 2 March 2025 —"
        if not places and dateline:
            places = [Mention(0, 0, e) for e in self.lex.names.get(dateline.group(1).title(), []) if e.kind == "place"]
        if not dates and self.state.meeting:
            return  # "the meeting", "the call": the one being reported
        if not dates:  # the story's first meeting, dated by an earlier sentence ("arrived today ... a meeting")
            places = places or self.state.last_places
        day = dates[0].value if dates else self.state.last_date
        if day is None:
            return
        virtual = bool(self.cue("virtual_cues", text))
        city = places[0].entity.key if places else None
        meeting_id = self.meeting_id(day, city, virtual)
        if meeting_id is None:
            return
        future = bool(self.cue("future_cues", text))
        fields = {"id": meeting_id, "date": day.text, "city": city,
                  "format": "virtual" if virtual else None, "status": "announced" if future else "held"}
        self.emit("meeting", fields, sentence, "meeting")
        if not future:
            self.state.meeting = fields

    def switch_meeting(self, day: PartialDate) -> None:
        """A sentence dated on another day moves the story to a meeting this article reported for that day."""
        known = [c.fields for c in self.out.of("meeting") if c.fields["date"] == day.text
                 and c.fields.get("status") != "announced"]
        if known:
            self.state.meeting = known[0]

    def participations(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention]) -> None:
        text = sentence.text
        if dates and self.state.meeting and dates[0].value.text != self.state.meeting.get("date") \
                and not self.cue("meeting_nouns", text):
            self.switch_meeting(dates[0].value)
        meeting = self.state.meeting
        if not meeting or self.cue("future_cues", text) or self.cue("declaration_nouns", text):
            return
        for lo, hi in clauses(text):
            clause = text[lo:hi]
            absent = self.cue("absence_cues", clause)
            if not (absent or self.cue("participation_cues", clause)):
                continue
            remote = bool(self.cue("remote_cues", clause)) or meeting.get("format") == "virtual"
            speech = self.cue("speech_verbs", clause)
            reported = re.search(r"\bthat\b", clause[speech.end():]) if speech else None
            end = lo + speech.end() + reported.start() if reported else hi  # "told the meeting that Russia's…"
            for agent, person, mention in self.actors(mentions, sentence, lo, end):
                if self.is_object(sentence, mention):
                    continue
                capacity = self.person_capacity(person) if person else \
                    self.capacity(clause, mention.start - sentence.start - lo)
                fields = {"meeting": meeting["id"], "participant": agent,
                          "attendance": "absent" if absent else ("remote" if remote else None),
                          "capacity": None if absent else capacity, "representative": person}
                self.emit("participation", fields, sentence, "absence-cue" if absent else "participation-cue")

    def person_capacity(self, person: str) -> str | None:
        kinds = sorted({t.kind for t in self.lex.offices_of(person, self.meeting_day())})
        return self.lex.office_capacity.get(kinds[0]) if kinds else None

    def capacity(self, clause: str, position: int) -> str | None:
        """The capacity cue nearest before the mention ("Ambassadors from Austria"), else just after it."""
        best: tuple[int, str] | None = None
        for slug, pattern in self.lex.groups["capacity_cues"].items():
            for match in pattern.finditer(clause):
                distance = position - match.end() if match.end() <= position else 1000 + match.start() - position
                if best is None or distance < best[0]:
                    best = (distance, slug)
        return best[1] if best and best[0] < 1040 else None

    def implied_participation(self) -> None:
        """A leader who speaks at the meeting took part in it (for their state); a person's
        absence does not make their state absent when others represented it."""
        present = {(c.fields["meeting"], c.fields["participant"]) for c in self.out.of("participation")
                   if c.fields.get("attendance") != "absent"}
        self.out.claims = [c for c in self.out.claims if not (
            c.kind == "participation" and c.fields.get("attendance") == "absent" and c.fields.get("representative")
            and (c.fields["meeting"], c.fields["participant"]) in present)]
        have = {(c.fields["meeting"], c.fields["participant"]) for c in self.out.of("participation")}
        for statement in self.out.of("statement"):
            meeting, agent = statement.fields.get("meeting"), statement.fields.get("on_behalf_of")
            if meeting and agent and (meeting, agent) not in have:
                have.add((meeting, agent))
                self.out.claims.append(Claim("participation", {
                    "meeting": meeting, "participant": agent, "attendance": None,
                    "capacity": None, "representative": statement.fields["speaker"]},
                    statement.start, statement.end, "speaker-implies-participation"))

    def declaration(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention]) -> None:
        text = sentence.text
        if self.cue("declaration_nouns", text):
            self.state.declaration_date = dates[0].value.text if dates else (self.state.meeting or {}).get("date")
        elif not (self.state.declaration_date and self.cue("non_signature_cues", text)):
            return  # "The United States did not sign." right after a declaration is about that declaration
        day = dates[0].value.text if dates and self.cue("declaration_nouns", text) else self.state.declaration_date
        if re.search(r"(following|these) points|consisting of|as follows|following provisions", text, re.IGNORECASE):
            self.state.declaration_intro = {"date": day}
        signed, refused = self.cue("signature_cues", text), self.cue("non_signature_cues", text)
        if not (signed or refused) or not day:
            return
        for lo, hi in clauses(text):
            clause = text[lo:hi]
            cue = self.cue("non_signature_cues", clause) or self.cue("endorsement_cues", clause) or \
                self.cue("signature_cues", clause)
            if cue is None:
                continue
            role = "non-signatory" if self.cue("non_signature_cues", clause) else \
                "endorser" if self.cue("endorsement_cues", clause) else "signatory"
            noun = None
            for match in self.lex.cue["declaration_nouns"].finditer(clause[:cue.start()]):
                noun = match
            start = lo + (noun.end() if noun else 0)
            before = [a for a in self.actors(mentions, sentence, start, lo + cue.start())
                      if not self.is_object(sentence, a[2])]
            comma = clause.find(",", cue.end())
            after = [a for a in self.actors(mentions, sentence, lo + cue.end(), lo + comma if comma > 0 else hi)
                     if not self.is_object(sentence, a[2])]
            signers = before or after
            if role == "endorser" and not signers:
                signers = [(m.entity.key, None, m) for m in mentions if m.entity.kind == "coalition"
                           and lo + cue.start() <= m.start - sentence.start < hi][:1]
            if not signers and re.search(r"\b(they|leaders|the four|the three|the two)\b", clause, re.IGNORECASE):
                signers = self.state.last_actors
            for agent, person, _ in signers:
                self.emit("signature", {"declaration_date": day, "meeting": (self.state.meeting or {}).get("id"),
                                        "party": agent, "role": role, "signed_by": person}, sentence,
                          "non-signature-cue" if role == "non-signatory" else "signature-cue")
        self.state.declaration_date = day

    def provision(self, sentence: Sentence) -> None:
        body = re.sub(r"^[-–•*]\s+", "", sentence.text)
        summary = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0][:240]
        topics = self.group("topics", body)
        self.emit("provision", {"declaration_date": self.state.declaration_intro["date"], "summary": summary,
                                "topic": topics[0] if topics else None}, sentence, "provision-bullet")

    def memberships(self, sentence: Sentence, mentions: list[Mention]) -> None:
        if not self.cue("coalition_nouns", sentence.text):
            return
        named = [m.entity.key for m in mentions if m.entity.kind == "coalition"]
        coalition = named[0] if named else self.state.coalition
        for role in self.group("membership_roles", sentence.text):
            for agent, _, _ in self.actors(mentions, sentence):
                self.emit("membership", {"member": agent, "role": role, "coalition": coalition}, sentence,
                          "membership-role")

    def pledge(self, sentence: Sentence, mentions: list[Mention], dates: list[DateMention]) -> None:
        """Pledges, plans and refusals, clause by clause ("Poland will not send troops but will …")."""
        text = sentence.text
        if not (self.cue("pledge_cues", text) or self.cue("refusal_cues", text)) \
                or text.split(" ", 1)[0] in self.lex.hypothetical:
            return
        noun = self.cue("declaration_nouns", text)
        subject: list[str] = []
        for lo, hi in self.pledge_clauses(text):
            clause = text[lo:hi]
            condition_at = re.search(r"\s(?:if|unless)\s", clause)
            main = clause[:condition_at.start()] if condition_at else clause  # "… if Moscow refused" is no refusal
            refusal = self.cue("refusal_cues", main)
            if refusal and re.search(r"\bnot\s+(?:rule|ruling)\s+out\b", main, re.IGNORECASE):
                refusal = None  # "does not rule out" is a hedge, not a refusal
            trigger = refusal or self.trigger(main)
            if trigger and noun and lo + trigger.start() > noun.start():
                continue  # the declaration's own wording, read by the signature and provision rules
            quantities = self.finder.quantities(clause)
            types = self.pledge_types(clause, trigger.start() if trigger else 0)
            if not trigger or not (types or quantities):
                continue
            pledgers = self.pledgers(sentence, mentions, clause, lo, trigger) or subject
            if not pledgers:
                continue
            subject = pledgers
            money = [q for q in quantities if q[1] in self.lex.units["currency_words"].values()]
            kind = (self.earmarked(clause, money[0][2]) or "financial") if money else (types[0] if types else "financial")
            conditions = self.group("conditions", text)
            status = "refused" if refusal else ("considered" if self.cue("hedge_cues", clause)
                                                else "conditional" if conditions else "announced")
            quantity = (money or quantities or [None])[0]
            groups = [[p] for p in pledgers] if re.search(r"\beach\b", clause) else [pledgers]
            for group in groups:
                self.emit("pledge", {
                    "pledgers": sorted(set(group)), "beneficiary": "UKR" if re.search(r"\bUkrain", text) else None,
                    "type": kind, "status": status, "condition": conditions[0] if conditions else None,
                    "quantity": quantity[0] if quantity else None, "unit": quantity[1] if quantity else None,
                    "quantity_text": quantity[2] if quantity else None,
                    "date": dates[0].value.text if dates else (self.state.meeting or {}).get("date") or
                    (self.issued.text if self.issued else None),
                    "meeting": (self.state.meeting or {}).get("id")}, sentence, "pledge-cue")

    def earmarked(self, clause: str, amount: str) -> str | None:
        """The pledge type of what money is spent on ("£150 million on interceptor drones"), if the clause
        names it after a purpose marker; money "in military aid" stays financial."""
        after = clause[clause.find(amount) + len(amount):]
        marker = self.cue("purpose_markers", after)
        types = self.pledge_types(after[marker.end():], 0) if marker else []
        return next((t for t in types if t != "financial"), None)

    def trigger(self, clause: str) -> re.Match | None:
        """The pledge cue nearest before the first word of what is pledged ("Macron announced that 26
        countries had committed to a force": committed, not announced)."""
        cues = [c for c in self.lex.cue["pledge_cues"].finditer(clause)  # "a force that could help": a description
                if not (re.search(r"\b(?:that|which)\s+$", clause[:c.start()]) and
                        re.match(r"(?:would|could|will|can|may|might|should)\b", c.group(), re.IGNORECASE))]
        if not cues:
            return None
        first_type = min((m.start() for p in self.lex.groups["pledge_types"].values() for m in p.finditer(clause)),
                         default=len(clause))
        before = [c for c in cues if c.start() < first_type]
        return before[-1] if before else cues[0]

    def pledge_clauses(self, text: str) -> list[tuple[int, int]]:
        """Clauses, with ', and …' and '… but …' split off too when both sides pledge ('Belgium confirmed
        €1 billion, and Canada announced C$200 million'; 'will not send troops but will serve as a hub')."""
        result = []
        for lo, hi in clauses(text):
            cuts = [lo] + [lo + m.start() for m in re.finditer(r",\s+and\s+|\s+but\s+", text[lo:hi])] + [hi]
            parts = list(zip(cuts, cuts[1:]))
            that = [lo + m.start() for m in re.finditer(r",?\s+and\s+that\s+", text[lo:hi])]
            if that:  # "X said A, and that B": two reported statements
                result += list(zip([lo] + that, that + [hi]))
            elif len(parts) > 1 and all(self.cue("pledge_cues", text[a:b]) or self.cue("refusal_cues", text[a:b])
                                      for a, b in parts):
                result += parts
            else:
                result.append((lo, hi))
        return result

    def pledge_types(self, clause: str, after: int) -> list[str]:
        """Pledge types in the order their words appear, those after the trigger first."""
        found = []
        for slug, pattern in self.lex.groups["pledge_types"].items():
            for match in pattern.finditer(clause):
                found.append((match.start() < after, match.start(), slug))
        return [slug for _, _, slug in sorted(found)]

    def pledgers(self, sentence: Sentence, mentions: list[Mention], clause: str, lo: int, trigger: re.Match) -> list[str]:
        """Who pledges: the actors just before the trigger (after any 'X said'), an unnamed group of
        countries (the coalition), or the speaker's state."""
        speech = None
        for match in self.lex.cue["speech_verbs"].finditer(clause[:trigger.start()]):
            speech = match
        start = lo + (speech.end() if speech else 0)
        agents = [m for m in mentions if not self.is_object(sentence, m)]  # before actors() merges a person into their state
        found = [(a, m) for a, _, m in self.actors(agents, sentence, start, lo + trigger.start())]
        actors = []
        for index, (agent, mention) in enumerate(found):  # the first list of names: "Germany", "Britain and France"
            if index and not re.fullmatch(r"[\s,]*(?:and|or|as well as)?[\s,]*(?:the\s+)?",
                                          sentence.text[found[index - 1][1].end - sentence.start:
                                                        mention.start - sentence.start]):
                break
            actors.append(agent)
        coalitions = [m.entity.key for m in mentions if m.entity.kind == "coalition"
                      and start <= m.start - sentence.start < lo + trigger.start()]
        groups = list(re.finditer(self.lex.group_subjects, sentence.text[start:lo + trigger.start()], re.IGNORECASE))
        # "Macron announced that 26 countries had committed": the subject nearest the trigger acts
        nearest = groups and (not found or start + groups[-1].start() > found[-1][1].end - sentence.start)
        if coalitions or (groups and (not actors or nearest)):
            named = [m.entity.key for m in mentions if m.entity.kind == "coalition"]
            actors = coalitions[:1] or named[:1] or ([self.state.coalition] if self.state.coalition else [])
        if not actors and speech:  # "The ministers of X and Y told the meeting their countries are ready to …"
            actors = [a for a, _, _ in self.actors(agents, sentence, lo, lo + speech.start())]
        if not actors and speech:
            speaker = self.speaker(sentence, mentions)
            holder = self.state_of(speaker, self.meeting_day()) if speaker else None
            actors = [holder] if holder else []
        return [a for a in actors if a]

    def is_object(self, sentence: Sentence, mention: Mention) -> bool:
        """'for Ukraine', 'supporting Ukraine': the name is what the sentence is about, not who acts."""
        words = sentence.text[:mention.start - sentence.start].rstrip().split(" ")
        previous = [w.lower().strip(",") for w in words[-2:]]
        return bool(previous) and (previous[-1] in self.lex.object_markers or
                                   (previous[-1].endswith("ing") and len(previous[-1]) > 5) or
                                   (previous[-1] in ("the", "a", "an") and len(previous) > 1
                                    and previous[0] in self.lex.object_markers))

    def speaker(self, sentence: Sentence, mentions: list[Mention]) -> str | None:
        verb = self.cue("speech_verbs", sentence.text)
        limit = sentence.start + (verb.start() if verb else len(sentence.text))
        quoted = [(sentence.start + q.start(), sentence.start + q.end()) for q in QUOTATION.finditer(sentence.text)]
        people = [m.entity.key for m in mentions if m.entity.kind == "person" and m.start < limit
                  and not any(a <= m.start < b for a, b in quoted)]  # "Putin is not serious," he said
        if people:
            return people[0]
        if re.match(r"[“\"]|(?:He|She)\b", sentence.text) or re.search(r"\b(?:he|she) (?:said|added|noted)", sentence.text):
            return self.state.last_speaker or self.state.last_person or self.state.heading_speaker
        return self.state.heading_speaker if verb else None

    def statement(self, sentence: Sentence, mentions: list[Mention]) -> None:
        text = sentence.text
        quote = QUOTATION.search(text)
        if not (quote or self.cue("speech_verbs", text)):
            return
        speaker = self.speaker(sentence, mentions)
        if not speaker:
            return
        day = self.meeting_day()
        meeting = self.state.meeting
        self.emit("statement", {
            "speaker": speaker, "on_behalf_of": self.state_of(speaker, day),
            "topics": self.group("topics", self.without("conditions", text)),
            "quote": quote.group(1) if quote else None,
            "stance": next(iter(self.group("stance", text)), None),
            "date": meeting["date"] if meeting else (self.issued.text if self.issued else None),
            "meeting": meeting["id"] if meeting else None}, sentence, "quote" if quote else "reported-speech")
        self.state.last_person = self.state.last_speaker = speaker

    def office_attributions(self, sentence: Sentence, mentions: list[Mention]) -> None:
        """'U.S. President Jared Kushner': the text gives a person an office; check it at the date."""
        if not self.finder.day:
            return
        for m in mentions:
            if m.entity.kind != "person" or m.rule == "title-plus-state":
                continue
            title = next((t for t in mentions if t.rule == "title-plus-state" and 0 <= m.start - t.end <= 2), None)
            title_text = sentence.text[:m.start - sentence.start]
            state = next((s for s in reversed(mentions) if s.entity.kind == "state" and s.end <= m.start
                          and m.start - s.end < 40), None)
            match = re.search(r"([\w.]+)\s+(" + self.lex.title_words.pattern + r")\s*$", title_text)
            if not (title or (match and state)):
                continue
            title_key = match.group(2) if match else None
            offices = [o for o in self.lex.titles.get(" ".join((title_key or "").split()), [])
                       if state and self.lex.offices[o][0] == state.entity.key]
            if title and not offices:
                offices = [t.office for t in self.lex.offices_of(title.entity.key, self.finder.day)]
            for office in offices[:1]:
                correct = m.entity.key in self.lex.holders(office, self.finder.day)
                self.emit("office-attribution", {"person": m.entity.key, "office": office, "correct": correct,
                                                 "date": self.finder.day.isoformat()}, sentence, "office-attribution")


def extract(document: Document, lex: Lexicon, issued: PartialDate | None) -> Extraction:
    """Claims from the body of ``document``, read as of its publication date ``issued``."""
    return Extractor(lex, issued).run(document)
