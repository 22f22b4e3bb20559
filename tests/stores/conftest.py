"""Fixtures for the store tests: real Oxigraph and Virtuoso servers on 127.0.0.1, DIST folders,
and one parametrised ``backend`` fixture so the contract suite runs against every store."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from distgen import write_dist  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402
from servers import FAST_RETRY, start_oxigraph, start_virtuoso, virtuoso_credentials  # noqa: E402,F401

from kgpub.publish.remote import oxigraph_server, virtuoso_server  # noqa: E402
from kgpub.publish.store import EmbeddedStore  # noqa: E402



@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture
def base_iri() -> str:
    """A fresh base IRI per test, so tests sharing a server never see each other's graphs."""
    return f"https://example.org/kg/{uuid.uuid4().hex[:12]}/"


@pytest.fixture
def dist(tmp_path, base_iri) -> Path:
    out = tmp_path / "dist"
    write_dist(out, base=base_iri)
    return out


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def backend(request, tmp_path):
    """Every store kgpub publishes to, behind the GraphStore interface."""
    if request.param == "embedded":
        store = EmbeddedStore(tmp_path / "store")
    elif request.param == "oxigraph":
        store = oxigraph_server(request.getfixturevalue("oxigraph").base_url, retry=FAST_RETRY)
    else:
        store = virtuoso_server(request.getfixturevalue("virtuoso").base_url, virtuoso_credentials(),
                                retry=FAST_RETRY)
    yield store
    store.close()


@pytest.fixture
def fault_proxy():
    proxies: list[FaultProxy] = []

    def make(target: str, **options) -> FaultProxy:
        proxy = FaultProxy(target, **options).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()
