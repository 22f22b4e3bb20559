"""The competency questions of queries/*.rq, run against a real build, with their expected answers."""

from __future__ import annotations

import json
from pathlib import Path

import shutil

import pytest
from pyoxigraph import RdfFormat, Store

from kgpub.build import build_garden
from kgpub.config import GardenConfig, PublishMode

QUERIES = Path(__file__).resolve().parents[2] / "queries"

SECOND = """Insulin and the Akt kinases: a short review

Author: Test Writer. Date: March 2025

Abstract

Akt2 and GLUT4 in adipocytes [1].

References

- Gonzalez, E., & McGraw, T. E. (2009). The Akt kinases: isoform specificity in metabolism and cancer. Cell Cycle. [Link]
- Someone, A. (2020). Another paper entirely. Some Journal. [Link]
"""


@pytest.fixture(scope="module")
def store(article_seed, reference_seed, example_garden, tmp_path_factory):
    """A real build of the example garden, the seed article and reference note, and a second short article.

    (The entity seed is left out: its permalink is the example garden's AKT1 note's.)"""
    garden = tmp_path_factory.mktemp("cq-garden")
    shutil.copytree(example_garden, garden / "examples")
    for seed in (article_seed, reference_seed):
        shutil.copy(seed, garden / seed.name)
    (garden / "review.txt").write_text(SECOND, encoding="utf-8")
    dist = tmp_path_factory.mktemp("cq-dist")
    build_garden(garden, dist, config=GardenConfig(publish=PublishMode.ALL_BUT_PRIVATE))
    store = Store()
    store.bulk_load(path=str(dist / "kg.nq"), format=RdfFormat.N_QUADS)
    return store


def run(store, name):
    query = (QUERIES / f"{name}.rq").read_text(encoding="utf-8")
    expected = json.loads((QUERIES / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows = [{n: row[n].value for n in names if row[n] is not None} for row in result]
    return rows, expected


def test_documents_mentioning_gene(store):
    rows, expected = run(store, "documents_mentioning_gene")
    seed_rows = [{k: r[k] for k in ("title", "count")} for r in rows if r["title"].startswith("Akt1 versus")]
    assert seed_rows == expected
    assert len(rows) == 2  # the second document mentions GLUT4 too


def test_entities_with_akt2_in_section(store):
    rows, expected = run(store, "entities_with_akt2_in_section")
    got = {r["entity"] for r in rows}
    assert set(expected["includes"]) <= got
    assert not set(expected["excludes"]) & got


def test_shared_references(store):
    rows, expected = run(store, "shared_references")
    assert [{"title": r["title"]} for r in rows] == expected


def test_publications_supporting_edge(store):
    rows, expected = run(store, "publications_supporting_edge")
    assert [{"publication": r["publication"]} for r in rows] == expected
    assert rows[0]["title"].startswith("Akt phosphorylates and negatively regulates")


def test_supports_claim_of_a_reference_note_is_evidence_on_the_edge(store):
    query = """PREFIX kgo: <https://w3id.org/kgpub/ontology/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?pub WHERE { ?ax owl:annotatedSource ?s ; owl:annotatedProperty kgo:inhibits ;
      owl:annotatedTarget ?o ; kgo:evidence ?pub . ?s rdfs:label "AKT1" . ?o rdfs:label "FOXO1" }"""
    pubs = {row["pub"].value for row in store.query(query, use_default_graph_as_union=True)}
    assert pubs == {"https://example.org/kg/publication/pubmed/17604717"}
