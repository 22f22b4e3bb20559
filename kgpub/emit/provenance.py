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

from ..config import DatasetMeta, SiteConfig
from ..iris import IriMinter, slugify
from ..model.notes import Note
from ..vocab import DCAT, DCTERMS, FOAF, KGO, PAV, RDF, RDFS, VOID, XSD
from .context import EmitContext

_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _milliseconds(m: re.Match[str]) -> str:
    """The date-time with at most 3 fractional digits of seconds, cut (not rounded), so the second
    never changes: HermiT (OWL 2 datatype map reading of xsd:dateTime) takes at most milliseconds.
    ``2026-02-13T14:57:56.812583Z`` -> ``2026-02-13T14:57:56.812Z``."""
    seconds, fraction, zone = m.group(1), m.group(2), m.group(3) or ""
    return seconds + (f".{fraction[:3]}" if fraction else "") + zone


def date_literal(text: str | None) -> Literal | None:
    """``xsd:dateTime`` (a time is given) or ``xsd:date`` (a day only) for ISO text, else ``None``."""
    if not text:
        return None
    text = text.strip()
    m = _DATETIME.match(text)
    if m:
        return Literal(_milliseconds(m), datatype=XSD.dateTime)
    if _DATE.match(text):
        return Literal(text, datatype=XSD.date)
    return None


#: The property of a note's date, by key and whether a time is known.  A date-time is the value of the
#: data property FaBiO declares (``dcterms:created``/``modified``, range ``xsd:dateTime``); a day alone
#: (``xsd:date``, outside the OWL 2 datatype map, so no data property's value in OWL 2 DL) is the value
#: of an annotation property, ``kgo:createdOn``/``kgo:modifiedOn`` (ontology/kgpub.ttl), as an
#: article's date is ``kgo:issued``: no time is invented, and no property is punned with FaBiO imported.
_DATE_PROPERTIES = {
    ("created", True): DCTERMS.created,
    ("created", False): KGO.createdOn,
    ("updated", True): DCTERMS.modified,
    ("updated", False): KGO.modifiedOn,
}


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
    for key, text in (("created", created), ("updated", modified)):
        if text is None:
            continue
        literal = date_literal(text)
        if literal is None:
            ctx.log.warning(note.relpath, note.key_lines.get(key), f"{key}: {text!r} is not an ISO date or date-time; not published", code="date")
        else:
            yield ctx.quad(n, _DATE_PROPERTIES[key, literal.datatype == XSD.dateTime], literal)


def page_quads(ctx: EmitContext, site: SiteConfig, permalink: str, topic: NamedNode | None) -> Iterator[Quad]:
    """``foaf:page`` of the note and of its topic: the note's page on the garden's website (``[site] url``)."""
    page = site.page(permalink)
    if page is None:
        return
    yield ctx.quad(ctx.note_iri, FOAF.page, NamedNode(page))
    if topic is not None:
        yield ctx.quad(topic, FOAF.page, NamedNode(page))


@dataclass(frozen=True)
class DatasetInfo:
    """What the metadata graph says of ``B dataset``: the garden's own description and the build's counts."""

    meta: DatasetMeta
    source: str
    kgpub_version: str
    triples: int
    entities: int
    notes: int
    site: str | None = None
    issued: str | None = None  # ISO date-time, only from SOURCE_DATE_EPOCH


def dataset_quads(minter: IriMinter, graph: NamedNode, info: DatasetInfo) -> Iterator[Quad]:
    """VoID/DCAT description of ``B dataset`` in the metadata graph.

    Title, description, licence, creators, publisher, version and homepage come from the
    garden's ``[dataset]`` (none is invented: no version is given when the garden gives none;
    kgpub's own version is ``pav:createdWith``).  Creators and the publisher are
    ``foaf:Agent`` resources ``B agent/{slug}`` with a ``foaf:name``.
    """
    d = minter.dataset()
    meta = info.meta

    def q(s: NamedNode, p: NamedNode, o) -> Quad:
        return Quad(s, p, o, graph)

    title = meta.title or f"Knowledge garden {info.source}"
    yield q(d, RDF.type, VOID.Dataset)
    yield q(d, RDF.type, DCAT.Dataset)
    yield q(d, RDFS.label, Literal(title))
    yield q(d, DCTERMS["title"], Literal(title))
    if meta.description:
        yield q(d, DCTERMS.description, Literal(meta.description))
    if meta.version:
        yield q(d, PAV.version, Literal(meta.version))
    if meta.license:
        yield q(d, DCTERMS.license, NamedNode(meta.license))
    for prop, names in ((DCTERMS.creator, meta.creators), (DCTERMS.publisher, (meta.publisher,) if meta.publisher else ())):
        for name in names:
            agent = minter.under(f"agent/{slugify(name)}")
            yield q(d, prop, agent)
            yield q(agent, RDF.type, FOAF.Agent)
            yield q(agent, FOAF.name, Literal(name))
    if meta.homepage:
        yield q(d, FOAF.homepage, NamedNode(meta.homepage))
    if info.site:
        yield q(d, DCAT.landingPage, NamedNode(info.site))
    yield q(d, DCTERMS.source, Literal(info.source))
    yield q(d, PAV.createdWith, Literal(f"kgpub {info.kgpub_version}"))
    yield q(d, VOID.triples, Literal(str(info.triples), datatype=XSD.integer))
    yield q(d, VOID.entities, Literal(str(info.entities), datatype=XSD.integer))
    yield q(d, VOID.documents, Literal(str(info.notes), datatype=XSD.integer))
    yield q(d, VOID.uriSpace, Literal(minter.base))
    if info.issued:
        yield q(d, DCTERMS.issued, Literal(info.issued, datatype=XSD.dateTime))
