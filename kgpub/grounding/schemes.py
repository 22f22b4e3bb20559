"""``mappings/primary_schemes.tsv``: which identifier schemes belong to which class, and which is primary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MappingError
from ..identifiers import Identifiers
from ..mapping.tables import expand_term, read_tsv
from ..mapping.terms import OntologyTerms
from ..paths import mappings_dir
from ..vocab import KGO


@dataclass(frozen=True)
class Scheme:
    cls: str  # kgo class IRI
    prefix: str  # bioregistry prefix
    primary: bool
    namespace: str | None


@dataclass
class Schemes:
    rows: list[Scheme]
    terms: OntologyTerms
    _accepted: dict[str, list[Scheme]] = field(default_factory=dict)
    _primary: frozenset[tuple[str, str]] | None = None  # (prefix, class) of the primary rows
    _classified: dict[tuple[str, str | None, str, str | None], Scheme | None] = field(default_factory=dict)

    @classmethod
    def load(cls, terms: OntologyTerms, ids: Identifiers, path: Path | None = None) -> "Schemes":
        path = path or mappings_dir() / "primary_schemes.tsv"
        rows: list[Scheme] = []
        for line, row in read_tsv(path, ("class", "prefix", "role", "source")):
            prefix = ids.standardize_prefix(row["prefix"])
            if prefix is None:
                raise MappingError(f"unknown identifier prefix {row['prefix']!r}", path=path, line=line)
            if row["role"] not in ("primary", "exact"):
                raise MappingError(f"role must be primary or exact, not {row['role']!r}", path=path, line=line)
            rows.append(Scheme(expand_term(row["class"], path=path, line=line).value, prefix, row["role"] == "primary", row.get("namespace") or None))
        return cls(rows, terms)

    def accepted(self, query_cls: str) -> list[Scheme]:
        hit = self._accepted.get(query_cls)
        if hit is None:
            hit = self._accepted[query_cls] = self._compute_accepted(query_cls)
        return hit

    def _compute_accepted(self, query_cls: str) -> list[Scheme]:
        """Scheme rows of classes compatible with ``query_cls`` (itself, a subclass, a superclass below kgo:Entity)."""
        from pyoxigraph import NamedNode

        if query_cls == KGO.Entity.value:
            return list(self.rows)
        q = NamedNode(query_cls)
        return [s for s in self.rows if s.cls != KGO.Entity.value and self.terms.compatible(NamedNode(s.cls), q)]

    def is_primary(self, curie: str, cls: str) -> bool:
        if self._primary is None:
            self._primary = frozenset((s.prefix, s.cls) for s in self.rows if s.primary)
        return (curie.split(":", 1)[0], cls) in self._primary

    def classify(self, curie: str, namespace: str | None, query_cls: str, prefer: str | None = None) -> Scheme | None:
        """The first scheme row accepted for ``query_cls`` that ``curie`` (of OBO ``namespace``) belongs to; one of class
        ``prefer`` if any.  Computed once per prefix, namespace, class and preference."""
        prefix = curie.partition(":")[0]
        key = (prefix, namespace, query_cls, prefer)
        if key in self._classified:
            return self._classified[key]
        fits = [s for s in self.accepted(query_cls) if s.prefix == prefix and (s.namespace is None or namespace is None or s.namespace == namespace)]
        found = self._classified[key] = next((s for s in fits if s.cls == prefer), fits[0] if fits else None)
        return found
