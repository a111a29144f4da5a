"""Bad curated input gets a clear, located error, exit code 1, and the last build survives.

Each case breaks one thing in a copy of the kitchen-sink project, runs
``coalition-kg build`` and checks three promises: the message names the file, the line
and the field; the exit code is 1; and every file of the previous build is byte-for-byte
what it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from coalition_kg.build import run_build
from coalition_kg.cli import main


@dataclass
class Case:
    file: str
    change: Callable[[str], str | bytes]
    message: str  # must appear in the error output, located as "<file>:<line>: <field>: ..."


def replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"fixture no longer contains {old!r}"
        return text.replace(old, new, 1)
    return change


CASES = {
    "broken YAML": Case("curated/meetings.yaml", replace("chairs: [keir-starmer]", "chairs: [keir-starmer"),
                        "curated/meetings.yaml:11: invalid YAML"),
    "unknown state code": Case("curated/meetings.yaml", replace("{participant: UKR,", "{participant: UKX,"),
                               "curated/meetings.yaml:18: participants[3].participant: unknown state or org 'UKX' "
                               "(did you mean 'UKR'?)"),
    "impossible date": Case("curated/meetings.yaml", replace("date: 2025-03-27", "date: 2025-02-30"),
                            "curated/meetings.yaml:25: date: 2025-02-30 is not a real date"),
    "duplicate id": Case("curated/pledges.yaml", replace("id: fra-gbr-2025-03-27-reassurance-force",
                                                         "id: gbr-2025-03-02-air-defence-finance"),
                         "curated/pledges.yaml:14: id: duplicate pledge 'gbr-2025-03-02-air-defence-finance'; "
                         "first defined at graph/curated/pledges.yaml:1"),
    "missing sources": Case("curated/statements.yaml",
                            replace("  sources: [https://news.example.org/paris-summit]\n", ""),
                            "curated/statements.yaml:1: sources: required field is missing"),
    "source not described": Case("curated/memberships.yaml",
                                 replace("sources: [https://news.example.org/paris-summit]",
                                         "sources: [https://news.example.org/unknown-page]"),
                                 "curated/memberships.yaml:5: sources[0]: source "
                                 "'https://news.example.org/unknown-page' is not described in graph/curated/sources.yaml"),
    "wrong type": Case("curated/pledges.yaml", replace("quantity: 1600000000", "quantity: lots"),
                       "curated/pledges.yaml:6: quantity: expected a number, got 'lots'"),
    "unknown concept": Case("curated/pledges.yaml", replace("status: announced", "status: delivred"),
                            "curated/pledges.yaml:9: status: unknown pledge-status 'delivred'"),
    "unknown field": Case("curated/meetings.yaml", replace("attendance: absent}", "atendance: absent}"),
                          "curated/meetings.yaml:35: participants[3].atendance: unknown field 'atendance' "
                          "(did you mean 'attendance'?)"),
    "duplicate key": Case("curated/meetings.yaml", replace("  city: Paris\n", "  city: Paris\n  city: Lyon\n"),
                          "curated/meetings.yaml:27: invalid YAML: duplicate key 'city'"),
    "not UTF-8": Case("reference/states.yaml", lambda text: text.replace("Austria", "\xd6sterreich").encode("latin-1"),
                      "reference/states.yaml: not UTF-8 text"),
    "end before start": Case("reference/people.yaml", replace("start: 2021-12-08, end: 2025-05-06",
                                                              "start: 2025-12-08, end: 2025-05-06"),
                             "reference/people.yaml:13: terms[0].end: end 2025-05-06 is before start 2025-12-08"),
    "unknown publisher domain": Case("curated/sources.yaml", replace("https://gov.example/coalition,",
                                                                     "https://unknown.example/coalition,"),
                                     "curated/sources.yaml:1: url: no publisher in graph/reference/publishers.yaml "
                                     "has the domain 'unknown.example'"),
    "meeting id without its date": Case("curated/meetings.yaml", replace("id: 2025-03-27-paris", "id: 2025-03-28-paris"),
                                        "curated/meetings.yaml:20: id: meeting id '2025-03-28-paris' must start with its "
                                        "date 2025-03-27"),
    "quantity without unit": Case("curated/pledges.yaml", replace("  unit: GBP\n", ""),
                                  "curated/pledges.yaml:1: unit: a pledge with a quantity needs a unit"),
    "not a list": Case("curated/attributes.yaml", lambda text: "subject: coalition:coalition-of-the-willing\n",
                       "curated/attributes.yaml:1: expected a list of records, got a mapping"),
    "binary file": Case("curated/statements.yaml", lambda text: bytes(range(256)),
                        "curated/statements.yaml: not UTF-8 text"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_refused_with_a_located_message_and_the_previous_build_survives(name, kitchen_sink):
    case = CASES[name]
    run_build(kitchen_sink)
    before = snapshot(kitchen_sink.out_dir / "graph")

    path = kitchen_sink.graph_dir / case.file
    changed = case.change(path.read_text(encoding="utf-8"))
    path.write_bytes(changed if isinstance(changed, bytes) else changed.encode("utf-8"))
    result = CliRunner().invoke(main, ["build", "--root", str(kitchen_sink.root), "--quiet"])

    assert result.exit_code == 1, result.output
    assert case.message in result.stderr, result.stderr
    assert "Nothing was written" in result.stderr
    assert snapshot(kitchen_sink.out_dir / "graph") == before
    assert sorted(p.name for p in kitchen_sink.out_dir.iterdir() if not p.name.endswith(".lock")) == ["graph"]


def test_every_problem_is_reported_in_one_run(kitchen_sink):
    path = kitchen_sink.graph_dir / "curated" / "pledges.yaml"
    text = path.read_text().replace("status: announced", "status: delivred").replace("quantity: 1600000000", "quantity: x")
    path.write_text(text)
    result = CliRunner().invoke(main, ["validate", "--root", str(kitchen_sink.root)])
    assert result.exit_code == 1
    assert "curated/pledges.yaml:9: status: unknown pledge-status 'delivred'" in result.stderr
    assert "curated/pledges.yaml:6: quantity: expected a number, got 'x'" in result.stderr
