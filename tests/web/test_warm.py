"""The pages' warm-up: `kgpub serve` builds the label index once its pool is up, so the first page or
search does not wait for it; a warm-up that fails leaves the server answering."""

from __future__ import annotations

import asyncio

from starlette.testclient import TestClient

from kgpub.serve.backend import LocalBackend
from kgpub.serve.run import _Lifespan
from kgpub.web.app import create_pages_app
from kgpub.web.pages import PagesSettings

from webgarden import BASE


class CountingBackend(LocalBackend):
    def __init__(self, store):
        super().__init__(store)
        self.queries: list[str] = []

    def run_sync(self, query, media_type, prefixes=None):
        self.queries.append(query)
        return super().run_sync(query, media_type, prefixes)


def test_warm_builds_the_label_index_that_search_then_uses(web_store, web_dist):
    backend = CountingBackend(web_store)
    app = create_pages_app(backend, PagesSettings(BASE, dist=web_dist))
    asyncio.run(app.warm())
    assert len(backend.queries) == 1 and "label" in backend.queries[0]
    response = TestClient(app).get("/-/search", params={"q": "AKT"})
    assert response.status_code == 200 and "AKT1" in response.text
    assert len(backend.queries) == 1  # the search asked the store nothing


class StubPool:
    def __init__(self):
        self.started = self.closed = False

    async def start(self):
        self.started = True

    async def close(self):
        self.closed = True


def _lifespan(app) -> list[str]:
    """Run a lifespan startup and shutdown through ``app``; the message types it sent."""
    sent: list[str] = []

    async def run():
        incoming = asyncio.Queue()
        for kind in ("lifespan.startup", "lifespan.shutdown"):
            incoming.put_nowait({"type": kind})

        async def send(message):
            sent.append(message["type"])
            await asyncio.sleep(0.05)  # the warm-up task gets to run between the two events

        await app({"type": "lifespan"}, incoming.get, send)

    asyncio.run(run())
    return sent


def test_the_server_warms_the_pages_after_its_pool_starts():
    pool, calls = StubPool(), []

    async def warm():
        calls.append(pool.started)

    sent = _lifespan(_Lifespan(None, pool, warm=warm))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert calls == [True] and pool.closed


def test_a_failed_warm_up_does_not_stop_the_server(caplog):
    async def warm():
        raise RuntimeError("store gone")

    pool = StubPool()
    sent = _lifespan(_Lifespan(None, pool, warm=warm))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert "warming up the pages failed" in caplog.text and "store gone" in caplog.text
