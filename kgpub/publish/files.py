"""Write a build's files: ``kg.ttl``, ``kg.nq``, ``ontology.ttl``/``.owl``, ``validation.ttl``, ``manifest.json``.

Everything is sorted and free of wall-clock data, so two builds of the same
input give the same bytes.  Serialisation is pyoxigraph's (streaming, escapes
any character safely).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, serialize

from .. import __version__
from ..ontology import write_ontology
from ..vocab import PREFIXES
from .manifest import GraphDigest, GraphEntry, Manifest

KG_TTL = "kg.ttl"
KG_NQ = "kg.nq"
VALIDATION_TTL = "validation.ttl"


@dataclass
class GraphSet:
    """Named graphs of a build, each a deduplicated list of quads, with a role for the manifest."""

    graphs: dict[NamedNode, dict[Quad, None]] = field(default_factory=dict)
    roles: dict[NamedNode, str] = field(default_factory=dict)
    _union: list[Triple] | None = field(default=None, repr=False, compare=False)

    def add(self, graph: NamedNode, quads: Iterable[Quad], role: str = "note") -> None:
        self._union = None
        bucket = self.graphs.setdefault(graph, {})
        self.roles.setdefault(graph, role)
        for quad in quads:
            bucket[quad] = None

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
        seen: dict[Triple, None] = {}
        for g in graphs.data_graphs():
            for q in graphs.graphs[g]:
                seen[q.triple] = None
        graphs._union = sorted(seen, key=lambda t: (_subject_order(t), t.subject.value, t.predicate.value, str(t.object)))
    return graphs._union


def _subject_order(t: Triple) -> int:
    return 1 if isinstance(t.subject, NamedNode) is False else 0


def write_turtle(triples: list[Triple], path: Path, prefixes: Mapping[str, str] = PREFIXES) -> Path:
    path.write_bytes(serialize(triples, format=RdfFormat.TURTLE, prefixes=dict(prefixes)))
    return path


def write_nquads(graphs: GraphSet, path: Path) -> Path:
    with path.open("wb") as out:
        for graph in sorted(graphs.graphs, key=lambda g: g.value):
            serialize(_sorted_quads(graphs.graphs[graph]), out, format=RdfFormat.N_QUADS)
    return path


def manifest_for(graphs: GraphSet, base_iri: str) -> Manifest:
    manifest = Manifest(base_iri=base_iri, kgpub_version=__version__)
    for graph, quads in graphs.graphs.items():
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

    def all(self) -> list[Path]:
        return [p for p in (self.kg_ttl, self.kg_nq, self.ontology_ttl, self.ontology_owl, self.validation_ttl, self.manifest) if p]


def write_build(
    out: Path, graphs: GraphSet, base_iri: str, validation_turtle: str | bytes | None, *, ontology_extra: Sequence[Path] = ()
) -> WrittenFiles:
    """Write every file of a build into ``out`` (created if needed).

    A build without validation removes the ``validation.ttl`` of an earlier build, which
    would describe other data; every other file is rewritten.
    """
    out.mkdir(parents=True, exist_ok=True)
    kg_ttl = write_turtle(union_triples(graphs), out / KG_TTL)
    kg_nq = write_nquads(graphs, out / KG_NQ)
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
    manifest = manifest_for(graphs, base_iri).write(out)
    return WrittenFiles(kg_ttl, kg_nq, onto.turtle, onto.rdfxml, validation, manifest)
