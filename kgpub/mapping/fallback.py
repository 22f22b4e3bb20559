"""Relation keys and note types the mapping tables do not know: published anyway, with a warning.

* A relation key with no row in ``mappings/relations.tsv`` gets a property minted
  for the garden, ``B property/{KEY}`` (the key in its garden form,
  ``sources/inline_fields.garden_key``), direction forward; the build declares
  it in its ontology graph (``emit/minted.py``) and warns once per key, at its
  first use, with the number of statements.
* A note type with no row in ``mappings/note_types.tsv`` is published as a
  ``kgo:Entity``, with one warning per type at its first note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import DiagnosticLog
from ..iris import IriMinter
from ..model.notes import Location
from ..vocab import KGO
from .tables import MappingTables, NoteType, Relation


@dataclass
class _Use:
    first: Location
    count: int = 0


@dataclass
class MintedTerms:
    """The relations and note types a build adds for what the tables lack."""

    minter: IriMinter
    tables: MappingTables
    relations: dict[str, Relation] = field(default_factory=dict)
    relation_uses: dict[str, _Use] = field(default_factory=dict)
    type_uses: dict[str, _Use] = field(default_factory=dict)

    def relation(self, key: str, location: Location) -> Relation:
        """The relation of ``key``: the table's row, else the property minted for it."""
        known = self.tables.relations.get(key)
        if known is not None:
            return known
        minted = self.relations.get(key)
        if minted is None:
            minted = Relation(key, self.minter.under(f"property/{key}"), False)
            self.relations[key] = minted
            self.relation_uses[key] = _Use(location)
        self.relation_uses[key].count += 1
        return minted

    def note_type(self, name: str, location: Location) -> NoteType:
        """The note type ``name``: the table's row, else a ``kgo:Entity`` type added to the tables."""
        key = name.strip().lower()
        use = self.type_uses.get(key)
        if use is None:
            known = self.tables.note_type(key)
            if known is not None:
                return known
            use = self.type_uses[key] = _Use(location)
            self.tables.note_types[key] = NoteType(key, KGO.Entity, frozenset())
        use.count += 1
        return self.tables.note_types[key]

    def report(self, log: DiagnosticLog) -> None:
        """One warning per minted key and per unknown note type."""
        for key, use in sorted(self.relation_uses.items()):
            iri = self.relations[key].property.value
            log.warning(
                use.first.path, use.first.line,
                f"relation key {key!r} is not in mappings/relations.tsv: its {use.count} statement(s) are published "
                f"under <{iri}>, declared in the ontology graph",
                code="relation",
            )
        for name, use in sorted(self.type_uses.items()):
            log.warning(
                use.first.path, use.first.line,
                f"note type {name!r} is not in mappings/note_types.tsv: its {use.count} note(s) are published as kgo:Entity",
                code="type",
            )
