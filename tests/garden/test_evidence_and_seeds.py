"""Evidence on edges from relationship lines and `supports:` claims; the seed notes alone build clean."""

from __future__ import annotations

import shutil

from buildkit import load_store
from kgpub.build import build_garden

EVIDENCE = """PREFIX kgo: <https://w3id.org/kgpub/ontology/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?sl ?ol ?pub WHERE { GRAPH ?g { ?ax a owl:Axiom ; owl:annotatedSource ?s ;
  owl:annotatedProperty kgo:inhibits ; owl:annotatedTarget ?o ; kgo:evidence ?pub }
  ?s rdfs:label ?sl . ?o rdfs:label ?ol }"""


def test_evidence_from_a_pmid_on_the_line_and_from_a_supports_claim(example_dist):
    _, dist = example_dist
    rows = {(r["sl"].value, r["ol"].value, r["pub"].value) for r in load_store(dist).query(EVIDENCE, use_default_graph_as_union=True)}
    assert ("AKT1", "ASK1", "https://example.org/kg/publication/pubmed/11154276") in rows  # PMID on the line
    assert ("AKT1", "FOXO1", "https://example.org/kg/publication/pubmed/17604717") in rows  # supports: claim
    assert all(pub.startswith("https://example.org/kg/publication/") for _, _, pub in rows)


def test_the_three_seed_notes_alone_build_and_conform(tmp_path, entity_seed, article_seed, reference_seed):
    garden = tmp_path / "garden"
    garden.mkdir()
    for seed in (entity_seed, article_seed, reference_seed):
        shutil.copy(seed, garden / seed.name)
    result = build_garden(garden, tmp_path / "dist")
    assert not result.report.violations, result.report.summary()  # warnings (unresolved links) only
    assert not result.log.errors, [str(d) for d in result.log.errors]
    assert result.exit_code == 0
