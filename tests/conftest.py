"""Shared fixtures: the shipped data built once per session, and a kitchen-sink project.

The kitchen sink (tests/data/kitchen_sink/graph) is a miniature project with one of
every record type and the awkward cases: two sources disagreeing about a participation,
a month-precision date, a conditional pledge, an opinion source. Tests that break data
on purpose copy it into a temporary folder first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coalition_kg.api import KnowledgeGraph, open_dataset
from coalition_kg.build import run_build
from coalition_kg.project import Project
from coalition_kg.store import BACKENDS

ROOT = Path(__file__).resolve().parents[1]
KITCHEN_SINK = ROOT / "tests" / "data" / "kitchen_sink"


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The project's own data, built into a temporary output folder."""
    project = Project(ROOT, out=tmp_path_factory.mktemp("shipped-out"))
    run_build(project)
    return project


@pytest.fixture(scope="session", params=sorted(BACKENDS))
def shipped_kg(request: pytest.FixtureRequest, shipped: Project) -> KnowledgeGraph:
    """The shipped build loaded into each backend in turn."""
    return open_dataset(shipped, backend=request.param)


@pytest.fixture(scope="session")
def shipped_kgs(shipped: Project) -> dict[str, KnowledgeGraph]:
    """The shipped build loaded into every backend, for comparing their answers."""
    return {name: open_dataset(shipped, backend=name) for name in sorted(BACKENDS)}


def copy_project(source: Path, target: Path) -> Project:
    """A writable copy of a project's data, sharing the real ontology and queries."""
    shutil.copytree(source / "graph", target / "graph")
    shutil.copytree(ROOT / "ontology", target / "ontology")
    shutil.copytree(ROOT / "queries", target / "queries")
    return Project(target)


@pytest.fixture
def kitchen_sink(tmp_path: Path) -> Project:
    """A fresh, writable copy of the kitchen-sink project."""
    return copy_project(KITCHEN_SINK, tmp_path / "project")


# Stored queries allowed to return no rows on the shipped data, and why.
MAY_BE_EMPTY = {"wikidata-disagreements": "the shipped snapshot agrees with the curated data; "
                                          "tests/test_link.py finds a disagreement in the kitchen sink"}
