"""The example garden plus one hostile note, as the web tests use it: its IRIs and the pages app over a store
(fixtures in conftest.py; a module of its own, so that ``tests/web`` and ``tests/serve`` run in one pytest call)."""

from __future__ import annotations

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


def make_app(store, dist, **settings):
    return create_pages_app(LocalBackend(store), PagesSettings(BASE, dist=dist, **settings))
