"""SHACL property paths (SHACL 2.3.1): read from a shapes graph, written as SPARQL, as report RDF.

A path is a tree of :class:`PathExpr` nodes: an IRI (``Iri``), ``sh:inversePath``,
a sequence (an RDF list), ``sh:alternativePath``, ``sh:zeroOrMorePath``,
``sh:oneOrMorePath`` and ``sh:zeroOrOnePath``.  Its text form is SPARQL 1.1
property path syntax, fully parenthesised (``^<p>``, ``(<p>/<q>)``,
``(<p>|<q>)``, ``(<p>)*``); an IRI path is just ``<iri>``, which is also its
N-Triples form.  :func:`parse_text` reads that text back, so a result's path
can be kept as a string and still be written to a report as the RDF
structure the spec asks for (``sh:resultPath`` of a blank node path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from pyoxigraph import BlankNode, NamedNode, Triple

from ..errors import UnsupportedShape
from ..iris import short_hash

SH = "http://www.w3.org/ns/shacl#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_UNARY = {"inversePath": "^", "zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


@dataclass(frozen=True)
class Iri:
    iri: str  # the IRI itself, not its N-Triples form


@dataclass(frozen=True)
class Unary:
    op: str  # "^", "*", "+" or "?"
    inner: "PathExpr"


@dataclass(frozen=True)
class Nary:
    op: str  # "/" (sequence) or "|" (alternative)
    items: tuple["PathExpr", ...]


PathExpr = Union[Iri, Unary, Nary]


def to_text(path: PathExpr) -> str:
    """SPARQL 1.1 property path text (fully parenthesised)."""
    if isinstance(path, Iri):
        return f"<{path.iri}>"
    if isinstance(path, Unary):
        return f"^{to_text(path.inner)}" if path.op == "^" else f"({to_text(path.inner)}){path.op}"
    return "(" + path.op.join(to_text(p) for p in path.items) + ")"


def parse_text(text: str) -> PathExpr:
    """Read the text :func:`to_text` writes."""
    path, rest = _parse(text)
    if rest:
        raise ValueError(f"trailing text in property path {text!r}: {rest!r}")
    return path


def _parse(text: str) -> tuple[PathExpr, str]:
    if text.startswith("<"):
        end = text.index(">")
        return Iri(text[1:end]), text[end + 1 :]
    if text.startswith("^"):
        inner, rest = _parse(text[1:])
        return Unary("^", inner), rest
    if text.startswith("("):
        items = []
        ops = set()
        rest = text[1:]
        while True:
            item, rest = _parse(rest)
            items.append(item)
            if rest[0] == ")":
                rest = rest[1:]
                break
            ops.add(rest[0])
            rest = rest[1:]
        if rest[:1] in ("*", "+", "?") and len(items) == 1:
            return Unary(rest[0], items[0]), rest[1:]
        if len(ops) != 1:
            raise ValueError(f"unbalanced property path {text!r}")
        return Nary(ops.pop(), tuple(items)), rest
    raise ValueError(f"not a property path: {text!r}")


def from_rdflib(graph, node) -> PathExpr:
    """The path at ``node`` of an rdflib shapes graph; UnsupportedShape if it is not a SHACL path."""
    import rdflib
    from rdflib.collection import Collection

    sh = rdflib.Namespace(SH)
    if isinstance(node, rdflib.URIRef):
        return Iri(str(node))
    if not isinstance(node, rdflib.BNode):
        raise UnsupportedShape(f"{node!r} is not a property path", construct="sh:path")
    if (node, rdflib.RDF.first, None) in graph:
        items = tuple(from_rdflib(graph, m) for m in Collection(graph, node))
        if len(items) < 2:
            raise UnsupportedShape("a sequence path needs at least two members", construct="sh:path")
        return Nary("/", items)
    pairs = [(p, o) for p, o in graph.predicate_objects(node)]
    if len(pairs) != 1:
        raise UnsupportedShape(f"path node {node.n3()} has {len(pairs)} properties", construct="sh:path")
    p, o = pairs[0]
    name = str(p)[len(SH):] if str(p).startswith(SH) else ""
    if name in _UNARY:
        return Unary(_UNARY[name], from_rdflib(graph, o))
    if name == "alternativePath":
        items = tuple(from_rdflib(graph, m) for m in Collection(graph, o))
        return Nary("|", items)
    raise UnsupportedShape(f"unknown path construct {p}", construct="sh:path")


def to_triples(path: PathExpr, salt: str = "") -> tuple[NamedNode | BlankNode, list[Triple]]:
    """The path as report RDF: its node and the triples describing it (deterministic blank nodes)."""
    if isinstance(path, Iri):
        return NamedNode(path.iri), []
    node = BlankNode("p" + short_hash(salt, to_text(path)))
    out: list[Triple] = []
    if isinstance(path, Unary):
        name = {v: k for k, v in _UNARY.items()}[path.op]
        inner, triples = to_triples(path.inner, salt)
        out += triples
        out.append(Triple(node, NamedNode(SH + name), inner))
        return node, out
    items = []
    for i, item in enumerate(path.items):
        term, triples = to_triples(item, salt)
        out += triples
        items.append(term)
    head = _list(items, out, salt + to_text(path))
    if path.op == "/":
        return head, out  # a sequence path is the list itself
    out.append(Triple(node, NamedNode(SH + "alternativePath"), head))
    return node, out


def _list(items: list, out: list[Triple], salt: str) -> BlankNode:
    nil = NamedNode(RDF_NS + "nil")
    rest: NamedNode | BlankNode = nil
    for i in range(len(items) - 1, -1, -1):
        cell = BlankNode("l" + short_hash(salt, str(i)))
        out.append(Triple(cell, NamedNode(RDF_NS + "first"), items[i]))
        out.append(Triple(cell, NamedNode(RDF_NS + "rest"), rest))
        rest = cell
    return rest  # type: ignore[return-value]
