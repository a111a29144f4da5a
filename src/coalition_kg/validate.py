"""Validation of a built dataset: the SHACL shapes (``ontology/shapes.ttl``) and the quality checks.

pyshacl-turbo (a Rust SHACL engine with pySHACL's interface; the tests check it reports what
pySHACL, the reference implementation, reports) runs the shapes without inference over the
union of the dataset's named graphs (the ontology included, so ``sh:class`` follows
``rdfs:subClassOf``), given the dataset itself rather than a merged copy. Each violation becomes a
sentence an analyst can act on, located at the YAML record that made the node (the build
keeps an ``origins`` table, node IRI → ``file:line``) or, for an extracted claim, at the named
graph of the document it was mined from. A violation in curated or reference data is an
error: ``build`` refuses it. One in an extracted claim is reported and the claim is kept —
the document said what it said.

The quality checks are the SPARQL queries of ``queries/checks/`` (``checks.py``); a check
whose header says ``# severity: warning`` flags rows for a look instead of failing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pyshacl_turbo
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import PROV, RDF, SH
from rdflib.term import Node

from .checks import CheckResult, run_checks
from .export import nquads
from .namespaces import CURATED_GRAPH, REFERENCE_GRAPH, shorten
from .project import Project
from .store import Store, open_store
from .yamlfile import DataError, Problem

SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One node that does not fit one shape."""

    focus: str      # the node's IRI
    path: str       # the property concerned, shortened (ckg:pledger), or "" for the node itself
    value: str      # the offending value, shortened, or ""
    message: str    # the shape's sh:message
    origin: str     # "graph/curated/pledges.yaml:12", or the named graph of an extracted claim
    curated: bool   # from curated or reference data (an error) rather than extracted (a warning)

    def sentence(self) -> str:
        """``graph/curated/pledges.yaml:12: pledge:x: a pledge needs ... (ckg:pledgeType; value: …)``."""
        detail = "; ".join(part for part in (self.path, f"value {self.value}" if self.value else "") if part)
        return f"{self.origin}: {shorten(self.focus)} {self.message}" + (f" ({detail})" if detail else "")

    def problem(self) -> Problem:
        """The violation as a located input problem, for the build's error report."""
        path, _, line = self.origin.rpartition(":")
        return Problem(path, int(line) if line.isdigit() else None, self.path,
                       f"{shorten(self.focus)} {self.message}" + (f" (value {self.value})" if self.value else ""))


def shacl_violations(dataset: Dataset, shapes: Path, origins: dict[str, str]) -> list[Violation]:
    """Validate ``dataset`` against the shapes file; the violations, curated ones first."""
    conforms, report, _ = pyshacl_turbo.validate(dataset, shacl_graph=Graph().parse(shapes, format="turtle"),
                                                 inference="none", advanced=True, inplace=True)
    if conforms:
        return []
    curated = {s for name in (CURATED_GRAPH, REFERENCE_GRAPH) for s in dataset.graph(name).subjects(RDF.type)}
    violations = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
        message = report.value(result, SH.resultMessage) or report.value(result, SH.sourceConstraintComponent)
        shown = _show(value) if value != focus else ""  # sh:not reports the node itself as the value
        violations.add(Violation(str(focus), shorten(str(path)) if path is not None else "", shown,
                                 str(message), _origin(dataset, focus, origins), focus in curated))
    return sorted(violations, key=lambda v: (not v.curated, v.origin, v.focus, v.path, v.message))


def _show(value: Node | None) -> str:
    if value is None:
        return ""
    return shorten(str(value)) if isinstance(value, URIRef) else str(value)


def _origin(dataset: Dataset, focus: Node, origins: dict[str, str]) -> str:
    """Where a node came from: its YAML record, the record of the claim its evidence supports, or
    the named graph that describes it."""
    if str(focus) in origins:
        return origins[str(focus)]
    for claim, _, _, _ in dataset.quads((None, PROV.wasDerivedFrom, focus, None)):
        if str(claim) in origins:
            return origins[str(claim)]
    graphs = sorted({str(g) for _, _, _, g in dataset.quads((focus, None, None, None))})
    return shorten(graphs[0]) if graphs else "(unknown origin)"


def load_into(dataset: Dataset, backend: str) -> Store:
    """A store of ``backend`` holding ``dataset`` (through N-Quads, the stores' one input)."""
    store = open_store(backend)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dataset.nq"
        path.write_bytes(nquads(dataset))
        store.load(path)
    return store


@dataclass
class Validation:
    """The outcome of ``validate``: shape violations and check results."""

    violations: list[Violation]
    checks: list[CheckResult]

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.curated]

    @property
    def failed_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed and c.check.severity == "error"]

    @property
    def flagged_checks(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed and c.check.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed_checks


def validate(project: Project, dataset: Dataset, origins: dict[str, str], backend: str = "oxigraph") -> Validation:
    """Run the shapes and the quality checks of ``project`` on ``dataset``."""
    violations = shacl_violations(dataset, project.ontology_dir / SHAPES_FILE, origins)
    checks = run_checks(load_into(dataset, backend), project.queries_dir / "checks")
    return Validation(violations, checks)



def check_shapes(project: Project, dataset: Dataset, report) -> None:
    """The build's gate: curated violations raise ``DataError`` (nothing is written); extracted
    ones become warnings in ``report`` and the claims stay."""
    shapes = project.ontology_dir / SHAPES_FILE
    if not shapes.exists():
        return
    violations = shacl_violations(dataset, shapes, report.origins)
    errors = [v.problem() for v in violations if v.curated]
    if errors:
        raise DataError(errors)
    report.warnings.extend(f"extracted claim kept: {v.sentence()}" for v in violations)
