"""PrimeKG alignment tables: node kinds and relation rules, read from ``mappings/``.

``mappings/primekg_node_types.tsv`` maps a (node type, source) pair to a
bioregistry prefix and an ontology class; ``mappings/primekg_relations.tsv``
maps a (relation, display_relation) pair to a property and a direction.  IRI
prefixes and id patterns come from bioregistry through
:mod:`kgpub.importers.primekg.prefixes` (one lookup per prefix, cached).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ...errors import MappingError
from ...paths import mappings_dir
from ...vocab import PREFIXES
from .prefixes import PREFIXES_TSV, PrefixInfo, resolve_prefixes

if TYPE_CHECKING:  # curies (through kgpub.identifiers) is only needed when a caller passes its own Identifiers
    from ...identifiers import Identifiers

NODE_TYPES_TSV = "primekg_node_types.tsv"
RELATIONS_TSV = "primekg_relations.tsv"
DIRECTIONS = ("typed", "symmetric", "forward")


@dataclass(frozen=True)
class NodeKind:
    """One (node type, source) pair of PrimeKG and how its ids become IRIs."""

    code: int
    node_type: str
    source: str
    prefix: str
    uri_prefix: str
    pattern: str
    pad: int
    class_iri: str
    group_separator: str = ""
    member_class_iri: str = ""
    kg_nodes: int = 0
    synth_prefix: str = ""
    synth_width: int = 0

    @property
    def grouped(self) -> bool:
        return bool(self.group_separator)


@dataclass(frozen=True)
class RelationRule:
    """One (relation, display_relation) pair of PrimeKG and the property it becomes."""

    code: int
    relation: str
    display_relation: str
    property_iri: str
    subject_type: str
    object_type: str
    direction: str
    kg_rows: int


def expand_curie(curie: str, *, path: Path, line: int) -> str:
    """``kgo:Gene`` -> full IRI, with the prefixes of :mod:`kgpub.vocab`."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise MappingError(f"unknown prefix in {curie!r}", path=path, line=line)
    return PREFIXES[prefix] + local


def _rows(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise MappingError(f"cannot read: {error}", path=path) from error
    with handle:
        lines = [(n, text) for n, text in enumerate(handle, start=1) if not text.startswith("#") and text.strip()]
    if not lines:
        raise MappingError("empty table", path=path)
    reader = csv.DictReader((text for _, text in lines), delimiter="\t")
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise MappingError(f"missing columns {missing}", path=path, line=lines[0][0])
    out = []
    for (number, _), row in zip(lines[1:], reader):
        out.append((number, {k: (v or "").strip() for k, v in row.items() if k is not None}))
    return out


@dataclass(frozen=True)
class PrimekgMapping:
    """Both tables, plus polars frames for vectorised joins."""

    kinds: tuple[NodeKind, ...]
    relations: tuple[RelationRule, ...]

    @classmethod
    def load(cls, folder: Path | None = None, identifiers: Identifiers | None = None) -> "PrimekgMapping":
        """Read both tables; prefixes resolve through ``identifiers``, else through bioregistry (cached)."""
        folder = Path(folder) if folder else mappings_dir()
        if identifiers is None:  # only the prefixes the table names: building bioregistry's whole converter is slow
            names = [r["prefix"] for _, r in _rows(folder / NODE_TYPES_TSV, ("prefix",))]
            prefixes = resolve_prefixes(names, folder / PREFIXES_TSV)
        else:
            prefixes = {}
            for _, row in _rows(folder / NODE_TYPES_TSV, ("prefix",)):
                info = _from_identifiers(row["prefix"], identifiers)
                if info is not None:
                    prefixes[row["prefix"]] = info
        return cls(_load_kinds(folder / NODE_TYPES_TSV, prefixes), _load_relations(folder / RELATIONS_TSV))

    def kinds_frame(self) -> pl.DataFrame:
        """One row per node kind: its code, CURIE prefix and zero padding, whether it is grouped, its class
        IRI, PrimeKG node type and source."""
        return pl.DataFrame(
            {
                "kind": [k.code for k in self.kinds],
                "prefix": [k.prefix for k in self.kinds],
                "pad": [k.pad for k in self.kinds],
                "grouped": [k.grouped for k in self.kinds],
                "class": [k.class_iri for k in self.kinds],
                "node_type": [k.node_type for k in self.kinds],
                "node_source": [k.source for k in self.kinds],
            },
            schema={"kind": pl.Int16, "prefix": pl.String, "pad": pl.Int32, "grouped": pl.Boolean, "class": pl.String,
                    "node_type": pl.String, "node_source": pl.String},
        )

    def relations_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "relation": [r.relation for r in self.relations],
                "display_relation": [r.display_relation for r in self.relations],
                "rule": [r.code for r in self.relations],
                "subject_type": [r.subject_type for r in self.relations],
                "object_type": [r.object_type for r in self.relations],
                "direction": [r.direction for r in self.relations],
                "predicate": [f"<{r.property_iri}>" for r in self.relations],
            },
            schema_overrides={"rule": pl.Int16},
        )

    @property
    def node_types(self) -> frozenset[str]:
        return frozenset(k.node_type for k in self.kinds)

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(k.source for k in self.kinds)

    @property
    def relation_names(self) -> frozenset[str]:
        return frozenset(r.relation for r in self.relations)


def _from_identifiers(name: str, ids: Identifiers) -> PrefixInfo | None:
    prefix = ids.standardize_prefix(name)
    record = ids.converter.get_record(prefix) if prefix else None
    if record is None:
        return None
    return PrefixInfo(record.prefix, ids.converter.prefix_map[record.prefix], record.pattern or "")


def _load_kinds(path: Path, prefixes: dict[str, PrefixInfo]) -> tuple[NodeKind, ...]:
    kinds = []
    seen: set[tuple[str, str]] = set()
    for number, row in _rows(path, ("node_type", "source", "prefix", "pad", "class")):
        key = (row["node_type"], row["source"])
        if not all(key) or key in seen:
            raise MappingError(f"empty or repeated node kind {key}", path=path, line=number)
        seen.add(key)
        record = prefixes.get(row["prefix"])
        if record is None:
            raise MappingError(f"prefix {row['prefix']!r} is unknown to bioregistry", path=path, line=number)
        uri_prefix = record.uri_prefix
        pattern = record.pattern or r"^\S+$"
        try:
            re.compile(pattern)
            pad = int(row["pad"] or 0)
        except (re.error, ValueError) as error:
            raise MappingError(f"bad pattern or pad: {error}", path=path, line=number) from error
        member = row.get("member_class", "")
        kinds.append(
            NodeKind(
                code=len(kinds),
                node_type=key[0],
                source=key[1],
                prefix=record.prefix,
                uri_prefix=uri_prefix,
                pattern=pattern,
                pad=pad,
                class_iri=expand_curie(row["class"], path=path, line=number),
                group_separator=row.get("group_separator", ""),
                member_class_iri=expand_curie(member, path=path, line=number) if member else "",
                kg_nodes=int(row.get("kg_nodes") or 0),
                synth_prefix=row.get("synth_prefix", ""),
                synth_width=int(row.get("synth_width") or 0),
            )
        )
    return tuple(kinds)


def _load_relations(path: Path) -> tuple[RelationRule, ...]:
    rules = []
    seen: set[tuple[str, str]] = set()
    for number, row in _rows(path, ("relation", "display_relation", "property", "subject_type", "object_type", "direction")):
        key = (row["relation"], row["display_relation"])
        if not all(key) or key in seen:
            raise MappingError(f"empty or repeated relation pair {key}", path=path, line=number)
        if row["direction"] not in DIRECTIONS:
            raise MappingError(f"direction must be one of {DIRECTIONS}", path=path, line=number)
        seen.add(key)
        rules.append(
            RelationRule(
                code=len(rules),
                relation=key[0],
                display_relation=key[1],
                property_iri=expand_curie(row["property"], path=path, line=number),
                subject_type=row["subject_type"],
                object_type=row["object_type"],
                direction=row["direction"],
                kg_rows=int(row.get("kg_rows") or 0),
            )
        )
    return tuple(rules)
