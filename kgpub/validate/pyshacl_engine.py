"""The conformant engine for shapes the compiled engine cannot compile: pyshacl, results mapped without loss.

:func:`run` validates data triples against the shapes of ``only`` (the shapes that
keep their targets; every other shape of the graph stays available to
``sh:node``, ``sh:property``... references) and returns kgpub results:

* only the report's top-level results (``sh:result``); results of nested shapes
  stay under their parent as ``details`` (``sh:detail``);
* every ``sh:resultPath``, blank-node paths included, as SPARQL path text
  (:mod:`kgpub.validate.paths`);
* literals with their lexical form as written (data and shapes reach rdflib
  through :mod:`kgpub.validate.rdflib_bridge`, which does not normalise them).
"""

from __future__ import annotations

from typing import Iterable

import pyshacl
import rdflib
from pyoxigraph import Triple
from rdflib.namespace import SH as RSH

from ..errors import ConfigError, UnsupportedShape
from .paths import from_rdflib as path_from_rdflib
from .paths import to_text
from .rdflib_bridge import nt, to_rdflib
from .report import ValidationResult
from .targets import TARGET_PREDICATES, implicit_class_types


def shapes_subset(shapes: rdflib.Graph, only: set[str]) -> rdflib.Graph:
    """A copy of ``shapes`` where only the shapes named in ``only`` (N-Triples) keep their targets."""
    out = rdflib.Graph()
    for s, p, o in shapes:
        if nt(s) not in only and (str(p) in TARGET_PREDICATES or (p == rdflib.RDF.type and str(o) in implicit_class_types())):
            continue
        out.add((s, p, o))
    return out


def run(data: Iterable[Triple], shapes: rdflib.Graph, only: set[str], extra: Iterable[Triple] = ()) -> list[ValidationResult]:
    """Validate ``data`` (+ ``extra``, e.g. the class hierarchy) with the shapes of ``only``; see the module docstring."""
    data_graph = to_rdflib(extra, to_rdflib(data))
    try:
        _conforms, report, _text = pyshacl.validate(
            data_graph, shacl_graph=shapes_subset(shapes, only), inference="none", advanced=False,
            allow_warnings=True, allow_infos=True,
        )
    except Exception as exc:  # pyshacl raises many types for a broken shapes graph: a tool failure, not a report
        raise ConfigError(f"SHACL validation (pyshacl) failed to run: {exc}") from exc
    out = []
    for node in report.subjects(rdflib.RDF.type, RSH.ValidationReport):
        for r in report.objects(node, RSH.result):
            out.append(_result(report, r))
    return out


def _result(report: rdflib.Graph, node) -> ValidationResult:
    def one(p):
        return report.value(node, p)

    focus, path, value = one(RSH.focusNode), one(RSH.resultPath), one(RSH.value)
    severity, shape, component = one(RSH.resultSeverity), one(RSH.sourceShape), one(RSH.sourceConstraintComponent)
    messages = sorted(str(m) for m in report.objects(node, RSH.resultMessage))
    try:
        path_text = to_text(path_from_rdflib(report, path)) if path is not None else None
    except UnsupportedShape as exc:
        raise ConfigError(f"pyshacl reported a result path that is not a SHACL path: {exc}") from exc
    details = tuple(_result(report, d) for d in sorted(report.objects(node, RSH.detail), key=str))
    return ValidationResult(
        None, None,
        str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        nt(focus), path_text, nt(value) if value is not None else None,
        messages[0] if messages else "constraint not met",
        nt(shape) if shape is not None else None,
        str(component) if component is not None else "",
        details,
    )
