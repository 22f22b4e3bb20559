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
import pickle
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from .. import __version__
from ..cache import file_digest
from ..config import FileRules, GardenConfig, PublishMode
from ..diagnostics import Diagnostic, DiagnosticLog
from ..errors import NoteError
from ..identifiers import Identifiers
from ..importers.primekg.names import NODES_TSV
from ..mapping.fallback import MintedTerms
from ..mapping.resolve import IndexedEntity
from ..mapping.tables import MappingTables
from ..model.notes import Note
from ..paths import mappings_dir, ontology_dir, shapes_dir
from ..publish.files import GraphSet, union_triples
from ..publish.manifest import GraphDigest
from ..sources.citations import parse_reference_entry
from ..sources.garden import check_permalinks, read_note, walk_garden
from ..validate.report import ValidationReport, result_order
from ..validate.shacl import validate
from ..vocab import KGO, OWL, PROV, RDF
from .check import check_graphs, garden_shapes
from .collector import collector_paused
from .classify import ArticleRecord, Classified, ReferenceRecord, claim_permalinks, classify_note
from .emit import Edge, EmitSettings, Emitted, emit_notes, support_evidence
from .index import Indexed
from .read import ReadNotes

#: The folder of DIST holding the cache (not an output: push, serve and readers ignore it).
CACHE_FOLDER = ".kgpub-cache"
_CACHE_FILE = "build.pickle"
_FORMAT = 3  # bump when the cached records change shape


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
class FileRecord:
    """A note file as last read: the digest of its bytes, the note (``None``: unreadable) and its diagnostics;
    then what the note is (before permalink claims) and the diagnostics of classifying it."""

    digest: str
    note: Note | None
    diagnostics: list[Diagnostic]
    classified: Classified | None = None
    classify_diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class NoteGraph:
    """A published note's graph as last emitted, valid while the note's inputs have ``inputs``."""

    inputs: str
    graph: str
    nquads: bytes  # the graph's own quads, sorted N-Quads (supports: evidence apart)
    edges: list[Edge]
    diagnostics: list[Diagnostic]


@dataclass
class BuildCache:
    key: str
    files: dict[str, FileRecord] = field(default_factory=dict)  # by path relative to the garden
    notes: dict[str, NoteGraph] = field(default_factory=dict)  # by path relative to the garden
    evidence: dict[str, bytes] = field(default_factory=dict)  # supports: evidence quads by graph
    metadata: dict[str, bytes] = field(default_factory=dict)  # metadata graph(s) by IRI
    #: each note graph's lines of kg.nq, its triple count and digest, valid while its source (:func:`_sources`) is the same
    chunks: dict[str, tuple[str, bytes, int, str]] = field(default_factory=dict)
    results: ValidationReport | None = None

    @classmethod
    @collector_paused()
    def open(cls, out: Path, key: str) -> "BuildCache":
        """The cache in ``out`` if it was written for ``key``, else an empty one."""
        path = out / CACHE_FOLDER / _CACHE_FILE
        try:
            with path.open("rb") as f:
                cache = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return cls(key)
        return cache if isinstance(cache, BuildCache) and cache.key == key else cls(key)

    @collector_paused()
    def save(self, out: Path) -> None:
        folder = out / CACHE_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (_CACHE_FILE + ".tmp")
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / _CACHE_FILE)


@dataclass
class CacheStats:
    """What an incremental build did again: notes read and emitted, nodes validated."""

    read: int = 0
    emitted: list[str] = field(default_factory=list)  # paths of the notes whose graph was emitted
    reused: int = 0
    validated_nodes: int | None = None  # None: the whole union was validated

    def summary(self) -> str:
        validated = "all nodes" if self.validated_nodes is None else f"{self.validated_nodes} nodes"
        return f"cache: read {self.read} files, emitted {len(self.emitted)} notes, reused {self.reused}, validated {validated}"


# --- read -----------------------------------------------------------------------------------


@collector_paused()
def read_notes_cached(garden: Path, rules: FileRules, log: DiagnosticLog, old: BuildCache, new: BuildCache, stats: CacheStats) -> ReadNotes:
    """:func:`kgpub.stages.read.read_notes`, reusing the record of every file whose bytes did not change."""
    result = ReadNotes()
    for item in walk_garden(garden, rules):
        try:
            digest = hashlib.sha256(item.path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        record = old.files.get(item.relpath)
        if record is None or record.digest != digest or not digest:
            own = DiagnosticLog()
            try:
                note: Note | None = check_permalinks(read_note(item.path, item.relpath), own)
            except NoteError as error:
                own.error(error.path or item.relpath, error.line, error.message, code="note")
                note = None
            record = FileRecord(digest, note, list(own))
            stats.read += 1
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
    counts of note types are a full build's.
    """
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


class NoteInputs:
    """Digests of what each published note's graph is emitted from (see the module docstring)."""

    def __init__(self, files: dict[str, FileRecord], indexed: Indexed, settings: EmitSettings):
        self.files, self.indexed, self.settings = files, indexed, settings
        self._names: str | None = None

    def _digest(self, *parts: object) -> str:
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

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
        index, publications = self.indexed.garden, self.indexed.publications
        parts: list[object] = ["entity", record.relpath, self.files[record.relpath].digest, record.permalink,
                               entity.own_iri, entity.iri, entity.cls, entity.matches]
        for rel in record.relationships:
            relation = self.settings.minted.relation(rel.key, rel.location)
            parts += [relation, index.resolve(rel.target, relation),
                      [index.resolve_evidence(link) for link in rel.evidence_links],
                      [publications.by_pmid.get(pmid) for pmid in rel.pmids]]
        for entry in record.references:
            pub = parse_reference_entry(entry.text, entry.location)
            parts.append(publications.find(pub) if pub is not None else None)
        return self._digest(*parts)


@collector_paused()
def emit_cached(
    classified: Classified, indexed: Indexed, settings: EmitSettings, log: DiagnosticLog, tick: Callable[[int], None],
    old: BuildCache, new: BuildCache, stats: CacheStats,
) -> Emitted:
    """:func:`kgpub.stages.emit.emit_notes`, emitting again only the notes whose inputs changed."""
    inputs = NoteInputs(new.files, indexed, settings)
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
    for relpath, digest, graph in order:
        cached = old.notes.get(relpath)
        if cached is not None and cached.inputs == digest:
            out.graphs.add(graph, parse(cached.nquads, format=RdfFormat.N_QUADS))
            entry = cached
            stats.reused += 1
        else:
            quads = fresh.graphs.graphs[graph]
            out.graphs.add(graph, quads)
            entry = NoteGraph(digest, graph.value, _nquads(quads), edges_of.get(graph, []), by_path.get(relpath, []))
            stats.emitted.append(relpath)
        new.notes[relpath] = entry
        log.extend(entry.diagnostics)
        for edge in entry.edges:
            out.edges.setdefault(edge, []).append(graph)
    emitted = set(stats.emitted)
    for d in own_log:
        if d.path not in emitted:
            log.add(d)  # not about one of the notes emitted (none known): kept for this build
    evidence: dict[NamedNode, list[Quad]] = {}
    for quad in support_evidence(classified.references, indexed, settings, out.edges, log):
        out.graphs.add(quad.graph_name, [quad])
        evidence.setdefault(quad.graph_name, []).append(quad)  # type: ignore[arg-type]
    new.evidence = {g.value: _nquads(q) for g, q in evidence.items()}
    for graph, source in _sources(new).items():
        kept = old.chunks.get(graph)
        if kept is not None and kept[0] == source:
            out.graphs.chunks[NamedNode(graph)] = (kept[1], GraphDigest.known(kept[2], kept[3]))
    return out


def _sources(cache: BuildCache) -> dict[str, str]:
    """The digest of what each note graph holds: the quads of its notes, then its evidence."""
    parts: dict[str, list[bytes]] = {}
    for entry in cache.notes.values():
        parts.setdefault(entry.graph, []).append(entry.nquads)
    out = {}
    for graph, data in parts.items():
        h = hashlib.sha256()
        for chunk in [*data, cache.evidence.get(graph, b"")]:
            h.update(len(chunk).to_bytes(8, "big"))
            h.update(chunk)
        out[graph] = h.hexdigest()
    return out


def keep_chunks(graphs: GraphSet, new: BuildCache) -> None:
    """Keep the lines of kg.nq written for each note graph (after :func:`kgpub.publish.files.write_nquads`)."""
    for graph, source in _sources(new).items():
        chunk = graphs.chunks.get(NamedNode(graph))
        if chunk is not None:
            new.chunks[graph] = (source, chunk[0], chunk[1].count, chunk[1].hexdigest())


def _stale(old: BuildCache, item: tuple[str, str, NamedNode]) -> bool:
    cached = old.notes.get(item[0])
    return cached is None or cached.inputs != item[1]


def _nquads(quads: Iterable[Quad]) -> bytes:
    return serialize(sorted(quads, key=lambda q: (q.subject.value, q.predicate.value, str(q.object))), format=RdfFormat.N_QUADS)


# --- validate -------------------------------------------------------------------------------


def previous_graphs(old: BuildCache) -> dict[str, bytes]:
    """Each data graph of the last build, as N-Quads (a graph's own quads, then its evidence)."""
    out = {entry.graph: entry.nquads for entry in old.notes.values()}
    for graph, data in old.evidence.items():
        out[graph] = out.get(graph, b"") + data
    out.update(old.metadata)
    return out


@collector_paused()
def check_cached(graphs: GraphSet, extra_shapes: Sequence[Path], old: BuildCache, new: BuildCache, stats: CacheStats) -> ValidationReport:
    """:func:`kgpub.stages.check.check_graphs`, validating again only the nodes whose results may have changed."""
    before = previous_graphs(old)
    now = previous_graphs(new)
    if old.results is None or extra_shapes or not before:
        report = check_graphs(graphs, extra_shapes)
        new.results = report
        return report
    changed = [g for g in {*before, *now} if before.get(g) != now.get(g)]
    triples = union_triples(graphs)
    dirty: set[NamedNode | BlankNode] = set()
    typed: set[NamedNode | BlankNode] = set()
    for graph in changed:
        for data in (before.get(graph, b""), now.get(graph, b"")):
            for q in parse(data, format=RdfFormat.N_QUADS):
                dirty.add(q.subject)  # type: ignore[arg-type]
                if q.predicate == RDF.type:
                    typed.add(q.subject)  # type: ignore[arg-type]
    if typed:
        dirty.update(t.subject for t in triples if t.object in typed)  # type: ignore[misc]
    subset = _validation_subset(triples, dirty)
    fresh = validate(subset, shapes=garden_shapes(extra_shapes)) if subset else ValidationReport([], old.results.fallbacks)
    foci = {str(node) for node in dirty}
    results = [r for r in old.results.results if r.focus_node not in foci]
    results += [r for r in fresh.results if r.focus_node in foci]
    report = ValidationReport(sorted(results, key=result_order), fallbacks=fresh.fallbacks if subset else old.results.fallbacks)
    stats.validated_nodes = len(dirty)
    new.results = report
    return report


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


def keep_metadata(graphs: GraphSet, new: BuildCache) -> None:
    """Keep the graphs no note emits (the dataset's metadata) for the next build's validation."""
    noted = {entry.graph for entry in new.notes.values()}
    for graph in graphs.data_graphs():
        if graph.value not in noted:
            new.metadata[graph.value] = _nquads(graphs.graphs[graph])
