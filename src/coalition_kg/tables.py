"""Print query answers as a table for people, or CSV/JSON for other programs.

Tables shorten IRIs (``state:FRA``) and cut long cells; CSV and JSON keep full IRIs and
exact values so nothing is lost when the output is read by another tool.
"""

from __future__ import annotations

import csv
import json
from typing import TextIO

from rdflib import Literal
from rdflib.term import Node

from .namespaces import shorten
from .store import QueryResult

FORMATS = ("table", "csv", "json")
MAX_CELL = 60


def cell(term: Node | None, short: bool) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    return shorten(str(term)) if short else str(term)


def render(result: QueryResult, fmt: str, out: TextIO) -> None:
    if result.boolean is not None:
        out.write(("true" if result.boolean else "false") + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([cell(t, short=False) for t in row] for row in result.rows)
    elif fmt == "json":
        rows = [{v: cell(t, short=False) for v, t in zip(result.variables, row) if t is not None}
                for row in result.rows]
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(table(result.variables, [[cell(t, short=True) for t in row] for row in result.rows]))
        out.write(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})\n")


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns; cells longer than MAX_CELL are cut with '…'."""
    def fit(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"

    cells = [[fit(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"
