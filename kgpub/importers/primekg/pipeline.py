"""Import PrimeKG's ``kg.csv`` as aligned N-Triples, in two passes.

1. Read (:mod:`kgpub.importers.primekg.scan`, polars' streaming CSV reader; a file with bad lines
   is read again line by line by :mod:`kgpub.importers.primekg.read`): each row is reduced to
   integers and each node's strings are kept once (:mod:`kgpub.importers.primekg.rows`).
2. Resolve the nodes' IRIs through bioregistry (:mod:`kgpub.importers.primekg.nodes`), then check,
   orient and deduplicate the whole edge list at once, on integers
   (:mod:`kgpub.importers.primekg.edges`).
3. Write node triples, then edge triples in row order, to gzip N-Triples shards (or Turtle) on
   writer threads (:mod:`kgpub.importers.primekg.sink`).

Output in ``OUT/primekg/``: ``part-NNNNN.nt.gz``, ``summary.json``, ``void.ttl``, ``manifest.json`` and
``nodes.tsv`` (node names, a grounding lexicon for a build ``--with``)
(graph ``B graph/primekg``).  See docs/design.md "PrimeKG import" for the provenance model.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from ... import __version__
from ...diagnostics import DiagnosticLog
from ...iris import DEFAULT_BASE_IRI, IriMinter
from ...publish.manifest import GraphEntry, Manifest
from .edges import kept, oriented, used_codes
from .mapping import PrimekgMapping
from .names import write_node_names
from .nodes import node_lines, node_table, type_lines
from .read import DEFAULT_BATCH_BYTES, read_batches
from .reasons import Drops
from .rows import INDEX_TYPES, KEYS, NODE_INDEXES, NODE_STRINGS, RowReader, UnusableIndexes, unpack
from .scan import NotClean, scan_frames
from .sink import ShardedSink
from .summary import ImportSummary, read_dataset_info, write_void

SUBDIR = "primekg"
FIRST_LINES = 20
EDGE_BLOCK = 1 << 15  # edges per block handed to the shard writers: about 5 MB of N-Triples, small enough
# for the allocator to reuse (blocks of 40 MB were fresh pages every time: 150k page faults more)


@dataclass(frozen=True)
class ImportOptions:
    """How to import: output shards and format, IRIs, reading, provenance.

    ``batch_bytes`` sets the line-checking reader's batch size and ``fast`` whether polars'
    streaming reader is tried first (it falls back on its own on any bad line).
    """

    shards: int = 4
    fmt: str = "nt.gz"
    base_iri: str = DEFAULT_BASE_IRI
    batch_bytes: int = DEFAULT_BATCH_BYTES
    release: str | None = None
    compresslevel: int = 1
    fast: bool = True


@dataclass
class ImportResult:
    folder: Path
    summary: ImportSummary
    manifest: Manifest
    log: DiagnosticLog

    @property
    def has_bad_rows(self) -> bool:
        return any(reason.is_bad and n for reason, n in self.summary.dropped_counts().items())


@dataclass(frozen=True)
class Progress:
    """Where an import is: ``phase`` "read" counts bytes of the CSV, "write" counts edges written."""

    phase: str
    done: int
    total: int
    rows: int


ProgressCallback = Callable[[Progress], None]


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

    Raises :class:`kgpub.importers.primekg.read.HeaderError` for a file that is not a PrimeKG CSV,
    before anything is written.
    """
    csv_path = Path(csv_path)
    folder = Path(out_dir) / SUBDIR
    IriMinter(options.base_iri)  # validates the base IRI
    mapping = mapping or PrimekgMapping.load()
    log = log if log is not None else DiagnosticLog()
    report = progress or (lambda _: None)
    info = read_dataset_info()
    summary = ImportSummary(source=str(csv_path), release=options.release or info.release, dataset_iri=info.dataset_iri)

    drops, reader, summary.reader = _read(csv_path, mapping, options, report)
    summary.rows = reader.rows
    nodes = node_table(reader.first_nodes(), mapping, options.base_iri)
    rows = oriented(reader.table(), nodes, drops, _describer(nodes, mapping))

    sink = ShardedSink(folder, options.shards, options.fmt, compresslevel=options.compresslevel)
    try:
        # node triples are written on a thread while the rows are deduplicated
        with ThreadPoolExecutor(1, thread_name_prefix="kgpub-nodes") as pool:
            nodes_written = pool.submit(_write_nodes, sink, folder, nodes, used_codes(rows, _codes(nodes)), mapping, summary)
            edges = kept(rows, drops)
            del rows
            nodes_written.result()
        drops.report(summary.drop, log, str(csv_path))
        for rule, count in edges.group_by("rule").len().sort("rule").iter_rows():
            summary.add_edges(mapping.relations[rule], count)
        _write_edges(sink, edges, nodes, mapping, lambda done: report(Progress("write", done, edges.height, summary.rows)))
    finally:
        stats = sink.close()
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
                digest=sink.digest,
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


def _read(path: Path, mapping: PrimekgMapping, options: ImportOptions, report: ProgressCallback) -> tuple[Drops, RowReader, str]:
    """Pass one: the fast reader if every row is clean and allowed, else the line-checking one.

    Also returns which reader read the file (and why the fast one handed over)."""
    handed_over = "fast reader not used"
    size = path.stat().st_size
    if options.fast:
        drops = Drops(FIRST_LINES)
        reader = RowReader(mapping, drops)
        per_row = _bytes_per_row(path)
        try:
            for frame in scan_frames(path, [*KEYS, *NODE_STRINGS, *NODE_INDEXES], types=INDEX_TYPES):
                codes = reader.unknown(frame)
                if not reader.all_known(frame, codes):
                    raise NotClean("rows the mapping tables do not allow, or empty ids")
                try:
                    reader.add(frame, codes)
                except UnusableIndexes as why:
                    raise NotClean(f"node indexes: {why}") from why
                report(Progress("read", min(size, int(reader.rows * per_row)), size, reader.rows))
            report(Progress("read", size, size, reader.rows))
            return drops, reader, "polars streaming reader"
        except NotClean as why:
            handed_over = str(why)  # started over below: nothing was reported or written yet
    drops = Drops(FIRST_LINES)
    reader = RowReader(mapping, drops)
    for batch in read_batches(path, batch_bytes=options.batch_bytes):
        for reason, lines in batch.bad.items():
            reader.add_bad_lines(reason, lines)
        if batch.rows.height:
            reader.add(batch.rows)
        report(Progress("read", batch.end_offset, size, reader.rows))
    return drops, reader, f"line-checking reader ({handed_over})"


def _bytes_per_row(path: Path, sample: int = 1 << 20) -> float:
    """Average row length over the file's first megabyte, for the read progress of the fast reader."""
    with path.open("rb") as handle:
        handle.readline()
        data = handle.read(sample)
    return len(data) / max(1, data.count(b"\n"))


def _describer(nodes: pl.DataFrame, mapping: PrimekgMapping) -> Callable[[pl.DataFrame], Callable[[list[int]], list[str]]]:
    """What a dropped row held, rebuilt from its integers: relation pair, and type/source/id per node."""
    def describe(rows: pl.DataFrame) -> Callable[[list[int]], list[str]]:
        def details(lines: list[int]) -> list[str]:
            shown = rows.filter(pl.col("line").is_in(pl.Series(lines, dtype=pl.UInt32).implode()))
            ids = dict(nodes.filter(pl.col("n").is_in(pl.concat([shown["x_n"], shown["y_n"]]).implode())).select("n", "id").iter_rows())
            by_line = {}
            for row in shown.iter_rows(named=True):
                rule_code, x_kind, y_kind = unpack(row["code"])
                rule, x, y = mapping.relations[rule_code], mapping.kinds[x_kind], mapping.kinds[y_kind]
                by_line[row["line"]] = (
                    f": relation={rule.relation!r} display_relation={rule.display_relation!r}"
                    f" x={x.node_type}/{x.source}/{ids.get(row['x_n'])!r} y={y.node_type}/{y.source}/{ids.get(row['y_n'])!r}"
                )
            return [by_line.get(line, "") for line in lines]
        return details
    return describe


def _codes(nodes: pl.DataFrame) -> int:
    """How many node codes (distinct IRIs) there are."""
    return int(nodes["code"].max() or 0) + 1 if nodes["code"].null_count() < nodes.height else 0


def _write_nodes(sink: ShardedSink, folder: Path, nodes: pl.DataFrame, used: np.ndarray, mapping: PrimekgMapping,
                 summary: ImportSummary) -> None:
    """Type, label, identifier and group-member triples of the ``used`` node codes, in IRI order; their names in ``folder/nodes.tsv``."""
    used_nodes = nodes.filter(pl.col("code").is_in(pl.Series(np.flatnonzero(used), dtype=pl.UInt32).implode()))
    one_per_iri = used_nodes.unique(subset="code", keep="first", maintain_order=True).sort("code")
    lines, member_types = node_lines(one_per_iri, mapping)
    kind_class = pl.DataFrame(
        {"kind": [k.code for k in mapping.kinds], "class": [f"<{k.class_iri}>" for k in mapping.kinds]},
        schema={"kind": pl.Int16, "class": pl.String},
    )
    types = pl.concat([used_nodes.sort("code").join(kind_class, on="kind", maintain_order="left").select("iri", "class"), member_types])
    types = types.unique(maintain_order=True)
    for cls, count in types.group_by("class").len().sort("class").iter_rows():
        summary.add_nodes(cls.strip("<>"), count)
    _write_lines(sink, pl.concat([type_lines(types), lines]), sink.shards)
    write_node_names(folder, one_per_iri, mapping)


def _write_edges(sink: ShardedSink, edges: pl.DataFrame, nodes: pl.DataFrame, mapping: PrimekgMapping,
                 progress: Callable[[int], None]) -> None:
    """Edge triples in row order, a block at a time, round-robin over the shards.

    Each block is a frame of subject, predicate, object and "." that polars writes as
    space-separated, unquoted CSV: an N-Triples line per row without building the lines first.
    """
    iris = pl.lit(nodes.filter(pl.col("code").is_not_null()).unique(subset="code").sort("code")["iri"])
    predicates = pl.lit(pl.Series([f"<{r.property_iri}>" for r in mapping.relations], dtype=pl.String))
    for start in range(0, edges.height, EDGE_BLOCK):
        block = edges.slice(start, EDGE_BLOCK).select(
            iris.gather(pl.col("s")).alias("s"), predicates.gather(pl.col("rule")).alias("p"),
            iris.gather(pl.col("o")).alias("o"), pl.lit(".").alias("end"),
        )
        buffer = io.BytesIO()
        block.write_csv(buffer, separator=" ", include_header=False, quote_style="never")
        sink.write(buffer.getbuffer(), block.height)  # a view, not a copy: the buffer is not written again
        progress(start + block.height)


def _write_lines(sink: ShardedSink, lines: pl.Series, parts: int) -> None:
    """Hand ``lines`` (no newlines) to the sink as ``parts`` blocks of newline-terminated UTF-8."""
    lines = lines.drop_nulls()
    if lines.len() == 0:
        return
    step = -(-lines.len() // max(1, parts))
    for start in range(0, lines.len(), step):
        buffer = io.BytesIO()  # one column, never quoted: the lines as they are, newline-terminated
        part = lines.slice(start, step)
        pl.DataFrame([part]).write_csv(buffer, include_header=False, quote_style="never")
        sink.write(buffer.getvalue(), part.len())
