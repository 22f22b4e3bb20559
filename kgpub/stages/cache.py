"""Incremental builds: what a build keeps in ``DIST/.kgpub-cache/`` between the stages, and when it may reuse it.

The cache holds, per note file, its content digest, its :class:`Note` record and the diagnostics
of reading it; per published note, the digest of everything its graph was emitted from, the
graph's quads (before ``supports:`` evidence), its edges and its diagnostics; per data graph,
the ``supports:`` evidence it received; per note graph, its lines of ``kg.nq`` with their count
and digest (written again as they are while the graph's quads and evidence are the same bytes);
and the validation results of the last build.

It is valid for one *build key* (:func:`build_key`): kgpub's version and source, the garden's
folder, its configuration, every bundled and extension mapping/ontology/shape/lexicon file and
the build options.  Any change there is a full build.  Within one key, a note's graph is
emitted again only when its *inputs* changed (:meth:`NoteInputs.digest`): its file, and every
answer of the index its emission reads (the targets its links resolve to, its canonical IRI,
the publications its PMIDs and References entries are, for articles the names of the garden).
Renaming, retitling or aliasing a note therefore changes exactly the notes whose links now
resolve differently: the index answers are the reverse index of names.

Validation: every bundled shape looks no further than a focus node's own triples and the
``rdf:type`` of their objects (see :mod:`kgpub.validate.shacl`).  So the results of a node are
recomputed when one of its triples changed, or the types of a node it points to; every other
result is the last build's.  Garden extension shapes (``[extend] shapes``) may look further:
with them, every build validates the whole union.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from .. import __version__
from ..cache import SETTLED_NS, file_digest
from ..config import FileRules, GardenConfig, PublishMode
from ..diagnostics import Diagnostic, DiagnosticLog
from ..errors import NoteError
from ..identifiers import Identifiers
from ..paths import PRIMEKG_NODES_TSV as NODES_TSV
from ..mapping.fallback import MintedTerms
from ..mapping.resolve import IndexedEntity
from ..mapping.tables import MappingTables
from ..model.notes import Note
from ..paths import mappings_dir, ontology_dir, shapes_dir
from ..publish.blocks import TurtleEdit, TurtleIndex, subject_block, subject_key
from ..publish.files import KG_NQ, KG_TTL, GraphSet, triple_order, union_triples
from ..publish.manifest import GraphDigest
from ..sources.citations import parse_reference_entry
from ..sources.garden import check_permalinks, read_note, walk_garden
from ..validate.report import ValidationReport, result_order
from ..validate.shacl import validate
from ..vocab import KGO, OWL, PREFIXES, PROV, RDF
from .check import check_graphs, garden_shapes
from .collector import collector_paused
from .classify import ArticleRecord, Classified, ReferenceRecord, claim_permalinks, classify_forked, classify_note
from .emit import Edge, EmitSettings, Emitted, emit_notes, support_evidence
from .index import Indexed
from .read import ReadNotes
from .cache_store import CACHE_FOLDER, BuildCache, FileRecord, NoteGraph, stamp_of

__all__ = ["CACHE_FOLDER", "BuildCache", "CacheStats", "NoteInputs", "PureInputs", "build_key", "check_cached", "classify_cached", "emit_cached",
           "graph_changes", "keep_metadata", "keep_written", "plan_turtle", "read_notes_cached", "report_turtle"]

_FORMAT = 6  # bump when the cached records change shape


def build_key(garden: Path, cfg: GardenConfig, *, validate: bool, extra_dists: Sequence[Path]) -> str:
    """The digest a cache is valid for: everything a build reads besides the note files."""
    h = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)

    add(_FORMAT, __version__, sys.version_info[:2], str(garden.resolve()), repr(cfg), validate,
        [str(d.resolve()) for d in extra_dists], os.environ.get("SOURCE_DATE_EPOCH"))
    if cfg.path is not None and cfg.path.is_file():
        add(cfg.path.read_bytes())
    package = Path(__file__).resolve().parent.parent
    folders = [package, ontology_dir(), mappings_dir(), shapes_dir()]
    files = [*cfg.extend.mappings, *cfg.extend.ontology, *cfg.extend.shapes, *(lexicon.path for lexicon in cfg.lexicons)]
    # what a build reads of each --with folder: its manifest (graph digests) and its node names (a lexicon)
    files += [Path(d) / name for d in extra_dists for name in ("manifest.json", NODES_TSV)]
    for item in [*folders, *files]:
        for path in sorted(p for p in item.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if item.is_dir() else [item]:
            add(str(path), file_digest(path) if path.is_file() else b"(missing)")
    return h.hexdigest()


@dataclass
class CacheStats:
    """What an incremental build did again: notes read and emitted, nodes validated."""

    read: int = 0
    emitted: list[str] = field(default_factory=list)  # paths of the notes whose graph was emitted
    reused: int = 0
    validated_nodes: int | None = None  # None: the whole union was validated
    graphs_kept: int = 0  # note graphs written as their lines of the last kg.nq (not parsed)
    turtle_blocks: int | None = None  # subject blocks of kg.ttl written again (None: the whole file)
    unused: str = ""  # why the cache in DIST was not used ("": it was, or there was none): BuildCache.unused
    inputs_kept: int = 0  # entity notes whose inputs were the last build's, their links not resolved (NoteInputs.taken)

    def summary(self) -> str:
        validated = "all nodes" if self.validated_nodes is None else f"{self.validated_nodes} nodes"
        turtle = "all of kg.ttl" if self.turtle_blocks is None else f"{self.turtle_blocks} blocks of kg.ttl"
        unused = f"cache not used, full build: {self.unused}\n" if self.unused else ""
        return (f"{unused}cache: read {self.read} files, emitted {len(self.emitted)} notes, reused {self.reused}, "
                f"kept {self.graphs_kept} graphs, wrote {turtle}, validated {validated}")


# --- read -----------------------------------------------------------------------------------


@collector_paused()
def read_notes_cached(garden: Path, rules: FileRules, log: DiagnosticLog, old: BuildCache, new: BuildCache, stats: CacheStats) -> ReadNotes:
    """:func:`kgpub.stages.read.read_notes`, reusing the record of every file whose bytes did not change.

    A file whose size, modification time and inode are those of its record (taken once the file had
    settled) is not read; any other is hashed, and read again if its bytes changed.
    """
    result = ReadNotes()
    now = time.time_ns()
    for item in walk_garden(garden, rules):
        record = old.files.get(item.relpath)
        try:
            st = os.stat(item.fspath)
            stat: tuple[int, int, int] | None = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError:
            stat = None
        if record is None or stat is None or record.stat != stat:
            try:
                digest = hashlib.sha256(item.path.read_bytes()).hexdigest()
            except OSError:
                digest = ""
            settled = stat if stat is not None and now - stat[1] >= SETTLED_NS else None
            if record is None or record.digest != digest or not digest:
                own = DiagnosticLog()
                try:
                    note: Note | None = check_permalinks(read_note(item.path, item.relpath), own)
                except NoteError as error:
                    own.error(error.path or item.relpath, error.line, error.message, code="note")
                    note = None
                record = FileRecord(digest, note, list(own), stat=settled)
                stats.read += 1
            elif record.stat != settled:
                record = replace(record, stat=settled)
        new.files[item.relpath] = record
        log.extend(record.diagnostics)
        if record.note is None:
            result.unreadable += 1
        else:
            result.notes.append(record.note)
    return result


# --- classify -------------------------------------------------------------------------------


@collector_paused()
def classify_cached(new: BuildCache, mode: PublishMode, tables: MappingTables, ids: Identifiers, log: DiagnosticLog, minted: MintedTerms) -> Classified:
    """:func:`kgpub.stages.classify.classify` of the notes read into ``new``, classifying again only the notes read again.

    A reused entity note's type is looked up again in ``minted``, in reading order, so the build's
    counts of note types are a full build's; so is the type of a note classified in a worker process
    (:func:`kgpub.stages.classify.classify_forked`, when many notes were read again).
    """
    fresh = [record for record in new.files.values() if record.note is not None and record.classified is None]
    for record, (classified, diagnostics) in zip(fresh, classify_forked([r.note for r in fresh], mode, tables, ids, minted)):
        record.classified, record.classify_diagnostics = classified, diagnostics
    parts: list[tuple[Note, Classified]] = []
    for record in new.files.values():
        if record.note is None:
            continue
        if record.classified is None:
            own = DiagnosticLog()
            record.classified = classify_note(record.note, mode, tables, ids, own, minted)
            record.classify_diagnostics = list(own)
        elif record.classified.entities and record.note.type:
            minted.note_type(record.note.type, record.note.location("type"))
        log.extend(record.classify_diagnostics)
        parts.append((record.note, record.classified))
    return claim_permalinks(parts, log)


# --- emit -----------------------------------------------------------------------------------


#: Entity notes' inputs that are a function of their file and of the index alone: by path, (file digest, inputs digest).
PureInputs = dict[str, tuple[str, str]]


class NoteInputs:
    """Digests of what each published note's graph is emitted from (see the module docstring).

    ``kept``: the last build's :data:`PureInputs`, when this build's index is that build's (the same
    :func:`kgpub.stages.index.index_facts`) and ``old`` is the cache it saved; an entity note whose file
    is the same then has the same inputs, taken from there without resolving its links.  ``pure``:
    this build's, for the next.
    """

    def __init__(self, files: dict[str, FileRecord], indexed: Indexed, settings: EmitSettings, kept: PureInputs | None = None):
        self.files, self.indexed, self.settings = files, indexed, settings
        self.kept: PureInputs = kept or {}
        self.pure: PureInputs = {}
        self.taken = 0  # entity notes whose inputs were taken from ``kept``
        self._names: str | None = None
        self._reprs: dict[int, tuple[object, str]] = {}  # relations and targets, each written out once (by id: kept alive here)

    def _digest(self, *parts: object) -> str:
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def _repr(self, value: object) -> str:
        """``repr(value)`` of an immutable index answer, computed once per object (the index answers an entity's
        links with one :class:`Target` object; no answer's hash is computed)."""
        known = self._reprs.get(id(value))
        if known is None or known[0] is not value:
            known = self._reprs[id(value)] = (value, repr(value))
        return known[1]

    def reference(self, ref: ReferenceRecord) -> str:
        return self._digest("reference", ref.note.relpath, self.files[ref.note.relpath].digest, ref.permalink)

    def article(self, art: ArticleRecord) -> str:
        if self._names is None:
            self._names = self._digest(list(self.indexed.garden.names()))
        return self._digest("article", art.note.relpath, self.files[art.note.relpath].digest, art.permalink, self._names)

    def entity(self, entity: IndexedEntity) -> str:
        """The entity's place in the index and every index answer its relationships and References get.

        Calls the build's :class:`MintedTerms` once per relationship, in the order emission does,
        so its counts and first uses are those of a full build whatever is emitted again.
        """
        record = entity.record
        relpath = record.note.relpath
        file = self.files[relpath].digest
        kept = self.kept.get(relpath)
        if kept is not None and kept[0] == file:
            relation = self.settings.minted.relation
            for rel in record.relationships:
                relation(rel.key, rel.location)
            self.pure[relpath] = kept
            self.taken += 1
            return kept[1]
        index, publications = self.indexed.garden, self.indexed.publications
        lookups = index.unresolved_lookups
        parts: list[str] = [repr(("entity", relpath, file, record.permalink,
                                  entity.own_iri, entity.iri, entity.cls, entity.matches))]
        for rel in record.relationships:
            relation = self.settings.minted.relation(rel.key, rel.location)
            parts += [self._repr(relation), self._repr(index.resolve(rel.target, relation)),
                      repr([index.resolve_evidence(link) for link in rel.evidence_links]) if rel.evidence_links else "[]",
                      repr([publications.by_pmid.get(pmid) for pmid in rel.pmids]) if rel.pmids else "[]"]
        for entry in record.references:
            pub = parse_reference_entry(entry.text, entry.location)
            parts.append(repr(publications.find(pub) if pub is not None else None))
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()  # no repr holds a raw U+001F
        if index.unresolved_lookups == lookups:  # every answer a lookup in the index, which recorded nothing
            self.pure[relpath] = (file, digest)
        return digest


@collector_paused()
def emit_cached(
    classified: Classified, indexed: Indexed, settings: EmitSettings, log: DiagnosticLog, tick: Callable[[int], None],
    old: BuildCache, new: BuildCache, stats: CacheStats, inputs: NoteInputs | None = None,
) -> Emitted:
    """:func:`kgpub.stages.emit.emit_notes`, emitting again only the notes whose inputs changed (``inputs``: their
    digests, by default computed for every note)."""
    inputs = inputs if inputs is not None else NoteInputs(new.files, indexed, settings)
    order: list[tuple[str, str, NamedNode]] = []  # (relpath, inputs, graph) in emission order
    dirty_refs = []
    for ref in classified.references:
        order.append((ref.note.relpath, inputs.reference(ref), settings.minter.note(ref.permalink)))
        if _stale(old, order[-1]):
            dirty_refs.append(ref)
    dirty_entities = []
    for entity in indexed.garden.entities:
        order.append((entity.record.relpath, inputs.entity(entity), settings.minter.note(entity.record.permalink)))
        if _stale(old, order[-1]):
            dirty_entities.append(entity)
    dirty_articles = []
    for art in classified.articles:
        order.append((art.note.relpath, inputs.article(art), settings.minter.note(art.permalink)))
        if _stale(old, order[-1]):
            dirty_articles.append(art)

    own_log = DiagnosticLog()
    scratch = replace(settings, minted=MintedTerms(settings.minter, settings.tables))  # the build's counts: NoteInputs.entity
    index = indexed.garden
    rows, ambiguous = len(index.grounding_rows), len(index.ambiguous)
    fresh = emit_notes(Classified(references=dirty_refs, articles=dirty_articles), indexed, scratch, own_log,
                       tick, entities=dirty_entities, claims=False)  # supports: claims below, over every graph
    # NoteInputs.entity resolved every link once, in emission order: what resolving records is a full build's
    del index.grounding_rows[rows:], index.ambiguous[ambiguous:]
    by_path: dict[str, list[Diagnostic]] = {}
    for d in own_log:
        by_path.setdefault(d.path, []).append(d)
    edges_of: dict[NamedNode, list[Edge]] = {}
    for edge, graphs in fresh.edges.items():
        for graph in graphs:
            edges_of.setdefault(graph, []).append(edge)

    out = Emitted()
    members: dict[NamedNode, list[tuple[str, NoteGraph, list[Quad] | None]]] = {}  # each graph's notes, fresh quads or None
    for relpath, digest, graph in order:
        cached = old.notes.get(relpath)
        quads: list[Quad] | None = None
        if cached is not None and cached.inputs == digest:
            entry = cached
            stats.reused += 1
        else:
            quads = list(fresh.graphs.graphs[graph])
            entry = NoteGraph(digest, graph.value, None, edges_of.get(graph, []), by_path.get(relpath, []))
            stats.emitted.append(relpath)
        new.notes[relpath] = entry
        members.setdefault(graph, []).append((relpath, entry, quads))
        log.extend(entry.diagnostics)
        for edge in entry.edges:
            out.edges.setdefault(edge, []).append(graph)
    emitted = set(stats.emitted)
    for d in own_log:
        if d.path not in emitted:
            log.add(d)  # not about one of the notes emitted (none known): kept for this build
    evidence: dict[NamedNode, list[Quad]] = {}
    for quad in support_evidence(classified.references, indexed, settings, out.edges, log):
        evidence.setdefault(quad.graph_name, []).append(quad)  # type: ignore[arg-type]
    new.evidence = {g.value: _nquads(q) for g, q in evidence.items()}
    new.sources = _sources(new)
    for graph, notes in members.items():
        kept = old.chunks.get(graph.value)
        if kept is not None and kept[0] == new.sources[graph.value]:
            _, offset, length, count, digest = kept  # the same quads and evidence: the lines of the last kg.nq
            out.graphs.keep(graph, memoryview(old.nq)[offset:offset + length], GraphDigest.known(count, digest))
            stats.graphs_kept += 1
            continue
        shared = len(notes) > 1 or graph in evidence
        for relpath, entry, quads in notes:
            if quads is None:
                quads = old.note_quads(entry)
            out.graphs.add(graph, quads)
            if shared and entry.nquads is None:  # its graph's lines will hold more than its quads
                new.notes[relpath] = replace(entry, nquads=_nquads(quads))  # a new record: the cache's row is written again
        if graph in evidence:
            out.graphs.add(graph, evidence[graph])
    return out


def _sources(cache: BuildCache) -> dict[str, str]:
    """The digest of what each note graph holds: the inputs of its notes (which determine their quads), then its evidence."""
    parts: dict[str, list[str]] = {}
    for entry in cache.notes.values():
        parts.setdefault(entry.graph, []).append(entry.inputs)
    out = {}
    for graph, inputs in parts.items():
        h = hashlib.sha256()
        for chunk in [*(i.encode("ascii") for i in inputs), cache.evidence.get(graph, b"")]:
            h.update(len(chunk).to_bytes(8, "big"))
            h.update(chunk)
        out[graph] = h.hexdigest()
    return out


def keep_written(graphs: GraphSet, new: BuildCache, out: Path, turtle: TurtleIndex | None) -> None:
    """Keep where each note graph's lines are in the kg.nq just written (:func:`kgpub.publish.files.write_nquads`
    writes the graphs' chunks in this order), the stamps of kg.nq and kg.ttl, kg.ttl's index and the subject index."""
    offset = 0
    for graph in sorted(graphs.graphs, key=lambda g: g.value):
        lines, digest = graphs.chunks[graph]
        source = new.sources.get(graph.value)
        if source is not None:
            new.chunks[graph.value] = (source, offset, len(lines), digest.count, digest.hexdigest())
        offset += len(lines)
    new.stamps = {name: stamp for name in (KG_NQ, KG_TTL) if (stamp := stamp_of(out / name)) is not None}
    new.turtle = turtle
    if not new.subjects:
        new.subjects = _subject_index(graphs)


def _subject_index(graphs: GraphSet) -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for graph in graphs.data_graphs():
        name = (graph.value,)
        for subject in {q.subject for q in graphs.graphs[graph]}:
            key = subject_key(subject)  # type: ignore[arg-type]
            index[key] = index.get(key, ()) + name
    return index


def _stale(old: BuildCache, item: tuple[str, str, NamedNode]) -> bool:
    cached = old.notes.get(item[0])
    return cached is None or cached.inputs != item[1]


def _nquads(quads: Iterable[Quad]) -> bytes:
    return serialize(sorted(quads, key=lambda q: (q.subject.value, q.predicate.value, str(q.object))), format=RdfFormat.N_QUADS)


# --- validate -------------------------------------------------------------------------------


@dataclass
class Changes:
    """The data graphs a build changed since the last one: each with its quads of the last build ([] for a new graph)."""

    before: dict[str, list[Quad]]
    now: dict[str, list[Quad]]  # their quads in this build ([] for a graph that is gone)
    edges: Mapping[Edge, list[NamedNode]]  # every edge with the graphs stating it (the graphs of the axioms naming a node)


@collector_paused()
def graph_changes(graphs: GraphSet, edges: Mapping[Edge, list[NamedNode]], old: BuildCache, new: BuildCache) -> Changes | None:
    """What changed since the build ``old`` describes (``None``: no usable last build); updates ``new.subjects``."""
    if not old.chunks or not old.subjects:
        return None
    data = {g.value: g for g in graphs.data_graphs()}
    before: dict[str, list[Quad]] = {}
    for name in data:
        source = new.sources.get(name)
        if source is not None:
            kept = old.chunks.get(name)
            if kept is None or kept[0] != source:
                before[name] = old.graph_quads(name) if kept is not None else []
        elif old.metadata.get(name) != new.metadata.get(name):
            before[name] = list(parse(old.metadata[name], format=RdfFormat.N_QUADS)) if name in old.metadata else []
    for name in [*old.chunks, *old.metadata]:
        if name not in data:
            before[name] = old.graph_quads(name) if name in old.chunks else list(parse(old.metadata[name], format=RdfFormat.N_QUADS))
    now = {name: list(graphs.graphs[data[name]]) if name in data else [] for name in before}
    subjects = dict(old.subjects)
    for name, quads in before.items():
        for key in {subject_key(q.subject) for q in quads}:  # type: ignore[arg-type]
            rest = tuple(g for g in subjects.get(key, ()) if g != name)
            if rest:
                subjects[key] = rest
            else:
                subjects.pop(key, None)
    for name, quads in now.items():
        for key in {subject_key(q.subject) for q in quads}:  # type: ignore[arg-type]
            subjects[key] = (*subjects.get(key, ()), name)
    new.subjects = subjects
    return Changes(before, now, edges)


def plan_turtle(graphs: GraphSet, old: BuildCache, new: BuildCache, changes: Changes | None, stats: CacheStats) -> None:
    """Let :func:`kgpub.publish.files.write_kg_turtle` rewrite only the blocks of the subjects of the changed graphs."""
    if changes is None or old.turtle is None or old.ttl is None:
        return
    dirty = {subject_key(q.subject) for quads in [*changes.before.values(), *changes.now.values()] for q in quads}  # type: ignore[arg-type]
    data = {g.value: g for g in graphs.data_graphs()}
    triples: dict[str, dict[Triple, None]] = {key: {} for key in dirty}
    for name in {g for key in dirty for g in new.subjects.get(key, ())}:
        for q in graphs.graphs[data[name]]:
            bucket = triples.get(subject_key(q.subject))  # type: ignore[arg-type]
            if bucket is not None:
                bucket[q.triple] = None
    header = old.ttl[:old.turtle.header]
    blocks = {}
    for key, own in triples.items():
        block = subject_block(own, PREFIXES, header)
        if block is None:
            return  # not the prefix lines of the last file: kg.ttl is serialised again
        blocks[key] = block
    graphs.turtle = TurtleEdit(old.ttl, old.turtle, blocks)
    stats.turtle_blocks = len(blocks)


@collector_paused()
def check_cached(graphs: GraphSet, extra_shapes: Sequence[Path], old: BuildCache, new: BuildCache, stats: CacheStats,
                 changes: Changes | None) -> ValidationReport:
    """:func:`kgpub.stages.check.check_graphs`, validating again only the nodes whose results may have changed.

    Those are the subjects of the changed graphs' quads (before and now) and, when the types of
    a node may have changed, every node pointing to it.  Their results are computed from their
    neighbourhood: the graphs stating them, the graphs of the axioms naming them, and the graphs
    stating the types of the nodes they point to and the notes they come from.
    """
    if old.results is None or extra_shapes or changes is None:
        report = check_graphs(graphs, extra_shapes)
        new.results = report
        return report
    dirty: set[NamedNode | BlankNode] = set()
    types: tuple[dict, dict] = ({}, {})
    for side, quads_by_graph in zip(types, (changes.before, changes.now)):
        for quads in quads_by_graph.values():
            for q in quads:
                dirty.add(q.subject)  # type: ignore[arg-type]
                if q.predicate == RDF.type:
                    side.setdefault(q.subject, set()).add(q.object)
    retyped = {node for node in types[0].keys() | types[1].keys() if types[0].get(node) != types[1].get(node)}
    if retyped:
        triples = union_triples(graphs)
        dirty.update(t.subject for t in triples if t.object in retyped)  # type: ignore[misc]
    else:
        triples = _neighbourhood(graphs, new, dirty, changes.edges)
    subset = _validation_subset(triples, dirty)
    fresh = validate(subset, shapes=garden_shapes(extra_shapes)) if subset else ValidationReport([], old.results.fallbacks)
    foci = {str(node) for node in dirty}
    results = [r for r in old.results.results if r.focus_node not in foci]
    results += [r for r in fresh.results if r.focus_node in foci]
    report = ValidationReport(sorted(results, key=result_order), fallbacks=fresh.fallbacks if subset else old.results.fallbacks)
    stats.validated_nodes = len(dirty)
    new.results = report
    return report


def _neighbourhood(graphs: GraphSet, new: BuildCache, dirty: set[NamedNode | BlankNode], edges: Mapping[Edge, list[NamedNode]]) -> list[Triple]:
    """The union's triples that :func:`_validation_subset` may take for ``dirty`` (and others), sorted as the union."""
    data = {g.value: g for g in graphs.data_graphs()}

    def holding(nodes: Iterable[NamedNode | BlankNode]) -> set[str]:
        return {g for node in nodes for g in new.subjects.get(subject_key(node), ())}

    names = holding(dirty)
    for (s, _, o), stating in edges.items():  # the axioms naming a dirty node are in the graphs stating its edges
        if s in dirty or o in dirty:
            names.update(g.value for g in stating)
    found = dict.fromkeys(q.triple for name in names for q in graphs.graphs[data[name]])
    pointed = {t.object for t in found if t.subject in dirty and type(t.object) is not Literal}
    notes = {t.object for t in found if t.predicate == PROV.wasDerivedFrom}
    for name in holding([*pointed, *notes]) - names:  # type: ignore[list-item]
        found.update(dict.fromkeys(q.triple for q in graphs.graphs[data[name]]))
    return sorted(found, key=triple_order)


def _validation_subset(triples: Sequence[Triple], dirty: set[NamedNode | BlankNode]) -> list[Triple]:
    """What the results about ``dirty`` nodes are computed and located from: their triples, the types of the
    nodes they point to, and the provenance pattern about them (axioms naming them, the notes they come from)."""
    own: list[Triple] = []
    axioms: set[NamedNode | BlankNode] = set()
    for t in triples:
        if t.subject in dirty:
            own.append(t)
        elif t.object in dirty and t.predicate in _AXIOM_ENDS:
            axioms.add(t.subject)  # type: ignore[arg-type]
    axiom_triples = [t for t in triples if t.subject in axioms and t.subject not in dirty]
    notes = {t.object for t in [*own, *axiom_triples] if t.predicate == PROV.wasDerivedFrom}
    pointed = {t.object for t in own if isinstance(t.object, (NamedNode, BlankNode))} - dirty
    context = [t for t in triples if (t.subject in pointed and t.predicate == RDF.type)
               or (t.subject in notes and t.subject not in dirty and t.predicate == KGO.sourcePath)]
    return [*own, *axiom_triples, *dict.fromkeys(context)]


_AXIOM_ENDS = (OWL.annotatedSource, OWL.annotatedTarget)


def report_turtle(report: ValidationReport, old: BuildCache, new: BuildCache) -> bytes:
    """``validation.ttl`` of ``report``: the last build's bytes when its results are the same (the file depends on nothing else)."""
    if old.results is not None and old.results_turtle is not None and old.results.results == report.results:
        data = old.results_turtle
    else:
        data = report.to_turtle()
    new.results_turtle = data
    return data


def keep_metadata(graphs: GraphSet, new: BuildCache) -> None:
    """Keep the graphs no note emits (the dataset's metadata) for the next build's validation."""
    noted = {entry.graph for entry in new.notes.values()}
    for graph in graphs.data_graphs():
        if graph.value not in noted:
            new.metadata[graph.value] = _nquads(graphs.graphs[graph])
