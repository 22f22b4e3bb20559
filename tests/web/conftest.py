"""A real build of the example garden plus one hostile note, and the pages app over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kgpub.build import build_garden
from kgpub.serve.backend import LocalBackend
from kgpub.web.app import create_pages_app
from kgpub.web.pages import PagesSettings

BASE = "https://example.org/kg/"
AKT1 = BASE + "garden/dev_admin/gene/akt1"
AKT1_PATH = "/kg/garden/dev_admin/gene/akt1"
XSS_LABEL = "<script>alert(1)</script>"

HOSTILE = """---
title: "<script>alert(1)</script>"
type: gene
permalink: /garden/dev_admin/gene/xss/
dg-publish: true
ncbigene: 99999999
---

# Hostile

## Relationships

INHIBITS:: [[AKT1]] - <img src=x onerror="document.title='pwned'"> note text
"""


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


def make_app(store, dist, **settings):
    return create_pages_app(LocalBackend(store), PagesSettings(BASE, dist=dist, **settings))


@pytest.fixture(scope="session")
def pages_app(web_store, web_dist):
    return make_app(web_store, web_dist)


@pytest.fixture(scope="session")
def client(pages_app) -> TestClient:
    return TestClient(pages_app)
