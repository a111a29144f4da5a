"""Stored quality checks: SPARQL queries in ``queries/checks/`` that must return no rows.

Each check's header says the rule in one sentence (as in the OBO Ontology Development
Kit's ``*-violation.sparql`` files); a row it returns is one violation, explained by the
row itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import queries
from .store import QueryResult, Store


@dataclass
class CheckResult:
    check: queries.StoredQuery
    result: QueryResult

    @property
    def passed(self) -> bool:
        return not self.result.rows


def run_checks(store: Store, folder: Path) -> list[CheckResult]:
    """Run every check in ``folder`` on ``store``."""
    return [CheckResult(check, check.run(store)) for check in queries.load_all(folder).values()]
