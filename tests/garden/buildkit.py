"""Helpers of the build tests: the base IRI and queries over a build's kg.nq."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kgpub.config import GardenConfig, PublishMode

B = "https://example.org/kg/"
#: Publishes every note but private ones: hand-written test notes and the seeds carry no ``dg-publish: true``.
OPEN = GardenConfig(publish=PublishMode.ALL_BUT_PRIVATE)


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
