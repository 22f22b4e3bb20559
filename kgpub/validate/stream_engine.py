"""A vectorised SHACL core for bulk data: the constraint kinds of ``shapes/primekg.ttl`` in polars.

Supported: ``sh:targetClass`` (with subclasses from the ontology), ``sh:targetSubjectsOf``,
node-level ``sh:class`` / ``sh:nodeKind sh:IRI``, and property shapes with an IRI path and
``sh:class``, ``sh:nodeKind sh:IRI``, ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``,
``sh:pattern``, each with ``sh:message``.  Results are built like pyshacl's (same focus node,
path, value, message, source shape and component), so a partition checked here gives what
pyshacl gives on it (tests/primekg compares both).  Shapes using anything else, and any
shape with targets that is not a ``sh:NodeShape`` (a targeted property shape, an untyped
shape), raise :class:`UnsupportedShapes`, and :mod:`kgpub.validate.stream` validates each
partition with :func:`kgpub.validate.shacl.validate` (the compiled engine) instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..errors import ConfigError
from .report import ValidationResult

SH = "http://www.w3.org/ns/shacl#"
XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"
_SUPPORTED_NODE = {"targetClass", "targetSubjectsOf", "class", "nodeKind", "property", "message"}
_SUPPORTED_PROPERTY = {"path", "class", "nodeKind", "minCount", "maxCount", "datatype", "pattern", "message"}
_IGNORED = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2000/01/rdf-schema#label",
            "http://www.w3.org/2000/01/rdf-schema#comment"}


class UnsupportedShapes(ConfigError):
    """The shapes use a SHACL feature this engine does not implement."""


@dataclass(frozen=True)
class PropertyRule:
    shape: str  # N-Triples form (``_:label`` for a blank node of the shapes graph)
    path: str
    classes: tuple[str, ...] = ()
    iri_only: bool = False
    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None
    pattern: str | None = None
    message: str = ""


@dataclass(frozen=True)
class NodeRule:
    shape: str  # N-Triples form (``_:label`` for a blank node of the shapes graph)
    target_classes: tuple[str, ...] = ()
    target_subjects_of: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    iri_only: bool = False
    message: str = ""
    properties: tuple[PropertyRule, ...] = field(default_factory=tuple)


def _nt(term) -> str:
    return term.n3()


def compile_shapes(shapes_graph, subclass_pairs: list[tuple[str, str]]) -> list[NodeRule]:
    """Read node shapes from an rdflib graph; ``subclass_pairs`` are (sub, super) N-Triples IRIs."""
    import rdflib
    from rdflib.namespace import RDF

    S = rdflib.Namespace(SH)
    subs: dict[str, set[str]] = {}
    for sub, sup in subclass_pairs:
        subs.setdefault(sup, set()).add(sub)

    def closure(cls: str) -> tuple[str, ...]:
        seen, todo = {cls}, [cls]
        while todo:
            for s in subs.get(todo.pop(), ()):
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
        return tuple(sorted(seen))

    def local_names(node) -> set[str]:
        names = set()
        for p in shapes_graph.predicates(node, None):
            if str(p) in _IGNORED:
                continue
            if not str(p).startswith(SH):
                raise UnsupportedShapes(f"unsupported predicate {p} on shape {node}")
            names.add(str(p)[len(SH):])
        return names

    def message(node) -> str:  # pyshacl's default messages are not reproduced: shapes must say theirs
        messages = sorted(str(m) for m in shapes_graph.objects(node, S.message))
        if not messages and (local_names(node) - {"targetClass", "targetSubjectsOf", "property", "path"}):
            raise UnsupportedShapes(f"{node}: constraints without sh:message")
        return messages[0] if messages else ""

    def one_class(node) -> tuple[str, ...]:
        values = list(shapes_graph.objects(node, S["class"]))
        if len(values) > 1:
            raise UnsupportedShapes(f"several sh:class on {node}")
        return closure(_nt(values[0])) if values else ()

    def iri_only(node) -> bool:
        kinds = list(shapes_graph.objects(node, S.nodeKind))
        if kinds and kinds != [S.IRI]:
            raise UnsupportedShapes(f"sh:nodeKind other than sh:IRI on {node}")
        return bool(kinds)

    def single(node, name):
        values = list(shapes_graph.objects(node, S[name]))
        return values[0] if values else None

    node_shapes = set(shapes_graph.subjects(RDF.type, S.NodeShape))
    targeted = {s for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
                for s in shapes_graph.subjects(S[p], None)}
    targeted |= set(shapes_graph.subjects(RDF.type, rdflib.RDFS.Class)) | set(shapes_graph.subjects(RDF.type, rdflib.OWL.Class))
    for shape in sorted(targeted - node_shapes, key=str):  # a property shape or an untyped shape with targets
        raise UnsupportedShapes(f"{shape}: a shape with targets that is not typed sh:NodeShape")
    rules = []
    for node in sorted(node_shapes, key=str):
        extra = local_names(node) - _SUPPORTED_NODE
        if extra:
            raise UnsupportedShapes(f"{node}: unsupported {sorted(extra)}")
        props = []
        for prop in sorted(shapes_graph.objects(node, S.property), key=str):
            extra = local_names(prop) - _SUPPORTED_PROPERTY
            path = single(prop, "path")
            if extra or not isinstance(path, rdflib.URIRef):
                raise UnsupportedShapes(f"{prop}: unsupported {sorted(extra) or 'path'}")
            mn, mx, dt, pat = (single(prop, n) for n in ("minCount", "maxCount", "datatype", "pattern"))
            props.append(
                PropertyRule(
                    shape=_nt(prop),
                    path=_nt(path), classes=one_class(prop), iri_only=iri_only(prop),
                    min_count=int(mn) if mn is not None else None, max_count=int(mx) if mx is not None else None,
                    datatype=_nt(dt) if dt is not None else None, pattern=str(pat) if pat is not None else None,
                    message=message(prop),
                )
            )
        rules.append(
            NodeRule(
                shape=_nt(node),
                target_classes=tuple(sorted({c for t in shapes_graph.objects(node, S.targetClass) for c in closure(_nt(t))})),
                target_subjects_of=tuple(sorted(_nt(t) for t in shapes_graph.objects(node, S.targetSubjectsOf))),
                classes=one_class(node), iri_only=iri_only(node), message=message(node), properties=tuple(props),
            )
        )
    return rules


_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def check(rules: list[NodeRule], triples: pl.DataFrame, types: pl.DataFrame,
          typed: dict[tuple[str, ...], pl.Series] | None = None) -> list[ValidationResult]:
    """Validate ``triples`` (columns ``s, p, o`` as N-Triples terms) whose objects' types are in ``types`` (``s, o``).

    ``typed``: a cache of the nodes of ``types`` per class tuple, shared by the calls that
    check the partitions of one data set against the same ``types``.
    """
    out: list[ValidationResult] = []
    typed = {} if typed is None else typed
    empty = triples.clear()
    by_predicate = {key[0]: frame for key, frame in triples.select("s", "p", "o").partition_by("p", as_dict=True).items()}

    def of(predicate: str) -> pl.DataFrame:
        return by_predicate.get(predicate, empty)

    def result(focus, path, value, message, shape, component) -> ValidationResult:
        return ValidationResult(None, None, "Violation", focus, path, value, message, shape, SH + component)

    def has_class(frame: pl.DataFrame, column: str, classes: tuple[str, ...]) -> pl.Series:
        nodes = typed.get(classes)
        if nodes is None:
            nodes = typed[classes] = types.filter(pl.col("o").is_in(list(classes)))["s"].unique()
        return frame[column].is_in(nodes.implode())

    own_types = of(_TYPE)
    for rule in rules:
        focus = pl.concat(
            [
                own_types.filter(pl.col("o").is_in(list(rule.target_classes)))["s"],
                *(of(p)["s"] for p in rule.target_subjects_of),
            ]
        ).unique()
        if focus.len() == 0:
            continue
        frame = pl.DataFrame({"s": focus})
        if rule.classes:
            bad = frame.filter(~has_class(frame, "s", rule.classes))["s"]
            out += [result(f, None, f, rule.message, rule.shape, "ClassConstraintComponent") for f in bad]
        if rule.iri_only:
            bad = frame.filter(~pl.col("s").str.starts_with("<"))["s"]
            out += [result(f, None, f, rule.message, rule.shape, "NodeKindConstraintComponent") for f in bad]
        for prop in rule.properties:
            values = of(prop.path).filter(pl.col("s").is_in(focus.implode())).select("s", "o")
            if prop.min_count is not None or prop.max_count is not None:
                counts = frame.join(values.group_by("s").len(), on="s", how="left").with_columns(pl.col("len").fill_null(0))
                if prop.min_count is not None:
                    for f in counts.filter(pl.col("len") < prop.min_count)["s"]:
                        out.append(result(f, prop.path, None, prop.message, prop.shape, "MinCountConstraintComponent"))
                if prop.max_count is not None:
                    for f in counts.filter(pl.col("len") > prop.max_count)["s"]:
                        out.append(result(f, prop.path, None, prop.message, prop.shape, "MaxCountConstraintComponent"))
            if values.height == 0:
                continue
            checks = []
            if prop.classes:
                checks.append(("ClassConstraintComponent", ~has_class(values, "o", prop.classes)))
            if prop.iri_only:
                checks.append(("NodeKindConstraintComponent", ~values["o"].str.starts_with("<")))
            literal = values["o"].str.starts_with('"')
            if prop.datatype is not None:
                plain = literal & ~values["o"].str.contains(r'"(\^\^<[^>]*>|@[A-Za-z0-9-]+)$')
                typed_ok = values["o"].str.ends_with('"^^' + prop.datatype)
                ok = typed_ok | (plain if prop.datatype == XSD_STRING else pl.Series([False] * values.height))
                checks.append(("DatatypeConstraintComponent", ~ok))
            if prop.pattern is not None:
                lexical = pl.when(literal).then(values["o"].str.extract(r'^"(.*)"', 1)).otherwise(
                    values["o"].str.strip_prefix("<").str.strip_suffix(">")
                )
                matches = values.select(lexical.str.contains(prop.pattern).fill_null(False)).to_series()
                checks.append(("PatternConstraintComponent", ~matches))
            for component, failing in checks:
                for f, v in values.filter(failing).iter_rows():
                    out.append(result(f, prop.path, v, prop.message, prop.shape, component))
    return out
