"""Score the extractor against gold annotations: precision, recall and F1 per claim type.

Each ``<name>.gold.yaml`` in the evaluation folder names its document and lists the claims
a careful analyst finds in the article body (see ``tests/data/eval/README.md``). Claims are
compared on the fields that identify them:

- participations: meeting, participant, present or absent;
- signatures: declaration date, party, role;
- pledges: the set of pledgers and the type (a military subtype also matches "military");
- statements: speaker and topic (a statement with several topics counts once per topic; one
  whose topic was not recognised matches a statement of the same speaker);
- meetings: meeting id.

Reader comments are checked separately: a claim whose evidence lies in a comment would be
a comment counted as reporting, and must never happen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .documents import Rules, read_document
from .extract import Extraction, extract
from .ingest import metadata_for
from .lexicon import Lexicon, build_lexicon
from .load import load_data
from .project import Project
from .schema import PartialDate

KINDS = ("meeting", "participation", "signature", "pledge", "statement")
MILITARY = {"military", "troops", "bases-and-hubs", "air-defence", "weapons", "training", "monitoring",
            "intelligence", "command", "maritime"}


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative


@dataclass
class Result:
    totals: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    documents: dict[str, dict[str, Score]] = field(default_factory=dict)
    comment_claims: int = 0  # claims whose evidence lies in reader comments: must be 0
    skipped: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)  # document → missed and spurious keys


def gold_keys(gold: dict) -> dict[str, Counter]:
    keys = {kind: Counter() for kind in KINDS}
    for m in gold.get("meetings") or []:
        if m.get("id"):
            keys["meeting"][(m["id"],)] = 1
    for p in gold.get("participations") or []:
        keys["participation"][(p["meeting"], p["participant"], p.get("attendance", "present"))] = 1
    for s in gold.get("signatures") or []:
        keys["signature"][(str(s["declaration_date"]), s["party"], s["role"])] = 1
    for p in gold.get("pledges") or []:
        keys["pledge"][(tuple(sorted(p["pledgers"])), p["type"])] += 1
    for s in gold.get("statements") or []:
        keys["statement"][(s["speaker"], s.get("topic"))] = 1
    return keys


def predicted_keys(extraction: Extraction) -> dict[str, Counter]:
    keys = {kind: Counter() for kind in KINDS}
    for c in extraction.of("meeting"):
        keys["meeting"][(c.fields["id"],)] = 1
    for c in extraction.of("participation"):
        attendance = "absent" if c.fields.get("attendance") == "absent" else "present"
        keys["participation"][(c.fields["meeting"], c.fields["participant"], attendance)] = 1
    for c in extraction.of("signature"):
        keys["signature"][(c.fields["declaration_date"], c.fields["party"], c.fields["role"])] = 1
    for c in extraction.of("pledge"):
        keys["pledge"][(tuple(sorted(c.fields["pledgers"])), c.fields["type"])] += 1
    for c in extraction.of("statement"):
        for topic in c.fields["topics"] or [None]:
            keys["statement"][(c.fields["speaker"], topic)] = 1
    return keys


def _same(kind: str, gold: tuple, found: tuple) -> bool:
    if kind == "pledge":
        return gold[0] == found[0] and (gold[1] == found[1] or {gold[1], found[1]} <= MILITARY and
                                        "military" in (gold[1], found[1]))
    if kind == "statement" and (gold[1] is None or found[1] is None):
        return gold[0] == found[0]  # a statement whose topic was not recognised still names its speaker
    return gold == found


def compare(kind: str, gold: Counter, found: Counter) -> tuple[Score, list[str]]:
    """Greedy one-to-one matching of gold keys to found keys."""
    remaining = list(found.elements())
    score, errors = Score(), []
    unmatched = []
    for key in gold.elements():  # exact matches first, so looser ones do not take their place
        if key in remaining:
            remaining.remove(key)
            score.true_positive += 1
        else:
            unmatched.append(key)
    for key in unmatched:
        match = next((f for f in remaining if _same(kind, key, f)), None)
        if match is None:
            score.false_negative += 1
            errors.append(f"missed {kind} {key}")
        else:
            score.true_positive += 1
            remaining.remove(match)
    score.false_positive = len(remaining)
    errors += [f"spurious {kind} {key}" for key in remaining]
    return score, errors


def evaluate(project: Project, folder: Path, lex: Lexicon | None = None) -> Result:
    """Extract from every gold-annotated document in ``folder`` and score the result."""
    extraction_dir = project.graph_dir / "extraction"
    rules = Rules.load(extraction_dir)
    lex = lex or build_lexicon(load_data(project), extraction_dir)
    result = Result()
    for gold_path in sorted(folder.glob("*.gold.yaml")):
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        name = gold_path.name.removesuffix(".gold.yaml")
        document_path = (project.root / gold["document"]).resolve()
        if not document_path.exists():
            result.skipped.append(f"{name}: {gold['document']} not found")
            continue
        metadata = metadata_for(document_path, folder / f"{name}.meta.yaml", {})
        issued = PartialDate(str(metadata["issued"])) if metadata.get("issued") else None
        document = read_document(document_path, rules, metadata.get("encoding"))
        extraction = extract(document, lex, issued)
        comments = document.passages("comment")
        result.comment_claims += sum(1 for c in extraction.claims
                                     if any(s.start <= c.start < s.end for s in comments))
        expected, found = gold_keys(gold), predicted_keys(extraction)
        result.documents[name] = {}
        result.errors[name] = []
        for kind in KINDS:
            score, errors = compare(kind, expected[kind], found[kind])
            result.documents[name][kind] = score
            result.totals[kind].add(score)
            result.errors[name] += errors
    return result


def table(result: Result) -> list[list[str]]:
    rows = []
    for kind in KINDS:
        s = result.totals[kind]
        rows.append([kind, str(s.true_positive + s.false_negative), str(s.true_positive + s.false_positive),
                     f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"])
    return rows
