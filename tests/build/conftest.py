"""Fixtures of the build tests: built gardens (built once per session) and a query helper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest

from kgpub.build import build_garden

B = "https://example.org/kg/"


def load_store(dist: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    with (dist / "kg.nq").open("rb") as handle:
        store.load(handle, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def ask(store: pyoxigraph.Store, query: str) -> bool:
    prefixes = (
        "PREFIX kgo: <https://w3id.org/kgpub/ontology/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
    )
    return bool(store.query(prefixes + query, use_default_graph_as_union=True))


@pytest.fixture(scope="session")
def seed_dist(tmp_path_factory, entity_seed: Path, reference_seed: Path, article_seed: Path):
    garden = tmp_path_factory.mktemp("seed-garden")
    for seed in (entity_seed, reference_seed, article_seed):
        shutil.copy(seed, garden / seed.name)
    dist = tmp_path_factory.mktemp("seed-dist")
    result = build_garden(garden, dist)
    return result, dist


@pytest.fixture(scope="session")
def example_dist(tmp_path_factory, example_garden: Path):
    dist = tmp_path_factory.mktemp("example-dist")
    return build_garden(example_garden, dist), dist
