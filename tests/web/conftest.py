"""A real build of the example garden plus one hostile note, and the pages app over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kgpub.build import build_garden
from webgarden import BASE, HOSTILE, make_app


@pytest.fixture(scope="session")
def web_dist(example_garden, tmp_path_factory) -> Path:
    garden = tmp_path_factory.mktemp("web-garden")
    shutil.copytree(example_garden, garden, dirs_exist_ok=True)
    (garden / "gene" / "xss.md").write_text(HOSTILE, encoding="utf-8")
    dist = tmp_path_factory.mktemp("web-dist")
    build_garden(garden, dist, base_iri=BASE)
    return dist


@pytest.fixture(scope="session")
def web_store(web_dist) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(web_dist / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="session")
def pages_app(web_store, web_dist):
    return make_app(web_store, web_dist)


@pytest.fixture(scope="session")
def client(pages_app) -> TestClient:
    return TestClient(pages_app)
