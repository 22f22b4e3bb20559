"""Entity triples: the entity a note is about, and unresolved link targets.

Identifiers are published as IRIs (``skos:exactMatch`` / ``skos:relatedMatch``
per ``mappings/note_types.tsv`` and ``entities.sssom.tsv``) plus their CURIE as
``dcterms:identifier``.  A note whose entity was merged into another (same
exact identifier) gives its title as ``skos:altLabel`` so the resource keeps
exactly one ``rdfs:label``.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from ..mapping.resolve import IndexedEntity, Match, Target
from ..vocab import DCTERMS, KGO, RDF, RDFS, SKOS
from .context import EmitContext


def match_quads(subject: NamedNode, matches: Iterable[Match], ctx: EmitContext, label: str) -> Iterator[Quad]:
    """The identifiers' IRIs and CURIEs, and a label for each IRI: the lexicon's, else ``label`` (the
    entity's, for an exact match: the same entity), else the CURIE (a related match no lexicon names)."""
    for predicate, identifier in matches:
        iri = NamedNode(identifier.iri)
        yield ctx.quad(subject, predicate, iri)
        yield ctx.quad(subject, DCTERMS.identifier, Literal(identifier.curie))
        known = ctx.index.identifier_label(identifier) if ctx.index is not None else None
        yield ctx.quad(iri, RDFS.label, Literal(known or (label if predicate == SKOS.exactMatch else identifier.curie)))


def entity_quads(entity: IndexedEntity, ctx: EmitContext) -> Iterator[Quad]:
    """The note's entity: class, label, aliases, description, tags, identifiers."""
    iri = entity.iri
    assert iri is not None
    record = entity.record
    yield ctx.quad(iri, RDF.type, entity.cls)
    yield ctx.quad(iri, RDFS.label if entity.canonical else SKOS.altLabel, Literal(record.title))
    for alias in record.aliases:
        if alias != record.title:
            yield ctx.quad(iri, SKOS.altLabel, Literal(alias))
    if record.description:
        yield ctx.quad(iri, DCTERMS.description, Literal(record.description))
    for tag in record.tags:
        yield ctx.quad(iri, KGO.tag, Literal(tag))
    yield from match_quads(iri, entity.matches, ctx, record.title)
    yield ctx.derived(iri)


def unresolved_quads(target: Target, ctx: EmitContext) -> Iterator[Quad]:
    """An unresolved link target: its classes, the link's label, alignments from the SSSOM table."""
    for cls in target.classes:
        yield ctx.quad(target.iri, RDF.type, cls)
    yield ctx.quad(target.iri, RDFS.label, Literal(target.label))
    yield from match_quads(target.iri, target.matches, ctx, target.label)
    yield ctx.derived(target.iri)
