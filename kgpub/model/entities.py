"""Typed records of entity notes: links, relationships, identifiers, the note's entity.

These are what ``sources/relationships.py`` and ``sources/entity_note.py``
produce, before any mapping to ontology terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..identifiers import Identifier
from .notes import Location, Note


@dataclass(frozen=True)
class Link:
    """One link as written.

    HTML links have ``href`` (``/garden/u/gene/akt1/`` or ``/404``) and
    ``marked_unresolved`` (class ``is-unresolved``); Markdown links have
    ``target`` (the part before ``|`` in ``[[Target|Shown label]]``).
    ``label`` is the shown text, entities decoded and whitespace collapsed.
    """

    label: str
    target: str | None = None
    href: str | None = None
    marked_unresolved: bool = False


@dataclass(frozen=True)
class Relationship:
    """``KEY:: target - note text`` from an entity note; one record per target link.

    ``evidence_links`` are links written in the note text (to reference notes),
    ``pmids`` the ``PMID:`` numbers written on the line.
    """

    key: str
    target: Link
    note_text: str | None
    location: Location
    evidence_links: tuple[Link, ...] = ()
    pmids: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdentifierRef:
    """An external identifier read from the front matter, with the key's line."""

    identifier: Identifier
    location: Location


@dataclass(frozen=True)
class ReferenceEntry:
    """One raw entry of the note's *References* list."""

    text: str
    location: Location


@dataclass
class EntityNote:
    """An entity note (gene, protein, pathway...) as read, before mapping."""

    note: Note
    note_type: str
    title: str
    permalink: str
    identifiers: list[IdentifierRef] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    created: str | None = None
    modified: str | None = None
    relationships: list[Relationship] = field(default_factory=list)
    references: list[ReferenceEntry] = field(default_factory=list)

    @property
    def relpath(self) -> str:
        return self.note.relpath
