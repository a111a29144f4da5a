"""Faults: builds killed part-way, and arbitrary input fed to the extractor and the loader.

A build killed at any moment (SIGKILL, no chance to clean up) leaves either the previous
output or the new one, complete — never a mixture — and the next build tidies up after it.
Hypothesis feeds arbitrary text to the extractor (no exception; every evidence span lies in
the text and reads the same when the file is read again) and arbitrary records to the loader
(they load, or a DataError names what is wrong; never another exception).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from coalition_kg import open_dataset
from coalition_kg.build import build_dataset, run_build
from coalition_kg.documents import DocumentError, Rules, read_document
from coalition_kg.export import build_lock, recover
from coalition_kg.extract import extract
from coalition_kg.lexicon import build_lexicon
from coalition_kg.load import load_data
from coalition_kg.project import Project
from coalition_kg.schema import PartialDate
from coalition_kg.validate import check_shapes
from coalition_kg.yamlfile import DataError

from .conftest import KITCHEN_SINK, ROOT, copy_project

BUILD = [sys.executable, "-m", "coalition_kg", "build", "--quiet", "--root"]


def files(folder: Path) -> dict[str, bytes] | None:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else None


def restore(folder: Path, contents: dict[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, data in contents.items():
        (folder / name).write_bytes(data)


def debris(project: Project) -> list[str]:
    return sorted(p.name for p in project.out_dir.iterdir() if ".new-" in p.name or ".old-" in p.name)


def test_a_build_killed_at_any_moment_leaves_a_complete_output(tmp_path):
    project = copy_project(KITCHEN_SINK, tmp_path / "project")
    run_build(project)
    old = files(project.out_dir / "graph")
    pledges = project.graph_dir / "curated" / "pledges.yaml"
    pledges.write_text(pledges.read_text().replace("Export finance for air-defence missiles", "Export finance"))
    reference = copy_project(project.root, tmp_path / "reference")  # the same input, built without a kill
    run_build(reference)
    new = files(reference.out_dir / "graph")
    assert new != old

    started = time.perf_counter()
    subprocess.run([*BUILD, str(reference.root)], check=True)
    full = time.perf_counter() - started
    outcomes = set()
    for fraction in (0.3, 0.5, 0.65, 0.75, 0.85, 0.9, 0.95, 1.0):
        restore(project.out_dir / "graph", old)
        process = subprocess.Popen([*BUILD, str(project.root)])
        time.sleep(full * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = files(project.out_dir / "graph")
        if now is None:  # killed between the two renames: the previous output waits to be put back
            outcomes.add("between renames")
            assert [name for name in debris(project) if ".old-" in name]
            continue
        assert now in (old, new), f"killed at {fraction:.0%} of a build: a mixture of two builds"
        outcomes.add("old" if now == old else "new")
        open_dataset(project).query("members-as-of")  # usable
    assert "old" in outcomes, outcomes  # at least one kill landed mid-build
    run_build(project)
    assert files(project.out_dir / "graph") == new
    assert debris(project) == []


def test_the_next_build_puts_back_an_output_retired_by_a_killed_build(kitchen_sink):
    run_build(kitchen_sink)
    target = kitchen_sink.out_dir / "graph"
    before = files(target)
    os.rename(target, kitchen_sink.out_dir / ".graph.old-99999")        # killed between its renames,
    (kitchen_sink.out_dir / ".graph.new-99999").mkdir()                 # with its staging folder left
    (kitchen_sink.out_dir / ".graph.new-99999" / "dataset.nq").write_text("half a file")
    with build_lock(target):
        recover(target)
    assert files(target) == before
    assert debris(kitchen_sink) == []


# -- Hypothesis: the extractor ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def extraction_setup():
    project = Project(ROOT)
    data = load_data(project)
    folder = project.graph_dir / "extraction"
    return Rules.load(folder), build_lexicon(data, folder)


WORDS = ["France", "Germany", "the United Kingdom", "Ukraine", "Macron", "Emmanuel Macron", "Starmer", "Merz",
         "Zelensky", "said", "pledged", "will send", "troops", "€2 billion", "5,000", "signed", "the declaration",
         "met in Paris", "on 6 January 2026", "in March", "coalition of the willing", "leaders", "attended",
         "virtually", "did not", "if a ceasefire", "\n", "\n\n", ".", ",", '"', "Comments", "Reply", "—", "'"]
TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=120).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, issued=st.sampled_from([None, "2025-03-27", "2026-01"]), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_the_extractor_never_fails_and_its_offsets_round_trip(extraction_setup, tmp_path, text, issued, suffix):
    rules, lex = extraction_setup
    path = tmp_path / f"article{suffix}"
    path.write_bytes(text.encode("utf-8", errors="replace"))  # lone surrogates cannot be written as UTF-8
    try:
        document = read_document(path, rules)
    except DocumentError:
        return  # refused with a message: empty, binary-looking, no text
    extraction = extract(document, lex, PartialDate(issued) if issued else None)
    again = read_document(path, rules)
    assert again.text == document.text
    for claim in extraction.claims:
        assert 0 <= claim.start < claim.end <= len(document.text), claim
        assert again.text[claim.start:claim.end] == document.text[claim.start:claim.end]
        assert document.text[claim.start:claim.end].strip()


# -- Hypothesis: the loader ----------------------------------------------------------------------------

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["GBR", "2025-03-02", "2025-02-30", "troops", "announced",
                                                           "keir-starmer", "https://news.example.org/london-summit"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=10), inner, max_size=3)),
                      max_leaves=8)
PLEDGE_FIELDS = ["id", "pledgers", "beneficiary", "type", "summary", "quantity", "unit", "status", "date", "made_at",
                 "sources", "condition", "part_of", "note"]
RECORDS = st.lists(st.dictionaries(st.sampled_from(PLEDGE_FIELDS) | st.text(max_size=8), VALUES, max_size=8), max_size=4)


@pytest.fixture(scope="module")
def loader_project(tmp_path_factory) -> Project:
    return copy_project(KITCHEN_SINK, tmp_path_factory.mktemp("loader") / "project")


@settings(max_examples=40, deadline=None)
@given(records=st.one_of(RECORDS, VALUES))
def test_the_loader_accepts_or_explains_any_records(loader_project, records):
    path = loader_project.graph_dir / "curated" / "pledges.yaml"
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    try:
        data = load_data(loader_project)
    except DataError as error:
        assert error.problems and all(p.path for p in error.problems)
        return
    dataset, report = build_dataset(data)
    try:
        check_shapes(loader_project, dataset, report)
    except DataError as error:
        assert all(p.path.startswith("graph/") for p in error.problems)
