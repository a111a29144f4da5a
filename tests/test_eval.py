"""The extractor measured against the gold annotations in tests/data/eval/ (see its README).

The floors below are just under the scores reached now (all above the issue's targets: F1 0.85
on participations and signatures, 0.75 on pledges and statements), so a change that makes
extraction worse fails here. `coalition-kg eval` prints the table; the README reports it.
"""

import pytest
import yaml

from coalition_kg.evaluate import evaluate
from coalition_kg.project import Project

from .conftest import ROOT

FLOORS = {"participation": 0.90, "signature": 0.90, "meeting": 0.90, "pledge": 0.85, "statement": 0.78}


@pytest.fixture(scope="module")
def result():
    return evaluate(Project(ROOT), ROOT / "tests" / "data" / "eval")


def test_the_whole_set_is_scored(result):
    assert len(result.documents) + len(result.skipped) == 13
    assert sum(s.true_positive + s.false_negative for s in result.totals.values()) > 350


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_f1_stays_at_or_above_its_floor(result, kind):
    assert result.totals[kind].f1 >= FLOORS[kind], f"{kind}: {result.totals[kind]}"


def test_no_reader_comment_is_ever_counted_as_reporting(result):
    assert result.comment_claims == 0


def _leaves(node, where=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{where}[{index}]")
    else:
        yield where, node


@pytest.mark.parametrize("name", ["lexicon.yaml", "languages.yaml", "structure.yaml"])
def test_every_word_the_extractor_matches_is_text(name):
    """YAML reads a bare `on` or `no` as a boolean: such a cue would silently never match."""
    spec = yaml.safe_load((ROOT / "graph" / "extraction" / name).read_text(encoding="utf-8"))
    booleans = [where for where, value in _leaves(spec) if isinstance(value, bool)]
    assert booleans == [], f"quote these entries of graph/extraction/{name}: {booleans}"
