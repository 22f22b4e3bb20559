"""Where validation gets its inputs: the shapes of ``shapes/`` and the class hierarchy of ``ontology/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Iterable

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from ..errors import ConfigError
from ..ontology import canonical_triples, load_ontology_triples
from ..paths import shapes_dir
from ..vocab import RDFS
from .rdflib_bridge import to_rdflib

PRIMEKG_SHAPES = "primekg.ttl"


def load_shapes(folder: Path | None = None) -> rdflib.Graph:
    """Every ``*.ttl`` of the shapes folder as one rdflib Graph."""
    folder = folder or shapes_dir()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ConfigError(f"{folder}: no SHACL shapes (*.ttl)")
    return load_shape_files(files)


def load_shape_files(files: Iterable[Path]) -> rdflib.Graph:
    """The shapes of RDF files (format from the extension) as one rdflib Graph, literals as written.

    Blank nodes get labels derived from their content, so a blank source shape has the same
    label in every run's report (deterministic outputs).
    """
    triples: list[Triple] = []
    for f in files:
        triples.extend(read_rdf(Path(f)))
    return to_rdflib(_anchored(canonical_triples(triples)))


def _anchored(triples: list[Triple]) -> list[Triple]:
    """Blank nodes hanging off one IRI (``ex:S sh:property [...]``) relabelled by that IRI and predicate too:
    content labels alone give two identical property shapes of different node shapes an order-dependent suffix."""
    import hashlib

    from pyoxigraph import BlankNode

    parents: dict[str, list[Triple]] = {}
    for t in triples:
        if isinstance(t.object, BlankNode):
            parents.setdefault(t.object.value, []).append(t)
    relabel = {}
    for node, incoming in parents.items():
        if len(incoming) == 1 and isinstance(incoming[0].subject, NamedNode):
            base = node.split("x")[0] if "x" in node else node
            key = f"{incoming[0].subject} {incoming[0].predicate} {base}"
            relabel[node] = "s" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def term(x):
        return BlankNode(relabel[x.value]) if isinstance(x, BlankNode) and x.value in relabel else x

    return [Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def read_rdf(path: Path) -> list[Triple]:
    """The triples of an RDF file (Turtle, N-Triples, N-Quads, TriG, RDF/XML, N3; gzip allowed), graphs merged."""
    import gzip

    name = path.name[:-3] if path.name.endswith(".gz") else path.name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = RdfFormat.RDF_XML if ext == "owl" else RdfFormat.from_extension(ext)
    if fmt is None:
        raise ConfigError(f"{path}: unknown RDF format (use .ttl, .nt, .nq, .trig, .rdf/.owl, .n3)")
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            return [Triple(q.subject, q.predicate, q.object) for q in parse(f, format=fmt, base_iri=path.resolve().as_uri())]
    except (SyntaxError, OSError) as exc:
        raise ConfigError(f"{path}: cannot read RDF: {exc}") from exc


@cache
def default_shapes() -> rdflib.Graph:
    return load_shapes()


def load_primekg_shapes() -> rdflib.Graph:
    return load_shape_files([shapes_dir() / PRIMEKG_SHAPES])


def class_hierarchy(ontology: Iterable[Triple] | None = None) -> list[Triple]:
    """The ``rdfs:subClassOf`` triples between named classes (what sh:class needs)."""
    triples = load_ontology_triples() if ontology is None else ontology
    return [
        t
        for t in triples
        if t.predicate == RDFS.subClassOf and isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode)
    ]
