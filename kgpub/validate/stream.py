"""SHACL validation of bulk N-Triples (a PrimeKG import) in bounded memory.

The triples of ``DIST/primekg/part-*.nt.gz`` are spread over partitions by a
hash of their subject (polars, vectorised), written to temporary files, then
each partition is validated together with the ``rdf:type`` triples of the nodes its
triples point to: by the vectorised engine (:mod:`kgpub.validate.stream_engine`) when
it supports every shape, else by :func:`kgpub.validate.shacl.validate` (the compiled
engine, with its per-shape fallback).  Results are kept for the partition's own
subjects.  The shapes of ``shapes/primekg.ttl`` look only at a focus node's own
triples and the types of their objects, so the union of the partitions' results
equals one whole-graph run (tests/primekg checks it on a sample).  Shapes that look
further (paths of length two, ``sh:node`` on values...) need one partition
(``triples_per_partition`` at least the data's size); ``ontology`` gives the class
hierarchy (default ``ontology/*.ttl``).

Memory is bounded by one shard file and one partition at a time.  Reports use
:class:`kgpub.validate.report.ValidationReport`.
"""

from __future__ import annotations

import gzip
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import polars as pl
from pyoxigraph import RdfFormat, parse

from ..errors import ConfigError
from ..paths import ontology_dir
from ..vocab import RDF
from .report import ValidationReport, ValidationResult, result_order
from .shacl import validate
from .shapes import PRIMEKG_SHAPES, class_hierarchy, load_primekg_shapes
from .stream_engine import UnsupportedShapes, check, compile_shapes

__all__ = ["PRIMEKG_SHAPES", "StreamOptions", "data_files", "load_primekg_shapes", "validate_stream"]

_TYPE = f"<{RDF.type.value}>"


@dataclass(frozen=True)
class StreamOptions:
    triples_per_partition: int = 150_000


_SPLIT_LINES = 250_000
_UNIT_SEPARATOR = "\x1f"  # never raw in kgpub's N-Triples: IRIs cannot hold it, literals have it replaced


def _lines_of(path: Path) -> pl.Series:
    """The N-Triples lines of one (gzip or plain) file as a string Series, read by polars as a
    one-column CSV (no Python string per line; polars decompresses gzip itself, faster than
    the gzip module)."""
    data = path.read_bytes()
    try:
        lines = pl.read_csv(data, has_header=False, separator=_UNIT_SEPARATOR, quote_char=None,
                            new_columns=["t"], schema={"t": pl.String})["t"]
    except pl.exceptions.PolarsError:  # a line holding the separator: split in Python
        text = gzip.decompress(data) if path.suffix == ".gz" else data
        lines = pl.Series("t", text.decode("utf-8").split("\n"), dtype=pl.String)
    lines = lines.drop_nulls()
    return lines.filter(lines.str.starts_with("<") | lines.str.starts_with("_:"))


def _split(lines: pl.Series) -> pl.DataFrame:
    parts = lines.str.splitn(" ", 3).struct.rename_fields(["s", "p", "rest"])
    frame = pl.DataFrame({"t": lines}).with_columns(parts.alias("f")).unnest("f")
    return frame.with_columns(pl.col("rest").str.strip_suffix(" .").alias("o"))


def data_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("part-*.nt.gz")) or sorted(folder.glob("part-*.nt"))
    if not files:
        raise ConfigError(f"{folder}: no part-*.nt.gz files; is it the output of `kgpub import primekg`?")
    return files


def partition(files: list[Path], workdir: Path, options: StreamOptions) -> tuple[list[Path], pl.DataFrame]:
    """Spread the triples of ``files`` over partition files by subject; return them and the type triples."""
    total = 0
    for f in files:  # a first cheap pass to size the partitions
        total += _lines_of(f).len()
    count = max(1, -(-total // options.triples_per_partition))
    paths = [workdir / f"partition-{i:05d}.nt" for i in range(count)]
    handles = [p.open("w", encoding="utf-8") for p in paths]
    types: list[pl.DataFrame] = []
    try:
        for f in files:
            lines = _lines_of(f)
            for start in range(0, lines.len(), _SPLIT_LINES):  # split a slice at a time: memory stays bounded
                frame = _split(lines.slice(start, _SPLIT_LINES)).with_columns((pl.col("s").hash(seed=3) % count).alias("k"))
                types.append(frame.filter(pl.col("p") == _TYPE).select("s", "o", "t"))
                for (k,), group in frame.group_by("k"):
                    handles[k].write(group["t"].str.join("\n").item() + "\n")
    finally:
        for h in handles:
            h.close()
    type_frame = pl.concat(types) if types else pl.DataFrame(schema={"s": pl.String, "o": pl.String, "t": pl.String})
    return paths, type_frame


def _partition_triples(frame: pl.DataFrame, types: pl.DataFrame) -> tuple[list, set[str]]:
    subjects = set(frame["s"].unique().to_list())
    objects = frame.select(pl.col("o").filter(~pl.col("o").str.starts_with('"'))).unique()
    context = types.join(objects.rename({"o": "s"}), on="s", how="semi").filter(~pl.col("s").is_in(list(subjects)))
    text = "\n".join([*frame["t"].to_list(), *context["t"].to_list()]) + "\n"
    return list(parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES)), subjects


def validate_stream(
    folder: Path | str,
    *,
    shapes=None,
    options: StreamOptions = StreamOptions(),
    progress: Callable[[int, int], None] | None = None,
    engine: str = "auto",
    ontology: list | None = None,
) -> ValidationReport:
    """Validate the N-Triples shards of ``folder`` against ``shapes`` (default ``shapes/primekg.ttl``).

    ``engine``: ``polars`` (vectorised, :mod:`kgpub.validate.stream_engine`), ``compiled`` or
    ``pyshacl`` (:func:`kgpub.validate.shacl.validate` per partition with that engine), or ``auto``
    (polars when the shapes only use what it supports, else ``auto`` of shacl.validate).
    """
    folder = Path(folder)
    shapes_graph = shapes if shapes is not None else load_primekg_shapes()
    if ontology is None:
        ontology = [t for f in sorted(ontology_dir().glob("*.ttl")) for t in parse(path=str(f), format=RdfFormat.TURTLE)]
    rules = None
    if engine in ("auto", "polars"):
        try:
            pairs = [(str(t.subject), str(t.object)) for t in class_hierarchy(ontology)]
            rules = compile_shapes(shapes_graph, pairs)
        except UnsupportedShapes:
            if engine == "polars":
                raise
    results: list[ValidationResult] = []
    fallbacks: dict[str, str] = {}
    typed: dict = {}  # nodes of `types` per class tuple, shared by the partitions
    with tempfile.TemporaryDirectory(prefix="kgpub-validate-") as tmp:
        paths, types = partition(data_files(folder), Path(tmp), options)
        for n, path in enumerate(paths, start=1):
            frame = _split(_lines_of(path))
            path.unlink()
            if rules is not None:
                results.extend(check(rules, frame, types, typed))
            else:
                triples, subjects = _partition_triples(frame, types)
                report = validate(triples, shapes=shapes_graph, ontology=ontology,
                                  engine=engine)
                fallbacks.update(report.fallbacks)
                # one partition: every result (focus nodes need not be subjects, e.g. sh:targetNode)
                results.extend(r for r in report.results if len(paths) == 1 or r.focus_node in subjects)
            if progress is not None:
                progress(n, len(paths))
    return ValidationReport(sorted(results, key=result_order), fallbacks=fallbacks)


def iter_results(report: ValidationReport) -> Iterator[ValidationResult]:
    return iter(report.results)
