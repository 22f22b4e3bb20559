"""SHACL validation: the compiled engine for every shape it compiles, a conformant engine for the rest.

``validate(data)`` accepts an :class:`rdflib.Graph` / :class:`rdflib.Dataset`
(the union of its graphs is validated) or any iterable of pyoxigraph
``Triple``/``Quad`` objects (graph names are dropped: validation sees the
union).  Shapes are every ``shapes/*.ttl`` unless given (an rdflib Graph or
pyoxigraph triples); the class hierarchy of every ``ontology/*.ttl`` is mixed
in so ``sh:class`` and ``sh:targetClass`` see subclasses.

Engines (``engine=``):

* ``"auto"``: each shape with targets is compiled to SPARQL over pyoxigraph
  (:mod:`kgpub.validate.compiled`); a shape the compiler cannot handle, and
  only that shape, is validated by pyshacl (:mod:`kgpub.validate.pyshacl_engine`,
  results mapped without loss).  ``report.fallbacks`` names those shapes.
* ``"compiled"``: the compiled engine only; a shape it cannot compile raises
  :class:`kgpub.errors.UnsupportedShape`.
* ``"pyshacl"``: pyshacl for every shape (the reference the tests compare with).

Partitioned mode (``batch_size``, pyshacl only) validates subjects in batches.
Each batch holds the batch subjects' own triples, the ``rdf:type`` triples of
every node they point to, and the class hierarchy; results are kept only for
focus nodes of the batch.  Every shape in ``shapes/`` looks no further than a
focus node's own triples and the types of their objects, so this gives the
same results as one whole-graph run (tests/validate checks it).
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from typing import Iterable, Sequence

import rdflib
from pyoxigraph import BlankNode, NamedNode, Quad, Triple

from ..errors import ConfigError, UnsupportedShape
from ..vocab import RDF
from .compiled import CompiledShapes
from .compiled_store import compiled, load_store, validate_store
from .rdflib_bridge import from_rdflib, to_rdflib
from .report import Provenance, ValidationReport, ValidationResult, result_order
from .shapes import class_hierarchy, default_shapes, load_shapes

__all__ = ["validate", "load_shapes", "ValidationReport", "ValidationResult"]

ENGINES = ("auto", "compiled", "pyshacl")

#: Compiled checks evaluated at a time over the in-memory store (threads; pyoxigraph releases the GIL).
QUERY_WORKERS = min(4, os.cpu_count() or 1)


def _to_triples(data) -> list[Triple]:
    """Normalise the accepted inputs to a list of pyoxigraph triples (the union of graphs)."""
    if isinstance(data, rdflib.Graph):
        return from_rdflib(data)
    if isinstance(data, list) and all(type(item) is Triple for item in data):
        return data  # the build's union of triples, as it is: the store and rdflib graphs hold a triple once
    out: dict[Triple, None] = {}
    for item in data:
        kind = type(item)
        if kind is Quad:
            out[item.triple] = None
        elif kind is Triple:
            out[item] = None
        elif isinstance(item, Quad):
            out[item.triple] = None
        elif isinstance(item, Triple):
            out[item] = None
        else:
            raise TypeError(f"validate() takes rdflib graphs or pyoxigraph Triple/Quad objects, not {type(item).__name__}")
    return list(out)


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while many pyoxigraph terms are made.

    Each full collection walks every live object, and a build's hundreds of thousands of
    terms trigger several; pyoxigraph terms hold no Python references, so they form no
    cycles to collect.  The collector is re-enabled (if it was on) when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _shapes_graph(shapes) -> rdflib.Graph:
    if shapes is None:
        return default_shapes()
    if isinstance(shapes, rdflib.Graph):
        return shapes
    return to_rdflib(_to_triples(shapes))


def validate(
    data,
    *,
    shapes=None,
    ontology: Iterable[Triple] | None = None,
    batch_size: int | None = None,
    engine: str = "auto",
) -> ValidationReport:
    """Validate ``data`` against the shapes; see the module docstring for the inputs and engines.

    ``ontology``: pyoxigraph triples of the ontology (default: ``ontology/*.ttl``); only its
    class hierarchy is used.  ``batch_size``: subjects per partition for the pyshacl engine.
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown validation engine {engine!r} ({', '.join(ENGINES)})")
    if batch_size is not None and engine != "pyshacl":
        raise ConfigError("batch_size partitions the pyshacl engine only; use engine='pyshacl'")
    with _collector_paused():
        triples = _to_triples(data)
    shapes_graph = _shapes_graph(shapes)
    hierarchy = class_hierarchy(ontology)
    if engine == "pyshacl":
        return _pyshacl_only(triples, shapes_graph, hierarchy, batch_size)
    program = compiled(shapes_graph)
    if engine == "compiled" and program.unsupported:
        shape, reason = next(iter(sorted(program.unsupported.items())))
        raise UnsupportedShape(reason, shape=shape)
    with _collector_paused():
        report = validate_store(load_store(triples, hierarchy), shapes=program, union=False, workers=QUERY_WORKERS)
    if not program.unsupported:
        return report
    from . import pyshacl_engine  # pyshacl (0.1 s to import) only for the shapes the compiler cannot handle

    provenance = Provenance(triples)
    extra = pyshacl_engine.run(triples, shapes_graph, set(program.unsupported), hierarchy)
    results = sorted([*report.results, *(_attribute(r, provenance) for r in extra)], key=result_order)
    return ValidationReport(results, fallbacks=dict(program.unsupported))


def _pyshacl_only(triples: list[Triple], shapes_graph, hierarchy: list[Triple], batch_size: int | None) -> ValidationReport:
    from . import pyshacl_engine

    every = {s.n3() for s in _all_shapes(shapes_graph)}
    provenance = Provenance(triples)
    if batch_size is None:
        raw = pyshacl_engine.run(triples, shapes_graph, every, hierarchy)
    else:
        raw = []
        for batch_triples, subjects in partitions(triples, batch_size):
            found = pyshacl_engine.run(batch_triples, shapes_graph, every, hierarchy)
            raw.extend(r for r in found if r.focus_node in subjects)
    return ValidationReport(sorted((_attribute(r, provenance) for r in raw), key=result_order),
                            fallbacks={s: "engine='pyshacl'" for s in sorted(every)})


def _all_shapes(shapes_graph) -> set:
    from .targets import TARGET_PREDICATES, implicit_class_types

    found = {s for s, p, _o in shapes_graph if str(p) in TARGET_PREDICATES}
    for cls in implicit_class_types():
        found |= set(shapes_graph.subjects(rdflib.RDF.type, rdflib.URIRef(cls)))
    return found


def partitions(triples: Sequence[Triple], batch_size: int) -> Iterable[tuple[list[Triple], set[str]]]:
    """Split into batches of subjects, each with the rdf:type triples of the nodes it points to."""
    if batch_size < 1:
        raise ConfigError("batch_size must be at least 1")
    by_subject: dict[str, list[Triple]] = {}
    types: dict[str, list[Triple]] = {}
    for t in triples:
        key = str(t.subject)
        by_subject.setdefault(key, []).append(t)
        if t.predicate == RDF.type:
            types.setdefault(key, []).append(t)
    subjects = sorted(by_subject)
    for start in range(0, len(subjects), batch_size):
        batch = subjects[start : start + batch_size]
        keep = set(batch)
        out: list[Triple] = []
        context: set[str] = set()
        for s in batch:
            for t in by_subject[s]:
                out.append(t)
                if isinstance(t.object, (NamedNode, BlankNode)):
                    o = str(t.object)
                    if o not in keep:
                        context.add(o)
        for o in sorted(context):
            out.extend(types.get(o, ()))
        yield out, keep


def _attribute(r: ValidationResult, provenance: Provenance) -> ValidationResult:
    source_path, source_line = provenance.locate(r.focus_node, r.path, r.value)
    return ValidationResult(source_path, source_line, r.severity, r.focus_node, r.path, r.value, r.message, r.shape,
                            r.component, r.details)


def program_for(shapes=None) -> CompiledShapes:
    """The compiled form of ``shapes`` (default every ``shapes/*.ttl``), with its unsupported shapes."""
    return compiled(_shapes_graph(shapes))
