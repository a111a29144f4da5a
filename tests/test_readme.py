"""The README's console examples print what they show.

Every `$ coalition-kg …` line in a ```console block runs, in order, in a fresh copy of the
project, and must print the lines written under it. A line holding only "…" stands for any
number of lines; a line ending in "…" for any line that starts with what comes before it.
Durations ("[  0.3s]", "(1.1 s)") are not compared, and paths in the project are shown
relative to it, as they are when you run the command from its folder. Examples that need a server, the
network or files outside the project are left out (`SKIP`): the serve and store tests run
the same commands against real servers.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from coalition_kg.cli import main

from .conftest import ROOT, copy_project

README = ROOT / "README.md"
ELLIPSIS = "…"
DURATION = re.compile(r"\d+(\.\d+)? ?s\b")
SKIP = ("&", "--refresh", "serve", "--store http", "--endpoint", "../", "/tmp/", "-live")


@dataclass
class Example:
    """One command of a console block, with the README line it starts on."""

    line: int
    command: str
    shown: list[str] = field(default_factory=list)


def examples(text: str) -> list[Example]:
    """The `$ coalition-kg` commands of the console blocks and the lines shown under each.

    A command continues on the next lines while its quotes are open, as in a shell."""
    found: list[Example] = []
    block: bool = False
    current: Example | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            block, current = line == "```console", None
            continue
        if not block:
            continue
        if current is not None and not complete(current.command):
            current.command += "\n" + line
        elif line.startswith("$ "):
            current = Example(number, line[2:]) if line.startswith("$ coalition-kg ") else None
            if current is not None:
                found.append(current)
        elif current is not None:
            current.shown.append(line)
    return found


def complete(command: str) -> bool:
    try:
        shlex.split(command, comments=True)
    except ValueError:  # an open quote: the command goes on
        return False
    return not command.endswith("\\")


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the printed lines are the shown ones, "…" lines standing for what was cut."""
    if not shown:
        return not printed
    head, rest = shown[0], shown[1:]
    if head.strip() == ELLIPSIS:
        return any(matches(rest, printed[skip:]) for skip in range(len(printed) + 1))
    if not printed:
        return False
    line = printed[0]
    same = (line.startswith(head[:-1].rstrip()) if head.endswith(ELLIPSIS)
            else DURATION.sub("", line).rstrip() == DURATION.sub("", head).rstrip())
    return same and matches(rest, printed[1:])


RUNNABLE = [e for e in examples(README.read_text(encoding="utf-8"))
            if not any(marker in e.command for marker in SKIP)]


def test_the_readme_has_console_examples_to_check():
    assert len(RUNNABLE) >= 15, [e.command for e in RUNNABLE]


def test_every_console_example_in_the_readme_prints_what_it_shows(tmp_path, monkeypatch):
    project = copy_project(ROOT, tmp_path / "project")
    (project.root / "docs").mkdir()
    monkeypatch.chdir(project.root)
    monkeypatch.delenv("COALITION_KG_ROOT", raising=False)
    wrong = []
    for example in RUNNABLE:
        result = CliRunner().invoke(main, shlex.split(example.command, comments=True)[1:])
        printed = result.output.replace(f"{project.root}/", "").rstrip("\n").splitlines()
        shown = "\n".join(example.shown).strip("\n").splitlines()  # none shown: only the exit code counts
        if result.exit_code != 0 or (shown and not matches(shown, printed)):
            wrong.append(f"README.md:{example.line}: $ {example.command}\n"
                         f"  exit code {result.exit_code}; printed:\n    " + "\n    ".join(printed))
    assert not wrong, "\n\n".join(wrong)
