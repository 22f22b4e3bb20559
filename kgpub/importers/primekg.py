"""Import PrimeKG's ``kg.csv`` as aligned N-Triples: Source -> Transformer -> Sink, streamed in batches.

* Source: :func:`kgpub.importers.primekg_read.read_batches` (byte batches, bad lines counted).
* Transformer: :class:`PrimekgTransformer`, vectorised polars per batch: validates each row against
  ``mappings/primekg_*.tsv``, builds node IRIs through bioregistry, orients edges (typed, symmetric),
  drops mirrored rows and exact duplicates across the whole file (64-bit key hashes), and emits
  node triples (type, label, identifier, group members) once per node.
* Sink: :class:`kgpub.importers.primekg_sink.ShardedSink` (gzip N-Triples shards or Turtle).

Output in ``OUT/primekg/``: ``part-NNNNN.nt.gz``, ``summary.json``, ``void.ttl`` and ``manifest.json``
(graph ``B graph/primekg``).  See docs/design.md "PrimeKG import" for the provenance model.
"""

from __future__ import annotations

import io
import operator
import os
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from .. import __version__
from ..diagnostics import DiagnosticLog
from ..errors import ConfigError
from ..iris import DEFAULT_BASE_IRI, IriMinter
from ..publish.manifest import GraphEntry, Manifest
from .primekg_mapping import PrimekgMapping
from .primekg_nodes import node_lines, resolve, type_lines
from .primekg_read import DEFAULT_BATCH_BYTES, RowBatch, read_batches
from .primekg_reasons import DropReason
from .primekg_sink import ShardedSink
from .primekg_summary import ImportSummary, read_dataset_info, write_void

SUBDIR = "primekg"
FIRST_LINES = 20
_LOW = ("relation", "display_relation", "x_type", "x_source", "y_type", "y_source")  # few distinct values


@dataclass(frozen=True)
class ImportOptions:
    """How to import: output shards and format, IRIs, batch size, provenance."""

    shards: int = 4
    fmt: str = "nt.gz"
    base_iri: str = DEFAULT_BASE_IRI
    batch_bytes: int = DEFAULT_BATCH_BYTES
    release: str | None = None
    compresslevel: int = 1
    digest: bool = True


@dataclass
class ImportResult:
    folder: Path
    summary: ImportSummary
    manifest: Manifest
    log: DiagnosticLog

    @property
    def has_bad_rows(self) -> bool:
        return any(reason.is_bad and n for reason, n in self.summary.dropped_counts().items())


_ORIENTATION_SALT = 0x9E3779B97F4A7C15  # xor-ed into an edge key to tell its two orientations apart


def _node_key(kind: str, node_id: str) -> pl.Expr:
    """64-bit key of a node: hash of its raw id, kind code (< 256) xor-ed into the top byte."""
    return pl.col(node_id).hash(seed=5) ^ (pl.col(kind).cast(pl.UInt64) * (1 << 56))


class SeenEdges:
    """Edge keys seen so far (sorted uint64) with the orientations seen for each (bit 1: as is, bit 2: swapped)."""

    def __init__(self) -> None:
        self.keys = np.empty(0, dtype=np.uint64)
        self.bits = np.empty(0, dtype=np.uint8)

    def merge_rows(self, keys: np.ndarray, bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Add a batch's row keys and bits; per row, the bits seen in earlier batches and whether
        it is the first row of the batch with its key."""
        if keys.size == 0:
            return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=bool)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        prior = self.merge_sorted(sorted_keys[starts], np.bitwise_or.reduceat(bits[order].astype(np.uint8), starts))
        counts = np.diff(np.r_[starts, keys.size])
        row_prior = np.empty(keys.size, dtype=np.uint8)
        row_prior[order] = np.repeat(prior, counts)
        first = np.zeros(keys.size, dtype=bool)
        first[order[starts]] = True  # a stable sort keeps the earliest row first in its run
        return row_prior, first

    def merge_sorted(self, keys: np.ndarray, bits: np.ndarray) -> np.ndarray:
        """Add sorted unique ``keys`` with their ``bits``; return the bits each had before (0: new)."""
        if self.keys.size == 0:
            self.keys, self.bits = keys.copy(), bits.astype(np.uint8)
            return np.zeros(keys.size, dtype=np.uint8)
        idx = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        found = self.keys[idx] == keys
        prior = np.where(found, self.bits[idx], 0).astype(np.uint8)
        self.bits[idx[found]] |= bits[found].astype(np.uint8)
        new = ~found
        if new.any():
            at = np.searchsorted(self.keys, keys[new])
            self.keys = np.insert(self.keys, at, keys[new])
            self.bits = np.insert(self.bits, at, bits[new].astype(np.uint8))
        return prior


@dataclass
class _State:
    edges: SeenEdges = field(default_factory=SeenEdges)
    labelled: pl.Series = field(default_factory=lambda: pl.Series("iri", [], dtype=pl.String))
    typed: pl.Series = field(default_factory=lambda: pl.Series("h", [], dtype=pl.UInt64))


class PrimekgTransformer:
    """Turns row batches into N-Triples lines; keeps the cross-batch dedup state and the counts."""

    def __init__(self, mapping: PrimekgMapping, base_iri: str, summary: ImportSummary, log: DiagnosticLog, path: str):
        self.mapping = mapping
        self.base_iri = base_iri
        self.summary = summary
        self.log = log
        self.path = path
        if len(mapping.kinds) > 255:
            raise ConfigError("at most 255 PrimeKG node kinds (a node key keeps the kind in one byte)")
        self._relations = mapping.relations_frame()
        kinds = mapping.kinds_frame()
        self._x_kinds = kinds.rename({"type": "x_type", "source": "x_source", "kind": "x_kind"})
        self._y_kinds = kinds.rename({"type": "y_type", "source": "y_source", "kind": "y_kind"})
        self._types = sorted(mapping.node_types)
        self._predicates = {r.code: f"<{r.property_iri}>" for r in mapping.relations}
        self._state = _State()

    def transform(self, batch: RowBatch) -> pl.Series:
        """N-Triples lines (without newline) for one batch; counts what was dropped and why.

        Per-row work is kept to hashing and integer columns: the low-cardinality columns
        (relation pair, types, sources) are checked on their distinct combinations, nodes are
        resolved once per distinct (kind, id), and rows meet them again through 64-bit keys.
        """
        for reason, lines in batch.bad.items():
            self._drop(reason, lines, None)
        rows = batch.rows
        if rows.height == 0:
            return pl.Series("line", [], dtype=pl.String)
        combo = reduce(operator.xor, [pl.col(c).hash(seed=11 + i) for i, c in enumerate(_LOW)])  # a seed per column
        rows = rows.with_columns(combo.alias("combo"))
        combos = self._combos(rows.select(*_LOW, "combo").unique(subset="combo", keep="first"))
        blank_id = pl.any_horizontal(pl.col(c).is_null() | pl.col(c).str.contains(r"^\s*$") for c in ("x_id", "y_id"))
        rows = rows.join(combos, on="combo", how="left", maintain_order="left").with_columns(
            pl.when(blank_id).then(pl.lit(DropReason.MISSING_FIELD.value)).otherwise("combo_reason").alias("reason")
        )
        bad = rows.filter(pl.col("reason").is_not_null())
        if bad.height:
            self._drop_rows(bad)
            rows = rows.filter(pl.col("reason").is_null())
        rows = self._dedup(rows)

        nodes = self._nodes(rows)
        iris = nodes.select("h", "iri")
        rows = rows.join(iris.rename({"h": "s_h", "iri": "s"}), on="s_h", how="left").join(
            iris.rename({"h": "o_h", "iri": "o"}), on="o_h", how="left"
        )
        malformed = pl.col("s").is_null() | pl.col("o").is_null()
        dropped = rows.filter(malformed)
        if dropped.height:
            self._drop_rows(dropped.with_columns(pl.lit(DropReason.MALFORMED_ID.value).alias("reason")))
            rows = rows.filter(~malformed)
        for rule, count in rows.group_by("rule").len().iter_rows():
            self.summary.add_edges(self.mapping.relations[rule], count)
        predicate = pl.col("rule").replace_strict(self._predicates, return_dtype=pl.String)
        edges = rows.select(pl.concat_str("s", pl.lit(" "), predicate, pl.lit(" "), "o", pl.lit(" .")).alias("line")).to_series()
        return pl.concat([self._node_lines(nodes.filter(pl.col("iri").is_not_null()).drop("h")), edges])

    def _combos(self, combos: pl.DataFrame) -> pl.DataFrame:
        """Per distinct (relation pair, x type/source, y type/source): drop reason, rule, kinds, orientation."""
        combos = combos.join(self._relations, on=["relation", "display_relation"], how="left")
        combos = combos.join(self._x_kinds, on=["x_type", "x_source"], how="left")
        combos = combos.join(self._y_kinds, on=["y_type", "y_source"], how="left")
        types = pl.Series(self._types)
        fits = ((pl.col("x_type") == pl.col("subject_type")) & (pl.col("y_type") == pl.col("object_type"))) | (
            (pl.col("x_type") == pl.col("object_type")) & (pl.col("y_type") == pl.col("subject_type"))
        )
        reason = (
            pl.when(pl.any_horizontal(pl.col(_LOW).str.strip_chars().replace("", None).is_null()))
            .then(pl.lit(DropReason.MISSING_FIELD.value))
            .when(pl.col("rule").is_null())
            .then(pl.lit(DropReason.UNKNOWN_RELATION.value))
            .when(
                (pl.col("x_kind").is_null() & ~pl.col("x_type").is_in(types.implode()))
                | (pl.col("y_kind").is_null() & ~pl.col("y_type").is_in(types.implode()))
            )
            .then(pl.lit(DropReason.UNKNOWN_TYPE.value))
            .when(pl.col("x_kind").is_null() | pl.col("y_kind").is_null())
            .then(pl.lit(DropReason.UNKNOWN_SOURCE.value))
            .when(~fits)
            .then(pl.lit(DropReason.TYPE_MISMATCH.value))
        )
        typed_swap = (pl.col("direction") == "typed") & (pl.col("x_type") != pl.col("subject_type"))
        return combos.select(
            "combo", reason.alias("combo_reason"), "rule", "x_kind", "y_kind",
            typed_swap.fill_null(False).alias("typed_swap"), (pl.col("direction") == "symmetric").fill_null(False).alias("symmetric"),
        )

    # -- edges -----------------------------------------------------------------------------------
    def _dedup(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Orient rows (``s_h``/``o_h`` node keys) and drop mirrored rows and exact duplicates, file-wide.

        A typed relation puts the node of its subject type first; a symmetric one the smaller
        (kind, id).  Node keys are 64-bit hashes of (kind, raw id); edge keys mix (rule, subject, object).
        """
        swapped = pl.col("typed_swap") | (
            pl.col("symmetric")
            & ((pl.col("x_kind") > pl.col("y_kind")) | ((pl.col("x_kind") == pl.col("y_kind")) & (pl.col("x_id") > pl.col("y_id"))))
        )
        rows = rows.with_columns(
            swapped.alias("swapped"),
            _node_key("x_kind", "x_id").alias("x_h"),
            _node_key("y_kind", "y_id").alias("y_h"),
        ).with_columns(
            pl.when("swapped").then("y_h").otherwise("x_h").alias("s_h"),
            pl.when("swapped").then("x_h").otherwise("y_h").alias("o_h"),
            (pl.col("swapped").cast(pl.UInt8) + 1).alias("bit"),
        )
        edge_key = pl.struct(pl.col("rule"), pl.col("s_h"), pl.col("o_h")).hash(seed=7)
        rows = rows.with_columns(edge_key.alias("hc"))
        oriented = pl.col("hc") ^ (pl.col("swapped").cast(pl.UInt64) * _ORIENTATION_SALT)  # (edge, orientation) key
        prior, first = self._state.edges.merge_rows(rows["hc"].to_numpy(), rows["bit"].to_numpy())
        rows = rows.with_columns(pl.Series("prior", prior), pl.Series("first", first)).with_columns(
            (((pl.col("prior") & pl.col("bit")) != 0) | ~oriented.is_first_distinct()).alias("dup"),
            ((pl.col("prior") != 0) | ~pl.col("first")).alias("seen"),
        )
        drop = pl.when("dup").then(pl.lit(DropReason.EXACT_DUPLICATE.value)).when("seen").then(
            pl.lit(DropReason.MIRRORED.value)
        )
        rows = rows.with_columns(drop.alias("reason"))
        self._drop_rows(rows.filter(pl.col("reason").is_not_null()), diagnose=False)
        kept = rows.filter(pl.col("reason").is_null())
        return kept.select("line", "rule", "relation", "display_relation", "x_type", "x_source", "x_id", "x_name", "x_kind", "x_h",
                           "y_type", "y_source", "y_id", "y_name", "y_kind", "y_h", "swapped", "s_h", "o_h")

    def _nodes(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Distinct nodes of ``rows`` (``h, kind, id, name, iri``), subjects first, each from its first row."""
        sides = []
        for side, swap in (("s", True), ("o", False)):
            first = rows.select(pl.col(f"{side}_h").alias("h"), "swapped", *[f"{e}_{c}" for e in "xy" for c in ("kind", "id", "name")])
            first = first.unique(subset="h", keep="first", maintain_order=True)
            take_y = pl.col("swapped") if swap else ~pl.col("swapped")
            sides.append(first.select(
                "h", *[pl.when(take_y).then(f"y_{c}").otherwise(f"x_{c}").alias(c) for c in ("kind", "id", "name")]
            ))
        nodes = pl.concat(sides).unique(subset="h", keep="first", maintain_order=True)
        return resolve(nodes, self.mapping, self.base_iri)

    # -- nodes -----------------------------------------------------------------------------------
    def _node_lines(self, nodes: pl.DataFrame) -> pl.Series:
        state = self._state
        new = nodes.filter(~pl.col("iri").is_in(state.labelled.implode())).unique(subset="iri", keep="first", maintain_order=True)
        state.labelled = pl.concat([state.labelled, new["iri"]])
        lines, member_types = node_lines(new, self.mapping)
        kind_class = pl.DataFrame(
            {"kind": [k.code for k in self.mapping.kinds], "class": [f"<{k.class_iri}>" for k in self.mapping.kinds]},
            schema={"kind": pl.Int16, "class": pl.String},
        )
        types = pl.concat([nodes.join(kind_class, on="kind").select("iri", "class"), member_types])
        types = types.with_columns(pl.concat_str("iri", "class").hash(seed=7).alias("h"))
        types = types.filter(~pl.col("h").is_in(state.typed.implode()) & pl.col("h").is_first_distinct())
        state.typed = pl.concat([state.typed, types["h"]])
        for cls, count in types.group_by("class").len().iter_rows():
            self.summary.add_nodes(cls.strip("<>"), count)
        return pl.concat([type_lines(types), lines])

    # -- drops -----------------------------------------------------------------------------------
    def _drop(self, reason: DropReason, lines: pl.Series, rows: pl.DataFrame | None) -> None:
        shown = self.summary.drop(reason, lines.len(), lines.head(FIRST_LINES).to_list(), FIRST_LINES)
        if not reason.is_bad:
            return
        for line in shown:
            detail = ""
            if rows is not None:
                row = rows.filter(pl.col("line") == line).row(0, named=True)
                detail = (
                    f": relation={row['relation']!r} display_relation={row['display_relation']!r}"
                    f" x={row['x_type']}/{row['x_source']}/{row['x_id']!r} y={row['y_type']}/{row['y_source']}/{row['y_id']!r}"
                )
            self.log.error(self.path, line, reason.message + detail, code=reason.value)

    def _drop_rows(self, rows: pl.DataFrame, *, diagnose: bool = True) -> None:
        if rows.height == 0:
            return
        for (value,), group in rows.group_by("reason", maintain_order=True):
            self._drop(DropReason(value), group["line"], group if diagnose else None)


ProgressCallback = Callable[[int, int], None]


def import_primekg(
    csv_path: Path | str,
    out_dir: Path | str,
    options: ImportOptions = ImportOptions(),
    *,
    mapping: PrimekgMapping | None = None,
    log: DiagnosticLog | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import ``csv_path`` into ``out_dir/primekg/``; bad rows are reported in ``log``, never fatal.

    ``progress(bytes_done, rows_done)`` is called after each batch.  Raises
    :class:`kgpub.importers.primekg_read.HeaderError` for a file that is not a PrimeKG CSV.
    """
    csv_path = Path(csv_path)
    folder = Path(out_dir) / SUBDIR
    IriMinter(options.base_iri)  # validates the base IRI
    mapping = mapping or PrimekgMapping.load()
    log = log if log is not None else DiagnosticLog()
    info = read_dataset_info()
    summary = ImportSummary(source=str(csv_path), release=options.release or info.release, dataset_iri=info.dataset_iri)
    transformer = PrimekgTransformer(mapping, options.base_iri, summary, log, str(csv_path))
    batches = read_batches(csv_path, batch_bytes=options.batch_bytes)
    first = next(batches, None)  # reads the header first: a wrong file is refused before output is touched
    sink = ShardedSink(folder, options.shards, options.fmt, compresslevel=options.compresslevel, digest=options.digest)
    try:
        batch = first
        while batch is not None:
            summary.rows += batch.rows.height + sum(s.len() for s in batch.bad.values())
            lines = transformer.transform(batch)
            _write(sink, lines, options.shards)
            if progress is not None:
                progress(batch.end_offset, summary.rows)
            batch = next(batches, None)
    finally:
        stats = sink.close()
        digest = sink.digest
    summary.triples = sum(s.triples for s in stats)
    summary.files = [s.path.name for s in stats]
    graph = IriMinter(options.base_iri).graph(SUBDIR).value
    summary.write_json(folder / "summary.json")
    void_triples = write_void(folder / "void.ttl", summary, graph, mapping, info)
    manifest = Manifest(
        base_iri=options.base_iri,
        kgpub_version=__version__,
        graphs=[
            GraphEntry(
                iri=graph,
                triples=summary.triples,
                digest=digest,
                files=summary.files,
                format="text/turtle" if options.fmt == "ttl" else "application/n-triples",
                role="primekg",
            ),
            GraphEntry(iri=graph + "/metadata", triples=void_triples[0], digest=void_triples[1],
                       files=["void.ttl"], format="text/turtle", role="metadata"),
        ],
    )
    manifest.write(folder)
    return ImportResult(folder, summary, manifest, log)


def _write(sink: ShardedSink, lines: pl.Series, shards: int) -> None:
    if lines.len() == 0:
        return
    lines = lines.drop_nulls()
    step = -(-lines.len() // shards)
    for start in range(0, lines.len(), step):
        buffer = io.BytesIO()  # one column, never quoted: the lines as they are, newline-terminated
        pl.DataFrame([lines.slice(start, step)]).write_csv(buffer, include_header=False, quote_style="never")
        sink.write(buffer.getvalue())


def merge_into(manifest: Manifest, primekg_dir: Path | str, dist: Path | str) -> Manifest:
    """Add the graphs of an import (``DIST/primekg``) to a build's ``manifest``, files relative to ``dist``.

    Entries with the same graph IRI are replaced.  The import must use the build's base IRI.
    """
    primekg_dir = Path(primekg_dir)
    imported = Manifest.read(primekg_dir)
    if imported.base_iri != manifest.base_iri:
        raise ConfigError(
            f"{primekg_dir}: imported with base IRI {imported.base_iri}, the build uses {manifest.base_iri}"
        )
    iris = {g.iri for g in imported.graphs}
    manifest.graphs = [g for g in manifest.graphs if g.iri not in iris]
    for entry in imported.graphs:
        files = [os.path.relpath(primekg_dir / f, dist) for f in entry.files]
        manifest.graphs.append(
            GraphEntry(entry.iri, entry.triples, entry.digest, [f.replace(os.sep, "/") for f in files], entry.format, entry.role)
        )
    return manifest
