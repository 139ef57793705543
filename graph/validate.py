"""SHACL validation of the data against ``ontology/shapes.ttl``.

Validation runs with the ontology as the ontology graph and RDFS inference, so a ``dr:State``
counts as a ``dr:Actor`` where a shape asks for one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph import vocab

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from rdflib import Graph

    from graph.store import Store


@dataclass
class Violation:
    """One SHACL result."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str


@dataclass
class Report:
    """The outcome of a validation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    results_graph: Graph | None = None


def _short(term: object) -> str | None:
    if term is None:
        return None
    text = str(term)
    for prefix, ns in vocab.namespaces().items():
        if text.startswith(str(ns)) and prefix != "":
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


def validate(store: Store, extra: Iterable[Path] = ()) -> Report:
    """Validate the data (every triple outside the ontology's graph), with the RDF files
    ``extra`` on top, against the shapes. The files are read apart: the store is not written."""
    from graph.store import parse_file

    import pyshacl
    from rdflib.namespace import SH

    # The stance scheme must be in the data graph itself: shapes look up skos:inScheme there.
    data = store.data_graph() + vocab.ontology_graph()
    for path in extra:
        for subject, predicate, obj, _graph in parse_file(path).quads((None, None, None, None)):
            data.add((subject, predicate, obj))
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=vocab.shapes_graph(),
        ont_graph=vocab.ontology_graph(),
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
    )
    report = Report(conforms=bool(conforms), results_graph=results)
    for result in results.subjects(SH.resultSeverity, None):
        report.violations.append(
            Violation(
                severity=_short(results.value(result, SH.resultSeverity)) or "",
                focus=_short(results.value(result, SH.focusNode)) or "",
                path=_short(results.value(result, SH.resultPath)),
                value=_short(results.value(result, SH.value)),
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    report.violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    return report
