"""What an import produced and dropped: ``summary.json`` and ``void.ttl``.

The VoID description of graph ``B graph/primekg`` carries the graph-level
provenance of every edge in it (dataset, release, source file), the class and
property partitions (nodes per class, edges per PrimeKG relation pair) and the
rows dropped per reason, with their first line numbers.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, serialize

from ...paths import mappings_dir
from ...publish.manifest import GraphDigest
from ...vocab import DCTERMS, KGO, PAV, PREFIXES, PROV, RDF, VOID, XSD
from .mapping import PrimekgMapping, RelationRule
from .reasons import DropReason

DATASET_TSV = "primekg_dataset.tsv"


@dataclass(frozen=True)
class DatasetInfo:
    """The PrimeKG dataset an import derives from (``mappings/primekg_dataset.tsv``)."""

    dataset_iri: str
    title: str
    release: str
    license: str = ""
    publication: str = ""
    homepage: str = ""


def read_dataset_info(path: Path | None = None) -> DatasetInfo:
    path = path or mappings_dir() / DATASET_TSV
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        values = {r["key"].strip(): r["value"].strip() for r in rows}
    return DatasetInfo(
        dataset_iri=values["dataset_iri"], title=values.get("title", ""), release=values.get("release", ""),
        license=values.get("license", ""), publication=values.get("publication", ""), homepage=values.get("homepage", ""),
    )


@dataclass
class Dropped:
    count: int = 0
    first_lines: list[int] = field(default_factory=list)


@dataclass
class ImportSummary:
    """Counts of one import; ``rows`` counts data rows read (header excluded)."""

    source: str
    release: str
    dataset_iri: str
    rows: int = 0
    triples: int = 0
    reader: str = ""  # which reader read the file, and why the fast one handed over if it did
    files: list[str] = field(default_factory=list)
    nodes_per_class: dict[str, int] = field(default_factory=dict)
    edges_per_relation: dict[tuple[str, str], int] = field(default_factory=dict)
    dropped: dict[DropReason, Dropped] = field(default_factory=dict)

    def add_edges(self, rule: RelationRule, count: int) -> None:
        key = (rule.relation, rule.display_relation)
        self.edges_per_relation[key] = self.edges_per_relation.get(key, 0) + count

    def add_nodes(self, class_iri: str, count: int) -> None:
        self.nodes_per_class[class_iri] = self.nodes_per_class.get(class_iri, 0) + count

    def drop(self, reason: DropReason, count: int, first_lines: list[int]) -> None:
        """Record ``count`` rows dropped for ``reason``, with the first lines shown (chosen by ``Drops``)."""
        self.dropped[reason] = Dropped(count, list(first_lines))

    def dropped_counts(self) -> dict[DropReason, int]:
        return {r: d.count for r, d in self.dropped.items()}

    @property
    def edges(self) -> int:
        return sum(self.edges_per_relation.values())

    @property
    def nodes(self) -> int:
        return sum(self.nodes_per_class.values())

    def to_json(self) -> dict:
        return {
            "source": self.source,
            "reader": self.reader,
            "dataset": self.dataset_iri,
            "release": self.release,
            "rows": self.rows,
            "edges": self.edges,
            "nodes": self.nodes,
            "triples": self.triples,
            "files": self.files,
            "nodes_per_class": dict(sorted(self.nodes_per_class.items())),
            "edges_per_relation": [
                {"relation": r, "display_relation": d, "edges": n}
                for (r, d), n in sorted(self.edges_per_relation.items())
            ],
            "dropped": {
                r.value: {"rows": d.count, "first_lines": sorted(d.first_lines)}
                for r, d in sorted(self.dropped.items(), key=lambda item: item[0].value)
            },
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_void(path: Path, summary: ImportSummary, graph_iri: str, mapping: PrimekgMapping, info: DatasetInfo) -> tuple[int, str]:
    """Write the VoID/PROV description of the import; returns its (triple count, digest)."""
    g = NamedNode(graph_iri)
    source = NamedNode(info.dataset_iri)
    triples: list[tuple] = [
        (g, RDF.type, VOID.Dataset),
        (g, RDF.type, PROV.Entity),
        (g, DCTERMS["title"], Literal(f"{info.title} (kgpub import)")),
        (g, PROV.wasDerivedFrom, source),
        (g, PAV.version, Literal(summary.release)),
        (g, KGO.sourceFile, Literal(Path(summary.source).name)),
        (g, KGO.sourceRows, Literal(str(summary.rows), datatype=XSD.integer)),
        (g, VOID.triples, Literal(str(summary.triples), datatype=XSD.integer)),
        (g, VOID.entities, Literal(str(summary.nodes), datatype=XSD.integer)),
        (source, RDF.type, PROV.Entity),
        (source, DCTERMS["title"], Literal(info.title)),
    ]
    if info.license:
        triples.append((source, DCTERMS.license, NamedNode(info.license)))
    if info.publication:
        triples.append((source, DCTERMS.isReferencedBy, NamedNode(info.publication)))
    for name in summary.files:
        triples.append((g, VOID.dataDump, NamedNode(graph_iri + "/" + name)))
    for cls, count in sorted(summary.nodes_per_class.items()):
        part = BlankNode(f"class{abs(hash(cls)) % 10**12}")
        triples += [(g, VOID.classPartition, part), (part, VOID["class"], NamedNode(cls)),
                    (part, VOID.entities, Literal(str(count), datatype=XSD.integer))]
    by_pair = {(r.relation, r.display_relation): r for r in mapping.relations}
    for n, ((relation, display), count) in enumerate(sorted(summary.edges_per_relation.items())):
        part = BlankNode(f"property{n}")
        triples += [
            (g, VOID.propertyPartition, part),
            (part, VOID.property, NamedNode(by_pair[(relation, display)].property_iri)),
            (part, VOID.triples, Literal(str(count), datatype=XSD.integer)),
            (part, KGO.primekgRelation, Literal(relation)),
            (part, KGO.primekgDisplayRelation, Literal(display)),
        ]
    for reason, dropped in sorted(summary.dropped.items(), key=lambda item: item[0].value):
        part = BlankNode(f"dropped_{reason.value}")
        triples += [
            (g, KGO.droppedRows, part),
            (part, KGO.dropReason, Literal(reason.value)),
            (part, KGO.rowCount, Literal(str(dropped.count), datatype=XSD.integer)),
        ]
        triples += [(part, KGO.sourceLine, Literal(str(line), datatype=XSD.integer)) for line in sorted(dropped.first_lines)]
    quads = [Quad(s, p, o) for s, p, o in triples]
    path.write_bytes(serialize(quads, format=RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b"")
    digest = GraphDigest()
    for q in quads:
        digest.add(q)
    return digest.count, digest.hexdigest()
