"""``OUT/primekg/nodes.tsv``: each imported node's IRI, CURIE, class, PrimeKG type and source, and name.

A build ``--with OUT/primekg`` reads it as a grounding lexicon (format ``primekg-nodes``): a garden note
or link named as a PrimeKG node gets the IRI the import gave that node, so the two graphs join.
Grouped nodes (``MONDO_grouped``) have no CURIE: their IRI is the import's own, not an identifier.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ...paths import PRIMEKG_NODES_TSV
from .mapping import PrimekgMapping

NODES_TSV = PRIMEKG_NODES_TSV
COLUMNS = ("iri", "curie", "class", "node_type", "node_source", "name")


def write_node_names(folder: Path, nodes: pl.DataFrame, mapping: PrimekgMapping) -> Path:
    """``nodes``: one row per IRI (``kind, id, name, iri`` with ``<...>`` IRIs), as the node triples are written."""
    kinds = mapping.kinds_frame()
    local = pl.col("id").str.strip_chars()
    local = pl.when(pl.col("pad") > 0).then(local.str.zfill(pl.col("pad"))).otherwise(local)
    table = (
        nodes.select("kind", "id", "name", "iri")
        .join(kinds, on="kind", how="left", maintain_order="left")
        .select(
            pl.col("iri").str.strip_prefix("<").str.strip_suffix(">"),
            pl.when(~pl.col("grouped")).then(pl.col("prefix") + ":" + local).otherwise(pl.lit("")).alias("curie"),
            "class", "node_type", "node_source",
            pl.col("name").fill_null("").str.replace_all(r"[\t\r\n]+", " "),
        )
    )
    path = folder / NODES_TSV
    folder.mkdir(parents=True, exist_ok=True)
    table.write_csv(path, separator="\t", quote_style="never")
    return path
