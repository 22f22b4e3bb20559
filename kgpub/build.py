"""The ``build`` pipeline: garden notes -> typed records -> index -> quads per note graph -> SHACL -> files.

>>> result = build_garden("examples/garden", "dist")   # doctest: +SKIP
>>> result.exit_code, result.notes_published
(0, 17)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from . import __version__
from .diagnostics import DiagnosticLog, Severity
from .emit.context import EmitContext
from .emit.edges import edge_ends, relationship_quads
from .emit.entities import entity_quads, unresolved_quads
from .emit.minted import minted_property_quads
from .emit.provenance import DatasetInfo, dataset_quads, note_quads
from .errors import ConfigError
from .identifiers import Identifiers
from .iris import DEFAULT_BASE_IRI, IriMinter, slugify
from .mapping.fallback import MintedTerms
from .mapping.resolve import GardenIndex, IndexedEntity
from .mapping.tables import MappingTables
from .mapping.terms import OntologyTerms
from .model.entities import EntityNote
from .model.notes import Note
from .ontology import load_ontology_quads
from .publish.files import GraphSet, WrittenFiles, union_triples, write_build
from .publish.manifest import GraphEntry, Manifest
from .sources.entity_note import read_entity_note
from .sources.garden import read_garden
from .shapes import garden_shapes
from .vocab import KGO

Progress = Callable[[str, int, int], None]


#: Validation results shown on stderr for each distinct message (the rest are counted).
SUMMARY_LINES_PER_MESSAGE = 20


@dataclass
class BuildResult:
    """What a build did.  ``exit_code``: 0 conforms, 1 data problems (files still written)."""

    out_dir: Path
    notes_read: int = 0
    notes_published: int = 0
    notes_private: int = 0
    notes_skipped: int = 0
    triples: int = 0
    graphs: int = 0
    log: DiagnosticLog = field(default_factory=DiagnosticLog)
    report: object | None = None  # kgpub.validate.shacl.ValidationReport
    files: WrittenFiles | None = None
    merged: list[GraphEntry] = field(default_factory=list)  # graphs listed from --with folders

    @property
    def conforms(self) -> bool:
        return self.report is None or bool(getattr(self.report, "conforms", True))

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms and not self.log.errors else 1

    def summary(self) -> str:
        lines = [
            f"notes: {self.notes_read} read, {self.notes_published} published, "
            f"{self.notes_private} private, {self.notes_skipped} skipped",
            f"graphs: {self.graphs}, triples: {self.triples}",
            f"diagnostics: {len(self.log.errors)} errors, {len(self.log.warnings)} warnings",
        ]
        if self.report is not None:
            # stderr shows at most SUMMARY_LINES_PER_MESSAGE lines per message; validation.ttl has every result
            lines.append("validation: " + self.report.summary(per_message=SUMMARY_LINES_PER_MESSAGE))
        for entry in self.merged:
            lines.append(f"with: {entry.iri} ({entry.triples} triples, {len(entry.files)} files)")
        if self.files is not None:
            lines.append(f"wrote: {', '.join(p.name for p in self.files.all())} in {self.out_dir}")
        return "\n".join(lines)


@dataclass
class _Kinds:
    entities: list[EntityNote] = field(default_factory=list)
    references: list[tuple[Note, object]] = field(default_factory=list)  # (note, Publication)
    articles: list[tuple[Note, object]] = field(default_factory=list)  # (note, Article)


def build_garden(
    garden: Path | str,
    out: Path | str,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    extra_dists: Iterable[Path] = (),
    log: DiagnosticLog | None = None,
    progress: Progress | None = None,
    validate: bool = True,
) -> BuildResult:
    """Build the linked data of the garden folder ``garden`` into ``out``.

    Unreadable notes are logged and skipped; the rest is published.  Raises
    :class:`ConfigError` only for unusable options or data files.
    """
    garden, out = Path(garden), Path(out)
    if not garden.is_dir():
        raise ConfigError(f"{garden}: not a folder")
    minter = IriMinter(base_iri)
    log = log if log is not None else DiagnosticLog()
    result = BuildResult(out_dir=out, log=log)
    extra_dists = [Path(d) for d in extra_dists]
    for dist in extra_dists:  # refuse a foreign base IRI or a missing manifest before building
        _merge_extra_dist(Manifest(base_iri=base_iri, kgpub_version=__version__), dist, out)
    ids = Identifiers.default()
    tables = MappingTables.load(ids=ids)
    terms = OntologyTerms.load()
    tick = progress or (lambda stage, done, total: None)

    notes = read_garden(garden, log)
    result.notes_read = len(notes) + len({d.path for d in log.errors})
    tick("read", len(notes), len(notes))

    index = GardenIndex(minter, tables, terms)
    minted = MintedTerms(minter, tables)
    kinds = _classify(notes, tables, ids, index, log, result, minted)
    for note, pub in kinds.references:
        index.add_publication_note(note, _publication_iri(pub, minter))
    for record in kinds.entities:
        index.add_entity_note(record)
    index.finish()

    graphs = GraphSet()
    emitter = _Emitter(minter, ids, tables, index, log, graphs, kinds, minted)
    total = len(kinds.entities) + len(kinds.references) + len(kinds.articles)
    emitter.emit_all(lambda done: tick("emit", done, total))
    emitter.attach_support_claims()
    result.notes_published = total

    ontology_graph = minter.graph("ontology")
    graphs.add(ontology_graph, [*load_ontology_quads(ontology_graph), *minted_property_quads(minted, ontology_graph)], role="ontology")
    minted.report(log)
    data_triples = graphs.triple_count(graphs.data_graphs())
    info = DatasetInfo(
        title=f"Knowledge garden {garden.resolve().name}",
        version=__version__,
        source=garden.resolve().name,
        kgpub_version=__version__,
        triples=data_triples,
        entities=len({e.iri for e in index.entities}),
        notes=total,
        issued=_source_date(),
    )
    metadata_graph = minter.graph("metadata")
    graphs.add(metadata_graph, dataset_quads(minter, metadata_graph, info), role="metadata")

    report_turtle = None
    if validate:
        tick("validate", 0, 1)
        result.report = _validate(graphs, log)
        if result.report is not None:
            report_turtle = result.report.to_turtle()
        tick("validate", 1, 1)
    result.files = write_build(out, graphs, base_iri, report_turtle)
    if extra_dists:
        manifest = Manifest.read(out)
        for dist in extra_dists:
            _merge_extra_dist(manifest, dist, out)
            if not dist.resolve().is_relative_to(out.resolve()):
                log.warning(str(dist), None, f"--with folder is outside {out}; the manifest refers to it by a relative path", code="with")
        manifest.write(out)
        result.merged = [g for g in manifest.graphs if g.iri not in _graph_iris(graphs)]
    result.graphs = len(graphs.graphs)
    result.triples = data_triples
    return result


def _classify(notes: list[Note], tables: MappingTables, ids: Identifiers, index: GardenIndex, log: DiagnosticLog, result: BuildResult, minted: MintedTerms) -> _Kinds:
    """Sort notes into private, reference, article and entity notes; report the rest."""
    reference_note, article = _document_readers()
    kinds = _Kinds()
    permalinks: dict[str, str] = {}
    for note in notes:
        if note.has_front_matter and not note.published:
            index.add_private(note)
            result.notes_private += 1
            continue
        if reference_note is not None and reference_note.is_reference_note(note):
            if _claim_permalink(note, "reference", permalinks, log):
                kinds.references.append((note, reference_note.read_reference_note(note, log)))
            continue
        if article is not None and (article.looks_like_article(note) or (note.type or "").lower() == "article"):
            if _claim_permalink(note, "article", permalinks, log):
                kinds.articles.append((note, article.read_article(note, log)))
            continue
        note_type = minted.note_type(note.type, note.location("type")) if note.type else None
        if note_type is None:
            result.notes_skipped += 1
            if not note.has_front_matter:
                log.error(note.relpath, 1, "no front matter and not an article; note skipped", code="type")
            elif note.type is None:
                log.error(note.relpath, 1, "front matter has no 'type'; note skipped", code="type")
            else:
                log.error(note.relpath, note.key_lines.get("type"), f"unknown note type {note.type!r} (not in mappings/note_types.tsv); note skipped", code="type")
            continue
        record = read_entity_note(note, tables, ids, log)
        if _claim_permalink(note, note_type.note_type, permalinks, log, record.permalink):
            kinds.entities.append(record)
        else:
            result.notes_skipped += 1
    return kinds


def _claim_permalink(note: Note, note_type: str, seen: dict[str, str], log: DiagnosticLog, permalink: str | None = None) -> bool:
    from .mapping.resolve import permalink_key

    key = permalink_key(permalink or note_permalink(note, note_type))
    if key in seen:
        log.error(note.relpath, note.key_lines.get("permalink"), f"permalink already used by {seen[key]}; note skipped", code="permalink")
        return False
    seen[key] = note.relpath
    return True


def note_permalink(note: Note, note_type: str) -> str:
    """The note's permalink, else ``/{type}/{slug}/`` (slug from front matter, else the file stem)."""
    return note.permalink or f"/{note_type}/{note.slug or slugify(note.path.stem)}/"


def _document_readers():
    """The reference-note and article readers (``None`` while a module is absent)."""
    try:
        from .sources import reference_note
    except ImportError:
        reference_note = None  # type: ignore[assignment]
    try:
        from .sources import article
    except ImportError:
        article = None  # type: ignore[assignment]
    return reference_note, article


def _publication_iri(pub, minter: IriMinter) -> NamedNode:
    from .emit.publications import publication_iri

    return publication_iri(pub, minter)


class _Emitter:
    """Emits every note graph into a :class:`GraphSet` and remembers edges for evidence claims."""

    def __init__(self, minter, ids, tables, index: GardenIndex, log, graphs: GraphSet, kinds: _Kinds, minted: MintedTerms):
        self.minter, self.ids, self.tables, self.index, self.log, self.minted = minter, ids, tables, index, log, minted
        self.graphs, self.kinds = graphs, kinds
        self.edges: dict[tuple[NamedNode, NamedNode, NamedNode], list[NamedNode]] = {}
        self.by_relpath: dict[str, IndexedEntity] = {e.record.relpath: e for e in index.entities}
        self.pub_by_pmid: dict[str, NamedNode] = {}
        self.pub_by_title: dict[tuple[str, str], NamedNode] = {}

    def _ctx(self, note: Note, permalink: str) -> EmitContext:
        return EmitContext(self.minter, self.ids, note, self.minter.note(permalink), self.log, self.index)

    def emit_all(self, tick: Callable[[int], None]) -> None:
        from .emit.publications import publication_quads
        from .sources.citations import normalise_title

        done = 0
        for note, pub in self.kinds.references:
            ctx = self._ctx(note, note_permalink(note, "reference"))
            iri = _publication_iri(pub, self.minter)
            if getattr(pub, "pmid", None):
                self.pub_by_pmid.setdefault(str(pub.pmid), iri)
            if getattr(pub, "title", None):
                self.pub_by_title.setdefault((normalise_title(pub.title), str(pub.year or "")), iri)
            quads = [*note_quads(ctx, permalink=note_permalink(note, "reference"), topic=iri, title=pub.title), *publication_quads(pub, ctx)]
            self.graphs.add(ctx.graph, quads)
            done += 1
            tick(done)
        for entity in self.index.entities:
            self.graphs.add(*self._entity_graph(entity))
            done += 1
            tick(done)
        if self.kinds.articles:
            from .emit.documents import article_quads

            for note, article in self.kinds.articles:
                permalink = note_permalink(note, "article")
                ctx = self._ctx(note, permalink)
                title = getattr(article, "title", None)
                quads = [*note_quads(ctx, permalink=permalink, topic=None, title=title), *article_quads(article, ctx)]
                self.graphs.add(ctx.graph, quads)
                done += 1
                tick(done)

    def _entity_graph(self, entity: IndexedEntity) -> tuple[NamedNode, list[Quad]]:
        record = entity.record
        ctx = self._ctx(record.note, record.permalink)
        quads: list[Quad] = [
            *note_quads(ctx, permalink=record.permalink, topic=entity.iri, title=record.title, created=record.created, modified=record.modified),
            *entity_quads(entity, ctx),
        ]
        seen_edges: set[tuple[NamedNode, NamedNode, NamedNode]] = set()
        emitted_targets: set[NamedNode] = set()
        for rel in record.relationships:
            relation = self.minted.relation(rel.key, rel.location)
            target = self.index.resolve(rel.target, relation)
            if target.publication:
                self.log.warning(record.relpath, rel.location.line, f"{rel.key}:: links to the reference note {rel.target.label!r}, not an entity; relationship skipped", code="relation")
                continue
            if target.unresolved and target.iri not in emitted_targets:
                emitted_targets.add(target.iri)
                quads.extend(unresolved_quads(target, ctx))
            s, o = edge_ends(relation, entity.iri, target.iri)  # type: ignore[arg-type]
            key = (s, relation.property, o)
            if key in seen_edges:
                continue
            seen_edges.add(key)
            evidence = [iri for iri in (self.index.resolve_evidence(link) for link in rel.evidence_links) if iri is not None]
            evidence += [self._pmid_iri(pmid) for pmid in rel.pmids]
            quads.extend(relationship_quads(rel, relation, entity.iri, target.iri, ctx, dict.fromkeys(evidence)))  # type: ignore[arg-type]
            self.edges.setdefault(key, []).append(ctx.graph)
        quads.extend(self._references(entity, ctx))
        return ctx.graph, quads

    def _pmid_iri(self, pmid: str) -> NamedNode:
        """The reference note's publication with this PMID, else the PubMed record itself."""
        hit = self.pub_by_pmid.get(pmid)
        return hit if hit is not None else NamedNode(self.ids.expand(f"pubmed:{pmid}"))

    def _references(self, entity: IndexedEntity, ctx: EmitContext) -> Iterator[Quad]:
        if not entity.record.references:
            return
        from .emit.publications import publication_quads
        from .sources.citations import normalise_title, parse_reference_entry

        for entry in entity.record.references:
            pub = parse_reference_entry(entry.text, entry.location)
            if pub is None:
                self.log.warning(entry.location.path, entry.location.line, "References entry not understood; not published", code="reference")
                continue
            iri = None
            if getattr(pub, "pmid", None):
                iri = self.pub_by_pmid.get(str(pub.pmid))
            if iri is None and pub.title:
                iri = self.pub_by_title.get((normalise_title(pub.title), str(pub.year or "")))
            if iri is None:
                iri = _publication_iri(pub, self.minter)
                yield from publication_quads(pub, ctx)
            yield ctx.quad(entity.iri, KGO.hasReference, iri)  # type: ignore[arg-type]

    def attach_support_claims(self) -> None:
        """``supports:`` claims of reference notes -> ``kgo:evidence`` on the matching edges' axioms."""
        from .mapping.evidence import match_claim

        for note, pub in self.kinds.references:
            claims = getattr(pub, "supports", None) or []
            if not claims:
                continue
            pub_iri = _publication_iri(pub, self.minter)
            for claim in claims:
                edges = match_claim(claim, self.index, self.tables, self.ids, self.edges)
                if not edges:
                    self.log.warning(claim.location.path, claim.location.line, f"supports: no edge {claim.subject} {claim.predicate} {claim.object} in the garden", code="evidence")
                    continue
                for (s, p, o), graphs in edges:
                    for graph in graphs:
                        axiom = EmitContext.axiom_node(graph, s, p, o)
                        self.graphs.add(graph, [Quad(axiom, KGO.evidence, pub_iri, graph)])


def _merge_extra_dist(manifest: Manifest, dist: Path, out: Path) -> Manifest:
    """``--with DIST``: list the graphs of another output folder (e.g. ``DIST/primekg``) in ``manifest``.

    The graphs stay in their own files (paths relative to ``out``); they are neither loaded nor
    validated with the garden shapes (``kgpub validate DIST/primekg`` validates an import).
    """
    from .importers.primekg import merge_into

    return merge_into(manifest, dist, out)


def _graph_iris(graphs: GraphSet) -> set[str]:
    return {g.value for g in graphs.graphs}


def _validate(graphs: GraphSet, log: DiagnosticLog):
    try:
        from .validate.shacl import validate
    except ImportError:
        log.warning("shapes", None, "SHACL validation unavailable (kgpub.validate.shacl missing); not validated", code="shacl")
        return None
    return validate(union_triples(graphs), shapes=garden_shapes())


def _source_date() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise ConfigError(f"SOURCE_DATE_EPOCH must be an integer, not {epoch!r}") from None
