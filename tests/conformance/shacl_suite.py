"""The W3C SHACL core test suite (../shared/conformance/shacl-core): its cases and how a report is judged.

Each case names a data graph and a shapes graph (often the test file itself) and an
expected report.  Files are parsed once with pyoxigraph, so blank nodes keep one label
across the data, the shapes and the expected report.  A report passes when
``sh:conforms`` is equal and the results are equal as a multiset of (focus node,
result path, value, severity, constraint component, source shape), the comparison the
suite's README describes (messages and ``sh:detail`` are not compared).  Result paths
are compared by structure (SPARQL path text); a blank source shape is compared by
label when it is a node of the shapes graph, else only as "a blank node".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from pyoxigraph import BlankNode, RdfFormat, Triple, parse

from kgpub.validate.paths import from_rdflib as path_from_rdflib
from kgpub.validate.paths import to_text
from kgpub.validate.rdflib_bridge import nt, to_rdflib

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "shacl-core"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

Key = tuple  # (focus, path text, value, severity, component, shape)


@dataclass(frozen=True)
class Case:
    name: str  # folder/test, e.g. "node/class-001"
    data: Path
    shapes: Path
    manifest: Path
    conforms: bool
    expected: tuple[Key, ...]

    def data_triples(self) -> list[Triple]:
        return triples_of(self.data)

    def shapes_triples(self) -> list[Triple]:
        return triples_of(self.shapes)

    def shape_labels(self) -> frozenset[str]:
        return frozenset(str(t.subject) for t in self.shapes_triples() if isinstance(t.subject, BlankNode))


@cache
def triples_of(path: Path) -> list[Triple]:
    """One parse per file: blank node labels are shared by everything read from it."""
    with path.open("rb") as f:
        return [Triple(q.subject, q.predicate, q.object) for q in parse(f, format=RdfFormat.TURTLE, base_iri=path.as_uri())]


def cases() -> list[Case]:
    out: list[Case] = []
    top = to_rdflib(triples_of(SUITE / "manifest.ttl"))
    for include in sorted(top.objects(None, MF.include), key=str):
        out.extend(_cases_of(Path(rdflib.URIRef(include).replace("file://", ""))))
    return out


def _file(ref) -> Path:
    return Path(str(ref).replace("file://", ""))


def _cases_of(manifest: Path) -> list[Case]:
    g = to_rdflib(triples_of(manifest))
    out = []
    for include in sorted(g.objects(None, MF.include), key=str):
        for entry_file in [_file(include)]:
            out.extend(_entries(entry_file))
    return out


def _entries(path: Path) -> list[Case]:
    g = to_rdflib(triples_of(path))
    out = []
    for lst in g.objects(None, MF.entries):
        for entry in rdflib.collection.Collection(g, lst):
            action = g.value(entry, MF.action)
            result = g.value(entry, MF.result)
            data, shapes = _file(g.value(action, SHT.dataGraph)), _file(g.value(action, SHT.shapesGraph))
            conforms = g.value(result, SH.conforms).toPython() is True
            expected = tuple(sorted((_key(g, r, g) for r in g.objects(result, SH.result)), key=str))
            name = f"{path.parent.name}/{_file(entry).name}"
            out.append(Case(name, data, shapes, path, conforms, expected))
    return out


def _key(g: rdflib.Graph, r, shapes: rdflib.Graph) -> Key:
    def one(p):
        return g.value(r, p)

    path = one(SH.resultPath)
    value = one(SH.value)
    return (nt(one(SH.focusNode)), to_text(path_from_rdflib(g, path)) if path is not None else None,
            nt(value) if value is not None else None, str(one(SH.resultSeverity)).rsplit("#", 1)[-1],
            str(one(SH.sourceConstraintComponent)), nt(one(SH.sourceShape)))


def actual_keys(report) -> tuple[Key, ...]:
    """The comparison keys of a kgpub ValidationReport."""
    return tuple(sorted(((r.focus_node, r.path, r.value, r.severity, r.component, r.shape) for r in report.results), key=str))


def report_keys(report_triples: list[Triple]) -> tuple[bool, tuple[Key, ...]]:
    """(conforms, keys) of a SHACL report graph (e.g. the Turtle `kgpub validate` writes)."""
    g = to_rdflib(report_triples)
    node = next(iter(g.subjects(rdflib.RDF.type, SH.ValidationReport)))
    conforms = g.value(node, SH.conforms).toPython() is True
    return conforms, tuple(sorted((_key(g, r, g) for r in g.objects(node, SH.result)), key=str))


def judge(case: Case, conforms: bool, keys: tuple[Key, ...], *, blank_labels: bool = True) -> str | None:
    """None when the report passes, else what differs.

    ``blank_labels=False`` compares every blank node only as "a blank node" (for a report made
    from another parse of the files, e.g. by the command line).
    """
    shape_labels = case.shape_labels()

    def blank(term):
        return "_:" if not blank_labels and term is not None and term.startswith("_:") else term

    def norm(k: Key) -> Key:
        shape = k[5]
        if shape.startswith("_:") and (shape[2:] not in shape_labels or not blank_labels):
            shape = "_:"
        return (blank(k[0]), k[1], blank(k[2]), k[3], k[4], shape)

    want = Counter(norm(k) for k in case.expected)
    got = Counter(norm(k) for k in keys)
    if conforms != case.conforms:
        return f"conforms {conforms}, expected {case.conforms}"
    if want != got:
        return f"missing {sorted((want - got).elements())}; unexpected {sorted((got - want).elements())}"
    return None


__all__ = ["Case", "cases", "judge", "actual_keys", "report_keys", "SUITE"]
