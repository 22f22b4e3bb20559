"""Pass two of the PrimeKG import, on integers only: node codes, orientation, dedup.

Input: the rows of :class:`kgpub.importers.primekg_rows.RowReader` (``line, code, x_h, y_h``) and
the node table of :func:`kgpub.importers.primekg_nodes.node_table`.  Output: the kept edges
``line, rule, s, o`` in line order, ``s`` and ``o`` being node codes (one per IRI).  Every row left
out is counted in :class:`kgpub.importers.primekg_reasons.Drops`:

1. a node with an empty or malformed id (``missing_field``, ``malformed_id``);
2. the same edge again: in the same orientation (``exact_duplicate``) or with x and y swapped
   (``mirrored``).  The first row of an edge is kept.

Orientation follows ``direction`` in ``mappings/primekg_relations.tsv``: ``typed`` puts the node of
the subject type first, ``symmetric`` the node with the smaller IRI, ``forward`` keeps the row's.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import polars as pl

from .primekg_reasons import DropReason, Drops
from .primekg_rows import SWAP_BIT, SYMMETRIC_BIT, rule_of

Describe = Callable[[pl.DataFrame], Callable[[list[int]], list[str]]]
_BUCKETS = 64  # dedup runs per bucket of keys: small hash tables that stay in cache


def _dedup(frame: pl.DataFrame, edge: pl.Expr, oriented: pl.Expr) -> tuple[np.ndarray, np.ndarray]:
    """Per row: is it the first with its ``edge`` key (kept), was its ``oriented`` key seen before (repeated)?

    Rows with the same oriented key (rule, x, y) share their edge key (rule, s, o), so one bucket
    of edge keys holds every row either question needs: both are answered per bucket, buckets in
    parallel, each with hash tables small enough to stay in cache.
    """
    buckets = (
        frame.lazy()
        .select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), edge.alias("edge"), oriented.alias("oriented"))
        .group_by((pl.col("edge") % _BUCKETS).alias("bucket"))
        .agg("row", pl.col("edge").is_first_distinct().alias("kept"), pl.col("oriented").is_first_distinct().alias("first"))
        .explode("row", "kept", "first")
        .collect()
    )
    kept = np.zeros(frame.height, dtype=bool)
    repeated = np.zeros(frame.height, dtype=bool)
    rows = buckets["row"].to_numpy()
    kept[rows] = buckets["kept"].to_numpy()
    repeated[rows] = ~buckets["first"].to_numpy()
    return kept, repeated


def _edge_key(rule: str, a: str, b: str, wide: bool) -> pl.Expr:
    if wide:  # too many nodes to pack: a 64-bit hash of the three
        return pl.struct(rule, a, b).hash(seed=7)
    return (pl.col(rule).cast(pl.UInt64) * (1 << 56)) + (pl.col(a).cast(pl.UInt64) * (1 << 28)) + pl.col(b).cast(pl.UInt64)


def edges(rows: pl.DataFrame, nodes: pl.DataFrame, drops: Drops, describe: Describe) -> pl.DataFrame:
    """Kept edges ``line, rule, s, o`` (in line order) of ``rows``; the others are counted in ``drops``."""
    codes = nodes.select("h", "code")
    node_code = {  # a join of the key column alone: much cheaper than joining the whole frame
        side: rows.select(f"{side}_h").join(codes, left_on=f"{side}_h", right_on="h", how="left", maintain_order="left")["code"]
        for side in "xy"
    }
    code = pl.col("code")
    swap = ((code & SWAP_BIT) != 0) | (((code & SYMMETRIC_BIT) != 0) & (pl.col("x_c") > pl.col("y_c")))
    frame = rows.select("line", "code", node_code["x"].alias("x_c"), node_code["y"].alias("y_c"))
    frame = frame.select("line", rule_of(code).alias("rule"), "x_c", "y_c", swap.alias("swap"))
    unusable = pl.col("x_c").is_null() | pl.col("y_c").is_null()
    if frame.select(unusable.any()).item():
        _drop_unusable(rows.filter(pl.col("line").is_in(frame.filter(unusable)["line"].implode())), nodes, drops, describe)
        frame = frame.filter(~unusable)

    wide = nodes.height >= 1 << 28
    frame = frame.select(
        "line", "rule", "x_c", "y_c",
        pl.when("swap").then("y_c").otherwise("x_c").alias("s"),
        pl.when("swap").then("x_c").otherwise("y_c").alias("o"),
    )
    # Rows with the same oriented key (rule, x, y) share their edge key (rule, s, o), so one bucket
    # of edge keys holds every row either dedup needs to see.
    kept, repeated = _dedup(frame, _edge_key("rule", "s", "o", wide), _edge_key("rule", "x_c", "y_c", wide))
    frame = frame.with_columns(pl.Series("kept", kept), pl.Series("repeated", repeated))
    dropped = frame.filter(~pl.col("kept"))
    drops.add(DropReason.EXACT_DUPLICATE, dropped.filter("repeated")["line"])
    drops.add(DropReason.MIRRORED, dropped.filter(~pl.col("repeated"))["line"])
    return frame.filter("kept").select("line", "rule", "s", "o")


def _drop_unusable(bad: pl.DataFrame, nodes: pl.DataFrame, drops: Drops, describe: Describe) -> None:
    """Rows with a node whose id is empty (``missing_field``) or malformed (``malformed_id``)."""
    problems = nodes.select("h", "problem")
    bad = bad.join(problems.rename({"h": "x_h", "problem": "x_p"}), on="x_h", how="left", maintain_order="left").join(
        problems.rename({"h": "y_h", "problem": "y_p"}), on="y_h", how="left", maintain_order="left"
    )
    missing = ((pl.col("x_p") == DropReason.MISSING_FIELD.value) | (pl.col("y_p") == DropReason.MISSING_FIELD.value)).fill_null(False)
    for reason, mask in ((DropReason.MISSING_FIELD, missing), (DropReason.MALFORMED_ID, ~missing)):
        group = bad.filter(mask)
        drops.add(reason, group["line"], describe(group))
