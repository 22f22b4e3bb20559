"""Stage 3: the published records -> the garden's index of names, identifiers and publications.

:class:`GardenIndex` gives every entity its canonical IRI and resolves links; the
:class:`PublicationIndex` finds the reference note's publication of a PMID or of a
title and year, so a paper cited in several places is one resource.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from ..emit.publications import publication_iri
from ..grounding.grounder import Grounder
from ..iris import IriMinter
from ..mapping.resolve import GardenIndex, IndexMark
from ..mapping.tables import MappingTables
from ..mapping.terms import OntologyTerms
from ..model.documents import Publication
from ..sources.citations import normalise_title
from .classify import Classified
from .collector import collector_paused


@dataclass
class PublicationIndex:
    """Reference notes' publications by PMID and by (normalised title, year); the first note wins."""

    by_pmid: dict[str, NamedNode] = field(default_factory=dict)
    by_title: dict[tuple[str, str], NamedNode] = field(default_factory=dict)

    def add(self, pub: Publication, iri: NamedNode) -> None:
        if pub.pmid:
            self.by_pmid.setdefault(str(pub.pmid), iri)
        if pub.title:
            self.by_title.setdefault(_title_key(pub), iri)

    def find(self, pub: Publication) -> NamedNode | None:
        """The reference note's publication that ``pub`` (e.g. a References entry) is, if any."""
        hit = self.by_pmid.get(str(pub.pmid)) if pub.pmid else None
        if hit is None and pub.title:
            hit = self.by_title.get(_title_key(pub))
        return hit


def _title_key(pub: Publication) -> tuple[str, str]:
    return normalise_title(pub.title or ""), str(pub.year or "")


@dataclass
class Indexed:
    garden: GardenIndex
    publications: PublicationIndex


@collector_paused()
def index_records(classified: Classified, minter: IriMinter, tables: MappingTables, terms: OntologyTerms, grounder: Grounder | None = None) -> Indexed:
    garden = GardenIndex(minter, tables, terms, grounder)
    publications = PublicationIndex()
    for note in classified.private:
        garden.add_private(note)
    for ref in classified.references:
        iri = publication_iri(ref.publication, minter)
        garden.add_publication_note(ref.note, iri)
        publications.add(ref.publication, iri)
    for record in classified.entities:
        garden.add_entity_note(record)
    garden.finish()
    return Indexed(garden, publications)


def index_facts(classified: Classified) -> list[tuple]:
    """Everything :func:`index_records` reads of the records, in its order: records with equal facts give the same
    index (before links are resolved), whatever else of their notes (relationships, text, dates) differs.  Paths are
    strings (the facts are saved with the cache, and a pickled path is parsed again when loaded)."""
    facts: list[tuple] = []
    for note in classified.private:
        facts.append(("private", note.relpath, str(note.path), note.front_matter, note.permalink))
    for ref in classified.references:
        note = ref.note
        facts.append(("reference", note.relpath, str(note.path), ref.publication, note.permalink, note.title, note.slug))
    for record in classified.entities:
        note = record.note
        facts.append(("entity", record.relpath, str(note.path), note.slug, record.note_type, record.permalink, record.title,
                      record.aliases, record.identifiers))
    return facts


def reuse_index(indexed: Indexed, mark: IndexMark, classified: Classified, minter: IriMinter, tables: MappingTables,
                terms: OntologyTerms, grounder: Grounder | None) -> Indexed:
    """The last build's index for records whose :func:`index_facts` are the last build's: rewound to ``mark``
    (noted right after :func:`index_records`), with this build's records."""
    indexed.garden.rewind(mark, classified.entities, minter, tables, terms, grounder)
    return indexed
