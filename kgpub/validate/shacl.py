"""SHACL validation with pyshacl, whole-graph or in partitions of subjects.

``validate(data)`` accepts an :class:`rdflib.Graph` / :class:`rdflib.Dataset`
(the union of its graphs is validated) or any iterable of pyoxigraph
``Triple``/``Quad`` objects (graph names are dropped: validation sees the
union).  Shapes are every ``shapes/*.ttl``; the class hierarchy of every
``ontology/*.ttl`` is mixed in so ``sh:class`` and ``sh:targetClass`` see
subclasses.

Partitioned mode (``batch_size``) validates subjects in batches.  Each batch
holds the batch subjects' own triples, the ``rdf:type`` triples of every node
they point to, and the ontology's class hierarchy; results are kept only for
focus nodes of the batch.  Every shape in ``shapes/`` looks no further than a
focus node's own triples and the types of their objects, so this gives the
same results as one whole-graph run (tests/validate checks it).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Iterable, Sequence

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from ..errors import ConfigError
from ..ontology import load_ontology_triples
from ..paths import shapes_dir
from ..vocab import RDF, RDFS
from .report import Provenance, ValidationReport, ValidationResult, result_order

__all__ = ["validate", "load_shapes", "ValidationReport", "ValidationResult"]


def load_shapes(folder: Path | None = None):
    """Every ``*.ttl`` of the shapes folder as one rdflib Graph."""
    import rdflib

    folder = folder or shapes_dir()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ConfigError(f"{folder}: no SHACL shapes (*.ttl)")
    g = rdflib.Graph()
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise ConfigError(f"{f}: cannot parse shapes: {exc}") from exc
    return g


@cache
def _default_shapes():
    return load_shapes()


def class_hierarchy(ontology: Iterable[Triple] | None = None) -> list[Triple]:
    """The ``rdfs:subClassOf`` triples between named classes (what sh:class needs)."""
    triples = load_ontology_triples() if ontology is None else ontology
    return [
        t
        for t in triples
        if t.predicate == RDFS.subClassOf and isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode)
    ]


def _to_triples(data) -> list[Triple]:
    """Normalise the accepted inputs to a list of pyoxigraph triples (the union of graphs)."""
    try:
        import rdflib
    except ImportError:  # pragma: no cover - rdflib is a dependency
        rdflib = None
    if rdflib is not None and isinstance(data, rdflib.Graph):
        if isinstance(data, rdflib.Dataset) or getattr(data, "context_aware", False):
            nt = "".join(
                f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o, _g in data.quads((None, None, None, None))
            )
        else:
            nt = data.serialize(format="nt")
        return list({t for t in parse(nt.encode("utf-8"), format=RdfFormat.N_TRIPLES)})
    out: set[Triple] = set()
    for item in data:
        if isinstance(item, Quad):
            out.add(Triple(item.subject, item.predicate, item.object))
        elif isinstance(item, Triple):
            out.add(item)
        else:
            raise TypeError(f"validate() takes rdflib graphs or pyoxigraph Triple/Quad objects, not {type(item).__name__}")
    return list(out)


def _rdflib_graph(triples: Iterable[Triple]):
    import rdflib

    g = rdflib.Graph()
    g.parse(data=serialize(list(triples), format=RdfFormat.N_TRIPLES), format="nt")
    return g


def validate(
    data,
    *,
    shapes=None,
    ontology: Iterable[Triple] | None = None,
    batch_size: int | None = None,
    engine: str = "auto",
) -> ValidationReport:
    """Validate ``data`` against the shapes; see the module docstring for the inputs.

    ``shapes``: an rdflib Graph (default: every ``shapes/*.ttl``).
    ``ontology``: pyoxigraph triples of the ontology (default: ``ontology/*.ttl``);
    only its class hierarchy is used.  ``batch_size``: number of subjects per
    partition (pyshacl), or ``None`` for one whole-graph run.  ``engine``:
    ``"compiled"`` (SHACL compiled to SPARQL over pyoxigraph, kgpub.validate.compiled),
    ``"pyshacl"``, or ``"auto"``: compiled unless a shape is outside its subset or
    ``batch_size`` is given.
    """
    if engine not in ("auto", "compiled", "pyshacl"):
        raise ConfigError(f"unknown validation engine {engine!r} (auto, compiled or pyshacl)")
    triples = _to_triples(data)
    shapes_graph = shapes if shapes is not None else _default_shapes()
    hierarchy = class_hierarchy(ontology)
    if engine == "compiled" or (engine == "auto" and batch_size is None):
        from ..errors import UnsupportedShape
        from .compiled_store import compiled, load_store, validate_store

        try:
            program = compiled(shapes_graph)
        except UnsupportedShape:
            if engine == "compiled":
                raise
        else:
            return validate_store(load_store(triples, hierarchy), shapes=program)
    provenance = Provenance(triples)
    if batch_size is None:
        raw = _run(triples, shapes_graph, hierarchy, keep=None)
    else:
        raw = []
        for batch_triples, subjects in partitions(triples, batch_size):
            raw.extend(_run(batch_triples, shapes_graph, hierarchy, keep=subjects))
    results = sorted({_attribute(r, provenance) for r in raw}, key=result_order)
    return ValidationReport(results)


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


# A raw result: (severity, focus, path, value, message, shape, component) as N-Triples strings.
_Raw = tuple[str, str, "str | None", "str | None", str, "str | None", str]


def _run(triples: list[Triple], shapes_graph, hierarchy: list[Triple], keep: set[str] | None) -> list[_Raw]:
    import pyshacl
    import rdflib
    from rdflib.namespace import SH as RSH

    data_graph = _rdflib_graph(triples)
    ont_graph = _rdflib_graph(hierarchy)
    try:
        _conforms, report_graph, _text = pyshacl.validate(
            data_graph,
            shacl_graph=shapes_graph,
            ont_graph=ont_graph,
            inference="none",
            advanced=False,
            allow_warnings=True,
        )
    except Exception as exc:  # a broken shapes graph or processor, not non-conformance
        raise ConfigError(f"SHACL validation failed to run: {exc}") from exc
    out: list[_Raw] = []
    for node in report_graph.subjects(rdflib.RDF.type, RSH.ValidationResult):
        focus = report_graph.value(node, RSH.focusNode)
        if focus is None:
            continue
        focus_nt = focus.n3()
        if keep is not None and focus_nt not in keep:
            continue
        path = report_graph.value(node, RSH.resultPath)
        value = report_graph.value(node, RSH.value)
        severity = report_graph.value(node, RSH.resultSeverity)
        shape = report_graph.value(node, RSH.sourceShape)
        component = report_graph.value(node, RSH.sourceConstraintComponent)
        messages = sorted(str(m) for m in report_graph.objects(node, RSH.resultMessage))
        out.append(
            (
                str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus_nt,
                path.n3() if isinstance(path, rdflib.URIRef) else None,
                value.n3() if value is not None else None,
                messages[0] if messages else "constraint not met",
                shape.n3() if isinstance(shape, rdflib.URIRef) else None,
                str(component) if component else "",
            )
        )
    return out


def _attribute(raw: _Raw, provenance: Provenance) -> ValidationResult:
    severity, focus, path, value, message, shape, component = raw
    source_path, source_line = provenance.locate(focus, path, value)
    return ValidationResult(source_path, source_line, severity, focus, path, value, message, shape, component)
