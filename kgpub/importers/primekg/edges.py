"""Pass two of the PrimeKG import, on integers only: node codes, orientation, dedup.

Input: the rows of :class:`kgpub.importers.primekg.rows.RowReader` (``line, code, x_n, y_n``) and
the node table of :func:`kgpub.importers.primekg.nodes.node_table`.  Output: the kept edges
``line, rule, s, o`` in line order, ``s`` and ``o`` being node codes (one per IRI).  Every row left
out is counted in :class:`kgpub.importers.primekg.reasons.Drops`:

1. :func:`oriented`: a node with an empty or malformed id (``missing_field``, ``malformed_id``);
2. :func:`kept`: the same edge again: in the same orientation (``exact_duplicate``) or with x and y swapped
   (``mirrored``).  The first row of an edge is kept.

Orientation follows ``direction`` in ``mappings/primekg_relations.tsv``: ``typed`` puts the node of
the subject type first, ``symmetric`` the node with the smaller IRI, ``forward`` keeps the row's.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import polars as pl

from .reasons import DropReason, Drops
from .rows import SWAP_BIT, SYMMETRIC_BIT, rule_of

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


def oriented(rows: pl.DataFrame, nodes: pl.DataFrame, drops: Drops, describe: Describe) -> pl.DataFrame:
    """``line, rule, x_c, y_c, s, o`` of the usable ``rows``: node codes, and the edge's orientation.

    Rows with an unusable node are counted in ``drops``.  Every node code left here is used by a
    kept edge: a row left out later repeats the rule and the two nodes of a kept one.
    """
    code_of = np.full(nodes.height, -1, dtype=np.int64)  # node number -> code of its IRI, -1 if unusable
    code_of[nodes["n"].to_numpy()] = nodes["code"].fill_null(-1).to_numpy()
    node_code = {side: pl.Series(f"{side}_c", code_of[rows[f"{side}_n"].to_numpy()]) for side in "xy"}
    frame = rows.select("line", "code", node_code["x"], node_code["y"])
    unusable = ((pl.col("x_c") < 0) | (pl.col("y_c") < 0)).alias("unusable")
    if frame.select(unusable.any()).item():
        _drop_unusable(rows.filter(frame.select(unusable).to_series()), nodes, drops, describe)
        frame = frame.filter(~unusable)
    code = pl.col("code")
    swap = ((code & SWAP_BIT) != 0) | (((code & SYMMETRIC_BIT) != 0) & (pl.col("x_c") > pl.col("y_c")))
    frame = frame.select("line", rule_of(code).alias("rule"), pl.col("x_c", "y_c").cast(pl.UInt32), swap.alias("swap"))
    return frame.select(
        "line", "rule", "x_c", "y_c",
        pl.when("swap").then("y_c").otherwise("x_c").alias("s"),
        pl.when("swap").then("x_c").otherwise("y_c").alias("o"),
    )


def used_codes(frame: pl.DataFrame, codes: int) -> np.ndarray:
    """Which of ``codes`` node codes the rows of :func:`oriented` use (so the kept edges use)."""
    used = np.zeros(codes, dtype=bool)
    used[frame["x_c"].to_numpy()] = True
    used[frame["y_c"].to_numpy()] = True
    return used


def kept(frame: pl.DataFrame, drops: Drops) -> pl.DataFrame:
    """Kept edges ``line, rule, s, o`` (in line order) of :func:`oriented` rows; the others are counted in ``drops``."""
    wide = int(frame.select(pl.max_horizontal(pl.col("x_c").max(), pl.col("y_c").max())).item() or 0) >= 1 << 28
    # Rows with the same oriented key (rule, x, y) share their edge key (rule, s, o), so one bucket
    # of edge keys holds every row either dedup needs to see.
    first, repeated = _dedup(frame, _edge_key("rule", "s", "o", wide), _edge_key("rule", "x_c", "y_c", wide))
    frame = frame.with_columns(pl.Series("kept", first), pl.Series("repeated", repeated))
    dropped = frame.filter(~pl.col("kept"))
    drops.add(DropReason.EXACT_DUPLICATE, dropped.filter("repeated")["line"])
    drops.add(DropReason.MIRRORED, dropped.filter(~pl.col("repeated"))["line"])
    return frame.filter("kept").select("line", "rule", "s", "o")


def _drop_unusable(bad: pl.DataFrame, nodes: pl.DataFrame, drops: Drops, describe: Describe) -> None:
    """Rows with a node whose id is empty (``missing_field``) or malformed (``malformed_id``)."""
    problems = nodes.select("n", "problem")
    bad = bad.join(problems.rename({"n": "x_n", "problem": "x_p"}), on="x_n", how="left", maintain_order="left").join(
        problems.rename({"n": "y_n", "problem": "y_p"}), on="y_n", how="left", maintain_order="left"
    )
    missing = ((pl.col("x_p") == DropReason.MISSING_FIELD.value) | (pl.col("y_p") == DropReason.MISSING_FIELD.value)).fill_null(False)
    for reason, mask in ((DropReason.MISSING_FIELD, missing), (DropReason.MALFORMED_ID, ~missing)):
        group = bad.filter(mask)
        drops.add(reason, group["line"], describe(group))
