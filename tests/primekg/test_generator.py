"""The kg.csv generator: deterministic, PrimeKG-shaped."""

from __future__ import annotations

import polars as pl

from kgpub.importers.synth_primekg import COLUMNS, generate


def test_deterministic_and_shaped(tmp_path, mapping):
    a = generate(tmp_path / "a.csv", 4000, seed=5, mapping=mapping)
    b = generate(tmp_path / "b.csv", 4000, seed=5, mapping=mapping)
    assert a.path.read_bytes() == b.path.read_bytes()
    frame = pl.read_csv(a.path, infer_schema=False)
    assert tuple(frame.columns) == COLUMNS
    assert frame.height == a.rows == 2 * a.distinct_edges + a.exact_duplicates
    pairs = {(r.relation, r.display_relation) for r in mapping.relations}
    assert set(zip(frame["relation"], frame["display_relation"])) <= pairs
    # the most frequent relation of the release is the most frequent here
    top = frame["relation"].value_counts(sort=True)["relation"][0]
    assert top == max(mapping.relations, key=lambda r: r.kg_rows).relation
    grouped = frame.filter(pl.col("x_source") == "MONDO_grouped")["x_id"]
    assert grouped.len() and grouped.str.contains(r"^\d+_\d+$").all()
