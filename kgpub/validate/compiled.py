"""Compile SHACL Core shapes into typed checks, one per (shape, constraint).

:func:`compile_shapes` reads an rdflib shapes graph and returns :class:`Check`
records that :mod:`kgpub.validate.sparql_constraints` turns into SPARQL
SELECT queries over a pyoxigraph store.  The subset covers what ``shapes/``
uses: class/node/subjects-of/objects-of targets (and implicit class targets),
node shapes and property shapes with an IRI or ``sh:inversePath`` path,
``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype``,
``sh:nodeKind``, ``sh:pattern`` (+ ``sh:flags``), ``sh:in``, ``sh:hasValue``,
``sh:min/maxInclusive/Exclusive``, ``sh:not`` of a shape made of such value
tests, ``sh:severity``, ``sh:message`` and ``sh:deactivated``.  A shape that uses
anything else is listed in ``CompiledShapes.unsupported`` with the reason, and
callers validate it with a conformant engine (kgpub.validate.shacl).  Results are
meant to equal pyshacl's (tests/validate/test_compiled.py) and the W3C suite's
(tests/conformance).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from ..errors import UnsupportedShape
from .paths import Iri, Unary
from .paths import from_rdflib as path_from_rdflib
from .paths import to_text as path_text
from .targets import OWL_CLASS, RDFS_CLASS, TARGET_KINDS

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# Shape-describing terms that never produce results.
_INERT = {"name", "description", "order", "group", "defaultValue", "message", "severity", "deactivated", "flags"}
_TARGETS = TARGET_KINDS
_VALUE_PARAMS = {"class", "datatype", "nodeKind", "pattern", "in", "hasValue",
                 "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "minLength", "maxLength", "languageIn"}
_PAIR_PARAMS = {"equals", "disjoint", "lessThan", "lessThanOrEquals"}
_NODE_SHAPE_PARAMS = (_INERT | set(_TARGETS) | _VALUE_PARAMS | {"property", "not", "equals", "disjoint", "closed",
                                                                 "ignoredProperties"})
_PROPERTY_SHAPE_PARAMS = _INERT | set(_TARGETS) | _VALUE_PARAMS | _PAIR_PARAMS | {"not", "path", "minCount", "maxCount",
                                                                                  "uniqueLang"}
_NOT_INNER_PARAMS = _INERT | {"class", "datatype", "nodeKind", "in", "hasValue"}


@dataclass(frozen=True)
class Target:
    kind: str  # "class", "node", "subjectsOf" or "objectsOf"
    term: str  # N-Triples form of the class, node or predicate


@dataclass(frozen=True)
class Path:
    """A property path: one IRI (``predicate``, maybe ``inverse``) or any SHACL path as SPARQL text (``text``)."""

    predicate: str  # N-Triples form of the predicate IRI ("" for a complex path)
    inverse: bool = False
    text: str | None = None  # SPARQL 1.1 property path text of a complex path (kgpub.validate.paths)

    def result_path(self) -> str:
        """The sh:resultPath as validate() reports it: SPARQL path text (kgpub.validate.paths)."""
        if self.text is not None:
            return self.text
        return f"^{self.predicate}" if self.inverse else self.predicate

    def sparql(self) -> str:
        return self.result_path()


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter: ``kind`` is the SHACL parameter name (``class``, ``minCount``...)."""

    kind: str
    value: Union[str, int, tuple, "Pattern"]  # N-Triples term, count, members of sh:in / inner constraints of sh:not

    @property
    def component(self) -> str:
        name = {"class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind", "pattern": "Pattern", "in": "In",
                "hasValue": "HasValue", "minCount": "MinCount", "maxCount": "MaxCount", "not": "Not",
                "minInclusive": "MinInclusive", "maxInclusive": "MaxInclusive", "minExclusive": "MinExclusive",
                "maxExclusive": "MaxExclusive", "minLength": "MinLength", "maxLength": "MaxLength",
                "languageIn": "LanguageIn", "uniqueLang": "UniqueLang", "equals": "Equals", "disjoint": "Disjoint",
                "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals", "closed": "Closed"}[self.kind]
        return f"{SH}{name}ConstraintComponent"


@dataclass(frozen=True)
class Pattern:
    regex: str
    flags: str = ""


@dataclass(frozen=True)
class Check:
    """One (shape, constraint) pair with what a result of it reports."""

    shape: str  # N-Triples form of the source shape (``_:label`` for a blank node of the shapes graph)
    shape_key: str  # a stable name for the shape (blank nodes included), for grouping and capping
    targets: tuple[Target, ...]
    path: Path | None  # None: a node-level constraint, the value is the focus node
    constraint: Constraint
    severity: str  # "Violation", "Warning", "Info" (local name of sh:severity)
    messages: tuple[str, ...]  # sh:message values; empty means a generic message
    generic_message: str  # pyshacl-style text with {focus} / {value} placeholders


@dataclass(frozen=True)
class CompiledShapes:
    """The checks of every shape that compiled; ``unsupported``: shape (N-Triples) -> why it did not.

    A unit of compilation is a shape with targets together with its property shapes: it compiles
    whole or not at all, and callers validate the ``unsupported`` ones with another engine.
    """

    checks: tuple[Check, ...]
    unsupported: dict = field(default_factory=dict)

    def classes(self) -> set[str]:
        """Every class whose SHACL instances the checks need (targets and sh:class)."""
        out = {t.term for c in self.checks for t in c.targets if t.kind == "class"}
        for c in self.checks:
            for k in (c.constraint, *(c.constraint.value if c.constraint.kind == "not" else ())):
                if k.kind == "class":
                    out.add(k.value)  # type: ignore[arg-type]
        return out


def compile_shapes(graph) -> CompiledShapes:
    """Compile every active shape of ``graph`` (rdflib); raise UnsupportedShape outside the subset."""
    return _Compiler(graph).run()


class _Compiler:
    def __init__(self, graph):
        import rdflib

        self.g = graph
        self.rdflib = rdflib
        self.sh = rdflib.Namespace(SH)

    # -- reading the shapes graph -------------------------------------------------
    def _n3(self, term) -> str:
        if isinstance(term, self.rdflib.BNode):
            raise UnsupportedShape(f"blank node {term.n3()} as a constraint parameter is not supported",
                                   construct="blank node parameter")
        return term.n3()

    def _name(self, shape) -> str:
        return shape.n3(namespace_manager=self.g.namespace_manager)

    def _shapes(self) -> list:
        g, sh, rdflib = self.g, self.sh, self.rdflib
        found = set(g.subjects(rdflib.RDF.type, sh.NodeShape)) | set(g.subjects(rdflib.RDF.type, sh.PropertyShape))
        for pred in _TARGETS:
            found |= set(g.subjects(sh[pred], None))
        for pred in ("property", "node", "not", "qualifiedValueShape"):
            found |= {o for o in g.objects(None, sh[pred]) if not isinstance(o, rdflib.Literal)}
        return sorted(found, key=str)

    def _check_params(self, shape, allowed: set[str], where: str) -> None:
        for p in set(self.g.predicates(shape, None)):
            if str(p).startswith(SH) and str(p)[len(SH):] not in allowed:
                term = "sh:" + str(p)[len(SH):]
                raise UnsupportedShape(f"shape {self._name(shape)}: {term} {where}is not supported by the compiled engine",
                                       shape=self._name(shape), construct=term)

    def _deactivated(self, shape) -> bool:
        v = self.g.value(shape, self.sh.deactivated)
        return v is not None and v.toPython() is True

    def _severity(self, shape) -> str:
        v = self.g.value(shape, self.sh.severity)
        return str(v).rsplit("#", 1)[-1] if v is not None else "Violation"

    def _messages(self, shape) -> tuple[str, ...]:
        return tuple(sorted(str(m) for m in self.g.objects(shape, self.sh.message)))

    def _targets(self, shape) -> tuple[Target, ...]:
        out = []
        for pred, kind in _TARGETS.items():
            for o in self.g.objects(shape, self.sh[pred]):
                out.append(Target(kind, self._n3(o)))
        types = set(self.g.objects(shape, self.rdflib.RDF.type))
        if {self.rdflib.URIRef(RDFS_CLASS), self.rdflib.URIRef(OWL_CLASS)} & types and not isinstance(shape, self.rdflib.BNode):
            out.append(Target("class", shape.n3()))  # implicit class target
        return tuple(sorted(set(out), key=lambda t: (t.kind, t.term)))

    def _path(self, shape) -> Path:
        expr = path_from_rdflib(self.g, self.g.value(shape, self.sh.path))
        if isinstance(expr, Iri):
            return Path(f"<{expr.iri}>")
        if isinstance(expr, Unary) and expr.op == "^" and isinstance(expr.inner, Iri):
            return Path(f"<{expr.inner.iri}>", inverse=True)
        return Path("", text=path_text(expr))

    def _true(self, shape, name: str) -> bool:
        """A boolean parameter is on only when it is exactly "true"^^xsd:boolean (SHACL: "1" is not)."""
        v = self.g.value(shape, self.sh[name])
        return (isinstance(v, self.rdflib.Literal) and str(v) == "true"
                and v.datatype == self.rdflib.XSD.boolean)

    def _value_constraints(self, shape, *, inner: bool = False) -> list[Constraint]:
        from rdflib.collection import Collection

        g, sh = self.g, self.sh
        out: list[Constraint] = []
        for kind in ("class", "nodeKind", "hasValue", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            for o in g.objects(shape, sh[kind]):
                out.append(Constraint(kind, self._n3(o)))
        datatypes = list(g.objects(shape, sh.datatype))
        if len(datatypes) > 1:
            raise UnsupportedShape(f"shape {self._name(shape)}: more than one sh:datatype", construct="sh:datatype")
        out.extend(Constraint("datatype", self._n3(d)) for d in datatypes)
        flags = g.value(shape, sh.flags)
        for o in g.objects(shape, sh.pattern):
            out.append(Constraint("pattern", Pattern(str(o), str(flags) if flags is not None else "")))
        for lst in g.objects(shape, sh["in"]):
            out.append(Constraint("in", tuple(self._n3(m) for m in Collection(g, lst))))
        for kind in ("minLength", "maxLength"):
            for o in g.objects(shape, sh[kind]):
                out.append(Constraint(kind, int(o.toPython())))
        for lst in g.objects(shape, sh.languageIn):
            out.append(Constraint("languageIn", tuple(str(m) for m in Collection(g, lst))))
        if not inner:
            for kind in sorted(_PAIR_PARAMS):
                for o in g.objects(shape, sh[kind]):
                    out.append(Constraint(kind, self._n3(o)))
        if not inner:
            for o in g.objects(shape, sh["not"]):
                self._check_params(o, _NOT_INNER_PARAMS, "inside sh:not ")
                inside = self._value_constraints(o, inner=True)
                if any(c.kind == "datatype" and _checked_in_python(c.value) for c in inside):  # type: ignore[arg-type]
                    raise UnsupportedShape(f"shape {self._name(shape)}: sh:not of a shape with this sh:datatype",
                                           construct="sh:not")
                out.append(Constraint("not", tuple(inside)))
        return out

    # -- building checks ------------------------------------------------------
    def _check(self, shape, targets, path, constraint) -> Check:
        return Check(shape.n3(), shape.n3(), targets, path, constraint, self._severity(shape), self._messages(shape),
                     self._generic(constraint, path))

    def _generic(self, c: Constraint, path: Path | None) -> str:
        """pyshacl's generic message for a shape without sh:message."""
        nm = self.g.namespace_manager

        def s(nt: str) -> str:
            term = _rdflib_term(nt)
            return term.n3(namespace_manager=nm) if isinstance(term, self.rdflib.URIRef) else str(term)

        p = ("->" + s(path.predicate)) if path and path.text is None and not path.inverse else ""
        if c.kind == "class":
            return f"Value does not have class {s(c.value)}"  # type: ignore[arg-type]
        if c.kind == "datatype":
            return f"Value is not Literal with datatype {s(c.value)}"  # type: ignore[arg-type]
        if c.kind == "nodeKind":
            return f"Value is not of Node Kind {s(c.value)}"  # type: ignore[arg-type]
        if c.kind == "pattern":
            return f"Value does not match pattern '{c.value.regex}'"  # type: ignore[union-attr]
        if c.kind == "minCount":
            return f"Less than {c.value} values on {{focus}}{p}"
        if c.kind == "maxCount":
            return f"More than {c.value} values on {{focus}}{p}"
        if c.kind == "in":
            return "Value {value} not in list " + str([s(m) for m in c.value])  # type: ignore[union-attr]
        if c.kind == "hasValue":
            return f"Node {{focus}}{p} does not contain a value in the set: {[s(c.value)]}"  # type: ignore[arg-type]
        if c.kind == "not":
            return "Node {value} must not conform to shape {inner}"
        if c.kind in ("minLength", "maxLength"):
            return f"Value has {'less' if c.kind == 'minLength' else 'more'} than {c.value} characters"
        if c.kind == "languageIn":
            return f"Language of value {{value}} is not in {list(c.value)}"  # type: ignore[arg-type]
        if c.kind == "uniqueLang":
            return f"More than one value shares a language tag on {{focus}}{p}"
        if c.kind == "closed":
            return "Node {focus} is closed: it has a value on a property the shape does not allow"
        if c.kind in _PAIR_PARAMS:
            return f"Value {{value}} does not meet sh:{c.kind} {s(c.value)}"  # type: ignore[arg-type]
        return f"Value is not {c.kind} {s(c.value)}"  # type: ignore[arg-type]

    def _property_checks(self, pshape, targets) -> list[Check]:
        if self._deactivated(pshape):
            return []
        self._check_params(pshape, _PROPERTY_SHAPE_PARAMS, "")
        if any(True for _ in self.g.objects(pshape, self.sh.property)):
            raise UnsupportedShape(f"shape {self._name(pshape)}: sh:property inside a property shape",
                                   construct="sh:property")
        path = self._path(pshape)
        out = []
        for kind in ("minCount", "maxCount"):
            for o in self.g.objects(pshape, self.sh[kind]):
                n = int(o.toPython())
                if kind == "minCount" and n == 0:
                    continue
                out.append(self._check(pshape, targets, path, Constraint(kind, n)))
        out.extend(self._check(pshape, targets, path, c) for c in self._value_constraints(pshape))
        if self._true(pshape, "uniqueLang"):
            out.append(self._check(pshape, targets, path, Constraint("uniqueLang", 1)))
        return out

    def _closed(self, shape) -> list[Constraint]:
        from rdflib.collection import Collection

        if not self._true(shape, "closed"):
            return []
        allowed = set()
        for p in self.g.objects(shape, self.sh.property):
            path = self.g.value(p, self.sh.path)
            if isinstance(path, self.rdflib.URIRef):
                allowed.add(path.n3())
        for lst in self.g.objects(shape, self.sh.ignoredProperties):
            allowed |= {self._n3(m) for m in Collection(self.g, lst)}
        return [Constraint("closed", tuple(sorted(allowed)))]

    def _unit(self, shape, targets) -> list[Check]:
        """The checks of one targeted shape and its property shapes (UnsupportedShape if any part is outside)."""
        if self.g.value(shape, self.sh.path) is not None:
            return self._property_checks(shape, targets)
        self._check_params(shape, _NODE_SHAPE_PARAMS, "")
        out = [self._check(shape, targets, None, c) for c in (*self._value_constraints(shape), *self._closed(shape))]
        for pshape in sorted(self.g.objects(shape, self.sh.property), key=str):
            out.extend(self._property_checks(pshape, targets))
        return out

    def run(self) -> CompiledShapes:
        checks: list[Check] = []
        unsupported: dict[str, str] = {}
        for shape in self._shapes():
            if self._deactivated(shape):
                continue
            try:
                targets = self._targets(shape)
                if targets:
                    checks.extend(self._unit(shape, targets))
            except UnsupportedShape as exc:
                unsupported[shape.n3()] = str(exc)
        return CompiledShapes(tuple(checks), unsupported)


# Datatypes whose literals pyshacl checks for ill-typed lexical forms (rdflib); checked in Python.
def _checked_in_python(datatype_nt: str) -> bool:
    return datatype_nt.startswith("<http://www.w3.org/2001/XMLSchema#") and datatype_nt != "<http://www.w3.org/2001/XMLSchema#string>"


def _rdflib_term(nt: str):
    """An rdflib term from its N-Triples form."""
    import rdflib

    if nt.startswith("<") and nt.endswith(">"):
        return rdflib.URIRef(nt[1:-1])
    g = rdflib.Graph().parse(data=f"<urn:x:s> <urn:x:p> {nt} .", format="nt")
    return next(iter(g.objects()))
