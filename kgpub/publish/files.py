"""Write a build's files: ``kg.ttl``, ``kg.nq``, ``ontology.ttl``/``.owl``, ``validation.ttl``, ``manifest.json``.

Everything is sorted and free of wall-clock data, so two builds of the same
input give the same bytes.  Serialisation is pyoxigraph's (streaming, escapes
any character safely).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse, serialize

from .. import __version__
from ..ontology import write_ontology
from ..vocab import PREFIXES
from .blocks import TurtleEdit, TurtleIndex, subject_key
from .manifest import GraphDigest, GraphEntry, Manifest

KG_TTL = "kg.ttl"
KG_NQ = "kg.nq"
VALIDATION_TTL = "validation.ttl"


class KeptQuads:
    """A graph's quads as its lines of the last ``kg.nq`` (a graph an incremental build did not change),
    parsed only when iterated; its length is the triple count kept with it."""

    __slots__ = ("lines", "count")

    def __init__(self, lines: bytes | memoryview, count: int):
        self.lines, self.count = lines, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(parse(bytes(self.lines), format=RdfFormat.N_QUADS))


@dataclass
class GraphSet:
    """Named graphs of a build, each a deduplicated list of quads (or the kept lines of an unchanged graph),
    with a role for the manifest."""

    graphs: dict[NamedNode, dict[Quad, None] | KeptQuads] = field(default_factory=dict)
    roles: dict[NamedNode, str] = field(default_factory=dict)
    #: a graph's lines of ``kg.nq`` with its digest, when known (:func:`write_nquads` puts them there; a
    #: cache may put those of an unchanged graph); adding to a graph forgets them
    chunks: dict[NamedNode, tuple[bytes | memoryview, GraphDigest]] = field(default_factory=dict)
    #: how to write ``kg.ttl`` from the last one (an incremental build); ``None``: serialise the union
    turtle: TurtleEdit | None = None
    _union: list[Triple] | None = field(default=None, repr=False, compare=False)

    def add(self, graph: NamedNode, quads: Iterable[Quad], role: str = "note") -> None:
        self._union = None
        self.turtle = None
        self.chunks.pop(graph, None)
        self.roles.setdefault(graph, role)
        bucket = self.graphs.get(graph)
        if bucket is None:
            self.graphs[graph] = dict.fromkeys(quads)
        else:
            if isinstance(bucket, KeptQuads):
                bucket = self.graphs[graph] = dict.fromkeys(bucket)
            bucket.update(dict.fromkeys(quads))  # a quad already there keeps its place

    def keep(self, graph: NamedNode, lines: bytes | memoryview, digest: GraphDigest, role: str = "note") -> None:
        """A graph known by its lines of ``kg.nq`` and their digest (parsed only if read)."""
        self._union = None
        self.turtle = None
        self.roles.setdefault(graph, role)
        self.graphs[graph] = KeptQuads(lines, digest.count)
        self.chunks[graph] = (lines, digest)

    def data_graphs(self) -> list[NamedNode]:
        return [g for g in self.graphs if self.roles[g] != "ontology"]

    def ontology_graphs(self) -> list[NamedNode]:
        return [g for g in self.graphs if self.roles[g] == "ontology"]

    def triple_count(self, graphs: Iterable[NamedNode] | None = None) -> int:
        return sum(len(self.graphs[g]) for g in (graphs if graphs is not None else self.graphs))


def _sorted_quads(quads: Iterable[Quad]) -> list[Quad]:
    return sorted(quads, key=lambda q: (q.subject.value, q.predicate.value, str(q.object)))


def union_triples(graphs: GraphSet) -> list[Triple]:
    """The data graphs' triples, deduplicated and sorted (subjects grouped).

    Computed once per state of ``graphs`` (validation and ``kg.ttl`` both use it).
    """
    if graphs._union is None:
        graphs._union = sorted_triples(dict.fromkeys(q.triple for g in graphs.data_graphs() for q in graphs.graphs[g]))
    return graphs._union


def sorted_triples(triples: Iterable[Triple]) -> list[Triple]:
    """``triples`` sorted by :func:`triple_order`: grouped by subject, the subjects sorted, then each one's triples
    (a few each: fewer comparisons of long keys than one sort of them all)."""
    by_subject: dict[str, list[Triple]] = {}
    for t in triples:
        key = subject_key(t.subject)  # type: ignore[arg-type]
        own = by_subject.get(key)
        if own is None:
            by_subject[key] = [t]
        else:
            own.append(t)
    out: list[Triple] = []
    for key in sorted(by_subject):
        own = by_subject[key]
        if len(own) > 1:
            own.sort(key=_predicate_object)
        out += own
    return out


def _predicate_object(t: Triple) -> tuple[str, str]:
    return t.predicate.value, str(t.object)


def triple_order(t: Triple) -> tuple[bool, str, str, str]:
    """IRI subjects first, then by subject, predicate and object."""
    subject = t.subject
    return (type(subject) is not NamedNode, subject.value, t.predicate.value, str(t.object))


def write_turtle(triples: list[Triple], path: Path, prefixes: Mapping[str, str] = PREFIXES) -> Path:
    path.write_bytes(serialize(triples, format=RdfFormat.TURTLE, prefixes=dict(prefixes)))
    return path


def write_kg_turtle(graphs: GraphSet, path: Path, *, index: bool = False) -> TurtleIndex | None:
    """``kg.ttl``: the union of the data graphs, or the last file with ``graphs.turtle``'s blocks replaced;
    with ``index``, the :class:`TurtleIndex` of what was written (``None`` if it cannot be made)."""
    edit = graphs.turtle
    if edit is not None:
        data, made = edit.index.patch(edit.data, edit.blocks)
        path.write_bytes(data)
        return made
    triples = union_triples(graphs)
    data = serialize(triples, format=RdfFormat.TURTLE, prefixes=dict(PREFIXES))
    path.write_bytes(data)
    return TurtleIndex.of(data, triples) if index else None


def write_nquads(graphs: GraphSet, path: Path, digests: dict[NamedNode, GraphDigest] | None = None) -> Path:
    """``kg.nq``: graph after graph, each sorted; with ``digests``, each graph's digest is put there.

    A graph is written as N-Triples with its name put before each line's final `` .`` (a line
    break ends a line only: inside literals it is escaped), and those lines are the digest's.
    A graph of ``graphs.chunks`` is written from there; the others are put there.
    """
    parts: list[bytes | memoryview] = []
    for graph in sorted(graphs.graphs, key=lambda g: g.value):
        chunk = graphs.chunks.get(graph)
        if chunk is None:
            data = serialize([q.triple for q in _sorted_quads(graphs.graphs[graph])], format=RdfFormat.N_TRIPLES)
            digest = GraphDigest()
            for line in data.split(b"\n")[:-1]:
                digest.add_ntriples(line)
            chunk = graphs.chunks[graph] = (data.replace(b" .\n", b" " + str(graph).encode("utf-8") + b" .\n"), digest)
        if digests is not None:
            digests[graph] = chunk[1]
        parts.append(chunk[0])
    with path.open("wb", buffering=0) as out:
        _write_all(out.fileno(), parts)
    return path


_IOV_MAX = 1024  # buffers per writev call (Linux's IOV_MAX)


def _write_all(fd: int, parts: Sequence[bytes | memoryview]) -> None:
    """Write ``parts`` one after the other, up to :data:`_IOV_MAX` buffers a system call (a graph's lines are a few kB)."""
    for start in range(0, len(parts), _IOV_MAX):
        batch = parts[start:start + _IOV_MAX]
        done = os.writev(fd, batch)
        rest = memoryview(b"".join(batch))[done:] if done < sum(len(p) for p in batch) else memoryview(b"")
        while rest:  # a short write (a full disk raises; a signal may stop a write part way)
            rest = rest[os.write(fd, rest):]


def manifest_for(graphs: GraphSet, base_iri: str, digests: Mapping[NamedNode, GraphDigest] | None = None) -> Manifest:
    """The manifest of ``graphs``; ``digests`` (from :func:`write_nquads`) spare computing them again."""
    manifest = Manifest(base_iri=base_iri, kgpub_version=__version__)
    for graph, quads in graphs.graphs.items():
        digest = digests.get(graph) if digests is not None else None
        if digest is None:
            digest = GraphDigest()
            for q in quads:
                digest.add(q)
        manifest.graphs.append(GraphEntry(graph.value, digest.count, digest.hexdigest(), [KG_NQ], role=graphs.roles[graph]))
    return manifest


@dataclass(frozen=True)
class WrittenFiles:
    kg_ttl: Path
    kg_nq: Path
    ontology_ttl: Path
    ontology_owl: Path
    validation_ttl: Path | None
    manifest: Path
    mappings_sssom: Path | None = None  # written by the build after the RDF files (grounding.sssom)
    turtle_index: TurtleIndex | None = field(default=None, compare=False)  # kg.ttl's blocks (asked with index=True)

    def all(self) -> list[Path]:
        return [p for p in (self.kg_ttl, self.kg_nq, self.ontology_ttl, self.ontology_owl, self.validation_ttl, self.manifest,
                            self.mappings_sssom) if p]


def write_build(
    out: Path, graphs: GraphSet, base_iri: str, validation_turtle: str | bytes | None, *, ontology_extra: Sequence[Path] = (),
    index: bool = False,
) -> WrittenFiles:
    """Write every file of a build into ``out`` (created if needed).

    A build without validation removes the ``validation.ttl`` of an earlier build, which
    would describe other data; every other file is rewritten.
    """
    out.mkdir(parents=True, exist_ok=True)
    kg_ttl = out / KG_TTL
    turtle_index = write_kg_turtle(graphs, kg_ttl, index=index)
    digests: dict[NamedNode, GraphDigest] = {}
    kg_nq = write_nquads(graphs, out / KG_NQ, digests)
    # the build's ontology graph (bundled and [extend] ontology files, properties minted for the garden)
    ontology = [Triple(q.subject, q.predicate, q.object) for g in graphs.ontology_graphs() for q in graphs.graphs[g]]
    onto = write_ontology(out, extra=ontology_extra, triples=ontology or None)
    validation = out / VALIDATION_TTL
    if validation_turtle is None:
        validation.unlink(missing_ok=True)
        validation = None
    else:
        data = validation_turtle.encode("utf-8") if isinstance(validation_turtle, str) else validation_turtle
        validation.write_bytes(data)
    manifest = manifest_for(graphs, base_iri, digests).write(out)
    return WrittenFiles(kg_ttl, kg_nq, onto.turtle, onto.rdfxml, validation, manifest, turtle_index=turtle_index)
