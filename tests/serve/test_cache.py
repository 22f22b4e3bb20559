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
