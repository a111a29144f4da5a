"""Where a project's folders are: ``ontology/``, ``graph/``, ``queries/`` and the build output.

Commands work from any folder inside a checkout; ``--root`` or ``COALITION_KG_ROOT``
point them at another one (a test fixture, another coalition's data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    out: Path | None = None  # where builds go; default <root>/out

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def graph_dir(self) -> Path:
        return self.root / "graph"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def out_dir(self) -> Path:
        return self.out or self.root / "out"

    def display(self, path: Path) -> str:
        """A path as users should see it in messages: relative to the project root."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    @classmethod
    def find(cls, root: str | os.PathLike | None = None) -> "Project":
        """The project at ``root``, else at ``$COALITION_KG_ROOT``, else the nearest
        folder above the working directory holding ``ontology/`` and ``graph/``, else the
        checkout this package was installed from."""
        if root is None:
            root = os.environ.get("COALITION_KG_ROOT")
        if root is not None:
            return cls(Path(root).resolve())
        for folder in [Path.cwd(), *Path.cwd().parents]:
            if (folder / "ontology").is_dir() and (folder / "graph").is_dir():
                return cls(folder)
        return cls(Path(__file__).resolve().parents[2])
