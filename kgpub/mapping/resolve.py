"""The garden's entity index: canonical IRIs, link resolution, names for mention matching.

* Each public entity note's entity gets ``B{permalink}``; entities that share
  an exact external identifier (front matter or ``entities.sssom.tsv``) are one
  resource, the IRI of the note whose permalink sorts first.
* HTML links resolve by permalink, Markdown links by title, slug or alias
  (case-insensitive), in that order of preference.
* A link that resolves to no published note is an unresolved target
  ``B unresolved/{slug}`` typed from the relation's declared range (domain for
  inverse keys) plus ``kgo:UnresolvedEntity``, aligned through the SSSOM table
  by its label (and merged into a garden entity sharing one of those exact ids).
* A link to a private note (``dg-publish: false``) is unresolved and carries
  only the link's own label: nothing from the private note is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from pyoxigraph import NamedNode

from ..grounding.grounder import Grounder
from ..grounding.model import SEMAPV, SKOS_EXACT, Grounding, Result
from ..grounding.sssom import MappingRow
from ..identifiers import Identifier
from ..iris import IriMinter
from ..model.entities import EntityNote, Link
from ..model.notes import Note
from ..vocab import KGO, SKOS
from .tables import EntityMapping, MappingTables, Relation, normalise_name
from .terms import OntologyTerms

Match = tuple[NamedNode, Identifier]  # (skos predicate, identifier)


@dataclass(frozen=True)
class Target:
    """What a link points at.  ``publication`` targets are reference notes (evidence)."""

    iri: NamedNode
    label: str
    unresolved: bool = False
    classes: tuple[NamedNode, ...] = ()
    matches: tuple[Match, ...] = ()
    publication: bool = False


@dataclass
class IndexedEntity:
    """An entity note in the index: its class, alignments and canonical IRI."""

    record: EntityNote
    own_iri: NamedNode
    cls: NamedNode
    matches: list[Match] = field(default_factory=list)
    iri: NamedNode | None = None  # canonical, set by finish()
    target: Target | None = None  # what links to it resolve to, set by finish()

    @property
    def canonical(self) -> bool:
        return self.iri == self.own_iri


@dataclass(frozen=True)
class IndexMark:
    """What :meth:`GardenIndex.mark` noted of an index before any link was resolved (see :meth:`GardenIndex.rewind`)."""

    rows: int
    ambiguous: int
    identifier_labels: dict[str, str]


@lru_cache(maxsize=1 << 17)  # pure: links and permalinks repeat within a build and build after build
def permalink_key(permalink: str) -> str:
    """``/garden/u/gene/akt1/`` and ``garden/u/gene/akt1`` give the same key."""
    path = permalink.split("#", 1)[0].split("?", 1)[0].strip()
    if "://" in path:
        path = path.split("://", 1)[1].partition("/")[2]
    return "/".join(s for s in path.split("/") if s).casefold()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class GardenIndex:
    """Implements :class:`kgpub.emit.context.EntityIndex` for the garden."""

    def __init__(self, minter: IriMinter, tables: MappingTables, terms: OntologyTerms, grounder: Grounder | None = None):
        self.minter = minter
        self.grounder = grounder
        self.grounding_rows: list[MappingRow] = []  # for DIST/mappings.sssom.tsv
        self.ambiguous: list[Result] = []  # names that matched several entities: reported, never guessed
        self.tables = tables
        self.terms = terms
        self.entities: list[IndexedEntity] = []
        self._by_permalink: dict[str, IndexedEntity] = {}
        self._tiers: tuple[dict[str, IndexedEntity], ...] = ({}, {}, {}, {})  # title, slug, alias, file (as Obsidian links)
        self._by_identifier: dict[str, NamedNode] = {}
        self._private_names: set[str] = set()
        self._private_permalinks: set[str] = set()
        self._publications_by_permalink: dict[str, NamedNode] = {}
        self._publications_by_name: dict[str, NamedNode] = {}
        self._unresolved_labels: dict[NamedNode, str] = {}
        self._identifier_labels: dict[str, str] = {}  # identifier IRI -> the lexicon's label of it
        self._grounded_targets: dict[tuple[str, str, str], tuple[Match, ...]] = {}  # (target IRI, name, class) -> its matches
        #: links resolved to no published entity or publication so far: the only resolutions that change the index
        #: (grounding rows, first labels of unresolved targets, identifier labels) or depend on what earlier ones did
        self.unresolved_lookups = 0
        self._finished = False

    # --- building ----------------------------------------------------------

    def add_entity_note(self, record: EntityNote) -> None:
        note_type = self.tables.note_type(record.note_type)
        assert note_type is not None, record.note_type
        matches: dict[tuple[str, str], Match] = {}
        own = self.minter.entity(record.permalink)
        for ref in record.identifiers:
            predicate = SKOS.exactMatch if ref.identifier.prefix in note_type.exact_prefixes else SKOS.relatedMatch
            matches.setdefault((predicate.value, ref.identifier.iri), (predicate, ref.identifier))
            self._curated_row(own, record.title, predicate, ref.identifier, note_type.cls,
                              comment=f"front matter of {record.note.relpath}:{ref.location.line}")
        for row in self.mapped_rows(record.title, note_type.cls, aliases=record.aliases):
            matches.setdefault((row.predicate.value, row.identifier.iri), (row.predicate, row.identifier))
            self._table_row(own, record.title, row)
        if not any(p == SKOS.exactMatch for p, _ in matches.values()):  # curated identifiers win over automatic ones
            for predicate, identifier in self._grounded(own, record.title, note_type.cls, aliases=record.aliases):
                matches.setdefault((predicate.value, identifier.iri), (predicate, identifier))
        self.entities.append(IndexedEntity(record, own, note_type.cls, sorted(matches.values(), key=_match_key)))

    def _ground(self, name: str, cls: NamedNode) -> Result | None:
        if self.grounder is None:
            return None
        result = self.grounder.ground(name, cls.value)
        if result.ambiguous:
            self.ambiguous.append(result)
        return result if result.groundings else None

    def _grounded(self, subject: NamedNode, name: str, cls: NamedNode, *, aliases: Iterable[str] = (), label: str | None = None) -> list[Match]:
        """Automatic groundings of ``name`` (else of the first alias that grounds), recorded for the SSSOM output."""
        for each in (name, *aliases):
            result = self._ground(each, cls)
            if result is None:
                continue
            found: list[Match] = []
            for g in result.groundings:
                self.grounding_rows.append(MappingRow(subject.value, label or name, g))
                self._identifier_labels.setdefault(g.iri, g.label)
                found.append((SKOS.exactMatch if g.predicate == SKOS_EXACT else SKOS.relatedMatch, Identifier(*g.curie.split(":", 1), g.iri)))
            return found
        return []

    def add_private(self, note: Note) -> None:
        """Remember only the names a link could use to reach a private note."""
        for name in (note.title, note.slug, note.path.stem, *_aliases(note)):
            if name:
                self._private_names.add(normalise_name(str(name)))
        if note.permalink:
            self._private_permalinks.add(permalink_key(note.permalink))

    def add_publication_note(self, note: Note, iri: NamedNode) -> None:
        """A reference note: links to it are evidence (a publication), not entities."""
        if note.permalink:
            self._publications_by_permalink.setdefault(permalink_key(note.permalink), iri)
        for name in (note.title, note.slug, note.path.stem):
            if name:
                self._publications_by_name.setdefault(normalise_name(str(name)), iri)

    def finish(self) -> None:
        """Merge entities sharing exact identifiers and build the name tables."""
        self.entities.sort(key=lambda e: (e.record.permalink, e.record.relpath))
        uf = _UnionFind()
        first_with: dict[str, int] = {}
        for i, entity in enumerate(self.entities):
            uf.find(i)
            for predicate, identifier in entity.matches:
                if predicate == SKOS.exactMatch:
                    if identifier.iri in first_with:
                        uf.union(first_with[identifier.iri], i)
                    else:
                        first_with[identifier.iri] = i
        for i, entity in enumerate(self.entities):
            entity.iri = self.entities[uf.find(i)].own_iri
            entity.target = Target(entity.iri, entity.record.title)
        for entity in self.entities:
            self._by_permalink.setdefault(permalink_key(entity.record.permalink), entity)
            titles, slugs, aliases, files = self._tiers
            titles.setdefault(normalise_name(entity.record.title), entity)
            slug = entity.record.note.slug or entity.record.note.path.stem
            slugs.setdefault(normalise_name(slug), entity)
            for alias in entity.record.aliases:
                aliases.setdefault(normalise_name(alias), entity)
            path = entity.record.note.path
            files.setdefault(normalise_name(path.stem), entity)
            files.setdefault(normalise_name(_stem_path(entity.record.relpath)), entity)
            for predicate, identifier in entity.matches:
                if predicate == SKOS.exactMatch:
                    self._by_identifier.setdefault(identifier.iri, entity.iri)  # type: ignore[arg-type]
        self._finished = True

    def mark(self) -> IndexMark:
        """Note what the index holds once finished, before any link is resolved."""
        return IndexMark(len(self.grounding_rows), len(self.ambiguous), dict(self._identifier_labels))

    def rewind(self, mark: IndexMark, records: Iterable[EntityNote], minter: IriMinter, tables: MappingTables,
               terms: OntologyTerms, grounder: Grounder | None) -> None:
        """The index again as it was at ``mark``, for a build whose records have the same index facts
        (:func:`kgpub.stages.index.index_facts`): what resolving links recorded since is dropped, each entity
        takes the build's record of its note (same names, identifiers and permalink; other relationships) and
        the index answers with the build's tables, terms and grounder (the same content: same build key)."""
        del self.grounding_rows[mark.rows:], self.ambiguous[mark.ambiguous:]
        self._identifier_labels = dict(mark.identifier_labels)
        self._unresolved_labels = {}
        self._grounded_targets = {}
        self.minter, self.tables, self.terms, self.grounder = minter, tables, terms, grounder
        by_path = {record.relpath: record for record in records}
        for entity in self.entities:
            entity.record = by_path[entity.record.relpath]

    # --- alignment ---------------------------------------------------------

    def mapped(self, name: str, cls: NamedNode, *, aliases: Iterable[str] = ()) -> list[Match]:
        """SSSOM alignments of ``name`` (and aliases) whose category is compatible with ``cls``."""
        return [(row.predicate, row.identifier) for row in self.mapped_rows(name, cls, aliases=aliases)]

    def mapped_rows(self, name: str, cls: NamedNode, *, aliases: Iterable[str] = ()) -> list[EntityMapping]:
        result: list[EntityMapping] = []
        for each in (name, *aliases):
            for row in self.tables.entity_mappings.get(normalise_name(each), ()):
                if self.terms.compatible(row.category, cls):
                    result.append(row)
        return result

    def _curated_row(self, subject: NamedNode, label: str, predicate: NamedNode, identifier: Identifier, cls: NamedNode, *, comment: str) -> None:
        """A front-matter identifier, for DIST/mappings.sssom.tsv: manual curation by the note's author."""
        exact = predicate == SKOS.exactMatch
        name = self.identifier_label(identifier) or (label if exact else identifier.curie)
        g = Grounding(label, identifier.curie, identifier.iri, name, predicate.value, SEMAPV + "ManualMappingCuration", 1.0, "", "", cls.value)
        self.grounding_rows.append(MappingRow(subject.value, label, g, comment))

    def _table_row(self, subject: NamedNode, label: str, row: EntityMapping) -> None:
        """A row of a mapping table (the bundled or the garden's SSSOM) used for ``subject``, as the table justifies it."""
        name = row.object_label or self.identifier_label(row.identifier) or label
        g = Grounding(label, row.identifier.curie, row.identifier.iri, name, row.predicate.value, row.justification,
                      row.confidence if row.confidence is not None else 1.0, row.label, row.source, row.category.value)
        self.grounding_rows.append(MappingRow(subject.value, label, g, f"{row.source}:{row.line}"))

    def _mapped_categories(self, name: str, cls: NamedNode) -> list[NamedNode]:
        rows = self.tables.entity_mappings.get(normalise_name(name), ())
        return sorted({r.category for r in rows if r.category != cls and cls in self.terms.ancestors(r.category)}, key=str)

    # --- resolution --------------------------------------------------------

    def resolve(self, link: Link, relation: Relation) -> Target:
        """The target of ``link`` used with ``relation``."""
        if link.href is not None:
            key = permalink_key(link.href)
            if not link.marked_unresolved and key not in ("404", ""):
                entity = self._by_permalink.get(key)
                if entity is not None:
                    return self._entity_target(entity)
                pub = self._publications_by_permalink.get(key)
                if pub is not None:
                    return Target(pub, link.label, publication=True)
            private = key in self._private_permalinks
            return self._unresolved(link.label, relation, private=private)
        name = link.target or link.label
        entity = self.find(name)
        if entity is not None:
            return self._entity_target(entity)
        pub = self._publications_by_name.get(normalise_name(name))
        if pub is not None:
            return Target(pub, link.label, publication=True)
        private = normalise_name(name) in self._private_names or normalise_name(_stem(name)) in self._private_names
        return self._unresolved(link.label, relation, private=private)

    def resolve_evidence(self, link: Link) -> NamedNode | None:
        """The publication a link in a relationship's note text points at, if any."""
        if link.href is not None:
            return self._publications_by_permalink.get(permalink_key(link.href))
        return self._publications_by_name.get(normalise_name(link.target or link.label))

    def find(self, name: str) -> IndexedEntity | None:
        """The entity named ``name`` (permalink path, title, slug, alias, file name or path; case-insensitive)."""
        by_path = self._by_permalink.get(permalink_key(name))
        if by_path is not None and "/" in name.strip("/"):
            return by_path
        key = normalise_name(name)
        for tier in self._tiers:
            if key in tier:
                return tier[key]
        stem = normalise_name(_stem(name))
        if stem == key:
            return None
        return self._tiers[1].get(stem) or self._tiers[3].get(stem)

    def _entity_target(self, entity: IndexedEntity) -> Target:
        return entity.target or Target(entity.iri, entity.record.title)  # type: ignore[arg-type]

    def _unresolved(self, label: str, relation: Relation, *, private: bool) -> Target:
        self.unresolved_lookups += 1
        cls = self.terms.target_class(relation.property, inverse=relation.inverse)
        label = label or "unnamed"
        matches: tuple[Match, ...] = ()
        classes = [cls]
        grounded_label = None
        if not private:
            table_rows = self.mapped_rows(label, cls)
            matches = tuple(sorted({(r.predicate, r.identifier) for r in table_rows}, key=_match_key))
            if not any(p == SKOS.exactMatch for p, _ in matches):
                result = self._ground(label, cls)
                primary = result.primary if result is not None else None
                if primary is not None:  # one resource per identifier: named after the lexicon's label
                    grounded_label = primary.label
                    matches = self._grounded_target(self.minter.unresolved(grounded_label), grounded_label, result)  # type: ignore[arg-type]
            for predicate, identifier in matches:
                merged = self._by_identifier.get(identifier.iri) if predicate == SKOS.exactMatch else None
                if merged is not None:
                    return Target(merged, label)
            classes.extend(self._mapped_categories(label, cls))
            if grounded_label is None:
                for row in table_rows:
                    self._table_row(self.minter.unresolved(label), label, row)
        iri = self.minter.unresolved(grounded_label or label)
        canonical_label = self._unresolved_labels.setdefault(iri, grounded_label or label)
        return Target(iri, canonical_label, True, tuple(classes) + (KGO.UnresolvedEntity,), matches)

    def _grounded_target(self, subject: NamedNode, label: str, result: Result) -> tuple[Match, ...]:
        """The matches of an unresolved target grounded by ``result``; its SSSOM rows recorded once (links repeat names)."""
        key = (subject.value, result.text, result.cls)
        known = self._grounded_targets.get(key)
        if known is None:
            found = []
            for g in result.groundings:
                self.grounding_rows.append(MappingRow(subject.value, label, g))
                self._identifier_labels.setdefault(g.iri, g.label)
                found.append((SKOS.exactMatch if g.predicate == SKOS_EXACT else SKOS.relatedMatch, Identifier(*g.curie.split(":", 1), g.iri)))
            known = self._grounded_targets[key] = tuple(sorted(set(found), key=_match_key))
        return known

    def identifier_label(self, identifier: Identifier) -> str | None:
        """The label a lexicon gives ``identifier`` (that of the grounding that found it, else the first lexicon entry with it)."""
        known = self._identifier_labels.get(identifier.iri)
        if known is None and self.grounder is not None:
            known = self.grounder.label_of(identifier.curie)
        return known

    def unresolved_iri(self, name: str) -> NamedNode | None:
        """The unresolved target minted for ``name``, if some link used it."""
        iri = self.minter.unresolved(name)
        return iri if iri in self._unresolved_labels else None

    # --- EntityIndex protocol ---------------------------------------------

    def lookup(self, name: str) -> list[NamedNode]:
        entity = self.find(name)
        if entity is not None:
            return [entity.iri]  # type: ignore[list-item]
        rows = self.tables.entity_mappings.get(normalise_name(name), ())
        hits = {self._by_identifier[r.identifier.iri] for r in rows if r.identifier.iri in self._by_identifier}
        return sorted(hits, key=str)

    def names(self) -> Iterable[tuple[str, NamedNode]]:
        seen: set[tuple[str, str]] = set()
        for entity in self.entities:
            for name in (entity.record.title, *entity.record.aliases):
                if (name, entity.iri.value) not in seen:  # type: ignore[union-attr]
                    seen.add((name, entity.iri.value))  # type: ignore[union-attr]
                    yield name, entity.iri  # type: ignore[misc]
        for rows in self.tables.entity_mappings.values():
            for row in rows:
                iri = self._by_identifier.get(row.identifier.iri)
                if iri is not None and row.predicate == SKOS.exactMatch and (row.label, iri.value) not in seen:
                    seen.add((row.label, iri.value))
                    yield row.label, iri


def _match_key(match: Match) -> tuple[str, str]:
    return match[0].value, match[1].iri


def _stem_path(relpath: str) -> str:
    """``genes/PTGS1 enzyme.md`` -> ``genes/PTGS1 enzyme`` (how ``[[genes/PTGS1 enzyme]]`` names the file)."""
    return relpath.rsplit(".", 1)[0] if "." in relpath.rsplit("/", 1)[-1] else relpath


def _stem(name: str) -> str:
    last = name.strip().rstrip("/").rsplit("/", 1)[-1]
    return last[:-3] if last.lower().endswith(".md") else last


def _aliases(note: Note) -> list[str]:
    value = note.front_matter.get("aliases", note.front_matter.get("alias"))
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return [str(value)] if isinstance(value, (str, int, float)) else []
