"""Read a news document and find its parts: article body, page furniture, trailing material
and reader comments, and the language of each passage.

Offsets everywhere refer to ``Document.text``: the decoded file with line endings
normalised, or, for HTML, the visible text. Nothing is cut out of that text — furniture
and comments are marked as spans — so an evidence excerpt is always ``text[start:end]``.
The patterns that decide what is furniture or a comment live in
``graph/extraction/structure.yaml``, the stop words in ``languages.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .yamlfile import load_yaml


class DocumentError(ValueError):
    """A document that cannot be read as text; the message says why and what to do."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # body | furniture | related | comment | foreign
    language: str = "en"


@dataclass
class Document:
    path: Path
    text: str
    spans: list[Span] = field(default_factory=list)

    def passages(self, kind: str) -> list[Span]:
        return [s for s in self.spans if s.kind == kind]


@dataclass
class Rules:
    """The structure and language rules, loaded from graph/extraction/."""

    furniture: list[re.Pattern]
    trailing: list[tuple[re.Pattern, str]]
    comment_line: list[re.Pattern]
    html_drop: set[str]
    html_block: set[str]
    max_bytes: int
    stopwords: dict[str, set[str]]

    @classmethod
    def load(cls, folder: Path) -> "Rules":
        structure = load_yaml(folder / "structure.yaml")  # a missing or broken file: a DataError naming it
        languages = load_yaml(folder / "languages.yaml")
        flags = re.IGNORECASE
        return cls(
            furniture=[re.compile(p, flags) for p in structure["furniture"]],
            trailing=[(re.compile(t["pattern"], flags), t["kind"]) for t in structure["trailing"]],
            comment_line=[re.compile(p) for p in structure["comment_line"]],
            html_drop=set(structure["html_drop"]),
            html_block=set(structure["html_block"]),
            max_bytes=int(structure["max_bytes"]),
            stopwords={lang: set(words) for lang, words in languages.items()},
        )


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page: dropped elements skipped, block elements end lines."""

    def __init__(self, rules: Rules) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.rules.html_drop:
            self.skipping += 1
        elif tag in self.rules.html_block:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.rules.html_drop:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.rules.html_block:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))

    def text(self) -> str:
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than tab, newline, form feed, return


def decode(raw: bytes, shown: str, encoding: str | None, max_bytes: int) -> str:
    """Bytes to text, refusing what is not a text document."""
    if not raw.strip():
        raise DocumentError(f"{shown}: the document is empty")
    if len(raw) > max_bytes:
        raise DocumentError(f"{shown}: the document is {len(raw):,} bytes; the limit is {max_bytes:,} "
                            "(split it, or raise max_bytes in graph/extraction/structure.yaml)")
    if b"\x00" in raw[:8192]:
        raise DocumentError(f"{shown}: this is a binary file, not a text document")
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{shown}: not valid {encoding or 'UTF-8'} text (byte {exc.start}); "
                            "give the right one with --encoding") from None
    except LookupError:
        raise DocumentError(f"{shown}: unknown encoding {encoding!r}") from None
    controls = len(CONTROL.findall(text, 0, 8192))
    if controls > len(text[:8192]) * 0.01:
        raise DocumentError(f"{shown}: this looks like a binary file (control characters), not a text document")
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def read_document(path: Path, rules: Rules, encoding: str | None = None, shown: str | None = None) -> Document:
    """Read ``path`` (.txt, .md or .html) and mark its parts."""
    shown = shown or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{shown}: cannot read the file ({exc.strerror})") from None
    text = decode(raw, shown, encoding, rules.max_bytes)
    if path.suffix.lower() in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", text, re.IGNORECASE):
        extractor = _TextExtractor(rules)
        extractor.feed(text)
        text = extractor.text()
    if not text.strip():
        raise DocumentError(f"{shown}: the document has no text")
    return Document(path, text, mark_spans(text, rules))


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def mark_spans(text: str, rules: Rules) -> list[Span]:
    """Label every non-empty line: body, furniture, related, comment (and foreign languages)."""
    spans: list[Span] = []
    section = "body"
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            continue
        marker = next((kind for pattern, kind in rules.trailing if pattern.match(line)), None)
        if marker:
            section = marker
            spans.append(Span(start, end, "furniture"))
            continue
        if section == "related" and any(p.search(line) for p in rules.comment_line):
            section = "comments"
        if section == "body":
            kind = "furniture" if any(p.match(line) for p in rules.furniture) else "body"
        else:
            kind = "related" if section == "related" else "comment"
        language = detect_language(line, rules.stopwords) if kind in ("body", "comment") else "en"
        if kind == "body" and language != "en":
            kind = "foreign"
        spans.append(Span(start, end, kind, language))
    return spans


def detect_language(text: str, stopwords: dict[str, set[str]]) -> str:
    """The language whose function words are most frequent; English when too short to tell."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 6:
        return "en"
    scores = {lang: sum(map(vocabulary.__contains__, words)) for lang, vocabulary in stopwords.items()}
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores.get("en", 0) else "en"
