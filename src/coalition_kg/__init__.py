"""coalition-kg: a knowledge graph of coalition membership and commitments.

Every claim in the graph carries evidence that points at its source. See README.md.
"""

__version__ = "0.1.0"
