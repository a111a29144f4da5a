"""coalition-kg: a knowledge graph of coalition membership and commitments.

Every claim in the graph carries evidence that points at its source. Start with
``open_dataset()`` (see ``coalition_kg.api``) or the ``coalition-kg`` command.
"""

__version__ = "0.1.0"

from .api import KnowledgeGraph, Rows, open_dataset  # noqa: E402

__all__ = ["KnowledgeGraph", "Rows", "open_dataset", "__version__"]
