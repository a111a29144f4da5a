"""Sentences, and the names, dates and quantities in them, located by character offsets.

Names are matched as token n-grams against the lexicon (states by name, alias, demonym and
capital; organisations; people by name or surname; titles such as "German Chancellor"
resolved to the office holder on the document's date). A capitalised name the lexicon does
not know is reported; it is resolved to a known person only with corroboration — the same
first name and a surname at most two edits away — never by similarity alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .lexicon import Entity, Lexicon, key_of, tokens
from .schema import PartialDate

MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                           "september", "october", "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
DATE_PATTERNS = [
    ("mdy", re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{4}))?")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?")),
    ("my", re.compile(r"(?:early|mid|late|in)\s+" + _MONTH + r"\s+(\d{4})", re.IGNORECASE)),
    ("iso", re.compile(r"(\d{4})-(\d{2})-(\d{2})")),
    ("relative", re.compile(r"\b(today|yesterday|tomorrow|this week|next week|last week|this month)\b", re.IGNORECASE)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+|next\s+|this\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
]
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "U.S", "U.K", "e.g", "i.e", "vs", "No", "Jan", "Feb",
                 "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: Entity
    rule: str = "name"  # name | title-plus-state | misspelling-first-name | pronoun


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: PartialDate


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    bullet: bool = False
    heading: bool = False


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Split one line of text into sentences (bullets and headings are whole lines)."""
    line = text[start:end]
    stripped = line.lstrip()
    offset = start + len(line) - len(stripped)
    if re.match(r"[-–•*]\s+", stripped):
        return [Sentence(offset, end, text[offset:end], bullet=True)]
    if not re.search(r"[.!?:”\"]\s*$", stripped) and len(stripped.split()) <= 14:
        return [Sentence(offset, end, text[offset:end], heading=True)]
    result, begin = [], offset
    for match in re.finditer(r"[.!?]+[”\"’)]*\s+(?=[“\"‘(]?[A-Z0-9])", text[offset:end]):
        cut = offset + match.end()
        before = re.search(r"(\S+?)\.?[”\"’)]*\s*$", text[begin:offset + match.start() + 1])
        word = before.group(1).rstrip(".") if before else ""
        if word in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word):
            continue
        result.append(Sentence(begin, cut, text[begin:cut].rstrip()))
        begin = cut
    if begin < end:
        result.append(Sentence(begin, end, text[begin:end]))
    return [Sentence(s.start, s.start + len(s.text), s.text) for s in result if s.text.strip()]


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class Finder:
    """Finds mentions in sentences for one document (its date resolves titles and relative dates)."""

    def __init__(self, lex: Lexicon, issued: PartialDate | None) -> None:
        self.lex = lex
        self.issued = issued
        self.day = issued.first_day() if issued else None
        self.unknown: list[tuple[int, int, str]] = []
        self._money: re.Pattern | None = None
        self._counts: re.Pattern | None = None

    # -- names ---------------------------------------------------------------------------

    def mentions(self, sentence: Sentence) -> list[Mention]:
        toks = tokens(sentence.text)
        found: list[Mention] = []
        starts = self.lex.starts
        i = 0
        while i < len(toks):
            word = toks[i][2]
            match = self._longest(toks, i) if word in starts or word.endswith(POSSESSIVE_ENDINGS) else None
            if match:
                length, entities = match
                start, end = sentence.start + toks[i][0], sentence.start + toks[i + length - 1][1]
                found.extend(Mention(start, end, e) for e in self._choose(entities, sentence))
                i += length
                continue
            compound = self._compound(word)
            if compound:
                found.extend(Mention(sentence.start + toks[i][0], sentence.start + toks[i][1], e) for e in compound)
            i += 1
        found += self._titles(sentence, found)
        found += self._unknown_names(sentence, toks, found)
        return sorted(set(found), key=lambda m: (m.start, m.end, m.entity.kind, m.entity.key))

    def _longest(self, toks, i) -> tuple[int, list[Entity]] | None:
        """The longest known name starting at token ``i`` ("Britain's" is "Britain")."""
        first = toks[i][2]
        longest = self.lex.starts.get(first, 0)
        if first.endswith(POSSESSIVE_ENDINGS):
            longest = max(longest, self.lex.starts.get(first[:-2], 0))
        for length in range(min(longest, len(toks) - i), 0, -1):
            key = " ".join(t for _, _, t in toks[i:i + length])
            entities = self.lex.names.get(key) or self.lex.names.get(_without_possessive(key))
            if entities and (length > 1 or toks[i][2][:1].isupper()):
                return length, entities
        return None

    def _choose(self, entities: list[Entity], sentence: Sentence) -> list[Entity]:
        """Keep unambiguous names; a surname shared by several people needs an office at the date."""
        people = [e for e in entities if e.kind == "person"]
        if len(people) > 1 and self.day:
            holding = [e for e in people if self.lex.offices_of(e.key, self.day)]
            people = holding if len(holding) == 1 else []
        elif len(people) > 1:
            people = []
        return [e for e in entities if e.kind != "person"] + people

    def _compound(self, token: str) -> list[Entity]:
        """'Franco-British' → France and the United Kingdom."""
        if "-" not in token:
            return []
        parts = token.split("-")
        result = []
        for part in parts:
            code = self.lex.combining.get(part)
            states = [e for e in self.lex.names.get(part, []) if e.kind == "state"]
            if code:
                result.append(Entity("state", code, "demonym"))
            elif states:
                result.append(states[0])
            else:
                return []
        return result

    def _titles(self, sentence: Sentence, found: list[Mention]) -> list[Mention]:
        """'German Chancellor', 'UK Prime Minister', 'President of France' → the holder on the date."""
        if not self.day:
            return []
        result = []
        for match in self.lex.title_words.finditer(sentence.text):
            title_key = key_of(match.group())
            office_ids = self.lex.titles.get(title_key, []) or self.lex.titles.get(title_key.title(), [])
            start, end = sentence.start + match.start(), sentence.start + match.end()
            state = next((m for m in found if m.entity.kind in ("state", "org") and 0 <= start - m.end <= 2), None)
            if state is None:
                after = re.match(r"\s+of\s+(?:the\s+)?", sentence.text[match.end():])
                if after:
                    state = next((m for m in found if m.entity.kind == "state"
                                  and m.start == end + after.end()), None)
            if state is None:
                continue
            offices = [o for o in office_ids if self.lex.offices[o][0] == state.entity.key]
            holders = sorted({p for o in offices for p in self.lex.holders(o, self.day)})
            named = re.match(r"\s+[A-Z][\w’'-]+\s+[A-Z]", sentence.text[match.end():])
            if len(holders) == 1 and not named:  # "U.S. President Jared Kushner" names the person itself
                result.append(Mention(min(state.start, start), max(state.end, end),
                                      Entity("person", holders[0], "title"), "title-plus-state"))
        return result

    def _unknown_names(self, sentence: Sentence, toks, found: list[Mention]) -> list[Mention]:
        """Capitalised pairs not in the lexicon: resolved only with a matching first name, else reported."""
        covered = [(m.start, m.end) for m in found]
        result = []
        for match in re.finditer(r"\b([A-Z][a-zà-ÿ’'-]+)((?:\s+(?:van|von|de|der|da|di|le|la))?\s+[A-Z][a-zà-ÿ’'-]+)+",
                                 sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if any(s < end and start < e for s, e in covered):
                continue
            words = match.group().split()
            if words[0] in self.lex.not_names or any(w.lower() in MONTHS or w.lower() in WEEKDAYS for w in words):
                continue
            first, last = words[0], words[-1]
            candidates = [p for p in self.lex.first_names.get(first, [])
                          if edit_distance(self.lex.surnames[p].lower(), last.lower()) <= 2]
            if len(candidates) == 1:
                result.append(Mention(start, end, Entity("person", candidates[0], "misspelling"),
                                      "misspelling-first-name"))
            else:
                self.unknown.append((start, end, match.group()))
        return result

    # -- dates and quantities ------------------------------------------------------------

    def dates(self, sentence: Sentence) -> list[DateMention]:
        found = []
        taken: list[tuple[int, int]] = []
        for kind, pattern in DATE_PATTERNS:
            for match in pattern.finditer(sentence.text):
                if any(s < match.end() and match.start() < e for s, e in taken):
                    continue
                value = self._resolve(kind, match, sentence.text)
                if value:
                    taken.append((match.start(), match.end()))
                    found.append(DateMention(sentence.start + match.start(), sentence.start + match.end(), value))
        return sorted(found, key=lambda d: d.start)

    def _resolve(self, kind: str, match: re.Match, text: str) -> PartialDate | None:
        groups = match.groups()
        if kind == "iso":
            return PartialDate(match.group())
        if kind in ("mdy", "dmy"):
            month_name, day, year = (groups[0], groups[1], groups[2]) if kind == "mdy" else (groups[1], groups[0], groups[2])
            month = MONTHS.get(month_name.lower().rstrip(".")[:3] if len(month_name) > 3 else month_name.lower())
            return self._day(int(year) if year else None, month, int(day))
        if kind == "my":
            month = MONTHS.get(groups[0].lower()[:3])
            return PartialDate(f"{int(groups[1]):04d}-{month:02d}") if month else None
        if self.issued is None:
            return None
        word = groups[0].lower()
        if self.issued.precision != "day":
            return self.issued if word in ("today", "this week", "this month") else None
        base = self.day
        if kind == "relative":
            shift = {"today": 0, "yesterday": -1, "tomorrow": 1, "this week": 0, "next week": 7, "last week": -7,
                     "this month": 0}[word]
            value = base + timedelta(days=shift)
            return PartialDate(value.isoformat()) if word in ("today", "yesterday", "tomorrow") else \
                PartialDate(value.isoformat()[:7]) if word == "this month" else None
        target = WEEKDAYS.index(word)
        future = bool(re.search(r"\b(will|next|to be held|is scheduled)\b", text))
        delta = (target - base.weekday()) % 7 if future else -((base.weekday() - target) % 7)
        return PartialDate((base + timedelta(days=delta)).isoformat())

    def _day(self, year: int | None, month: int | None, day: int) -> PartialDate | None:
        if not month:
            return None
        if year is None:
            if self.issued is None:
                return None
            candidates = []
            for y in (self.day.year - 1, self.day.year, self.day.year + 1):
                try:
                    candidates.append(date(y, month, day))
                except ValueError:
                    pass
            if not candidates:
                return None
            chosen = min(candidates, key=lambda d: abs((d - self.day).days))
            return PartialDate(chosen.isoformat())
        try:
            return PartialDate(date(year, month, day).isoformat())
        except ValueError:
            return None

    def quantities(self, text: str) -> list[tuple[float, str, str]]:
        """(amount, unit code, matched text): '£1.6 billion', 'EUR 2 billion', '15.000 troops'."""
        units = self.lex.units
        if self._money is None:
            scale = "|".join(sorted(units["scale"], key=len, reverse=True))
            number = r"(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)"
            symbols = "|".join(re.escape(k) for k in sorted(units["currency_symbols"], key=len, reverse=True))
            self._money = re.compile(r"(?:(" + symbols + r")\s?|\b(EUR|GBP|USD|CAD|AUD)\s?)" + number
                                     + r"(?:\s?(" + scale + r")\b)?" + r"|" + number + r"(?:\s?(" + scale
                                     + r"))?\s+(euros?|pounds?|dollars?)\b", re.IGNORECASE)
            self._counts = re.compile(number + r"(?:\s?(" + scale + r"))?\s+(?:[a-z-]+\s+)?("
                                      + "|".join(units["count_words"]) + r")\b", re.IGNORECASE)
        if not re.search(r"\d", text):
            return []
        result = []
        for m in self._money.finditer(text):
            symbol, code, amount, multiplier, amount2, multiplier2, word = m.groups()
            unit = units["currency_symbols"].get(symbol) if symbol else (code or "").upper() or \
                units["currency_words"].get((word or "").lower())
            value = _number(amount or amount2) * units["scale"].get((multiplier or multiplier2 or "").lower(), 1)
            if unit:
                result.append((value, unit, m.group(), m.start(), m.end()))
        for m in self._counts.finditer(text):
            if any(m.start() < end and start < m.end() for *_, start, end in result):
                continue
            value = _number(m.group(1)) * units["scale"].get((m.group(2) or "").lower(), 1)
            result.append((value, units["count_words"][m.group(3).lower()], m.group(), m.start(), m.end()))
        return [r[:3] for r in result]


POSSESSIVE = re.compile(r"[’']s$")
POSSESSIVE_ENDINGS = ("'s", "’s")


def _without_possessive(word: str) -> str:
    return POSSESSIVE.sub("", word) if word.endswith("s") else word


def _number(text: str) -> float:
    """'15.000' and '15,000' are fifteen thousand; '1.6' is one point six."""
    text = text.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))
