"""Read YAML while remembering the line of every key and list item.

Curated data is edited by hand, so an error has to point at the file, line and field
(``graph/curated/pledges.yaml:41: status: …``). PyYAML forgets positions once a document
is constructed; this loader keeps them on the containers it builds, and it refuses
duplicate keys, which PyYAML would otherwise silently overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class DataError(Exception):
    """Raised with every problem found, so one run reports them all."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input data:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class LineDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


MAX_BYTES = 10_000_000  # far above any hand-edited file; a bigger one is a mistake or an attack


class _Lines:
    """Constructors that record positions and reject duplicate keys and aliases.

    Hand-edited data has no use for anchors and aliases, and nested aliases can expand a
    small file into billions of nodes ("billion laughs")."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # Each node is constructed once, so meeting one again means an alias (*name) points at it.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasFound()
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _AliasFound(Exception):
    """libyaml does not say where an alias stood; the pure-Python parser is asked again for that."""


class _Loader(_Lines, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml parses ten times faster
    pass


class _AliasLocator(_Lines, yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in data files",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


# Dates stay strings: the schema parses them itself, so an impossible date such as
# 2025-02-30 gets a located error instead of a bare ValueError from PyYAML.
for _loader in (_Loader, _AliasLocator):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Lines.construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Lines.construct_sequence)


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; syntax, encoding and duplicate-key errors become a ``DataError``."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError([Problem(shown, None, "", f"file is {size / 1e6:.1f} MB; at most {MAX_BYTES / 1e6:.0f} MB "
                                                      "allowed (split it into several files)")])
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(shown, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise DataError([Problem(shown, None, "", f"cannot read file: {exc.strerror}")]) from None
    try:
        try:
            return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
        except _AliasFound:
            yaml.load(text, Loader=_AliasLocator)  # noqa: S506 - raises, pointing at the alias
            raise yaml.YAMLError("aliases (*name) are not allowed in data files") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise DataError([Problem(shown, line, "", f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, None, "", f"invalid YAML: {exc}")]) from None
