"""Stage 2: notes -> what each one is.

Private notes (by the publishing rule of :mod:`kgpub.sources.publishing`), reference notes,
articles and entity notes; each published note claims its permalink (a second note with the
same permalink is skipped with an error), and a note of no known kind is skipped with one
error.  Every note read ends in exactly one of ``private``, ``skipped`` or a published list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..config import PublishMode
from ..diagnostics import Diagnostic, DiagnosticLog
from ..identifiers import Identifiers
from ..mapping.fallback import MintedTerms
from ..mapping.resolve import permalink_key
from ..mapping.tables import MappingTables
from ..model.documents import Article, Publication
from ..model.entities import EntityNote
from ..model.notes import Note
from ..sources import article as article_reader
from ..sources import reference_note as reference_reader
from ..sources.entity_note import read_entity_note
from ..sources.permalink import note_permalink
from ..sources.publishing import decide
from .collector import collector_paused
from .forked import forked_map, workers_for


@dataclass(frozen=True)
class ReferenceRecord:
    note: Note
    publication: Publication
    permalink: str


@dataclass(frozen=True)
class ArticleRecord:
    note: Note
    article: Article
    permalink: str


@dataclass
class Classified:
    entities: list[EntityNote] = field(default_factory=list)
    references: list[ReferenceRecord] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)
    private: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)

    @property
    def published(self) -> int:
        return len(self.entities) + len(self.references) + len(self.articles)


@collector_paused()
def classify(notes: list[Note], mode: PublishMode, tables: MappingTables, ids: Identifiers, log: DiagnosticLog, minted: MintedTerms) -> Classified:
    return claim_permalinks(((note, classify_note(note, mode, tables, ids, log, minted)) for note in notes), log)


def classify_note(note: Note, mode: PublishMode, tables: MappingTables, ids: Identifiers, log: DiagnosticLog, minted: MintedTerms) -> Classified:
    """What one note is, before permalink claims: a :class:`Classified` holding it in exactly one list."""
    result = Classified()
    decision = decide(note, mode)
    if decision.warning:
        log.warning(note.relpath, decision.line, decision.warning, code="publish")
    if not decision.published:
        result.private.append(note)
    elif reference_reader.is_reference_note(note):
        result.references.append(ReferenceRecord(note, reference_reader.read_reference_note(note, log), note_permalink(note, "reference")))
    elif article_reader.looks_like_article(note) or (note.type or "").lower() == "article":
        result.articles.append(ArticleRecord(note, article_reader.read_article(note, log), note_permalink(note, "article")))
    elif (minted.note_type(note.type, note.location("type")) if note.type else None) is None:  # unmapped: kgo:Entity
        result.skipped.append(note)
        if not note.has_front_matter:
            log.error(note.relpath, 1, "no front matter and not an article; note skipped", code="type")
        elif note.type is None:
            log.error(note.relpath, 1, "front matter has no 'type'; note skipped", code="type")
        else:
            log.error(note.relpath, note.key_lines.get("type"), f"unknown note type {note.type!r} (not in mappings/note_types.tsv); note skipped", code="type")
    else:
        result.entities.append(read_entity_note(note, tables, ids, log))
    return result


def classify_forked(notes: Sequence[Note], mode: PublishMode, tables: MappingTables, ids: Identifiers,
                    minted: MintedTerms) -> list[tuple[Classified, list[Diagnostic]]]:
    """:func:`classify_note` of each note with its diagnostics, in forked worker processes (:mod:`.forked`), or
    ``[]`` when the notes are too few for more than one (or the process cannot fork).

    The note types the workers look up are not counted in ``minted`` (nor added to ``tables``): the caller
    counts them in reading order, as for a classification it reuses.
    """
    workers = workers_for(len(notes))
    if workers == 1:
        return []

    def classify_slice(part: Sequence[Note]) -> list[tuple[Classified, list[Diagnostic]]]:
        out = []
        for note in part:
            own = DiagnosticLog()
            out.append((classify_note(note, mode, tables, ids, own, minted), list(own)))
        return out

    return forked_map(classify_slice, notes, workers)


def claim_permalinks(parts: Iterable[tuple[Note, Classified]], log: DiagnosticLog) -> Classified:
    """The notes' classifications in one; a published note whose permalink an earlier one claimed is skipped."""
    result = Classified()
    claims: dict[str, str] = {}
    for note, part in parts:
        first = part.references or part.articles or part.entities
        permalink = first[0].permalink if first else None
        if permalink is not None:
            key = permalink_key(permalink)
            if key in claims:
                log.error(note.relpath, note.key_lines.get(note.permalink_key or "permalink"), f"permalink already used by {claims[key]}; note skipped", code="permalink")
                result.skipped.append(note)
                continue
            claims[key] = note.relpath
        result.entities += part.entities
        result.references += part.references
        result.articles += part.articles
        result.private += part.private
        result.skipped += part.skipped
    return result
