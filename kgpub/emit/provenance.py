"""Provenance: the note resource of each note graph, and the dataset description.

``<B note/...> a kgo:Note ; kgo:sourcePath "gene/akt1.md" ; kgo:permalink "/garden/..." ;
foaf:primaryTopic <entity>``; every resource a note yields carries
``prov:wasDerivedFrom`` that note (see :meth:`EmitContext.derived`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from pyoxigraph import Literal, NamedNode, Quad

from ..iris import IriMinter
from ..model.notes import Note
from ..vocab import DCAT, DCTERMS, FOAF, KGO, PAV, RDF, RDFS, VOID, XSD
from .context import EmitContext

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_literal(text: str | None) -> Literal | None:
    """``xsd:dateTime`` or ``xsd:date`` for ISO text, else ``None``."""
    if not text:
        return None
    text = text.strip()
    if _DATETIME.match(text):
        return Literal(text, datatype=XSD.dateTime)
    if _DATE.match(text):
        return Literal(text, datatype=XSD.date)
    return None


def note_quads(
    ctx: EmitContext,
    *,
    permalink: str,
    topic: NamedNode | None,
    title: str | None,
    created: str | None = None,
    modified: str | None = None,
) -> Iterator[Quad]:
    """The note resource of ``ctx.note``: source path, permalink, dates, primary topic."""
    note: Note = ctx.note
    n = ctx.note_iri
    yield ctx.quad(n, RDF.type, KGO.Note)
    yield ctx.quad(n, KGO.sourcePath, Literal(note.relpath))
    yield ctx.quad(n, KGO.permalink, Literal(permalink))
    if title:
        yield ctx.quad(n, RDFS.label, Literal(title))
    if topic is not None:
        yield ctx.quad(n, FOAF.primaryTopic, topic)
    for prop, key, text in ((DCTERMS.created, "created", created), (DCTERMS.modified, "updated", modified)):
        if text is None:
            continue
        literal = date_literal(text)
        if literal is None:
            ctx.log.warning(note.relpath, note.key_lines.get(key), f"{key}: {text!r} is not an ISO date or date-time; not published", code="date")
        else:
            yield ctx.quad(n, prop, literal)


@dataclass(frozen=True)
class DatasetInfo:
    title: str
    version: str
    source: str
    kgpub_version: str
    triples: int
    entities: int
    notes: int
    issued: str | None = None  # ISO date-time, only from SOURCE_DATE_EPOCH


def dataset_quads(minter: IriMinter, graph: NamedNode, info: DatasetInfo) -> Iterator[Quad]:
    """VoID/DCAT description of ``B dataset`` in the metadata graph."""
    d = minter.dataset()

    def q(p: NamedNode, o) -> Quad:
        return Quad(d, p, o, graph)

    yield q(RDF.type, VOID.Dataset)
    yield q(RDF.type, DCAT.Dataset)
    yield q(RDFS.label, Literal(info.title))
    yield q(DCTERMS["title"], Literal(info.title))
    yield q(PAV.version, Literal(info.version))
    yield q(DCTERMS.source, Literal(info.source))
    yield q(PAV.createdWith, Literal(f"kgpub {info.kgpub_version}"))
    yield q(VOID.triples, Literal(str(info.triples), datatype=XSD.integer))
    yield q(VOID.entities, Literal(str(info.entities), datatype=XSD.integer))
    yield q(VOID.documents, Literal(str(info.notes), datatype=XSD.integer))
    yield q(VOID.uriSpace, Literal(minter.base))
    if info.issued:
        yield q(DCTERMS.issued, Literal(info.issued, datatype=XSD.dateTime))
