"""SHACL validation of bulk N-Triples (a PrimeKG import) in bounded memory.

The triples of ``DIST/primekg/part-*.nt.gz`` are spread over partitions by a
hash of their subject (polars, vectorised), written to temporary files, then
each partition is validated with pyshacl through :func:`kgpub.validate.shacl.validate`,
together with the ``rdf:type`` triples of the nodes its triples point to.
Results are kept for the partition's own subjects.  The shapes of
``shapes/primekg.ttl`` look only at a focus node's own triples and the types
of their objects, so the union of the partitions' results equals one
whole-graph pyshacl run (tests/primekg checks it on a sample).

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
from ..paths import ontology_dir, shapes_dir
from ..vocab import RDF
from .report import ValidationReport, ValidationResult, result_order

PRIMEKG_SHAPES = "primekg.ttl"
_TYPE = f"<{RDF.type.value}>"


@dataclass(frozen=True)
class StreamOptions:
    triples_per_partition: int = 150_000


def _lines_of(path: Path) -> pl.Series:
    """The N-Triples lines of one (gzip or plain) file as a string Series."""
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    text = data.decode("utf-8")
    lines = pl.Series("t", text.split("\n"), dtype=pl.String)
    return lines.filter(lines.str.starts_with("<") | lines.str.starts_with("_:"))


def _split(lines: pl.Series) -> pl.DataFrame:
    parts = lines.str.splitn(" ", 3).struct.rename_fields(["s", "p", "rest"])
    return pl.DataFrame({"t": lines}).with_columns(parts.alias("f")).unnest("f")


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
            frame = _split(_lines_of(f)).with_columns((pl.col("s").hash(seed=3) % count).alias("k"))
            types.append(frame.filter(pl.col("p") == _TYPE).select("s", "t"))
            for (k,), group in frame.group_by("k"):
                handles[k].write(group["t"].str.join("\n").item() + "\n")
    finally:
        for h in handles:
            h.close()
    type_frame = pl.concat(types) if types else pl.DataFrame(schema={"s": pl.String, "t": pl.String})
    return paths, type_frame


def _partition_triples(path: Path, types: pl.DataFrame) -> tuple[list, set[str]]:
    frame = _split(_lines_of(path))
    subjects = set(frame["s"].unique().to_list())
    objects = frame.select(pl.col("rest").str.extract(r"^(<[^>]*>|_:\S+) \.$", 1).alias("o")).drop_nulls().unique()
    context = types.join(objects.rename({"o": "s"}), on="s", how="semi").filter(~pl.col("s").is_in(list(subjects)))
    text = "\n".join([*frame["t"].to_list(), *context["t"].to_list()]) + "\n"
    return list(parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES)), subjects


def validate_stream(
    folder: Path | str,
    *,
    shapes=None,
    options: StreamOptions = StreamOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Validate the N-Triples shards of ``folder`` against ``shapes`` (default ``shapes/primekg.ttl``)."""
    from .shacl import validate

    folder = Path(folder)
    shapes_graph = shapes if shapes is not None else load_primekg_shapes()
    ontology = list(parse(path=str(ontology_dir() / PRIMEKG_SHAPES), format=RdfFormat.TURTLE))
    results: set[ValidationResult] = set()
    with tempfile.TemporaryDirectory(prefix="kgpub-validate-") as tmp:
        paths, types = partition(data_files(folder), Path(tmp), options)
        for n, path in enumerate(paths, start=1):
            triples, subjects = _partition_triples(path, types)
            path.unlink()
            report = validate(triples, shapes=shapes_graph, ontology=ontology)
            results.update(r for r in report.results if r.focus_node in subjects)
            if progress is not None:
                progress(n, len(paths))
    return ValidationReport(sorted(results, key=result_order))


def load_primekg_shapes():
    import rdflib

    g = rdflib.Graph()
    g.parse(shapes_dir() / PRIMEKG_SHAPES, format="turtle")
    return g


def iter_results(report: ValidationReport) -> Iterator[ValidationResult]:
    return iter(report.results)
