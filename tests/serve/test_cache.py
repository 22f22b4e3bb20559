"""The front end's cache of whole answers: bounded, keyed on what an answer depends on, cleared when
the store changes, and answering without an executor."""

from __future__ import annotations

import threading
import time

import requests

from serving import TOKEN, serve, write_graphs_dist

from kgpub.serve.cache import Cached, ResultCache, job_key

DATA = {"http://example.org/g": [f"<http://example.org/s{i}> <http://example.org/p> \"{i}\"" for i in range(3000)]}
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PROBE = "SELECT ?o { <http://example.org/s42> ?p ?o }"


def _job(text: str, **extra) -> dict:
    return {"op": "query", "text": text, "accept": "application/sparql-results+json", "format": None,
            "base_iri": "http://h/sparql", "default_graphs": [], "named_graphs": [], **extra}


def test_key_tells_apart_everything_an_answer_depends_on():
    base = job_key(_job("ASK {}"))
    assert job_key(_job("ASK {}", cap=1, generation=3)) == base  # pool bookkeeping is not part of it
    for changed in (_job("ASK { }"), _job("ASK {}", accept="text/csv"), _job("ASK {}", format="xml"),
                    _job("ASK {}", base_iri="http://other/sparql"), _job("ASK {}", default_graphs=["http://g"]),
                    _job("ASK {}", named_graphs=["http://g"])):
        assert job_key(changed) != base


def test_bounded_least_recently_used_first():
    cache = ResultCache(total_bytes=300, entry_bytes=200)
    for name in "abc":
        cache.put((name,), Cached(200, "text/csv", name.encode() * 120))
    assert cache.get(("a",)) is None and cache.get(("c",)).body == b"c" * 120 and len(cache) == 2
    cache.get(("b",))
    cache.put(("d",), Cached(200, "text/csv", b"d" * 120))  # c is now the least recently used
    assert cache.get(("c",)) is None and cache.get(("b",)) is not None and cache.size <= 300
    cache.put(("huge",), Cached(200, "text/csv", b"x" * 250))  # over the entry bound: not kept
    assert cache.get(("huge",)) is None
    cache.clear()
    assert len(cache) == 0 and cache.size == 0


def test_a_cached_answer_needs_no_executor(tmp_path):
    s = serve(write_graphs_dist(tmp_path / "dist", DATA), tmp_path / "serve", "--timeout", "4", "--executors", "1",
              "--max-executors", "1", "--queue", "1")
    try:
        first = requests.get(s.url, params={"query": PROBE}, timeout=10)
        assert first.status_code == 200 and first.json()["results"]["bindings"][0]["o"]["value"] == "42"
        landing_url = s.url.rsplit("/sparql", 1)[0] + "/"
        landing = requests.get(landing_url, headers={"Accept": "text/html"}, timeout=10)
        assert landing.status_code == 200 and "text/html" in landing.headers["content-type"]
        busy = [threading.Thread(target=requests.get, args=(s.url,),
                                 kwargs={"params": {"query": RUNAWAY}, "timeout": 30}) for _ in range(2)]
        for t in busy:  # the one executor runs one, the queue holds the other
            t.start()
            time.sleep(0.4)
        other = requests.get(s.url, params={"query": "ASK { ?s ?p \"7\" }"}, timeout=10)
        assert other.status_code == 503 and "busy" in other.text
        started = time.monotonic()
        again = requests.get(s.url, params={"query": PROBE}, timeout=10)
        assert again.status_code == 200 and again.content == first.content
        assert time.monotonic() - started < 1
        page = requests.get(landing_url, headers={"Accept": "text/html"}, timeout=10)  # a page, from the cache too
        assert page.status_code == 200 and page.content == landing.content
        for t in busy:
            t.join(timeout=30)
    finally:
        s.stop()


def test_an_update_clears_the_cache(tmp_path):
    s = serve(write_graphs_dist(tmp_path / "dist", DATA), tmp_path / "serve", update=True)
    count = "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/p> ?o }"
    try:
        def n() -> int:
            r = requests.get(s.url, params={"query": count}, timeout=10)
            assert r.status_code == 200
            return int(r.json()["results"]["bindings"][0]["n"]["value"])

        assert n() == 3000 and n() == 3000
        r = requests.post(s.url, data={"update": "INSERT DATA { GRAPH <http://example.org/g> { "
                                                 "<http://example.org/new> <http://example.org/p> \"new\" } }"},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert r.status_code == 204, r.text
        assert n() == 3001
    finally:
        s.stop()


class _Store:
    generation = 0


def test_http_answers_are_kept_per_request_and_dropped_when_the_store_changes():
    import asyncio

    from kgpub.serve.cache import AnswerCache

    calls: list[bytes] = []

    async def app(scope, receive, send):
        calls.append(scope["query_string"])
        status = 400 if b"bad" in scope["query_string"] else 200
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/csv")]})
        await send({"type": "http.response.body", "body": b"n\r\n%d\r\n" % len(calls)})

    store = _Store()
    cache = AnswerCache(app, store, 1 << 20)

    def get(qs: bytes, accept: bytes = b"text/csv", method: str = "GET", path: str = "/sparql") -> tuple[int, bytes]:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": method, "path": path, "query_string": qs, "http_version": "1.1",
                 "headers": [(b"host", b"h"), (b"accept", accept)]}
        asyncio.run(cache(scope, None, send))
        return sent[0]["status"], sent[1]["body"]

    assert get(b"query=a") == (200, b"n\r\n1\r\n")
    assert get(b"query=a") == (200, b"n\r\n1\r\n") and len(calls) == 1  # given again
    assert get(b"query=a", accept=b"application/sparql-results+json")[1] == b"n\r\n2\r\n"
    assert get(b"query=bad")[0] == 400 and get(b"query=bad")[0] == 400 and len(calls) == 4  # errors not kept
    assert get(b"query=a", method="POST")[1] == b"n\r\n5\r\n"  # only GET
    assert get(b"", path="/gene/akt1")[1] == b"n\r\n6\r\n"  # the pages too
    assert get(b"", path="/gene/akt1") == (200, b"n\r\n6\r\n") and len(calls) == 6
    assert get(b"", path="/gene/akt1", accept=b"text/turtle")[1] == b"n\r\n7\r\n"
    store.generation = 1  # an update or a reload
    assert get(b"query=a") == (200, b"n\r\n8\r\n")
