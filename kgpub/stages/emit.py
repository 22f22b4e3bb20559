"""Stage 4: the indexed records -> one named graph of quads per published note.

Reference notes, entity notes (their relationships, unresolved targets and References
lists) and articles, then ``supports:`` claims of reference notes as evidence on the
matching edges' axioms.  With a site URL, each note and its topic link to their page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping

from pyoxigraph import NamedNode, Quad

from ..config import SiteConfig
from ..diagnostics import DiagnosticLog
from ..emit.context import EmitContext
from ..emit.documents import article_quads
from ..emit.edges import edge_ends, relationship_quads
from ..emit.entities import entity_quads, unresolved_quads
from ..emit.provenance import note_quads, page_quads
from ..emit.publications import publication_iri, publication_quads
from ..identifiers import Identifiers
from ..iris import IriMinter
from ..mapping.evidence import match_claim
from ..mapping.resolve import IndexedEntity
from ..mapping.fallback import MintedTerms
from ..mapping.tables import MappingTables
from ..model.notes import Note
from ..publish.files import GraphSet
from ..sources.citations import parse_reference_entry
from ..vocab import KGO
from .classify import Classified, ReferenceRecord
from .index import Indexed
from .collector import collector_paused

Edge = tuple[NamedNode, NamedNode, NamedNode]


@dataclass(frozen=True)
class EmitSettings:
    minter: IriMinter
    ids: Identifiers
    tables: MappingTables
    site: SiteConfig
    minted: MintedTerms  # relations for keys the tables lack


@dataclass
class Emitted:
    """The note graphs, and every edge with the graphs that state it (for evidence claims)."""

    graphs: GraphSet = field(default_factory=GraphSet)
    edges: dict[Edge, list[NamedNode]] = field(default_factory=dict)


@collector_paused()
def emit_notes(
    classified: Classified,
    indexed: Indexed,
    settings: EmitSettings,
    log: DiagnosticLog,
    tick: Callable[[int], None],
    *,
    entities: Iterable[IndexedEntity] | None = None,
    claims: bool = True,
) -> Emitted:
    """The graphs of ``classified``'s notes; ``entities``: the entity notes to emit (default every one of
    the index); ``claims=False`` leaves the ``supports:`` claims to :func:`support_evidence`."""
    emitter = _Emitter(settings, indexed, log)
    done = 0
    for ref in classified.references:
        ctx = emitter.context(ref.note, ref.permalink)
        iri = publication_iri(ref.publication, settings.minter)
        quads = [
            *note_quads(ctx, permalink=ref.permalink, topic=iri, title=ref.publication.title),
            *page_quads(ctx, settings.site, ref.permalink, iri),
            *publication_quads(ref.publication, ctx),
        ]
        emitter.out.graphs.add(ctx.graph, quads)
        done += 1
        tick(done)
    for entity in indexed.garden.entities if entities is None else entities:
        emitter.out.graphs.add(*emitter.entity_graph(entity))
        done += 1
        tick(done)
    for art in classified.articles:
        ctx = emitter.context(art.note, art.permalink)
        quads = [
            *note_quads(ctx, permalink=art.permalink, topic=None, title=art.article.title),
            *page_quads(ctx, settings.site, art.permalink, None),
            *article_quads(art.article, ctx),
        ]
        emitter.out.graphs.add(ctx.graph, quads)
        done += 1
        tick(done)
    if claims:
        for quad in support_evidence(classified.references, indexed, settings, emitter.out.edges, log):
            emitter.out.graphs.add(quad.graph_name, [quad])
    return emitter.out


def support_evidence(
    references: Iterable[ReferenceRecord], indexed: Indexed, settings: EmitSettings, edges: Mapping[Edge, list[NamedNode]], log: DiagnosticLog
) -> Iterator[Quad]:
    """``supports:`` claims of reference notes -> ``kgo:evidence`` on the matching edges' axioms (in the edges' graphs)."""
    s = settings
    for ref in references:
        if not ref.publication.supports:
            continue
        pub_iri = publication_iri(ref.publication, s.minter)
        for claim in ref.publication.supports:
            found = match_claim(claim, indexed.garden, s.tables, s.ids, edges)
            if not found:
                log.warning(claim.location.path, claim.location.line, f"supports: no edge {claim.subject} {claim.predicate} {claim.object} in the garden", code="evidence")
                continue
            for (subject, predicate, obj), graphs in found:
                for graph in graphs:
                    axiom = EmitContext.axiom_node(graph, subject, predicate, obj)
                    yield Quad(axiom, KGO.evidence, pub_iri, graph)


class _Emitter:
    def __init__(self, settings: EmitSettings, indexed: Indexed, log: DiagnosticLog):
        self.settings, self.indexed, self.log = settings, indexed, log
        self.out = Emitted()

    def context(self, note: Note, permalink: str) -> EmitContext:
        s = self.settings
        return EmitContext(s.minter, s.ids, note, s.minter.note(permalink), self.log, self.indexed.garden)

    def entity_graph(self, entity: IndexedEntity) -> tuple[NamedNode, list[Quad]]:
        record = entity.record
        ctx = self.context(record.note, record.permalink)
        assert entity.iri is not None  # set by GardenIndex.finish()
        quads: list[Quad] = [
            *note_quads(ctx, permalink=record.permalink, topic=entity.iri, title=record.title, created=record.created, modified=record.modified),
            *page_quads(ctx, self.settings.site, record.permalink, entity.iri if entity.canonical else None),
            *entity_quads(entity, ctx),
        ]
        seen_edges: set[Edge] = set()
        emitted_targets: set[NamedNode] = set()
        index = self.indexed.garden
        for rel in record.relationships:
            relation = self.settings.minted.relation(rel.key, rel.location)
            target = index.resolve(rel.target, relation)
            if target.publication:
                self.log.warning(record.relpath, rel.location.line, f"{rel.key}:: links to the reference note {rel.target.label!r}, not an entity; relationship skipped", code="relation")
                continue
            if target.unresolved and target.iri not in emitted_targets:
                emitted_targets.add(target.iri)
                quads.extend(unresolved_quads(target, ctx))
            s, o = edge_ends(relation, entity.iri, target.iri)
            key = (s, relation.property, o)
            if key in seen_edges:
                continue
            seen_edges.add(key)
            evidence = [iri for iri in (index.resolve_evidence(link) for link in rel.evidence_links) if iri is not None]
            evidence += [self._pmid_iri(pmid) for pmid in rel.pmids]
            quads.extend(relationship_quads(rel, relation, entity.iri, target.iri, ctx, dict.fromkeys(evidence)))
            self.out.edges.setdefault(key, []).append(ctx.graph)
        quads.extend(self._references(entity, ctx))
        return ctx.graph, quads

    def _pmid_iri(self, pmid: str) -> NamedNode:
        """The reference note's publication with this PMID, else the PubMed record itself."""
        hit = self.indexed.publications.by_pmid.get(pmid)
        return hit if hit is not None else NamedNode(self.settings.ids.expand(f"pubmed:{pmid}"))

    def _references(self, entity: IndexedEntity, ctx: EmitContext) -> Iterator[Quad]:
        assert entity.iri is not None
        for entry in entity.record.references:
            pub = parse_reference_entry(entry.text, entry.location)
            if pub is None:
                self.log.warning(entry.location.path, entry.location.line, "References entry not understood; not published", code="reference")
                continue
            iri = self.indexed.publications.find(pub)
            if iri is None:
                iri = publication_iri(pub, self.settings.minter)
                yield from publication_quads(pub, ctx)
            yield ctx.quad(entity.iri, KGO.hasReference, iri)
