"""Minimal vectorised baseline: kg.csv -> edge + label triples with polars string concatenation.

No validation, no dedup, no alignment: the floor any PrimeKG importer is compared with.
``python benchmarks/primekg_baseline.py KG_CSV OUT.nt``
"""

from __future__ import annotations

import sys

import polars as pl


def main(src: str, out: str) -> None:
    name = pl.col("x_name").fill_null("").str.replace_all("\\", "\\\\", literal=True).str.replace_all('"', '\\"', literal=True)
    x = pl.lit("<https://example.org/n/") + pl.col("x_id") + pl.lit(">")
    line = (
        x + pl.lit(" <https://example.org/r/") + pl.col("relation").str.replace_all(" ", "_") + pl.lit("> <https://example.org/n/")
        + pl.col("y_id") + pl.lit("> .\n") + x + pl.lit(' <http://www.w3.org/2000/01/rdf-schema#label> "') + name + pl.lit('" .')
    )
    pl.scan_csv(src, infer_schema=False).select(line.alias("l")).sink_csv(out, include_header=False, quote_style="never")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
