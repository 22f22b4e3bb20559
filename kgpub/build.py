"""The ``build`` pipeline: read -> classify -> index -> emit -> check -> write (see :mod:`kgpub.stages`).

>>> result = build_garden("examples/garden", "dist")   # doctest: +SKIP
>>> result.exit_code, result.notes_published
(0, 17)

The garden's ``kgpub.toml`` (or ``config=``, a :class:`GardenConfig` or a file) sets the
base IRI, the files read, the publishing rule, the dataset's description and the tables,
ontology and shapes that extend the bundled ones.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .config import GardenConfig, config_for
from .diagnostics import DiagnosticLog
from .emit.provenance import DatasetInfo, dataset_quads
from .errors import ConfigError
from .identifiers import Identifiers
from .iris import IriMinter
from .emit.minted import minted_property_quads
from .mapping.fallback import MintedTerms
from .mapping.tables import MappingTables
from .mapping.terms import OntologyTerms
from .ontology import load_ontology_quads
from .publish.files import WrittenFiles
from .publish.manifest import GraphEntry
from .session import BuildSession
from .stages.cache import BuildCache, CacheStats, NoteInputs, build_key, check_cached, classify_cached, emit_cached, graph_changes, keep_metadata, keep_written, plan_turtle, read_notes_cached, report_turtle
from .stages.emit import EmitSettings
from .grounding.sssom import write_sssom
from .grounding.stage import dist_lexicons
from .stages.index import index_facts, index_records
from .stages.collector import collector_paused
from .stages.write import check_extra_dists, write_outputs
from .validate.shacl import ValidationReport

Progress = Callable[[str, int, int], None]

#: Validation results shown on stderr for each distinct message (the rest are counted).
SUMMARY_LINES_PER_MESSAGE = 20


@dataclass
class BuildResult:
    """What a build did.  ``exit_code``: 0 conforms, 1 data problems (files still written).

    Every note file read is counted once: ``notes_read == notes_published + notes_private + notes_skipped``.
    """

    out_dir: Path
    notes_read: int = 0
    notes_published: int = 0
    notes_private: int = 0
    notes_skipped: int = 0
    triples: int = 0
    graphs: int = 0
    log: DiagnosticLog = field(default_factory=DiagnosticLog)
    report: ValidationReport | None = None
    files: WrittenFiles | None = None
    merged: list[GraphEntry] = field(default_factory=list)  # graphs listed from --with folders
    cache: CacheStats = field(default_factory=CacheStats)  # what was read, emitted and validated again

    @property
    def conforms(self) -> bool:
        """No SHACL violation (warnings and infos pass; the report's own ``conforms`` is SHACL's, false for any result)."""
        return self.report is None or not self.report.has_violations

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms and not self.log.errors else 1

    def one_line(self) -> str:
        """The summary in one line (``kgpub build --watch`` prints one per rebuild)."""
        validation = f", {self.report.summary().splitlines()[0]}" if self.report is not None else ""
        return (f"{self.notes_published} notes published, {self.graphs} graphs, {self.triples} triples; "
                f"{len(self.cache.emitted)} notes emitted again; {len(self.log.errors)} errors, {len(self.log.warnings)} warnings{validation}")

    def summary(self) -> str:
        lines = [
            f"notes: {self.notes_read} read = {self.notes_published} published + "
            f"{self.notes_private} not published + {self.notes_skipped} skipped",
            f"graphs: {self.graphs}, triples: {self.triples}",
            f"diagnostics: {len(self.log.errors)} errors, {len(self.log.warnings)} warnings",
        ]
        if self.report is not None:
            # stderr shows at most SUMMARY_LINES_PER_MESSAGE lines per message; validation.ttl has every result
            lines.append("validation: " + self.report.summary(per_message=SUMMARY_LINES_PER_MESSAGE))
        for entry in self.merged:
            lines.append(f"with: {entry.iri} ({entry.triples} triples, {len(entry.files)} files)")
        lines.append(self.cache.summary())
        if self.files is not None:
            lines.append(f"wrote: {', '.join(p.name for p in self.files.all())} in {self.out_dir}")
        return "\n".join(lines)


@collector_paused()  # one full pass of the collector after the build, not one after each stage
def build_garden(
    garden: Path | str,
    out: Path | str | None,
    *,
    config: GardenConfig | Path | str | None = None,
    base_iri: str | None = None,
    extra_dists: Iterable[Path] = (),
    log: DiagnosticLog | None = None,
    progress: Progress | None = None,
    validate: bool = True,
    cache: bool = True,
    full: bool = False,
    session: BuildSession | None = None,
) -> BuildResult:
    """Build the linked data of the garden folder ``garden`` into ``out`` (``None``: check only, write nothing).

    ``config``: a :class:`GardenConfig`, a ``kgpub.toml`` path, or ``None`` for ``GARDEN/kgpub.toml``
    (the defaults when absent); ``base_iri`` overrides the configuration's.  Unreadable notes are
    logged and skipped; the rest is published.

    With ``out``, the build keeps a cache in ``out/.kgpub-cache`` (:mod:`kgpub.stages.cache`) and
    reads, emits and validates again only what changed since the last build; the files are the
    same bytes as a full build's.  ``full=True`` ignores the cache (and writes a new one);
    ``cache=False`` neither reads nor writes it.  ``session``: what this process kept from its last
    build (:class:`kgpub.session.BuildSession`; ``kgpub build --watch`` passes one to every rebuild),
    reused where it gives the same bytes; ``None``: nothing kept.  Raises :class:`ConfigError` only for unusable
    options, configuration or data files.
    """
    garden = Path(garden)
    if not garden.is_dir():
        raise ConfigError(f"{garden}: not a folder")
    cfg = config_for(garden, config)
    if base_iri is not None:
        cfg = cfg.with_base_iri(base_iri)
    out_dir = Path(out) if out is not None else None
    minter = IriMinter(cfg.base_iri)
    log = log if log is not None else DiagnosticLog()
    result = BuildResult(out_dir=out_dir or garden, log=log)
    extra_dists = [Path(d) for d in extra_dists]
    if out_dir is not None:
        check_extra_dists(extra_dists, cfg.base_iri, out_dir)
    ids = Identifiers.default()
    tables = MappingTables.load(ids=ids, extra=cfg.extend.mappings)
    terms = OntologyTerms.load(extra=cfg.extend.ontology)
    tick = progress or (lambda stage, done, total: None)

    key = build_key(garden, cfg, validate=validate, extra_dists=extra_dists)
    use_cache = cache and out_dir is not None
    session = session if session is not None else BuildSession()
    old = session.open_cache(out_dir, key) if use_cache and not full else BuildCache(key)  # type: ignore[arg-type]
    new = BuildCache(key)
    stats = result.cache
    stats.unused = old.unused
    read = read_notes_cached(garden, cfg.files, log, old, new, stats)
    tick("read", read.files, read.files)
    minted = MintedTerms(minter, tables)
    classified = classify_cached(new, cfg.publish, tables, ids, log, minted)
    grounder = session.grounder(key, [*cfg.lexicons, *dist_lexicons(extra_dists)], ids, terms, log)
    facts = index_facts(classified)
    plan = None if full else session.reuse_index(key, facts, classified, minter, tables, terms, grounder)
    if plan is None:
        plan = session.new_index(key, facts, index_records(classified, minter, tables, terms, grounder), old)
    indexed = plan.indexed
    total = classified.published
    settings = EmitSettings(minter, ids, tables, cfg.site, minted)
    inputs = NoteInputs(new.files, indexed, settings, kept=plan.inputs)
    emitted = emit_cached(classified, indexed, settings, log, lambda done: tick("emit", done, total), old, new, stats, inputs)
    session.keep_index(plan, inputs.pure, new)
    stats.inputs_kept = inputs.taken
    graphs = emitted.graphs
    result.notes_read = read.files
    result.notes_published = total
    result.notes_private = len(classified.private)
    result.notes_skipped = read.unreadable + len(classified.skipped)

    ontology_graph = minter.graph("ontology")
    ontology_quads = load_ontology_quads(ontology_graph, extra=cfg.extend.ontology)
    graphs.add(ontology_graph, [*ontology_quads, *minted_property_quads(minted, ontology_graph)], role="ontology")
    minted.report(log)
    data_triples = graphs.triple_count(graphs.data_graphs())
    info = DatasetInfo(
        meta=cfg.dataset,
        source=garden.resolve().name,
        kgpub_version=__version__,
        triples=data_triples,
        entities=len({e.iri for e in indexed.garden.entities}),
        notes=total,
        site=cfg.site.url,
        issued=_source_date(),
    )
    metadata_graph = minter.graph("metadata")
    graphs.add(metadata_graph, dataset_quads(minter, metadata_graph, info), role="metadata")
    keep_metadata(graphs, new)
    changes = graph_changes(graphs, emitted.edges, old, new) if use_cache else None

    if validate:
        tick("validate", 0, 1)
        result.report = check_cached(graphs, cfg.extend.shapes, old, new, stats, changes)
        tick("validate", 1, 1)
    if out_dir is not None:
        validation_turtle = report_turtle(result.report, old, new) if result.report is not None else None
        if use_cache:
            plan_turtle(graphs, old, new, changes, stats)
        written = write_outputs(out_dir, graphs, cfg.base_iri, validation_turtle, ontology_extra=cfg.extend.ontology,
                                extra_dists=extra_dists, log=log, index=use_cache)
        result.files, result.merged = written.files, written.merged
        sssom = out_dir / "mappings.sssom.tsv"
        write_sssom(sssom, indexed.garden.grounding_rows, base_iri=cfg.base_iri,
                    mapping_set_id=cfg.base_iri + "mappings.sssom.tsv", tool=f"kgpub {__version__}")
        result.files = replace(written.files, mappings_sssom=sssom)
        for ambiguous in indexed.garden.ambiguous:
            log.warning("grounding", None, f"{ambiguous.text!r} is ambiguous ({', '.join(g.curie for g in ambiguous.groundings)}): related candidates only", code="grounding")
        if use_cache:
            keep_written(graphs, new, out_dir, written.files.turtle_index)
            new.save(out_dir, previous=old)
            session.saved(out_dir, new)
    result.graphs = len(graphs.graphs)
    result.triples = data_triples
    return result


def _source_date() -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise ConfigError(f"SOURCE_DATE_EPOCH must be an integer, not {epoch!r}") from None
