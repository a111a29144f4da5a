"""A small Python API for notebooks, mirroring the CLI.

    >>> import coalition_kg as ckg
    >>> kg = ckg.open_dataset()                      # the last build, in memory
    >>> rows = kg.query("members-as-of", date="2025-06-01")
    >>> rows[0]["member"]                             # doctest: +SKIP
    >>> rows.to_dataframe()                           # needs pandas  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from rdflib.term import Node

from . import queries
from .namespaces import shorten
from .project import Project
from .store import QueryResult, Store, open_store


class Rows(list):
    """Query answers as a list of dicts (variable → rdflib term or ``None``)."""

    def __init__(self, result: QueryResult) -> None:
        super().__init__(dict(zip(result.variables, row)) for row in result.rows)
        self.variables = result.variables
        self.result = result

    def to_dataframe(self, short: bool = True):
        """The rows as a pandas DataFrame (IRIs shortened to ``state:FRA`` unless ``short=False``)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe() needs pandas: pip install pandas") from None

        def plain(term: Node | None) -> object:
            if term is None:
                return None
            if hasattr(term, "toPython") and not hasattr(term, "fragment"):
                value = term.toPython()
                return value if not isinstance(value, Node) else str(value)
            return shorten(str(term)) if short else str(term)

        return pd.DataFrame([[plain(row[v]) for v in self.variables] for row in self], columns=self.variables)


class NotBuiltError(FileNotFoundError):
    """The dataset has not been built yet."""


class KnowledgeGraph:
    """A built dataset loaded into a store, with the project's stored queries."""

    def __init__(self, store: Store, project: Project) -> None:
        self.store = store
        self.project = project

    def query(self, name: str, **params: object) -> Rows:
        """Run the stored query ``name`` with parameters given as keywords."""
        stored = queries.get(self.project.queries_dir, name)
        return Rows(stored.run(self.store, {k: str(v) for k, v in params.items()}))

    def sparql(self, text: str, **bindings: Node) -> Rows:
        """Run any SPARQL SELECT, with rdflib terms bound to variables."""
        return Rows(self.store.query(text, bindings))

    def stored_queries(self) -> dict[str, queries.StoredQuery]:
        return queries.load_all(self.project.queries_dir)

    def __len__(self) -> int:
        return len(self.store)


def dataset_path(project: Project) -> Path:
    return project.out_dir / "graph" / "dataset.nq"


def open_dataset(root: str | os.PathLike | Project | None = None, backend: str = "oxigraph",
                 inferred: bool = False) -> KnowledgeGraph:
    """The last build of the project at ``root`` in the store ``backend`` names.

    ``backend`` is ``oxigraph`` (in memory, the default), ``memory`` (rdflib's pure-Python
    store), ``oxigraph:PATH`` (persistent; loaded once, reopened fast) or the URL of a
    SPARQL endpoint, which already holds the data (see ``coalition-kg load``). All give
    the same answers. ``inferred=True`` adds the inferred graphs (``inferred.nq``, one named
    graph per rule) to what the sources say.
    """
    project = root if isinstance(root, Project) else Project.find(root)
    store = open_store(backend)
    if store.holds_own_data:
        return KnowledgeGraph(store, project)
    path = dataset_path(project)
    paths = [path, path.with_name("inferred.nq")] if inferred else [path]
    for needed in paths:
        if not needed.exists():
            raise NotBuiltError(f"no built dataset at {needed}; run `coalition-kg build` first")
    store.load(*paths, *derived_graphs(project, path))
    return KnowledgeGraph(store, project)


DERIVED_HEADER = "# derived from dataset.nq sha256 {}"


def derived_graphs(project: Project, dataset: Path) -> list[Path]:
    """Named graphs computed from this very build (``analyze``'s metrics), to load along with it.

    Their first line names the SHA-256 of the dataset they were computed from; after a new
    build they no longer match and are left out until ``analyze`` runs again.
    """
    metrics = project.out_dir / "analysis" / "metrics.nq"
    if not metrics.exists():
        return []
    with open(metrics, encoding="utf-8") as handle:
        first = handle.readline().strip()
    digest = hashlib.sha256(dataset.read_bytes()).hexdigest()
    return [metrics] if first == DERIVED_HEADER.format(digest) else []
