"""The kg.csv generator: deterministic, PrimeKG-shaped."""

from __future__ import annotations

import polars as pl

from kgpub.importers.primekg.synth import COLUMNS, generate


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


def test_full_size_node_pools_have_valid_ids(mapping):
    """At release size every generated id still matches its bioregistry pattern (DrugBank keeps 5 digits)."""
    import numpy as np

    from kgpub.importers.primekg.synth import _nodes

    nodes = _nodes(mapping, [k.kg_nodes for k in mapping.kinds], np.random.default_rng(0))
    assert nodes.height == sum(k.kg_nodes for k in mapping.kinds)
    for kind in mapping.kinds:
        ids = nodes.filter((pl.col("type") == kind.node_type) & (pl.col("source") == kind.source))["id"]
        members = ids.str.split(kind.group_separator).explode() if kind.grouped else ids
        padded = members.str.zfill(kind.pad) if kind.pad else members
        assert padded.str.contains(kind.pattern).all(), kind
        assert ids.n_unique() == ids.len()
